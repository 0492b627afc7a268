// A reverse proxy in front of the Infrahub stand-in, standing for the load balancer or ingress
// of a real deployment: it can answer a GraphQL mutation request with an error status of its own
// (Infrahub restarting: 503 from the proxy, an HTML body) or hold it for a while before passing
// it on (a slow write that outlives the client which sent it; the write still lands, later).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type MutationFate = 'pass' | { status: number } | { holdMs: number };

export interface InfrahubGate {
  url: string;
  /** Mutation requests seen, refused and held ones included. */
  mutations: number;
  /** Decides the fate of the n-th mutation request (1-based; its GraphQL document given); default: pass. */
  onMutation?: (n: number, query: string) => MutationFate;
  stop(): Promise<void>;
}

/** The GraphQL document of a mutation request, or undefined for anything else. */
function mutationOf(body: Buffer): string | undefined {
  try {
    const doc = JSON.parse(body.toString('utf8')) as { query?: unknown };
    return typeof doc.query === 'string' && /^\s*mutation\b/.test(doc.query) ? doc.query : undefined;
  } catch {
    return undefined;
  }
}

export async function startInfrahubGate(target: string): Promise<InfrahubGate> {
  const to = new URL(target);
  const gate: InfrahubGate = { url: '', mutations: 0, stop: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let hold = 0;
      const mutation = req.method === 'POST' ? mutationOf(body) : undefined;
      if (mutation !== undefined) {
        const n = ++gate.mutations;
        const fate = gate.onMutation?.(n, mutation) ?? 'pass';
        if (fate !== 'pass' && 'status' in fate) {
          res.writeHead(fate.status, { 'content-type': 'text/html' }).end(`<html><body><h1>${fate.status} Service Temporarily Unavailable</h1></body></html>`);
          return;
        }
        if (fate !== 'pass') hold = fate.holdMs;
      }
      setTimeout(() => {
        const out = request(
          { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        out.on('error', () => res.destroy());
        out.end(body);
      }, hold);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  gate.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gate.stop = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return gate;
}
