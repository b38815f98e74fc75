/**
 * Pairs of real synthesized templates for the diff's tests, and the cross-check of a comparison with a real
 * policy evaluator (`@cloud-copilot/iam-simulate`): IAM allows a request when an Allow matches it and no Deny
 * does (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html), so every
 * sampled request of an added grant must be allowed after and not before, and the other way round for a removal.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { AthenaTargetRole, AthenaTargetRoleProps } from '../../lib';
import { AccessChange, Grant } from '../../lib/audit/access';
import { PrincipalComparison } from '../../lib/audit/compare';
import { PrincipalPermissions } from '../../lib/audit/principal';
import { principalsFromTemplate } from '../../lib/audit/template-principals';
import { CUSTOMER_ACCOUNT } from '../support/full-options';
import { ALLOW_EVERYTHING, decideAsRole, decideAssumeRole, Decision, DeployedRole } from '../support/simulate';
import { newStack } from '../support/stacks';

export const REGION = 'eu-west-1';
export const DEPLOYMENT = { accountId: CUSTOMER_ACCOUNT, region: REGION };

/** The template of a stack holding one AthenaTargetRole with `props`. */
export function targetRoleTemplate(props: AthenaTargetRoleProps): Record<string, any> {
  const stack = newStack({ env: { account: CUSTOMER_ACCOUNT, region: REGION } });
  new AthenaTargetRole(stack, 'TargetRole', props);
  return Template.fromStack(stack).toJSON();
}

/** The one role of a template. */
export function roleOf(template: unknown): PrincipalPermissions {
  const roles = principalsFromTemplate(template, DEPLOYMENT, { source: 'test' }).filter((p) => p.kind === 'role');
  expect(roles).toHaveLength(1);
  return roles[0];
}

/** A principal as the simulator takes it. */
export function simulated(p: PrincipalPermissions): DeployedRole {
  return {
    arn: p.arn!,
    name: p.name!,
    account: CUSTOMER_ACCOUNT,
    identityPolicies: p.policies.map((policy, i) => ({ name: `${policy.source}-${i}`, policy: policy.document })),
    trustPolicy: p.trust,
  };
}

/** A concrete value inside a pattern: each wildcard becomes text no narrower pattern of the tests names. */
export function sample(pattern: string): string {
  return pattern.replace(/\*/g, 'qx-outside').replace(/\?/g, 'q');
}

/** A request context that satisfies a grant's condition (its first value of each clause). */
function contextOf(grant: Grant): Record<string, string> {
  return Object.fromEntries((grant.condition ?? []).map((clause) => [clause.key, sample(clause.values[0])]));
}

/** What the simulator decides for the request a change's grant stands for, before and after. */
export async function decisions(
  comparison: PrincipalComparison,
  change: AccessChange,
  area: 'permissions' | 'guardrails' | 'trust',
): Promise<[Decision, Decision]> {
  const context = contextOf(change.grant);
  // AssumeRole across accounts needs the caller's policy too: one that allows everything leaves the trust to decide.
  const decide = (p: PrincipalPermissions) => (area === 'trust'
    ? decideAssumeRole(simulated(p), {
      principal: change.grant.target.replace(/^AWS:/, ''),
      callerPolicies: [ALLOW_EVERYTHING],
      externalId: context['sts:externalid'],
      sessionName: context['sts:rolesessionname'],
      principalOrgId: context['aws:principalorgid'],
    })
    : decideAsRole(simulated(p), { action: change.action, resource: change.grant.target === '*' ? '*' : sample(change.grant.target), context },
      area === 'guardrails' ? [ALLOW_EVERYTHING] : []));
  return [await decide(comparison.before), await decide(comparison.after)];
}

/**
 * Checks every change (every `step`-th one) against the simulator: a change that broadens lets its request
 * through after and not before, one that narrows the other way round.
 */
export async function expectSimulatorAgrees(comparison: PrincipalComparison, step = 1): Promise<number> {
  const areas = [
    ...comparison.permissions.allows.map((c) => ['permissions', c] as const),
    ...comparison.permissions.denies.map((c) => ['guardrails', c] as const),
    ...comparison.trust.allows.map((c) => ['trust', c] as const),
  ].filter(([, c], i) => i % step === 0 && c.kind !== 'condition-changed' && c.grant.except === undefined);
  const disagreements: string[] = [];
  for (const [area, change] of areas) {
    const [before, after] = await decisions(comparison, change, area);
    const ok = change.broadens ? before !== 'Allowed' && after === 'Allowed' : before === 'Allowed' && after !== 'Allowed';
    if (!ok) disagreements.push(`${area} ${change.kind} ${change.action} ${change.grant.target}: before ${before}, after ${after}`);
  }
  expect(disagreements).toEqual([]);
  return areas.length;
}
