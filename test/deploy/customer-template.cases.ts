import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AthenaTargetRole, AthenaTargetRoleProps } from '../../lib';
import { deployOnPaper, managedPolicyDocuments } from '../support/cloudformation';
import { decision, permissionsBySid, policyLength } from './support/policy-checks';
import { AthenaTargetRoleTemplate, TEMPLATE_LIMITS } from '../../lib/cloudformation/athena-target-role-template';
import { longestMatch } from '../support/longest-match';
import { NAG_PACKS, unacknowledgedFindings } from '../support/nag';
import { podIdentityVendorBaseRole } from '../support/pod-identity';
import { decideChainedAssumeRole, deployedRole, POD_IDENTITY_TAGS, sessionArn } from '../support/simulate';

const COMMITTED = path.join(__dirname, '..', '..', 'templates', 'athena-target-role.json');
const rendered = AthenaTargetRoleTemplate.render();
const template = JSON.parse(rendered);

const BASE_ROLE = 'arn:aws:iam::315179787488:role/acme-dataplane-role';
const EXTERNAL_ID = 'qualytics-7f3c2a91-acme';
const KMS_KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** The customer account and Region the template is deployed to. */
const US_EAST_1 = { account: '111122223333', region: 'us-east-1' };
const REQUIRED = { BaseRoleArn: BASE_ROLE, ExternalId: EXTERNAL_ID, ResultsBucket: 'acme-athena-results' };
/** Athena's managed query results: no bucket (https://docs.aws.amazon.com/athena/latest/ug/managed-results.html). */
const MANAGED = { BaseRoleArn: BASE_ROLE, ExternalId: EXTERNAL_ID, QueryResults: 'Managed' };

/** Parameter sets, each with the construct props that must give exactly the same permissions. */
const CASES: Array<[string, Record<string, string>, Partial<AthenaTargetRoleProps>]> = [
  ['defaults', REQUIRED, { resultsPrefix: 'qualytics-athena-results' }],
  ['every list full', {
    ...REQUIRED,
    WorkGroups: 'analytics,adhoc,etl',
    ResultsPrefix: 'athena/results',
    GlueDatabases: 'sales,marketing,finance,hr,ops',
    DataLocations: 'acme-lake/warehouse/sales,acme-raw,acme-lake/warehouse/marketing,acme-logs/a/b/c,acme-ml',
    KmsKeyArns: `${KMS_KEY},${KMS_KEY.replace('1234abcd', '5678abcd')},${KMS_KEY.replace('1234abcd', '9999abcd')}`,
    LakeFormation: 'true',
  }, {
    workGroupNames: ['analytics', 'adhoc', 'etl'],
    resultsPrefix: 'athena/results',
    glueDatabaseNames: ['sales', 'marketing', 'finance', 'hr', 'ops'],
    dataLocations: [
      { bucketName: 'acme-lake', prefix: 'warehouse/sales' }, { bucketName: 'acme-raw' },
      { bucketName: 'acme-lake', prefix: 'warehouse/marketing' }, { bucketName: 'acme-logs', prefix: 'a/b/c' }, { bucketName: 'acme-ml' },
    ],
    kmsKeyArns: [KMS_KEY, KMS_KEY.replace('1234abcd', '5678abcd'), KMS_KEY.replace('1234abcd', '9999abcd')],
    lakeFormation: true,
  }],
  ['some lists partly filled', {
    ...REQUIRED,
    WorkGroups: 'analytics,adhoc',
    GlueDatabases: 'sales,marketing',
    DataLocations: 'acme-lake/warehouse',
    KmsKeyArns: KMS_KEY,
  }, {
    workGroupNames: ['analytics', 'adhoc'],
    resultsPrefix: 'qualytics-athena-results',
    glueDatabaseNames: ['sales', 'marketing'],
    dataLocations: [{ bucketName: 'acme-lake', prefix: 'warehouse' }],
    kmsKeyArns: [KMS_KEY],
  }],
  ['Lake Formation without data locations', { ...REQUIRED, GlueDatabases: 'governed', LakeFormation: 'true' }, {
    resultsPrefix: 'qualytics-athena-results', glueDatabaseNames: ['governed'], lakeFormation: true,
  }],
  ['managed query results', MANAGED, { resultsBucketName: undefined, managedQueryResults: true }],
  ['managed query results with a customer managed key and every list full', {
    ...MANAGED,
    ManagedQueryResultsKmsKeyArn: KMS_KEY,
    WorkGroups: 'analytics,adhoc,etl',
    GlueDatabases: 'sales,marketing,finance,hr,ops',
    DataLocations: 'acme-lake/warehouse/sales,acme-raw',
    KmsKeyArns: KMS_KEY.replace('1234abcd', '5678abcd'),
  }, {
    resultsBucketName: undefined,
    managedQueryResults: true,
    managedQueryResultsKmsKeyArn: KMS_KEY,
    workGroupNames: ['analytics', 'adhoc', 'etl'],
    glueDatabaseNames: ['sales', 'marketing', 'finance', 'hr', 'ops'],
    dataLocations: [{ bucketName: 'acme-lake', prefix: 'warehouse/sales' }, { bucketName: 'acme-raw' }],
    kmsKeyArns: [KMS_KEY.replace('1234abcd', '5678abcd')],
  }],
];

