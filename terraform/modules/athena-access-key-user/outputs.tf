# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

output "user_arn" {
  description = "The IAM user whose access key the connection uses."
  value       = aws_iam_user.this.arn
}

output "user_name" {
  description = "The IAM user's name."
  value       = aws_iam_user.this.name
}

output "secret_arn" {
  description = "The secret holding accessKeyId and secretAccessKey of the newest access key, for the connection (Access Key authentication); never the key itself."
  value       = aws_secretsmanager_secret.access_key[local.current_version].arn
}

output "secret_arns" {
  description = "Every access key's secret, by version."
  value       = { for version, secret in aws_secretsmanager_secret.access_key : version => secret.arn }
}

output "secret_kms_key_arn" {
  description = "The KMS key that encrypts the secrets: reading them needs kms:Decrypt on it."
  value       = local.secret_key_arn
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
