# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

variable "user_name" {
  description = "The user's name; its policies' names start with \"<user_name>-query-\" and \"<user_name>-guardrails-\", its secrets' with \"<user_name>-access-key-v<version>-\"."
  type        = string
  default     = "qualytics-athena-user"
  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.user_name))
    error_message = "Invalid user_name: ${jsonencode(var.user_name)}. An IAM user name is 1 to 64 characters of letters, digits and _+=,.@-."
  }
}

variable "path" {
  description = "The IAM path of the user and its policies."
  type        = string
  default     = "/"
  validation {
    condition     = can(regex("^/(?:[\\x21-\\x29\\x2B-\\x2E\\x30-\\x3E\\x40-\\x7E]+/)*$", var.path)) && length(var.path) <= 512
    error_message = "Invalid path: ${jsonencode(var.path)}. An IAM path starts and ends with \"/\", e.g. \"/qualytics/\", using printable ASCII without * or ?, at most 512 characters."
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
  validation {
    condition     = length(var.work_group_names) >= 1
    error_message = "Invalid work_group_names: ${jsonencode(var.work_group_names)}. Give at least 1 entry."
  }
  validation {
    condition     = alltrue([for v in var.work_group_names : can(regex("^[a-zA-Z0-9._-]{1,128}$", v))])
    error_message = "Invalid ${join(", ", [for i, v in var.work_group_names : "work_group_names[${i}]: ${jsonencode(v)}" if !(can(regex("^[a-zA-Z0-9._-]{1,128}$", v)))])}. A workgroup name is 1 to 128 characters of letters, digits, period, underscore and hyphen."
  }
}

variable "glue_database_names" {
  description = "Glue databases whose tables can be read (lower case, as Glue stores them); \"*\" and \"?\" match as in IAM ARNs."
  type        = list(string)
  default     = ["*"]
  validation {
    condition     = length(var.glue_database_names) >= 1
    error_message = "Invalid glue_database_names: ${jsonencode(var.glue_database_names)}. Give at least 1 entry."
  }
  validation {
    condition     = alltrue([for v in var.glue_database_names : !(!can(regex("[*?]", v))) ? true : can(regex("^[a-z0-9_-]{1,255}$", v))])
    error_message = "Invalid ${join(", ", [for i, v in var.glue_database_names : "glue_database_names[${i}]: ${jsonencode(v)}" if !(!(!can(regex("[*?]", v))) ? true : can(regex("^[a-z0-9_-]{1,255}$", v)))])}. A Glue database name is 1 to 255 characters of lower-case letters, digits, underscore and hyphen (Glue stores names in lower case)."
  }
  validation {
    condition     = alltrue([for v in var.glue_database_names : !(can(regex("[*?]", v))) ? true : can(regex("^[a-z0-9_*?-]{1,255}$", v))])
    error_message = "Invalid ${join(", ", [for i, v in var.glue_database_names : "glue_database_names[${i}]: ${jsonencode(v)}" if !(!(can(regex("[*?]", v))) ? true : can(regex("^[a-z0-9_*?-]{1,255}$", v)))])}. A Glue database name pattern is at most 255 lower-case letters, digits, underscores, hyphens, * (any characters) and ? (one character), such as \"sales_*\"."
  }
}

variable "results_bucket_name" {
  description = "The S3 bucket Athena writes query results to (same Region as the workgroup); null with managed_query_results = true."
  type        = string
  default     = null
  nullable    = true
  validation {
    condition     = var.results_bucket_name == null ? true : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.results_bucket_name))
    error_message = "Invalid results_bucket_name: ${jsonencode(var.results_bucket_name)}. An S3 bucket name is 3 to 63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not shaped like an IP address."
  }
  validation {
    condition     = var.results_bucket_name == null ? true : !can(regex("^\\d+\\.\\d+\\.\\d+\\.\\d+$", var.results_bucket_name))
    error_message = "Invalid results_bucket_name: ${jsonencode(var.results_bucket_name)}. An S3 bucket name is 3 to 63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not shaped like an IP address."
  }
  validation {
    condition     = var.results_bucket_name == null ? true : !can(regex("\\.\\.", var.results_bucket_name))
    error_message = "Invalid results_bucket_name: ${jsonencode(var.results_bucket_name)}. An S3 bucket name is 3 to 63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not shaped like an IP address."
  }
}

