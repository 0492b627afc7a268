import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  HttpStatusError,
  backoffDelay,
  isTransientError,
  parseRetryAfter,
  withRetry,
} from '../../../shared/adapters/http/retry.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** Serves the scripted behaviours in order, then 200 "ok". */
async function scripted(steps: ('drop' | 429 | 503 | 400)[]): Promise<{ url: string; hits: () => number }> {
  let n = 0;
  server = createServer((req, res) => {
    const step = steps[n++];
    if (step === 'drop') return req.socket.destroy();
    if (step === 429) {
      res.writeHead(429, { 'retry-after': '0' });
      return res.end('slow down');
    }
    if (step !== undefined) {
      res.writeHead(step);
      return res.end('no');
    }
    res.end('ok');
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, hits: () => n };
}

async function get(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new HttpStatusError(res.status, `HTTP ${res.status}`, res.headers);
  return res.text();
}

describe('withRetry', () => {
  it('retries a dropped connection, a 429 and a 503, then returns the body', async () => {
    const s = await scripted(['drop', 429, 503]);
    const delays: number[] = [];
    const body = await withRetry(() => get(s.url), { baseMs: 1, maxMs: 5, onRetry: (i) => delays.push(i.delayMs) });
    expect(body).toBe('ok');
    expect(s.hits()).toBe(4);
    expect(delays).toHaveLength(3);
  });

  it('never retries a 400', async () => {
    const s = await scripted([400]);
    await expect(withRetry(() => get(s.url), { baseMs: 1 })).rejects.toMatchObject({ status: 400 });
    expect(s.hits()).toBe(1);
  });

  it('gives up after the configured retries with the last error', async () => {
    const s = await scripted([503, 503, 503]);
    await expect(withRetry(() => get(s.url), { retries: 2, baseMs: 1 })).rejects.toMatchObject({ status: 503 });
    expect(s.hits()).toBe(3);
  });

  it('honours Retry-After over a shorter backoff, capped by maxMs', async () => {
    const waits: number[] = [];
    let calls = 0;
    const err = new HttpStatusError(429, 'x', new Headers({ 'retry-after': '2' }));
    await withRetry(
      async () => {
        if (calls++ < 2) throw err;
        return 1;
      },
      { baseMs: 10, maxMs: 1500, sleep: async (ms) => void waits.push(ms) },
    );
    expect(waits).toEqual([1500, 1500]);
  });
});

describe('retry helpers', () => {
  it('parses Retry-After as seconds and as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('garbage')).toBeUndefined();
  });

  it('classifies statuses and connection errors', () => {
    expect(isTransientError(new HttpStatusError(502, 'x'))).toBe(true);
    expect(isTransientError(new HttpStatusError(422, 'x'))).toBe(false);
    expect(isTransientError({ response: { status: 429 } })).toBe(true);
    expect(isTransientError(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }))).toBe(true);
    expect(isTransientError(new Error('socket hang up'))).toBe(true);
    expect(isTransientError(new Error('validation failed'))).toBe(false);
  });

  it('keeps jittered backoff between half and all of the exponential step', () => {
    expect(backoffDelay(3, { baseMs: 100, maxMs: 10_000, random: () => 0 })).toBe(200);
    expect(backoffDelay(3, { baseMs: 100, maxMs: 10_000, random: () => 1 })).toBe(400);
    expect(backoffDelay(20, { baseMs: 100, maxMs: 1000, random: () => 1 })).toBe(1000);
  });
});
