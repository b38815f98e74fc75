import { HEADER, variablesTf, versionsTf } from './athena-target-role-module';
import { listItem, literal, statementObject, validationBlocks, Variable } from './hcl';
import { FORMAT_RULES } from '../model/format-rules';
import { baseRoleAssumeStatement, checkBaseRoleProps, DEFAULT_SERVICE_ACCOUNT } from '../model/identity-props';
import { IAM_LIMITS } from '../model/size';

/**
 * The Terraform module of the self-hosted dataplane's base role (`terraform/modules/dataplane-base-role`), with the
 * trust `DataplaneBaseRole` builds for EKS Pod Identity (session tags on) or IRSA, and the model's one statement:
 * `sts:AssumeRole` on exactly the target roles, with `sts:TagSession` for Pod Identity's transitive tags.
 *
 * Provider 5.x has no `disable_session_tags` on `aws_eks_pod_identity_association` (added in 6.2.0), so the
 * construct's `sessionTags: false` has no counterpart: Pod Identity sessions always carry the tags.
 */

const target = listItem('var.target_role_arns', 'arn', 'arn', { maxLength: 2048 });

function assumePolicy(tagged: boolean): string {
  const spec = baseRoleAssumeStatement(checkBaseRoleProps('aws', { targetRoleArns: [target.marker] }), tagged);
  return `jsonencode({
    Version   = "2012-10-17"
    Statement = [
      ${statementObject(spec, '      ')},
    ]
  })`;
}

const POD = 'var.identity == "eks-pod-identity"';

function mainTf(): string {
  const tag = (key: string) => literal(`aws:RequestTag/${key}`);
  return `${HEADER}locals {
  pod_identity = ${POD}
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
      condition     = length(local.assume_policy) <= ${IAM_LIMITS.managedPolicy}
      error_message = "The assume policy is \${length(local.assume_policy)} characters, over IAM's limit of ${IAM_LIMITS.managedPolicy} for a managed policy (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): give fewer target_role_arns."
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
`;
}

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
    description: 'ARNs of the customers\' Athena target roles the base role may assume (and nothing else).',
    validations: [
      '  validation {\n    condition     = length(var.target_role_arns) > 0\n    error_message = "Invalid target_role_arns. Give at least one target role ARN: the base role may assume no other role."\n  }',
      ...validationBlocks(FORMAT_RULES.roleArn, { variable: 'target_role_arns', each: true }),
    ],
  },
  {
    name: 'identity',
    type: 'string',
    default: literal('eks-pod-identity'),
    description: 'How the dataplane\'s pods get the role\'s credentials: "eks-pod-identity" or "irsa".',
    validations: ['  validation {\n    condition     = contains(["eks-pod-identity", "irsa"], var.identity)\n    error_message = "Invalid identity. Give \\"eks-pod-identity\\" or \\"irsa\\"."\n  }'],
  },
  {
    name: 'session_tags',
    type: 'bool',
    default: 'true',
    description: 'EKS Pod Identity: whether its session tags reach the role\'s sessions; must be true (provider 5.x cannot disable them).',
    validations: ['  validation {\n    condition     = var.session_tags\n    error_message = "Invalid session_tags. The AWS provider 5.x cannot disable session tags on a Pod Identity association (disable_session_tags needs provider 6.2.0); keep true, so that the target roles\' trust allows sts:TagSession, or use the DataplaneBaseRole construct."\n  }'],
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

function outputsTf(): string {
  const annotations = 'local.pod_identity ? {} : { "eks.amazonaws.com/role-arn" = aws_iam_role.this.arn }';
  const outputs: Array<[string, string, string]> = [
    ['role_arn', 'aws_iam_role.this.arn', 'The base role\'s ARN: the principal every Athena target role trusts.'],
    ['role_name', 'aws_iam_role.this.name', 'The base role\'s name.'],
    ['chart_values', `jsonencode({ dataplane = { rbac = { serviceAccountAnnotations = ${annotations} } } })`,
      'Values for the self-hosted dataplane chart (save as a file and pass with helm upgrade -f).'],
    ['service_account_annotation', 'local.pod_identity ? null : "eks.amazonaws.com/role-arn: ${aws_iam_role.this.arn}"', 'IRSA: the annotation the dataplane\'s service account needs; null with Pod Identity.'],
    ['pod_identity_association_arn', 'one(aws_eks_pod_identity_association.this[*].association_arn)', 'The Pod Identity association, when the module created it.'],
  ];
  return HEADER + outputs.map(([name, value, description]) => `output "${name}" {\n  description = ${literal(description)}\n  value       = ${value}\n}`).join('\n\n') + '\n';
}

/** The module's files by name, before `terraform fmt`. */
export function dataplaneBaseRoleModule(): Record<string, string> {
  return { 'main.tf': mainTf(), 'variables.tf': variablesTf(VARIABLES), 'outputs.tf': outputsTf(), 'versions.tf': versionsTf() };
}
