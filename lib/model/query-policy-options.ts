import { AccessMode } from './access-mode';

/** An S3 location holding table data that queries read. */
export interface DataLocation {
  /**
   * The bucket, or a pattern of bucket names: `*` matches any run of characters and `?` exactly one, as IAM
   * matches ARNs (`acme-*-lake` matches `acme-eu-lake` and `acme-us-west-lake`). S3 ARNs name no account, so a
   * pattern also matches other accounts' buckets (their bucket policies would have to grant access too); it
   * needs at least three characters that are not wildcards.
   */
  readonly bucketName: string;
  /**
   * A folder in the bucket, such as `warehouse/sales`; only objects under it can be read. `*` and `?` match
   * as in `bucketName`, `/` included: `warehouse/team-*` reads everything under `warehouse/team-a/`,
   * `warehouse/team-b/` and also `warehouse/team-a-old/` (the grant is `warehouse/team-*` followed by `/*`).
   *
   * @default - the whole bucket
   */
  readonly prefix?: string;
}

/**
 * A Glue catalog beyond the account's default one (`AwsDataCatalog`) whose databases can be read: a catalog
 * registered in Glue, one of its child catalogs, or the catalog of an S3 table bucket, `s3tablescatalog/<table bucket>`.
 */
export interface GlueCatalogAccess {
  /**
   * The catalog's path in Glue, as Athena queries name a catalog not registered as a data source:
   * `s3tablescatalog/<table bucket>` for an S3 table bucket (then the table bucket's tables can be read too, with
   * read-only S3 Tables actions), `<catalog>` or `<catalog>/<child catalog>` for other catalogs.
   */
  readonly catalogName: string;
  /**
   * The name of the Athena data source registered for this catalog, when queries use it instead of the path.
   *
   * @default - none: queries name the catalog by its path
   */
  readonly dataSourceName?: string;
  /**
   * Databases of the catalog (for S3 Tables: namespaces) whose tables can be read. Names and patterns as in
   * `glueDatabaseNames` (`*` any run of characters, `?` one); a pattern of only wildcards is refused (leave this
   * unset instead). S3 Tables namespaces are lower-case letters, digits and underscores.
   *
   * IAM cannot keep the default catalog's Glue reads off this catalog's databases when they are open: `database/*`
   * also matches `database/<catalogName>/<database>` (IAM wildcards span `/`), and Glue has no condition key for
   * names. So this is refused unless `glueDatabaseNames` names the default catalog's databases in a way that cannot
   * match this catalog's (names, or patterns that cannot start with `<catalogName>/`), and in accessMode
   * LAKE_FORMATION (whose Glue reads are on every database).
   *
   * @default - every database of the catalog
   */
  readonly databaseNames?: string[];
  /**
   * For an S3 Tables catalog (`s3tablescatalog/<table bucket>`) in `accessMode: AccessMode.LAKE_FORMATION`: whether
   * the S3 Tables integration is registered with Lake Formation to vend the table bucket's credentials
   * (https://docs.aws.amazon.com/glue/latest/dg/glue-federation-s3tables.html). When it is not (false), the role
   * gets the read-only `s3tables:` actions on the table bucket, as in accessMode IAM. Refused for other catalogs
   * and in the other access modes, where the `s3tables:` actions are always granted.
   *
   * @default true
   */
  readonly lakeFormationVendsCredentials?: boolean;
}

/**
 * An LF-Tag expression: the databases and tables whose LF-Tags match it. Every key must match (AND); a key
 * matches when the resource's value for it is one of the listed values (OR).
 */
export interface LakeFormationTagExpression {
  /**
   * LF-Tag keys and the values each may take, such as `{ domain: ['sales'], env: ['prod', 'staging'] }`:
   * 1 to 5 keys, each with 1 to 50 values (Lake Formation's limits for one expression).
   */
  readonly tags: { [key: string]: string[] };
}

/**
 * What the Athena JDBC driver v3 may reach, as plain data: `AthenaQueryPolicyProps` without the deploy-time
 * conditions (`CfnCondition`s), which only a CDK stack holds.
 */
