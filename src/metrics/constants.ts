/** Upper bounds of the request latency histogram, in seconds (one attempt: send to whole body read). */
export const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Address the metrics endpoint binds to unless --metrics-host says otherwise (a pod needs 0.0.0.0). */
export const DEFAULT_METRICS_HOST = '127.0.0.1';
