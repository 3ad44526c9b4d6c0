import { alternation } from './redact.js';
import { SECRET_ENCODERS, secretForms } from './secret-forms.js';

/** `{{pf-secret-<index in spec.secrets>-<form name>}}`; older runs wrote no name (raw) or `url`. */
const PLACEHOLDER = /\{\{pf-secret-(\d+)(?:-([a-z0-9.-]+))?\}\}/g;
const LEGACY_NAMES: Record<string, string> = { '': 'raw', url: 'component-upper-p20' };

/**
 * Cursors and next links are stored in commit records so a chain can resume, but a server may echo a
 * secret (an api_key query param) into them, spelled any way. `seal` swaps each spelling of each secret
 * for a placeholder naming the secret's position in the spec's secret list and the spelling's encoder;
 * `unseal` applies that encoder to the value the environment holds NOW, so a rotated secret is used on
 * resume. One pass over the text, longest spelling first: placeholders are never sealed again.
 */
export function seal(text: string, secrets: readonly string[]): string {
  const byText = new Map<string, string>();
  secrets.forEach((s, i) => {
    if (!s) return;
    for (const f of secretForms(s)) if (!byText.has(f.text)) byText.set(f.text, `{{pf-secret-${i}-${f.name}}}`);
  });
  const any = alternation(byText.keys());
  return any ? text.replace(any, (m) => byText.get(m)!) : text;
}

/** Puts the current secrets back, each spelled as its placeholder says. Unknown placeholders stay. */
export function unseal(text: string, secrets: readonly string[]): string {
  return text.replace(PLACEHOLDER, (m, i: string, name = '') => {
    const value = secrets[Number(i)];
    const encode = SECRET_ENCODERS.get(Object.hasOwn(LEGACY_NAMES, name) ? LEGACY_NAMES[name] : name);
    return value && encode ? encode(value) : m;
  });
}
