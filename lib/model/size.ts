import { deployTimeFragments } from './deploy-time';

/** IAM's size limits, in characters not counting whitespace. */
export const IAM_LIMITS = {
  /** A customer managed policy. */
  managedPolicy: 6144,
  /** A role trust policy, with the default quota (raisable to 4,096). */
  trustPolicy: 2048,
  /** Managed policies attached to one role, user or group, with the default quota. */
  managedPoliciesPerIdentity: 10,
  /** Managed policies attached to one identity, with the quota raised as far as it goes. */
  managedPoliciesPerIdentityMax: 20,
  /** All inline policies of one role together. */
  roleInlinePolicies: 10240,
  /** All inline policies of one group together. */
  groupInlinePolicies: 5120,
  /** All inline policies of one user together. */
  userInlinePolicies: 2048,
};

/** The kinds of IAM identity that hold inline policies. */
export type IdentityKind = 'role' | 'group' | 'user';

/**
 * IAM counts all inline policies of an identity together: at most 10,240 characters for a role, 5,120 for a
 * group and 2,048 for a user (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 */
export const INLINE_POLICY_LIMITS: Record<IdentityKind, number> = {
  role: IAM_LIMITS.roleInlinePolicies,
  group: IAM_LIMITS.groupInlinePolicies,
  user: IAM_LIMITS.userInlinePolicies,
};

/** Longest values a pseudo parameter can take once deployed. */
export const PSEUDO_PARAMETER_LENGTHS: Record<string, number> = {
  'AWS::Partition': 'aws-us-gov'.length,
  'AWS::Region': 'ap-southeast-7'.length,
  'AWS::AccountId': 12,
  'AWS::URLSuffix': 'amazonaws.com.cn'.length,
};

/** Longest value `Ref` returns for resources of these types. */
export const REF_LENGTHS: Record<string, number> = {
  'AWS::S3::Bucket': 63,
  'AWS::KMS::Key': 36,
  'AWS::IAM::Role': 64,
  'AWS::Athena::WorkGroup': 128,
};

/** What any other unresolved value is assumed to take at most. */
export const UNKNOWN_VALUE_LENGTH = 128;

/** Measures a JSON value as IAM counts it. */
export interface JsonMeasure {
  jsonLength(value: unknown): number;
}

/**
 * What an output tells the sizer about its own deploy-time values (for the CDK constructs: tokens), which the
 * model cannot see into.
 */
export interface OpaqueValueLengths {
  /** The longest length of a string that holds no model deploy-time value (but may hold the output's own). */
  stringLength(value: string): number;
  /** The JSON length of an object that is one of the output's deploy-time values; undefined for plain data. */
  valueLength(value: object): number | undefined;
}

/** Plain data: every string is as long as it is. */
const PLAIN: OpaqueValueLengths = { stringLength: (value) => value.length, valueLength: () => undefined };

/**
 * Measures policy documents the way IAM does (JSON without whitespace), before deployment. The model's
 * deploy-time values count with their longest value; an output's own with the length it gives. The sizes are
 * therefore upper bounds.
 */
export class JsonSizer implements JsonMeasure {
  constructor(private readonly opaque: OpaqueValueLengths = PLAIN) {}

  /** Characters `value` takes when rendered as JSON without whitespace. */
  public jsonLength(value: unknown): number {
    if (typeof value === 'string') return this.stringLength(value) + 2;
    if (Array.isArray(value)) return 2 + commas(value.length) + sum(value.map((v) => this.jsonLength(v)));
    if (value !== null && typeof value === 'object') {
      const opaque = this.opaque.valueLength(value);
      if (opaque !== undefined) return opaque;
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      return 2 + commas(entries.length) + sum(entries.map(([k, v]) => this.jsonLength(k) + 1 + this.jsonLength(v)));
    }
    return JSON.stringify(value).length;
  }

  /** Characters of a string once its deploy-time values are filled in (an upper bound). */
  public stringLength(value: string): number {
    const fragments = deployTimeFragments(value);
    if (fragments.length === 1 && typeof fragments[0] === 'string') return this.opaque.stringLength(value);
    return sum(fragments.map((f) => (typeof f === 'string' ? this.opaque.stringLength(f) : f.maxLength)));
  }
}

/** The problem with a managed policy document of `size` characters that IAM would reject, if any. */
export function managedPolicyProblems(size: number, hint: string = ''): string[] {
  const over = size - IAM_LIMITS.managedPolicy;
  return over > 0 ? [`managed policy is ${size} characters, over IAM's limit of ${IAM_LIMITS.managedPolicy} by ${over}${hint}`] : [];
}

export function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function commas(count: number): number {
  return Math.max(0, count - 1);
}
