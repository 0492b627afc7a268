import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { recordMetrics } from '../../../shared/runtime/aws/powertools.js';
import type { RunReport } from '../../../shared/runtime/steps/index.js';

describe('run metrics (EMF)', () => {
  it('records RecordsLoaded, ChangesApplied, ChangeFailures and RunDuration', () => {
    const metrics = new Metrics({ namespace: 'InfrahubSync', serviceName: 'test' });
    recordMetrics(metrics, { type: 'loaded', runId: 'r', side: 'source', model: 'InfraDevice', records: 42, total: 2 });
    recordMetrics(metrics, { type: 'batch-applied', runId: 'r', stage: 0, batch: 0, applied: 9, failed: 1, skipped: 0, byAction: { create: 9 } });
    recordMetrics(metrics, { type: 'finished', runId: 'r', status: 'partial', report: { durationMs: 1234 } as RunReport });
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown>;
    expect(emf).toMatchObject({ RecordsLoaded: 42, ChangesApplied: 9, ChangeFailures: 1, RunDuration: 1234 });
    const names = (emf._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string; Unit: string }[] }[] }).CloudWatchMetrics[0];
    expect(names?.Namespace).toBe('InfrahubSync');
    expect(names?.Metrics).toContainEqual({ Name: 'RunDuration', Unit: 'Milliseconds' });
  });
});
