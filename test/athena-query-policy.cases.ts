import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AthenaQueryPolicy, AthenaQueryPolicyProps } from '../lib';
import { managedPolicyStatements, statementsBySid } from './support/render';
import { newStack } from './support/stacks';

const ACCOUNT_REGION = '${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}';
const arn = (service: string, resource: string) => `arn:${ACCOUNT_REGION.replace('%s', service)}:${resource}`;
const GLUE_TABLE_ACTIONS = ['glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'];
const GLUE_DATABASE_ACTIONS = ['glue:GetDatabase', 'glue:GetDatabases', ...GLUE_TABLE_ACTIONS];
const s3 = (resource: string) => `arn:\${AWS::Partition}:s3:::${resource}`;

function synth(props: Partial<AthenaQueryPolicyProps> = {}, stack: Stack = newStack()) {
  const policy = new AthenaQueryPolicy(stack, 'Query', { resultsBucketName: 'acme-results', ...props });
  return { stack, policy, template: Template.fromStack(stack) };
}

describe('AthenaQueryPolicy with defaults', () => {
  const { template, policy } = synth();
  const statements = statementsBySid(template);

  test('allows exactly the JDBC driver calls, each on the narrowest resource IAM accepts', () => {
    expect(statements).toEqual({
      AthenaQueryExecution: {
        Sid: 'AthenaQueryExecution',
        Effect: 'Allow',
        Action: ['athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution',
          'athena:GetQueryResults', 'athena:GetQueryResultsStream', 'athena:GetWorkGroup'],
        Resource: [arn('athena', 'workgroup/primary')],
      },
      AthenaListDataCatalogs: { Sid: 'AthenaListDataCatalogs', Effect: 'Allow', Action: ['athena:ListDataCatalogs'], Resource: ['*'] },
      AthenaCatalogMetadata: {
        Sid: 'AthenaCatalogMetadata',
        Effect: 'Allow',
        Action: ['athena:GetDataCatalog', 'athena:ListDatabases', 'athena:GetDatabase', 'athena:ListTableMetadata', 'athena:GetTableMetadata'],
        Resource: [arn('athena', 'datacatalog/AwsDataCatalog')],
      },
      // Glue authorizes each read on the resource and its ancestors; each statement pairs actions only with
      // resource types they accept.
      GlueCatalogRead: {
        Sid: 'GlueCatalogRead',
        Effect: 'Allow',
        Action: ['glue:GetCatalog', 'glue:GetCatalogs', ...GLUE_DATABASE_ACTIONS],
        Resource: [arn('glue', 'catalog')],
      },
      GlueDatabaseRead: { Sid: 'GlueDatabaseRead', Effect: 'Allow', Action: GLUE_DATABASE_ACTIONS, Resource: [arn('glue', 'database/*')] },
      GlueTableRead: { Sid: 'GlueTableRead', Effect: 'Allow', Action: GLUE_TABLE_ACTIONS, Resource: [arn('glue', 'table/*/*')] },
      QueryResultsBucket: {
        Sid: 'QueryResultsBucket',
        Effect: 'Allow',
        // ListBucket with no s3:prefix condition, as AWS's Athena S3 permissions page grants it.
        Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        Resource: [s3('acme-results')],
      },
      QueryResultsObjects: {
        Sid: 'QueryResultsObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        Resource: [s3('acme-results/qualytics-athena-results/*')],
      },
    });
  });

  test('is one managed policy, with the output location of the dedicated results folder', () => {
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    expect(policy.outputLocation).toBe('s3://acme-results/qualytics-athena-results/');
    expect(policy.workGroupNames).toEqual(['primary']);
  });

  test('never allows writes to the catalog, deletes, IAM or STS', () => {
    const actions = Object.values(statements).flatMap((s) => s.Action);
    expect(actions.filter((a) => /^glue:(Create|Update|Delete|Batch(Create|Delete|Update))|Delete|^iam:|^sts:/.test(a))).toEqual([]);
  });
});

describe('AthenaQueryPolicy with every option', () => {
  const { template, policy } = synth({
    workGroupNames: ['analytics', 'adhoc'],
    catalogName: 'SalesCatalog',
    glueDatabaseNames: ['sales', 'finance'],
    resultsPrefix: 'athena/results/',
    dataLocations: [{ bucketName: 'acme-lake', prefix: 'warehouse' }, { bucketName: 'acme-lake', prefix: 'raw' }, { bucketName: 'acme-archive' }],
    kmsKeyArns: ['arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    lakeFormation: true,
  });
  const statements = statementsBySid(template);

  test('scopes queries to the named workgroups and metadata to the named catalog', () => {
    expect(statements.AthenaQueryExecution.Resource).toEqual([arn('athena', 'workgroup/analytics'), arn('athena', 'workgroup/adhoc')]);
    expect(statements.AthenaCatalogMetadata.Resource).toEqual([arn('athena', 'datacatalog/SalesCatalog')]);
    expect(policy.workGroupNames[0]).toBe('analytics');
  });

  test('reads only the named Glue databases and their tables, with the catalog as their ancestor', () => {
    expect(statements.GlueCatalogRead.Resource).toEqual([arn('glue', 'catalog')]);
    expect(statements.GlueDatabaseRead).toMatchObject({
      Action: GLUE_DATABASE_ACTIONS.filter((a) => a !== 'glue:GetDatabases'),
      Resource: [arn('glue', 'database/sales'), arn('glue', 'database/finance')],
    });
    expect(statements.GlueTableRead.Resource).toEqual([arn('glue', 'table/sales/*'), arn('glue', 'table/finance/*')]);
  });

  test('lists databases and reads the default database, as AWS\'s Athena guide requires with named databases', () => {
    expect(statements.GlueListDatabases).toEqual({
      Sid: 'GlueListDatabases', Effect: 'Allow', Action: ['glue:GetDatabases'], Resource: [arn('glue', 'database/*')],
    });
    expect(statements.GlueDefaultDatabase).toEqual({
      Sid: 'GlueDefaultDatabase', Effect: 'Allow', Action: ['glue:GetDatabase'], Resource: [arn('glue', 'database/default')],
    });
  });

  test('writes results only under the results prefix', () => {
    expect(statements.QueryResultsObjects.Resource).toEqual([s3('acme-results/athena/results/*')]);
    expect(policy.outputLocation).toBe('s3://acme-results/athena/results/');
  });

  test('reads the data locations, lists each bucket only under its data folders unless the whole bucket was given', () => {
    expect(statements.SourceDataBuckets).toMatchObject({ Action: ['s3:GetBucketLocation', 's3:ListBucket'], Resource: [s3('acme-archive')] });
    expect(statements.SourceDataBucketLocation).toMatchObject({ Action: ['s3:GetBucketLocation'], Resource: [s3('acme-lake')] });
    expect(statements.SourceDataListing).toMatchObject({
      Action: ['s3:ListBucket'],
      Resource: [s3('acme-lake')],
      Condition: { StringLike: { 's3:prefix': ['warehouse/*', 'raw/*'] } },
    });
    expect(statements.SourceDataObjects).toMatchObject({
      Action: ['s3:GetObject'],
      Resource: [s3('acme-lake/warehouse/*'), s3('acme-lake/raw/*'), s3('acme-archive/*')],
    });
  });

  test('uses the KMS keys only through Athena, Glue and S3 of the stack region', () => {
    expect(statements.KmsThroughAthenaGlueS3).toEqual({
      Sid: 'KmsThroughAthenaGlueS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: ['arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
      Condition: { StringEquals: { 'kms:ViaService': ['athena', 'glue', 's3'].map((s) => `${s}.\${AWS::Region}.\${AWS::URLSuffix}`) } },
    });
  });

  test('adds Lake Formation data access', () => {
    expect(statements.LakeFormationDataAccess).toMatchObject({ Action: ['lakeformation:GetDataAccess'], Resource: ['*'] });
  });
});

describe('AthenaQueryPolicy data locations in the results bucket', () => {
  test('do not repeat the bucket-level grant the results bucket already has, and list only their own folder', () => {
    const { template } = synth({ dataLocations: [{ bucketName: 'acme-results', prefix: 'tables' }] });
    const statements = statementsBySid(template);
    expect(statements.SourceDataBuckets).toBeUndefined();
    expect(statements.SourceDataBucketLocation).toBeUndefined();
    expect(statements.SourceDataListing).toMatchObject({ Resource: [s3('acme-results')], Condition: { StringLike: { 's3:prefix': ['tables/*'] } } });
    expect(statements.SourceDataObjects.Resource).toEqual([s3('acme-results/tables/*')]);
  });

  test('buckets with the same folders share one listing statement; others get their own', () => {
    const { template } = synth({
      dataLocations: [
        { bucketName: 'acme-eu', prefix: 'lake' }, { bucketName: 'acme-us', prefix: 'lake' }, { bucketName: 'acme-raw', prefix: 'landing' },
      ],
    });
    const statements = statementsBySid(template);
    expect(statements.SourceDataListing).toMatchObject({ Resource: [s3('acme-eu'), s3('acme-us')], Condition: { StringLike: { 's3:prefix': ['lake/*'] } } });
    expect(statements.SourceDataListing2).toMatchObject({ Resource: [s3('acme-raw')], Condition: { StringLike: { 's3:prefix': ['landing/*'] } } });
  });
});

describe('AthenaQueryPolicy results location', () => {
  test('resultsPrefix "" gives the whole bucket, listed without a prefix condition', () => {
    const { template, policy } = synth({ resultsPrefix: '' });
    const statements = statementsBySid(template);
    expect(statements.QueryResultsBucket.Action).toEqual(['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads']);
    expect(statements.QueryResultsBucket.Condition).toBeUndefined();
    expect(statements.QueryResultsObjects.Resource).toEqual([s3('acme-results/*')]);
    expect(policy.outputLocation).toBe('s3://acme-results/');
  });

  test.each<[string, Partial<AthenaQueryPolicyProps>, RegExp]>([
    ['results inside a data folder', { resultsPrefix: 'lake/results', dataLocations: [{ bucketName: 'acme-results', prefix: 'lake' }] },
      /^Invalid resultsPrefix and dataLocations\[0\]: "s3:\/\/acme-results\/lake\/results\/ and s3:\/\/acme-results\/lake\/"\. The query results location s3:\/\/acme-results\/lake\/results\/ lies inside the data location s3:\/\/acme-results\/lake\/: .*another bucket/],
    ['results in a bucket given whole as data', { dataLocations: [{ bucketName: 'acme-lake' }, { bucketName: 'acme-results' }] },
      /^Invalid resultsPrefix and dataLocations\[1\]: .*The query results location s3:\/\/acme-results\/qualytics-athena-results\/ lies inside the data location s3:\/\/acme-results\//],
    ['a data folder inside the results folder', { resultsPrefix: 'athena', dataLocations: [{ bucketName: 'acme-results', prefix: 'athena/tables' }] },
      /^Invalid resultsPrefix and dataLocations\[0\]: .*The data location s3:\/\/acme-results\/athena\/tables\/ lies inside .* the query results location s3:\/\/acme-results\/athena\//],
    ['data in a results bucket given whole', { resultsPrefix: '', dataLocations: [{ bucketName: 'acme-results', prefix: 'tables' }] },
      /^Invalid resultsPrefix and dataLocations\[0\]: .*The data location s3:\/\/acme-results\/tables\/ lies inside/],
    ['a bucket name pattern that matches the results bucket', { dataLocations: [{ bucketName: 'acme-*' }] },
      /^Invalid resultsPrefix and dataLocations\[0\]: .*lies inside the data location s3:\/\/acme-\*\//],
    ['a folder pattern that matches the results folder', { resultsPrefix: 'team-results', dataLocations: [{ bucketName: 'acme-results', prefix: 'team-*' }] },
      /^Invalid resultsPrefix and dataLocations\[0\]: .*lies inside the data location s3:\/\/acme-results\/team-\*\//],
    ['a folder pattern that could reach into the results folder', { resultsPrefix: 'out', dataLocations: [{ bucketName: 'acme-results', prefix: 'o*/tables' }] },
      /^Invalid resultsPrefix and dataLocations\[0\]: .*The data location s3:\/\/acme-results\/o\*\/tables\/ lies inside \(or, through a pattern, overlaps\)/],
  ])('refuses %s, creating nothing', (_label, props, message) => {
    const stack = newStack();
    expect(() => new AthenaQueryPolicy(stack, 'Query', { resultsBucketName: 'acme-results', ...props })).toThrow(message);
    expect(stack.node.tryFindChild('Query')).toBeUndefined();
  });

  test.each<[string, Partial<AthenaQueryPolicyProps>]>([
    ['folders side by side in one bucket', { resultsPrefix: 'athena/results', dataLocations: [{ bucketName: 'acme-results', prefix: 'athena/tables' }] }],
    ['a folder that only starts with the same characters', { resultsPrefix: 'lake-results', dataLocations: [{ bucketName: 'acme-results', prefix: 'lake' }] }],
    ['a results folder that only starts like a data folder', { resultsPrefix: 'lake', dataLocations: [{ bucketName: 'acme-results', prefix: 'lake-tables' }] }],
    ['a bucket pattern that cannot match the results bucket', { dataLocations: [{ bucketName: 'acme-lake-*' }] }],
  ])('allows %s', (_label, props) => {
    expect(() => synth(props)).not.toThrow();
  });
});

describe('AthenaQueryPolicy attachment', () => {
  test('attaches every part to a role, a user and a group', () => {
    const stack = newStack();
    const policy = new AthenaQueryPolicy(stack, 'Query', { resultsBucketName: 'acme-results' });
    policy.attachToRole(new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() }));
    policy.attachToUser(new iam.User(stack, 'User'));
    policy.attachToGroup(new iam.Group(stack, 'Group'));
    const template = Template.fromStack(stack);
    const ref = { Ref: stack.getLogicalId(policy.managedPolicies[0].node.defaultChild as iam.CfnManagedPolicy) };
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: [ref] });
    template.hasResourceProperties('AWS::IAM::User', { ManagedPolicyArns: [ref] });
    template.hasResourceProperties('AWS::IAM::Group', { ManagedPolicyArns: [ref] });
  });
});

