import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  AthenaAccessKeyUser, AthenaAccessStack, AthenaTargetRole, DataplaneBaseRole, DataplaneIdentity, loadDeploymentConfig, parseDeploymentConfig,
} from '../../lib';
import { runCli } from '../../lib/cli';
import { S3_PREFIX_PATTERN } from '../../lib/model/validation';
import { NAG_PACKS, unacknowledgedFindings } from '../support/nag';

const ROOT = path.join(__dirname, '..', '..');
const MANAGED_CONFIG = { deployment: 'managed', baseRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role', externalId: 'qualytics-7f3c2a91-acme' };
const RESULTS_KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const configs = fs.readdirSync(path.join(ROOT, 'examples', 'config')).filter((f) => f.endsWith('.json')).sort();
const app = new App();
const stacks = Object.fromEntries(configs.map((file) => [file, new AthenaAccessStack(app, loadDeploymentConfig(path.join(ROOT, 'examples', 'config', file)))]));
const template = (file: string) => Template.fromStack(stacks[file]);

test('there is an example config for each deployment type and identity', () => {
  expect(configs).toEqual(['managed.json', 'self-hosted-irsa.json', 'self-hosted-pod-identity.json']);
});

describe.each(configs)('examples/config/%s', (file) => {
  test.each(NAG_PACKS)('synthesizes clean under cdk-nag %s', (_name, pack) => {
    expect(unacknowledgedFindings(pack(), stacks[file])).toEqual([]);
  });

  test('outputs what the connection form needs under fixed keys (and, self-hosted, the dataplane wiring)', () => {
    const outputs = Object.keys(template(file).toJSON().Outputs);
    const dataplane = {
      'managed.json': [],
      'self-hosted-irsa.json': ['BaseRoleArn', 'ChartValues', 'ServiceAccountAnnotation'],
      'self-hosted-pod-identity.json': ['BaseRoleArn', 'ChartValues', 'PodIdentityAssociationArn'],
    }[file]!;
    const externalId = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'config', file), 'utf8')).externalId === undefined ? [] : ['ExternalId'];
    expect(outputs).toEqual([...dataplane, 'RoleArn', ...externalId, 'Host', 'WorkGroup', 'OutputLocation', 'DeploymentType']);
  });
});

test('managed query results: a config without a bucket gives a role with no S3 results access, the key through Athena, and no output location', () => {
  const config = parseDeploymentConfig({ ...MANAGED_CONFIG, managedQueryResults: true, managedQueryResultsKmsKeyArn: RESULTS_KEY });
  const t = Template.fromStack(new AthenaAccessStack(new App(), config, { env: { account: '111122223333', region: 'us-east-1' } }));
  const statements = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  expect(statements.map((st: any) => st.Sid).filter((sid: string) => sid.startsWith('QueryResults'))).toEqual([]);
  expect(statements.find((st: any) => st.Sid === 'ManagedQueryResultsKey')).toMatchObject({
    Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: RESULTS_KEY,
  });
  expect(Object.keys(t.toJSON().Outputs).filter((id) => /OutputLocation/.test(id))).toEqual([]);
});

test('managed: the target role trusts the tenant base role with the External ID; no base role is created', () => {
  const t = template('managed.json');
  t.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'qualytics-athena-access',
    AssumeRolePolicyDocument: {
      Statement: [Match.objectLike({
        Principal: { AWS: 'arn:aws:iam::315179787488:role/acme-dataplane-role' },
        Condition: Match.objectLike({ StringEquals: { 'sts:ExternalId': 'qualytics-7f3c2a91-acme' } }),
      }), Match.objectLike({ Action: 'sts:TagSession' })],
    },
  });
  t.resourceCountIs('AWS::IAM::Role', 1);
  expect(stacks['managed.json'].stackName).toBe('QualyticsAthenaManaged');
});

