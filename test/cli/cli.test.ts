import { runCli } from '../../lib/cli';
import { FakeAthena } from '../runtime/fakes/fake-athena';
import { FakeGlue } from '../runtime/fakes/fake-glue';
import { FakeS3 } from '../runtime/fakes/fake-s3';
import { BASE_CREDENTIALS, FakeSts } from '../runtime/fakes/fake-sts';
import { FakeHttpServer } from '../runtime/fakes/http-fake';
import { ManualClock } from '../runtime/fakes/manual-clock';

const ROLE = 'arn:aws:iam::222222222222:role/QualyticsAthena';
const EXTERNAL_ID = 'qualytics-tenant-7f3a';
const sts = new FakeSts(new ManualClock(Date.now()));
const s3 = new FakeS3(sts);
const glue = new FakeGlue(sts);
const athena = new FakeAthena(sts, s3);
let endpoints: { sts: string; athena: string; glue: string; s3: string };

beforeAll(async () => {
  endpoints = { sts: await sts.http.start(), athena: await athena.http.start(), glue: await glue.http.start(), s3: await s3.http.start() };
});
afterAll(async () => {
  await Promise.all([sts, athena, glue, s3].map((fake) => fake.http.stop()));
});
beforeEach(() => {
  [sts, athena, glue, s3].forEach((fake) => fake.reset());
  sts.roles.add(ROLE);
  sts.requiredExternalId = EXTERNAL_ID;
  athena.workgroups.set('primary', { state: 'ENABLED', outputLocation: 's3://qualytics-results/athena/' });
});

const ARGS = ['verify', '--host', 'athena.us-east-1.amazonaws.com', '--role-arn', ROLE, '--external-id', EXTERNAL_ID];

async function run(argv: string[] = ARGS): Promise<{ code: number; out: string[]; err: string[]; line: (step: string) => string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    verify: {
      endpoints,
      baseCredentials: BASE_CREDENTIALS,
      propagationRetries: 3,
      propagationRetryDelayMs: 1,
      maxAttempts: 2,
      retryBaseDelayMs: 1,
      queryPollIntervalMs: 1,
      queryMaxPolls: 5,
    },
  });
  // Hints never repeat their detail line: each says something the line above it does not.
  out.forEach((l, i) => {
    const hint = /^ {6}hint: (.*)$/.exec(l)?.[1];
    if (hint !== undefined) expect(out[i - 1]).not.toContain(hint);
  });
  const line = (step: string) => {
    const i = out.findIndex((l) => new RegExp(`^(PASS|WARN|FAIL|SKIP)  ${step} `).test(l));
    return i < 0 ? '' : [out[i], out[i + 1]?.startsWith('      hint:') ? out[i + 1] : ''].join('\n');
  };
  return { code, out, err, line };
}

test('a correctly deployed role passes every check', async () => {
  const { code, out, line } = await run();
  expect(code).toBe(0);
  expect(out[0]).toBe(`Verifying ${ROLE} for athena.us-east-1.amazonaws.com, workgroup primary`);
  expect(line('host')).toMatch(/^PASS  host .*Athena endpoint of us-east-1 \(partition aws\)/);
  expect(line('assume-role')).toMatch(/^PASS .*as session qualytics-athena-verify; credentials expire/);
  expect(line('external-id-required')).toMatch(/^PASS .*without the External ID was refused/);
  expect(line('wrong-external-id')).toMatch(/^PASS .*with a wrong External ID \(qualytics-verify-wrong-external-id\) was refused/);
  expect(line('workgroup')).toMatch(/^PASS .*workgroup primary is ENABLED; query results go to s3:\/\/qualytics-results\/athena\//);
  expect(line('catalog')).toMatch(/^PASS .*lists 2 database\(s\): default, sales/);
  expect(line('query')).toMatch(/^PASS .*SELECT 'qualytics-verify-[0-9a-f]{12}' AS qualytics_verify ran as query query-1/);
  const selected = /SELECT '([^']+)'/.exec(line('query'))![1];
  expect(line('query-results')).toBe(`PASS  query-results         read the value the query selected (${selected}) from s3://qualytics-results/athena/query-1.csv\n`);
  expect(out[out.length - 1]).toBe('All 8 checks passed.');
  // AssumeRole with the External ID, then without it, then with a wrong one, all under the connection's session name.
  expect(sts.calls.map((c) => [c.externalId, c.roleSessionName])).toEqual([
    [EXTERNAL_ID, 'qualytics-athena-verify'], [undefined, 'qualytics-athena-verify'],
    ['qualytics-verify-wrong-external-id', 'qualytics-athena-verify'],
  ]);
  // Athena, Glue and S3 were called with the assumed credentials (the fakes refuse anything else).
  expect(glue.http.requests).toHaveLength(1);
  expect(s3.http.requests[0].path).toMatch(/^\/qualytics-results\/athena\/query-1\.csv(\?|$)/);
});

