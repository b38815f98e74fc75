# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.

output "role_arn" {
  description = "The base role's ARN: the principal every Athena target role trusts."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "The base role's name."
  value       = aws_iam_role.this.name
}

output "chart_values" {
  description = "Values for the self-hosted dataplane chart (save as a file and pass with helm upgrade -f)."
  value       = jsonencode({ dataplane = { rbac = { serviceAccountAnnotations = local.pod_identity ? {} : { "eks.amazonaws.com/role-arn" = aws_iam_role.this.arn } } } })
}

output "service_account_annotation" {
  description = "IRSA: the annotation the dataplane's service account needs; null with Pod Identity."
  value       = local.pod_identity ? null : "eks.amazonaws.com/role-arn: ${aws_iam_role.this.arn}"
}

output "pod_identity_association_arn" {
  description = "The Pod Identity association, when the module created it."
  value       = one(aws_eks_pod_identity_association.this[*].association_arn)
}
