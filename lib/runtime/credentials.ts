import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { backoffMs, sleep } from './backoff';
import { IClock, SystemClock } from './clock';
import { RecursionWatch } from './recursion';
import { assertValid, checkAssumeRoleSettings } from './rules';
import { clockSkewCorrected, toAssumeRoleError } from './sts-errors';
import { partitionOf, regionalStsEndpoint } from '../model/partition';
import { integerRangeProblem } from '../model/rules';

/** Static AWS credentials of the identity that calls sts:AssumeRole (the base identity). */
export interface BaseCredentials {
  /** Access key id. */
  readonly accessKeyId: string;
  /** Secret access key. */
  readonly secretAccessKey: string;
  /**
   * Session token, for temporary base credentials.
   * @default - none (long-term credentials)
   */
  readonly sessionToken?: string;
}

/** Temporary credentials of the target role. */
export interface AthenaCredentials {
  /** Access key id (starts with ASIA). */
  readonly accessKeyId: string;
  /** Secret access key. */
  readonly secretAccessKey: string;
  /** Session token; Athena, Glue and S3 reject the keys without it. */
  readonly sessionToken: string;
  /**
   * When the credentials stop working, on the local clock: STS's expiry moved by how far STS's clock is ahead of
   * the local one (estimated from the `Date` header of STS's answer, erring early), so that a client comparing it
   * with its own clock never uses them after STS stops accepting them.
   */
  readonly expiration: Date;
}

/** Properties of AthenaRoleCredentials. */
export interface AthenaRoleCredentialsProps {
  /** ARN of the target role to assume, e.g. `arn:aws:iam::123456789012:role/QualyticsAthena`. */
  readonly roleArn: string;
  /**
   * External ID the role's trust policy requires (2-1,224 characters of `[\w+=,.@:/-]`).
   * @default - no External ID is sent
   */
  readonly externalId?: string;
  /**
   * Identifies the connection; the session name is `<sessionNamePrefix><connectionId>`, so every AssumeRole
   * shows up in the customer's CloudTrail. An id with characters STS does not accept, or too long for 64
   * characters, loses those characters, is cut, and gets `-` and 8 hex digits of its SHA-256 appended.
   */
  readonly connectionId: string;
  /**
   * Start of every session name; must match the target role's `sessionNamePrefix` (its trust allows
   * `<prefix>*`). 1-55 characters of `[\w+=,.@-]`.
   * @default 'qualytics-athena-'
   */
  readonly sessionNamePrefix?: string;
  /** Region of the connection (e.g. `us-east-1`); the regional STS endpoint of its partition is used. */
  readonly region: string;
  /**
   * Lifetime requested for each session, 900-3,600 s: the base identity reaches the target role by role
   * chaining, which STS caps at one hour whatever the role's MaxSessionDuration says.
   * @default 3600
   */
  readonly durationSeconds?: number;
  /**
   * How long before expiry the credentials are refreshed; at least 0 and less than `durationSeconds`.
   * @default 300
   */
  readonly refreshBeforeExpirySeconds?: number;
  /**
   * STS endpoint URL to use instead of the regional endpoint, e.g. an interface VPC endpoint or a local test server.
   * @default - the endpoint the SDK's standard settings name (`AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`, then
   * the profile's `services` section), else `https://sts.<region>.<partition DNS suffix>`
   */
  readonly stsEndpoint?: string;
  /**
   * Credentials of the identity that calls AssumeRole.
   * @default - the AWS SDK's default chain (environment, profile, EKS Pod Identity, IRSA, instance role)
   */
  readonly baseCredentials?: BaseCredentials;
  /**
   * How many times one refresh calls STS when the failure is temporary (throttling, 5xx, network), 1-10.
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * Base of the exponential backoff between attempts, in milliseconds (0-60,000).
   * @default 200
   */
  readonly retryBaseDelayMs?: number;
  /**
   * After a refresh failed, how long callers get that failure at once before STS is asked again: about
   * `failureBackoffBaseMs * 2^(failures-1)`, between half and all of it (jitter), at most `failureBackoffMaxMs`.
   * 0-60,000 ms.
   * @default 1000
   */
  readonly failureBackoffBaseMs?: number;
  /**
   * The longest wait between two refreshes while STS keeps failing, in milliseconds (0-600,000).
   * @default 30000
   */
  readonly failureBackoffMaxMs?: number;
  /**
   * How long to wait for STS to answer one call, in milliseconds (1-60,000).
   * @default 5000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Clock deciding when credentials are due for refresh.
   * @default - the system clock
   */
  readonly clock?: IClock;
}

interface CacheEntry {
  readonly credentials: AthenaCredentials;
  /** Clock time from which a get() starts a refresh. */
  readonly refreshAt: number;
}

