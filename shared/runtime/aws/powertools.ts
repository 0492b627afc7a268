// Powertools for AWS Lambda behind the project's own Logger port, and the run's EMF metrics.
import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '../../log.js';
import type { RunEvent } from '../run/types.js';

export function fromPowertools(logger: PowertoolsLogger): Logger {
  return {
    debug: (message, fields) => logger.debug(message, fields ?? {}),
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
  };
}

/** RecordsLoaded, ChangesApplied, ChangeFailures, RunDuration; published by the handler's flush. */
export function recordMetrics(metrics: Metrics, event: RunEvent): void {
  if (event.type === 'loaded') metrics.addMetric('RecordsLoaded', MetricUnit.Count, event.records);
  if (event.type === 'batch-applied') {
    metrics.addMetric('ChangesApplied', MetricUnit.Count, event.applied);
    metrics.addMetric('ChangeFailures', MetricUnit.Count, event.failed);
  }
  if (event.type === 'finished' && event.report) {
    metrics.addMetric('RunDuration', MetricUnit.Milliseconds, event.report.durationMs);
  }
}

/**
 * Metrics that publish nothing, and say nothing, when an invocation recorded none. Powertools
 * warns "No application metrics to publish" on every such flush; the trigger and webhook record
 * no metric at all, and a loader of a failed run none either, so that warning was noise in every
 * log (and in the test output).
 */
export class RunMetrics extends Metrics {
  override publishStoredMetrics(): this {
    if (!this.hasStoredMetrics()) return this;
    return super.publishStoredMetrics();
  }
}
