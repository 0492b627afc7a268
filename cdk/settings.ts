// Per-deployment settings: one YAML (or JSON) file, validated before anything is built, so a
// typo fails `cdk synth` with the key's path instead of deploying something half-configured.
// Read from $DEPLOYMENT_SETTINGS, else cdk/deployment.yml, else the defaults below
// (which is what lets a fresh clone synthesize with no file at all).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_TOLERANCE_SECONDS, MAX_TOLERANCE_SECONDS } from '../shared/runtime/webhook/receive.js';

/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const envName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an environment variable name (A-Z, 0-9, _)');
const configName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a config name as in configs/<name>.yml');
// Names that say "this is a credential": those belong in Secrets Manager, never in plain env vars.
const SECRET_LOOKING = /(TOKEN|PASSWORD|PASSWD|SECRET|API_KEY|PRIVATE_KEY|CREDENTIAL)/;

const secretArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/,
    'a complete Secrets Manager ARN (ending in the 6-character suffix), so grants need no wildcard',
  );

const functionSize = (memoryMb: number, timeoutSeconds: number, maxTimeout = 900) =>
  z
    .object({
      memoryMb: z.number().int().min(128).max(10240).default(memoryMb),
      timeoutSeconds: z.number().int().min(3).max(maxTimeout).default(timeoutSeconds),
    })
    .strict();

const consumer = (memoryMb: number, timeoutSeconds: number, maxConcurrency: number) =>
  functionSize(memoryMb, timeoutSeconds)
    .extend({
      // Lambda's SQS event source accepts 2..1000 concurrent invocations per mapping.
      maxConcurrency: z.number().int().min(2).max(1000).default(maxConcurrency),
      // Messages per invocation; each is a claim check, so 1 keeps a failure's blast radius small.
      batchSize: z.number().int().min(1).max(10).default(1),
      reservedConcurrency: z.number().int().min(1).optional(),
    })
    .strict();

const schedule = z
  .object({
    /** The config to run: configs/<config>.yml in the bucket. */
    config: configName,
    mode: z.enum(['sync', 'diff']).default('sync'),
    /** EventBridge Scheduler expression: `rate(1 hour)`, `cron(0 3 * * ? *)`. */
    expression: z
      .string()
      .regex(
        /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\))$/,
        'rate(<n> minute[s]|hour[s]|day[s]) or cron(<6 fields>)',
      ),
    /** IANA time zone the cron expression is read in. */
    timeZone: z.string().min(1).default('UTC'),
    branch: z.string().min(1).optional(),
    enabled: z.boolean().default(true),
    description: z.string().max(512).optional(),
  })
  .strict();

const secretRef = z
  .object({
    /** The runtime resolves <env>_SECRET_ARN into <env>, which the config reads as ${<env>}. */
    env: envName,
    /** An existing secret; without it the stack creates an empty one for you to fill in. */
    arn: secretArn.optional(),
    /** Pick one field of a JSON secret. */
    jsonKey: z.string().regex(/^[A-Za-z0-9_.-]+$/).optional(),
  })
  .strict();

