import { AuditInputError } from './errors';
import { LakeFormationPermission, PolicyDocument, PrincipalPermissions, PrincipalPolicy } from './principal';
import { isObject, ResolvedTemplate, TemplateInputs, TemplateResource } from './template';

/**
 * The principals a CloudFormation template creates, with everything that decides what they may do: each
 * `AWS::IAM::Role` (trust, inline `Policies`, `ManagedPolicyArns`, `PermissionsBoundary`) and `AWS::IAM::User`
 * (with its groups' policies), the `AWS::IAM::ManagedPolicy` resources attached through their `Roles`, `Users`
 * and `Groups`, `AWS::IAM::Policy`, `RolePolicy`, `UserPolicy` and `GroupPolicy`, and the Lake Formation grants
 * of `AWS::LakeFormation::Permissions` and `AWS::LakeFormation::PrincipalPermissions`, nested stacks included.
 */

/** How to read the template of a nested stack (`AWS::CloudFormation::Stack`). */
export type NestedTemplateReader = (stack: TemplateResource, parentSource: string) => { template: unknown; source: string };

/** Options of {@link principalsFromTemplate}. */
export interface TemplatePrincipalsOptions {
  /** How to name the template in errors, e.g. its file name. */
  readonly source: string;
  /** Reads a nested stack's template. @default a nested stack is refused, naming its logical id */
  readonly nestedTemplate?: NestedTemplateReader;
}

/** One template of the stack tree, resolved. */
interface StackTemplate {
  readonly resolved: ResolvedTemplate;
}

/** A principal being assembled. */
interface Building {
  readonly kind: 'role' | 'user' | 'group';
  readonly name: string;
  readonly arn: string;
  readonly logicalId: string;
  trust?: PolicyDocument;
  readonly policies: PrincipalPolicy[];
  managedArns: string[];
  boundaryArn?: string;
  readonly groups: string[];
  readonly lakeFormation: LakeFormationPermission[];
}

const PRINCIPAL_KINDS: Record<string, Building['kind']> = { 'AWS::IAM::Role': 'role', 'AWS::IAM::User': 'user', 'AWS::IAM::Group': 'group' };

/** Reads the principals of `template` (and its nested stacks) as deployed with `inputs`. */
export function principalsFromTemplate(template: unknown, inputs: TemplateInputs, options: TemplatePrincipalsOptions): PrincipalPermissions[] {
  const stacks = stackTree(new ResolvedTemplate(template, inputs, options.source), options.nestedTemplate);
  const principals = new Map<string, Building>(); // by kind and name
  const key = (kind: string, name: string) => `${kind}/${name}`;
  for (const { resolved } of stacks) {
    for (const resource of resolved.resources) {
      const kind = PRINCIPAL_KINDS[resource.type];
      if (kind === undefined) continue;
      const name = resolved.physicalName(resource);
      principals.set(key(kind, name), {
        kind,
        name,
        arn: resolved.iamArn(resource)!,
        logicalId: resource.logicalId,
        trust: kind === 'role' ? policyDocument(resolved, resource, 'AssumeRolePolicyDocument') : undefined,
        policies: inlinePolicies(resolved, resource, 'Policies'),
        managedArns: resolved.stringListProperty(resource, 'ManagedPolicyArns'),
        boundaryArn: kind === 'group' ? undefined : resolved.stringProperty(resource, 'PermissionsBoundary'),
        groups: kind === 'user' ? resolved.stringListProperty(resource, 'Groups') : [],
        lakeFormation: [],
      });
    }
  }
  const find = (kind: string, name: string) => principals.get(key(kind, name));
  const managed = new Map<string, { source: string; document: PolicyDocument }>(); // by ARN
  for (const { resolved } of stacks) {
    for (const resource of resolved.resources) {
      attach(resolved, resource, find, managed);
    }
  }
  const byArn = new Map([...principals.values()].map((p) => [p.arn, p]));
  for (const { resolved } of stacks) {
    for (const resource of resolved.resources) {
      const grant = lakeFormationGrant(resolved, resource);
      if (!grant) continue;
      const principal = byArn.get(grant.principal);
      // A grant to a principal the template does not create is not the business of any principal here.
      principal?.lakeFormation.push(grant.permission);
    }
  }
  return [...principals.values()].filter((p) => p.kind !== 'group').map((p) => finish(p, principals, managed));
}

