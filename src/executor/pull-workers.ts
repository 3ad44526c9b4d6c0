/**
 * Runs `handle` over what `source` yields, with `workers` running at once: each worker pulls its next item
 * when it is done with the last. Pulling (rather than queueing every task up front, as p-limit does) is the
 * point: the executor's sources claim blocks lazily, so an item is claimed only when a worker is free for it.
 */
export async function pullWorkers<T>(source: AsyncIterator<T>, workers: number, handle: (item: T) => Promise<void>): Promise<void> {
  const worker = async (): Promise<void> => {
    for (let next = await source.next(); !next.done; next = await source.next()) await handle(next.value);
  };
  await Promise.all(Array.from({ length: workers }, worker));
}
