/**
 * The drift command against a real IAM and Lake Formation API (moto_server): a role deployed from a synthesized
 * template, then changed with the AWS CLI the way people change roles by hand. Each expected finding follows from
 * AWS's documentation, cited where it is asserted:
 * - an allow anywhere in the identity policies grants, an explicit deny overrides it, and a permissions boundary
 *   caps what the identity policies grant (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html);
 * - a managed policy's default version is the one in force (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html);
 * - a user holds the policies of its groups (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html);
 * - AdministratorAccess allows every action on every resource
 *   (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html).
 * What moto does and does not emulate: test/audit/moto-deploy.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template as CdkTemplate } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { deployTemplate, motoClients, resetMoto, Template } from './moto-deploy';
import { AccessMode, AthenaAccessKeyUser, AthenaTargetRole, AthenaTargetRoleProps } from '../../lib';
import { DEPLOYED_BLIND_SPOTS, readDeployedPrincipal } from '../../lib/audit/deployed';
import { DriftReport } from '../../lib/audit/drift';
import { runCli } from '../../lib/cli';
import { AUDITOR_ACTIONS } from '../../lib/model/auditor-policy';
import { Moto, pointSdkAt, startMoto } from '../support/moto';
import { README, readmeMarkedBlock } from '../support/readme-blocks';

jest.setTimeout(180_000);

const ACCOUNT = '111122223333';
const BASE_ROLE = 'arn:aws:iam::315179787488:role/acme-dataplane-role';
const EXTERNAL_ID = 'qualytics-acme-7f3c9e';
const ROLE_NAME = 'qualytics-drift';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;

let moto: Moto;
const aws = (...args: string[]): any => moto.aws(...args);
/** A policy document of one statement, as the AWS CLI takes it. */
const documentOf = (statement: Record<string, unknown>): string => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
/** Grants or revokes one Lake Formation permission of the approved role with the AWS CLI. */
const changeGrant = (command: 'grant-permissions' | 'revoke-permissions', resource: Record<string, unknown>, permission: string): void =>
  aws('lakeformation', command, '--principal', `DataLakePrincipalIdentifier=${ROLE_ARN}`, '--resource', JSON.stringify(resource), '--permissions', permission);
/** Creates a customer managed policy with the AWS CLI; returns its ARN. */
const createPolicy = (name: string, statement: Record<string, unknown>): string =>
  aws('iam', 'create-policy', '--policy-name', name, '--policy-document', documentOf(statement)).Policy.Arn;
const directory = mkdtempSync(join(tmpdir(), 'drift-moto-'));

/** A synthesized stack (account, region concrete) as a template file, and its JSON. */
function synthesize(name: string, build: (stack: Stack) => void): { file: string; template: Template } {
  const stack = new Stack(new App(), 'Drift', { env: { account: ACCOUNT, region: 'us-east-1' } });
  build(stack);
  const template = CdkTemplate.fromStack(stack).toJSON() as Template;
  const file = join(directory, `${name}.template.json`);
  writeFileSync(file, JSON.stringify(template));
  return { file, template };
}

const TARGET_PROPS: AthenaTargetRoleProps = {
  trustedRoleArn: BASE_ROLE,
  externalId: EXTERNAL_ID,
  resultsBucketName: 'acme-results',
  accessMode: AccessMode.LAKE_FORMATION,
  glueDatabaseNames: ['sales', 'finance'],
  roleName: ROLE_NAME,
};

/** The approved template: a Lake Formation target role, so that grants exist. */
const approved = synthesize('approved', (stack) => new AthenaTargetRole(stack, 'Target', TARGET_PROPS));

