# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

output "role_arn" {
  description = "Role ARN for the Athena connection (IAM Role authentication)."
  value       = aws_iam_role.this.arn
}

output "external_id" {
  description = "External ID for the Athena connection."
  value       = var.external_id
}

output "host" {
  description = "Host for the Athena connection."
  value       = "athena.${data.aws_region.current.name}.${data.aws_partition.current.dns_suffix}"
}

output "work_group" {
  description = "Athena workgroup for the connection."
  value       = var.work_group_names[0]
}

output "output_location" {
  description = "S3 output location for query results; null with managed query results (the connection must send none)."
  value       = var.managed_query_results ? null : "s3://${local.results_bucket_name}/${local.results_prefix}/"
}
