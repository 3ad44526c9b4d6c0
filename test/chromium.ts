import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Debian's headless browser; PAGEFLEET_CHROMIUM names another binary. */
export const CHROMIUM = process.env.PAGEFLEET_CHROMIUM ?? 'chromium';

/** Why Chromium cannot be used here, or undefined when it can. */
export function chromiumMissing(): string | undefined {
  const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    return `${CHROMIUM} is not installed (${r.error?.message ?? r.stderr.trim()}): install it with \`apt-get update && apt-get install -y chromium\` (or set PAGEFLEET_CHROMIUM)`;
  }
  return undefined;
}

/**
 * Opens a local HTML file in headless Chromium, with its own profile so parallel runs never share one.
 * `mode` is `--dump-dom` (stdout: the DOM after the page loaded) or `--screenshot=FILE`.
 */
export async function chromium(file: string, mode: string, windowSize = '1280,2000'): Promise<string> {
  const profile = await mkdtemp(join(tmpdir(), 'pf-chromium-'));
  try {
    const args = ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${profile}`, '--hide-scrollbars', `--window-size=${windowSize}`, mode, pathToFileURL(file).href];
    const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // a hang guard, not a speed check: a browser that never exits must not hang the suite
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const code = await new Promise<number | null>((res) => child.on('close', res));
    clearTimeout(guard);
    if (code !== 0) throw new Error(`chromium ${mode} exited with ${code}:\n${stderr.slice(-2000)}`);
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