variable "results_prefix" {
  description = "The folder for query results in the results bucket, without leading or trailing slash; null for \"qualytics-athena-results\" (and with managed_query_results = true, which has no folder)."
  type        = string
  default     = null
  nullable    = true
  validation {
    condition     = var.results_prefix == null ? true : can(regex("^[\\x21-\\x29\\x2B-\\x2E\\x30-\\x3E\\x40-\\x7E\\xA1-\\xFF][\\x21-\\x29\\x2B-\\x3E\\x40-\\x7E\\xA1-\\xFF]*$", var.results_prefix)) && length(var.results_prefix) <= 1000
    error_message = "Invalid results_prefix: ${jsonencode(var.results_prefix)}. An S3 prefix is a folder path such as \"athena/results\": no leading slash, no empty segments, no whitespace, no * or ?, at most 1,000 characters."
  }
  validation {
    condition     = var.results_prefix == null ? true : !can(regex("\\$\\{", var.results_prefix))
    error_message = "Invalid results_prefix: ${jsonencode(var.results_prefix)}. An S3 prefix is a folder path such as \"athena/results\": no leading slash, no empty segments, no whitespace, no * or ?, at most 1,000 characters."
  }
  validation {
    condition     = var.results_prefix == null ? true : !can(regex("//", var.results_prefix))
    error_message = "Invalid results_prefix: ${jsonencode(var.results_prefix)}. An S3 prefix is a folder path such as \"athena/results\": no leading slash, no empty segments, no whitespace, no * or ?, at most 1,000 characters."
  }
  validation {
    condition     = var.results_prefix == null ? true : !endswith(var.results_prefix, "/")
    error_message = "Invalid results_prefix: ${jsonencode(var.results_prefix)}. Give the folder without a trailing slash: the module puts it into the policies' ARNs as written."
  }
}

