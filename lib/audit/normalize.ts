import { LakeFormationPermission, PolicyDocument } from './principal';

/**
 * What AWS rewrites between the document a template or module sends and the one IAM or Lake Formation returns,
 * undone so that drift reports only what changed what the principal may do:
 * - IAM returns documents URL-encoded (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html);
 * - `"Action": "x"` and `"Action": ["x"]` are the same; so are any order of statements, values and condition
 *   values, whitespace, and the Sids (labels with no effect:
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html);
 * - a principal written as a bare account id is the account's root ARN
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html);
 * - action names and condition keys are case-insensitive
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html);
 * - Lake Formation's ALL (the console's "Super") is every permission of the resource type, and a table wildcard
 *   grant implies DESCRIBE on its database ([LF-PERMS], [GRANT] below).
 */

/** A statement with every value a sorted list and no Sid: two statements that allow the same are equal. */
export interface NormalStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly action?: string[];
  readonly notAction?: string[];
  readonly resource?: string[];
  readonly notResource?: string[];
  readonly principal?: Record<string, string[]>;
  readonly notPrincipal?: Record<string, string[]>;
  /** operator -> condition key (lower case) -> values. */
  readonly condition?: Record<string, Record<string, string[]>>;
}

/**
 * A document as IAM returns it: URL-encoded JSON (RFC 3986, so `+` stays a plus). A document that is already
 * JSON (it starts with `{`, which IAM's encoding writes `%7B`) is read as it is: emulators such as moto return
 * GetPolicyVersion's Document unencoded, where a `%` is no escape.
 */
export function decodeDocument(encoded: string): PolicyDocument {
  return JSON.parse(/^\s*\{/.test(encoded) ? encoded : decodeURIComponent(encoded)) as PolicyDocument;
}

/** The document's statements normalized, sorted and without duplicates. */
export function normalizeDocument(document: PolicyDocument): NormalStatement[] {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const byKey = new Map(statements.map(normalizeStatement).map((s) => [statementKey(s), s]));
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}

/** A statement's canonical text, for equality and sorting. */
export function statementKey(statement: NormalStatement): string {
  return JSON.stringify(statement);
}

function normalizeStatement(raw: Record<string, unknown>): NormalStatement {
  const list = (value: unknown, lower = false): string[] | undefined => value === undefined ? undefined
    : [...new Set((Array.isArray(value) ? value : [value]).map((v) => (lower ? String(v).toLowerCase() : String(v))))].sort();
  const principal = (value: unknown): Record<string, string[]> | undefined => {
    if (value === undefined) return undefined;
    if (value === '*') return { AWS: ['*'] };
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))
      .map(([type, ids]) => [type, list(ids)!.map((id) => (type === 'AWS' && /^\d{12}$/.test(id) ? `arn:aws:iam::${id}:root` : id)).sort()]));
  };
  const condition = raw.Condition as Record<string, Record<string, unknown>> | undefined;
  const statement: Record<string, unknown> = {
    effect: raw.Effect,
    action: list(raw.Action, true),
    notAction: list(raw.NotAction, true),
    resource: list(raw.Resource),
    notResource: list(raw.NotResource),
    principal: principal(raw.Principal),
    notPrincipal: principal(raw.NotPrincipal),
    condition: condition === undefined || Object.keys(condition).length === 0 ? undefined
      : Object.fromEntries(Object.keys(condition).sort().map((operator) => [operator, Object.fromEntries(
        Object.entries(condition[operator]).map(([key, values]) => [key.toLowerCase(), list(values)!] as const)
          .sort(([a], [b]) => a.localeCompare(b)))])),
  };
  return Object.fromEntries(Object.entries(statement).filter(([, v]) => v !== undefined)) as unknown as NormalStatement;
}

/**
 * Lake Formation permissions per resource type, from the Lake Formation permissions reference
 * ([LF-PERMS] https://docs.aws.amazon.com/lake-formation/latest/dg/lf-permissions-reference.html): ALL (Super)
 * on a resource is every one of them.
 */
export const LAKE_FORMATION_PERMISSIONS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  Catalog: ['ALTER', 'CREATE_DATABASE', 'DESCRIBE', 'DROP'],
  Database: ['ALTER', 'CREATE_TABLE', 'DESCRIBE', 'DROP'],
  Table: ['ALTER', 'DELETE', 'DESCRIBE', 'DROP', 'INSERT', 'SELECT'],
  DataLocation: ['DATA_LOCATION_ACCESS'],
  LFTagPolicyDatabase: ['ALTER', 'CREATE_TABLE', 'DESCRIBE', 'DROP'],
  LFTagPolicyTable: ['ALTER', 'DELETE', 'DESCRIBE', 'DROP', 'INSERT', 'SELECT'],
};

