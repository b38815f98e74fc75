# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

data "aws_partition" "current" {}

data "aws_region" "current" {}

# Only when account_id is not given: the one call to AWS a plan makes.
data "aws_caller_identity" "current" {
  count = var.account_id == null ? 1 : 0
}

locals {
  account_id = coalesce(var.account_id, one(data.aws_caller_identity.current[*].account_id))

  # "" with managed query results: the S3 results statements, which hold it, are left out then.
  results_bucket_name = var.results_bucket_name == null ? "" : var.results_bucket_name
  results_prefix      = var.results_prefix == null ? "qualytics-athena-results" : var.results_prefix

  # The data locations' folders by bucket, for listing: a bucket that some location names without a folder is listed
  # whole, any other only under its folders (s3:prefix), one statement per bucket.
  data_location_prefixes = { for location in var.data_locations : location.bucket_name => location.prefix... }
  data_whole_buckets     = [for bucket, prefixes in local.data_location_prefixes : bucket if anytrue([for prefix in prefixes : prefix == null])]
  data_location_folders  = { for bucket, prefixes in local.data_location_prefixes : bucket => distinct(prefixes) if alltrue([for prefix in prefixes : prefix != null]) }

  # The query statements by policy number (a string): list items by their hash, fixed statements in turn.
  query_policy_statements = {
    for shard in range(var.query_policy_count) : tostring(shard) => concat(
      [for statement in [
        {
          Sid      = "AthenaQueryExecution"
          Effect   = "Allow"
          Action   = ["athena:StartQueryExecution", "athena:StopQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:GetQueryResultsStream", "athena:GetWorkGroup"]
          Resource = distinct([for name in var.work_group_names : "arn:${data.aws_partition.current.partition}:athena:${data.aws_region.current.name}:${local.account_id}:workgroup/${name}" if parseint(substr(md5(name), 0, 8), 16) % var.query_policy_count == shard])
        },
      ] : statement if length([for name in var.work_group_names : name if parseint(substr(md5(name), 0, 8), 16) % var.query_policy_count == shard]) > 0],
      [for statement in [
        {
          Sid      = "AthenaListDataCatalogs"
          Effect   = "Allow"
          Action   = ["athena:ListDataCatalogs"]
          Resource = ["*"]
        },
      ] : statement if shard == 0 % var.query_policy_count || shard % 3 == 0],
      [for statement in [
        {
          Sid      = "AthenaCatalogMetadata"
          Effect   = "Allow"
          Action   = ["athena:GetDataCatalog", "athena:ListDatabases", "athena:GetDatabase", "athena:ListTableMetadata", "athena:GetTableMetadata"]
          Resource = ["arn:${data.aws_partition.current.partition}:athena:${data.aws_region.current.name}:${local.account_id}:datacatalog/${var.catalog_name}"]
        },
      ] : statement if shard == 1 % var.query_policy_count || shard % 3 == 1],
      [for statement in [
        {
          Sid      = "GlueCatalogRead"
          Effect   = "Allow"
          Action   = ["glue:GetCatalog", "glue:GetCatalogs", "glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"]
          Resource = ["arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${local.account_id}:catalog"]
        },
      ] : statement if shard == 2 % var.query_policy_count || shard % 3 == 2],
      [for statement in [
        {
          Sid      = "GlueDatabaseRead"
          Effect   = "Allow"
          Action   = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"]
          Resource = distinct([for name in var.glue_database_names : "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${local.account_id}:database/${name}" if parseint(substr(md5(name), 0, 8), 16) % var.query_policy_count == shard])
        },
      ] : statement if length([for name in var.glue_database_names : name if parseint(substr(md5(name), 0, 8), 16) % var.query_policy_count == shard]) > 0 && var.access_mode != "LAKE_FORMATION"],
      [for statement in [
        {
          Sid      = "GlueListDatabases"
          Effect   = "Allow"
          Action   = ["glue:GetDatabases"]
          Resource = ["arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${local.account_id}:database/*"]
        },
      ] : statement if shard == 3 % var.query_policy_count && var.access_mode != "LAKE_FORMATION"],
      [for statement in [
        {
          Sid      = "GlueDefaultDatabase"
          Effect   = "Allow"
          Action   = ["glue:GetDatabase"]
          Resource = ["arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${local.account_id}:database/default"]
        },
      ] : statement if shard == 4 % var.query_policy_count && var.access_mode != "LAKE_FORMATION"],
      [for statement in [
        {
          Sid      = "GlueTableRead"
          Effect   = "Allow"
          Action   = ["glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"]
          Resource = distinct([for name in var.glue_database_names : "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${local.account_id}:table/${name}/*" if parseint(substr(md5(name), 0, 8), 16) % var.query_policy_count == shard])
        },
      ] : statement if length([for name in var.glue_database_names : name if parseint(substr(md5(name), 0, 8), 16) % var.query_policy_count == shard]) > 0 && var.access_mode != "LAKE_FORMATION"],
      [for statement in [
        {
          Sid      = "QueryResultsBucket"
          Effect   = "Allow"
          Action   = ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"]
          Resource = ["arn:${data.aws_partition.current.partition}:s3:::${local.results_bucket_name}"]
        },
      ] : statement if shard == 5 % var.query_policy_count && !(var.managed_query_results)],
      [for statement in [
        {
          Sid      = "QueryResultsObjects"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:PutObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"]
          Resource = ["arn:${data.aws_partition.current.partition}:s3:::${local.results_bucket_name}/${local.results_prefix}/*"]
        },
      ] : statement if shard == 6 % var.query_policy_count && !(var.managed_query_results)],
      [for statement in [
        {
          Sid      = "SourceDataBuckets"
          Effect   = "Allow"
          Action   = ["s3:GetBucketLocation", "s3:ListBucket"]
          Resource = distinct([for bucket in local.data_whole_buckets : "arn:${data.aws_partition.current.partition}:s3:::${bucket}" if parseint(substr(md5(bucket), 0, 8), 16) % var.query_policy_count == shard])
        },
      ] : statement if length([for bucket in local.data_whole_buckets : bucket if parseint(substr(md5(bucket), 0, 8), 16) % var.query_policy_count == shard]) > 0 && var.access_mode != "LAKE_FORMATION" && length(var.data_locations) > 0],
      [for statement in [
        {
          Sid      = "SourceDataBucketLocation"
          Effect   = "Allow"
          Action   = ["s3:GetBucketLocation"]
          Resource = distinct([for bucket in keys(local.data_location_folders) : "arn:${data.aws_partition.current.partition}:s3:::${bucket}" if parseint(substr(md5(bucket), 0, 8), 16) % var.query_policy_count == shard])
        },
      ] : statement if length([for bucket in keys(local.data_location_folders) : bucket if parseint(substr(md5(bucket), 0, 8), 16) % var.query_policy_count == shard]) > 0 && var.access_mode != "LAKE_FORMATION" && length(var.data_locations) > 0],
      [for statement in [for i, bucket in [for bucket in keys(local.data_location_folders) : bucket if parseint(substr(md5(bucket), 0, 8), 16) % var.query_policy_count == shard] : {
        Sid      = "SourceDataListing${i == 0 ? "" : i + 1}"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = ["arn:${data.aws_partition.current.partition}:s3:::${bucket}"]
        Condition = {
          "StringLike" = {
            "s3:prefix" = distinct([for folder in local.data_location_folders[bucket] : "${folder}/*"])
          }
        }
      }] : statement if var.access_mode != "LAKE_FORMATION" && length(var.data_locations) > 0],
      [for statement in [
        {
          Sid      = "SourceDataObjects"
          Effect   = "Allow"
          Action   = ["s3:GetObject"]
          Resource = distinct([for location in var.data_locations : "arn:${data.aws_partition.current.partition}:s3:::${location.prefix == null ? location.bucket_name : "${location.bucket_name}/${location.prefix}"}/*" if parseint(substr(md5(location.bucket_name), 0, 8), 16) % var.query_policy_count == shard])
        },
      ] : statement if length([for location in var.data_locations : location if parseint(substr(md5(location.bucket_name), 0, 8), 16) % var.query_policy_count == shard]) > 0 && var.access_mode != "LAKE_FORMATION" && length(var.data_locations) > 0],
      [for statement in [
        {
          Sid      = "AthenaOtherCatalogsMetadata"
          Effect   = "Allow"
          Action   = ["athena:GetDataCatalog", "athena:ListDatabases", "athena:GetDatabase", "athena:ListTableMetadata", "athena:GetTableMetadata"]
          Resource = distinct([for name in local.catalog_athena_names : "arn:${data.aws_partition.current.partition}:athena:${data.aws_region.current.name}:${local.account_id}:datacatalog/${name}" if parseint(substr(md5(name), 0, 8), 16) % var.query_policy_count == shard])
        },
      ] : statement if length([for name in local.catalog_athena_names : name if parseint(substr(md5(name), 0, 8), 16) % var.query_policy_count == shard]) > 0],
      [for statement in [
        {
          Sid      = "GlueOtherCatalogsRead"
          Effect   = "Allow"
          Action   = ["glue:GetCatalog", "glue:GetCatalogs", "glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"]
          Resource = distinct([for path in local.catalog_paths : "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${local.account_id}:catalog/${path}" if parseint(substr(md5(path), 0, 8), 16) % var.query_policy_count == shard])
        },
      ] : statement if length([for path in local.catalog_paths : path if parseint(substr(md5(path), 0, 8), 16) % var.query_policy_count == shard]) > 0],
      [for statement in [
        {
          Sid      = "GlueOtherCatalogsListDatabases"
          Effect   = "Allow"
          Action   = ["glue:GetDatabases"]
          Resource = distinct([for catalog in var.catalogs : "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${local.account_id}:database/${catalog.catalog_name}/*" if parseint(substr(md5(catalog.catalog_name), 0, 8), 16) % var.query_policy_count == shard])
        },
      ] : statement if length([for catalog in var.catalogs : catalog if parseint(substr(md5(catalog.catalog_name), 0, 8), 16) % var.query_policy_count == shard]) > 0],
      [for statement in [
        {
          Sid      = "GlueOtherCatalogsDatabaseRead"
          Effect   = "Allow"
          Action   = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"]
          Resource = distinct([for database in local.catalog_databases : "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${local.account_id}:database/${database}" if parseint(substr(md5(database), 0, 8), 16) % var.query_policy_count == shard])
        },
      ] : statement if length([for database in local.catalog_databases : database if parseint(substr(md5(database), 0, 8), 16) % var.query_policy_count == shard]) > 0],
      [for statement in [
        {
          Sid      = "GlueOtherCatalogsTableRead"
          Effect   = "Allow"
          Action   = ["glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"]
          Resource = distinct([for database in local.catalog_databases : "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${local.account_id}:table/${database}/*" if parseint(substr(md5(database), 0, 8), 16) % var.query_policy_count == shard])
        },
      ] : statement if length([for database in local.catalog_databases : database if parseint(substr(md5(database), 0, 8), 16) % var.query_policy_count == shard]) > 0],
      [for statement in [
        {
          Sid      = "S3TablesBucketRead"
          Effect   = "Allow"
          Action   = ["s3tables:GetTableBucket", "s3tables:ListNamespaces"]
          Resource = distinct([for bucket in keys(local.catalog_table_buckets) : "arn:${data.aws_partition.current.partition}:s3tables:${data.aws_region.current.name}:${local.account_id}:bucket/${bucket}" if parseint(substr(md5(bucket), 0, 8), 16) % var.query_policy_count == shard])
        },
      ] : statement if length([for bucket in keys(local.catalog_table_buckets) : bucket if parseint(substr(md5(bucket), 0, 8), 16) % var.query_policy_count == shard]) > 0],
      [for statement in [
        {
          Sid      = "S3TablesNamespaceRead"
          Effect   = "Allow"
          Action   = ["s3tables:GetNamespace", "s3tables:ListTables"]
          Resource = distinct([for bucket in local.catalog_whole_table_buckets : "arn:${data.aws_partition.current.partition}:s3tables:${data.aws_region.current.name}:${local.account_id}:bucket/${bucket}" if parseint(substr(md5(bucket), 0, 8), 16) % var.query_policy_count == shard])
        },
      ] : statement if length([for bucket in local.catalog_whole_table_buckets : bucket if parseint(substr(md5(bucket), 0, 8), 16) % var.query_policy_count == shard]) > 0],
      [for statement in [
        {
          Sid      = "S3TablesTableRead"
          Effect   = "Allow"
          Action   = ["s3tables:GetTable", "s3tables:GetTableMetadataLocation", "s3tables:GetTableData"]
          Resource = distinct([for bucket in local.catalog_whole_table_buckets : "arn:${data.aws_partition.current.partition}:s3tables:${data.aws_region.current.name}:${local.account_id}:bucket/${bucket}/table/*" if parseint(substr(md5(bucket), 0, 8), 16) % var.query_policy_count == shard])
        },
      ] : statement if length([for bucket in local.catalog_whole_table_buckets : bucket if parseint(substr(md5(bucket), 0, 8), 16) % var.query_policy_count == shard]) > 0],
      [for i, bucket in [for bucket in keys(local.catalog_table_bucket_namespaces) : bucket if parseint(substr(md5(bucket), 0, 8), 16) % var.query_policy_count == shard] : {
        Sid      = "S3TablesNamespaceRead${i + 2}"
        Effect   = "Allow"
        Action   = ["s3tables:GetNamespace", "s3tables:ListTables"]
        Resource = ["arn:${data.aws_partition.current.partition}:s3tables:${data.aws_region.current.name}:${local.account_id}:bucket/${bucket}"]
        Condition = {
          "StringLike" = {
            "s3tables:namespace" = distinct([for namespace in local.catalog_table_bucket_namespaces[bucket] : namespace])
          }
        }
      }],
      [for i, bucket in [for bucket in keys(local.catalog_table_bucket_namespaces) : bucket if parseint(substr(md5(bucket), 0, 8), 16) % var.query_policy_count == shard] : {
        Sid      = "S3TablesTableRead${i + 2}"
        Effect   = "Allow"
        Action   = ["s3tables:GetTable", "s3tables:GetTableMetadataLocation", "s3tables:GetTableData"]
        Resource = ["arn:${data.aws_partition.current.partition}:s3tables:${data.aws_region.current.name}:${local.account_id}:bucket/${bucket}/table/*"]
        Condition = {
          "StringLike" = {
            "s3tables:namespace" = distinct([for namespace in local.catalog_table_bucket_namespaces[bucket] : namespace])
          }
        }
      }],
      [for statement in [
        {
          Sid      = "KmsThroughAthenaGlueS3"
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource = distinct([for arn in var.kms_key_arns : arn if parseint(substr(md5(arn), 0, 8), 16) % var.query_policy_count == shard])
          Condition = {
            "StringEquals" = {
              "kms:ViaService" = distinct(concat(["athena.${data.aws_region.current.name}.${data.aws_partition.current.dns_suffix}", "glue.${data.aws_region.current.name}.${data.aws_partition.current.dns_suffix}", "s3.${data.aws_region.current.name}.${data.aws_partition.current.dns_suffix}"], [for service in local.catalog_key_services : "${service}.${data.aws_region.current.name}.${data.aws_partition.current.dns_suffix}"]))
            }
          }
        },
      ] : statement if length([for arn in var.kms_key_arns : arn if parseint(substr(md5(arn), 0, 8), 16) % var.query_policy_count == shard]) > 0],
      [for statement in [
        {
          Sid      = "ManagedQueryResultsKey"
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
          Resource = [var.managed_query_results_kms_key_arn]
          Condition = {
            "StringEquals" = {
              "kms:ViaService" = "athena.${data.aws_region.current.name}.${data.aws_partition.current.dns_suffix}"
            }
          }
        },
      ] : statement if shard == 7 % var.query_policy_count && var.managed_query_results_kms_key_arn != null],
      [for statement in [
        {
          Sid      = "LakeFormationDataAccess"
          Effect   = "Allow"
          Action   = ["lakeformation:GetDataAccess"]
          Resource = ["*"]
        },
      ] : statement if shard == 8 % var.query_policy_count && var.access_mode != "IAM"],
      [for statement in [
        {
          Sid      = "GlueDatabaseRead"
          Effect   = "Allow"
          Action   = ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"]
          Resource = ["arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${local.account_id}:database/*"]
        },
      ] : statement if shard == 9 % var.query_policy_count && var.access_mode == "LAKE_FORMATION"],
      [for statement in [
        {
          Sid      = "GlueTableRead"
          Effect   = "Allow"
          Action   = ["glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"]
          Resource = ["arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${local.account_id}:table/*/*"]
        },
      ] : statement if shard == 10 % var.query_policy_count && var.access_mode == "LAKE_FORMATION"],
    )
  }

  # Keyed by number only, known at plan even when the lists' values are not.
  query_policies = {
    for key, statements in local.query_policy_statements : key => jsonencode({
      Version   = "2012-10-17"
      Statement = statements
    })
  }

  guardrails_statements = concat(
    [
      {
        Sid      = "GuardrailDenyGlueWrites"
        Effect   = "Deny"
        Action   = ["glue:Create*", "glue:Update*", "glue:Delete*", "glue:Put*", "glue:Import*", "glue:Rename*", "glue:BatchCreate*", "glue:BatchUpdate*", "glue:BatchDelete*", "glue:BatchStop*", "glue:BatchGetStage*", "glue:Start*", "glue:Stop*", "glue:Run*", "glue:Resume*", "glue:Cancel*", "glue:Reset*", "glue:Notify*", "glue:Terminate*", "glue:Upgrade*", "glue:Modify*", "glue:Register*", "glue:Deregister*", "glue:Remove*", "glue:Publish*", "glue:Send*", "glue:Request*", "glue:Refresh*", "glue:Test*", "glue:Use*", "glue:Pass*", "glue:Authorize*", "glue:Federate*", "glue:Managed*", "glue:GlueNotebook*", "glue:GetDataPreview*", "glue:GetEnvironment", "glue:GetExecutors*", "glue:GetLogParsing*", "glue:GetNotebook*", "glue:GetQuer*", "glue:GetRecipe*", "glue:GetStage*", "glue:GetStorage*", "glue:DescribeConnectionType", "glue:DescribeEntity", "glue:ListConnectionTypes", "glue:ListEntities", "glue:TagResource", "glue:UntagResource"]
        Resource = ["*"]
      },
      {
        Sid      = "GuardrailDenyS3Writes"
        Effect   = "Deny"
        Action   = ["s3:PutA*", "s3:PutB*", "s3:PutE*", "s3:PutI*", "s3:PutJ*", "s3:PutL*", "s3:PutM*", "s3:PutR*", "s3:PutS*", "s3:PutObjectA*", "s3:PutObjectL*", "s3:PutObjectR*", "s3:PutObjectT*", "s3:PutObjectV*", "s3:Delete*", "s3:Create*", "s3:Update*", "s3:Initiate*", "s3:Pause*", "s3:Replicate*", "s3:Restore*", "s3:Submit*", "s3:Bypass*", "s3:Associate*", "s3:Dissociate*", "s3:ObjectOwnerOverrideToBucketOwner", "s3:TagResource", "s3:UntagResource", "s3-object-lambda:Put*", "s3-object-lambda:Delete*", "s3-object-lambda:Abort*", "s3-object-lambda:Restore*", "s3-object-lambda:WriteGetObjectResponse", "s3express:Create*", "s3express:Delete*", "s3express:Put*", "s3express:TagResource", "s3express:UntagResource", "s3tables:Create*", "s3tables:Delete*", "s3tables:Put*", "s3tables:Rename*", "s3tables:Update*", "s3tables:TagResource", "s3tables:UntagResource"]
        Resource = ["*"]
      },
    ],
    [for statement in [
      {
        Sid         = "GuardrailDenyS3WritesOutsideResults"
        Effect      = "Deny"
        Action      = ["s3:PutObject", "s3:AbortMultipartUpload"]
        NotResource = ["arn:${data.aws_partition.current.partition}:s3:::${local.results_bucket_name}/${local.results_prefix}/*"]
      },
    ] : statement if !(var.managed_query_results)],
    [for statement in [
      {
        Sid      = "GuardrailDenyS3Uploads"
        Effect   = "Deny"
        Action   = ["s3:PutObject", "s3:AbortMultipartUpload"]
        Resource = ["*"]
      },
    ] : statement if var.managed_query_results],
    [
      {
        Sid      = "GuardrailDenyAthenaWrites"
        Effect   = "Deny"
        Action   = ["athena:Create*", "athena:Update*", "athena:Delete*", "athena:Cancel*", "athena:Put*", "athena:Import*", "athena:Export*", "athena:Terminate*", "athena:StartSession", "athena:StartCalculationExecution", "athena:StopCalculationExecution", "athena:GetSessionEndpoint", "athena:RunQuery", "athena:TagResource", "athena:UntagResource"]
        Resource = ["*"]
      },
      {
        Sid      = "GuardrailDenyLakeFormationWrites"
        Effect   = "Deny"
        Action   = ["lakeformation:Grant*", "lakeformation:Revoke*", "lakeformation:Batch*", "lakeformation:Put*", "lakeformation:Add*", "lakeformation:Remove*", "lakeformation:Create*", "lakeformation:Update*", "lakeformation:Delete*", "lakeformation:Register*", "lakeformation:Deregister*", "lakeformation:Start*", "lakeformation:Commit*", "lakeformation:Cancel*", "lakeformation:Extend*"]
        Resource = ["*"]
      },
    ],
  )

  # Grants only in access mode LAKE_FORMATION, unless they are managed elsewhere.
  lake_formation_grants = var.access_mode == "LAKE_FORMATION" && var.create_lake_formation_grants
  # glue_database_names' default ["*"] names no database, as the constructs' glueDatabaseNames left unset.
  lake_formation_databases_named = var.glue_database_names != tolist(["*"])
  lake_formation_databases       = local.lake_formation_grants && local.lake_formation_databases_named ? var.glue_database_names : []
  lake_formation_described = toset(concat(local.lake_formation_databases,
    local.lake_formation_grants && var.lake_formation_default_database_describe && !contains(local.lake_formation_databases, "default") ? ["default"] : [],
  ))
  # Each expression in canonical form, by the digest of its key.
  lake_formation_expressions = { for e in(local.lake_formation_grants ? var.lake_formation_tag_expressions : []) : substr(sha256("lf-tags:${jsonencode([for k in keys(e.tags) : [k, sort(distinct(e.tags[k]))]])}"), 0, 16) => [for k in keys(e.tags) : { key = k, values = sort(distinct(e.tags[k])) }] }

  # The other catalogs as the statements name them: the names Athena knows them by, their paths with the catalogs
  # above them (Glue authorizes a read on each), and their databases (every one, "*", unless named).
  catalog_athena_names = distinct(flatten([for catalog in var.catalogs : concat([catalog.catalog_name], catalog.data_source_name == null ? [] : [catalog.data_source_name])]))
  catalog_paths        = distinct(flatten([for catalog in var.catalogs : [for i in range(length(split("/", catalog.catalog_name))) : join("/", slice(split("/", catalog.catalog_name), 0, i + 1))]]))
  catalog_databases    = distinct(flatten([for catalog in var.catalogs : [for database in(catalog.database_names == null ? ["*"] : catalog.database_names) : "${catalog.catalog_name}/${database}"]]))
  # The table buckets of the s3tablescatalog catalogs read with the identity's own s3tables: permissions (all but those
  # whose credentials Lake Formation vends, in access mode LAKE_FORMATION), by their namespaces (null: every one).
  catalog_table_buckets = {
    for catalog in var.catalogs : split("/", catalog.catalog_name)[1] => catalog.database_names
    if split("/", catalog.catalog_name)[0] == "s3tablescatalog" && (var.access_mode != "LAKE_FORMATION" || catalog.lake_formation_vends_credentials == false)
  }
  catalog_whole_table_buckets     = [for bucket, namespaces in local.catalog_table_buckets : bucket if namespaces == null]
  catalog_table_bucket_namespaces = { for bucket, namespaces in local.catalog_table_buckets : bucket => distinct(namespaces) if namespaces != null }
  catalog_key_services            = length(local.catalog_table_buckets) > 0 ? ["s3tables"] : []

  # For each catalog, the glue_database_names patterns whose Glue reads also match its databases (IAM wildcards span "/").
  catalogs_reached_by = [for v in var.catalogs : [for p in var.glue_database_names : p if anytrue([for k in range(length(p) + 1) : can(regex("^${replace(replace(substr(p, 0, k), "*", ".*"), "?", ".")}$", "${v.catalog_name}/")) && can(regex(can(regex("^s3tablescatalog(/|$)", v.catalog_name)) ? "^[*?a-z0-9_]*$" : "^[*?a-z0-9_-]*$", substr(p, k, -1))) && (length(substr(p, k, -1)) > 0 || (k > 0 && substr(p, k - 1, 1) == "*"))])]]

  guardrails_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.guardrails_statements
  })

  # Two documents, as the two conditions differ in shape: jsonencode makes both a string.
  trust_policy = var.trusted_organization_id == null ? jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        "Effect" = "Allow"
        "Principal" = {
          "AWS" = var.trusted_role_arn
        }
        "Action" = "sts:AssumeRole"
        "Condition" = {
          "StringEquals" = {
            "sts:ExternalId" = var.external_id
          }
          "StringLike" = {
            "sts:RoleSessionName" = "${var.session_name_prefix}*"
          }
        }
      }],
      [for statement in [{
        "Effect" = "Allow"
        "Principal" = {
          "AWS" = var.trusted_role_arn
        }
        "Action" = "sts:TagSession"
        "Condition" = {
          "ForAllValues:StringEquals" = {
            "aws:TagKeys" = ["eks-cluster-arn", "eks-cluster-name", "kubernetes-namespace", "kubernetes-service-account", "kubernetes-pod-name", "kubernetes-pod-uid"]
          }
        }
      }] : statement if var.allow_pod_identity_session_tags],
    )
    }) : jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        "Effect" = "Allow"
        "Principal" = {
          "AWS" = var.trusted_role_arn
        }
        "Action" = "sts:AssumeRole"
        "Condition" = {
          "StringEquals" = {
            "sts:ExternalId"     = var.external_id
            "aws:PrincipalOrgID" = var.trusted_organization_id
          }
          "StringLike" = {
            "sts:RoleSessionName" = "${var.session_name_prefix}*"
          }
        }
      }],
      [for statement in [{
        "Effect" = "Allow"
        "Principal" = {
          "AWS" = var.trusted_role_arn
        }
        "Action" = "sts:TagSession"
        "Condition" = {
          "ForAllValues:StringEquals" = {
            "aws:TagKeys" = ["eks-cluster-arn", "eks-cluster-name", "kubernetes-namespace", "kubernetes-service-account", "kubernetes-pod-name", "kubernetes-pod-uid"]
          }
          "StringEquals" = {
            "aws:PrincipalOrgID" = var.trusted_organization_id
          }
        }
      }] : statement if var.allow_pod_identity_session_tags],
    )
  })
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  path                 = var.path
  permissions_boundary = var.permissions_boundary_arn
  max_session_duration = var.max_session_duration
  description          = var.description
  assume_role_policy   = local.trust_policy
  tags                 = var.tags
  lifecycle {
    precondition {
      condition     = length(local.trust_policy) <= 2048
      error_message = "The trust policy is ${length(local.trust_policy)} characters, over IAM's limit of 2048 for a trust policy with the default quota (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): shorten external_id or trusted_role_arn."
    }
  }
}

