import { AuditInputError } from './errors';
import { LakeFormationPermission, PolicyDocument, PrincipalPermissions, PrincipalPolicy } from './principal';
import { isObject, TemplateInputs } from './template';

/**
 * The principals of `terraform show -json` output (https://developer.hashicorp.com/terraform/internals/json-format):
 * of a saved plan, the `planned_values` (what apply will leave; a value known only after apply is absent there and
 * `true` in its change's `after_unknown`); of a state, the `values`. Each `aws_iam_role` and `aws_iam_user`, at any
 * module depth (`child_modules`), with its trust (`assume_role_policy`), its inline policies (`aws_iam_role_policy`,
 * `aws_iam_user_policy`), the `aws_iam_policy` documents (or, for a policy the output does not hold, the ARN)
 * attached by `aws_iam_role_policy_attachment`, `aws_iam_role_policy_attachments_exclusive`, `aws_iam_policy_attachment`
 * and their user and group twins, its permissions boundary, a user's groups (`aws_iam_user_group_membership`,
 * `aws_iam_group_membership`) and the Lake Formation grants of `aws_lakeformation_permissions`
 * (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/lakeformation_permissions).
 *
 * Only those attributes are read: everything else (an access key's `secret`, which the state holds in plain text)
 * is never looked at, copied or shown.
 *
 * In a plan, a policy's or a role's ARN is unknown until apply: an attachment's `policy_arn` is then joined to the
 * resources its expression references in the plan's `configuration` (`policy_arn = aws_iam_policy.x.arn`, or
 * `each.value` over `for_each = { a = aws_iam_policy.x.arn, ... }`); any other unknown value the reader needs is an
 * {@link AuditInputError} naming it. A role's `inline_policy` and `managed_policy_arns` are read only where the
 * configuration sets them: otherwise the provider fills them with what IAM held at the last refresh (hand-made
 * changes included), which is no approval.
 */

/** Whether `json` is `terraform show -json` output rather than a CloudFormation template. */
export function isTerraformShow(json: unknown): boolean {
  return isObject(json) && typeof json.format_version === 'string' && !('Resources' in json);
}

/** A managed resource instance of the output. */
interface Instance {
  readonly address: string;
  /** The module instance's address, '' at the root. */
  readonly module: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly values: Record<string, unknown>;
  /** The change's `after_unknown` (a plan), {} (a state). */
  readonly unknown: Record<string, unknown>;
  /** The resource's block in the plan's `configuration`, absent in a state. */
  readonly config?: ConfigResource;
}

interface ConfigResource {
  readonly address: string;
  readonly expressions?: Record<string, unknown>;
  readonly for_each_expression?: { references?: string[] };
  readonly count_expression?: { references?: string[] };
}

/** What an attribute names: a known value, or (unknown until apply) a resource instance its expression references. */
type Link = { readonly value: string } | { readonly instance: Instance };

/** A principal (or group) being assembled. */
interface Building {
  readonly instance: Instance;
  readonly kind: 'role' | 'user' | 'group';
  readonly name?: string;
  readonly arn?: string;
  readonly inline: Map<string, PrincipalPolicy>;
  /** Attached managed policies by ARN (or, unknown until apply, address). */
  readonly managed: Map<string, Link>;
  readonly groups: Building[];
  readonly lakeFormation: LakeFormationPermission[];
}

const PRINCIPAL_KINDS: Record<string, Building['kind']> = { aws_iam_role: 'role', aws_iam_user: 'user', aws_iam_group: 'group' };

