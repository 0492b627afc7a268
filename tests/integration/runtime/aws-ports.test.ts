// The AWS ports (S3ObjectStore, SqsQueue) against moto's S3 and SQS.
import { S3Client } from '@aws-sdk/client-s3';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../../shared/runtime/aws/s3-store.js';
import { SqsQueue } from '../../../shared/runtime/aws/sqs-queue.js';
import { getJson, putJson } from '../../../shared/runtime/ports.js';
import { FAKE_CREDENTIALS, REGION, startAws, type AwsEmulator, type S3Emulator, type SqsEmulator } from '../../helpers/emulators.js';

let aws: AwsEmulator;
let s3: S3Emulator;
let sqs: SqsEmulator;

beforeAll(async () => {
  aws = await startAws();
  ({ s3, sqs } = aws);
});
afterAll(async () => {
  await aws?.close();
});

/** An S3 endpoint that drops If-None-Match before passing a request on, as some S3-compatible
 *  stores and older proxies do. */
async function headerDroppingProxy(target: string): Promise<{ endpoint: string; server: Server }> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers['if-none-match'];
    const out = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('S3ObjectStore on moto', () => {
  it('puts, gets, lists by prefix and deletes', async () => {
    const store = new S3ObjectStore(s3.client, s3.bucket, { prefix: 'tenant-a' });
    await putJson(store, 'runs/demo/r1/run.json', { runId: 'r1' });
    await store.put('runs/demo/r1/diff.txt', 'DeviceType: x MISSING in infrahub');
    await store.put('runs/demo-b/r2/run.json', '{}');
    expect(await getJson(store, 'runs/demo/r1/run.json')).toEqual({ runId: 'r1' });
    expect(await store.get('runs/demo/r1/diff.txt')).toBe('DeviceType: x MISSING in infrahub');
    expect(await store.get('runs/demo/none.json')).toBeUndefined();
    expect(await store.list('runs/demo/')).toEqual(['runs/demo/r1/diff.txt', 'runs/demo/r1/run.json']);
    await store.delete('runs/demo/r1/diff.txt');
    expect(await store.list('runs/demo/')).toEqual(['runs/demo/r1/run.json']);
  });

  it('lists past one page (1000 keys)', async () => {
    const store = new S3ObjectStore(s3.client, s3.bucket, { prefix: 'paging' });
    const limit = pLimit(16);
    await Promise.all(Array.from({ length: 1005 }, (_, i) => limit(() => store.put(`k/${String(i).padStart(4, '0')}`, '.'))));
    const keys = await store.list('k/');
    expect(keys).toHaveLength(1005);
    expect(keys[1004]).toBe('k/1004');
  });

  it('putIfAbsent: of 20 concurrent creates of one key exactly one wins', async () => {
    const store = new S3ObjectStore(s3.client, s3.bucket);
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => store.putIfAbsent('claims/diff', String(i))));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store.get('claims/diff')).toBe(String(wins.indexOf(true)));
  });

  it('moto refuses a second conditional create of a key, as S3 does (412 PreconditionFailed)', async () => {
    const store = new S3ObjectStore(s3.client, s3.bucket, { verifyConditionalWrites: false });
    expect(await store.putIfAbsent('claims/once', 'first')).toBe(true);
    expect(await store.putIfAbsent('claims/once', 'second')).toBe(false);
    expect(await store.get('claims/once')).toBe('first');
  });

  it('refuses conditional writes on an endpoint that ignores If-None-Match', async () => {
    const proxy = await headerDroppingProxy(s3.endpoint);
    const client = new S3Client({ endpoint: proxy.endpoint, region: REGION, credentials: FAKE_CREDENTIALS });
    try {
      const store = new S3ObjectStore(client, s3.bucket);
      await expect(store.putIfAbsent('claims/x', '1')).rejects.toThrow(/does not honour If-None-Match/);
      expect(await store.get('claims/x')).toBeUndefined();
    } finally {
      client.destroy();
      proxy.server.closeAllConnections();
      await new Promise((r) => proxy.server.close(r));
    }
  });
});

describe('SqsQueue on moto', () => {
  it('sends in batches past 10, receives with attributes and receive counts, deletes', async () => {
    const q = new SqsQueue(sqs.client, await sqs.createQueue('apply', { VisibilityTimeout: '1' }));
    await q.sendBatch(Array.from({ length: 23 }, (_, i) => ({ body: `m${i}`, opts: { attributes: { runId: 'r1' } } })));
    const got = [];
    for (let i = 0; i < 10 && got.length < 23; i++) got.push(...(await q.receive(10, 30)));
    expect(got.map((m) => m.body).sort()).toEqual(Array.from({ length: 23 }, (_, i) => `m${i}`).sort());
    expect(got[0]?.attributes).toEqual({ runId: 'r1' });
    expect(got[0]?.receiveCount).toBe(1);
    for (const m of got) await q.delete(m.receiptHandle);
    expect(await q.receive(10, 30)).toEqual([]);
  });

  it('redelivers after changeVisibility(0) with a higher receive count', async () => {
    const q = new SqsQueue(sqs.client, await sqs.createQueue('redeliver', { VisibilityTimeout: '30' }));
    await q.send('again');
    const [m] = await q.receive(1);
    await q.changeVisibility(m!.receiptHandle, 0);
    const [m2] = await q.receive(1);
    expect(m2?.body).toBe('again');
    expect(m2?.receiveCount).toBe(2);
  });

  it('FIFO: a duplicate de-duplication id is delivered once', async () => {
    const q = new SqsQueue(sqs.client, await sqs.createQueue('control.fifo', { FifoQueue: 'true' }));
    await q.send('diff r1', { deduplicationId: 'r1/diff', groupId: 'r1' });
    await q.send('diff r1 again', { deduplicationId: 'r1/diff', groupId: 'r1' });
    const got = await q.receive(10, 30);
    expect(got.map((m) => m.body)).toEqual(['diff r1']);
    expect(got[0]?.groupId).toBe('r1');
  });
});
