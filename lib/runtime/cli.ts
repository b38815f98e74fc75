import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { awsProfileSection, credentialProcessOutput, CredentialSource } from './aws-config';
import { AthenaRoleCredentials, BaseCredentials } from './credentials';
import { AssumeRoleError, SettingValidationError } from './errors';
import { CREDENTIAL_PROCESS_MARKER, RECURSION_MESSAGE } from './recursion';
import { assertValid, AssumeRoleSettings, endpointUrlProblem } from './rules';
import { StepResult, verifyConnection, VerifyEndpoints, VerifyOptions } from './verify';

/**
 * The command line: `npx qualytics-athena-iam <verify|credential-process|aws-profile|synth> ...`. Not part of the jsii API.
 */

/** Where the command line writes, and what tests override. */
export interface CliOptions {
  /** Writes one line of normal output. Default: stdout. */
  readonly out?: (line: string) => void;
  /** Writes one line of error output. Default: stderr. */
  readonly err?: (line: string) => void;
  /** Verify settings that have no flag, e.g. endpoint overrides, base credentials and retry delays. */
  readonly verify?: Partial<VerifyOptions>;
  /** Base credentials for credential-process. Default: the AWS SDK's default chain. */
  readonly baseCredentials?: BaseCredentials;
}

const ROLE_FLAGS = `  --role-arn <arn>              the target role
  --region <region>             the connection's region, e.g. us-east-1
  --connection-id <id>          session name suffix: <prefix><id>
  --external-id <id>            the External ID the role's trust policy requires
  --session-name-prefix <p>     the prefix the role's trust allows (default: qualytics-athena-)
  --duration-seconds <n>        session length, 900-3600 (default: 3600; role chaining caps it at 3600)
  --sts-endpoint <url>          STS endpoint instead of the regional one, e.g. an interface VPC endpoint`;

const ENDPOINTS = `
  Endpoints: the flag, else AWS_ENDPOINT_URL_<SERVICE> (e.g. AWS_ENDPOINT_URL_STS), else AWS_ENDPOINT_URL,
  else the regional endpoint.`;

/** The services whose endpoint verify takes on its command line, as --<service>-endpoint. */
const VERIFY_SERVICES: ReadonlyArray<keyof VerifyEndpoints> = ['sts', 'athena', 'glue', 's3'];

/** One subcommand: its usage text (printed by `<command> --help`) and what it runs. */
interface Command {
  readonly usage: string;
  readonly run: (args: string[], options: CliOptions, out: (line: string) => void, err: (line: string) => void) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  'verify': {
    usage: `verify --host <athena host> --role-arn <role ARN> (--external-id <id> | --no-external-id) [options]
  Checks a deployed target role the way Qualytics will use it. Run it with the credentials of the base
  identity the role trusts (e.g. AWS_PROFILE=<base role profile>).

  --host <host>                 the connection's Host, athena.<region>.amazonaws.com
  --role-arn <arn>              the target role
  --external-id <id>            the External ID its trust policy requires
  --no-external-id              verify a role that has no External ID (reported as a warning)
  --workgroup <name>            the Athena workgroup (default: primary)
  --output-location <s3uri>     query results location, if the workgroup sets none
  --connection-id <id>          session name suffix, <prefix><id> (default: verify)
  --session-name-prefix <p>     the prefix the role's trust allows (default: qualytics-athena-)
  --sts-endpoint <url>          STS endpoint, e.g. an interface VPC endpoint https://vpce-....sts.<region>.vpce.amazonaws.com
  --athena-endpoint <url>       Athena endpoint (an interface VPC endpoint; the connection Host stays the regional name)
  --glue-endpoint <url>         Glue endpoint
  --s3-endpoint <url>           S3 endpoint (requests are path-style)
  --json                        print the steps as one JSON document instead of lines
  -h, --help                    print this help
${ENDPOINTS}

  Exit codes: 0 every check passed (warnings included), 1 a check failed, 2 the command line was wrong.`,
    run: (args, options, out) => verify(args, options, out),
  },
  'credential-process': {
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
  },
  'aws-profile': {
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
  },
  'synth': {
    usage: `synth --config <file> [--output <dir>]
  Synthesizes the CloudFormation template a deployment config describes, without a CDK app of your own.
  The config (JSON) is checked against the schema shipped at
  node_modules/qualytics-athena-iam/schema/athena-access.schema.json, then the constructs check every value
  and aws-cdk-lib validates the resources against the CloudFormation resource schemas. Writes a cloud assembly:
  <dir>/<stack name>.template.json, which needs no CDK bootstrap, and <dir>/<stack name>.access-report.md.
  Deploy it with: aws cloudformation deploy --template-file <dir>/<stack name>.template.json \\
                    --stack-name <stack name> --capabilities CAPABILITY_NAMED_IAM
  or: npx cdk deploy --app <dir>
  Needs aws-cdk-lib and constructs installed next to this package (its peer dependencies).

  --config <file>               the deployment config (JSON)
  --output <dir>                where to write (default: cdk.out)
  -h, --help                    print this help

  Exit codes: 0 template written, 1 the config or a value in it was refused (every problem is listed),
  2 the command line was wrong.`,
    run: (args, _options, out, err) => synth(args, out, err),
  },
};

