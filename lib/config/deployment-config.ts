import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject } from 'ajv';
import { bucketLocationProblem } from '../model/validation';

/** An S3 location of table data. */
export interface DataLocationConfig {
  /** The bucket's name (not an ARN or an `s3://` URI). */
  readonly bucket: string;
  /**
   * A folder in the bucket.
   * @default - the whole bucket
   */
  readonly prefix?: string;
}

/** A Glue catalog beyond the default one, such as the S3 Tables catalog of a table bucket. */
export interface CatalogConfig {
  /** The catalog's path in Glue: `s3tablescatalog/<table bucket>`, `<catalog>` or `<catalog>/<child catalog>`. */
  readonly catalog: string;
  /**
   * The Athena data source registered for the catalog, when queries use its name.
   * @default - none
   */
  readonly dataSource?: string;
  /**
   * The databases (S3 Tables namespaces) of the catalog that can be read; refused unless `glueDatabases` is set
   * (and accessMode is not lake-formation), since the default catalog's reads on every database reach them too.
   * @default - every database of the catalog
   */
  readonly databases?: string[];
  /**
   * lake-formation, S3 Tables catalogs: whether the S3 Tables integration is registered with Lake Formation to
   * vend the table bucket's credentials; false grants the read-only `s3tables:` actions instead.
   * @default true
   */
  readonly lakeFormationVendsCredentials?: boolean;
}

/** How self-hosted dataplane pods obtain the base role. */
export interface IdentityConfig {
  /** `eks-pod-identity` or `irsa`. */
  readonly type: string;
  /** The Kubernetes namespace of the dataplane. */
  readonly namespace: string;
  /**
   * The dataplane's Spark service account.
   * @default 'qualytics-spark'
   */
  readonly serviceAccount?: string;
  /**
   * eks-pod-identity: the EKS cluster the dataplane runs on.
   * @default - none; required to create the Pod Identity association
   */
  readonly clusterName?: string;
  /**
   * eks-pod-identity: create the Pod Identity association.
   * @default true
   */
  readonly createAssociation?: boolean;
  /**
   * eks-pod-identity: whether Pod Identity adds its (transitive) session tags; false disables them on the
   * association, and the base role's trust checks the source account and cluster instead.
   * @default true
   */
  readonly sessionTags?: boolean;
  /**
   * irsa: the cluster's IAM OIDC provider ARN.
   * @default - none; required for irsa
   */
  readonly oidcProviderArn?: string;
}

/**
 * A deployment described by the JSON Schema shipped at `schema/athena-access.schema.json` in the package;
 * the schema says which properties each deployment type requires.
 */
