# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.72 added aws_iam_role_policy_attachments_exclusive.
      version = ">= 5.72, < 6.0"
    }
  }
}