test('a role that can be assumed without the External ID fails verification', async () => {
  sts.requiredExternalId = undefined;
  const { code, line, out } = await run();
  expect(code).toBe(1);
  expect(line('external-id-required')).toMatch(/^FAIL .*can be assumed WITHOUT the External ID/);
  expect(line('external-id-required')).toContain(`hint: Put "Condition": {"StringEquals": {"sts:ExternalId": "${EXTERNAL_ID}"}}`);
  expect(out[out.length - 1]).toBe('2 of 8 checks failed.');
});

test('a trust that accepts any External ID (StringLike "*") fails the wrong-External-ID check', async () => {
  sts.requiredExternalId = undefined;
  sts.anyExternalId = true;
  const { code, line, out } = await run();
  expect(code).toBe(1);
  expect(line('external-id-required')).toMatch(/^PASS/);
  expect(line('wrong-external-id')).toMatch(/^FAIL .*can be assumed with a WRONG External ID.*\n {6}hint: Put .*StringEquals.*StringLike condition with wildcards/s);
  expect(out[out.length - 1]).toBe('1 of 8 checks failed.');
});

test('--no-external-id verifies a role without one and warns prominently, exit code 0', async () => {
  sts.requiredExternalId = undefined;
  const argv = ['verify', '--host', 'athena.us-east-1.amazonaws.com', '--role-arn', ROLE, '--no-external-id'];
  const { code, line, out } = await run(argv);
  expect(code).toBe(0);
  expect(line('assume-role')).toMatch(/^PASS .*WITHOUT an External ID as session qualytics-athena-verify/);
  expect(line('external-id-required')).toMatch(/^WARN .*can be assumed WITHOUT an External ID.*\n {6}hint: If a third party assumes this role/s);
  expect(line('query-results')).toMatch(/^PASS/);
  expect(out).toContain('WARNING: the role can be assumed WITHOUT an External ID (verified with --no-external-id; confused-deputy risk)');
  expect(out[out.length - 1]).toBe('All 8 checks passed, with 1 warning(s).');
  expect(sts.calls.every((c) => c.externalId === undefined)).toBe(true);
});

test('--no-external-id against a role that requires one fails with the External ID hint', async () => {
  const argv = ['verify', '--host', 'athena.us-east-1.amazonaws.com', '--role-arn', ROLE, '--no-external-id'];
  const { code, line } = await run(argv);
  expect(code).toBe(1);
  expect(line('assume-role')).toMatch(/FAIL .*no External ID was given/s);
});

test('--session-name-prefix and --connection-id name the session', async () => {
  const { code, line } = await run([...ARGS, '--session-name-prefix', 'acme-', '--connection-id', 'ci 7']);
  expect(code).toBe(0);
  expect(line('assume-role')).toMatch(/as session acme-ci7-[0-9a-f]{8};/);
  expect(new Set(sts.calls.map((c) => c.roleSessionName)).size).toBe(1);
});

