import { hclValue, literal, validation, validationBlocks } from './hcl';
import { LAKE_FORMATION_README, LAKE_FORMATION_UNCHECKED } from './lake-formation-grants';
import { HEADER, Output, PlanRun, REQUIREMENTS, TerraformModule, TEST_ACCOUNT, Variable } from './module';
import { account, CONNECTION_OUTPUTS, partition, primaryWorkGroupCheck, QUERY_VARIABLES, queryAccess, QueryIdentity } from './query-access';
import { FORMAT_RULES } from '../model/format-rules';
import { ACCESS_KEY_VERSIONS_ACCEPTED } from '../model/identity-props';
import { CREATE_GRANT_ONLY_FOR_AWS_SERVICES } from '../model/key-policy';

/**
 * The Terraform module of the Access Key user (`terraform/modules/athena-access-key-user`), the counterpart of
 * `AthenaAccessKeyUser`: an IAM user with exactly the query and guardrail managed policies of the target role module
 * (attached to the user: the construct's group only carries inline policies), one access key per version of
 * `access_key_versions`, and for each a Secrets Manager secret holding it, encrypted with a KMS key.
 *
 * The secret is written with the write-only `secret_string_wo` (AWS provider 5.88, Terraform 1.11), so that the
 * secret version keeps no copy in state. `aws_iam_access_key` has no write-only counterpart: its `secret` stays in
 * state (a `pgp_key` would encrypt it there, but then the module could not write the key into the secret).
 */

/** The user the module's query access is for. */
const USER: QueryIdentity = { identity: 'user', name: 'aws_iam_user.this.name', arn: 'aws_iam_user.this.arn', namePrefix: 'var.user_name' };

/** The key's policy: the account's administrators (KMS's default key policy), and grants for AWS services only. */
function keyPolicy(): string {
  const statements = [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:${partition}:iam::${account}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: CREATE_GRANT_ONLY_FOR_AWS_SERVICES.sid,
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: CREATE_GRANT_ONLY_FOR_AWS_SERVICES.actions,
      Resource: CREATE_GRANT_ONLY_FOR_AWS_SERVICES.resources,
      Condition: CREATE_GRANT_ONLY_FOR_AWS_SERVICES.conditions,
    },
  ];
  return `jsonencode({
    Version = "2012-10-17"
    Statement = [
${statements.map((statement) => `      ${hclValue(statement, '      ')},`).join('\n')}
    ]
  })`;
}

function mainTf(): string {
  const access = queryAccess(USER);
  return `${HEADER}${access.data}

locals {
${access.locals}

  # One access key and one secret per version; the newest is the connection's.
  versions        = toset([for v in var.access_key_versions : tostring(v)])
  current_version = tostring(var.access_key_versions[length(var.access_key_versions) - 1])
  secret_key_arn  = var.secret_kms_key_arn == null ? one(aws_kms_key.secrets[*].arn) : var.secret_kms_key_arn
}

resource "aws_iam_user" "this" {
  name                 = var.user_name
  path                 = var.path
  permissions_boundary = var.permissions_boundary_arn
  tags                 = var.tags
}

${access.resources}
# Only when secret_kms_key_arn is not given, as AthenaAccessKeyUser makes one.
resource "aws_kms_key" "secrets" {
  count               = var.secret_kms_key_arn == null ? 1 : 0
  description         = "Encrypts the secrets holding the access keys of the Qualytics Athena user"
  enable_key_rotation = true
  policy              = ${keyPolicy()}
  tags                = var.tags
}

# Its secret is in the state (the provider has no write-only access key): keep the state encrypted and private.
resource "aws_iam_access_key" "this" {
  for_each = local.versions
  user     = aws_iam_user.this.name
}

resource "aws_secretsmanager_secret" "access_key" {
  for_each    = local.versions
  name_prefix = "\${var.user_name}-access-key-v\${each.key}-"
  description = "Access key version \${each.key} of the Qualytics Athena user: paste accessKeyId and secretAccessKey into the connection form"
  kms_key_id  = local.secret_key_arn
  tags        = var.tags
}

# Write-only: the value goes to Secrets Manager and neither into the plan nor into the state.
resource "aws_secretsmanager_secret_version" "access_key" {
  for_each  = local.versions
  secret_id = aws_secretsmanager_secret.access_key[each.key].id
  secret_string_wo = jsonencode({
    accessKeyId     = aws_iam_access_key.this[each.key].id
    secretAccessKey = aws_iam_access_key.this[each.key].secret
  })
  # A write-only value is written again only when this number changes: a new key makes a new version instead.
  secret_string_wo_version = 1
  lifecycle {
    replace_triggered_by = [aws_iam_access_key.this[each.key].id]
  }
}
${primaryWorkGroupCheck()}`;
}

