/**
 * Flags of the bench commands. Bad input is one line `<program>: <flag>: expected …` on stderr and exit 2
 * (the project's convention), before anything is started or written.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** `parseArgs` (strict, no positionals) that turns an unknown or malformed flag into that one line. */
export function parseFlags<O extends NonNullable<ParseArgsConfig['options']>>(program: string, options: O) {
  try {
    return parseArgs({ options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    return badInput(program, 'flags', `known flags (${Object.keys(options).map((k) => `--${k}`).join(', ')}); ${(err as Error).message.replace(/\s+/g, ' ')}`);
  }
}

/** An integer >= 1, or the one-line error. */
export function positiveInt(program: string, flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 1) return badInput(program, `--${flag}`, `an integer >= 1, got ${value}`);
  return n;
}

function badInput(program: string, field: string, expected: string): never {
  process.stderr.write(`${program}: ${field}: expected ${expected}\n`);
  process.exit(2);
}
