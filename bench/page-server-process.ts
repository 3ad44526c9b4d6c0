/** Starts bench/page-server.ts in its own process and talks to it. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LOG_PATH, type LogEntry } from './page-server-paths.js';

export interface PageServer {
  url: string;
  pid: number;
  /** Mean size of a page body (bytes). */
  meanBodyBytes: number;
  /** The request log (empty unless started with `--log`). */
  log(): Promise<LogEntry[]>;
  stop(): Promise<void>;
}

const SERVER = join(import.meta.dirname, 'page-server.js');

/** Resolves once the server listens (it computes its pages first, a few seconds for 2,000). */
export async function startPageServer(flags: string[]): Promise<PageServer> {
  const child = spawn(process.execPath, [SERVER, '--port', '0', ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise<{ url: string; meanBodyBytes: number }>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`page server exited with ${code} before listening`)));
  });
  const { url, meanBodyBytes } = ready;
  return {
    url,
    pid: child.pid!,
    meanBodyBytes,
    log: async () => (await fetch(url + LOG_PATH)).json() as Promise<LogEntry[]>,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