/** IAM's two access keys per user, distinct whole numbers from 1, as checkAccessKeyUserProps accepts them. */
const accessKeyVersions = (v: string) => [
  `length(${v}) >= 1`,
  `length(${v}) <= 2`,
  `length(distinct(${v})) == length(${v})`,
  `alltrue([for version in ${v} : version >= 1 && floor(version) == version])`,
].join(' && ');

const VARIABLES: Variable[] = [
  {
    name: 'user_name',
    type: 'string',
    description: 'The user\'s name; its policies\' names start with "<user_name>-query-" and "<user_name>-guardrails-", its secrets\' with "<user_name>-access-key-v<version>-".',
    default: literal('qualytics-athena-user'),
    validations: validationBlocks(FORMAT_RULES.userName, { variable: 'user_name' }),
  },
  {
    name: 'path',
    type: 'string',
    default: '"/"',
    description: 'The IAM path of the user and its policies.',
    validations: validationBlocks(FORMAT_RULES.iamPath, { variable: 'path' }),
  },
  { name: 'permissions_boundary_arn', type: 'string', default: 'null', description: 'ARN of a permissions boundary for the user; null for none.' },
  ...QUERY_VARIABLES,
  {
    name: 'secret_kms_key_arn',
    type: 'string',
    default: 'null',
    description: 'ARN of the KMS key that encrypts the secrets; null: a new customer managed key with automatic rotation. Reading a secret needs kms:Decrypt on it.',
    validations: validationBlocks(FORMAT_RULES.kmsKeyArn, { variable: 'secret_kms_key_arn', nullable: true }),
  },
  {
    name: 'access_key_versions',
    type: 'list(number)',
    default: '[1]',
    description: 'The access keys to keep, by version, oldest first; each has its own secret. Rotate: [1, 2], switch the connection to the new secret, then [2].',
    validations: [validation({ variable: 'access_key_versions' }, 'versions', accessKeyVersions, ACCESS_KEY_VERSIONS_ACCEPTED, '[1, 1]')],
  },
  { name: 'tags', type: 'map(string)', default: '{}', description: 'Tags for the user, its policies, the KMS key and the secrets.' },
  {
    name: 'account_id',
    type: 'string',
    default: 'null',
    description: 'The account the user is created in; null to ask STS (GetCallerIdentity) at plan.',
    validations: validationBlocks(FORMAT_RULES.accountId, { variable: 'account_id', nullable: true }),
  },
];

const OUTPUTS: Output[] = [
  { name: 'user_arn', value: 'aws_iam_user.this.arn', description: 'The IAM user whose access key the connection uses.' },
  { name: 'user_name', value: 'aws_iam_user.this.name', description: 'The IAM user\'s name.' },
  {
    name: 'secret_arn',
    value: 'aws_secretsmanager_secret.access_key[local.current_version].arn',
    description: 'The secret holding accessKeyId and secretAccessKey of the newest access key, for the connection (Access Key authentication); never the key itself.',
  },
  { name: 'secret_arns', value: '{ for version, secret in aws_secretsmanager_secret.access_key : version => secret.arn }', description: 'Every access key\'s secret, by version.' },
  { name: 'secret_kms_key_arn', value: 'local.secret_key_arn', description: 'The KMS key that encrypts the secrets: reading them needs kms:Decrypt on it.' },
  ...CONNECTION_OUTPUTS,
];

