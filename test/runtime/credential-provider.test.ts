import { AthenaClient, GetWorkGroupCommand } from '@aws-sdk/client-athena';
import { GetDatabasesCommand, GlueClient } from '@aws-sdk/client-glue';
import { FakeAthena } from './fakes/fake-athena';
import { FakeGlue } from './fakes/fake-glue';
import { FakeS3 } from './fakes/fake-s3';
import { BASE_CREDENTIALS, FakeSts } from './fakes/fake-sts';
import { ManualClock } from './fakes/manual-clock';
import { AthenaRoleCredentials, AthenaRoleCredentialsProps } from '../../lib/runtime';
import { athenaRoleCredentialProvider } from '../../lib/runtime/credential-provider';

const ROLE = 'arn:aws:iam::222222222222:role/QualyticsAthena';
const clock = new ManualClock(Date.now());
const sts = new FakeSts(clock);
const athena = new FakeAthena(sts, new FakeS3(sts));
const glue = new FakeGlue(sts);
let props: AthenaRoleCredentialsProps;
let athenaEndpoint: string;
let glueEndpoint: string;

beforeAll(async () => {
  props = { roleArn: ROLE, connectionId: 'c1', region: 'us-east-1', stsEndpoint: await sts.http.start(), baseCredentials: BASE_CREDENTIALS, clock };
  athenaEndpoint = await athena.http.start();
  glueEndpoint = await glue.http.start();
  sts.roles.add(ROLE);
  athena.workgroups.set('primary', { state: 'ENABLED' });
});
afterAll(async () => {
  await Promise.all([sts, athena, glue].map((fake) => fake.http.stop()));
});

test('Athena and Glue clients sharing one AthenaRoleCredentials sign with the assumed role, from one AssumeRole', async () => {
  const credentials = new AthenaRoleCredentials(props);
  const provider = athenaRoleCredentialProvider(credentials);
  const athenaClient = new AthenaClient({ region: 'us-east-1', endpoint: athenaEndpoint, credentials: provider });
  const glueClient = new GlueClient({ region: 'us-east-1', endpoint: glueEndpoint, credentials: provider });
  try {
    await athenaClient.send(new GetWorkGroupCommand({ WorkGroup: 'primary' }));
    await glueClient.send(new GetDatabasesCommand({}));
    await athenaClient.send(new GetWorkGroupCommand({ WorkGroup: 'primary' }));
    expect(sts.calls).toHaveLength(1);
    expect(athena.http.requests[0].headers['x-amz-security-token']).toBe(sts.issued[0].sessionToken);
  } finally {
    athenaClient.destroy();
    glueClient.destroy();
    credentials.close();
  }
});

test('a provider made from props refreshes through its own cache when the session nears expiry', async () => {
  const provider = athenaRoleCredentialProvider(props);
  const before = sts.calls.length;
  const first = await provider();
  clock.advance(3600 * 1000);
  const second = await provider();
  expect(sts.calls.length - before).toBe(2);
  expect(second.accessKeyId).not.toBe(first.accessKeyId);
  expect(second).toEqual({
    accessKeyId: sts.issued[sts.issued.length - 1].accessKeyId,
    secretAccessKey: `secret-${sts.issued.length}`,
    sessionToken: sts.issued[sts.issued.length - 1].sessionToken,
    expiration: expect.any(Date),
  });
  // STS's Date header has whole seconds: the session counts as ending up to a second before STS's expiry.
  expect(second.expiration!.getTime()).toBeGreaterThan(clock.now() + 3599 * 1000 - 1);
  expect(second.expiration!.getTime()).toBeLessThanOrEqual(clock.now() + 3600 * 1000);
});
