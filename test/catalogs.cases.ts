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
import { AccessMode, AccessReport, AthenaAccessStack, AthenaQueryPolicy, AthenaQueryPolicyProps, AthenaTargetRole, parseDeploymentConfig } from '../lib';
import { deployOnPaper } from './support/cloudformation';
import { CUSTOMER_ACCOUNT, FULL_TARGET_ROLE_PROPS } from './support/full-options';
import { NAG_PACKS, unacknowledgedFindings } from './support/nag';
import { statementsBySid } from './support/render';
import { ALLOW_EVERYTHING, decisionsAsRole, deployedRole, expectEach, logicalIdOf } from './support/simulate';
import { newStack } from './support/stacks';
import { athenaQueryStatements } from '../lib/model/athena-query-statements';
import { s3TablesReadStatements } from '../lib/model/catalog-statements';
import { documentJson } from '../lib/model/packing';
import { decision } from './deploy/support/policy-checks';

const ACCOUNT_REGION = '${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}';
const arn = (service: string, resource: string) => `arn:${ACCOUNT_REGION.replace('%s', service)}:${resource}`;

const CATALOGS: AthenaQueryPolicyProps['catalogs'] = [
  { catalogName: 's3tablescatalog/analytics-tables', databaseNames: ['sales', 'finance_*'] },
  { catalogName: 's3tablescatalog/raw-tables' },
  { catalogName: 'partner_catalog/shared', dataSourceName: 'partner_data', databaseNames: ['orders'] },
];

function synth(props: Partial<AthenaQueryPolicyProps> = {}) {
  const stack = newStack();
  // The default catalog's databases are named: catalogs' databaseNames are refused while they are open.
  new AthenaQueryPolicy(stack, 'Query', { resultsBucketName: 'acme-results', glueDatabaseNames: ['sales'], ...props });
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
    expect(s3TablesReadStatements([{ catalogName: 's3tablescatalog/analytics-tables' }], env, AccessMode.LAKE_FORMATION)).toEqual([]);
    expect(s3TablesReadStatements([{ catalogName: 's3tablescatalog/analytics-tables' }], env, AccessMode.IAM)).toHaveLength(3);
    expect(s3TablesReadStatements([{ catalogName: 's3tablescatalog/analytics-tables', lakeFormationVendsCredentials: false }], env, AccessMode.LAKE_FORMATION)).toHaveLength(3);
  });
});

const queryPolicy = (catalogs: AthenaQueryPolicyProps['catalogs']) => () =>
  new AthenaQueryPolicy(newStack(), 'Query', { resultsBucketName: 'acme-results', glueDatabaseNames: ['sales'], catalogs });

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
      glueDatabaseNames: ['sales'],
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
    glueDatabases: ['sales'],
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

/**
 * S3 Tables under Lake Formation, decided per catalog: the caller needs no `s3tables:` data permissions only when
 * the table bucket integration is registered with Lake Formation to vend its credentials
 * (https://docs.aws.amazon.com/glue/latest/dg/glue-federation-s3tables.html); otherwise it reads the table bucket
 * with the read-only `s3tables:` actions the Glue guide lists for IAM mode
 * (https://docs.aws.amazon.com/glue/latest/dg/s3tables-catalog-prerequisites.html).
 */
