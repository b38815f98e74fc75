import { AssumeRoleError, AssumeRoleFailure } from './errors';

/** What was asked of STS, so that an error can say what to check. */
export interface AssumeRoleAttempt {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly externalIdGiven: boolean;
  /** A credential-process started by the base-credential lookup reported that it was started by itself. */
  readonly baseCredentialsRecursed?: boolean;
}

const THROTTLING_CODES = ['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException'];
const EXPIRED_CODES = ['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'];
const INVALID_CREDENTIAL_CODES = ['InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'IncompleteSignature'];
const NETWORK_CODES = ['TimeoutError', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH'];

/**
 * The codes of a signature refused for its time: the SDK's own list (@smithy/core retry, CLOCK_SKEW_ERROR_CODES) less
 * AccessDeniedException, which is a refusal to act on, not a clock to correct.
 */
const CLOCK_SKEW_CODES = ['AuthFailure', 'InvalidSignatureException', 'RequestExpired', 'RequestInTheFuture', 'RequestTimeTooSkewed', 'SignatureDoesNotMatch'];

/**
 * Whether STS refused the signature for its time and the SDK has since moved its signing clock onto STS's (from the
 * answer's Date header), so that signing again at once can succeed.
 */
export function clockSkewCorrected(error: unknown): boolean {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape & { $metadata?: { clockSkewCorrected?: boolean } };
  return e.$metadata?.clockSkewCorrected === true && CLOCK_SKEW_CODES.includes(e.code ?? e.name ?? '');
}

interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

/** Turns whatever the STS client threw into an AssumeRoleError that says what to check. */
export function toAssumeRoleError(error: unknown, attempt: AssumeRoleAttempt): AssumeRoleError {
  if (error instanceof AssumeRoleError) {
    return error;
  }
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  if (attempt.baseCredentialsRecursed && (e.code ?? e.name) === 'CredentialsProviderError') {
    const profile = process.env.AWS_PROFILE;
    return new AssumeRoleError(AssumeRoleFailure.BASE_CREDENTIALS_RECURSION, attempt.roleArn,
      `The base identity must come from somewhere else than the profile that runs credential-process: ${profile === undefined
        ? 'give' : `unset AWS_PROFILE (now ${JSON.stringify(profile)}) or point it at the base identity's own profile, and give`} `
      + 'the base identity through the environment, EKS Pod Identity, IRSA or the instance role.',
      undefined, undefined, new Error(`the base credentials were looked up in ${profile === undefined ? 'an AWS profile' : `the AWS profile ${JSON.stringify(profile)}`}, `
        + 'whose credential_process runs qualytics-athena-iam credential-process again', { cause: error }));
  }
  const status = e.$metadata?.httpStatusCode;
  const code = (status === undefined ? networkCode(e) : undefined) ?? e.code ?? e.name;
  const [failure, hint] = classify(code, status, attempt);
  const shownCode = code === 'Error' || code === undefined ? undefined : code;
  return new AssumeRoleError(failure, attempt.roleArn, hint, shownCode, e.$metadata?.requestId, error);
}

function classify(code: string | undefined, status: number | undefined, attempt: AssumeRoleAttempt): [AssumeRoleFailure, string] {
  if (code === 'AccessDenied' || code === 'AccessDeniedException') {
    return [AssumeRoleFailure.ACCESS_DENIED, accessDeniedHint(attempt)];
  }
  if (code === 'NoSuchEntity' || code === 'NoSuchEntityException') {
    return [AssumeRoleFailure.ROLE_NOT_FOUND,
      'No role exists under this ARN: check the account id, the role path and the role name.'];
  }
  if (code !== undefined && EXPIRED_CODES.includes(code)) {
    return [AssumeRoleFailure.BASE_CREDENTIALS_EXPIRED,
      'The credentials of the calling (base) identity have expired: refresh them (e.g. `aws sso login`, '
      + 'or check that the pod identity / IRSA token is mounted and rotating).'];
  }
  if (code !== undefined && INVALID_CREDENTIAL_CODES.includes(code)) {
    return [AssumeRoleFailure.BASE_CREDENTIALS_INVALID,
      'AWS does not accept the calling (base) identity\'s credentials: check the access key, the secret and, '
      + 'for temporary credentials, the session token.'];
  }
  if (code === 'CredentialsProviderError') {
    return [AssumeRoleFailure.BASE_CREDENTIALS_MISSING,
      'No base AWS credentials were found: run as the identity the role trusts (environment variables, '
      + 'AWS_PROFILE, EKS Pod Identity or IRSA).'];
  }
  if (code === 'RegionDisabledException') {
    return [AssumeRoleFailure.REGION_DISABLED,
      'STS is not activated in this region for the calling account: activate it in IAM > Account settings.'];
  }
  if ((code !== undefined && THROTTLING_CODES.includes(code)) || status === 429) {
    return [AssumeRoleFailure.THROTTLED, 'STS is throttling AssumeRole calls; they were retried with backoff.'];
  }
  if (status !== undefined && status >= 500) {
    return [AssumeRoleFailure.SERVICE_ERROR, 'STS answered with a server error; the call was retried with backoff.'];
  }
  if (status === undefined && code !== undefined && NETWORK_CODES.includes(code)) {
    return [AssumeRoleFailure.NETWORK,
      'STS could not be reached or did not answer in time: check network access (proxy, firewall, VPC endpoint '
      + 'routes) to the regional STS endpoint. The call was retried with backoff.'];
  }
  return [AssumeRoleFailure.REQUEST_REJECTED,
    'STS rejected the request: check DurationSeconds against the role\'s MaxSessionDuration '
    + '(role chaining caps sessions at 3,600 s) and the role ARN.'];
}

/**
 * The network error code of a failure that got no HTTP answer. The SDK may hand it over as a plain wrapper
 * whose message is all that is left of the socket error (e.g. "... for Error: connect ECONNREFUSED ..."),
 * so the message is searched too.
 */
function networkCode(e: SdkErrorShape): string | undefined {
  const candidates = [e.code, e.name, ...(e.message ?? '').split(/[^\w]+/)];
  return candidates.find((c) => c !== undefined && NETWORK_CODES.includes(c));
}

function accessDeniedHint(attempt: AssumeRoleAttempt): string {
  return 'Check, in this order: (1) trust principal: the role\'s trust policy must name the calling base role ARN '
    + '(not an assumed-role session ARN) under Principal.AWS with sts:AssumeRole, and the caller must be allowed '
    + 'sts:AssumeRole on this role; (2) External ID: '
    + (attempt.externalIdGiven
      ? 'the External ID given must equal the trust policy\'s sts:ExternalId condition exactly'
      : 'no External ID was given; if the trust policy has an sts:ExternalId condition, pass that value')
    + `; (3) session-name prefix: any sts:RoleSessionName condition must allow "${attempt.roleSessionName}" `
    + '(qualytics-athena-*); (4) the role exists under exactly this ARN (AWS reports a missing role as AccessDenied). '
    + 'A role created or changed moments ago can take a few seconds to propagate.';
}
