// Records the real Nautobot answers the stand-in is checked against into
// tests/fixtures/nautobot-real/ (run after up.sh and seed.ts). Tokens travel only in headers and
// never reach the files; the origin stays as recorded (a local install on 127.0.0.1:18080).
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { call, isObject, peerFromEnv } from './peer-env.js';

const OUT = fileURLToPath(new URL('../../fixtures/nautobot-real/', import.meta.url));
const BAD_TOKEN = 'ffffffffffffffffffffffffffffffffffffffff';

interface Case { request: string; headers?: Record<string, string>; status: number; apiVersionHeader: string | null; body: unknown }

async function raw(url: string, path: string, headers: Record<string, string>, token: string): Promise<Case> {
  const res = await fetch(`${url}${path}`, { headers: { accept: 'application/json', ...headers } });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep text
  }
  const shown = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.split(token).join('<token>')]));
  return { request: `GET ${path}`, headers: shown, status: res.status, apiVersionHeader: res.headers.get('api-version'), body };
}

async function main(): Promise<void> {
  const peer = peerFromEnv();
  const auth = { authorization: `Token ${peer.token}` };
  const status = await call(peer, 'GET', '/api/status/');
  const version = isObject(status.body) ? String(status.body['nautobot-version']) : 'unknown';
  const errors: Record<string, Case> = {
    wrongToken: await raw(peer.url, '/api/dcim/devices/', { authorization: `Token ${BAD_TOKEN}` }, peer.token),
    noAuthorization: await raw(peer.url, '/api/dcim/devices/', {}, peer.token),
    bearerScheme: await raw(peer.url, '/api/dcim/devices/', { authorization: `Bearer ${BAD_TOKEN}` }, peer.token),
    tokenWithoutKey: await raw(peer.url, '/api/dcim/devices/', { authorization: 'Token' }, peer.token),
    acceptVersionUnknown: await raw(peer.url, '/api/dcim/devices/?limit=1', { ...auth, accept: 'application/json; version=9.9' }, peer.token),
    queryVersionUnknown: await raw(peer.url, '/api/dcim/devices/?limit=1&api_version=9.9', auth, peer.token),
    depthOverMax: await raw(peer.url, '/api/dcim/devices/?depth=11', auth, peer.token),
    depthNegative: await raw(peer.url, '/api/dcim/devices/?depth=-1', auth, peer.token),
    idNotUuid: await raw(peer.url, '/api/dcim/devices/?id=not-a-uuid', auth, peer.token),
    unknownFilter: await raw(peer.url, '/api/dcim/devices/?bogus_filter=1', auth, peer.token),
  };
  // Redact the key should a server ever echo it.
  const text = (v: unknown): string => `${JSON.stringify(v, null, 2).split(peer.token).join('<token>')}\n`;
  await mkdir(OUT, { recursive: true });
  await writeFile(`${OUT}errors.json`, text({ nautobotVersion: version, recordedFrom: 'local install, tests/peers/nautobot/up.sh', cases: errors }));
  const pages: Record<string, string> = {
    'interfaces-depth0.json': '/api/dcim/interfaces/?depth=0&limit=2',
    'interfaces-depth1.json': '/api/dcim/interfaces/?depth=1&limit=1',
    'devices-include.json': '/api/dcim/devices/?include=config_context&include=computed_fields&include=relationships&limit=1',
    'vrfs-depth0.json': '/api/ipam/vrfs/?depth=0&limit=1',
  };
  for (const [file, path] of Object.entries(pages)) {
    const res = await call(peer, 'GET', path);
    await writeFile(`${OUT}${file}`, text({ nautobotVersion: version, request: `GET ${path}`, status: res.status, body: res.body }));
  }
  process.stdout.write(`recorded ${Object.keys(errors).length} error cases and ${Object.keys(pages).length} pages from Nautobot ${version} into ${OUT}\n`);
}

await main();
