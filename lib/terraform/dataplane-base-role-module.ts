import { check, hclList, hclValue, listItem, literal, reference, scalarMarker, statementObject, validation, validationBlocks } from './hcl';
import { HEADER, Output, PlanRun, TerraformModule, TEST_ACCOUNT, TEST_REGION, Variable } from './module';
import { FORMAT_RULES } from '../model/format-rules';
import { baseRoleAssumeStatement, checkBaseRoleProps, DEFAULT_SERVICE_ACCOUNT, unnarrowedTargetAccounts } from '../model/identity-props';
import { IAM_LIMITS } from '../model/size';
import { missingAssociationMessage } from '../model/warnings';

/**
 * The Terraform module of the self-hosted dataplane's base role (`terraform/modules/dataplane-base-role`), with the
 * trust `DataplaneBaseRole` builds for EKS Pod Identity (session tags on) or IRSA, and the model's one statement:
 * `sts:AssumeRole` on exactly the target roles, with `sts:TagSession` for Pod Identity's transitive tags. The target
 * roles are the ARNs given and, for each target account, the ARN pattern of the roles under the path whose names
 * start with the prefix, as the model builds it from the construct's props.
 *
 * Provider 5.x has no `disable_session_tags` on `aws_eks_pod_identity_association` (added in 6.2.0), so the
 * construct's `sessionTags: false` has no counterpart: Pod Identity sessions always carry the tags.
 */

const target = listItem('var.target_role_arns', 'arn', 'arn', { maxLength: 2048 });
const targetAccount = listItem('var.target_account_ids', 'account', 'account', { maxLength: 12 });
const targetRolePath = scalarMarker('var.target_role_path', 512);
const targetRoleNamePrefix = scalarMarker('local.target_role_name_prefix', 63);
const partition = reference('data.aws_partition.current.partition');

/** The module's variables in the model's message about target accounts that no prefix or path narrows. */
const UNNARROWED = unnarrowedTargetAccounts({ accounts: 'target_account_ids', prefix: 'target_role_name_prefix', path: 'target_role_path' });

function assumePolicy(tagged: boolean): string {
  const targets = checkBaseRoleProps(partition, {
    targetRoleArns: [target.marker],
    targetAccountIds: [targetAccount.marker],
    targetRolePath,
    targetRoleNamePrefix,
  });
  const spec = baseRoleAssumeStatement(targets, tagged);
  return `jsonencode({
    Version   = "2012-10-17"
    Statement = [
      ${statementObject(spec, '      ')},
    ]
  })`;
}

/** How the dataplane's pods get the role's credentials. */
const IDENTITIES = ['eks-pod-identity', 'irsa'];
const POD = `var.identity == "${IDENTITIES[0]}"`;