export const settingsSchema = z
  .object({
    stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/).max(128).default('InfrahubSync'),
    account: z.string().regex(/^\d{12}$/).optional(),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/).optional(),
    bucket: z
      .object({
        /** Fixed bucket name; by default CloudFormation picks a unique one. */
        name: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/).optional(),
        encryption: z.enum(['s3-managed', 'kms']).default('s3-managed'),
        /** Runs (snapshots, plans, results, reports) older than this are deleted. */
        runsExpirationDays: z.number().int().min(1).max(3650).default(90),
        /** Older versions of overwritten or deleted objects are kept this long. */
        noncurrentVersionExpirationDays: z.number().int().min(1).max(3650).default(30),
        /** Server access logs to a separate bucket. */
        accessLogs: z.boolean().default(true),
        /** A local folder whose *.yml / *.yaml files are uploaded to configs/ on deploy. */
        configsDir: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    queues: z
      .object({
        /** Messages carry S3 keys (claim checks), so the SQS default of 256 KiB is ample. */
        maxMessageSizeBytes: z.number().int().min(1024).max(1_048_576).default(262_144),
        retentionDays: z.number().int().min(1).max(14).default(4),
        dlqRetentionDays: z.number().int().min(1).max(14).default(14),
        maxReceiveCount: z.number().int().min(1).max(1000).default(5),
      })
      .strict()
      .prefault({}),
    functions: z
      .object({
        trigger: functionSize(512, 60).prefault({}),
        webhook: functionSize(512, 30).prefault({}),
        loader: consumer(1024, 300, 5).prefault({}),
        diff: consumer(2048, 600, 2).prefault({}),
        // Apply writes to Infrahub: its reserved concurrency caps the load Infrahub sees. The last
        // batch of a sync also runs the verify, which loads and plans the written models again:
        // on the bench dataset (75,316 creates) that peaked at 1,030 MB, so it gets the diff's size.
        apply: consumer(2048, 300, 2)
          .extend({ reservedConcurrency: z.number().int().min(1).optional().default(2) })
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** Changes per apply message's batch file (BATCH_SIZE). */
    changesPerBatch: z.number().int().min(1).max(10_000).default(100),
    /** Plain settings the configs read as ${NAME}, e.g. INFRAHUB_ADDRESS; never credentials. */
    environment: z
      .record(envName, z.string())
      .default({})
      .superRefine((env, ctx) => {
        for (const key of Object.keys(env)) {
          if (SECRET_LOOKING.test(key)) {
            ctx.addIssue({
              code: 'custom',
              path: [key],
              message: `${key} looks like a credential: list it under "secrets" so it comes from Secrets Manager`,
            });
          }
        }
      }),
    secrets: z.array(secretRef).default([]),
    webhook: z
      .object({
        enabled: z.boolean().default(true),
        /** An existing secret: one string (each config's key is derived from it) or JSON
         *  {"<config>": "<secret>"}; see shared/runtime/webhook/secret.ts. */
        secretArn: secretArn.optional(),
        /** Accepted distance of a delivery's timestamp from now (WEBHOOK_TOLERANCE_SECONDS).
         *  At most 6 hours: replay markers expire after a day and must outlive twice the window. */
        toleranceSeconds: z.number().int().min(1).max(MAX_TOLERANCE_SECONDS).default(DEFAULT_TOLERANCE_SECONDS),
        reservedConcurrency: z.number().int().min(1).optional(),
      })
      .strict()
      .prefault({}),
    schedules: z.array(schedule).default([]),
    alarms: z
      .object({
        /** An existing SNS topic for alarm actions. */
        topicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/).optional(),
        /** Addresses subscribed to a topic the stack creates (ignored when topicArn is set). */
        emails: z.array(z.email()).default([]),
      })
      .strict()
      .prefault({}),
    logRetentionDays: z
      .number()
      .int()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `one of ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(30),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    metricsNamespace: z.string().regex(/^[A-Za-z0-9._/#:-]+$/).default('InfrahubSync'),
  })
  .strict()
  .superRefine((s, ctx) => {
    const apply = s.functions.apply;
    if (apply.reservedConcurrency !== undefined && apply.reservedConcurrency < apply.maxConcurrency) {
      ctx.addIssue({
        code: 'custom',
        path: ['functions', 'apply', 'reservedConcurrency'],
        message: `must be at least functions.apply.maxConcurrency (${apply.maxConcurrency}), or the event source is throttled`,
      });
    }
    const seen = new Set<string>();
    s.secrets.forEach((sec, i) => {
      if (seen.has(sec.env)) ctx.addIssue({ code: 'custom', path: ['secrets', i, 'env'], message: `${sec.env} listed twice` });
      seen.add(sec.env);
      if (sec.env in s.environment) {
        ctx.addIssue({ code: 'custom', path: ['secrets', i, 'env'], message: `${sec.env} is also under "environment"` });
      }
    });
    const scheduleIds = new Set<string>();
    s.schedules.forEach((sch, i) => {
      const id = scheduleId(sch);
      if (scheduleIds.has(id)) {
        ctx.addIssue({ code: 'custom', path: ['schedules', i], message: `a second ${sch.mode} schedule for ${sch.config}` });
      }
      scheduleIds.add(id);
    });
  });

export type DeploymentSettings = z.infer<typeof settingsSchema>;
export type DeploymentSettingsInput = z.input<typeof settingsSchema>;
export type ScheduleSettings = DeploymentSettings['schedules'][number];
export type SecretSettings = DeploymentSettings['secrets'][number];

/** One schedule per (config, mode): the construct id is derived from both. */
export function scheduleId(s: Pick<ScheduleSettings, 'config' | 'mode'>): string {
  return `${s.config}-${s.mode}`;
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export function parseSettings(input: unknown, source = 'deployment settings'): DeploymentSettings {
  const out = settingsSchema.safeParse(input ?? {});
  if (out.success) return out.data;
  const lines = out.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new SettingsError(`${source} is not valid:\n${lines.join('\n')}`);
}

export const DEFAULT_SETTINGS_FILE = path.join('cdk', 'deployment.yml');

/** The settings file in use: $DEPLOYMENT_SETTINGS, else cdk/deployment.yml if present. */
export function settingsFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  if (env.DEPLOYMENT_SETTINGS) return path.resolve(cwd, env.DEPLOYMENT_SETTINGS);
  const fallback = path.resolve(cwd, DEFAULT_SETTINGS_FILE);
  return existsSync(fallback) ? fallback : undefined;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): DeploymentSettings {
  const file = settingsFile(env, cwd);
  if (!file) return parseSettings({}, 'default settings');
  if (!existsSync(file)) throw new SettingsError(`deployment settings file ${file} does not exist`);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SettingsError(`${file} is not YAML/JSON: ${(err as Error).message}`);
  }
  return parseSettings(raw, file);
}
