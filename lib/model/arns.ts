/**
 * The parts every ARN in a policy takes from its stack. Values may be tokens (for an environment-agnostic
 * stack they are `AWS::Partition`, `AWS::Region` and `AWS::AccountId`), so that one template serves the
 * aws, aws-cn and aws-us-gov partitions.
 */
export interface ArnContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** The domain of service endpoints: `amazonaws.com`, or `amazonaws.com.cn` in China. */
  readonly urlSuffix: string;
}

/** `arn:<partition>:athena:<region>:<account>:workgroup/<name>` */
export function workGroupArn(env: ArnContext, name: string): string {
  return `arn:${env.partition}:athena:${env.region}:${env.account}:workgroup/${name}`;
}

/** `arn:<partition>:athena:<region>:<account>:datacatalog/<name>` */
export function dataCatalogArn(env: ArnContext, name: string): string {
  return `arn:${env.partition}:athena:${env.region}:${env.account}:datacatalog/${name}`;
}

/** The account's root Glue Data Catalog: `arn:<partition>:glue:<region>:<account>:catalog` */
export function glueCatalogArn(env: ArnContext): string {
  return `arn:${env.partition}:glue:${env.region}:${env.account}:catalog`;
}

/**
 * A catalog below the account's root catalog, by its path: `arn:<partition>:glue:<region>:<account>:catalog/<path>`,
 * such as `catalog/s3tablescatalog/<table bucket>` (https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html).
 */
export function glueChildCatalogArn(env: ArnContext, path: string): string {
  return `${glueCatalogArn(env)}/${path}`;
}

/** `arn:<partition>:glue:<region>:<account>:database/<name>`; a database of a child catalog is `<catalog path>/<name>`. */
export function glueDatabaseArn(env: ArnContext, database: string): string {
  return `arn:${env.partition}:glue:${env.region}:${env.account}:database/${database}`;
}

/** `arn:<partition>:glue:<region>:<account>:table/<database>/<table>`; in a child catalog, `<catalog path>/<database>`. */
export function glueTableArn(env: ArnContext, database: string, table: string): string {
  return `arn:${env.partition}:glue:${env.region}:${env.account}:table/${database}/${table}`;
}

/** `arn:<partition>:s3:::<bucket>` */
export function bucketArn(env: ArnContext, bucket: string): string {
  return `arn:${env.partition}:s3:::${bucket}`;
}

/** Every object under a prefix (or in the whole bucket): `arn:<partition>:s3:::<bucket>/<prefix>/*` */
export function objectsArn(env: ArnContext, bucket: string, prefix?: string): string {
  return `${bucketArn(env, bucket)}/${prefix ? `${prefix}/` : ''}*`;
}

/** `arn:<partition>:iam::<account>:role<path><namePattern>` */
export function roleArnPattern(partition: string, account: string, path: string, namePattern: string): string {
  return `arn:${partition}:iam::${account}:role${path}${namePattern}`;
}

/** An S3 table bucket: `arn:<partition>:s3tables:<region>:<account>:bucket/<name>` (Service Authorization Reference, S3 Tables). */
export function tableBucketArn(env: ArnContext, bucket: string): string {
  return `arn:${env.partition}:s3tables:${env.region}:${env.account}:bucket/${bucket}`;
}

/** Every table of an S3 table bucket: `.../bucket/<name>/table/*` (tables are named by id in their ARN). */
export function tableBucketTablesArn(env: ArnContext, bucket: string): string {
  return `${tableBucketArn(env, bucket)}/table/*`;
}