variable "data_locations" {
  description = "S3 locations of the table data queries read: a bucket (or a pattern of buckets with \"*\" and \"?\"), and a folder without leading or trailing slash (listing is limited to the bucket's folders, unless a location names the bucket without one)."
  type = list(object({
    bucket_name = string
    prefix      = optional(string)
  }))
  default = []
  validation {
    condition     = alltrue([for v in var.data_locations : !(!can(regex("[*?]", v.bucket_name))) ? true : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", v.bucket_name))])
    error_message = "Invalid ${join(", ", [for i, v in var.data_locations : "data_locations[${i}].bucket_name: ${jsonencode(v.bucket_name)}" if !(!(!can(regex("[*?]", v.bucket_name))) ? true : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", v.bucket_name)))])}. An S3 bucket name is 3 to 63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not shaped like an IP address."
  }
  validation {
    condition     = alltrue([for v in var.data_locations : !(!can(regex("[*?]", v.bucket_name))) ? true : !can(regex("^\\d+\\.\\d+\\.\\d+\\.\\d+$", v.bucket_name))])
    error_message = "Invalid ${join(", ", [for i, v in var.data_locations : "data_locations[${i}].bucket_name: ${jsonencode(v.bucket_name)}" if !(!(!can(regex("[*?]", v.bucket_name))) ? true : !can(regex("^\\d+\\.\\d+\\.\\d+\\.\\d+$", v.bucket_name)))])}. An S3 bucket name is 3 to 63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not shaped like an IP address."
  }
  validation {
    condition     = alltrue([for v in var.data_locations : !(!can(regex("[*?]", v.bucket_name))) ? true : !can(regex("\\.\\.", v.bucket_name))])
    error_message = "Invalid ${join(", ", [for i, v in var.data_locations : "data_locations[${i}].bucket_name: ${jsonencode(v.bucket_name)}" if !(!(!can(regex("[*?]", v.bucket_name))) ? true : !can(regex("\\.\\.", v.bucket_name)))])}. An S3 bucket name is 3 to 63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not shaped like an IP address."
  }
  validation {
    condition     = alltrue([for v in var.data_locations : !(can(regex("[*?]", v.bucket_name))) ? true : can(regex("^[*?]*([a-z0-9.-][*?]*){3,}$", v.bucket_name)) && length(v.bucket_name) <= 63])
    error_message = "Invalid ${join(", ", [for i, v in var.data_locations : "data_locations[${i}].bucket_name: ${jsonencode(v.bucket_name)}" if !(!(can(regex("[*?]", v.bucket_name))) ? true : can(regex("^[*?]*([a-z0-9.-][*?]*){3,}$", v.bucket_name)) && length(v.bucket_name) <= 63)])}. An S3 bucket name pattern is at most 63 lower-case letters, digits, dots, hyphens, * (any characters) and ? (one character), with at least three characters that are not wildcards, such as \"acme-*-lake\"."
  }
  validation {
    condition     = alltrue([for v in var.data_locations : v.prefix == null ? true : can(regex("^[\\x21-\\x2E\\x30-\\x7E\\xA1-\\xFF][\\x21-\\x7E\\xA1-\\xFF]*$", v.prefix)) && length(v.prefix) <= 1000])
    error_message = "Invalid ${join(", ", [for i, v in var.data_locations : "data_locations[${i}].prefix: ${jsonencode(v.prefix)}" if !(v.prefix == null ? true : can(regex("^[\\x21-\\x2E\\x30-\\x7E\\xA1-\\xFF][\\x21-\\x7E\\xA1-\\xFF]*$", v.prefix)) && length(v.prefix) <= 1000)])}. An S3 prefix is a folder path such as \"warehouse/sales\" or the pattern \"warehouse/team-*\": no leading slash, no empty segments, no whitespace, at most 1,000 characters."
  }
  validation {
    condition     = alltrue([for v in var.data_locations : v.prefix == null ? true : !can(regex("\\$\\{", v.prefix))])
    error_message = "Invalid ${join(", ", [for i, v in var.data_locations : "data_locations[${i}].prefix: ${jsonencode(v.prefix)}" if !(v.prefix == null ? true : !can(regex("\\$\\{", v.prefix)))])}. An S3 prefix is a folder path such as \"warehouse/sales\" or the pattern \"warehouse/team-*\": no leading slash, no empty segments, no whitespace, at most 1,000 characters."
  }
  validation {
    condition     = alltrue([for v in var.data_locations : v.prefix == null ? true : !can(regex("//", v.prefix))])
    error_message = "Invalid ${join(", ", [for i, v in var.data_locations : "data_locations[${i}].prefix: ${jsonencode(v.prefix)}" if !(v.prefix == null ? true : !can(regex("//", v.prefix)))])}. An S3 prefix is a folder path such as \"warehouse/sales\" or the pattern \"warehouse/team-*\": no leading slash, no empty segments, no whitespace, at most 1,000 characters."
  }
  validation {
    condition     = alltrue([for v in var.data_locations : v.prefix == null ? true : !endswith(v.prefix, "/")])
    error_message = "Invalid ${join(", ", [for i, v in var.data_locations : "data_locations[${i}].prefix: ${jsonencode(v.prefix)}" if !(v.prefix == null ? true : !endswith(v.prefix, "/"))])}. Give the folder without a trailing slash: the module puts it into the policies' ARNs as written."
  }
}

variable "kms_key_arns" {
  description = "ARNs of the KMS keys that encrypt table data, the Glue catalog or query results (key ARNs, not aliases)."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for v in var.kms_key_arns : can(regex("^arn:(aws|aws-cn|aws-us-gov):kms:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$", v))])
    error_message = "Invalid ${join(", ", [for i, v in var.kms_key_arns : "kms_key_arns[${i}]: ${jsonencode(v)}" if !(can(regex("^arn:(aws|aws-cn|aws-us-gov):kms:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$", v)))])}. Expected a KMS key ARN arn:<partition>:kms:<region>:<account>:key/<key id>."
  }
}

