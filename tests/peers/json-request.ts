// One JSON request to a real peer server, as the peer tools send them (test tooling). The
// answer's body is parsed when it is JSON and kept as text otherwise: an HTML or plain-text
// error page says more than a parse error would.

export interface JsonAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function jsonRequest(method: string, url: string, auth: Record<string, string>, body?: unknown): Promise<JsonAnswer> {
  const res = await fetch(url, {
    method,
    headers: {
      ...auth,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // Kept as text (see above).
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
