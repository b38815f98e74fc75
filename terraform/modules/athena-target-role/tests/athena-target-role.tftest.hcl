# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

# Needs Terraform >= 1.6: run `terraform init` and `terraform test` in the module's folder. No AWS account is used.

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
  trusted_role_arn    = "arn:aws:iam::315179787488:role/acme-dataplane-role"
  external_id         = "qualytics-7f3a9c2e"
  results_bucket_name = "acme-athena-results"
  account_id          = "111122223333"
  work_group_names    = ["qualytics"]
}

run "trust_requires_the_external_id" {
  command = plan
  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Principal.AWS == var.trusted_role_arn
    error_message = "The trust names another principal than trusted_role_arn."
  }
  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition == jsondecode("{\"StringEquals\":{\"sts:ExternalId\":\"qualytics-7f3a9c2e\"},\"StringLike\":{\"sts:RoleSessionName\":\"qualytics-athena-*\"}}")
    error_message = "The trust's AssumeRole conditions are not the External ID and session name prefix."
  }
  assert {
    condition     = output.output_location == "s3://acme-athena-results/qualytics-athena-results/"
    error_message = "output_location is not the results folder."
  }
}

run "trust_requires_the_organization" {
  command = plan
  variables {
    trusted_organization_id = "o-a1b2c3d4e5"
  }
  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition == jsondecode("{\"StringEquals\":{\"sts:ExternalId\":\"qualytics-7f3a9c2e\",\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"},\"StringLike\":{\"sts:RoleSessionName\":\"qualytics-athena-*\"}}")
    error_message = "The trust's AssumeRole conditions do not require the organization."
  }
}

run "managed_query_results_have_no_output_location" {
  command = plan
  variables {
    managed_query_results = true
    results_bucket_name   = null
  }
  assert {
    condition     = output.output_location == null
    error_message = "output_location is set with managed query results, where the connection must send none."
  }
}

run "query_policy_names_the_given_resources" {
  command = plan
  variables {
    glue_database_names = ["sales"]
    data_locations      = [{ bucket_name = "acme-lake", prefix = "warehouse" }]
  }
  assert {
    condition     = contains(flatten([for s in flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement]) : try(s.Resource, [])]), "arn:aws:athena:us-east-1:111122223333:workgroup/qualytics")
    error_message = "The query policy does not name arn:aws:athena:us-east-1:111122223333:workgroup/qualytics."
  }
  assert {
    condition     = contains(flatten([for s in flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement]) : try(s.Resource, [])]), "arn:aws:glue:us-east-1:111122223333:database/sales")
    error_message = "The query policy does not name arn:aws:glue:us-east-1:111122223333:database/sales."
  }
  assert {
    condition     = contains(flatten([for s in flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement]) : try(s.Resource, [])]), "arn:aws:glue:us-east-1:111122223333:table/sales/*")
    error_message = "The query policy does not name arn:aws:glue:us-east-1:111122223333:table/sales/*."
  }
  assert {
    condition     = contains(flatten([for s in flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement]) : try(s.Resource, [])]), "arn:aws:s3:::acme-athena-results/qualytics-athena-results/*")
    error_message = "The query policy does not name arn:aws:s3:::acme-athena-results/qualytics-athena-results/*."
  }
  assert {
    condition     = contains(flatten([for s in flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement]) : try(s.Resource, [])]), "arn:aws:s3:::acme-lake/warehouse/*")
    error_message = "The query policy does not name arn:aws:s3:::acme-lake/warehouse/*."
  }
  assert {
    condition     = !contains(flatten([for s in flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement]) : try(s.Resource, [])]), "arn:aws:glue:us-east-1:111122223333:table/*/*")
    error_message = "The query policy names the tables of every database."
  }
}