/** Resources that attach one policy or a list (attribute) to principals (kind: attribute naming them). */
const ATTACHMENTS: Record<string, { readonly policy: string; readonly targets: Record<string, string> }> = {
  aws_iam_role_policy_attachment: { policy: 'policy_arn', targets: { role: 'role' } },
  aws_iam_user_policy_attachment: { policy: 'policy_arn', targets: { user: 'user' } },
  aws_iam_group_policy_attachment: { policy: 'policy_arn', targets: { group: 'group' } },
  aws_iam_policy_attachment: { policy: 'policy_arn', targets: { role: 'roles', user: 'users', group: 'groups' } },
  aws_iam_role_policy_attachments_exclusive: { policy: 'policy_arns', targets: { role: 'role_name' } },
  aws_iam_user_policy_attachments_exclusive: { policy: 'policy_arns', targets: { user: 'user_name' } },
  aws_iam_group_policy_attachments_exclusive: { policy: 'policy_arns', targets: { group: 'group_name' } },
};

/** Inline policy resources: the attribute naming their principal. */
const INLINE: Record<string, { readonly kind: Building['kind']; readonly target: string }> = {
  aws_iam_role_policy: { kind: 'role', target: 'role' },
  aws_iam_user_policy: { kind: 'user', target: 'user' },
  aws_iam_group_policy: { kind: 'group', target: 'group' },
};

/** Reads the principals of `terraform show -json` output; `inputs.accountId` gives ARNs a plan does not know yet. */
export function principalsFromTerraform(shown: unknown, inputs: TemplateInputs, source: string): PrincipalPermissions[] {
  if (Object.keys(inputs.parameters ?? {}).length > 0) {
    throw new AuditInputError(`${source}: is terraform show -json output, which takes no template parameters (${Object.keys(inputs.parameters!).join(', ')}): `
      + 'its values are the ones Terraform planned or applied');
  }
  const reader = new TerraformReader(readInstances(shown, source), inputs, source);
  return reader.principals();
}

class TerraformReader {
  private readonly buildings: Building[];

  constructor(private readonly instances: Instance[], private readonly inputs: TemplateInputs, private readonly source: string) {
    this.buildings = instances.filter((i) => PRINCIPAL_KINDS[i.type] !== undefined).map((instance) => {
      const kind = PRINCIPAL_KINDS[instance.type];
      const name = this.known(instance, 'name') as string | undefined;
      const path = (this.known(instance, 'path') as string | undefined) ?? '/';
      const account = inputs.accountId;
      const arn = (this.known(instance, 'arn') as string | undefined)
        ?? (name !== undefined && account !== undefined ? `arn:${inputs.partition ?? 'aws'}:iam::${account}:${kind}${path}${name}` : undefined);
      return { instance, kind, name, arn, inline: new Map(), managed: new Map(), groups: [], lakeFormation: [] };
    });
  }

  principals(): PrincipalPermissions[] {
    for (const b of this.buildings) this.ownPolicies(b);
    for (const instance of this.instances) this.attach(instance);
    for (const instance of this.instances.filter((i) => i.type === 'aws_lakeformation_permissions')) this.grant(instance);
    return this.buildings.filter((b) => b.kind !== 'group').map((b) => this.finish(b));
  }

  /** A role's `inline_policy` blocks and `managed_policy_arns`, where the configuration sets them. */
  private ownPolicies(b: Building): void {
    if (b.kind !== 'role' || !b.instance.config) return;
    const expressions = b.instance.config.expressions ?? {};
    if ('inline_policy' in expressions) {
      const blocks = this.required(b.instance, 'inline_policy');
      for (const [i, block] of (Array.isArray(blocks) ? blocks : []).entries()) {
        const policy = block as Record<string, unknown>;
        const name = typeof policy.name === 'string' ? policy.name : `${b.instance.address}.inline_policy[${i}]`;
        b.inline.set(name, { kind: 'inline', source: name, document: parseDocument(policy.policy, `${this.source}: ${b.instance.address}, inline_policy ${name}`) });
      }
    }
    if ('managed_policy_arns' in expressions) {
      for (const link of this.links(b.instance, 'managed_policy_arns', ['aws_iam_policy'])) b.managed.set(linkKey(link), link);
    }
  }

