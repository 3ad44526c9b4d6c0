/** Bench helper: deterministic TMDB-movie-shaped records, and the values a reader must find in them. */
import { mulberry32 as rng } from '../test/prng.js';

const WORDS = (
  'the a of and to in is was his her their young old man woman family city war love secret journey ' +
  'world life death friend enemy mission story night day king queen house dark light last first lost ' +
  'must find before after when discovers becomes against together town small new york london paris ' +
  'agent detective soldier doctor teacher girl boy mother father brother sister team group survive'
).split(' ');
const COUNTRIES = ['US', 'GB', 'FR', 'DE', 'JP', 'KR', 'IN', 'CA', 'ES', 'IT'];
const GENRES = [12, 14, 16, 18, 27, 28, 35, 36, 37, 53, 80, 99, 878, 9648, 10402, 10749, 10751, 10752];

export interface Movie {
  id: number;
  title: string;
  overview: string;
  release_date: string;
  updated_at: string;
  popularity: number;
  vote_count: number;
  adult: boolean;
  genre_ids: number[];
  poster_path: string | null;
  production: { budget: number; revenue: number; countries: string[] };
  keywords: (string | null)[];
}


const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Record `i` of the catalogue (same output for the same `i`). Every 10th has a null keyword. */
export function movie(i: number): Movie {
  const r = rng(i * 7919 + 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  let overview = '';
  while (overview.length < 190) overview += (overview ? ' ' : '') + words(6) + '.';
  const year = 1950 + Math.floor(r() * 75);
  const micros = pad(Math.floor(r() * 1_000_000), 6);
  const zone = i % 7 === 3 ? '+02:00' : 'Z';
  const keywords: (string | null)[] = Array.from({ length: 1 + Math.floor(r() * 5) }, () => pick(WORDS));
  if (i % 10 === 0) keywords.splice(1, 0, null);
  return {
    id: 100_000 + i,
    title: words(2 + Math.floor(r() * 4)).replace(/^./, (c) => c.toUpperCase()),
    overview,
    release_date: `${year}-${pad(1 + Math.floor(r() * 12))}-${pad(1 + Math.floor(r() * 28))}`,
    updated_at: `2024-${pad(1 + Math.floor(r() * 12))}-${pad(1 + Math.floor(r() * 28))}T${pad(Math.floor(r() * 24))}:${pad(Math.floor(r() * 60))}:${pad(Math.floor(r() * 60))}.${micros}${zone}`,
    popularity: Math.floor(r() * 1_000_000) / 1000 + 0.0005,
    vote_count: Math.floor(r() * 20_000),
    adult: r() < 0.05,
    genre_ids: Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(GENRES)),
    poster_path: r() < 0.1 ? null : `/${Math.floor(r() * 36 ** 8).toString(36)}.jpg`,
    production: {
      budget: Math.floor(r() * 300_000_000),
      revenue: Math.floor(r() * 3_000_000_000), // beyond int32
      countries: Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(COUNTRIES)),
    },
    keywords,
  };
}

/** Records 0..n-1 cut into pages of `pageSize`. */
export function moviePages(n: number, pageSize: number): Movie[][] {
  const pages: Movie[][] = [];
  for (let start = 0; start < n; start += pageSize) pages.push(moviePage(start, Math.min(pageSize, n - start)));
  return pages;
}

/** Page bodies as an API would send them: the JSON text of each page of records. */
export function moviePageBodies(n: number, pageSize: number): string[] {
  const bodies: string[] = [];
  for (let start = 0; start < n; start += pageSize) bodies.push(JSON.stringify(moviePage(start, Math.min(pageSize, n - start))));
  return bodies;
}

function moviePage(start: number, size: number): Movie[] {
  return Array.from({ length: size }, (_, k) => movie(start + k));
}

/** Row indexes the reader checks: first rows, a null-keyword row, an offset-zone row, middle, last. */
export function sampleIndexes(n: number): number[] {
  return [...new Set([0, 1, 3, 10, Math.floor(n / 2), n - 1].filter((i) => i >= 0 && i < n))];
}
