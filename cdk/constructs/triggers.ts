// What starts a run: an EventBridge Scheduler schedule per configured (config, mode), and a
// Function URL for NetBox/Nautobot webhooks. On-demand runs invoke the trigger function directly.
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { scheduleId, type ScheduleSettings } from '../settings.js';
import { acknowledgeWildcardResource, arnToken } from './acknowledge.js';

export interface SchedulesProps {
  schedules: ScheduleSettings[];
  trigger: lambda.IFunction;
  /** Where Scheduler puts invocations it could not deliver after its retries. */
  deadLetterQueue: sqs.IQueue;
}

export class Schedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly schedules: scheduler.Schedule[] = [];

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    this.group = new scheduler.ScheduleGroup(this, 'Group', {});
    if (props.schedules.length === 0) return;
    // One role for every schedule, allowed to invoke the trigger function and nothing else.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: invoke the infrahub-sync trigger function',
    });
    acknowledgeWildcardResource(
      role,
      `${arnToken(props.trigger)}:*`,
      'lambda:InvokeFunction on the trigger function and its versions/aliases (ARN:*), added by the Scheduler target.',
    );
    for (const s of props.schedules) {
      // Same payload shape as an on-demand invoke, marked so the run records its trigger.
      const input: Record<string, string> = { kind: 'schedule', name: s.config, mode: s.mode };
      if (s.branch) input.branch = s.branch;
      this.schedules.push(
        new scheduler.Schedule(this, scheduleId(s), {
          scheduleGroup: this.group,
          schedule: scheduler.ScheduleExpression.expression(s.expression, TimeZone.of(s.timeZone)),
          target: new targets.LambdaInvoke(props.trigger, {
            role,
            input: scheduler.ScheduleTargetInput.fromObject(input),
            retryAttempts: 3,
            maxEventAge: Duration.hours(1),
            deadLetterQueue: props.deadLetterQueue,
          }),
          enabled: s.enabled,
          description: s.description ?? `infrahub-sync ${s.mode} of ${s.config}`,
        }),
      );
    }
  }
}

export interface WebhookEndpointProps {
  webhook: lambda.IFunction;
}

export class WebhookEndpoint extends Construct {
  readonly url: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: WebhookEndpointProps) {
    super(scope, id);
    // No IAM auth: NetBox and Nautobot cannot sign SigV4. The handler verifies each request's
    // HMAC signature against the webhook secret before it does anything.
    this.url = new lambda.FunctionUrl(this, 'Url', {
      function: props.webhook,
      authType: lambda.FunctionUrlAuthType.NONE,
      invokeMode: lambda.InvokeMode.BUFFERED,
    });
  }
}
