import * as iam from 'aws-cdk-lib/aws-iam';
import { ConditionalValue } from './deploy-time-list';

/**
 * A policy statement as plain data, with the reason it exists. Policy builders return these so that they stay
 * pure and testable; constructs turn them into `iam.PolicyStatement`s, and reports read `purpose`.
 */
export interface StatementSpec {
  readonly sid: string;
  readonly effect: iam.Effect;
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
   * parameters decide it); absent: always.
   */
  readonly condition?: string;
  /** With `condition`: keep the statement where the condition does NOT hold instead. @default false */
  readonly unlessCondition?: boolean;
}

/** A statement that exists only when a CloudFormation condition holds: `Fn::If` with `AWS::NoValue`. */
class ConditionalPolicyStatement extends iam.PolicyStatement {
  constructor(private readonly condition: string, private readonly unless: boolean, props: iam.PolicyStatementProps) {
    super(props);
  }

  public toStatementJson(): any {
    return new ConditionalValue(super.toStatementJson(), this.condition, this.unless);
  }
}

/** The statement as IAM will see it. */
export function toPolicyStatement(spec: StatementSpec): iam.PolicyStatement {
  const props: iam.PolicyStatementProps = {
    sid: spec.sid,
    effect: spec.effect,
    actions: spec.actions,
    resources: spec.resources,
    notResources: spec.notResources,
    conditions: spec.conditions,
  };
  return spec.condition === undefined
    ? new iam.PolicyStatement(props)
    : new ConditionalPolicyStatement(spec.condition, spec.unlessCondition ?? false, props);
}

/** Removes repeated values, keeping the first occurrence of each. */
export function unique(values: string[]): string[] {
  return [...new Set(values)];
}
