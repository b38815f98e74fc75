import {
  CONNECTION_OUTPUTS, HEADER, outputsTf, primaryWorkGroupCheck, QUERY_VARIABLES, queryPolicies, QueryPoliciesHcl, Variable, variablesTf, versionsTf,
} from './athena-target-role-module';
import { hclValue, literal, reference, validationBlocks } from './hcl';
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

/** The user's query policies: the target role's rendering, for the user. */
function userQueryPolicies(): QueryPoliciesHcl {
  return queryPolicies('var.user_name');
}

const partition = reference('data.aws_partition.current.partition');
const account = reference('local.account_id');

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
  const policies = userQueryPolicies();
  return `${HEADER}${policies.data}

locals {
${policies.locals}

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

${policies.resources}
# The user's managed policies are exactly these: apply detaches any other attached by hand (its plan shows it).
resource "aws_iam_user_policy_attachments_exclusive" "this" {
  user_name   = aws_iam_user.this.name
  policy_arns = ${policies.policyArns}
}

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

const ACCESS_KEY_VERSIONS_CONDITION = [
  'length(var.access_key_versions) >= 1',
  'length(var.access_key_versions) <= 2',
  'length(distinct(var.access_key_versions)) == length(var.access_key_versions)',
  'alltrue([for v in var.access_key_versions : v >= 1 && floor(v) == v])',
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
    validations: [`  validation {\n    condition     = ${ACCESS_KEY_VERSIONS_CONDITION}\n    error_message = ${literal(`Invalid access_key_versions. ${ACCESS_KEY_VERSIONS_ACCEPTED}`)}\n  }`],
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

/** The module's files by name, before `terraform fmt`. */
export function athenaAccessKeyUserModule(): Record<string, string> {
  return {
    'main.tf': mainTf(),
    'variables.tf': variablesTf(VARIABLES),
    'outputs.tf': outputsTf([
      ['user_arn', 'aws_iam_user.this.arn', 'The IAM user whose access key the connection uses.'],
      ['user_name', 'aws_iam_user.this.name', 'The IAM user\'s name.'],
      ['secret_arn', 'aws_secretsmanager_secret.access_key[local.current_version].arn',
        'The secret holding accessKeyId and secretAccessKey of the newest access key, for the connection (Access Key authentication); never the key itself.'],
      ['secret_arns', '{ for version, secret in aws_secretsmanager_secret.access_key : version => secret.arn }', 'Every access key\'s secret, by version.'],
      ['secret_kms_key_arn', 'local.secret_key_arn', 'The KMS key that encrypts the secrets: reading them needs kms:Decrypt on it.'],
      ...CONNECTION_OUTPUTS,
    ]),
    // 5.88 added secret_string_wo (https://github.com/hashicorp/terraform-provider-aws/pull/41371), which Terraform 1.11 sends.
    'versions.tf': versionsTf({ terraform: '1.11', provider: '5.88', why: '5.88 added the write-only secret_string_wo; 5.72 aws_iam_user_policy_attachments_exclusive.' }),
  };
}
