import { AthenaCredentials } from './credentials';
import { assertValid, AssumeRoleSettings, checkAssumeRoleSettings, profileNameProblem } from './rules';
import { roleArnProblem } from '../model/rules';

/**
 * Hands the target role to clients that read the standard AWS configuration (the AWS CLI, every AWS SDK,
 * and so the Athena JDBC driver v3 with `CredentialsProvider=ProfileCredentials`). Not part of the jsii API;
 * used by the command line (`cli.ts`).
 *
 * - `credential_process` output: https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html
 * - Assume role settings (`role_arn`, `external_id`, `role_session_name`, `duration_seconds`, `credential_source`,
 *   `source_profile`, `web_identity_token_file`):
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

/** IRSA: the base identity is a role assumed with the pod's service account token (AssumeRoleWithWebIdentity). */
export interface WebIdentityBase {
  /** The token file, as EKS sets it in `AWS_WEB_IDENTITY_TOKEN_FILE`. */
  readonly tokenFile: string;
  /** The base role, as EKS sets it in `AWS_ROLE_ARN`. */
  readonly baseRoleArn: string;
}

/** What an AWS config profile for the target role says. */
export interface AwsProfileSettings extends AssumeRoleSettings {
  /** Name of the profile, e.g. `qualytics-athena`. */
  readonly profileName: string;
  /** Where the base identity comes from. Default: `EcsContainer` (EKS Pod Identity). Not with `webIdentity`. */
  readonly credentialSource?: CredentialSource;
  /** IRSA: a `<profileName>-base` profile assumes the base role with the token, and is the `source_profile`. */
  readonly webIdentity?: WebIdentityBase;
}

/**
 * The `[profile <name>]` section (and, with an STS endpoint override, its `[services ...]` section) that makes
 * any AWS SDK or the AWS CLI assume the target role natively, with the External ID and session name.
 */
export function awsProfileSection(settings: AwsProfileSettings): string {
  assertValid('profileName', settings.profileName, profileNameProblem(settings.profileName));
  const { webIdentity } = settings;
  if (webIdentity !== undefined) {
    assertValid('credentialSource', settings.credentialSource, settings.credentialSource === undefined ? undefined
      : 'expected none with webIdentity: the base identity comes from the web identity token');
    assertValid('webIdentity.baseRoleArn', webIdentity.baseRoleArn, roleArnProblem(webIdentity.baseRoleArn));
    assertValid('webIdentity.tokenFile', webIdentity.tokenFile, /^[^\s]+$/.test(webIdentity.tokenFile) ? undefined
      : 'expected the path of the service account token file, without whitespace, e.g. /var/run/secrets/eks.amazonaws.com/serviceaccount/token');
  }
  const source = settings.credentialSource ?? CredentialSource.ECS_CONTAINER;
  assertValid('credentialSource', source, Object.values(CredentialSource).includes(source) ? undefined
    : `expected one of ${Object.values(CredentialSource).join(', ')}`);
  const checked = checkAssumeRoleSettings(settings);
  const servicesName = `${settings.profileName}-endpoints`;
  const baseProfile = `${settings.profileName}-base`;
  /** A profile's closing lines: where it gets its identity, and the same region and STS endpoint for each AssumeRole. */
  const closing = (identity: string) => [
    `region = ${settings.region}`,
    identity,
    // The regional STS endpoint of `region` (the AWS CLI v1 otherwise uses the global one for some regions).
    'sts_regional_endpoints = regional',
    ...(checked.stsEndpoint === undefined ? [] : [`services = ${servicesName}`]),
  ];
  const lines = [
    `# Target role for connection ${JSON.stringify(settings.connectionId)}, written by qualytics-athena-iam aws-profile.`,
    ...(webIdentity === undefined ? [] : [
      '# IRSA: the base role, assumed with the service account token (AssumeRoleWithWebIdentity).',
      `[profile ${baseProfile}]`,
      `role_arn = ${webIdentity.baseRoleArn}`,
      ...closing(`web_identity_token_file = ${webIdentity.tokenFile}`),
      '',
    ]),
    `[profile ${settings.profileName}]`,
    `role_arn = ${settings.roleArn}`,
    ...(settings.externalId === undefined ? [] : [`external_id = ${settings.externalId}`]),
    `role_session_name = ${checked.roleSessionName}`,
    `duration_seconds = ${checked.durationSeconds}`,
    ...closing(webIdentity === undefined ? `credential_source = ${source}` : `source_profile = ${baseProfile}`),
  ];
  if (checked.stsEndpoint !== undefined) {
    lines.push('', `[services ${servicesName}]`, 'sts =', `  endpoint_url = ${checked.stsEndpoint}`);
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
