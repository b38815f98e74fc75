import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AthenaRoleCredentials, AthenaRoleCredentialsProps } from './credentials';

/**
 * An AWS SDK v3 credential provider for Athena, Glue or S3 clients, backed by the cache of an
 * AthenaRoleCredentials (pass one to share its cache between clients, or its props to make one).
 *
 * Not part of the jsii API (it returns a function); import it by path:
 * `import { athenaRoleCredentialProvider } from 'qualytics-athena-iam/build/runtime/credential-provider'`.
 *
 * @example new AthenaClient({ region, credentials: athenaRoleCredentialProvider(credentials) })
 */
export function athenaRoleCredentialProvider(
  source: AthenaRoleCredentials | AthenaRoleCredentialsProps,
): AwsCredentialIdentityProvider {
  const credentials = source instanceof AthenaRoleCredentials ? source : new AthenaRoleCredentials(source);
  return async (): Promise<AwsCredentialIdentity> => {
    const c = await credentials.get();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
  };
}
