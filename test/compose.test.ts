import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import YAML from 'yaml';
import { withIdentity, withOutput, withSpecOverrides } from '../src/cli/flags.js';
import { REPO } from './harness.js';

/**
 * Static checks of the deployment files (no Docker engine needed): docker-compose.yml resolved with
 * .env (beside it, read by Compose without a flag) the way Compose interpolates it, the two Dockerfiles,
 * and the job spec they share with scripts/e2e.sh. A drift between .env and the files that read it
 * fails here.
 */

const read = (rel: string) => readFileSync(join(REPO, rel), 'utf8');

// ---------- .env ----------

function parseEnvFile(text: string): Map<string, string> {
  const env = new Map<string, string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    // plain KEY=value only: both Compose and bash's `. file` read it the same way
    const m = /^([A-Z_][A-Z0-9_]*)=([^\s'"$`\\]*)$/.exec(line);
    assert.ok(m, `.env line ${i + 1} is not a plain KEY=value: ${raw}`);
    assert.ok(!env.has(m[1]), `.env defines ${m[1]} twice`);
    env.set(m[1], m[2]);
  });
  return env;
}

const STACK = parseEnvFile(read('.env'));
const get = (k: string): string => {
  const v = STACK.get(k);
  assert.ok(v !== undefined && v !== '', `.env must set ${k}`);
  return v;
};

// ---------- Compose-style interpolation ----------

/** ${VAR}, ${VAR:?msg}, ${VAR?msg}, ${VAR:-default}, ${VAR-default}, $VAR and $$, as Compose resolves them. */
function interpolate(s: string, env: Map<string, string>, used: Set<string>, guarded: Set<string>, unguarded: Set<string>): string {
  return s.replace(/\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[?-])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (all, _x, braced, op, arg, bare) => {
    if (all === '$$') return '$';
    const name: string = braced ?? bare;
    used.add(name);
    (op === ':?' ? guarded : unguarded).add(name);
    const value = env.get(name);
    if (op === ':?' && !value) throw new Error(`\${${name}} is required: ${arg}`);
    if (op === '?' && value === undefined) throw new Error(`\${${name}} is required: ${arg}`);
    if (op === ':-' && !value) return arg;
    if (op === '-' && value === undefined) return arg;
    return value ?? '';
  });
}

function interpolateTree(v: unknown, env: Map<string, string>, used: Set<string>, guarded: Set<string>, unguarded: Set<string>): unknown {
  if (typeof v === 'string') return interpolate(v, env, used, guarded, unguarded);
  if (Array.isArray(v)) return v.map((x) => interpolateTree(x, env, used, guarded, unguarded));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolateTree(x, env, used, guarded, unguarded)]));
  }
  return v;
}

