import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FsStore } from '../src/landing/fs-store.js';
import { tempDir } from './harness.js';
import { storeConformance } from './store-conformance.js';

storeConformance('local folder', async () => {
  const dir = await tempDir('pf-store-fs-');
  const root = join(dir, 'landing');
  await writeFile(join(dir, 'a-file'), 'not a folder');
  return {
    root,
    env: {},
    store: new FsStore(root),
    unusable: new FsStore(join(dir, 'a-file', 'landing')),
    async leaveInterruptedWrite(sub, name) {
      await mkdir(join(root, sub), { recursive: true });
      await writeFile(join(root, sub, `.${name}.tmp-${Math.random().toString(16).slice(2, 10)}`), 'half a file');
    },
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
});
