import { AuditInputError } from './errors';

/**
 * Resolves a CloudFormation template the way a deployment would, far enough to read its IAM: parameters (given,
 * else their defaults), pseudo parameters, Conditions, and the intrinsic functions of CloudFormation's reference
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html):
 * `Ref`, `Fn::Sub`, `Fn::Join`, `Fn::If`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`, `Fn::GetAtt` (the ARN of an
 * in-template role, user or group, a managed policy's `PolicyArn`), and in Conditions `Fn::Equals`, `Fn::Not`,
 * `Fn::And`, `Fn::Or` and `Condition` (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html).
 * Any other intrinsic, or a value only a deployment knows (`Fn::ImportValue`, another attribute), is an
 * {@link AuditInputError} naming the resource and property.
 */

/** Values a deployment supplies and a template alone lacks. */
export interface TemplateInputs {
  /** Parameter values, lists comma-separated, as `aws cloudformation deploy --parameter-overrides` takes them. @default the templates' defaults */
  readonly parameters?: Record<string, string>;
  /** `AWS::AccountId`. @default the placeholder `<account>` */
  readonly accountId?: string;
  /** `AWS::Region`. @default the placeholder `<region>` */
  readonly region?: string;
  /** `AWS::Partition`. @default 'aws' */
  readonly partition?: string;
  /** `AWS::URLSuffix`. @default 'amazonaws.com' ('amazonaws.com.cn' in the aws-cn partition) */
  readonly urlSuffix?: string;
  /** `AWS::StackName`, which also names the resources a template leaves unnamed. @default 'stack' */
  readonly stackName?: string;
}

/** A resource of a template whose Condition holds, its properties not yet resolved. */
export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

/** `Ref AWS::NoValue`: drops the property or list item it stands for. */
const NO_VALUE = Symbol('AWS::NoValue');

type Json = unknown;

/** Where a value sits, for error messages: the template, resource and property. */
interface Where {
  readonly source: string;
  readonly path: string;
}

/** One template (a stack or a nested stack) with the values of its deployment. */
export class ResolvedTemplate {
  /** The resources whose Condition holds, in template order. */
  public readonly resources: TemplateResource[];
  private readonly parameters: Record<string, string | string[]>;
  private readonly conditions = new Map<string, boolean>();
  private readonly raw: Record<string, Record<string, Json>>;
  private readonly pseudo: Record<string, string>;