test('--json prints the steps as one JSON document, with the same exit codes', async () => {
  const passing = await run([...ARGS, '--json']);
  expect(passing.code).toBe(0);
  expect(passing.out).toHaveLength(1);
  const report = JSON.parse(passing.out[0]);
  expect(report).toMatchObject({ roleArn: ROLE, host: 'athena.us-east-1.amazonaws.com', workgroup: 'primary', passed: true, failed: 0, warnings: [] });
  expect(report.steps.map((s: { step: string; status: string }) => [s.step, s.status])).toEqual([
    ['host', 'PASS'], ['assume-role', 'PASS'], ['external-id-required', 'PASS'], ['wrong-external-id', 'PASS'],
    ['workgroup', 'PASS'], ['catalog', 'PASS'], ['query', 'PASS'], ['query-results', 'PASS'],
  ]);

  sts.reset();
  sts.roles.add(ROLE);
  sts.requiredExternalId = undefined;
  const failing = await run([...ARGS, '--json']);
  expect(failing.code).toBe(1);
  const failed = JSON.parse(failing.out[0]);
  expect(failed).toMatchObject({ passed: false, failed: 2 });
  expect(failed.steps[2]).toMatchObject({ step: 'external-id-required', status: 'FAIL', hint: expect.stringContaining('StringEquals') });
});

test('AssumeRole is retried through IAM propagation lag', async () => {
  sts.failNext({ status: 403, code: 'AccessDenied' }, { status: 403, code: 'AccessDenied' });
  const { code, line } = await run();
  expect(code).toBe(0);
  expect(line('assume-role')).toMatch(/^PASS .*after 2 AccessDenied retries \(IAM propagation\)/);
});

test('a role that stays denied fails with the trust-policy checklist and skips what depends on it', async () => {
  sts.requiredExternalId = 'something-else';
  const { code, line } = await run();
  expect(code).toBe(1);
  expect(sts.calls).toHaveLength(4); // the first call and 3 propagation retries
  expect(line('assume-role')).toMatch(/^FAIL .*ACCESS_DENIED.*\n {6}hint: Check, in this order: \(1\) trust principal.*External ID.*session-name prefix/s);
  for (const step of ['external-id-required', 'wrong-external-id', 'workgroup', 'catalog']) {
    expect(line(step)).toMatch(/^SKIP .*"assume-role" did not pass/);
  }
  expect(line('query')).toMatch(/^SKIP .*"workgroup" did not pass/);
});

test('an STS failure while checking the External ID is not taken for a refusal', async () => {
  sts.failNext(null, ...Array.from({ length: 2 }, () => ({ status: 400, code: 'Throttling' })));
  const { code, line } = await run();
  expect(code).toBe(1);
  expect(line('external-id-required')).toMatch(/^FAIL .*could not confirm that the External ID is checked.*THROTTLED.*\n {6}hint: Run verify again/s);
  expect(line('workgroup')).toMatch(/^PASS/);
});

