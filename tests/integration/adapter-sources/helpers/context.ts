// AdapterContext for tests: a memory logger and an explicit environment (never process.env,
// so a developer's NAUTOBOT_TOKEN cannot leak into a test).
import { MemoryLogger } from '../../../../shared/log.js';
import type { AdapterContext } from '../../../../shared/adapters/types.js';

export function testContext(env: Record<string, string> = {}): AdapterContext & { logger: MemoryLogger } {
  return { configDir: process.cwd(), env, logger: new MemoryLogger() };
}

/** Every logged message and field, as one string, to assert that a secret never appears. */
export function allLogText(logger: MemoryLogger): string {
  return JSON.stringify(logger.entries);
}
