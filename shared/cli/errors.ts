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

/** Prints an error the way a user can act on it and returns the exit code (2 config, 1 runtime). */
export function reportError(err: unknown, io: CliIO): number {
  const say = (text: string) => io.err(redactText(text, knownSecrets(io.env)));
  if (err instanceof ExitError) {
    if (err.message) say(`${err.message}\n`);
    return err.code;
  }
  if (err instanceof ConfigError) {
    say(`error: ${err.message}\n`);
    for (const p of err.problems) say(`  ${p}\n`);
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
