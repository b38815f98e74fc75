# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.72, < 6.0"
    }
  }
}

variable "region" {
  description = "The Region of the Athena workgroups."
  type        = string
  default     = "us-east-1"
}

provider "aws" {
  region = var.region
}

variable "cluster_name" {
  description = "The EKS cluster the dataplane runs in."
  type        = string
}

variable "external_id" {
  description = "The External ID of the connection (any value you choose, also given to the connection)."
  type        = string
}

variable "results_bucket_name" {
  description = "The bucket Athena writes query results to."
  type        = string
}

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

locals {
  target_role_name = "qualytics-athena-access"
  # Built from the name, not taken from module.athena_target_role.role_arn: the base role's policy is then known at
  # plan, and the modules depend one way only (see README.md).
  target_role_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${local.target_role_name}"
}

# The dataplane's base role, for EKS Pod Identity: it may assume the target role, and nothing else.
module "dataplane_base_role" {
  source = "../../modules/dataplane-base-role"

  role_name        = "qualytics-dataplane"
  target_role_arns = [local.target_role_arn]
  cluster_name     = var.cluster_name
  namespace        = "qualytics"
}

# The target role, trusting the base role (which IAM requires to exist first: the trust names it).
module "athena_target_role" {
  source = "../../modules/athena-target-role"

  role_name           = local.target_role_name
  trusted_role_arn    = module.dataplane_base_role.role_arn
  external_id         = var.external_id
  results_bucket_name = var.results_bucket_name
  work_group_names    = ["qualytics"]
  glue_database_names = ["sales"]
  account_id          = data.aws_caller_identity.current.account_id
}

output "athena_connection" {
  value = module.athena_target_role
}

output "chart_values" {
  value = module.dataplane_base_role.chart_values
}
