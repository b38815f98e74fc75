import {
  hclString, hclValue, listItem, listLengthBlock, literal, nameOrPatternBlocks, rangeBlock, reference, RuleTarget, scalarMarker, sizeCheck,
  statementObject, validation, validationBlocks,
} from './hcl';
import { HEADER, Output, PlanRun, TerraformModule, TEST_ACCOUNT, TEST_REGION, Variable } from './module';
import { queryPolicies } from './query-policies';
import { glueDatabaseArn, glueTableArn, objectsArn, workGroupArn } from '../model/arns';
import { athenaQueryStatements } from '../model/athena-query-statements';
import { withDeployTimeConditions } from '../model/deploy-time';
import { FORMAT_RULES } from '../model/format-rules';
import { guardrailStatements } from '../model/guardrails';
import { checkQueryPolicyProps } from '../model/query-scope';
import { CHAINED_SESSION_MAX_SECONDS, DEFAULT_SESSION_NAME_PREFIX, SESSION_NAME_PREFIX_RULE, WORKGROUP_RULE } from '../model/rules';
import { DEFAULT_RESULTS_PREFIX, s3Url } from '../model/s3-locations';
import { IAM_LIMITS } from '../model/size';
import { StatementSpec } from '../model/statement-spec';
import { sessionTagTrustConditions, targetRoleTrustConditions } from '../model/trust-conditions';
import { atLeastEntries, BUCKET_NAME_OR_PATTERN, DATABASE_NAME_OR_PATTERN, MAX_SESSION_DURATION } from '../model/validation';
import { SYNTH_WARNINGS } from '../model/warnings';

/**
 * The Terraform module of the target role in accessMode IAM (`terraform/modules/athena-target-role`), rendered from
 * the model's statement builders with the module's variables as deploy-time values, as the constructs render them
 * with CloudFormation tokens.
 *
 * Deploy-time values in this module: the partition, Region and account of the provider, and every variable. A list
 * variable is one model item that renders to a `for` expression over the list; an optional list's statements exist
 * only when it is not empty. A data location is one item, `<bucket>[/<prefix>]`, so its listing is on the whole
 * bucket (as in the CloudFormation template); its objects are still limited to the prefix. The query statements are
 * split over `query_policy_count` managed policies by a hash of each list item (lib/terraform/query-policies.ts),
 * the guardrails are one more; preconditions refuse at plan a policy over IAM's limits and more policies than the quota.
 */

/** Conditions the model names (an optional list's presence), as HCL booleans. */
const PRESENCE: Record<string, string> = {
  HasDataLocations: 'length(var.data_locations) > 0',
  HasKmsKeyArns: 'length(var.kms_key_arns) > 0',
};

const partition = reference('data.aws_partition.current.partition');
const region = reference('data.aws_region.current.name');
const account = reference('local.account_id');
const urlSuffix = reference('data.aws_partition.current.dns_suffix');
const env = { partition, region, account, urlSuffix };

const externalId = scalarMarker('var.external_id', 1224);
const sessionNamePrefix = scalarMarker('var.session_name_prefix', 55);
const trustedRoleArn = scalarMarker('var.trusted_role_arn', 2048);
const organizationId = scalarMarker('var.trusted_organization_id', 34);
const resultsBucket = scalarMarker('var.results_bucket_name', 63);
const resultsPrefix = scalarMarker('var.results_prefix', 1000);
const workGroup = listItem('var.work_group_names', 'name', 'name', { maxLength: 128 });
const database = listItem('var.glue_database_names', 'name', 'name', { maxLength: 255 });
const kmsKey = listItem('var.kms_key_arns', 'arn', 'arn', { maxLength: 2048, listPresence: 'HasKmsKeyArns' });
const locationBucket = listItem('var.data_locations', 'location', 'location.bucket_name', { maxLength: 63, listPresence: 'HasDataLocations' });
const location = listItem('var.data_locations', 'location',
  'location.prefix == null ? location.bucket_name : "${location.bucket_name}/${location.prefix}"',
  { maxLength: 63 + 1 + 1000, listPresence: 'HasDataLocations', bucket: locationBucket.value });

