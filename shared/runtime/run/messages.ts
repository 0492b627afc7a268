// Queue messages are parsed, not trusted: a malformed body is a permanent failure, reported once.
import { z } from 'zod';
import type { RunMessage } from './types.js';

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
const runRef = z.object({ name, runId: name });
const model = z.string().regex(/^[A-Za-z0-9_]+$/);

export const runMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('load'), run: runRef, side: z.enum(['source', 'destination']), model }),
  z.object({ type: z.literal('diff'), run: runRef }),
  z.object({
    type: z.literal('apply'),
    run: runRef,
    stage: z.number().int().nonnegative(),
    batch: z.number().int().nonnegative(),
    key: z.string().min(1),
  }),
]);

export function parseRunMessage(body: string): RunMessage {
  return runMessageSchema.parse(JSON.parse(body)) satisfies RunMessage;
}
