import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PolicySizer } from './policy-sizer';
import { IAM_LIMITS } from '../../model/size';

/**
 * IAM counts all inline policies of a role or group together: at most 10,240 characters for a role and 5,120
 * for a group (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). The identity's inline
 * policies are its own `Policies` and every `AWS::IAM::Policy` of the stack attached to it (the query policy's
 * overflow, or the default policy `addToPolicy` creates). Returns a problem when they exceed the limit.
 */
export function inlinePolicyProblems(identity: iam.Role | iam.Group, sizer: PolicySizer): string[] {
  const isRole = identity instanceof iam.Role;
  const [kind, limit, attachedTo] = isRole
    ? ['role', IAM_LIMITS.roleInlinePolicies, (p: iam.CfnPolicy) => p.roles]
    : ['group', IAM_LIMITS.groupInlinePolicies, (p: iam.CfnPolicy) => p.groups];
  const stack = Stack.of(identity);
  const cfn = identity.node.defaultChild as iam.CfnRole | iam.CfnGroup;
  const ref = JSON.stringify(stack.resolve(isRole ? identity.roleName : identity.groupName));
  const own = (stack.resolve(cfn.policies) ?? []).map((p: { policyDocument: unknown }) => p.policyDocument);
  const attached = stack.node.findAll()
    .filter((c): c is iam.CfnPolicy => c instanceof iam.CfnPolicy && Stack.of(c) === stack)
    .filter((p) => ((stack.resolve(attachedTo(p)) ?? []) as unknown[]).some((r) => JSON.stringify(r) === ref))
    .map((p) => p.policyDocument);
  const total = [...own, ...attached].reduce((sum: number, document) => sum + sizer.jsonLength(document), 0);
  return total > limit
    ? [`${kind}'s inline policies are ${total} characters together, over IAM's limit of ${limit} by ${total - limit} ` +
      `(lower maxInlinePolicyLength, or move statements added to the ${kind} into managed policies)`]
    : [];
}