test.each<[string, () => void, string, RegExp]>([
  ['workgroup denied', () => athena.denied.add('GetWorkGroup'), 'workgroup',
    /^FAIL .*AccessDeniedException.*\n {6}hint: Allow athena:GetWorkGroup on arn:aws:athena:us-east-1:222222222222:workgroup\/primary/s],
  ['workgroup missing', () => athena.workgroups.clear(), 'workgroup', /^FAIL .*WorkGroup primary is not found.*\n {6}hint: Check the workgroup name and that it exists in us-east-1/s],
  ['workgroup disabled', () => athena.workgroups.set('primary', { state: 'DISABLED' }), 'workgroup', /^FAIL .*is disabled\n {6}hint: Enable the workgroup/],
  ['catalog denied', () => { glue.denyGetDatabases = true; }, 'catalog',
    /^FAIL .*\n {6}hint: Allow glue:GetDatabases on arn:aws:glue:us-east-1:222222222222:catalog and its database\/\* resources/],
  ['no result location', () => athena.workgroups.set('primary', { state: 'ENABLED' }), 'query', /^FAIL .*no query result location is set\n {6}hint: .*--output-location/],
  ['query denied', () => athena.denied.add('StartQueryExecution'), 'query', /^FAIL .*\n {6}hint: Allow athena:StartQueryExecution and athena:GetQueryExecution on/],
  ['query fails', () => { athena.queryOutcome = 'FAILED'; }, 'query', /^FAIL .*FAILED: Access denied when writing output.*\n {6}hint: Allow s3:GetBucketLocation/s],
  ['query never finishes', () => { athena.pollsBeforeDone = 100; }, 'query', /^FAIL .*did not finish after 5 polls\n {6}hint: Check the workgroup's capacity/],
  ['results unreadable', () => { s3.denyGetObject = true; }, 'query-results',
    /^FAIL .*\n {6}hint: Allow s3:GetObject on arn:aws:s3:::qualytics-results\/athena\/query-1.csv/],
  ['results missing', () => { s3.discardWrites = true; }, 'query-results', /^FAIL .*NoSuchKey.*\n {6}hint: See the error above/s],
  ['results without the selected row', () => { athena.emptyResults = true; }, 'query-results',
    /^FAIL .*the value query query-1 selected \(qualytics-verify-[0-9a-f]{12}\) is not in the result file \(19 bytes\); got \["qualytics_verify",""\]\n {6}hint: Run verify again/],
  ['Glue unreachable', () => glue.http.injectFaults({ kind: 'reset' }, { kind: 'reset' }), 'catalog', /^FAIL .*\n {6}hint: Check network access from here to the us-east-1 endpoints/],
])('%s: the failing step says what to do', async (_name, breakIt, step, expected) => {
  breakIt();
  const { code, line } = await run();
  expect(code).toBe(1);
  expect(line(step)).toMatch(expected);
});

test('the result location flag overrides the workgroup\'s', async () => {
  athena.workgroups.set('primary', { state: 'ENABLED' });
  const { code, line } = await run([...ARGS, '--output-location', 's3://other-bucket/q/']);
  expect(code).toBe(0);
  expect(line('query-results')).toMatch(/from s3:\/\/other-bucket\/q\/query-1.csv/);
});

describe('a workgroup with managed query results (Athena keeps the results; no output location)', () => {
  const KEY = 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  test('passes every check, sends no output location, and reads the result through GetQueryResults, not S3', async () => {
    athena.workgroups.set('primary', { state: 'ENABLED', managedResults: { kmsKey: KEY } });
    const { code, line, out } = await run();
    expect(code).toBe(0);
    expect(line('workgroup')).toMatch(new RegExp(`^PASS .*query results are managed by Athena \\(kept 24 hours, encrypted with KMS key ${KEY}\\)`));
    expect(line('query')).toMatch(/^PASS .*SELECT 'qualytics-verify-[0-9a-f]{12}' AS qualytics_verify ran as query query-1/);
    const selected = /SELECT '([^']+)'/.exec(line('query'))![1];
    expect(line('query-results')).toMatch(new RegExp(`^PASS .*read the value the query selected \\(${selected}\\) from query query-1 through athena:GetQueryResults \\(managed query results\\)`));
    expect(out[out.length - 1]).toBe('All 8 checks passed.');
    const start = athena.http.requests.find((r) => String(r.headers['x-amz-target']).endsWith('.StartQueryExecution'))!;
    expect(JSON.parse(start.body).ResultConfiguration).toBeUndefined();
    expect(s3.http.requests).toHaveLength(0);
  });

  test('says when the results use an AWS owned key', async () => {
    athena.workgroups.set('primary', { state: 'ENABLED', managedResults: {} });
    const { code, line } = await run();
    expect(code).toBe(0);
    expect(line('workgroup')).toMatch(/encrypted with an AWS owned key\)/);
  });

  test('refuses --output-location for it, with what to do', async () => {
    athena.workgroups.set('primary', { state: 'ENABLED', managedResults: {} });
    const { code, line } = await run([...ARGS, '--output-location', 's3://other-bucket/q/']);
    expect(code).toBe(1);
    expect(line('workgroup')).toMatch(/^FAIL .*uses managed query results, which take no output location\n {6}hint: Leave out --output-location/);
    expect(line('query')).toMatch(/^SKIP/);
  });

  test('a failed query points at the results key', async () => {
    athena.workgroups.set('primary', { state: 'ENABLED', managedResults: { kmsKey: KEY } });
    athena.queryOutcome = 'FAILED';
    const { code, line } = await run();
    expect(code).toBe(1);
    expect(line('query')).toMatch(new RegExp(`hint: Allow kms:Decrypt, kms:GenerateDataKey and kms:DescribeKey on ${KEY} through Athena`));
  });

  test('results it may not read say which permission to grant', async () => {
    athena.workgroups.set('primary', { state: 'ENABLED', managedResults: {} });
    athena.denied.add('GetQueryResults');
    const { code, line } = await run();
    expect(code).toBe(1);
    expect(line('query-results')).toMatch(/^FAIL .*\n {6}hint: Allow athena:GetQueryResults on arn:aws:athena:us-east-1:222222222222:workgroup\/primary/s);
  });
});