/**
 * The permissions the construct gives for literal props, deployed on paper the same way, with the two
 * documented differences of the template: a `<bucket>/<prefix>` item lists its whole bucket (CloudFormation
 * cannot take the bucket off the item), and the Glue statements for named databases are kept even when an
 * item is `*` (GlueListDatabases then grants GetDatabases on `database/*` in place of GlueDatabaseRead).
 */
function constructPermissions(props: Partial<AthenaTargetRoleProps>, parameters: Record<string, string>) {
  const stack = new Stack(new App(), 'Construct', { env: { account: '111122223333', region: 'us-east-1' } });
  new AthenaTargetRole(stack, 'TargetRole', { trustedRoleArn: BASE_ROLE, externalId: EXTERNAL_ID, resultsBucketName: 'acme-athena-results', ...props });
  const permissions = permissionsBySid(managedPolicyDocuments(deployOnPaper(Template.fromStack(stack).toJSON(), US_EAST_1)));
  const { SourceDataBucketLocation: located, ...rest } = permissions;
  const listed = Object.keys(rest).filter((sid) => sid.startsWith('SourceDataListing'));
  listed.forEach((sid) => delete rest[sid]);
  if (located || listed.length > 0) {
    const buckets = [rest.SourceDataBuckets?.Resource ?? [], located?.Resource ?? [], ...listed.map((sid) => permissions[sid].Resource)].flat();
    rest.SourceDataBuckets = { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket'], Resource: [...new Set(buckets)].sort() };
  }
  if ((parameters.GlueDatabases ?? '*') === '*') {
    const database = (name: string) => [`arn:aws:glue:us-east-1:111122223333:database/${name}`];
    rest.GlueListDatabases = { Effect: 'Allow', Action: ['glue:GetDatabases'], Resource: database('*') };
    rest.GlueDefaultDatabase = { Effect: 'Allow', Action: ['glue:GetDatabase'], Resource: database('default') };
    rest.GlueDatabaseRead = { ...rest.GlueDatabaseRead, Action: rest.GlueDatabaseRead.Action.filter((a) => a !== 'glue:GetDatabases') };
  }
  return rest;
}

describe('the committed customer template', () => {
  test('is what the constructs generate', () => {
    const committed = fs.existsSync(COMMITTED) ? fs.readFileSync(COMMITTED, 'utf8') : '';
    if (committed !== rendered) {
      throw new Error('templates/athena-target-role.json is stale: run `npm run templates` and commit the result.');
    }
  });

  test('is self-contained: no bootstrap parameter or rule, no assets, no CDK metadata', () => {
    // Its only rules compare the query results parameters.
    expect(Object.keys(template.Rules)).toEqual(['S3QueryResultsNeedABucket', 'ManagedQueryResultsTakeNoBucket']);
    expect(template.Parameters.BootstrapVersion).toBeUndefined();
    expect(template.Transform).toBeUndefined();
    expect(new Set(Object.values(template.Resources).map((r: any) => r.Type))).toEqual(new Set(['AWS::IAM::Role', 'AWS::IAM::ManagedPolicy']));
    expect(rendered).not.toMatch(/CDKMetadata|cdk-bootstrap|AssetParameters|aws:cdk:path/);
    expect(Buffer.byteLength(rendered)).toBeLessThan(51_200);
  });

  test('its prefixes take no character an IAM policy cannot hold and no policy variable', () => {
    // IAM policy documents hold only tab, LF, CR and U+0020 to U+00FF
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); "${" starts a policy variable
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html). CloudFormation's
    // AllowedPattern is a Java regular expression, whose \w is ASCII only, as JavaScript's without the u flag.
    const accepts = (name: string, value: string) => new RegExp(template.Parameters[name].AllowedPattern).test(value);
    for (const bad of ['données/😀', 'a/${aws:username}', 'athena/\u0007', 'athena\u0085x']) {
      expect([bad, accepts('ResultsPrefix', bad), accepts('DataLocations', `acme-lake/${bad}`)]).toEqual([bad, false, false]);
    }
    expect([accepts('ResultsPrefix', 'athena/$results'), accepts('DataLocations', 'acme-lake/warehouse/sales')]).toEqual([true, true]);
  });

  test('every parameter says what goes there and constrains it', () => {
    for (const [name, parameter] of Object.entries<any>(template.Parameters)) {
      expect([name, parameter.Description?.length > 20]).toEqual([name, true]);
      expect([name, Boolean(parameter.AllowedPattern || parameter.AllowedValues)]).toEqual([name, true]);
      if (parameter.AllowedPattern) expect([name, parameter.MaxLength > 0, Boolean(parameter.ConstraintDescription)]).toEqual([name, true, true]);
    }
  });

  test('passes the CloudFormation validation aws-cdk-lib runs at synth, in strict mode', () => {
    const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/core:strictCfnValidateErrors': true } });
    new AthenaTargetRoleTemplate(app, 'Strict');
    expect(() => app.synth()).not.toThrow();
  });

  test.each(NAG_PACKS)('cdk-nag %s finds nothing unacknowledged', (_name, pack) => {
    const stack = new AthenaTargetRoleTemplate(new App(), 'Nag');
    expect(unacknowledgedFindings(pack(), stack)).toEqual([]);
  });
});