/**
 * Temporary credentials of the target role for one connection, assumed with the connection's External ID
 * and session name, cached, and refreshed shortly before they expire.
 *
 * - One refresh at a time, however many callers ask (single flight).
 * - While a refresh is due but the cached credentials are still valid, callers get the cached ones at once;
 *   a failed refresh is retried with backoff while they stay valid.
 * - Expired credentials are never handed out: once they expire, callers wait for a refresh and get its error.
 * - After a refresh failed, callers without valid credentials get that same error at once until the next
 *   backoff slot (exponential, capped, with jitter); then one refresh asks STS again, and a success ends the
 *   backoff. An outage therefore costs a few STS calls, not one (or `maxAttempts`) per caller.
 */
export class AthenaRoleCredentials {
  /** The role that is assumed. */
  public readonly roleArn: string;
  /** The session name sent to STS (`<sessionNamePrefix><connectionId>`). */
  public readonly roleSessionName: string;
  /**
   * The STS endpoint override, or else the partition's regional endpoint. Without an override the SDK's standard
   * endpoint settings (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, a profile's `services` section) come first.
   */
  public readonly stsEndpoint: string;

  private readonly externalId?: string;
  private readonly durationSeconds: number;
  private readonly refreshBeforeMs: number;
  private readonly maxAttempts: number;
  private readonly retryBaseDelayMs: number;
  private readonly failureBackoffBaseMs: number;
  private readonly failureBackoffMaxMs: number;
  private readonly clock: IClock;
  private readonly sts: STSClient;
  private cache?: CacheEntry;
  private inFlight?: Promise<AthenaCredentials>;
  private failedRefreshes = 0;
  private nextRefreshAt = 0;
  private lastFailure?: unknown;
  /** How far STS's clock was at most ahead of the local one at the latest answer, ms (negative: behind). */
  private serverAheadMs = 0;
  private readonly baseCredentialsRecursion = new RecursionWatch();

  constructor(props: AthenaRoleCredentialsProps) {
    const role = checkAssumeRoleSettings(props);
    this.durationSeconds = role.durationSeconds;
    const refreshBefore = props.refreshBeforeExpirySeconds ?? 300;
    assertValid('refreshBeforeExpirySeconds', refreshBefore, integerRangeProblem(refreshBefore, 0, this.durationSeconds - 1));
    this.maxAttempts = props.maxAttempts ?? 3;
    assertValid('maxAttempts', this.maxAttempts, integerRangeProblem(this.maxAttempts, 1, 10));
    this.retryBaseDelayMs = props.retryBaseDelayMs ?? 200;
    assertValid('retryBaseDelayMs', this.retryBaseDelayMs, integerRangeProblem(this.retryBaseDelayMs, 0, 60_000));
    this.failureBackoffBaseMs = props.failureBackoffBaseMs ?? 1000;
    assertValid('failureBackoffBaseMs', this.failureBackoffBaseMs, integerRangeProblem(this.failureBackoffBaseMs, 0, 60_000));
    this.failureBackoffMaxMs = props.failureBackoffMaxMs ?? 30_000;
    assertValid('failureBackoffMaxMs', this.failureBackoffMaxMs, integerRangeProblem(this.failureBackoffMaxMs, 0, 600_000));
    const requestTimeoutMs = props.requestTimeoutMs ?? 5000;
    assertValid('requestTimeoutMs', requestTimeoutMs, integerRangeProblem(requestTimeoutMs, 1, 60_000));
    this.stsEndpoint = role.stsEndpoint ?? regionalStsEndpoint(props.region, partitionOf(props.region)!);

    this.roleArn = props.roleArn;
    this.externalId = props.externalId;
    this.roleSessionName = role.roleSessionName;
    this.refreshBeforeMs = refreshBefore * 1000;
    this.clock = props.clock ?? new SystemClock();
    this.sts = new STSClient({
      region: props.region,
      // Only an explicit override: without one the SDK resolves AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL and the
      // profile's services section before the regional endpoint
      // (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
      endpoint: role.stsEndpoint,
      // Never the global endpoint, whatever AWS_STS_REGIONAL_ENDPOINTS says.
      useGlobalEndpoint: false,
      credentials: props.baseCredentials,
      // Retries are ours, so that every failure is classified once and backoff is configurable.
      maxAttempts: 1,
      requestHandler: { requestTimeout: requestTimeoutMs, connectionTimeout: requestTimeoutMs, throwOnRequestTimeout: true },
      logger: this.baseCredentialsRecursion.logger,
    });
    this.sts.middlewareStack.add((next) => async (args) => {
      const sent = this.clock.now();
      const result = await next(args);
      this.serverAheadMs = serverAheadMs((result.response as { headers?: Record<string, string> }).headers?.date, sent);
      return result;
    }, { step: 'deserialize', name: 'qualyticsStsClockOffset' });
  }

