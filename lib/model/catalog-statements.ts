import { AccessMode } from './access-mode';
import { ArnContext, dataCatalogArn, glueChildCatalogArn, glueDatabaseArn, glueTableArn, tableBucketArn, tableBucketTablesArn } from './arns';
import { deployTimeMarker, DeployTimeValue, itemsIn } from './deploy-time';
import { S3_TABLES_CATALOG } from './format-rules';
import { StatementSpec, unique } from './statement-spec';

/*
 * Read access to Glue catalogs beyond the account's default one: catalogs registered in Glue, their child
 * catalogs, and the federated catalog of S3 Tables, `s3tablescatalog/<table bucket>`. Sources:
 * - Glue ARNs of child catalogs, their databases and tables:
 *   https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html
 * - Glue and S3 Tables permissions of the S3 Tables catalog in IAM mode:
 *   https://docs.aws.amazon.com/glue/latest/dg/s3tables-catalog-prerequisites.html
 * - How Athena names a catalog that is not registered as a data source ("my_catalog/my_subcatalog"):
 *   https://docs.aws.amazon.com/athena/latest/ug/gdc-register-query-the-data-source.html
 * - S3 Tables resources, actions and condition keys: https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-setting-up.html
 *   and https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3tables.html
 */

/** A Glue catalog beyond the default one, after validation. */
export interface CatalogScope {
  /** The catalog's path in Glue, such as `s3tablescatalog/<table bucket>`. */
  readonly catalogName: string;
  /** The name of the Athena data source registered for it, if any. */
  readonly dataSourceName?: string;
  /** Databases (S3 Tables namespaces) or patterns of them; absent: every database of the catalog. */
  readonly databaseNames?: string[];
  /**
   * S3 Tables in accessMode LAKE_FORMATION: whether the table bucket integration vends credentials through Lake
   * Formation; absent: it does.
   */
  readonly lakeFormationVendsCredentials?: boolean;
}

/**
 * The catalogs as lists an output computes at deploy time from a list of catalogs (Terraform can; the constructs
 * and the CloudFormation template take literal catalogs): each field an item of a list of its own, rules of this
 * file applied by the output. A deploy-time catalog (`CatalogScope.catalogName` a marker) carries them.
 */
export interface CatalogLists {
  /** Each catalog's path: `catalogName`. */
  readonly catalog: DeployTimeValue;
  /** Names Athena knows the catalogs by: each catalog's path and its data source name, if any. */
  readonly athenaName: DeployTimeValue;
  /** Each catalog's path and every catalog above it ({@link catalogPaths}). */
  readonly path: DeployTimeValue;
  /** `<path>/<database>` for each database of each catalog, `<path>/*` for a catalog whose databases are not named. */
  readonly database: DeployTimeValue;
  /** The table buckets read directly ({@link readsTableBucketDirectly}). */
  readonly tableBucket: DeployTimeValue;
  /** Those of them whose namespaces are not named. */
  readonly wholeTableBucket: DeployTimeValue;
  /** Those of them whose namespaces are named. */
  readonly namespacedTableBucket: DeployTimeValue;
  /** The namespaces of a `namespacedTableBucket` item. */
  readonly namespace: DeployTimeValue;
  /** `s3tables` when some table bucket is read directly: a list of that one service, or empty. */
  readonly tablesService: DeployTimeValue;
}

/** The lists of deploy-time catalogs; undefined for literal ones. A catalog list is one deploy-time catalog. */
function catalogListsOf(catalogs: CatalogScope[]): CatalogLists | undefined {
  const lists = catalogs.map((c) => itemsIn(c.catalogName)[0]?.catalogs);
  if (lists.every((l) => l === undefined)) return undefined;
  if (catalogs.length > 1) throw new Error('Deploy-time catalogs are one list: give them as one catalog whose name is the list\'s item');
  return lists[0];
}

/** The services a principal uses KMS keys through to read the catalogs' table data: `s3tables` for table buckets read directly. */
export function catalogKeyServices(catalogs: CatalogScope[], accessMode: AccessMode): string[] {
  const lists = catalogListsOf(catalogs);
  if (lists) return [deployTimeMarker(lists.tablesService)];
  return catalogs.some((c) => readsTableBucketDirectly(c, accessMode)) ? ['s3tables'] : [];
}

/**
 * Whether the principal reads the table bucket of an `s3tablescatalog/<bucket>` catalog with its own `s3tables:`
 * permissions: in the IAM modes, and in LAKE_FORMATION mode unless the S3 Tables integration is registered with
 * Lake Formation to vend its credentials (https://docs.aws.amazon.com/glue/latest/dg/glue-federation-s3tables.html).
 */
export function readsTableBucketDirectly(catalog: CatalogScope, accessMode: AccessMode): boolean {
  if (tableBucketOf(catalog.catalogName) === undefined) return false;
  return accessMode !== AccessMode.LAKE_FORMATION || catalog.lakeFormationVendsCredentials === false;
}