resource "aws_iam_policy" "guardrails" {
  name_prefix = "${var.role_name}-guardrails-"
  path        = var.path
  description = "Qualytics dataplane: explicit denies of writes the target role must never make"
  policy      = local.guardrails_policy
  tags        = var.tags
  lifecycle {
    create_before_destroy = true
    precondition {
      condition     = length(local.guardrails_policy) <= 6144
      error_message = "The guardrails policy is ${length(local.guardrails_policy)} characters, over IAM's limit of 6144 for a managed policy (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): shorten results_bucket_name or results_prefix."
    }
    precondition {
      condition     = !(var.managed_query_results) || var.results_bucket_name == null
      error_message = "Invalid results_bucket_name: ${jsonencode(var.results_bucket_name)}. With managed_query_results = true Athena keeps the query results itself and no results bucket is used: give either results_bucket_name or managed_query_results = true, not both."
    }
    precondition {
      condition     = var.managed_query_results || var.results_bucket_name != null
      error_message = "Invalid results_bucket_name: ${jsonencode(var.results_bucket_name)}. Give the bucket Athena writes query results to, or set managed_query_results = true when the workgroups use managed query results."
    }
    precondition {
      condition     = !(var.results_bucket_name == null) || var.results_prefix == null
      error_message = "Invalid results_prefix: ${jsonencode(var.results_prefix)}. With managed query results there is no results bucket or folder: leave results_prefix unset."
    }
    precondition {
      condition     = var.managed_query_results || var.managed_query_results_kms_key_arn == null
      error_message = "Invalid managed_query_results_kms_key_arn: ${jsonencode(var.managed_query_results_kms_key_arn)}. A key for managed query results applies only with managed_query_results = true; for SSE-KMS query results in your S3 bucket, list the key in kms_key_arns."
    }
    # The access mode's rules over several variables: every plan has this policy.
    precondition {
      condition     = !(var.access_mode != "LAKE_FORMATION") || length(var.lake_formation_tag_expressions) == 0
      error_message = "Invalid lake_formation_tag_expressions: ${jsonencode(var.lake_formation_tag_expressions)}. It applies only with access_mode = \"LAKE_FORMATION\"."
    }
    precondition {
      condition     = !(var.access_mode == "LAKE_FORMATION") || length(var.data_locations) == 0
      error_message = "Invalid data_locations: ${jsonencode(var.data_locations)}. With access_mode LAKE_FORMATION, Lake Formation vends the data access and no S3 data location is granted: leave data_locations empty, or use access_mode IAM or IAM_AND_LAKE_FORMATION, where IAM grants the data locations."
    }
    precondition {
      condition     = !(local.lake_formation_grants && local.lake_formation_databases_named) || alltrue([for v in var.glue_database_names : length(regexall("[*?]", v)) == 0])
      error_message = "Invalid ${join(", ", [for i, v in var.glue_database_names : "glue_database_names[${i}]: ${jsonencode(v)}" if !(length(regexall("[*?]", v)) == 0)])}. Lake Formation grants name databases one by one: give the name without * or ?, or grant by LF-Tag with an LF-Tag expression."
    }
    precondition {
      condition     = !(local.lake_formation_grants) || length(distinct(var.glue_database_names)) == length(var.glue_database_names)
      error_message = "Invalid glue_database_names: ${jsonencode(var.glue_database_names)}. Name each database once."
    }
    precondition {
      condition     = !(local.lake_formation_grants) || length(local.lake_formation_databases) + length(var.lake_formation_tag_expressions) > 0
      error_message = "Invalid glue_database_names: ${jsonencode(var.glue_database_names)}. Give at least one database, or an LF-Tag expression in lake_formation_tag_expressions."
    }
    precondition {
      condition     = !(var.access_mode != "LAKE_FORMATION") || alltrue([for i, v in var.catalogs : !(v.lake_formation_vends_credentials != null)])
      error_message = join(" ", [for i, v in var.catalogs : "Invalid catalogs[${i}].lake_formation_vends_credentials: ${jsonencode(v.lake_formation_vends_credentials)}. It applies only with access_mode = \"LAKE_FORMATION\"; in access_mode ${var.access_mode} the role always reads the table bucket with read-only s3tables: actions. Leave it unset." if v.lake_formation_vends_credentials != null])
    }
    precondition {
      condition     = !(var.access_mode == "LAKE_FORMATION") || alltrue([for i, v in var.catalogs : !(v.database_names != null)])
      error_message = join(" ", [for i, v in var.catalogs : "Invalid catalogs[${i}].database_names: ${jsonencode(v.database_names)}. These databases cannot be kept apart from the catalog's others: in access_mode LAKE_FORMATION the default catalog's Glue reads are on every database (database/*), and IAM wildcards span \"/\", so they also match database/${v.catalog_name}/<any database> (Glue has no condition key for names). For isolation, name the default catalog's databases in glue_database_names (names, or patterns that cannot match \"${v.catalog_name}/...\"; access_mode IAM or IAM_AND_LAKE_FORMATION); or leave catalogs[${i}].database_names unset to grant the whole catalog." if v.database_names != null])
    }
    precondition {
      condition     = !(var.access_mode != "LAKE_FORMATION" && var.glue_database_names == tolist(["*"])) || alltrue([for i, v in var.catalogs : !(v.database_names != null)])
      error_message = join(" ", [for i, v in var.catalogs : "Invalid catalogs[${i}].database_names: ${jsonencode(v.database_names)}. These databases cannot be kept apart from the catalog's others: glue_database_names is [\"*\"] (its default), so the default catalog's Glue reads are on every database (database/*), and IAM wildcards span \"/\", so they also match database/${v.catalog_name}/<any database> (Glue has no condition key for names). For isolation, name the default catalog's databases in glue_database_names (names, or patterns that cannot match \"${v.catalog_name}/...\"; access_mode IAM or IAM_AND_LAKE_FORMATION); or leave catalogs[${i}].database_names unset to grant the whole catalog." if v.database_names != null])
    }
    precondition {
      condition     = !(var.access_mode != "LAKE_FORMATION" && var.glue_database_names != tolist(["*"])) || alltrue([for i, v in var.catalogs : !(v.database_names != null && length(local.catalogs_reached_by[i]) > 0)])
      error_message = join(" ", [for i, v in var.catalogs : "Invalid catalogs[${i}].database_names: ${jsonencode(v.database_names)}. These databases cannot be kept apart from the catalog's others: the glue_database_names pattern \"${local.catalogs_reached_by[i][0]}\" also matches databases of ${v.catalog_name}, and IAM wildcards span \"/\", so they also match database/${v.catalog_name}/<any database> (Glue has no condition key for names). For isolation, name the default catalog's databases in glue_database_names (names, or patterns that cannot match \"${v.catalog_name}/...\"; access_mode IAM or IAM_AND_LAKE_FORMATION); or leave catalogs[${i}].database_names unset to grant the whole catalog." if v.database_names != null && length(local.catalogs_reached_by[i]) > 0])
    }
  }
}

