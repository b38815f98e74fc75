# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

variable "user_name" {
  description = "The user's name; its policies' names start with \"<user_name>-query-\" and \"<user_name>-guardrails-\", its secrets' with \"<user_name>-access-key-v<version>-\"."
  type        = string
  default     = "qualytics-athena-user"
  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.user_name))
    error_message = "Invalid user_name. An IAM user name is 1 to 64 characters of letters, digits and _+=,.@-."
  }
}

variable "path" {
  description = "The IAM path of the user and its policies."
  type        = string
  default     = "/"
  validation {
    condition     = can(regex("^/(?:[\\x21-\\x29\\x2B-\\x2E\\x30-\\x3E\\x40-\\x7E]+/)*$", var.path)) && length(var.path) <= 512
    error_message = "Invalid path. An IAM path starts and ends with \"/\", e.g. \"/qualytics/\", using printable ASCII without * or ?, at most 512 characters."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of a permissions boundary for the user; null for none."
  type        = string
  default     = null
  nullable    = true
}

variable "work_group_names" {
  description = "Athena workgroups queries may run in; the first is the connection's."
  type        = list(string)
  default     = ["primary"]
}

variable "glue_database_names" {
  description = "Glue databases whose tables can be read (lower case, as Glue stores them); \"*\" and \"?\" match as in IAM ARNs."
  type        = list(string)
  default     = ["*"]
}

variable "results_bucket_name" {
  description = "The S3 bucket Athena writes query results to (same Region as the workgroup)."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.results_bucket_name))
    error_message = "Invalid results_bucket_name. An S3 bucket name is 3 to 63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not shaped like an IP address."
  }
  validation {
    condition     = !can(regex("^\\d+\\.\\d+\\.\\d+\\.\\d+$", var.results_bucket_name))
    error_message = "Invalid results_bucket_name. An S3 bucket name is 3 to 63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not shaped like an IP address."
  }
  validation {
    condition     = !can(regex("\\.\\.", var.results_bucket_name))
    error_message = "Invalid results_bucket_name. An S3 bucket name is 3 to 63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not shaped like an IP address."
  }
}

variable "results_prefix" {
  description = "The folder for query results in the results bucket, without leading or trailing slash."
  type        = string
  default     = "qualytics-athena-results"
}

variable "data_locations" {
  description = "S3 locations of the table data queries read: a bucket, and a folder without leading or trailing slash (listing is allowed on the whole bucket)."
  type = list(object({
    bucket_name = string
    prefix      = optional(string)
  }))
  default = []
}

variable "kms_key_arns" {
  description = "ARNs of the KMS keys that encrypt table data, the Glue catalog or query results (key ARNs, not aliases)."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for v in var.kms_key_arns : can(regex("^arn:(aws|aws-cn|aws-us-gov):kms:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$", v))])
    error_message = "Invalid kms_key_arns (each item). Expected a KMS key ARN arn:<partition>:kms:<region>:<account>:key/<key id>."
  }
}

variable "secret_kms_key_arn" {
  description = "ARN of the KMS key that encrypts the secrets; null: a new customer managed key with automatic rotation. Reading a secret needs kms:Decrypt on it."
  type        = string
  default     = null
  nullable    = true
  validation {
    condition     = var.secret_kms_key_arn == null ? true : can(regex("^arn:(aws|aws-cn|aws-us-gov):kms:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$", var.secret_kms_key_arn))
    error_message = "Invalid secret_kms_key_arn. Expected a KMS key ARN arn:<partition>:kms:<region>:<account>:key/<key id>."
  }
}

variable "access_key_versions" {
  description = "The access keys to keep, by version, oldest first; each has its own secret. Rotate: [1, 2], switch the connection to the new secret, then [2]."
  type        = list(number)
  default     = [1]
  validation {
    condition     = length(var.access_key_versions) >= 1 && length(var.access_key_versions) <= 2 && length(distinct(var.access_key_versions)) == length(var.access_key_versions) && alltrue([for v in var.access_key_versions : v >= 1 && floor(v) == v])
    error_message = "Invalid access_key_versions. Give one or two distinct whole numbers from 1 (IAM allows two access keys per user), e.g. [1], or [1, 2] while rotating."
  }
}

variable "tags" {
  description = "Tags for the user, its policies, the KMS key and the secrets."
  type        = map(string)
  default     = {}
}

variable "account_id" {
  description = "The account the user is created in; null to ask STS (GetCallerIdentity) at plan."
  type        = string
  default     = null
  nullable    = true
  validation {
    condition     = var.account_id == null ? true : can(regex("^\\d{12}$", var.account_id))
    error_message = "Invalid account_id. An AWS account ID is exactly 12 digits."
  }
}
