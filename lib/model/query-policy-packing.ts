import { AthenaQueryScope } from './athena-query-statements';
import { maxDatabasesThatFit, PolicyShape } from './capacity';
import { documentJson, packStatements } from './packing';
import { QueryPolicyPlan } from './query-scope';
import { IAM_LIMITS, JsonMeasure } from './size';
import { StatementSpec } from './statement-spec';

/** Measures JSON values and strings as IAM counts them, deploy-time values at their longest. */
export interface PolicyMeasure extends JsonMeasure {
  stringLength(value: string): number;
}

/** The statements that exist only under one deploy-time condition (or where it does not hold), packed. */
export interface ConditionalPolicies {
  /** The condition's logical id. */
  readonly condition: string;
  /** Whether the statements exist where the condition does NOT hold. */
  readonly unless: boolean;
  /** The policy documents, in order. */
  readonly documents: StatementSpec[][];
}

/** How the query policy's statements are split into policies. */
export interface QueryPolicyPacking {
  /** The managed policies of the statements every deployment has, in order. */
  readonly documents: StatementSpec[][];
  /** The managed policies that exist only under a condition, by condition. */
  readonly conditional: ConditionalPolicies[];
  /** What the managed policies have no room for, in one inline policy; absent when everything fits them. */
  readonly overflow?: StatementSpec[];
  /** Characters of each managed policy (`documents`, then `conditional`'s) and of the overflow, as IAM counts them. */
  readonly policySizes: number[];
}

/**
 * Packs the query policy's statements, in their fixed order, into at most `maxManagedPolicies` managed policies of
 * 6,144 characters and, with `maxInlinePolicyLength`, one inline policy. Statements that exist only under a
 * deploy-time condition go to managed policies of their own, each carrying that condition: a statement list never
 * holds `Fn::If` with `AWS::NoValue`, which emulators and some tools refuse. Fails, naming `where`, when they do
 * not fit.
 */
export function packQueryPolicy(where: string, statements: StatementSpec[], plan: QueryPolicyPlan, measure: PolicyMeasure): QueryPolicyPacking {
  const maxPolicies = plan.maxManagedPolicies;
  const maxInline = plan.maxInlinePolicyLength;
  const conditional = conditionGroups(statements).map((group) => ({
    condition: group.condition,
    unless: group.unless,
    documents: packStatements(group.statements, measure, IAM_LIMITS.managedPolicy),
  }));
  const conditionalDocuments = conditional.flatMap((group) => group.documents);
  const unconditionalPolicies = maxPolicies - conditionalDocuments.length;
  const documents = unconditionalPolicies < 1 ? []
    : packStatements(statements.filter((spec) => spec.condition === undefined), measure, packingLimits(unconditionalPolicies, maxInline));
  const managedDocuments = [...documents.slice(0, Math.max(unconditionalPolicies, 0)), ...conditionalDocuments];
  const overflow = documents[unconditionalPolicies] as StatementSpec[] | undefined;
  const policySizes = [...managedDocuments, ...(overflow ? [overflow] : [])].map((d) => measure.jsonLength(documentJson(d)));
  if (unconditionalPolicies < 1) {
    throw new Error(`${where}: the statements that exist only under CloudFormation conditions take ` +
      `${conditionalDocuments.length} managed policies of their own, and the others need at least one more: give maxManagedPolicies ` +
      `of at least ${conditionalDocuments.length + 1} (it is ${maxPolicies}).`);
  }
  if (documents.length > unconditionalPolicies + (maxInline > 0 ? 1 : 0)) {
    const total = policySizes.reduce((a, b) => a + b, 0);
    const scope = plan.scope;
    const shape = shapeOf(scope, plan.guardrails, measure, maxInline);
    throw new Error(
      `${where}: the Athena permissions need about ${total} characters, more than ${maxPolicies} managed policies ` +
      `(maxManagedPolicies) of ${IAM_LIMITS.managedPolicy} characters${maxInline > 0 ? ` and an inline policy of ${maxInline} (maxInlinePolicyLength)` : ''} hold; ` +
      `IAM allows ${IAM_LIMITS.managedPoliciesPerIdentity} managed policies per role by default (${IAM_LIMITS.managedPoliciesPerIdentityMax} ` +
      `with a raised quota) and ${IAM_LIMITS.roleInlinePolicies} characters of inline policies per role. With ${scope.workGroupNames.length} workgroups ` +
      `and ${scope.dataLocations.length} data locations of these name lengths, at most ${maxDatabasesThatFit(shape, maxPolicies)} ` +
      'Glue databases fit. Give fewer glueDatabaseNames (or a pattern such as "sales_*"), dataLocations or workGroupNames, ' +
      'raise maxManagedPolicies, or let Lake Formation decide (accessMode: AccessMode.LAKE_FORMATION), whose policy does not grow with the databases.',
    );
  }
  return { documents: documents.slice(0, unconditionalPolicies), conditional, overflow, policySizes };
}

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

/** Managed policies first, then (when it has room) one inline policy. */
function packingLimits(maxPolicies: number, maxInline: number): number[] {
  return maxInline > 0 ? [...Array(maxPolicies).fill(IAM_LIMITS.managedPolicy), maxInline] : [IAM_LIMITS.managedPolicy];
}

/** The shape of a validated configuration, with the longest of each kind of name. */
function shapeOf(scope: AthenaQueryScope, guardrails: boolean, measure: PolicyMeasure, maxInlinePolicyLength: number): PolicyShape {
  const longest = (values: Array<string | undefined>) => Math.max(0, ...values.map((v) => (v === undefined ? 0 : measure.stringLength(v))));
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