/** The template and its nested stacks, depth first, each resolved with the parameters its parent passes. */
function stackTree(root: ResolvedTemplate, nestedTemplate: NestedTemplateReader | undefined): StackTemplate[] {
  const stacks: StackTemplate[] = [{ resolved: root }];
  for (const resource of root.resources.filter((r) => r.type === 'AWS::CloudFormation::Stack')) {
    if (!nestedTemplate) {
      throw new AuditInputError(`${root.source}: resource ${resource.logicalId} is a nested stack; read the cloud assembly directory that holds its template`);
    }
    const nested = nestedTemplate(resource, root.source);
    const passed = root.property(resource, 'Parameters');
    const parameters = Object.fromEntries(Object.entries(isObject(passed) ? passed : {})
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]));
    const inputs: TemplateInputs = { ...root.inputs, parameters, stackName: `${root.stackName}-${resource.logicalId}` };
    stacks.push(...stackTree(new ResolvedTemplate(nested.template, inputs, nested.source), nestedTemplate));
  }
  return stacks;
}

/** Attaches a policy resource (managed, inline of its own, or a group membership) to the principals it names. */
function attach(
  resolved: ResolvedTemplate,
  resource: TemplateResource,
  find: (kind: string, name: string) => Building | undefined,
  managed: Map<string, { source: string; document: PolicyDocument }>,
): void {
  const targets = (kind: string, property: string) => resolved.stringListProperty(resource, property)
    .map((name) => find(kind, name)).filter((p): p is Building => p !== undefined);
  const everyTarget = () => [...targets('role', 'Roles'), ...targets('user', 'Users'), ...targets('group', 'Groups')];
  switch (resource.type) {
    case 'AWS::IAM::ManagedPolicy': {
      const arn = resolved.iamArn(resource)!;
      managed.set(arn, { source: resource.logicalId, document: policyDocument(resolved, resource, 'PolicyDocument')! });
      for (const target of everyTarget()) target.managedArns.push(arn);
      return;
    }
    case 'AWS::IAM::Policy': {
      const policy: PrincipalPolicy = { kind: 'inline', source: resource.logicalId, document: policyDocument(resolved, resource, 'PolicyDocument')! };
      for (const target of everyTarget()) target.policies.push(policy);
      return;
    }
    case 'AWS::IAM::RolePolicy':
    case 'AWS::IAM::UserPolicy':
    case 'AWS::IAM::GroupPolicy': {
      const kind = resource.type.slice('AWS::IAM::'.length, -'Policy'.length).toLowerCase();
      const nameProperty = `${kind[0].toUpperCase()}${kind.slice(1)}Name`;
      const target = find(kind, resolved.stringProperty(resource, nameProperty) ?? '');
      target?.policies.push({ kind: 'inline', source: resource.logicalId, document: policyDocument(resolved, resource, 'PolicyDocument')! });
      return;
    }
    case 'AWS::IAM::UserToGroupAddition': {
      const group = resolved.stringProperty(resource, 'GroupName') ?? '';
      for (const user of targets('user', 'Users')) user.groups.push(group);
      return;
    }
    default:
  }
}

/** A built principal in the shared shape: managed policies resolved to documents, a user's groups' policies added. */
function finish(
  p: Building,
  principals: Map<string, Building>,
  managed: Map<string, { source: string; document: PolicyDocument }>,
): PrincipalPermissions {
  const policies: PrincipalPolicy[] = [...p.policies];
  const external: string[] = [];
  const addManaged = (arns: string[], kind: 'managed' | 'group-managed') => {
    for (const arn of new Set(arns)) {
      const found = managed.get(arn);
      if (found) policies.push({ kind, source: found.source, document: found.document });
      else external.push(arn);
    }
  };
  addManaged(p.managedArns, 'managed');
  for (const groupName of p.groups) {
    const group = principals.get(`group/${groupName}`);
    if (!group) continue;
    policies.push(...group.policies.map((policy) => ({ ...policy, kind: 'group-inline' as const })));
    addManaged(group.managedArns, 'group-managed');
  }
  const boundary = p.boundaryArn === undefined ? undefined : managed.get(p.boundaryArn);
  return {
    kind: p.kind as 'role' | 'user',
    name: p.name,
    arn: p.arn,
    logicalId: p.logicalId,
    ...(p.trust ? { trust: p.trust } : {}),
    policies,
    ...(boundary ? { permissionsBoundary: { kind: 'managed', source: boundary.source, document: boundary.document } } : {}),
    ...(p.boundaryArn !== undefined && !boundary ? { externalPermissionsBoundaryArn: p.boundaryArn } : {}),
    ...(external.length > 0 ? { externalPolicyArns: external } : {}),
    lakeFormation: p.lakeFormation,
  };
}

