import { Fn } from 'aws-cdk-lib';

/** Appended to a deploy-time folder path to find its end: a character S3 prefixes given to the template never hold. */
const FOLDER_END = '|';

/**
 * A folder path known only at deploy time, without its trailing slash. CloudFormation has no string replace: the
 * value gets `|` appended (a character the folder's parameter pattern refuses), is split on `/|` (only a trailing
 * slash precedes it) and then on `|`, and the first part of each split is kept: `athena/` and `athena` both give
 * `athena`.
 */
export function deployTimeFolder(folder: string): string {
  const marked = Fn.join('', [folder, FOLDER_END]);
  return Fn.select(0, Fn.split(FOLDER_END, Fn.select(0, Fn.split(`/${FOLDER_END}`, marked))));
}

/** The folder value a resolved {@link deployTimeFolder} expression takes the trailing slash off; undefined for any other value. */
export function deployTimeFolderSource(resolved: unknown): unknown {
  const select = (value: any, delimiter: string) => {
    const [index, split] = value?.['Fn::Select'] ?? [];
    return index === 0 && split?.['Fn::Split']?.[0] === delimiter ? split['Fn::Split'][1] : undefined;
  };
  const parts = select(select(resolved, FOLDER_END), `/${FOLDER_END}`)?.['Fn::Join']?.[1];
  return Array.isArray(parts) && parts.length === 2 && parts[1] === FOLDER_END ? parts[0] : undefined;
}
