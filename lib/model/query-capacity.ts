import { AccessMode } from './access-mode';
import { maxDatabasesThatFit, physicalMaxDatabases, planPolicies, PolicyShape } from './capacity';
import { validateMaxManagedPolicies } from './query-scope';
import { IAM_LIMITS } from './size';
import { invalid, resolveAccessMode } from './validation';

/** The shape of a configuration whose capacity `AthenaQueryPolicy.capacity()` finds. */
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
 * The largest number of Glue databases a configuration of the given shape can name and still fit IAM's
 * limits: at most `maxManagedPolicies` managed policies of 6,144 characters and an inline policy of
 * `maxInlinePolicyLength`; in Lake Formation mode, CloudFormation's limits on the grants instead. Names take
 * the given lengths and ARNs their longest partition and Region, so the answer holds wherever the policy is
 * deployed.
 */
export function queryPolicyCapacity(options: PolicyCapacityOptions = {}): PolicyCapacity {
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
