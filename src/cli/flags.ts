import { Option, type Command } from 'commander';
import type { SpecOverrides } from '../spec/load.js';

/** Flags that override the spec; each also reads PAGEFLEET_<NAME> (flag wins over env, env over spec). */
const OVERRIDES: [flag: string, key: keyof SpecOverrides, help: string][] = [
  ['--root <path>', 'root', 'landing zone root (output.root): a folder or s3://bucket/prefix'],
  ['--formats <list>', 'formats', 'comma-separated formats (output.formats): parquet,ndjson'],
  ['--rate <n>', 'rate', 'requests/s for the whole job (limits.rate)'],
  ['--concurrency <n>', 'concurrency', 'in-flight requests per executor (limits.concurrency)'],
  ['--retries <n>', 'retries', 'retries per page (limits.retries)'],
  ['--timeout <duration>', 'timeout', 'headers and body timeout (limits.timeout), e.g. 30s'],
  ['--file-target <size>', 'fileTarget', 'target data file size (output.file_target), e.g. 64MiB'],
  ['--max-file-age <duration>', 'maxFileAge', 'cut a file when its first page is this old (output.max_file_age), e.g. 60s'],
  ['--end <n>', 'end', 'last page (page style) or end offset (offset style)'],
  ['--from <date>', 'from', "first day of the slices' window (slices.from), YYYY-MM-DD or last; not a secret"],
  ['--to <date>', 'to', "last day of the slices' window (slices.to), YYYY-MM-DD; not a secret"],
];

export function envName(flag: string): string {
  return 'PAGEFLEET_' + flag.replace(/^--/, '').split(' ')[0].replace(/-/g, '_').toUpperCase();
}

export function withSpecOverrides(cmd: Command): Command {
  for (const [flag, , help] of OVERRIDES) cmd.addOption(new Option(flag, help).env(envName(flag)));
  return cmd;
}

export function withIdentity(cmd: Command): Command {
  return cmd
    .addOption(new Option('--run-id <id>', 'run id; an existing one resumes that run').env('PAGEFLEET_RUN_ID'))
    .addOption(new Option('--executors <n>', 'number of executors N').env('PAGEFLEET_EXECUTORS'))
    .addOption(new Option('--executor-index <i>', 'run only executor i of N (0-based)').env('PAGEFLEET_EXECUTOR_INDEX'));
}

export function withOutput(cmd: Command): Command {
  return cmd
    .addOption(new Option('--log-format <format>', 'text or json (JSON lines on stderr)').choices(['text', 'json']).default('text').env('PAGEFLEET_LOG_FORMAT'))
    .addOption(new Option('--json', 'print the final summary as JSON on stdout').env('PAGEFLEET_JSON'));
}

export function overridesFrom(opts: Record<string, unknown>): SpecOverrides {
  const out: SpecOverrides = {};
  for (const [, key] of OVERRIDES) if (typeof opts[key] === 'string') out[key] = opts[key] as string;
  return out;
}

/** The same overrides as command-line flags, to hand to child executors. */
export function overridesAsArgs(o: SpecOverrides): string[] {
  return OVERRIDES.flatMap(([flag, key]) => (o[key] === undefined ? [] : [flag.split(' ')[0], o[key]!]));
}
