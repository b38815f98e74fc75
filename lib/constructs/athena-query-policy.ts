import { CfnCondition, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { AthenaQueryPolicyProps } from './athena-query-policy-props';
import { cfnCondition, conditionName } from './cdk/conditions';
import { cfnString, cfnValue } from './cdk/deploy-time-tokens';
import { DefinedIdentity, definedIdentityKind, inlinePolicyProblems } from './cdk/inline-policies';
import { PolicySizer } from './cdk/policy-sizer';
import { toPolicyStatement } from './cdk/policy-statement';
import { warnOfPrimaryWorkGroup } from './cdk/synth-warnings';
import { acknowledgeWildcardResources } from './cdk/wildcard-acknowledgments';
import { LakeFormationGrants, validateNestedStacksDeployable } from './lake-formation-grants';
import { AccessMode } from '../model/access-mode';
import { athenaQueryStatements } from '../model/athena-query-statements';
import { CatalogScope } from '../model/catalog-statements';
import { withDeployTimeConditions } from '../model/deploy-time';
import { guardrailStatements } from '../model/guardrails';
import { GrantTargets } from '../model/lake-formation-grants';
import { PolicyCapacity, PolicyCapacityOptions, queryPolicyCapacity } from '../model/query-capacity';
import { packQueryPolicy } from '../model/query-policy-packing';
import { checkQueryPolicyProps, ConditionRef, GRANT_PROPERTY_NAMES, QueryResultsScope } from '../model/query-scope';
import { s3Url } from '../model/s3-locations';
import { IAM_LIMITS, IdentityKind, INLINE_POLICY_LIMITS } from '../model/size';
import { describeStatements, StatementDescription } from '../model/statement-description';
import { StatementSpec } from '../model/statement-spec';
import { invalid } from '../model/validation';

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
    return queryPolicyCapacity(options);
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
    const plan = checkQueryPolicyProps({
      ...props,
      lakeFormationCondition: conditionRef(props.lakeFormationCondition),
      managedQueryResultsCondition: conditionRef(props.managedQueryResultsCondition),
    });
    const queryScope = plan.scope;
    if (plan.createsLakeFormationGrants) {
      validateNestedStacksDeployable(scope, GRANT_PROPERTY_NAMES.nestedStacks, plan.grantTargets.nestedStacks ?? 0);
    }
    const stack = Stack.of(scope);
    const sizer = new PolicySizer(stack);
    const env = { partition: stack.partition, region: stack.region, account: stack.account, urlSuffix: stack.urlSuffix };
    const statements = [
      ...athenaQueryStatements(queryScope, env),
      ...(plan.guardrails ? guardrailStatements(queryScope, env) : []),
    ].map(withDeployTimeConditions);
    const { documents, conditional, overflow, policySizes } = packQueryPolicy(`${scope.node.path}/${id}`, statements, plan, sizer);
    const managedDocuments = [...documents, ...conditional.flatMap((group) => group.documents)];
    super(scope, id);

    this._statements = statements;
    this._catalogs = cfnValue(queryScope.catalogs ?? []);
    this._queryResults = cfnValue({
      resultsBucketName: queryScope.resultsBucketName,
      resultsPrefix: queryScope.resultsPrefix,
      managedQueryResultsKmsKeyArn: queryScope.managedQueryResultsKmsKeyArn,
      managedQueryResultsCondition: queryScope.managedQueryResultsCondition,
    });
    this.policySizes = policySizes;
    warnOfPrimaryWorkGroup(this, props.workGroupNames);
    this.workGroupNames = queryScope.workGroupNames.map(cfnString);
    this.accessMode = queryScope.accessMode;
    this.createsLakeFormationGrants = plan.createsLakeFormationGrants;
    this.grantTargets = plan.grantTargets;
    this.outputLocation = queryScope.resultsBucketName === undefined ? undefined
      : cfnString(s3Url({ bucketName: queryScope.resultsBucketName, prefix: queryScope.resultsPrefix }));
    const description = 'Qualytics dataplane: least-privilege Athena, Glue and S3 access for the Athena JDBC driver';
    this.managedPolicies = documents.map((document, index) => new iam.ManagedPolicy(this, `Part${index + 1}`, {
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
    return cfnValue(describeStatements(this._statements));
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

/** A CloudFormation condition as the model names it. */
function conditionRef(condition: CfnCondition | undefined): ConditionRef | undefined {
  return condition === undefined ? undefined : { logicalId: condition.logicalId, path: condition.node.path };
}
