/**
 * What one RateGovernor grants per second on the system clock, with 8 callers always waiting (each takes a
 * grant, then comes back 5 ms later): the pump's timers wake late, and a governor that loses that lateness
 * grants less than its rate.
 *
 *   node dist/bench/governor-rate.js [RATE=195] [SECONDS=4]
 */
import { RateGovernor } from '../src/http/rate-governor.js';

const rate = Number(process.argv[2] ?? 195);
const seconds = Number(process.argv[3] ?? 4);
const governor = new RateGovernor({ rate });
let granted = 0;
const started = Date.now();
const end = started + seconds * 1000;
async function caller(): Promise<void> {
  while (Date.now() < end) {
    await governor.acquire();
    granted++;
    await new Promise((r) => setTimeout(r, 5));
  }
}
await Promise.all(Array.from({ length: 8 }, caller));
process.stdout.write(`rate ${rate}/s: granted ${(granted / ((Date.now() - started) / 1000)).toFixed(1)}/s\n`);
