# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

terraform {
  required_version = ">= 1.11"
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.88 added the write-only secret_string_wo; 5.72 aws_iam_user_policy_attachments_exclusive.
      version = ">= 5.88, < 6.0"
    }
  }
}