/** The table bucket of an `s3tablescatalog/<table bucket>` catalog; undefined for any other catalog. */
export function tableBucketOf(catalogName: string): string | undefined {
  const [root, bucket] = catalogName.split('/');
  return root === S3_TABLES_CATALOG ? bucket : undefined;
}

/**
 * Read-only S3 Tables actions a principal querying through the Glue catalog needs in IAM mode (the Glue guide's
 * S3 Tables prerequisites list them with the writes, CreateTable, PutTableData, ..., which are left out). Each
 * list holds the actions of one resource type in the Service Authorization Reference.
 */
export const S3_TABLES_BUCKET_ACTIONS = ['s3tables:GetTableBucket', 's3tables:ListNamespaces'];
/** On the table bucket, and take the `s3tables:namespace` condition key. */
export const S3_TABLES_NAMESPACE_ACTIONS = ['s3tables:GetNamespace', 's3tables:ListTables'];
/** On tables (`bucket/<name>/table/<id>`), and take the `s3tables:namespace` condition key. */
export const S3_TABLES_TABLE_ACTIONS = ['s3tables:GetTable', 's3tables:GetTableMetadataLocation', 's3tables:GetTableData'];

/** The Glue reads that accept a catalog, a database and a table (as `athena-query-statements` defines them). */
interface GlueReadActions {
  readonly catalog: string[];
  readonly database: string[];
  readonly table: string[];
  readonly athenaMetadata: string[];
}

/** The names the catalogs' statements grant on, each list without repeats. */
interface CatalogNames {
  /** The catalogs' paths. */
  readonly catalogs: string[];
  /** Their paths and data source names. */
  readonly athenaNames: string[];
  /** Their paths and the catalogs above them. */
  readonly paths: string[];
  /** `<path>/<database>` of their databases. */
  readonly databases: string[];
}

function catalogNames(catalogs: CatalogScope[]): CatalogNames {
  const lists = catalogListsOf(catalogs);
  if (lists) {
    const [catalog, athenaName, path, database] = [lists.catalog, lists.athenaName, lists.path, lists.database].map(deployTimeMarker);
    return { catalogs: [catalog], athenaNames: [athenaName], paths: [path], databases: [database] };
  }
  return {
    catalogs: catalogs.map((c) => c.catalogName),
    athenaNames: unique(catalogs.flatMap((c) => [c.catalogName, ...(c.dataSourceName ? [c.dataSourceName] : [])])),
    paths: unique(catalogs.flatMap((c) => catalogPaths(c.catalogName))),
    databases: unique(catalogs.flatMap((c) => (c.databaseNames ?? ['*']).map((db) => `${c.catalogName}/${db}`))),
  };
}

/** `a/b` -> [`a`, `a/b`]: Glue authorizes a read on each catalog from the root down (the root is granted elsewhere). */
function catalogPaths(path: string): string[] {
  const segments = path.split('/');
  return segments.map((_, i) => segments.slice(0, i + 1).join('/'));
}

/**
 * Athena metadata and Glue reads on the extra catalogs, their databases and tables. Glue authorizes every
 * non-delete action on the resource and each of its ancestors, so reads are granted on every catalog of the path,
 * and the database and table reads on the listed databases (or every database) of each catalog.
 */
export function otherCatalogStatements(catalogs: CatalogScope[], env: ArnContext, actions: GlueReadActions): StatementSpec[] {
  if (catalogs.length === 0) return [];
  const allow = 'Allow';
  const names = catalogNames(catalogs);
  return [
    {
      sid: 'AthenaOtherCatalogsMetadata',
      effect: allow,
      actions: actions.athenaMetadata,
      resources: names.athenaNames.map((name) => dataCatalogArn(env, name)),
      purpose: 'Browse databases, tables and columns of the other catalogs through Athena, by their Glue path or their Athena data source name.',
    },
    {
      sid: 'GlueOtherCatalogsRead',
      effect: allow,
      actions: actions.catalog,
      resources: names.paths.map((path) => glueChildCatalogArn(env, path)),
      purpose: 'Read the other Glue catalogs and their parents (every Glue read is also authorized on each catalog above the resource).',
    },
    {
      sid: 'GlueOtherCatalogsListDatabases',
      effect: allow,
      actions: ['glue:GetDatabases'],
      resources: names.catalogs.map((c) => glueDatabaseArn(env, `${c}/*`)),
      purpose: 'List the databases (S3 Tables namespaces) of the other catalogs: database definitions only, no tables or data.',
      wildcardReason: 'glue:GetDatabases lists the databases of a catalog, so it is granted on every database of the configured catalogs; it returns definitions, not tables or data, and allows no write.',
    },
    {
      sid: 'GlueOtherCatalogsDatabaseRead',
      effect: allow,
      actions: actions.database.filter((a) => a !== 'glue:GetDatabases'),
      resources: names.databases.map((db) => glueDatabaseArn(env, db)),
      purpose: 'Read the definitions of the configured databases of the other catalogs (and authorize reads of their tables, which Glue checks on the database too).',
      wildcardReason: 'Read-only Glue actions on the databases of the configured catalogs: a name pattern given in databaseNames, or every database of a catalog when databaseNames is not set; no Glue write is allowed.',
    },
    {
      sid: 'GlueOtherCatalogsTableRead',
      effect: allow,
      actions: actions.table,
      resources: names.databases.map((db) => glueTableArn(env, db, '*')),
      purpose: 'Read table and partition definitions of the configured databases of the other catalogs.',
      wildcardReason: 'Read-only Glue actions on the tables of the configured databases of the other catalogs (table names are not known in advance); no Glue write is allowed.',
    },
  ];
}

