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
