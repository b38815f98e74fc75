import * as fs from 'fs';
import * as path from 'path';
import { countBy, refusals, REGION, rootConfig, shownValue, validationsByVariable } from './terraform';
import { FORMAT_RULES, glueCatalogPathRule } from '../../lib/model/format-rules';
import { expressionOnce, LF_TAG } from '../../lib/model/lake-formation-grants';
import { catalogRules } from '../../lib/model/query-scope';
import { WORKGROUP_RULE } from '../../lib/model/rules';
import { IAM_LIMITS } from '../../lib/model/size';
import {
  ACCESS_MODE_ACCEPTED, atLeastEntries, MANAGED_POLICY_QUOTA_RULE, onlyWildcards, queryPolicyCountRule, queryResultsChoiceRules,
} from '../../lib/model/validation';
import { MODULE_CATALOG_NAMES } from '../../lib/terraform/catalog-access';

/**
 * A bad value of a module's variable: the variable, the value, what the message says is accepted, and (when the
 * message shows it otherwise than `shownValue` does: an item of a list of objects, a value the root configuration
 * escapes, a whole list) how the message shows the value.
 */
export type BadValue = [string, unknown, string, string?];

const ACCOUNT = '111122223333';
const TRAILING_SLASH = 'Give the folder without a trailing slash';

/**
 * A bad value for each validation of the query variables every Athena identity's module has (query-access.ts). The
 * values are what AWS refuses: Athena workgroup names (https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateWorkGroup.html),
 * Glue database names, which Glue stores in lower case (https://docs.aws.amazon.com/glue/latest/dg/define-database.html),
 * S3 bucket names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), S3 keys in IAM
 * policies, where `${` starts a policy variable (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html),
 * KMS key ARNs (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN), Athena data catalog
 * names (https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateDataCatalog.html), IAM's quota
 * of managed policies per identity (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), and
 * LF-Tag expressions of 1 to 5 keys of 1 to 128 characters, each with 1 to 50 values of up to 256, letters, digits,
 * spaces and `_.:/=+-@%` (values also `*`: https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_LFTag.html);
 * `lake-formation` is how the CLI's config names the mode the module calls LAKE_FORMATION.
 */