/** The table buckets read directly, and their groups by namespaces (absent: every namespace). */
interface TableBucketsRead {
  readonly buckets: string[];
  readonly groups: Array<{ buckets: string[]; namespaces?: string[] }>;
}

/**
 * The table buckets read directly; those with the same namespaces form a group. Deploy-time catalogs form two
 * groups, one of the buckets with every namespace and one of the buckets with named namespaces, each bucket of
 * which has its own (an output renders it one statement per bucket).
 */
function tableBucketsRead(catalogs: CatalogScope[], accessMode: AccessMode): TableBucketsRead {
  const lists = catalogListsOf(catalogs);
  if (lists) {
    return {
      buckets: [deployTimeMarker(lists.tableBucket)],
      groups: [
        { buckets: [deployTimeMarker(lists.wholeTableBucket)] },
        { buckets: [deployTimeMarker(lists.namespacedTableBucket)], namespaces: [deployTimeMarker(lists.namespace)] },
      ],
    };
  }
  const direct = catalogs.filter((c) => readsTableBucketDirectly(c, accessMode));
  const groups = new Map<string, { buckets: string[]; namespaces?: string[] }>();
  for (const catalog of direct) {
    const key = JSON.stringify(catalog.databaseNames ?? null);
    const group = groups.get(key) ?? { buckets: [], namespaces: catalog.databaseNames };
    groups.set(key, { ...group, buckets: unique([...group.buckets, tableBucketOf(catalog.catalogName)!]) });
  }
  return { buckets: unique(direct.map((c) => tableBucketOf(c.catalogName)!)), groups: [...groups.values()] };
}

/**
 * Read-only S3 Tables access to the table buckets of the `s3tablescatalog/<bucket>` catalogs read directly (see
 * {@link readsTableBucketDirectly}): Athena reads the tables' metadata and data with the caller's permissions.
 * None for a catalog whose credentials Lake Formation vends. Namespaces are limited with the `s3tables:namespace`
 * condition key, which the namespace and table actions take; table ARNs name tables by id, so tables are granted
 * as `table/*` of the bucket. Catalogs with the same namespaces share a statement.
 */
export function s3TablesReadStatements(catalogs: CatalogScope[], env: ArnContext, accessMode: AccessMode): StatementSpec[] {
  const read = tableBucketsRead(catalogs, accessMode);
  if (read.buckets.length === 0) return [];
  const statements: StatementSpec[] = [{
    sid: 'S3TablesBucketRead',
    effect: 'Allow',
    actions: S3_TABLES_BUCKET_ACTIONS,
    resources: read.buckets.map((bucket) => tableBucketArn(env, bucket)),
    purpose: 'Read the S3 table buckets of the configured S3 Tables catalogs and list their namespaces (names only).',
  }];
  read.groups.forEach((group, index) => {
    const suffix = index === 0 ? '' : `${index + 1}`;
    const conditions = group.namespaces ? { StringLike: { 's3tables:namespace': group.namespaces } } : undefined;
    statements.push({
      sid: `S3TablesNamespaceRead${suffix}`,
      effect: 'Allow',
      actions: S3_TABLES_NAMESPACE_ACTIONS,
      resources: group.buckets.map((bucket) => tableBucketArn(env, bucket)),
      conditions,
      purpose: group.namespaces
        ? 'Read the configured namespaces of the table buckets and list their tables.'
        : 'Read every namespace of the table buckets and list their tables.',
    }, {
      sid: `S3TablesTableRead${suffix}`,
      effect: 'Allow',
      actions: S3_TABLES_TABLE_ACTIONS,
      resources: group.buckets.map((bucket) => tableBucketTablesArn(env, bucket)),
      conditions,
      purpose: group.namespaces
        ? 'Read the tables of the configured namespaces: their definition, metadata location and data (read only).'
        : 'Read every table of the table buckets: its definition, metadata location and data (read only).',
      wildcardReason: 'S3 Tables ARNs name tables by id, which is not known in advance, so a table bucket\'s tables are granted as table/*, '
        + 'limited by s3tables:namespace to the configured namespaces when databaseNames is set; read only.',
    });
  });
  return statements;
}
