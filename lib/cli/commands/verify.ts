import { parseArgs } from 'node:util';
import { assertValid, endpointUrlProblem } from '../../runtime/rules';
import { StepResult, verifyConnection, VerifyEndpoints, VerifyOptions } from '../../runtime/verify';
import { CliOptions, Command, UsageError } from '../command';
import { requireFlags, ENDPOINTS } from '../flags';

/** The services whose endpoint verify takes on its command line, as --<service>-endpoint. */
const VERIFY_SERVICES: ReadonlyArray<keyof VerifyEndpoints> = ['sts', 'athena', 'glue', 's3'];

/** `verify`: checks a deployed target role the way Qualytics will use it. */
export const VERIFY_COMMAND: Command = {
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
};

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

function printResult(result: StepResult, out: (line: string) => void): void {
  out(`${result.status}  ${result.step.padEnd(21)} ${result.detail}`);
  if (result.hint) {
    out(`      hint: ${result.hint}`);
  }
}