  /** An inline policy, an attachment or a group membership, added to the principals it names. */
  private attach(instance: Instance): void {
    const inline = INLINE[instance.type];
    if (inline) {
      const name = (this.known(instance, 'name') as string | undefined) ?? instance.address;
      const document = this.document(instance, 'policy');
      for (const target of this.principalsOf(instance, inline.target, inline.kind)) {
        target.inline.set(name, { kind: 'inline', source: name, document });
      }
      return;
    }
    const attachment = ATTACHMENTS[instance.type];
    if (attachment) {
      const policies = this.policyLinks(instance, attachment.policy);
      for (const [kind, attribute] of Object.entries(attachment.targets)) {
        for (const target of this.principalsOf(instance, attribute, kind as Building['kind'])) {
          for (const link of policies) target.managed.set(linkKey(link), link);
        }
      }
      return;
    }
    if (instance.type === 'aws_iam_user_group_membership') {
      const groups = this.principalsOf(instance, 'groups', 'group', true);
      for (const user of this.principalsOf(instance, 'user', 'user')) user.groups.push(...groups);
    }
    if (instance.type === 'aws_iam_group_membership') {
      const groups = this.principalsOf(instance, 'group', 'group', true);
      for (const user of this.principalsOf(instance, 'users', 'user')) user.groups.push(...groups);
    }
  }

  /**
   * The policies an attachment's `policy_arn` (or an exclusive attachment's `policy_arns`) names. Unknown until
   * apply and referencing several policies (`each.value` over a map of them), each instance of the attachment takes
   * one: the instances with an unknown ARN must be as many as the policies referenced (less those attached by a
   * known ARN), so that together they attach every one of them.
   */
  private policyLinks(instance: Instance, attribute: string): Link[] {
    const links = this.links(instance, attribute, ['aws_iam_policy', ...Object.keys(ATTACHMENTS)])
      .flatMap((link) => ('instance' in link && ATTACHMENTS[link.instance.type] ? this.policyLinks(link.instance, ATTACHMENTS[link.instance.type].policy) : [link]));
    if (attribute !== 'policy_arn' || links.length <= 1) return links;
    const siblings = this.instances.filter((i) => i.module === instance.module && i.type === instance.type && i.name === instance.name);
    const knownArns = new Set(siblings.map((i) => this.known(i, attribute)).filter((v): v is string => typeof v === 'string'));
    const pending = links.filter((link) => !knownArns.has(linkKey(link)));
    const unknown = siblings.filter((i) => this.isUnknown(i, attribute));
    if (pending.length !== unknown.length) {
      throw this.unknownError(instance, attribute, `and its configuration references ${links.length} policies (${links.map(linkKey).join(', ')}) `
        + `for ${unknown.length} instances, so which one each attaches is not known`);
    }
    return pending;
  }

  /** A Lake Formation grant, added to the principal it names (a grant to a principal the output does not create is left out). */
  private grant(instance: Instance): void {
    const [principal] = this.links(instance, 'principal', Object.keys(PRINCIPAL_KINDS));
    const target = principal === undefined ? undefined : 'instance' in principal
      ? this.buildings.find((b) => b.instance === principal.instance)
      : this.byArn(principal.value);
    if (!target) return;
    const permissions = (attribute: string) => this.stringList(instance, attribute);
    target.lakeFormation.push({
      resource: this.lakeFormationResource(instance),
      permissions: permissions('permissions'),
      permissionsWithGrantOption: permissions('permissions_with_grant_option'),
    });
  }

