/**
 * A key policy statement that lets only AWS services create grants on the key: `kms:CreateGrant` is denied, to
 * every principal, unless the grant is for an AWS resource or the caller is an AWS service. AWS Control Tower's
 * proactive control CT.KMS.PR.3 requires it of every key
 * (https://docs.aws.amazon.com/controltower/latest/controlreference/kms-rules.html#ct-kms-pr-3-description).
 * Services that encrypt with the key directly, such as Secrets Manager, S3 and Athena, need no grant.
 */
export const CREATE_GRANT_ONLY_FOR_AWS_SERVICES = {
  sid: 'CreateGrantOnlyForAwsServices',
  actions: ['kms:CreateGrant'],
  resources: ['*'],
  conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};
