import { createHash } from 'node:crypto';
import { BASE_CREDENTIALS, FakeSts } from './fakes/fake-sts';
import { FakeHttpServer } from './fakes/http-fake';
import { ManualClock } from './fakes/manual-clock';
import { AthenaRoleCredentials, AthenaRoleCredentialsProps } from '../../lib/runtime';
import { AssumeRoleError, AssumeRoleFailure, SettingValidationError } from '../../lib/runtime/errors';

const ROLE = 'arn:aws:iam::222222222222:role/QualyticsAthena';
const clock = new ManualClock();
const sts = new FakeSts(clock);
let endpoint: string;
const open: AthenaRoleCredentials[] = [];

beforeAll(async () => {
  endpoint = await sts.http.start();
});
afterAll(async () => {
  open.forEach((c) => c.close());
  await sts.http.stop();
});
beforeEach(() => {
  sts.reset();
  sts.roles.add(ROLE);
  sts.requiredExternalId = 'ext-123';
});

function credentials(props: Partial<AthenaRoleCredentialsProps> = {}): AthenaRoleCredentials {
  const c = new AthenaRoleCredentials({
    roleArn: ROLE,
    externalId: 'ext-123',
    connectionId: '42',
    region: 'us-east-1',
    stsEndpoint: endpoint,
    baseCredentials: BASE_CREDENTIALS,
    retryBaseDelayMs: 1,
    requestTimeoutMs: 2000,
    clock,
    ...props,
  });
  open.push(c);
  return c;
}

async function failureOf(promise: Promise<unknown>): Promise<AssumeRoleError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(AssumeRoleError);
  return error as AssumeRoleError;
}

describe('AssumeRole request', () => {
  test('sends role, External ID, session name and duration, signed with the base credentials', async () => {
    const c = await credentials({ durationSeconds: 1800 }).get();
    expect(sts.calls).toEqual([{
      roleArn: ROLE,
      externalId: 'ext-123',
      roleSessionName: 'qualytics-athena-42',
      durationSeconds: 1800,
      signedWith: BASE_CREDENTIALS.accessKeyId,
    }]);
    expect(c).toEqual({
      accessKeyId: sts.issued[0].accessKeyId,
      secretAccessKey: 'secret-1',
      sessionToken: sts.issued[0].sessionToken,
      // STS's Date header reads the local time to the second; the session counts as ending that second early.
      expiration: new Date(clock.now() + 1800_000 - 1000),
    });
  });

  test('defaults to a one-hour session and omits a missing External ID', async () => {
    sts.requiredExternalId = undefined;
    await credentials({ externalId: undefined }).get();
    expect(sts.calls[0].durationSeconds).toBe(3600);
    expect(sts.calls[0].externalId).toBeUndefined();
  });

  test.each([
    ['conn 7/β!', 'qualytics-athena-conn7-' + sha8('conn 7/β!')],
    ['a'.repeat(100), 'qualytics-athena-' + 'a'.repeat(38) + '-' + sha8('a'.repeat(100))],
    ['id+=,.@-_x', 'qualytics-athena-id+=,.@-_x'],
    ['b'.repeat(47), 'qualytics-athena-' + 'b'.repeat(47)],
  ])('session name for connection %j is %s', (connectionId, sessionName) => {
    expect(credentials({ connectionId }).roleSessionName).toBe(sessionName);
  });

  test.each([
    ['ids that differ only after the 64-character cut', 'x'.repeat(60) + '-tenant-1', 'x'.repeat(60) + '-tenant-2'],
    ['ids that differ only in characters STS refuses', 'orders/eu', 'orders:eu'],
    ['an id that is the changed form of another', 'conn 7', 'conn7'],
  ])('%s get different session names within STS limits', (_name, a, b) => {
    const [nameA, nameB] = [a, b].map((connectionId) => credentials({ connectionId }).roleSessionName);
    expect(nameA).not.toBe(nameB);
    for (const name of [nameA, nameB]) {
      expect(name).toMatch(/^qualytics-athena-[\w+=,.@-]+$/);
      expect(name.length).toBeLessThanOrEqual(64);
    }
  });

  test('the session name is stable for the same id', () => {
    expect(credentials({ connectionId: 'a b' }).roleSessionName).toBe(credentials({ connectionId: 'a b' }).roleSessionName);
  });

  test('a custom session name prefix is used and sent to STS', async () => {
    const c = credentials({ sessionNamePrefix: 'acme-', connectionId: '42' });
    expect(c.roleSessionName).toBe('acme-42');
    await c.get();
    expect(sts.calls[0].roleSessionName).toBe('acme-42');
  });

  test('the longest prefix still leaves room for the hash of a changed id', () => {
    const prefix = 'p'.repeat(55);
    const name = credentials({ sessionNamePrefix: prefix, connectionId: 'conn 1' }).roleSessionName;
    expect(name).toBe(`${prefix}-${sha8('conn 1')}`);
    expect(name).toHaveLength(64);
  });

  test.each([
    ['us-east-1', 'arn:aws', 'https://sts.us-east-1.amazonaws.com'],
    ['cn-north-1', 'arn:aws-cn', 'https://sts.cn-north-1.amazonaws.com.cn'],
    ['us-gov-west-1', 'arn:aws-us-gov', 'https://sts.us-gov-west-1.amazonaws.com'],
  ])('region %s uses its regional STS endpoint', (region, arnPrefix, expected) => {
    const c = credentials({ region, stsEndpoint: undefined, roleArn: ROLE.replace('arn:aws', arnPrefix) });
    expect(c.stsEndpoint).toBe(expected);
  });
});

