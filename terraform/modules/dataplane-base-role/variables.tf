# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

variable "role_name" {
  description = "The base role's name; its managed policy is named \"<role_name>-assume-targets\"."
  type        = string
  default     = "qualytics-dataplane-base"
  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "Invalid role_name: ${jsonencode(var.role_name)}. An IAM role name is 1 to 64 characters of letters, digits and _+=,.@-."
  }
}

variable "path" {
  description = "The IAM path of the role and its policy."
  type        = string
  default     = "/"
  validation {
    condition     = can(regex("^/(?:[\\x21-\\x29\\x2B-\\x2E\\x30-\\x3E\\x40-\\x7E]+/)*$", var.path)) && length(var.path) <= 512
    error_message = "Invalid path: ${jsonencode(var.path)}. An IAM path starts and ends with \"/\", e.g. \"/qualytics/\", using printable ASCII without * or ?, at most 512 characters."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of a permissions boundary for the role; null for none."
  type        = string
  default     = null
  nullable    = true
}

variable "tags" {
  description = "Tags for the role, its policy and the Pod Identity association."
  type        = map(string)
  default     = {}
}

variable "target_role_arns" {
  description = "ARNs of the customers' Athena target roles the base role may assume (and nothing else); give these, target_account_ids, or both."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for v in var.target_role_arns : can(regex("^arn:(aws|aws-cn|aws-us-gov):iam::\\d{12}:role/(?:[\\x21-\\x29\\x2B-\\x3E\\x40-\\x7E]+/)?[\\w+=,.@-]{1,64}$", v))])
    error_message = "Invalid ${join(", ", [for i, v in var.target_role_arns : "target_role_arns[${i}]: ${jsonencode(v)}" if !(can(regex("^arn:(aws|aws-cn|aws-us-gov):iam::\\d{12}:role/(?:[\\x21-\\x29\\x2B-\\x3E\\x40-\\x7E]+/)?[\\w+=,.@-]{1,64}$", v)))])}. Expected an IAM role ARN arn:<aws|aws-cn|aws-us-gov>:iam::<12-digit account>:role/[<path>/]<name> without wildcards."
  }
}

variable "target_account_ids" {
  description = "Accounts whose target roles the base role may assume: roles under target_role_path whose names start with target_role_name_prefix."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for v in var.target_account_ids : can(regex("^\\d{12}$", v))])
    error_message = "Invalid ${join(", ", [for i, v in var.target_account_ids : "target_account_ids[${i}]: ${jsonencode(v)}" if !(can(regex("^\\d{12}$", v)))])}. An AWS account ID is exactly 12 digits."
  }
}

variable "target_role_name_prefix" {
  description = "With target_account_ids: target role names start with this; null for any name under target_role_path."
  type        = string
  default     = null
  nullable    = true
  validation {
    condition     = var.target_role_name_prefix == null ? true : can(regex("^[\\w+=,.@-]{1,63}$", var.target_role_name_prefix))
    error_message = "Invalid target_role_name_prefix: ${jsonencode(var.target_role_name_prefix)}. A role name prefix is 1 to 63 characters of letters, digits and _+=,.@-."
  }
}

variable "target_role_path" {
  description = "With target_account_ids: the IAM path of the target roles, e.g. \"/qualytics/\"."
  type        = string
  default     = "/"
  validation {
    condition     = can(regex("^/(?:[\\x21-\\x29\\x2B-\\x2E\\x30-\\x3E\\x40-\\x7E]+/)*$", var.target_role_path)) && length(var.target_role_path) <= 512
    error_message = "Invalid target_role_path: ${jsonencode(var.target_role_path)}. An IAM path starts and ends with \"/\", e.g. \"/qualytics/\", using printable ASCII without * or ?, at most 512 characters."
  }
}

variable "identity" {
  description = "How the dataplane's pods get the role's credentials: \"eks-pod-identity\" or \"irsa\"."
  type        = string
  default     = "eks-pod-identity"
  validation {
    condition     = contains(["eks-pod-identity", "irsa"], var.identity)
    error_message = "Invalid identity: ${jsonencode(var.identity)}. Give \"eks-pod-identity\" or \"irsa\"."
  }
}

variable "session_tags" {
  description = "EKS Pod Identity: whether its session tags reach the role's sessions; must be true (provider 5.x cannot disable them)."
  type        = bool
  default     = true
  validation {
    condition     = var.session_tags
    error_message = "Invalid session_tags: ${jsonencode(var.session_tags)}. The AWS provider 5.x cannot disable session tags on a Pod Identity association (disable_session_tags needs provider 6.2.0); keep true, so that the target roles' trust allows sts:TagSession, or use the DataplaneBaseRole construct."
  }
}

variable "cluster_name" {
  description = "EKS Pod Identity: the EKS cluster's name; the trust then requires its eks-cluster-name session tag."
  type        = string
  default     = null
  nullable    = true
  validation {
    condition     = var.cluster_name == null ? true : can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "Invalid cluster_name: ${jsonencode(var.cluster_name)}. An EKS cluster name is 1 to 100 letters, digits, \"-\" and \"_\", starting with a letter or digit."
  }
}

variable "namespace" {
  description = "The dataplane's Kubernetes namespace (required with IRSA; with Pod Identity, null for any namespace)."
  type        = string
  default     = null
  nullable    = true
  validation {
    condition     = var.namespace == null ? true : can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", var.namespace))
    error_message = "Invalid namespace: ${jsonencode(var.namespace)}. A Kubernetes name is 1 to 253 lower-case letters, digits, \"-\" and \".\", starting and ending with a letter or digit."
  }
}

variable "service_account" {
  description = "The dataplane's Kubernetes service account."
  type        = string
  default     = "qualytics-spark"
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", var.service_account))
    error_message = "Invalid service_account: ${jsonencode(var.service_account)}. A Kubernetes name is 1 to 253 lower-case letters, digits, \"-\" and \".\", starting and ending with a letter or digit."
  }
}

variable "create_association" {
  description = "EKS Pod Identity: create the association of the service account with the role; null: when cluster_name and namespace are given."
  type        = bool
  default     = null
  nullable    = true
}

variable "oidc_provider_arn" {
  description = "IRSA: ARN of the cluster's IAM OIDC identity provider."
  type        = string
  default     = null
  nullable    = true
  validation {
    condition     = var.oidc_provider_arn == null ? true : can(regex("^arn:(aws|aws-cn|aws-us-gov):iam::\\d{12}:oidc-provider/[^\\s/]+(/[^\\s/]+)*$", var.oidc_provider_arn))
    error_message = "Invalid oidc_provider_arn: ${jsonencode(var.oidc_provider_arn)}. Expected an IAM OIDC provider ARN arn:<partition>:iam::<account>:oidc-provider/<issuer host and path>."
  }
}
