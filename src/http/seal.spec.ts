import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seal, unseal } from './seal.js';
import { SECRET_ENCODERS, secretForms } from './secret-forms.js';

/** Seeded PRNG (mulberry32), so a failing case can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIALS = ['~', '(', ')', '!', "'", ' ', '/', '+', '%', '"', '\\', 'ä', '€', '😀'];
const PLAIN = 'abcXYZ019-_.';
const FILLER = ['https://api.test/x?', 'cursor=', '&', 'page=2', '/', ':', '.', 'abc', '{"next":"', '"}', ' '];

const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)];

/** 2..12 characters with at least one special character (else the value is an ordinary word). */
function randomSecret(r: () => number): string {
  const chars = Array.from({ length: 1 + Math.floor(r() * 11) }, () => (r() < 0.5 ? pick(r, SPECIALS) : pick(r, [...PLAIN])));
  chars.splice(Math.floor(r() * (chars.length + 1)), 0, pick(r, SPECIALS));
  return chars.join('');
}

/** A text of filler and named spellings of the secret; `spell` turns a form name into text. */
function randomText(r: () => number, names: string[], spell: (name: string) => string): string {
  return Array.from({ length: 2 + Math.floor(r() * 8) }, () => (r() < 0.4 ? spell(pick(r, names)) : pick(r, FILLER))).join('');
}

describe('seal / unseal', () => {
  it('property: a sealed text holds no spelling of the secret and unseals to the original', () => {
    const r = prng(20240601);
    for (let n = 0; n < 400; n++) {
      const secret = randomSecret(r);
      const forms = secretForms(secret);
      const text = randomText(r, forms.map((f) => f.name), (name) => SECRET_ENCODERS.get(name)!(secret));
      const sealed = seal(text, [secret]);
      for (const f of forms) assert.ok(!sealed.includes(f.text), `case ${n}: ${JSON.stringify(secret)} as ${f.name} in ${sealed}`);
      assert.equal(unseal(sealed, [secret]), text, `case ${n}: ${JSON.stringify(secret)}`);
    }
  });

  it('property: unseal spells a rotated secret the way the old one was spelled', () => {
    const r = prng(7);
    for (let n = 0; n < 200; n++) {
      const [a, b] = [randomSecret(r), randomSecret(r)];
      const names = secretForms(a).map((f) => f.name);
      const seed = Math.floor(r() * 1e9);
      const as = (v: string) => randomText(prng(seed), names, (name) => SECRET_ENCODERS.get(name)!(v));
      assert.equal(unseal(seal(as(a), [a]), [b]), as(b), `case ${n}: ${JSON.stringify(a)} -> ${JSON.stringify(b)}`);
    }
  });

  it('a next URL keeps a placeholder and resumes with the current value, set the URLSearchParams way', () => {
    const url = (key: string) => {
      const u = new URL('https://api.test/x?cursor=abc');
      u.searchParams.set('api_key', key);
      return u.toString();
    };
    const sealed = seal(url('plainkey123'), ['plainkey123']);
    assert.equal(sealed, 'https://api.test/x?cursor=abc&api_key={{pf-secret-0-form-upper-plus}}');
    assert.equal(unseal(sealed, [`p@ss w0rd/+=`]), url(`p@ss w0rd/+=`));
  });

  it('several secrets: the longest spelling wins, a short secret never breaks a placeholder', () => {
    const secrets = ['e', 'k3y/with+chars'];
    const text = `https://api.test/x?api_key=${encodeURIComponent(secrets[1])}&e=1`;
    const sealed = seal(text, secrets);
    assert.ok(!sealed.includes(encodeURIComponent(secrets[1])));
    assert.equal(unseal(sealed, secrets), text);
  });

  it('unseal leaves placeholders of unknown secrets or forms alone and reads older placeholders', () => {
    assert.equal(unseal('a{{pf-secret-3-raw}}b{{pf-secret-0-nope}}', ['x']), 'a{{pf-secret-3-raw}}b{{pf-secret-0-nope}}');
    assert.equal(unseal('{{pf-secret-0}}&k={{pf-secret-0-url}}', ['a b']), 'a b&k=a%20b');
    assert.equal(seal('nothing secret', ['', 'zz']), 'nothing secret');
  });
});
