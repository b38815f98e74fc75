/**
 * drift and diff reading `terraform show -json` output (https://developer.hashicorp.com/terraform/internals/json-format):
 * of a saved plan, its `planned_values` (a value known only after apply absent there and `true` in its change's
 * `after_unknown`); of a state, its `values`; every module's resources under `child_modules`. The plans and states are
 * real: terraform 1.11 with the hashicorp/aws 5.100 provider (test/support/terraform.ts), applied to moto_server
 * (test/support/moto.ts) through the provider's custom endpoints
 * (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/guides/custom-service-endpoints).
 *
 * What the answers rest on:
 * - diff compares by access (test/audit/diff.test.ts): the shipped module and the construct synthesize the same
 *   statements for the same inputs (test/proofs/terraform.test.ts), so diff of the two finds no change;
 * - an attachment attaches its `policy_arn` to its role (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/iam_role_policy_attachment);
 * - `aws_lakeformation_permissions` grants `permissions` on its one resource block to `principal`
 *   (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/lakeformation_permissions), which
 *   `AWS::LakeFormation::PrincipalPermissions` writes in the API's resource shape
 *   (https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_Resource.html);
 * - AdministratorAccess allows every action on every resource
 *   (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html);
 * - the state holds an access key's secret in plain text (`terraform show -json` prints sensitive values,
 *   https://developer.hashicorp.com/terraform/cli/commands/show; `secret` of
 *   https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/iam_access_key).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AthenaAccessKeyUser, AthenaAccessKeyUserProps, AthenaTargetRole, AthenaTargetRoleProps } from '../../lib';
import { readPrincipals } from '../../lib/audit/sources';
import { runCli } from '../../lib/cli';
import { Moto, pointSdkAt, startMoto } from '../support/moto';
import { init, ok, providerBlock, REGION, ROOT, rootConfig, writeRoot } from '../support/terraform';
import { accessKeyUserInputs, targetRoleInputs } from '../support/terraform-inputs';

jest.setTimeout(300_000);

const ACCOUNT = '111122223333';
const TARGET_MODULE = join(ROOT, 'terraform', 'modules', 'athena-target-role');
const USER_MODULE = join(ROOT, 'terraform', 'modules', 'athena-access-key-user');
const KMS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;

/** The same configuration for the construct and the module: the props, and the module's inputs for them (test/support/terraform-inputs.ts). */
const TARGET_PROPS = {
  trustedRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role',
  externalId: 'qualytics-7f3a9c2e',
  roleName: 'acme-athena',
  path: '/qualytics/',
  workGroupNames: ['qualytics', 'analysts'],
  glueDatabaseNames: ['sales', 'marketing_*'],
  resultsBucketName: 'acme-athena-results',
  resultsPrefix: 'athena/results',
  dataLocations: [{ bucketName: 'acme-lake' }],
  kmsKeyArns: [KMS_KEY],
  trustedOrganizationId: 'o-a1b2c3d4e5',
  maxSessionDuration: Duration.seconds(3600),
} satisfies AthenaTargetRoleProps;
// Two query policies: each attachment's policy_arn, unknown until apply, is one of three policies.
const targetInputs = (props: AthenaTargetRoleProps) => targetRoleInputs(props, { account_id: ACCOUNT, query_policy_count: 2 });
const userInputs = (props: AthenaAccessKeyUserProps) => accessKeyUserInputs(props, { account_id: ACCOUNT });

const USER_PROPS = {
  userName: 'acme-athena-user',
  path: '/qualytics/',
  workGroupNames: ['qualytics', 'analysts'],
  glueDatabaseNames: ['sales', 'marketing_*'],
  resultsBucketName: 'acme-athena-results',
  resultsPrefix: 'athena/results',
  dataLocations: [{ bucketName: 'acme-lake' }, { bucketName: 'acme-raw-*' }],
  kmsKeyArns: [KMS_KEY],
} satisfies AthenaAccessKeyUserProps;

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'terraform-reader-'));
  dirs.push(dir);
  return dir;
};

/** A stack (account and region concrete) synthesized to a template file. */
function synthesize(build: (stack: Stack) => void): string {
  const stack = new Stack(new App(), 'Approved', { env: { account: ACCOUNT, region: REGION } });
  build(stack);
  const file = join(tempDir(), 'approved.template.json');
  writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));
  return file;
}

/** `terraform show -json` of a saved plan of `dir`, as a file. */
function showPlan(dir: string, name = 'plan.json'): string {
  ok(dir, ['plan', '-no-color', '-out=plan.out']);
  const file = join(dir, name);
  writeFileSync(file, ok(dir, ['show', '-json', 'plan.out']));
  return file;
}

