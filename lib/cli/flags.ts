import { parseArgs } from 'node:util';
import { UsageError } from './command';
import { SettingValidationError } from '../runtime/errors';
import { AssumeRoleSettings } from '../runtime/rules';

/** The usage lines of the role flags credential-process and aws-profile share. */
export const ROLE_FLAGS = `  --role-arn <arn>              the target role
  --region <region>             the connection's region, e.g. us-east-1
  --connection-id <id>          session name suffix: <prefix><id>
  --external-id <id>            the External ID the role's trust policy requires
  --session-name-prefix <p>     the prefix the role's trust allows (default: qualytics-athena-)
  --duration-seconds <n>        session length, 900-3600 (default: 3600; role chaining caps it at 3600)
  --sts-endpoint <url>          STS endpoint instead of the regional one, e.g. an interface VPC endpoint`;

/** The usage lines saying where an endpoint comes from. */
export const ENDPOINTS = `
  Endpoints: the flag, else AWS_ENDPOINT_URL_<SERVICE> (e.g. AWS_ENDPOINT_URL_STS), else AWS_ENDPOINT_URL,
  else the regional endpoint.`;

/** The role flags shared by credential-process and aws-profile, and the values of every flag (`extra` too). */
export function parseRoleFlags(args: string[], extra: string[]): { settings: AssumeRoleSettings; values: Record<string, string | undefined> } {
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

function wholeNumber(property: string, value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new SettingValidationError(property, value, 'expected a whole number of seconds, e.g. 3600');
  }
  return Number(value);
}

/** Throws a UsageError naming the flags of `flags` that have no value. */
export function requireFlags(values: Record<string, unknown>, flags: string[]): void {
  const missing = flags.filter((flag) => values[flag] === undefined || values[flag] === '');
  if (missing.length > 0) {
    throw new UsageError(`Missing ${missing.map((m) => `--${m}`).join(', ')}.`);
  }
}
