import { StatementSpec } from './statement-spec';

/** One statement of a policy this library wrote, with the reason it exists, for reviews and reports. */
export interface StatementDescription {
  /** The statement's Sid. */
  readonly sid: string;
  /** `Allow` or `Deny`. */
  readonly effect: string;
  /** The actions, as written in the policy (a Deny may use patterns such as `glue:Create*`). */
  readonly actions: string[];
  /**
   * The resources (may contain tokens).
   *
   * @default - none: the statement applies to everything but `notResources`
   */
  readonly resources?: string[];
  /**
   * The resources the statement does not apply to (IAM's `NotResource`).
   *
   * @default - none
   */
  readonly notResources?: string[];
  /**
   * The statement's conditions, as IAM JSON.
   *
   * @default - none
   */
  readonly conditions?: any;
  /** Why the Athena JDBC driver needs the statement, or what the guardrail prevents. */
  readonly purpose: string;
  /**
   * Why a wildcard in the resources is the narrowest scope IAM allows.
   *
   * @default - the resources hold no wildcard
   */
  readonly wildcardReason?: string;
}

/** Statements packed into several documents continue under the same Sid: describe each Sid once, with all its resources. */
export function describeStatements(specs: StatementSpec[]): StatementDescription[] {
  const bySid = new Map<string, StatementDescription>();
  for (const spec of specs) {
    const seen = bySid.get(spec.sid);
    bySid.set(spec.sid, {
      sid: spec.sid,
      effect: spec.effect,
      actions: spec.actions,
      resources: spec.notResources ? undefined : [...(seen?.resources ?? []), ...spec.resources],
      notResources: spec.notResources,
      conditions: spec.conditions,
      purpose: spec.purpose,
      wildcardReason: spec.wildcardReason,
    });
  }
  return [...bySid.values()];
}
