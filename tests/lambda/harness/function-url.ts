// A Lambda function URL (AuthType NONE, InvokeMode BUFFERED) in front of a function: an HTTP
// request becomes the payload format 2.0 event, the function's answer becomes the HTTP response
// (a result with statusCode is used as is; anything else is a 200 JSON body), and a function
// error, crash or timeout is a 502, a throttle a 429, as the service answers.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ThrottledError, type LambdaFunction } from './lambda-function.js';

const TEXT = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

function clfTime(d: Date): string {
  const m = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${m}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export function functionUrlEvent(req: IncomingMessage, body: Buffer, urlId: string, region: string): Record<string, unknown> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const k = (req.rawHeaders[i] as string).toLowerCase();
    const v = req.rawHeaders[i + 1] as string;
    if (k === 'cookie') continue;
    headers[k] = headers[k] === undefined ? v : `${headers[k]},${v}`;
  }
  const domainName = `${urlId}.lambda-url.${region}.on.aws`;
  headers.host = domainName;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const cookies = req.headers.cookie?.split(/;\s*/).filter(Boolean);
  const now = new Date();
  const isText = TEXT.test(headers['content-type'] ?? '');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: urlId,
      domainName,
      domainPrefix: urlId,
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

export interface FunctionUrl {
  /** Ends with "/", as the FunctionUrl attribute does. */
  url: string;
  stop(): Promise<void>;
}

export async function startFunctionUrl(fn: LambdaFunction, region: string): Promise<FunctionUrl> {
  const urlId = randomUUID().replace(/-/g, '').slice(0, 32);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        try {
          const result = await fn.invoke(functionUrlEvent(req, Buffer.concat(chunks), urlId, region));
          if (result.status !== 'ok') {
            res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ Message: 'Internal Server Error' }));
            return;
          }
          const out = result.payload as { statusCode?: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean; cookies?: string[] };
          if (typeof out === 'object' && out !== null && typeof out.statusCode === 'number') {
            const headers: Record<string, string | string[]> = { ...(out.headers ?? {}) };
            if (out.cookies?.length) headers['set-cookie'] = out.cookies;
            const body = out.body === undefined ? '' : out.isBase64Encoded ? Buffer.from(out.body, 'base64') : out.body;
            res.writeHead(out.statusCode, headers).end(body);
          } else {
            res.writeHead(200, { 'content-type': 'application/json' }).end(typeof out === 'string' ? out : JSON.stringify(out));
          }
        } catch (err) {
          if (err instanceof ThrottledError) res.writeHead(429, { 'content-type': 'application/json' }).end(JSON.stringify({ Message: 'Rate Exceeded.' }));
          else res.writeHead(500).end(String(err));
        }
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
