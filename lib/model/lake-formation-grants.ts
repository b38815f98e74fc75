import { createHash } from 'node:crypto';
import { isDeployTime } from './deploy-time';
import { LakeFormationTagExpression } from './query-policy-options';
import { invalid, validateDatabaseName, validateList } from './validation';
/*
 * The Lake Formation grants that let a principal read databases, as plain data for
 * `AWS::LakeFormation::PrincipalPermissions`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lakeformation-principalpermissions.html).
 *
 * What a querying principal needs, from AWS's Athena guide "Manage Lake Formation and Athena user permissions"
 * (https://docs.aws.amazon.com/athena/latest/ug/lf-athena-user-permissions.html): DESCRIBE on a database to see it,
 * SELECT (with DESCRIBE) on its tables to query them; a table wildcard grants every table of the database, present
 * and future (https://docs.aws.amazon.com/lake-formation/latest/dg/granting-table-permissions.html). LF-Tag
 * expressions grant the same on every database and table whose LF-Tags match
 * (https://docs.aws.amazon.com/lake-formation/latest/dg/granting-catalog-perms-TBAC.html). No grant carries a grant
 * option, so the principal can never pass its permissions on.
 */

/** What grants are made of, as the public props give it. */
export interface GrantTargets {
  readonly databaseNames?: string[];
  readonly tagExpressions?: LakeFormationTagExpression[];
  readonly nestedStacks?: number;
  readonly defaultDatabaseDescribe?: boolean;
}

/**
 * The database Athena needs DESCRIBE on under Lake Formation, whatever database a query names
 * (https://docs.aws.amazon.com/athena/latest/ug/lf-athena-limitations.html#lf-athena-limitations-describe-default).
 */
export const ATHENA_DEFAULT_DATABASE = 'default';

/**
 * Lake Formation's limits for an LF-Tag expression (https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_LFTag.html),
 * with what a value beyond them is told. The patterns are sources for `new RegExp(source, 'u')`, which RE2 (Terraform's
 * `regex`) reads alike.
 */
const MAX_KEYS = 5;
const MAX_VALUES = 50;
export const LF_TAG = {
  maxKeys: MAX_KEYS,
  maxValues: MAX_VALUES,
  keyPattern: '^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@%]{1,128}$',
  valuePattern: '^[\\p{L}\\p{Z}\\p{N}_.:*/=+\\-@%]{0,256}$',
  keysAccepted: `Give 1 to ${MAX_KEYS} LF-Tag keys, each with the values it may take.`,
  keyAccepted: 'An LF-Tag key is 1 to 128 letters, digits, spaces and _.:/=+-@%.',
  valuesAccepted: `Give 1 to ${MAX_VALUES} values.`,
  valueAccepted: 'An LF-Tag value is up to 256 letters, digits, spaces and _.:*/=+-@%.',
};
const LF_TAG_KEY = new RegExp(LF_TAG.keyPattern, 'u');
const LF_TAG_VALUE = new RegExp(LF_TAG.valuePattern, 'u');

/** What a database name with a wildcard is told: grants name databases. */
export const GRANT_DATABASE_NAME_ACCEPTED = 'Lake Formation grants name databases one by one: give the name without * or ?, or grant by LF-Tag with an LF-Tag expression.';
/** What a database named twice is told. */
export const GRANT_DATABASE_ONCE = 'Name each database once.';
/** What grants of nothing are told; `tagExpressions` names the property of the expressions. */
export function grantsNeedTargets(tagExpressions: string): string {
  return `Give at least one database, or an LF-Tag expression in ${tagExpressions}.`;
}
/** What an expression that grants what an earlier one grants is told; `first` names the earlier one. */
export function expressionOnce(first: string): string {
  return `It grants what ${first} grants (the order of keys and values, and repeated values, do not matter): give each expression once.`;
}
/** CloudFormation's resources per stack (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html). */
export const MAX_RESOURCES_PER_STACK = 500;
export const MAX_NESTED_STACKS = 400;

