/**
 * What a principal needs in Lake Formation for Athena to run SHOW DATABASES, DESCRIBE <table> and SELECT from a
 * table, written from AWS's documentation (each rule cites its page), never from this library's code. The
 * grants it judges are `AWS::LakeFormation::PrincipalPermissions` resources as CloudFormation reads them
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lakeformation-principalpermissions.html),
 * taken from synthesized templates.
 *
 * Pages:
 * - [LF-PERMS] Lake Formation permissions reference: https://docs.aws.amazon.com/lake-formation/latest/dg/lf-permissions-reference.html
 *   DESCRIBE on a database lets the principal see it; DESCRIBE on a table lets it see the table and its
 *   metadata; SELECT on a table lets it query the table's data; ALL (Super) holds every permission.
 * - [GRANT] Granting permissions on Data Catalog resources: https://docs.aws.amazon.com/lake-formation/latest/dg/granting-catalog-permissions.html
 *   A grant on all tables of a database (a table wildcard) implicitly grants DESCRIBE on the database to IAM
 *   principals of the same account; not through ABAC. Nothing says the same of LF-Tag table grants, so this
 *   model does not assume it.
 * - [TBAC] Granting permissions with LF-TBAC: https://docs.aws.amazon.com/lake-formation/latest/dg/granting-catalog-perms-TBAC.html
 *   An expression matches a resource when the resource has every key of the expression with one of the key's
 *   values (AND of keys, OR of values); a DATABASE expression grants on matching databases, a TABLE one on
 *   matching tables.
 * - [TAGS] Assigning LF-Tags to Data Catalog resources: https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-assigning-tags.html
 *   A table inherits its database's LF-Tags; assigning a value to the same key on the table overrides it.
 * - [ATHENA-LF] Manage Lake Formation and Athena user permissions: https://docs.aws.amazon.com/athena/latest/ug/lf-athena-user-permissions.html
 *   Athena queries under Lake Formation need the Lake Formation permission for what they do: SELECT to read a
 *   table, DESCRIBE to see metadata.
 * - [ATHENA-LIMITS] Considerations and limitations: https://docs.aws.amazon.com/athena/latest/ug/lf-athena-limitations.html
 *   "The DESCRIBE permission is required on the default database": Athena needs DESCRIBE on `default` under
 *   Lake Formation, whatever database the query names.
 */

/** LF-Tags assigned to a resource: one value per key ([TAGS]). */
export type LfTags = Record<string, string>;

/** The Data Catalog the queries run against: databases with their LF-Tags, and tables with theirs. */
export interface ModelCatalog {
  readonly accountId: string;
  readonly databases: Array<{
    readonly name: string;
    readonly tags?: LfTags;
    readonly tables: Array<{ readonly name: string; readonly tags?: LfTags }>;
  }>;
}

/** One `AWS::LakeFormation::PrincipalPermissions`, as its properties appear in a template. */
export interface TemplateGrant {
  readonly Principal: { readonly DataLakePrincipalIdentifier: unknown };
  readonly Permissions: string[];
  readonly PermissionsWithGrantOption?: string[];
  readonly Resource: {
    readonly Database?: { readonly CatalogId: string; readonly Name: string };
    readonly Table?: { readonly CatalogId: string; readonly DatabaseName: string; readonly Name?: string; readonly TableWildcard?: object };
    readonly LFTagPolicy?: { readonly CatalogId: string; readonly ResourceType: 'DATABASE' | 'TABLE'; readonly Expression: Array<{ TagKey: string; TagValues: string[] }> };
  };
}

export type AthenaQuery =
  | { readonly kind: 'SHOW DATABASES' }
  | { readonly kind: 'DESCRIBE'; readonly database: string; readonly table: string }
  | { readonly kind: 'SELECT'; readonly database: string; readonly table: string };

/** The Athena database Lake Formation must let the principal DESCRIBE ([ATHENA-LIMITS]). */
export const ATHENA_REQUIRED_DATABASE = 'default';

/** Every PrincipalPermissions of the given templates (a parent and its nested templates). */
export function grantsIn(...templates: any[]): TemplateGrant[] {
  return templates.flatMap((t) => Object.values(t.Resources ?? {}) as any[])
    .filter((r) => r.Type === 'AWS::LakeFormation::PrincipalPermissions')
    .map((r) => r.Properties as TemplateGrant);
}

/** Whether a permission list holds `permission` ([LF-PERMS]: ALL holds them all). */
const holds = (permissions: string[], permission: string) => permissions.includes(permission) || permissions.includes('ALL');

/** [TBAC]: every key of the expression is on the resource with one of its values. */
function expressionMatches(expression: Array<{ TagKey: string; TagValues: string[] }>, tags: LfTags): boolean {
  return expression.every((c) => tags[c.TagKey] !== undefined && c.TagValues.includes(tags[c.TagKey]));
}

