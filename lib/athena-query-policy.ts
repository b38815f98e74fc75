import { CfnCondition, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { athenaQueryStatements, AthenaQueryScope } from './policy/athena-query-statements';
import { maxDatabasesThatFit, planPolicies, PolicyShape } from './policy/capacity';
import { withDeployTimeConditions } from './policy/deploy-time-list';
import { guardrailStatements } from './policy/guardrails';
import { documentJson, packStatements } from './policy/packing';
import { DEFAULT_RESULTS_PREFIX, s3Url, validateResultsOutsideData } from './policy/s3-locations';
import { IAM_LIMITS, PolicySizer } from './policy/size';
import { StatementSpec, toPolicyStatement } from './policy/statement-spec';
import { acknowledgeWildcardResources } from './policy/wildcard-acknowledgments';
import { describeStatements, StatementDescription } from './report/statement-description';
import {
  invalid, normalizePrefix, normalizePrefixPattern, validateBucketNamePattern, validateCatalogName,
  validateDatabaseNamePattern, validateKmsKeyArn, validateList, validateQueryResultsChoice, validateWorkGroupName,
} from './validation';

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
   * The folder in the results bucket that holds query results, such as `athena-results`. The role reads,
   * writes and lists only there. It must neither lie inside a data location nor contain one (query results
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
   * With `managedQueryResults: true` and `resultsBucketName`: a CloudFormation condition that decides at deploy
   * time whether the workgroup's results are managed, for templates whose parameters choose the mode. Where it
   * holds, the managed-results statements are kept; where it does not, the S3 results statements for
   * `resultsBucketName` and `resultsPrefix`. A `managedQueryResultsKmsKeyArn` is granted whenever given.
   *
   * @default - decided at synth by managedQueryResults
   */
  readonly managedQueryResultsCondition?: CfnCondition;
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

/** The shape of a configuration whose capacity {@link AthenaQueryPolicy.capacity} finds. */
export interface PolicyCapacityOptions {
  /**
   * Number of workgroups.
   *
   * @default 1
   */
  readonly workGroups?: number;
  /**
   * Number of data locations (each in its own bucket).
   *
   * @default 0
   */
  readonly dataLocations?: number;
  /**
   * Number of KMS keys.
   *
   * @default 0
   */
  readonly kmsKeys?: number;
  /**
   * Whether Lake Formation is used.
   *
   * @default false
   */
  readonly lakeFormation?: boolean;
  /**
   * Whether Athena manages the query results (no results bucket); counted with a customer managed key for
   * them, an upper bound.
   *
   * @default false
   */
  readonly managedQueryResults?: boolean;
  /**
   * Whether the guardrail denies are included (as they are for an AthenaTargetRole by default).
   *
   * @default true
   */
  readonly guardrails?: boolean;
  /**
   * Length of each Glue database name.
   *
   * @default 32
   */
  readonly databaseNameLength?: number;
  /**
   * Length of each bucket name (results and data).
   *
   * @default 63
   */
  readonly bucketNameLength?: number;
  /**
   * Length of each prefix (results and data); 0 for none.
   *
   * @default 32
   */
  readonly prefixLength?: number;
  /**
   * Length of each workgroup name.
   *
   * @default 32
   */
  readonly workGroupNameLength?: number;
  /**
   * How many managed policies the role may have: 10 with IAM's default quota, up to 20 with a raised one.
   *
   * @default 10
   */
  readonly maxManagedPolicies?: number;
}

/** The largest configuration of a shape that fits IAM's limits. */
export interface PolicyCapacity {
  /** The most Glue databases that fit (0 when not even one does). */
  readonly maxGlueDatabases: number;
  /** The managed policy quota assumed. */
  readonly maxManagedPolicies: number;
  /** Managed policies the largest fitting configuration needs. */
  readonly policiesAtMax: number;
  /** Characters of the largest of those policies, as IAM counts them (limit: 6,144). */
  readonly largestPolicyLengthAtMax: number;
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
  /**
   * The largest number of Glue databases a configuration of the given shape can name and still fit IAM's
   * limits: managed policies of 6,144 characters, at most `maxManagedPolicies` of them. Names take the given
   * lengths and ARNs their longest partition and Region, so the answer holds wherever the policy is deployed.
   */
  public static capacity(options: PolicyCapacityOptions = {}): PolicyCapacity {
    const maxManagedPolicies = options.maxManagedPolicies ?? IAM_LIMITS.managedPoliciesPerIdentity;
    validateMaxManagedPolicies('maxManagedPolicies', maxManagedPolicies);
    const count = (property: keyof PolicyCapacityOptions, fallback: number, min: number, max: number): number => {
      const value = (options[property] as number | undefined) ?? fallback;
      if (!(Number.isInteger(value) && value >= min && value <= max)) invalid(property, value, `Give a whole number from ${min} to ${max}.`);
      return value;
    };
    const shape: PolicyShape = {
      workGroups: count('workGroups', 1, 1, 10000),
      dataLocations: count('dataLocations', 0, 0, 10000),
      kmsKeys: count('kmsKeys', 0, 0, 10000),
      lakeFormation: options.lakeFormation ?? false,
      managedQueryResults: options.managedQueryResults ?? false,
      guardrails: options.guardrails ?? true,
      databaseNameLength: count('databaseNameLength', 32, 1, 255),
      bucketNameLength: count('bucketNameLength', 63, 3, 63),
      prefixLength: count('prefixLength', 32, 0, 1000),
      workGroupNameLength: count('workGroupNameLength', 32, 1, 128),
    };
    const maxGlueDatabases = maxDatabasesThatFit(shape, maxManagedPolicies);
    const plan = planPolicies(shape, Math.max(1, maxGlueDatabases));
    return { maxGlueDatabases, maxManagedPolicies, policiesAtMax: plan.policies, largestPolicyLengthAtMax: plan.largestPolicyLength };
  }

  /** The managed policies that together hold the permissions, in order. */
  public readonly managedPolicies: iam.ManagedPolicy[];
  /** The workgroups queries may run in; the first is the connection's. */
  public readonly workGroupNames: string[];
  /**
   * The query-results location, `s3://<bucket>/<prefix>/`, to configure as the connection's output location;
   * undefined with managed query results, where clients must send no output location.
   */
  public readonly outputLocation?: string;
  /** Estimated size of each managed policy in characters, as IAM counts them (upper bounds for tokens). */
  public readonly policySizes: number[];

  /** @internal the statements with their purposes, for reports */
  public readonly _statements: StatementSpec[];
  /** @internal where query results go, for reports */
  public readonly _queryResults: QueryResultsScope;

  constructor(scope: Construct, id: string, props: AthenaQueryPolicyProps) {
    // Everything is validated and measured before anything is added to the construct tree.
    const queryScope = normalizeQueryProps(props);
    const stack = Stack.of(scope);
    const sizer = new PolicySizer(stack);
    const env = { partition: stack.partition, region: stack.region, account: stack.account, urlSuffix: stack.urlSuffix };
    const statements = [
      ...athenaQueryStatements(queryScope, env),
      ...(props.guardrails ? guardrailStatements(queryScope, env) : []),
    ].map(withDeployTimeConditions);
    const documents = packStatements(statements, sizer, IAM_LIMITS.managedPolicy);
    const policySizes = documents.map((d) => sizer.jsonLength(documentJson(d)));
    const maxPolicies = props.maxManagedPolicies ?? IAM_LIMITS.managedPoliciesPerIdentity;
    if (documents.length > maxPolicies) {
      const total = policySizes.reduce((a, b) => a + b, 0);
      throw new Error(
        `${scope.node.path}/${id}: the Athena permissions need ${documents.length} managed policies (about ${total} characters) ` +
        `but maxManagedPolicies is ${maxPolicies}; IAM allows ${IAM_LIMITS.managedPolicy} characters per managed policy ` +
        `and ${IAM_LIMITS.managedPoliciesPerIdentity} managed policies per role by default (${IAM_LIMITS.managedPoliciesPerIdentityMax} ` +
        `with a raised quota). With ${queryScope.workGroupNames.length} workgroups and ${queryScope.dataLocations.length} data locations ` +
        `of these name lengths, at most ${maxDatabasesThatFit(shapeOf(queryScope, props.guardrails ?? false, sizer), maxPolicies)} ` +
        'Glue databases fit. Give fewer glueDatabaseNames (or a pattern such as "sales_*"), dataLocations or workGroupNames, ' +
        'or raise maxManagedPolicies.',
      );
    }
    super(scope, id);

    this._statements = statements;
    this._queryResults = {
      resultsBucketName: queryScope.resultsBucketName,
      resultsPrefix: queryScope.resultsPrefix,
      managedQueryResultsKmsKeyArn: queryScope.managedQueryResultsKmsKeyArn,
      managedQueryResultsCondition: queryScope.managedQueryResultsCondition,
    };
    this.policySizes = policySizes;
    this.workGroupNames = queryScope.workGroupNames;
    this.outputLocation = queryScope.resultsBucketName === undefined ? undefined
      : s3Url({ bucketName: queryScope.resultsBucketName, prefix: queryScope.resultsPrefix });
    this.managedPolicies = documents.map((document, index) => new iam.ManagedPolicy(this, `Part${index + 1}`, {
      description: `Qualytics dataplane: least-privilege Athena, Glue and S3 access for the Athena JDBC driver (part ${index + 1})`,
      document: new iam.PolicyDocument({ statements: document.map(toPolicyStatement), minimize: false }),
    }));
    this.managedPolicies.forEach((policy, index) => {
      // Packing measured each part; measure again only when statements were added since.
      policy.node.addValidation({
        validate: () => (policy.document.statementCount === documents[index].length ? [] : sizer.managedPolicyProblems(policy.document)),
      });
      acknowledgeWildcardResources(policy, documents[index]);
    });
  }

  /** Every statement of the policy, in order, with the reason it exists (for reviews and access reports). */
  public describeStatements(): StatementDescription[] {
    return describeStatements(this._statements);
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

/** The shape of a validated configuration, with the longest of each kind of name. */
function shapeOf(scope: AthenaQueryScope, guardrails: boolean, sizer: PolicySizer): PolicyShape {
  const longest = (values: Array<string | undefined>) => Math.max(0, ...values.map((v) => (v === undefined ? 0 : sizer.stringLength(v))));
  return {
    workGroups: scope.workGroupNames.length,
    dataLocations: scope.dataLocations.length,
    kmsKeys: scope.kmsKeyArns.length,
    lakeFormation: scope.lakeFormation,
    managedQueryResults: scope.resultsBucketName === undefined,
    guardrails,
    databaseNameLength: Math.max(1, longest(scope.glueDatabaseNames ?? [])),
    bucketNameLength: Math.max(3, longest([scope.resultsBucketName, ...scope.dataLocations.map((l) => l.bucketName)])),
    prefixLength: longest([scope.resultsPrefix, ...scope.dataLocations.map((l) => l.prefix)]),
    workGroupNameLength: longest(scope.workGroupNames),
  };
}

function validateMaxManagedPolicies(property: string, value: number): void {
  if (Number.isInteger(value) && value >= 1 && value <= IAM_LIMITS.managedPoliciesPerIdentityMax) return;
  invalid(property, value, `Give a whole number from 1 to ${IAM_LIMITS.managedPoliciesPerIdentityMax} (IAM's highest quota of managed policies per identity).`);
}

function normalizeQueryProps(props: AthenaQueryPolicyProps): AthenaQueryScope {
  const workGroupNames = props.workGroupNames ?? ['primary'];
  validateList('workGroupNames', workGroupNames, validateWorkGroupName);
  const catalogName = props.catalogName ?? 'AwsDataCatalog';
  validateCatalogName('catalogName', catalogName);
  if (props.glueDatabaseNames) validateList('glueDatabaseNames', props.glueDatabaseNames, validateDatabaseNamePattern);
  const results = normalizeQueryResults(props);
  const dataLocations = (props.dataLocations ?? []).map((location, index) => {
    validateBucketNamePattern(`dataLocations[${index}].bucketName`, location.bucketName);
    return {
      bucketName: location.bucketName,
      prefix: location.prefix === undefined ? undefined : normalizePrefixPattern(`dataLocations[${index}].prefix`, location.prefix),
    };
  });
  if (props.lakeFormationCondition !== undefined && !props.lakeFormation) {
    invalid('lakeFormationCondition', props.lakeFormationCondition.node.path, 'A Lake Formation condition only applies with lakeFormation: true.');
  }
  const kmsKeyArns = props.kmsKeyArns ?? [];
  validateList('kmsKeyArns', kmsKeyArns, validateKmsKeyArn, { min: 0 });
  if (props.maxManagedPolicies !== undefined) validateMaxManagedPolicies('maxManagedPolicies', props.maxManagedPolicies);
  if (results.resultsBucketName !== undefined) {
    validateResultsOutsideData({ bucketName: results.resultsBucketName, prefix: results.resultsPrefix }, dataLocations);
  }
  return {
    workGroupNames,
    catalogName,
    glueDatabaseNames: props.glueDatabaseNames,
    ...results,
    dataLocations,
    kmsKeyArns,
    lakeFormation: props.lakeFormation ?? false,
    lakeFormationCondition: props.lakeFormationCondition?.logicalId,
  };
}

/** Where query results go (the query results part of the scope). */
type QueryResultsScope = Pick<AthenaQueryScope, 'resultsBucketName' | 'resultsPrefix' | 'managedQueryResultsKmsKeyArn' | 'managedQueryResultsCondition'>;

/**
 * Where query results go: an S3 bucket (and folder), or Athena's managed query results (with or without a
 * customer managed key), or, with a deploy-time condition, either. Exactly one of `resultsBucketName` and
 * `managedQueryResults: true` unless a condition decides between them.
 */
function normalizeQueryResults(props: AthenaQueryPolicyProps): QueryResultsScope {
  const bucket = props.resultsBucketName;
  const condition = props.managedQueryResultsCondition;
  if (condition !== undefined && !(props.managedQueryResults && bucket !== undefined)) {
    invalid('managedQueryResultsCondition', condition.node.path, 'A condition choosing the query results at deploy time needs both '
      + 'managedQueryResults: true and resultsBucketName (the bucket used where the condition does not hold).');
  }
  validateQueryResultsChoice(props, condition !== undefined);
  const resultsPrefix = bucket === undefined || props.resultsPrefix === '' ? undefined
    : normalizePrefix('resultsPrefix', props.resultsPrefix ?? DEFAULT_RESULTS_PREFIX);
  return {
    resultsBucketName: bucket,
    resultsPrefix,
    managedQueryResultsKmsKeyArn: props.managedQueryResultsKmsKeyArn,
    managedQueryResultsCondition: condition?.logicalId,
  };
}