resource "aws_iam_policy" "query" {
  for_each = local.query_policies
  # Policy "0" keeps the name prefix of the single policy it was (a new prefix would replace it).
  name_prefix = each.key == "0" ? "${var.role_name}-query-" : "${var.role_name}-query-${each.key}-"
  path        = var.path
  description = "Qualytics dataplane: least-privilege Athena, Glue and S3 access for the Athena JDBC driver"
  policy      = each.value
  tags        = var.tags
  lifecycle {
    create_before_destroy = true
    precondition {
      condition     = length(each.value) <= 6144
      error_message = "The query policy ${each.key} is ${length(each.value)} characters, over IAM's limit of 6144 for a managed policy (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): give fewer or shorter work_group_names, glue_database_names (or a pattern such as \"sales_*\"), data_locations or kms_key_arns, or raise query_policy_count (now ${var.query_policy_count}, at most 19)."
    }
  }
}

# The query permissions were one policy before: it becomes policy "0", updated in place rather than replaced.
moved {
  from = aws_iam_policy.query
  to   = aws_iam_policy.query["0"]
}

# Each policy attached by a resource of its own, which detaches it on destroy: destroying the exclusive attachments
# below detaches nothing, and IAM deletes no policy or role while it is attached.
resource "aws_iam_role_policy_attachment" "this" {
  for_each   = merge({ for key, policy in aws_iam_policy.query : "query-${key}" => policy.arn }, { guardrails = aws_iam_policy.guardrails.arn })
  role       = aws_iam_role.this.name
  policy_arn = each.value
}