const USAGE = `Usage: qualytics-athena-iam <command> [options]
       qualytics-athena-iam <command> --help
       qualytics-athena-iam --version

${Object.values(COMMANDS).map((command) => command.usage).join('\n\n')}`;

/**
 * The environment setting that silences the bundled SDK's warning about Node.js versions it will stop supporting
 * (@aws-sdk/core emitWarningIfUnsupportedVersion): seven lines on stderr at every command, which clients of
 * credential_process show to their users. The README recommends a supported Node.js instead.
 */
const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** A wrong command line: exit code 2. */
class UsageError extends Error {}

/** Runs the command line; resolves to the process exit code. */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  process.env[SDK_NODE_WARNING_SWITCH] ??= 'true';
  const [name, ...rest] = argv;
  if (name === '--version' && rest.length === 0) {
    out(packageVersion());
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const helpFor = name === 'help' ? rest[0] : undefined;
  const command = Object.hasOwn(COMMANDS, helpFor ?? name) ? COMMANDS[helpFor ?? name] : undefined;
  if (!command) {
    err(`Unknown command "${helpFor ?? name}". The commands are: ${Object.keys(COMMANDS).join(', ')}.\n`
      + 'Run "qualytics-athena-iam <command> --help" for a command\'s options, or "qualytics-athena-iam --help" for all.');
    return 2;
  }
  if (helpFor !== undefined || rest.includes('--help') || rest.includes('-h')) {
    out(`Usage: qualytics-athena-iam ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest, options, out, err);
  } catch (e) {
    if (e instanceof UsageError || e instanceof SettingValidationError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`${(e as Error).message}\n\nRun "qualytics-athena-iam ${name} --help" for the options.`);
      return 2;
    }
    throw e;
  }
}

/**
 * `synth`: the config path without a CDK app. aws-cdk-lib is loaded only here, so that verify and
 * credential-process (which an AWS SDK runs at every credential refresh) start without it.
 */
async function synth(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { config: { type: 'string' }, output: { type: 'string', default: 'cdk.out' } } });
  requireFlags(values, ['config']);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesizeConfig } = require('../config/synth') as typeof import('../config/synth');
  try {
    const result = synthesizeConfig(values.config!, values.output!);
    out(`wrote ${result.templateFile}`);
    out(`wrote ${result.reportFile}`);
    out(`Deploy: aws cloudformation deploy --template-file ${result.templateFile} --stack-name ${result.stackName} --capabilities CAPABILITY_NAMED_IAM`);
    return 0;
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return 1;
  }
}

async function verify(args: string[], options: CliOptions, out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'host': { type: 'string' },
      'role-arn': { type: 'string' },
      'external-id': { type: 'string' },
      'no-external-id': { type: 'boolean' },
      'workgroup': { type: 'string', default: 'primary' },
      'output-location': { type: 'string' },
      'connection-id': { type: 'string' },
      'session-name-prefix': { type: 'string' },
      ...Object.fromEntries(VERIFY_SERVICES.map((service) => [`${service}-endpoint`, { type: 'string' as const }])),
      'json': { type: 'boolean' },
    },
  });
  const endpoints: Record<string, string | undefined> = { ...options.verify?.endpoints };
  for (const service of VERIFY_SERVICES) {
    const url = (values as Record<string, unknown>)[`${service}-endpoint`] as string | undefined;
    if (url !== undefined) {
      assertValid(`${service}Endpoint`, url, endpointUrlProblem(url, service));
      endpoints[service] = url;
    }
  }
  requireFlags(values, ['host', 'role-arn']);
  if ((values['external-id'] === undefined) === (values['no-external-id'] !== true)) {
    throw new UsageError('Give either --external-id <id> or --no-external-id. verify needs the External ID so it can check '
      + 'that the role refuses AssumeRole without it, or with a wrong one.');
  }
  const verifyOptions: VerifyOptions = {
    ...options.verify,
    host: values.host!,
    roleArn: values['role-arn']!,
    externalId: values['external-id'],
    workgroup: values.workgroup!,
    outputLocation: values['output-location'],
    connectionId: values['connection-id'],
    sessionNamePrefix: values['session-name-prefix'],
    endpoints,
  };
  const json = values.json === true;
  if (!json) {
    out(`Verifying ${verifyOptions.roleArn} for ${verifyOptions.host}, workgroup ${verifyOptions.workgroup}`);
  }
  const results = await verifyConnection(verifyOptions, (result) => json || printResult(result, out));
  const failed = results.filter((r) => r.status === 'FAIL').length;
  const warnings = results.filter((r) => r.status === 'WARN');
  if (json) {
    out(JSON.stringify({
      roleArn: verifyOptions.roleArn,
      host: verifyOptions.host,
      workgroup: verifyOptions.workgroup,
      passed: failed === 0,
      failed,
      warnings: warnings.map((w) => w.detail),
      steps: results,
    }, undefined, 2));
  } else {
    warnings.forEach((w) => out(`WARNING: ${w.detail}`));
    out(failed === 0 ? `All ${results.length} checks passed${warnings.length ? `, with ${warnings.length} warning(s)` : ''}.`
      : `${failed} of ${results.length} checks failed.`);
  }
  return failed === 0 ? 0 : 1;
}

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

/** The role flags shared by credential-process and aws-profile, and the values of every flag (`extra` too). */
function parseRoleFlags(args: string[], extra: string[]): { settings: AssumeRoleSettings; values: Record<string, string | undefined> } {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'role-arn': { type: 'string' },
      'region': { type: 'string' },
      'connection-id': { type: 'string' },
      'external-id': { type: 'string' },
      'session-name-prefix': { type: 'string' },
      'duration-seconds': { type: 'string' },
      'sts-endpoint': { type: 'string' },
      ...Object.fromEntries(extra.map((flag) => [flag, { type: 'string' as const }])),
    },
  });
  const strings = values as Record<string, string | undefined>;
  requireFlags(strings, ['role-arn', 'region', 'connection-id']);
  const duration = strings['duration-seconds'];
  const settings: AssumeRoleSettings = {
    roleArn: strings['role-arn']!,
    region: strings.region!,
    connectionId: strings['connection-id']!,
    externalId: strings['external-id'],
    sessionNamePrefix: strings['session-name-prefix'],
    durationSeconds: duration === undefined ? undefined : wholeNumber('durationSeconds', duration),
    stsEndpoint: strings['sts-endpoint'],
  };
  return { settings, values: strings };
}

/** This package's version, from its package.json (two folders up from lib/runtime and build/runtime alike). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

function wholeNumber(property: string, value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new SettingValidationError(property, value, 'expected a whole number of seconds, e.g. 3600');
  }
  return Number(value);
}

function requireFlags(values: Record<string, unknown>, flags: string[]): void {
  const missing = flags.filter((flag) => values[flag] === undefined || values[flag] === '');
  if (missing.length > 0) {
    throw new UsageError(`Missing ${missing.map((m) => `--${m}`).join(', ')}.`);
  }
}

function printResult(result: StepResult, out: (line: string) => void): void {
  out(`${result.status}  ${result.step.padEnd(21)} ${result.detail}`);
  if (result.hint) {
    out(`      hint: ${result.hint}`);
  }
}
