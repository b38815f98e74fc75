# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

# Needs Terraform >= 1.11: run `terraform init` and `terraform test` in the module's folder. No AWS account is used.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "fake"
  secret_key                  = "fake"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  max_retries                 = 1
}

variables {
  results_bucket_name = "acme-athena-results"
  account_id          = "111122223333"
  work_group_names    = ["qualytics"]
}

run "one_key_whose_secret_is_written_only" {
  command = plan
  assert {
    condition     = length(aws_iam_access_key.this) == 1 && length(aws_secretsmanager_secret.access_key) == 1
    error_message = "The default is not one access key with one secret."
  }
  assert {
    condition     = aws_secretsmanager_secret_version.access_key["1"].secret_string == null
    error_message = "The secret version holds the key in the plan."
  }
  assert {
    condition     = length(aws_kms_key.secrets) == 1
    error_message = "No KMS key is created for the secrets when secret_kms_key_arn is null."
  }
  assert {
    condition     = toset(values(aws_iam_user_policy_attachment.this)[*].user) == toset([var.user_name]) && length(aws_iam_user_policy_attachment.this) == var.query_policy_count + 1
    error_message = "The user does not have exactly the query policies and the guardrails."
  }
}

run "rotation_keeps_two_keys" {
  command = plan
  variables {
    access_key_versions = [1, 2]
    secret_kms_key_arn  = "arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
  }
  assert {
    condition     = length(aws_iam_access_key.this) == 2 && length(aws_secretsmanager_secret.access_key) == 2
    error_message = "Two versions are not two keys with a secret each."
  }
  assert {
    condition     = length(aws_kms_key.secrets) == 0
    error_message = "A KMS key is created although secret_kms_key_arn is given."
  }
  assert {
    condition     = aws_secretsmanager_secret.access_key["2"].kms_key_id == "arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
    error_message = "The secrets are not encrypted with secret_kms_key_arn."
  }
}

run "refuses_user_name_format" {
  command = plan
  variables {
    user_name = "acme/athena"
  }
  expect_failures = [var.user_name]
}

run "refuses_path_format" {
  command = plan
  variables {
    path = "qualytics/"
  }
  expect_failures = [var.path]
}

run "refuses_work_group_names_empty" {
  command = plan
  variables {
    work_group_names = []
  }
  expect_failures = [var.work_group_names]
}

run "refuses_work_group_names_format" {
  command = plan
  variables {
    work_group_names = ["acme analysts"]
  }
  expect_failures = [var.work_group_names]
}

run "refuses_glue_database_names_empty" {
  command = plan
  variables {
    glue_database_names = []
  }
  expect_failures = [var.glue_database_names]
}

run "refuses_glue_database_names_name_format" {
  command = plan
  variables {
    glue_database_names = ["Sales"]
  }
  expect_failures = [var.glue_database_names]
}

run "refuses_glue_database_names_pattern_format" {
  command = plan
  variables {
    glue_database_names = ["Sales_*"]
  }
  expect_failures = [var.glue_database_names]
}

run "refuses_results_bucket_name_format" {
  command = plan
  variables {
    results_bucket_name = "Acme_Results"
  }
  expect_failures = [var.results_bucket_name]
}

run "refuses_results_bucket_name_refused_1" {
  command = plan
  variables {
    results_bucket_name = "192.168.5.4"
  }
  expect_failures = [var.results_bucket_name]
}

run "refuses_results_bucket_name_refused_2" {
  command = plan
  variables {
    results_bucket_name = "acme..results"
  }
  expect_failures = [var.results_bucket_name]
}

run "refuses_results_prefix_format" {
  command = plan
  variables {
    results_prefix = "/athena/results"
  }
  expect_failures = [var.results_prefix]
}

run "refuses_results_prefix_refused_1" {
  command = plan
  variables {
    results_prefix = "athena/$${aws:username}"
  }
  expect_failures = [var.results_prefix]
}