export const QUERY_BAD_VALUES: BadValue[] = [
  ['work_group_names', [], atLeastEntries(1)],
  ['work_group_names', ['qualytics', 'acme analysts'], WORKGROUP_RULE.accepted],
  ['glue_database_names', [], atLeastEntries(1)],
  ['glue_database_names', ['sales', 'Marketing'], FORMAT_RULES.databaseName.accepted],
  ['glue_database_names', ['sales', 'Marketing_*'], FORMAT_RULES.databaseNamePattern.accepted],
  ['results_bucket_name', 'Acme_Results', FORMAT_RULES.bucketName.accepted],
  ['results_bucket_name', '192.168.5.4', FORMAT_RULES.bucketName.refused[0].accepted],
  ['results_bucket_name', 'acme..results', FORMAT_RULES.bucketName.refused[1].accepted],
  ['results_prefix', '/athena/results', FORMAT_RULES.s3Prefix.accepted],
  ['results_prefix', 'athena/$${aws:username}', FORMAT_RULES.s3Prefix.accepted, 'results_prefix: "athena/${aws:username}"'],
  ['results_prefix', 'athena//results', FORMAT_RULES.s3Prefix.accepted],
  ['results_prefix', 'athena/results/', TRAILING_SLASH],
  ['data_locations', [{ bucket_name: 'Acme_Lake' }], FORMAT_RULES.bucketName.accepted, 'data_locations[0].bucket_name: "Acme_Lake"'],
  ['data_locations', [{ bucket_name: '10.0.0.1' }], FORMAT_RULES.bucketName.accepted, 'data_locations[0].bucket_name: "10.0.0.1"'],
  ['data_locations', [{ bucket_name: 'acme..lake' }], FORMAT_RULES.bucketName.accepted, 'data_locations[0].bucket_name: "acme..lake"'],
  ['data_locations', [{ bucket_name: 'a*' }], FORMAT_RULES.bucketNamePattern.accepted, 'data_locations[0].bucket_name: "a*"'],
  ['data_locations', [{ bucket_name: 'acme-lake', prefix: '/warehouse' }], FORMAT_RULES.s3PrefixPattern.accepted, 'data_locations[0].prefix: "/warehouse"'],
  ['data_locations', [{ bucket_name: 'acme-lake', prefix: 'ware/$${aws:username}' }], FORMAT_RULES.s3PrefixPattern.accepted, 'data_locations[0].prefix: "ware/${aws:username}"'],
  ['data_locations', [{ bucket_name: 'acme-lake', prefix: 'ware//house' }], FORMAT_RULES.s3PrefixPattern.accepted, 'data_locations[0].prefix: "ware//house"'],
  ['data_locations', [{ bucket_name: 'acme-lake', prefix: 'warehouse/' }], TRAILING_SLASH, 'data_locations[0].prefix: "warehouse/"'],
  ['kms_key_arns', [`arn:aws:kms:${REGION}:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`, 'alias/acme'], FORMAT_RULES.kmsKeyArn.accepted],
  ['managed_query_results_kms_key_arn', 'alias/acme-athena-results', FORMAT_RULES.kmsKeyArn.accepted],
  ['catalog_name', 'acme catalog', FORMAT_RULES.catalogName.accepted],
  ...catalogs(),
  ['query_policy_count', 0, queryPolicyCountRule(1).accepted],
  ['max_managed_policies', IAM_LIMITS.managedPoliciesPerIdentity - 1, MANAGED_POLICY_QUOTA_RULE.accepted],
  ['access_mode', 'lake-formation', ACCESS_MODE_ACCEPTED],
  ...tagExpressions([{ tags: {} }], LF_TAG.keysAccepted),
  ...tagExpressions([{ tags: { 'dom#ain': ['sales'] } }], LF_TAG.keyAccepted),
  ...tagExpressions([{ tags: { domain: [] } }], LF_TAG.valuesAccepted),
  ...tagExpressions([{ tags: { domain: ['sa#les'] } }], LF_TAG.valueAccepted),
  ...[[{ tags: { domain: ['sales', 'finance'] } }, { tags: { domain: ['finance', 'sales', 'sales'] } }]].map((value): BadValue =>
    ['lake_formation_tag_expressions', value, expressionOnce('another of lake_formation_tag_expressions'), `lake_formation_tag_expressions: ${JSON.stringify(value)}`]),
];

/**
 * A bad value of `catalogs` for each of its blocks: Glue catalog paths (https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html),
 * S3 table bucket and namespace names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-buckets-naming.html), the
 * same catalog twice, an Athena data source name, database lists, and the credentials Lake Formation vends for S3 Tables only
 * (https://docs.aws.amazon.com/glue/latest/dg/glue-federation-s3tables.html).
 */
