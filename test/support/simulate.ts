/**
 * Evaluates requests against the policies of synthesized roles with a real IAM policy evaluator
 * (`@cloud-copilot/iam-simulate`). AGPL: imported from tests only, never from lib/ or bin/.
 */
import { runSimulation, SimulationIdentityPolicy } from '@cloud-copilot/iam-simulate';
import { CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DeployedStack } from './cloudformation';

/** How IAM decides a request. */
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** A role as deployed: its ARN, the policies attached to it and its trust policy. */
export interface DeployedRole {
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  readonly identityPolicies: SimulationIdentityPolicy[];
  readonly trustPolicy: any;
}

/** An IAM user as deployed: its ARN and the policies it has (its own and its groups'). */
export type DeployedUser = Omit<DeployedRole, 'trustPolicy'>;

/** One API call: an action on a resource, with the request's condition context. */
export interface ApiCall {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  /** The resource's policy (a key policy, a bucket policy), if it has one. */
  readonly resourcePolicy?: any;
  /** The account owning the resource. @default the caller's account */
  readonly resourceAccount?: string;
}

/** The logical ID of a role construct (or its `CfnRole`) in its stack. */
export function logicalIdOf(role: iam.Role): string {
  return Stack.of(role).getLogicalId(role.node.defaultChild as CfnElement);
}