/** [TAGS]: a table's own LF-Tags override the values it inherits from its database. */
function effectiveTableTags(catalog: ModelCatalog, database: string, table: string): LfTags | undefined {
  const db = catalog.databases.find((d) => d.name === database);
  const t = db?.tables.find((x) => x.name === table);
  return t && { ...(db!.tags ?? {}), ...(t.tags ?? {}) };
}

/** Whether the grants give `permission` on the database (named, by LF-Tag) ([LF-PERMS], [TBAC]). */
function onDatabase(grants: TemplateGrant[], catalog: ModelCatalog, database: string, permission: string): boolean {
  const tags = catalog.databases.find((d) => d.name === database)?.tags ?? {};
  return grants.some((g) => holds(g.Permissions, permission) && (
    (g.Resource.Database?.CatalogId === catalog.accountId && g.Resource.Database.Name === database) ||
    (g.Resource.LFTagPolicy?.CatalogId === catalog.accountId && g.Resource.LFTagPolicy.ResourceType === 'DATABASE' &&
      expressionMatches(g.Resource.LFTagPolicy.Expression, tags))));
}

/** Whether the grants give `permission` on the table (named, all tables of its database, by LF-Tag) ([LF-PERMS], [TBAC], [TAGS]). */
function onTable(grants: TemplateGrant[], catalog: ModelCatalog, database: string, table: string, permission: string): boolean {
  const tags = effectiveTableTags(catalog, database, table);
  if (!tags) return false;
  return grants.some((g) => holds(g.Permissions, permission) && (
    (g.Resource.Table?.CatalogId === catalog.accountId && g.Resource.Table.DatabaseName === database &&
      (g.Resource.Table.TableWildcard !== undefined || g.Resource.Table.Name === table)) ||
    (g.Resource.LFTagPolicy?.CatalogId === catalog.accountId && g.Resource.LFTagPolicy.ResourceType === 'TABLE' &&
      expressionMatches(g.Resource.LFTagPolicy.Expression, tags))));
}

/**
 * Whether the principal sees the database: DESCRIBE on it ([LF-PERMS]), or any permission on all its tables
 * through a table wildcard, which implies DESCRIBE on the database for a same-account principal ([GRANT]).
 */
function seesDatabase(grants: TemplateGrant[], catalog: ModelCatalog, database: string): boolean {
  return onDatabase(grants, catalog, database, 'DESCRIBE') || grants.some((g) =>
    g.Resource.Table?.CatalogId === catalog.accountId && g.Resource.Table.DatabaseName === database &&
    g.Resource.Table.TableWildcard !== undefined && g.Permissions.length > 0);
}

/** The databases SHOW DATABASES lists for the principal: those it sees ([LF-PERMS], [GRANT]). */
export function showDatabases(grants: TemplateGrant[], catalog: ModelCatalog): string[] {
  return catalog.databases.map((d) => d.name).filter((name) => seesDatabase(grants, catalog, name));
}

/**
 * Whether Athena runs the query for the principal, and why not. Every query needs DESCRIBE on `default`
 * ([ATHENA-LIMITS]); DESCRIBE <table> needs DESCRIBE on the table, SELECT needs SELECT on it ([LF-PERMS],
 * [ATHENA-LF]).
 */
export function canRun(grants: TemplateGrant[], catalog: ModelCatalog, query: AthenaQuery): { allowed: boolean; reason: string } {
  if (!seesDatabase(grants, catalog, ATHENA_REQUIRED_DATABASE)) {
    return { allowed: false, reason: `no DESCRIBE on the ${ATHENA_REQUIRED_DATABASE} database` };
  }
  if (query.kind === 'SHOW DATABASES') return { allowed: true, reason: 'lists the databases the principal sees' };
  const permission = query.kind === 'SELECT' ? 'SELECT' : 'DESCRIBE';
  return onTable(grants, catalog, query.database, query.table, permission)
    ? { allowed: true, reason: `${permission} on ${query.database}.${query.table}` }
    : { allowed: false, reason: `no ${permission} on ${query.database}.${query.table}` };
}

/**
 * The grants a stack makes, its nested stacks' included, with each nested grant's principal as the parent passes
 * it: CloudFormation gives a nested stack the values of its `Parameters` property
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stack.html).
 * `nested` maps each nested stack's logical id in the parent to its template.
 */
export function stackGrants(parent: any, nested: Record<string, any>): TemplateGrant[] {
  const stacks = Object.entries(parent.Resources ?? {}).filter(([, r]: [string, any]) => r.Type === 'AWS::CloudFormation::Stack') as Array<[string, any]>;
  return [
    ...grantsIn(parent),
    ...stacks.flatMap(([id, resource]) => {
      if (!nested[id]) throw new Error(`no template given for the nested stack ${id}`);
      const parameters = resource.Properties.Parameters ?? {};
      return grantsIn(nested[id]).map((g) => {
        const principal = g.Principal.DataLakePrincipalIdentifier as any;
        return principal?.Ref !== undefined ? { ...g, Principal: { DataLakePrincipalIdentifier: parameters[principal.Ref] } } : g;
      });
    }),
  ];
}
