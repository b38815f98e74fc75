/**
 * The API calls the Athena JDBC driver v3 (and Athena on its behalf) makes, written down from AWS's
 * documentation independently of the library, and the calls a least-privilege role must not be able to make.
 * Tests evaluate both lists against synthesized policies. Each call below names the page it comes from:
 *
 * [JDBC3] Athena JDBC 3.x driver, connection parameters: the connection's catalog (default `AwsDataCatalog`),
 *   database (default `default`) and workgroup (default `primary`); the result fetcher reads results from
 *   S3 directly (`s3:GetObject`) or through GetQueryResults / GetQueryResultsStream.
 *   https://docs.aws.amazon.com/athena/latest/ug/jdbc-v3-driver-basic-connection-parameters.html
 *   https://docs.aws.amazon.com/athena/latest/ug/jdbc-v3-driver-advanced-connection-parameters.html
 * [WG] Athena workgroup policies: Start/Stop/GetQueryExecution, GetQueryResults(Stream), GetWorkGroup on the
 *   workgroup ARN. https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html
 * [DC] Athena data catalog policies: ListDataCatalogs (no resource type), GetDataCatalog, ListDatabases,
 *   GetDatabase, ListTableMetadata, GetTableMetadata on the datacatalog ARN.
 *   https://docs.aws.amazon.com/athena/latest/ug/datacatalogs-example-policies.html
 * [FGA] Athena, "Configure access to databases and tables in the AWS Glue Data Catalog": a non-delete action
 *   needs permission on the resource and every ancestor (catalog, database); with access limited to some
 *   databases, `glue:GetDatabase` on the catalog and `database/default` is mandatory (the page pairs it with
 *   `glue:CreateDatabase`, a write the role never makes); SHOW DATABASES takes `glue:GetDatabases` on the
 *   catalog and `database/*`; SHOW TABLES `glue:GetDatabase` + `glue:GetTables` on catalog, database and
 *   `table/<db>/*`; partitions are reached through their table (GetPartition(s)).
 *   https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html
 * [GLUE] AWS Glue, "Specifying AWS Glue resource ARNs" (actions on a table need the table, database and
 *   catalog) and the API permissions reference (GetDatabase: database + catalog; GetDatabases: databases +
 *   catalog; GetTable(s), GetPartition(s), BatchGetPartition: table + database + catalog).
 *   https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html
 *   https://docs.aws.amazon.com/glue/latest/dg/api-permissions-reference.html
 * [RES] Athena query results in S3 (the results statement of AmazonAthenaFullAccess): GetBucketLocation,
 *   ListBucket, ListBucketMultipartUploads on the bucket; GetObject, PutObject, ListMultipartUploadParts,
 *   AbortMultipartUpload on the objects. https://docs.aws.amazon.com/athena/latest/ug/managed-policies.html
 * [RESL] Athena checks the output location before it runs a query, and fails with "Unable to verify/create output
 *   bucket" when the caller cannot list it; AWS grants `s3:ListBucket` (with GetBucketLocation) on the results
 *   bucket with no `s3:prefix` condition, and no AWS page shows the check working under one, so the model lists
 *   the bucket with no prefix. https://docs.aws.amazon.com/athena/latest/ug/s3-permissions.html
 *   https://repost.aws/knowledge-center/athena-output-bucket-error
 * [LOC] Athena table locations are folders with a trailing slash (`s3://bucket/folder/`), so listing a
 *   table's files names the prefix `<folder>/`. https://docs.aws.amazon.com/athena/latest/ug/tables-location-format.html
 * [S3P] S3 folder access: `s3:ListBucket` limited with `StringLike s3:prefix` `<folder>/*`; `s3:prefix` is a
 *   condition key of ListBucket only. https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-policies-s3.html
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * [KMS] `kms:ViaService` limits key use to requests AWS services make for the caller.
 *   https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 * [LF] Lake Formation vends data access with `lakeformation:GetDataAccess` (no resource type).
 *   https://docs.aws.amazon.com/lake-formation/latest/dg/access-control-underlying-data.html
 * [MQR] Managed query results: Athena keeps the results in its own storage (no S3 bucket), and access to them is
 *   GetQueryResults and GetQueryResultsStream on the workgroup. https://docs.aws.amazon.com/athena/latest/ug/managed-results.html
 * [MQRK] With a customer managed key, the principal that runs the query (StartQueryExecution) and reads its
 *   results (GetQueryResults) needs kms:Decrypt, kms:GenerateDataKey and kms:DescribeKey on the key, which Athena
 *   uses for it (`kms:ViaService` athena). https://docs.aws.amazon.com/athena/latest/ug/encrypting-managed-results.html
 */
