import { awsProfileSection, CredentialSource } from '../../runtime/aws-config';
import { Command } from '../command';
import { parseRoleFlags, requireFlags, ROLE_FLAGS } from '../flags';

/** `aws-profile`: prints an AWS config profile that assumes the target role natively. */
export const AWS_PROFILE_COMMAND: Command = {
  usage: `aws-profile --profile-name <name> --role-arn <arn> --region <region> --connection-id <id> [options]
  Prints an AWS config [profile <name>] section that assumes the target role natively (role_arn,
  external_id, role_session_name, credential_source); append it to the file AWS_CONFIG_FILE names.
  With IRSA it prints two profiles: [profile <name>-base] reads the service account token
  (web_identity_token_file) and assumes the base role, [profile <name>] assumes the target role from it
  (source_profile). Every AWS SDK and the AWS CLI read these natively: the image needs no Node.js.

  --profile-name <name>         the profile's name
${ROLE_FLAGS}
  --credential-source <source>  where the base identity comes from: EcsContainer (ECS, EKS Pod Identity;
                                the default), Ec2InstanceMetadata (instance role) or Environment
  --web-identity-token-file <f> IRSA: the service account token, e.g. "$AWS_WEB_IDENTITY_TOKEN_FILE"
                                (with --base-role-arn; instead of --credential-source)
  --base-role-arn <arn>         IRSA: the base role the service account may assume, e.g. "$AWS_ROLE_ARN"
  -h, --help                    print this help

  Exit codes: 0 profile printed, 2 the command line was wrong.`,
  run: async (args, _options, out) => {
    const irsaFlags = ['web-identity-token-file', 'base-role-arn'];
    const { settings, values } = parseRoleFlags(args, ['profile-name', 'credential-source', ...irsaFlags]);
    requireFlags(values, ['profile-name']);
    const credentialSource = values['credential-source'] as CredentialSource | undefined;
    const irsa = irsaFlags.some((flag) => values[flag] !== undefined);
    if (irsa) {
      requireFlags(values, irsaFlags);
    }
    out(awsProfileSection({
      ...settings,
      profileName: values['profile-name']!,
      credentialSource,
      webIdentity: irsa ? { tokenFile: values['web-identity-token-file']!, baseRoleArn: values['base-role-arn']! } : undefined,
    }));
    return 0;
  },
};