# The role's managed policies are exactly these: apply detaches any other attached by hand (its plan shows it).
resource "aws_iam_role_policy_attachments_exclusive" "this" {
  role_name   = aws_iam_role.this.name
  policy_arns = values(aws_iam_role_policy_attachment.this)[*].policy_arn
  lifecycle {
    precondition {
      condition     = var.query_policy_count + 1 <= var.max_managed_policies
      error_message = "The role would have ${var.query_policy_count + 1} managed policies (query_policy_count ${var.query_policy_count} and 1 other), over max_managed_policies ${var.max_managed_policies}, the account's quota of managed policies per identity (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): lower query_policy_count, or have the quota raised (up to 20, with Service Quotas) and set max_managed_policies to it."
    }
  }
}

# Lake Formation grants (access mode LAKE_FORMATION), none with a grant option. Applied in parallel: the provider
# retries Lake Formation's ConcurrentModificationException (README, "Lake Formation grants").
resource "aws_lakeformation_permissions" "database" {
  for_each    = local.lake_formation_described
  principal   = aws_iam_role.this.arn
  catalog_id  = local.account_id
  permissions = ["DESCRIBE"]
  database {
    catalog_id = local.account_id
    name       = each.key
  }
}

resource "aws_lakeformation_permissions" "tables" {
  for_each    = toset(local.lake_formation_databases)
  principal   = aws_iam_role.this.arn
  catalog_id  = local.account_id
  permissions = ["SELECT", "DESCRIBE"]
  table {
    catalog_id    = local.account_id
    database_name = each.key
    wildcard      = true
  }
}

