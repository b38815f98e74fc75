import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { OutputKeyOptions } from './output-key-options';
import { invalid } from '../../model/validation';

/** One stack output: its key (before any prefix), its value (skipped when undefined) and its description. */
export type StackOutput = [key: string, value: string | undefined, description: string];

/** Output keys are logical IDs: alphanumeric, at most 255 characters. */
const OUTPUT_KEY = /^[A-Za-z][A-Za-z0-9]{0,199}$/;

/**
 * Adds `outputs` to `scope`'s stack with exactly the given keys (prefixed by `options.keyPrefix`), not the
 * hashed logical IDs CDK gives constructs' children, so that documentation, scripts and `describe-stacks`
 * queries can name them. Outputs whose value is undefined are skipped. When the stack already has an output
 * with one of the keys, nothing is added and the error says which construct holds it and how to tell the two
 * apart. Output keys are logical IDs, alphanumeric and unique among the template's outputs
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html); CloudFormation
 * refuses only resources and parameters that share a name (cfn-lint E3007,
 * https://github.com/aws-cloudformation/cfn-lint/pull/1698), so an output may be named like a parameter.
 *
 * @param method the public method adding the outputs, for the error message
 */
export function addStableOutputs(scope: Construct, method: string, outputs: StackOutput[], options: OutputKeyOptions = {}): CfnOutput[] {
  const prefix = options.keyPrefix ?? '';
  if (prefix !== '' && (Token.isUnresolved(prefix) || !OUTPUT_KEY.test(prefix))) {
    invalid('keyPrefix', prefix, 'An output key prefix is 1 to 200 letters and digits, starting with a letter (output keys are CloudFormation logical IDs).');
  }
  const stack = Stack.of(scope);
  const taken = new Map<string, string>();
  for (const child of stack.node.findAll()) {
    if (child instanceof CfnOutput) taken.set(stack.resolve(child.logicalId), child.node.path);
  }
  const wanted = outputs.filter(([, value]) => value !== undefined);
  for (const [key] of wanted) {
    const holder = taken.get(prefix + key);
    if (holder !== undefined) {
      throw new Error(`${scope.node.path}: ${method} cannot add output ${prefix + key}: stack ${stack.node.id} already has an output ` +
        `with that key (${holder}). Output keys are fixed; call ${method}({ keyPrefix: '...' }) with a different prefix ` +
        'for each construct in the same stack.');
    }
  }
  return wanted.map(([key, value, description]) => {
    const output = new CfnOutput(scope, prefix + key, { value: value!, description });
    output.overrideLogicalId(prefix + key);
    return output;
  });
}