/** The inline policies of a role, user or group (`Policies`: PolicyName + PolicyDocument). */
function inlinePolicies(resolved: ResolvedTemplate, resource: TemplateResource, property: string): PrincipalPolicy[] {
  const value = resolved.property(resource, property);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new AuditInputError(`${resolved.source}: resource ${resource.logicalId}, property ${property}: expected a list of policies`);
  return value.map((policy, i) => ({
    kind: 'inline',
    source: String((policy as Record<string, unknown>).PolicyName ?? `${resource.logicalId}.${property}[${i}]`),
    document: asPolicyDocument((policy as Record<string, unknown>).PolicyDocument, `${resolved.source}: resource ${resource.logicalId}, property ${property}[${i}].PolicyDocument`),
  }));
}

function policyDocument(resolved: ResolvedTemplate, resource: TemplateResource, property: string): PolicyDocument | undefined {
  const value = resolved.property(resource, property);
  return value === undefined ? undefined : asPolicyDocument(value, `${resolved.source}: resource ${resource.logicalId}, property ${property}`);
}

function asPolicyDocument(value: unknown, where: string): PolicyDocument {
  // CloudFormation also takes a policy document as a JSON string.
  const parsed = typeof value === 'string' ? parseJson(value, where) : value;
  if (!isObject(parsed) || !(Array.isArray(parsed.Statement) || isObject(parsed.Statement))) {
    throw new AuditInputError(`${where}: not a policy document (no Statement)`);
  }
  return parsed as unknown as PolicyDocument;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AuditInputError(`${where}: not JSON: ${(e as Error).message}`);
  }
}

/**
 * A Lake Formation grant of the template, in the shape `ListPermissions` returns: `AWS::LakeFormation::PrincipalPermissions`
 * already uses the API's resource shape; `AWS::LakeFormation::Permissions` names its resources `DatabaseResource`,
 * `TableResource`, `TableWithColumnsResource` and `DataLocationResource` (`S3Resource` for the API's `ResourceArn`).
 */
function lakeFormationGrant(
  resolved: ResolvedTemplate,
  resource: TemplateResource,
): { principal: string; permission: LakeFormationPermission } | undefined {
  const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  if (resource.type === 'AWS::LakeFormation::PrincipalPermissions') {
    const principal = resolved.property(resource, 'Principal') as Record<string, unknown> | undefined;
    return {
      principal: String(principal?.DataLakePrincipalIdentifier),
      permission: {
        resource: resolved.property(resource, 'Resource') as Record<string, unknown>,
        permissions: strings(resolved.property(resource, 'Permissions')),
        permissionsWithGrantOption: strings(resolved.property(resource, 'PermissionsWithGrantOption')),
      },
    };
  }
  if (resource.type === 'AWS::LakeFormation::Permissions') {
    const principal = resolved.property(resource, 'DataLakePrincipal') as Record<string, unknown> | undefined;
    const legacy = (resolved.property(resource, 'Resource') ?? {}) as Record<string, Record<string, unknown>>;
    const api: Record<string, unknown> = {};
    if (legacy.DatabaseResource) api.Database = legacy.DatabaseResource;
    if (legacy.TableResource) api.Table = legacy.TableResource;
    if (legacy.TableWithColumnsResource) api.TableWithColumns = legacy.TableWithColumnsResource;
    if (legacy.DataLocationResource) {
      const { S3Resource, ...rest } = legacy.DataLocationResource;
      api.DataLocation = { ...rest, ResourceArn: S3Resource };
    }
    return {
      principal: String(principal?.DataLakePrincipalIdentifier),
      permission: {
        resource: api,
        permissions: strings(resolved.property(resource, 'Permissions')),
        permissionsWithGrantOption: strings(resolved.property(resource, 'PermissionsWithGrantOption')),
      },
    };
  }
  return undefined;
}