import { ApiCall } from './simulate';

/** Concrete names of what a role was asked to reach. */
export interface AccessScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly workGroups: string[];
  readonly catalog: string;
  /** Databases to probe: the configured names, or names matching configured patterns. */
  readonly databases: string[];
  /** Whether every database of the catalog is in scope (no glueDatabaseNames). */
  readonly everyDatabase?: boolean;
  /** The S3 results bucket; absent with managed query results [MQR]. */
  readonly resultsBucket?: string;
  /** Folder of the query results; absent for the whole bucket. */
  readonly resultsPrefix?: string;
  /** With managed query results encrypted with a customer managed key [MQRK]: the key. */
  readonly managedResultsKey?: { readonly arn: string; readonly keyPolicy: any };
  /** Data locations to probe: configured buckets and prefixes (or names matching configured patterns). */
  readonly dataLocations: Array<{ readonly bucket: string; readonly prefix?: string }>;
  readonly kmsKeys: Array<{ readonly arn: string; readonly keyPolicy: any }>;
  readonly lakeFormation: boolean;
}

/** Which guardrail of the target role must deny a call explicitly. */
export type Guardrail = 'glue-writes' | 's3-writes' | 'workgroup-admin';

/** An API call with a readable label. */
export interface LabelledCall extends ApiCall {
  readonly label: string;
  /** The guardrail that denies this call explicitly, whatever else is attached to the role. */
  readonly guardrail?: Guardrail;
}

/** A key policy that delegates the key's use to the account's IAM policies (CDK's and KMS's default). */
export function delegatingKeyPolicy(partition: string, account: string): any {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
  };
}

const QUERY = ['StartQueryExecution', 'StopQueryExecution', 'GetQueryExecution', 'GetQueryResults', 'GetQueryResultsStream', 'GetWorkGroup'];
const METADATA = ['GetDataCatalog', 'ListDatabases', 'GetDatabase', 'ListTableMetadata', 'GetTableMetadata'];
/**
 * Glue reads of a database Athena queries or browses, and the level of the catalog hierarchy each one names
 * [FGA][GLUE]. GetDatabases (listing, not one database) is modelled apart.
 */
const GLUE_READS: Array<[string, 'catalog' | 'database' | 'table']> = [
  ['GetCatalog', 'catalog'], ['GetCatalogs', 'catalog'],
  ['GetDatabase', 'database'],
  ['GetTable', 'table'], ['GetTables', 'table'],
  ['GetPartition', 'table'], ['GetPartitions', 'table'], ['BatchGetPartition', 'table'],
];
const GLUE_WRITES: Array<[string, 'database' | 'table']> = [
  ['CreateTable', 'table'], ['UpdateTable', 'table'], ['DeleteTable', 'table'], ['BatchDeleteTable', 'table'],
  ['CreatePartition', 'table'], ['BatchCreatePartition', 'table'], ['UpdatePartition', 'table'], ['DeletePartition', 'table'],
  ['CreateDatabase', 'database'], ['UpdateDatabase', 'database'], ['DeleteDatabase', 'database'],
];
const RESULTS_BUCKET = ['GetBucketLocation', 'ListBucketMultipartUploads'];
const RESULTS_OBJECTS = ['GetObject', 'PutObject', 'ListMultipartUploadParts', 'AbortMultipartUpload'];

function arn(scope: AccessScope, service: string, resource: string): string {
  return `arn:${scope.partition}:${service}:${scope.region}:${scope.account}:${resource}`;
}

/** `catalog`, `database/<db>` and `table/<db>/<table>`: Glue authorizes a call on the resource and each ancestor. */
function glueHierarchy(scope: AccessScope, level: 'catalog' | 'database' | 'table', database: string, table = 'orders'): string[] {
  const chain = [arn(scope, 'glue', 'catalog'), arn(scope, 'glue', `database/${database}`), arn(scope, 'glue', `table/${database}/${table}`)];
  return chain.slice(0, ['catalog', 'database', 'table'].indexOf(level) + 1);
}

