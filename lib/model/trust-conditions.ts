/** The conditions of the target role's trust. */
export interface TargetTrustOptions {
  /** Required External ID, if any. */
  readonly externalId?: string;
  /** Session names must start with this. */
  readonly sessionNamePrefix: string;
  /** Required organization of the caller, if any. */
  readonly organizationId?: string;
}

/**
 * The session tags EKS Pod Identity adds to the base role's session, all transitive: they ride along on every
 * `sts:AssumeRole` that session makes. EKS user guide, "Enable or disable session tags":
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html#pod-id-abac-tags
 */
export const POD_IDENTITY_SESSION_TAG_KEYS: readonly string[] = [
  'eks-cluster-arn',
  'eks-cluster-name',
  'kubernetes-namespace',
  'kubernetes-service-account',
  'kubernetes-pod-name',
  'kubernetes-pod-uid',
];

/**
 * Conditions on the target role's trust statement: the exact External ID (`sts:ExternalId`), the session
 * name prefix (`sts:RoleSessionName`, so every session is recognisable in CloudTrail) and the caller's
 * organization (`aws:PrincipalOrgID`).
 */
export function targetRoleTrustConditions(options: TargetTrustOptions): Record<string, Record<string, string>> {
  const stringEquals: Record<string, string> = {};
  if (options.externalId !== undefined) stringEquals['sts:ExternalId'] = options.externalId;
  if (options.organizationId !== undefined) stringEquals['aws:PrincipalOrgID'] = options.organizationId;
  return {
    ...(Object.keys(stringEquals).length > 0 ? { StringEquals: stringEquals } : {}),
    StringLike: { 'sts:RoleSessionName': `${options.sessionNamePrefix}*` },
  };
}

/**
 * Conditions on the target role's `sts:TagSession` statement: only the transitive tags EKS Pod Identity put on
 * the base role's session (`ForAllValues:StringEquals aws:TagKeys`), and the caller's organization when one is
 * required (a global key, present in every request).
 *
 * Deliberately without `sts:ExternalId` and `sts:RoleSessionName`: the Service Authorization Reference lists
 * neither for `sts:TagSession`, so a condition on them would never match. This opens nothing on its own: STS
 * authorizes `sts:TagSession` as part of an `AssumeRole` call, which the AssumeRole statement (External ID,
 * session name) must allow too ("Permissions required to add session tags",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_permissions-required).
 */
export function sessionTagTrustConditions(organizationId?: string): Record<string, Record<string, string | string[]>> {
  return {
    'ForAllValues:StringEquals': { 'aws:TagKeys': [...POD_IDENTITY_SESSION_TAG_KEYS] },
    ...(organizationId !== undefined ? { StringEquals: { 'aws:PrincipalOrgID': organizationId } } : {}),
  };
}
