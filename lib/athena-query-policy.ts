import { CfnCondition, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { athenaQueryStatements, AthenaQueryScope } from './policy/athena-query-statements';
import { withDeployTimeConditions } from './policy/deploy-time-list';
import { documentJson, packStatements } from './policy/packing';
import { IAM_LIMITS, PolicySizer } from './policy/size';
import { StatementSpec, toPolicyStatement } from './policy/statement-spec';
import { acknowledgeWildcardResources } from './policy/wildcard-acknowledgments';
import {
  invalid, normalizePrefix, validateBucketName, validateCatalogName, validateDatabaseName, validateKmsKeyArn,
  validateList, validateWorkGroupName,
} from './validation';

/** An S3 location holding table data that queries read. */
export interface DataLocation {
  /** The bucket. */
  readonly bucketName: string;
  /**
   * A folder in the bucket, such as `warehouse/sales`; only objects under it can be read.
   *
   * @default - the whole bucket
   */
  readonly prefix?: string;
}

/** What the Athena JDBC driver v3 may reach. */
export interface AthenaQueryPolicyProps {
  /**
   * Athena workgroups queries may run in. The first one is the workgroup of the connection.
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
   * Glue databases (and all their tables) that can be read. Names are lower case, as Glue stores them.
   *
   * @default - every database in the account's Glue Data Catalog
   */
  readonly glueDatabaseNames?: string[];
  /** The bucket Athena writes query results to (same Region as the workgroup). */
  readonly resultsBucketName: string;
  /**
   * The folder in the results bucket that holds query results, such as `athena-results`.
   *
   * @default - the whole bucket
   */
  readonly resultsPrefix?: string;
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
   * Whether tables are governed by Lake Formation (adds `lakeformation:GetDataAccess`; the Lake Formation
   * grants themselves are made separately).
   *
   * @default false
   */
  readonly lakeFormation?: boolean;
  /**
   * With `lakeFormation: true`: a CloudFormation condition that decides at deploy time whether the Lake
   * Formation statement is kept, for templates whose parameters turn Lake Formation on or off.
   *
   * @default - the statement is kept whenever lakeFormation is true
   */
  readonly lakeFormationCondition?: CfnCondition;
  /**
   * How many managed policies the permissions may be split into. IAM attaches at most 10 managed policies
   * to a role, user or group by default; with a raised quota, up to 20. Synth fails when the permissions need
   * more.
   *
   * @default 10
   */
  readonly maxManagedPolicies?: number;
}

/**
 * The least-privilege permissions the Athena JDBC driver v3 needs to run queries, browse metadata and
 * fetch results, as customer managed policies that can be attached to a role, a user or a group.
 *
 * The statements are packed, in a fixed order, into as few managed policies of at most 6,144 characters
 * (IAM's limit) as they fit, with stable construct ids `Part1`, `Part2`, ... Synth fails with an error that
 * names the limit when they need more than `maxManagedPolicies`.
 */
export class AthenaQueryPolicy extends Construct {
  /** The managed policies that together hold the permissions, in order. */
  public readonly managedPolicies: iam.ManagedPolicy[];
  /** The workgroups queries may run in; the first is the connection's. */
  public readonly workGroupNames: string[];
  /** The query-results location, `s3://<bucket>/<prefix>/`, to configure as the connection's output location. */
  public readonly outputLocation: string;
  /** Estimated size of each managed policy in characters, as IAM counts them (upper bounds for tokens). */
  public readonly policySizes: number[];

  /** @internal the statements with their purposes, for reports */
  public readonly _statements: StatementSpec[];

  constructor(scope: Construct, id: string, props: AthenaQueryPolicyProps) {
    // Everything is validated and measured before anything is added to the construct tree.
    const queryScope = normalizeQueryProps(props);
    const stack = Stack.of(scope);
    const sizer = new PolicySizer(stack);
    const statements = athenaQueryStatements(queryScope, {
      partition: stack.partition,
      region: stack.region,
      account: stack.account,
      urlSuffix: stack.urlSuffix,
    }).map(withDeployTimeConditions);
    const documents = packStatements(statements, sizer, IAM_LIMITS.managedPolicy);
    const policySizes = documents.map((d) => sizer.jsonLength(documentJson(d)));
    const maxPolicies = props.maxManagedPolicies ?? IAM_LIMITS.managedPoliciesPerIdentity;
    if (documents.length > maxPolicies) {
      const total = policySizes.reduce((a, b) => a + b, 0);
      throw new Error(
        `${scope.node.path}/${id}: the Athena permissions need ${documents.length} managed policies (about ${total} characters) ` +
        `but maxManagedPolicies is ${maxPolicies}; IAM allows ${IAM_LIMITS.managedPolicy} characters per managed policy ` +
        `and ${IAM_LIMITS.managedPoliciesPerIdentity} managed policies per role by default (${IAM_LIMITS.managedPoliciesPerIdentityMax} ` +
        'with a raised quota). Give fewer glueDatabaseNames, dataLocations or workGroupNames, or raise maxManagedPolicies.',
      );
    }
    super(scope, id);

    this._statements = statements;
    this.policySizes = policySizes;
    this.workGroupNames = queryScope.workGroupNames;
    this.outputLocation = `s3://${queryScope.resultsBucketName}/${queryScope.resultsPrefix ? `${queryScope.resultsPrefix}/` : ''}`;
    this.managedPolicies = documents.map((document, index) => new iam.ManagedPolicy(this, `Part${index + 1}`, {
      description: `Qualytics dataplane: least-privilege Athena, Glue and S3 access for the Athena JDBC driver (part ${index + 1})`,
      document: new iam.PolicyDocument({ statements: document.map(toPolicyStatement), minimize: false }),
    }));
    this.managedPolicies.forEach((policy, index) => {
      policy.node.addValidation({ validate: () => checkPolicySize(policy, sizer) });
      acknowledgeWildcardResources(policy, documents[index]);
    });
  }

  /** Attaches every part of the policy to a role. */
  public attachToRole(role: iam.IRole): void {
    this.managedPolicies.forEach((p) => role.addManagedPolicy(p));
  }

  /** Attaches every part of the policy to a user. */
  public attachToUser(user: iam.IUser): void {
    this.managedPolicies.forEach((p) => user.addManagedPolicy(p));
  }

  /** Attaches every part of the policy to a group. */
  public attachToGroup(group: iam.IGroup): void {
    this.managedPolicies.forEach((p) => group.addManagedPolicy(p));
  }
}

/**
 * Measures a managed policy as it will be deployed, including statements added after construction. The
 * document is measured before it is resolved: the sizer counts each token at its longest deployed value,
 * where the resolved document would count the CloudFormation functions that compute it.
 */
function checkPolicySize(policy: iam.ManagedPolicy, sizer: PolicySizer): string[] {
  const size = sizer.jsonLength(policy.document.toJSON());
  return size > IAM_LIMITS.managedPolicy
    ? [`managed policy is ${size} characters, over IAM's limit of ${IAM_LIMITS.managedPolicy} by ${size - IAM_LIMITS.managedPolicy}`]
    : [];
}

function normalizeQueryProps(props: AthenaQueryPolicyProps): AthenaQueryScope {
  const workGroupNames = props.workGroupNames ?? ['primary'];
  validateList('workGroupNames', workGroupNames, validateWorkGroupName);
  const catalogName = props.catalogName ?? 'AwsDataCatalog';
  validateCatalogName('catalogName', catalogName);
  if (props.glueDatabaseNames) validateList('glueDatabaseNames', props.glueDatabaseNames, validateDatabaseName);
  validateBucketName('resultsBucketName', props.resultsBucketName);
  const dataLocations = (props.dataLocations ?? []).map((location, index) => {
    validateBucketName(`dataLocations[${index}].bucketName`, location.bucketName);
    return {
      bucketName: location.bucketName,
      prefix: location.prefix === undefined ? undefined : normalizePrefix(`dataLocations[${index}].prefix`, location.prefix),
    };
  });
  if (props.lakeFormationCondition !== undefined && !props.lakeFormation) {
    invalid('lakeFormationCondition', props.lakeFormationCondition.node.path, 'A Lake Formation condition only applies with lakeFormation: true.');
  }
  const kmsKeyArns = props.kmsKeyArns ?? [];
  validateList('kmsKeyArns', kmsKeyArns, validateKmsKeyArn, { min: 0 });
  const maxPolicies = props.maxManagedPolicies;
  if (maxPolicies !== undefined && !(Number.isInteger(maxPolicies) && maxPolicies >= 1 && maxPolicies <= IAM_LIMITS.managedPoliciesPerIdentityMax)) {
    invalid('maxManagedPolicies', maxPolicies, `Give a whole number from 1 to ${IAM_LIMITS.managedPoliciesPerIdentityMax} (IAM's highest quota of managed policies per identity).`);
  }
  return {
    workGroupNames,
    catalogName,
    glueDatabaseNames: props.glueDatabaseNames,
    resultsBucketName: props.resultsBucketName,
    resultsPrefix: props.resultsPrefix === undefined ? undefined : normalizePrefix('resultsPrefix', props.resultsPrefix),
    dataLocations,
    kmsKeyArns,
    lakeFormation: props.lakeFormation ?? false,
    lakeFormationCondition: props.lakeFormationCondition?.logicalId,
  };
}
