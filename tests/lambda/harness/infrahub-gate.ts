// A reverse proxy in front of the Infrahub stand-in, standing for the load balancer or ingress
// of a real deployment: it can answer GraphQL mutations with 503 (Infrahub restarting or
// overloaded) or hold one for a while before passing it on (a slow write that outlives the
// Lambda invocation which sent it; the write still lands, later).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface InfrahubGate {
  url: string;
  /** Mutation requests seen (including refused and held ones). */
  mutations: number;
  /** While set, mutation requests get this HTTP status and never reach Infrahub. */
  refuseMutations?: number;
  /** Milliseconds to hold the n-th mutation request (1-based) before forwarding it. */
  holdMutation?: (n: number) => number;
  stop(): Promise<void>;
}

export async function startInfrahubGate(target: string): Promise<InfrahubGate> {
  const to = new URL(target);
  const gate: InfrahubGate = { url: '', mutations: 0, stop: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isMutation = req.method === 'POST' && isMutationBody(body);
      let hold = 0;
      if (isMutation) {
        const n = ++gate.mutations;
        if (gate.refuseMutations !== undefined) {
          res.writeHead(gate.refuseMutations, { 'content-type': 'text/html' }).end('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
          return;
        }
        hold = gate.holdMutation?.(n) ?? 0;
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

function isMutationBody(body: Buffer): boolean {
  try {
    const doc = JSON.parse(body.toString('utf8')) as { query?: unknown };
    return typeof doc.query === 'string' && /^\s*mutation\b/.test(doc.query);
  } catch {
    return false;
  }
}
