/**
 * Cursors and next links are stored in commit records so a chain can resume, but a server may echo a
 * secret (an api_key query param) into them. `seal` swaps each secret (raw or URL-encoded) for a
 * placeholder naming its position in the spec's secret list; `unseal` puts the values back from the
 * current environment.
 */
export function seal(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, s, i) => {
    if (!s) return t;
    const raw = t.split(s).join(`{{pf-secret-${i}}}`);
    const encoded = encodeURIComponent(s);
    return encoded === s ? raw : raw.split(encoded).join(`{{pf-secret-${i}-url}}`);
  }, text);
}

export function unseal(text: string, secrets: readonly string[]): string {
  return text.replace(/\{\{pf-secret-(\d+)(-url)?\}\}/g, (m, i: string, url?: string) => {
    const s = secrets[Number(i)];
    if (s === undefined) return m;
    return url ? encodeURIComponent(s) : s;
  });
}