resource "aws_lakeformation_permissions" "tagged_databases" {
  for_each    = local.lake_formation_expressions
  principal   = aws_iam_role.this.arn
  catalog_id  = local.account_id
  permissions = ["DESCRIBE"]
  lf_tag_policy {
    catalog_id    = local.account_id
    resource_type = "DATABASE"
    dynamic "expression" {
      for_each = each.value
      content {
        key    = expression.value.key
        values = expression.value.values
      }
    }
  }
}

resource "aws_lakeformation_permissions" "tagged_tables" {
  for_each    = local.lake_formation_expressions
  principal   = aws_iam_role.this.arn
  catalog_id  = local.account_id
  permissions = ["SELECT", "DESCRIBE"]
  lf_tag_policy {
    catalog_id    = local.account_id
    resource_type = "TABLE"
    dynamic "expression" {
      for_each = each.value
      content {
        key    = expression.value.key
        values = expression.value.values
      }
    }
  }
}

check "primary_work_group" {
  assert {
    condition     = !contains(var.work_group_names, "primary")
    error_message = "work_group_names includes \"primary\": the workgroups granted include primary, the default workgroup, which other principals often share. Athena authorizes athena:GetQueryResults on the workgroup, not on who ran the query, so these permissions can read the results of any query run in \"primary\" given its query ID (https://docs.aws.amazon.com/athena/latest/ug/workgroups-iam-policy.html). Create a workgroup for the connection (for example \"qualytics\", with its own query results location) and give it in work_group_names."
  }
}

check "max_session_duration_beyond_role_chaining" {
  assert {
    condition     = var.max_session_duration <= 3600
    error_message = "max_session_duration is ${var.max_session_duration} seconds: the target role allows sessions longer than the one hour role chaining can reach. The dataplane reaches this role by role chaining, and STS caps a chained session at one hour whatever the role allows (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining): the dataplane can never use the longer session. Leave max_session_duration at its default of 3600."
  }
}