type Service = {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number | null> | string[];
  ports?: (string | { target: number; published: string | number; host_ip?: string })[];
  volumes?: (string | { type: string; source: string; target: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  restart?: string;
};

const used = new Set<string>();
const guarded = new Set<string>();
const unguarded = new Set<string>();
const rawCompose = YAML.parse(read('docker-compose.yml'), { merge: true }) as Record<string, unknown>;
const compose = interpolateTree(rawCompose, STACK, used, guarded, unguarded) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const services = compose.services;

const envOf = (s: Service): Record<string, string> => {
  const e = s.environment ?? {};
  if (Array.isArray(e)) return Object.fromEntries(e.map((kv) => [kv.split('=')[0], kv.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v === null ? '' : String(v)]));
};
const argv = (c: string[] | string | undefined): string[] => (c === undefined ? [] : Array.isArray(c) ? c.map(String) : c.split(/\s+/));
const dependsOn = (s: Service): Record<string, string> => {
  const d = s.depends_on ?? {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((n) => [n, 'service_started']));
  return Object.fromEntries(Object.entries(d).map(([n, c]) => [n, c?.condition ?? 'service_started']));
};
const hasHealthcheck = (s: Service) => !!s.healthcheck && !s.healthcheck.disable && argv(s.healthcheck.test)[0] !== 'NONE' && argv(s.healthcheck.test).length > 0;
const isExecutor = (s: Service) => argv(s.command)[0] === 'ingest';
const executors = Object.entries(services).filter(([, s]) => isExecutor(s));
const N = Number(get('EXECUTORS'));

// ---------- settings: one place, no drift ----------

test('.env: every shared setting is there, with sane values', () => {
  for (const k of ['S3_PORT', 'DEMO_API_PORT']) assert.match(get(k), /^[1-9][0-9]{0,4}$/, `${k} is a port`);
  assert.notEqual(get('S3_PORT'), get('DEMO_API_PORT'), 'the S3 server and the demo API need different ports');
  assert.ok(Number.isInteger(N) && N >= 1, `EXECUTORS must be a positive integer, got ${get('EXECUTORS')}`);
  for (const k of ['DEMO_SIZE', 'DEMO_PER_PAGE', 'READER_TRIGGER', 'INGEST_RATE']) assert.ok(Number(get(k)) > 0, `${k} > 0`);
  assert.match(get('S3_BUCKET'), /^[a-z0-9][a-z0-9.-]{2,62}$/, 'S3_BUCKET is a valid bucket name');
  for (const k of ['S3_PREFIX', 'DATASET', 'RUN_ID', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) get(k);
  const pkg = JSON.parse(read('package.json')) as { version: string };
  assert.equal(get('PAGEFLEET_VERSION'), pkg.version, 'the images are tagged with package.json\'s version');
});

test('compose: every ${VAR} comes from .env and is required (fails when .env lacks it)', () => {
  for (const name of used) assert.ok(STACK.has(name), `docker-compose.yml uses \${${name}}, which .env does not define`);
  assert.deepEqual([...unguarded], [], 'use ${VAR:?...} so that a setting missing from .env stops Compose instead of running with blanks');
  // Compose reads COMPOSE_PROJECT_NAME itself; every other setting must be read by the stack
  for (const key of STACK.keys()) {
    if (key === 'COMPOSE_PROJECT_NAME') continue;
    assert.ok(used.has(key), `.env sets ${key}, which docker-compose.yml never reads (dead or drifted setting)`);
  }
});

test('e2e.sh: runs from the same .env and reads its topology settings', () => {
  const e2e = read('scripts/e2e.sh');
  assert.match(e2e, /^\.\s+(\.\/)?\.env$/m, 'scripts/e2e.sh sources .env');
  for (const key of STACK.keys()) {
    if (['COMPOSE_PROJECT_NAME', 'PAGEFLEET_VERSION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'].includes(key)) continue;
    assert.ok(new RegExp(`\\$\\{?${key}\\b`).test(e2e), `scripts/e2e.sh never reads ${key}: it would drift from docker-compose.yml`);
  }
});

test('credentials appear only in .env', () => {
  const secret = get('AWS_SECRET_ACCESS_KEY');
  const key = get('AWS_ACCESS_KEY_ID');
  for (const f of ['docker-compose.yml', 'Dockerfile', 'spark/Dockerfile', 'scripts/e2e.sh', 'deploy/movies.yaml', 'deploy/validate-compose.sh']) {
    const text = read(f);
    assert.ok(!text.includes(secret) && !text.includes(key), `${f} contains a credential: reference it through .env`);
  }
});

// ---------- images ----------

test('compose: every image is pinned by an explicit tag (no latest, no untagged)', () => {
  for (const [name, s] of Object.entries(services)) {
    assert.ok(s.image, `service ${name} names its image (built ones too, so every service of one image shares it)`);
    const m = /^(?:[^/]+\/)*[^/:@]+(?::([^:@/]+))?(?:@sha256:[0-9a-f]{64})?$/.exec(s.image);
    assert.ok(m, `service ${name}: unparsable image ${s.image}`);
    assert.ok(m[1] || s.image.includes('@sha256:'), `service ${name}: image ${s.image} has no tag`);
    assert.notEqual(m[1], 'latest', `service ${name}: image ${s.image} is not pinned`);
  }
  // the services that share the pagefleet image build it from the same Dockerfile
  const pagefleet = Object.entries(services).filter(([, s]) => s.image === `pagefleet:${get('PAGEFLEET_VERSION')}`);
  assert.ok(pagefleet.length >= N + 1, 'the demo API and the executors run the pagefleet image');
  for (const [name, s] of pagefleet) assert.deepEqual(s.build, { context: '.', dockerfile: 'Dockerfile' }, `service ${name}: build`);
  assert.match(services.seaweedfs?.image ?? '', /^chrislusf\/seaweedfs:\d+\.\d+$/, 'SeaweedFS pinned to a release');
});

// ---------- executors ----------

test('compose: one executor service per index 0..EXECUTORS-1, all of one run', () => {
  assert.equal(executors.length, N, `.env says EXECUTORS=${N}; docker-compose.yml has ${executors.length} executor services`);
  const indexes = executors.map(([name, s]) => {
    const env = envOf(s);
    assert.match(env.PAGEFLEET_EXECUTOR_INDEX ?? '', /^\d+$/, `${name}: PAGEFLEET_EXECUTOR_INDEX`);
    assert.equal(env.PAGEFLEET_EXECUTORS, String(N), `${name}: PAGEFLEET_EXECUTORS must be EXECUTORS (${N})`);
    assert.equal(name, `executor-${env.PAGEFLEET_EXECUTOR_INDEX}`, `${name}: the service name carries its index`);
    assert.equal(env.PAGEFLEET_RUN_ID, get('RUN_ID'), `${name}: one run id for all executors`);
    assert.equal(env.PAGEFLEET_ROOT, `s3://${get('S3_BUCKET')}/${get('S3_PREFIX')}`, `${name}: landing root`);
    assert.equal(env.PAGEFLEET_RATE, get('INGEST_RATE'), `${name}: the job's shared rate`);
    assert.deepEqual(argv(s.command).slice(0, 2), ['ingest', '/etc/pagefleet/movies.yaml'], `${name}: command`);
    assert.equal(s.restart ?? 'no', 'no', `${name}: a one-shot (restart: "no")`);
    return Number(env.PAGEFLEET_EXECUTOR_INDEX);
  });
  assert.deepEqual([...indexes].sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i), 'indexes are distinct and exactly 0..N-1');
});

test('compose: depends_on conditions are met by the services they name', () => {
  for (const [name, s] of Object.entries(services)) {
    for (const [dep, condition] of Object.entries(dependsOn(s))) {
      const target = services[dep];
      assert.ok(target, `${name} depends on ${dep}, which is not a service`);
      assert.ok(
        ['service_healthy', 'service_completed_successfully', 'service_started'].includes(condition),
        `${name} → ${dep}: unknown condition ${condition}`,
      );
      if (condition === 'service_healthy') assert.ok(hasHealthcheck(target), `${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
      if (condition === 'service_completed_successfully') {
        assert.equal(target.restart ?? 'no', 'no', `${name} waits for ${dep} to complete, but ${dep} restarts`);
        assert.ok(!hasHealthcheck(target), `${name} waits for ${dep} to complete: a one-shot needs no healthcheck`);
      }
    }
  }
  for (const [name, s] of executors) {
    const deps = dependsOn(s);
    assert.equal(deps.seaweedfs, 'service_healthy', `${name} waits for S3`);
    assert.equal(deps['demo-api'], 'service_healthy', `${name} waits for the demo API`);
    assert.equal(deps['create-bucket'], 'service_completed_successfully', `${name} waits for the bucket`);
  }
  const status = dependsOn(services.status ?? {});
  for (const [name] of executors) assert.equal(status[name], 'service_completed_successfully', `status waits for ${name}`);
  assert.equal(dependsOn(services.reader ?? {}).seaweedfs, 'service_healthy', 'the reader waits for S3 (not for the executors: it streams while they write)');
});

// ---------- ports and env names ----------

test('compose: ports and endpoints match .env', () => {
  const s3 = get('S3_PORT');
  const api = get('DEMO_API_PORT');
  const published = (s: Service) =>
    (s.ports ?? []).map((p) => (typeof p === 'string' ? p.split(':').slice(-2).join(':') : `${p.published}:${p.target}`));
  assert.deepEqual(published(services.seaweedfs!), [`${s3}:${s3}`], 'SeaweedFS publishes S3_PORT');
  assert.ok(argv(services.seaweedfs!.command).includes(`-s3.port=${s3}`), 'SeaweedFS serves S3 on S3_PORT');
  assert.ok(argv(services.seaweedfs!.healthcheck?.test).join(' ').includes(`:${s3}/`), 'SeaweedFS healthcheck probes S3_PORT');
  assert.deepEqual(published(services['demo-api']!), [`${api}:${api}`], 'the demo API publishes DEMO_API_PORT');
  const apiArgs = argv(services['demo-api']!.command);
  assert.equal(apiArgs[0], 'mock-api');
  for (const [flag, key] of [['--port', 'DEMO_API_PORT'], ['--size', 'DEMO_SIZE'], ['--per-page', 'DEMO_PER_PAGE']]) {
    assert.ok(apiArgs.includes(`${flag}=${get(key)}`), `demo-api ${flag} must be ${key}`);
  }
  assert.ok(apiArgs.includes('--host=0.0.0.0'), 'the demo API listens beyond the container\'s loopback');
  assert.ok(argv(services['demo-api']!.healthcheck?.test).join(' ').includes(`:${api}/`), 'demo-api healthcheck probes DEMO_API_PORT');
  for (const [name, s] of Object.entries(services)) {
    const env = envOf(s);
    if ('AWS_ENDPOINT_URL_S3' in env) {
      assert.equal(env.AWS_ENDPOINT_URL_S3, `http://seaweedfs:${s3}`, `${name}: S3 endpoint`);
      for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']) assert.equal(env[k], get(k), `${name}: ${k}`);
    }
    if ('PAGEFLEET_DEMO_API' in env) assert.equal(env.PAGEFLEET_DEMO_API, `http://demo-api:${api}`, `${name}: demo API URL`);
  }
  const reader = argv(services.reader!.command);
  for (const want of [
    `--landing=s3a://${get('S3_BUCKET')}/${get('S3_PREFIX')}`,
    `--dataset=${get('DATASET')}`,
    `--trigger=${get('READER_TRIGGER')}`,
  ]) {
    assert.ok(reader.includes(want), `reader: ${want}`);
  }
  assert.ok('AWS_ENDPOINT_URL_S3' in envOf(services.reader!), 'the reader reads S3 through the same variables');
});

test('compose: env names are the ones pagefleet and the job spec read', () => {
  // the names the CLI reads, from its own option definitions
  const cmd = withOutput(withIdentity(withSpecOverrides(new Command())));
  const cli = new Set(cmd.options.map((o) => o.envVar).filter((v): v is string => !!v));
  // the ${VAR}s the job spec interpolates
  const spec = read('deploy/movies.yaml');
  const specText = JSON.stringify(YAML.parse(spec)); // values only, not the comments
  const specVars = new Set([...specText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]));
  assert.ok(specVars.size > 0, 'deploy/movies.yaml takes the demo API URL from the environment');
  const aws = new Set(['AWS_ENDPOINT_URL_S3', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']);
  for (const [name, s] of Object.entries(services)) {
    if (!s.image?.startsWith('pagefleet:') || name === 'create-bucket' || name === 'demo-api') continue;
    const env = envOf(s);
    for (const k of Object.keys(env)) {
      assert.ok(cli.has(k) || specVars.has(k) || aws.has(k), `${name}: ${k} is read by neither pagefleet nor deploy/movies.yaml`);
    }
    for (const v of specVars) assert.ok(env[v], `${name}: deploy/movies.yaml needs \${${v}}`);
    assert.ok(env.PAGEFLEET_ROOT, `${name}: PAGEFLEET_ROOT`);
  }
  // the job spec names the dataset the reader reads, in the format it reads
  const job = YAML.parse(spec) as { dataset: string; output: { formats: string[] } };
  assert.equal(job.dataset, get('DATASET'), 'deploy/movies.yaml dataset must be .env DATASET');
  assert.ok(job.output.formats.includes('parquet'), 'the reader streams the parquet files');
});

// ---------- volumes ----------

test('compose: volumes are declared, and bind mounts exist', () => {
  const declared = new Set(Object.keys(compose.volumes ?? {}));
  const usedVolumes = new Set<string>();
  for (const [name, s] of Object.entries(services)) {
    for (const v of s.volumes ?? []) {
      const source = typeof v === 'string' ? v.split(':')[0] : v.source;
      const bind = typeof v === 'string' ? /^[./~]/.test(source) : v.type === 'bind';
      if (bind) assert.ok(existsSync(join(REPO, source)), `${name}: bind mount ${source} does not exist`);
      else {
        assert.ok(declared.has(source), `${name}: volume ${source} is not declared under volumes:`);
        usedVolumes.add(source);
      }
    }
  }
  for (const v of declared) assert.ok(usedVolumes.has(v), `volume ${v} is declared but unused`);
  assert.ok((services.reader?.volumes ?? []).some((v) => (typeof v === 'string' ? v : v.target).includes('/data')), 'the reader keeps table and checkpoint on a volume');
});

test('compose: Debian docker-compose accepts the file as a user runs it, no flag (skipped when not installed)', (t) => {
  const probe = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  if (probe.error) {
    t.skip('docker-compose is not installed: bash deploy/validate-compose.sh installs it and runs this check');
    return;
  }
  // `docker-compose config -q` in the repo, with an empty environment: only .env can supply the settings
  const r = spawnSync('docker-compose', ['config', '-q'], { cwd: REPO, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

// ---------- Dockerfiles ----------

interface Stage {
  from: string;
  alias?: string;
  lines: string[];
}

function stages(text: string): { args: Map<string, string>; stages: Stage[] } {
  const logical = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const args = new Map<string, string>();
  const out: Stage[] = [];
  for (const line of logical) {
    const m = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (m) out.push({ from: m[1], alias: m[2], lines: [] });
    else if (out.length) out[out.length - 1].lines.push(line);
    else {
      const a = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)$/.exec(line);
      if (a) args.set(a[1], a[2]);
    }
  }
  return { args, stages: out };
}

function checkDockerfile(path: string): { args: Map<string, string>; stages: Stage[]; final: Stage } {
  const parsed = stages(read(path));
  assert.ok(parsed.stages.length >= 2, `${path}: multi-stage`);
  const aliases = new Set<string>();
  for (const s of parsed.stages) {
    if (!aliases.has(s.from)) {
      assert.match(s.from, /^[^:@\s$]+(?::[^:@\s$]+)(?:@sha256:[0-9a-f]{64})?$/, `${path}: FROM ${s.from} is not pinned by an explicit tag`);
      assert.ok(!/:latest(@|$)/.test(s.from), `${path}: FROM ${s.from} uses latest`);
    }
    if (s.alias) aliases.add(s.alias);
  }
  const final = parsed.stages[parsed.stages.length - 1];
  const users = final.lines.filter((l) => /^USER\s/i.test(l));
  assert.ok(users.length > 0, `${path}: the runtime stage sets USER`);
  const last = users[users.length - 1].split(/\s+/)[1];
  assert.ok(!['root', '0', '0:0', 'root:root'].includes(last), `${path}: the runtime stage ends as root`);
  assert.ok(final.lines.some((l) => /^ENTRYPOINT\s+\[/i.test(l)), `${path}: exec-form ENTRYPOINT`);
  return { ...parsed, final };
}

test('Dockerfile: pinned multi-stage build, non-root runtime, ENTRYPOINT pagefleet', () => {
  const { stages: st, final } = checkDockerfile('Dockerfile');
  assert.match(st[0].from, /^node:20\.\d+\.\d+/, 'build stage: Node 20 pinned to a release');
  assert.match(final.from, /^node:20\.\d+\.\d+-(bookworm-slim|alpine)/, 'runtime: a slim Node 20');
  assert.ok(st[0].lines.some((l) => l.includes('npm ci')), 'build stage: npm ci from the lockfile');
  assert.ok(st[0].lines.some((l) => l.includes('tsc')), 'build stage: compiles with tsc');
  assert.ok(st[0].lines.some((l) => l.includes('--omit=dev')), 'production dependencies only');
  assert.ok(final.lines.includes('ENTRYPOINT ["pagefleet"]'), 'ENTRYPOINT ["pagefleet"]');
  const ignore = read('.dockerignore').split('\n').map((l) => l.trim());
  assert.equal(ignore.find((l) => l && !l.startsWith('#')), '*', '.dockerignore starts from nothing (no node_modules, .venv, .tools, landing zones)');
});

test('spark/Dockerfile: apache/spark of the pyspark version, the jars fetch-jars.sh resolves, non-root', () => {
  const { args, final } = checkDockerfile('spark/Dockerfile');
  const req = read('spark/requirements.txt');
  const pyspark = /^pyspark==(\S+)$/m.exec(req)?.[1];
  const delta = /^delta-spark==(\S+)$/m.exec(req)?.[1];
  assert.ok(pyspark && delta, 'spark/requirements.txt pins pyspark and delta-spark');
  assert.match(final.from, new RegExp(`^apache/spark:${pyspark.replace(/\./g, '\\.')}-(scala2\\.13-)?java17-python3`), `runtime is apache/spark ${pyspark}, Java 17, Python 3`);
  assert.equal(args.get('SPARK_VERSION'), pyspark, 'ARG SPARK_VERSION = pyspark');
  assert.equal(args.get('DELTA_VERSION'), delta, 'ARG DELTA_VERSION = delta-spark');
  assert.ok(final.lines.some((l) => l.includes('delta-spark==${DELTA_VERSION}')), 'pip installs the pinned delta-spark');
  assert.ok(final.lines.some((l) => /^COPY\s+spark\/\*\.py\s/.test(l)), 'copies spark/*.py');
  assert.ok(final.lines.some((l) => /^COPY --from=jars .*\/opt\/spark\/jars\/?$/.test(l)), 'bakes the jars onto Spark\'s classpath');
  const code = read('spark/Dockerfile').split('\n').filter((l) => !l.trim().startsWith('#')).join('\n');
  assert.ok(!code.includes('--packages'), 'no --packages at run time');
  // the same jars spark/fetch-jars.sh resolved for the installed pyspark (after scripts/setup.sh)
  const jarsDir = process.env.PAGEFLEET_SPARK_JARS ?? join(REPO, '.tools/spark-jars');
  if (existsSync(jarsDir)) {
    const jars = readdirSync(jarsDir).filter((f) => f.endsWith('.jar')).sort();
    const want = [
      `bundle-${args.get('AWS_SDK_VERSION')}.jar`,
      `delta-spark_${args.get('SCALA_BINARY')}-${args.get('DELTA_VERSION')}.jar`,
      `delta-storage-${args.get('DELTA_VERSION')}.jar`,
      `hadoop-aws-${args.get('HADOOP_VERSION')}.jar`,
    ];
    assert.deepEqual(jars, want, `spark/Dockerfile's ARGs must name the jars spark/fetch-jars.sh fetched into ${jarsDir}`);
  }
});
