import { AccessMode } from './access-mode';
import { ArnContext, bucketArn, dataCatalogArn, glueCatalogArn, glueDatabaseArn, glueTableArn, objectsArn, workGroupArn } from './arns';
import { CatalogScope, catalogKeyServices, otherCatalogStatements, s3TablesReadStatements } from './catalog-statements';
import { bucketOf, deployTimeMarker, locationsByBucket } from './deploy-time';
import { globMatches, S3Location } from './s3-locations';
import { StatementSpec, unique } from './statement-spec';

/** A read-only S3 location holding table data, after validation. */
export type DataLocationScope = S3Location;

/** What the Athena query policy covers, after validation and defaults. */
export interface AthenaQueryScope {
  readonly workGroupNames: string[];
  readonly catalogName: string;
  /** Glue catalogs beyond the default one (such as S3 Tables' `s3tablescatalog/<bucket>`); absent: none. */
  readonly catalogs?: CatalogScope[];
  /** Absent: every database in the catalog. */
  readonly glueDatabaseNames?: string[];
  /** The S3 results bucket; absent when Athena manages the query results (managed query results). */
  readonly resultsBucketName?: string;
  /** Folder without trailing slash; absent for the whole bucket (only when asked for explicitly). */
  readonly resultsPrefix?: string;
  /** With managed query results: the customer managed key encrypting them; absent for an AWS owned key. */
  readonly managedQueryResultsKmsKeyArn?: string;
  /**
   * The logical id of a CloudFormation condition that holds where results are managed: the managed-results
   * statements are kept where it holds, the S3 results statements for `resultsBucketName` where it does not.
   * Absent: decided at synth.
   */
  readonly managedQueryResultsCondition?: string;
  readonly dataLocations: DataLocationScope[];
  readonly kmsKeyArns: string[];
  /** Who decides what may be read; with LAKE_FORMATION, Glue reads are granted on every database and table. */
  readonly accessMode: AccessMode;
  readonly lakeFormation: boolean;
  /** With lakeFormation: the logical id of the CloudFormation condition that keeps the statement; absent: always. */
  readonly lakeFormationCondition?: string;
}

/**
 * What the Athena JDBC driver v3 calls on a workgroup to run a query and fetch its results.
 * BatchGetQueryExecution and ListQueryExecutions, found in AWS's workgroup examples, are left out: the
 * driver tracks its own query executions by id.
 */
export const QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:StopQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:GetQueryResultsStream',
  'athena:GetWorkGroup',
];

/** Metadata browsing through Athena; each accepts the `datacatalog` resource type. */
export const CATALOG_METADATA_ACTIONS = [
  'athena:GetDataCatalog',
  'athena:ListDatabases',
  'athena:GetDatabase',
  'athena:ListTableMetadata',
  'athena:GetTableMetadata',
];

/** Read-only Glue Data Catalog access. No Create, Update, Delete or BatchCreate action appears here. */
export const GLUE_READ_ACTIONS = [
  'glue:GetCatalog',
  'glue:GetCatalogs',
  'glue:GetDatabase',
  'glue:GetDatabases',
  'glue:GetTable',
  'glue:GetTables',
  'glue:GetPartition',
  'glue:GetPartitions',
  'glue:BatchGetPartition',
];

/** The Glue reads that accept the `database` resource type (all but the catalog-level GetCatalog(s)). */
export const GLUE_DATABASE_READ_ACTIONS = GLUE_READ_ACTIONS.filter((a) => !a.startsWith('glue:GetCatalog'));

/** The Athena data catalog of the account's Glue Data Catalog, and the JDBC driver's default catalog. */
export const DEFAULT_CATALOG_NAME = 'AwsDataCatalog';

/** The database Athena resolves unqualified names in, and the JDBC driver's default schema. */
export const DEFAULT_GLUE_DATABASE = 'default';

/** The Glue reads that accept the `table` resource type (tables and their partitions). */
export const GLUE_TABLE_READ_ACTIONS = GLUE_DATABASE_READ_ACTIONS.filter((a) => !a.startsWith('glue:GetDatabase'));

