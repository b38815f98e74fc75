import { CfnCondition, Fn, Stack } from 'aws-cdk-lib';

/** The condition's logical id as it renders (for construct ids and descriptions). */
export function conditionName(stack: Stack, logicalId: string): string {
  return String(stack.resolve(logicalId));
}

/**
 * The CfnCondition of the stack with `logicalId`, or, with `unless`, one that holds where it does not (created
 * once per stack as `Not<logical id>`).
 */
export function cfnCondition(stack: Stack, logicalId: string, unless: boolean): CfnCondition {
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
