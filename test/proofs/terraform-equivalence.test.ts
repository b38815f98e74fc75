import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessMode, AthenaAccessKeyUser, AthenaAccessKeyUserProps, AthenaTargetRole, AthenaTargetRoleProps } from '../../lib';
import { deployOnPaper } from '../support/cloudformation';
import { Decision, deployedRole, DeployedUser, logicalIdOf } from '../support/simulate';
import { accessKeyUserDecisions, QueryInputs, targetRoleDecisions, TargetRoleInputs } from '../support/target-role-calls';
import { init, moduleArguments, ok, providerBlock, REGION, resolvePseudo, ROOT, ShownResource, terraformRole } from '../support/terraform';
import { AccessKeyUserModuleInputs, accessKeyUserInputs, TargetRoleModuleInputs, targetRoleInputs, withModuleDefaults } from '../support/terraform-inputs';

/**
 * The Terraform modules and the constructs they mirror decide every request alike. For each configuration of the
 * table, AthenaTargetRole is synthesized and deployed on paper (test/support/cloudformation.ts), the target role
 * module is planned (one root with a module block per configuration, one `terraform init`, one saved plan read
 * with `terraform show -json`, https://developer.hashicorp.com/terraform/internals/json-format), and the same
 * scenarios, generated from the configuration (test/support/target-role-calls.ts: every workgroup and one not
 * granted, every database's tables and one not granted, every data location's objects and one not granted, the
 * results prefix and beside it, each KMS key with and without kms:ViaService and one not granted, the writes the
 * guardrails deny beside a policy allowing everything, AssumeRole with and without the External ID, the session
 * name prefix and the organization, and by another principal), are decided by a real IAM policy evaluator
 * (test/support/simulate.ts) over both sets of documents. The Access Key user module and AthenaAccessKeyUser are
 * compared the same way, without the trust.
 *
 * A configuration is construct props; `targetRoleInputs` (test/support/terraform-inputs.ts) maps them to the module's
 * variables. Add one as an entry.
 */
