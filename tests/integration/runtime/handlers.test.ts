// The Lambda handlers in functions/, in process under tsx, wired from their environment as in AWS,
// against moto's S3 and SQS; the SQS event source is played by the local event source mapping
// polling the emulated queues. tests/lambda/ runs the synthesized bundles on Lambda's runtime.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../../shared/runtime/aws/s3-store.js';
import { SqsQueue } from '../../../shared/runtime/aws/sqs-queue.js';
import { startEventSource, type EventSourceMapping } from '../../../shared/runtime/local/event-source.js';
import { getJson } from '../../../shared/runtime/ports.js';
import { keys } from '../../../shared/runtime/run/keys.js';
import type { RunRecord } from '../../../shared/runtime/run/types.js';
import type { RawSnapshot, RunReport } from '../../../shared/runtime/steps/index.js';
import { deriveWebhookKey } from '../../../shared/runtime/webhook/secret.js';
import { signBody } from '../../../shared/runtime/webhook/signature.js';
import { destinationState, fileDemo, type FileDemo } from '../../helpers/file-demo.js';
import { FAKE_CREDENTIALS, REGION, startAws, type AwsEmulator, type S3Emulator, type SqsEmulator } from '../../helpers/emulators.js';

type SqsFn = (event: SQSEvent) => Promise<SQSBatchResponse>;
const SECRET = 'webhook-secret-for-tests';

let aws: AwsEmulator;
let s3: S3Emulator;
let sqs: SqsEmulator;
let store: S3ObjectStore;
let demo: FileDemo;
let mappings: EventSourceMapping[] = [];
let trigger: (event: unknown) => Promise<{ runId: string; loads: number }>;
let webhook: (event: unknown) => Promise<{ statusCode?: number; body?: string }>;

