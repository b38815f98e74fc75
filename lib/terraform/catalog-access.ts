import { ItemRule, itemPrecondition, itemValidation, listItem, literal, RULE_ITEM, RuleTarget, validation, validationBlocks } from './hcl';
import { Variable } from './module';
import { AccessMode } from '../model/access-mode';
import { CatalogLists } from '../model/catalog-statements';
import { FORMAT_RULES, GLUE_NAME_CHARS, glueCatalogPathRule, NAMESPACE_CHARS, S3_TABLES_CATALOG, S3_TABLES_PATH, WILDCARD_PATTERN } from '../model/format-rules';
import { CatalogNames, catalogRules } from '../model/query-scope';
import { atLeastEntries, DATABASE_NAME_OR_PATTERN, ONLY_WILDCARDS, onlyWildcards } from '../model/validation';

/**
 * The Glue catalogs beyond the default one (`catalogs`, as the constructs' `GlueCatalogAccess`) in the Terraform
 * modules of the Athena identities: the lists the model's catalog statements draw from, computed by locals, the
 * variable with the constructs' rules of one catalog as validation blocks, and
 * the rules that compare it with other variables (the access mode, the default catalog's databases) as
 * preconditions, which a validation block cannot check before Terraform 1.9. The messages are the model's, in the
 * module's names.
 */

/** The model's condition that holds when `catalogs` is not empty. */
export const HAS_CATALOGS = 'HasCatalogs';

/** An item of the catalogs' lists the locals compute, of `list` (over the iteration variable `item`). */
const listOf = (list: string, item: string, maxLength: number, within?: string) =>
  listItem(list, item, item, { maxLength, listPresence: within === undefined ? HAS_CATALOGS : undefined }, within).value;
const TABLE_BUCKET_NAMESPACES = 'keys(local.catalog_table_bucket_namespaces)';
/** The model's deploy-time lists of the catalogs (CatalogLists), which {@link catalogLocals} computes from var.catalogs. */
const CATALOG_LISTS: CatalogLists = {
  catalog: listItem('var.catalogs', 'catalog', 'catalog.catalog_name', { maxLength: 511, listPresence: HAS_CATALOGS }).value,
  athenaName: listOf('local.catalog_athena_names', 'name', 511),
  path: listOf('local.catalog_paths', 'path', 511),
  database: listOf('local.catalog_databases', 'database', 511 + 1 + 255),
  tableBucket: listOf('keys(local.catalog_table_buckets)', 'bucket', 63),
  wholeTableBucket: listOf('local.catalog_whole_table_buckets', 'bucket', 63),
  namespacedTableBucket: listOf(TABLE_BUCKET_NAMESPACES, 'bucket', 63),
  namespace: listOf('local.catalog_table_bucket_namespaces[bucket]', 'namespace', 255, TABLE_BUCKET_NAMESPACES),
  tablesService: listItem('local.catalog_key_services', 'service', 'service', { maxLength: 's3tables'.length }).value,
};
/** The catalog the model's builders take: an item of var.catalogs that carries the catalogs' lists. */
export const CATALOG_ITEM = listItem('var.catalogs', 'catalog', 'catalog.catalog_name', { maxLength: 511, listPresence: HAS_CATALOGS, catalogs: CATALOG_LISTS }).marker;

/** How the module's messages name the inputs the catalogs' rules compare. */
export const MODULE_CATALOG_NAMES: CatalogNames = {
  accessMode: 'access_mode',
  lakeFormationMode: `access_mode = "${AccessMode.LAKE_FORMATION}"`,
  glueDatabaseNames: 'glue_database_names',
  databasesOpen: 'glue_database_names is ["*"] (its default)',
};
const NAMES = MODULE_CATALOG_NAMES;
const RULES = catalogRules(NAMES);

const v = RULE_ITEM;
/** HCL: whether the catalog path `path` is of the S3 Tables catalog. */
const isS3Tables = (path: string) => `can(regex(${literal(S3_TABLES_PATH)}, ${path}))`;
const wildcard = (value: string) => `can(regex(${literal(WILDCARD_PATTERN)}, ${value}))`;
/** An item's catalog path. */
const CATALOG_PATH = `${v}.catalog_name`;

