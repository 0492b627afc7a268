import { redactText } from '../config/redact.js';
import { AdapterError, ConfigError, DuplicateKeyError, GuardrailError, PlanChangedError } from '../errors.js';
import type { CliIO } from './io.js';
import { ExitError } from './io.js';

const SECRET_ENV = /TOKEN|PASSWORD|SECRET|API_KEY/i;

/** Values that must never reach the terminal: secret-looking environment variables. */
function knownSecrets(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([k, v]) => SECRET_ENV.test(k) && typeof v === 'string' && v.length >= 4)
    .map(([, v]) => v as string);
}

/** Text for the terminal with every secret-looking environment value blanked out. */
export function redactor(io: CliIO): (text: string) => string {
  const secrets = knownSecrets(io.env);
  return (text) => redactText(text, secrets);
}

/** Prints an error the way a user can act on it and returns the exit code (2 config, 1 runtime). */
export function reportError(err: unknown, io: CliIO): number {
  const redact = redactor(io);
  const say = (text: string) => io.err(redact(text));
  if (err instanceof ExitError) {
    if (err.message) say(`${err.message}\n`);
    return err.code;
  }
  if (err instanceof ConfigError) {
    // A config's problems are often its message already (one problem, or all of them joined):
    // each is said once, the message's lines first, then any problem they did not include.
    const lines = err.message.split('\n');
    for (const l of lines) say(`error: ${l}\n`);
    for (const p of err.problems) if (!lines.includes(p)) say(`  ${p}\n`);
    return 2;
  }
  if (err instanceof GuardrailError || err instanceof PlanChangedError) {
    say(`refused: ${err.message}\n`);
    return 1;
  }
  if (err instanceof AdapterError || err instanceof DuplicateKeyError) {
    say(`error: ${err.message}\n`);
    return 1;
  }
  const e = err as Error;
  say(`error: ${e?.message ?? String(err)}\n`);
  if (io.env.INFRAHUB_SYNC_DEBUG && e?.stack) say(`${e.stack}\n`);
  return 1;
}