  /**
   * The resource of `aws_lakeformation_permissions` in the shape of the Lake Formation API (as
   * `AWS::LakeFormation::PrincipalPermissions` writes it): `catalog_resource` the `Catalog`, the `database`,
   * `table` (`wildcard`: `TableWildcard`), `table_with_columns` (`wildcard`: `ColumnWildcard`), `data_location`,
   * `lf_tag`, `lf_tag_policy` and `data_cells_filter` blocks; `CatalogId` the block's `catalog_id`, else the
   * resource's, else the account's (the provider's default: "By default, the account ID").
   */
  private lakeFormationResource(instance: Instance): Record<string, unknown> {
    const where = `${this.source}: ${instance.address}`;
    // An unknown value the configuration sets (a computed one it leaves out, a catalog_id, is the provider's default).
    const unknownLeaf = (unknown: unknown, config: unknown, key: string): string | undefined => {
      if (unknown === true) return config !== undefined ? key : undefined;
      const at = (c: unknown, k: string | number) => (Array.isArray(c) ? c[Number(k)] : isObject(c) ? c[k] : undefined);
      const entries = Array.isArray(unknown) ? unknown.map((u, i) => [String(i), u] as const) : isObject(unknown) ? Object.entries(unknown) : [];
      return entries.map(([k, u]) => unknownLeaf(u, at(config, k), Array.isArray(unknown) ? key : `${key}.${k}`)).find(Boolean);
    };
    const block = (name: string): Record<string, unknown> | undefined => {
      const config = instance.config?.expressions?.[name];
      // A block the configuration leaves out may still be computed (unknown) in a plan: it is not the resource.
      if (instance.config && config === undefined) return undefined;
      const leaf = unknownLeaf(instance.unknown[name], config, name);
      if (leaf) throw this.unknownError(instance, leaf);
      const value = instance.values[name];
      return Array.isArray(value) && isObject(value[0]) ? value[0] : undefined;
    };
    const catalogOf = (b: Record<string, unknown>) => {
      const id = (b.catalog_id as string | undefined) || (instance.values.catalog_id as string | undefined) || this.inputs.accountId;
      return id ? { CatalogId: id } : {};
    };
    const list = (value: unknown) => (Array.isArray(value) ? value.map(String).sort() : []);
    const resources: Array<Record<string, unknown>> = [];
    if (instance.values.catalog_resource === true) resources.push({ Catalog: {} });
    const database = block('database');
    if (database) resources.push({ Database: { ...catalogOf(database), Name: database.name } });
    const table = block('table');
    if (table) {
      const which = table.wildcard === true ? { TableWildcard: {} } : { Name: table.name };
      resources.push({ Table: { ...catalogOf(table), DatabaseName: table.database_name, ...which } });
    }
    const columns = block('table_with_columns');
    if (columns) {
      const excluded = list(columns.excluded_column_names);
      resources.push({
        TableWithColumns: {
          ...catalogOf(columns),
          DatabaseName: columns.database_name,
          Name: columns.name,
          ...(columns.wildcard === true || excluded.length > 0
            ? { ColumnWildcard: { ExcludedColumnNames: excluded } }
            : { ColumnNames: list(columns.column_names) }),
        },
      });
    }
    const location = block('data_location');
    if (location) resources.push({ DataLocation: { ...catalogOf(location), ResourceArn: location.arn } });
    const tag = block('lf_tag');
    if (tag) resources.push({ LFTag: { ...catalogOf(tag), TagKey: tag.key, TagValues: list(tag.values) } });
    const policy = block('lf_tag_policy');
    if (policy) {
      const expression = (Array.isArray(policy.expression) ? policy.expression : []) as Array<Record<string, unknown>>;
      resources.push({
        LFTagPolicy: {
          ...catalogOf(policy),
          ResourceType: policy.resource_type,
          Expression: expression.map((e) => ({ TagKey: e.key, TagValues: list(e.values) })),
        },
      });
    }
    const filter = block('data_cells_filter');
    if (filter) {
      resources.push({
        DataCellsFilter: {
          TableCatalogId: filter.table_catalog_id, DatabaseName: filter.database_name, TableName: filter.table_name, Name: filter.name,
        },
      });
    }
    if (resources.length !== 1) {
      throw new AuditInputError(`${where}: expected one resource (catalog_resource, database, table, table_with_columns, data_location, lf_tag, `
        + `lf_tag_policy or data_cells_filter), found ${resources.length}`);
    }
    return resources[0];
  }

