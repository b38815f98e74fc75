/**
 * Errors thrown by the runtime. They extend `Error`, which jsii cannot model, so this file is not
 * re-exported from the package root: TypeScript users import it by path
 * (`qualytics-athena-iam/build/runtime/errors`); other jsii languages see the message only.
 */

/**
 * A setting was given a value that is not accepted. The message names the property, shows the
 * value and says what is accepted.
 */
export class SettingValidationError extends Error {
  /**
   * @param property the property or field that holds the bad value
   * @param value the value as given
   * @param problem what is wrong and what is accepted
   */
  constructor(public readonly property: string, public readonly value: unknown, public readonly problem: string) {
    super(`Invalid ${property} ${JSON.stringify(value)}: ${problem}`);
    this.name = 'SettingValidationError';
  }
}

/** Why an AssumeRole call failed, as far as the caller can act on it. */
export enum AssumeRoleFailure {
  /** STS refused: trust principal, External ID, session-name condition, or a role that does not exist. */
  ACCESS_DENIED = 'ACCESS_DENIED',
  /** The role ARN names no role (reported by STS-compatible endpoints; AWS itself says AccessDenied). */
  ROLE_NOT_FOUND = 'ROLE_NOT_FOUND',
  /** The caller's own (base) credentials have expired. */
  BASE_CREDENTIALS_EXPIRED = 'BASE_CREDENTIALS_EXPIRED',
  /** The caller's own (base) credentials are unknown to AWS or signed wrongly. */
  BASE_CREDENTIALS_INVALID = 'BASE_CREDENTIALS_INVALID',
  /** No base credentials could be found at all. */
  BASE_CREDENTIALS_MISSING = 'BASE_CREDENTIALS_MISSING',
  /**
   * The base credentials were looked up in a profile whose `credential_process` runs `credential-process` again
   * (e.g. AWS_PROFILE names the target role's own profile).
   */
  BASE_CREDENTIALS_RECURSION = 'BASE_CREDENTIALS_RECURSION',
  /** STS throttled the caller. Retried. */
  THROTTLED = 'THROTTLED',
  /** STS could not be reached, or did not answer in time. Retried. */
  NETWORK = 'NETWORK',
  /** STS answered with a server error (5xx). Retried. */
  SERVICE_ERROR = 'SERVICE_ERROR',
  /** STS is not activated in the connection's region. */
  REGION_DISABLED = 'REGION_DISABLED',
  /** STS rejected the request itself, e.g. DurationSeconds above the role's MaxSessionDuration. */
  REQUEST_REJECTED = 'REQUEST_REJECTED',
}

/** An AssumeRole call that failed, explained so that a person can act on it. */
export class AssumeRoleError extends Error {
  /** What failed, without the hint: the message is this, then the hint. */
  public readonly reason: string;

  /**
   * @param failure the kind of failure
   * @param roleArn the role that was to be assumed
   * @param hint what to check or do about it
   * @param code the STS error code or network error code, when there was one
   * @param requestId the STS request id, to quote to AWS support or find in CloudTrail
   * @param cause the original error
   */
  constructor(
    public readonly failure: AssumeRoleFailure,
    public readonly roleArn: string,
    public readonly hint: string,
    public readonly code: string | undefined,
    public readonly requestId: string | undefined,
    cause: unknown,
  ) {
    const reason = `AssumeRole ${roleArn} failed (${failure}${code ? `, ${code}` : ''}${requestId ? `, request id ${requestId}` : ''}): `
      + causeMessage(cause);
    super(`${reason}. ${hint}`, { cause });
    this.reason = reason;
    this.name = 'AssumeRoleError';
  }

  /** Whether trying again later can succeed without anyone changing anything. */
  public get retryable(): boolean {
    return [AssumeRoleFailure.THROTTLED, AssumeRoleFailure.NETWORK, AssumeRoleFailure.SERVICE_ERROR].includes(this.failure);
  }
}

function causeMessage(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return (text || 'no message').replace(/\.$/, '');
}