function mainTf(): string {
  const tag = (key: string) => literal(`aws:RequestTag/${key}`);
  return `${HEADER}data "aws_partition" "current" {}

locals {
  pod_identity = ${POD}
  target_role_name_prefix = var.target_role_name_prefix == null ? "" : var.target_role_name_prefix
  create_association = local.pod_identity && coalesce(var.create_association, var.cluster_name != null && var.namespace != null)
  # The issuer of the IRSA tokens: the provider ARN after ":oidc-provider/".
  issuer = var.oidc_provider_arn == null ? "" : element(split(":oidc-provider/", var.oidc_provider_arn), 1)

  pod_identity_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "pods.eks.amazonaws.com" }
        Action    = ["sts:AssumeRole", "sts:TagSession"]
        Condition = {
          StringEquals = merge(
            { ${tag('kubernetes-service-account')} = var.service_account },
            var.namespace == null ? {} : { ${tag('kubernetes-namespace')} = var.namespace },
            var.cluster_name == null ? {} : { ${tag('eks-cluster-name')} = var.cluster_name },
          )
        }
      },
    ]
  })

  irsa_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Federated = var.oidc_provider_arn }
        Action    = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = {
            "\${local.issuer}:sub" = "system:serviceaccount:\${var.namespace == null ? "" : var.namespace}:\${var.service_account}"
            "\${local.issuer}:aud" = "sts.amazonaws.com"
          }
        }
      },
    ]
  })

  trust_policy = local.pod_identity ? local.pod_identity_trust : local.irsa_trust

  pod_identity_policy = ${assumePolicy(true)}

  irsa_policy = ${assumePolicy(false)}

  assume_policy = local.pod_identity ? local.pod_identity_policy : local.irsa_policy
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  path                 = var.path
  permissions_boundary = var.permissions_boundary_arn
  description          = "Qualytics dataplane base role: assumes customer Athena target roles"
  assume_role_policy   = local.trust_policy
  tags                 = var.tags
  lifecycle {
    precondition {
      condition     = local.pod_identity || (var.oidc_provider_arn != null && var.namespace != null)
      error_message = "With identity \\"irsa\\", give oidc_provider_arn and namespace."
    }
    precondition {
      condition     = !(local.pod_identity && var.create_association == true) || (var.cluster_name != null && var.namespace != null)
      error_message = "Invalid create_association. Creating the Pod Identity association needs both cluster_name and namespace."
    }
  }
}

resource "aws_iam_policy" "assume" {
  name        = "\${var.role_name}-assume-targets"
  path        = var.path
  description = "Qualytics dataplane: assume the customers' Athena target roles"
  policy      = local.assume_policy
  tags        = var.tags
  lifecycle {
    precondition {
      condition     = length(var.target_role_arns) + length(var.target_account_ids) > 0
      error_message = ${literal(`Invalid target_role_arns. ${NO_TARGETS}`)}
    }
    precondition {
      condition     = length(var.target_account_ids) == 0 || var.target_role_path != "/" || local.target_role_name_prefix != ""
      error_message = ${literal(`Invalid target_account_ids. ${UNNARROWED}`)}
    }
    precondition {
      condition     = length(local.assume_policy) <= ${IAM_LIMITS.managedPolicy}
      error_message = "The assume policy is \${length(local.assume_policy)} characters, over IAM's limit of ${IAM_LIMITS.managedPolicy} for a managed policy (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): give fewer target_role_arns, or target_account_ids with a target_role_name_prefix instead of many role ARNs."
    }
  }
}

resource "aws_iam_role_policy_attachment" "assume" {
  role       = aws_iam_role.this.name
  policy_arn = aws_iam_policy.assume.arn
}

# Hands the role to the dataplane's service account (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html).
resource "aws_eks_pod_identity_association" "this" {
  count           = local.create_association ? 1 : 0
  cluster_name    = var.cluster_name
  namespace       = var.namespace
  service_account = var.service_account
  role_arn        = aws_iam_role.this.arn
  tags            = var.tags
}

${associationCheck()}`;
}

/**
 * The construct's noPodIdentityAssociation warning as a `check` block, with the command that creates the
 * association. The role's ARN is unknown until it exists: the command asks IAM for it.
 */
function associationCheck(): string {
  const message = missingAssociationMessage({
    why: reference('local.association_missing'),
    serviceAccount: reference('var.service_account'),
    createHere: 'Set cluster_name and namespace (and leave create_association unset or true)',
    clusterName: reference('local.association_cluster'),
    namespace: reference('local.association_namespace'),
    roleArn: `$(aws iam get-role --role-name ${reference('var.role_name')} --query Role.Arn --output text)`,
    // The provider 5.x has no disable_session_tags: the module keeps them (the session_tags variable says so).
    sessionTags: true,
  });
  return `# What the no_pod_identity_association check names: why there is no association, and the command's arguments.
locals {
  association_missing   = var.create_association == false ? "create_association is false" : "\${join(" and ", compact([var.cluster_name == null ? "cluster_name" : "", var.namespace == null ? "namespace" : ""]))} not given"
  association_cluster   = coalesce(var.cluster_name, "<cluster>")
  association_namespace = coalesce(var.namespace, "<namespace>")
}
${check('no_pod_identity_association', '!local.pod_identity || local.create_association', message)}`;
}

/** The plan's refusal of a base role that may assume nothing. */
const NO_TARGETS = 'Give target_role_arns or target_account_ids (at least one of them not empty): the base role may assume no other role.';

