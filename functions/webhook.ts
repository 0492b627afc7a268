// NetBox / Nautobot webhooks through a Lambda function URL or an HTTP API route
// `POST /webhooks/{name}`: verify the signature, drop replays, start a scoped sync run, 202.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { awsRuntimeFromEnv } from '../shared/runtime/aws/runtime-from-env.js';
import { RunInProgressError } from '../shared/runtime/run/lock.js';
import { startRun } from '../shared/runtime/run/start.js';
import { receiveWebhook } from '../shared/runtime/webhook/receive.js';
import { rawBody } from '../shared/runtime/webhook/signature.js';

const rt = awsRuntimeFromEnv(process.env, 'infrahub-sync-webhook');

function configName(event: APIGatewayProxyEventV2): string {
  return event.pathParameters?.name ?? event.rawPath.split('/').filter(Boolean).pop() ?? '';
}

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  try {
    const res = await receiveWebhook(
      {
        store: rt.store,
        logger: rt.deps.logger,
        key: (name) => rt.webhookKey(name),
        toleranceSeconds: rt.webhookToleranceSeconds,
        loadConfig: (name) => rt.loadConfig(name),
        startRun: (loaded, scope, detail) =>
          startRun(rt.deps, { loaded, mode: 'sync', scope, trigger: { kind: 'webhook', detail }, batchSize: rt.batchSize, exclusive: true }),
      },
      {
        name: configName(event),
        headers: event.headers ?? {},
        body: rawBody(event.body, event.isBase64Encoded),
      },
    ).catch((err: unknown) => {
      // Another sync of the config is running; the delivery was forgotten, so a resend starts one.
      if (!(err instanceof RunInProgressError)) throw err;
      rt.logger.warn('webhook refused: a sync of the config is running', { name: err.config, activeRunId: err.activeRunId });
      return { statusCode: 409, body: JSON.stringify({ message: err.message, activeRunId: err.activeRunId }) };
    });
    return { statusCode: res.statusCode, headers: { 'content-type': 'application/json' }, body: res.body };
  } finally {
    rt.metrics.publishStoredMetrics();
  }
};
