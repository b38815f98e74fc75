import { createHash } from 'node:crypto';
import { SettingValidationError } from './errors';
import { partitionOf } from '../model/partition';
import {
  CHAINED_SESSION_MAX_SECONDS, DEFAULT_SESSION_NAME_PREFIX, externalIdProblem, integerRangeProblem, regionProblem,
  roleArnPartition, roleArnProblem, SESSION_DURATION_MIN, SESSION_NAME_CHARS, SESSION_NAME_HASH_SUFFIX_LENGTH,
  SESSION_NAME_MAX, sessionNamePrefixProblem,
} from '../model/rules';

/**
 * The runtime's own rules (endpoint overrides, AWS config profile names), the session name of a connection and
 * the check every way of assuming the role shares. The rules the constructs share are in `lib/model/rules.ts`.
 */

/** AWS config profile names: kept to characters every SDK's INI parser and a JDBC URL take as they are. */
const PROFILE_NAME = /^[\w.+@-]{1,128}$/;

/**
 * The problem with an endpoint URL override of `service` (e.g. an interface VPC endpoint), if any: an http(s)
 * URL without a path, as the SDKs' `endpoint_url` setting takes it.
 */
export function endpointUrlProblem(value: string, service: string): string | undefined {
  return /^https?:\/\/[^\s/]+\/?$/.test(value) ? undefined
    : `expected an http(s) URL without a path, e.g. https://${service}.us-east-1.amazonaws.com`;
}

/** The problem with an AWS config profile name, if any. */
export function profileNameProblem(value: string): string | undefined {
  return PROFILE_NAME.test(value) ? undefined
    : 'expected 1-128 characters of letters, digits and _.+@- (no spaces or brackets), e.g. qualytics-athena';
}

/**
 * The session name for a connection: `<prefix><connectionId>` when that is a valid STS session name. When
 * the id has characters STS does not accept, or the name would pass 64 characters, the id is changed: those
 * characters are removed, it is cut to fit, and `-` plus the first 8 hex digits of the SHA-256 of the full id
 * are appended, so that two ids never end up with the same name. Throws when nothing of the id remains.
 */
export function sessionNameFor(connectionId: string, prefix: string = DEFAULT_SESSION_NAME_PREFIX): string {
  assertValid('sessionNamePrefix', prefix, sessionNamePrefixProblem(prefix));
  const kept = connectionId.replace(SESSION_NAME_CHARS, '');
  if (kept.length === 0) {
    throw new SettingValidationError('connectionId', connectionId,
      'nothing is left once characters outside [A-Za-z0-9_+=,.@-] are removed; '
      + 'expected an id with at least one letter, digit or one of _+=,.@-');
  }
  const plain = prefix + connectionId;
  if (kept === connectionId && plain.length <= SESSION_NAME_MAX) {
    return plain;
  }
  const hash = createHash('sha256').update(connectionId, 'utf8').digest('hex').slice(0, SESSION_NAME_HASH_SUFFIX_LENGTH - 1);
  return `${prefix}${kept.slice(0, SESSION_NAME_MAX - prefix.length - SESSION_NAME_HASH_SUFFIX_LENGTH)}-${hash}`;
}

/** The settings of one AssumeRole for a connection, as given. */
export interface AssumeRoleSettings {
  readonly roleArn: string;
  readonly region: string;
  readonly connectionId: string;
  readonly externalId?: string;
  readonly sessionNamePrefix?: string;
  readonly durationSeconds?: number;
  readonly stsEndpoint?: string;
}

/** The settings once checked, with their defaults filled in. */
export interface CheckedAssumeRoleSettings {
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  /** The endpoint override, if one was given. */
  readonly stsEndpoint?: string;
}

/**
 * Checks what every way of assuming the role shares (the credential cache, `credential-process`,
 * `aws-profile`): role ARN in the region's partition, External ID, session name, duration, STS endpoint.
 * Throws a SettingValidationError naming the first bad setting.
 */
export function checkAssumeRoleSettings(settings: AssumeRoleSettings): CheckedAssumeRoleSettings {
  const { roleArn, region } = settings;
  assertValid('roleArn', roleArn, roleArnProblem(roleArn));
  assertValid('region', region, regionProblem(region));
  const partition = partitionOf(region)!.partition;
  assertValid('roleArn', roleArn, roleArnPartition(roleArn) === partition ? undefined
    : `the role is in partition ${roleArnPartition(roleArn)} but region ${region} is in partition `
      + `${partition}; expected a role ARN starting with arn:${partition}:iam::`);
  if (settings.externalId !== undefined) {
    assertValid('externalId', settings.externalId, externalIdProblem(settings.externalId));
  }
  const durationSeconds = settings.durationSeconds ?? CHAINED_SESSION_MAX_SECONDS;
  const durationProblem = integerRangeProblem(durationSeconds, SESSION_DURATION_MIN, CHAINED_SESSION_MAX_SECONDS);
  assertValid('durationSeconds', durationSeconds, durationProblem && `${durationProblem}: the base identity reaches the target role `
    + `by role chaining, which STS caps at ${CHAINED_SESSION_MAX_SECONDS} s whatever the role's MaxSessionDuration says `
    + '(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining)');
  if (settings.stsEndpoint !== undefined) {
    assertValid('stsEndpoint', settings.stsEndpoint, endpointUrlProblem(settings.stsEndpoint, 'sts'));
  }
  return {
    roleSessionName: sessionNameFor(settings.connectionId, settings.sessionNamePrefix ?? DEFAULT_SESSION_NAME_PREFIX),
    durationSeconds,
    stsEndpoint: settings.stsEndpoint,
  };
}

/** Throws a SettingValidationError for `property` when `problem` is set. */
export function assertValid(property: string, value: unknown, problem: string | undefined): void {
  if (problem !== undefined) {
    throw new SettingValidationError(property, value, problem);
  }
}
