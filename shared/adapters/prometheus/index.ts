export { createPrometheusAdapter, PrometheusAdapter, lookupTargets, sampleId } from './prometheus-adapter.js';
export { parseExposition } from './exposition.js';
