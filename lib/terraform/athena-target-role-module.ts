import { hclList, hclString, hclValue, listItem, literal, reference, scalarMarker, validationBlocks } from './hcl';
import { athenaQueryStatements } from '../model/athena-query-statements';
import { withDeployTimeConditions } from '../model/deploy-time';
import { FORMAT_RULES } from '../model/format-rules';
import { guardrailStatements } from '../model/guardrails';
import { checkQueryPolicyProps } from '../model/query-scope';
import { CHAINED_SESSION_MAX_SECONDS, DEFAULT_SESSION_NAME_PREFIX } from '../model/rules';
import { DEFAULT_RESULTS_PREFIX, s3Url } from '../model/s3-locations';
import { IAM_LIMITS } from '../model/size';
import { StatementSpec } from '../model/statement-spec';
import { sessionTagTrustConditions, targetRoleTrustConditions } from '../model/trust-conditions';
import { SYNTH_WARNINGS } from '../model/warnings';

/**
 * The Terraform module of the target role in accessMode IAM (`terraform/modules/athena-target-role`), rendered from
 * the model's statement builders with the module's variables as deploy-time values, as the constructs render them
 * with CloudFormation tokens.
 *
 * Deploy-time values in this module: the partition, Region and account of the provider, and every variable. A list
 * variable is one model item that renders to a `for` expression over the list; an optional list's statements exist
 * only when it is not empty. A data location is one item, `<bucket>[/<prefix>]`, so its listing is on the whole
 * bucket (as in the CloudFormation template); its objects are still limited to the prefix. The statements are split
 * in two managed policies, the query statements and the guardrails, without packing (sizes are known only at plan):
 * a precondition refuses at plan a policy over IAM's limits.
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

/** A statement as an HCL object, as `jsonencode` renders an IAM policy statement. */
export function statementObject(spec: StatementSpec, indent: string): string {
  const inner = `${indent}  `;
  const fields: Array<[string, string]> = [
    ['Sid', literal(spec.sid)],
    ['Effect', literal(spec.effect)],
    ['Action', hclList(spec.actions)],
    ...(spec.notResources ? [['NotResource', hclList(spec.notResources)] as [string, string]] : [['Resource', hclList(spec.resources)] as [string, string]]),
    ...(spec.conditions ? [['Condition', hclValue(spec.conditions, inner)] as [string, string]] : []),
  ];
  return `{\n${fields.map(([key, value]) => `${inner}${key} = ${value}`).join('\n')}\n${indent}}`;
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

export const HEADER = '# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.\n\n';

/** The HCL of the query and guardrail managed policies, for a module with the query variables. */
export interface QueryPoliciesHcl {
  /** The data sources the statements read (partition, Region, the caller's account). */
  readonly data: string;
  /** Entries of a `locals` block: `account_id`, the statements and the two documents. */
  readonly locals: string;
  /** The two `aws_iam_policy` resources. */
  readonly resources: string;
  /** The policies' ARNs, as an HCL list. */
  readonly policyArns: string;
}

/**
 * The query and guardrail managed policies of the identity whose name is the HCL expression `name`, in a module
 * that declares the query variables (`QUERY_VARIABLES`, `path`, `tags`, `account_id`).
 */
export function queryPolicies(name: string): QueryPoliciesHcl {
  const { query, guardrails } = queryStatements();
  const policy = (id: string, suffix: string, description: string, shorten: string) => `resource "aws_iam_policy" "${id}" {
  name_prefix = "\${${name}}-${suffix}-"
  path        = var.path
  description = ${literal(description)}
  policy      = local.${id}_policy
  tags        = var.tags
  lifecycle {
    create_before_destroy = true
${sizeCheck(`local.${id}_policy`, `The ${suffix} policy`, IAM_LIMITS.managedPolicy, 'for a managed policy', shorten)}
  }
}
`;
  return {
    data: `data "aws_partition" "current" {}

data "aws_region" "current" {}

# Only when account_id is not given: the one call to AWS a plan makes.
data "aws_caller_identity" "current" {
  count = var.account_id == null ? 1 : 0
}`,
    locals: `  account_id = coalesce(var.account_id, one(data.aws_caller_identity.current[*].account_id))

  query_statements = ${statementList(query)}

  guardrails_statements = ${statementList(guardrails)}

  query_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.query_statements
  })

  guardrails_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.guardrails_statements
  })`,
    resources: `${policy('query', 'query', 'Qualytics dataplane: least-privilege Athena, Glue and S3 access for the Athena JDBC driver', SHORTEN_QUERY_POLICY)}
${policy('guardrails', 'guardrails', 'Qualytics dataplane: explicit denies of writes the target role must never make', 'shorten results_bucket_name or results_prefix')}`,
    policyArns: '[aws_iam_policy.query.arn, aws_iam_policy.guardrails.arn]',
  };
}

function mainTf(): string {
  const policies = queryPolicies('var.role_name');
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
  return `${HEADER}${policies.data}

locals {
${policies.locals}

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
# The role's managed policies are exactly these: apply detaches any other attached by hand (its plan shows it).
resource "aws_iam_role_policy_attachments_exclusive" "this" {
  role_name   = aws_iam_role.this.name
  policy_arns = ${policies.policyArns}
}
${checks()}`;
}

/** A synth warning as a `check` block: a plan warns and goes on. */
function check(name: string, condition: string, message: string): string {
  return `
check "${name}" {
  assert {
    condition     = ${condition}
    error_message = ${literal(message)}
  }
}
`;
}

/** The warning of a connection in the primary workgroup, for a module with `work_group_names`. */
export function primaryWorkGroupCheck(): string {
  return check('primary_work_group', '!contains(var.work_group_names, "primary")',
    `work_group_names includes "primary": ${SYNTH_WARNINGS.primaryWorkGroup}. Athena authorizes athena:GetQueryResults on the workgroup, not on `
    + 'who ran the query, so these permissions can read the results of any query run in "primary" given its query ID '
    + '(https://docs.aws.amazon.com/athena/latest/ug/workgroups-iam-policy.html). Create a workgroup for the connection (for example "qualytics", '
    + 'with its own query results location) and give it in work_group_names.');
}

/**
 * The synth warnings that apply to the module, as `check` blocks. Not crossAccountWithoutExternalId: external_id
 * is required.
 */
function checks(): string {
  return primaryWorkGroupCheck()
    + check('max_session_duration_beyond_role_chaining', `var.max_session_duration <= ${CHAINED_SESSION_MAX_SECONDS}`,
      `max_session_duration is ${reference('var.max_session_duration')} seconds: ${SYNTH_WARNINGS.maxSessionDurationBeyondRoleChaining}. The dataplane `
      + 'reaches this role by role chaining, and STS caps a chained session at one hour whatever the role allows '
      + '(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining): the dataplane can never use '
      + `the longer session. Leave max_session_duration at its default of ${CHAINED_SESSION_MAX_SECONDS}.`);
}

/** What to do when the query policy is too large. */
const SHORTEN_QUERY_POLICY = 'give fewer work_group_names, glue_database_names (or a pattern such as "sales_*"), data_locations or kms_key_arns, '
  + 'or use the AthenaTargetRole construct, which splits the permissions over several managed policies';

/**
 * A precondition that refuses at plan a document IAM would refuse at apply (the provider checks no size):
 * `jsonencode` writes no whitespace, and counts `<`, `>` and `&` as their six-character escapes, an upper bound.
 */
function sizeCheck(document: string, what: string, limit: number, kind: string, shorten: string): string {
  const message = `${what} is ${reference(`length(${document})`)} characters, over IAM's limit of ${limit} ${kind} `
    + `(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): ${shorten}.`;
  return `    precondition {
      condition     = length(${document}) <= ${limit}
      error_message = ${literal(message)}
    }`;
}

/** A module input, as variables.tf declares it. */
export interface Variable {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  /** HCL of the default; absent: required. */
  readonly default?: string;
  readonly validations?: string[];
}

/** The inputs of the query policies: the Athena workgroups, Glue databases, S3 locations and KMS keys. */
export const QUERY_VARIABLES: Variable[] = [
  { name: 'work_group_names', type: 'list(string)', description: 'Athena workgroups queries may run in; the first is the connection\'s.', default: '["primary"]' },
  {
    name: 'glue_database_names',
    type: 'list(string)',
    default: '["*"]',
    description: 'Glue databases whose tables can be read (lower case, as Glue stores them); "*" and "?" match as in IAM ARNs.',
  },
  {
    name: 'results_bucket_name',
    type: 'string',
    description: 'The S3 bucket Athena writes query results to (same Region as the workgroup).',
    validations: validationBlocks(FORMAT_RULES.bucketName, { variable: 'results_bucket_name' }),
  },
  { name: 'results_prefix', type: 'string', description: 'The folder for query results in the results bucket, without leading or trailing slash.', default: literal(DEFAULT_RESULTS_PREFIX) },
  {
    name: 'data_locations',
    type: 'list(object({\n    bucket_name = string\n    prefix      = optional(string)\n  }))',
    default: '[]',
    description: 'S3 locations of the table data queries read: a bucket, and a folder without leading or trailing slash (listing is allowed on the whole bucket).',
  },
  {
    name: 'kms_key_arns',
    type: 'list(string)',
    default: '[]',
    description: 'ARNs of the KMS keys that encrypt table data, the Glue catalog or query results (key ARNs, not aliases).',
    validations: validationBlocks(FORMAT_RULES.kmsKeyArn, { variable: 'kms_key_arns', each: true }),
  },
];

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
  { name: 'session_name_prefix', type: 'string', description: 'Role session names must start with this.', default: literal(DEFAULT_SESSION_NAME_PREFIX) },
  ...QUERY_VARIABLES,
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

/** variables.tf declaring `variables`. */
export function variablesTf(variables: Variable[]): string {
  return HEADER + variables.map((v) => [
    `variable "${v.name}" {`,
    `  description = ${literal(v.description)}`,
    `  type        = ${v.type}`,
    ...(v.default === undefined ? [] : [`  default     = ${v.default}`]),
    ...(v.default === 'null' ? ['  nullable    = true'] : []),
    ...(v.validations ?? []),
    '}',
  ].join('\n')).join('\n\n') + '\n';
}

/** A module output: name, HCL value, description. */
export type Output = [string, string, string];

/** The connection form's values every Athena identity's module gives: host, workgroup and output location. */
export const CONNECTION_OUTPUTS: Output[] = [
  ['host', hclString(`athena.${region}.${urlSuffix}`), 'Host for the Athena connection.'],
  ['work_group', 'var.work_group_names[0]', 'Athena workgroup for the connection.'],
  ['output_location', hclString(s3Url({ bucketName: resultsBucket, prefix: resultsPrefix })), 'S3 output location for query results.'],
];

/** outputs.tf declaring `outputs`. */
export function outputsTf(outputs: Output[]): string {
  return HEADER + outputs.map(([name, value, description]) => `output "${name}" {\n  description = ${literal(description)}\n  value       = ${value}\n}`).join('\n\n') + '\n';
}

/** The oldest Terraform and AWS provider a module works with, and why. */
export interface VersionFloor {
  readonly terraform: string;
  readonly provider: string;
  /** A comment: what the provider floor added. */
  readonly why: string;
}

const ROLE_FLOOR: VersionFloor = { terraform: '1.5', provider: '5.72', why: '5.72 added aws_iam_role_policy_attachments_exclusive.' };

/** versions.tf: Terraform and the AWS provider the modules are tested with (5.x: the modules are tested with 5.100). */
export function versionsTf(floor: VersionFloor = ROLE_FLOOR): string {
  return `${HEADER}terraform {
  required_version = ">= ${floor.terraform}"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      # ${floor.why}
      version = ">= ${floor.provider}, < 6.0"
    }
  }
}
`;
}

/** The module's files by name, before `terraform fmt`. */
export function athenaTargetRoleModule(): Record<string, string> {
  return {
    'main.tf': mainTf(),
    'variables.tf': variablesTf(VARIABLES),
    'outputs.tf': outputsTf([
      ['role_arn', 'aws_iam_role.this.arn', 'Role ARN for the Athena connection (IAM Role authentication).'],
      ['external_id', 'var.external_id', 'External ID for the Athena connection.'],
      ...CONNECTION_OUTPUTS,
    ]),
    'versions.tf': versionsTf(),
  };
}