/** A root configuration of `hcl` (with the offline provider), planned: its `terraform show -json` file. */
function handWritten(hcl: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'main.tf'), `${providerBlock()}\n${hcl}`);
  init(dir);
  return showPlan(dir);
}

/** Runs the command line in-process. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the target role module\'s plan and AthenaTargetRole, for the same inputs', () => {
  let dir: string;
  let plan: string;
  let template: string;
  beforeAll(() => {
    dir = rootConfig(TARGET_MODULE, targetInputs(TARGET_PROPS));
    dirs.push(dir);
    plan = showPlan(dir);
    template = synthesize((stack) => new AthenaTargetRole(stack, 'Target', TARGET_PROPS));
  });

  test('the plan reads as one role: trust, the guardrails and both query policies joined through their attachments', () => {
    const principals = readPrincipals(plan, { accountId: ACCOUNT });
    expect(principals.map((p) => ({
      kind: p.kind, name: p.name, arn: p.arn, address: p.logicalId, external: p.externalPolicyArns, boundary: p.permissionsBoundary,
    })))
      .toEqual([{ kind: 'role', name: 'acme-athena', arn: `arn:aws:iam::${ACCOUNT}:role/qualytics/acme-athena`, address: 'module.this.aws_iam_role.this', external: undefined, boundary: undefined }]);
    expect(principals[0].policies.map((p) => `${p.kind} ${p.source}`).sort()).toEqual([
      'managed module.this.aws_iam_policy.guardrails',
      'managed module.this.aws_iam_policy.query["0"]',
      'managed module.this.aws_iam_policy.query["1"]',
    ]);
    expect(principals[0].trust?.Statement).toHaveLength(2);
  });

  test('diff <template> <plan>: no change in access, exit 0', async () => {
    const { code, out, err } = await cli('diff', template, plan, '--json');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const result = JSON.parse(out);
    expect({ changed: result.changed, broadens: result.broadens }).toEqual({ changed: false, broadens: false });
  });

  test('one more database in the Terraform inputs: a broadening, the Glue reads on that database and its tables added', async () => {
    writeRoot(dir, TARGET_MODULE, targetInputs({ ...TARGET_PROPS, glueDatabaseNames: [...TARGET_PROPS.glueDatabaseNames, 'finance'] }));
    const wider = showPlan(dir, 'wider.json');
    const { code, out } = await cli('diff', template, wider, '--json', '--fail-on', 'broadening');
    expect(code).toBe(1);
    const result = JSON.parse(out);
    expect(result.broadens).toBe(true);
    const glue = (resource: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:${resource}`;
    const added = result.permissions.allows.filter((c: any) => c.kind === 'added');
    expect(new Set(added.map((c: any) => c.grant.target))).toEqual(new Set([glue('database/finance'), glue('table/finance/*')]));
    expect(result.permissions.allows.every((c: any) => c.kind === 'added')).toBe(true);
  });

  test('--logical-id takes the resource address; another address is refused listing the candidates', async () => {
    const same = await cli('diff', plan, plan, '--logical-id', 'module.this.aws_iam_role.this');
    expect(same.code).toBe(0);
    const wrong = await cli('diff', plan, plan, '--logical-id', 'module.other.aws_iam_role.this');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('no principal matches logical id "module.other.aws_iam_role.this". The candidates:\n  role acme-athena (address module.this.aws_iam_role.this)');
  });
});

describe('the access key user module\'s plan and AthenaAccessKeyUser, for the same inputs', () => {
  test('diff <template> <plan>: no change in access, exit 0 (the construct attaches to a group, the module to the user)', async () => {
    const dir = rootConfig(USER_MODULE, userInputs(USER_PROPS));
    dirs.push(dir);
    const plan = showPlan(dir);
    const template = synthesize((stack) => new AthenaAccessKeyUser(stack, 'User', USER_PROPS));
    const [user] = readPrincipals(plan, { accountId: ACCOUNT });
    expect({ kind: user.kind, name: user.name, address: user.logicalId, kinds: [...new Set(user.policies.map((p) => p.kind))] })
      .toEqual({ kind: 'user', name: 'acme-athena-user', address: 'module.this.aws_iam_user.this', kinds: ['managed'] });
    const { code, out, err } = await cli('diff', template, plan, '--json');
    expect({ code, err, changed: JSON.parse(out).changed }).toEqual({ code: 0, err: '', changed: false });
  });
});

describe('Lake Formation grants of aws_lakeformation_permissions', () => {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::315179787488:role/acme-dataplane-role' }, Action: 'sts:AssumeRole' }] };
  const cfnGrant = (resource: object, permissions: string[]) => ({
    Type: 'AWS::LakeFormation::PrincipalPermissions',
    Properties: { Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': ['Role', 'Arn'] } }, Resource: resource, Permissions: permissions, PermissionsWithGrantOption: [] },
  });
  const catalog = { Ref: 'AWS::AccountId' };
  const template = (): string => {
    const file = join(tempDir(), 'grants.template.json');
    writeFileSync(file, JSON.stringify({
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'lf-reader', AssumeRolePolicyDocument: trust } },
        Database: cfnGrant({ Database: { CatalogId: catalog, Name: 'sales' } }, ['DESCRIBE']),
        Tables: cfnGrant({ Table: { CatalogId: catalog, DatabaseName: 'sales', TableWildcard: {} } }, ['SELECT']),
        Columns: cfnGrant({ TableWithColumns: { CatalogId: catalog, DatabaseName: 'sales', Name: 'orders', ColumnNames: ['id', 'total'] } }, ['SELECT']),
      },
    }));
    return file;
  };
  /** The same role and grants in Terraform; the principal is the role's ARN, unknown until apply. */
  const hcl = (extra = '') => `
resource "aws_iam_role" "r" {
  name               = "lf-reader"
  assume_role_policy = ${JSON.stringify(JSON.stringify(trust))}
}
resource "aws_lakeformation_permissions" "database" {
  principal   = aws_iam_role.r.arn
  permissions = ["DESCRIBE"]
  database {
    name = "sales"
  }
}
resource "aws_lakeformation_permissions" "tables" {
  principal   = aws_iam_role.r.arn
  permissions = ["SELECT"]
  table {
    database_name = "sales"
    wildcard      = true
  }
}
resource "aws_lakeformation_permissions" "columns" {
  principal   = aws_iam_role.r.arn
  permissions = ["SELECT"]
  table_with_columns {
    database_name = "sales"
    name          = "orders"
    column_names  = ["id", "total"]
  }
}
${extra}`;

  test('read in the API\'s resource shape: diff against the same grants in a template finds no change; one more grant is a broadening', async () => {
    const plan = handWritten(hcl());
    const grants = readPrincipals(plan, { accountId: ACCOUNT })[0].lakeFormation!;
    expect(grants).toHaveLength(3);
    expect(grants).toEqual(expect.arrayContaining([
      { resource: { Database: { CatalogId: ACCOUNT, Name: 'sales' } }, permissions: ['DESCRIBE'], permissionsWithGrantOption: [] },
      { resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales', TableWildcard: {} } }, permissions: ['SELECT'], permissionsWithGrantOption: [] },
      { resource: { TableWithColumns: { CatalogId: ACCOUNT, DatabaseName: 'sales', Name: 'orders', ColumnNames: ['id', 'total'] } }, permissions: ['SELECT'], permissionsWithGrantOption: [] },
    ]));
    const same = await cli('diff', template(), plan, '--account-id', ACCOUNT, '--json');
    expect({ code: same.code, err: same.err }).toEqual({ code: 0, err: '' });

    const wider = handWritten(hcl(`
resource "aws_lakeformation_permissions" "finance" {
  principal   = aws_iam_role.r.arn
  permissions = ["DESCRIBE"]
  database {
    name = "finance"
  }
}`));
    const broader = await cli('diff', template(), wider, '--account-id', ACCOUNT, '--json');
    expect(broader.code).toBe(1);
    expect(JSON.parse(broader.out).lakeFormation.added.map((g: any) => `${g.description} ${g.permission}`)).toEqual(['database finance DESCRIBE']);
  });
});