/** One condition of an LF-Tag expression: the resource's LF-Tag `key` has one of `values`. */
export interface LakeFormationTagCondition {
  readonly key: string;
  readonly values: string[];
}

/** One grant: the permissions on one resource, with a construct id that depends only on what it grants. */
export interface LakeFormationGrantSpec {
  /** Stable construct id: the same database or expression always gets the same id. */
  readonly id: string;
  /** What decides the nested stack the grant goes to: the database's name, or the expression's canonical form. */
  readonly shardKey: string;
  readonly permissions: string[];
  /** The `Resource` property, with the catalog id left to the construct. */
  readonly resource: LakeFormationGrantResource;
}

/** A grant's resource. */
export type LakeFormationGrantResource =
  | { readonly database: { readonly name: string } }
  | { readonly tablesOf: { readonly databaseName: string } }
  | { readonly tagPolicy: { readonly resourceType: 'DATABASE' | 'TABLE'; readonly expression: LakeFormationTagCondition[] } };

/** Permissions that let the principal see a database (never ALTER, DROP, CREATE_TABLE or a grant option). */
export const DATABASE_PERMISSIONS = ['DESCRIBE'];
/** Permissions that let the principal see and read a table (never INSERT, DELETE, ALTER or DROP). */
export const TABLE_PERMISSIONS = ['SELECT', 'DESCRIBE'];

/**
 * The grants for `databaseNames` (two each: the database, and its tables through a table wildcard), for each
 * LF-Tag expression (two each: matching databases, matching tables), and DESCRIBE on `default` unless it is
 * listed or `defaultDatabaseDescribe` is false. Every id and shard key depends only on what the grant grants
 * (the database's name, or the expression's canonical form), never on a position:
 * `AWS::LakeFormation::PrincipalPermissions` is identified by principal and resource and all its properties are
 * create-only, so a logical id that came to name another resource would be a replacement
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lakeformation-principalpermissions.html).
 * `tagExpressions` must be canonical and distinct (see {@link canonicalExpression}).
 */
export function lakeFormationGrantSpecs(
  databaseNames: string[], tagExpressions: LakeFormationTagCondition[][], defaultDatabaseDescribe = true,
): LakeFormationGrantSpec[] {
  const databaseGrant = (name: string): LakeFormationGrantSpec =>
    ({ id: `Database-${name}`, shardKey: name, permissions: DATABASE_PERMISSIONS, resource: { database: { name } } });
  const byDatabase = databaseNames.flatMap((name): LakeFormationGrantSpec[] => [
    databaseGrant(name),
    { id: `Tables-${name}`, shardKey: name, permissions: TABLE_PERMISSIONS, resource: { tablesOf: { databaseName: name } } },
  ]);
  const byTags = tagExpressions.flatMap((expression): LakeFormationGrantSpec[] => {
    const key = expressionKey(expression);
    const digest = createHash('sha256').update(key).digest('hex').slice(0, EXPRESSION_DIGEST_LENGTH);
    return [
      { id: `TaggedDatabases-${digest}`, shardKey: key, permissions: DATABASE_PERMISSIONS, resource: { tagPolicy: { resourceType: 'DATABASE', expression } } },
      { id: `TaggedTables-${digest}`, shardKey: key, permissions: TABLE_PERMISSIONS, resource: { tagPolicy: { resourceType: 'TABLE', expression } } },
    ];
  });
  const defaultDescribe = defaultDatabaseDescribe && !databaseNames.includes(ATHENA_DEFAULT_DATABASE) ? [databaseGrant(ATHENA_DEFAULT_DATABASE)] : [];
  return [...byDatabase, ...byTags, ...defaultDescribe];
}

