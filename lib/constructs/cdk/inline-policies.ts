import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PolicySizer } from './policy-sizer';
import { IdentityKind, INLINE_POLICY_LIMITS } from '../../model/size';

/** An identity defined in the stack (not imported), whose inline policies synth can see. */
export type DefinedIdentity = iam.Role | iam.Group | iam.User;

/** The kind of an identity defined in the stack, or undefined for an imported one. */
export function definedIdentityKind(identity: unknown): IdentityKind | undefined {
  if (identity instanceof iam.Role) return 'role';
  if (identity instanceof iam.Group) return 'group';
  if (identity instanceof iam.User) return 'user';
  return undefined;
}

/**
 * The identity's inline policies are its own `Policies` and every `AWS::IAM::Policy` of the stack attached to it
 * (the query policy's overflow, or the default policy `addToPolicy` creates). Returns a problem when they exceed
 * {@link INLINE_POLICY_LIMITS}.
 */
export function inlinePolicyProblems(identity: DefinedIdentity, sizer: PolicySizer): string[] {
  const kind = definedIdentityKind(identity)!;
  const limit = INLINE_POLICY_LIMITS[kind];
  const stack = Stack.of(identity);
  const cfn = identity.node.defaultChild as iam.CfnRole | iam.CfnGroup | iam.CfnUser;
  const name = identity instanceof iam.Role ? identity.roleName : identity instanceof iam.Group ? identity.groupName : identity.userName;
  const attachedTo = (p: iam.CfnPolicy) => (kind === 'role' ? p.roles : kind === 'group' ? p.groups : p.users);
  const ref = JSON.stringify(stack.resolve(name));
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
