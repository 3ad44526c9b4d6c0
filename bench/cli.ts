/** What the benchmarks share: run the built CLI as a process, and serve the demo API from it. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const CLI = join(import.meta.dirname, '../src/cli/main.js');

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `pagefleet mock-api` with a catalogue of `size` records, in its own process. */
export async function startDemoApi(size: number): Promise<{ url: string; stop: () => void }> {
  const c = spawn(process.execPath, [CLI, 'mock-api', '--port', '0', '--size', String(size)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((r) => createInterface({ input: c.stdout }).once('line', (l) => r(JSON.parse(l).url)));
  return { url, stop: () => c.kill() };
}