test('self-hosted with Pod Identity: base role, association for qualytics-spark, empty chart values', () => {
  const t = template('self-hosted-pod-identity.json');
  t.resourceCountIs('AWS::IAM::Role', 2);
  t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'qualytics-dataplane', Namespace: 'qualytics', ServiceAccount: 'qualytics-spark' });
  t.hasOutput('*', { Value: '{"dataplane":{"rbac":{"serviceAccountAnnotations":{}}}}' });
  t.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'qualytics-athena-access',
    AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRole' }), Match.objectLike({ Action: 'sts:TagSession' })] },
  });
});

test('self-hosted with Pod Identity and sessionTags: false: no tags on the association, no TagSession on the target role', () => {
  const config = { ...loadDeploymentConfig(path.join(ROOT, 'examples', 'config', 'self-hosted-pod-identity.json')) };
  const t = Template.fromStack(new AthenaAccessStack(new App(), { ...config, identity: { ...config.identity!, sessionTags: false } }));
  t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { DisableSessionTags: true });
  t.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'qualytics-athena-access',
    AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRole' })] },
  });
});

test('self-hosted with IRSA: the annotation output, and the base role may assume the other account\'s target role', () => {
  const t = template('self-hosted-irsa.json');
  t.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
  // IRSA adds no session tags: the target role needs no TagSession statement.
  t.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'qualytics-athena-access',
    AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRole' })] },
  });
  t.hasOutput('*', { Value: { 'Fn::Join': ['', ['eks.amazonaws.com/role-arn: ', Match.anyValue()]] } });
  t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    PolicyDocument: {
      Statement: [Match.objectLike({
        Action: 'sts:AssumeRole',
        Resource: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::444455556666:role/qualytics-athena-access']] }]),
      })],
    },
  });
});

test('the schema\'s S3 prefix is the constructs\' prefix rule', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'athena-access.schema.json'), 'utf8'));
  expect(schema.definitions.prefix.pattern).toBe(S3_PREFIX_PATTERN);
});

