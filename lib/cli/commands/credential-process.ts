import { credentialProcessOutput } from '../../runtime/aws-config';
import { AthenaRoleCredentials } from '../../runtime/credentials';
import { AssumeRoleError } from '../../runtime/errors';
import { CREDENTIAL_PROCESS_MARKER, RECURSION_MESSAGE } from '../../runtime/recursion';
import { CliOptions, Command } from '../command';
import { ENDPOINTS, parseRoleFlags, ROLE_FLAGS } from '../flags';

/** `credential-process`: prints the target role's credentials as AWS credential_process JSON. */
export const CREDENTIAL_PROCESS_COMMAND: Command = {
  usage: `credential-process --role-arn <arn> --region <region> --connection-id <id> [options]
  Prints the target role's credentials as AWS credential_process JSON, for an AWS config profile:
    credential_process = npx qualytics-athena-iam credential-process --role-arn ... --region ... --connection-id ...
  The base identity comes from the AWS SDK's default chain (environment, EKS Pod Identity, IRSA, instance role).

${ROLE_FLAGS}
  -h, --help                    print this help
${ENDPOINTS}

  Exit codes: 0 credentials printed, 1 AssumeRole failed (nothing on stdout; stderr says what to check),
  2 the command line was wrong.`,
  run: (args, options, out, err) => credentialProcess(args, options, out, err),
};

async function credentialProcess(args: string[], options: CliOptions, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { settings } = parseRoleFlags(args, []);
  if (process.env[CREDENTIAL_PROCESS_MARKER]) {
    // The credential-process that started this one reports it, with what to do; this message is how it knows.
    err(`${RECURSION_MESSAGE}: its base identity must not come from the profile that runs credential-process.`);
    return 1;
  }
  process.env[CREDENTIAL_PROCESS_MARKER] = '1';
  const credentials = new AthenaRoleCredentials({ ...settings, baseCredentials: options.baseCredentials });
  try {
    const c = await credentials.get();
    out(credentialProcessOutput(c));
    return 0;
  } catch (e) {
    // An AssumeRoleError's message ends with what to check for its kind of failure: print it once, alone.
    err(`qualytics-athena-iam credential-process: ${e instanceof Error ? e.message : String(e)}`);
    if (!(e instanceof AssumeRoleError)) {
      err('Check the base credentials (environment, EKS Pod Identity, IRSA or instance role) and network access to STS.');
    }
    return 1;
  } finally {
    delete process.env[CREDENTIAL_PROCESS_MARKER];
    credentials.close();
  }
}
