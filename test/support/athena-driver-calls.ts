/**
 * The API calls the Athena JDBC driver v3 makes, written down independently of the library (from AWS's
 * JDBC 3.x and Athena/Glue/S3 documentation, see /work/shared/reference/athena-iam-facts.md), and the calls a
 * least-privilege role must not be able to make. Tests evaluate both lists against synthesized policies.
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
  readonly resultsBucket: string;
  readonly resultsPrefix?: string;
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
/** Glue reads and the level of the catalog hierarchy each one names. */
const GLUE_READS: Array<[string, 'catalog' | 'database' | 'table']> = [
  ['GetCatalog', 'catalog'], ['GetCatalogs', 'catalog'],
  ['GetDatabase', 'database'], ['GetDatabases', 'database'],
  ['GetTable', 'table'], ['GetTables', 'table'],
  ['GetPartition', 'table'], ['GetPartitions', 'table'], ['BatchGetPartition', 'table'],
];
const GLUE_WRITES: Array<[string, 'database' | 'table']> = [
  ['CreateTable', 'table'], ['UpdateTable', 'table'], ['DeleteTable', 'table'], ['BatchDeleteTable', 'table'],
  ['CreatePartition', 'table'], ['BatchCreatePartition', 'table'], ['UpdatePartition', 'table'], ['DeletePartition', 'table'],
  ['CreateDatabase', 'database'], ['UpdateDatabase', 'database'], ['DeleteDatabase', 'database'],
];
const RESULTS_BUCKET = ['GetBucketLocation', 'ListBucket', 'ListBucketMultipartUploads'];
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

  for (const workGroup of scope.workGroups) {
    QUERY.forEach((a) => add(`athena:${a}`, arn(scope, 'athena', `workgroup/${workGroup}`)));
  }
  add('athena:ListDataCatalogs', '*');
  METADATA.forEach((a) => add(`athena:${a}`, arn(scope, 'athena', `datacatalog/${scope.catalog}`)));
  for (const database of scope.databases) {
    for (const [action, level] of GLUE_READS) {
      glueHierarchy(scope, level, database).forEach((resource) => add(`glue:${action}`, resource));
    }
  }
  const resultsBucket = `arn:${scope.partition}:s3:::${scope.resultsBucket}`;
  RESULTS_BUCKET.forEach((a) => add(`s3:${a}`, resultsBucket));
  RESULTS_OBJECTS.forEach((a) => add(`s3:${a}`, objectArn(scope, scope.resultsBucket, scope.resultsPrefix, 'qid-1234.csv')));
  for (const location of scope.dataLocations) {
    ['GetBucketLocation', 'ListBucket'].forEach((a) => add(`s3:${a}`, `arn:${scope.partition}:s3:::${location.bucket}`));
    add('s3:GetObject', objectArn(scope, location.bucket, location.prefix, 'orders/part-0001.parquet'));
  }
  for (const key of scope.kmsKeys) {
    for (const service of ['athena', 'glue', 's3']) {
      const context = { 'kms:ViaService': `${service}.${scope.region}.amazonaws.com` };
      ['Decrypt', 'GenerateDataKey'].forEach((a) => add(`kms:${a}`, key.arn, { context, resourcePolicy: key.keyPolicy }));
    }
  }
  if (scope.lakeFormation) add('lakeformation:GetDataAccess', '*');
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

  const workGroupArn = arn(scope, 'athena', `workgroup/${workGroup}`);
  ['CreateWorkGroup', 'UpdateWorkGroup', 'DeleteWorkGroup', 'TagResource', 'UntagResource']
    .forEach((a) => add(`athena:${a}`, workGroupArn, { guardrail: 'workgroup-admin' }));
  ['CreateDataCatalog', 'UpdateDataCatalog', 'DeleteDataCatalog']
    .forEach((a) => add(`athena:${a}`, arn(scope, 'athena', `datacatalog/${scope.catalog}`), { guardrail: 'workgroup-admin' }));

  const results = `arn:${scope.partition}:s3:::${scope.resultsBucket}`;
  ['DeleteBucket', 'PutBucketPolicy', 'PutLifecycleConfiguration', 'PutEncryptionConfiguration']
    .forEach((a) => add(`s3:${a}`, results, { guardrail: 's3-writes' }));
  if (scope.resultsPrefix) {
    add('s3:PutObject', objectArn(scope, scope.resultsBucket, `${scope.resultsPrefix}-other`, 'x.csv'), { guardrail: 's3-writes' });
  }
  // Only uploads are exempt from the guardrails under the results prefix; deleting results is denied there too.
  add('s3:DeleteObject', objectArn(scope, scope.resultsBucket, scope.resultsPrefix, 'qid-1234.csv'), { guardrail: 's3-writes' });
  add('s3:GetObject', objectArn(scope, `other-${scope.resultsBucket}`, scope.resultsPrefix, 'qid-1234.csv'));
  for (const location of scope.dataLocations) {
    const inside = objectArn(scope, location.bucket, location.prefix, 'orders/part-0001.parquet');
    ['PutObject', 'DeleteObject', 'PutObjectAcl'].forEach((a) => add(`s3:${a}`, inside, { guardrail: 's3-writes' }));
    if (location.prefix) add('s3:GetObject', objectArn(scope, location.bucket, `${location.prefix}-other`, 'part-0001.parquet'));
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
