/** Whether a statement allows or denies, as IAM writes it. */
export type Effect = 'Allow' | 'Deny';

/**
 * A policy statement as plain data, with the reason it exists. Policy builders return these so that they stay
 * pure and testable; outputs render them (the CDK constructs as `iam.PolicyStatement`s), and reports read `purpose`.
 */
export interface StatementSpec {
  readonly sid: string;
  readonly effect: Effect;
  readonly actions: string[];
  /** Resources the statement applies to; empty when it uses `notResources`. */
  readonly resources: string[];
  /** Resources the statement applies to all but (IAM's `NotResource`); only for Deny statements. */
  readonly notResources?: string[];
  readonly conditions?: Record<string, Record<string, unknown>>;
  /** Why the Athena JDBC driver (or the guardrail) needs this statement. */
  readonly purpose: string;
  /** Why a wildcard in `resources` is the narrowest scope IAM allows; required when there is one. */
  readonly wildcardReason?: string;
  /**
   * The logical id of a CloudFormation condition under which the statement exists (for templates whose
   * parameters decide it), in a managed policy of its own that carries the condition; absent: always.
   */
  readonly condition?: string;
  /** With `condition`: keep the statement where the condition does NOT hold instead. @default false */
  readonly unlessCondition?: boolean;
}

/** Removes repeated values, keeping the first occurrence of each. */
export function unique(values: string[]): string[] {
  return [...new Set(values)];
}
