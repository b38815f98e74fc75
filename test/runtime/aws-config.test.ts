import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AthenaClient, GetWorkGroupCommand } from '@aws-sdk/client-athena';
// eslint-disable-next-line import/no-extraneous-dependencies -- test-only: the SDK's own profile readers are the clients under test
import { fromIni, fromProcess } from '@aws-sdk/credential-providers';
import { FakeAthena } from './fakes/fake-athena';
import { FakeS3 } from './fakes/fake-s3';
import { BASE_CREDENTIALS, FakeSts } from './fakes/fake-sts';
import { runCli } from '../../lib/cli';
import { SystemClock } from '../../lib/runtime';

/**
 * The two ways of handing the target role to clients that read the standard AWS configuration, exercised with
 * real clients: the AWS CLI (botocore) and the AWS SDK for JavaScript (fromProcess, fromIni). Each must get the
 * role's credentials from the local STS (with the External ID and session name) and sign an Athena call with them.
 *
 * - credential_process: https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html
 * - role_arn, external_id, role_session_name, duration_seconds, credential_source:
 *   https://docs.aws.amazon.com/sdkref/latest/guide/feature-assume-role-credentials.html
 * - `services` section with a per-service endpoint_url: https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */

const ROLE = 'arn:aws:iam::222222222222:role/QualyticsAthena';
const BASE_ROLE = 'arn:aws:iam::111111111111:role/acme-dataplane-role';
const EXTERNAL_ID = 'qualytics-tenant-7f3a';
const CONNECTION = 'conn-42';
const SESSION = `qualytics-athena-${CONNECTION}`;
const CLI_MAIN = resolve(__dirname, '../cli/support/cli-main.ts');
const TS_NODE = require.resolve('ts-node/register/transpile-only');
const SLOW = 60_000;

const sts = new FakeSts(new SystemClock());
const athena = new FakeAthena(sts, new FakeS3(sts));
let stsEndpoint: string;
let athenaEndpoint: string;
let dir: string;
const savedEnv = { ...process.env };

/** The environment of every client here: an isolated HOME and config, base credentials, no real AWS endpoint. */
function isolatedEnv(configFile: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value !== undefined && !key.startsWith('AWS_')) env[key] = value;
  }
  return {
    ...env,
    HOME: dir,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_ACCESS_KEY_ID: BASE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: BASE_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CLI_AUTO_PROMPT: 'off',
    AWS_PAGER: '',
  };
}

function writeConfig(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, `${text}\n`);
  return file;
}

/**
 * The shell words of a credential_process line that runs this package's command line from source. `prefix`
 * goes before `node`, e.g. `env AWS_ACCESS_KEY_ID=...`.
 */
function credentialProcessLine(prefix: string[] = []): string {
  return [...prefix, 'node', '-r', TS_NODE, CLI_MAIN, 'credential-process', '--role-arn', ROLE, '--region', 'us-east-1',
    '--connection-id', CONNECTION, '--external-id', EXTERNAL_ID, '--sts-endpoint', stsEndpoint].join(' ');
}

async function profileSection(profileName: string, credentialSource: string): Promise<string> {
  const out: string[] = [];
  const code = await runCli(['aws-profile', '--profile-name', profileName, '--role-arn', ROLE, '--region', 'us-east-1',
    '--connection-id', CONNECTION, '--external-id', EXTERNAL_ID, '--sts-endpoint', stsEndpoint, '--credential-source', credentialSource],
  { out: (l) => out.push(l), err: (l) => out.push(l) });
  expect(code).toBe(0);
  return out.join('\n');
}

