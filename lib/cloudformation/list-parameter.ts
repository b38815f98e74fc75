import { CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { DeployTimeItem } from '../constructs/cdk/deploy-time-tokens';

/** A comma-separated template parameter whose items the policy builders take one by one. */
export interface ListParameterOptions {
  /** What goes there, for the console. */
  readonly description: string;
  /** One item, as a regular expression without anchors. */
  readonly itemPattern: string;
  /** What one item looks like, for the error CloudFormation shows. */
  readonly itemDescription: string;
  /** The longest item `itemPattern` allows. */
  readonly maxItemLength: number;
  /** How many items the parameter takes at most (the template's documented upper bound). */
  readonly maxItems: number;
  /** The value when none is given; without it the parameter is required. */
  readonly default?: string;
  /** Whether the parameter may be empty (no item at all). */
  readonly optional?: boolean;
  /** Whether items are S3 locations `<bucket>[/<prefix>]`, whose bucket part is needed on its own. */
  readonly locations?: boolean;
}

/**
 * Declares a `String` parameter holding up to `maxItems` comma-separated items, and returns its items as
 * {@link DeployTimeItem} tokens: item `i` is `Fn::Select(i)` of the value padded with copies of its first
 * item. An optional list gets the condition `Has<id>` (not empty). The parameter's `AllowedPattern` checks
 * every item and the number of items, and its `MaxLength` follows from both.
 */
export function listParameter(stack: Stack, id: string, options: ListParameterOptions): string[] {
  const { itemPattern, maxItems, maxItemLength } = options;
  const list = `${itemPattern}(,${itemPattern}){0,${maxItems - 1}}`;
  const parameter = new CfnParameter(stack, id, {
    type: 'String',
    description: `${options.description} Comma-separated, no spaces, at most ${maxItems}.`,
    default: options.default,
    allowedPattern: options.optional ? `^(${list})?$` : `^${list}$`,
    constraintDescription: `${options.optional ? 'empty, or ' : ''}up to ${maxItems} comma-separated ${options.itemDescription}, without spaces`,
    maxLength: maxItems * maxItemLength + maxItems - 1,
  });
  // Padded with copies of the first item, so that every Fn::Select is in range: a repeated ARN grants nothing more.
  const first = Fn.select(0, Fn.split(',', parameter.valueAsString));
  const padded = Fn.split(',', Fn.join(',', [parameter.valueAsString, ...Array(maxItems - 1).fill(first)]), maxItems);
  const listPresence = options.optional ? new CfnCondition(stack, `Has${id}`, {
    expression: Fn.conditionNot(Fn.conditionEquals(parameter.valueAsString, '')),
  }) : undefined;
  return padded.map((item) => {
    const bucket = options.locations ? new DeployTimeItem(Fn.select(0, Fn.split('/', item)), 63, listPresence) : undefined;
    return new DeployTimeItem(item, maxItemLength, listPresence, bucket).toString();
  });
}