describe('cache', () => {
  test('serves cached credentials until the refresh margin', async () => {
    const c = credentials();
    const first = await c.get();
    // The margin, and the second the Date header cannot resolve.
    clock.advance((3600 - 300 - 1) * 1000 - 1);
    expect(await c.get()).toBe(first);
    expect(sts.calls).toHaveLength(1);
  });

  test('1,000 concurrent calls on a cold cache make one STS call', async () => {
    const c = credentials();
    const all = await Promise.all(Array.from({ length: 1000 }, () => c.get()));
    expect(sts.calls).toHaveLength(1);
    expect(new Set(all).size).toBe(1);
  });

  test('inside the margin: one background refresh, callers meanwhile get the cached credentials', async () => {
    const c = credentials();
    const first = await c.get();
    clock.advance((3600 - 300) * 1000);
    sts.http.injectFaults({ kind: 'delay', ms: 50 });
    const during = await Promise.all(Array.from({ length: 100 }, () => c.get()));
    expect(during.every((d) => d === first)).toBe(true);
    await eventually(() => sts.issued.length === 2);
    await eventually(async () => (await c.get()) !== first);
    expect(sts.calls).toHaveLength(2);
    expect((await c.get()).accessKeyId).toBe(sts.issued[1].accessKeyId);
  });

  test('expired credentials are never served: callers wait for the refresh', async () => {
    const c = credentials();
    const first = await c.get();
    clock.advance(3600 * 1000);
    const next = await Promise.all([c.get(), c.get(), c.get()]);
    expect(next.every((n) => n !== first && n === next[0])).toBe(true);
    expect(sts.calls).toHaveLength(2);
  });

  test('a failed refresh keeps serving valid credentials and retries after a backoff', async () => {
    const c = credentials({ failureBackoffBaseMs: 1000 });
    const first = await c.get();
    clock.advance((3600 - 300) * 1000);
    sts.failNext({ status: 403, code: 'AccessDenied' });
    expect(await c.get()).toBe(first);
    await eventually(() => c.lastRefreshError !== undefined);
    expect(c.lastRefreshError).toMatch(/ACCESS_DENIED/);
    expect(await c.get()).toBe(first);
    expect(sts.calls).toHaveLength(2); // still backing off
    clock.advance(1000);
    expect(await c.get()).toBe(first);
    await eventually(async () => (await c.get()) !== first);
    expect(sts.calls).toHaveLength(3);
    expect(c.lastRefreshError).toBeUndefined();
  });

  test('when the credentials have expired a failing refresh is reported to every caller', async () => {
    const c = credentials();
    await c.get();
    clock.advance(3600 * 1000);
    sts.failNext({ status: 403, code: 'AccessDenied' });
    const results = await Promise.allSettled([c.get(), c.get()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(sts.calls).toHaveLength(2);
  });

  test('a session STS cuts short is refreshed half-way, not on every call', async () => {
    sts.maxLifetimeSeconds = 900;
    const c = credentials({ durationSeconds: 3600, refreshBeforeExpirySeconds: 600 });
    const first = await c.get();
    clock.advance(449_000);
    expect(await c.get()).toBe(first);
    expect(sts.calls).toHaveLength(1);
  });
});

describe('a local clock that differs from STS\'s', () => {
  // STS dates its answers by its own clock (the fake's `clock`); the credentials keep time by `local`.
  test.each([['behind', -600_000], ['ahead', 600_000]])('ten minutes %s: expiry and refresh follow STS\'s clock, read through its Date header', async (_name, offset) => {
    const local = new ManualClock(clock.now() + offset);
    const c = credentials({ clock: local });
    const first = await c.get();
    // On the local clock the session ends when STS's does, at most a second early (the Date header's resolution).
    expect(first.expiration.getTime()).toBeGreaterThanOrEqual(local.now() + 3599_000);
    expect(first.expiration.getTime()).toBeLessThanOrEqual(local.now() + 3600_000);
    [local, clock].forEach((k) => k.advance((3600 - 300 - 1) * 1000 - 1));
    expect(await c.get()).toBe(first);
    expect(sts.calls).toHaveLength(1);
    // STS's session is over: never served again, whatever the local clock says.
    [local, clock].forEach((k) => k.advance(301_001));
    const next = await c.get();
    expect(next).not.toBe(first);
    expect(sts.calls).toHaveLength(2);
  });
});

test('a signature STS refuses as dated by a skewed clock is signed again, on STS\'s time, within the same refresh', async () => {
  // The fake's clock is months away from the one the SDK signs with; STS's answer dates itself, and the SDK moves its
  // signing clock onto that date (clock skew correction) before the second attempt.
  sts.checkSigningTime = true;
  const c = await credentials({ maxAttempts: 2 }).get();
  expect(c.accessKeyId).toBe(sts.issued[0].accessKeyId);
  expect(sts.calls).toHaveLength(2);
});

describe('the STS endpoint: the prop, then AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL, then the regional one', () => {
  // The SDKs' service-specific endpoint settings: https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
  const decoy = new FakeHttpServer(() => ({ status: 500, body: 'decoy' }));
  let decoyUrl: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    decoyUrl = await decoy.start();
  });
  afterAll(async () => {
    await decoy.stop();
  });
  afterEach(() => {
    delete process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_ENDPOINT_URL_STS;
    Object.assign(process.env, saved);
    decoy.reset();
  });

  test.each<[string, Record<string, string | undefined>, boolean]>([
    ['AWS_ENDPOINT_URL_STS', { AWS_ENDPOINT_URL_STS: 'sts', AWS_ENDPOINT_URL: 'decoy' }, false],
    ['AWS_ENDPOINT_URL', { AWS_ENDPOINT_URL: 'sts' }, false],
    ['the stsEndpoint prop over both', { AWS_ENDPOINT_URL_STS: 'decoy', AWS_ENDPOINT_URL: 'decoy' }, true],
  ])('%s', async (_name, env, withProp) => {
    for (const [key, target] of Object.entries(env)) process.env[key] = target === 'sts' ? endpoint : decoyUrl;
    const c = credentials({ stsEndpoint: withProp ? endpoint : undefined, maxAttempts: 1 });
    await c.get();
    expect(sts.calls).toHaveLength(1);
    expect(decoy.requests).toHaveLength(0);
  });
});

