import { SettingValidationError } from './errors';
import { partitionOf, REGION_EXPECTED } from './partition';

/**
 * Validation rules shared by the credentials and the connection settings. Each rule returns a
 * problem (what is wrong and what is accepted) or undefined when the value is fine.
 */

/** IAM role ARN: partition, 12-digit account, optional path, role name of up to 64 `[\w+=,.@-]`. */
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const SESSION_NAME_PREFIX = 'qualytics-athena-';
const SESSION_NAME_MAX = 64;

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
 * The session name for a connection: `qualytics-athena-<connectionId>` with every character STS does not
 * accept removed and cut to STS's 64 characters. Throws when nothing of the connection id remains.
 */
export function sessionNameFor(connectionId: string): string {
  const kept = connectionId.replace(/[^\w+=,.@-]/g, '');
  if (kept.length === 0) {
    throw new SettingValidationError('connectionId', connectionId,
      'nothing is left once characters outside [A-Za-z0-9_+=,.@-] are removed; '
      + 'expected an id with at least one letter, digit or one of _+=,.@-');
  }
  return (SESSION_NAME_PREFIX + kept).slice(0, SESSION_NAME_MAX);
}

/** Throws a SettingValidationError for `property` when `problem` is set. */
export function assertValid(property: string, value: unknown, problem: string | undefined): void {
  if (problem !== undefined) {
    throw new SettingValidationError(property, value, problem);
  }
}
