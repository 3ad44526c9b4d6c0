/** Paths of the benchmark's page server (bench/page-server.ts), for its clients. */

/** The TMDB-shaped endpoint: `?page=N`, 1-based. */
export const PAGES_PATH = '/3/movie/popular';

/** The request log as JSON (`[epoch ms, page, status][]`); empty unless the server runs with `--log`. */
export const LOG_PATH = '/_bench/log';

/** One page request as the server saw it: arrival time (epoch ms, fractional), page, HTTP status. */
export type LogEntry = [at: number, page: number, status: number];
