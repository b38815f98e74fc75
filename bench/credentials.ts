import { AthenaClient } from '@aws-sdk/client-athena';
// eslint-disable-next-line import/no-extraneous-dependencies -- dev-time benchmark; its SDK baseline is a devDependency
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { AthenaRoleCredentials, AthenaRoleCredentialsProps } from '../lib/runtime';
import { BASE_CREDENTIALS, FakeSts } from '../test/runtime/fakes/fake-sts';
import { ManualClock } from '../test/runtime/fakes/manual-clock';

const ROLE = 'arn:aws:iam::222222222222:role/QualyticsAthena';
const EXTERNAL_ID = 'bench-external-id';
const CONCURRENT_CALLERS = 1000;
const SIMULATED_SECONDS = 24 * 3600;
const TIMED_CALLS = 20_000;
const OUTAGE_CALLS = 1000;
const OUTAGE_MS = 60_000;

/**
 * Credential cache figures against a fake STS on 127.0.0.1: STS calls for 1,000 concurrent cold get()s and over
 * a simulated day of one get() per second (baseline: one AssumeRole per get() without a cache), and the median
 * cost of a cached get() next to the AWS SDK's fromTemporaryCredentials behind an Athena client's credential cache,
 * and the AssumeRole calls that 1,000 get() make while STS answers 503 for a simulated minute, against the SDK's
 * fromTemporaryCredentials asked as often.
 */
export async function credentialsBenchmark(): Promise<void> {
  const clock = new ManualClock(Date.now());
  const sts = new FakeSts(clock);
  sts.roles.add(ROLE);
  sts.requiredExternalId = EXTERNAL_ID;
  const stsEndpoint = await sts.http.start();
  const props: AthenaRoleCredentialsProps = {
    roleArn: ROLE, externalId: EXTERNAL_ID, connectionId: 'bench', region: 'us-east-1', stsEndpoint, baseCredentials: BASE_CREDENTIALS, clock,
  };
  const athena = new AthenaClient({
    region: 'us-east-1',
    credentials: fromTemporaryCredentials({
      params: { RoleArn: ROLE, ExternalId: EXTERNAL_ID, RoleSessionName: 'qualytics-athena-bench' },
      masterCredentials: BASE_CREDENTIALS,
      clientConfig: { region: 'us-east-1', endpoint: stsEndpoint },
    }),
  });
  const cold = new AthenaRoleCredentials(props);
  const steady = new AthenaRoleCredentials(props);
  try {
    const coldCalls = await stsCalls(sts, () => Promise.all(Array.from({ length: CONCURRENT_CALLERS }, () => cold.get())));
    const dayCalls = await stsCalls(sts, () => simulateDay(steady, clock));
    const cachedNs = await medianNs(() => cold.get());
    const sdkNs = await medianNs(() => athena.config.credentials());
    const outage = await outageCalls(sts, clock, props);
    const rows = [
      ['STS calls, 1,000 concurrent get() on a cold cache', coldCalls, `${CONCURRENT_CALLERS} (no cache)`],
      ['STS calls, 24 h of one get() per second', dayCalls, `${SIMULATED_SECONDS} (no cache)`],
      ['median cached get()', formatNs(cachedNs), `${formatNs(sdkNs)} (fromTemporaryCredentials + client cache)`],
      ['ratio cached get() / SDK baseline', (cachedNs / sdkNs).toFixed(2), '1.00'],
      ['AssumeRole calls, 1,000 get() in a 60 s STS outage (1 attempt per refresh)', outage.cacheOneAttempt,
        `${outage.sdk} (fromTemporaryCredentials, 1 attempt per call)`],
      ['same, default 3 attempts per refresh', outage.cacheDefault, `${outage.sdk} x up to 3 (SDK default retries; not measured)`],
    ];
    console.log('\nCredential cache (fake STS on 127.0.0.1)');
    console.table(rows.map(([figure, measured, baseline]) => ({ figure, measured, baseline })));
  } finally {
    [cold, steady].forEach((c) => c.close());
    athena.destroy();
    await sts.http.stop();
  }
}

/**
 * AssumeRole requests made by 1,000 get() spread over a 60 s outage (every request answered 503), one get() every
 * 60 ms of simulated time: the cache with one attempt per refresh and with its default three, and the SDK's
 * fromTemporaryCredentials with one attempt per call (its own retries would multiply its figure by up to three).
 */
async function outageCalls(sts: FakeSts, clock: ManualClock, props: AthenaRoleCredentialsProps) {
  const stsEndpoint = props.stsEndpoint!;
  const during = async (get: () => Promise<unknown>): Promise<number> => {
    sts.http.reset();
    sts.http.injectFaults(...Array.from({ length: OUTAGE_CALLS * 3 }, () => ({ kind: 'status' as const, status: 503 })));
    for (let i = 0; i < OUTAGE_CALLS; i++) {
      await get().catch(() => undefined);
      clock.advance(OUTAGE_MS / OUTAGE_CALLS);
    }
    const requests = sts.http.requests.length;
    sts.http.reset();
    return requests;
  };
  const cacheWith = async (maxAttempts?: number): Promise<number> => {
    const credentials = new AthenaRoleCredentials({ ...props, connectionId: `outage-${maxAttempts ?? 'default'}`, maxAttempts, retryBaseDelayMs: 1 });
    try {
      return await during(() => credentials.get());
    } finally {
      credentials.close();
    }
  };
  const sdkProvider = fromTemporaryCredentials({
    params: { RoleArn: ROLE, ExternalId: EXTERNAL_ID, RoleSessionName: 'qualytics-athena-outage' },
    masterCredentials: BASE_CREDENTIALS,
    clientConfig: { region: 'us-east-1', endpoint: stsEndpoint, maxAttempts: 1 },
  });
  return { cacheOneAttempt: await cacheWith(1), cacheDefault: await cacheWith(undefined), sdk: await during(() => sdkProvider()) };
}

async function stsCalls(sts: FakeSts, work: () => Promise<unknown>): Promise<number> {
  const before = sts.calls.length;
  await work();
  return sts.calls.length - before;
}

/** One get() per simulated second; lets I/O run every simulated minute so background refreshes complete. */
async function simulateDay(credentials: AthenaRoleCredentials, clock: ManualClock): Promise<void> {
  for (let second = 0; second < SIMULATED_SECONDS; second++) {
    await credentials.get();
    clock.advance(1000);
    if (second % 60 === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

async function medianNs(call: () => Promise<unknown>): Promise<number> {
  await call();
  const samples: number[] = [];
  for (let i = 0; i < TIMED_CALLS; i++) {
    const start = process.hrtime.bigint();
    await call();
    samples.push(Number(process.hrtime.bigint() - start));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function formatNs(ns: number): string {
  return ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns} ns`;
}

if (require.main === module) {
  void credentialsBenchmark();
}