const RESULTS_BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'];
const RESULTS_OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'];

/**
 * The condition that limits `s3:ListBucket` on data buckets to folders: requests must name a prefix, and it must
 * be one of the folders (with its trailing slash) or lie under one, as S3's folder examples limit listing with
 * `StringLike s3:prefix`.
 */
function listingOf(prefixes: string[]): Record<string, Record<string, unknown>> {
  return { StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}/*`) } };
}

/**
 * The least-privilege statements the Athena JDBC driver v3 needs for `scope`, in a fixed order (the order
 * decides how statements are packed into managed policies, so it must not depend on anything but the input).
 */
export function athenaQueryStatements(scope: AthenaQueryScope, env: ArnContext): StatementSpec[] {
  const allow = 'Allow';
  // In Lake Formation mode the grants name the databases; IAM allows the Glue reads on all of them, as the Lake
  // Formation guide's data analyst persona does (https://docs.aws.amazon.com/lake-formation/latest/dg/permissions-reference.html),
  // and Lake Formation filters what each call returns.
  const lakeFormationDecides = scope.accessMode === AccessMode.LAKE_FORMATION;
  const namedDatabases = lakeFormationDecides ? undefined : scope.glueDatabaseNames;
  const databases = namedDatabases ?? ['*'];
  const catalogs = scope.catalogs ?? [];
  const otherCatalogs = [
    ...otherCatalogStatements(catalogs, env, {
      athenaMetadata: CATALOG_METADATA_ACTIONS, catalog: GLUE_READ_ACTIONS, database: GLUE_DATABASE_READ_ACTIONS, table: GLUE_TABLE_READ_ACTIONS,
    }),
    // Table buckets whose credentials Lake Formation vends get no s3tables data access.
    ...s3TablesReadStatements(catalogs, env, scope.accessMode),
  ];
  // SSE-KMS table buckets read directly: S3 Tables needs kms:Decrypt and kms:GenerateDataKey of the querying principal
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-kms-permissions.html), through its endpoint s3tables.<region>.
  const kmsServices = ['athena', 'glue', 's3', ...catalogKeyServices(catalogs, scope.accessMode)];
  const statements: StatementSpec[] = [
    {
      sid: 'AthenaQueryExecution',
      effect: allow,
      actions: QUERY_ACTIONS,
      resources: unique(scope.workGroupNames.map((name) => workGroupArn(env, name))),
      purpose: 'Run queries in the workgroup, poll their state, stop them, and read (or stream) their results.',
    },
    {
      sid: 'AthenaListDataCatalogs',
      effect: allow,
      actions: ['athena:ListDataCatalogs'],
      // The service authorization reference lists no resource type for ListDataCatalogs: only "*" works.
      resources: ['*'],
      purpose: 'List the data catalogs when a client browses metadata (the action accepts no resource but "*").',
      wildcardReason: 'athena:ListDataCatalogs has no resource type in the Service Authorization Reference, so IAM only matches it against "*"; it returns catalog names only.',
    },
    {
      sid: 'AthenaCatalogMetadata',
      effect: allow,
      actions: CATALOG_METADATA_ACTIONS,
      resources: [dataCatalogArn(env, scope.catalogName)],
      purpose: 'Browse databases, tables and columns of the data catalog through Athena.',
    },
    // Glue authorizes every non-delete action on the resource and each of its ancestors, so each read is
    // granted on the catalog, and those that name a database or table on the databases and tables too. Each
    // statement pairs its actions only with the resource types they accept.
    {
      sid: 'GlueCatalogRead',
      effect: allow,
      actions: GLUE_READ_ACTIONS,
      resources: [glueCatalogArn(env)],
      purpose: 'Read the Glue Data Catalog that Athena plans queries with (every Glue read is also authorized on the catalog).',
    },
    {
      sid: 'GlueDatabaseRead',
      effect: allow,
      // With named databases, listing them (GetDatabases) is granted on every database below.
      actions: namedDatabases ? GLUE_DATABASE_READ_ACTIONS.filter((a) => a !== 'glue:GetDatabases') : GLUE_DATABASE_READ_ACTIONS,
      resources: unique(databases.map((db) => glueDatabaseArn(env, db))),
      purpose: lakeFormationDecides
        ? 'Call the read-only Glue database APIs; Lake Formation grants decide which databases they show.'
        : 'Read the definitions of the configured databases (and authorize reads of their tables, which Glue checks on the database too).',
      wildcardReason: lakeFormationDecides
        ? 'Lake Formation mode: Lake Formation grants (DESCRIBE per database or LF-Tag expression) decide which databases the read-only Glue calls show; IAM allows no Glue write.'
        : 'Read-only Glue actions on the configured databases: a name pattern given in glueDatabaseNames, or every database when glueDatabaseNames is not set; no Glue write is allowed.',
    },
    ...(namedDatabases ? namedDatabaseDiscovery(namedDatabases, env) : []),
    {
      sid: 'GlueTableRead',
      effect: allow,
      actions: GLUE_TABLE_READ_ACTIONS,
      resources: unique(databases.map((db) => glueTableArn(env, db, '*'))),
      purpose: lakeFormationDecides
        ? 'Call the read-only Glue table and partition APIs; Lake Formation grants decide which tables they show.'
        : 'Read table and partition definitions of the configured databases.',
      wildcardReason: lakeFormationDecides
        ? 'Lake Formation mode: Lake Formation grants (SELECT and DESCRIBE per database\'s tables or LF-Tag expression) decide which tables the read-only Glue calls show and which data is vended; IAM allows no Glue write.'
        : 'Read-only Glue actions on the tables of the configured databases (table names are not known in advance); no Glue write is allowed.',
    },
    ...queryResultsStatements(scope, env),
    ...sourceDataStatements(scope, env),
    ...otherCatalogs,
  ];
  if (scope.kmsKeyArns.length > 0) {
    statements.push({
      sid: 'KmsThroughAthenaGlueS3',
      effect: allow,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: unique(scope.kmsKeyArns),
      conditions: {
        StringEquals: {
          'kms:ViaService': kmsServices.map((service) => `${service}.${env.region}.${env.urlSuffix}`),
        },
      },
      purpose: 'Decrypt encrypted table data, catalog and results, and encrypt SSE-KMS query results; only through Athena, Glue or S3.',
    });
  }
  if (scope.managedQueryResultsKmsKeyArn !== undefined) {
    statements.push(managedQueryResultsKeyStatement(scope.managedQueryResultsKmsKeyArn, env));
  }
  if (scope.lakeFormation) {
    statements.push({
      sid: 'LakeFormationDataAccess',
      effect: allow,
      actions: ['lakeformation:GetDataAccess'],
      // The service authorization reference lists no resource type for GetDataAccess: only "*" works.
      // What the role may read is decided by the Lake Formation grants, not by this statement.
      resources: ['*'],
      purpose: lakeFormationDecides
        ? 'Obtain the temporary data access Lake Formation vends for the tables its grants allow (S3 is reached only through it).'
        : 'Obtain temporary data access for tables governed by Lake Formation (the grants themselves are made in Lake Formation).',
      wildcardReason: 'lakeformation:GetDataAccess has no resource type in the Service Authorization Reference, so IAM only matches it against "*"; what can be read is decided by Lake Formation grants.',
      condition: scope.lakeFormationCondition,
    });
  }
  return statements;
}