/** The role `logicalId` of a resolved template, with every managed and inline policy attached to it. */
export function deployedRole(template: DeployedStack, logicalId: string): DeployedRole {
  const role = template.resources[logicalId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${logicalId} is not a role of the template`);
  const arn = template.arns[logicalId];
  const attachedArns = new Set<string>(role.Properties.ManagedPolicyArns ?? []);
  const identityPolicies: SimulationIdentityPolicy[] = [];
  for (const [id, resource] of Object.entries(template.resources)) {
    const attached = resource.Type === 'AWS::IAM::ManagedPolicy'
      ? attachedArns.has(template.arns[id]) || (resource.Properties.Roles ?? []).includes(template.refs[logicalId])
      : resource.Type === 'AWS::IAM::Policy' && (resource.Properties.Roles ?? []).includes(template.refs[logicalId]);
    if (attached) identityPolicies.push({ name: id, policy: resource.Properties.PolicyDocument });
  }
  for (const inline of role.Properties.Policies ?? []) {
    identityPolicies.push({ name: inline.PolicyName, policy: inline.PolicyDocument });
  }
  return {
    arn,
    name: template.refs[logicalId],
    account: template.deployment.account,
    identityPolicies,
    trustPolicy: role.Properties.AssumeRolePolicyDocument,
  };
}

/** The ARN of a session of `role` named `sessionName`, the principal of the calls made with its credentials. */
export function sessionArn(role: DeployedRole, sessionName = 'qualytics-athena-conn42'): string {
  return `${role.arn.replace(':iam::', ':sts::').replace(/:role\/(.*\/)?/, ':assumed-role/')}/${sessionName}`;
}

async function evaluate(
  principal: string,
  identityPolicies: SimulationIdentityPolicy[],
  call: ApiCall,
  callerAccount: string,
): Promise<Decision> {
  const response = await runSimulation({
    request: {
      principal,
      action: call.action,
      resource: { resource: call.resource, accountId: call.resourceAccount ?? callerAccount },
      contextVariables: call.context ?? {},
    },
    identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: call.resourcePolicy,
  }, {});
  if (response.resultType === 'error') {
    throw new Error(`The simulator rejected ${call.action} on ${call.resource}: ${JSON.stringify(response.errors)}`);
  }
  return response.overallResult as Decision;
}

/**
 * How IAM decides `call` made with a session of `role`. `extraPolicies` are attached to the role too (for
 * example a broad policy someone adds later, to prove guardrails hold).
 */
export function decideAsRole(role: DeployedRole, call: ApiCall, extraPolicies: SimulationIdentityPolicy[] = []): Promise<Decision> {
  return evaluate(sessionArn(role), [...role.identityPolicies, ...extraPolicies], call, role.account);
}

/** How IAM decides `call` made with the access key of `user` (the user's ARN is the principal). */
export function decideAsUser(user: DeployedUser, call: ApiCall, extraPolicies: SimulationIdentityPolicy[] = []): Promise<Decision> {
  return evaluate(user.arn, [...user.identityPolicies, ...extraPolicies], call, user.account);
}

/**
 * How the trust policy of `role` alone decides `call.action` by `call.principal`: for service and federated
 * principals, which have no identity policies.
 */
export function decideTrust(role: DeployedRole, call: { principal: string; action: string; context: Record<string, string> }): Promise<Decision> {
  return evaluate(call.principal, [], {
    action: call.action,
    resource: role.arn,
    context: call.context,
    resourcePolicy: role.trustPolicy,
  }, role.account);
}

/** The request context of an AssumeRole call. */
export interface AssumeRoleRequest {
  /** The caller (a role ARN or a session ARN). */
  readonly principal: string;
  /** The identity policies of the caller. @default none */
  readonly callerPolicies?: SimulationIdentityPolicy[];
  readonly externalId?: string;
  readonly sessionName?: string;
  readonly principalOrgId?: string;
}

/** How IAM decides `sts:AssumeRole` of `target` by `request.principal`: the target's trust and the caller's policies. */
export function decideAssumeRole(target: DeployedRole, request: AssumeRoleRequest): Promise<Decision> {
  return decideStsAction('sts:AssumeRole', target, request, {});
}

/**
 * How IAM decides one action STS authorizes for an AssumeRole call: the target's trust and the caller's
 * policies. Across accounts both must allow it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html); in
 * one account a trust that names the caller's role ARN is enough, an identity policy alone never is ("IAM role
 * trust policies ... must explicitly allow access for principals",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 */
function decideStsAction(
  action: string,
  target: DeployedRole,
  request: AssumeRoleRequest,
  tagContext: Record<string, string | string[]>,
): Promise<Decision> {
  const context: Record<string, string | string[]> = { ...tagContext };
  if (request.externalId !== undefined) context['sts:ExternalId'] = request.externalId;
  if (request.sessionName !== undefined) context['sts:RoleSessionName'] = request.sessionName;
  if (request.principalOrgId !== undefined) context['aws:PrincipalOrgID'] = request.principalOrgId;
  const callerAccount = request.principal.split(':')[4];
  return evaluate(request.principal, request.callerPolicies ?? [], {
    action,
    resource: target.arn,
    context,
    resourcePolicy: target.trustPolicy,
    resourceAccount: target.account,
  }, callerAccount);
}

/**
 * The six session tags EKS Pod Identity puts on the base role's session, all transitive (EKS user guide,
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html#pod-id-abac-tags and
 * #pod-id-abac-chaining), with the values a pod of the self-hosted example would have.
 */
export const POD_IDENTITY_TAGS: Readonly<Record<string, string>> = {
  'eks-cluster-arn': 'arn:aws:eks:us-east-1:111122223333:cluster/qualytics-dataplane',
  'eks-cluster-name': 'qualytics-dataplane',
  'kubernetes-namespace': 'qualytics',
  'kubernetes-service-account': 'qualytics-spark',
  'kubernetes-pod-name': 'qualytics-spark-driver-7d9f',
  'kubernetes-pod-uid': '0f8e6b1c-3f2a-4c55-9a1e-2b7d9c0e4f11',
};

/** What STS decides for an AssumeRole made with a session that carries transitive session tags. */
export interface ChainedAssumeRoleDecision {
  /** The decision for `sts:AssumeRole`. */
  readonly assumeRole: Decision;
  /** The decision for `sts:TagSession`, when the session passes tags on; absent without tags. */
  readonly tagSession?: Decision;
  /** Whether STS hands out the new session's credentials: only when every authorized action is allowed. */
  readonly credentials: boolean;
}

/**
 * The second hop of the trust chain as STS decides it. A session with transitive tags passes them into the
 * session it assumes (IAM user guide, "Chaining roles with session tags",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_role-chaining), so the
 * request carries them as `aws:RequestTag/<key>` and `aws:TagKeys`, and STS authorizes `sts:TagSession` "in
 * addition to the action that matches the API operation" (same page, "Permissions required to add session
 * tags"); the AssumeRole call succeeds only when both are allowed. Across accounts the caller's identity policy
 * must allow both too (EKS user guide, https://docs.aws.amazon.com/eks/latest/userguide/pod-id-assign-target-role.html).
 * `sts:TagSession` is never a call of its own here: it yields no credentials without AssumeRole.
 */
export async function decideChainedAssumeRole(
  target: DeployedRole,
  request: AssumeRoleRequest & { readonly transitiveTags: Readonly<Record<string, string>> },
): Promise<ChainedAssumeRoleDecision> {
  const keys = Object.keys(request.transitiveTags);
  const tagContext: Record<string, string | string[]> = keys.length === 0 ? {} : {
    'aws:TagKeys': keys,
    ...Object.fromEntries(Object.entries(request.transitiveTags).map(([key, value]) => [`aws:RequestTag/${key}`, value])),
  };
  const assumeRole = await decideStsAction('sts:AssumeRole', target, request, tagContext);
  if (keys.length === 0) return { assumeRole, credentials: assumeRole === 'Allowed' };
  const tagSession = await decideStsAction('sts:TagSession', target, request, tagContext);
  return { assumeRole, tagSession, credentials: assumeRole === 'Allowed' && tagSession === 'Allowed' };
}

/** A policy that allows everything: what "someone attaches a broader policy later" looks like at worst. */
export const ALLOW_EVERYTHING: SimulationIdentityPolicy = {
  name: 'AdministratorAccess',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

/** The decision for each call, by label: compare with `toEqual` to see every call that differs at once. */
export async function decisionsAsRole(
  role: DeployedRole,
  calls: Array<ApiCall & { label: string }>,
  extraPolicies: SimulationIdentityPolicy[] = [],
): Promise<Record<string, Decision>> {
  const decided = await Promise.all(calls.map(async (call) => [call.label, await decideAsRole(role, call, extraPolicies)]));
  return Object.fromEntries(decided);
}

/** Every label mapped to `decision`, or to what `decide` says for the call. */
export function expectEach<T extends { label: string }>(calls: T[], decide: (call: T) => Decision): Record<string, Decision> {
  return Object.fromEntries(calls.map((call) => [call.label, decide(call)]));
}
