import type { Clock } from '../clock.js';

/**
 * `clock.sleep(ms)` that also rejects with `signal.reason` as soon as the signal aborts, whatever the
 * clock does with the signal (FakeClock ignores it). Every wait of the HTTP layer goes through here.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (!signal) return clock.sleep(ms);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    clock.sleep(ms, signal).then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
