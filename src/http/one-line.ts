import { DEFAULT_ONE_LINE_MAX } from './constants.js';
import { causeChain } from './classify.js';

function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    const prefix = typeof code === 'string' && code && !e.message.includes(code) ? `${code}: ` : '';
    return `${prefix}${e.message || e.name}`;
  }
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e) ?? String(e);
  } catch {
    return String(e);
  }
}

/**
 * What an error says, with its `cause` chain, as raised: neither redacted, folded nor cut. For a writer
 * that redacts at its edge (src/ledger/writer.ts): only whole text can be redacted, so nothing may fold or
 * cut it before.
 */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  for (const e of causeChain(err)) {
    const d = describe(e);
    if (d && !parts.some((p) => p.includes(d))) parts.push(d);
  }
  return parts.join(' (cause: ') + ')'.repeat(Math.max(0, parts.length - 1));
}

/**
 * A single-line, redacted, truncated description of an error and its `cause` chain, for logs, the ledger
 * and summaries. Redaction runs before truncation so a secret is never cut into an unrecognisable prefix.
 * It runs twice, and both are needed: before whitespace is folded (a secret holding a tab or a newline
 * would not be recognised after), and after (folding can make a `Bearer …` or `?token=…` out of lines).
 */
export function oneLine(err: unknown, redact: (text: string) => string = (t) => t, max = DEFAULT_ONE_LINE_MAX): string {
  const flat = redact(redact(describeError(err)).replace(/\s+/g, ' ').trim());
  if (flat.length <= max) return flat;
  return max <= 1 ? flat.slice(0, max) : `${flat.slice(0, max - 1)}…`;
}
