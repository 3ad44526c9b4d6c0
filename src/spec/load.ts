import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';
import { registerSecrets } from '../http/active-redactor.js';
import { configErrorOf } from './config-error.js';
import { specFingerprint } from './fingerprint.js';
import { interpolate } from './interpolate.js';
import { normalize } from './normalize.js';
import { rawSpecSchema } from './schema.js';
import type { JobSpec } from './types.js';

const STYLES = ['page', 'offset', 'cursor', 'link'];

/** Values from flags or PAGEFLEET_* env that override the spec (commander resolves flag > env). */
export interface SpecOverrides {
  root?: string;
  formats?: string;
  rate?: string;
  concurrency?: string;
  retries?: string;
  timeout?: string;
  fileTarget?: string;
  maxFileAge?: string;
  from?: string;
  to?: string;
  end?: string;
}

/** Reads, interpolates, validates and normalizes a job spec file. Throws ConfigError (exit 2). */
export async function loadSpec(
  file: string,
  overrides: SpecOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<JobSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError('JOB', `cannot read spec file ${file} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (err) {
    const first = String((err as Error).message).split('\n')[0];
    throw new ConfigError('JOB', `expected a YAML or JSON job spec (${first})`);
  }
  return specFromObject(parsed, overrides, env);
}

export function specFromObject(
  parsed: unknown,
  overrides: SpecOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): JobSpec {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('JOB', 'expected a mapping with dataset, source, pagination');
  }
  const credentialHeaders = headersWithVariables(parsed);
  const asWritten = applyOverrides(parsed as Record<string, any>, overrides);
  if (asWritten.slices && JSON.stringify(asWritten.slices).match(/\$\{(?!env:)/)) {
    // slice values name windows and chains in plan.json, the ledger and file paths: they cannot be secrets
    throw new ConfigError('slices', 'a ${VAR} is a secret and slice values are written to the plan and the ledger; use ${env:VAR} for a value from the environment that is not secret');
  }
  const { value, secrets } = interpolate(asWritten, env);
  registerSecrets(secrets);
  checkPaginationStyle((value as Record<string, unknown>).pagination);
  const result = rawSpecSchema.safeParse(value);
  if (!result.success) throw configErrorOf(result.error.issues[0], value, secrets);
  // the fingerprint sees flags (they change the page space too) but not the secrets behind ${VAR}
  return { ...normalize(result.data, [...secrets], credentialHeaders), fingerprint: specFingerprint(result.data, asWritten) };
}

function checkPaginationStyle(p: unknown): void {
  if (p === undefined) throw new ConfigError('pagination', 'required field is missing');
  const keys = p && typeof p === 'object' ? Object.keys(p) : [];
  if (keys.length !== 1 || !STYLES.includes(keys[0])) {
    const got = keys.length ? keys.join(', ') : JSON.stringify(p);
    throw new ConfigError('pagination', `expected exactly one style of ${STYLES.join(', ')} (got ${got})`);
  }
}

function headersWithVariables(parsed: any): string[] {
  const headers = parsed?.source?.headers;
  if (!headers || typeof headers !== 'object') return [];
  return Object.entries(headers)
    .filter(([, v]) => typeof v === 'string' && v.includes('${'))
    .map(([k]) => k);
}

/** Flags and env win over the spec. Numbers arrive as strings and are converted here. */
function applyOverrides(spec: Record<string, any>, o: SpecOverrides): Record<string, any> {
  const out = structuredClone(spec);
  const set = (section: string, key: string, v: unknown) => {
    if (v === undefined) return;
    out[section] = { ...(out[section] ?? {}), [key]: v };
  };
  set('output', 'root', o.root);
  set('output', 'formats', o.formats?.split(',').map((f) => f.trim()));
  set('output', 'file_target', o.fileTarget);
  set('output', 'max_file_age', o.maxFileAge);
  set('limits', 'rate', numberFlag('--rate', o.rate));
  set('limits', 'concurrency', numberFlag('--concurrency', o.concurrency));
  set('limits', 'retries', numberFlag('--retries', o.retries));
  set('limits', 'timeout', o.timeout);
  for (const [flag, key, v] of [['--from', 'from', o.from], ['--to', 'to', o.to]] as const) {
    if (v === undefined) continue;
    if (!out.slices || typeof out.slices !== 'object') throw new ConfigError(flag, 'the spec has no slices (a date window) to set');
    out.slices = { ...out.slices, [key]: v };
    // a date given for from replaces `last`, and the lookback that belongs to it
    if (key === 'from' && v !== 'last') delete (out.slices as Record<string, unknown>).lookback;
  }
  const end = numberFlag('--end', o.end);
  if (end !== undefined) {
    const style = out.pagination && Object.keys(out.pagination)[0];
    if (style !== 'page' && style !== 'offset') throw new ConfigError('--end', 'applies to page or offset pagination only');
    out.pagination = { [style]: { ...out.pagination[style], end } };
  }
  return out;
}

function numberFlag(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new ConfigError(flag, `expected a number, got "${v}"`);
  return n;
}
