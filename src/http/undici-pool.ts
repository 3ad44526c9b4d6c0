/**
 * undici's Pool, loaded without the rest of undici. `import { Pool } from 'undici'` loads its index, which
 * loads every dispatcher, mock, cache, fetch and WebSocket it has: about 1 MB of JavaScript, 0.06 CPU-s at
 * every executor start on this machine, for the one class we use (bench/RESULTS.md, "Start-up, NDJSON CPU
 * and takeovers").
 *
 * Hazard: these are undici's internal paths (it has no "exports" map, so Node resolves them); the version is
 * pinned in package.json, and a moved file fails every HTTP test at import. The index also gives every
 * dispatcher its `request` method (Object.assign(Dispatcher.prototype, api)); here only that method is
 * added, the same function, so loading the full undici elsewhere in the process changes nothing.
 */
import type { Pool as UndiciPool } from 'undici';
import PoolClass from 'undici/lib/dispatcher/pool.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import request from 'undici/lib/api/api-request.js';

if (!Dispatcher.prototype.request) Dispatcher.prototype.request = request;

export const Pool = PoolClass as typeof UndiciPool;
export type Pool = UndiciPool;
