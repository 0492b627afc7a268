// The key a config's webhook deliveries are signed with. A signature must be bound to the config
// it is for: with one secret shared by several configs, a body signed for config A would be a
// valid delivery to config B too (same secret, same HMAC), and anyone who saw one delivery could
// start runs on every config. So each config gets its own key:
//
// - the secret is JSON {"<config>": "<secret>"}: that config's secret, as is. Two configs that
//   share one are refused (a delivery to either answers 500) rather than silently bound to both;
// - the secret is one string: the key of config N is derived from it, the hex HMAC-SHA256 of
//   "infrahub-sync webhook N" keyed with the string. Put that key in NetBox or Nautobot as the
//   webhook's secret (docs/deploy.md: `printf 'infrahub-sync webhook %s' N | openssl dgst
//   -sha256 -hmac "$SECRET"`); a delivery signed with the shared string itself is refused.
import { createHmac } from 'node:crypto';

/** The webhook is set up wrong: its secret is malformed or shared between configs, or its
 *  tolerance is out of range. The delivery is answered 500; the message goes to the log. */
export class WebhookConfigError extends Error {
  override readonly name = 'WebhookConfigError';
}

export const DERIVATION_LABEL = 'infrahub-sync webhook ';

export function deriveWebhookKey(secret: string, name: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${DERIVATION_LABEL}${name}`, 'utf8').digest('hex');
}

/**
 * The key deliveries to config `name` must be signed with; undefined when no secret is set up for
 * it. Throws WebhookConfigError (never with the secret in the message) when the secret text is
 * unusable: JSON that does not parse, an entry that is not a non-empty string, or an entry
 * that another config shares.
 */
export function webhookKey(secretText: string | undefined, name: string): string | undefined {
  if (secretText === undefined || secretText.trim() === '') return undefined;
  if (!secretText.trimStart().startsWith('{')) return deriveWebhookKey(secretText, name);
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretText);
  } catch {
    throw new WebhookConfigError('the webhook secret starts with "{" but is not valid JSON');
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  const own = entries.find(([config]) => config === name)?.[1];
  if (own === undefined) return undefined;
  if (typeof own !== 'string' || own === '') {
    throw new WebhookConfigError(`the webhook secret's entry for ${name} is not a non-empty string`);
  }
  const sharers = entries.filter(([config, value]) => config !== name && value === own).map(([config]) => config);
  if (sharers.length > 0) {
    throw new WebhookConfigError(
      `config ${name} shares its webhook secret with ${sharers.join(', ')}; a delivery signed for one would be ` +
        'valid for the other: give each config its own secret, or use one string secret (keys are then derived per config)',
    );
  }
  return own;
}
