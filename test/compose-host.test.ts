import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import YAML from 'yaml';
import { REPO } from './harness.js';

/**
 * Static checks of what `npm run compose:e2e` (scripts/compose-e2e.sh) runs besides the real files:
 * deploy/compose.host.yml may only move services to the host network and their addresses to 127.0.0.1,
 * and every base image the Dockerfiles and docker-compose.yml name has a stand-in recipe and a manifest
 * entry in deploy/standins/. The script checks the override again at run time on the resolved config.
 */

const read = (rel: string) => readFileSync(join(REPO, rel), 'utf8');
type Service = { image?: string; build?: unknown; command?: string[]; [key: string]: unknown };
const load = (rel: string) => YAML.parse(read(rel), { merge: true }) as { services: Record<string, Service> };

const base = load('docker-compose.yml').services;
const host = load('deploy/compose.host.yml').services;

/** What the override may change in a command: the bind and announce address (and a ${VAR:?} message), made equal. */
const loopbackArgs = (cmd: string[] | undefined) =>
  (cmd ?? []).filter((a) => a !== '-ip=127.0.0.1').map((a) => a.replaceAll('0.0.0.0', '127.0.0.1').replace(/\$\{(\w+):\?[^}]*\}/g, '${$1}'));

test('compose.host.yml: every service, and nothing else, on the host network with names on 127.0.0.1', () => {
  assert.deepEqual(Object.keys(host).sort(), Object.keys(base).sort(), 'the override names exactly the services of docker-compose.yml');
  // every host name a service calls (http://NAME:port in the compose file) resolves to loopback
  const called = new Set([...read('docker-compose.yml').matchAll(/http:\/\/([a-z0-9-]+):/g)].map((m) => m[1]).filter((h) => h !== '127.0.0.1'));
  assert.ok(called.size >= 2, 'the stack calls its S3 server and demo API by name');
  for (const [name, h] of Object.entries(host)) {
    assert.equal(h.network_mode, 'host', `${name}: network_mode host`);
    // NAME:ADDRESS, the name possibly a ${VAR:-default}
    const hosts = new Map((h.extra_hosts as string[]).map((e) => [e.slice(0, e.lastIndexOf(':')), e.slice(e.lastIndexOf(':') + 1)]));
    for (const c of called) assert.equal(hosts.get(c), '127.0.0.1', `${name}: ${c} resolves to 127.0.0.1`);
    for (const [n, address] of hosts) assert.equal(address, '127.0.0.1', `${name}: ${n} resolves to 127.0.0.1, not ${address}`);
    const allowed = new Set(['network_mode', 'extra_hosts', 'build', 'command']);
    for (const key of Object.keys(h)) assert.ok(allowed.has(key), `${name}: the override changes ${key}`);
  }
});

test('compose.host.yml: builds keep their context and Dockerfile, on the host network', () => {
  for (const [name, h] of Object.entries(host)) {
    const b = base[name]!;
    if (!b.build) {
      assert.equal(h.build, undefined, `${name} is pulled, not built`);
      continue;
    }
    assert.deepEqual(h.build, { ...(b.build as object), network: 'host' }, `${name}: build`);
  }
});

test('compose.host.yml: a changed command differs only in its address (0.0.0.0 → 127.0.0.1)', () => {
  const changed = Object.entries(host).filter(([, h]) => h.command);
  assert.deepEqual(changed.map(([n]) => n).sort(), ['demo-api', 'seaweedfs'], 'only the two servers that bind 0.0.0.0');
  for (const [name, h] of changed) {
    const b = base[name]!;
    assert.ok(b.command?.some((a) => a.includes('0.0.0.0')), `${name} binds 0.0.0.0 in docker-compose.yml`);
    assert.ok(!h.command!.some((a) => a.includes('0.0.0.0')), `${name}: no 0.0.0.0 left`);
    assert.deepEqual(loopbackArgs(h.command), loopbackArgs(b.command), `${name}: same arguments otherwise`);
  }
});

// ---------- stand-ins ----------

function standins(): Map<string, string> {
  const lines = read('deploy/standins/images.txt').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  return new Map(lines.map((l) => l.split(/\s+/) as [string, string]));
}

/** FROM images of a Dockerfile that are not its own earlier stages. */
function externalFroms(rel: string): string[] {
  const stages = new Set<string>();
  const out: string[] = [];
  for (const line of read(rel).split('\n')) {
    const m = /^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line.trim());
    if (!m) continue;
    if (!stages.has(m[1]!)) out.push(m[1]!);
    if (m[2]) stages.add(m[2]);
  }
  return out;
}

test('stand-ins: every image the Dockerfiles and docker-compose.yml pull has a recipe and a manifest entry', () => {
  const recipes = standins();
  const pulled = [
    ...externalFroms('Dockerfile'),
    ...externalFroms('spark/Dockerfile'),
    ...Object.values(base).filter((s) => !s.build).map((s) => s.image!),
  ];
  assert.ok(pulled.length >= 5, 'node, node-slim, maven, spark, seaweedfs');
  const manifest = read('deploy/standins/MANIFEST.md');
  for (const image of pulled) {
    const recipe = recipes.get(image);
    assert.ok(recipe, `no stand-in for ${image} in deploy/standins/images.txt`);
    assert.match(read(`deploy/standins/${recipe}/Dockerfile`), /^FROM /m, `${recipe}/Dockerfile`);
    assert.ok(manifest.includes(`## ${image} (\`${recipe}/\`)`), `MANIFEST.md has a section for ${image}`);
  }
});
