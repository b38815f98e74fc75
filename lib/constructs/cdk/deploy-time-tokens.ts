import { CfnCondition, Intrinsic, Token } from 'aws-cdk-lib';
import { deployTimeFragments, deployTimeMarker, DeployTimeValue, recognizeOutputDeployTimeValues } from '../../model/deploy-time';

// CDK tokens (references, parameters, pseudo parameters) are this output's own deploy-time values.
recognizeOutputDeployTimeValues((value) => Token.isUnresolved(value));

/** The CloudFormation value a model deploy-time value renders to, a token that keeps the model value for the sizer. */
export class DeployTimeToken extends Intrinsic {
  constructor(value: string, public readonly deployTimeValue: DeployTimeValue) {
    super(value);
  }
}

const TOKENS = new Map<DeployTimeValue, string>();

/**
 * A deploy-time value for the model (see `model/deploy-time.ts`), made of a CloudFormation value: an item of a
 * list parameter (`Fn::Select` of the parameter's value), a parameter, or the bucket part of a location item. Its
 * string is the model's marker, which the policy builders embed and the sizer counts at `maxLength`; the
 * constructs render the marker as `value`.
 */
export class DeployTimeItem {
  /** The value as the model sees it. */
  public readonly deployTimeValue: DeployTimeValue;

  constructor(
    value: string,
    /** The longest value the item can take. */
    maxLength: number,
    /** For an optional list: the condition that holds when the list is not empty. */
    listPresence?: CfnCondition,
    /** For a `<bucket>[/<prefix>]` location: the bucket part, as an item of its own. */
    bucket?: DeployTimeItem,
  ) {
    this.deployTimeValue = { maxLength, listPresence: listPresence?.logicalId, bucket: bucket?.deployTimeValue };
    TOKENS.set(this.deployTimeValue, new DeployTimeToken(value, this.deployTimeValue).toString());
  }

  /** The model's marker for the item. */
  public toString(): string {
    return deployTimeMarker(this.deployTimeValue);
  }
}

/** `value` with each model deploy-time value replaced by the CloudFormation token it stands for. */
export function cfnString(value: string): string {
  const fragments = deployTimeFragments(value);
  if (fragments.every((f) => typeof f === 'string')) return value;
  return fragments.map((f) => (typeof f === 'string' ? f : tokenOf(f))).join('');
}

/** Strings anywhere in `value` (arrays, objects) rendered as {@link cfnString} does. */
export function cfnValue<T>(value: T): T {
  if (typeof value === 'string') return cfnString(value) as T;
  if (Array.isArray(value)) return value.map(cfnValue) as T;
  if (value !== null && typeof value === 'object' && !Token.isUnresolved(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cfnValue(v)])) as T;
  }
  return value;
}

function tokenOf(value: DeployTimeValue): string {
  const token = TOKENS.get(value);
  if (token === undefined) throw new Error('A deploy-time value that no DeployTimeItem made cannot be rendered in CloudFormation');
  return token;
}