const GIVEN_KEY = `arn:aws:kms:us-east-1:${TEST_ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;

const PLAN_RUNS: PlanRun[] = [
  {
    name: 'one_key_whose_secret_is_written_only',
    variables: {},
    asserts: [
      { condition: 'length(aws_iam_access_key.this) == 1 && length(aws_secretsmanager_secret.access_key) == 1', message: 'The default is not one access key with one secret.' },
      // A write-only argument is always null in the plan and the state (https://developer.hashicorp.com/terraform/language/resources/ephemeral/write-only).
      { condition: 'aws_secretsmanager_secret_version.access_key["1"].secret_string == null', message: 'The secret version holds the key in the plan.' },
      { condition: 'length(aws_kms_key.secrets) == 1', message: 'No KMS key is created for the secrets when secret_kms_key_arn is null.' },
      {
        condition: 'toset(values(aws_iam_user_policy_attachment.this)[*].user) == toset([var.user_name]) && length(aws_iam_user_policy_attachment.this) == var.query_policy_count + 1',
        message: 'The user does not have exactly the query policies and the guardrails.',
      },
    ],
  },
  {
    name: 'rotation_keeps_two_keys',
    variables: { access_key_versions: '[1, 2]', secret_kms_key_arn: literal(GIVEN_KEY) },
    asserts: [
      { condition: 'length(aws_iam_access_key.this) == 2 && length(aws_secretsmanager_secret.access_key) == 2', message: 'Two versions are not two keys with a secret each.' },
      { condition: 'length(aws_kms_key.secrets) == 0', message: 'A KMS key is created although secret_kms_key_arn is given.' },
      { condition: `aws_secretsmanager_secret.access_key["2"].kms_key_id == ${literal(GIVEN_KEY)}`, message: 'The secrets are not encrypted with secret_kms_key_arn.' },
    ],
  },
];

/** The module, its README and tests. */
export function athenaAccessKeyUserModule(): TerraformModule {
  return {
    title: 'Athena access key user',
    summary: 'The IAM user for Access Key authentication, as `AthenaAccessKeyUser` creates it: the query permissions of the target role module '
      + '(split over `query_policy_count` managed policies) and the guardrails, attached to the user exclusively '
      + '(`aws_iam_user_policy_attachments_exclusive`: apply detaches a policy attached by hand), with `access_mode = "LAKE_FORMATION"` '
      + 'the Lake Formation grants for the user, one access key per version of '
      + '`access_key_versions`, and for each a Secrets Manager secret encrypted with a KMS key (a new one unless `secret_kms_key_arn` is given). '
      + 'The key reaches its secret through the write-only `secret_string_wo`, so the secret version keeps no copy in the state. '
      + '**The access key\'s secret is in the Terraform state**: `aws_iam_access_key` has no write-only counterpart (its `pgp_key` would encrypt it '
      + 'there, but then the module could not write the key into the secret), and a saved plan holds it once the key exists. '
      + 'Keep the state in an encrypted backend that only the deployers can read; the IAM Role module keeps no secret at all.',
    mainTf: mainTf(),
    variables: [...VARIABLES, ...queryAccess(USER).variables],
    outputs: OUTPUTS,
    usage: `user_name           = "qualytics-athena-user"
results_bucket_name = "acme-athena-results"
work_group_names    = ["qualytics"]
glue_database_names = ["sales", "marketing"]
data_locations      = [{ bucket_name = "acme-data-lake", prefix = "warehouse" }]`,
    unchecked: [
      'A results folder inside a data location, or a data location inside the results folder: the rule compares two variables, '
      + 'which a validation block cannot before Terraform 1.9. Keep them apart yourself.',
      'A policy over IAM\'s size limits is refused at plan by a precondition, not by a validation block: its size depends on several variables.',
      LAKE_FORMATION_UNCHECKED,
    ],
    testVariables: {
      results_bucket_name: literal('acme-athena-results'),
      account_id: literal(TEST_ACCOUNT),
      // Not the default "primary", of which a check warns: a failed check fails a test run.
      work_group_names: '["qualytics"]',
    },
    planRuns: PLAN_RUNS,
    sections: LAKE_FORMATION_README,
    requirements: {
      // Terraform 1.11 sends write-only arguments; provider 5.88 added secret_string_wo (https://github.com/hashicorp/terraform-provider-aws/pull/41371).
      terraform: '>= 1.11',
      aws: { source: REQUIREMENTS.aws.source, version: '>= 5.88, < 6.0', why: '5.88 added the write-only secret_string_wo; 5.72 aws_iam_user_policy_attachments_exclusive.' },
      tests: '>= 1.11',
    },
  };
}
