/**
 * Glue catalogs beyond the default one (issue 12, section 2): S3 Tables' `s3tablescatalog/<table bucket>` and
 * catalogs registered in Glue. What the statements grant, what is refused, and, with a real IAM policy evaluator,
 * that reads in the listed catalogs and namespaces succeed while other catalogs, namespaces, table buckets and every
 * S3 Tables write are denied.
 * - Glue ARNs of child catalogs: https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html
 * - S3 Tables catalog permissions in IAM mode: https://docs.aws.amazon.com/glue/latest/dg/s3tables-catalog-prerequisites.html
 * - S3 Tables ARNs and the s3tables:namespace key: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3tables.html
 * - Table bucket and namespace names: https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-buckets-naming.html
 */
import { App, CfnParameter } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccessReport, AthenaAccessStack, AthenaQueryPolicy, AthenaQueryPolicyProps, AthenaTargetRole, parseDeploymentConfig } from '../lib';
import { deployOnPaper } from './support/cloudformation';
import { CUSTOMER_ACCOUNT, FULL_TARGET_ROLE_PROPS } from './support/full-options';
import { NAG_PACKS, unacknowledgedFindings } from './support/nag';
import { statementsBySid } from './support/render';
import { ALLOW_EVERYTHING, decisionsAsRole, deployedRole, expectEach, logicalIdOf } from './support/simulate';
import { newStack } from './support/stacks';
import { s3TablesReadStatements } from '../lib/model/catalog-statements';

const ACCOUNT_REGION = '${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}';
const arn = (service: string, resource: string) => `arn:${ACCOUNT_REGION.replace('%s', service)}:${resource}`;

const CATALOGS: AthenaQueryPolicyProps['catalogs'] = [
  { catalogName: 's3tablescatalog/analytics-tables', databaseNames: ['sales', 'finance_*'] },
  { catalogName: 's3tablescatalog/raw-tables' },
  { catalogName: 'partner_catalog/shared', dataSourceName: 'partner_data', databaseNames: ['orders'] },
];

function synth(props: Partial<AthenaQueryPolicyProps> = {}) {
  const stack = newStack();
  new AthenaQueryPolicy(stack, 'Query', { resultsBucketName: 'acme-results', ...props });
  return statementsBySid(Template.fromStack(stack));
}