/** The model's plan for the module's inputs: every input a deploy-time value. */
function queryStatements(): { query: StatementSpec[]; guardrails: StatementSpec[] } {
  const plan = checkQueryPolicyProps({
    workGroupNames: [workGroup.marker],
    glueDatabaseNames: [database.marker],
    resultsBucketName: resultsBucket,
    resultsPrefix,
    dataLocations: [{ bucketName: location.marker }],
    kmsKeyArns: [kmsKey.marker],
    guardrails: true,
  });
  return {
    query: athenaQueryStatements(plan.scope, env).map(withDeployTimeConditions),
    guardrails: guardrailStatements(plan.scope, env).map(withDeployTimeConditions),
  };
}

/** The statements as an HCL list: runs of unconditional ones, and each conditional one kept where its condition holds. */
function statementList(specs: StatementSpec[]): string {
  const parts = specs.map((spec) => {
    const object = statementObject(spec, '      ');
    if (spec.condition === undefined) return object;
    const presence = PRESENCE[spec.condition];
    if (presence === undefined || spec.unlessCondition) throw new Error(`Statement ${spec.sid}: condition ${spec.condition} has no Terraform expression`);
    return { condition: presence, object };
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

const QUERY_POLICY_DESCRIPTION = 'Qualytics dataplane: least-privilege Athena, Glue and S3 access for the Athena JDBC driver';

/** The query policies, attached to the role with the guardrails. */
function rolePolicies(query: StatementSpec[]) {
  return queryPolicies({
    statements: query,
    presence: PRESENCE,
    splitKeys: { 'var.data_locations': 'location.bucket_name' },
    attachTo: { identity: 'role', name: 'aws_iam_role.this.name', namePrefix: 'var.role_name', otherPolicies: ['aws_iam_policy.guardrails'] },
    description: QUERY_POLICY_DESCRIPTION,
    shorten: SHORTEN_QUERY_POLICY,
    movedFromSingle: true,
  });
}

function mainTf(): string {
  const { query, guardrails } = queryStatements();
  const policies = rolePolicies(query);
  /** The trust statements, with the caller's organization or without (the model leaves the condition out). */
  const trust = (orgId?: string) => [
    { Effect: 'Allow', Principal: { AWS: trustedRoleArn }, Action: 'sts:AssumeRole', Condition: targetRoleTrustConditions({ externalId, sessionNamePrefix, organizationId: orgId }) },
    { Effect: 'Allow', Principal: { AWS: trustedRoleArn }, Action: 'sts:TagSession', Condition: sessionTagTrustConditions(orgId) },
  ];
  const trustPolicy = (orgId?: string) => `jsonencode({
    Version = "2012-10-17"
    Statement = [
${trust(orgId).map((statement) => `      ${hclValue(statement, '      ')},`).join('\n')}
    ]
  })`;
  const policy = (name: string, suffix: string, description: string, shorten: string) => `resource "aws_iam_policy" "${name}" {
  name_prefix = "\${var.role_name}-${suffix}-"
  path        = var.path
  description = ${literal(description)}
  policy      = local.${name}_policy
  tags        = var.tags
  lifecycle {
    create_before_destroy = true
${sizeCheck(`local.${name}_policy`, `The ${suffix} policy`, IAM_LIMITS.managedPolicy, 'for a managed policy', shorten)}
  }
}
`;
  return `${HEADER}data "aws_partition" "current" {}

data "aws_region" "current" {}

# Only when account_id is not given: the one call to AWS a plan makes.
data "aws_caller_identity" "current" {
  count = var.account_id == null ? 1 : 0
}

locals {
  account_id = coalesce(var.account_id, one(data.aws_caller_identity.current[*].account_id))

${policies.locals}
  guardrails_statements = ${statementList(guardrails)}

  guardrails_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.guardrails_statements
  })

  # Two documents, as the two conditions differ in shape: jsonencode makes both a string.
  trust_policy = var.trusted_organization_id == null ? ${trustPolicy()} : ${trustPolicy(organizationId)}
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  path                 = var.path
  permissions_boundary = var.permissions_boundary_arn
  max_session_duration = var.max_session_duration
  assume_role_policy   = local.trust_policy
  tags                 = var.tags
  lifecycle {
${sizeCheck('local.trust_policy', 'The trust policy', IAM_LIMITS.trustPolicy, 'for a trust policy with the default quota', 'shorten external_id or trusted_role_arn')}
  }
}

${policies.resources}
${policy('guardrails', 'guardrails', 'Qualytics dataplane: explicit denies of writes the target role must never make', 'shorten results_bucket_name or results_prefix')}${checks()}`;
}

/**
 * The synth warnings that apply to the module, as `check` blocks: a plan warns and goes on. Not
 * crossAccountWithoutExternalId: external_id is required.
 */
function checks(): string {
  const check = (name: string, condition: string, message: string) => `
check "${name}" {
  assert {
    condition     = ${condition}
    error_message = ${literal(message)}
  }
}
`;
  return check('primary_work_group', '!contains(var.work_group_names, "primary")',
    `work_group_names includes "primary": ${SYNTH_WARNINGS.primaryWorkGroup}. Athena authorizes athena:GetQueryResults on the workgroup, not on `
    + 'who ran the query, so these permissions can read the results of any query run in "primary" given its query ID '
    + '(https://docs.aws.amazon.com/athena/latest/ug/workgroups-iam-policy.html). Create a workgroup for the connection (for example "qualytics", '
    + 'with its own query results location) and give it in work_group_names.')
    + check('max_session_duration_beyond_role_chaining', `var.max_session_duration <= ${CHAINED_SESSION_MAX_SECONDS}`,
      `max_session_duration is ${reference('var.max_session_duration')} seconds: ${SYNTH_WARNINGS.maxSessionDurationBeyondRoleChaining}. The dataplane `
      + 'reaches this role by role chaining, and STS caps a chained session at one hour whatever the role allows '
      + '(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining): the dataplane can never use '
      + `the longer session. Leave max_session_duration at its default of ${CHAINED_SESSION_MAX_SECONDS}.`);
}

/** What to do when the query policy is too large. */
const SHORTEN_QUERY_POLICY = 'give fewer or shorter work_group_names, glue_database_names (or a pattern such as "sales_*"), data_locations or kms_key_arns';

/** A folder the module puts into ARNs as it is written: the constructs drop trailing slashes, the module cannot. */
const noTrailingSlash = (target: RuleTarget, example: string) => validation(target, 'trailing_slash', (v) => `!endswith(${v}, "/")`,
  'Give the folder without a trailing slash: the module puts it into the policies\' ARNs as written.', literal(example));

/** A data location's optional folder. */
const PREFIX_OF_LOCATION: RuleTarget = { variable: 'data_locations', each: true, nullable: true, attribute: { name: 'prefix', validItem: { bucket_name: literal('acme-lake') } } };

const VARIABLES: Variable[] = [
  {
    name: 'trusted_role_arn',
    type: 'string',
    description: 'ARN of the dataplane\'s base role, the only principal allowed to assume this role (a role ARN, not an assumed-role session ARN).',
    validations: validationBlocks(FORMAT_RULES.roleArn, { variable: 'trusted_role_arn' }),
  },
  {
    name: 'external_id',
    type: 'string',
    description: 'The External ID the base role must pass with AssumeRole; AssumeRole without exactly this value is refused.',
    validations: validationBlocks(FORMAT_RULES.externalId, { variable: 'external_id' }),
  },
  {
    name: 'role_name',
    type: 'string',
    description: 'The role\'s name; its ARN goes into the connection form\'s Role ARN field.',
    default: literal('qualytics-athena-access'),
    validations: validationBlocks(FORMAT_RULES.roleName, { variable: 'role_name' }),
  },
  {
    name: 'trusted_organization_id',
    type: 'string',
    default: 'null',
    description: 'The AWS Organizations organization the caller must belong to (aws:PrincipalOrgID); null for no organization condition.',
    validations: validationBlocks(FORMAT_RULES.organizationId, { variable: 'trusted_organization_id', nullable: true }),
  },
  {
    name: 'session_name_prefix',
    type: 'string',
    description: 'Role session names must start with this.',
    default: literal(DEFAULT_SESSION_NAME_PREFIX),
    validations: validationBlocks(SESSION_NAME_PREFIX_RULE, { variable: 'session_name_prefix' }),
  },
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
    description: 'The S3 bucket Athena writes query results to (same Region as the workgroup).',
    validations: validationBlocks(FORMAT_RULES.bucketName, { variable: 'results_bucket_name' }),
  },
  {
    name: 'results_prefix',
    type: 'string',
    description: 'The folder for query results in the results bucket, without leading or trailing slash.',
    default: literal(DEFAULT_RESULTS_PREFIX),
    validations: [
      ...validationBlocks(FORMAT_RULES.s3Prefix, { variable: 'results_prefix' }),
      noTrailingSlash({ variable: 'results_prefix' }, 'athena/results/'),
    ],
  },
  {
    name: 'data_locations',
    type: 'list(object({\n    bucket_name = string\n    prefix      = optional(string)\n  }))',
    default: '[]',
    description: 'S3 locations of the table data queries read: a bucket (or a pattern of buckets with "*" and "?"), and a folder without leading or trailing slash (listing is allowed on the whole bucket).',
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
  { name: 'permissions_boundary_arn', type: 'string', default: 'null', description: 'ARN of a permissions boundary for the role; null for none.' },
  {
    name: 'path',
    type: 'string',
    default: '"/"',
    description: 'The IAM path of the role and its policies.',
    validations: validationBlocks(FORMAT_RULES.iamPath, { variable: 'path' }),
  },
  {
    name: 'max_session_duration',
    type: 'number',
    default: String(CHAINED_SESSION_MAX_SECONDS),
    description: 'The longest session the role allows, in seconds; the dataplane reaches the role by role chaining, which STS caps at one hour.',
    validations: [rangeBlock(MAX_SESSION_DURATION, { variable: 'max_session_duration' })],
  },
  { name: 'tags', type: 'map(string)', default: '{}', description: 'Tags for the role and its policies.' },
  {
    name: 'account_id',
    type: 'string',
    default: 'null',
    description: 'The account the role is created in; null to ask STS (GetCallerIdentity) at plan.',
    validations: validationBlocks(FORMAT_RULES.accountId, { variable: 'account_id', nullable: true }),
  },
];

const OUTPUTS: Output[] = [
  { name: 'role_arn', value: 'aws_iam_role.this.arn', description: 'Role ARN for the Athena connection (IAM Role authentication).' },
  { name: 'external_id', value: 'var.external_id', description: 'External ID for the Athena connection.' },
  { name: 'host', value: hclString(`athena.${region}.${urlSuffix}`), description: 'Host for the Athena connection.' },
  { name: 'work_group', value: 'var.work_group_names[0]', description: 'Athena workgroup for the connection.' },
  { name: 'output_location', value: hclString(s3Url({ bucketName: resultsBucket, prefix: resultsPrefix })), description: 'S3 output location for query results.' },
];

/** The tests' inputs, and the partition, Region and account their plans run in. */
const TEST = {
  trustedRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role',
  externalId: 'qualytics-7f3a9c2e',
  resultsBucket: 'acme-athena-results',
  organizationId: 'o-a1b2c3d4e5',
  env: { partition: 'aws', region: TEST_REGION, account: TEST_ACCOUNT, urlSuffix: 'amazonaws.com' },
};

const trustStatement = (index: number) => `jsondecode(aws_iam_role.this.assume_role_policy).Statement[${index}]`;
const queryResources = 'flatten([for policy in aws_iam_policy.query : [for s in jsondecode(policy.policy).Statement : try(s.Resource, [])]])';
/** The model's trust conditions for the tests' inputs, as an HCL value to compare the plan's with. */
const expectedTrust = (orgId?: string) =>
  `jsondecode(${literal(JSON.stringify(targetRoleTrustConditions({ externalId: TEST.externalId, sessionNamePrefix: DEFAULT_SESSION_NAME_PREFIX, organizationId: orgId })))})`;

const PLAN_RUNS: PlanRun[] = [
  {
    name: 'trust_requires_the_external_id',
    variables: {},
    asserts: [
      { condition: `${trustStatement(0)}.Principal.AWS == var.trusted_role_arn`, message: 'The trust names another principal than trusted_role_arn.' },
      { condition: `${trustStatement(0)}.Condition == ${expectedTrust()}`, message: 'The trust\'s AssumeRole conditions are not the External ID and session name prefix.' },
      { condition: `output.output_location == ${literal(s3Url({ bucketName: TEST.resultsBucket, prefix: DEFAULT_RESULTS_PREFIX }))}`, message: 'output_location is not the results folder.' },
    ],
  },
  {
    name: 'trust_requires_the_organization',
    variables: { trusted_organization_id: literal(TEST.organizationId) },
    asserts: [
      { condition: `${trustStatement(0)}.Condition == ${expectedTrust(TEST.organizationId)}`, message: 'The trust\'s AssumeRole conditions do not require the organization.' },
    ],
  },
  {
    name: 'query_policy_names_the_given_resources',
    variables: {
      glue_database_names: '["sales"]',
      data_locations: '[{ bucket_name = "acme-lake", prefix = "warehouse" }]',
    },
    asserts: [
      ...[
        workGroupArn(TEST.env, 'qualytics'),
        glueDatabaseArn(TEST.env, 'sales'),
        glueTableArn(TEST.env, 'sales', '*'),
        objectsArn(TEST.env, TEST.resultsBucket, DEFAULT_RESULTS_PREFIX),
        objectsArn(TEST.env, 'acme-lake', 'warehouse'),
      ].map((arn) => ({ condition: `contains(${queryResources}, ${literal(arn)})`, message: `The query policy does not name ${arn}.` })),
      { condition: `!contains(${queryResources}, ${literal(glueTableArn(TEST.env, '*', '*'))})`, message: 'The query policy names the tables of every database.' },
    ],
  },
];

/** The module, its README and tests. */
export function athenaTargetRoleModule(): TerraformModule {
  return {
    title: 'Athena target role',
    summary: 'The role a customer creates for Qualytics to query Amazon Athena, as `AthenaTargetRole` creates it in accessMode `IAM`: '
      + 'its trust (the dataplane\'s base role only, with the External ID, the session name prefix and optionally the base role\'s organization, '
      + 'and `sts:TagSession` for EKS Pod Identity\'s session tags), the query permissions split over `query_policy_count` managed policies '
      + '(each database, data location or key goes to one by a hash of its name, so adding one changes one policy), and the guardrails. '
      + 'The role has exactly these policies (`aws_iam_role_policy_attachments_exclusive`): apply detaches one attached by hand.',
    mainTf: mainTf(),
    variables: [...VARIABLES, ...rolePolicies(queryStatements().query).variables],
    outputs: OUTPUTS,
    usage: `trusted_role_arn    = "${TEST.trustedRoleArn}"
external_id         = "${TEST.externalId}"
results_bucket_name = "${TEST.resultsBucket}"
work_group_names    = ["qualytics"]
glue_database_names = ["sales", "marketing"]
data_locations      = [{ bucket_name = "acme-data-lake", prefix = "warehouse" }]`,
    unchecked: [
      // Validation blocks refer only to their own variable before Terraform 1.9, and the module supports 1.5.
      'A results folder inside a data location, or a data location inside the results folder: the rule compares two variables, '
      + 'which a validation block cannot before Terraform 1.9 (the module supports 1.5). Keep them apart yourself.',
      'A glue_database_names pattern of only wildcards is accepted: `["*"]`, the default, grants every database (the constructs say this by leaving glueDatabaseNames unset).',
      'The constructs\' hints for common mistakes (an STS session ARN for a role ARN, a KMS alias for a key ARN, an S3 URI for a bucket name, '
      + 'which character of a prefix an IAM policy cannot hold) are not repeated: the message says what is accepted.',
      'A policy over IAM\'s size limits is refused at plan by a precondition, not by a validation block: its size depends on several variables.',
    ],
    testVariables: {
      trusted_role_arn: literal(TEST.trustedRoleArn),
      external_id: literal(TEST.externalId),
      results_bucket_name: literal(TEST.resultsBucket),
      account_id: literal(TEST_ACCOUNT),
      // Not the default "primary", of which a check warns: a failed check fails a test run.
      work_group_names: '["qualytics"]',
    },
    planRuns: PLAN_RUNS,
  };
}