describe.each(CASES)('deployed with %s', (_name, parameters, props) => {
  const deployed = deployOnPaper(template, { ...US_EAST_1, parameters });
  const documents = managedPolicyDocuments(deployed);

  test('gives exactly the permissions of the construct with the same values', () => {
    expect(permissionsBySid(documents)).toEqual(constructPermissions(props, parameters));
  });

  test('keeps no empty statement or resource list', () => {
    for (const statement of documents.flatMap((d) => d.Statement)) {
      // Guardrail denies name what they protect with NotResource.
      const resources = statement.Resource ?? statement.NotResource;
      expect([statement.Sid, [resources].flat().length > 0]).toEqual([statement.Sid, true]);
      expect(JSON.stringify(resources)).not.toMatch(/workgroup\/"|database\/"|:::"|:::\/|\/\/\*/);
    }
  });

  test('fits IAM\'s managed policy size', () => {
    for (const document of documents) expect(policyLength(document)).toBeLessThanOrEqual(6144);
  });
});

describe('what the deployed role may do', () => {
  const full = managedPolicyDocuments(deployOnPaper(template, { ...US_EAST_1, parameters: CASES[1][1] }));
  const defaults = managedPolicyDocuments(deployOnPaper(template, { ...US_EAST_1, parameters: REQUIRED }));
  const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:111122223333:${resource}`;
  const via = { 'kms:ViaService': 's3.us-east-1.amazonaws.com' };

  test('no managed policy is left empty when the optional lists are', () => {
    for (const document of defaults) expect(document.Statement.length).toBeGreaterThan(0);
  });

  test.each([
    ['athena:StartQueryExecution', arn('athena', 'workgroup/etl'), {}, 'Allowed'],
    ['athena:GetQueryResultsStream', arn('athena', 'workgroup/analytics'), {}, 'Allowed'],
    ['athena:StartQueryExecution', arn('athena', 'workgroup/primary'), {}, 'ImplicitlyDenied'],
    ['glue:GetTable', arn('glue', 'table/hr/salaries'), {}, 'Allowed'],
    ['glue:GetTable', arn('glue', 'table/secret/keys'), {}, 'ImplicitlyDenied'],
    ['glue:CreateTable', arn('glue', 'table/sales/new'), {}, 'ExplicitlyDenied'],
    ['s3:GetObject', 'arn:aws:s3:::acme-logs/a/b/c/part-0.parquet', {}, 'Allowed'],
    ['s3:GetObject', 'arn:aws:s3:::acme-logs/a/b/other.parquet', {}, 'ImplicitlyDenied'],
    ['s3:GetObject', 'arn:aws:s3:::acme-raw/any/file.csv', {}, 'Allowed'],
    ['s3:ListBucket', 'arn:aws:s3:::acme-lake', {}, 'Allowed'],
    ['s3:ListBucket', 'arn:aws:s3:::other-bucket', {}, 'ImplicitlyDenied'],
    ['s3:PutObject', 'arn:aws:s3:::acme-athena-results/athena/results/q.csv', {}, 'Allowed'],
    ['s3:PutObject', 'arn:aws:s3:::acme-lake/warehouse/sales/x', {}, 'ExplicitlyDenied'],
    ['s3:DeleteObject', 'arn:aws:s3:::acme-athena-results/athena/results/q.csv', {}, 'ExplicitlyDenied'],
    ['kms:Decrypt', KMS_KEY, via, 'Allowed'],
    ['kms:Decrypt', KMS_KEY, {}, 'ImplicitlyDenied'],
    ['lakeformation:GetDataAccess', '*', {}, 'Allowed'],
  ])('with every list full: %s on %s is %s', async (action, resource, context, expected) => {
    expect(await decision(full, action, resource, context as Record<string, string>)).toBe(expected);
  });

  test.each([
    ['athena:StartQueryExecution', arn('athena', 'workgroup/primary'), 'Allowed'],
    ['glue:GetTable', arn('glue', 'table/anything/t'), 'Allowed'],
    ['s3:GetObject', 'arn:aws:s3:::acme-lake/warehouse/sales/x', 'ImplicitlyDenied'],
    ['s3:GetObject', 'arn:aws:s3:::acme-athena-results/qualytics-athena-results/q.csv', 'Allowed'],
    ['kms:Decrypt', KMS_KEY, 'ImplicitlyDenied'],
    ['lakeformation:GetDataAccess', '*', 'ImplicitlyDenied'],
  ])('with the defaults: %s on %s is %s', async (action, resource, expected) => {
    expect(await decision(defaults, action, resource)).toBe(expected);
  });
});

describe('the trust of the deployed role', () => {
  const deployed = deployOnPaper(template, { ...US_EAST_1, parameters: REQUIRED });
  const role = () => deployedRole(deployed, Object.keys(deployed.resources).find((id) => deployed.resources[id].Type === 'AWS::IAM::Role')!);
  const base = podIdentityVendorBaseRole;
  const call = (externalId?: string) => ({
    principal: sessionArn(base(), 'eks-qualytics-spark-7d9f'),
    callerPolicies: base().identityPolicies,
    externalId,
    sessionName: 'qualytics-athena-conn42',
    transitiveTags: POD_IDENTITY_TAGS,
  });

  test('lets a vendor base role on EKS Pod Identity in, with its transitive session tags and the External ID', async () => {
    expect(await decideChainedAssumeRole(role(), call(EXTERNAL_ID))).toEqual({ assumeRole: 'Allowed', tagSession: 'Allowed', credentials: true });
  });

  test('refuses it without the External ID, whatever the TagSession statement allows', async () => {
    expect(await decideChainedAssumeRole(role(), call())).toEqual({ assumeRole: 'ImplicitlyDenied', tagSession: 'Allowed', credentials: false });
  });
});

describe('upper bounds', () => {
  const name = 'n'.repeat(TEMPLATE_LIMITS.nameLength);
  /** Every constrained parameter at the longest value its AllowedPattern accepts (the worst case for IAM's count). */
  const patterned = Object.entries<any>(template.Parameters).filter(([, p]) => p.AllowedPattern !== undefined);
  const longestValues: Record<string, string> = Object.fromEntries(patterned.map(([parameter, p]) => [parameter, longestMatch(p.AllowedPattern)]));
  /**
   * The longest partition, Region and URL suffix names (as lib/model/size.ts counts them): the sizes are
   * upper bounds for every partition and Region.
   */
  const LONGEST_PLACE = { partition: 'aws-us-gov', region: 'ap-southeast-7', account: '111122223333', urlSuffix: 'amazonaws.com.cn' };

  /** Every IAM document of the deployed template with its size and IAM's limit (whitespace is not counted). */
  function documentSizes(parameters: Record<string, string>): Array<{ document: string; size: number; limit: number }> {
    const deployed = deployOnPaper(template, { ...LONGEST_PLACE, parameters });
    const sizes = Object.entries(deployed.resources).flatMap(([id, resource]) => {
      if (resource.Type === 'AWS::IAM::ManagedPolicy') return [{ document: id, size: policyLength(resource.Properties.PolicyDocument), limit: 6144 }];
      if (resource.Type !== 'AWS::IAM::Role') return [];
      const inline = (resource.Properties.Policies ?? []).map((p: any) => policyLength(p.PolicyDocument));
      return [
        { document: `${id} trust`, size: policyLength(resource.Properties.AssumeRolePolicyDocument), limit: 2048 },
        { document: `${id} inline`, size: inline.reduce((a: number, b: number) => a + b, 0), limit: 10240 },
      ];
    });
    return sizes;
  }

  test('every pattern bounds each part (list items, ARN parts, prefixes), and its longest value is exactly MaxLength', () => {
    expect(patterned.map(([parameter]) => parameter)).toEqual(expect.arrayContaining([
      'BaseRoleArn', 'DataLocations', 'KmsKeyArns', 'ResultsPrefix', 'ResultsBucket', 'ManagedQueryResultsKmsKeyArn',
    ]));
    for (const [parameter, p] of patterned) {
      expect([parameter, new RegExp(p.AllowedPattern).test(longestValues[parameter])]).toEqual([parameter, true]);
      expect([parameter, longestValues[parameter].length]).toEqual([parameter, Number(p.MaxLength)]);
    }
  });

  /** Every parameter at its longest with S3 query results, where the managed-results key must stay empty. */
  const longestS3 = { ...longestValues, ManagedQueryResultsKmsKeyArn: '', LakeFormation: 'true' };
  /** Every parameter at its longest with managed query results, where the bucket must stay empty. */
  const longestManaged = { ...longestValues, ResultsBucket: '', QueryResults: 'Managed', LakeFormation: 'true' };

  test.each(['every parameter at once', 'every parameter at once, managed query results', ...patterned.map(([parameter]) => parameter)])('%s at its longest: every IAM document fits IAM\'s limits', (grown) => {
    const parameters = grown === 'every parameter at once' ? longestS3
      : grown === 'every parameter at once, managed query results' ? longestManaged
        : grown === 'ManagedQueryResultsKmsKeyArn' ? { ...MANAGED, [grown]: longestValues[grown], LakeFormation: 'true' }
          : { ...REQUIRED, [grown]: longestValues[grown], LakeFormation: 'true' };
    const sizes = documentSizes(parameters);
    expect(sizes.filter((s) => s.document.endsWith('trust'))).toHaveLength(1);
    expect(sizes.filter((s) => s.size > s.limit)).toEqual([]);
  });

  test('all at once, the managed policies use most of their budget (the measure is not vacuous)', () => {
    const managed = documentSizes(longestS3).filter((s) => s.limit === 6144);
    // The statements every deployment has, then one policy per optional part that holds: S3 results, data
    // locations, KMS keys, Lake Formation.
    expect(managed).toHaveLength(5);
    expect(Math.max(...managed.map((s) => s.size))).toBeGreaterThan(5000);
  });

  test.each([['S3 results', longestS3], ['managed results', longestManaged]])('with %s, at most 6 managed policies are attached at once', (_name, parameters) => {
    const deployed = deployOnPaper(template, { ...LONGEST_PLACE, parameters });
    const role = Object.keys(deployed.resources).find((id) => deployed.resources[id].Type === 'AWS::IAM::Role')!;
    const attached = Object.entries(deployed.resources).filter(([id, r]) => r.Type === 'AWS::IAM::ManagedPolicy'
      && (deployed.resources[role].Properties.ManagedPolicyArns.includes(deployed.arns[id]) || r.Properties.Roles?.includes(deployed.refs[role])));
    expect(attached.length).toBeLessThanOrEqual(6);
    expect(attached.length).toEqual(Object.values(deployed.resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy').length);
  });

  test.each([
    ['WorkGroups', `${name},a,b,c`],
    ['WorkGroups', 'analytics, adhoc'],
    ['WorkGroups', `${name}x`],
    ['GlueDatabases', 'Sales'],
    ['GlueDatabases', 'sales,*x'],
    ['DataLocations', '/acme-lake/warehouse'],
    ['DataLocations', 'acme-lake/warehouse/'],
    ['DataLocations', 'acme-lake/ware*'],
    ['DataLocations', 'a,b,c,d,e,f'],
    ['KmsKeyArns', 'arn:aws:kms:us-east-1:111122223333:alias/athena'],
    ['LakeFormation', 'yes'],
    ['QueryResults', 'managed'],
    ['ManagedQueryResultsKmsKeyArn', 'arn:aws:kms:us-east-1:111122223333:alias/athena'],
    ['ResultsBucket', 's3://acme-athena-results'],
    ['BaseRoleArn', 'arn:aws:sts::315179787488:assumed-role/acme-dataplane-role/session'],
    // The trust names the base role twice: a longer path could push it over 2,048 characters.
    ['BaseRoleArn', `arn:aws:iam::315179787488:role/${'p'.repeat(63)}/acme-dataplane-role`],
    ['BaseRoleArn', 'arn:aws:iam::315179787488:role/a"b/acme-dataplane-role'],
    ['ExternalId', 'has space'],
    ['ResultsPrefix', '/leading-slash'],
    ['ResultsPrefix', 'quote"d'],
    ['ResultsPrefix', 'p'.repeat(TEMPLATE_LIMITS.resultsPrefixLength + 1)],
    // One location as long as the whole list may be: each item is bounded on its own.
    ['DataLocations', `acme-lake/${'p'.repeat(TEMPLATE_LIMITS.dataLocations * TEMPLATE_LIMITS.locationLength - 10)}`],
    ['DataLocations', `acme-lake/${'p'.repeat(TEMPLATE_LIMITS.locationLength - 'acme-lake/'.length + 1)}`],
    ['KmsKeyArns', 'arn:aws:kms:us-eastwestnorthsouth-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['BaseRoleArn', 'arn:aws:iam::315179787488:role/*'],
    ['BaseRoleArn', 'arn:aws:iam::315179787488:role/team*/acme-dataplane-role'],
    ['BaseRoleArn', 'arn:aws:iam::315179787488:role/team?/acme-dataplane-role'],
  ])('CloudFormation refuses %s = %j', (parameter, bad) => {
    expect(() => deployOnPaper(template, { ...US_EAST_1, parameters: { ...REQUIRED, [parameter]: bad } })).toThrow(new RegExp(`Parameter '${parameter}' must satisfy`));
  });
});

test('the outputs are what the connection form needs', () => {
  const deployed = deployOnPaper(template, { ...US_EAST_1, parameters: CASES[1][1] });
  expect(Object.values(deployed.outputs)).toEqual(expect.arrayContaining([
    deployed.arns[Object.keys(deployed.resources).find((id) => deployed.resources[id].Type === 'AWS::IAM::Role')!],
    EXTERNAL_ID,
    'athena.us-east-1.amazonaws.com',
    'analytics',
    's3://acme-athena-results/athena/results/',
  ]));
});

describe('the query results mode', () => {
  test.each<[string, Record<string, string>, RegExp]>([
    ['S3 without a bucket', { BaseRoleArn: BASE_ROLE, ExternalId: EXTERNAL_ID },
      /^Template rule S3QueryResultsNeedABucket failed: With QueryResults S3, give ResultsBucket/],
    ['S3 with a managed-results key', { ...REQUIRED, ManagedQueryResultsKmsKeyArn: KMS_KEY },
      /^Template rule S3QueryResultsNeedABucket failed: ManagedQueryResultsKmsKeyArn applies only with QueryResults Managed/],
    ['Managed with a bucket', { ...MANAGED, ResultsBucket: 'acme-athena-results' },
      /^Template rule ManagedQueryResultsTakeNoBucket failed: With QueryResults Managed, Athena keeps the query results itself: leave ResultsBucket empty\.$/],
  ])('CloudFormation refuses %s (a template rule, before anything is created)', (_name, parameters, message) => {
    expect(() => deployOnPaper(template, { ...US_EAST_1, parameters })).toThrow(message);
  });

  test('Managed: no output location, and the other connection outputs stay', () => {
    const managed = deployOnPaper(template, { ...US_EAST_1, parameters: MANAGED });
    expect(Object.keys(managed.outputs).filter((id) => /OutputLocation/.test(id))).toEqual([]);
    expect(Object.values(managed.outputs)).toEqual(expect.arrayContaining([EXTERNAL_ID, 'athena.us-east-1.amazonaws.com', 'primary']));
    const s3 = deployOnPaper(template, { ...US_EAST_1, parameters: REQUIRED });
    expect(Object.values(s3.outputs)).toContain('s3://acme-athena-results/qualytics-athena-results/');
  });

  test.each([
    ['athena:GetQueryResultsStream', 'arn:aws:athena:us-east-1:111122223333:workgroup/primary', {}, 'Allowed'],
    ['s3:PutObject', 'arn:aws:s3:::acme-athena-results/qualytics-athena-results/q.csv', {}, 'ExplicitlyDenied'],
    ['s3:GetObject', 'arn:aws:s3:::acme-athena-results/qualytics-athena-results/q.csv', {}, 'ImplicitlyDenied'],
    ['kms:GenerateDataKey', KMS_KEY, { 'kms:ViaService': 'athena.us-east-1.amazonaws.com' }, 'Allowed'],
    ['kms:DescribeKey', KMS_KEY, { 'kms:ViaService': 'athena.us-east-1.amazonaws.com' }, 'Allowed'],
    ['kms:Decrypt', KMS_KEY, { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }, 'ImplicitlyDenied'],
    ['kms:Decrypt', KMS_KEY, {}, 'ImplicitlyDenied'],
  ])('Managed with a key: %s on %s is %s', async (action, resource, context, expected) => {
    const parameters = { ...MANAGED, ManagedQueryResultsKmsKeyArn: KMS_KEY };
    const documents = managedPolicyDocuments(deployOnPaper(template, { ...US_EAST_1, parameters }));
    expect(await decision(documents, action, resource, context as Record<string, string>)).toBe(expected);
  });
});
