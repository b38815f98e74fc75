import { CATALOG_ITEM, catalogLocals, HAS_CATALOGS, CATALOGS_VARIABLE, catalogPreconditions } from './catalog-access';
import {
  check, hclList, hclString, listItem, listLengthBlock, literal, nameOrPatternBlocks, precondition, reference, RuleTarget, scalarMarker, sizeCheck,
  statementObject, validation, validationBlocks,
} from './hcl';
import { LAKE_FORMATION_VARIABLES, lakeFormationGrants, lakeFormationLocals, lakeFormationPreconditions } from './lake-formation-grants';
import { Output, Variable } from './module';
import { conditionOf, queryPolicies } from './query-policies';
import { AccessMode } from '../model/access-mode';
import { athenaQueryStatements, AthenaQueryScope, DEFAULT_CATALOG_NAME } from '../model/athena-query-statements';
import { withDeployTimeConditions } from '../model/deploy-time';
import { FORMAT_RULES } from '../model/format-rules';
import { guardrailStatements } from '../model/guardrails';
import { checkQueryPolicyProps } from '../model/query-scope';
import { WORKGROUP_RULE } from '../model/rules';
import { DEFAULT_RESULTS_PREFIX, s3Url } from '../model/s3-locations';
import { IAM_LIMITS } from '../model/size';
import { StatementSpec } from '../model/statement-spec';
import {
  ACCESS_MODES, atLeastEntries, BUCKET_NAME_OR_PATTERN, DATABASE_NAME_OR_PATTERN, queryResultsChoiceRules, QueryResultsNames,
} from '../model/validation';
import { SYNTH_WARNINGS } from '../model/warnings';

/**
 * The query access of every Athena identity's module (the target role, the Access Key user), rendered from the
 * model's statement builders with the module's variables as deploy-time values, as the constructs render them with
 * CloudFormation tokens: its variables, the query policies split over `query_policy_count` managed policies
 * (query-policies.ts), the guardrails policy, and the connection's outputs.
 *
 * Deploy-time values: the partition, Region and account of the provider, and every variable. A list variable is one
 * model item that renders to a `for` expression over the list; an optional list's statements exist only when it is
 * not empty. A data location is one item, `<bucket>[/<prefix>]`, for its objects; for listing, locals group the
 * locations by bucket, and the model lists each bucket under its own folders (one statement per bucket).
 *
 * `access_mode` is a variable too: the model builds the statements of each access mode, and a statement that is not
 * in every mode is kept where `var.access_mode` is one of its modes; in LAKE_FORMATION the module also makes the
 * Lake Formation grants (lake-formation-grants.ts).
 */

/**
 * Conditions the model names (an optional list's or value's presence, and the query results mode), as HCL
 * booleans.
 */
const PRESENCE: Record<string, string> = {
  HasDataLocations: 'length(var.data_locations) > 0',
  HasKmsKeyArns: 'length(var.kms_key_arns) > 0',
  ManagedQueryResults: 'var.managed_query_results',
  HasManagedQueryResultsKmsKeyArn: 'var.managed_query_results_kms_key_arn != null',
  [HAS_CATALOGS]: 'length(var.catalogs) > 0',
};

export const partition = reference('data.aws_partition.current.partition');
export const region = reference('data.aws_region.current.name');
export const account = reference('local.account_id');
export const urlSuffix = reference('data.aws_partition.current.dns_suffix');
const env = { partition, region, account, urlSuffix };

