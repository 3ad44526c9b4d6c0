import type { ScalarKind, ScalarType } from './types.js';

/** Shared, frozen scalar type nodes. Compare kinds, not identity. */
export const SCALARS: { readonly [K in ScalarKind]: ScalarType } = Object.freeze({
  null: Object.freeze({ kind: 'null' }),
  long: Object.freeze({ kind: 'long' }),
  double: Object.freeze({ kind: 'double' }),
  boolean: Object.freeze({ kind: 'boolean' }),
  string: Object.freeze({ kind: 'string' }),
  timestamp: Object.freeze({ kind: 'timestamp' }),
  json: Object.freeze({ kind: 'json' }),
});