export interface DeploymentConfig {
  /** `managed` (Qualytics runs the dataplane) or `self-hosted` (it runs on your EKS cluster). */
  readonly deployment: string;
  /**
   * The CloudFormation stack name.
   * @default 'QualyticsAthenaAccess'
   */
  readonly stackName?: string;
  /**
   * The AWS account to deploy to.
   * @default - the account of the deploying credentials
   */
  readonly account?: string;
  /**
   * The Region of the Athena workgroup.
   * @default - the Region of the deploying credentials
   */
  readonly region?: string;
  /**
   * managed: the Qualytics dataplane base role of your tenant.
   * @default - none; required for managed deployments
   */
  readonly baseRoleArn?: string;
  /**
   * The External ID AssumeRole must pass.
   * @default - none; required for managed deployments
   */
  readonly externalId?: string;
  /**
   * self-hosted: how the dataplane pods obtain the base role.
   * @default - none; required for self-hosted deployments
   */
  readonly identity?: IdentityConfig;
  /**
   * self-hosted: other accounts whose target role (named `roleName`) the base role may assume.
   * @default - none
   */
  readonly targetAccounts?: string[];
  /**
   * The target role's name. IAM role names are unique in an account: two deployments in one account need a
   * `roleName` each (synth refuses two stacks of one app that name the same role in the same known account).
   * @default 'qualytics-athena-access'
   */
  readonly roleName?: string;
  /**
   * The Athena workgroups the connection may use.
   * @default ['primary']
   */
  readonly workGroups?: string[];
  /**
   * The query results bucket's name.
   * @default - none; required unless managedQueryResults is true
   */
  readonly resultsBucket?: string;
  /**
   * The query results folder in that bucket.
   * @default - the whole bucket
   */
  readonly resultsPrefix?: string;
  /**
   * Whether the workgroups use Athena's managed query results (no results bucket).
   * @default false
   */
  readonly managedQueryResults?: boolean;
  /**
   * With managedQueryResults: the customer managed KMS key that encrypts the results, as a key ARN.
   * @default - an AWS owned key
   */
  readonly managedQueryResultsKmsKeyArn?: string;
  /**
   * The Glue databases the connection may read.
   * @default - every database
   */
  readonly glueDatabases?: string[];
  /**
   * Glue catalogs beyond the default one whose databases can be read.
   * @default - none
   */
  readonly catalogs?: CatalogConfig[];
  /**
   * The S3 locations of the tables' data.
   * @default - none
   */
  readonly dataLocations?: DataLocationConfig[];
  /**
   * KMS keys of encrypted data or results, as key ARNs.
   * @default - none
   */
  readonly kmsKeyArns?: string[];
  /**
   * Whether Lake Formation governs the tables: the same as `accessMode: 'iam-and-lake-formation'`.
   * @default - as accessMode says
   * @deprecated use accessMode: 'iam-and-lake-formation'
   */
  readonly lakeFormation?: boolean;
  /**
   * `iam`, `iam-and-lake-formation` or `lake-formation` (see `AccessMode`).
   * @default 'iam'
   */
  readonly accessMode?: string;
  /**
   * lake-formation: LF-Tag expressions (LF-Tag key to its accepted values) whose databases and tables are granted.
   * @default - none
   */
  readonly lakeFormationTagExpressions?: Array<{ [key: string]: string[] }>;
  /**
   * lake-formation: whether the stack creates the Lake Formation grants.
   * @default true
   */
  readonly createLakeFormationGrants?: boolean;
  /**
   * lake-formation: nested stacks to spread the grants over.
   * @default 0
   */
  readonly lakeFormationNestedStacks?: number;
  /**
   * lake-formation: whether the grants include DESCRIBE on the `default` database (Athena needs it).
   * @default true
   */
  readonly lakeFormationDefaultDatabaseDescribe?: boolean;
}

/**
 * The JSON Schema of deployment configs. It ships in the package at `schema/athena-access.schema.json`
 * (`node_modules/qualytics-athena-iam/schema/...` in an app), where a config's `"$schema"` can point; this file
 * is `build/config/` or `lib/config/`, two levels below the package root either way.
 */
const SCHEMA_FILE = path.join(__dirname, '..', '..', 'schema', 'athena-access.schema.json');

const validate = new Ajv({ allErrors: true, verbose: true, strict: false })
  .compile<DeploymentConfig>(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));

/**
 * Checks `value` against the JSON Schema and returns it as a deployment config, or throws one error that
 * lists every problem with its JSON path. `source` names where the config came from.
 */
export function parseDeploymentConfig(value: unknown, source: string = 'config'): DeploymentConfig {
  if (validate(value)) return value;
  const problems = [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'if').map(describe))];
  throw new Error(`Invalid Athena access config ${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
    problems.map((p) => `  - ${p}`).join('\n'));
}

/** Reads and checks a deployment config file (JSON). */
export function loadDeploymentConfig(file: string): DeploymentConfig {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the Athena access config ${file}: ${(error as Error).message}`);
  }
  return parseDeploymentConfig(value, file);
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '/';
  switch (error.keyword) {
    case 'required': return `${where}: missing required property "${error.params.missingProperty}"`;
    case 'additionalProperties': return `${where}: unknown property "${error.params.additionalProperty}"`;
    case 'enum': return `${where}: ${JSON.stringify(error.data)} is not one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern': {
      const location = error.schemaPath.includes('/definitions/bucket/') ? bucketLocationProblem(String(error.data)) : undefined;
      return `${where}: ${JSON.stringify(error.data)}${location ? `: ${location}` : ` does not match ${error.params.pattern}`}`;
    }
    case 'not': return `${where}: ${(error.parentSchema as { $comment?: string }).$comment ?? 'is not allowed here'}`;
    default: return `${where}: ${error.message}`;
  }
}
