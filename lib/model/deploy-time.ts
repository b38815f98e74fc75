import { CfnCondition, Intrinsic, Token, Tokenization } from 'aws-cdk-lib';
import { StatementSpec } from './statement-spec';

/**
 * Deploy-time lists: the items of a comma-separated CloudFormation parameter, for policy builders that take
 * one value per item.
 *
 * CloudFormation cannot map a list to per-item ARNs when the ARN prefix holds pseudo parameters (the
 * delimiter of `Fn::Join` must be a literal), so a list parameter declares how many items it takes at most,
 * and item `i` is `Fn::Select(i)` of the value padded with copies of its first item: a short list repeats
 * ARNs, which grants nothing more. A statement whose resources all come from an optional list exists only
 * when the list is not empty. Each item declares its longest value, which the policy sizer counts.
 */
export class DeployTimeItem extends Intrinsic {
  constructor(
    value: string,
    /** The longest value the item can take. */
    public readonly maxLength: number,
    /** For an optional list: the condition that holds when the list is not empty. */
    public readonly listPresence?: CfnCondition,
    /** For a `<bucket>[/<prefix>]` location: the bucket part, as an item of its own. */
    public readonly bucket?: DeployTimeItem,
  ) {
    super(value);
  }
}

/** The deploy-time items a string is built from. */
export function itemsIn(value: string): DeployTimeItem[] {
  if (!Token.isUnresolved(value)) return [];
  return Tokenization.reverseString(value).tokens.filter((t): t is DeployTimeItem => t instanceof DeployTimeItem);
}

/** The bucket of a `<bucket>[/<prefix>]` location item; any other value is itself a bucket name. */
export function bucketOf(location: string): string {
  const [item] = itemsIn(location);
  return item?.bucket?.toString() ?? location;
}

/** The statement, made conditional when every resource comes from the same optional deploy-time list. */
export function withDeployTimeConditions(spec: StatementSpec): StatementSpec {
  const presences = spec.resources.map((resource) => itemsIn(resource).map((item) => item.listPresence));
  if (presences.length === 0 || !presences.every((p) => p.length > 0 && p.every((c) => c !== undefined))) return spec;
  if (spec.condition !== undefined) {
    throw new Error(`Statement ${spec.sid}: a statement with a condition of its own cannot take its resources from an optional deploy-time list`);
  }
  const conditions = new Set(presences.flat());
  if (conditions.size > 1) {
    throw new Error(`Statement ${spec.sid}: resources from several optional deploy-time lists cannot share one statement`);
  }
  return { ...spec, condition: [...conditions][0]!.logicalId };
}