run "refuses_results_prefix_refused_2" {
  command = plan
  variables {
    results_prefix = "athena//results"
  }
  expect_failures = [var.results_prefix]
}

run "refuses_results_prefix_trailing_slash" {
  command = plan
  variables {
    results_prefix = "athena/results/"
  }
  expect_failures = [var.results_prefix]
}

run "refuses_data_locations_bucket_name_name_format" {
  command = plan
  variables {
    data_locations = [{ bucket_name = "Acme_Results" }]
  }
  expect_failures = [var.data_locations]
}

run "refuses_data_locations_bucket_name_name_refused_1" {
  command = plan
  variables {
    data_locations = [{ bucket_name = "192.168.5.4" }]
  }
  expect_failures = [var.data_locations]
}

run "refuses_data_locations_bucket_name_name_refused_2" {
  command = plan
  variables {
    data_locations = [{ bucket_name = "acme..results" }]
  }
  expect_failures = [var.data_locations]
}

run "refuses_data_locations_bucket_name_pattern_format" {
  command = plan
  variables {
    data_locations = [{ bucket_name = "a*" }]
  }
  expect_failures = [var.data_locations]
}

run "refuses_data_locations_prefix_format" {
  command = plan
  variables {
    data_locations = [{ bucket_name = "acme-lake", prefix = "/warehouse/team-*" }]
  }
  expect_failures = [var.data_locations]
}

run "refuses_data_locations_prefix_refused_1" {
  command = plan
  variables {
    data_locations = [{ bucket_name = "acme-lake", prefix = "athena/$${aws:username}" }]
  }
  expect_failures = [var.data_locations]
}

run "refuses_data_locations_prefix_refused_2" {
  command = plan
  variables {
    data_locations = [{ bucket_name = "acme-lake", prefix = "athena//results" }]
  }
  expect_failures = [var.data_locations]
}

run "refuses_data_locations_prefix_trailing_slash" {
  command = plan
  variables {
    data_locations = [{ bucket_name = "acme-lake", prefix = "warehouse/" }]
  }
  expect_failures = [var.data_locations]
}

run "refuses_kms_key_arns_format" {
  command = plan
  variables {
    kms_key_arns = ["alias/acme"]
  }
  expect_failures = [var.kms_key_arns]
}

run "refuses_managed_query_results_kms_key_arn_format" {
  command = plan
  variables {
    managed_query_results_kms_key_arn = "alias/acme"
  }
  expect_failures = [var.managed_query_results_kms_key_arn]
}

run "refuses_catalog_name_format" {
  command = plan
  variables {
    catalog_name = "my catalog"
  }
  expect_failures = [var.catalog_name]
}

run "refuses_catalogs_catalog_name_s3_tables_format" {
  command = plan
  variables {
    catalogs = [{ catalog_name = "s3tablescatalog/Acme_Tables" }]
  }
  expect_failures = [var.catalogs]
}

run "refuses_catalogs_catalog_name_s3_tables_refused_1" {
  command = plan
  variables {
    catalogs = [{ catalog_name = "s3tablescatalog/aws-tables" }]
  }
  expect_failures = [var.catalogs]
}

run "refuses_catalogs_catalog_name_glue_format" {
  command = plan
  variables {
    catalogs = [{ catalog_name = "partner_*" }]
  }
  expect_failures = [var.catalogs]
}

run "refuses_catalogs_catalog_name_glue_refused_1" {
  command = plan
  variables {
    catalogs = [{ catalog_name = "awsdatacatalog" }]
  }
  expect_failures = [var.catalogs]
}

run "refuses_catalogs_catalog_name_once" {
  command = plan
  variables {
    catalogs = [{ catalog_name = "partner_catalog" }, { catalog_name = "partner_catalog" }]
  }
  expect_failures = [var.catalogs]
}

run "refuses_catalogs_data_source_name_format" {
  command = plan
  variables {
    catalogs = [{ catalog_name = "partner_catalog", data_source_name = "my catalog" }]
  }
  expect_failures = [var.catalogs]
}

