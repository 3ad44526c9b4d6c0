import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeRedactor, registerSecrets } from './active-redactor.js';

test('the active redactor masks every secret registered in this process', () => {
  assert.equal(activeRedactor().redact('/x?api_key=k&a=plain'), '/x?api_key=***&a=plain', 'secret-looking params without any spec');
  registerSecrets(['first-secret', '']);
  registerSecrets(['second secret']);
  const r = activeRedactor();
  assert.equal(r.redact('first-secret, second%20secret, second+secret'), '***, ***, ***');
});