interface Finished {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program without blocking the event loop, which the fake servers in this process need. */
function runAsync(file: string, args: string[], env: Record<string, string>): Promise<Finished> {
  return new Promise((done) => {
    execFile(file, args, { env, encoding: 'utf8', timeout: SLOW }, (error, stdout, stderr) => {
      done({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** Runs the AWS CLI; fails the test, saying so, when it is not installed. */
async function aws(args: string[], env: Record<string, string>): Promise<Finished> {
  const probe = spawnSync('aws', ['--version'], { env, encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('The AWS CLI (`aws`) is not installed or does not run, so this test cannot check botocore: '
      + `install it (pip install awscli) and run the test again. (${probe.error?.message ?? probe.stderr})`);
  }
  return runAsync('aws', args, env);
}

/** Makes this process's environment exactly `env` (the SDK reads process.env, and so do the processes it starts). */
function setProcessEnv(env: Record<string, string>): void {
  for (const key of Object.keys(process.env)) {
    if (!(key in env)) delete process.env[key];
  }
  Object.assign(process.env, env);
}

/** What a client must have done: one AssumeRole with External ID and session name, and an Athena call signed with its keys. */
function expectRoleUsedForAthena(): void {
  expect(sts.calls).toEqual([expect.objectContaining({
    roleArn: ROLE, externalId: EXTERNAL_ID, roleSessionName: SESSION, signedWith: BASE_CREDENTIALS.accessKeyId,
  })]);
  expect(athena.http.requests).toHaveLength(1);
  expect(athena.http.requests[0].headers.authorization).toContain(`Credential=${sts.issued[0].accessKeyId}/`);
  expect(athena.http.requests[0].headers['x-amz-security-token']).toBe(sts.issued[0].sessionToken);
}

beforeAll(async () => {
  stsEndpoint = await sts.http.start();
  athenaEndpoint = await athena.http.start();
  dir = mkdtempSync(join(tmpdir(), 'qualytics-aws-config-'));
  writeFileSync(join(dir, 'credentials'), '');
});
afterAll(async () => {
  setProcessEnv(savedEnv as Record<string, string>);
  rmSync(dir, { recursive: true, force: true });
  await Promise.all([sts.http.stop(), athena.http.stop()]);
});
beforeEach(() => {
  // The AWS CLI caches assumed-role credentials under HOME; credentials of a previous test's fake STS are no good.
  rmSync(join(dir, '.aws', 'cli', 'cache'), { recursive: true, force: true });
  sts.reset();
  athena.reset();
  sts.roles.add(ROLE);
  sts.requiredExternalId = EXTERNAL_ID;
  athena.workgroups.set('primary', { state: 'ENABLED' });
});
afterEach(() => {
  setProcessEnv(savedEnv as Record<string, string>);
});

describe('AWS CLI (botocore)', () => {
  const getWorkGroup = ['athena', 'get-work-group', '--work-group', 'primary', '--region', 'us-east-1', '--output', 'json'];

  test('credential_process profile: assumes the role and signs an Athena call', async () => {
    const config = writeConfig('cli-process', `[profile qualytics]\ncredential_process = ${credentialProcessLine()}`);
    const result = await aws([...getWorkGroup, '--profile', 'qualytics', '--endpoint-url', athenaEndpoint], isolatedEnv(config));
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).WorkGroup.Name).toBe('primary');
    expectRoleUsedForAthena();
  }, SLOW);

  test('native profile from aws-profile (credential_source = Environment): assumes the role and signs an Athena call', async () => {
    const config = writeConfig('cli-native', await profileSection('qualytics', 'Environment'));
    const result = await aws([...getWorkGroup, '--profile', 'qualytics', '--endpoint-url', athenaEndpoint], isolatedEnv(config));
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    expectRoleUsedForAthena();
  }, SLOW);

  test('IRSA profiles from aws-profile: the token assumes the base role, which assumes the target role with the External ID', async () => {
    // web_identity_token_file + role_arn, then role_arn + source_profile + external_id + role_session_name:
    // https://docs.aws.amazon.com/sdkref/latest/guide/feature-assume-role-credentials.html
    const token = 'eyJhbGciOiJSUzI1NiJ9.service-account-token.signature';
    const tokenFile = join(dir, 'irsa-token');
    writeFileSync(tokenFile, token);
    sts.webIdentity = { token, roleArn: BASE_ROLE };
    const out: string[] = [];
    expect(await runCli(['aws-profile', '--profile-name', 'qualytics', '--role-arn', ROLE, '--region', 'us-east-1', '--connection-id', CONNECTION,
      '--external-id', EXTERNAL_ID, '--web-identity-token-file', tokenFile, '--base-role-arn', BASE_ROLE], { out: (l) => out.push(l) })).toBe(0);
    const env: Record<string, string> = { ...isolatedEnv(writeConfig('cli-irsa', out.join('\n'))), AWS_ENDPOINT_URL_STS: stsEndpoint };
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const result = await aws(['sts', 'get-caller-identity', '--profile', 'qualytics', '--output', 'json'], env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).Arn).toBe(`arn:aws:sts::222222222222:assumed-role/QualyticsAthena/${SESSION}`);
    expect(sts.webIdentityCalls).toEqual([expect.objectContaining({ roleArn: BASE_ROLE, webIdentityToken: token, signed: false })]);
    const baseSession = sts.issued.find((c) => c.webIdentity)!;
    expect(sts.calls).toEqual([expect.objectContaining({
      roleArn: ROLE, externalId: EXTERNAL_ID, roleSessionName: SESSION, durationSeconds: 3600, signedWith: baseSession.accessKeyId,
    })]);
  }, SLOW);

  test('a role that refuses the External ID: the CLI reports the credential_process failure, and no Athena call is made', async () => {
    sts.requiredExternalId = 'another-id';
    const config = writeConfig('cli-refused', `[profile qualytics]\ncredential_process = ${credentialProcessLine()}`);
    const result = await aws([...getWorkGroup, '--profile', 'qualytics', '--endpoint-url', athenaEndpoint], isolatedEnv(config));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/ACCESS_DENIED/);
    expect(athena.http.requests).toHaveLength(0);
  }, SLOW);
});

describe('AWS SDK for JavaScript', () => {
  async function getWorkGroupWith(credentials: ReturnType<typeof fromIni>): Promise<string | undefined> {
    // The client names the profile, as an application does; its STS client then reads that profile's settings too.
    const client = new AthenaClient({ region: 'us-east-1', endpoint: athenaEndpoint, credentials, profile: 'qualytics' });
    try {
      return (await client.send(new GetWorkGroupCommand({ WorkGroup: 'primary' }))).WorkGroup?.Name;
    } finally {
      client.destroy();
    }
  }

  test('fromProcess: runs credential-process, which assumes the role; the Athena call is signed with it', async () => {
    // Jest gives tests a copy of process.env that the processes the SDK starts do not inherit, so the base
    // identity reaches credential-process through env(1) on its command line.
    const base = ['env', `AWS_ACCESS_KEY_ID=${BASE_CREDENTIALS.accessKeyId}`, `AWS_SECRET_ACCESS_KEY=${BASE_CREDENTIALS.secretAccessKey}`];
    const config = writeConfig('js-process', `[profile qualytics]\ncredential_process = ${credentialProcessLine(base)}`);
    setProcessEnv(isolatedEnv(config));
    expect(await getWorkGroupWith(fromProcess({ profile: 'qualytics' }))).toBe('primary');
    expectRoleUsedForAthena();
  }, SLOW);

  test('fromIni: the aws-profile section assumes the role natively; the Athena call is signed with it', async () => {
    const config = writeConfig('js-native', await profileSection('qualytics', 'Environment'));
    // The JavaScript SDK reads a profile's `services` section (the STS endpoint) from the active profile.
    setProcessEnv({ ...isolatedEnv(config), AWS_PROFILE: 'qualytics' });
    expect(await getWorkGroupWith(fromIni({ profile: 'qualytics' }))).toBe('primary');
    expectRoleUsedForAthena();
  }, SLOW);
});

describe('credential-process', () => {
  async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), baseCredentials: BASE_CREDENTIALS });
    return { code, out, err };
  }
  const ARGS = ['credential-process', '--role-arn', ROLE, '--region', 'us-east-1', '--connection-id', CONNECTION, '--external-id', EXTERNAL_ID];

  test('prints credential_process JSON version 1 for the role', async () => {
    const { code, out } = await run([...ARGS, '--sts-endpoint', stsEndpoint, '--duration-seconds', '900']);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const json = JSON.parse(out[0]);
    expect(Object.keys(json)).toEqual(['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    expect(json).toMatchObject({ Version: 1, AccessKeyId: sts.issued[0].accessKeyId, SessionToken: sts.issued[0].sessionToken });
    expect(new Date(json.Expiration).toISOString()).toBe(json.Expiration);
    expect(sts.calls[0]).toMatchObject({ externalId: EXTERNAL_ID, roleSessionName: SESSION, durationSeconds: 900 });
  });

  test('--session-name-prefix names the session', async () => {
    await run([...ARGS, '--sts-endpoint', stsEndpoint, '--session-name-prefix', 'acme-']);
    expect(sts.calls[0].roleSessionName).toBe(`acme-${CONNECTION}`);
  });

  test.each<[string, () => void, RegExp]>([
    ['a refused External ID', () => { sts.requiredExternalId = 'other'; }, /ACCESS_DENIED[^]*External ID[^]*session-name prefix/],
    ['a missing role', () => { sts.roles.clear(); }, /ACCESS_DENIED[^]*trust principal/],
    ['STS down', () => sts.http.injectFaults(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 503 }))), /SERVICE_ERROR/],
  ])('on %s: exit 1, nothing on stdout, stderr says once what to check', async (_name, breakIt, expected) => {
    breakIt();
    const { code, out, err } = await run([...ARGS, '--sts-endpoint', stsEndpoint]);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(expected);
    expect(err[0].match(/Check/g) ?? []).toHaveLength(err[0].includes('ACCESS_DENIED') ? 1 : 0);
  });

  test('an ACCESS_DENIED names the session name its trust must allow', async () => {
    sts.requiredExternalId = 'other';
    const { err } = await run([...ARGS, '--sts-endpoint', stsEndpoint]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/trust policy must name the calling base role ARN.*External ID.*"qualytics-athena-conn-42"/);
  });

  test('without --sts-endpoint it honours AWS_ENDPOINT_URL_STS (the SDKs\' standard setting)', async () => {
    // https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
    process.env.AWS_ENDPOINT_URL_STS = stsEndpoint;
    const { code, out } = await run(ARGS);
    expect(code).toBe(0);
    expect(JSON.parse(out[0]).AccessKeyId).toBe(sts.issued[0].accessKeyId);
  });

  test('as a separate process: stdout stays empty on failure, the exit code is 1', async () => {
    sts.requiredExternalId = 'other';
    const [, ...args] = credentialProcessLine().split(' ');
    const result = await runAsync('node', args, isolatedEnv(join(dir, 'none')));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/ACCESS_DENIED/);
  }, SLOW);

