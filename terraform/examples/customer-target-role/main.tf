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

variable "trusted_role_arn" {
  description = "The base role ARN Qualytics gave you for this connection."
  type        = string
}

variable "external_id" {
  description = "The External ID Qualytics gave you for this connection."
  type        = string
}

variable "results_bucket_name" {
  description = "The bucket Athena writes query results to."
  type        = string
}

# The role Qualytics' managed dataplane assumes, with the External ID it was given.
module "qualytics_athena" {
  source = "../../modules/athena-target-role"

  trusted_role_arn    = var.trusted_role_arn
  external_id         = var.external_id
  results_bucket_name = var.results_bucket_name
  work_group_names    = ["qualytics"]
  glue_database_names = ["sales", "marketing"]
  data_locations      = [{ bucket_name = "acme-data-lake", prefix = "warehouse" }]
}

# The values of the Athena connection form.
output "athena_connection" {
  value = module.qualytics_athena
}