  /** The principal in the shared shape: managed policies resolved to documents, a user's groups' policies added. */
  private finish(b: Building): PrincipalPermissions {
    const policies: PrincipalPolicy[] = [...b.inline.values()];
    const external = new Set<string>();
    const addManaged = (managed: Map<string, Link>, kind: 'managed' | 'group-managed') => {
      for (const link of managed.values()) {
        const policy = this.policyOf(link);
        if ('external' in policy) external.add(policy.external);
        else policies.push({ kind, ...policy });
      }
    };
    addManaged(b.managed, 'managed');
    for (const group of new Set(b.groups)) {
      policies.push(...[...group.inline.values()].map((policy) => ({ ...policy, kind: 'group-inline' as const })));
      addManaged(group.managed, 'group-managed');
    }
    const [boundaryLink] = this.links(b.instance, 'permissions_boundary', ['aws_iam_policy']);
    const boundary = boundaryLink === undefined ? undefined : this.policyOf(boundaryLink);
    return {
      kind: b.kind as 'role' | 'user',
      ...(b.name !== undefined ? { name: b.name } : {}),
      ...(b.arn !== undefined ? { arn: b.arn } : {}),
      logicalId: b.instance.address,
      ...(b.kind === 'role' ? { trust: this.document(b.instance, 'assume_role_policy') } : {}),
      policies,
      ...(boundary && 'document' in boundary ? { permissionsBoundary: { kind: 'managed', ...boundary } } : {}),
      ...(boundary && 'external' in boundary ? { externalPermissionsBoundaryArn: boundary.external } : {}),
      ...(external.size > 0 ? { externalPolicyArns: [...external] } : {}),
      lakeFormation: b.lakeFormation,
    };
  }

  /** A managed policy's document, when the output holds the policy; else its ARN. */
  private policyOf(link: Link): { source: string; document: PolicyDocument } | { external: string } {
    const instance = 'instance' in link ? link.instance
      : this.instances.find((i) => i.type === 'aws_iam_policy' && this.known(i, 'arn') === link.value);
    if (instance === undefined) return { external: (link as { value: string }).value };
    return { source: instance.address, document: this.document(instance, 'policy') };
  }

  /** The principals of `kind` an attribute names; a name the output does not create is left out, but a group (whose policies would be unknown). */
  private principalsOf(instance: Instance, attribute: string, kind: Building['kind'], mustExist = false): Building[] {
    const links = this.links(instance, attribute, [Object.keys(PRINCIPAL_KINDS).find((t) => PRINCIPAL_KINDS[t] === kind)!]);
    if (links.length > 1 && !Array.isArray(instance.values[attribute]) && !Array.isArray(instance.unknown[attribute])) {
      throw this.unknownError(instance, attribute, `and its configuration references ${links.map(linkKey).join(', ')}, so which one it names is not known`);
    }
    return links.flatMap((link) => {
      const found = 'instance' in link
        ? this.buildings.find((b) => b.instance === link.instance)
        : this.buildings.find((b) => b.kind === kind && b.name === link.value);
      if (!found && mustExist) {
        throw new AuditInputError(`${this.source}: ${instance.address}, ${attribute}: the ${kind} ${linkKey(link)} is not created here, so its policies are not known; `
          + 'give the output of the configuration that creates it');
      }
      return found ? [found] : [];
    });
  }

  /** The principal an ARN names: by ARN, or by kind and name from the ARN (a plan may not know the ARN yet). */
  private byArn(arn: string): Building | undefined {
    const match = /^arn:[\w-]+:iam::\d{12}:(role|user)\/(?:.*\/)?([^/]+)$/.exec(arn);
    return this.buildings.find((b) => b.arn === arn) ?? (match ? this.buildings.find((b) => b.kind === match[1] && b.name === match[2]) : undefined);
  }