describe('role names in one oneApp', () => {
  // IAM role and user names are unique in an account, whatever the path or Region, and not case-sensitive
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): a second stack creating the same
  // name in the same account fails to deploy.
  const config = { ...MANAGED_CONFIG, resultsBucket: 'acme-athena-results', workGroups: ['analytics'] };
  const synth = (oneApp: App) => () => oneApp.synth();

  test('two config stacks in one account on the default role name are refused, naming both paths, the name and what to do', () => {
    const oneApp = new App();
    new AthenaAccessStack(oneApp, { ...config, stackName: 'AnalyticsA', account: '111122223333', region: 'us-east-1' });
    new AthenaAccessStack(oneApp, { ...config, stackName: 'AnalyticsB', account: '111122223333', region: 'eu-west-1' });
    expect(synth(oneApp)).toThrow('AnalyticsB/TargetRole and AnalyticsA/TargetRole both create the IAM role "qualytics-athena-access" (roleName) ' +
      'in account 111122223333: IAM role names are unique in an account whatever their path or Region, and not case-sensitive ' +
      '(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), so the second stack to deploy would fail. ' +
      'Give one of them a roleName of its own.');
  });

  test('names that differ only in case collide', () => {
    const oneApp = new App();
    new AthenaAccessStack(oneApp, { ...config, stackName: 'AnalyticsA', account: '111122223333', roleName: 'Qualytics-Athena' });
    new AthenaAccessStack(oneApp, { ...config, stackName: 'AnalyticsB', account: '111122223333', roleName: 'qualytics-athena' });
    expect(synth(oneApp)).toThrow(/AnalyticsB\/TargetRole and AnalyticsA\/TargetRole both create the IAM role "qualytics-athena" \(roleName\) in account 111122223333/);
  });

  test.each<[string, Array<Record<string, string>>]>([
    ['different accounts', [{ account: '111122223333' }, { account: '444455556666' }]],
    ['explicit distinct role names', [{ account: '111122223333', roleName: 'qualytics-athena-sales' }, { account: '111122223333', roleName: 'qualytics-athena-finance' }]],
    // Environment-agnostic stacks of one app are often alternatives (as examples/config/ are): nothing says they meet.
    ['one account known, one known only at deploy time', [{ account: '111122223333' }, {}]],
    ['both accounts known only at deploy time', [{}, {}]],
  ])('%s synthesize', (_what, [a, b]) => {
    const oneApp = new App();
    new AthenaAccessStack(oneApp, { ...config, stackName: 'AnalyticsA', ...a });
    new AthenaAccessStack(oneApp, { ...config, stackName: 'AnalyticsB', ...b });
    expect(synth(oneApp)).not.toThrow();
  });

  test('the same names in two apps do not meet: nothing outlives an app', () => {
    for (let i = 0; i < 2; i++) {
      const oneApp = new App();
      new AthenaAccessStack(oneApp, { ...config, account: '111122223333' });
      expect(synth(oneApp)).not.toThrow();
    }
  });

  test('a base role and a target role of one name collide, as do two users; a role and a user of one name do not (each kind has names of its own)', () => {
    const oneApp = new App();
    const env = { account: '111122223333', region: 'us-east-1' };
    const one = new Stack(oneApp, 'One', { env });
    new DataplaneBaseRole(one, 'Base', { identity: DataplaneIdentity.ec2Instance(), targetRoleArns: ['arn:aws:iam::111122223333:role/x'], roleName: 'qualytics' });
    new AthenaAccessKeyUser(one, 'User', { resultsBucketName: 'acme-athena-results', workGroupNames: ['analytics'], userName: 'qualytics' });
    const two = new Stack(oneApp, 'Two', { env });
    new AthenaTargetRole(two, 'Target', { ...config, trustedRoleArn: MANAGED_CONFIG.baseRoleArn, externalId: MANAGED_CONFIG.externalId, resultsBucketName: 'acme-athena-results', workGroupNames: ['analytics'], roleName: 'qualytics' });
    new AthenaAccessKeyUser(two, 'User', { resultsBucketName: 'acme-athena-results', workGroupNames: ['analytics'], userName: 'qualytics' });
    let message = '';
    try {
      oneApp.synth();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('Two/Target and One/Base both create the IAM role "qualytics" (roleName)');
    expect(message).toContain('Two/User and One/User both create the IAM user "qualytics" (userName)');
    expect(message).not.toMatch(/create the IAM (role|user) "qualytics".*create the IAM (role|user) "qualytics".*create the IAM/s);
  });
});

