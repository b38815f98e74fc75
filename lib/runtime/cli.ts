import { parseArgs } from 'node:util';
import { StepResult, verifyConnection, VerifyOptions } from './verify';

/**
 * The command line: `npx qualytics-athena-iam verify ...`. Not part of the jsii API.
 */

/** Where the command line writes, and what tests override. */
export interface CliOptions {
  /** Writes one line of normal output. Default: stdout. */
  readonly out?: (line: string) => void;
  /** Writes one line of error output. Default: stderr. */
  readonly err?: (line: string) => void;
  /** Verify settings that have no flag, e.g. endpoint overrides, base credentials and retry delays. */
  readonly verify?: Partial<VerifyOptions>;
}

const USAGE = `Usage: qualytics-athena-iam verify --host <athena host> --role-arn <role ARN> --external-id <id> [options]

Checks a deployed target role the way Qualytics will use it. Run it with the credentials of the base
identity the role trusts (e.g. AWS_PROFILE=<base role profile>).

  --host <host>              the connection's Host, athena.<region>.amazonaws.com
  --role-arn <arn>           the target role
  --external-id <id>         the External ID its trust policy requires
  --workgroup <name>         the Athena workgroup (default: primary)
  --output-location <s3uri>  query results location, if the workgroup sets none
  --connection-id <id>       session name suffix, qualytics-athena-<id> (default: verify)

Exit codes: 0 every check passed, 1 a check failed, 2 the command line was wrong.`;

/** Runs the command line; resolves to the process exit code. */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'verify') {
    err(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  let verifyOptions: VerifyOptions;
  try {
    verifyOptions = { ...options.verify, ...parseVerifyArgs(rest) };
  } catch (e) {
    err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  out(`Verifying ${verifyOptions.roleArn} for ${verifyOptions.host}, workgroup ${verifyOptions.workgroup}`);
  const results = await verifyConnection(verifyOptions, (result) => printResult(result, out));
  const failed = results.filter((r) => r.status === 'FAIL').length;
  out(failed === 0 ? `All ${results.length} checks passed.` : `${failed} of ${results.length} checks failed.`);
  return failed === 0 ? 0 : 1;
}

function parseVerifyArgs(args: string[]): Pick<VerifyOptions, 'host' | 'roleArn' | 'externalId' | 'workgroup' | 'outputLocation' | 'connectionId'> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'host': { type: 'string' },
      'role-arn': { type: 'string' },
      'external-id': { type: 'string' },
      'workgroup': { type: 'string', default: 'primary' },
      'output-location': { type: 'string' },
      'connection-id': { type: 'string' },
    },
  });
  const missing = ['host', 'role-arn', 'external-id'].filter((name) => !values[name as 'host']);
  if (missing.length > 0) {
    throw new Error(`Missing ${missing.map((m) => `--${m}`).join(', ')}. verify needs the External ID so it can check `
      + 'that the role refuses AssumeRole without it.');
  }
  return {
    host: values.host!,
    roleArn: values['role-arn']!,
    externalId: values['external-id']!,
    workgroup: values.workgroup!,
    outputLocation: values['output-location'],
    connectionId: values['connection-id'],
  };
}

function printResult(result: StepResult, out: (line: string) => void): void {
  out(`${result.status}  ${result.step.padEnd(21)} ${result.detail}`);
  if (result.hint) {
    out(`      hint: ${result.hint}`);
  }
}
