import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { recordMetrics, RunMetrics } from '../../../shared/runtime/aws/powertools.js';
import type { RunReport } from '../../../shared/runtime/steps/index.js';

describe('run metrics (EMF)', () => {
  it('records RecordsLoaded, ChangesApplied, ChangeFailures and RunDuration', () => {
    const metrics = new Metrics({ namespace: 'InfrahubSync', serviceName: 'test' });
    recordMetrics(metrics, { type: 'loaded', runId: 'r', side: 'source', model: 'InfraDevice', records: 42, done: 1, total: 2 });
    recordMetrics(metrics, { type: 'batch-applied', runId: 'r', stage: 0, batch: 0, applied: 9, failed: 1, skipped: 0, byAction: { create: 9 } });
    recordMetrics(metrics, { type: 'finished', runId: 'r', status: 'partial', report: { durationMs: 1234 } as RunReport });
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown>;
    expect(emf).toMatchObject({ RecordsLoaded: 42, ChangesApplied: 9, ChangeFailures: 1, RunDuration: 1234 });
    const names = (emf._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string; Unit: string }[] }[] }).CloudWatchMetrics[0];
    expect(names?.Namespace).toBe('InfrahubSync');
    expect(names?.Metrics).toContainEqual({ Name: 'RunDuration', Unit: 'Milliseconds' });
  });

  it('an invocation that recorded nothing publishes nothing and warns nothing; one that did publishes', () => {
    const said: unknown[] = [];
    const logger = { warn: (...a: unknown[]) => said.push(a), info: () => {}, debug: () => {}, error: (...a: unknown[]) => said.push(a) };
    const metrics = new RunMetrics({ namespace: 'InfrahubSync', serviceName: 'test', logger });
    const printed: string[] = [];
    (metrics as unknown as { console: { log: (s: string) => void } }).console = { log: (s: string) => printed.push(s) };
    metrics.publishStoredMetrics();
    expect(said).toEqual([]);
    expect(printed).toEqual([]);
    recordMetrics(metrics, { type: 'loaded', runId: 'r', side: 'source', model: 'InfraDevice', records: 3, done: 1, total: 2 });
    metrics.publishStoredMetrics();
    expect(said).toEqual([]);
    expect(printed).toHaveLength(1);
    expect(JSON.parse(printed[0] as string)).toMatchObject({ RecordsLoaded: 3 });
  });
});
