import { CfnCondition, Fn, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { AccessMode } from './access-mode';
import { LakeFormationGrants, LakeFormationTagExpression } from './lake-formation-grants';
import { athenaQueryStatements, AthenaQueryScope } from './policy/athena-query-statements';
import { maxDatabasesThatFit, physicalMaxDatabases, planPolicies, PolicyShape } from './policy/capacity';
import { CatalogScope, tableBucketOf } from './policy/catalog-statements';
import { withDeployTimeConditions } from './policy/deploy-time-list';
import { guardrailStatements } from './policy/guardrails';
import { DefinedIdentity, definedIdentityKind, IdentityKind, INLINE_POLICY_LIMITS, inlinePolicyProblems } from './policy/inline-policies';
import { GrantTargets, planLakeFormationGrants, validateNestedStacksDeployable } from './policy/lake-formation-grants';
import { documentJson, packStatements } from './policy/packing';
import { DEFAULT_RESULTS_PREFIX, globRemainders, s3Url, validateResultsOutsideData } from './policy/s3-locations';
import { IAM_LIMITS, PolicySizer } from './policy/size';
import { StatementSpec, toPolicyStatement } from './policy/statement-spec';
import { acknowledgeWildcardResources } from './policy/wildcard-acknowledgments';
import { describeStatements, StatementDescription } from './report/statement-description';
import {
  invalid, normalizePrefix, normalizePrefixPattern, resolveAccessMode, validateBucketNamePattern, validateCatalogName,
  validateDatabaseNamePattern, validateGlueCatalogPath, validateKmsKeyArn, validateList, validateNamespacePattern,
  validateQueryResultsChoice, validateWorkGroupName,
} from './validation';
import { warnOfPrimaryWorkGroup } from './warnings';

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

/** What the Athena JDBC driver v3 may reach. */
export interface AthenaQueryPolicyProps {
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
   * Whether tables are governed by Lake Formation, with IAM still naming databases and data locations: the same
   * as `accessMode: AccessMode.IAM_AND_LAKE_FORMATION` (also when given with `accessMode: AccessMode.IAM`).
   * `false` is refused with an access mode that uses Lake Formation.
   *
   * @default - as accessMode says
   * @deprecated use accessMode: AccessMode.IAM_AND_LAKE_FORMATION
   */
  readonly lakeFormation?: boolean;
  /**
   * With `accessMode: AccessMode.IAM_AND_LAKE_FORMATION`: a CloudFormation condition that decides at deploy time
   * whether the Lake Formation statement is kept, for templates whose parameters turn Lake Formation on or off.
   *
   * @default - the statement is always kept
   */
  readonly lakeFormationCondition?: CfnCondition;
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
   * Lake Formation grants for its role or user (see {@link LakeFormationGrants}); false when they are managed
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
   * Whether Lake Formation is used (in accessMode IAM): the same as `accessMode: AccessMode.IAM_AND_LAKE_FORMATION`.
   *
   * @default - as accessMode says
   * @deprecated use accessMode: AccessMode.IAM_AND_LAKE_FORMATION
   */
  readonly lakeFormation?: boolean;
  /**
   * Who decides what may be read. With LAKE_FORMATION the policy does not grow with the databases, and
   * CloudFormation's limits on the grants bound them instead; IAM_AND_LAKE_FORMATION counts the Lake Formation
   * statement.
   *
   * @default AccessMode.IAM
   */
  readonly accessMode?: AccessMode;
  /**
   * Characters of the inline policy that takes what the managed policies cannot (0 for none), as
   * `AthenaQueryPolicyProps.maxInlinePolicyLength`.
   *
   * @default 10240 (a role's inline budget, as an AthenaTargetRole uses it)
   */
  readonly maxInlinePolicyLength?: number;
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
  /**
   * What bounds `maxGlueDatabases`: `IAM` (the policies' size) or `CloudFormation` (in Lake Formation mode, the
   * grants: two per database, 500 resources per stack, at most 400 nested stacks).
   */
  readonly limitedBy: string;
  /** The managed policy quota assumed. */
  readonly maxManagedPolicies: number;
  /** Managed policies the largest fitting configuration needs. */
  readonly policiesAtMax: number;
  /** Characters of the largest of those policies, as IAM counts them (limit: 6,144). */
  readonly largestPolicyLengthAtMax: number;
  /** Characters of the inline policy the largest fitting configuration needs (0 when it needs none). */
  readonly inlinePolicyLengthAtMax: number;
  /**
   * In accessMode IAM, the most databases that any packing could fit: the characters IAM allows (the managed
   * policies and the inline budget) less what the configuration needs without databases, divided by what each
   * database adds; it ignores that every policy repeats its header and split statements repeat theirs, so no
   * packing reaches it. `maxGlueDatabases` divided by this is how close the packing comes. In Lake Formation
   * mode, the same as `maxGlueDatabases`.
   */
  readonly physicalMaxGlueDatabases: number;
}

/**
 * The least-privilege permissions the Athena JDBC driver v3 needs to run queries, browse metadata and
 * fetch results, as customer managed policies that can be attached to a role, a user or a group.
 *
 * The statements are packed, in a fixed order, into as few managed policies of at most 6,144 characters
 * (IAM's limit) as they fit, with stable construct ids `Part1`, `Part2`, ..., and what the last of
 * `maxManagedPolicies` has no room for into one inline policy of at most `maxInlinePolicyLength` (`Overflow`).
 * Synth fails with an error that names the limits when even that is not enough. In Lake Formation mode,
 * `grantLakeFormationAccess()` creates the Lake Formation grants for a role or user.
 */
export class AthenaQueryPolicy extends Construct {
  /**
   * The largest number of Glue databases a configuration of the given shape can name and still fit IAM's
   * limits: at most `maxManagedPolicies` managed policies of 6,144 characters and an inline policy of
   * `maxInlinePolicyLength`; in Lake Formation mode, CloudFormation's limits on the grants instead. Names take
   * the given lengths and ARNs their longest partition and Region, so the answer holds wherever the policy is
   * deployed.
   */
  public static capacity(options: PolicyCapacityOptions = {}): PolicyCapacity {
    const maxManagedPolicies = options.maxManagedPolicies ?? IAM_LIMITS.managedPoliciesPerIdentity;
    validateMaxManagedPolicies('maxManagedPolicies', maxManagedPolicies);
    const count = (property: keyof PolicyCapacityOptions, fallback: number, min: number, max: number): number => {
      const value = (options[property] as number | undefined) ?? fallback;
      if (!(Number.isInteger(value) && value >= min && value <= max)) invalid(property, value, `Give a whole number from ${min} to ${max}.`);
      return value;
    };
    const maxInlinePolicyLength = count('maxInlinePolicyLength', IAM_LIMITS.roleInlinePolicies, 0, IAM_LIMITS.roleInlinePolicies);
    const accessMode = resolveAccessMode(options.accessMode, options.lakeFormation);
    const shape: PolicyShape = {
      workGroups: count('workGroups', 1, 1, 10000),
      dataLocations: count('dataLocations', 0, 0, 10000),
      kmsKeys: count('kmsKeys', 0, 0, 10000),
      accessMode,
      lakeFormation: accessMode !== AccessMode.IAM,
      managedQueryResults: options.managedQueryResults ?? false,
      guardrails: options.guardrails ?? true,
      maxInlinePolicyLength,
      databaseNameLength: count('databaseNameLength', 32, 1, 255),
      bucketNameLength: count('bucketNameLength', 63, 3, 63),
      prefixLength: count('prefixLength', 32, 0, 1000),
      workGroupNameLength: count('workGroupNameLength', 32, 1, 128),
    };
    if (accessMode === AccessMode.LAKE_FORMATION && shape.dataLocations > 0) {
      invalid('dataLocations', options.dataLocations, 'With accessMode LAKE_FORMATION no S3 data location is granted: give 0 (or use accessMode IAM or IAM_AND_LAKE_FORMATION).');
    }
    const maxGlueDatabases = maxDatabasesThatFit(shape, maxManagedPolicies);
    const lakeFormationDecides = accessMode === AccessMode.LAKE_FORMATION;
    const plan = planPolicies(shape, lakeFormationDecides ? 1 : Math.max(1, maxGlueDatabases), maxManagedPolicies);
    return {
      maxGlueDatabases,
      limitedBy: lakeFormationDecides ? 'CloudFormation' : 'IAM',
      maxManagedPolicies,
      policiesAtMax: plan.managedPolicies,
      largestPolicyLengthAtMax: plan.largestPolicyLength,
      inlinePolicyLengthAtMax: plan.inlinePolicyLength,
      physicalMaxGlueDatabases: lakeFormationDecides ? maxGlueDatabases : physicalMaxDatabases(shape, maxManagedPolicies),
    };
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
  /**
   * The inline policy that holds the statements the managed policies had no room for (only with
   * `maxInlinePolicyLength` above 0, and only when they overflow). The `attachTo*` methods attach it too.
   */
  public readonly inlinePolicy?: iam.Policy;
  /** Who decides what the queries may read. */
  public readonly accessMode: AccessMode;
  /**
   * Whether the role or user this policy is made for should get Lake Formation grants from it
   * (`accessMode` LAKE_FORMATION and `createLakeFormationGrants` not false).
   */
  public readonly createsLakeFormationGrants: boolean;

  /** What Lake Formation grants are made for. */
  private readonly grantTargets: GrantTargets;
  /** How many principals got grants from this policy, for the grants' construct ids. */
  private grantedPrincipals = 0;

  /** @internal the statements with their purposes, for reports */
  public readonly _statements: StatementSpec[];
  /** @internal the Glue catalogs beyond the default one, for reports */
  public readonly _catalogs: CatalogScope[];
  /** @internal where query results go, for reports */
  public readonly _queryResults: QueryResultsScope;

  constructor(scope: Construct, id: string, props: AthenaQueryPolicyProps) {
    // Everything is validated and measured before anything is added to the construct tree.
    const queryScope = normalizeQueryProps(props);
    const grantTargets = {
      databaseNames: props.glueDatabaseNames,
      tagExpressions: props.lakeFormationTagExpressions,
      nestedStacks: props.lakeFormationNestedStacks,
      defaultDatabaseDescribe: props.lakeFormationDefaultDatabaseDescribe,
    };
    const createsLakeFormationGrants = queryScope.accessMode === AccessMode.LAKE_FORMATION && props.createLakeFormationGrants !== false;
    if (createsLakeFormationGrants) {
      planLakeFormationGrants(grantTargets, GRANT_PROPERTY_NAMES);
      validateNestedStacksDeployable(scope, GRANT_PROPERTY_NAMES.nestedStacks, grantTargets.nestedStacks ?? 0);
    }
    const stack = Stack.of(scope);
    const sizer = new PolicySizer(stack);
    const env = { partition: stack.partition, region: stack.region, account: stack.account, urlSuffix: stack.urlSuffix };
    const statements = [
      ...athenaQueryStatements(queryScope, env),
      ...(props.guardrails ? guardrailStatements(queryScope, env) : []),
    ].map(withDeployTimeConditions);
    const maxPolicies = props.maxManagedPolicies ?? IAM_LIMITS.managedPoliciesPerIdentity;
    const maxInline = props.maxInlinePolicyLength ?? 0;
    // Statements that exist only under a CloudFormation condition go to managed policies of their own, each with
    // that condition on the resource: a statement list never holds `Fn::If` with `AWS::NoValue`, which emulators
    // and some tools refuse. The others are packed as ever, into the managed policies left and the inline policy.
    const conditional = conditionGroups(statements).map((group) => ({
      ...group,
      documents: packStatements(group.statements, sizer, IAM_LIMITS.managedPolicy),
    }));
    const conditionalDocuments = conditional.flatMap((group) => group.documents);
    const unconditionalPolicies = maxPolicies - conditionalDocuments.length;
    const documents = unconditionalPolicies < 1 ? []
      : packStatements(statements.filter((spec) => spec.condition === undefined), sizer, packingLimits(unconditionalPolicies, maxInline));
    const managedDocuments = [...documents.slice(0, Math.max(unconditionalPolicies, 0)), ...conditionalDocuments];
    const overflow = documents[unconditionalPolicies] as StatementSpec[] | undefined;
    const policySizes = [...managedDocuments, ...(overflow ? [overflow] : [])].map((d) => sizer.jsonLength(documentJson(d)));
    if (unconditionalPolicies < 1) {
      throw new Error(`${scope.node.path}/${id}: the statements that exist only under CloudFormation conditions take ` +
        `${conditionalDocuments.length} managed policies of their own, and the others need at least one more: give maxManagedPolicies ` +
        `of at least ${conditionalDocuments.length + 1} (it is ${maxPolicies}).`);
    }
    if (documents.length > unconditionalPolicies + (maxInline > 0 ? 1 : 0)) {
      const total = policySizes.reduce((a, b) => a + b, 0);
      const shape = shapeOf(queryScope, props.guardrails ?? false, sizer, maxInline);
      throw new Error(
        `${scope.node.path}/${id}: the Athena permissions need about ${total} characters, more than ${maxPolicies} managed policies ` +
        `(maxManagedPolicies) of ${IAM_LIMITS.managedPolicy} characters${maxInline > 0 ? ` and an inline policy of ${maxInline} (maxInlinePolicyLength)` : ''} hold; ` +
        `IAM allows ${IAM_LIMITS.managedPoliciesPerIdentity} managed policies per role by default (${IAM_LIMITS.managedPoliciesPerIdentityMax} ` +
        `with a raised quota) and ${IAM_LIMITS.roleInlinePolicies} characters of inline policies per role. With ${queryScope.workGroupNames.length} workgroups ` +
        `and ${queryScope.dataLocations.length} data locations of these name lengths, at most ${maxDatabasesThatFit(shape, maxPolicies)} ` +
        'Glue databases fit. Give fewer glueDatabaseNames (or a pattern such as "sales_*"), dataLocations or workGroupNames, ' +
        'raise maxManagedPolicies, or let Lake Formation decide (accessMode: AccessMode.LAKE_FORMATION), whose policy does not grow with the databases.',
      );
    }
    super(scope, id);

    this._statements = statements;
    this._catalogs = queryScope.catalogs ?? [];
    this._queryResults = {
      resultsBucketName: queryScope.resultsBucketName,
      resultsPrefix: queryScope.resultsPrefix,
      managedQueryResultsKmsKeyArn: queryScope.managedQueryResultsKmsKeyArn,
      managedQueryResultsCondition: queryScope.managedQueryResultsCondition,
    };
    this.policySizes = policySizes;
    warnOfPrimaryWorkGroup(this, props.workGroupNames);
    this.workGroupNames = queryScope.workGroupNames;
    this.accessMode = queryScope.accessMode;
    this.createsLakeFormationGrants = createsLakeFormationGrants;
    this.grantTargets = grantTargets;
    this.outputLocation = queryScope.resultsBucketName === undefined ? undefined
      : s3Url({ bucketName: queryScope.resultsBucketName, prefix: queryScope.resultsPrefix });
    const description = 'Qualytics dataplane: least-privilege Athena, Glue and S3 access for the Athena JDBC driver';
    this.managedPolicies = documents.slice(0, unconditionalPolicies).map((document, index) => new iam.ManagedPolicy(this, `Part${index + 1}`, {
      description: `${description} (part ${index + 1})`,
      document: new iam.PolicyDocument({ statements: document.map(toPolicyStatement), minimize: false }),
    }));
    for (const group of conditional) {
      const condition = cfnCondition(stack, group.condition, group.unless);
      group.documents.forEach((document, index) => {
        const name = `${group.unless ? 'Unless' : 'When'}${conditionName(stack, group.condition)}${index === 0 ? '' : index + 1}`;
        const policy = new iam.ManagedPolicy(this, name, {
          description: `${description} (where the condition ${conditionName(stack, group.condition)} ${group.unless ? 'does not hold' : 'holds'})`,
          document: new iam.PolicyDocument({ statements: document.map(toPolicyStatement), minimize: false }),
        });
        (policy.node.defaultChild as iam.CfnManagedPolicy).cfnOptions.condition = condition;
        this.managedPolicies.push(policy);
      });
    }
    this.managedPolicies.forEach((policy, index) => {
      // Packing measured each part; measure again only when statements were added since.
      policy.node.addValidation({
        validate: () => (policy.document.statementCount === managedDocuments[index].length ? [] : sizer.managedPolicyProblems(policy.document)),
      });
      acknowledgeWildcardResources(policy, managedDocuments[index]);
    });
    if (overflow) {
      // An inline policy is named, not numbered by CloudFormation: one per stack and policy construct.
      this.inlinePolicy = new iam.Policy(this, 'Overflow', {
        document: new iam.PolicyDocument({ statements: overflow.map(toPolicyStatement), minimize: false }),
      });
      acknowledgeWildcardResources(this.inlinePolicy, overflow);
    }
  }

  /** Every statement of the policy, in order, with the reason it exists (for reviews and access reports). */
  public describeStatements(): StatementDescription[] {
    return describeStatements(this._statements);
  }

  /**
   * In `accessMode` LAKE_FORMATION, creates the Lake Formation grants that let `principalArn` (an IAM role or
   * user) read `glueDatabaseNames` and what `lakeFormationTagExpressions` match, with DESCRIBE on `default`
   * unless `lakeFormationDefaultDatabaseDescribe` is false. AthenaTargetRole and
   * AthenaAccessKeyUser call it for their role or user unless `createLakeFormationGrants` is false.
   */
  public grantLakeFormationAccess(principalArn: string): LakeFormationGrants {
    if (this.accessMode !== AccessMode.LAKE_FORMATION) {
      invalid('accessMode', this.accessMode, 'Lake Formation grants are made only with accessMode: AccessMode.LAKE_FORMATION.');
    }
    this.grantedPrincipals += 1;
    return new LakeFormationGrants(this, this.grantedPrincipals === 1 ? 'LakeFormationGrants' : `LakeFormationGrants${this.grantedPrincipals}`, {
      ...this.grantTargets,
      principalArn,
    });
  }

  /**
   * Attaches every part of the policy to a role. A part that exists only under a CloudFormation condition names
   * the role itself (its `Roles`), so that the role never refers to a policy that may not exist. The inline
   * policy (if any) counts toward the role's 10,240 characters of inline policies: synth fails when it, or the
   * role's inline policies together, exceed them.
   */
  public attachToRole(role: iam.IRole): void {
    this.checkInlinePolicyFits(role, 'role');
    this.managedPolicies.forEach((p) => (this.isConditional(p) ? p.attachToRole(role) : role.addManagedPolicy(p)));
    this.inlinePolicy?.attachToRole(role);
  }

  /**
   * Attaches every part of the policy to a user (a conditional part names the user itself, as for a role). IAM
   * allows a user 2,048 characters of inline policies: synth fails when the inline policy, or the user's inline
   * policies together, exceed them.
   */
  public attachToUser(user: iam.IUser): void {
    this.checkInlinePolicyFits(user, 'user');
    this.managedPolicies.forEach((p) => (this.isConditional(p) ? p.attachToUser(user) : user.addManagedPolicy(p)));
    this.inlinePolicy?.attachToUser(user);
  }

  /**
   * Attaches every part of the policy to a group (a conditional part names the group itself, as for a role).
   * IAM allows a group 5,120 characters of inline policies: synth fails when the inline policy, or the group's
   * inline policies together, exceed them.
   */
  public attachToGroup(group: iam.IGroup): void {
    this.checkInlinePolicyFits(group, 'group');
    this.managedPolicies.forEach((p) => (this.isConditional(p) ? p.attachToGroup(group) : group.addManagedPolicy(p)));
    this.inlinePolicy?.attachToGroup(group);
  }

  /**
   * Refuses an inline policy larger than what IAM allows the identity's inline policies in total, before anything
   * is attached; for an identity defined in the stack, synth also checks its inline policies together.
   */
  private checkInlinePolicyFits(identity: IConstruct, kind: IdentityKind): void {
    const stack = Stack.of(this);
    const sizer = new PolicySizer(stack);
    if (this.inlinePolicy) {
      const size = sizer.documentLength(this.inlinePolicy.document);
      const limit = INLINE_POLICY_LIMITS[kind];
      if (size > limit) {
        throw new Error(`${this.node.path}: its inline policy, which holds what ${this.managedPolicies.length} managed policies ` +
          `(maxManagedPolicies) have no room for, is ${size} characters, over the ${limit} characters IAM allows for all inline ` +
          `policies of a ${kind} together (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), so it cannot ` +
          `be attached to ${identity.node.path}. Raise maxManagedPolicies (up to ${IAM_LIMITS.managedPoliciesPerIdentityMax} with a raised quota), ` +
          'give fewer glueDatabaseNames (or a pattern such as "sales_*"), dataLocations or workGroupNames, set maxInlinePolicyLength ' +
          `to at most ${limit}${kind === 'role' ? '' : `, or attach the policy to a role (${IAM_LIMITS.roleInlinePolicies} characters of inline policies)`}.`);
      }
    }
    const defined = definedIdentityKind(identity) === undefined ? undefined : identity as DefinedIdentity;
    if (defined && !INLINE_CHECKED.has(defined)) {
      INLINE_CHECKED.add(defined);
      defined.node.addValidation({ validate: () => inlinePolicyProblems(defined, sizer) });
    }
  }

  private isConditional(policy: iam.ManagedPolicy): boolean {
    return (policy.node.defaultChild as iam.CfnManagedPolicy).cfnOptions.condition !== undefined;
  }
}

/**
 * Identities whose inline policies synth already checks: a role holding two query policies is checked once.
 * Weak, so it holds nothing once an app is gone.
 */
const INLINE_CHECKED = new WeakSet<DefinedIdentity>();

/** The statements that exist only under a CloudFormation condition, by condition (and whether it must not hold), in order. */
function conditionGroups(statements: StatementSpec[]): Array<{ condition: string; unless: boolean; statements: StatementSpec[] }> {
  const groups = new Map<string, { condition: string; unless: boolean; statements: StatementSpec[] }>();
  for (const spec of statements) {
    if (spec.condition === undefined) continue;
    const unless = spec.unlessCondition ?? false;
    const key = `${unless}:${spec.condition}`;
    if (!groups.has(key)) groups.set(key, { condition: spec.condition, unless, statements: [] });
    // The policy resource carries the condition; its statements are plain.
    groups.get(key)!.statements.push({ ...spec, condition: undefined, unlessCondition: undefined });
  }
  return [...groups.values()];
}

/** The condition's logical id as it renders (for construct ids and descriptions). */
function conditionName(stack: Stack, logicalId: string): string {
  return String(stack.resolve(logicalId));
}

/**
 * The CfnCondition of the stack with `logicalId`, or, with `unless`, one that holds where it does not (created
 * once per stack as `Not<logical id>`).
 */
function cfnCondition(stack: Stack, logicalId: string, unless: boolean): CfnCondition {
  const name = conditionName(stack, logicalId);
  const conditions = stack.node.findAll().filter((c): c is CfnCondition => c instanceof CfnCondition && Stack.of(c) === stack);
  const condition = conditions.find((c) => stack.resolve(c.logicalId) === name);
  if (condition === undefined) throw new Error(`No CloudFormation condition ${name} in stack ${stack.node.path}`);
  if (!unless) return condition;
  const negated = `Not${name}`;
  const existing = conditions.find((c) => stack.resolve(c.logicalId) === negated);
  if (existing) return existing;
  const created = new CfnCondition(stack, negated, { expression: Fn.conditionNot(condition) });
  created.overrideLogicalId(negated);
  return created;
}

function packingLimits(maxPolicies: number, maxInline: number): number[] {
  return maxInline > 0 ? [...Array(maxPolicies).fill(IAM_LIMITS.managedPolicy), maxInline] : [IAM_LIMITS.managedPolicy];
}

/** The props that hold the Lake Formation grants' input, for error messages. */
const GRANT_PROPERTY_NAMES = {
  databaseNames: 'glueDatabaseNames',
  tagExpressions: 'lakeFormationTagExpressions',
  nestedStacks: 'lakeFormationNestedStacks',
  defaultDatabaseDescribe: 'lakeFormationDefaultDatabaseDescribe',
};

/** The shape of a validated configuration, with the longest of each kind of name. */
function shapeOf(scope: AthenaQueryScope, guardrails: boolean, sizer: PolicySizer, maxInlinePolicyLength: number): PolicyShape {
  const longest = (values: Array<string | undefined>) => Math.max(0, ...values.map((v) => (v === undefined ? 0 : sizer.stringLength(v))));
  return {
    workGroups: scope.workGroupNames.length,
    dataLocations: scope.dataLocations.length,
    kmsKeys: scope.kmsKeyArns.length,
    accessMode: scope.accessMode,
    lakeFormation: scope.lakeFormation,
    managedQueryResults: scope.resultsBucketName === undefined,
    guardrails,
    maxInlinePolicyLength,
    databaseNameLength: Math.max(1, longest(scope.glueDatabaseNames ?? [])),
    bucketNameLength: Math.max(3, longest([scope.resultsBucketName, ...scope.dataLocations.map((l) => l.bucketName)])),
    prefixLength: longest([scope.resultsPrefix, ...scope.dataLocations.map((l) => l.prefix)]),
    workGroupNameLength: longest(scope.workGroupNames),
    catalogs: scope.catalogs,
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
  const accessMode = validateAccessMode(props);
  const catalogs = normalizeCatalogs(props.catalogs ?? [], accessMode);
  validateCatalogIsolation(catalogs, accessMode, props.glueDatabaseNames);
  const lakeFormation = accessMode !== AccessMode.IAM;
  if (props.lakeFormationCondition !== undefined && accessMode !== AccessMode.IAM_AND_LAKE_FORMATION) {
    invalid('lakeFormationCondition', props.lakeFormationCondition.node.path,
      'A Lake Formation condition only applies with accessMode: AccessMode.IAM_AND_LAKE_FORMATION (in accessMode LAKE_FORMATION Lake Formation is always used).');
  }
  const kmsKeyArns = props.kmsKeyArns ?? [];
  validateList('kmsKeyArns', kmsKeyArns, validateKmsKeyArn, { min: 0 });
  if (props.maxManagedPolicies !== undefined) validateMaxManagedPolicies('maxManagedPolicies', props.maxManagedPolicies);
  const maxInline = props.maxInlinePolicyLength;
  if (maxInline !== undefined && !(Number.isInteger(maxInline) && maxInline >= 0 && maxInline <= IAM_LIMITS.roleInlinePolicies)) {
    invalid('maxInlinePolicyLength', maxInline, `Give a whole number of characters from 0 (no inline policy) to ${IAM_LIMITS.roleInlinePolicies} (IAM's limit for a role's inline policies).`);
  }
  if (results.resultsBucketName !== undefined) {
    validateResultsOutsideData({ bucketName: results.resultsBucketName, prefix: results.resultsPrefix }, dataLocations);
  }
  return {
    workGroupNames,
    catalogName,
    catalogs,
    glueDatabaseNames: props.glueDatabaseNames,
    ...results,
    dataLocations,
    kmsKeyArns,
    accessMode,
    lakeFormation,
    lakeFormationCondition: props.lakeFormationCondition?.logicalId,
  };
}

/** The access mode (with the deprecated lakeFormation), and the props that only one of the modes takes. */
function validateAccessMode(props: AthenaQueryPolicyProps): AccessMode {
  const accessMode = resolveAccessMode(props.accessMode, props.lakeFormation);
  const lakeFormationOnly = {
    lakeFormationTagExpressions: props.lakeFormationTagExpressions,
    createLakeFormationGrants: props.createLakeFormationGrants,
    lakeFormationNestedStacks: props.lakeFormationNestedStacks,
    lakeFormationDefaultDatabaseDescribe: props.lakeFormationDefaultDatabaseDescribe,
  };
  if (accessMode !== AccessMode.LAKE_FORMATION) {
    for (const [property, value] of Object.entries(lakeFormationOnly)) {
      if (value !== undefined) invalid(property, value, 'It applies only with accessMode: AccessMode.LAKE_FORMATION.');
    }
    return accessMode;
  }
  if ((props.dataLocations ?? []).length > 0) {
    // The locations as given, before normalization.
    invalid('dataLocations', props.dataLocations, 'With accessMode LAKE_FORMATION, Lake Formation vends the data access and no S3 data location is granted: '
      + 'leave dataLocations empty, or use accessMode IAM or IAM_AND_LAKE_FORMATION, where IAM grants the data locations.');
  }
  return accessMode;
}

/**
 * Refuses databaseNames on a catalog that the default catalog's Glue reads reach anyway: they are granted on
 * `database/<name>` and `table/<name>/*` of each glueDatabaseNames entry (on `database/*` when it is unset, and
 * always in LAKE_FORMATION mode), and IAM wildcards span `/`, so `*` also matches
 * `database/<catalog path>/<database>`. A named entry holds no `/` and cannot; a pattern can when it matches
 * some `<catalog path>/<database>`: exactly when, after `<catalog path>/`, what is left of it can still match one
 * more character of a database name. A value known only at deploy time might be `*`.
 */
function validateCatalogIsolation(catalogs: CatalogScope[], accessMode: AccessMode, glueDatabaseNames: string[] | undefined): void {
  catalogs.forEach((catalog, index) => {
    if (catalog.databaseNames === undefined || Token.isUnresolved(catalog.catalogName)) return;
    const open = accessMode === AccessMode.LAKE_FORMATION ? 'in accessMode LAKE_FORMATION the default catalog\'s Glue reads are on every database (database/*)'
      : glueDatabaseNames === undefined ? 'glueDatabaseNames is not set, so the default catalog\'s Glue reads are on every database (database/*)'
        : glueDatabaseNames.filter((p) => Token.isUnresolved(p) || canMatchDatabaseOf(p, catalog.catalogName)).map((p) => (Token.isUnresolved(p)
          ? 'a glueDatabaseNames entry is known only at deploy time and may be a pattern'
          : `the glueDatabaseNames pattern "${p}" also matches databases of ${catalog.catalogName}`))[0];
    if (open === undefined) return;
    invalid(`catalogs[${index}].databaseNames`, catalog.databaseNames, `These databases cannot be kept apart from the catalog's others: ${open}, `
      + `and IAM wildcards span "/", so they also match database/${catalog.catalogName}/<any database> (Glue has no condition key for names). `
      + 'For isolation, name the default catalog\'s databases in glueDatabaseNames (names, or patterns that cannot match '
      + `"${catalog.catalogName}/..."; accessMode IAM or IAM_AND_LAKE_FORMATION); or leave catalogs[${index}].databaseNames unset to grant the whole catalog.`);
  });
}

/** Whether an IAM pattern of a database name also matches `<catalogPath>/<database>` for some database of the catalog. */
function canMatchDatabaseOf(pattern: string, catalogPath: string): boolean {
  const nameChar = tableBucketOf(catalogPath) === undefined ? /[a-z0-9_-]/ : /[a-z0-9_]/;
  return globRemainders(pattern, `${catalogPath}/`).some((rest) => rest.length > 0 && [...rest].every((c) => c === '*' || c === '?' || nameChar.test(c)));
}

/** Checks the extra catalogs: names, no catalog twice, databases as for glueDatabaseNames (namespaces for S3 Tables). */
function normalizeCatalogs(catalogs: GlueCatalogAccess[], accessMode: AccessMode): CatalogScope[] {
  const seen = new Map<string, number>();
  return catalogs.map((catalog, index) => {
    const property = `catalogs[${index}]`;
    validateGlueCatalogPath(`${property}.catalogName`, catalog.catalogName);
    const first = seen.get(catalog.catalogName);
    if (first !== undefined) {
      invalid(`${property}.catalogName`, catalog.catalogName, `catalogs[${first}] names the same catalog; give each catalog once, with all its databases.`);
    }
    seen.set(catalog.catalogName, index);
    if (catalog.dataSourceName !== undefined) validateCatalogName(`${property}.dataSourceName`, catalog.dataSourceName);
    if (catalog.databaseNames) {
      const check = tableBucketOf(catalog.catalogName) === undefined ? validateDatabaseNamePattern : validateNamespacePattern;
      validateList(`${property}.databaseNames`, catalog.databaseNames, check);
    }
    if (catalog.lakeFormationVendsCredentials !== undefined) {
      if (tableBucketOf(catalog.catalogName) === undefined) {
        invalid(`${property}.lakeFormationVendsCredentials`, catalog.lakeFormationVendsCredentials,
          `It applies only to S3 Tables catalogs ("s3tablescatalog/<table bucket>"), not to ${catalog.catalogName}: leave it unset.`);
      }
      if (accessMode !== AccessMode.LAKE_FORMATION) {
        invalid(`${property}.lakeFormationVendsCredentials`, catalog.lakeFormationVendsCredentials,
          `It applies only with accessMode: AccessMode.LAKE_FORMATION; in accessMode ${accessMode} the role always reads the table bucket with read-only s3tables: actions. Leave it unset.`);
      }
    }
    return {
      catalogName: catalog.catalogName,
      dataSourceName: catalog.dataSourceName,
      databaseNames: catalog.databaseNames,
      lakeFormationVendsCredentials: catalog.lakeFormationVendsCredentials,
    };
  });
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