variable "managed_query_results" {
  description = "Whether the workgroups use Athena's managed query results (https://docs.aws.amazon.com/athena/latest/ug/managed-results.html): Athena keeps the results, no results bucket is granted, S3 uploads are denied everywhere and output_location is null. Give no results_bucket_name or results_prefix with it."
  type        = bool
  default     = false
}

variable "managed_query_results_kms_key_arn" {
  description = "With managed_query_results = true: the customer managed KMS key the workgroup encrypts managed query results with (kms:Decrypt, kms:GenerateDataKey and kms:DescribeKey through Athena only; its key policy must allow the identity and encryption.athena.amazonaws.com); null for an AWS owned key."
  type        = string
  default     = null
  nullable    = true
  validation {
    condition     = var.managed_query_results_kms_key_arn == null ? true : can(regex("^arn:(aws|aws-cn|aws-us-gov):kms:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$", var.managed_query_results_kms_key_arn))
    error_message = "Invalid managed_query_results_kms_key_arn: ${jsonencode(var.managed_query_results_kms_key_arn)}. Expected a KMS key ARN arn:<partition>:kms:<region>:<account>:key/<key id>."
  }
}

variable "catalog_name" {
  description = "The Athena data catalog whose metadata can be browsed."
  type        = string
  default     = "AwsDataCatalog"
  validation {
    condition     = can(regex("^[\\w@-]{1,256}$", var.catalog_name))
    error_message = "Invalid catalog_name: ${jsonencode(var.catalog_name)}. A data catalog name is 1 to 256 characters of letters, digits, underscore, @ and hyphen."
  }
}

