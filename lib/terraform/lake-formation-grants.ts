import { hclList, literal, precondition, validation } from './hcl';
import { Variable } from './module';
import { AccessMode } from '../model/access-mode';
import {
  ATHENA_DEFAULT_DATABASE, DATABASE_PERMISSIONS, EXPRESSION_DIGEST_LENGTH, EXPRESSION_KEY_PREFIX, expressionOnce, GRANT_DATABASE_NAME_ACCEPTED,
  GRANT_DATABASE_ONCE, grantsNeedTargets, LF_TAG, TABLE_PERMISSIONS,
} from '../model/lake-formation-grants';
import { lakeFormationOnly, noDataLocationsWithLakeFormation } from '../model/query-scope';
import { ACCESS_MODE_ACCEPTED, ACCESS_MODES } from '../model/validation';

/**
 * Lake Formation in the Terraform modules of the Athena identities: the access mode and the grants' variables, the
 * rules over several variables (preconditions, as a validation block cannot compare variables before Terraform
 * 1.9), and in access mode LAKE_FORMATION the `aws_lakeformation_permissions` grants of the model's grant plan
 * (lib/model/lake-formation-grants.ts), as `LakeFormationGrants` makes them: DESCRIBE on each database, SELECT and
 * DESCRIBE on its tables through a table wildcard, the same on what each LF-Tag expression matches, and DESCRIBE on
 * `default` (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/lakeformation_permissions).
 *
 * Each grant is keyed by what it grants, never by a position: a database's grants by its name, an expression's by
 * the digest of its canonical form that names the construct's grants (`TaggedTables-<digest>`), so adding or
 * removing one never replaces another (every argument of the resource forces a new one).
 */

const LAKE_FORMATION = `"${AccessMode.LAKE_FORMATION}"`;
const IN_LAKE_FORMATION = `var.access_mode == ${LAKE_FORMATION}`;
/** How the module's messages name access mode LAKE_FORMATION. */
const LAKE_FORMATION_MODE = `access_mode = ${LAKE_FORMATION}`;

/** An expression's canonical form in HCL: keys sorted (as `keys` gives them), each key's values sorted without repeats. */
const canonical = (tags: string) => `[for k in keys(${tags}) : { key = k, values = sort(distinct(${tags}[k])) }]`;
/** The model's key of an expression (`lf-tags:` and the JSON of `[[key, [values]], ...]`), whose digest names its grants. */
const digest = (tags: string) =>
  `substr(sha256("${EXPRESSION_KEY_PREFIX}\${jsonencode([for k in keys(${tags}) : [k, sort(distinct(${tags}[k]))]])}"), 0, ${EXPRESSION_DIGEST_LENGTH})`;

const EXPRESSIONS = { variable: 'lake_formation_tag_expressions', each: true, attribute: { name: 'tags', validItem: {} } };
const everyValue = (tags: string, condition: (value: string) => string) => `alltrue(flatten([for vs in values(${tags}) : [for x in vs : ${condition('x')}]]))`;