function catalogs(): BadValue[] {
  const glue = glueCatalogPathRule(MODULE_CATALOG_NAMES.glueDatabaseNames);
  const rules = catalogRules(MODULE_CATALOG_NAMES);
  const catalogPath = (catalogName: string, accepted: string): BadValue =>
    ['catalogs', [{ catalog_name: catalogName }], accepted, `catalogs[0].catalog_name: ${JSON.stringify(catalogName)}`];
  const databases = (catalogName: string, name: string, accepted: string): BadValue =>
    ['catalogs', [{ catalog_name: catalogName, database_names: [name] }], accepted, `catalogs[0].database_names[0]: ${JSON.stringify(name)}`];
  return [
    catalogPath('s3tablescatalog/Acme_Tables', FORMAT_RULES.s3TablesCatalogPath.accepted),
    catalogPath('s3tablescatalog/aws-tables', FORMAT_RULES.s3TablesCatalogPath.refused[0].accepted),
    catalogPath('partner_*', glue.accepted),
    catalogPath('awsdatacatalog', glue.refused![0].accepted),
    ['catalogs', [{ catalog_name: 'partner' }, { catalog_name: 'partner' }], rules.sameCatalog('catalogs[0]'), 'catalogs[1].catalog_name: "partner"'],
    ['catalogs', [{ catalog_name: 'partner', data_source_name: 'partner/data' }], FORMAT_RULES.catalogName.accepted, 'catalogs[0].data_source_name: "partner/data"'],
    ['catalogs', [{ catalog_name: 'partner', database_names: [] }], atLeastEntries(1), 'catalogs[0].database_names: []'],
    databases('partner', '*', onlyWildcards('its database_names')),
    databases('partner', 'Orders', FORMAT_RULES.databaseName.accepted),
    databases('partner', 'Orders_*', FORMAT_RULES.databaseNamePattern.accepted),
    databases('s3tablescatalog/lake', 'sales-eu', FORMAT_RULES.namespacePattern.accepted),
    databases('s3tablescatalog/lake', 'aws_logs', FORMAT_RULES.namespacePattern.refused[0].accepted),
    ['catalogs', [{ catalog_name: 'partner', lake_formation_vends_credentials: false }], rules.vendsOnlyS3Tables('partner'),
      'catalogs[0].lake_formation_vends_credentials: false'],
  ];
}

/** A bad list of LF-Tag expressions, whose message shows its last expression's tags. */
function tagExpressions(value: Array<{ tags: Record<string, string[]> }>, accepted: string): BadValue[] {
  return [['lake_formation_tag_expressions', value, accepted, `lake_formation_tag_expressions[${value.length - 1}].tags: ${JSON.stringify(value[value.length - 1].tags)}`]];
}

/** More bad values for blocks QUERY_BAD_VALUES feeds already: the other ends of the ranges, and a number that is not whole. */
export const QUERY_MORE_BAD_VALUES: BadValue[] = [
  ['query_policy_count', 2.5, queryPolicyCountRule(1).accepted],
  ['query_policy_count', IAM_LIMITS.managedPoliciesPerIdentityMax, queryPolicyCountRule(1).accepted],
  ['max_managed_policies', IAM_LIMITS.managedPoliciesPerIdentityMax + 1, MANAGED_POLICY_QUOTA_RULE.accepted],
  ...tagExpressions([{ tags: Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => [key, ['x']])) }], LF_TAG.keysAccepted),
  ...tagExpressions([{ tags: { domain: Array.from({ length: 51 }, (_, i) => `v${i}`) } }], LF_TAG.valuesAccepted),
  ...tagExpressions([{ tags: { ['k'.repeat(129)]: ['x'] } }], LF_TAG.keyAccepted),
  ...tagExpressions([{ tags: { domain: ['v'.repeat(257)] } }], LF_TAG.valueAccepted),
];

/**
 * Expects the module in `moduleDir` to have exactly one validation block per value of `bad`, and every value of
 * `bad` and `more` (further values for the same blocks) refused at plan over `required`, each with its message
 * (`Invalid <shown value>. <accepted>`). Folders made go to `dirs`.
 */
export function expectRefusals(moduleDir: string, required: Record<string, unknown>, bad: BadValue[], more: BadValue[], dirs: string[]): void {
  expect(validationsByVariable(fs.readFileSync(path.join(moduleDir, 'variables.tf'), 'utf8'))).toEqual(countBy(bad.map(([name]) => name)));
  const cases = [...bad, ...more];
  const expected = cases.map(([name, value, accepted, shown]) => `Invalid ${shown ?? shownValue(name, value)}. ${accepted}`);
  const dir = rootConfig(moduleDir, required);
  dirs.push(dir);
  const shown = refusals(dir, moduleDir, required, cases.map(([name, value], i) => [name, value, expected[i]]));
  expect(shown).toEqual(shown.map((r) => ({ ...r, refused: true })));
}