export interface AthenaQueryPolicyOptions {
  /**
   * Athena workgroups queries may run in. The first one is the workgroup of the connection. Give a workgroup of
   * the connection's own: `athena:GetQueryResults` is authorized on the workgroup, so the results of any query run in
   * a granted workgroup can be read given its query ID, and synth warns (`primaryWorkGroup`) when the list includes
   * `primary`, the default workgroup that other principals often share.
   *
   * @default ['primary']
   */
  readonly workGroupNames?: string[];
  /**
   * The Athena data catalog whose metadata can be browsed.
   *
   * @default 'AwsDataCatalog'
   */
  readonly catalogName?: string;
  /**
   * Glue catalogs beyond the default one whose databases and tables can be read, such as the S3 Tables catalog of
   * a table bucket (`s3tablescatalog/<table bucket>`). `catalogName` and `glueDatabaseNames` keep describing the
   * default catalog. For S3 Tables the table bucket's tables are read with read-only S3 Tables actions; list
   * the KMS key of an SSE-KMS table bucket in `kmsKeyArns`.
   *
   * @default - none: only the default catalog
   */
  readonly catalogs?: GlueCatalogAccess[];
  /**
   * Glue databases (and all their tables) that can be read. Names are lower case, as Glue stores them.
   * A name with `*` (any run of characters, none included) or `?` (exactly one character) is a pattern,
   * matched as IAM matches ARNs: `sales_*` allows `sales_eu` and `sales_` but not `sales`; `sales_??` allows
   * `sales_eu` but not `sales_emea`. A pattern of only wildcards is refused (leave this unset instead).
   *
   * @default - every database in the account's Glue Data Catalog
   */
  readonly glueDatabaseNames?: string[];
  /**
   * The bucket Athena writes query results to (same Region as the workgroup). Give either this or
   * `managedQueryResults: true`.
   *
   * @default - none: with `managedQueryResults: true`, Athena keeps the results and no bucket is needed
   */
  readonly resultsBucketName?: string;
  /**
   * The folder in the results bucket that holds query results, such as `athena-results` (a trailing slash is
   * dropped). The role reads and writes only there, and lists the bucket's object names (`s3:ListBucket` on the
   * bucket, as Athena's output location check needs). It must neither lie inside a data location nor contain one (query results
   * landing among table files corrupt the tables, and the role could write there). `''` gives the whole
   * bucket, for a bucket that holds nothing but this connection's query results (for example when its
   * workgroup enforces the bucket's root as the result location).
   *
   * @default 'qualytics-athena-results'
   */
  readonly resultsPrefix?: string;
  /**
   * Whether the workgroups use Athena's managed query results: Athena keeps each query's results itself for
   * 24 hours, and the driver reads them with GetQueryResults and GetQueryResultsStream on the workgroup
   * (https://docs.aws.amazon.com/athena/latest/ug/managed-results.html). The policy then has no S3 results
   * statements, the guardrails deny S3 uploads everywhere, and the connection has no output location (clients
   * must not send one). Give no `resultsBucketName` or `resultsPrefix` with it.
   *
   * @default false
   */
  readonly managedQueryResults?: boolean;
  /**
   * With `managedQueryResults: true`: the customer managed KMS key the workgroup encrypts managed query results
   * with. The role gets `kms:Decrypt`, `kms:GenerateDataKey` and `kms:DescribeKey` on this key only, through
   * Athena (`kms:ViaService`); the key's policy must allow the role and the service principal
   * `encryption.athena.amazonaws.com` too
   * (https://docs.aws.amazon.com/athena/latest/ug/encrypting-managed-results.html).
   *
   * @default - results encrypted with an AWS owned key: no KMS permission needed
   */
  readonly managedQueryResultsKmsKeyArn?: string;
  /**
   * Read-only S3 locations of the table data the queries scan. Leave empty when Lake Formation vends the
   * data access.
   *
   * @default - none
   */
  readonly dataLocations?: DataLocation[];
  /**
   * KMS keys that encrypt table data, the Glue catalog or query results. They can be used only through
   * Athena, Glue and S3 (`kms:ViaService`); each key's policy must allow the role too.
   *
   * @default - none
   */
  readonly kmsKeyArns?: string[];
  /**
   * Whether tables are governed by Lake Formation, with IAM still naming databases and data locations: the same
   * as `accessMode: AccessMode.IAM_AND_LAKE_FORMATION` (also when given with `accessMode: AccessMode.IAM`).
   * `false` is refused with an access mode that uses Lake Formation.
   *
   * @default - as accessMode says
   * @deprecated use accessMode: AccessMode.IAM_AND_LAKE_FORMATION
   */
  readonly lakeFormation?: boolean;
  /**
   * Who decides what the queries may read: IAM (the policy names each database and data location), IAM with
   * Lake Formation's data access for governed tables (IAM_AND_LAKE_FORMATION), or Lake Formation (grants name
   * them, and the IAM policy stays the same size however many there are).
   *
   * @default AccessMode.IAM
   */
  readonly accessMode?: AccessMode;
  /**
   * With `accessMode: AccessMode.LAKE_FORMATION`: LF-Tag expressions whose matching databases and tables the
   * Lake Formation grants cover, besides `glueDatabaseNames`.
   *
   * @default - none
   */
  readonly lakeFormationTagExpressions?: LakeFormationTagExpression[];
  /**
   * With `accessMode: AccessMode.LAKE_FORMATION`: whether an AthenaTargetRole or AthenaAccessKeyUser creates the
   * Lake Formation grants for its role or user (see `LakeFormationGrants`); false when they are managed
   * elsewhere. An AthenaQueryPolicy used on its own creates them with `grantLakeFormationAccess()`.
   *
   * @default true
   */
  readonly createLakeFormationGrants?: boolean;
  /**
   * With `accessMode: AccessMode.LAKE_FORMATION`: nested stacks to spread the Lake Formation grants over
   * (`LakeFormationGrantsProps.nestedStacks`): two grants per database, at most 500 resources per stack. The
   * nested stacks deploy one after another. Keep the number once deployed: changing it moves grants between
   * nested stacks, which takes two deploys (first with `createLakeFormationGrants: false`, which revokes the
   * grants, then with the grants and the new number).
   *
   * @default 0
   */
  readonly lakeFormationNestedStacks?: number;
  /**
   * With `accessMode: AccessMode.LAKE_FORMATION`: whether the grants include DESCRIBE on the `default` database,
   * which Athena needs under Lake Formation whatever database a query names
   * (https://docs.aws.amazon.com/athena/latest/ug/lf-athena-limitations.html;
   * `LakeFormationGrantsProps.defaultDatabaseDescribe`). Turn it off only when the role or user gets it
   * elsewhere: CloudFormation cannot create a grant that another stack already holds.
   *
   * @default true
   */
  readonly lakeFormationDefaultDatabaseDescribe?: boolean;
  /**
   * Characters (as IAM counts them) of an inline policy that takes the statements for which `maxManagedPolicies`
   * managed policies have no room, so that a configuration can grow past the managed policies' ceiling. IAM
   * counts all inline policies of an identity together: at most 10,240 characters for a role, 5,120 for a group
   * and 2,048 for a user (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html):
   * `attachToRole`, `attachToGroup` and `attachToUser` refuse an inline policy larger than the identity's limit. The
   * statements are packed in the same fixed order either way, so the same input always gives the same policies.
   *
   * @default - 10,240 for an AthenaTargetRole (synth fails when its inline policies exceed that together), 5,120 for an AthenaAccessKeyUser (its group), 0 (no inline policy) for an AthenaQueryPolicy used on its own
   */
  readonly maxInlinePolicyLength?: number;
  /**
   * How many managed policies the permissions may be split into. IAM attaches at most 10 managed policies
   * to a role, user or group by default; with a raised quota, up to 20. Synth fails when the permissions need
   * more.
   *
   * @default 10
   */
  readonly maxManagedPolicies?: number;
  /**
   * Whether to add explicit Deny statements for what the Athena permissions must never be used for, even if
   * a broader policy is attached later (an explicit Deny wins over any Allow): every write, permission change
   * and tagging action in S3 (with S3 Object Lambda, S3 Express and S3 Tables), Glue (the Data Catalog, and
   * crawlers, jobs, sessions and workflows), Athena (all but running and stopping queries) and Lake Formation
   * (grants, revokes, settings), except the S3 uploads of query results under the results prefix. They are
   * packed with the rest and count toward the size budget. Leave them off for a user or group that
   * legitimately does more than query Athena.
   *
   * @default - true for an AthenaTargetRole and an AthenaAccessKeyUser; false for an AthenaQueryPolicy used on its own
   */
  readonly guardrails?: boolean;
}
