import { FormatRule, formatProblem } from './format-rules';
import { partitionOf, REGION_EXPECTED } from './partition';

/**
 * Validation rules shared by the constructs, the connection settings and the credentials. Each rule returns a
 * problem (what is wrong and what is accepted) or undefined when the value is fine.
 */

/** IAM role ARN: partition, 12-digit account, optional path, role name of up to 64 `[\w+=,.@-]`. */
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** The session name prefix used when none is configured; the target role's trust allows `<prefix>*`. */
export const DEFAULT_SESSION_NAME_PREFIX = 'qualytics-athena-';
/** The target role's description when none is given. */
export const DEFAULT_TARGET_ROLE_DESCRIPTION = 'Assumed by the Qualytics dataplane to query Amazon Athena';
/** STS: RoleSessionName is 2-64 characters of `[\w+=,.@-]` (AssumeRole API reference). */
export const SESSION_NAME_MAX = 64;
/** The characters STS does not accept in a session name (global, for `replace`). */
export const SESSION_NAME_CHARS = /[^\w+=,.@-]/g;
/** `-` and 8 hex digits of the SHA-256 of the full connection id, appended when the id had to be changed. */
export const SESSION_NAME_HASH_SUFFIX_LENGTH = 9;
const SESSION_NAME_PREFIX_MAX = SESSION_NAME_MAX - SESSION_NAME_HASH_SUFFIX_LENGTH;
/**
 * A session name prefix: 1-55 characters of `[\w+=,.@-]`, so that a connection id that has to be shortened still
 * fits with its 9-character hash in STS's 64 characters.
 */
export const SESSION_NAME_PREFIX_RULE: FormatRule = {
  pattern: `^[\\w+=,.@-]{1,${SESSION_NAME_PREFIX_MAX}}$`,
  accepted: `A session name prefix is 1 to ${SESSION_NAME_PREFIX_MAX} characters of letters, digits and _+=,.@- `
    + `(session names are at most ${SESSION_NAME_MAX}, and a connection id that has to be shortened keeps a `
    + `${SESSION_NAME_HASH_SUFFIX_LENGTH}-character hash).`,
  invalidExample: 'qualytics athena',
};
/** An Athena workgroup name (CreateWorkGroup's Name). */
export const WORKGROUP_RULE: FormatRule = {
  pattern: '^[a-zA-Z0-9._-]{1,128}$',
  accepted: 'A workgroup name is 1 to 128 characters of letters, digits, period, underscore and hyphen.',
  invalidExample: 'acme analysts',
};
/** STS: DurationSeconds is at least 900 (AssumeRole API reference). */
export const SESSION_DURATION_MIN = 900;
/**
 * The base identity (EKS Pod Identity, IRSA, an instance role) is itself a role session, so assuming the target
 * role is role chaining, which STS caps at one hour whatever the role's MaxSessionDuration says:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
 */
export const CHAINED_SESSION_MAX_SECONDS = 3600;

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

/** The problem with a session name prefix, if any (see {@link SESSION_NAME_PREFIX_RULE}). */
export function sessionNamePrefixProblem(value: string): string | undefined {
  return formatProblem(SESSION_NAME_PREFIX_RULE, value);
}

/** The problem with an Athena workgroup name, if any. */
export function workGroupProblem(value: string): string | undefined {
  return formatProblem(WORKGROUP_RULE, value);
}