  test('started by itself (AWS_PROFILE naming its own profile) it stops at once instead of recursing', async () => {
    process.env.QUALYTICS_ATHENA_IAM_CREDENTIAL_PROCESS = '1';
    const { code, out, err } = await run([...ARGS, '--sts-endpoint', stsEndpoint]);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual(['qualytics-athena-iam credential-process was started by itself: its base identity must not come from the profile that runs credential-process.']);
    expect(sts.calls).toHaveLength(0);
  });

  test('run from the profile its own base-credential lookup reads, it reports that recursion once, not missing credentials', async () => {
    const config = writeConfig('recursive', `[profile qualytics]\ncredential_process = ${credentialProcessLine()}`);
    const env = isolatedEnv(config);
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const [, ...args] = credentialProcessLine().split(' ');
    const result = await runAsync('node', args, { ...env, AWS_PROFILE: 'qualytics' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/failed \(BASE_CREDENTIALS_RECURSION\): the base credentials were looked up in the AWS profile "qualytics", whose credential_process runs qualytics-athena-iam credential-process again\. The base identity must come from somewhere else than the profile that runs credential-process: unset AWS_PROFILE \(now "qualytics"\)/);
    expect(lines[0]).not.toMatch(/BASE_CREDENTIALS_MISSING|Check/);
    expect(sts.calls).toHaveLength(0);
  }, SLOW);

  test('bin/qualytics-athena-iam.js prints no Node.js version warning of the SDK', async () => {
    // The bin file as shipped, beside a build/ that loads the sources.
    const root = join(dir, 'package');
    mkdirSync(join(root, 'bin'), { recursive: true });
    mkdirSync(join(root, 'build', 'cli'), { recursive: true });
    copyFileSync(resolve(__dirname, '../../bin/qualytics-athena-iam.js'), join(root, 'bin', 'qualytics-athena-iam.js'));
    writeFileSync(join(root, 'build', 'cli', 'index.js'), `module.exports = require(${JSON.stringify(resolve(__dirname, '../../lib/cli/index.ts'))});\n`);
    const [, ...args] = credentialProcessLine().split(' ');
    const result = await runAsync('node', [args[0], args[1], join(root, 'bin', 'qualytics-athena-iam.js'), ...args.slice(3)],
      { ...isolatedEnv(join(dir, 'none')), NODE_OPTIONS: '' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).Version).toBe(1);
  }, SLOW);

  test.each<[string, string[], RegExp]>([
    ['missing flags', ['credential-process', '--role-arn', ROLE], /Missing --region, --connection-id\./],
    ['bad duration', [...ARGS, '--duration-seconds', '1h'], /Invalid durationSeconds "1h": expected a whole number of seconds/],
    ['short duration', [...ARGS, '--duration-seconds', '600'], /Invalid durationSeconds 600: expected a whole number from 900 to 3600/],
    // Role chaining: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
    ['duration above the role-chaining hour', [...ARGS, '--duration-seconds', '3601'],
      /Invalid durationSeconds 3601: expected a whole number from 900 to 3600: the base identity reaches the target role by role chaining, which STS caps at 3600 s/],
    ['bad prefix', [...ARGS, '--session-name-prefix', 'a b'], /Invalid sessionNamePrefix "a b": A session name prefix is 1 to 55/],
    ['bad endpoint', [...ARGS, '--sts-endpoint', 'sts.local'], /Invalid stsEndpoint "sts.local": expected an http\(s\) URL/],
    ['role in another partition', [...ARGS.slice(0, 2), 'arn:aws-cn:iam::222222222222:role/Q', ...ARGS.slice(3)], /partition aws-cn but region us-east-1/],
  ])('%s: exit 2, nothing on stdout', async (_name, argv, expected) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(expected);
  });
});