function objectArn(scope: AccessScope, bucket: string, prefix: string | undefined, key: string): string {
  return `arn:${scope.partition}:s3:::${bucket}/${prefix ? `${prefix}/` : ''}${key}`;
}

/** A listing of a folder (or of the whole bucket): the request names the folder with its trailing slash [LOC][S3P]. */
function listing(scope: AccessScope, bucket: string, prefix: string | undefined): Partial<LabelledCall> & { resource: string } {
  const folder = prefix ? `${prefix}/` : '';
  return {
    resource: `arn:${scope.partition}:s3:::${bucket}`,
    context: { 's3:prefix': folder },
    label: `s3:ListBucket on ${bucket} with prefix "${folder}"`,
  };
}

/** A list of calls with unique labels (the same call reached twice is listed once). */
function callList() {
  const calls: LabelledCall[] = [];
  const add = (action: string, resource: string, extra: Partial<LabelledCall> = {}) => {
    const call = { label: `${action} on ${resource}`, action, resource, ...extra };
    if (!calls.some((c) => c.label === call.label)) calls.push(call);
  };
  return { calls, add };
}

/** Every call the driver makes to run a query, browse metadata and fetch results, on the resources in scope. */
export function driverCalls(scope: AccessScope): LabelledCall[] {
  const { calls, add } = callList();

  // [WG][JDBC3] Run a query in the connection's workgroups, poll it, stop it, read or stream its results.
  for (const workGroup of scope.workGroups) {
    QUERY.forEach((a) => add(`athena:${a}`, arn(scope, 'athena', `workgroup/${workGroup}`)));
  }
  // [DC] Browse metadata through Athena.
  add('athena:ListDataCatalogs', '*');
  METADATA.forEach((a) => add(`athena:${a}`, arn(scope, 'athena', `datacatalog/${scope.catalog}`)));
  // [FGA][JDBC3] The connection's default schema is the `default` database, which Athena needs in any case.
  glueHierarchy(scope, 'database', 'default').forEach((resource) => add('glue:GetDatabase', resource));
  // [FGA] SHOW DATABASES / the driver's schema list.
  [arn(scope, 'glue', 'catalog'), arn(scope, 'glue', 'database/*')].forEach((resource) => add('glue:GetDatabases', resource));
  // [FGA][GLUE] Query, SHOW TABLES and describe the tables of each database: each read on the resource and its ancestors.
  for (const database of scope.databases) {
    for (const [action, level] of GLUE_READS) {
      glueHierarchy(scope, level, database).forEach((resource) => add(`glue:${action}`, resource));
    }
  }
  // [RES][JDBC3] Athena writes the results under the output location; the driver reads them back.
  // [MQR] With managed query results, neither touches S3: results come through GetQueryResults(Stream) above.
  if (scope.resultsBucket !== undefined) {
    s3ResultsCalls({ ...scope, resultsBucket: scope.resultsBucket }).forEach((call) => add(call.action, call.resource, call));
  }
  // [MQRK] Athena encrypts and decrypts managed results with the workgroup's key for the caller.
  if (scope.managedResultsKey) {
    const { arn: key, keyPolicy } = scope.managedResultsKey;
    const context = { 'kms:ViaService': `athena.${scope.region}.amazonaws.com` };
    ['Decrypt', 'GenerateDataKey', 'DescribeKey'].forEach((a) => add(`kms:${a}`, key, { context, resourcePolicy: keyPolicy }));
  }
  // [LOC][S3P] Athena locates each table's bucket, lists the table's folder and reads its files.
  for (const location of scope.dataLocations) {
    add('s3:GetBucketLocation', `arn:${scope.partition}:s3:::${location.bucket}`);
    const tableListing = listing(scope, location.bucket, location.prefix ? `${location.prefix}/orders` : 'orders');
    add('s3:ListBucket', tableListing.resource, tableListing);
    add('s3:GetObject', objectArn(scope, location.bucket, location.prefix, 'orders/part-0001.parquet'));
  }
  // [KMS] Encrypted data, catalog and results, only through the services that read them for the role.
  for (const key of scope.kmsKeys) {
    for (const service of ['athena', 'glue', 's3']) {
      const context = { 'kms:ViaService': `${service}.${scope.region}.amazonaws.com` };
      ['Decrypt', 'GenerateDataKey'].forEach((a) => add(`kms:${a}`, key.arn, { context, resourcePolicy: key.keyPolicy }));
    }
  }
  // [LF]
  if (scope.lakeFormation) add('lakeformation:GetDataAccess', '*');
  return calls;
}

