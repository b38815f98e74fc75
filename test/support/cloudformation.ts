/**
 * Deploys a synthesized CloudFormation template on paper, for tests: checks the parameter values the way
 * CloudFormation does, evaluates the Conditions, and turns what remains into the concrete JSON a deployment
 * would produce, so that tests and a policy evaluator can read its policies.
 *
 * - Parameters: every value must be declared; a parameter without a value takes its `Default` or fails; values
 *   must satisfy `AllowedPattern` (each item of a list), `AllowedValues`, `MinLength` and `MaxLength`.
 * - Rules: a rule whose `RuleCondition` holds (or that has none) fails the deployment, with its
 *   `AssertDescription`, when one of its `Assertions` does not hold; `Fn::Equals`, `Fn::Not`, `Fn::And` and
 *   `Fn::Or` on parameters (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html).
 *   CDK's `CheckBootstrapVersion` is skipped: it reads an SSM parameter only a real deployment resolves.
 * - Conditions: `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or` and `Condition`. Resources and outputs whose
 *   condition is false are dropped; `Ref AWS::NoValue` disappears from lists and objects.
 * - Values: `Ref`, `Fn::GetAtt <logical id>.Arn`, `Fn::If`, `Fn::Join`, `Fn::Select`, `Fn::Split` and `Fn::Sub`
 *   (without a variables map).
 * - Resources get the physical names and ARNs CloudFormation would give them, derived from their properties
 *   or, when unnamed, from their logical IDs, so the same template always deploys the same way.
 */

/** Where a template is deployed, and with which parameter values. */
export interface Deployment {
  readonly account: string;
  readonly region: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** @default 'amazonaws.com.cn' in the `aws-cn` partition, 'amazonaws.com' elsewhere */
  readonly urlSuffix?: string;
  /** Values of the template's parameters, as given to CloudFormation (lists comma-separated). @default {} */
  readonly parameters?: Record<string, string>;
}

/** A resource that exists after deployment, with concrete properties. */
export interface DeployedResource {
  readonly Type: string;
  readonly Properties: Record<string, any>;
}

