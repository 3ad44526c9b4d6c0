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
 * A single-line, redacted, truncated description of an error and its `cause` chain, for logs, the ledger
 * and summaries. Redaction runs before truncation so a secret is never cut into an unrecognisable prefix.
 */
export function oneLine(err: unknown, redact: (text: string) => string = (t) => t, max = DEFAULT_ONE_LINE_MAX): string {
  const parts: string[] = [];
  for (const e of causeChain(err)) {
    const d = describe(e);
    if (d && !parts.some((p) => p.includes(d))) parts.push(d);
  }
  const joined = parts.join(' (cause: ') + ')'.repeat(Math.max(0, parts.length - 1));
  const flat = redact(redact(joined).replace(/\s+/g, ' ').trim());
  if (flat.length <= max) return flat;
  return max <= 1 ? flat.slice(0, max) : `${flat.slice(0, max - 1)}…`;
}
