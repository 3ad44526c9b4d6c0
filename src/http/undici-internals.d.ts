// The undici internals src/http/undici-pool.ts loads (CommonJS, no types of their own).
declare module 'undici/lib/dispatcher/pool.js' {
  const Pool: unknown;
  export default Pool;
}
declare module 'undici/lib/dispatcher/dispatcher.js' {
  const Dispatcher: { prototype: { request?: unknown } };
  export default Dispatcher;
}
declare module 'undici/lib/api/api-request.js' {
  const request: unknown;
  export default request;
}
