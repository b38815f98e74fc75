# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

# Needs Terraform >= 1.6: run `terraform init` and `terraform test` in the module's folder. No AWS account is used.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "fake"
  secret_key                  = "fake"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  max_retries                 = 1
}

variables {
  target_role_arns = ["arn:aws:iam::444455556666:role/qualytics-athena-access"]
  cluster_name     = "acme"
  namespace        = "qualytics"
}

run "pod_identity_trusts_the_service_account" {
  command = plan
  variables {
    cluster_name = "acme"
    namespace    = "qualytics"
  }
  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Principal.Service == "pods.eks.amazonaws.com"
    error_message = "The trust is not for EKS Pod Identity."
  }
  assert {
    condition = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.StringEquals == {
      "aws:RequestTag/kubernetes-service-account" = "qualytics-spark"
      "aws:RequestTag/kubernetes-namespace"       = "qualytics"
      "aws:RequestTag/eks-cluster-name"           = "acme"
    }
    error_message = "The trust does not require the service account, namespace and cluster session tags."
  }
  assert {
    condition     = jsondecode(aws_iam_policy.assume.policy).Statement[0].Action == ["sts:AssumeRole", "sts:TagSession"]
    error_message = "The assume policy does not allow exactly sts:AssumeRole and sts:TagSession."
  }
  assert {
    condition     = jsondecode(aws_iam_policy.assume.policy).Statement[0].Resource == ["arn:aws:iam::444455556666:role/qualytics-athena-access"]
    error_message = "The assume policy is on other roles than target_role_arns."
  }
  assert {
    condition     = length(aws_eks_pod_identity_association.this) == 1
    error_message = "The Pod Identity association is not planned."
  }
}

run "pod_identity_without_an_association_warns" {
  command = plan
  variables {
    create_association = false
  }
  assert {
    condition     = length(aws_eks_pod_identity_association.this) == 0
    error_message = "A Pod Identity association is planned."
  }
  expect_failures = [check.no_pod_identity_association]
}

run "irsa_trusts_the_service_account_tokens" {
  command = plan
  variables {
    identity          = "irsa"
    namespace         = "qualytics"
    oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  }
  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Principal.Federated == var.oidc_provider_arn
    error_message = "The trust is not for the OIDC provider."
  }
  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub"] == "system:serviceaccount:qualytics:qualytics-spark"
    error_message = "The trust does not require the service account's tokens."
  }
  assert {
    condition     = jsondecode(aws_iam_policy.assume.policy).Statement[0].Action == ["sts:AssumeRole"]
    error_message = "The assume policy does not allow exactly sts:AssumeRole."
  }
  assert {
    condition     = jsondecode(aws_iam_policy.assume.policy).Statement[0].Resource == ["arn:aws:iam::444455556666:role/qualytics-athena-access"]
    error_message = "The assume policy is on other roles than target_role_arns."
  }
}

run "refuses_role_name_format" {
  command = plan
  variables {
    role_name = "acme/athena"
  }
  expect_failures = [var.role_name]
}

run "refuses_path_format" {
  command = plan
  variables {
    path = "qualytics/"
  }
  expect_failures = [var.path]
}

run "refuses_target_role_arns_format" {
  command = plan
  variables {
    target_role_arns = ["arn:aws:iam::123456789012:user/acme"]
  }
  expect_failures = [var.target_role_arns]
}

run "refuses_target_account_ids_format" {
  command = plan
  variables {
    target_account_ids = ["1111-2222-3333"]
  }
  expect_failures = [var.target_account_ids]
}

run "refuses_target_role_name_prefix_format" {
  command = plan
  variables {
    target_role_name_prefix = "acme/"
  }
  expect_failures = [var.target_role_name_prefix]
}

run "refuses_target_role_path_format" {
  command = plan
  variables {
    target_role_path = "qualytics/"
  }
  expect_failures = [var.target_role_path]
}

run "refuses_identity_choice" {
  command = plan
  variables {
    identity = "ec2-instance"
  }
  expect_failures = [var.identity]
}

run "refuses_session_tags_provider" {
  command = plan
  variables {
    session_tags = false
  }
  expect_failures = [var.session_tags]
}

run "refuses_cluster_name_format" {
  command = plan
  variables {
    cluster_name = "-acme"
  }
  expect_failures = [var.cluster_name]
}

run "refuses_namespace_format" {
  command = plan
  variables {
    namespace = "Qualytics"
  }
  expect_failures = [var.namespace]
}

run "refuses_service_account_format" {
  command = plan
  variables {
    service_account = "Qualytics"
  }
  expect_failures = [var.service_account]
}

run "refuses_oidc_provider_arn_format" {
  command = plan
  variables {
    oidc_provider_arn = "arn:aws:iam::123456789012:role/oidc"
  }
  expect_failures = [var.oidc_provider_arn]
}
