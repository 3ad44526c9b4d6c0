import { Option, type Command } from 'commander';
import { ConfigError } from '../errors.js';
import { ADDED_PER_DAY, LAST_YEAR } from '../mock/constants.js';
import { MOCK_DEFAULTS, startMockApi, type MockApiOptions } from '../mock/server.js';

/** Flag → MockApiOptions key; numbers are parsed here, ranges are checked by the mock itself. */
const NUMERIC: [flag: string, key: keyof MockApiOptions, help: string][] = [
  ['--port <n>', 'port', 'port (0 = any free port)'],
  ['--size <n>', 'size', 'catalogue size in records'],
  ['--per-page <n>', 'perPage', 'records per page'],
  ['--seed <n>', 'seed', 'seed of the catalogue and of every fault'],
  ['--latency <ms>', 'latencyMs', 'latency added to every response'],
  ['--latency-jitter <ms>', 'latencyJitterMs', 'up to this much more latency'],
  ['--error-rate <f>', 'errorRate', 'fraction of 500/502/503 answers'],
  ['--rate-limit <n>', 'rateLimit', 'requests/s before 429 + Retry-After (0 = off)'],
  ['--reset-rate <f>', 'resetRate', 'fraction of connections reset'],
  ['--truncate-rate <f>', 'truncateRate', 'fraction of truncated bodies'],
  ['--html-rate <f>', 'htmlRate', 'fraction of HTML 200 error pages'],
  ['--slow-body <ms>', 'slowBodyMs', 'pause between the two halves of each body'],
  ['--drift-after-page <n>', 'driftAfterPage', 'later pages change vote_count to a string and add tagline'],
  ['--insert-every <n>', 'insertEvery', 'insert a record at the head every n requests'],
  ['--max-pages <n>', 'maxPages', 'page cap of /3/discover/movie and /discover/offset (default 500, as on TMDB)'],
  ['--base-size <n>', 'baseSize', 'records with id > n are added ones, released after --added-after (0 = off)'],
];

export function mockApiCommand(program: Command): void {
  const cmd = program.command('mock-api').description('serve the bundled demo API (a TMDB-shaped catalogue) with fault knobs');
  cmd.addOption(new Option('--host <host>', 'address to bind').default('127.0.0.1'));
  for (const [flag, , help] of NUMERIC) cmd.addOption(new Option(flag, help));
  cmd
    .option('--retry-after-date', 'send Retry-After as an HTTP date')
    .option('--require-token <token>', 'answer 401 unless Authorization: Bearer <token>')
    .option('--require-param <name=value>', 'answer 401 unless the query parameter name has this value')
    .option('--echo-param <name>', "copy the request's value of this query parameter into every record as field echo")
    .option('--cross-origin-next <url>', 'link-style next URLs point at this other origin')
    .option(
      '--added-after <YYYY-MM-DD>',
      `with --base-size: added records are released from the next day on, in id order, ${ADDED_PER_DAY} a day ` +
        `(default ${MOCK_DEFAULTS.addedAfter}; no base record is released after ${LAST_YEAR}-12-28)`,
    )
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const options: Partial<MockApiOptions> = {
        host: opts.host as string,
        retryAfterDate: Boolean(opts.retryAfterDate),
        requireToken: opts.requireToken as string | undefined,
        crossOriginNext: opts.crossOriginNext as string | undefined,
        requireParam: opts.requireParam === undefined ? undefined : nameValue('--require-param', String(opts.requireParam)),
        echoParam: opts.echoParam as string | undefined,
        addedAfter: opts.addedAfter as string | undefined,
      };
      for (const [flag, key] of NUMERIC) {
        const raw = opts[camel(flag)];
        if (raw === undefined) continue;
        const n = Number(raw);
        if (!Number.isFinite(n)) throw new ConfigError(flag.split(' ')[0], `expected a number, got "${raw}"`);
        (options as Record<string, unknown>)[key] = n;
      }
      const api = await startMockApi(options);
      process.stdout.write(JSON.stringify({ url: api.url }) + '\n');
      const stop = async () => {
        await api.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

function nameValue(flag: string, raw: string): { name: string; value: string } {
  const eq = raw.indexOf('=');
  if (eq < 1) throw new ConfigError(flag, 'expected name=value'); // never quoted: the value may be a secret
  return { name: raw.slice(0, eq), value: raw.slice(eq + 1) };
}

function camel(flag: string): string {
  return flag.replace(/^--/, '').split(' ')[0].replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
