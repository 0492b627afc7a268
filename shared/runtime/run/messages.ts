// Queue messages are parsed, not trusted: a malformed body is a permanent failure, reported once.
import { z } from 'zod';
import { isValidModelName, isValidName, isValidRunId, MODEL_RULE, NAME_RULE } from '../../config/names.js';
import type { RunMessage } from './types.js';

const name = z.string().refine(isValidName, { message: NAME_RULE });
const runRef = z.object({ name, runId: z.string().refine(isValidRunId) });
const model = z.string().refine(isValidModelName, { message: MODEL_RULE });

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
