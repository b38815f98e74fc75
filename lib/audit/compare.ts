import { AccessComparison, compareDocuments } from './access';
import { LakeFormationPermission, PrincipalPermissions } from './principal';

/**
 * What changed between two versions of one principal, by access: its identity policies (with their Deny
 * guardrails), its trust, its permissions boundary, the managed policies held elsewhere, and its Lake Formation
 * grants. drift compares an expected principal with a deployed one, diff two expected ones.
 */

/** A permissions boundary's change. */
export interface BoundaryComparison {
  /** The boundary before and after: its source (logical id or ARN), absent when there is none. */
  readonly before?: string;
  readonly after?: string;
  /** The change of what the boundary allows, when both sides have a boundary whose document is known. */
  readonly access?: AccessComparison;
  readonly changed: boolean;
  readonly broadens: boolean;
}

/** One Lake Formation permission on one resource. */
export interface LakeFormationGrantChange {
  /** The resource as the API writes it (`{ Database: { CatalogId, Name } }`, ...). */
  readonly resource: Record<string, unknown>;
  /** `database sales`, `table sales.*`, `data location arn:...`, ... */
  readonly description: string;
  readonly permission: string;
  /** Whether it is held with the grant option (the principal may grant it on). */
  readonly grantable: boolean;
}

/** What changed between two versions of one principal. */
export interface PrincipalComparison {
  readonly before: PrincipalPermissions;
  readonly after: PrincipalPermissions;
  /** The identity policies' allows and their Deny guardrails. */
  readonly permissions: AccessComparison;
  /** Who may assume the role (a user has none). */
  readonly trust: AccessComparison;
  readonly permissionsBoundary: BoundaryComparison;
  /** Managed policies attached by ARN whose documents neither side holds. */
  readonly externalPolicies: { readonly added: string[]; readonly removed: string[] };
  /** Lake Formation grants; both empty when either side did not read them. */
  readonly lakeFormation: { readonly added: LakeFormationGrantChange[]; readonly removed: LakeFormationGrantChange[] };
  readonly changed: boolean;
  readonly broadens: boolean;
}

/** Compares two versions of one principal by what they allow. */
export function comparePrincipals(before: PrincipalPermissions, after: PrincipalPermissions): PrincipalComparison {
  const permissions = compareDocuments(before.policies.map((p) => p.document), after.policies.map((p) => p.document));
  const trust = compareDocuments(before.trust ? [before.trust] : [], after.trust ? [after.trust] : [], 'trust');
  const permissionsBoundary = compareBoundaries(before, after);
  const externalPolicies = setChanges(before.externalPolicyArns ?? [], after.externalPolicyArns ?? []);
  const lakeFormation = before.lakeFormation && after.lakeFormation
    ? lakeFormationChanges(before.lakeFormation, after.lakeFormation)
    : { added: [], removed: [] };
  const changed = permissions.changed || trust.changed || permissionsBoundary.changed
    || externalPolicies.added.length + externalPolicies.removed.length + lakeFormation.added.length + lakeFormation.removed.length > 0;
  const broadens = permissions.broadens || trust.broadens || permissionsBoundary.broadens
    || externalPolicies.added.length > 0 || lakeFormation.added.length > 0;
  return { before, after, permissions, trust, permissionsBoundary, externalPolicies, lakeFormation, changed, broadens };
}

/**
 * A boundary caps what the identity policies allow: adding one narrows, removing one broadens, and between two
 * boundaries what the boundary allows more broadens
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
 */
function compareBoundaries(before: PrincipalPermissions, after: PrincipalPermissions): BoundaryComparison {
  const name = (p: PrincipalPermissions) => p.permissionsBoundary?.source ?? p.externalPermissionsBoundaryArn;
  const sides = { ...(name(before) ? { before: name(before) } : {}), ...(name(after) ? { after: name(after) } : {}) };
  if (before.permissionsBoundary && after.permissionsBoundary) {
    const access = compareDocuments([before.permissionsBoundary.document], [after.permissionsBoundary.document]);
    return { ...sides, access, changed: access.changed, broadens: access.broadens };
  }
  const changed = name(before) !== name(after);
  return { ...sides, changed, broadens: changed && name(before) !== undefined };
}

function setChanges(before: string[], after: string[]): { added: string[]; removed: string[] } {
  return { added: after.filter((a) => !before.includes(a)).sort(), removed: before.filter((b) => !after.includes(b)).sort() };
}

function lakeFormationChanges(
  before: LakeFormationPermission[],
  after: LakeFormationPermission[],
): { added: LakeFormationGrantChange[]; removed: LakeFormationGrantChange[] } {
  const flat = (permissions: LakeFormationPermission[]) => {
    const grants = new Map<string, LakeFormationGrantChange>();
    for (const p of permissions) {
      const resource = sortKeys(p.resource) as Record<string, unknown>;
      const held = [...p.permissions.map((x) => [x, false] as const), ...p.permissionsWithGrantOption.map((x) => [x, true] as const)];
      for (const [permission, grantable] of held) {
        const description = describeLakeFormationResource(resource);
        grants.set(JSON.stringify([resource, permission, grantable]), { resource, description, permission, grantable });
      }
    }
    return grants;
  };
  const old = flat(before);
  const now = flat(after);
  const order = (a: LakeFormationGrantChange, b: LakeFormationGrantChange) => `${a.description} ${a.permission}`.localeCompare(`${b.description} ${b.permission}`);
  return {
    added: [...now].filter(([key]) => !old.has(key)).map(([, grant]) => grant).sort(order),
    removed: [...old].filter(([key]) => !now.has(key)).map(([, grant]) => grant).sort(order),
  };
}

/** A Lake Formation resource in words. */
export function describeLakeFormationResource(resource: Record<string, unknown>): string {
  const [type, value] = Object.entries(resource)[0] ?? ['(none)', {}];
  const v = (value ?? {}) as Record<string, unknown>;
  switch (type) {
    case 'Catalog': return 'catalog';
    case 'Database': return `database ${v.Name}`;
    case 'Table':
    case 'TableWithColumns': return `${type === 'Table' ? 'table' : 'columns of table'} ${v.DatabaseName}.${v.TableWildcard !== undefined ? '*' : v.Name}`;
    case 'DataLocation': return `data location ${v.ResourceArn}`;
    default: return `${type} ${JSON.stringify(value)}`;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
}