/**
 * Where Athena writes query results in the customer's S3 bucket, and the driver reads them back: the results
 * bucket and folder. None when Athena manages the results (it keeps them itself, and the driver reads them
 * through GetQueryResults and GetQueryResultsStream on the workgroup, already in AthenaQueryExecution:
 * https://docs.aws.amazon.com/athena/latest/ug/managed-results.html). With a deploy-time condition deciding
 * the mode, the statements are kept where results are not managed.
 */
function queryResultsStatements(scope: AthenaQueryScope, env: ArnContext): StatementSpec[] {
  const bucket = scope.resultsBucketName;
  if (bucket === undefined) return [];
  const statements: StatementSpec[] = [
    {
      sid: 'QueryResultsBucket',
      effect: 'Allow',
      // s3:ListBucket without an s3:prefix condition: Athena checks the output location before it runs a query
      // ("Unable to verify/create output bucket" when it cannot), and AWS's pages grant s3:ListBucket on the
      // results bucket with no condition (https://docs.aws.amazon.com/athena/latest/ug/s3-permissions.html,
      // https://repost.aws/knowledge-center/athena-output-bucket-error); none shows that check under s3:prefix.
      actions: RESULTS_BUCKET_ACTIONS,
      resources: [bucketArn(env, bucket)],
      purpose: 'Locate the query-results bucket, list its objects (Athena checks the output location before each query) and its unfinished multipart uploads.',
    },
    {
      sid: 'QueryResultsObjects',
      effect: 'Allow',
      actions: RESULTS_OBJECT_ACTIONS,
      resources: [objectsArn(env, bucket, scope.resultsPrefix)],
      purpose: 'Write query results under the results prefix and read them back; clean up failed multipart uploads.',
      wildcardReason: 'Athena names result objects per query execution, so the results prefix (or results bucket) must be granted as a whole; no delete is allowed.',
    },
  ];
  const condition = scope.managedQueryResultsCondition;
  return condition === undefined ? statements : statements.map((spec) => ({ ...spec, condition, unlessCondition: true }));
}