  /** A policy document attribute (a JSON string); unknown until apply: an {@link AuditInputError}. */
  private document(instance: Instance, attribute: string): PolicyDocument {
    return parseDocument(this.required(instance, attribute), `${this.source}: ${instance.address}, ${attribute}`);
  }

  private stringList(instance: Instance, attribute: string): string[] {
    const value = this.isUnknown(instance, attribute) && !this.configured(instance, attribute) ? [] : this.required(instance, attribute);
    return Array.isArray(value) ? value.map(String) : [];
  }

  /** An attribute's value, which must be known. */
  private required(instance: Instance, attribute: string): unknown {
    if (this.isUnknown(instance, attribute)) throw this.unknownError(instance, attribute);
    return instance.values[attribute];
  }

  /** An attribute's value when known (absent, null or unknown: undefined). */
  private known(instance: Instance, attribute: string): unknown {
    return this.isUnknown(instance, attribute) ? undefined : instance.values[attribute] ?? undefined;
  }

  private isUnknown(instance: Instance, attribute: string): boolean {
    const unknown = instance.unknown[attribute];
    return unknown === true || (Array.isArray(unknown) && unknown.some((u) => u === true));
  }

  private configured(instance: Instance, attribute: string): boolean {
    return instance.config?.expressions?.[attribute] !== undefined;
  }

  /**
   * What an attribute naming principals or policies names: its known values, and for values unknown until apply
   * the instances of `types` its expression references in the configuration (through `each` and `count`, the
   * `for_each` and `count` expressions' references). A computed attribute the configuration does not set names
   * nothing; a reference to anything else (a variable, a local, a module output, a data source) an error.
   */
  private links(instance: Instance, attribute: string, types: string[]): Link[] {
    const value = instance.values[attribute];
    // A state holds an optional attribute left out as "" (permissions_boundary): it names nothing.
    const values = (Array.isArray(value) ? value : [value]).filter((v, i) => v !== null && v !== undefined && v !== ''
      && !(Array.isArray(instance.unknown[attribute]) && (instance.unknown[attribute] as unknown[])[i] === true));
    const known: Link[] = values.map((v) => ({ value: String(v) }));
    if (!this.isUnknown(instance, attribute) || !this.configured(instance, attribute)) return known;
    const expression = instance.config!.expressions![attribute] as { references?: string[] };
    const references = [...(expression.references ?? [])];
    if (references.some((r) => r.startsWith('each.'))) references.push(...(instance.config!.for_each_expression?.references ?? []));
    if (references.some((r) => r.startsWith('count.'))) references.push(...(instance.config!.count_expression?.references ?? []));
    const byResource = new Map<string, Set<string> | 'all'>();
    for (const reference of references) {
      const match = /^([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)(?:\[(?:"((?:[^"\\]|\\.)*)"|(\d+))\])?/.exec(reference);
      const head = reference.split('.')[0];
      if (['each', 'count', 'self', 'path', 'terraform'].includes(head)) continue;
      if (!match || ['var', 'local', 'module', 'data'].includes(head) || !types.includes(match[1])) {
        throw this.unknownError(instance, attribute, `(its configuration takes it from ${reference})`);
      }
      const resource = `${match[1]}.${match[2]}`;
      const key = match[3] ?? match[4];
      const keys = byResource.get(resource);
      if (key === undefined) byResource.set(resource, keys ?? 'all');
      else byResource.set(resource, new Set([...(keys instanceof Set ? keys : []), key]));
    }
    const referenced = [...byResource].flatMap(([resource, keys]) => this.instances.filter((i) => i.module === instance.module
      && `${i.type}.${i.name}` === resource && (keys === 'all' || keys.has(String(i.index)))));
    if (referenced.length === 0) throw this.unknownError(instance, attribute);
    return [...known, ...referenced.map((i) => ({ instance: i }))];
  }

  private unknownError(instance: Instance, attribute: string, why = ''): AuditInputError {
    return new AuditInputError(`${this.source}: ${instance.address}, ${attribute}: not known until apply${why ? ` ${why}` : ''}. `
      + 'Give the state instead (terraform show -json after terraform apply), or plan with the value known '
      + '(with this library\'s modules: set account_id, so that no ARN waits for the account ID).');
  }
}

/** A link as text: the value, or the address of the instance it references. */
function linkKey(link: Link): string {
  if ('value' in link) return link.value;
  const arn = link.instance.values.arn;
  return typeof arn === 'string' && link.instance.unknown.arn !== true ? arn : link.instance.address;
}

function parseDocument(value: unknown, where: string): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = typeof value === 'string' ? JSON.parse(value) : value;
  } catch (e) {
    throw new AuditInputError(`${where}: not JSON: ${(e as Error).message}`);
  }
  if (!isObject(parsed) || !(Array.isArray(parsed.Statement) || isObject(parsed.Statement))) {
    throw new AuditInputError(`${where}: not a policy document (no Statement)`);
  }
  return parsed as unknown as PolicyDocument;
}

