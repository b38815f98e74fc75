import { createHash } from 'node:crypto';
import { SettingValidationError } from './errors';
import { partitionOf, REGION_EXPECTED } from './partition';

/**
 * Validation rules shared by the credentials and the connection settings. Each rule returns a
 * problem (what is wrong and what is accepted) or undefined when the value is fine.
 */

/** IAM role ARN: partition, 12-digit account, optional path, role name of up to 64 `[\w+=,.@-]`. */
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** The session name prefix used when none is configured; the target role's trust allows `<prefix>*`. */
export const DEFAULT_SESSION_NAME_PREFIX = 'qualytics-athena-';
/** STS: RoleSessionName is 2-64 characters of `[\w+=,.@-]` (AssumeRole API reference). */
const SESSION_NAME_MAX = 64;
const SESSION_NAME_CHARS = /[^\w+=,.@-]/g;
/** `-` and 8 hex digits of the SHA-256 of the full connection id, appended when the id had to be changed. */
const HASH_SUFFIX_LENGTH = 9;
const SESSION_NAME_PREFIX_MAX = SESSION_NAME_MAX - HASH_SUFFIX_LENGTH;
const SESSION_NAME_PREFIX = new RegExp(`^[\\w+=,.@-]{1,${SESSION_NAME_PREFIX_MAX}}$`);
const WORKGROUP = /^[a-zA-Z0-9._-]{1,128}$/;
/** STS: DurationSeconds is at least 900 (AssumeRole API reference). */
const SESSION_DURATION_MIN = 900;
/**
 * The base identity (EKS Pod Identity, IRSA, an instance role) is itself a role session, so assuming the target
 * role is role chaining, which STS caps at one hour whatever the role's MaxSessionDuration says:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
 */
export const CHAINED_SESSION_MAX_SECONDS = 3600;
/** AWS config profile names: kept to characters every SDK's INI parser and a JDBC URL take as they are. */
const PROFILE_NAME = /^[\w.+@-]{1,128}$/;

/** The problem with a role ARN, if any. */
export function roleArnProblem(value: string): string | undefined {
  if (ROLE_ARN.test(value)) {
    return undefined;
  }
  const expected = 'expected an IAM role ARN such as arn:aws:iam::123456789012:role/QualyticsAthena '
    + '(partition aws, aws-cn or aws-us-gov; 12-digit account; role name of 1-64 characters [A-Za-z0-9_+=,.@-])';
  if (/^arn:[\w-]+:sts::\d*:assumed-role\//.test(value)) {
    return `this is an assumed-role session ARN, not a role; ${expected}`;
  }
  if (/^arn:[\w-]+:iam::\d*:user\//.test(value)) {
    return `this is an IAM user ARN, not a role; ${expected}`;
  }
  return expected;
}

/** The partition named by a valid role ARN. */
export function roleArnPartition(roleArn: string): string {
  return roleArn.split(':')[1];
}

/** The problem with an External ID, if any. */
export function externalIdProblem(value: string): string | undefined {
  return EXTERNAL_ID.test(value)
    ? undefined
    : 'expected 2-1,224 characters of letters, digits and _+=,.@:/- (no whitespace)';
}

/** The problem with a region, if any. */
export function regionProblem(value: string): string | undefined {
  return partitionOf(value) ? undefined : `expected ${REGION_EXPECTED}`;
}

/** The problem with an integer that must lie within [min, max], if any. */
export function integerRangeProblem(value: number, min: number, max: number): string | undefined {
  return Number.isInteger(value) && value >= min && value <= max
    ? undefined
    : `expected a whole number from ${min} to ${max}`;
}

/**
 * The problem with a session name prefix, if any: 1-55 characters of `[\w+=,.@-]`, so that a connection id
 * that has to be shortened still fits with its 9-character hash in STS's 64 characters.
 */
export function sessionNamePrefixProblem(value: string): string | undefined {
  return SESSION_NAME_PREFIX.test(value) ? undefined
    : `A session name prefix is 1 to ${SESSION_NAME_PREFIX_MAX} characters of letters, digits and _+=,.@- `
      + `(session names are at most ${SESSION_NAME_MAX}, and a connection id that has to be shortened keeps a `
      + `${HASH_SUFFIX_LENGTH}-character hash).`;
}

/** The problem with an Athena workgroup name, if any. */
export function workGroupProblem(value: string): string | undefined {
  return WORKGROUP.test(value) ? undefined
    : 'A workgroup name is 1 to 128 characters of letters, digits, period, underscore and hyphen.';
}

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
  const hash = createHash('sha256').update(connectionId, 'utf8').digest('hex').slice(0, HASH_SUFFIX_LENGTH - 1);
  return `${prefix}${kept.slice(0, SESSION_NAME_MAX - prefix.length - HASH_SUFFIX_LENGTH)}-${hash}`;
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
