import { AthenaCredentials } from './credentials';
import { assertValid, AssumeRoleSettings, checkAssumeRoleSettings, profileNameProblem } from './rules';

/**
 * Hands the target role to clients that read the standard AWS configuration (the AWS CLI, every AWS SDK,
 * and so the Athena JDBC driver v3 with `CredentialsProvider=ProfileCredentials`). Not part of the jsii API;
 * used by the command line (`cli.ts`).
 *
 * - `credential_process` output: https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html
 * - Assume role settings (`role_arn`, `external_id`, `role_session_name`, `duration_seconds`, `credential_source`):
 *   https://docs.aws.amazon.com/sdkref/latest/guide/feature-assume-role-credentials.html
 * - Service-specific endpoints (`services` section, `endpoint_url`):
 *   https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 * - `sts_regional_endpoints`: https://docs.aws.amazon.com/sdkref/latest/guide/feature-sts-regionalized-endpoints.html
 */

/** Where the SDK finds the base identity that assumes the role (`credential_source`). */
export enum CredentialSource {
  /** `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`) in the environment. */
  ENVIRONMENT = 'Environment',
  /** The container credentials endpoint: ECS task roles and EKS Pod Identity. */
  ECS_CONTAINER = 'EcsContainer',
  /** The EC2 instance profile (e.g. an EKS node role) through the instance metadata service. */
  EC2_INSTANCE_METADATA = 'Ec2InstanceMetadata',
}

/** What an AWS config profile for the target role says. */
export interface AwsProfileSettings extends AssumeRoleSettings {
  /** Name of the profile, e.g. `qualytics-athena`. */
  readonly profileName: string;
  /** Where the base identity comes from. Default: `EcsContainer` (EKS Pod Identity). */
  readonly credentialSource?: CredentialSource;
}

/**
 * The `[profile <name>]` section (and, with an STS endpoint override, its `[services ...]` section) that makes
 * any AWS SDK or the AWS CLI assume the target role natively, with the External ID and session name.
 */
export function awsProfileSection(settings: AwsProfileSettings): string {
  assertValid('profileName', settings.profileName, profileNameProblem(settings.profileName));
  const source = settings.credentialSource ?? CredentialSource.ECS_CONTAINER;
  assertValid('credentialSource', source, Object.values(CredentialSource).includes(source) ? undefined
    : `expected one of ${Object.values(CredentialSource).join(', ')}`);
  const checked = checkAssumeRoleSettings(settings);
  const servicesName = `${settings.profileName}-endpoints`;
  const lines = [
    `# Target role for connection ${JSON.stringify(settings.connectionId)}, written by qualytics-athena-iam aws-profile.`,
    `[profile ${settings.profileName}]`,
    `role_arn = ${settings.roleArn}`,
    ...(settings.externalId === undefined ? [] : [`external_id = ${settings.externalId}`]),
    `role_session_name = ${checked.roleSessionName}`,
    `duration_seconds = ${checked.durationSeconds}`,
    `region = ${settings.region}`,
    `credential_source = ${source}`,
    // The regional STS endpoint of `region` (the AWS CLI v1 otherwise uses the global one for some regions).
    'sts_regional_endpoints = regional',
  ];
  if (checked.stsEndpoint !== undefined) {
    lines.push(`services = ${servicesName}`, '', `[services ${servicesName}]`, 'sts =', `  endpoint_url = ${checked.stsEndpoint}`);
  }
  return lines.join('\n');
}

/** The JSON a `credential_process` prints: version 1, the keys, the session token and the expiry (ISO 8601). */
export function credentialProcessOutput(credentials: AthenaCredentials): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: credentials.expiration.toISOString(),
  });
}