/** A template as deployed. */
export interface DeployedStack {
  /** The deployment, with its defaults filled in. */
  readonly deployment: Required<Omit<Deployment, 'parameters'>>;
  /** The value of every parameter: the one given, or its `Default`. */
  readonly parameters: Record<string, string>;
  /** The value of every condition. */
  readonly conditions: Record<string, boolean>;
  /** The resources that exist, by logical ID. */
  readonly resources: Record<string, DeployedResource>;
  /** What `Ref` returns for each resource (its physical name or id). */
  readonly refs: Record<string, string>;
  /** What `Fn::GetAtt <logical id>.Arn` returns for each resource that has an ARN. */
  readonly arns: Record<string, string>;
  /** The values of the outputs that exist, by logical ID. */
  readonly outputs: Record<string, unknown>;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** Deploys `template` on paper for `deployment`; throws like CloudFormation would on a bad parameter value. */
export function deployOnPaper(template: any, deployment: Deployment): DeployedStack {
  const partition = deployment.partition ?? 'aws';
  const env = {
    account: deployment.account,
    region: deployment.region,
    partition,
    urlSuffix: deployment.urlSuffix ?? (partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'),
  };
  const declared: Record<string, any> = template.Parameters ?? {};
  const parameters = checkParameters(declared, deployment.parameters ?? {});
  const pseudo: Record<string, string> = {
    'AWS::AccountId': env.account,
    'AWS::Region': env.region,
    'AWS::Partition': env.partition,
    'AWS::URLSuffix': env.urlSuffix,
  };

  const conditions: Record<string, boolean> = {};
  const condition = (name: string): boolean => {
    if (!(name in conditions)) conditions[name] = truth(template.Conditions[name]);
    return conditions[name];
  };
  const exists = (element: { Condition?: string }) => element.Condition === undefined || condition(element.Condition);
  // Conditions name only parameters (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html):
  // the resources are filtered by them once `ref` below resolves parameters.
  let resources: Record<string, any> = {};
  const refs: Record<string, string> = {};
  const arns: Record<string, string> = {};

  const ref = (name: string): unknown => {
    if (name in parameters) return isList(declared[name].Type) ? items(parameters[name]) : parameters[name];
    if (name in pseudo) return pseudo[name];
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (resources[name]) {
      nameResource(name);
      return refs[name];
    }
    throw new Error(`Cannot resolve Ref ${name}: not a parameter, a pseudo parameter, or a resource that exists`);
  };

  const getAtt = (logicalId: string, attribute: string): string => {
    if (attribute !== 'Arn') throw new Error(`Cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
    nameResource(logicalId);
    if (arns[logicalId] === undefined) throw new Error(`Cannot resolve Fn::GetAtt ${logicalId}.Arn: no ARN for ${resources[logicalId].Type}`);
    return arns[logicalId];
  };

  resources = Object.fromEntries(Object.entries<any>(template.Resources ?? {}).filter(([, r]) => exists(r)));

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
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      const args = node[keys[0]];
      switch (keys[0]) {
        case 'Ref': return ref(args);
        case 'Fn::GetAtt': return getAtt(args[0], args[1]);
        case 'Fn::Join': return (value(args[1]) as string[]).join(args[0]);
        case 'Fn::Split': return String(value(args[1])).split(args[0]);
        case 'Fn::Select': {
          const list = value(args[1]) as unknown[];
          const index = Number(value(args[0]));
          if (index >= list.length) throw new Error(`Fn::Select index ${index} out of range of ${JSON.stringify(list)}`);
          return list[index];
        }
        case 'Fn::If': return condition(args[0]) ? value(args[1]) : value(args[2]);
        case 'Fn::Sub': {
          if (typeof args !== 'string') throw new Error('Unsupported Fn::Sub with a variables map');
          return args.replace(/\${([^}]+)}/g, (_, name: string) => {
            const [logicalId, attribute] = name.split('.');
            return attribute === undefined ? String(ref(name)) : getAtt(logicalId, attribute);
          });
        }
        default: throw new Error(`Unsupported function ${keys[0]}`);
      }
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, value(v)]).filter(([, v]) => v !== NO_VALUE));
  }

  /** Gives resource `logicalId` the physical name (what `Ref` returns) and ARN CloudFormation would. */
  function nameResource(logicalId: string): void {
    if (refs[logicalId] !== undefined) return;
    const resource = resources[logicalId];
    if (!resource) throw new Error(`No resource ${logicalId} exists in the template`);
    const props = resource.Properties ?? {};
    const named = (property: string, unnamed: string): string => (props[property] === undefined ? unnamed : value(props[property]));
    const arnPrefix = (service: string, region = env.region) => `arn:${env.partition}:${service}:${region}:${env.account}`;
    switch (resource.Type) {
      case 'AWS::IAM::Role': {
        refs[logicalId] = named('RoleName', logicalId);
        arns[logicalId] = `${arnPrefix('iam', '')}:role${named('Path', '/')}${refs[logicalId]}`;
        break;
      }
      case 'AWS::IAM::ManagedPolicy': {
        refs[logicalId] = `${arnPrefix('iam', '')}:policy${named('Path', '/')}${named('ManagedPolicyName', logicalId)}`;
        arns[logicalId] = refs[logicalId];
        break;
      }
      case 'AWS::S3::Bucket': {
        refs[logicalId] = named('BucketName', logicalId.toLowerCase());
        arns[logicalId] = `arn:${env.partition}:s3:::${refs[logicalId]}`;
        break;
      }
      case 'AWS::KMS::Key': {
        refs[logicalId] = keyId(logicalId);
        arns[logicalId] = `${arnPrefix('kms')}:key/${refs[logicalId]}`;
        break;
      }
      case 'AWS::Athena::WorkGroup': {
        refs[logicalId] = value(props.Name);
        arns[logicalId] = `${arnPrefix('athena')}:workgroup/${refs[logicalId]}`;
        break;
      }
      default:
        refs[logicalId] = logicalId;
    }
  }

  for (const [name, rule] of Object.entries<any>(template.Rules ?? {})) {
    if (name === 'CheckBootstrapVersion') continue;
    if (rule.RuleCondition !== undefined && !truth(rule.RuleCondition)) continue;
    const failed = (rule.Assertions ?? []).find((assertion: any) => !truth(assertion.Assert));
    if (failed) throw new Error(`Template rule ${name} failed: ${failed.AssertDescription ?? ''}`);
  }
  for (const name of Object.keys(template.Conditions ?? {})) condition(name);
  const deployed = Object.fromEntries(Object.entries(resources).map(([logicalId, resource]) =>
    [logicalId, { Type: resource.Type, Properties: value(resource.Properties ?? {}) }]));
  Object.keys(resources).forEach(nameResource);
  const outputs = Object.fromEntries(Object.entries<any>(template.Outputs ?? {}).filter(([, o]) => exists(o))
    .map(([id, o]) => [id, value(o.Value)]));
  return { deployment: env, parameters, conditions, resources: deployed, refs, arns, outputs };
}

/** The policy documents of the managed policies that exist, in template order. */
export function managedPolicyDocuments(stack: DeployedStack): any[] {
  return Object.values(stack.resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy').map((r) => r.Properties.PolicyDocument);
}

function isList(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

/** The items of a list parameter's value. */
function items(value: string): string[] {
  return value.split(',').map((item) => item.trim());
}

/** The value of every declared parameter; throws CloudFormation's complaint about the first bad one. */
function checkParameters(declared: Record<string, any>, values: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(values)) {
    if (!(name in declared)) throw new Error(`Parameter ${name} is not declared`);
  }
  return Object.fromEntries(Object.entries(declared).map(([name, p]) => {
    const given = values[name] ?? (p.Default === undefined ? undefined : String(p.Default));
    if (given === undefined) throw new Error(`Parameters: [${name}] must have values`);
    const list = isList(p.Type);
    const problems: string[] = [];
    // CloudFormation requires the whole value to match the pattern.
    const pattern = p.AllowedPattern && new RegExp(`^(?:${p.AllowedPattern})$`);
    if (pattern && !(list ? items(given) : [given]).every((item) => pattern.test(item))) problems.push('AllowedPattern');
    if (p.AllowedValues && !p.AllowedValues.includes(given)) problems.push('AllowedValues');
    if (!list && p.MaxLength !== undefined && given.length > Number(p.MaxLength)) problems.push('MaxLength');
    if (!list && p.MinLength !== undefined && given.length < Number(p.MinLength)) problems.push('MinLength');
    if (problems.length > 0) {
      throw new Error(`Parameter '${name}' must satisfy ${problems.join(', ')}: ${p.ConstraintDescription ?? ''} (got ${JSON.stringify(given)})`);
    }
    return [name, given];
  }));
}

/** A deterministic KMS key id (UUID-shaped) for a logical ID. */
function keyId(logicalId: string): string {
  const hex = Buffer.from(logicalId.padEnd(16, '0')).toString('hex').slice(0, 32).padEnd(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