// Locals, not the variables: with managed query results the bucket is null, and HCL builds a statement's object
// (a string holding the bucket) before the filter drops it.
const resultsBucket = scalarMarker('local.results_bucket_name', 63);
const resultsPrefix = scalarMarker('local.results_prefix', 1000);
const managedResultsKey = scalarMarker('var.managed_query_results_kms_key_arn', 2048, 'HasManagedQueryResultsKmsKeyArn');
const workGroup = listItem('var.work_group_names', 'name', 'name', { maxLength: 128 });
const catalogName = scalarMarker('var.catalog_name', 256);
const database = listItem('var.glue_database_names', 'name', 'name', { maxLength: 255 });
const kmsKey = listItem('var.kms_key_arns', 'arn', 'arn', { maxLength: 2048, listPresence: 'HasKmsKeyArns' });
// The data locations by bucket (locals `data_whole_buckets` and `data_location_folders`), so that a bucket is listed
// only under its folders, as the constructs list it.
const FOLDER_BUCKETS = 'keys(local.data_location_folders)';
const byBucket = {
  wholeBucket: listItem('local.data_whole_buckets', 'bucket', 'bucket', { maxLength: 63, listPresence: 'HasDataLocations' }).value,
  folderBucket: listItem(FOLDER_BUCKETS, 'bucket', 'bucket', { maxLength: 63, listPresence: 'HasDataLocations' }).value,
  folder: listItem('local.data_location_folders[bucket]', 'folder', 'folder', { maxLength: 1000 }, FOLDER_BUCKETS).value,
};
const location = listItem('var.data_locations', 'location',
  'location.prefix == null ? location.bucket_name : "${location.bucket_name}/${location.prefix}"',
  { maxLength: 63 + 1 + 1000, listPresence: 'HasDataLocations', byBucket });

/** The model's condition of IAM_AND_LAKE_FORMATION's Lake Formation statement: where access_mode is not IAM. */
const USES_LAKE_FORMATION = 'UsesLakeFormation';

/**
 * The model's statements for the module's inputs, every input a deploy-time value: one list for IAM and
 * IAM_AND_LAKE_FORMATION (the model keeps the Lake Formation statement under a deploy-time condition), one for
 * LAKE_FORMATION (whose grants the module makes itself: lake-formation-grants.ts).
 */
function modeStatements(build: (scope: AthenaQueryScope) => StatementSpec[]): ModeStatements[] {
  const plan = (accessMode: AccessMode) => checkQueryPolicyProps({
    workGroupNames: [workGroup.marker],
    catalogName,
    glueDatabaseNames: [database.marker],
    catalogs: [{ catalogName: CATALOG_ITEM }],
    resultsBucketName: resultsBucket,
    resultsPrefix,
    // Both results modes, each statement kept where var.managed_query_results says its mode holds.
    managedQueryResults: true,
    managedQueryResultsCondition: { logicalId: 'ManagedQueryResults', path: 'var.managed_query_results' },
    managedQueryResultsKmsKeyArn: managedResultsKey,
    // Lake Formation vends the data access: the module refuses data_locations in that mode.
    dataLocations: accessMode === AccessMode.LAKE_FORMATION ? [] : [{ bucketName: location.marker }],
    kmsKeyArns: [kmsKey.marker],
    guardrails: true,
    accessMode,
    ...(accessMode === AccessMode.LAKE_FORMATION
      ? { createLakeFormationGrants: false }
      : { lakeFormationCondition: { logicalId: USES_LAKE_FORMATION, path: 'var.access_mode' } }),
  });
  return [
    { modes: [AccessMode.IAM, AccessMode.IAM_AND_LAKE_FORMATION], statements: build(plan(AccessMode.IAM_AND_LAKE_FORMATION).scope) },
    { modes: [AccessMode.LAKE_FORMATION], statements: build(plan(AccessMode.LAKE_FORMATION).scope) },
  ];
}

/** Statements the model builds for some access modes. */
interface ModeStatements {
  readonly modes: AccessMode[];
  readonly statements: StatementSpec[];
}

/** The modes in which a condition of the model's holds, for the conditions that depend on the access mode only. */
const MODE_CONDITIONS: Record<string, (mode: AccessMode) => boolean> = { [USES_LAKE_FORMATION]: (mode) => mode !== AccessMode.IAM };