/** What the driver and Athena call on the S3 results location [RES][JDBC3]. */
export function s3ResultsCalls(scope: AccessScope & { resultsBucket: string }): LabelledCall[] {
  const { calls, add } = callList();
  const resultsBucket = `arn:${scope.partition}:s3:::${scope.resultsBucket}`;
  RESULTS_BUCKET.forEach((a) => add(`s3:${a}`, resultsBucket));
  // [RESL] the output location check, with no prefix; and the listing of the results folder.
  add('s3:ListBucket', resultsBucket, { label: `s3:ListBucket on ${scope.resultsBucket} with no prefix (the output location check)` });
  const resultsListing = listing(scope, scope.resultsBucket, scope.resultsPrefix);
  add('s3:ListBucket', resultsListing.resource, resultsListing);
  RESULTS_OBJECTS.forEach((a) => add(`s3:${a}`, objectArn(scope, scope.resultsBucket, scope.resultsPrefix, 'qid-1234.csv')));
  return calls;
}

/**
 * Calls outside the scope: other workgroups, catalogs, databases, buckets and prefixes; every write or delete;
 * workgroup administration; IAM; assuming roles onward; keys used directly or through another service.
 */
export function outOfScopeCalls(scope: AccessScope): LabelledCall[] {
  const { calls, add } = callList();
  const workGroup = scope.workGroups[0];
  const database = scope.databases[0];

  QUERY.forEach((a) => add(`athena:${a}`, arn(scope, 'athena', `workgroup/other-${workGroup}`)));
  add('athena:GetDataCatalog', arn(scope, 'athena', `datacatalog/other-${scope.catalog}`));
  for (const [action, level] of scope.everyDatabase ? [] : GLUE_READS.filter(([, l]) => l !== 'catalog')) {
    add(`glue:${action}`, glueHierarchy(scope, level, `other-${database}`)[level === 'database' ? 1 : 2]);
  }
  for (const [action, level] of GLUE_WRITES) {
    glueHierarchy(scope, level, database).forEach((resource) => add(`glue:${action}`, resource, { guardrail: 'glue-writes' }));
  }
  // [FGA] pairs CreateDatabase with GetDatabase on `default`; the role never writes the catalog.
  glueHierarchy(scope, 'database', 'default').forEach((resource) => add('glue:CreateDatabase', resource, { guardrail: 'glue-writes' }));

  const workGroupArn = arn(scope, 'athena', `workgroup/${workGroup}`);
  ['CreateWorkGroup', 'UpdateWorkGroup', 'DeleteWorkGroup', 'TagResource', 'UntagResource']
    .forEach((a) => add(`athena:${a}`, workGroupArn, { guardrail: 'workgroup-admin' }));
  ['CreateDataCatalog', 'UpdateDataCatalog', 'DeleteDataCatalog']
    .forEach((a) => add(`athena:${a}`, arn(scope, 'athena', `datacatalog/${scope.catalog}`), { guardrail: 'workgroup-admin' }));

  if (scope.resultsBucket !== undefined) {
    outOfScopeResultsCalls({ ...scope, resultsBucket: scope.resultsBucket }).forEach((call) => add(call.action, call.resource, call));
  } else {
    // [MQR] Athena keeps the results: the role uploads nothing to S3, anywhere.
    ['PutObject', 'AbortMultipartUpload'].forEach((a) => add(`s3:${a}`, objectArn(scope, 'any-bucket', 'athena-results', 'qid-1234.csv'), { guardrail: 's3-writes' }));
  }
  if (scope.managedResultsKey) {
    // [MQRK] The managed results key only through Athena: not directly, not through S3 or Glue; no administration.
    const { arn: key, keyPolicy } = scope.managedResultsKey;
    ['Decrypt', 'GenerateDataKey', 'DescribeKey'].forEach((a) => add(`kms:${a}`, key, { resourcePolicy: keyPolicy, label: `kms:${a} on ${key} called directly` }));
    for (const service of ['s3', 'glue']) {
      add('kms:Decrypt', key, { resourcePolicy: keyPolicy, context: { 'kms:ViaService': `${service}.${scope.region}.amazonaws.com` }, label: `kms:Decrypt on ${key} through ${service}` });
    }
    ['Encrypt', 'ReEncryptFrom', 'CreateGrant', 'ScheduleKeyDeletion'].forEach((a) => add(`kms:${a}`, key, {
      resourcePolicy: keyPolicy, context: { 'kms:ViaService': `athena.${scope.region}.amazonaws.com` },
    }));
  }
  for (const location of scope.dataLocations) {
    const inside = objectArn(scope, location.bucket, location.prefix, 'orders/part-0001.parquet');
    ['PutObject', 'DeleteObject', 'PutObjectAcl'].forEach((a) => add(`s3:${a}`, inside, { guardrail: 's3-writes' }));
    if (location.prefix) {
      add('s3:GetObject', objectArn(scope, location.bucket, `${location.prefix}-other`, 'part-0001.parquet'));
      for (const prefix of [undefined, `${location.prefix}-other`]) {
        const other = listing(scope, location.bucket, prefix);
        add('s3:ListBucket', other.resource, other);
      }
    }
    add('s3:GetObject', objectArn(scope, `other-${location.bucket}`, location.prefix, 'part-0001.parquet'));
    add('s3:ListBucket', `arn:${scope.partition}:s3:::other-${location.bucket}`);
    add('s3:PutBucketPolicy', `arn:${scope.partition}:s3:::${location.bucket}`, { guardrail: 's3-writes' });
  }

  const otherRole = `arn:${scope.partition}:iam::${scope.account}:role/admin`;
  ['CreateRole', 'AttachRolePolicy', 'PutRolePolicy', 'PassRole'].forEach((a) => add(`iam:${a}`, otherRole));
  add('iam:CreateUser', `arn:${scope.partition}:iam::${scope.account}:user/someone`);
  add('sts:AssumeRole', otherRole);
  add('s3:ListAllMyBuckets', '*');
  for (const key of scope.kmsKeys) {
    add('kms:Decrypt', key.arn, { resourcePolicy: key.keyPolicy, label: `kms:Decrypt on ${key.arn} called directly` });
    add('kms:Decrypt', key.arn, {
      resourcePolicy: key.keyPolicy,
      context: { 'kms:ViaService': `ec2.${scope.region}.amazonaws.com` },
      label: `kms:Decrypt on ${key.arn} through EC2`,
    });
    add('kms:ScheduleKeyDeletion', key.arn, { resourcePolicy: key.keyPolicy });
  }
  add('kms:Decrypt', arn(scope, 'kms', 'key/00000000-0000-0000-0000-000000000000'), {
    resourcePolicy: delegatingKeyPolicy(scope.partition, scope.account),
    context: { 'kms:ViaService': `s3.${scope.region}.amazonaws.com` },
  });
  if (!scope.lakeFormation) add('lakeformation:GetDataAccess', '*');
  return calls;
}