variable "catalogs" {
  description = "Glue catalogs beyond the default one whose databases and tables can be read (catalog_name and glue_database_names keep describing the default catalog). catalog_name: the catalog's path in Glue, \"s3tablescatalog/<table bucket>\" for an S3 table bucket (its tables are read with read-only S3 Tables actions; list the key of an SSE-KMS table bucket in kms_key_arns), \"<catalog>\" or \"<catalog>/<child catalog>\" for other catalogs. data_source_name: the Athena data source registered for the catalog, when queries use it instead of the path. database_names: its databases (S3 Tables namespaces) whose tables can be read, names or patterns as in glue_database_names, null for every database; refused with access_mode \"LAKE_FORMATION\", and unless glue_database_names names the default catalog's databases so that they cannot match this catalog's (IAM wildcards span \"/\": database/* also matches database/<catalog_name>/<database>). lake_formation_vends_credentials: for an S3 Tables catalog with access_mode = \"LAKE_FORMATION\", whether Lake Formation vends the table bucket's credentials (https://docs.aws.amazon.com/glue/latest/dg/glue-federation-s3tables.html); false gives the identity the read-only s3tables: actions, as in the other modes; null for true."
  type = list(object({
    catalog_name                     = string
    data_source_name                 = optional(string)
    database_names                   = optional(list(string))
    lake_formation_vends_credentials = optional(bool)
  }))
  default = []
  validation {
    condition     = alltrue([for v in var.catalogs : !(can(regex("^s3tablescatalog(/|$)", v.catalog_name))) ? true : can(regex("^s3tablescatalog/[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", v.catalog_name))])
    error_message = "Invalid ${join(", ", [for i, v in var.catalogs : "catalogs[${i}].catalog_name: ${jsonencode(v.catalog_name)}" if !(!(can(regex("^s3tablescatalog(/|$)", v.catalog_name))) ? true : can(regex("^s3tablescatalog/[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", v.catalog_name)))])}. An S3 Tables catalog is \"s3tablescatalog/<table bucket name>\", one table bucket per catalog. An S3 table bucket name is 3 to 63 characters of lower-case letters, digits and hyphens, starting and ending with a letter or digit, not starting with xn--, sthree-, amzn-s3-demo- or aws, not ending with -s3alias, --ol-s3, --x-s3 or --table-s3."
  }
  validation {
    condition     = alltrue([for v in var.catalogs : !(can(regex("^s3tablescatalog(/|$)", v.catalog_name))) ? true : !can(regex("^s3tablescatalog/(xn--|sthree-|amzn-s3-demo-|aws)|(-s3alias|--ol-s3|--x-s3|--table-s3)$", v.catalog_name))])
    error_message = "Invalid ${join(", ", [for i, v in var.catalogs : "catalogs[${i}].catalog_name: ${jsonencode(v.catalog_name)}" if !(!(can(regex("^s3tablescatalog(/|$)", v.catalog_name))) ? true : !can(regex("^s3tablescatalog/(xn--|sthree-|amzn-s3-demo-|aws)|(-s3alias|--ol-s3|--x-s3|--table-s3)$", v.catalog_name)))])}. An S3 table bucket name is 3 to 63 characters of lower-case letters, digits and hyphens, starting and ending with a letter or digit, not starting with xn--, sthree-, amzn-s3-demo- or aws, not ending with -s3alias, --ol-s3, --x-s3 or --table-s3."
  }
  validation {
    condition     = alltrue([for v in var.catalogs : !(!can(regex("^s3tablescatalog(/|$)", v.catalog_name))) ? true : can(regex("^[a-z0-9_-]{1,255}(/[a-z0-9_-]{1,255})?$", v.catalog_name))])
    error_message = "Invalid ${join(", ", [for i, v in var.catalogs : "catalogs[${i}].catalog_name: ${jsonencode(v.catalog_name)}" if !(!(!can(regex("^s3tablescatalog(/|$)", v.catalog_name))) ? true : can(regex("^[a-z0-9_-]{1,255}(/[a-z0-9_-]{1,255})?$", v.catalog_name)))])}. A Glue catalog is named \"<catalog>\" or \"<catalog>/<child catalog>\": at most 255 characters of lower-case letters, digits, underscore and hyphen per name, no wildcards."
  }
  validation {
    condition     = alltrue([for v in var.catalogs : !(!can(regex("^s3tablescatalog(/|$)", v.catalog_name))) ? true : !can(regex("^[aA][wW][sS][dD][aA][tT][aA][cC][aA][tT][aA][lL][oO][gG]$", v.catalog_name))])
    error_message = "Invalid ${join(", ", [for i, v in var.catalogs : "catalogs[${i}].catalog_name: ${jsonencode(v.catalog_name)}" if !(!(!can(regex("^s3tablescatalog(/|$)", v.catalog_name))) ? true : !can(regex("^[aA][wW][sS][dD][aA][tT][aA][cC][aA][tT][aA][lL][oO][gG]$", v.catalog_name)))])}. This is the default catalog; its databases are set with glue_database_names."
  }
  validation {
    condition     = alltrue([for i, v in var.catalogs : !(index(var.catalogs[*].catalog_name, v.catalog_name) != i)])
    error_message = join(" ", [for i, v in var.catalogs : "Invalid catalogs[${i}].catalog_name: ${jsonencode(v.catalog_name)}. catalogs[${index(var.catalogs[*].catalog_name, v.catalog_name)}] names the same catalog; give each catalog once, with all its databases." if index(var.catalogs[*].catalog_name, v.catalog_name) != i])
  }
  validation {
    condition     = alltrue([for v in var.catalogs : v.data_source_name == null ? true : can(regex("^[\\w@-]{1,256}$", v.data_source_name))])
    error_message = "Invalid ${join(", ", [for i, v in var.catalogs : "catalogs[${i}].data_source_name: ${jsonencode(v.data_source_name)}" if !(v.data_source_name == null ? true : can(regex("^[\\w@-]{1,256}$", v.data_source_name)))])}. A data catalog name is 1 to 256 characters of letters, digits, underscore, @ and hyphen."
  }
  validation {
    condition     = alltrue([for v in var.catalogs : v.database_names == null ? true : length(v.database_names) >= 1])
    error_message = "Invalid ${join(", ", [for i, v in var.catalogs : "catalogs[${i}].database_names: ${jsonencode(v.database_names)}" if !(v.database_names == null ? true : length(v.database_names) >= 1)])}. Give at least 1 entry."
  }
  validation {
    condition     = alltrue(flatten([for v in var.catalogs : [for x in(v.database_names == null ? [] : v.database_names) : !can(regex("^[*?]+$", x))]]))
    error_message = "Invalid ${join(", ", flatten([for i, v in var.catalogs : [for j, x in(v.database_names == null ? [] : v.database_names) : "catalogs[${i}].database_names[${j}]: ${jsonencode(x)}" if !(!can(regex("^[*?]+$", x)))]]))}. A pattern of only wildcards matches every database; leave its database_names unset for that."
  }
  validation {
    condition     = alltrue(flatten([for v in var.catalogs : [for x in(v.database_names == null ? [] : v.database_names) : !(!can(regex("[*?]", x))) ? true : can(regex("^[a-z0-9_-]{1,255}$", x))]]))
    error_message = "Invalid ${join(", ", flatten([for i, v in var.catalogs : [for j, x in(v.database_names == null ? [] : v.database_names) : "catalogs[${i}].database_names[${j}]: ${jsonencode(x)}" if !(!(!can(regex("[*?]", x))) ? true : can(regex("^[a-z0-9_-]{1,255}$", x)))]]))}. A Glue database name is 1 to 255 characters of lower-case letters, digits, underscore and hyphen (Glue stores names in lower case)."
  }
  validation {
    condition     = alltrue(flatten([for v in var.catalogs : [for x in(v.database_names == null ? [] : v.database_names) : !(can(regex("[*?]", x))) ? true : can(regex("^[a-z0-9_*?-]{1,255}$", x))]]))
    error_message = "Invalid ${join(", ", flatten([for i, v in var.catalogs : [for j, x in(v.database_names == null ? [] : v.database_names) : "catalogs[${i}].database_names[${j}]: ${jsonencode(x)}" if !(!(can(regex("[*?]", x))) ? true : can(regex("^[a-z0-9_*?-]{1,255}$", x)))]]))}. A Glue database name pattern is at most 255 lower-case letters, digits, underscores, hyphens, * (any characters) and ? (one character), such as \"sales_*\"."
  }
  validation {
    condition     = alltrue(flatten([for v in var.catalogs : [for x in(v.database_names == null ? [] : v.database_names) : !(can(regex("^s3tablescatalog(/|$)", v.catalog_name))) ? true : can(regex("^[*?a-z0-9_]{1,255}$", x))]]))
    error_message = "Invalid ${join(", ", flatten([for i, v in var.catalogs : [for j, x in(v.database_names == null ? [] : v.database_names) : "catalogs[${i}].database_names[${j}]: ${jsonencode(x)}" if !(!(can(regex("^s3tablescatalog(/|$)", v.catalog_name))) ? true : can(regex("^[*?a-z0-9_]{1,255}$", x)))]]))}. An S3 Tables namespace is at most 255 lower-case letters, digits and underscores (no hyphens), not starting with \"aws\"; * and ? make a pattern."
  }
  validation {
    condition     = alltrue(flatten([for v in var.catalogs : [for x in(v.database_names == null ? [] : v.database_names) : !(can(regex("^s3tablescatalog(/|$)", v.catalog_name))) ? true : !can(regex("^aws", x))]]))
    error_message = "Invalid ${join(", ", flatten([for i, v in var.catalogs : [for j, x in(v.database_names == null ? [] : v.database_names) : "catalogs[${i}].database_names[${j}]: ${jsonencode(x)}" if !(!(can(regex("^s3tablescatalog(/|$)", v.catalog_name))) ? true : !can(regex("^aws", x)))]]))}. An S3 Tables namespace is at most 255 lower-case letters, digits and underscores (no hyphens), not starting with \"aws\"; * and ? make a pattern."
  }
  validation {
    condition     = alltrue([for i, v in var.catalogs : !(v.lake_formation_vends_credentials != null && !can(regex("^s3tablescatalog(/|$)", v.catalog_name)))])
    error_message = join(" ", [for i, v in var.catalogs : "Invalid catalogs[${i}].lake_formation_vends_credentials: ${jsonencode(v.lake_formation_vends_credentials)}. It applies only to S3 Tables catalogs (\"s3tablescatalog/<table bucket>\"), not to ${v.catalog_name}: leave it unset." if v.lake_formation_vends_credentials != null && !can(regex("^s3tablescatalog(/|$)", v.catalog_name))])
  }
}

variable "access_mode" {
  description = "Who decides what queries may read: \"IAM\" (the policies name each database and data location), \"IAM_AND_LAKE_FORMATION\" (the same, and lakeformation:GetDataAccess for tables Lake Formation governs), or \"LAKE_FORMATION\" (Lake Formation grants name the databases, and the policies stay the same size however many there are; data_locations must be empty)."
  type        = string
  default     = "IAM"
  validation {
    condition     = contains(["IAM", "IAM_AND_LAKE_FORMATION", "LAKE_FORMATION"], var.access_mode)
    error_message = "Invalid access_mode: ${jsonencode(var.access_mode)}. Give one of IAM, IAM_AND_LAKE_FORMATION, LAKE_FORMATION."
  }
}

variable "lake_formation_tag_expressions" {
  description = "With access_mode = \"LAKE_FORMATION\": LF-Tag expressions whose matching databases and tables the grants cover, besides glue_database_names; each is 1 to 5 LF-Tag keys, each with the values it may take (every key must match, any of its values)."
  type = list(object({
    tags = map(list(string))
  }))
  default = []
  validation {
    condition     = alltrue([for v in var.lake_formation_tag_expressions : length(v.tags) >= 1 && length(v.tags) <= 5])
    error_message = "Invalid ${join(", ", [for i, v in var.lake_formation_tag_expressions : "lake_formation_tag_expressions[${i}].tags: ${jsonencode(v.tags)}" if !(length(v.tags) >= 1 && length(v.tags) <= 5)])}. Give 1 to 5 LF-Tag keys, each with the values it may take."
  }
  validation {
    condition     = alltrue([for v in var.lake_formation_tag_expressions : alltrue([for k in keys(v.tags) : can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@%]{1,128}$", k))])])
    error_message = "Invalid ${join(", ", [for i, v in var.lake_formation_tag_expressions : "lake_formation_tag_expressions[${i}].tags: ${jsonencode(v.tags)}" if !(alltrue([for k in keys(v.tags) : can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@%]{1,128}$", k))]))])}. An LF-Tag key is 1 to 128 letters, digits, spaces and _.:/=+-@%."
  }
  validation {
    condition     = alltrue([for v in var.lake_formation_tag_expressions : alltrue([for vs in values(v.tags) : length(vs) >= 1 && length(vs) <= 50])])
    error_message = "Invalid ${join(", ", [for i, v in var.lake_formation_tag_expressions : "lake_formation_tag_expressions[${i}].tags: ${jsonencode(v.tags)}" if !(alltrue([for vs in values(v.tags) : length(vs) >= 1 && length(vs) <= 50]))])}. Give 1 to 50 values."
  }
  validation {
    condition     = alltrue([for v in var.lake_formation_tag_expressions : alltrue(flatten([for vs in values(v.tags) : [for x in vs : can(regex("^[\\p{L}\\p{Z}\\p{N}_.:*/=+\\-@%]{0,256}$", x))]]))])
    error_message = "Invalid ${join(", ", [for i, v in var.lake_formation_tag_expressions : "lake_formation_tag_expressions[${i}].tags: ${jsonencode(v.tags)}" if !(alltrue(flatten([for vs in values(v.tags) : [for x in vs : can(regex("^[\\p{L}\\p{Z}\\p{N}_.:*/=+\\-@%]{0,256}$", x))]])))])}. An LF-Tag value is up to 256 letters, digits, spaces and _.:*/=+-@%."
  }
  validation {
    condition     = length(distinct([for e in var.lake_formation_tag_expressions : { for k, vs in e.tags : k => sort(distinct(vs)) }])) == length(var.lake_formation_tag_expressions)
    error_message = "Invalid lake_formation_tag_expressions: ${jsonencode(var.lake_formation_tag_expressions)}. It grants what another of lake_formation_tag_expressions grants (the order of keys and values, and repeated values, do not matter): give each expression once."
  }
}

