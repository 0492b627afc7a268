// A forwarding HTTP proxy in front of the real Infrahub that loses responses to mutations (test
// tooling, not npm test): every request reaches the server and is answered by it; of the GraphQL
// mutation requests, a seeded share then has its connection destroyed instead of the answer
// relayed, so the client sees a dropped connection for a write the server did apply. This is the
// lost-response case of issue 10 against the server itself (the stand-in's lostResponseRate
// imitates it in npm test).
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrng } from '../../standins/dataset/prng.js';

export interface LossyProxy {
  url: string;
  counters: { requests: number; mutations: number; lost: number };
  stop(): Promise<void>;
}

const readAll = async (stream: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

/** A GraphQL request body whose operation is a mutation (our adapter sends one operation per request). */
function isMutation(path: string, body: Buffer): boolean {
  if (!path.startsWith('/graphql')) return false;
  try {
    const q = (JSON.parse(body.toString('utf8')) as { query?: unknown }).query;
    return typeof q === 'string' && /^\s*mutation\b/.test(q);
  } catch {
    return false;
  }
}

export async function startLossyProxy(target: string, lostRate: number, seed = 1): Promise<LossyProxy> {
  const next = createPrng(seed).next;
  const upstream = new URL(target);
  const counters = { requests: 0, mutations: 0, lost: 0 };
  const server: Server = createServer((req, res) => {
    void (async () => {
      counters.requests++;
      const body = await readAll(req);
      const mutation = isMutation(req.url ?? '/', body);
      if (mutation) counters.mutations++;
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      delete headers.connection;
      const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
        const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (r) => {
          readAll(r).then((b) => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: b }), reject);
        });
        out.on('error', reject);
        out.end(body);
      });
      if (mutation && next() < lostRate) {
        // The server applied the write; its answer never reaches the client.
        counters.lost++;
        req.socket.destroy();
        return;
      }
      const relay = { ...answer.headers, 'content-length': String(answer.body.length) };
      delete relay['transfer-encoding'];
      delete relay.connection;
      res.writeHead(answer.status, relay);
      res.end(answer.body);
    })().catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counters,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