/** HCL that holds in `modes`. */
function inModes(modes: AccessMode[]): string {
  const others = ACCESS_MODES.filter((m) => !modes.includes(m));
  if (others.length === 1) return `var.access_mode != "${others[0]}"`;
  return modes.length === 1 ? `var.access_mode == "${modes[0]}"` : `contains(${hclList(modes)}, var.access_mode)`;
}

/**
 * One list of the statements of every access mode: each statement once (what renders, not its purpose, decides
 * sameness), in the order of the first list and then of the others, and where it is not in every mode, kept under a
 * condition that names the modes it is in (and its own condition, if any). Returns the statements and the HCL of
 * every condition they name.
 */
function acrossModes(lists: ModeStatements[]): { statements: StatementSpec[]; presence: Record<string, string> } {
  const rendered = (spec: StatementSpec) =>
    JSON.stringify([spec.sid, spec.effect, spec.actions, spec.resources, spec.notResources, spec.conditions, spec.condition]);
  const merged = new Map<string, { spec: StatementSpec; modes: Set<AccessMode> }>();
  for (const { modes, statements } of lists) {
    for (const statement of statements) {
      const byMode = statement.condition === undefined ? undefined : MODE_CONDITIONS[statement.condition];
      const spec = byMode ? { ...statement, condition: undefined } : statement;
      const entry = merged.get(rendered(spec)) ?? { spec, modes: new Set<AccessMode>() };
      modes.filter((mode) => byMode?.(mode) ?? true).forEach((mode) => entry.modes.add(mode));
      merged.set(rendered(spec), entry);
    }
  }
  const presence = { ...PRESENCE };
  const statements = [...merged.values()].map(({ spec, modes }) => {
    if (modes.size === ACCESS_MODES.length) return spec;
    const own = conditionOf(spec, PRESENCE);
    const name = `${[...modes].join('|')}${spec.condition === undefined ? '' : `&${spec.unlessCondition ? '!' : ''}${spec.condition}`}`;
    presence[name] = own === undefined ? inModes([...modes]) : `${inModes([...modes])} && ${own}`;
    return { ...spec, condition: name, unlessCondition: undefined };
  });
  return { statements, presence };
}

/** The statements as an HCL list: runs of unconditional ones, and each conditional one kept where its condition holds. */
function statementList(specs: StatementSpec[], conditions: Record<string, string>): string {
  const parts = specs.map((spec) => {
    const object = statementObject(spec, '      ');
    const condition = conditionOf(spec, conditions);
    return condition === undefined ? object : { condition, object };
  });
  const lists: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length > 0) lists.push(`[\n${run.map((o) => `      ${o},`).join('\n')}\n    ]`);
    run = [];
  };
  for (const part of parts) {
    if (typeof part === 'string') {
      run.push(part);
      continue;
    }
    flush();
    // A `for` with a filter, not a conditional: the two results of `?:` would be tuples of different types.
    lists.push(`[for statement in [\n      ${part.object},\n    ] : statement if ${part.condition}]`);
  }
  flush();
  return lists.length === 1 ? lists[0] : `concat(\n    ${lists.join(',\n    ')},\n  )`;
}

/** What to do when the query policy is too large. */
const SHORTEN_QUERY_POLICY = 'give fewer or shorter work_group_names, glue_database_names (or a pattern such as "sales_*"), data_locations or kms_key_arns';

/** A folder the module puts into ARNs as it is written: the constructs drop trailing slashes, the module cannot. */
const noTrailingSlash = (target: RuleTarget, example: string) => validation(target, 'trailing_slash', (v) => `!endswith(${v}, "/")`,
  'Give the folder without a trailing slash: the module puts it into the policies\' ARNs as written.', literal(example));

/** A data location's optional folder. */
const PREFIX_OF_LOCATION: RuleTarget = { variable: 'data_locations', each: true, nullable: true, attribute: { name: 'prefix', validItem: { bucket_name: literal('acme-lake') } } };

