import { createHash } from 'crypto';
import { BootstraplessSynthesizer, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalid, validateDatabaseName, validateList } from '../validation';
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
  readonly tagExpressions?: Array<{ readonly tags: { [key: string]: string[] } }>;
  readonly nestedStacks?: number;
}

/** Lake Formation's limits for an LF-Tag expression (https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_LFTag.html). */
const LF_TAG = {
  maxKeys: 5,
  maxValues: 50,
  key: /^[\p{L}\p{Z}\p{N}_.:/=+\-@%]{1,128}$/u,
  value: /^[\p{L}\p{Z}\p{N}_.:*/=+\-@%]{0,256}$/u,
};
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
  /** What decides the nested stack the grant goes to: the database's name, or the expression's position. */
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
 * The grants for `databaseNames` (two each: the database, and its tables through a table wildcard) and for each
 * LF-Tag expression (two each: matching databases, matching tables), in input order, so that adding a database
 * at the end of the list leaves every existing grant where it was.
 */
export function lakeFormationGrantSpecs(databaseNames: string[], tagExpressions: LakeFormationTagCondition[][]): LakeFormationGrantSpec[] {
  const byDatabase = databaseNames.flatMap((name): LakeFormationGrantSpec[] => [
    { id: `Database-${name}`, shardKey: name, permissions: DATABASE_PERMISSIONS, resource: { database: { name } } },
    { id: `Tables-${name}`, shardKey: name, permissions: TABLE_PERMISSIONS, resource: { tablesOf: { databaseName: name } } },
  ]);
  const byTags = tagExpressions.flatMap((expression, index): LakeFormationGrantSpec[] => [
    { id: `TaggedDatabases${index + 1}`, shardKey: `${index}`, permissions: DATABASE_PERMISSIONS, resource: { tagPolicy: { resourceType: 'DATABASE', expression } } },
    { id: `TaggedTables${index + 1}`, shardKey: `${index}`, permissions: TABLE_PERMISSIONS, resource: { tagPolicy: { resourceType: 'TABLE', expression } } },
  ]);
  return [...byDatabase, ...byTags];
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
}

/**
 * The validated grants, grouped by the stack that holds them (one group when `nestedStacks` is 0). Pure, so that
 * constructs that create grants later can refuse bad input before they create anything.
 */
export function planLakeFormationGrants(
  props: GrantTargets,
  names: GrantPropertyNames = { databaseNames: 'databaseNames', tagExpressions: 'tagExpressions', nestedStacks: 'nestedStacks' },
): LakeFormationGrantSpec[][] {
  const databaseNames = props.databaseNames ?? [];
  if (databaseNames.length > 0) validateList(names.databaseNames, databaseNames, validatePlainDatabaseName, { min: 0 });
  const seen = new Set<string>();
  const duplicate = databaseNames.find((name) => seen.size === seen.add(name).size);
  if (duplicate !== undefined) invalid(names.databaseNames, duplicate, 'Name each database once.');
  const expressions = (props.tagExpressions ?? []).map((e, i) => validatedExpression(e, `${names.tagExpressions}[${i}].tags`));
  const specs = lakeFormationGrantSpecs(databaseNames, expressions);
  if (specs.length === 0) {
    invalid(names.databaseNames, databaseNames, `Give at least one database, or an LF-Tag expression in ${names.tagExpressions}.`);
  }
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

/** A database name for a grant: Lake Formation grants name databases, so no pattern. */
function validatePlainDatabaseName(property: string, value: string): void {
  if (!Token.isUnresolved(value) && /[*?]/.test(value)) {
    invalid(property, value, 'Lake Formation grants name databases one by one: give the name without * or ?, or grant by LF-Tag with an LF-Tag expression.');
  }
  validateDatabaseName(property, value);
}

/**
 * The grants in `count` groups (one when 0): each database's two grants go to the group its name hashes to, and
 * each tag expression's to the group of its position, so that no grant moves while the number of groups stays.
 */
function shard(specs: LakeFormationGrantSpec[], count: number): LakeFormationGrantSpec[][] {
  if (count <= 1) return [specs];
  const groups: LakeFormationGrantSpec[][] = Array.from({ length: count }, () => []);
  for (const spec of specs) groups[createHash('sha256').update(spec.shardKey).digest().readUInt32BE(0) % count].push(spec);
  return groups;
}

function validatedExpression(expression: { readonly tags: { [key: string]: string[] } }, property: string): LakeFormationTagCondition[] {
  const entries = Object.entries(expression.tags ?? {});
  if (entries.length < 1 || entries.length > LF_TAG.maxKeys) {
    invalid(property, expression.tags, `Give 1 to ${LF_TAG.maxKeys} LF-Tag keys, each with the values it may take.`);
  }
  return entries.map(([key, values]) => {
    if (!LF_TAG.key.test(key)) invalid(`${property} key`, key, 'An LF-Tag key is 1 to 128 letters, digits, spaces and _.:/=+-@%.');
    if (!Array.isArray(values) || values.length < 1 || values.length > LF_TAG.maxValues) {
      invalid(`${property}.${key}`, values, `Give 1 to ${LF_TAG.maxValues} values.`);
    }
    values.forEach((value) => {
      if (!LF_TAG.value.test(value)) invalid(`${property}.${key}`, value, 'An LF-Tag value is up to 256 letters, digits, spaces and _.:*/=+-@%.');
    });
    return { key, values };
  });
}

/**
 * Nested stacks are deployed from templates uploaded as assets, which a stack without CDK bootstrap (a template
 * for `aws cloudformation deploy`, such as `qualytics-athena-iam synth --config` writes) cannot hold.
 */
export function validateNestedStacksDeployable(scope: IConstruct, property: string, nestedStacks: number): void {
  if (nestedStacks > 0 && Stack.of(scope).synthesizer instanceof BootstraplessSynthesizer) {
    invalid(property, nestedStacks, 'Nested stacks need CDK bootstrap and `cdk deploy` (their templates are uploaded as assets); this stack ' +
      'is synthesized without bootstrap, for `aws cloudformation deploy`. Synthesize AthenaAccessStack in a CDK app and deploy it with ' +
      '`cdk deploy`, or keep the grants in the stack (0, up to 250 databases less the stack\'s other resources).');
  }
}
