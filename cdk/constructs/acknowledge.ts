// cdk-nag v3 acknowledgments name each finding exactly, e.g.
// `AwsSolutions-IAM5[Resource::<StorageBucket5CB7C8EA.Arn>/runs/*]`, so the ids are built from
// the same logical ids the template uses instead of being copied by hand.
import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** `<LogicalId.Arn>` as cdk-nag prints a `Fn::GetAtt [LogicalId, Arn]` in a finding. */
export function arnToken(resource: IConstruct): string {
  const stack = Stack.of(resource);
  const cfn = resource.node.defaultChild as CfnElement;
  return `<${stack.resolve(stack.getLogicalId(cfn)) as string}.Arn>`;
}

export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
}