/** The access mode and the grants' inputs, after the query variables. */
export const LAKE_FORMATION_VARIABLES: Variable[] = [
  {
    name: 'access_mode',
    type: 'string',
    default: `"${AccessMode.IAM}"`,
    description: 'Who decides what queries may read: "IAM" (the policies name each database and data location), "IAM_AND_LAKE_FORMATION" '
      + '(the same, and lakeformation:GetDataAccess for tables Lake Formation governs), or "LAKE_FORMATION" (Lake Formation grants name the '
      + 'databases, and the policies stay the same size however many there are; data_locations must be empty).',
    validations: [validation({ variable: 'access_mode' }, 'value', (v) => `contains(${hclList(ACCESS_MODES)}, ${v})`, ACCESS_MODE_ACCEPTED, literal('lake-formation'))],
  },
  {
    name: 'lake_formation_tag_expressions',
    type: 'list(object({\n    tags = map(list(string))\n  }))',
    default: '[]',
    description: `With ${LAKE_FORMATION_MODE}: LF-Tag expressions whose matching databases and tables the grants cover, besides glue_database_names; `
      + `each is 1 to ${LF_TAG.maxKeys} LF-Tag keys, each with the values it may take (every key must match, any of its values).`,
    validations: [
      validation(EXPRESSIONS, 'keys', (v) => `length(${v}) >= 1 && length(${v}) <= ${LF_TAG.maxKeys}`, LF_TAG.keysAccepted, '{}'),
      validation(EXPRESSIONS, 'key_format', (v) => `alltrue([for k in keys(${v}) : can(regex(${literal(LF_TAG.keyPattern)}, k))])`,
        LF_TAG.keyAccepted, '{ "dom#ain" = ["sales"] }'),
      validation(EXPRESSIONS, 'values', (v) => `alltrue([for vs in values(${v}) : length(vs) >= 1 && length(vs) <= ${LF_TAG.maxValues}])`,
        LF_TAG.valuesAccepted, '{ domain = [] }'),
      validation(EXPRESSIONS, 'value_format', (v) => everyValue(v, (x) => `can(regex(${literal(LF_TAG.valuePattern)}, ${x}))`),
        LF_TAG.valueAccepted, '{ domain = ["sa#les"] }'),
      validation({ variable: 'lake_formation_tag_expressions' }, 'once',
        (v) => `length(distinct([for e in ${v} : { for k, vs in e.tags : k => sort(distinct(vs)) }])) == length(${v})`,
        expressionOnce('another of lake_formation_tag_expressions'),
        '[{ tags = { domain = ["sales", "finance"] } }, { tags = { domain = ["finance", "sales", "sales"] } }]'),
    ],
  },
  {
    name: 'create_lake_formation_grants',
    type: 'bool',
    default: 'true',
    description: `With ${LAKE_FORMATION_MODE}: whether the module makes the Lake Formation grants; false when they are managed elsewhere.`,
  },
  {
    name: 'lake_formation_default_database_describe',
    type: 'bool',
    default: 'true',
    description: `With ${LAKE_FORMATION_MODE}: whether the grants include DESCRIBE on the "${ATHENA_DEFAULT_DATABASE}" database, which Athena needs under `
      + 'Lake Formation whatever database a query names; false only when the principal gets it elsewhere.',
  },
];

/** Whether the module makes grants. */
const GRANTS = 'local.lake_formation_grants';

/**
 * The rules over several variables, as preconditions of a resource every plan has: the variables that only one
 * access mode takes, and the grants' databases (names, each once, and something to grant).
 */
export function lakeFormationPreconditions(): string {
  const databases = { variable: 'glue_database_names' };
  return [
    precondition({ variable: 'lake_formation_tag_expressions' }, `var.access_mode != ${LAKE_FORMATION}`, (v) => `length(${v}) == 0`, lakeFormationOnly(LAKE_FORMATION_MODE)),
    precondition({ variable: 'data_locations' }, IN_LAKE_FORMATION, (v) => `length(${v}) == 0`,
      noDataLocationsWithLakeFormation({ accessMode: 'access_mode', dataLocations: 'data_locations' })),
    precondition({ ...databases, each: true }, `${GRANTS} && local.lake_formation_databases_named`, (v) => `length(regexall("[*?]", ${v})) == 0`, GRANT_DATABASE_NAME_ACCEPTED),
    precondition(databases, GRANTS, (v) => `length(distinct(${v})) == length(${v})`, GRANT_DATABASE_ONCE),
    precondition(databases, GRANTS, () => 'length(local.lake_formation_databases) + length(var.lake_formation_tag_expressions) > 0',
      grantsNeedTargets('lake_formation_tag_expressions')),
  ].join('\n');
}

/** Entries of the module's `locals`: whether grants are made, and for which databases and expressions. */
export function lakeFormationLocals(): string {
  return `  # Grants only in access mode LAKE_FORMATION, unless they are managed elsewhere.
  lake_formation_grants = ${IN_LAKE_FORMATION} && var.create_lake_formation_grants
  # glue_database_names' default ["*"] names no database, as the constructs' glueDatabaseNames left unset.
  lake_formation_databases_named = var.glue_database_names != tolist(["*"])
  lake_formation_databases       = ${GRANTS} && local.lake_formation_databases_named ? var.glue_database_names : []
  lake_formation_described = toset(concat(local.lake_formation_databases,
    ${GRANTS} && var.lake_formation_default_database_describe && !contains(local.lake_formation_databases, "${ATHENA_DEFAULT_DATABASE}") ? ["${ATHENA_DEFAULT_DATABASE}"] : [],
  ))
  # Each expression in canonical form, by the digest of its key.
  lake_formation_expressions = { for e in (${GRANTS} ? var.lake_formation_tag_expressions : []) : ${digest('e.tags')} => ${canonical('e.tags')} }`;
}