describe('while STS keeps failing', () => {
  // With nothing valid cached, callers get the last failure at once until the next backoff slot.
  test.each<[string, () => void, number]>([
    ['AccessDenied', () => sts.failNext(...Array.from({ length: 100 }, () => ({ status: 403, code: 'AccessDenied' }))), 1],
    ['503', () => sts.http.injectFaults(...Array.from({ length: 100 }, () => ({ kind: 'status' as const, status: 503 }))), 3],
    ['throttling', () => sts.failNext(...Array.from({ length: 100 }, () => ({ status: 400, code: 'Throttling' }))), 3],
  ])('20 get() in a row after %s make one refresh, not 20', async (_name, fail, requestsPerRefresh) => {
    fail();
    const c = credentials({ maxAttempts: 3, failureBackoffBaseMs: 1000 });
    const first = await failureOf(c.get());
    for (let i = 0; i < 19; i++) {
      expect(await failureOf(c.get())).toBe(first);
    }
    expect(sts.http.requests).toHaveLength(requestsPerRefresh);
  });

  test('a refused connection is remembered as well', async () => {
    const stopped = new FakeHttpServer(() => ({ status: 500 }));
    const stsEndpoint = await stopped.start();
    await stopped.stop();
    const c = credentials({ maxAttempts: 1, stsEndpoint });
    const first = await failureOf(c.get());
    expect(first.failure).toBe(AssumeRoleFailure.NETWORK);
    expect(await failureOf(c.get())).toBe(first);
  });

  test('STS is asked again only at the backoff slots, which grow and are capped', async () => {
    sts.failNext(...Array.from({ length: 100 }, () => ({ status: 403, code: 'AccessDenied' })));
    const c = credentials({ failureBackoffBaseMs: 1000, failureBackoffMaxMs: 4000 });
    await failureOf(c.get());
    // Jitter puts slot n between half and all of min(1000 * 2^(n-1), 4000) ms after failure n.
    for (const full of [1000, 2000, 4000, 4000, 4000]) {
      const before = sts.calls.length;
      clock.advance(full / 2 - 1);
      await failureOf(c.get());
      expect(sts.calls.length).toBe(before);
      clock.advance(full / 2 + 1);
      await failureOf(c.get());
      expect(sts.calls.length).toBe(before + 1);
    }
  });

  test('recovers by itself once STS answers again', async () => {
    sts.failNext({ status: 403, code: 'AccessDenied' }, { status: 403, code: 'AccessDenied' });
    const c = credentials({ failureBackoffBaseMs: 1000 });
    await failureOf(c.get());
    clock.advance(1000);
    await failureOf(c.get());
    expect(c.lastRefreshError).toMatch(/ACCESS_DENIED/);
    clock.advance(2000);
    const recovered = await c.get();
    expect(recovered.accessKeyId).toBe(sts.issued[0].accessKeyId);
    expect(c.lastRefreshError).toBeUndefined();
    expect(await c.get()).toBe(recovered);
    expect(sts.calls).toHaveLength(3);
  });

  test('concurrent callers at a backoff slot share one refresh', async () => {
    sts.failNext({ status: 403, code: 'AccessDenied' });
    const c = credentials({ failureBackoffBaseMs: 1000 });
    await failureOf(c.get());
    clock.advance(1000);
    sts.failNext({ status: 403, code: 'AccessDenied' });
    sts.http.injectFaults({ kind: 'delay', ms: 30 });
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => c.get()));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(sts.calls).toHaveLength(2);
  });

  test('expired credentials followed by a failing STS: the failure is remembered too', async () => {
    const c = credentials({ failureBackoffBaseMs: 1000 });
    await c.get();
    clock.advance(3600 * 1000);
    sts.failNext({ status: 403, code: 'AccessDenied' });
    const first = await failureOf(c.get());
    expect(await failureOf(c.get())).toBe(first);
    expect(sts.calls).toHaveLength(2);
    clock.advance(1000);
    expect((await c.get()).accessKeyId).toBe(sts.issued[1].accessKeyId);
  });
});

