import { check, hclValue, literal, rangeBlock, reference, scalarMarker, sizeCheck, validationBlocks } from './hcl';
import { LAKE_FORMATION_README, LAKE_FORMATION_UNCHECKED } from './lake-formation-grants';
import { HEADER, Output, PlanRun, TerraformModule, TEST_ACCOUNT, TEST_REGION, Variable } from './module';
import { CONNECTION_OUTPUTS, primaryWorkGroupCheck, QUERY_VARIABLES, queryAccess, QueryIdentity } from './query-access';
import { bucketArn, glueChildCatalogArn, glueDatabaseArn, glueTableArn, objectsArn, tableBucketArn, workGroupArn } from '../model/arns';
import { FORMAT_RULES } from '../model/format-rules';
import { CHAINED_SESSION_MAX_SECONDS, DEFAULT_SESSION_NAME_PREFIX, DEFAULT_TARGET_ROLE_DESCRIPTION, SESSION_NAME_PREFIX_RULE } from '../model/rules';
import { DEFAULT_RESULTS_PREFIX, s3Url } from '../model/s3-locations';
import { IAM_LIMITS } from '../model/size';
import { sessionTagTrustConditions, targetRoleTrustConditions } from '../model/trust-conditions';
import { MAX_SESSION_DURATION } from '../model/validation';
import { SYNTH_WARNINGS } from '../model/warnings';

/**
 * The Terraform module of the target role (`terraform/modules/athena-target-role`): the trust the
 * model builds (the base role only, with the External ID, the session name prefix, the organization if given, and
 * `sts:TagSession`), and the query access every Athena identity's module grants (query-access.ts): the query
 * statements of the access mode split over `query_policy_count` managed policies, the guardrails, and in access mode
 * LAKE_FORMATION the Lake Formation grants (lake-formation-grants.ts). Preconditions refuse at plan a
 * policy over IAM's limits and more policies than the quota.
 */

const externalId = scalarMarker('var.external_id', 1224);
const sessionNamePrefix = scalarMarker('var.session_name_prefix', 55);
const trustedRoleArn = scalarMarker('var.trusted_role_arn', 2048);
const organizationId = scalarMarker('var.trusted_organization_id', 34);
/** The role the module's query access is for; its single query policy of earlier versions moves to policy "0". */
const ROLE: QueryIdentity = { identity: 'role', name: 'aws_iam_role.this.name', arn: 'aws_iam_role.this.arn', namePrefix: 'var.role_name', movedFromSingle: true };

function mainTf(): string {
  const access = queryAccess(ROLE);
  /** The trust statements, with the caller's organization or without (the model leaves the condition out). */
  const assumeRole = (orgId?: string) => ({
    Effect: 'Allow', Principal: { AWS: trustedRoleArn }, Action: 'sts:AssumeRole', Condition: targetRoleTrustConditions({ externalId, sessionNamePrefix, organizationId: orgId }),
  });
  const tagSession = (orgId?: string) => ({ Effect: 'Allow', Principal: { AWS: trustedRoleArn }, Action: 'sts:TagSession', Condition: sessionTagTrustConditions(orgId) });
  // The TagSession statement only with allow_pod_identity_session_tags, as AthenaTargetRole's allowPodIdentitySessionTags.
  const trustPolicy = (orgId?: string) => `jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [${hclValue(assumeRole(orgId), '      ')}],
      [for statement in [${hclValue(tagSession(orgId), '      ')}] : statement if var.allow_pod_identity_session_tags],
    )
  })`;
  return `${HEADER}${access.data}

locals {
${access.locals}

  # Two documents, as the two conditions differ in shape: jsonencode makes both a string.
  trust_policy = var.trusted_organization_id == null ? ${trustPolicy()} : ${trustPolicy(organizationId)}
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  path                 = var.path
  permissions_boundary = var.permissions_boundary_arn
  max_session_duration = var.max_session_duration
  description          = var.description
  assume_role_policy   = local.trust_policy
  tags                 = var.tags
  lifecycle {
${sizeCheck('local.trust_policy', 'The trust policy', IAM_LIMITS.trustPolicy, 'for a trust policy with the default quota', 'shorten external_id or trusted_role_arn')}
  }
}

${access.resources}${checks()}`;
}

/**
 * The synth warnings that apply to the module, as `check` blocks: a plan warns and goes on. Not
 * crossAccountWithoutExternalId: external_id is required.
 */
function checks(): string {
  return primaryWorkGroupCheck()
    + check('max_session_duration_beyond_role_chaining', `var.max_session_duration <= ${CHAINED_SESSION_MAX_SECONDS}`,
      `max_session_duration is ${reference('var.max_session_duration')} seconds: ${SYNTH_WARNINGS.maxSessionDurationBeyondRoleChaining}. The dataplane `
      + 'reaches this role by role chaining, and STS caps a chained session at one hour whatever the role allows '
      + '(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining): the dataplane can never use '
      + `the longer session. Leave max_session_duration at its default of ${CHAINED_SESSION_MAX_SECONDS}.`);
}

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
  ...QUERY_VARIABLES,
  {
    name: 'allow_pod_identity_session_tags',
    type: 'bool',
    default: 'true',
    description: 'Whether the trust also allows sts:TagSession by the base role for the six session tags EKS Pod Identity sets (and no others), '
      + 'without which AssumeRole from a Pod Identity session fails ("not authorized to perform: sts:TagSession"); false when the base role\'s identity '
      + 'adds no session tags (IRSA, an instance role, or Pod Identity with session tags disabled).',
  },
  { name: 'description', type: 'string', default: literal(DEFAULT_TARGET_ROLE_DESCRIPTION), description: 'The role\'s description.' },
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
  ...CONNECTION_OUTPUTS,
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
const queryStatements = 'flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement])';
const queryResources = `flatten([for s in ${queryStatements} : try(s.Resource, [])])`;
/** Asserts that the query policies name each ARN. */
const namesEach = (arns: string[]) =>
  arns.map((arn) => ({ condition: `contains(${queryResources}, ${literal(arn)})`, message: `The query policy does not name ${arn}.` }));