  /**
   * @param template the parsed template
   * @param inputs parameter and pseudo parameter values
   * @param source how to name the template in errors (a file name, `<file> > <nested stack logical id>`)
   */
  constructor(template: unknown, public readonly inputs: TemplateInputs, public readonly source: string) {
    if (!isObject(template) || !isObject(template.Resources)) {
      throw new AuditInputError(`${source}: not a CloudFormation template (no Resources object)`);
    }
    this.raw = template as Record<string, Record<string, Json>>;
    const partition = inputs.partition ?? 'aws';
    this.pseudo = {
      'AWS::AccountId': inputs.accountId ?? '<account>',
      'AWS::Region': inputs.region ?? '<region>',
      'AWS::Partition': partition,
      'AWS::URLSuffix': inputs.urlSuffix ?? (partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'),
      'AWS::StackName': this.stackName,
      'AWS::StackId': `arn:${partition}:cloudformation:${inputs.region ?? '<region>'}:${inputs.accountId ?? '<account>'}:stack/${this.stackName}/<id>`,
    };
    this.parameters = this.parameterValues();
    this.resources = Object.entries(this.raw.Resources as Record<string, Record<string, Json>>)
      .filter(([, resource]) => resource.Condition === undefined || this.condition(String(resource.Condition), { source, path: 'Resources' }))
      .map(([logicalId, resource]) => ({
        logicalId,
        type: String(resource.Type),
        properties: (isObject(resource.Properties) ? resource.Properties : {}),
        metadata: (isObject(resource.Metadata) ? resource.Metadata : {}),
      }));
  }

  /** `AWS::StackName`. */
  get stackName(): string {
    return this.inputs.stackName ?? 'stack';
  }

  /** The value of property `name` of `resource`, resolved; `undefined` when absent or `AWS::NoValue`. */
  property(resource: TemplateResource, name: string): unknown {
    const value = this.resolve(resource.properties[name], { source: this.source, path: `resource ${resource.logicalId}, property ${name}` });
    return value === NO_VALUE ? undefined : value;
  }

  /** A resolved property that must be a string when present. */
  stringProperty(resource: TemplateResource, name: string): string | undefined {
    const value = this.property(resource, name);
    if (value !== undefined && typeof value !== 'string') {
      throw this.error({ source: this.source, path: `resource ${resource.logicalId}, property ${name}` }, `expected a string, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  /** A resolved property that must be a list of strings when present (a lone string counts as a list of one). */
  stringListProperty(resource: TemplateResource, name: string): string[] {
    const value = this.property(resource, name);
    if (value === undefined) return [];
    const list = Array.isArray(value) ? value : [value];
    if (!list.every((item) => typeof item === 'string')) {
      throw this.error({ source: this.source, path: `resource ${resource.logicalId}, property ${name}` }, `expected a list of strings, got ${JSON.stringify(value)}`);
    }
    return list;
  }

  /** The physical name CloudFormation gives `resource`: its name property, else `<stack name>-<logical id>`. */
  physicalName(resource: TemplateResource): string {
    const nameProperty = NAME_PROPERTIES[resource.type];
    const name = nameProperty === undefined ? undefined : this.stringProperty(resource, nameProperty);
    return name ?? `${this.stackName}-${resource.logicalId}`;
  }

  /** The ARN of an IAM role, user, group or managed policy of this template. */
  iamArn(resource: TemplateResource): string | undefined {
    const kind = IAM_ARN_KINDS[resource.type];
    if (kind === undefined) return undefined;
    const path = this.stringProperty(resource, 'Path') ?? '/';
    return `arn:${this.pseudo['AWS::Partition']}:iam::${this.pseudo['AWS::AccountId']}:${kind}${path}${this.physicalName(resource)}`;
  }

  private parameterValues(): Record<string, string | string[]> {
    const declared = isObject(this.raw.Parameters) ? this.raw.Parameters as Record<string, Record<string, Json>> : {};
    const values: Record<string, string | string[]> = {};
    for (const [name, declaration] of Object.entries(declared)) {
      const given = this.inputs.parameters?.[name] ?? (declaration.Default === undefined ? undefined : String(declaration.Default));
      if (given === undefined) continue; // refused when referenced: an unused parameter needs no value
      const type = String(declaration.Type ?? 'String');
      values[name] = type.startsWith('List<') || type === 'CommaDelimitedList' ? given.split(',') : given;
    }
    return values;
  }

  private condition(name: string, where: Where): boolean {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const declared = isObject(this.raw.Conditions) ? this.raw.Conditions as Record<string, Json> : {};
    if (!Object.hasOwn(declared, name)) throw this.error(where, `condition "${name}" is not declared in Conditions`);
    const value = this.conditionValue(declared[name], { source: where.source, path: `condition ${name}` });
    this.conditions.set(name, value);
    return value;
  }

  private conditionValue(expression: Json, where: Where): boolean {
    if (typeof expression === 'boolean') return expression;
    if (expression === 'true' || expression === 'false') return expression === 'true';
    const [fn, args] = intrinsic(expression, true) ?? [];
    const list = (count?: number): Json[] => {
      if (!Array.isArray(args) || (count !== undefined && args.length !== count)) {
        throw this.error(where, `${fn} takes ${count === undefined ? 'a list' : `a list of ${count}`}, got ${JSON.stringify(args)}`);
      }
      return args;
    };
    switch (fn) {
      case 'Condition': return this.condition(String(args), where);
      case 'Fn::Equals': {
        const [a, b] = list(2).map((arg) => this.resolve(arg, where));
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Not': return !this.conditionValue(list(1)[0], where);
      case 'Fn::And': return list().every((arg) => this.conditionValue(arg, where));
      case 'Fn::Or': return list().some((arg) => this.conditionValue(arg, where));
      default: throw this.error(where, `${fn ?? JSON.stringify(expression)} is not a condition function (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition)`);
    }
  }

  /** Resolves `value` and everything in it. */
  private resolve(value: Json, where: Where): Json | typeof NO_VALUE {
    if (Array.isArray(value)) {
      return value.map((item, i) => this.resolve(item, { ...where, path: `${where.path}[${i}]` })).filter((item) => item !== NO_VALUE);
    }
    if (!isObject(value)) return value;
    const call = intrinsic(value);
    if (call) return this.call(call[0], call[1], where);
    const resolved: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value)) {
      const result = this.resolve(item, { ...where, path: `${where.path}.${key}` });
      if (result !== NO_VALUE) resolved[key] = result;
    }
    return resolved;
  }

  private call(fn: string, args: Json, where: Where): Json | typeof NO_VALUE {
    const list = (count: number): Json[] => {
      if (!Array.isArray(args) || args.length !== count) throw this.error(where, `${fn} takes a list of ${count}, got ${JSON.stringify(args)}`);
      return args;
    };
    const text = (arg: Json, what: string): string => {
      const result = this.resolve(arg, where);
      if (typeof result !== 'string' && typeof result !== 'number') throw this.error(where, `${fn}: ${what} must be a string, got ${JSON.stringify(result)}`);
      return String(result);
    };
    switch (fn) {
      case 'Ref': return this.ref(String(args), where);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = typeof args === 'string' ? splitOnce(args, '.') : (Array.isArray(args) ? args.map(String) : []);
        return this.getAtt(logicalId, attribute, where);
      }
      case 'Fn::Sub': return this.sub(args, where);
      case 'Fn::Join': {
        const [separator, items] = list(2);
        const values = this.resolve(items, where);
        if (!Array.isArray(values)) throw this.error(where, `Fn::Join needs a list to join, got ${JSON.stringify(values)}`);
        return values.map((item) => text(item, 'each item joined')).join(String(separator));
      }
      case 'Fn::Select': {
        const [index, items] = list(2);
        const values = this.resolve(items, where);
        const i = Number(this.resolve(index, where));
        if (!Array.isArray(values) || !Number.isInteger(i) || i < 0 || i >= values.length) {
          throw this.error(where, `Fn::Select index ${i} is outside the list ${JSON.stringify(values)}`);
        }
        return values[i];
      }
      case 'Fn::Split': {
        const [delimiter, source] = list(2);
        return text(source, 'the string split').split(String(delimiter));
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = list(3);
        return this.resolve(this.condition(String(condition), where) ? whenTrue : whenFalse, where);
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = list(3).map((arg) => text(arg, 'each key'));
        const mappings = isObject(this.raw.Mappings) ? this.raw.Mappings as Record<string, Record<string, Record<string, Json>>> : {};
        const found = mappings[map]?.[top]?.[second];
        if (found === undefined) throw this.error(where, `Fn::FindInMap: Mappings has no ${map} > ${top} > ${second}`);
        return found;
      }
      default:
        throw this.error(where, `${fn} cannot be resolved from a template alone (supported: Ref, Fn::Sub, Fn::Join, Fn::If, Fn::Select, Fn::Split, Fn::FindInMap, Fn::GetAtt of an IAM ARN)`);
    }
  }

  private ref(name: string, where: Where): Json | typeof NO_VALUE {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (Object.hasOwn(this.pseudo, name)) return this.pseudo[name];
    if (Object.hasOwn(this.parameters, name)) return this.parameters[name];
    const declaredParameters = isObject(this.raw.Parameters) ? this.raw.Parameters : {};
    if (Object.hasOwn(declaredParameters, name)) {
      throw this.error(where, `parameter ${name} has no value and no Default: give it with --parameters ${name}=<value>`);
    }
    const resource = this.resources.find((r) => r.logicalId === name);
    if (!resource) throw this.error(where, `Ref ${name}: no such parameter, or resource whose Condition holds`);
    // Ref of a managed policy is its ARN; of a role, user or group its name (the CloudFormation resource reference).
    return resource.type === 'AWS::IAM::ManagedPolicy' ? this.iamArn(resource)! : this.physicalName(resource);
  }

  private getAtt(logicalId: string | undefined, attribute: string | undefined, where: Where): Json {
    const resource = this.resources.find((r) => r.logicalId === logicalId);
    const arn = resource === undefined ? undefined : this.iamArn(resource);
    const arnAttribute = resource?.type === 'AWS::IAM::ManagedPolicy' ? 'PolicyArn' : 'Arn';
    if (arn === undefined || attribute !== arnAttribute) {
      throw this.error(where, `Fn::GetAtt ${logicalId}.${attribute} cannot be resolved from a template alone (only the ARN of an in-template IAM role, user, group or managed policy)`);
    }
    return arn;
  }

  private sub(args: Json, where: Where): string {
    const [body, variables] = typeof args === 'string' ? [args, {}] : (Array.isArray(args) ? args : [undefined, undefined]);
    if (typeof body !== 'string' || !isObject(variables)) throw this.error(where, `Fn::Sub takes a string or [string, {variables}], got ${JSON.stringify(args)}`);
    return body.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`; // ${!Literal} writes ${Literal}
      const value = Object.hasOwn(variables, name)
        ? this.resolve(variables[name], where)
        : (name.includes('.') && !name.startsWith('AWS::') ? this.getAtt(...splitOnce(name, '.'), where) : this.ref(name, where));
      if (typeof value !== 'string' && typeof value !== 'number') throw this.error(where, `Fn::Sub: ${whole} is not a string (${JSON.stringify(value)})`);
      return String(value);
    });
  }

  private error(where: Where, message: string): AuditInputError {
    return new AuditInputError(`${where.source}: ${where.path}: ${message}`);
  }
}

/** The IAM ARN resource kind of each IAM resource type that has an ARN. */
const IAM_ARN_KINDS: Record<string, string> = {
  'AWS::IAM::Role': 'role',
  'AWS::IAM::User': 'user',
  'AWS::IAM::Group': 'group',
  'AWS::IAM::ManagedPolicy': 'policy',
};

/** The property that names a resource, where one does. */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Policy': 'PolicyName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Athena::WorkGroup': 'Name',
  'AWS::Glue::Database': 'DatabaseName',
};

/**
 * `[function name, arguments]` when `value` is an intrinsic function call: an object of one `Ref` or `Fn::` key,
 * or (in a condition) `Condition`.
 */
function intrinsic(value: Json, inCondition = false): [string, Json] | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !(keys[0] === 'Ref' || keys[0].startsWith('Fn::') || (inCondition && keys[0] === 'Condition'))) return undefined;
  return [keys[0], value[keys[0]]];
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