run "refuses_catalogs_database_names_empty" {
  command = plan
  variables {
    catalogs = [{ catalog_name = "partner_catalog", database_names = [] }]
  }
  expect_failures = [var.catalogs]
}

run "refuses_catalogs_database_names_only_wildcards" {
  command = plan
  variables {
    catalogs = [{ catalog_name = "partner_catalog", database_names = ["*"] }]
  }
  expect_failures = [var.catalogs]
}

run "refuses_catalogs_database_names_name_format" {
  command = plan
  variables {
    catalogs = [{ catalog_name = "partner_catalog", database_names = ["Sales"] }]
  }
  expect_failures = [var.catalogs]
}

run "refuses_catalogs_database_names_pattern_format" {
  command = plan
  variables {
    catalogs = [{ catalog_name = "partner_catalog", database_names = ["Sales_*"] }]
  }
  expect_failures = [var.catalogs]
}

run "refuses_catalogs_database_names_namespace_format" {
  command = plan
  variables {
    catalogs = [{ catalog_name = "s3tablescatalog/analytics-tables", database_names = ["sales-eu"] }]
  }
  expect_failures = [var.catalogs]
}

run "refuses_catalogs_database_names_namespace_refused_1" {
  command = plan
  variables {
    catalogs = [{ catalog_name = "s3tablescatalog/analytics-tables", database_names = ["aws_logs"] }]
  }
  expect_failures = [var.catalogs]
}

run "refuses_catalogs_lake_formation_vends_credentials_s3_tables" {
  command = plan
  variables {
    catalogs = [{ catalog_name = "partner_catalog", lake_formation_vends_credentials = false }]
  }
  expect_failures = [var.catalogs]
}

run "refuses_access_mode_value" {
  command = plan
  variables {
    access_mode = "lake-formation"
  }
  expect_failures = [var.access_mode]
}

run "refuses_lake_formation_tag_expressions_tags_keys" {
  command = plan
  variables {
    lake_formation_tag_expressions = [{ tags = {} }]
  }
  expect_failures = [var.lake_formation_tag_expressions]
}

run "refuses_lake_formation_tag_expressions_tags_key_format" {
  command = plan
  variables {
    lake_formation_tag_expressions = [{ tags = { "dom#ain" = ["sales"] } }]
  }
  expect_failures = [var.lake_formation_tag_expressions]
}

run "refuses_lake_formation_tag_expressions_tags_values" {
  command = plan
  variables {
    lake_formation_tag_expressions = [{ tags = { domain = [] } }]
  }
  expect_failures = [var.lake_formation_tag_expressions]
}

run "refuses_lake_formation_tag_expressions_tags_value_format" {
  command = plan
  variables {
    lake_formation_tag_expressions = [{ tags = { domain = ["sa#les"] } }]
  }
  expect_failures = [var.lake_formation_tag_expressions]
}

run "refuses_lake_formation_tag_expressions_once" {
  command = plan
  variables {
    lake_formation_tag_expressions = [{ tags = { domain = ["sales", "finance"] } }, { tags = { domain = ["finance", "sales", "sales"] } }]
  }
  expect_failures = [var.lake_formation_tag_expressions]
}

run "refuses_secret_kms_key_arn_format" {
  command = plan
  variables {
    secret_kms_key_arn = "alias/acme"
  }
  expect_failures = [var.secret_kms_key_arn]
}

run "refuses_access_key_versions_versions" {
  command = plan
  variables {
    access_key_versions = [1, 1]
  }
  expect_failures = [var.access_key_versions]
}

run "refuses_account_id_format" {
  command = plan
  variables {
    account_id = "1111-2222-3333"
  }
  expect_failures = [var.account_id]
}

run "refuses_query_policy_count_range" {
  command = plan
  variables {
    query_policy_count = 0
  }
  expect_failures = [var.query_policy_count]
}

run "refuses_max_managed_policies_range" {
  command = plan
  variables {
    max_managed_policies = 21
  }
  expect_failures = [var.max_managed_policies]
}