describe('input the reader refuses (exit 2)', () => {
  test('a configuration with no role or user: none, said so', async () => {
    const plan = handWritten(`
resource "aws_iam_policy" "alone" {
  name   = "alone"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}`);
    const { code, err } = await cli('diff', plan, plan);
    expect({ code, err }).toEqual({ code: 2, err: `${plan}: creates no IAM role or user` });
  });

  test('a document unknown until apply: named, with what to give instead', async () => {
    // The trust names a user the same plan creates: its ARN is known only after apply.
    const plan = handWritten(`
resource "aws_iam_user" "caller" {
  name = "caller"
}
resource "aws_iam_role" "r" {
  name               = "reader"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { AWS = aws_iam_user.caller.arn }, Action = "sts:AssumeRole" }] })
}`);
    const { code, err } = await cli('diff', plan, plan);
    expect(code).toBe(2);
    expect(err).toBe(`${plan}: aws_iam_role.r, assume_role_policy: not known until apply. Give the state instead (terraform show -json after terraform apply), `
      + 'or plan with the value known (with this library\'s modules: set account_id, so that no ARN waits for the account ID).');
  });

  test('a Lake Formation grant on a database whose name is unknown until apply: the attribute named', async () => {
    // A Glue database's id is computed (catalog ID and name): unknown until apply.
    const plan = handWritten(`
resource "aws_iam_role" "r" {
  name               = "reader"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::315179787488:root" }, Action = "sts:AssumeRole" }] })
}
resource "aws_glue_catalog_database" "db" {
  name = "sales"
}
resource "aws_lakeformation_permissions" "g" {
  principal   = aws_iam_role.r.arn
  permissions = ["DESCRIBE"]
  database {
    name = aws_glue_catalog_database.db.id
  }
}`);
    const { code, err } = await cli('diff', plan, plan);
    expect(code).toBe(2);
    expect(err).toMatch(/: aws_lakeformation_permissions\.g, database\.name: not known until apply\. Give the state instead/);
  });

  test('template parameters given with Terraform output', async () => {
    const plan = handWritten('resource "aws_iam_user" "u" {\n  name = "u"\n}');
    const { code, err } = await cli('diff', plan, plan, '--parameters', 'RoleName=x');
    expect({ code, err }).toEqual({ code: 2, err: `${plan}: is terraform show -json output, which takes no template parameters (RoleName): its values are the ones Terraform planned or applied` });
  });
});