const ACCOUNT = '111122223333';
const KEY = (id: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
const TRUST = { trustedRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role', externalId: 'qualytics-7f3a9c2e' };

/**
 * `count` database names of 32 characters, as the module's capacity bench names them (bench/terraform-capacity.ts),
 * which measured 231 at the default 9 query policies (README, "The target role as a module").
 */
const databaseNames = (count: number) => Array.from({ length: count }, (_, i) => `d${'x'.repeat(31 - String(i).length)}${i}`);
const MANY_DATABASES = 220;

type TargetProps = AthenaTargetRoleProps & typeof TRUST & { resultsBucketName: string };
/** The configurations: the module's names (a module block is `module "<name>"`) and the construct props. */
const CONFIGURATIONS: Array<{ name: string; props: TargetProps }> = [
  { name: 'minimal', props: { ...TRUST, resultsBucketName: 'acme-athena-results' } },
  {
    name: 'many_databases',
    props: { ...TRUST, resultsBucketName: 'acme-athena-results', workGroupNames: ['qualytics'], glueDatabaseNames: databaseNames(MANY_DATABASES) },
  },
  {
    name: 'data_locations',
    props: {
      ...TRUST,
      resultsBucketName: 'acme-athena-results',
      resultsPrefix: 'athena/results',
      workGroupNames: ['qualytics'],
      glueDatabaseNames: ['sales', 'marketing_*', 'fin?nce'],
      dataLocations: [
        { bucketName: 'acme-lake', prefix: 'warehouse/sales' },
        { bucketName: 'acme-raw-*' },
        { bucketName: 'acme-logs', prefix: 'team-*/events' },
        { bucketName: 'acme-?-archive', prefix: '2024' },
        // Listed by bucket: two folders of one bucket, and a bucket given whole and with a folder.
        { bucketName: 'acme-lake', prefix: 'warehouse/marketing' },
        { bucketName: 'acme-mixed', prefix: 'tables' },
        { bucketName: 'acme-mixed' },
      ],
    },
  },
  {
    name: 'kms_keys',
    props: {
      ...TRUST,
      resultsBucketName: 'acme-athena-results',
      workGroupNames: ['qualytics'],
      glueDatabaseNames: ['sales'],
      dataLocations: [{ bucketName: 'acme-lake' }],
      kmsKeyArns: [KEY('0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0'), KEY('1c2d3e4f-5061-4283-94a5-b6c7d8e9f0a1'), KEY('2d3e4f50-6172-4394-a5b6-c7d8e9f0a1b2')],
    },
  },
  {
    name: 'work_groups',
    props: { ...TRUST, resultsBucketName: 'acme-athena-results', workGroupNames: ['qualytics', 'analysts', 'etl-nightly', 'bi.reports_2'], glueDatabaseNames: ['sales'] },
  },
  {
    name: 'iam_and_lake_formation',
    props: {
      ...TRUST,
      resultsBucketName: 'acme-athena-results',
      workGroupNames: ['qualytics'],
      glueDatabaseNames: ['sales'],
      dataLocations: [{ bucketName: 'acme-lake' }],
      accessMode: AccessMode.IAM_AND_LAKE_FORMATION,
    },
  },
  {
    name: 'lake_formation',
    props: { ...TRUST, resultsBucketName: 'acme-athena-results', workGroupNames: ['qualytics'], glueDatabaseNames: ['sales', 'finance'], accessMode: AccessMode.LAKE_FORMATION },
  },
  {
    // Other catalogs: S3 Tables with named namespaces (two sets) and with every namespace, a catalog with a data
    // source name and a child catalog; the default catalog's databases named apart from them.
    name: 'catalogs',
    props: {
      ...TRUST,
      resultsBucketName: 'acme-athena-results',
      workGroupNames: ['qualytics'],
      glueDatabaseNames: ['sales'],
      kmsKeyArns: [KEY('6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e')],
      catalogs: [
        { catalogName: 's3tablescatalog/analytics-tables', databaseNames: ['sales', 'finance_*'] },
        { catalogName: 's3tablescatalog/raw-tables' },
        { catalogName: 's3tablescatalog/ops-tables', databaseNames: ['metrics'] },
        { catalogName: 'partner_catalog', dataSourceName: 'partner', databaseNames: ['shared'] },
        { catalogName: 'lakehouse/gold' },
      ],
    },
  },
  {
    // In LAKE_FORMATION, a table bucket whose credentials Lake Formation vends gets no s3tables: reads, one that it
    // does not vend them for does.
    name: 'lake_formation_catalogs',
    props: {
      ...TRUST,
      resultsBucketName: 'acme-athena-results',
      workGroupNames: ['qualytics'],
      accessMode: AccessMode.LAKE_FORMATION,
      glueDatabaseNames: ['sales'],
      kmsKeyArns: [KEY('7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f')],
      catalogs: [
        { catalogName: 's3tablescatalog/analytics-tables' },
        { catalogName: 's3tablescatalog/raw-tables', lakeFormationVendsCredentials: false },
      ],
    },
  },
  {
    name: 'path_and_boundary',
    props: {
      ...TRUST,
      resultsBucketName: 'acme-athena-results',
      workGroupNames: ['qualytics'],
      roleName: 'acme-athena',
      path: '/qualytics/athena/',
      permissionsBoundary: iam.ManagedPolicy.fromManagedPolicyArn(new Stack(), 'Boundary', `arn:aws:iam::${ACCOUNT}:policy/acme-boundary`),
      sessionNamePrefix: 'acme-q-',
      trustedOrganizationId: 'o-a1b2c3d4e5',
      maxSessionDuration: Duration.hours(1),
    },
  },
];

/** The account the plans name in ARNs, which no prop gives. */
const MODULE_ONLY = { account_id: ACCOUNT };

/** What the scenarios are generated from: the inputs with the documented defaults the construct and the module share. */
const scenarioInputs = (inputs: TargetRoleModuleInputs | AccessKeyUserModuleInputs) => withModuleDefaults(inputs) as unknown as TargetRoleInputs;

const TARGET_MODULE = path.join(ROOT, 'terraform', 'modules', 'athena-target-role');
const USER_MODULE = path.join(ROOT, 'terraform', 'modules', 'athena-access-key-user');
const USER_PROPS: AthenaAccessKeyUserProps = {
  userName: 'acme-athena-user',
  path: '/qualytics/',
  resultsBucketName: 'acme-athena-results',
  resultsPrefix: 'athena/results',
  workGroupNames: ['qualytics', 'analysts'],
  glueDatabaseNames: ['sales', 'marketing_*'],
  dataLocations: [{ bucketName: 'acme-lake', prefix: 'warehouse' }, { bucketName: 'acme-raw-*' }],
  kmsKeyArns: [KEY('0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0')],
  catalogs: [{ catalogName: 's3tablescatalog/analytics-tables', databaseNames: ['sales', 'finance_*'] }, { catalogName: 'partner_catalog' }],
};

/** The user AthenaAccessKeyUser synthesizes, with the managed policies of its group (pseudo parameters resolved). */
function constructUser(): DeployedUser {
  const stack = new Stack(new App(), 'User', { env: { account: ACCOUNT, region: REGION } });
  const user = new AthenaAccessKeyUser(stack, 'User', USER_PROPS);
  const template = Template.fromStack(stack).toJSON();
  const logicalId = (resource: iam.CfnUser | iam.CfnGroup) => stack.getLogicalId(resource);
  const cfnUser = template.Resources[logicalId(user.user.node.defaultChild as iam.CfnUser)].Properties;
  const groupId = logicalId(user.group.node.defaultChild as iam.CfnGroup);
  expect(cfnUser.Groups).toEqual([{ Ref: groupId }]);
  // A managed policy's Ref is its ARN (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-managedpolicy.html).
  const attached = new Set((template.Resources[groupId].Properties.ManagedPolicyArns ?? []).map((arn: any) => arn.Ref));
  return {
    arn: `arn:aws:iam::${ACCOUNT}:user${cfnUser.Path}${cfnUser.UserName}`,
    name: cfnUser.UserName,
    account: ACCOUNT,
    identityPolicies: Object.entries<any>(template.Resources)
      .filter(([id, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && attached.has(id))
      .map(([id, r]) => ({ name: id, policy: resolvePseudo(r.Properties.PolicyDocument, ACCOUNT) })),
  };
}

/** The user of the Access Key user module's plan, with every managed policy of the module. */
function plannedUser(resources: ShownResource[]): DeployedUser {
  const user = resources.find((r) => r.type === 'aws_iam_user')!.values;
  return {
    arn: `arn:aws:iam::${ACCOUNT}:user${user.path}${user.name}`,
    name: user.name,
    account: ACCOUNT,
    identityPolicies: resources.filter((r) => r.type === 'aws_iam_policy').map((r, i) => ({ name: `policy-${i}`, policy: JSON.parse(r.values.policy) })),
  };
}

/** Allowed, explicitly and implicitly denied decisions all occur: an empty or allow-all role would not pass as equal. */
const decisionKinds = (decisions: Record<string, Decision>) => [...new Set(Object.values(decisions))].sort();

describe('the Terraform modules decide every scenario as the constructs do', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-equivalence-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const inputs = Object.fromEntries(CONFIGURATIONS.map(({ name, props }) => [name, targetRoleInputs(props, MODULE_ONLY)]));
  const userInputs = accessKeyUserInputs(USER_PROPS, MODULE_ONLY);
  let planned: Record<string, ShownResource[]>;
  let scenarios = 0;

  beforeAll(() => {
    const block = (name: string, source: string, values: Record<string, unknown>) =>
      `module "${name}" {\n  source = ${JSON.stringify(source)}\n${moduleArguments(values)}\n}\n`;
    fs.writeFileSync(path.join(dir, 'main.tf'), [
      providerBlock(),
      ...CONFIGURATIONS.map(({ name }) => block(name, TARGET_MODULE, inputs[name])),
      block('access_key_user', USER_MODULE, userInputs),
    ].join('\n'));
    init(dir);
    ok(dir, ['plan', '-no-color', '-out=plan.out']);
    type Shown = { address: string; resources: ShownResource[] };
    const modules: Shown[] = JSON.parse(ok(dir, ['show', '-json', 'plan.out'])).planned_values.root_module.child_modules;
    planned = Object.fromEntries(modules.map((m) => [m.address.replace(/^module\./, ''), m.resources]));
  }, 300_000);
  afterAll(() => console.log(`terraform equivalence matrix: ${CONFIGURATIONS.length + 1} configurations, ${scenarios} scenarios`));

  test.each(CONFIGURATIONS.map((c) => [c.name, c]))('target role, %s: the module\'s plan and the construct decide alike', async (_, { name, props }) => {
    const stack = new Stack(new App(), 'Equivalence', { env: { account: ACCOUNT, region: REGION } });
    const target = new AthenaTargetRole(stack, 'Target', props);
    const deployed = deployOnPaper(Template.fromStack(stack).toJSON(), { account: ACCOUNT, region: REGION });
    const fromConstruct = deployedRole(deployed, logicalIdOf(target.role));
    const fromPlan = terraformRole(planned[name], ACCOUNT);
    const scenario = scenarioInputs(inputs[name]);
    const expected = await targetRoleDecisions(fromConstruct, scenario);
    expect(await targetRoleDecisions(fromPlan, scenario)).toEqual(expected);
    expect(decisionKinds(expected)).toEqual(['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied']);
    scenarios += Object.keys(expected).length;

    // What the evaluator does not read: the role's boundary and session length; and its path (the construct's
    // role has a generated name unless roleName is given, the module's the default role_name).
    const role = planned[name].find((r) => r.type === 'aws_iam_role')!.values;
    const cfnRole = deployed.resources[logicalIdOf(target.role)].Properties;
    expect({ path: role.path, boundary: role.permissions_boundary ?? undefined, maxSessionDuration: role.max_session_duration })
      .toEqual({ path: cfnRole.Path ?? '/', boundary: cfnRole.PermissionsBoundary, maxSessionDuration: cfnRole.MaxSessionDuration ?? 3600 });
    if (props.roleName) expect(fromPlan.arn).toBe(fromConstruct.arn);
  }, 120_000);

  test('the many databases take every query policy of the module and several of the construct\'s', () => {
    const queryPolicies = planned.many_databases.filter((r) => r.type === 'aws_iam_policy' && r.address.includes('.query['));
    const stack = new Stack(new App(), 'Many', { env: { account: ACCOUNT, region: REGION } });
    const target = new AthenaTargetRole(stack, 'Target', CONFIGURATIONS.find((c) => c.name === 'many_databases')!.props);
    const holdingDatabases = queryPolicies.filter((r) => r.values.policy.includes(':database/dx'));
    expect({ module: holdingDatabases.length, several: target.queryPolicy.managedPolicies.length > 3 })
      .toEqual({ module: queryPolicies.length, several: true });
    expect(queryPolicies.length).toBe(9);
  });

  test('Access Key user: the module\'s plan and AthenaAccessKeyUser decide alike', async () => {
    const fromConstruct = constructUser();
    const fromPlan = plannedUser(planned.access_key_user);
    const scenario = scenarioInputs(userInputs) as QueryInputs;
    const expected = await accessKeyUserDecisions(fromConstruct, scenario);
    expect(await accessKeyUserDecisions(fromPlan, scenario)).toEqual(expected);
    expect(decisionKinds(expected)).toEqual(['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied']);
    expect(fromPlan.arn).toBe(fromConstruct.arn);
    scenarios += Object.keys(expected).length;
  });
});