const VARIABLES: Variable[] = [
  {
    name: 'role_name',
    type: 'string',
    description: 'The base role\'s name; its managed policy is named "<role_name>-assume-targets".',
    default: literal('qualytics-dataplane-base'),
    validations: validationBlocks(FORMAT_RULES.roleName, { variable: 'role_name' }),
  },
  {
    name: 'path',
    type: 'string',
    default: '"/"',
    description: 'The IAM path of the role and its policy.',
    validations: validationBlocks(FORMAT_RULES.iamPath, { variable: 'path' }),
  },
  { name: 'permissions_boundary_arn', type: 'string', default: 'null', description: 'ARN of a permissions boundary for the role; null for none.' },
  { name: 'tags', type: 'map(string)', default: '{}', description: 'Tags for the role, its policy and the Pod Identity association.' },
  {
    name: 'target_role_arns',
    type: 'list(string)',
    default: '[]',
    description: 'ARNs of the customers\' Athena target roles the base role may assume (and nothing else); give these, target_account_ids, or both.',
    validations: validationBlocks(FORMAT_RULES.roleArn, { variable: 'target_role_arns', each: true }),
  },
  {
    name: 'target_account_ids',
    type: 'list(string)',
    default: '[]',
    description: 'Accounts whose target roles the base role may assume: roles under target_role_path whose names start with target_role_name_prefix.',
    validations: validationBlocks(FORMAT_RULES.accountId, { variable: 'target_account_ids', each: true }),
  },
  {
    name: 'target_role_name_prefix',
    type: 'string',
    default: 'null',
    description: 'With target_account_ids: target role names start with this; null for any name under target_role_path.',
    validations: validationBlocks(FORMAT_RULES.roleNamePrefix, { variable: 'target_role_name_prefix', nullable: true }),
  },
  {
    name: 'target_role_path',
    type: 'string',
    default: '"/"',
    description: 'With target_account_ids: the IAM path of the target roles, e.g. "/qualytics/".',
    validations: validationBlocks(FORMAT_RULES.iamPath, { variable: 'target_role_path' }),
  },
  {
    name: 'identity',
    type: 'string',
    default: literal('eks-pod-identity'),
    description: 'How the dataplane\'s pods get the role\'s credentials: "eks-pod-identity" or "irsa".',
    validations: [validation({ variable: 'identity' }, 'choice', (v) => `contains(${hclList(IDENTITIES)}, ${v})`,
      `Give ${IDENTITIES.map((i) => `"${i}"`).join(' or ')}.`, literal('ec2-instance'))],
  },
  {
    name: 'session_tags',
    type: 'bool',
    default: 'true',
    description: 'EKS Pod Identity: whether its session tags reach the role\'s sessions; must be true (provider 5.x cannot disable them).',
    validations: [validation({ variable: 'session_tags' }, 'provider', (v) => v, 'The AWS provider 5.x cannot disable session tags on a Pod Identity association '
      + '(disable_session_tags needs provider 6.2.0); keep true, so that the target roles\' trust allows sts:TagSession, or use the DataplaneBaseRole construct.', 'false')],
  },
  {
    name: 'cluster_name',
    type: 'string',
    default: 'null',
    description: 'EKS Pod Identity: the EKS cluster\'s name; the trust then requires its eks-cluster-name session tag.',
    validations: validationBlocks(FORMAT_RULES.eksClusterName, { variable: 'cluster_name', nullable: true }),
  },
  {
    name: 'namespace',
    type: 'string',
    default: 'null',
    description: 'The dataplane\'s Kubernetes namespace (required with IRSA; with Pod Identity, null for any namespace).',
    validations: validationBlocks(FORMAT_RULES.kubernetesName, { variable: 'namespace', nullable: true }),
  },
  {
    name: 'service_account',
    type: 'string',
    default: literal(DEFAULT_SERVICE_ACCOUNT),
    description: 'The dataplane\'s Kubernetes service account.',
    validations: validationBlocks(FORMAT_RULES.kubernetesName, { variable: 'service_account' }),
  },
  {
    name: 'create_association',
    type: 'bool',
    default: 'null',
    description: 'EKS Pod Identity: create the association of the service account with the role; null: when cluster_name and namespace are given.',
  },
  {
    name: 'oidc_provider_arn',
    type: 'string',
    default: 'null',
    description: 'IRSA: ARN of the cluster\'s IAM OIDC identity provider.',
    validations: validationBlocks(FORMAT_RULES.oidcProviderArn, { variable: 'oidc_provider_arn', nullable: true }),
  },
];

const OUTPUTS: Output[] = [
  { name: 'role_arn', value: 'aws_iam_role.this.arn', description: 'The base role\'s ARN: the principal every Athena target role trusts.' },
  { name: 'role_name', value: 'aws_iam_role.this.name', description: 'The base role\'s name.' },
  {
    name: 'chart_values',
    value: 'jsonencode({ dataplane = { rbac = { serviceAccountAnnotations = local.pod_identity ? {} : { "eks.amazonaws.com/role-arn" = aws_iam_role.this.arn } } } })',
    description: 'Values for the self-hosted dataplane chart (save as a file and pass with helm upgrade -f).',
  },
  {
    name: 'service_account_annotation',
    value: 'local.pod_identity ? null : "eks.amazonaws.com/role-arn: ${aws_iam_role.this.arn}"',
    description: 'IRSA: the annotation the dataplane\'s service account needs; null with Pod Identity.',
  },
  { name: 'pod_identity_association_arn', value: 'one(aws_eks_pod_identity_association.this[*].association_arn)', description: 'The Pod Identity association, when the module created it.' },
];