beforeAll(async () => {
  aws = await startAws();
  ({ s3, sqs } = aws);
  const attrs = { VisibilityTimeout: '5' };
  const [load, diff, apply] = await Promise.all([
    sqs.createQueue('load', attrs),
    sqs.createQueue('diff', attrs),
    sqs.createQueue('apply', attrs),
  ]);
  Object.assign(process.env, {
    BUCKET_NAME: s3.bucket,
    LOAD_QUEUE_URL: load,
    DIFF_QUEUE_URL: diff,
    APPLY_QUEUE_URL: apply,
    AWS_ENDPOINT_URL: aws.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    WEBHOOK_SECRET: SECRET,
    BATCH_SIZE: '2',
    // One test fails a run on purpose (a plan that changed since its review), which the diff
    // function logs at ERROR; the tests read the outcome from the store, not from the log.
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  store = new S3ObjectStore(s3.client, s3.bucket);
  demo = await fileDemo();
  await store.put('configs/file-demo.yml', demo.configText);

  trigger = (await import('../../../functions/trigger.js')).handler as typeof trigger;
  webhook = (await import('../../../functions/webhook.js')).handler as typeof webhook;
  const loader: SqsFn = (await import('../../../functions/loader.js')).handler;
  const differ: SqsFn = (await import('../../../functions/diff.js')).handler;
  const applier: SqsFn = (await import('../../../functions/apply.js')).handler;
  const esm = (url: string, handler: SqsFn, workers: number) =>
    startEventSource({ queue: new SqsQueue(sqs.client, url), handler, workers, batchSize: 5, visibilityTimeout: 5 });
  mappings = [esm(load, loader, 2), esm(diff, differ, 1), esm(apply, applier, 2)];
});

afterAll(async () => {
  await Promise.all(mappings.map((m) => m.stop()));
  await aws?.close();
});

async function waitForEnd(runId: string): Promise<RunReport> {
  const ref = { name: 'file-demo', runId };
  for (let i = 0; i < 600; i++) {
    const report = await getJson<RunReport>(store, keys.report(ref));
    if (report) return report;
    const error = await store.get(keys.error(ref));
    if (error) throw new Error(`run failed: ${error}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${runId} did not finish`);
}

async function runIds(): Promise<string[]> {
  return (await store.list('runs/file-demo/')).filter((k) => k.endsWith('/run.json')).map((k) => k.split('/')[2] as string);
}

function webhookEvent(body: string, headers: Record<string, string>, base64 = false) {
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{name}',
    rawPath: '/webhooks/file-demo',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    pathParameters: { name: 'file-demo' },
    requestContext: { http: { method: 'POST', path: '/webhooks/file-demo' } },
    body: base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: base64,
  };
}

function netboxDelivery(id: number, event = 'created'): string {
  return JSON.stringify({
    event,
    timestamp: new Date().toISOString(),
    model: 'device',
    username: 'admin',
    request_id: randomUUID(),
    data: { id, url: `http://netbox.example/api/dcim/devices/${id}/`, name: 'par-edge1', serial: 'ABC123X' },
    snapshots: { prechange: null, postchange: { name: 'par-edge1' } },
  });
}

describe('Lambda handlers over S3 and SQS emulators', () => {
  it('webhooks: a bad, missing or wrong-secret signature is 401 and starts no run; a valid one starts a scoped run; a replay is dropped', async () => {
    const body = netboxDelivery(100);
    // One shared secret: the config's key is derived from it and the config name.
    const good = signBody(body, deriveWebhookKey(SECRET, 'file-demo'));
    expect((await webhook(webhookEvent(body, { 'x-hook-signature': signBody(body, SECRET) }))).statusCode).toBe(401);
    const tampered = body.replace('par-edge1', 'par-edge9');
    expect((await webhook(webhookEvent(tampered, { 'x-hook-signature': good }))).statusCode).toBe(401);
    expect((await webhook(webhookEvent(body, { 'x-hook-signature': signBody(body, 'another-secret') }))).statusCode).toBe(401);
    expect((await webhook(webhookEvent(body, {}))).statusCode).toBe(401);
    expect((await webhook(webhookEvent(body, { 'x-hook-signature': 'not-hex' }))).statusCode).toBe(401);
    expect(await runIds()).toEqual([]);

    // Lambda function URLs may hand the body over base64-encoded; the signature is over the raw bytes.
    const accepted = await webhook(webhookEvent(body, { 'X-Hook-Signature': good }, true));
    expect(accepted.statusCode).toBe(202);
    const { runId } = JSON.parse(accepted.body ?? '{}') as { runId: string };
    expect(await runIds()).toEqual([runId]);

    const replay = await webhook(webhookEvent(body, { 'x-hook-signature': good }));
    expect(replay.statusCode).toBe(202);
    expect(JSON.parse(replay.body ?? '{}')).toMatchObject({ duplicate: true });
    expect(await runIds()).toEqual([runId]);

    const report = await waitForEnd(runId);
    expect(report.status).toBe('succeeded');
    expect(report.applied).toEqual({ create: 1, update: 0, delete: 0 });
    const ref = { name: 'file-demo', runId };
    const run = await getJson<RunRecord>(store, keys.run(ref));
    expect(run?.scope).toMatchObject({ models: ['InfraDevice'], ids: ['100'], allowDeletes: false });
    expect(run?.trigger.kind).toBe('webhook');
    const snap = await getJson<RawSnapshot>(store, keys.snapshot(ref, 'source', 'InfraDevice'));
    expect(snap?.raws.flat().map((r) => r.id)).toEqual([100]);
    // Only the device changed; its referenced models were read to resolve references, not written.
    const state = await destinationState(demo.destination);
    expect(Object.keys(state)).toEqual(['InfraDevice']);
    expect(state.InfraDevice).toEqual([
      { name: 'par-edge1', serial: 'abc123x', location: 'paris', tags: ['core', 'edge'], managed: false },
    ]);
    // Clean up for the next test.
    const { rm } = await import('node:fs/promises');
    await rm(`${demo.destination}/InfraDevice.json`);
  });

  it('trigger (on-demand) -> loaders -> diff -> apply stages -> report; the second run has nothing to do', async () => {
    const started = await trigger({ name: 'file-demo', mode: 'sync' });
    expect(started.loads).toBe(8);
    const report = await waitForEnd(started.runId);
    expect(report.status).toBe('succeeded');
    expect(report.applied).toEqual({ create: 13, update: 0, delete: 0 });
    const ref = { name: 'file-demo', runId: started.runId };
    expect(await store.get(keys.diffText(ref))).toContain('InfraInterfaceL2L3: par-edge1__eth0 MISSING in destination');
    expect((await store.list(`runs/file-demo/${started.runId}/results/`)).length).toBeGreaterThan(4);
    const state = await destinationState(demo.destination);
    expect(state.InfraInterfaceL2L3).toHaveLength(4);

    const scheduled = await trigger({ 'detail-type': 'Scheduled Event', source: 'aws.scheduler', detail: { name: 'file-demo', mode: 'diff' } });
    const again = await waitForEnd(scheduled.runId);
    expect(again.status).toBe('planned');
    expect(again.planned).toMatchObject({ create: 0, update: 0, delete: 0, 'no-change': 13 });
    const run = await getJson<RunRecord>(store, keys.run({ name: 'file-demo', runId: scheduled.runId }));
    expect(run?.trigger.kind).toBe('schedule');
  });

  it('trigger with "plan": applies the reviewed diff, or fails writing nothing when the plan changed', async () => {
    const devices = `${demo.source}/dcim.devices.json`;
    const { readFile, writeFile } = await import('node:fs/promises');
    const setSerial = async (serial: string) => {
      const rows = JSON.parse(await readFile(devices, 'utf8')) as Record<string, unknown>[];
      (rows[0] as Record<string, unknown>).serial = serial;
      await writeFile(devices, JSON.stringify(rows));
    };
    await setSerial('REVIEWED-1');
    const reviewed = await trigger({ name: 'file-demo', mode: 'diff' });
    expect((await waitForEnd(reviewed.runId)).planned).toMatchObject({ update: 1 });

    // The source moves on before the sync: the bound sync refuses and writes nothing.
    await setSerial('CHANGED-2');
    const refused = await trigger({ name: 'file-demo', mode: 'sync', plan: reviewed.runId });
    await expect(waitForEnd(refused.runId)).rejects.toThrow(/no longer the one reviewed in run/);
    const device = (await destinationState(demo.destination)).InfraDevice?.find((d) => d.name === 'par-edge1');
    expect(device?.serial).toBe('abc123x');

    const second = await trigger({ name: 'file-demo', mode: 'diff' });
    await waitForEnd(second.runId);
    const bound = await trigger({ name: 'file-demo', mode: 'sync', plan: second.runId });
    const report = await waitForEnd(bound.runId);
    expect(report.applied).toEqual({ create: 0, update: 1, delete: 0 });
    const after = (await destinationState(demo.destination)).InfraDevice?.find((d) => d.name === 'par-edge1');
    expect(after?.serial).toBe('changed-2');

    await expect(trigger({ name: 'file-demo', mode: 'diff', plan: second.runId })).rejects.toThrow(/use mode "sync"/);
    await expect(trigger({ name: 'file-demo', mode: 'sync', plan: 'no-such-run' })).rejects.toThrow(/no run no-such-run/);
  });

  it('trigger rejects an unknown config and a malformed event', async () => {
    await expect(trigger({ name: 'nope', mode: 'sync' })).rejects.toThrow(/no config named nope/);
    await expect(trigger({ mode: 'sync' })).rejects.toThrow();
  });

  it('trigger and webhook accept only names of the config name rule, and start nothing otherwise', async () => {
    const before = await store.list('');
    for (const name of ['a/b', '..', '../configs/file-demo', 'file-demo\n', '.hidden']) {
      await expect(trigger({ name, mode: 'diff' })).rejects.toThrow(/1 to 64 characters/);
      const event = { ...webhookEvent('{}', {}), pathParameters: { name } };
      expect((await webhook(event)).statusCode).toBe(404);
    }
    expect(await store.list('')).toEqual(before);
  });
});