/**
 * The query results mode and the data catalog: Athena's managed query results (with the workgroup's key, if any),
 * and the data catalog browsed through Athena.
 */
const RESULTS_AND_CATALOG_VARIABLES: Variable[] = [
  {
    name: 'managed_query_results',
    type: 'bool',
    default: 'false',
    description: 'Whether the workgroups use Athena\'s managed query results (https://docs.aws.amazon.com/athena/latest/ug/managed-results.html): '
      + 'Athena keeps the results, no results bucket is granted, S3 uploads are denied everywhere and output_location is null. '
      + 'Give no results_bucket_name or results_prefix with it.',
  },
  {
    name: 'managed_query_results_kms_key_arn',
    type: 'string',
    default: 'null',
    description: 'With managed_query_results = true: the customer managed KMS key the workgroup encrypts managed query results with (kms:Decrypt, '
      + 'kms:GenerateDataKey and kms:DescribeKey through Athena only; its key policy must allow the identity and encryption.athena.amazonaws.com); '
      + 'null for an AWS owned key.',
    validations: validationBlocks(FORMAT_RULES.kmsKeyArn, { variable: 'managed_query_results_kms_key_arn', nullable: true }),
  },
  {
    name: 'catalog_name',
    type: 'string',
    default: literal(DEFAULT_CATALOG_NAME),
    description: 'The Athena data catalog whose metadata can be browsed.',
    validations: validationBlocks(FORMAT_RULES.catalogName, { variable: 'catalog_name' }),
  },
];

/** The inputs of the query policies: the Athena workgroups, Glue databases, S3 locations and KMS keys. */
export const QUERY_VARIABLES: Variable[] = [
  {
    name: 'work_group_names',
    type: 'list(string)',
    description: 'Athena workgroups queries may run in; the first is the connection\'s.',
    default: '["primary"]',
    validations: [listLengthBlock('work_group_names', 1, atLeastEntries(1)), ...validationBlocks(WORKGROUP_RULE, { variable: 'work_group_names', each: true })],
  },
  {
    name: 'glue_database_names',
    type: 'list(string)',
    default: '["*"]',
    description: 'Glue databases whose tables can be read (lower case, as Glue stores them); "*" and "?" match as in IAM ARNs.',
    validations: [
      listLengthBlock('glue_database_names', 1, atLeastEntries(1)),
      ...nameOrPatternBlocks(DATABASE_NAME_OR_PATTERN, { variable: 'glue_database_names', each: true }),
    ],
  },
  {
    name: 'results_bucket_name',
    type: 'string',
    default: 'null',
    description: 'The S3 bucket Athena writes query results to (same Region as the workgroup); null with managed_query_results = true.',
    validations: validationBlocks(FORMAT_RULES.bucketName, { variable: 'results_bucket_name', nullable: true }),
  },
  {
    name: 'results_prefix',
    type: 'string',
    description: `The folder for query results in the results bucket, without leading or trailing slash; null for "${DEFAULT_RESULTS_PREFIX}" `
      + '(and with managed_query_results = true, which has no folder).',
    default: 'null',
    validations: [
      ...validationBlocks(FORMAT_RULES.s3Prefix, { variable: 'results_prefix', nullable: true }),
      noTrailingSlash({ variable: 'results_prefix', nullable: true }, 'athena/results/'),
    ],
  },
  {
    name: 'data_locations',
    type: 'list(object({\n    bucket_name = string\n    prefix      = optional(string)\n  }))',
    default: '[]',
    description: 'S3 locations of the table data queries read: a bucket (or a pattern of buckets with "*" and "?"), and a folder without leading or trailing slash (listing is limited to the bucket\'s folders, unless a location names the bucket without one).',
    validations: [
      ...nameOrPatternBlocks(BUCKET_NAME_OR_PATTERN, { variable: 'data_locations', each: true, attribute: { name: 'bucket_name', validItem: {} } }),
      ...[
        ...validationBlocks(FORMAT_RULES.s3PrefixPattern, PREFIX_OF_LOCATION),
        noTrailingSlash(PREFIX_OF_LOCATION, 'warehouse/'),
      ],
    ],
  },
  {
    name: 'kms_key_arns',
    type: 'list(string)',
    default: '[]',
    description: 'ARNs of the KMS keys that encrypt table data, the Glue catalog or query results (key ARNs, not aliases).',
    validations: validationBlocks(FORMAT_RULES.kmsKeyArn, { variable: 'kms_key_arns', each: true }),
  },
  ...RESULTS_AND_CATALOG_VARIABLES,
  CATALOGS_VARIABLE,
  ...LAKE_FORMATION_VARIABLES,
];