/** One resource's effective Lake Formation permissions, after expansion. */
export interface NormalGrant {
  /** The resource as Lake Formation's API writes it, the catalog id dropped when it is the principal's account. */
  readonly resource: Record<string, unknown>;
  readonly permissions: string[];
  readonly permissionsWithGrantOption: string[];
}

/**
 * The grants by resource (key: the resource's canonical text), with ALL expanded, the grants of one resource
 * merged, a table's all-columns form folded into the table (ListPermissions returns SELECT on a table as
 * `TableWithColumns` with a `ColumnWildcard`: [LIST] https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListPermissions.html),
 * and DESCRIBE on a database added wherever a grant covers all its tables: "a grant on all tables of a database
 * implicitly grants DESCRIBE on the database" to principals of the account
 * ([GRANT] https://docs.aws.amazon.com/lake-formation/latest/dg/granting-catalog-permissions.html).
 */
export function normalizeLakeFormation(grants: readonly LakeFormationPermission[], accountId?: string): Map<string, NormalGrant> {
  const merged = new Map<string, { resource: Record<string, unknown>; permissions: Set<string>; grantable: Set<string> }>();
  const add = (resource: Record<string, unknown>, type: string, permissions: string[], grantable: string[]) => {
    const key = canonicalText(resource);
    const entry = merged.get(key) ?? { resource, permissions: new Set<string>(), grantable: new Set<string>() };
    expand(type, permissions).forEach((p) => entry.permissions.add(p));
    expand(type, grantable).forEach((p) => entry.grantable.add(p));
    merged.set(key, entry);
  };
  for (const grant of grants) {
    const { resource, type } = canonicalResource(grant.resource, accountId);
    add(resource, type, grant.permissions, grant.permissionsWithGrantOption);
    const table = resource.Table as Record<string, unknown> | undefined;
    if (table?.TableWildcard !== undefined) {
      const database = { Database: { ...(table.CatalogId === undefined ? {} : { CatalogId: table.CatalogId }), Name: table.DatabaseName } };
      add(database, 'Database', ['DESCRIBE'], []);
    }
  }
  return new Map([...merged.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, entry]) => [key, {
    resource: entry.resource,
    permissions: [...entry.permissions].sort(),
    permissionsWithGrantOption: [...entry.grantable].sort(),
  }]));
}

function expand(type: string, permissions: readonly string[]): string[] {
  const all = LAKE_FORMATION_PERMISSIONS_BY_TYPE[type];
  return permissions.flatMap((p) => ((p === 'ALL' || p === 'SUPER') && all !== undefined ? [...all] : [p]));
}

/** The resource with empty keys dropped, the account's own catalog id dropped and a whole-table TableWithColumns made a Table. */
function canonicalResource(raw: Record<string, unknown>, accountId: string | undefined): { resource: Record<string, unknown>; type: string } {
  const [[type, value]] = Object.entries(raw).filter(([, v]) => v !== undefined && v !== null);
  const inner = Object.fromEntries(Object.entries((value ?? {}) as Record<string, unknown>)
    .filter(([k, v]) => v !== undefined && !(k === 'CatalogId' && (v === accountId || accountId === undefined))));
  if (type === 'TableWithColumns') {
    const { ColumnWildcard, ColumnNames, ...table } = inner as Record<string, unknown>;
    const wildcard = ColumnWildcard as { ExcludedColumnNames?: string[] } | undefined;
    if (wildcard !== undefined && (wildcard.ExcludedColumnNames ?? []).length === 0 && ColumnNames === undefined) {
      return { resource: { Table: table }, type: 'Table' };
    }
    return { resource: { TableWithColumns: inner }, type: 'TableWithColumns' };
  }
  if (type === 'LFTagPolicy') {
    return { resource: { LFTagPolicy: inner }, type: `LFTagPolicy${String(inner.ResourceType ?? '').charAt(0)}${String(inner.ResourceType ?? '').slice(1).toLowerCase()}` };
  }
  return { resource: { [type]: inner }, type };
}

/** JSON with object keys sorted, at every depth. */
export function canonicalText(value: unknown): string {
  const sort = (v: unknown): unknown => (Array.isArray(v) ? v.map(sort)
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v);
  return JSON.stringify(sort(value));
}