describe('catalogs: S3 Tables under Lake Formation', () => {
  const REGION = 'eu-west-1';
  const LF_CATALOGS: AthenaQueryPolicyProps['catalogs'] = [
    { catalogName: 's3tablescatalog/unvended-tables', lakeFormationVendsCredentials: false },
    { catalogName: 's3tablescatalog/vended-tables' },
    { catalogName: 's3tablescatalog/vended-explicitly', lakeFormationVendsCredentials: true },
  ];
  const lfRole = (catalogs: AthenaQueryPolicyProps['catalogs']) => {
    const stack = newStack({ env: { account: CUSTOMER_ACCOUNT, region: REGION } });
    const target = new AthenaTargetRole(stack, 'Target', {
      trustedRoleArn: FULL_TARGET_ROLE_PROPS.trustedRoleArn,
      externalId: 'qualytics-acme-7f3c9e',
      resultsBucketName: 'acme-results',
      accessMode: AccessMode.LAKE_FORMATION,
      glueDatabaseNames: ['sales'],
      kmsKeyArns: [`arn:aws:kms:${REGION}:${CUSTOMER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
      catalogs,
    });
    return { stack, target };
  };
  const table = (bucket: string) => `arn:aws:s3tables:${REGION}:${CUSTOMER_ACCOUNT}:bucket/${bucket}/table/7b3c1f0e-5a2d-4c8e-9f61-2d0e8a4b1c55`;

  test('s3tables:GetTableData is allowed for the catalog whose credentials Lake Formation does not vend, and only there', async () => {
    const { stack, target } = lfRole(LF_CATALOGS);
    const deployed = deployOnPaper(Template.fromStack(stack).toJSON(), { account: CUSTOMER_ACCOUNT, region: REGION });
    const role = deployedRole(deployed, logicalIdOf(target.role));
    const context = { 's3tables:namespace': 'sales', 's3tables:tableName': 'orders' };
    const calls = ['unvended-tables', 'vended-tables', 'vended-explicitly'].map((bucket) => ({
      label: bucket, action: 's3tables:GetTableData', resource: table(bucket), context,
    }));
    expect(await decisionsAsRole(role, calls)).toEqual({ 'unvended-tables': 'Allowed', 'vended-tables': 'ImplicitlyDenied', 'vended-explicitly': 'ImplicitlyDenied' });
  });

  test('the statements: read-only s3tables on the unvended table bucket only, and KMS through S3 Tables only then', () => {
    const statements = statementsBySid(Template.fromStack(lfRole(LF_CATALOGS).stack));
    const here = (resource: string) => `arn:\${AWS::Partition}:s3tables:${REGION}:${CUSTOMER_ACCOUNT}:${resource}`;
    expect(statements.S3TablesTableRead).toMatchObject({ Resource: [here('bucket/unvended-tables/table/*')] });
    expect(statements.S3TablesBucketRead.Resource).toEqual([here('bucket/unvended-tables')]);
    expect(statements.KmsThroughAthenaGlueS3.Condition?.StringEquals['kms:ViaService']).toContain(`s3tables.${REGION}.\${AWS::URLSuffix}`);
    const vended = statementsBySid(Template.fromStack(lfRole([{ catalogName: 's3tablescatalog/vended-tables' }]).stack));
    expect(Object.keys(vended).filter((sid) => sid.startsWith('S3Tables'))).toEqual([]);
    expect(vended.KmsThroughAthenaGlueS3.Condition?.StringEquals['kms:ViaService']).toHaveLength(3);
  });

  test.each<[string, () => unknown, RegExp]>([
    ['on a catalog that is not S3 Tables', () => lfRole([{ catalogName: 'partner_catalog', lakeFormationVendsCredentials: false }]),
      /^Invalid catalogs\[0\]\.lakeFormationVendsCredentials: false\. It applies only to S3 Tables catalogs \("s3tablescatalog\/<table bucket>"\), not to partner_catalog/],
    ['in accessMode IAM (false)', () => queryPolicy([{ catalogName: 's3tablescatalog/lake', lakeFormationVendsCredentials: false }])(),
      /^Invalid catalogs\[0\]\.lakeFormationVendsCredentials: false\. It applies only with accessMode: AccessMode\.LAKE_FORMATION; in accessMode IAM the role always reads/],
    ['in accessMode IAM (true)', () => queryPolicy([{ catalogName: 's3tablescatalog/lake', lakeFormationVendsCredentials: true }])(),
      /^Invalid catalogs\[0\]\.lakeFormationVendsCredentials: true\. It applies only with accessMode: AccessMode\.LAKE_FORMATION/],
  ])('lakeFormationVendsCredentials is refused %s', (_what, build, message) => {
    expect(build).toThrow(message);
  });

  test('the config file takes it per catalog, and the access report says how each table bucket is read', () => {
    const stack = new AthenaAccessStack(new App(), parseDeploymentConfig({
      deployment: 'managed',
      baseRoleArn: FULL_TARGET_ROLE_PROPS.trustedRoleArn,
      externalId: 'qualytics-acme-7f3c9e',
      resultsBucket: 'acme-results',
      accessMode: 'lake-formation',
      glueDatabases: ['sales'],
      catalogs: [{ catalog: 's3tablescatalog/unvended-tables', lakeFormationVendsCredentials: false }, { catalog: 's3tablescatalog/vended-tables' }],
    }));
    expect(statementsBySid(Template.fromStack(stack)).S3TablesTableRead.Resource).toEqual([arn('s3tables', 'bucket/unvended-tables/table/*')]);
    const report = AccessReport.forStack(stack);
    expect(report).toContain('- `s3tablescatalog/unvended-tables` (S3 Tables catalog, read with read-only `s3tables:` actions): every database');
    expect(report).toContain('- `s3tablescatalog/vended-tables` (S3 Tables catalog, read with the credentials Lake Formation vends (no `s3tables:` permission)): every database');
    expect(() => parseDeploymentConfig({
      deployment: 'managed',
      baseRoleArn: FULL_TARGET_ROLE_PROPS.trustedRoleArn,
      externalId: 'x-acme-1',
      resultsBucket: 'acme-results',
      catalogs: [{ catalog: 's3tablescatalog/lake', lakeFormationVendsCredentials: 'no' }],
    })).toThrow('/catalogs/0/lakeFormationVendsCredentials: must be boolean');
  });
});

/**
 * Catalog isolation: IAM ARN wildcards span `/` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html),
 * so the default catalog's `database/*` and `table/*\/*` also match `database/s3tablescatalog/<bucket>/<ns>`, and Glue
 * authorizes a table read on the catalog, the database and the table
 * (https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html). The statements are evaluated as
 * the model writes them, before the constructs' validation, to show the leak that validation refuses.
 */
describe('catalogs: isolation from the default catalog', () => {
  const REGION = 'eu-west-1';
  const env = { partition: 'aws', region: REGION, account: CUSTOMER_ACCOUNT, urlSuffix: 'amazonaws.com' };
  const glue = (resource: string) => `arn:aws:glue:${REGION}:${CUSTOMER_ACCOUNT}:${resource}`;
  const LAKE = { catalogName: 's3tablescatalog/lake', databaseNames: ['allowed_ns'] };

  /** Whether glue:GetTable on `<namespace>.salaries` of the lake is allowed by the statements the model writes. */
  const modelAllowsTable = async (glueDatabaseNames: string[] | undefined, namespace: string, accessMode = AccessMode.IAM) => {
    // As the policy renders: statements without the fields they do not use.
    const document = JSON.parse(JSON.stringify(documentJson(athenaQueryStatements({
      accessMode,
      workGroupNames: ['primary'],
      catalogName: 'AwsDataCatalog',
      catalogs: [LAKE],
      glueDatabaseNames,
      resultsBucketName: 'acme-results',
      resultsPrefix: 'athena',
      dataLocations: [],
      kmsKeyArns: [],
      lakeFormation: accessMode !== AccessMode.IAM,
    }, env))));
    return (await decision([document], 'glue:GetTable', glue(`table/s3tablescatalog/lake/${namespace}/salaries`))) === 'Allowed';
  };
  const construct = (glueDatabaseNames: string[] | undefined, accessMode?: AccessMode) => () => new AthenaQueryPolicy(newStack(), 'Query', {
    resultsBucketName: 'acme-results', glueDatabaseNames, accessMode, catalogs: [LAKE],
  });

  test('the leak: with glueDatabaseNames unset, glue:GetTable on another namespace of the catalog is allowed by the statements', async () => {
    expect(await modelAllowsTable(undefined, 'secret_ns')).toBe(true);
    expect(await modelAllowsTable(undefined, 'secret_ns', AccessMode.LAKE_FORMATION)).toBe(true);
  });

  /** [glueDatabaseNames, a namespace the entries could reach]: refused at synth exactly when the statements would leak it. */
  const VARIANTS: Array<[string[] | undefined, string]> = [
    [undefined, 'secret_ns'],
    [['sales'], 'secret_ns'],
    [['sales', 'finance'], 'secret_ns'],
    [['sales_*'], 'secret_ns'],
    [['s?'], 'secret_ns'],
    [['s3*'], 'secret_ns'],
    [['*_eu'], 'secret_eu'],
    [['s3tablescatalog?lake?*'], 'secret_ns'],
    [['s3tablescatalog?lake?'], 'secret_ns'],
    [['s3tablescatalog?lak'], 'secret_ns'],
    [['?3tables*'], 'hr'],
    [['sales', '*'.concat('ns')], 'secret_ns'],
  ];
  test.each(VARIANTS)('glueDatabaseNames %j: refused exactly when the statements let a namespace like %s be read', async (names, namespace) => {
    const leaks = await modelAllowsTable(names, namespace);
    const refused = (() => {
      try {
        construct(names)();
        return false;
      } catch {
        return true;
      }
    })();
    // A refused pattern leaks some namespace; the probe is one it reaches when it does.
    expect({ names, leaks }).toEqual({ names, leaks: refused });
  });

  test('the error names the property, the value, why, and how to get isolation', () => {
    expect(construct(undefined)).toThrow(new RegExp('^Invalid catalogs\\[0\\]\\.databaseNames: \\["allowed_ns"\\]\\. These databases cannot be kept apart from the catalog\'s others: '
      + 'glueDatabaseNames is not set, .*IAM wildcards span "/".*name the default catalog\'s databases in glueDatabaseNames .*leave catalogs\\[0\\]\\.databaseNames unset to grant the whole catalog\\.$'));
    expect(construct(['sales', 's3*'])).toThrow('the glueDatabaseNames pattern "s3*" also matches databases of s3tablescatalog/lake');
    expect(construct(['sales'], AccessMode.LAKE_FORMATION)).toThrow('in accessMode LAKE_FORMATION the default catalog\'s Glue reads are on every database (database/*)');
    expect(construct(['sales'], AccessMode.IAM_AND_LAKE_FORMATION)).not.toThrow();
    const stack = newStack();
    const token = new CfnParameter(stack, 'Database').valueAsString;
    expect(() => new AthenaQueryPolicy(stack, 'Query', { resultsBucketName: 'acme-results', glueDatabaseNames: [token], catalogs: [LAKE] }))
      .toThrow('a glueDatabaseNames entry is known only at deploy time and may be a pattern');
  });

  test('the catalog given whole is fine with open default databases', () => {
    expect(() => new AthenaQueryPolicy(newStack(), 'Query', { resultsBucketName: 'acme-results', catalogs: [{ catalogName: 's3tablescatalog/lake' }] })).not.toThrow();
  });

  test('the allowed case is isolated: the listed namespace is read, another is not (its name can be listed)', async () => {
    const stack = newStack({ env: { account: CUSTOMER_ACCOUNT, region: REGION } });
    const target = new AthenaTargetRole(stack, 'Target', { ...FULL_TARGET_ROLE_PROPS, glueDatabaseNames: ['sales', 'fin*'], catalogs: [LAKE] });
    const deployed = deployOnPaper(Template.fromStack(stack).toJSON(), { account: CUSTOMER_ACCOUNT, region: REGION });
    const role = deployedRole(deployed, logicalIdOf(target.role));
    const allowed = [
      { label: 'GetTable in allowed_ns', action: 'glue:GetTable', resource: glue('table/s3tablescatalog/lake/allowed_ns/salaries') },
      { label: 'GetDatabases lists names', action: 'glue:GetDatabases', resource: glue('database/s3tablescatalog/lake/secret_ns') },
    ];
    const denied = [
      { label: 'GetTable in secret_ns', action: 'glue:GetTable', resource: glue('table/s3tablescatalog/lake/secret_ns/salaries') },
      { label: 'GetTables in secret_ns', action: 'glue:GetTables', resource: glue('table/s3tablescatalog/lake/secret_ns/*') },
      { label: 'GetDatabase secret_ns', action: 'glue:GetDatabase', resource: glue('database/s3tablescatalog/lake/secret_ns') },
      { label: 'GetPartitions in secret_ns', action: 'glue:GetPartitions', resource: glue('table/s3tablescatalog/lake/secret_ns/salaries') },
    ];
    expect(await decisionsAsRole(role, [...allowed, ...denied])).toEqual({ ...expectEach(allowed, () => 'Allowed'), ...expectEach(denied, () => 'ImplicitlyDenied') });
  });

  test('the config path refuses it alike, naming the construct property', () => {
    const config = {
      deployment: 'managed',
      baseRoleArn: FULL_TARGET_ROLE_PROPS.trustedRoleArn,
      externalId: 'qualytics-acme-7f3c9e',
      resultsBucket: 'acme-results',
      catalogs: [{ catalog: 's3tablescatalog/lake', databases: ['allowed_ns'] }],
    };
    expect(() => new AthenaAccessStack(new App(), parseDeploymentConfig(config))).toThrow(/^Invalid catalogs\[0\]\.databaseNames: \["allowed_ns"\]\. .*glueDatabaseNames is not set/);
    expect(() => new AthenaAccessStack(new App(), parseDeploymentConfig({ ...config, glueDatabases: ['sales'] }))).not.toThrow();
  });
});