describe('catalogs: the statements', () => {
  const statements = synth({ catalogs: CATALOGS, kmsKeyArns: ['arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'] });

  test('Athena metadata on each catalog by its Glue path, and by its Athena data source name when it has one', () => {
    expect(statements.AthenaOtherCatalogsMetadata.Resource).toEqual([
      arn('athena', 'datacatalog/s3tablescatalog/analytics-tables'),
      arn('athena', 'datacatalog/s3tablescatalog/raw-tables'),
      arn('athena', 'datacatalog/partner_catalog/shared'),
      arn('athena', 'datacatalog/partner_data'),
    ]);
  });

  test('Glue reads on every catalog of each path, the listed databases (or all) and their tables', () => {
    expect(statements.GlueOtherCatalogsRead.Resource).toEqual([
      arn('glue', 'catalog/s3tablescatalog'),
      arn('glue', 'catalog/s3tablescatalog/analytics-tables'),
      arn('glue', 'catalog/s3tablescatalog/raw-tables'),
      arn('glue', 'catalog/partner_catalog'),
      arn('glue', 'catalog/partner_catalog/shared'),
    ]);
    expect(statements.GlueOtherCatalogsDatabaseRead.Resource).toEqual([
      arn('glue', 'database/s3tablescatalog/analytics-tables/sales'),
      arn('glue', 'database/s3tablescatalog/analytics-tables/finance_*'),
      arn('glue', 'database/s3tablescatalog/raw-tables/*'),
      arn('glue', 'database/partner_catalog/shared/orders'),
    ]);
    expect(statements.GlueOtherCatalogsDatabaseRead.Action).not.toContain('glue:GetDatabases');
    expect(statements.GlueOtherCatalogsListDatabases).toMatchObject({ Action: ['glue:GetDatabases'] });
    expect(statements.GlueOtherCatalogsTableRead.Resource).toEqual([
      arn('glue', 'table/s3tablescatalog/analytics-tables/sales/*'),
      arn('glue', 'table/s3tablescatalog/analytics-tables/finance_*/*'),
      arn('glue', 'table/s3tablescatalog/raw-tables/*/*'),
      arn('glue', 'table/partner_catalog/shared/orders/*'),
    ]);
  });

  test('read-only S3 Tables actions on the table buckets only, limited to the listed namespaces', () => {
    expect(statements.S3TablesBucketRead).toEqual({
      Sid: 'S3TablesBucketRead',
      Effect: 'Allow',
      Action: ['s3tables:GetTableBucket', 's3tables:ListNamespaces'],
      Resource: [arn('s3tables', 'bucket/analytics-tables'), arn('s3tables', 'bucket/raw-tables')],
    });
    const namespaces = { StringLike: { 's3tables:namespace': ['sales', 'finance_*'] } };
    expect(statements.S3TablesNamespaceRead).toEqual({
      Sid: 'S3TablesNamespaceRead',
      Effect: 'Allow',
      Action: ['s3tables:GetNamespace', 's3tables:ListTables'],
      Resource: [arn('s3tables', 'bucket/analytics-tables')],
      Condition: namespaces,
    });
    expect(statements.S3TablesTableRead).toEqual({
      Sid: 'S3TablesTableRead',
      Effect: 'Allow',
      Action: ['s3tables:GetTable', 's3tables:GetTableMetadataLocation', 's3tables:GetTableData'],
      Resource: [arn('s3tables', 'bucket/analytics-tables/table/*')],
      Condition: namespaces,
    });
    expect(statements.S3TablesTableRead2).toMatchObject({ Resource: [arn('s3tables', 'bucket/raw-tables/table/*')] });
    expect(statements.S3TablesTableRead2.Condition).toBeUndefined();
    expect(statements.S3TablesNamespaceRead3).toBeUndefined();
  });

  test('KMS keys can also be used through S3 Tables, for SSE-KMS table buckets', () => {
    expect(statements.KmsThroughAthenaGlueS3.Condition).toEqual({
      StringEquals: { 'kms:ViaService': ['athena', 'glue', 's3', 's3tables'].map((s) => `${s}.\${AWS::Region}.\${AWS::URLSuffix}`) },
    });
  });

  test('a catalog that is not S3 Tables gets Glue reads and no S3 Tables access', () => {
    const other = synth({ catalogs: [{ catalogName: 'partner_catalog' }], kmsKeyArns: ['arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'] });
    expect(Object.keys(other).filter((sid) => sid.startsWith('S3Tables'))).toEqual([]);
    expect(other.GlueOtherCatalogsRead.Resource).toEqual([arn('glue', 'catalog/partner_catalog')]);
    expect(other.KmsThroughAthenaGlueS3.Condition?.StringEquals['kms:ViaService']).toHaveLength(3);
  });

  test('the default catalog\'s statements are the same with or without other catalogs', () => {
    const without = synth({ glueDatabaseNames: ['sales'] });
    const withCatalogs = synth({ glueDatabaseNames: ['sales'], catalogs: CATALOGS });
    expect(Object.fromEntries(Object.entries(withCatalogs).filter(([sid]) => sid in without))).toEqual(without);
  });

  test('without S3 Tables data access (Lake Formation vends the credentials) no s3tables statement is made', () => {
    const env = { partition: 'aws', region: 'eu-west-1', account: CUSTOMER_ACCOUNT, urlSuffix: 'amazonaws.com' };
    expect(s3TablesReadStatements([{ catalogName: 's3tablescatalog/analytics-tables' }], env, false)).toEqual([]);
    expect(s3TablesReadStatements([{ catalogName: 's3tablescatalog/analytics-tables' }], env, true)).toHaveLength(3);
  });
});

const queryPolicy = (catalogs: AthenaQueryPolicyProps['catalogs']) => () =>
  new AthenaQueryPolicy(newStack(), 'Query', { resultsBucketName: 'acme-results', catalogs });