/** The tests' inputs. */
const TEST = {
  targetRoleArns: ['arn:aws:iam::444455556666:role/qualytics-athena-access'],
  oidcIssuer: `oidc.eks.${TEST_REGION}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`,
};

const trust = 'jsondecode(aws_iam_role.this.assume_role_policy).Statement[0]';
/** The model's statement for the tests' targets, and the plan's, compared on what they grant. */
const assumeAsserts = (tagged: boolean) => {
  const spec = baseRoleAssumeStatement(TEST.targetRoleArns, tagged);
  const planned = 'jsondecode(aws_iam_policy.assume.policy).Statement[0]';
  return [
    { condition: `${planned}.Action == ${hclList(spec.actions)}`, message: `The assume policy does not allow exactly ${spec.actions.join(' and ')}.` },
    { condition: `${planned}.Resource == ${hclList(spec.resources)}`, message: 'The assume policy is on other roles than target_role_arns.' },
  ];
};

const PLAN_RUNS: PlanRun[] = [
  {
    name: 'pod_identity_trusts_the_service_account',
    variables: { cluster_name: literal('acme'), namespace: literal('qualytics') },
    asserts: [
      { condition: `${trust}.Principal.Service == "pods.eks.amazonaws.com"`, message: 'The trust is not for EKS Pod Identity.' },
      {
        condition: `${trust}.Condition.StringEquals == ${hclValue({
          'aws:RequestTag/kubernetes-service-account': DEFAULT_SERVICE_ACCOUNT, 'aws:RequestTag/kubernetes-namespace': 'qualytics', 'aws:RequestTag/eks-cluster-name': 'acme',
        }, '      ')}`,
        message: 'The trust does not require the service account, namespace and cluster session tags.',
      },
      ...assumeAsserts(true),
      { condition: 'length(aws_eks_pod_identity_association.this) == 1', message: 'The Pod Identity association is not planned.' },
    ],
  },
  {
    name: 'pod_identity_without_an_association_warns',
    variables: { create_association: 'false' },
    asserts: [{ condition: 'length(aws_eks_pod_identity_association.this) == 0', message: 'A Pod Identity association is planned.' }],
    warns: ['no_pod_identity_association'],
  },
  {
    name: 'irsa_trusts_the_service_account_tokens',
    variables: { identity: literal('irsa'), namespace: literal('qualytics'), oidc_provider_arn: literal(`arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${TEST.oidcIssuer}`) },
    asserts: [
      { condition: `${trust}.Principal.Federated == var.oidc_provider_arn`, message: 'The trust is not for the OIDC provider.' },
      {
        condition: `${trust}.Condition.StringEquals[${literal(`${TEST.oidcIssuer}:sub`)}] == ${literal(`system:serviceaccount:qualytics:${DEFAULT_SERVICE_ACCOUNT}`)}`,
        message: 'The trust does not require the service account\'s tokens.',
      },
      ...assumeAsserts(false),
    ],
  },
];

/** The module, its README and tests. */
export function dataplaneBaseRoleModule(): TerraformModule {
  return {
    title: 'Dataplane base role',
    summary: 'The self-hosted dataplane\'s base role, as `DataplaneBaseRole` creates it: it may assume exactly the target roles listed '
      + '(`sts:AssumeRole`, plus `sts:TagSession` with EKS Pod Identity, whose session tags travel to the target roles), and it trusts either '
      + 'EKS Pod Identity (limited by its session tags to the service account, and to the namespace and cluster when given) or the cluster\'s OIDC '
      + 'provider (IRSA, limited to the service account\'s tokens).',
    mainTf: mainTf(),
    variables: VARIABLES,
    outputs: OUTPUTS,
    usage: `role_name        = "acme-qualytics-dataplane"
target_role_arns = ${JSON.stringify(TEST.targetRoleArns)}
cluster_name     = "acme"
namespace        = "qualytics"`,
    unchecked: [
      'IRSA without oidc_provider_arn or namespace, and create_association without cluster_name and namespace: these compare several '
      + 'variables, which a validation block cannot before Terraform 1.9 (the module supports 1.5); preconditions refuse them at plan instead.',
    ],
    // With a cluster and a namespace, so that the association is created and the plans do not warn.
    testVariables: { target_role_arns: hclList(TEST.targetRoleArns), cluster_name: literal('acme'), namespace: literal('qualytics') },
    planRuns: PLAN_RUNS,
  };
}