/**
 * The customer managed key that encrypts managed query results. Athena's guide, "Encrypt managed query
 * results" (https://docs.aws.amazon.com/athena/latest/ug/encrypting-managed-results.html): the principal that
 * runs queries (StartQueryExecution) and reads their results (GetQueryResults) needs `kms:Decrypt`,
 * `kms:GenerateDataKey` and `kms:DescribeKey` on the key; "Managed query results"
 * (https://docs.aws.amazon.com/athena/latest/ug/managed-results.html) lists the same three as the minimum. The
 * role never calls KMS itself: Athena uses the key for it, so `kms:ViaService` (which the Service Authorization
 * Reference lists for all three actions) limits them to requests Athena makes on the role's behalf
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
 */
function managedQueryResultsKeyStatement(keyArn: string, env: ArnContext): StatementSpec {
  return {
    sid: 'ManagedQueryResultsKey',
    effect: 'Allow',
    actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
    resources: [keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `athena.${env.region}.${env.urlSuffix}` } },
    purpose: 'Encrypt and decrypt the managed query results with the workgroup\'s customer managed key, only through Athena.',
  };
}

/**
 * With named databases, what Athena needs beyond them (AWS's Athena guide, "Configure access to databases and
 * tables in the AWS Glue Data Catalog"): `glue:GetDatabase` on the `default` database and the catalog (the
 * catalog is in GlueCatalogRead), and, to list databases (SHOW DATABASES, the JDBC driver's schema list),
 * `glue:GetDatabases` on every database. `glue:CreateDatabase`, which the same guide pairs with GetDatabase,
 * is a catalog write and is left out.
 */
function namedDatabaseDiscovery(names: string[], env: ArnContext): StatementSpec[] {
  const statements: StatementSpec[] = [{
    sid: 'GlueListDatabases',
    effect: 'Allow',
    actions: ['glue:GetDatabases'],
    resources: [glueDatabaseArn(env, '*')],
    purpose: 'List the databases of the catalog (SHOW DATABASES, the driver\'s schema list): database definitions only, no tables or data.',
    wildcardReason: 'AWS\'s Athena guide grants glue:GetDatabases on database/* to list databases (SHOW DATABASES); it returns database definitions, not tables or data, and allows no write.',
  }];
  if (!names.some((name) => globMatches(name, DEFAULT_GLUE_DATABASE))) {
    statements.push({
      sid: 'GlueDefaultDatabase',
      effect: 'Allow',
      actions: ['glue:GetDatabase'],
      resources: [glueDatabaseArn(env, DEFAULT_GLUE_DATABASE)],
      purpose: 'Read the definition of the default database, which Athena requires even when access is limited to other databases (and the JDBC driver\'s default schema).',
    });
  }
  return statements;
}