/** An item's attribute as a rule's target; `catalog` is the path of the tests' bad item. */
const attribute = (name: string, catalog: string, options: { each?: boolean; nullable?: boolean } = {}): RuleTarget => ({
  variable: 'catalogs',
  each: true,
  nullable: options.nullable,
  attribute: { name, each: options.each, validItem: name === 'catalog_name' ? {} : { catalog_name: literal(catalog) } },
});
const OTHER_CATALOG = 'partner_catalog';
const S3_TABLES = `${S3_TABLES_CATALOG}/analytics-tables`;
const DATABASES = attribute('database_names', OTHER_CATALOG, { each: true, nullable: true });
const NAMESPACES = attribute('database_names', S3_TABLES, { each: true, nullable: true });

/** The index of the first catalog with an item's path. */
const FIRST = `index(var.catalogs[*].catalog_name, ${CATALOG_PATH})`;

/** The catalogs variable, after the data catalog's. */
export const CATALOGS_VARIABLE: Variable = {
  name: 'catalogs',
  type: `list(object({
    catalog_name                     = string
    data_source_name                 = optional(string)
    database_names                   = optional(list(string))
    lake_formation_vends_credentials = optional(bool)
  }))`,
  default: '[]',
  description: 'Glue catalogs beyond the default one whose databases and tables can be read (catalog_name and glue_database_names keep describing the '
    + `default catalog). catalog_name: the catalog's path in Glue, "${S3_TABLES_CATALOG}/<table bucket>" for an S3 table bucket (its tables are read `
    + 'with read-only S3 Tables actions; list the key of an SSE-KMS table bucket in kms_key_arns), "<catalog>" or "<catalog>/<child catalog>" for '
    + 'other catalogs. data_source_name: the Athena data source registered for the catalog, when queries use it instead of the path. '
    + 'database_names: its databases (S3 Tables namespaces) whose tables can be read, names or patterns as in glue_database_names, null for every '
    + 'database; refused with access_mode "LAKE_FORMATION", and unless glue_database_names names the default catalog\'s databases so that they '
    + 'cannot match this catalog\'s (IAM wildcards span "/": database/* also matches database/<catalog_name>/<database>). '
    + `lake_formation_vends_credentials: for an S3 Tables catalog with access_mode = "${AccessMode.LAKE_FORMATION}", whether Lake Formation vends `
    + 'the table bucket\'s credentials (https://docs.aws.amazon.com/glue/latest/dg/glue-federation-s3tables.html); false gives the identity the '
    + 'read-only s3tables: actions, as in the other modes; null for true.',
  validations: [
    ...validationBlocks(FORMAT_RULES.s3TablesCatalogPath, attribute('catalog_name', ''), { check: 's3_tables', condition: isS3Tables }),
    ...validationBlocks(glueCatalogPathRule(NAMES.glueDatabaseNames), attribute('catalog_name', ''), { check: 'glue', condition: (path) => `!${isS3Tables(path)}` }),
    itemValidation({
      variable: 'catalogs',
      path: '.catalog_name',
      value: CATALOG_PATH,
      refused: `${FIRST} != i`,
      problem: RULES.sameCatalog('catalogs[{{first}}]'),
      values: { first: FIRST },
    }, 'catalog_name_once', `[{ catalog_name = ${literal(OTHER_CATALOG)} }, { catalog_name = ${literal(OTHER_CATALOG)} }]`),
    ...validationBlocks(FORMAT_RULES.catalogName, attribute('data_source_name', OTHER_CATALOG, { nullable: true })),
    validation(attribute('database_names', OTHER_CATALOG, { nullable: true }), 'empty', (list) => `length(${list}) >= 1`, atLeastEntries(1), '[]'),
    validation(DATABASES, 'only_wildcards', (name) => `!can(regex(${literal(ONLY_WILDCARDS)}, ${name}))`, onlyWildcards('its database_names'), literal('*')),
    // The database rules for every catalog, as the constructs check a namespace as a database first.
    ...validationBlocks(DATABASE_NAME_OR_PATTERN.name, DATABASES, { check: 'name', condition: (name) => `!${wildcard(name)}` }),
    ...validationBlocks(DATABASE_NAME_OR_PATTERN.pattern, DATABASES, { check: 'pattern', condition: wildcard }),
    ...validationBlocks(FORMAT_RULES.namespacePattern, NAMESPACES, { check: 'namespace', condition: () => isS3Tables(CATALOG_PATH) }),
    itemValidation({
      variable: 'catalogs',
      path: '.lake_formation_vends_credentials',
      value: `${v}.lake_formation_vends_credentials`,
      refused: `${v}.lake_formation_vends_credentials != null && !${isS3Tables(CATALOG_PATH)}`,
      problem: RULES.vendsOnlyS3Tables('{{catalog}}'),
      values: { catalog: CATALOG_PATH },
    }, 'lake_formation_vends_credentials_s3_tables', `[{ catalog_name = ${literal(OTHER_CATALOG)}, lake_formation_vends_credentials = false }]`),
  ],
};