describe('STS failures', () => {
  test('AccessDenied names trust principal, External ID and session-name prefix, and keeps the request id', async () => {
    const error = await failureOf(credentials({ externalId: 'wrong-id' }).get());
    expect(error.failure).toBe(AssumeRoleFailure.ACCESS_DENIED);
    expect(error.requestId).toBe('sts-request-1');
    expect(error.message).toMatch(/trust principal.*External ID.*session-name prefix.*qualytics-athena-42/s);
    expect(error.message).toContain('sts-request-1');
    expect(sts.calls).toHaveLength(1);
  });

  test('AccessDenied without an External ID says none was given', async () => {
    const error = await failureOf(credentials({ externalId: undefined }).get());
    expect(error.hint).toContain('no External ID was given');
  });

  test.each([
    ['NoSuchEntity', 404, AssumeRoleFailure.ROLE_NOT_FOUND, /No role exists under this ARN/],
    ['ExpiredToken', 403, AssumeRoleFailure.BASE_CREDENTIALS_EXPIRED, /have expired/],
    ['InvalidClientTokenId', 403, AssumeRoleFailure.BASE_CREDENTIALS_INVALID, /does not accept/],
    ['RegionDisabledException', 403, AssumeRoleFailure.REGION_DISABLED, /not activated/],
    ['ValidationError', 400, AssumeRoleFailure.REQUEST_REJECTED, /MaxSessionDuration/],
  ])('%s is not retried and explains itself', async (code, status, failure, hint) => {
    sts.failNext({ status, code });
    const error = await failureOf(credentials().get());
    expect(error.failure).toBe(failure);
    expect(error.code).toBe(code);
    expect(error.hint).toMatch(hint);
    expect(error.retryable).toBe(false);
    expect(sts.calls).toHaveLength(1);
  });

  test('wrong base credentials are reported as such', async () => {
    const error = await failureOf(credentials({ baseCredentials: { accessKeyId: 'AKIAWRONG', secretAccessKey: 'x', sessionToken: 't' } }).get());
    expect(error.failure).toBe(AssumeRoleFailure.BASE_CREDENTIALS_INVALID);
  });

  test('throttling is retried and then succeeds', async () => {
    sts.failNext({ status: 400, code: 'Throttling' }, { status: 400, code: 'Throttling' });
    await credentials({ maxAttempts: 3 }).get();
    expect(sts.calls).toHaveLength(3);
  });

  test('throttling that persists is reported after maxAttempts', async () => {
    sts.failNext(...Array.from({ length: 3 }, () => ({ status: 400, code: 'Throttling' })));
    const error = await failureOf(credentials({ maxAttempts: 3 }).get());
    expect(error.failure).toBe(AssumeRoleFailure.THROTTLED);
    expect(error.retryable).toBe(true);
    expect(sts.calls).toHaveLength(3);
  });

  test('5xx answers are retried', async () => {
    sts.http.injectFaults({ kind: 'status', status: 503 }, { kind: 'status', status: 500 });
    await credentials({ maxAttempts: 3 }).get();
    expect(sts.calls).toHaveLength(1);
    expect(sts.http.requests).toHaveLength(3);
  });

  test('a 5xx that persists is a service error', async () => {
    sts.http.injectFaults({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    const error = await failureOf(credentials({ maxAttempts: 2 }).get());
    expect(error.failure).toBe(AssumeRoleFailure.SERVICE_ERROR);
  });

  test('connection resets are network failures, retried', async () => {
    sts.http.injectFaults({ kind: 'reset' });
    await credentials({ maxAttempts: 2 }).get();
    sts.http.injectFaults({ kind: 'reset' });
    const error = await failureOf(credentials({ maxAttempts: 1 }).get());
    expect(error.failure).toBe(AssumeRoleFailure.NETWORK);
    expect(error.hint).toMatch(/could not be reached/);
  });

  test('a slow answer times out as a network failure', async () => {
    sts.http.injectFaults({ kind: 'delay', ms: 500 });
    const error = await failureOf(credentials({ maxAttempts: 1, requestTimeoutMs: 50 }).get());
    expect(error.failure).toBe(AssumeRoleFailure.NETWORK);
  });

  test('a refused connection is a network failure', async () => {
    const stopped = new FakeHttpServer(() => ({ status: 500 }));
    const stsEndpoint = await stopped.start();
    await stopped.stop();
    const error = await failureOf(credentials({ maxAttempts: 1, stsEndpoint }).get());
    expect(error.failure).toBe(AssumeRoleFailure.NETWORK);
    expect(error.code).toBe('ECONNREFUSED');
  });
});

describe('bad properties are refused at construction', () => {
  test.each<[string, Partial<AthenaRoleCredentialsProps>, RegExp]>([
    ['roleArn', { roleArn: 'QualyticsAthena' }, /expected an IAM role ARN/],
    ['roleArn', { roleArn: 'arn:aws:iam::222222222222:user/alice' }, /IAM user ARN, not a role/],
    ['roleArn', { roleArn: 'arn:aws:sts::222222222222:assumed-role/QualyticsAthena/s' }, /assumed-role session ARN/],
    ['roleArn', { roleArn: 'arn:aws:iam::2222:role/QualyticsAthena' }, /12-digit account/],
    ['roleArn', { roleArn: 'arn:aws-cn:iam::222222222222:role/QualyticsAthena' }, /partition aws-cn but region us-east-1/],
    ['externalId', { externalId: 'x' }, /2-1,224 characters/],
    ['externalId', { externalId: 'has space' }, /no whitespace/],
    ['externalId', { externalId: 'a'.repeat(1225) }, /2-1,224 characters/],
    ['connectionId', { connectionId: '!!! ' }, /nothing is left/],
    ['connectionId', { connectionId: '' }, /nothing is left/],
    ['sessionNamePrefix', { sessionNamePrefix: 'qualytics athena-' }, /1 to 55 characters of letters, digits and _\+=,.@-/],
    ['sessionNamePrefix', { sessionNamePrefix: '' }, /1 to 55 characters/],
    ['sessionNamePrefix', { sessionNamePrefix: 'p'.repeat(56) }, /9-character hash/],
    ['failureBackoffBaseMs', { failureBackoffBaseMs: -1 }, /from 0 to 60000/],
    ['failureBackoffMaxMs', { failureBackoffMaxMs: 600_001 }, /from 0 to 600000/],
    ['durationSeconds', { durationSeconds: 899 }, /from 900 to 3600: the base identity reaches the target role by role chaining/],
    // Role chaining (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining).
    ['durationSeconds', { durationSeconds: 3601 }, /from 900 to 3600: .*role chaining, which STS caps at 3600 s/],
    ['durationSeconds', { durationSeconds: 43_200 }, /from 900 to 3600/],
    ['durationSeconds', { durationSeconds: 1000.5 }, /whole number/],
    ['refreshBeforeExpirySeconds', { refreshBeforeExpirySeconds: 3600 }, /from 0 to 3599/],
    ['refreshBeforeExpirySeconds', { refreshBeforeExpirySeconds: -1 }, /from 0 to 3599/],
    ['region', { region: 'us-east' }, /region of the aws, aws-cn or aws-us-gov partition/],
    ['region', { region: 'US-EAST-1' }, /such as us-east-1/],
    ['region', { region: 'us-iso-east-1' }, /aws, aws-cn or aws-us-gov/],
    ['maxAttempts', { maxAttempts: 0 }, /from 1 to 10/],
    ['retryBaseDelayMs', { retryBaseDelayMs: -5 }, /from 0 to 60000/],
    ['requestTimeoutMs', { requestTimeoutMs: 0 }, /from 1 to 60000/],
    ['stsEndpoint', { stsEndpoint: 'sts.us-east-1.amazonaws.com' }, /http\(s\) URL/],
  ])('%s %j', (property, props, accepted) => {
    const error = (() => {
      try {
        credentials(props);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SettingValidationError);
    const e = error as SettingValidationError;
    expect(e.property).toBe(property);
    expect(e.message).toContain(`Invalid ${property} ${JSON.stringify(Object.values(props)[0])}`);
    expect(e.message).toMatch(accepted);
  });
});

function sha8(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 8);
}

async function eventually(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition never became true');
}