describe('aws-profile', () => {
  async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }
  const ARGS = ['aws-profile', '--profile-name', 'qualytics', '--role-arn', ROLE, '--region', 'eu-west-1', '--connection-id', CONNECTION];

  test('defaults: EcsContainer (EKS Pod Identity) base identity, one-hour sessions, no services section', async () => {
    const { code, out } = await run([...ARGS, '--external-id', EXTERNAL_ID]);
    expect(code).toBe(0);
    expect(out.split('\n').slice(1)).toEqual([
      '[profile qualytics]',
      `role_arn = ${ROLE}`,
      `external_id = ${EXTERNAL_ID}`,
      `role_session_name = ${SESSION}`,
      'duration_seconds = 3600',
      'region = eu-west-1',
      'credential_source = EcsContainer',
      'sts_regional_endpoints = regional',
    ]);
  });

  test('IRSA: a base profile with the token and the base role, and the target role\'s profile sourcing it', async () => {
    const { code, out } = await run([...ARGS, '--external-id', EXTERNAL_ID, '--web-identity-token-file', '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
      '--base-role-arn', BASE_ROLE, '--sts-endpoint', 'https://sts.eu-west-1.amazonaws.com']);
    expect(code).toBe(0);
    expect(out.split('\n').slice(1)).toEqual([
      '# IRSA: the base role, assumed with the service account token (AssumeRoleWithWebIdentity).',
      '[profile qualytics-base]',
      `role_arn = ${BASE_ROLE}`,
      'region = eu-west-1',
      'web_identity_token_file = /var/run/secrets/eks.amazonaws.com/serviceaccount/token',
      'sts_regional_endpoints = regional',
      'services = qualytics-endpoints',
      '',
      '[profile qualytics]',
      `role_arn = ${ROLE}`,
      `external_id = ${EXTERNAL_ID}`,
      `role_session_name = ${SESSION}`,
      'duration_seconds = 3600',
      'region = eu-west-1',
      'source_profile = qualytics-base',
      'sts_regional_endpoints = regional',
      'services = qualytics-endpoints',
      '',
      '[services qualytics-endpoints]',
      'sts =',
      '  endpoint_url = https://sts.eu-west-1.amazonaws.com',
    ]);
  });

  test('without an External ID the setting is left out', async () => {
    const { out } = await run([...ARGS, '--credential-source', 'Ec2InstanceMetadata']);
    expect(out).not.toContain('external_id');
    expect(out).toContain('credential_source = Ec2InstanceMetadata');
  });

  test('an id that cannot be written safely stays inside the comment', async () => {
    const { out } = await run([...ARGS.slice(0, -1), 'x\n[profile evil]']);
    expect(out.split('\n').filter((l) => l.startsWith('['))).toEqual(['[profile qualytics]']);
  });

  test.each<[string, string[], RegExp]>([
    ['missing profile name', ARGS.filter((_arg, i) => i !== 1 && i !== 2), /Missing --profile-name\./],
    ['bad profile name', [...ARGS.slice(0, 2), 'my profile', ...ARGS.slice(3)], /Invalid profileName "my profile": expected 1-128 characters/],
    ['bad credential source', [...ARGS, '--credential-source', 'Pod'], /Invalid credentialSource "Pod": expected one of Environment, EcsContainer, Ec2InstanceMetadata/],
    ['bad External ID', [...ARGS, '--external-id', 'x'], /Invalid externalId "x"/],
    ['IRSA without the base role', [...ARGS, '--web-identity-token-file', '/t'], /Missing --base-role-arn\./],
    ['IRSA without the token file', [...ARGS, '--base-role-arn', BASE_ROLE], /Missing --web-identity-token-file\./],
    ['IRSA with a credential source', [...ARGS, '--web-identity-token-file', '/t', '--base-role-arn', BASE_ROLE, '--credential-source', 'Environment'],
      /Invalid credentialSource "Environment": expected none with webIdentity/],
    ['IRSA with a session ARN for the base role', [...ARGS, '--web-identity-token-file', '/t', '--base-role-arn', 'arn:aws:sts::111111111111:assumed-role/r/s'],
      /Invalid webIdentity\.baseRoleArn "arn:aws:sts::111111111111:assumed-role\/r\/s": this is an assumed-role session ARN/],
    ['IRSA with a token path that has a space', [...ARGS, '--web-identity-token-file', '/a b', '--base-role-arn', BASE_ROLE],
      /Invalid webIdentity\.tokenFile "\/a b": expected the path/],
    ['duration above the role-chaining hour', [...ARGS, '--duration-seconds', '7200'], /Invalid durationSeconds 7200: expected a whole number from 900 to 3600/],
  ])('%s: exit 2', async (_name, argv, expected) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(expected);
  });
});
