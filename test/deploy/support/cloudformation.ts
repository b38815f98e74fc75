/**
 * A small CloudFormation evaluator for tests: checks parameter values the way CloudFormation does
 * (AllowedPattern per item for lists, AllowedValues, MinLength/MaxLength), evaluates Conditions, and
 * resolves the intrinsic functions the generated templates use (Ref, Fn::Join, Fn::Split, Fn::Select,
 * Fn::If, Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition, Fn::GetAtt, Fn::Sub without variables map).
 * Resources whose condition is false are dropped; `AWS::NoValue` disappears from lists and objects.
 */

export interface DeployEnvironment {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly urlSuffix: string;
}

export const US_EAST_1: DeployEnvironment = { partition: 'aws', region: 'us-east-1', accountId: '111122223333', urlSuffix: 'amazonaws.com' };

export interface DeployedStack {
  readonly parameters: Record<string, string>;
  readonly conditions: Record<string, boolean>;
  /** Resources that exist, with resolved properties, by logical id. */
  readonly resources: Record<string, { Type: string; Properties: any }>;
  readonly outputs: Record<string, unknown>;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** Deploys `template` on paper; throws like CloudFormation would on a bad parameter value. */
export function deployOnPaper(template: any, values: Record<string, string>, env: DeployEnvironment = US_EAST_1): DeployedStack {
  const parameters = checkParameters(template.Parameters ?? {}, values);
  const pseudo: Record<string, string> = {
    'AWS::Partition': env.partition,
    'AWS::Region': env.region,
    'AWS::AccountId': env.accountId,
    'AWS::URLSuffix': env.urlSuffix,
    'AWS::StackName': 'stack',
  };
  const conditions: Record<string, boolean> = {};
  const condition = (name: string): boolean => {
    if (!(name in conditions)) conditions[name] = truth(template.Conditions[name]);
    return conditions[name];
  };
  const ref = (name: string): unknown => {
    if (name in parameters) {
      const type = template.Parameters[name].Type as string;
      return type === 'CommaDelimitedList' || type.startsWith('List<') ? parameters[name].split(',').map((s) => s.trim()) : parameters[name];
    }
    if (name in pseudo) return pseudo[name];
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (template.Resources?.[name]) return `physical-${name}`;
    throw new Error(`Ref to unknown ${name}`);
  };
  function truth(expr: any): boolean {
    const [fn, args] = Object.entries(expr)[0] as [string, any];
    switch (fn) {
      case 'Fn::Equals': return JSON.stringify(value(args[0])) === JSON.stringify(value(args[1]));
      case 'Fn::Not': return !truth(args[0]);
      case 'Fn::And': return args.every(truth);
      case 'Fn::Or': return args.some(truth);
      case 'Condition': return condition(args);
      default: throw new Error(`Unsupported condition function ${fn}`);
    }
  }
  function value(node: any): any {
    if (Array.isArray(node)) return node.map(value).filter((v) => v !== NO_VALUE);
    if (node === null || typeof node !== 'object') return node;
    const keys = Object.keys(node);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      const args = node[keys[0]];
      switch (keys[0]) {
        case 'Ref': return ref(args);
        case 'Fn::Join': return (value(args[1]) as string[]).join(args[0]);
        case 'Fn::Split': return (value(args[1]) as string).split(args[0]);
        case 'Fn::Select': {
          const list = value(args[1]) as unknown[];
          const index = Number(value(args[0]));
          if (index >= list.length) throw new Error(`Fn::Select index ${index} out of range of ${JSON.stringify(list)}`);
          return list[index];
        }
        case 'Fn::If': return condition(args[0]) ? value(args[1]) : value(args[2]);
        case 'Fn::GetAtt': return `physical-${args[0]}.${args[1]}`;
        case 'Fn::Sub': return (args as string).replace(/\$\{([\w:]+)\}/g, (_m, name) => String(ref(name)));
        case 'Fn::Equals': case 'Fn::Not': case 'Fn::And': case 'Fn::Or': case 'Condition': return truth(node);
        default: throw new Error(`Unsupported function ${keys[0]}`);
      }
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, value(v)]).filter(([, v]) => v !== NO_VALUE));
  }

  for (const name of Object.keys(template.Conditions ?? {})) condition(name);
  const resources = Object.fromEntries(Object.entries(template.Resources ?? {})
    .filter(([, r]: [string, any]) => r.Condition === undefined || condition(r.Condition))
    .map(([id, r]: [string, any]) => [id, { Type: r.Type, Properties: value(r.Properties ?? {}) }]));
  const outputs = Object.fromEntries(Object.entries(template.Outputs ?? {})
    .filter(([, o]: [string, any]) => o.Condition === undefined || condition(o.Condition))
    .map(([id, o]: [string, any]) => [id, value(o.Value)]));
  return { parameters, conditions, resources, outputs };
}

function checkParameters(declared: Record<string, any>, values: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(values)) {
    if (!(name in declared)) throw new Error(`Parameter ${name} is not declared`);
  }
  return Object.fromEntries(Object.entries(declared).map(([name, p]) => {
    const given = values[name] ?? p.Default;
    if (given === undefined) throw new Error(`Parameters: [${name}] must have values`);
    const list = p.Type === 'CommaDelimitedList';
    const items: string[] = list ? given.split(',').map((s: string) => s.trim()) : [given];
    const problems: string[] = [];
    if (p.AllowedPattern && !items.every((item) => new RegExp(p.AllowedPattern).test(item))) problems.push('AllowedPattern');
    if (p.AllowedValues && !p.AllowedValues.includes(given)) problems.push('AllowedValues');
    if (!list && p.MaxLength !== undefined && given.length > Number(p.MaxLength)) problems.push('MaxLength');
    if (!list && p.MinLength !== undefined && given.length < Number(p.MinLength)) problems.push('MinLength');
    if (problems.length > 0) {
      throw new Error(`Parameter '${name}' must satisfy ${problems.join(', ')}: ${p.ConstraintDescription ?? ''} (got ${JSON.stringify(given)})`);
    }
    return [name, given];
  }));
}

/** The policy documents of the managed policies that exist, in template order. */
export function managedPolicyDocuments(stack: DeployedStack): any[] {
  return Object.values(stack.resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy').map((r) => r.Properties.PolicyDocument);
}