/** The connection form's values every Athena identity's module gives: host, workgroup and output location. */
export const CONNECTION_OUTPUTS: Output[] = [
  { name: 'host', value: hclString(`athena.${region}.${urlSuffix}`), description: 'Host for the Athena connection.' },
  { name: 'work_group', value: 'var.work_group_names[0]', description: 'Athena workgroup for the connection.' },
  {
    name: 'output_location',
    value: `var.managed_query_results ? null : ${hclString(s3Url({ bucketName: resultsBucket, prefix: resultsPrefix }))}`,
    description: 'S3 output location for query results; null with managed query results (the connection must send none).',
  },
];

/** The identity the query access is for. */
export interface QueryIdentity {
  /** `role` or `user`. */
  readonly identity: 'role' | 'user';
  /** HCL of the identity's name, e.g. `aws_iam_role.this.name`. */
  readonly name: string;
  /** HCL of the identity's ARN, the Lake Formation grants' principal, e.g. `aws_iam_role.this.arn`. */
  readonly arn: string;
  /** HCL of what its policies' names start with, e.g. `var.role_name`. */
  readonly namePrefix: string;
  /** An earlier version had one `aws_iam_policy.query`: a `moved` block makes it policy "0". */
  readonly movedFromSingle?: boolean;
}

/** The HCL of a module's query access. */
export interface QueryAccess {
  /** The data sources the statements read (partition, Region, the caller's account). */
  readonly data: string;
  /** Entries of the module's `locals`: `account_id`, the query policies' documents, the guardrails'. */
  readonly locals: string;
  /** The guardrails and query policies, their attachments, and the Lake Formation grants. */
  readonly resources: string;
  /** The variables of the split (`query_policy_count`, `max_managed_policies`). */
  readonly variables: Variable[];
}

