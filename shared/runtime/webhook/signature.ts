// NetBox and Nautobot sign a webhook with `X-Hook-Signature`: the hex HMAC-SHA512 of the raw
// request body, keyed with the webhook's secret (UTF-8).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hook-signature';

export function signBody(body: Buffer | string, secret: string): string {
  return createHmac('sha512', Buffer.from(secret, 'utf8')).update(body).digest('hex');
}

/** Timing-safe; false for a missing, malformed or wrong signature. */
export function verifySignature(body: Buffer, secret: string, header: string | undefined): boolean {
  if (!header || secret === '') return false;
  const given = header.trim().toLowerCase();
  if (!/^[0-9a-f]{128}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(signBody(body, secret), 'hex'));
}

/** The request's raw body bytes, as the sender signed them (Lambda may hand them over base64). */
export function rawBody(body: string | undefined | null, isBase64Encoded: boolean | undefined): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  return isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}