const IN_LAKE_FORMATION = `var.access_mode == "${AccessMode.LAKE_FORMATION}"`;
const NOT_IN_LAKE_FORMATION = `var.access_mode != "${AccessMode.LAKE_FORMATION}"`;
/** glue_database_names' default, which names no database: every database is read, as with the constructs' glueDatabaseNames unset. */
const DATABASES_OPEN = 'var.glue_database_names == tolist(["*"])';
const DATABASES_NAMED = 'var.glue_database_names != tolist(["*"])';

/** The characters a glob of `glue_database_names` may hold that a regular expression reads as more than themselves: `*` and `?`. */
function checkGlobCharacters(): void {
  const printable = Array.from({ length: 0x5f }, (_, i) => String.fromCharCode(0x20 + i));
  const rules = [DATABASE_NAME_OR_PATTERN.name, DATABASE_NAME_OR_PATTERN.pattern];
  const admitted = printable.filter((c) => rules.some((rule) => new RegExp(rule.pattern).test(c)));
  const special = admitted.filter((c) => /[\\^$.|+()[\]{}]/.test(c));
  if (special.length > 0) throw new Error(`glue_database_names may hold ${special.join(' ')}: the isolation precondition reads its patterns as regular expressions unescaped`);
}

/**
 * HCL: the `glue_database_names` patterns that can match `<catalog path>/<database>` for a database of the item's
 * catalog, as the constructs' canMatchDatabaseOf decides it. Pattern p can match `<c>/X` (X non-empty, of the
 * catalog kind's name characters) iff for some k in 0..length(p) the glob p[0:k] matches `<c>/` exactly (as a
 * regular expression: `*` is `.*`, `?` is `.`; the patterns hold no other metacharacter) and what is left, p[k:],
 * is only `*`, `?` and name characters, and is not empty, or follows a `*` (which can take the database's characters).
 */
function patternsReaching(): string {
  const chars = `${isS3Tables(CATALOG_PATH)} ? ${literal(`^[*?${NAMESPACE_CHARS}]*$`)} : ${literal(`^[*?${GLUE_NAME_CHARS}]*$`)}`;
  const head = 'replace(replace(substr(p, 0, k), "*", ".*"), "?", ".")';
  const rest = 'substr(p, k, -1)';
  const readsPath = `can(regex("^\${${head}}$", "\${${CATALOG_PATH}}/"))`;
  const restFits = `can(regex(${chars}, ${rest})) && (length(${rest}) > 0 || (k > 0 && substr(p, k - 1, 1) == "*"))`;
  return `[for p in var.glue_database_names : p if anytrue([for k in range(length(p) + 1) : ${readsPath} && ${restFits}])]`;
}

/** The patterns of glue_database_names that reach each catalog's databases, by the catalog's index. */
const REACHING = 'local.catalogs_reached_by';

/**
 * Entries of the module's `locals`: the catalogs' lists the statements draw from (CATALOG_LISTS), by the model's
 * rules of catalog-statements.ts, and the glue_database_names patterns that reach each catalog's databases.
 */