/**
 * Read-only access to the data locations. Listing is limited to the locations' folders (`s3:prefix`), bucket by
 * bucket, unless a location is the whole bucket. A deploy-time `<bucket>/<prefix>` item whose output groups its
 * list by bucket (Terraform) is listed the same way, from the output's grouping; any other counts as its whole
 * bucket for listing: CloudFormation cannot take the bucket off it (the delimiter of `Fn::Split` must be a
 * literal and a list cannot be sliced). Its objects are still limited to the prefix.
 */
function sourceDataStatements(scope: AthenaQueryScope, env: ArnContext): StatementSpec[] {
  if (scope.dataLocations.length === 0) return [];
  // The folders to list in each bucket, in order of appearance; undefined: the whole bucket.
  const folders = new Map<string, string[] | undefined>();
  for (const location of scope.dataLocations) {
    const grouped = locationsByBucket(location.bucketName);
    if (grouped !== undefined) {
      // The output's grouping: its whole buckets, and its folder buckets each with its own folders.
      folders.set(deployTimeMarker(grouped.wholeBucket), undefined);
      folders.set(deployTimeMarker(grouped.folderBucket), [deployTimeMarker(grouped.folder)]);
      continue;
    }
    const bucket = bucketOf(location.bucketName);
    const known = folders.has(bucket) ? folders.get(bucket) : [];
    folders.set(bucket, known === undefined || location.prefix === undefined ? undefined : unique([...known, location.prefix]));
  }
  const wholeBuckets = [...folders].filter(([, f]) => f === undefined).map(([bucket]) => bucket);
  // Buckets with the same folders share a statement.
  const byFolders = new Map<string, { buckets: string[]; folders: string[] }>();
  for (const [bucket, list] of folders) {
    if (list === undefined) continue;
    const key = JSON.stringify(list);
    byFolders.set(key, { buckets: [...(byFolders.get(key)?.buckets ?? []), bucket], folders: list });
  }
  const folderBuckets = [...byFolders.values()].flatMap((g) => g.buckets).filter((b) => b !== scope.resultsBucketName);

  const statements: StatementSpec[] = [];
  if (wholeBuckets.length > 0) {
    statements.push({
      sid: 'SourceDataBuckets',
      effect: 'Allow',
      actions: ['s3:GetBucketLocation', 's3:ListBucket'],
      resources: wholeBuckets.map((bucket) => bucketArn(env, bucket)),
      purpose: 'Locate the buckets whose whole content is table data and list the objects of a table location.',
      wildcardReason: 'Read-only listing of the buckets matching the bucket name patterns given in dataLocations.',
    });
  }
  if (folderBuckets.length > 0) {
    statements.push({
      sid: 'SourceDataBucketLocation',
      effect: 'Allow',
      actions: ['s3:GetBucketLocation'],
      resources: folderBuckets.map((bucket) => bucketArn(env, bucket)),
      purpose: 'Locate the buckets that hold table data under a folder.',
      wildcardReason: 'Read-only s3:GetBucketLocation on the buckets matching the bucket name patterns given in dataLocations.',
    });
  }
  [...byFolders.values()].forEach((group, index) => statements.push({
    sid: `SourceDataListing${index === 0 ? '' : index + 1}`,
    effect: 'Allow',
    actions: ['s3:ListBucket'],
    resources: group.buckets.map((bucket) => bucketArn(env, bucket)),
    conditions: listingOf(group.folders),
    purpose: 'List the objects of a table location, only under the data locations\' folders.',
    wildcardReason: 'Read-only listing, limited by s3:prefix to the data folders, of the buckets matching the bucket name patterns given in dataLocations.',
  }));
  statements.push({
    sid: 'SourceDataObjects',
    effect: 'Allow',
    actions: ['s3:GetObject'],
    resources: unique(scope.dataLocations.map((l) => objectsArn(env, l.bucketName, l.prefix))),
    purpose: 'Read the table data the queries scan (read only).',
    wildcardReason: 'Read-only s3:GetObject on the objects under the configured data locations, whose keys are the tables\' files.',
  });
  return statements;
}