variable "create_lake_formation_grants" {
  description = "With access_mode = \"LAKE_FORMATION\": whether the module makes the Lake Formation grants; false when they are managed elsewhere."
  type        = bool
  default     = true
}

variable "lake_formation_default_database_describe" {
  description = "With access_mode = \"LAKE_FORMATION\": whether the grants include DESCRIBE on the \"default\" database, which Athena needs under Lake Formation whatever database a query names; false only when the principal gets it elsewhere."
  type        = bool
  default     = true
}

variable "secret_kms_key_arn" {
  description = "ARN of the KMS key that encrypts the secrets; null: a new customer managed key with automatic rotation. Reading a secret needs kms:Decrypt on it."
  type        = string
  default     = null
  nullable    = true
  validation {
    condition     = var.secret_kms_key_arn == null ? true : can(regex("^arn:(aws|aws-cn|aws-us-gov):kms:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$", var.secret_kms_key_arn))
    error_message = "Invalid secret_kms_key_arn: ${jsonencode(var.secret_kms_key_arn)}. Expected a KMS key ARN arn:<partition>:kms:<region>:<account>:key/<key id>."
  }
}

variable "access_key_versions" {
  description = "The access keys to keep, by version, oldest first; each has its own secret. Rotate: [1, 2], switch the connection to the new secret, then [2]."
  type        = list(number)
  default     = [1]
  validation {
    condition     = length(var.access_key_versions) >= 1 && length(var.access_key_versions) <= 2 && length(distinct(var.access_key_versions)) == length(var.access_key_versions) && alltrue([for version in var.access_key_versions : version >= 1 && floor(version) == version])
    error_message = "Invalid access_key_versions: ${jsonencode(var.access_key_versions)}. Give one or two distinct whole numbers from 1 (IAM allows two access keys per user), e.g. [1], or [1, 2] while rotating."
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
    error_message = "Invalid account_id: ${jsonencode(var.account_id)}. An AWS account ID is exactly 12 digits."
  }
}

variable "query_policy_count" {
  description = "The managed policies the query permissions are split over (each list item goes to one by a hash of its name); raise it when a plan says a query policy is too large."
  type        = number
  default     = 9
  validation {
    condition     = floor(var.query_policy_count) == var.query_policy_count && var.query_policy_count >= 1 && var.query_policy_count <= 19
    error_message = "Invalid query_policy_count: ${jsonencode(var.query_policy_count)}. A whole number from 1 to 19: the managed policies the query permissions are split over, beside 1 other (together at most max_managed_policies)."
  }
}

variable "max_managed_policies" {
  description = "The account's quota of managed policies per user (IAM's default, or the raised quota); the plan refuses more."
  type        = number
  default     = 10
  validation {
    condition     = floor(var.max_managed_policies) == var.max_managed_policies && var.max_managed_policies >= 10 && var.max_managed_policies <= 20
    error_message = "Invalid max_managed_policies: ${jsonencode(var.max_managed_policies)}. A whole number from 10 (IAM's default quota) to 20 (the quota raised as far as it goes): the account's quota of managed policies per identity."
  }
}
