# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0, < 6.0"
    }
  }
}
