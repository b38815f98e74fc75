import * as iam from 'aws-cdk-lib/aws-iam';
import {
  ArnContext, bucketArn, dataCatalogArn, glueCatalogArn, glueDatabaseArn, glueTableArn, objectsArn, workGroupArn,
} from './arns';
import { bucketOf } from './deploy-time-list';
import { StatementSpec, unique } from './statement-spec';

/** A read-only S3 location holding table data, after validation. */
export interface DataLocationScope {
  readonly bucketName: string;
  /** Folder without trailing slash; absent for the whole bucket. */
  readonly prefix?: string;
}

/** What the Athena query policy covers, after validation and defaults. */
export interface AthenaQueryScope {
  readonly workGroupNames: string[];
  readonly catalogName: string;
  /** Absent: every database in the catalog. */
  readonly glueDatabaseNames?: string[];
  readonly resultsBucketName: string;
  readonly resultsPrefix?: string;
  readonly dataLocations: DataLocationScope[];
  readonly kmsKeyArns: string[];
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

/** The Glue reads that accept the `table` resource type (tables and their partitions). */
export const GLUE_TABLE_READ_ACTIONS = GLUE_DATABASE_READ_ACTIONS.filter((a) => !a.startsWith('glue:GetDatabase'));

const RESULTS_BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'];
const RESULTS_OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'];
const DATA_BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:ListBucket'];

/**
 * The least-privilege statements the Athena JDBC driver v3 needs for `scope`, in a fixed order (the order
 * decides how statements are packed into managed policies, so it must not depend on anything but the input).
 */
export function athenaQueryStatements(scope: AthenaQueryScope, env: ArnContext): StatementSpec[] {
  const allow = iam.Effect.ALLOW;
  const databases = scope.glueDatabaseNames ?? ['*'];
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
      actions: GLUE_DATABASE_READ_ACTIONS,
      resources: unique(databases.map((db) => glueDatabaseArn(env, db))),
      purpose: 'Read the definitions of the configured databases (and authorize reads of their tables, which Glue checks on the database too).',
      wildcardReason: 'Read-only Glue actions on the configured databases: a name pattern given in glueDatabaseNames, or every database when glueDatabaseNames is not set; no Glue write is allowed.',
    },
    {
      sid: 'GlueTableRead',
      effect: allow,
      actions: GLUE_TABLE_READ_ACTIONS,
      resources: unique(databases.map((db) => glueTableArn(env, db, '*'))),
      purpose: 'Read table and partition definitions of the configured databases.',
      wildcardReason: 'Read-only Glue actions on the tables of the configured databases (table names are not known in advance); no Glue write is allowed.',
    },
    {
      sid: 'QueryResultsBucket',
      effect: allow,
      actions: RESULTS_BUCKET_ACTIONS,
      resources: [bucketArn(env, scope.resultsBucketName)],
      purpose: 'Locate the query-results bucket and list results and unfinished multipart uploads in it.',
    },
    {
      sid: 'QueryResultsObjects',
      effect: allow,
      actions: RESULTS_OBJECT_ACTIONS,
      resources: [objectsArn(env, scope.resultsBucketName, scope.resultsPrefix)],
      purpose: 'Write query results under the results prefix and read them back; clean up failed multipart uploads.',
      wildcardReason: 'Athena names result objects per query execution, so the results prefix (or results bucket) must be granted as a whole; no delete is allowed.',
    },
  ];

  const dataBuckets = unique(scope.dataLocations.map((l) => bucketOf(l.bucketName))).filter((b) => b !== scope.resultsBucketName);
  if (dataBuckets.length > 0) {
    statements.push({
      sid: 'SourceDataBuckets',
      effect: allow,
      actions: DATA_BUCKET_ACTIONS,
      resources: dataBuckets.map((bucket) => bucketArn(env, bucket)),
      purpose: 'Locate the buckets that hold table data and list the objects of a table location.',
      wildcardReason: 'Read-only listing of the buckets matching the bucket name patterns given in dataLocations.',
    });
  }
  if (scope.dataLocations.length > 0) {
    statements.push({
      sid: 'SourceDataObjects',
      effect: allow,
      actions: ['s3:GetObject'],
      resources: unique(scope.dataLocations.map((l) => objectsArn(env, l.bucketName, l.prefix))),
      purpose: 'Read the table data the queries scan (read only).',
      wildcardReason: 'Read-only s3:GetObject on the objects under the configured data locations, whose keys are the tables\' files.',
    });
  }
  if (scope.kmsKeyArns.length > 0) {
    statements.push({
      sid: 'KmsThroughAthenaGlueS3',
      effect: allow,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: unique(scope.kmsKeyArns),
      conditions: {
        StringEquals: {
          'kms:ViaService': ['athena', 'glue', 's3'].map((service) => `${service}.${env.region}.${env.urlSuffix}`),
        },
      },
      purpose: 'Decrypt encrypted table data, catalog and results, and encrypt SSE-KMS query results; only through Athena, Glue or S3.',
    });
  }
  if (scope.lakeFormation) {
    statements.push({
      sid: 'LakeFormationDataAccess',
      effect: allow,
      actions: ['lakeformation:GetDataAccess'],
      // The service authorization reference lists no resource type for GetDataAccess: only "*" works.
      // What the role may read is decided by the Lake Formation grants, not by this statement.
      resources: ['*'],
      purpose: 'Obtain temporary data access for tables governed by Lake Formation (the grants themselves are made in Lake Formation).',
      wildcardReason: 'lakeformation:GetDataAccess has no resource type in the Service Authorization Reference, so IAM only matches it against "*"; what can be read is decided by Lake Formation grants.',
      condition: scope.lakeFormationCondition,
    });
  }
  return statements;
}