/** Runs the drift command in-process; the SDK reaches moto through AWS_ENDPOINT_URL_IAM / _LAKEFORMATION. */
async function drift(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['drift', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function driftJson(...args: string[]): Promise<{ code: number; report: DriftReport }> {
  const { code, out, err } = await drift(...args, '--json');
  if (code === 2) throw new Error(`drift exited 2: ${err}`);
  return { code, report: JSON.parse(out) as DriftReport };
}

const kinds = (report: DriftReport) => report.findings.map((f) => f.kind).sort();

let restoreEnv: (() => void) | undefined;
beforeAll(async () => {
  moto = await startMoto({ accountId: ACCOUNT, loadManagedPolicies: true });
  restoreEnv = pointSdkAt(moto);
}, 180_000);
afterAll(() => {
  moto?.stop();
  restoreEnv?.();
});

describe('a role deployed from the approved template', () => {
  beforeEach(async () => {
    await resetMoto(moto);
    await deployTemplate(moto, approved.template);
  });

  test('a clean deploy matches: exit 0, no finding, Lake Formation compared, the blind spots listed', async () => {
    const { code, out } = await drift('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(out).toMatch(/^MATCHES {2}role arn:aws:iam::111122223333:role\/qualytics-drift/);
    expect(code).toBe(0);
    const { report } = await driftJson('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(report).toMatchObject({ drifted: false, findings: [], lakeFormationCompared: true, notVisible: DEPLOYED_BLIND_SPOTS });
  });

  /** The ARN of the query policy the deploy attached (CloudFormation names it; drift matches by content). */
  const queryPolicyArn = (): string => aws('iam', 'list-attached-role-policies', '--role-name', ROLE_NAME).AttachedPolicies[0].PolicyArn;

  test('AdministratorAccess attached: access added, every action on every resource, the guardrails still denying the writes', async () => {
    aws('iam', 'attach-role-policy', '--role-name', ROLE_NAME, '--policy-arn', 'arn:aws:iam::aws:policy/AdministratorAccess');
    const { code, report } = await driftJson('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(code).toBe(1);
    expect(kinds(report)).toEqual(['access-added']);
    const [added] = report.findings as any[];
    expect(added).toMatchObject({ source: 'arn:aws:iam::aws:policy/AdministratorAccess', statement: { effect: 'Allow', action: ['*'], resource: ['*'] } });
    expect(added.beyond).toEqual(['* on *']);
    // An explicit deny overrides any allow: the approved guardrails still refuse the writes they name.
    expect(added.stillDenied).toEqual(expect.arrayContaining(['glue:create*', 's3:delete*', 'athena:create*', 'lakeformation:grant*']));
    const { out } = await drift('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(out).toContain('ADDED    Allow * on *');
    expect(out).toMatch(/the guardrails still deny the writes of athena \(\d+ patterns\), glue \(\d+ patterns\), lakeformation \(\d+ patterns\), .*s3 \(\d+ patterns\)/);
  });

  test('an inline statement added: access added, naming the inline policy and what it allows beyond the approved', async () => {
    const statement = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-payroll/*' };
    aws('iam', 'put-role-policy', '--role-name', ROLE_NAME, '--policy-name', 'hand-added', '--policy-document', documentOf(statement));
    const { code, report } = await driftJson('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(code).toBe(1);
    expect(report.findings).toEqual([expect.objectContaining({
      kind: 'access-added', source: 'hand-added', beyond: ['s3:getobject on arn:aws:s3:::acme-payroll/*'], stillDenied: [],
    })]);
  });

  test('a resource widened to * in a new default policy version: access added from that policy, the deny outside the results still holding', async () => {
    const policyArn = queryPolicyArn();
    const version = aws('iam', 'get-policy', '--policy-arn', policyArn).Policy.DefaultVersionId;
    const current = aws('iam', 'get-policy-version', '--policy-arn', policyArn, '--version-id', version).PolicyVersion.Document;
    const document = typeof current === 'string' ? JSON.parse(current) : current;
    const widened = { ...document, Statement: document.Statement.map((s: any) => (s.Sid === 'QueryResultsObjects' ? { ...s, Resource: '*' } : s)) };
    aws('iam', 'create-policy-version', '--policy-arn', policyArn, '--policy-document', JSON.stringify(widened), '--set-as-default');
    const { code, report } = await driftJson('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(code).toBe(1);
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'access-added', source: policyArn })]);
    const [added] = report.findings as any[];
    expect(added.beyond).toEqual(expect.arrayContaining(['s3:getobject on *', 's3:putobject on *']));
    // GuardrailDenyS3WritesOutsideResults denies PutObject and AbortMultipartUpload outside the results prefix.
    expect(added.stillDenied).toEqual(expect.arrayContaining(['s3:putobject', 's3:abortmultipartupload']));
  });

  test('a managed policy attached by hand whose document holds a "%": read back whether or not IAM URL-encodes it', async () => {
    // AWS URL-encodes GetPolicyVersion's Document (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html);
    // moto returns it as plain JSON (test/audit/moto-deploy.ts), where a bare "%" is no escape.
    const arn = createPolicy('percent', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-results/100%/*' });
    aws('iam', 'attach-role-policy', '--role-name', ROLE_NAME, '--policy-arn', arn);
    const { code, report } = await driftJson('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(code).toBe(1);
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'access-added', source: arn, beyond: ['s3:getobject on arn:aws:s3:::acme-results/100%/*'] })]);
  });

  test('the External ID changed in the trust: trust changed, approved and deployed values named', async () => {
    const trust = Object.values(approved.template.Resources).find((r) => r.Type === 'AWS::IAM::Role')!.Properties!.AssumeRolePolicyDocument;
    const changed = JSON.parse(JSON.stringify(trust).replace(EXTERNAL_ID, 'qualytics-other-0000'));
    aws('iam', 'update-assume-role-policy', '--role-name', ROLE_NAME, '--policy-document', JSON.stringify(changed));
    const { code, report } = await driftJson('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(code).toBe(1);
    expect(kinds(report)).toEqual(['trust-changed']);
    expect((report.findings[0] as any).details).toEqual([`External ID (sts:ExternalId): approved ${EXTERNAL_ID}, deployed qualytics-other-0000`]);
  });

  test('the query policy detached: access missing, naming where the dataplane fails, and its guardrails gone', async () => {
    aws('iam', 'detach-role-policy', '--role-name', ROLE_NAME, '--policy-arn', queryPolicyArn());
    const { code, report } = await driftJson('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(code).toBe(1);
    expect(new Set(kinds(report))).toEqual(new Set(['access-missing', 'access-added']));
    // The policy held the guardrail denies too: each is reported removed, none as a new allow.
    expect(report.findings.filter((f) => f.kind === 'access-added').every((f: any) => f.guardrailRemoved === true)).toBe(true);
    const missing = report.findings.filter((f) => f.kind === 'access-missing') as any[];
    expect(missing.every((f) => f.cause === 'not-allowed')).toBe(true);
    expect(missing.flatMap((f) => f.actions)).toEqual(expect.arrayContaining(['athena:startqueryexecution', 'glue:gettable', 's3:getobject', 'lakeformation:getdataaccess']));
    const athena = missing.find((f) => f.actions.includes('athena:startqueryexecution'));
    expect(athena.impact).toContain('queries fail');
    const { out } = await drift('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(out).toContain('MISSING  athena:');
    expect(out).toContain('the dataplane: queries fail');
  });

  test('a Lake Formation grant revoked: Lake Formation missing, naming the permission and resource', async () => {
    changeGrant('revoke-permissions', { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales', TableWildcard: {} } }, 'SELECT');
    const { code, report } = await driftJson('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(code).toBe(1);
    expect(report.findings).toEqual([{
      kind: 'lake-formation-missing', resource: { Table: { DatabaseName: 'sales', TableWildcard: {} } }, permissions: ['SELECT'], permissionsWithGrantOption: [],
    }]);
    const { out } = await drift('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(out).toContain('LF-MISSING SELECT on {"Table":{"DatabaseName":"sales","TableWildcard":{}}}');
  });

  test('a Lake Formation grant added by hand: Lake Formation added, with the DESCRIBE on the database it implies', async () => {
    changeGrant('grant-permissions', { Table: { CatalogId: ACCOUNT, DatabaseName: 'hr', TableWildcard: {} } }, 'SELECT');
    const { code, report } = await driftJson('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(code).toBe(1);
    // "A grant on all tables of a database implicitly grants DESCRIBE on the database"
    // (https://docs.aws.amazon.com/lake-formation/latest/dg/granting-catalog-permissions.html).
    expect(report.findings).toEqual([
      { kind: 'lake-formation-added', resource: { Database: { Name: 'hr' } }, permissions: ['DESCRIBE'], permissionsWithGrantOption: [] },
      { kind: 'lake-formation-added', resource: { Table: { DatabaseName: 'hr', TableWildcard: {} } }, permissions: ['SELECT'], permissionsWithGrantOption: [] },
    ]);
  });

  test('--skip-lake-formation: a revoked grant is not read, and the report says so', async () => {
    changeGrant('revoke-permissions', { Database: { CatalogId: ACCOUNT, Name: 'default' } }, 'DESCRIBE');
    expect((await drift('--role-arn', ROLE_ARN, '--expected', approved.file)).code).toBe(1);
    const { code, out } = await drift('--role-arn', ROLE_ARN, '--expected', approved.file, '--skip-lake-formation');
    expect(code).toBe(0);
    expect(out).toContain('Lake Formation grants not compared (--skip-lake-formation).');
  });
});


describe('a role with a permissions boundary', () => {
  const BOUNDARY_NAME = 'qualytics-boundary';
  const bounded = synthesize('bounded', (stack) => {
    const boundary = new iam.ManagedPolicy(stack, 'Boundary', {
      managedPolicyName: BOUNDARY_NAME,
      statements: [new iam.PolicyStatement({ actions: ['athena:*', 'glue:*', 's3:*', 'lakeformation:GetDataAccess'], resources: ['*'] })],
    });
    new AthenaTargetRole(stack, 'Target', { ...TARGET_PROPS, permissionsBoundary: boundary });
  });
  const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/${BOUNDARY_NAME}`;

  beforeEach(async () => {
    await resetMoto(moto);
    await deployTemplate(moto, bounded.template);
  });

  test('deployed as approved: exit 0', async () => {
    expect(aws('iam', 'get-role', '--role-name', ROLE_NAME).Role.PermissionsBoundary.PermissionsBoundaryArn).toBe(boundaryArn);
    expect((await drift('--role-arn', ROLE_ARN, '--expected', bounded.file)).code).toBe(0);
  });

  test('replaced by a narrower boundary: boundary changed, and what it no longer allows is missing (the boundary caps the policies)', async () => {
    const narrower = createPolicy('athena-only', { Effect: 'Allow', Action: 'athena:*', Resource: '*' });
    aws('iam', 'put-role-permissions-boundary', '--role-name', ROLE_NAME, '--permissions-boundary', narrower);
    const { code, report } = await driftJson('--role-arn', ROLE_ARN, '--expected', bounded.file);
    expect(code).toBe(1);
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: 'boundary-changed', deployed: narrower }));
    const missing = report.findings.filter((f) => f.kind === 'access-missing') as any[];
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((f) => f.cause === 'boundary')).toBe(true);
    const services = new Set(missing.flatMap((f) => f.actions.map((a: string) => a.split(':')[0])));
    expect(services).toEqual(new Set(['glue', 's3', 'lakeformation']));
  });

  test('removed: boundary changed, approved and deployed (none) named', async () => {
    aws('iam', 'delete-role-permissions-boundary', '--role-name', ROLE_NAME);
    const { code, report } = await driftJson('--role-arn', ROLE_ARN, '--expected', bounded.file);
    expect(code).toBe(1);
    expect(kinds(report)).toEqual(['boundary-changed']);
    expect(report.findings[0]).toMatchObject({ kind: 'boundary-changed', expected: expect.any(String) });
    expect(report.findings[0]).not.toHaveProperty('deployed');
    const { out } = await drift('--role-arn', ROLE_ARN, '--expected', bounded.file);
    expect(out).toMatch(/BOUNDARY the permissions boundary changed: approved .*, deployed \(none\)/);
  });
});

describe('an access key user whose policy is on its group', () => {
  const USER_NAME = 'qualytics-drift-user';
  const userTemplate = synthesize('user', (stack) => new AthenaAccessKeyUser(stack, 'User', {
    resultsBucketName: 'acme-results', accessMode: AccessMode.LAKE_FORMATION, glueDatabaseNames: ['sales'], userName: USER_NAME,
  }));
  let group: string;

  beforeEach(async () => {
    await resetMoto(moto);
    await deployTemplate(moto, userTemplate.template);
    group = aws('iam', 'list-groups-for-user', '--user-name', USER_NAME).Groups[0].GroupName;
  });

  test('deployed as approved: the group policy is followed, exit 0', async () => {
    expect(aws('iam', 'list-attached-user-policies', '--user-name', USER_NAME).AttachedPolicies).toEqual([]);
    const { code, report } = await driftJson('--user-name', USER_NAME, '--expected', userTemplate.file);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
  });

  test('an inline policy put on the group: access added, named by group and policy', async () => {
    const statement = { Effect: 'Allow', Action: 'glue:GetTable', Resource: 'arn:aws:glue:eu-west-1:111122223333:table/*/*' };
    aws('iam', 'put-group-policy', '--group-name', group, '--policy-name', 'extra', '--policy-document', documentOf(statement));
    const { code, report } = await driftJson('--user-name', USER_NAME, '--expected', userTemplate.file);
    expect(code).toBe(1);
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'access-added', source: `${group}/extra` })]);
  });

  test('the group policy detached: access missing', async () => {
    const [attached] = aws('iam', 'list-attached-group-policies', '--group-name', group).AttachedPolicies;
    aws('iam', 'detach-group-policy', '--group-name', group, '--policy-arn', attached.PolicyArn);
    const { code, report } = await driftJson('--user-name', USER_NAME, '--expected', userTemplate.file);
    expect(code).toBe(1);
    expect(kinds(report)).toContain('access-missing');
  });
});

describe('a template with several roles, and bad input', () => {
  const several = synthesize('several', (stack) => {
    new AthenaTargetRole(stack, 'Sales', { ...TARGET_PROPS, roleName: 'qualytics-sales', glueDatabaseNames: ['sales'] });
    new AthenaTargetRole(stack, 'Finance', { ...TARGET_PROPS, roleName: 'qualytics-finance', glueDatabaseNames: ['finance'] });
  });
  const logicalIdOf = (roleName: string) => Object.entries(several.template.Resources).find(([, r]) => r.Properties?.RoleName === roleName)![0];
  const FINANCE_ARN = `arn:aws:iam::${ACCOUNT}:role/qualytics-finance`;

  beforeAll(async () => {
    await resetMoto(moto);
    await deployTemplate(moto, several.template);
  });

  test('the role the ARN names is compared; --logical-id picks another', async () => {
    expect((await drift('--role-arn', FINANCE_ARN, '--expected', several.file)).code).toBe(0);
    expect((await drift('--role-arn', FINANCE_ARN, '--expected', several.file, '--logical-id', logicalIdOf('qualytics-finance'))).code).toBe(0);
    const { code, report } = await driftJson('--role-arn', FINANCE_ARN, '--expected', several.file, '--logical-id', logicalIdOf('qualytics-sales'));
    expect(code).toBe(1);
    expect(new Set(kinds(report))).toEqual(new Set(['lake-formation-added', 'lake-formation-missing']));
  });

  test('a --logical-id that matches no role: exit 2, listing the candidates', async () => {
    const { code, err } = await drift('--role-arn', FINANCE_ARN, '--expected', several.file, '--logical-id', 'Nope');
    expect(code).toBe(2);
    expect(err).toContain('no principal matches logical id "Nope". The candidates:');
    expect(err).toContain(`role qualytics-sales (logical id ${logicalIdOf('qualytics-sales')}`);
    expect(err).toContain(`role qualytics-finance (logical id ${logicalIdOf('qualytics-finance')}`);
  });

  test.each<[string, string[], RegExp]>([
    ['a missing template file', ['--role-arn', FINANCE_ARN, '--expected', '/nonexistent/approved.json'], /^\/nonexistent\/approved\.json: no such file or directory/],
    ['a --parameters value that is not Key=Value', ['--role-arn', FINANCE_ARN, '--expected', several.file, '--parameters', 'RoleName'], /^--parameters "RoleName": expected Key=Value/],
    ['a --role-arn that is not a role ARN', ['--role-arn', 'qualytics-finance', '--expected', several.file], /^--role-arn "qualytics-finance" is not an IAM role ARN/],
    ['a role that does not exist', ['--role-arn', `arn:aws:iam::${ACCOUNT}:role/absent`, '--expected', several.file], /^The role arn:aws:iam::111122223333:role\/absent does not exist/],
    ['both --role-arn and --user-name', ['--role-arn', FINANCE_ARN, '--user-name', 'u', '--expected', several.file], /^Give either --role-arn/],
  ])('%s: exit 2 with a clear message', async (_name, args, message) => {
    const { code, err } = await drift(...args);
    expect(err).toMatch(message);
    expect(code).toBe(2);
  });
});

describe('the customer template, deployed by CloudFormation with parameters: the README example', () => {
  const readme = readFileSync(README, 'utf8');
  /** The README's drift command line, as its arguments (line continuations joined; no value holds a space). */
  const readmeArgs = readmeMarkedBlock(readme, 'sh', 'drift-command')!.replace(/\\\n/g, ' ').trim().split(/\s+/);
  const TEMPLATE = join(__dirname, '..', '..', 'templates', 'athena-target-role.json');
  const afterParameters = readmeArgs.slice(readmeArgs.indexOf('--parameters') + 1);
  const nextFlag = afterParameters.findIndex((a) => a.startsWith('--'));
  const parameters = nextFlag < 0 ? afterParameters : afterParameters.slice(0, nextFlag);
  const roleName = readmeArgs[readmeArgs.indexOf('--role-arn') + 1].replace(/^.*\//, '');

  beforeAll(async () => {
    await resetMoto(moto);
    aws('cloudformation', 'create-stack', '--stack-name', 'qualytics-athena', '--template-body', `file://${TEMPLATE}`, '--capabilities', 'CAPABILITY_NAMED_IAM',
      '--parameters', ...parameters.map((p) => p.replace(/^(\w+)=/, 'ParameterKey=$1,ParameterValue=')));
    // moto's CloudFormation ignores a role's ManagedPolicyArns (test/proofs/emulator.test.ts): attach the stack's
    // policies as CloudFormation does (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html).
    const attached = aws('iam', 'list-attached-role-policies', '--role-name', roleName).AttachedPolicies.map((p: any) => p.PolicyArn);
    for (const policy of aws('iam', 'list-policies', '--scope', 'Local').Policies.map((p: any) => p.Arn)) {
      if (!attached.includes(policy)) aws('iam', 'attach-role-policy', '--role-name', roleName, '--policy-arn', policy);
    }
  });

  test('as deployed: exit 0; with AdministratorAccess attached: exit 1 and the output the README shows', async () => {
    expect(readmeArgs.slice(0, 3)).toEqual(['npx', 'qualytics-athena-iam', 'drift']);
    const args = readmeArgs.slice(3).map((a) => (a === 'athena-target-role.json' ? TEMPLATE : a));
    const clean = await drift(...args);
    expect(clean.out).toMatch(new RegExp(`^MATCHES {2}role arn:aws:iam::${ACCOUNT}:role/${roleName} allows what the approved TargetRole\\w+ allows`));
    expect(clean.code).toBe(0);
    aws('iam', 'attach-role-policy', '--role-name', roleName, '--policy-arn', 'arn:aws:iam::aws:policy/AdministratorAccess');
    const changed = await drift(...args);
    expect(`${changed.out}\n`).toBe(readmeMarkedBlock(readme, 'text', 'drift-output'));
    expect(changed.code).toBe(1);
  });
});

describe("the auditor's policy", () => {
  test('allows exactly the calls drift makes reading a role (inline, managed, boundary, grants) and a user (inline, managed, groups)', async () => {
    await resetMoto(moto);
    const bounded = synthesize('auditor-role', (stack) => {
      const boundary = new iam.ManagedPolicy(stack, 'Boundary', { statements: [new iam.PolicyStatement({ actions: ['athena:*'], resources: ['*'] })] });
      new AthenaTargetRole(stack, 'Target', { ...TARGET_PROPS, permissionsBoundary: boundary });
      new AthenaAccessKeyUser(stack, 'User', { resultsBucketName: 'acme-results', userName: 'auditor-user' });
    });
    await deployTemplate(moto, bounded.template);
    const statement = documentOf({ Effect: 'Allow', Action: 'athena:GetWorkGroup', Resource: '*' });
    aws('iam', 'put-role-policy', '--role-name', ROLE_NAME, '--policy-name', 'inline', '--policy-document', statement);
    aws('iam', 'put-user-policy', '--user-name', 'auditor-user', '--policy-name', 'inline', '--policy-document', statement);
    aws('iam', 'attach-user-policy', '--user-name', 'auditor-user', '--policy-arn', 'arn:aws:iam::aws:policy/AdministratorAccess');
    const group = aws('iam', 'list-groups-for-user', '--user-name', 'auditor-user').Groups[0].GroupName;
    aws('iam', 'put-group-policy', '--group-name', group, '--policy-name', 'inline', '--policy-document', statement);
    // Each command the SDK sends, as the IAM action it needs (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html).
    const clients = motoClients(moto);
    const called = new Set<string>();
    for (const [prefix, client] of [['iam', clients.iam], ['lakeformation', clients.lakeFormation]] as const) {
      client.middlewareStack.add((next, context) => (args) => {
        called.add(`${prefix}:${String(context.commandName).replace(/Command$/, '')}`);
        return next(args);
      }, { step: 'initialize' });
    }
    await readDeployedPrincipal({ roleArn: ROLE_ARN }, clients);
    await readDeployedPrincipal({ userName: 'auditor-user' }, clients);
    clients.iam.destroy();
    clients.lakeFormation.destroy();
    expect([...called].sort()).toEqual(AUDITOR_ACTIONS.map((a) => a.action).sort());
  });
});
