import { isDeployTime } from './deploy-time';
import { invalid } from './validation';

/**
 * S3 locations as the policies grant them: a bucket (or bucket name pattern) and an optional folder, whose
 * objects are `<bucket>/<folder>/*`. `*` and `?` in names are matched as IAM matches ARNs (`*` any run of
 * characters, `/` included; `?` exactly one).
 */
export interface S3Location {
  readonly bucketName: string;
  /** Folder without trailing slash; absent for the whole bucket. */
  readonly prefix?: string;
}

/** The folder the query results go to unless another is given: a dedicated one, never the whole bucket. */
export const DEFAULT_RESULTS_PREFIX = 'qualytics-athena-results';

/** The pattern positions reachable after reading `text`, starting from the beginning of `pattern`. */
function globStates(pattern: string, text: string): Set<number> {
  const close = (states: Set<number>) => {
    for (const state of states) if (pattern[state] === '*') states.add(state + 1);
    return states;
  };
  let states = close(new Set([0]));
  for (const char of text) {
    const next = new Set<number>();
    for (const state of states) {
      if (pattern[state] === '*') next.add(state);
      else if (state < pattern.length && (pattern[state] === '?' || pattern[state] === char)) next.add(state + 1);
    }
    states = close(next);
    if (states.size === 0) break;
  }
  return states;
}

/** Whether `value` matches `pattern` as a whole, as IAM matches ARNs. */
export function globMatches(pattern: string, value: string): boolean {
  return globStates(pattern, value).has(pattern.length);
}

/** What is left of `pattern` to match after reading `text`, for each way of reading it (none when it cannot). */
export function globRemainders(pattern: string, text: string): string[] {
  return [...globStates(pattern, text)].map((state) => pattern.slice(state));
}

/** Whether some value that `pattern` matches starts with `start`. */
export function globCanStartWith(pattern: string, start: string): boolean {
  return globStates(pattern, start).size > 0;
}

/** How a results location and a data location overlap, if they do. */
export type LocationOverlap = 'results-in-data' | 'data-in-results';

/**
 * Whether the objects of a results location (a literal bucket and folder) and of a data location (names may
 * be patterns) share any key; in doubt (a pattern that could match), they do. Folders compare on path-segment
 * boundaries: `lake/results` is not inside `lake/res`. Deploy-time values cannot be compared: `undefined`.
 */
export function locationOverlap(results: S3Location, data: S3Location): LocationOverlap | undefined {
  const values = [results.bucketName, results.prefix, data.bucketName, data.prefix];
  if (values.some((v) => v !== undefined && isDeployTime(v))) return undefined;
  if (!globMatches(data.bucketName, results.bucketName)) return undefined;
  if (data.prefix === undefined) return 'results-in-data';
  if (results.prefix === undefined) return 'data-in-results';
  const dataObjects = `${data.prefix}/*`;
  const resultsFolder = `${results.prefix}/`;
  // The pattern ends with `*`, so once the results folder matches it, every key under the folder does too.
  if (globMatches(dataObjects, resultsFolder)) return 'results-in-data';
  return globCanStartWith(dataObjects, resultsFolder) ? 'data-in-results' : undefined;
}

/** `s3://<bucket>/<folder>/`, as a reader would write the location. */
export function s3Url(location: S3Location): string {
  return `s3://${location.bucketName}/${location.prefix ? `${location.prefix}/` : ''}`;
}

/**
 * Refuses a query results location inside a data location, or a data location inside the results location:
 * Athena would write result files among table files (tables that read them break), and the role's writes
 * to the results location would reach table data.
 */
export function validateResultsOutsideData(results: S3Location, dataLocations: S3Location[]): void {
  dataLocations.forEach((data, index) => {
    const overlap = locationOverlap(results, data);
    if (overlap === undefined) return;
    const where = overlap === 'results-in-data'
      ? `The query results location ${s3Url(results)} lies inside the data location ${s3Url(data)}`
      : `The data location ${s3Url(data)} lies inside (or, through a pattern, overlaps) the query results location ${s3Url(results)}`;
    invalid(`resultsPrefix and dataLocations[${index}]`, `${s3Url(results)} and ${s3Url(data)}`,
      `${where}: query results would land among table files, and the role could write there. Give a results ` +
      'location that shares no object with any data location: another bucket, or a folder of the same bucket that ' +
      `neither contains nor lies inside a data folder (the default results folder is "${DEFAULT_RESULTS_PREFIX}").`);
  });
}
