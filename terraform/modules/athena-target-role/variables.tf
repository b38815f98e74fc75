# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

variable "trusted_role_arn" {
  description = "ARN of the dataplane's base role, the only principal allowed to assume this role (a role ARN, not an assumed-role session ARN)."
  type        = string
  validation {
    condition     = can(regex("^arn:(aws|aws-cn|aws-us-gov):iam::\\d{12}:role/(?:[\\x21-\\x29\\x2B-\\x3E\\x40-\\x7E]+/)?[\\w+=,.@-]{1,64}$", var.trusted_role_arn))
    error_message = "Invalid trusted_role_arn. Expected an IAM role ARN arn:<aws|aws-cn|aws-us-gov>:iam::<12-digit account>:role/[<path>/]<name> without wildcards."
  }
}

variable "external_id" {
  description = "The External ID the base role must pass with AssumeRole; AssumeRole without exactly this value is refused."
  type        = string
  validation {
    condition     = can(regex("^[\\w+=,.@:/-]{2,}$", var.external_id)) && length(var.external_id) >= 2 && length(var.external_id) <= 1224
    error_message = "Invalid external_id. An External ID is 2 to 1,224 characters of letters, digits and _+=,.@:/- with no whitespace."
  }
  validation {
    condition     = !can(regex("^\\d{12}$", var.external_id))
    error_message = "Invalid external_id. This looks like an AWS account ID. Use a value the vendor generated and that is unique to this customer."
  }
}

variable "role_name" {
  description = "The role's name; its ARN goes into the connection form's Role ARN field."
  type        = string
  default     = "qualytics-athena-access"
  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "Invalid role_name. An IAM role name is 1 to 64 characters of letters, digits and _+=,.@-."
  }
}

variable "trusted_organization_id" {
  description = "The AWS Organizations organization the caller must belong to (aws:PrincipalOrgID); null for no organization condition."
  type        = string
  default     = null
  nullable    = true
  validation {
    condition     = var.trusted_organization_id == null ? true : can(regex("^o-[a-z0-9]{10,32}$", var.trusted_organization_id))
    error_message = "Invalid trusted_organization_id. An organization ID is \"o-\" followed by 10 to 32 lower-case letters or digits."
  }
}

variable "session_name_prefix" {
  description = "Role session names must start with this."
  type        = string
  default     = "qualytics-athena-"
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

variable "permissions_boundary_arn" {
  description = "ARN of a permissions boundary for the role; null for none."
  type        = string
  default     = null
  nullable    = true
}

variable "path" {
  description = "The IAM path of the role and its policies."
  type        = string
  default     = "/"
  validation {
    condition     = can(regex("^/(?:[\\x21-\\x29\\x2B-\\x2E\\x30-\\x3E\\x40-\\x7E]+/)*$", var.path)) && length(var.path) <= 512
    error_message = "Invalid path. An IAM path starts and ends with \"/\", e.g. \"/qualytics/\", using printable ASCII without * or ?, at most 512 characters."
  }
}

variable "max_session_duration" {
  description = "The longest session the role allows, in seconds; the dataplane reaches the role by role chaining, which STS caps at one hour."
  type        = number
  default     = 3600
}

variable "tags" {
  description = "Tags for the role and its policies."
  type        = map(string)
  default     = {}
}

variable "account_id" {
  description = "The account the role is created in; null to ask STS (GetCallerIdentity) at plan."
  type        = string
  default     = null
  nullable    = true
  validation {
    condition     = var.account_id == null ? true : can(regex("^\\d{12}$", var.account_id))
    error_message = "Invalid account_id. An AWS account ID is exactly 12 digits."
  }
}

variable "query_policy_count" {
  description = "The managed policies the query permissions are split over (each list item goes to one by a hash of its name); raise it when a plan says a query policy is too large."
  type        = number
  default     = 9
  validation {
    condition     = floor(var.query_policy_count) == var.query_policy_count && var.query_policy_count >= 1 && var.query_policy_count <= 19
    error_message = "Invalid query_policy_count ${var.query_policy_count}. A whole number from 1 to 19: the managed policies the query permissions are split over, beside 1 other (together at most max_managed_policies)."
  }
}

variable "max_managed_policies" {
  description = "The account's quota of managed policies per role (IAM's default, or the raised quota); the plan refuses more."
  type        = number
  default     = 10
  validation {
    condition     = floor(var.max_managed_policies) == var.max_managed_policies && var.max_managed_policies >= 10 && var.max_managed_policies <= 20
    error_message = "Invalid max_managed_policies ${var.max_managed_policies}. A whole number from 10 (IAM's default quota) to 20 (the quota raised as far as it goes): the account's quota of managed policies per identity."
  }
}