/** HCL: some query statement allows `action` on exactly `resource`, with the condition `condition` (HCL; null: none). */
const grants = (action: string, resource: string, condition: string) =>
  `anytrue([for s in ${queryStatements} : contains(s.Action, ${literal(action)}) && s.Resource == [${literal(resource)}] && try(s.Condition, null) == ${condition}])`;
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
    name: 'managed_query_results_have_no_output_location',
    variables: { managed_query_results: 'true', results_bucket_name: 'null' },
    asserts: [{ condition: 'output.output_location == null', message: 'output_location is set with managed query results, where the connection must send none.' }],
  },
  {
    name: 'query_policy_names_the_given_resources',
    variables: {
      glue_database_names: '["sales"]',
      data_locations: '[{ bucket_name = "acme-lake", prefix = "warehouse" }]',
    },
    asserts: [
      ...namesEach([
        workGroupArn(TEST.env, 'qualytics'),
        glueDatabaseArn(TEST.env, 'sales'),
        glueTableArn(TEST.env, 'sales', '*'),
        objectsArn(TEST.env, TEST.resultsBucket, DEFAULT_RESULTS_PREFIX),
        objectsArn(TEST.env, 'acme-lake', 'warehouse'),
      ]),
      { condition: `!contains(${queryResources}, ${literal(glueTableArn(TEST.env, '*', '*'))})`, message: 'The query policy names the tables of every database.' },
    ],
  },
  {
    name: 'data_locations_are_listed_by_bucket',
    variables: {
      data_locations: '[{ bucket_name = "acme-lake", prefix = "warehouse" }, { bucket_name = "acme-lake", prefix = "staging" }, { bucket_name = "acme-raw" }]',
    },
    asserts: [
      {
        condition: grants('s3:ListBucket', bucketArn(TEST.env, 'acme-lake'), '{ StringLike = { "s3:prefix" = ["warehouse/*", "staging/*"] } }'),
        message: 'acme-lake is not listed under its two folders, in one statement.',
      },
      {
        condition: `!anytrue([for s in ${queryStatements} : contains(s.Action, "s3:ListBucket") && contains(s.Resource, ${literal(bucketArn(TEST.env, 'acme-lake'))}) && try(s.Condition, null) == null])`,
        message: 'acme-lake, whose locations all have a folder, is listed whole.',
      },
      { condition: grants('s3:ListBucket', bucketArn(TEST.env, 'acme-raw'), 'null'), message: 'acme-raw, given without a folder, is not listed whole.' },
    ],
  },
  {
    name: 'catalogs_are_read_as_given',
    variables: {
      // The default catalog's databases named, so that the catalog's can be kept apart from them.
      glue_database_names: '["sales"]',
      catalogs: '[{ catalog_name = "s3tablescatalog/analytics-tables", database_names = ["sales"] }, { catalog_name = "partner_catalog", data_source_name = "partner" }]',
    },
    asserts: [
      ...namesEach([
        glueChildCatalogArn(TEST.env, 's3tablescatalog'),
        glueChildCatalogArn(TEST.env, 's3tablescatalog/analytics-tables'),
        glueDatabaseArn(TEST.env, 's3tablescatalog/analytics-tables/sales'),
        glueDatabaseArn(TEST.env, 'partner_catalog/*'),
      ]),
      {
        condition: grants('s3tables:GetNamespace', tableBucketArn(TEST.env, 'analytics-tables'), '{ StringLike = { "s3tables:namespace" = ["sales"] } }'),
        message: 'The namespaces of analytics-tables are not read under the s3tables:namespace condition.',
      },
    ],
  },
];

/** The module, its README and tests. */
export function athenaTargetRoleModule(): TerraformModule {
  return {
    title: 'Athena target role',
    summary: 'The role a customer creates for Qualytics to query Amazon Athena, as `AthenaTargetRole` creates it: '
      + 'its trust (the dataplane\'s base role only, with the External ID, the session name prefix and optionally the base role\'s organization, '
      + 'and `sts:TagSession` for EKS Pod Identity\'s session tags), the query permissions split over `query_policy_count` managed policies '
      + '(each database, data location or key goes to one by a hash of its name, so adding one changes one policy), the guardrails, '
      + 'and with `access_mode = "LAKE_FORMATION"` the Lake Formation grants. '
      + 'The role has exactly these policies (`aws_iam_role_policy_attachments_exclusive`): apply detaches one attached by hand.',
    mainTf: mainTf(),
    variables: [...VARIABLES, ...queryAccess(ROLE).variables],
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
      LAKE_FORMATION_UNCHECKED,
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
    sections: LAKE_FORMATION_README,
  };
}