describe('AthenaQueryPolicy partitions', () => {
  test.each([
    ['environment-agnostic', undefined],
    ['aws-cn', { account: '111122223333', region: 'cn-north-1' }],
    ['aws-us-gov', { account: '111122223333', region: 'us-gov-west-1' }],
  ])('%s: every ARN takes the partition from the stack, never a hard-coded arn:aws', (_name, env) => {
    const { template } = synth({ dataLocations: [{ bucketName: 'acme-lake' }] }, newStack({ env }));
    const resources = managedPolicyStatements(template).flat().flatMap((s) => s.Resource).filter((r) => r !== '*');
    expect(resources.length).toBeGreaterThan(5);
    for (const resource of resources) expect(resource).toMatch(/^arn:\$\{AWS::Partition\}:/);
  });
});

describe('AthenaQueryPolicy size', () => {
  const databases = (count: number) => Array.from({ length: count }, (_, i) => `database_${String(i).padStart(4, '0')}`);

  test('splits many databases deterministically into managed policies of at most 6,144 characters, each at least 90% full', () => {
    const first = synth({ glueDatabaseNames: databases(300) }, newStack({ env: { account: '111122223333', region: 'us-east-1' } }));
    const second = synth({ glueDatabaseNames: databases(300) }, newStack({ env: { account: '111122223333', region: 'us-east-1' } }));
    const sizes = first.policy.policySizes;
    expect(sizes.length).toBeGreaterThan(3);
    expect(sizes.length).toBeLessThanOrEqual(10);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(6144);
    for (const size of sizes.slice(0, -1)) expect(size).toBeGreaterThanOrEqual(0.9 * 6144);
    expect(first.template.toJSON()).toEqual(second.template.toJSON());
    expect(first.policy.managedPolicies.map((p) => p.node.id)).toEqual(sizes.map((_, i) => `Part${i + 1}`));
  });

  test('measures sizes as IAM will count them once deployed', () => {
    const { stack, policy } = synth({ glueDatabaseNames: databases(300) }, newStack({ env: { account: '111122223333', region: 'us-east-1' } }));
    const deployed = policy.managedPolicies.map((p) =>
      JSON.stringify(stack.resolve(p.document.toJSON())).replace(/\{"Fn::Join":\["",\[(.*?)\]\]\}/g, (_m, parts: string) =>
        JSON.stringify(JSON.parse(`[${parts}]`).map((x: any) => (typeof x === 'string' ? x : 'aws')).join(''))).length);
    expect(deployed).toEqual(policy.policySizes);
  });

  test('keeps every permission when it splits', () => {
    const { template } = synth({ glueDatabaseNames: databases(300) });
    const statements = statementsBySid(template);
    const glue = [...statements.GlueDatabaseRead.Resource, ...statements.GlueTableRead.Resource];
    expect(glue).toHaveLength(300 * 2);
    expect(new Set(glue).size).toBe(glue.length);
  });

  test('fails synth, creating nothing, when the permissions need more managed policies than allowed', () => {
    const stack = newStack();
    expect(() => new AthenaQueryPolicy(stack, 'Query', { resultsBucketName: 'acme-results', glueDatabaseNames: databases(300), maxManagedPolicies: 2 }))
      .toThrow(/need about \d+ characters, more than 2 managed policies \(maxManagedPolicies\) of 6144 characters hold; IAM allows 10 managed policies per role by default/);
    expect(stack.node.tryFindChild('Query')).toBeUndefined();
  });

  test('fails synth when a statement added later pushes a part over IAM\'s limit', () => {
    const stack = newStack();
    const policy = new AthenaQueryPolicy(stack, 'Query', { resultsBucketName: 'acme-results' });
    policy.managedPolicies[0].addStatements(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: databases(300).map((d) => `arn:aws:s3:::acme-results/${d}/file`),
    }));
    expect(() => Template.fromStack(stack)).toThrow(/managed policy is \d+ characters, over IAM's limit of 6144 by \d+/);
  });
});

describe('AthenaQueryPolicy and cdk-nag', () => {
  test('acknowledges exactly the wildcard resources it emits on purpose, one finding at a time', () => {
    const { stack, policy } = synth({ lakeFormation: true, dataLocations: [{ bucketName: 'acme-lake', prefix: 'warehouse' }] });
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);

    policy.managedPolicies[0].addStatements(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::other-bucket/*'] }));
    const violations = new AwsSolutionsChecks().validateScope(stack).violations;
    expect(violations.map((v) => v.ruleName)).toEqual(['AwsSolutions-IAM5[Resource::arn:aws:s3:::other-bucket/*]']);
  });
});
