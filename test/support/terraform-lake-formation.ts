import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { LakeFormationGrants } from '../../lib';

/**
 * Lake Formation grants as one shape, whoever made them: a plan's `aws_lakeformation_permissions`
 * (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/lakeformation_permissions), a template's
 * `AWS::LakeFormation::PrincipalPermissions`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lakeformation-principalpermissions.html),
 * or what Lake Formation's ListPermissions returns (https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListPermissions.html):
 * the permissions and the resource as the API names them (`Database`, `Table` with `TableWildcard`, `LFTagPolicy`). An
 * LF-Tag expression is a set of keys, each with a set of values
 * (https://docs.aws.amazon.com/lake-formation/latest/dg/granting-catalog-perms-TBAC.html): both sorted.
 */
export interface Grant {
  readonly permissions: string[];
  readonly resource: Record<string, unknown>;
}

/** A grant with the construct id it has, or would have, in `LakeFormationGrants`. */
export interface NamedGrant extends Grant {
  readonly id: string;
}

type Tag = { TagKey: string; TagValues: string[] };
const sortedTags = (tags: Tag[]) => [...tags].sort((a, b) => a.TagKey.localeCompare(b.TagKey))
  .map((t) => ({ TagKey: t.TagKey, TagValues: [...t.TagValues].sort() }));

/** The API's resource with its LF-Tag expression sorted, other resources as they are. */
function normalizedResource(resource: Record<string, any>): Record<string, unknown> {
  if (!resource.LFTagPolicy) return resource;
  return { LFTagPolicy: { ...resource.LFTagPolicy, Expression: sortedTags(resource.LFTagPolicy.Expression) } };
}

const byId = (grants: NamedGrant[]) => [...grants].sort((a, b) => a.id.localeCompare(b.id));

/** The construct id prefix of the grants of each `aws_lakeformation_permissions` of the modules. */
const ID_PREFIX: Record<string, string> = { database: 'Database-', tables: 'Tables-', tagged_databases: 'TaggedDatabases-', tagged_tables: 'TaggedTables-' };

/** A plan's grants (planned values of a module's resources), by the construct id their address stands for. */
export function plannedGrants(resources: Array<{ type: string; name?: string; index?: string; values: Record<string, any> }>): NamedGrant[] {
  return byId(resources.filter((r) => r.type === 'aws_lakeformation_permissions').map((r) => {
    const v = r.values;
    const resource = v.database?.length ? { Database: { CatalogId: v.database[0].catalog_id, Name: v.database[0].name } }
      : v.table?.length
        ? { Table: { CatalogId: v.table[0].catalog_id, DatabaseName: v.table[0].database_name, ...(v.table[0].wildcard && { TableWildcard: {} }) } }
        : {
          LFTagPolicy: {
            CatalogId: v.lf_tag_policy[0].catalog_id,
            ResourceType: v.lf_tag_policy[0].resource_type,
            Expression: (v.lf_tag_policy[0].expression as Array<{ key: string; values: string[] }>)
              .map((e) => ({ TagKey: e.key, TagValues: e.values })),
          },
        };
    return { id: `${ID_PREFIX[r.name!]}${r.index}`, permissions: [...v.permissions].sort(), resource: normalizedResource(resource) };
  }));
}

/** The grants a construct synthesized, by construct id, with what each names as its principal and catalog. */
export function synthesizedGrants(grants: LakeFormationGrants): Array<NamedGrant & { principal: unknown; grantOption: string[] }> {
  const stack = Stack.of(grants);
  const template = Template.fromStack(stack).toJSON().Resources as Record<string, { Properties: Record<string, any> }>;
  return byId(grants.grants.map((grant) => {
    const properties = template[stack.resolve(grant.logicalId)].Properties;
    return {
      id: grant.node.id,
      permissions: [...properties.Permissions].sort(),
      resource: normalizedResource(properties.Resource),
      principal: properties.Principal.DataLakePrincipalIdentifier,
      grantOption: properties.PermissionsWithGrantOption,
    };
  })) as Array<NamedGrant & { principal: unknown; grantOption: string[] }>;
}

/** What Lake Formation's ListPermissions returned, with the principal of each grant. */
export function listedGrants(listed: { PrincipalResourcePermissions: Array<Record<string, any>> }):
Array<Grant & { principal: string; grantOption: string[] }> {
  return listed.PrincipalResourcePermissions.map((p) => ({
    principal: p.Principal.DataLakePrincipalIdentifier,
    permissions: [...p.Permissions].sort(),
    grantOption: p.PermissionsWithGrantOption ?? [],
    resource: normalizedResource(p.Resource),
  })).sort((a, b) => JSON.stringify(a.resource).localeCompare(JSON.stringify(b.resource)));
}

/**
 * What each planned grant names as its principal, from the plan's configuration: the principal is the role's or
 * user's ARN, unknown until it exists (https://developer.hashicorp.com/terraform/internals/json-format#plan-representation).
 */
export function grantPrincipals(plan: any): string[][] {
  const resources: Array<{ type: string; expressions: Record<string, any> }> = plan.configuration.root_module.module_calls.this.module.resources;
  return resources.filter((r) => r.type === 'aws_lakeformation_permissions').map((r) => r.expressions.principal.references);
}