  /** Credentials of the target role: cached ones while they are fresh, otherwise newly assumed. */
  public async get(): Promise<AthenaCredentials> {
    const now = this.clock.now();
    const cache = this.cache;
    if (cache && now < cache.refreshAt) {
      return cache.credentials;
    }
    if (cache && now < cache.credentials.expiration.getTime()) {
      if (!this.inFlight && now >= this.nextRefreshAt) {
        // The cached credentials are still valid: refresh in the background; a failure is retried later.
        this.refresh().catch(() => undefined);
      }
      return cache.credentials;
    }
    if (this.inFlight) {
      return this.inFlight;
    }
    if (this.lastFailure !== undefined && now < this.nextRefreshAt) {
      // STS failed moments ago: answer with that failure until the next backoff slot instead of asking again.
      throw this.lastFailure;
    }
    return this.refresh();
  }

  /**
   * Message of the latest refresh if it failed; cleared by the next successful one. A background refresh
   * fails silently while cached credentials are still valid, so watch this to notice early.
   */
  public get lastRefreshError(): string | undefined {
    const failure = this.lastFailure;
    return failure === undefined ? undefined : failure instanceof Error ? failure.message : String(failure);
  }

  /** Releases the STS client's connections. */
  public close(): void {
    this.sts.destroy();
  }

  private refresh(): Promise<AthenaCredentials> {
    const flight = this.assumeWithRetries().then(
      (credentials) => {
        const now = this.clock.now();
        const lifetime = credentials.expiration.getTime() - now;
        // Refresh at the configured margin, but never in the first half of a session STS cut short.
        this.cache = { credentials, refreshAt: now + Math.max(lifetime - this.refreshBeforeMs, lifetime / 2) };
        this.failedRefreshes = 0;
        this.nextRefreshAt = 0;
        this.lastFailure = undefined;
        return credentials;
      },
      (error: unknown) => {
        this.failedRefreshes += 1;
        this.nextRefreshAt = this.clock.now() + backoffMs(this.failedRefreshes, this.failureBackoffBaseMs, this.failureBackoffMaxMs);
        this.lastFailure = error;
        throw error;
      },
    ).finally(() => {
      this.inFlight = undefined;
    });
    this.inFlight = flight;
    return flight;
  }

  private async assumeWithRetries(): Promise<AthenaCredentials> {
    for (let tries = 1; ; tries++) {
      try {
        return await this.assumeOnce();
      } catch (e) {
        const error = toAssumeRoleError(e, {
          roleArn: this.roleArn,
          roleSessionName: this.roleSessionName,
          externalIdGiven: this.externalId !== undefined,
          baseCredentialsRecursed: this.baseCredentialsRecursion.seen,
        });
        // STS refused a signature dated by a skewed local clock, and the SDK has since moved its signing clock
        // onto STS's (read from the answer's Date header): sign again at once.
        const signedAgain = clockSkewCorrected(e);
        if (!(error.retryable || signedAgain) || tries >= this.maxAttempts) {
          throw error;
        }
        if (!signedAgain) {
          await sleep(backoffMs(tries, this.retryBaseDelayMs));
        }
      }
    }
  }

  private async assumeOnce(): Promise<AthenaCredentials> {
    const response = await this.sts.send(new AssumeRoleCommand({
      RoleArn: this.roleArn,
      RoleSessionName: this.roleSessionName,
      ExternalId: this.externalId,
      DurationSeconds: this.durationSeconds,
    }));
    const c = response.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new Error(`STS answered AssumeRole without complete credentials (request id ${response.$metadata.requestId})`);
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: new Date(c.Expiration.getTime() - this.serverAheadMs),
    };
  }
}

/** The resolution of the HTTP `Date` header (IMF-fixdate: whole seconds, https://www.rfc-editor.org/rfc/rfc9110#section-5.6.7). */
const DATE_HEADER_RESOLUTION_MS = 1000;

/**
 * How far, at most, the server's clock is ahead of the local one (negative: behind), from the `Date` header of an
 * answer to a request sent at local time `sentAt`. The server wrote the header after the request left and before
 * the answer arrived, truncated to the second, so its clock then read less than `date + 1 s`; taking the send time
 * as the local time of that moment errs towards the server being ahead, which makes credentials expire early
 * rather than late. 0 without a readable header.
 */
function serverAheadMs(date: string | undefined, sentAt: number): number {
  const server = date === undefined ? NaN : Date.parse(date);
  return Number.isNaN(server) ? 0 : server + DATE_HEADER_RESOLUTION_MS - sentAt;
}
