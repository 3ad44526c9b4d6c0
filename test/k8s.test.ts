import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { resolveIdentity } from '../src/job/identity.js';
import { specFromObject } from '../src/spec/load.js';
import { readBack, REPO, run, pagefleet, startMockApi, tempDir } from './harness.js';
import { createBucket, s3Env, startMotoServer, type MotoServer } from './s3-server.js';

/**
 * deploy/k8s/: the Indexed Job's executor-identity contract, checked on the manifests themselves, then
 * proven by running the real CLI once per index with exactly the environment the manifest gives a pod
 * (JOB_COMPLETION_INDEX added as Kubernetes does, Secret values and the S3 endpoint swapped for test ones),
 * against the demo API and moto: `status` must find the run complete and every record exactly once.
 */
const K8S = join(REPO, 'deploy/k8s');
const load = async (name: string) => parseAllDocuments(await readFile(join(K8S, name), 'utf8')).map((d) => d.toJS());

type EnvVar = {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string }; [k: string]: unknown };
};

let job: any;
let container: any;
let configMap: any;
let secret: any;

before(async () => {
  [job] = await load('job.yaml');
  [configMap] = await load('configmap.yaml');
  [secret] = await load('secret.example.yaml');
  container = job.spec.template.spec.containers[0];
});

/** The env of pod k as Kubernetes would build it; secret values come from `secrets` ("name/key" → value). */
function podEnv(k: number, secrets: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const v of container.env as EnvVar[]) {
    if (v.value !== undefined) env[v.name] = v.value;
    else if (v.valueFrom?.secretKeyRef) env[v.name] = secrets[`${v.valueFrom.secretKeyRef.name}/${v.valueFrom.secretKeyRef.key}`];
    else if (v.valueFrom?.fieldRef?.fieldPath === "metadata.labels['batch.kubernetes.io/job-name']") env[v.name] = job.metadata.name;
    else assert.fail(`env ${v.name}: a source this test cannot resolve: ${JSON.stringify(v.valueFrom)}`);
  }
  env.JOB_COMPLETION_INDEX = String(k); // injected by the Job controller into every pod of an Indexed Job
  return env;
}

test('the Job is Indexed and its N is given to every pod', () => {
  const s = job.spec;
  assert.equal(job.apiVersion, 'batch/v1');
  assert.equal(job.kind, 'Job');
  assert.equal(s.completionMode, 'Indexed');
  const env = Object.fromEntries((container.env as EnvVar[]).map((v) => [v.name, v]));
  const n = Number(env.PAGEFLEET_EXECUTORS?.value);
  assert.ok(Number.isInteger(n) && n >= 1, 'PAGEFLEET_EXECUTORS is a literal integer');
  assert.equal(s.completions, n, 'completions == PAGEFLEET_EXECUTORS');
  assert.equal(s.parallelism, n, 'parallelism == PAGEFLEET_EXECUTORS: all executors run at once');
  assert.equal(env.PAGEFLEET_EXECUTOR_INDEX, undefined, 'the index comes from JOB_COMPLETION_INDEX, never set by hand');
  assert.equal(env.JOB_COMPLETION_INDEX, undefined, 'JOB_COMPLETION_INDEX is left to Kubernetes');
  assert.ok(Number.isInteger(s.backoffLimitPerIndex) && s.backoffLimitPerIndex >= 1, 'backoffLimitPerIndex retries one index');
  assert.equal(s.template.spec.restartPolicy, 'Never', 'backoffLimitPerIndex needs restartPolicy Never');
  assert.equal(s.podReplacementPolicy, 'Failed', 'two pods of one index never run at once');
  const failJob = s.podFailurePolicy.rules.find((r: any) => r.action === 'FailJob');
  assert.deepEqual(failJob.onExitCodes.values, [2], 'bad input (exit 2) fails the Job instead of retrying');
  assert.equal(failJob.onExitCodes.containerName, container.name);

  // the run id must be one value for the whole Job: a literal, or a Job-wide label, never the pod's name or uid
  const runId = env.PAGEFLEET_RUN_ID;
  assert.ok(runId, 'PAGEFLEET_RUN_ID is set');
  assert.ok(
    runId.value !== undefined || runId.valueFrom?.fieldRef?.fieldPath === "metadata.labels['batch.kubernetes.io/job-name']",
    `PAGEFLEET_RUN_ID must be the same in every pod, got ${JSON.stringify(runId)}`,
  );
});