/** The query access of `identity`, in a module that declares QUERY_VARIABLES, `path`, `tags` and `account_id`. */
export function queryAccess(identity: QueryIdentity): QueryAccess {
  const query = acrossModes(modeStatements((scope) => athenaQueryStatements(scope, env).map(withDeployTimeConditions)));
  const guardrails = acrossModes(modeStatements((scope) => guardrailStatements(scope, env).map(withDeployTimeConditions)));
  const policies = queryPolicies({
    statements: query.statements,
    presence: query.presence,
    splitKeys: { 'var.data_locations': 'location.bucket_name', 'var.catalogs': 'catalog.catalog_name' },
    attachTo: { identity: identity.identity, name: identity.name, namePrefix: identity.namePrefix, otherPolicies: ['aws_iam_policy.guardrails'] },
    description: 'Qualytics dataplane: least-privilege Athena, Glue and S3 access for the Athena JDBC driver',
    shorten: SHORTEN_QUERY_POLICY,
    movedFromSingle: identity.movedFromSingle,
  });
  return {
    data: `data "aws_partition" "current" {}

data "aws_region" "current" {}

# Only when account_id is not given: the one call to AWS a plan makes.
data "aws_caller_identity" "current" {
  count = var.account_id == null ? 1 : 0
}`,
    locals: `  account_id = coalesce(var.account_id, one(data.aws_caller_identity.current[*].account_id))

  # "" with managed query results: the S3 results statements, which hold it, are left out then.
  results_bucket_name = var.results_bucket_name == null ? "" : var.results_bucket_name
  results_prefix      = var.results_prefix == null ? ${literal(DEFAULT_RESULTS_PREFIX)} : var.results_prefix

  # The data locations' folders by bucket, for listing: a bucket that some location names without a folder is listed
  # whole, any other only under its folders (s3:prefix), one statement per bucket.
  data_location_prefixes = { for location in var.data_locations : location.bucket_name => location.prefix... }
  data_whole_buckets     = [for bucket, prefixes in local.data_location_prefixes : bucket if anytrue([for prefix in prefixes : prefix == null])]
  data_location_folders  = { for bucket, prefixes in local.data_location_prefixes : bucket => distinct(prefixes) if alltrue([for prefix in prefixes : prefix != null]) }

${policies.locals}
  guardrails_statements = ${statementList(guardrails.statements, guardrails.presence)}

${lakeFormationLocals()}

${catalogLocals()}

  guardrails_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.guardrails_statements
  })`,
    resources: `resource "aws_iam_policy" "guardrails" {
  name_prefix = "\${${identity.namePrefix}}-guardrails-"
  path        = var.path
  description = "Qualytics dataplane: explicit denies of writes the ${identity.identity === 'role' ? 'target role' : 'user'} must never make"
  policy      = local.guardrails_policy
  tags        = var.tags
  lifecycle {
    create_before_destroy = true
${sizeCheck('local.guardrails_policy', 'The guardrails policy', IAM_LIMITS.managedPolicy, 'for a managed policy', 'shorten results_bucket_name or results_prefix')}
${queryResultsPreconditions()}
    # The access mode's rules over several variables: every plan has this policy.
${lakeFormationPreconditions()}
${catalogPreconditions()}
  }
}

${policies.resources}${lakeFormationGrants(identity.arn)}`,
    variables: policies.variables,
  };
}

/** The model's names of the query results choice's inputs, as the module's variables. */
const RESULTS_NAMES: QueryResultsNames = {
  bucket: 'results_bucket_name', prefix: 'results_prefix', managed: 'managed_query_results = true', kmsKeyArns: 'kms_key_arns',
};

/**
 * The rules of the query results choice as preconditions: each compares two variables, which a validation block
 * cannot before Terraform 1.9 (the module supports 1.5). Worded as the validation blocks, with the model's words.
 */
function queryResultsPreconditions(): string {
  const rules = queryResultsChoiceRules(RESULTS_NAMES);
  const isNull = (v: string) => `${v} == null`;
  return [
    precondition({ variable: 'results_bucket_name' }, 'var.managed_query_results', isNull, rules.bucketWithManaged),
    precondition({ variable: 'results_bucket_name' }, '!var.managed_query_results', (v) => `${v} != null`, rules.noBucket),
    precondition({ variable: 'results_prefix' }, 'var.results_bucket_name == null', isNull, rules.prefixWithoutBucket),
    precondition({ variable: 'managed_query_results_kms_key_arn' }, '!var.managed_query_results', isNull, rules.keyWithoutManaged),
  ].join('\n');
}

/** The warning of a connection in the primary workgroup. */
export function primaryWorkGroupCheck(): string {
  return check('primary_work_group', '!contains(var.work_group_names, "primary")',
    `work_group_names includes "primary": ${SYNTH_WARNINGS.primaryWorkGroup}. Athena authorizes athena:GetQueryResults on the workgroup, not on `
    + 'who ran the query, so these permissions can read the results of any query run in "primary" given its query ID '
    + '(https://docs.aws.amazon.com/athena/latest/ug/workgroups-iam-policy.html). Create a workgroup for the connection (for example "qualytics", '
    + 'with its own query results location) and give it in work_group_names.');
}