/**
 * An LF-Tag expression in canonical form: keys sorted, each key's values sorted without repeats (sorted by code
 * unit, so the same on every machine). Lake Formation reads an expression as a set of keys, each with a set of
 * values (AND of keys, OR of values: https://docs.aws.amazon.com/lake-formation/latest/dg/granting-catalog-perms-TBAC.html),
 * so reordering it grants the same; the canonical form keeps the template, and so the grant, the same too.
 */
export function canonicalExpression(expression: LakeFormationTagCondition[]): LakeFormationTagCondition[] {
  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...expression].sort((a, b) => byCodeUnit(a.key, b.key)).map((c) => ({ key: c.key, values: [...new Set(c.values)].sort(byCodeUnit) }));
}

/** What starts an expression's key, so that it never equals a database name. */
export const EXPRESSION_KEY_PREFIX = 'lf-tags:';
/** The hex digits of the SHA-256 of an expression's key that name its grants. */
export const EXPRESSION_DIGEST_LENGTH = 16;

/** What identifies a canonical expression: its JSON, `[[key, [values]], ...]`, after EXPRESSION_KEY_PREFIX. */
function expressionKey(expression: LakeFormationTagCondition[]): string {
  return `${EXPRESSION_KEY_PREFIX}${JSON.stringify(expression.map((c) => [c.key, c.values]))}`;
}

/** The `Resource` property of `AWS::LakeFormation::PrincipalPermissions` for a grant in catalog `catalogId`. */
export function principalPermissionsResource(resource: LakeFormationGrantResource, catalogId: string): Record<string, unknown> {
  if ('database' in resource) return { database: { catalogId, name: resource.database.name } };
  if ('tablesOf' in resource) return { table: { catalogId, databaseName: resource.tablesOf.databaseName, tableWildcard: {} } };
  return {
    lfTagPolicy: {
      catalogId,
      resourceType: resource.tagPolicy.resourceType,
      expression: resource.tagPolicy.expression.map((c) => ({ tagKey: c.key, tagValues: c.values })),
    },
  };
}

/** The names of the properties that hold the grants' input, for error messages (they differ where the props are forwarded). */
export interface GrantPropertyNames {
  readonly databaseNames: string;
  readonly tagExpressions: string;
  readonly nestedStacks: string;
  readonly defaultDatabaseDescribe: string;
}

/**
 * The validated grants, grouped by the stack that holds them (one group when `nestedStacks` is 0). Pure, so that
 * constructs that create grants later can refuse bad input before they create anything.
 */
export function planLakeFormationGrants(
  props: GrantTargets,
  names: GrantPropertyNames = {
    databaseNames: 'databaseNames', tagExpressions: 'tagExpressions', nestedStacks: 'nestedStacks', defaultDatabaseDescribe: 'defaultDatabaseDescribe',
  },
): LakeFormationGrantSpec[][] {
  const databaseNames = props.databaseNames ?? [];
  if (databaseNames.length > 0) validateList(names.databaseNames, databaseNames, validatePlainDatabaseName, { min: 0 });
  const seen = new Set<string>();
  const duplicate = databaseNames.find((name) => seen.size === seen.add(name).size);
  if (duplicate !== undefined) invalid(names.databaseNames, duplicate, GRANT_DATABASE_ONCE);
  const expressions = (props.tagExpressions ?? []).map((e, i) => canonicalExpression(validatedExpression(e, `${names.tagExpressions}[${i}].tags`)));
  const firstIndex = new Map<string, number>();
  expressions.forEach((expression, index) => {
    const key = expressionKey(expression);
    const first = firstIndex.get(key);
    if (first !== undefined) {
      invalid(`${names.tagExpressions}[${index}].tags`, props.tagExpressions![index].tags, expressionOnce(`${names.tagExpressions}[${first}]`));
    }
    firstIndex.set(key, index);
  });
  if (databaseNames.length === 0 && expressions.length === 0) {
    invalid(names.databaseNames, databaseNames, grantsNeedTargets(names.tagExpressions));
  }
  const defaultDatabaseDescribe = props.defaultDatabaseDescribe ?? true;
  if (typeof defaultDatabaseDescribe !== 'boolean') invalid(names.defaultDatabaseDescribe, defaultDatabaseDescribe, 'Give true or false.');
  const specs = lakeFormationGrantSpecs(databaseNames, expressions, defaultDatabaseDescribe);
  const stackCount = props.nestedStacks ?? 0;
  if (!(Number.isInteger(stackCount) && stackCount >= 0 && stackCount <= MAX_NESTED_STACKS)) {
    invalid(names.nestedStacks, stackCount, `Give a whole number from 0 (grants in this stack) to ${MAX_NESTED_STACKS}.`);
  }
  const shards = shard(specs, stackCount);
  const fullest = Math.max(...shards.map((s) => s.length));
  if (fullest > MAX_RESOURCES_PER_STACK) {
    const needed = Math.ceil(specs.length / (MAX_RESOURCES_PER_STACK * 0.8));
    invalid(names.nestedStacks, stackCount, `${specs.length} Lake Formation grants need more stacks: one would hold ${fullest} grants ` +
      `and CloudFormation allows ${MAX_RESOURCES_PER_STACK} resources per stack. Give at least ${needed} (more leaves room to grow).`);
  }
  return shards;
}