test.each<[string, string[], RegExp, string]>([
  ['bad host', ['verify', '--host', 'vpce-123.athena.us-east-1.vpce.amazonaws.com', '--role-arn', ROLE, '--external-id', EXTERNAL_ID],
    /^FAIL  host .*VPC endpoint/, 'hint: Correct that value on the command line.'],
  ['bad role ARN', ['verify', '--host', 'athena.us-east-1.amazonaws.com', '--role-arn', 'arn:aws:iam::222222222222:user/bob', '--external-id', EXTERNAL_ID],
    /^FAIL  assume-role .*IAM user ARN, not a role/, 'hint: Correct that value on the command line.'],
  ['bad External ID', ['verify', '--host', 'athena.us-east-1.amazonaws.com', '--role-arn', ROLE, '--external-id', 'x'],
    /^FAIL  assume-role .*Invalid externalId "x"/, 'hint: Correct that value on the command line.'],
])('%s fails its step', async (_name, argv, expected, hint) => {
  const { code, out } = await run(argv);
  expect(code).toBe(1);
  const i = out.findIndex((l) => expected.test(l));
  expect(i).toBeGreaterThan(0);
  expect(out[i + 1].trim()).toBe(hint);
});

test.each<[string, string[], number, RegExp]>([
  ['no command', [], 2, /^Usage: qualytics-athena-iam <command>/],
  ['help', ['--help'], 0, /^Usage:[^]*verify[^]*credential-process[^]*aws-profile[^]*synth[^]*Exit codes/],
  ['help as a command', ['help'], 0, /^Usage: qualytics-athena-iam <command> \[options\]\n {7}qualytics-athena-iam <command> --help/],
  ['help for an unknown command', ['help', 'check'], 2, /^Unknown command "check"\. The commands are: verify, credential-process, aws-profile, synth, diff, drift\./],
  // A hint, not the whole usage.
  ['unknown command', ['check'], 2, /^Unknown command "check"\. The commands are: verify, credential-process, aws-profile, synth, diff, drift\.\nRun "qualytics-athena-iam <command> --help" for a command's options, or "qualytics-athena-iam --help" for all\.$/],
  ['bad endpoint flag', [...ARGS, '--athena-endpoint', 'athena.local'], 2, /^Invalid athenaEndpoint "athena\.local": expected an http\(s\) URL without a path/],
  ['missing flags', ['verify', '--host', 'athena.us-east-1.amazonaws.com'], 2, /^Missing --role-arn\.\n\nRun "qualytics-athena-iam verify --help" for the options\.$/],
  ['no External ID choice', ['verify', '--host', 'athena.us-east-1.amazonaws.com', '--role-arn', ROLE], 2,
    /^Give either --external-id <id> or --no-external-id\. verify needs the External ID/],
  ['both External ID choices', [...ARGS, '--no-external-id'], 2, /^Give either --external-id <id> or --no-external-id/],
  ['unknown flag', [...ARGS, '--region', 'us-east-1'], 2, /Unknown option '--region'/],
])('%s', async (_name, argv, exitCode, message) => {
  const { code, out, err } = await run(argv);
  expect(code).toBe(exitCode);
  expect([...out, ...err].join('\n')).toMatch(message);
  expect(sts.calls).toHaveLength(0);
});

describe.each([
  ['verify', /--host <host>[^]*--no-external-id[^]*--json[^]*Exit codes: 0 every check passed/],
  ['credential-process', /credential_process = npx qualytics-athena-iam credential-process[^]*--duration-seconds[^]*Exit codes: 0 credentials printed/],
  ['aws-profile', /--profile-name <name>[^]*--credential-source <source>[^]*Exit codes: 0 profile printed/],
  ['synth', /--config <file>[^]*--output <dir>[^]*schema\/athena-access\.schema\.json[^]*aws cloudformation deploy[^]*Exit codes: 0 template written/],
])('%s help', (command, body) => {
  test.each([['--help'], ['-h'], ['--role-arn', ROLE, '--help'], ['--bogus', '-h']])('%j prints only that command\'s usage on stdout, exit 0', async (...flags) => {
    const { code, out, err } = await run([command, ...flags]);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(new RegExp(`^Usage: qualytics-athena-iam ${command} `));
    expect(out[0]).toMatch(body);
    const others = ['verify ', 'credential-process --role-arn', 'aws-profile --profile-name', 'synth --config'].filter((c) => !c.startsWith(command));
    for (const other of others) expect(out[0]).not.toContain(`\n${other}`);
    expect(sts.calls).toHaveLength(0);
  });

  test('"help <command>" prints the same', async () => {
    const viaHelp = await run(['help', command]);
    const viaFlag = await run([command, '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.out).toEqual(viaFlag.out);
  });
});

test('a managed-results query whose rows lack the selected value fails, rather than passing on zero rows', async () => {
  athena.workgroups.set('primary', { state: 'ENABLED', managedResults: {} });
  athena.emptyResults = true;
  const { code, line } = await run();
  expect(code).toBe(1);
  expect(line('query-results')).toMatch(/^FAIL .*is not in the rows athena:GetQueryResults returned; got \["qualytics_verify"\]/);
});

test('--version prints the package version', async () => {
  const { code, out, err } = await run(['--version']);
  expect(code).toBe(0);
  expect(err).toEqual([]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(out).toEqual([(require('../../package.json') as { version: string }).version]);
});

describe('verify endpoints: a flag, then AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then the regional one', () => {
  // The SDKs' service-specific endpoint settings: https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
  const decoy = new FakeHttpServer(() => ({ status: 500, body: 'decoy' }));
  let decoyUrl: string;
  const VARS = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_ATHENA', 'AWS_ENDPOINT_URL_GLUE', 'AWS_ENDPOINT_URL_S3'];
  beforeAll(async () => {
    decoyUrl = await decoy.start();
  });
  afterAll(async () => {
    await decoy.stop();
  });
  afterEach(() => {
    VARS.forEach((v) => delete process.env[v]);
    decoy.reset();
  });

  /** verify without the test's endpoint overrides: only flags and the environment say where to go. */
  async function verifyWith(flags: string[]): Promise<{ code: number; out: string[] }> {
    const out: string[] = [];
    const code = await runCli([...ARGS, ...flags], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      verify: { baseCredentials: BASE_CREDENTIALS, propagationRetries: 0, maxAttempts: 1, queryPollIntervalMs: 1, queryMaxPolls: 5 },
    });
    return { code, out };
  }

  test('AWS_ENDPOINT_URL_<SERVICE> for each service, over AWS_ENDPOINT_URL', async () => {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: decoyUrl,
      AWS_ENDPOINT_URL_STS: endpoints.sts,
      AWS_ENDPOINT_URL_ATHENA: endpoints.athena,
      AWS_ENDPOINT_URL_GLUE: endpoints.glue,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
    });
    const { code, out } = await verifyWith([]);
    expect(out[out.length - 1]).toBe('All 8 checks passed.');
    expect(code).toBe(0);
    expect(decoy.requests).toHaveLength(0);
    expect(s3.http.requests).toHaveLength(1);
  });

  test('AWS_ENDPOINT_URL where no service setting is given', async () => {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: endpoints.sts,
      AWS_ENDPOINT_URL_ATHENA: endpoints.athena,
      AWS_ENDPOINT_URL_GLUE: endpoints.glue,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
    });
    const { code } = await verifyWith([]);
    expect(code).toBe(0);
    expect(sts.calls).toHaveLength(3);
  });

  test('the flags over every environment setting', async () => {
    Object.assign(process.env, Object.fromEntries(VARS.map((v) => [v, decoyUrl])));
    const { code, out } = await verifyWith(['--sts-endpoint', endpoints.sts, '--athena-endpoint', endpoints.athena,
      '--glue-endpoint', endpoints.glue, '--s3-endpoint', endpoints.s3]);
    expect(out[out.length - 1]).toBe('All 8 checks passed.');
    expect(code).toBe(0);
    expect(decoy.requests).toHaveLength(0);
  });
});