/**
 * Expects the module in `moduleDir` to refuse at plan, over `required`, each combination of the query results
 * variables the constructs refuse, with the model's words in the module's names: a results bucket and managed query
 * results, neither, a results folder or a managed-results key without what it applies to (Athena's managed query
 * results keep results without a bucket: https://docs.aws.amazon.com/athena/latest/ug/managed-results.html). One plan
 * each: the rules compare variables, so two cases in one plan could cancel out. Folders made go to `dirs`.
 */
export function expectQueryResultsRefusals(moduleDir: string, required: Record<string, unknown>, dirs: string[]): void {
  const rules = queryResultsChoiceRules({
    bucket: 'results_bucket_name', prefix: 'results_prefix', managed: 'managed_query_results = true', kmsKeyArns: 'kms_key_arns',
  });
  const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1a2b3c4d-5e6f-4081-92a3-b4c5d6e7f809`;
  const cases: Array<[Record<string, unknown>, string, unknown, string]> = [
    [{}, 'results_bucket_name', null, rules.noBucket],
    [{ managed_query_results: true }, 'results_bucket_name', 'acme-athena-results', rules.bucketWithManaged],
    [{ managed_query_results: true, results_bucket_name: null }, 'results_prefix', 'athena', rules.prefixWithoutBucket],
    [{}, 'managed_query_results_kms_key_arn', key, rules.keyWithoutManaged],
  ];
  const dir = rootConfig(moduleDir, required);
  dirs.push(dir);
  const shown = cases.flatMap(([base, name, value, accepted]) =>
    refusals(dir, moduleDir, { ...required, ...base }, [[name, value, `Invalid ${shownValue(name, value)}. ${accepted}`]]));
  expect(shown).toEqual(shown.map((r) => ({ ...r, refused: true })));
}

/**
 * Expects the module in `moduleDir` to refuse at plan, over `required`, what the constructs refuse of `catalogs` by
 * comparing it with other variables, with the model's words in the module's names: Lake Formation vending an S3
 * Tables catalog's credentials outside access mode LAKE_FORMATION (https://docs.aws.amazon.com/glue/latest/dg/glue-federation-s3tables.html),
 * and a catalog's databases the default catalog's Glue reads reach, since IAM wildcards span "/"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html): in access mode
 * LAKE_FORMATION, with glue_database_names' default ["*"], and with a pattern that matches the catalog's databases.
 * One plan each, as expectQueryResultsRefusals. Folders made go to `dirs`.
 */
export function expectCatalogRefusals(moduleDir: string, required: Record<string, unknown>, dirs: string[]): void {
  const rules = catalogRules(MODULE_CATALOG_NAMES);
  const lake = 's3tablescatalog/lake';
  const isolated = (open: string, catalog: string, databases: string[]) =>
    `Invalid catalogs[0].database_names: ${JSON.stringify(databases)}. ${rules.notIsolated(open, catalog, 'catalogs[0].database_names')}`;
  const cases: Array<[Record<string, unknown>, unknown, string]> = [
    [{}, [{ catalog_name: lake, lake_formation_vends_credentials: false }],
      `Invalid catalogs[0].lake_formation_vends_credentials: false. ${rules.vendsOnlyLakeFormation('IAM')}`],
    [{ access_mode: 'LAKE_FORMATION', glue_database_names: ['sales'] }, [{ catalog_name: lake, database_names: ['allowed_ns'] }],
      isolated(rules.open.lakeFormation, lake, ['allowed_ns'])],
    [{}, [{ catalog_name: 'partner', database_names: ['orders'] }], isolated(rules.open.databasesOpen, 'partner', ['orders'])],
    [{ glue_database_names: ['sales', 's3*', '*_eu'] }, [{ catalog_name: lake, database_names: ['allowed_ns'] }],
      isolated(rules.open.pattern('s3*', lake), lake, ['allowed_ns'])],
  ];
  const dir = rootConfig(moduleDir, required);
  dirs.push(dir);
  const shown = cases.flatMap(([base, value, message]) => refusals(dir, moduleDir, { ...required, ...base }, [['catalogs', value, message]]));
  expect(shown).toEqual(shown.map((r) => ({ ...r, refused: true })));
}