/**
 * The modules applied to moto_server, and drift given the state: `MOTO_IAM_LOAD_MANAGED_POLICIES=true` (startMoto's
 * loadManagedPolicies) so that AdministratorAccess exists to be attached (https://docs.getmoto.org/en/latest/docs/services/iam.html).
 */
describe('drift --expected <terraform show -json of the state>, modules applied to moto_server', () => {
  let moto: Moto;
  let restoreEnv: (() => void) | undefined;
  beforeAll(async () => {
    moto = await startMoto({ accountId: ACCOUNT, loadManagedPolicies: true });
    restoreEnv = pointSdkAt(moto);
  }, 180_000);
  afterAll(() => {
    moto?.stop();
    restoreEnv?.();
  });

  /** Applies `moduleDir` with `inputs` to moto; the state's `terraform show -json`, as a file. */
  const applied = (moduleDir: string, inputs: Record<string, unknown>): string => {
    const dir = rootConfig(moduleDir, inputs, moto.endpoint);
    dirs.push(dir);
    ok(dir, ['apply', '-auto-approve', '-no-color']);
    const file = join(dir, 'state.json');
    writeFileSync(file, ok(dir, ['show', '-json']));
    return file;
  };

  test('the target role: clean, exit 0; AdministratorAccess attached by hand, exit 1 with the access added', async () => {
    const state = applied(TARGET_MODULE, targetInputs({ ...TARGET_PROPS, path: '/' }));
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/${TARGET_PROPS.roleName}`;
    const clean = await cli('drift', '--role-arn', roleArn, '--expected', state);
    expect(clean).toEqual({ code: 0, err: '', out: expect.stringMatching(new RegExp(`^MATCHES {2}role ${roleArn}`)) });

    moto.aws('iam', 'attach-role-policy', '--role-name', TARGET_PROPS.roleName, '--policy-arn', 'arn:aws:iam::aws:policy/AdministratorAccess');
    const drifted = await cli('drift', '--role-arn', roleArn, '--expected', state, '--json');
    expect(drifted.code).toBe(1);
    const report = JSON.parse(drifted.out);
    expect(report.findings.map((f: any) => [f.kind, f.source, f.beyond])).toEqual([['access-added', 'arn:aws:iam::aws:policy/AdministratorAccess', ['* on *']]]);
    const human = await cli('drift', '--role-arn', roleArn, '--expected', state);
    expect(human.out).toContain(`DRIFTED  role ${roleArn}: 1 change(s) since the approved module.this.aws_iam_role.this`);
  });

  test('the access key user: clean, exit 0, and neither drift nor diff (human or --json) carries the key\'s secret the state holds', async () => {
    const state = applied(USER_MODULE, userInputs({ ...USER_PROPS, path: '/' }));
    const shown = JSON.parse(readFileSync(state, 'utf8'));
    const secrets = (JSON.stringify(shown).match(/"secret":"[^"]+"/g) ?? []).map((s) => JSON.parse(`{${s}}`).secret as string);
    expect(secrets.map((s) => s.length)).toEqual([40]);
    const outputs = [
      await cli('drift', '--user-name', USER_PROPS.userName, '--expected', state),
      await cli('drift', '--user-name', USER_PROPS.userName, '--expected', state, '--json'),
      await cli('diff', state, state),
      await cli('diff', state, state, '--json'),
    ];
    expect(outputs.map((o) => (o.code === 0 ? 0 : o))).toEqual([0, 0, 0, 0]);
    expect(outputs.filter((o) => `${o.out}${o.err}`.includes(secrets[0]))).toEqual([]);
    expect(JSON.stringify(readPrincipals(state))).not.toContain(secrets[0]);
  });
});