run "data_locations_are_listed_by_bucket" {
  command = plan
  variables {
    data_locations = [{ bucket_name = "acme-lake", prefix = "warehouse" }, { bucket_name = "acme-lake", prefix = "staging" }, { bucket_name = "acme-raw" }]
  }
  assert {
    condition     = anytrue([for s in flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement]) : contains(s.Action, "s3:ListBucket") && s.Resource == ["arn:aws:s3:::acme-lake"] && try(s.Condition, null) == { StringLike = { "s3:prefix" = ["warehouse/*", "staging/*"] } }])
    error_message = "acme-lake is not listed under its two folders, in one statement."
  }
  assert {
    condition     = !anytrue([for s in flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement]) : contains(s.Action, "s3:ListBucket") && contains(s.Resource, "arn:aws:s3:::acme-lake") && try(s.Condition, null) == null])
    error_message = "acme-lake, whose locations all have a folder, is listed whole."
  }
  assert {
    condition     = anytrue([for s in flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement]) : contains(s.Action, "s3:ListBucket") && s.Resource == ["arn:aws:s3:::acme-raw"] && try(s.Condition, null) == null])
    error_message = "acme-raw, given without a folder, is not listed whole."
  }
}

run "catalogs_are_read_as_given" {
  command = plan
  variables {
    glue_database_names = ["sales"]
    catalogs            = [{ catalog_name = "s3tablescatalog/analytics-tables", database_names = ["sales"] }, { catalog_name = "partner_catalog", data_source_name = "partner" }]
  }
  assert {
    condition     = contains(flatten([for s in flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement]) : try(s.Resource, [])]), "arn:aws:glue:us-east-1:111122223333:catalog/s3tablescatalog")
    error_message = "The query policy does not name arn:aws:glue:us-east-1:111122223333:catalog/s3tablescatalog."
  }
  assert {
    condition     = contains(flatten([for s in flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement]) : try(s.Resource, [])]), "arn:aws:glue:us-east-1:111122223333:catalog/s3tablescatalog/analytics-tables")
    error_message = "The query policy does not name arn:aws:glue:us-east-1:111122223333:catalog/s3tablescatalog/analytics-tables."
  }
  assert {
    condition     = contains(flatten([for s in flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement]) : try(s.Resource, [])]), "arn:aws:glue:us-east-1:111122223333:database/s3tablescatalog/analytics-tables/sales")
    error_message = "The query policy does not name arn:aws:glue:us-east-1:111122223333:database/s3tablescatalog/analytics-tables/sales."
  }
  assert {
    condition     = contains(flatten([for s in flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement]) : try(s.Resource, [])]), "arn:aws:glue:us-east-1:111122223333:database/partner_catalog/*")
    error_message = "The query policy does not name arn:aws:glue:us-east-1:111122223333:database/partner_catalog/*."
  }
  assert {
    condition     = anytrue([for s in flatten([for policy in aws_iam_policy.query : jsondecode(policy.policy).Statement]) : contains(s.Action, "s3tables:GetNamespace") && s.Resource == ["arn:aws:s3tables:us-east-1:111122223333:bucket/analytics-tables"] && try(s.Condition, null) == { StringLike = { "s3tables:namespace" = ["sales"] } }])
    error_message = "The namespaces of analytics-tables are not read under the s3tables:namespace condition."
  }
}

run "refuses_trusted_role_arn_format" {
  command = plan
  variables {
    trusted_role_arn = "arn:aws:iam::123456789012:user/acme"
  }
  expect_failures = [var.trusted_role_arn]
}

run "refuses_external_id_format" {
  command = plan
  variables {
    external_id = "two words"
  }
  expect_failures = [var.external_id]
}

run "refuses_external_id_refused_1" {
  command = plan
  variables {
    external_id = "315179787488"
  }
  expect_failures = [var.external_id]
}

run "refuses_role_name_format" {
  command = plan
  variables {
    role_name = "acme/athena"
  }
  expect_failures = [var.role_name]
}

run "refuses_trusted_organization_id_format" {
  command = plan
  variables {
    trusted_organization_id = "o-ABC"
  }
  expect_failures = [var.trusted_organization_id]
}

run "refuses_session_name_prefix_format" {
  command = plan
  variables {
    session_name_prefix = "qualytics athena"
  }
  expect_failures = [var.session_name_prefix]
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

run "refuses_path_format" {
  command = plan
  variables {
    path = "qualytics/"
  }
  expect_failures = [var.path]
}

run "refuses_max_session_duration_range" {
  command = plan
  variables {
    max_session_duration = 900
  }
  expect_failures = [var.max_session_duration]
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