export function catalogLocals(): string {
  checkGlobCharacters();
  return `  # The other catalogs as the statements name them: the names Athena knows them by, their paths with the catalogs
  # above them (Glue authorizes a read on each), and their databases (every one, "*", unless named).
  catalog_athena_names = distinct(flatten([for catalog in var.catalogs : concat([catalog.catalog_name], catalog.data_source_name == null ? [] : [catalog.data_source_name])]))
  catalog_paths        = distinct(flatten([for catalog in var.catalogs : [for i in range(length(split("/", catalog.catalog_name))) : join("/", slice(split("/", catalog.catalog_name), 0, i + 1))]]))
  catalog_databases    = distinct(flatten([for catalog in var.catalogs : [for database in (catalog.database_names == null ? ["*"] : catalog.database_names) : "\${catalog.catalog_name}/\${database}"]]))
  # The table buckets of the ${S3_TABLES_CATALOG} catalogs read with the identity's own s3tables: permissions (all but those
  # whose credentials Lake Formation vends, in access mode LAKE_FORMATION), by their namespaces (null: every one).
  catalog_table_buckets = {
    for catalog in var.catalogs : split("/", catalog.catalog_name)[1] => catalog.database_names
    if split("/", catalog.catalog_name)[0] == "${S3_TABLES_CATALOG}" && (${NOT_IN_LAKE_FORMATION} || catalog.lake_formation_vends_credentials == false)
  }
  catalog_whole_table_buckets      = [for bucket, namespaces in local.catalog_table_buckets : bucket if namespaces == null]
  catalog_table_bucket_namespaces  = { for bucket, namespaces in local.catalog_table_buckets : bucket => distinct(namespaces) if namespaces != null }
  catalog_key_services             = length(local.catalog_table_buckets) > 0 ? ["s3tables"] : []

  # For each catalog, the glue_database_names patterns whose Glue reads also match its databases (IAM wildcards span "/").
  catalogs_reached_by = [for ${v} in var.catalogs : ${patternsReaching()}]`;
}

/**
 * A catalog's databases that the default catalog's Glue reads reach, where `when` holds: why (`open`), and with
 * `reaching` (HCL of the patterns that reach them) only when there is one, the first of them `{{pattern}}` in `open`.
 */
function isolation(open: string, when: string, reaching?: string): string {
  const rule: ItemRule = {
    variable: 'catalogs',
    path: '.database_names',
    value: `${v}.database_names`,
    refused: `${v}.database_names != null${reaching === undefined ? '' : ` && length(${reaching}) > 0`}`,
    problem: RULES.notIsolated(open, '{{catalog}}', 'catalogs[{{index}}].database_names'),
    values: { ...(reaching === undefined ? {} : { pattern: `${reaching}[0]` }), catalog: CATALOG_PATH, index: 'i' },
  };
  return itemPrecondition(rule, when);
}

/**
 * The catalogs' rules over several variables, as preconditions of a resource every plan has: the S3 Tables
 * credentials only in access mode LAKE_FORMATION, and a catalog's databases only where the default catalog's Glue
 * reads cannot reach them (the constructs' validateCatalogIsolation), each reason its own precondition, in the
 * constructs' order.
 */
export function catalogPreconditions(): string {
  return [
    itemPrecondition({
      variable: 'catalogs',
      path: '.lake_formation_vends_credentials',
      value: `${v}.lake_formation_vends_credentials`,
      refused: `${v}.lake_formation_vends_credentials != null`,
      problem: RULES.vendsOnlyLakeFormation('{{mode}}'),
      values: { mode: 'var.access_mode' },
    }, NOT_IN_LAKE_FORMATION),
    isolation(RULES.open.lakeFormation, IN_LAKE_FORMATION),
    isolation(RULES.open.databasesOpen, `${NOT_IN_LAKE_FORMATION} && ${DATABASES_OPEN}`),
    isolation(RULES.open.pattern('{{pattern}}', '{{catalog}}'), `${NOT_IN_LAKE_FORMATION} && ${DATABASES_NAMED}`, `${REACHING}[i]`),
  ].join('\n');
}