describe('bad configs', () => {
  test('fail with every problem listed by JSON path', () => {
    const bad = {
      deployment: 'managed',
      baseRoleArn: 'arn:aws:sts::315179787488:assumed-role/x/y',
      identity: { type: 'irsa', namespace: 'Qualytics', clusterName: 'c' },
      workGroups: ['bad name'],
      resultsBucket: 'Bad_Bucket',
      dataLocations: [{ bucket: 'ok-bucket', prefix: '/lead' }, { bukket: 'typo' }],
      colour: 'blue',
    };
    let message = '';
    try {
      parseDeploymentConfig(bad, 'bad.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid Athena access config bad\.json: \d+ problems\n/);
    for (const expected of [
      '/: unknown property "colour"',
      '/baseRoleArn: "arn:aws:sts::315179787488:assumed-role/x/y" does not match',
      '/: missing required property "externalId"',
      '/: managed deployments take no identity or targetAccounts',
      '/identity/namespace: "Qualytics" does not match',
      '/identity: missing required property "oidcProviderArn"',
      '/identity: IRSA takes oidcProviderArn, not clusterName, createAssociation or sessionTags',
      '/workGroups/0: "bad name" does not match',
      '/resultsBucket: "Bad_Bucket" does not match',
      '/dataLocations/0/prefix: "/lead" does not match',
      '/dataLocations/1: missing required property "bucket"',
      '/dataLocations/1: unknown property "bukket"',
    ]) expect(message).toContain(expected);
  });

  test.each([
    [{ deployment: 'self-hosted', resultsBucket: 'results', baseRoleArn: 'arn:aws:iam::111122223333:role/x' }, [
      '/: missing required property "identity"', '/: self-hosted deployments create their own base role',
    ]],
    [{ deployment: 'cloud', resultsBucket: 'results' }, ['/deployment: "cloud" is not one of "managed", "self-hosted"']],
    [{ deployment: 'self-hosted', resultsBucket: 'results', identity: { type: 'eks-pod-identity', namespace: 'q', oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/x' } }, [
      '/identity: missing required property "clusterName"', '/identity: EKS Pod Identity takes clusterName, not oidcProviderArn',
    ]],
    [{ deployment: 'self-hosted', resultsBucket: 'results', identity: { type: 'irsa', namespace: 'q', oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/x', sessionTags: false } }, [
      '/identity: IRSA takes oidcProviderArn, not clusterName, createAssociation or sessionTags',
    ]],
    [[], ['/: must be object']],
    [{
      deployment: 'managed',
      baseRoleArn: 'arn:aws:iam::315179787488:role/x',
      externalId: 'qualytics-x',
      resultsBucket: 's3://acme-results/athena/',
      dataLocations: [{ bucket: 'arn:aws:s3:::acme-lake' }, { bucket: 'acme-lake/warehouse' }],
    }, [
      '/resultsBucket: "s3://acme-results/athena/": This is an S3 URI; pass the bucket name alone ("acme-results") and the prefix ("athena")',
      '/dataLocations/0/bucket: "arn:aws:s3:::acme-lake": This is an S3 ARN; pass the bucket name alone ("acme-lake").',
      '/dataLocations/1/bucket: "acme-lake/warehouse": This is a bucket name with a path; pass the bucket name alone ("acme-lake") and the prefix ("warehouse")',
    ]],
    [{ deployment: 'managed', resultsBucket: 'results', externalId: 'x-1', baseRoleArn: 'arn:aws:iam::315179787488:role/team*/acme-dataplane-role' }, [
      '/baseRoleArn: "arn:aws:iam::315179787488:role/team*/acme-dataplane-role" does not match',
    ]],
    // Managed query results (https://docs.aws.amazon.com/athena/latest/ug/managed-results.html): a bucket, or Athena keeps the results.
    // The prefix rule the constructs apply (lib/validation.ts S3_PREFIX_PATTERN): IAM policies hold only Latin-1
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html) and "${" starts a policy variable
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
    [{ ...MANAGED_CONFIG, resultsBucket: 'results', resultsPrefix: 'athena/\u0007', dataLocations: [{ bucket: 'lake', prefix: 'données/😀' }, { bucket: 'lake2', prefix: 'a/${aws:username}' }] }, [
      '/resultsPrefix: "athena/\\u0007" does not match', '/dataLocations/0/prefix: "données/😀" does not match', '/dataLocations/1/prefix: "a/${aws:username}" does not match',
    ]],
    [{ ...MANAGED_CONFIG }, ['/: missing required property "resultsBucket"']],
    [{ ...MANAGED_CONFIG, managedQueryResults: false }, ['/: missing required property "resultsBucket"']],
    [{ ...MANAGED_CONFIG, managedQueryResults: true, resultsBucket: 'results' }, [
      '/: with managedQueryResults: true Athena keeps the query results itself: give no resultsBucket or resultsPrefix',
    ]],
    [{ ...MANAGED_CONFIG, managedQueryResults: true, resultsPrefix: 'athena' }, ['/: with managedQueryResults: true Athena keeps the query results itself']],
    [{ ...MANAGED_CONFIG, resultsBucket: 'results', managedQueryResultsKmsKeyArn: RESULTS_KEY }, [
      '/: managedQueryResultsKmsKeyArn applies only with managedQueryResults: true',
    ]],
    [{ ...MANAGED_CONFIG, managedQueryResults: true, managedQueryResultsKmsKeyArn: 'alias/athena' }, ['/managedQueryResultsKmsKeyArn: "alias/athena" does not match']],
    [{ ...MANAGED_CONFIG, managedQueryResults: 'yes' }, ['/managedQueryResults: must be boolean']],
  ])('%j', (bad, problems) => {
    expect(() => parseDeploymentConfig(bad)).toThrow(/^Invalid Athena access config config: /);
    const message = (() => {
      try {
        parseDeploymentConfig(bad);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const problem of problems) expect(message).toContain(problem);
  });

  test('a file that cannot be read or parsed', () => {
    const file = path.join(os.tmpdir(), `athena-access-${process.pid}.json`);
    fs.writeFileSync(file, '{ not json');
    expect(() => loadDeploymentConfig(file)).toThrow(new RegExp(`Cannot read the Athena access config ${file.replace(/[.\\]/g, '\\$&')}`));
    expect(() => loadDeploymentConfig(path.join(os.tmpdir(), 'missing-athena-access.json'))).toThrow(/Cannot read/);
  });
});

test('bin/app.ts synthesizes the config given with -c config=...', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
  execFileSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--project', 'test/tsconfig.json', '--transpile-only', 'bin/app.ts'], {
    cwd: ROOT,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ config: 'examples/config/managed.json' }) },
    stdio: 'pipe',
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  expect(Object.keys(manifest.artifacts).filter((a) => manifest.artifacts[a].type === 'aws:cloudformation:stack')).toEqual(['QualyticsAthenaManaged']);
}, 120_000);

describe('qualytics-athena-iam synth --config: the config path without a CDK app', () => {
  async function synth(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['synth', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  }

  test('writes a template that needs no bootstrap, and the access report naming the command', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    const { code, out, err } = await synth('--config', path.join(ROOT, 'examples', 'config', 'self-hosted-pod-identity.json'), '--output', outdir);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const templateFile = path.join(outdir, 'QualyticsAthenaSelfHostedPodIdentity.template.json');
    const reportFile = path.join(outdir, 'QualyticsAthenaSelfHostedPodIdentity.access-report.md');
    expect(out).toEqual([
      `wrote ${templateFile}`,
      `wrote ${reportFile}`,
      `Deploy: aws cloudformation deploy --template-file ${templateFile} --stack-name QualyticsAthenaSelfHostedPodIdentity --capabilities CAPABILITY_NAMED_IAM`,
    ]);
    const written = Template.fromJSON(JSON.parse(fs.readFileSync(templateFile, 'utf8')));
    written.resourceCountIs('AWS::IAM::Role', 2);
    written.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'qualytics-dataplane', ServiceAccount: 'qualytics-spark' });
    // No CDK bootstrap: no BootstrapVersion parameter, no rule checking it.
    expect(written.toJSON().Parameters?.BootstrapVersion).toBeUndefined();
    expect(written.toJSON().Rules).toBeUndefined();
    expect(fs.readFileSync(reportFile, 'utf8')).toContain('Generated from the CDK constructs by `qualytics-athena-iam synth --config self-hosted-pod-identity.json`');
  }, 60_000);

  test('a bad config exits 1 with every problem; a missing --config exits 2', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'synth-')), 'access.json');
    fs.writeFileSync(file, JSON.stringify({ deployment: 'managed', resultsBucket: 'arn:aws:s3:::acme-results', colour: 'blue' }));
    const bad = await synth('--config', file, '--output', path.dirname(file));
    expect(bad.code).toBe(1);
    expect(bad.out).toEqual([]);
    expect(bad.err.join('\n')).toMatch(/^Invalid Athena access config .*access\.json: 4 problems\n/);
    expect(bad.err.join('\n')).toContain('/resultsBucket: "arn:aws:s3:::acme-results": This is an S3 ARN; pass the bucket name alone ("acme-results").');
    expect(bad.err.join('\n')).toContain('/: unknown property "colour"');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['access.json']);

    const missing = await synth('--output', 'x');
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toMatch(/^Missing --config\.\n\nRun "qualytics-athena-iam synth --help"/);
  });

  test('--previous: the report begins with what changed since the approved version, by access', async () => {
    const managed = loadDeploymentConfig(path.join(ROOT, 'examples', 'config', 'managed.json'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    const write = (name: string, config: object) => {
      fs.writeFileSync(path.join(dir, name), JSON.stringify(config));
      return path.join(dir, name);
    };
    const approved = path.join(dir, 'approved');
    expect((await synth('--config', write('approved.json', managed), '--output', approved)).code).toBe(0);
    const report = (outdir: string) => fs.readFileSync(path.join(outdir, 'QualyticsAthenaManaged.access-report.md'), 'utf8');

    const same = path.join(dir, 'same');
    expect((await synth('--config', write('same.json', managed), '--output', same, '--previous', approved, '--previous-version', '1.4.0')).code).toBe(0);
    expect(report(same)).toContain('## Changes since 1.4.0\n\nWhat the roles below may do now');
    expect(report(same)).toContain('**No change in access.**');

    const wider = path.join(dir, 'wider');
    const added = { ...managed, glueDatabases: [...managed.glueDatabases!, 'finance'] };
    expect((await synth('--config', write('wider.json', added), '--output', wider, '--previous', approved)).code).toBe(0);
    expect(report(wider)).toContain(`## Changes since ${approved}`);
    expect(report(wider)).toContain('**This change broadens access**');
    expect(report(wider)).toMatch(/\| added \| glue:GetTable \| Read \| `arn:aws:glue:<region>:<account>:table\/finance\/\*` \|/);
    expect(report(approved)).not.toContain('Changes since');
  }, 120_000);

  test('--previous that cannot be read, or --previous-version alone: exit 2, naming the flag or the path', async () => {
    const config = path.join(ROOT, 'examples', 'config', 'managed.json');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    const missing = await synth('--config', config, '--output', dir, '--previous', path.join(dir, 'nowhere'));
    expect(missing.code).toBe(2);
    expect(missing.err).toEqual([`${path.join(dir, 'nowhere')}: no such file or directory (give a template file, a cloud assembly directory or a terraform show -json file)`]);
    const alone = await synth('--config', config, '--output', dir, '--previous-version', '1.4.0');
    expect(alone.code).toBe(2);
    expect(alone.err.join('\n')).toMatch(/^--previous-version names the version --previous reads: give --previous <template or cloud assembly> too/);
  }, 60_000);

  test('Lake Formation grants in nested stacks need cdk deploy: a clear error, nothing written', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    const file = path.join(dir, 'access.json');
    fs.writeFileSync(file, JSON.stringify({
      ...loadDeploymentConfig(path.join(ROOT, 'examples', 'config', 'managed.json')),
      accessMode: 'lake-formation',
      glueDatabases: ['sales'],
      dataLocations: undefined,
      lakeFormationNestedStacks: 2,
    }));
    const nested = await synth('--config', file, '--output', dir);
    expect(nested.code).toBe(1);
    expect(nested.err.join('\n')).toContain('Invalid lakeFormationNestedStacks: 2. Nested stacks need CDK bootstrap and `cdk deploy`');
    expect(fs.readdirSync(dir)).toEqual(['access.json']);
  });
});

test('AthenaAccessStack.fromFile reads a config file; a config built in code is checked like a file', () => {
  const fromFile = AthenaAccessStack.fromFile(new App(), path.join(ROOT, 'examples', 'config', 'managed.json'));
  expect(Template.fromStack(fromFile).toJSON()).toEqual(template('managed.json').toJSON());
  expect(() => new AthenaAccessStack(new App(), { deployment: 'self-hosted', resultsBucket: 'results' }))
    .toThrow(/^Invalid Athena access config given to AthenaAccessStack: 1 problem\n {2}- \/: missing required property "identity"/);
});