test('the pod runs `pagefleet ingest` on the ConfigMap spec, as non-root with resources', () => {
  const pod = job.spec.template.spec;
  assert.equal(container.command, undefined, 'the image ENTRYPOINT (pagefleet) is used');
  assert.equal(container.args[0], 'ingest');
  const specPath: string = container.args[1];
  const mount = container.volumeMounts.find((m: any) => specPath.startsWith(m.mountPath + '/'));
  assert.ok(mount, `${specPath} is on a mounted volume`);
  const volume = pod.volumes.find((v: any) => v.name === mount.name);
  assert.equal(volume.configMap?.name, configMap.metadata.name, 'the spec comes from the ConfigMap');
  assert.ok(configMap.data[specPath.slice(mount.mountPath.length + 1)], 'the ConfigMap has the file args name');
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.ok(pod.securityContext.runAsUser > 0);
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  for (const k of ['cpu', 'memory']) {
    assert.ok(container.resources.requests[k], `requests.${k}`);
    assert.ok(container.resources.limits[k], `limits.${k}`);
  }
});

test('credentials come from the Secret: no literal credential in the env or the spec', () => {
  const env = container.env as EnvVar[];
  const secretKeys = new Set(Object.keys(secret.stringData ?? secret.data).map((k) => `${secret.metadata.name}/${k}`));
  for (const v of env) {
    if (/TOKEN|SECRET|PASSWORD|ACCESS_KEY|API_KEY/i.test(v.name)) {
      assert.equal(v.value, undefined, `${v.name} is not a literal`);
      const ref = v.valueFrom?.secretKeyRef;
      assert.ok(ref, `${v.name} comes from a secretKeyRef`);
      assert.ok(secretKeys.has(`${ref.name}/${ref.key}`), `${v.name}: ${ref.name}/${ref.key} is in secret.example.yaml`);
    }
    for (const secretValue of Object.values<string>(secret.stringData)) {
      assert.ok(!(v.value ?? '').includes(secretValue), `${v.name} holds no secret value`);
    }
  }
  const specText: string = configMap.data['job.yaml'];
  const tokenVars = [...specText.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
  assert.ok(tokenVars.length > 0, 'the spec takes its token from ${VAR}');
  for (const name of tokenVars) {
    assert.ok(env.find((v) => v.name === name)?.valueFrom?.secretKeyRef, `\${${name}} is filled from a Secret`);
  }
  assert.doesNotMatch(specText, /Bearer [A-Za-z0-9._-]{8,}/, 'no literal bearer token in the ConfigMap');
});

test('the ConfigMap holds a valid pagefleet spec', () => {
  const spec = specFromObject(parse(configMap.data['job.yaml']), {}, { API_TOKEN: 'k8s-test-token' });
  assert.equal(spec.pagination.style, 'page');
  assert.match(spec.output.root, /^s3:\/\//, 'pods share nothing but the landing zone: an S3 root');
  assert.ok(spec.secrets.includes('k8s-test-token'), 'the token is a secret (redacted everywhere)');
});

test('resolveIdentity with each pod env yields {index: k, count: N}', () => {
  const n = job.spec.completions;
  const seen = new Set<number>();
  for (let k = 0; k < n; k++) {
    const env = podEnv(k, {});
    // commander merges PAGEFLEET_EXECUTORS / PAGEFLEET_EXECUTOR_INDEX into the flags
    const id = resolveIdentity({ executors: env.PAGEFLEET_EXECUTORS, executorIndex: env.PAGEFLEET_EXECUTOR_INDEX }, env);
    assert.deepEqual(id, { index: k, count: n });
    seen.add(id.index!);
  }
  assert.equal(seen.size, n, 'every index 0..N-1 exactly once');
});

test('metrics: the port the pod serves is the one it exposes and the annotations name, on the pod address', () => {
  const env = Object.fromEntries((container.env as EnvVar[]).map((v) => [v.name, v.value]));
  const port = container.ports?.find((p: { name: string }) => p.name === 'metrics')?.containerPort;
  assert.equal(String(port), env.PAGEFLEET_METRICS_PORT, 'containerPort "metrics" = PAGEFLEET_METRICS_PORT');
  assert.equal(env.PAGEFLEET_METRICS_HOST, '0.0.0.0', 'bound to the pod address, not loopback');
  const annotations = job.spec.template.metadata.annotations ?? {};
  assert.equal(annotations['prometheus.io/scrape'], 'true');
  assert.equal(annotations['prometheus.io/port'], env.PAGEFLEET_METRICS_PORT);
  assert.equal(annotations['prometheus.io/path'], '/metrics');
  assert.ok(env.PAGEFLEET_METRICS_LINGER, 'the final values are kept up for a last scrape');
});

describeRun();

/** The real CLI, once per index, each with its pod env: the manifest's env drives a complete run. */
function describeRun() {
  const SIZE = 3_000;
  const PER_PAGE = 20;
  const TOKEN = 'k8s-test-token-4f1d';
  let api: Awaited<ReturnType<typeof startMockApi>>;
  let moto: MotoServer;
  before(async () => {
    moto = await startMotoServer();
    api = await startMockApi(['--size', String(SIZE), '--per-page', String(PER_PAGE), '--seed', '11', '--latency', '2', '--require-token', TOKEN]);
  });
  after(async () => {
    await api?.stop();
    await moto?.stop();
  });

  test('N pods with the manifest env land the whole catalogue exactly once', { timeout: 120_000 }, async () => {
    const n: number = job.spec.completions;
    const dir = await tempDir('pf-k8s-');
    // the ConfigMap, mounted: only the API origin is swapped for the demo API's
    const specText = (configMap.data['job.yaml'] as string).replace(/https:\/\/[^/\s"]+/, api.url);
    const mountPath: string = container.volumeMounts.find((m: any) => m.name === 'job-spec').mountPath;
    const mounted = join(dir, mountPath);
    await mkdir(mounted, { recursive: true });
    for (const [file, text] of Object.entries<string>(configMap.data)) await writeFile(join(mounted, file), file === 'job.yaml' ? specText : text);
    const args = (container.args as string[]).map((a) => (a.startsWith(mountPath + '/') ? join(dir, a) : a));

    const root = specFromObject(parse(specText), {}, { API_TOKEN: TOKEN }).output.root;
    await createBucket(moto.endpoint, root.slice('s3://'.length).split('/')[0]);
    const secrets = {
      'pagefleet-secrets/api-token': TOKEN,
      'pagefleet-secrets/aws-access-key-id': 'test',
      'pagefleet-secrets/aws-secret-access-key': 'test',
    };
    // the endpoint is the only AWS setting swapped: the pod's region and Secret-sourced keys are used as given
    // pods have a network namespace each, processes on one host do not: any free loopback port, no linger
    const metrics = { PAGEFLEET_METRICS_PORT: '0', PAGEFLEET_METRICS_HOST: '127.0.0.1', PAGEFLEET_METRICS_LINGER: '0s' };
    const envOf = (k: number) => ({ ...cleanEnv(), ...podEnv(k, secrets), AWS_ENDPOINT_URL_S3: moto.endpoint, ...metrics });

    const started = Date.now();
    const pods = Array.from({ length: n }, (_, k) => pagefleet(args, envOf(k)));
    const results = await Promise.all(pods.map((p) => p.done));
    results.forEach((r, k) => assert.equal(r.code, 0, `pod ${k}: ${r.stderr}`));
    const finished = results.map((r) => JSON.parse(r.stderr.trim().split('\n').filter((l) => l.includes('"executor_finished"')).pop()!));
    assert.deepEqual(finished.map((f) => f.executor).sort(), Array.from({ length: n }, (_, k) => k), 'each pod ran its own index');
    assert.ok(results.every((r) => !r.stderr.includes(TOKEN)), 'the token never appears in the logs');
    assert.ok(results.every((r) => r.stderr.includes('"event":"metrics_serving"')), 'each pod served its metrics');
    process.stderr.write(`# k8s: ${n} pods, ${SIZE / PER_PAGE} pages in ${Date.now() - started} ms\n`);

    const runId = job.metadata.name;
    const st = await run(['status', args[1], '--run-id', runId, '--json'], envOf(0));
    assert.equal(st.code, 0, st.stdout + st.stderr);
    const status = JSON.parse(st.stdout);
    assert.equal(status.complete, true);
    assert.equal(status.executors.length, n);
    assert.equal(status.totals.landed, SIZE / PER_PAGE);
    assert.equal(status.records, SIZE);
    for (const format of ['parquet', 'ndjson'] as const) {
      const data = readBack(root, 'tmdb_popular', format, s3Env(moto.endpoint));
      assert.equal(data.count, SIZE, `${format}: every record`);
      assert.equal(data.distinct, SIZE, `${format}: no record twice`);
    }
  });
}

/** The test process's env without pagefleet or AWS settings that would leak into the pods. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).map(([k, v]) => [k, /^(PAGEFLEET_|AWS_|JOB_COMPLETION_INDEX)/.test(k) ? undefined : v]));
}
