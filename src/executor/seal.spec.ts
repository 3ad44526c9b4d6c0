import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seal, unseal } from './seal.js';

test('seal hides secrets (plain and URL-encoded) and unseal restores them', () => {
  const secrets = ['k3y/with+chars', 'other'];
  const url = `https://api.test/x?api_key=${encodeURIComponent(secrets[0])}&cursor=abc&t=other`;
  const sealed = seal(url, secrets);
  assert.ok(!sealed.includes('other') && !sealed.includes(encodeURIComponent(secrets[0])));
  assert.equal(unseal(sealed, secrets), url);
});