/** [what is wrong, how the construct is built with it, the property the error must name, what it must say] */
const BAD_CATALOGS: Array<[string, () => unknown, string, RegExp]> = [
  ['the S3 Tables catalog without a table bucket', queryPolicy([{ catalogName: 's3tablescatalog' }]), 'catalogs[0].catalogName', /"s3tablescatalog\/<table bucket name>"/],
  ['an S3 Tables catalog with a path below the bucket', queryPolicy([{ catalogName: 's3tablescatalog/tables/extra' }]), 'catalogs[0].catalogName', /one table bucket per catalog/],
  ['an upper-case table bucket', queryPolicy([{ catalogName: 's3tablescatalog/Analytics' }]), 'catalogs[0].catalogName', /3 to 63 characters of lower-case letters, digits and hyphens/],
  ['a table bucket with a dot', queryPolicy([{ catalogName: 's3tablescatalog/analytics.tables' }]), 'catalogs[0].catalogName', /lower-case letters, digits and hyphens/],
  ['a table bucket with the reserved prefix aws', queryPolicy([{ catalogName: 's3tablescatalog/aws-tables' }]), 'catalogs[0].catalogName', /not starting with xn--, sthree-, amzn-s3-demo- or aws/],
  ['a table bucket with a reserved suffix', queryPolicy([{ catalogName: 's3tablescatalog/analytics--table-s3' }]), 'catalogs[0].catalogName', /not ending with -s3alias/],
  ['a wildcard table bucket', queryPolicy([{ catalogName: 's3tablescatalog/*' }]), 'catalogs[0].catalogName', /3 to 63 characters/],
  ['the default catalog', queryPolicy([{ catalogName: 'AwsDataCatalog' }]), 'catalogs[0].catalogName', /default catalog; its databases are set with glueDatabaseNames/],
  ['a catalog pattern', queryPolicy([{ catalogName: 'partner_*' }]), 'catalogs[0].catalogName', /no wildcards/],
  ['a catalog path three deep', queryPolicy([{ catalogName: 'a/b/c' }]), 'catalogs[0].catalogName', /"<catalog>" or "<catalog>\/<child catalog>"/],
  ['a catalog with an empty segment', queryPolicy([{ catalogName: 'partner/' }]), 'catalogs[0].catalogName', /"<catalog>" or "<catalog>\/<child catalog>"/],
  ['the same catalog twice', queryPolicy([{ catalogName: 's3tablescatalog/analytics-tables' }, { catalogName: 's3tablescatalog/analytics-tables', databaseNames: ['sales'] }]),
    'catalogs[1].catalogName', /catalogs\[0\] names the same catalog/],
  ['a data source name with a slash', queryPolicy([{ catalogName: 'partner', dataSourceName: 'partner/data' }]), 'catalogs[0].dataSourceName', /1 to 256 characters/],
  ['an empty database list', queryPolicy([{ catalogName: 'partner', databaseNames: [] }]), 'catalogs[0].databaseNames', /at least 1 entry/],
  ['a database pattern of only wildcards', queryPolicy([{ catalogName: 'partner', databaseNames: ['*'] }]), 'catalogs[0].databaseNames[0]',
    /matches every database; leave catalogs\[0\]\.databaseNames unset/],
  ['an upper-case database', queryPolicy([{ catalogName: 'partner', databaseNames: ['Orders'] }]), 'catalogs[0].databaseNames[0]', /lower case/],
  ['a namespace with a hyphen', queryPolicy([{ catalogName: 's3tablescatalog/analytics-tables', databaseNames: ['sales-eu'] }]), 'catalogs[0].databaseNames[0]', /no hyphens/],
  ['a namespace starting with aws', queryPolicy([{ catalogName: 's3tablescatalog/analytics-tables', databaseNames: ['aws_logs'] }]), 'catalogs[0].databaseNames[0]', /not starting with "aws"/],
  ['a namespace pattern of only wildcards', queryPolicy([{ catalogName: 's3tablescatalog/analytics-tables', databaseNames: ['**'] }]), 'catalogs[0].databaseNames[0]', /only wildcards/],
];

