import { createHmac } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/log.js';
import { DirectoryObjectStore } from '../../../shared/runtime/local/dir-store.js';
import type { RunRecord, RunScope } from '../../../shared/runtime/run/types.js';
import { endpointsFor, webhookPayloadSchema } from '../../../shared/runtime/webhook/payload.js';
import { receiveWebhook } from '../../../shared/runtime/webhook/receive.js';
import { rawBody, signBody, verifySignature } from '../../../shared/runtime/webhook/signature.js';
import { fileDemo } from '../../helpers/file-demo.js';

describe('webhook signature', () => {
  it('is the hex HMAC-SHA512 of the raw body, as NetBox and Nautobot compute it', () => {
    const body = Buffer.from('{"event":"created"}');
    expect(signBody(body, 's3cret')).toBe(createHmac('sha512', 's3cret').update(body).digest('hex'));
    expect(verifySignature(body, 's3cret', signBody(body, 's3cret').toUpperCase())).toBe(true);
    expect(verifySignature(body, 's3cret', signBody(body, 'other'))).toBe(false);
    expect(verifySignature(body, 's3cret', undefined)).toBe(false);
    expect(verifySignature(body, '', signBody(body, ''))).toBe(false);
    expect(verifySignature(body, 's3cret', signBody(body, 's3cret').slice(2))).toBe(false);
  });

  it('decodes a base64 Lambda body to the bytes that were signed', () => {
    const text = '{"name":"café"}';
    expect(rawBody(Buffer.from(text).toString('base64'), true).equals(Buffer.from(text))).toBe(true);
    expect(rawBody(text, false).toString('utf8')).toBe(text);
    expect(rawBody(undefined, false).length).toBe(0);
  });
});

describe('webhook payload -> mapping entries', () => {
  it('uses the object url, else the model name', async () => {
    const { loaded } = await fileDemo();
    const p = (model: string, url?: string) => webhookPayloadSchema.parse({ event: 'updated', model, data: { id: 1, url } });
    expect(endpointsFor(p('device', 'https://nb/api/dcim/devices/1/'), loaded.config)).toEqual(['dcim.devices']);
    expect(endpointsFor(p('interface'), loaded.config)).toEqual(['dcim.interfaces']);
    expect(endpointsFor(p('tag', '/api/extras/tags/1/'), loaded.config)).toEqual(['extras.tags']);
    expect(endpointsFor(p('location'), loaded.config)).toEqual(['dcim.locations']);
    expect(endpointsFor(p('cable', '/api/dcim/cables/1/'), loaded.config)).toEqual([]);
  });
});

describe('receiveWebhook', () => {
  async function setup() {
    const demo = await fileDemo();
    const store = new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'wh-')));
    const started: RunScope[] = [];
    const deps = {
      store,
      logger: silentLogger,
      key: async () => 'k',
      loadConfig: async (name: string) => (name === 'file-demo' ? demo.loaded : undefined),
      startRun: async (_l: unknown, scope: RunScope) => {
        started.push(scope);
        return { runId: `r${started.length}` } as RunRecord;
      },
    };
    const send = (payload: object, name = 'file-demo') => {
      const body = Buffer.from(JSON.stringify({ timestamp: new Date().toISOString(), ...payload }));
      return receiveWebhook(deps, { name, headers: { 'X-Hook-Signature': signBody(body, 'k') }, body });
    };
    return { started, send };
  }

  it('a delete event scopes to the model without ids and allows deletes; other events never delete', async () => {
    const { started, send } = await setup();
    expect((await send({ event: 'deleted', model: 'interface', data: { id: 1000, url: '/api/dcim/interfaces/1000/' } })).statusCode).toBe(202);
    expect(started[0]).toMatchObject({ models: ['InfraInterfaceL2L3'], mappings: ['dcim.interfaces'], ids: undefined, allowDeletes: true });
    await send({ event: 'updated', model: 'interface', data: { id: 1000 } });
    expect(started[1]).toMatchObject({ ids: ['1000'], allowDeletes: false });
  });

  it('an object no mapping is fed by, an unknown config or a non-webhook body start nothing', async () => {
    const { started, send } = await setup();
    expect((await send({ event: 'created', model: 'cable', data: { id: 1, url: '/api/dcim/cables/1/' } })).statusCode).toBe(202);
    expect((await send({ event: 'created', model: 'device', data: { id: 1 } }, 'other')).statusCode).toBe(404);
    expect((await send({ hello: 'world' })).statusCode).toBe(400);
    expect(started).toEqual([]);
  });
});
