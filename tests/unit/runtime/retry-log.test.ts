// A message that fails is retried by the queue; the log line says which step of which run, which
// attempt, and why.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../../shared/log.js';
import { logLine } from '../../../shared/cli/verbosity.js';
import { DirectoryObjectStore } from '../../../shared/runtime/local/dir-store.js';
import { MemoryQueue } from '../../../shared/runtime/local/memory-queue.js';
import { handleSqsEvent } from '../../../shared/runtime/run/dispatch.js';
import type { RunDeps } from '../../../shared/runtime/run/types.js';

describe('the retry log line', () => {
  it('names the message (step, side, model, run), the attempt and the reason', async () => {
    const logger = new MemoryLogger();
    const q = () => new MemoryQueue({ name: 'q' });
    const deps: RunDeps = {
      store: new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'retry-log-'))),
      queues: { load: q(), diff: q(), apply: q() },
      adapters: { get: () => Promise.reject(new Error('not used')) },
      logger,
    };
    // A load of a run whose record is missing from the store: the handler fails.
    const body = JSON.stringify({ type: 'load', run: { name: 'demo', runId: 'R1' }, side: 'source', model: 'InfraDevice' });
    const event = { Records: [{ messageId: 'm1', body, attributes: { ApproximateReceiveCount: '2' } }] } as unknown as SQSEvent;
    const res = await handleSqsEvent(deps, event);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    const warn = logger.entries.find((e) => e.level === 'warn');
    expect(warn?.message).toMatch(/^load source InfraDevice \(run R1\) failed \(attempt 2\), will be retried: .+/);
    // The reason is the handler's error, not a placeholder.
    expect(warn?.message).toContain(String(warn?.fields?.error));
  });
});

describe('log lines on the terminal', () => {
  it('add the fields the message does not say, leaving out ids and lists', () => {
    expect(logLine('nautobot: retrying a request', { host: 'h:1', path: '/api/x/', attempt: 1, reason: 'HTTP 503', runId: 'R' })).toBe(
      'nautobot: retrying a request (host=h:1, path=/api/x/, attempt=1, reason=HTTP 503)',
    );
    expect(logLine('loaded source X: 5 record(s) from a in 3 ms', { side: 'source', records: 5, ms: 3, entries: [{ path: 'a' }] })).toBe(
      'loaded source X: 5 record(s) from a in 3 ms',
    );
    expect(logLine('planned', { summary: { create: 1 } })).toBe('planned (summary={"create":1})');
  });
});