describe('catalogs: bad input', () => {
  test.each(BAD_CATALOGS)('%s is refused with the property, the value and what is accepted', (_what, build, property, accepted) => {
    expect(build).toThrow(new RegExp(`^Invalid ${property.replace(/[[\].]/g, '\\$&')}: .+\\. `));
    expect(build).toThrow(accepted);
  });

  test('good catalogs, and values known only at deploy time, pass', () => {
    expect(queryPolicy(CATALOGS)).not.toThrow();
    const stack = newStack();
    const bucket = new CfnParameter(stack, 'TableBucket').valueAsString;
    expect(() => new AthenaQueryPolicy(stack, 'Query', {
      resultsBucketName: 'acme-results',
      catalogs: [{ catalogName: `s3tablescatalog/${bucket}`, databaseNames: [new CfnParameter(stack, 'Namespace').valueAsString] }],
    })).not.toThrow();
  });
});

describe('catalogs: simulated', () => {
  const REGION = 'eu-west-1';
  const stack = newStack({ env: { account: CUSTOMER_ACCOUNT, region: REGION } });
  const target = new AthenaTargetRole(stack, 'Target', { ...FULL_TARGET_ROLE_PROPS, catalogs: CATALOGS });
  const deployed = () => deployOnPaper(Template.fromStack(stack).toJSON(), { account: CUSTOMER_ACCOUNT, region: REGION });
  const role = () => deployedRole(deployed(), logicalIdOf(target.role));
  const at = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${CUSTOMER_ACCOUNT}:${resource}`;
  const table = (bucket: string) => at('s3tables', `bucket/${bucket}/table/7b3c1f0e-5a2d-4c8e-9f61-2d0e8a4b1c55`);
  const inNamespace = (namespace: string) => ({ 's3tables:namespace': namespace, 's3tables:tableName': 'orders' });

  const allowed = [
    { label: 'Athena GetTableMetadata on the S3 Tables catalog', action: 'athena:GetTableMetadata', resource: at('athena', 'datacatalog/s3tablescatalog/analytics-tables') },
    { label: 'Athena ListDatabases on a registered data source', action: 'athena:ListDatabases', resource: at('athena', 'datacatalog/partner_data') },
    { label: 'glue:GetCatalog of the table bucket', action: 'glue:GetCatalog', resource: at('glue', 'catalog/s3tablescatalog/analytics-tables') },
    { label: 'glue:GetCatalog of s3tablescatalog', action: 'glue:GetCatalog', resource: at('glue', 'catalog/s3tablescatalog') },
    { label: 'glue:GetDatabases of the table bucket', action: 'glue:GetDatabases', resource: at('glue', 'database/s3tablescatalog/analytics-tables/sales') },
    { label: 'glue:GetTable in a listed namespace', action: 'glue:GetTable', resource: at('glue', 'table/s3tablescatalog/analytics-tables/sales/orders') },
    { label: 'glue:GetTable in a namespace matching a pattern', action: 'glue:GetTable', resource: at('glue', 'table/s3tablescatalog/analytics-tables/finance_eu/ledger') },
    { label: 'glue:GetTable in any namespace of a bucket given whole', action: 'glue:GetTable', resource: at('glue', 'table/s3tablescatalog/raw-tables/events/clicks') },
    { label: 'glue:GetTable in the other catalog\'s listed database', action: 'glue:GetTable', resource: at('glue', 'table/partner_catalog/shared/orders/lines') },
    { label: 's3tables:GetTableBucket', action: 's3tables:GetTableBucket', resource: at('s3tables', 'bucket/analytics-tables') },
    { label: 's3tables:ListNamespaces', action: 's3tables:ListNamespaces', resource: at('s3tables', 'bucket/analytics-tables') },
    {
      label: 's3tables:GetNamespace of a listed namespace',
      action: 's3tables:GetNamespace',
      resource: at('s3tables', 'bucket/analytics-tables'),
      context: { 's3tables:namespace': 'sales' },
    },
    { label: 's3tables:ListTables of a listed namespace', action: 's3tables:ListTables', resource: at('s3tables', 'bucket/analytics-tables'), context: { 's3tables:namespace': 'finance_eu' } },
    { label: 's3tables:GetTableData in a listed namespace', action: 's3tables:GetTableData', resource: table('analytics-tables'), context: inNamespace('sales') },
    { label: 's3tables:GetTableMetadataLocation in a listed namespace', action: 's3tables:GetTableMetadataLocation', resource: table('analytics-tables'), context: inNamespace('sales') },
    { label: 's3tables:GetTableData in any namespace of a bucket given whole', action: 's3tables:GetTableData', resource: table('raw-tables'), context: inNamespace('events') },
    { label: 'the default catalog is unchanged: glue:GetTable in a listed database', action: 'glue:GetTable', resource: at('glue', 'table/sales/orders') },
  ];
  const denied = [
    { label: 'glue:GetTable in another namespace', action: 'glue:GetTable', resource: at('glue', 'table/s3tablescatalog/analytics-tables/hr/salaries') },
    { label: 'glue:GetTable in another table bucket', action: 'glue:GetTable', resource: at('glue', 'table/s3tablescatalog/secret-tables/sales/orders') },
    { label: 'glue:GetCatalog of another table bucket', action: 'glue:GetCatalog', resource: at('glue', 'catalog/s3tablescatalog/secret-tables') },
    { label: 'glue:GetTable in another catalog', action: 'glue:GetTable', resource: at('glue', 'table/other_catalog/orders/lines') },
    { label: 'glue:GetTable in the other catalog\'s unlisted database', action: 'glue:GetTable', resource: at('glue', 'table/partner_catalog/shared/hr/salaries') },
    { label: 'Athena metadata of another catalog', action: 'athena:GetTableMetadata', resource: at('athena', 'datacatalog/s3tablescatalog/secret-tables') },
    { label: 's3tables:GetNamespace of another namespace', action: 's3tables:GetNamespace', resource: at('s3tables', 'bucket/analytics-tables'), context: { 's3tables:namespace': 'hr' } },
    { label: 's3tables:GetTableData in another namespace', action: 's3tables:GetTableData', resource: table('analytics-tables'), context: inNamespace('hr') },
    { label: 's3tables:GetTableData in another table bucket', action: 's3tables:GetTableData', resource: table('secret-tables'), context: inNamespace('sales') },
    { label: 's3tables:GetTableBucket of another table bucket', action: 's3tables:GetTableBucket', resource: at('s3tables', 'bucket/secret-tables') },
    { label: 's3tables:GetTablePolicy (not a query read)', action: 's3tables:GetTablePolicy', resource: table('analytics-tables'), context: inNamespace('sales') },
    { label: 'the default catalog is unchanged: glue:GetTable in an unlisted database', action: 'glue:GetTable', resource: at('glue', 'table/hr/salaries') },
  ];
  const writes = [
    ['s3tables:PutTableData', table('analytics-tables')], ['s3tables:UpdateTableMetadataLocation', table('analytics-tables')],
    ['s3tables:DeleteTable', table('raw-tables')], ['s3tables:RenameTable', table('analytics-tables')],
    ['s3tables:PutTablePolicy', table('analytics-tables')], ['s3tables:CreateTable', at('s3tables', 'bucket/analytics-tables')],
    ['s3tables:CreateNamespace', at('s3tables', 'bucket/analytics-tables')], ['s3tables:DeleteNamespace', at('s3tables', 'bucket/raw-tables')],
    ['s3tables:PutTableBucketPolicy', at('s3tables', 'bucket/analytics-tables')], ['s3tables:DeleteTableBucket', at('s3tables', 'bucket/raw-tables')],
    ['s3tables:TagResource', at('s3tables', 'bucket/analytics-tables')], ['glue:CreateTable', at('glue', 'table/s3tablescatalog/analytics-tables/sales/new')],
    ['glue:DeleteDatabase', at('glue', 'database/s3tablescatalog/analytics-tables/sales')],
  ].map(([action, resource]) => ({ label: `${action} (write)`, action, resource, context: inNamespace('sales') }));

  test('reads in the listed catalogs and namespaces are allowed; other catalogs, namespaces, table buckets and writes are denied', async () => {
    expect(await decisionsAsRole(role(), [...allowed, ...denied, ...writes])).toEqual({
      ...expectEach(allowed, () => 'Allowed'),
      ...expectEach(denied, () => 'ImplicitlyDenied'),
      // The guardrails deny every S3 Tables and Glue write explicitly.
      ...expectEach(writes, () => 'ExplicitlyDenied'),
    });
  });

  test('S3 Tables writes stay denied with a policy that allows everything attached', async () => {
    expect(await decisionsAsRole(role(), writes, [ALLOW_EVERYTHING])).toEqual(expectEach(writes, () => 'ExplicitlyDenied'));
  });
});

describe('catalogs: the config path', () => {
  const config = {
    deployment: 'managed',
    baseRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role',
    externalId: 'qualytics-7f3c2a91-acme',
    resultsBucket: 'acme-athena-results',
    catalogs: [
      { catalog: 's3tablescatalog/analytics-tables', databases: ['sales'] },
      { catalog: 'partner_catalog/shared', dataSource: 'partner_data' },
    ],
  };

  test('a config with catalogs synthesizes them, clean under cdk-nag', () => {
    const stack = new AthenaAccessStack(new App(), parseDeploymentConfig(config));
    const statements = statementsBySid(Template.fromStack(stack));
    expect(statements.GlueOtherCatalogsRead.Resource).toEqual([
      arn('glue', 'catalog/s3tablescatalog'), arn('glue', 'catalog/s3tablescatalog/analytics-tables'),
      arn('glue', 'catalog/partner_catalog'), arn('glue', 'catalog/partner_catalog/shared'),
    ]);
    expect(statements.AthenaOtherCatalogsMetadata.Resource).toContain(arn('athena', 'datacatalog/partner_data'));
    expect(statements.S3TablesTableRead.Condition).toEqual({ StringLike: { 's3tables:namespace': ['sales'] } });
    for (const [, pack] of NAG_PACKS) expect(unacknowledgedFindings(pack(), stack)).toEqual([]);
  });

  test('bad catalogs fail with every problem listed by JSON path', () => {
    const bad = {
      ...config,
      catalogs: [
        { catalog: 's3tablescatalog/Analytics', databases: [] },
        { catalog: 'partner_*', dataSource: 'partner/data', databases: ['Orders'] },
        { name: 'typo' },
      ],
    };
    expect(() => parseDeploymentConfig(bad)).toThrow(/^Invalid Athena access config config: /);
    let message = '';
    try {
      parseDeploymentConfig(bad);
    } catch (error) {
      message = (error as Error).message;
    }
    for (const problem of [
      '/catalogs/0/catalog: "s3tablescatalog/Analytics" does not match',
      '/catalogs/0/databases: must NOT have fewer than 1 items',
      '/catalogs/1/catalog: "partner_*" does not match',
      '/catalogs/1/dataSource: "partner/data" does not match',
      '/catalogs/1/databases/0: "Orders" does not match',
      '/catalogs/2: missing required property "catalog"',
      '/catalogs/2: unknown property "name"',
    ]) expect(message).toContain(problem);
    expect(() => parseDeploymentConfig({ ...config, catalogs: [] })).toThrow('/catalogs: must NOT have fewer than 1 items');
  });

  test('what the schema lets through, the constructs still check: a reserved table bucket name', () => {
    expect(() => new AthenaAccessStack(new App(), { ...config, catalogs: [{ catalog: 's3tablescatalog/aws-tables' }] }))
      .toThrow(/^Invalid catalogs\[0\]\.catalogName: "s3tablescatalog\/aws-tables"\. .*not starting with xn--, sthree-, amzn-s3-demo- or aws/);
  });
});

describe('catalogs: the access report', () => {
  test('lists the other catalogs with their databases, and their statements', () => {
    const stack = newStack();
    new AthenaTargetRole(stack, 'Target', { ...FULL_TARGET_ROLE_PROPS, catalogs: CATALOGS });
    const report = AccessReport.forStack(stack);
    expect(report).toContain([
      'Besides the default data catalog, it reads these catalogs (databases, or S3 Tables namespaces, after the colon):',
      '',
      '- `s3tablescatalog/analytics-tables` (S3 Tables catalog, read with read-only `s3tables:` actions): `sales`, `finance_*`',
      '- `s3tablescatalog/raw-tables` (S3 Tables catalog, read with read-only `s3tables:` actions): every database',
      '- `partner_catalog/shared` (Glue catalog, Athena data source `partner_data`): `orders`',
    ].join('\n'));
    expect(report).toContain('`s3tables:namespace` matches `sales` or `finance_*`');
  });

  test('says nothing of other catalogs when there are none', () => {
    const stack = newStack();
    new AthenaTargetRole(stack, 'Target', FULL_TARGET_ROLE_PROPS);
    expect(AccessReport.forStack(stack)).not.toContain('Besides the default data catalog');
  });
});
