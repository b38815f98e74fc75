/**
 * The read-only IAM policy an auditor needs to run `qualytics-athena-iam drift`: every call the deployed-principal
 * reader (lib/audit/deployed.ts) makes, with what it reads. The README prints it; test/audit/drift-moto.test.ts
 * records the SDK commands the reader sends to an emulator and fails when one is missing here, or when an action
 * here is never called.
 */

/** One action of the auditor's policy and why drift calls it. */
export interface AuditorAction {
  /** The IAM action, `service:Name`. */
  readonly action: string;
  /** What drift reads with it. */
  readonly purpose: string;
}

/** The actions drift calls, in the order it reads a principal. */
export const AUDITOR_ACTIONS: readonly AuditorAction[] = [
  { action: 'iam:GetRole', purpose: "a role's trust policy and permissions boundary" },
  { action: 'iam:ListRolePolicies', purpose: "the names of a role's inline policies" },
  { action: 'iam:GetRolePolicy', purpose: "each inline policy's document" },
  { action: 'iam:ListAttachedRolePolicies', purpose: 'the managed policies attached to a role' },
  { action: 'iam:GetPolicy', purpose: "a managed policy's default version (attached policies and the boundary)" },
  { action: 'iam:GetPolicyVersion', purpose: "the default version's document" },
  { action: 'iam:GetUser', purpose: "an access key user's permissions boundary" },
  { action: 'iam:ListUserPolicies', purpose: "the names of a user's inline policies" },
  { action: 'iam:GetUserPolicy', purpose: "each of a user's inline policy documents" },
  { action: 'iam:ListAttachedUserPolicies', purpose: 'the managed policies attached to a user' },
  { action: 'iam:ListGroupsForUser', purpose: 'the groups whose policies a user holds' },
  { action: 'iam:ListGroupPolicies', purpose: "the names of each group's inline policies" },
  { action: 'iam:GetGroupPolicy', purpose: "each group inline policy's document" },
  { action: 'iam:ListAttachedGroupPolicies', purpose: 'the managed policies attached to each group' },
  {
    action: 'lakeformation:ListPermissions',
    purpose: "the principal's Lake Formation grants (not with --skip-lake-formation; Lake Formation shows the caller only grants it may see: run it as a data lake administrator)",
  },
];

/** The auditor's policy document: only the reads above. IAM's Get and List calls are read-only. */
export function auditorPolicyDocument(): { Version: string; Statement: Array<Record<string, unknown>> } {
  const byService = (prefix: string) => AUDITOR_ACTIONS.map((a) => a.action).filter((a) => a.startsWith(`${prefix}:`));
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadIdentityPolicies', Effect: 'Allow', Action: byService('iam'), Resource: '*' },
      { Sid: 'ReadLakeFormationGrants', Effect: 'Allow', Action: byService('lakeformation'), Resource: '*' },
    ],
  };
}
