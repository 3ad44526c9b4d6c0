/**
 * Cursors and next links are stored in commit records so a chain can resume, but a server may echo a
 * secret (an api_key query param) into them. `seal` swaps each secret for a placeholder naming its
 * position in the spec's secret list; `unseal` puts the values back from the current environment.
 */
export function seal(text: string, secrets: readonly string[]): string {
  return secrets.reduce(
    (t, s, i) => (s ? t.split(s).join(`{{pf-secret-${i}}}`).split(encodeURIComponent(s)).join(`{{pf-secret-${i}}}`) : t),
    text,
  );
}

export function unseal(text: string, secrets: readonly string[]): string {
  return text.replace(/\{\{pf-secret-(\d+)\}\}/g, (m, i: string) => secrets[Number(i)] ?? m);
}