/** The grants, to `principal` (HCL of the role's or user's ARN), in the catalog of the module's account. */
export function lakeFormationGrants(principal: string): string {
  const grant = (name: string, forEach: string, permissions: string[], resource: string) => `resource "aws_lakeformation_permissions" "${name}" {
  for_each    = ${forEach}
  principal   = ${principal}
  catalog_id  = local.account_id
  permissions = ${hclList(permissions)}
${resource}
}`;
  const tagPolicy = (resourceType: string) => `  lf_tag_policy {
    catalog_id    = local.account_id
    resource_type = "${resourceType}"
    dynamic "expression" {
      for_each = each.value
      content {
        key    = expression.value.key
        values = expression.value.values
      }
    }
  }`;
  return `
# Lake Formation grants (access mode LAKE_FORMATION), none with a grant option. Applied in parallel: the provider
# retries Lake Formation's ConcurrentModificationException (README, "Lake Formation grants").
${grant('database', 'local.lake_formation_described', DATABASE_PERMISSIONS, '  database {\n    catalog_id = local.account_id\n    name       = each.key\n  }')}

${grant('tables', 'toset(local.lake_formation_databases)', TABLE_PERMISSIONS,
  '  table {\n    catalog_id    = local.account_id\n    database_name = each.key\n    wildcard      = true\n  }')}

${grant('tagged_databases', 'local.lake_formation_expressions', DATABASE_PERMISSIONS, tagPolicy('DATABASE'))}

${grant('tagged_tables', 'local.lake_formation_expressions', TABLE_PERMISSIONS, tagPolicy('TABLE'))}
`;
}

/** What the module cannot check of the constructs' Lake Formation rules. */
export const LAKE_FORMATION_UNCHECKED = 'create_lake_formation_grants and lake_formation_default_database_describe outside access_mode "LAKE_FORMATION": '
  + 'the constructs refuse them there, but a bool variable given its default cannot be told from one left unset; the module ignores them.';

/** The README's sections on Lake Formation, citing what makes parallel grants safe. */
export const LAKE_FORMATION_README: Record<string, string> = {
  'Lake Formation grants': `With \`access_mode = "LAKE_FORMATION"\` and \`create_lake_formation_grants\` (the default) the module makes the grants
\`LakeFormationGrants\` makes, as \`aws_lakeformation_permissions\`: \`database\` (DESCRIBE on each of \`glue_database_names\`, and on
\`${ATHENA_DEFAULT_DATABASE}\` unless \`lake_formation_default_database_describe\` is false), \`tables\` (SELECT and DESCRIBE on every table of each
database, through a table wildcard), and \`tagged_databases\` and \`tagged_tables\` (the same on what each of
\`lake_formation_tag_expressions\` matches), none with a grant option. \`glue_database_names\` then names databases (no \`*\` or \`?\`);
its default \`["*"]\` names none, for grants by LF-Tag only. A database's grants are keyed by its name, an expression's by a digest of its
canonical form (keys sorted, values sorted without repeats: reordering an expression changes nothing), so adding or removing one never
replaces another. Whoever applies must be allowed to grant these permissions: a data lake administrator, or a principal holding them
with the grant option.

Terraform applies the grants in parallel, which is safe: Lake Formation refuses concurrent permission changes with
ConcurrentModificationException (https://docs.aws.amazon.com/lake-formation/latest/dg/troubleshooting.html), and the AWS provider
retries it. Its \`internal/service/lakeformation/permissions.go\` (https://github.com/hashicorp/terraform-provider-aws) retries
GrantPermissions on ConcurrentModificationException for two minutes (\`IAMPropagationTimeout\`, \`consts.go\`), and RevokePermissions on
it for 30 seconds (\`permissionsDeleteRetryTimeout\`, \`wait.go\`), then revokes again until Lake Formation answers that nothing is left
to revoke ("No permissions revoked"). With hundreds of grants changing at once
(a first apply, a destroy), \`terraform apply -parallelism=1\` keeps them from competing for those windows.`,
};