/** A database name for a grant: Lake Formation grants name databases, so no pattern, and known at synth. */
function validatePlainDatabaseName(property: string, value: string): void {
  refuseToken(property, value, 'a database name');
  if (/[*?]/.test(value)) {
    invalid(property, value, GRANT_DATABASE_NAME_ACCEPTED);
  }
  validateDatabaseName(property, value);
}

/**
 * Grant ids and shards are made of the names and LF-Tags, so they must be known at synth: a token (a parameter,
 * an attribute) would give every deployment the same id whatever it resolves to.
 */
function refuseToken(property: string, value: unknown, what: string): void {
  if (typeof value === 'string' && isDeployTime(value)) {
    invalid(property, value, `Lake Formation grants need ${what} known at synth (it names the grant and the nested stack that holds it): ` +
      'give a plain string, not a CloudFormation parameter, attribute or other token.');
  }
}

/**
 * The grants in `count` groups (one when 0): each database's grants go to the group its name hashes to, and each
 * tag expression's to the group its canonical form hashes to, so that no grant moves while the number of groups
 * stays. Groups may be empty; the construct makes no nested stack for those.
 */
function shard(specs: LakeFormationGrantSpec[], count: number): LakeFormationGrantSpec[][] {
  if (count <= 1) return [specs];
  const groups: LakeFormationGrantSpec[][] = Array.from({ length: count }, () => []);
  for (const spec of specs) groups[createHash('sha256').update(spec.shardKey).digest().readUInt32BE(0) % count].push(spec);
  return groups;
}

function validatedExpression(expression: LakeFormationTagExpression, property: string): LakeFormationTagCondition[] {
  const entries = Object.entries(expression.tags ?? {});
  if (entries.length < 1 || entries.length > LF_TAG.maxKeys) {
    invalid(property, expression.tags, LF_TAG.keysAccepted);
  }
  return entries.map(([key, values]) => {
    refuseToken(`${property} key`, key, 'each LF-Tag key');
    if (!LF_TAG_KEY.test(key)) invalid(`${property} key`, key, LF_TAG.keyAccepted);
    if (!Array.isArray(values) || values.length < 1 || values.length > LF_TAG.maxValues) {
      invalid(`${property}.${key}`, values, LF_TAG.valuesAccepted);
    }
    values.forEach((value) => {
      refuseToken(`${property}.${key}`, value, 'each LF-Tag value');
      if (!LF_TAG_VALUE.test(value)) invalid(`${property}.${key}`, value, LF_TAG.valueAccepted);
    });
    return { key, values };
  });
}
