// A pass-through HTTP proxy that records each request's path and query, to assert what an
// adapter asked a stand-in for (the stand-ins count paths only).
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  url: string;
  /** Every request URL as received (path + query), in arrival order. */
  urls: URL[];
  headers: Record<string, string | string[] | undefined>[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const urls: URL[] = [];
  const headers: RecordingProxy['headers'] = [];
  const server = createServer((req, res) => {
    urls.push(new URL(req.url ?? '/', 'http://proxy'));
    headers.push({ ...req.headers });
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    // A stand-in dropping the connection (fault injection) drops ours too.
    out.on('error', () => res.socket?.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    urls,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
