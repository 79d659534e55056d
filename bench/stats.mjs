// The summaries the benchmarks report: the median and the 95th percentile (nearest rank).
const sorted = (values) => values.slice().sort((a, b) => a - b);
export const median = (values) => sorted(values)[Math.floor(values.length / 2)];
export const p95 = (values) => sorted(values)[Math.ceil(values.length * 0.95) - 1];