/** Out of scope around an S3 results location: other prefixes and buckets, deletes, bucket administration. */
function outOfScopeResultsCalls(scope: AccessScope & { resultsBucket: string }): LabelledCall[] {
  const { calls, add } = callList();
  const results = `arn:${scope.partition}:s3:::${scope.resultsBucket}`;
  ['DeleteBucket', 'PutBucketPolicy', 'PutLifecycleConfiguration', 'PutEncryptionConfiguration']
    .forEach((a) => add(`s3:${a}`, results, { guardrail: 's3-writes' }));
  if (scope.resultsPrefix) {
    add('s3:PutObject', objectArn(scope, scope.resultsBucket, `${scope.resultsPrefix}-other`, 'x.csv'), { guardrail: 's3-writes' });
  }
  // Only uploads are exempt from the guardrails under the results prefix; deleting results is denied there too.
  add('s3:DeleteObject', objectArn(scope, scope.resultsBucket, scope.resultsPrefix, 'qid-1234.csv'), { guardrail: 's3-writes' });
  if (scope.resultsPrefix) {
    // Other principals' results in the results bucket cannot be read (their names can be listed [RESL]).
    add('s3:GetObject', objectArn(scope, scope.resultsBucket, undefined, 'someone-elses-query.csv'));
  }
  add('s3:GetObject', objectArn(scope, `other-${scope.resultsBucket}`, scope.resultsPrefix, 'qid-1234.csv'));
  return calls;
}