type ShownModule = { address?: string; resources?: Array<Record<string, unknown>>; child_modules?: ShownModule[] };
type ConfigModule = { resources?: ConfigResource[]; module_calls?: Record<string, { module?: ConfigModule }> };

/**
 * The managed resource instances of a plan's `planned_values` or a state's `values`, every module's, each with its
 * change's `after_unknown` and its configuration block (a plan). A `format_version` of another major version is
 * refused, as the format's page asks.
 */
function readInstances(shown: unknown, source: string): Instance[] {
  const json = shown as Record<string, any>;
  const major = String(json.format_version).split('.')[0];
  if (major !== '1') {
    throw new AuditInputError(`${source}: terraform show -json format_version ${json.format_version}: only format version 1.x is read`);
  }
  if (json.errored === true) throw new AuditInputError(`${source}: a plan that failed (errored): fix the plan, then give its output`);
  const values = (json.planned_values ?? json.values) as { root_module?: ShownModule } | undefined;
  if (!isObject(values?.root_module)) {
    throw new AuditInputError(`${source}: terraform show -json output with neither planned_values (a saved plan) nor values (a state): `
      + 'an empty state? Give the output of terraform show -json <plan file> or, after apply, of terraform show -json');
  }
  const plan = json.planned_values !== undefined;
  const unknowns = new Map<string, Record<string, unknown>>(((json.resource_changes ?? []) as Array<Record<string, any>>)
    .map((c) => [c.address, (c.change?.after_unknown ?? {}) as Record<string, unknown>]));
  const instances: Instance[] = [];
  const walk = (module: ShownModule) => {
    const config = plan ? configModule(json.configuration?.root_module, module.address ?? '') : undefined;
    for (const r of module.resources ?? []) {
      if (r.mode !== 'managed') continue;
      const type = String(r.type);
      const name = String(r.name);
      instances.push({
        address: String(r.address),
        module: module.address ?? '',
        type,
        name,
        ...(r.index !== undefined ? { index: r.index as string | number } : {}),
        values: (r.values ?? {}) as Record<string, unknown>,
        unknown: unknowns.get(String(r.address)) ?? {},
        ...(plan ? { config: config?.resources?.find((c) => c.address === `${type}.${name}`) ?? { address: `${type}.${name}` } } : {}),
      });
    }
    (module.child_modules ?? []).forEach(walk);
  };
  walk(values!.root_module!);
  return instances;
}

/** The configuration of a module instance (`module.a["x"].module.b`: calls a, then b). */
function configModule(root: ConfigModule | undefined, address: string): ConfigModule | undefined {
  let module = root;
  for (const [, call] of address.matchAll(/module\.([^.[]+)(?:\[[^\]]*\])?/g)) module = module?.module_calls?.[call]?.module;
  return module;
}
