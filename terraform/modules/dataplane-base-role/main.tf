# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

data "aws_partition" "current" {}

locals {
  pod_identity            = var.identity == "eks-pod-identity"
  target_role_name_prefix = var.target_role_name_prefix == null ? "" : var.target_role_name_prefix
  create_association      = local.pod_identity && coalesce(var.create_association, var.cluster_name != null && var.namespace != null)
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
            { "aws:RequestTag/kubernetes-service-account" = var.service_account },
            var.namespace == null ? {} : { "aws:RequestTag/kubernetes-namespace" = var.namespace },
            var.cluster_name == null ? {} : { "aws:RequestTag/eks-cluster-name" = var.cluster_name },
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
            "${local.issuer}:sub" = "system:serviceaccount:${var.namespace == null ? "" : var.namespace}:${var.service_account}"
            "${local.issuer}:aud" = "sts.amazonaws.com"
          }
        }
      },
    ]
  })

  trust_policy = local.pod_identity ? local.pod_identity_trust : local.irsa_trust

  pod_identity_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "AssumeAthenaTargetRoles"
        Effect   = "Allow"
        Action   = ["sts:AssumeRole", "sts:TagSession"]
        Resource = distinct(concat([for arn in var.target_role_arns : arn], [for account in var.target_account_ids : "arn:${data.aws_partition.current.partition}:iam::${account}:role${var.target_role_path}${local.target_role_name_prefix}*"]))
      },
    ]
  })

  irsa_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "AssumeAthenaTargetRoles"
        Effect   = "Allow"
        Action   = ["sts:AssumeRole"]
        Resource = distinct(concat([for arn in var.target_role_arns : arn], [for account in var.target_account_ids : "arn:${data.aws_partition.current.partition}:iam::${account}:role${var.target_role_path}${local.target_role_name_prefix}*"]))
      },
    ]
  })

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
      error_message = "With identity \"irsa\", give oidc_provider_arn and namespace."
    }
    precondition {
      condition     = !(local.pod_identity && var.create_association == true) || (var.cluster_name != null && var.namespace != null)
      error_message = "Invalid create_association. Creating the Pod Identity association needs both cluster_name and namespace."
    }
  }
}

resource "aws_iam_policy" "assume" {
  name        = "${var.role_name}-assume-targets"
  path        = var.path
  description = "Qualytics dataplane: assume the customers' Athena target roles"
  policy      = local.assume_policy
  tags        = var.tags
  lifecycle {
    precondition {
      condition     = length(var.target_role_arns) + length(var.target_account_ids) > 0
      error_message = "Invalid target_role_arns. Give target_role_arns or target_account_ids (at least one of them not empty): the base role may assume no other role."
    }
    precondition {
      condition     = length(var.target_account_ids) == 0 || var.target_role_path != "/" || local.target_role_name_prefix != ""
      error_message = "Invalid target_account_ids. With target_account_ids, give target_role_name_prefix or a target_role_path other than \"/\", so that the base role cannot assume every role in those accounts."
    }
    precondition {
      condition     = length(local.assume_policy) <= 6144
      error_message = "The assume policy is ${length(local.assume_policy)} characters, over IAM's limit of 6144 for a managed policy (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): give fewer target_role_arns, or target_account_ids with a target_role_name_prefix instead of many role ARNs."
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

# What the no_pod_identity_association check names: why there is no association, and the command's arguments.
locals {
  association_missing   = var.create_association == false ? "create_association is false" : "${join(" and ", compact([var.cluster_name == null ? "cluster_name" : "", var.namespace == null ? "namespace" : ""]))} not given"
  association_cluster   = coalesce(var.cluster_name, "<cluster>")
  association_namespace = coalesce(var.namespace, "<namespace>")
}

check "no_pod_identity_association" {
  assert {
    condition     = !local.pod_identity || local.create_association
    error_message = "No EKS Pod Identity association is created (${local.association_missing}): the dataplane's pods (service account ${var.service_account}) get no credentials for the base role until one exists. Set cluster_name and namespace (and leave create_association unset or true) to create it here, or create it yourself: aws eks create-pod-identity-association --cluster-name ${local.association_cluster} --namespace ${local.association_namespace} --service-account ${var.service_account} --role-arn $(aws iam get-role --role-name ${var.role_name} --query Role.Arn --output text)"
  }
}
