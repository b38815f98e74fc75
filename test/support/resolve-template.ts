/**
 * Turns a synthesized CloudFormation template into the concrete JSON CloudFormation would deploy, so that a
 * policy evaluator can read its policies: `Ref` to pseudo parameters, parameters and resources, `Fn::GetAtt`
 * of `Arn`, `Fn::Join`, `Fn::Select`, `Fn::Split` and `Fn::Sub` are replaced by values. Physical names a
 * deployment would generate are derived from logical IDs, so the same template always resolves the same way.
 */

/** The deployment a template is resolved for. */
export interface Deployment {
  readonly account: string;
  readonly region: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** Values of the template's parameters; parameters not given take their `Default`. */
  readonly parameters?: Record<string, string>;
}

/** A template resource after resolution. */
export interface ResolvedResource {
  readonly Type: string;
  readonly Properties: Record<string, any>;
}

/** A template whose resources' properties hold only concrete values. */
export interface ResolvedTemplate {
  readonly deployment: Required<Omit<Deployment, 'parameters'>>;
  readonly resources: Record<string, ResolvedResource>;
  /** What `Ref` returns for each resource (its physical name or id). */
  readonly refs: Record<string, string>;
  /** What `Fn::GetAtt <logical id>.Arn` returns for each resource that has an ARN. */
  readonly arns: Record<string, string>;
}

/** A deterministic KMS key id (UUID-shaped) for a logical ID. */
function keyId(logicalId: string): string {
  const hex = Buffer.from(logicalId.padEnd(16, '0')).toString('hex').slice(0, 32).padEnd(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Resolves every resource of `template` for `deployment`. */
export function resolveTemplate(template: any, deployment: Deployment): ResolvedTemplate {
  const env = { partition: 'aws', ...deployment };
  const resources: Record<string, any> = template.Resources ?? {};
  const refs: Record<string, string> = {};
  const arns: Record<string, string> = {};

  const pseudo: Record<string, string> = {
    'AWS::AccountId': env.account,
    'AWS::Region': env.region,
    'AWS::Partition': env.partition,
    'AWS::URLSuffix': env.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    'AWS::StackName': 'Stack',
  };
  const parameters: Record<string, string> = {};
  for (const [name, parameter] of Object.entries<any>(template.Parameters ?? {})) {
    const value = env.parameters?.[name] ?? parameter.Default;
    if (value !== undefined) parameters[name] = String(value);
  }

  const resolve = (node: any): any => {
    if (Array.isArray(node)) return node.map(resolve);
    if (node === null || typeof node !== 'object') return node;
    const keys = Object.keys(node);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return intrinsic(keys[0], node[keys[0]]);
    return Object.fromEntries(keys.map((k) => [resolve(k), resolve(node[k])]));
  };

  const ref = (name: string): string => {
    const value = pseudo[name] ?? parameters[name] ?? refs[name];
    if (value === undefined) {
      if (resources[name]) {
        nameResource(name);
        return refs[name];
      }
      throw new Error(`Cannot resolve Ref ${name}: not a pseudo parameter, a parameter with a value, or a resource`);
    }
    return value;
  };

  const intrinsic = (fn: string, args: any): any => {
    switch (fn) {
      case 'Ref': return ref(args);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(args) ? args : String(args).split('.');
        if (attribute !== 'Arn') throw new Error(`Cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
        nameResource(logicalId);
        return arns[logicalId];
      }
      case 'Fn::Join': {
        const [delimiter, parts] = args;
        return resolve(parts).join(delimiter);
      }
      case 'Fn::Select': return resolve(args[1])[Number(resolve(args[0]))];
      case 'Fn::Split': return String(resolve(args[1])).split(args[0]);
      case 'Fn::Sub': return String(args).replace(/\${([^}]+)}/g, (_, name: string) =>
        (name.endsWith('.Arn') ? intrinsic('Fn::GetAtt', name) : ref(name)));
      default: throw new Error(`Cannot resolve ${fn}`);
    }
  };

  /** The physical name and ARN CloudFormation would give a resource. */
  const nameResource = (logicalId: string): void => {
    if (refs[logicalId] !== undefined) return;
    const resource = resources[logicalId];
    if (!resource) throw new Error(`No resource ${logicalId} in the template`);
    const props = resource.Properties ?? {};
    const arnPrefix = (service: string, region = env.region, account = env.account) =>
      `arn:${env.partition}:${service}:${region}:${account}`;
    switch (resource.Type) {
      case 'AWS::IAM::Role': {
        const name = props.RoleName === undefined ? logicalId : resolve(props.RoleName);
        refs[logicalId] = name;
        arns[logicalId] = `${arnPrefix('iam', '')}:role${props.Path === undefined ? '/' : resolve(props.Path)}${name}`;
        break;
      }
      case 'AWS::IAM::ManagedPolicy': {
        const name = props.ManagedPolicyName === undefined ? logicalId : resolve(props.ManagedPolicyName);
        refs[logicalId] = `${arnPrefix('iam', '')}:policy${props.Path ?? '/'}${name}`;
        arns[logicalId] = refs[logicalId];
        break;
      }
      case 'AWS::S3::Bucket': {
        refs[logicalId] = props.BucketName === undefined ? logicalId.toLowerCase() : resolve(props.BucketName);
        arns[logicalId] = `arn:${env.partition}:s3:::${refs[logicalId]}`;
        break;
      }
      case 'AWS::KMS::Key': {
        refs[logicalId] = keyId(logicalId);
        arns[logicalId] = `${arnPrefix('kms')}:key/${refs[logicalId]}`;
        break;
      }
      case 'AWS::Athena::WorkGroup': {
        refs[logicalId] = resolve(props.Name);
        arns[logicalId] = `${arnPrefix('athena')}:workgroup/${refs[logicalId]}`;
        break;
      }
      default:
        refs[logicalId] = logicalId;
    }
  };

  const resolved = Object.fromEntries(Object.entries(resources).map(([logicalId, resource]) =>
    [logicalId, { Type: resource.Type, Properties: resolve(resource.Properties ?? {}) }]));
  Object.keys(resources).forEach(nameResource);
  return { deployment: { account: env.account, region: env.region, partition: env.partition }, resources: resolved, refs, arns };
}
