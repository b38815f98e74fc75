import type { CatalogLists } from './catalog-statements';
import { StatementSpec } from './statement-spec';

/**
 * Values known only at deploy time, as the model sees them. A deploy-time value is known by its longest value
 * (what the sizer counts), for an item of an optional list by the condition that holds when the list is not empty
 * (a statement whose resources all come from that list exists only under it), and for a `<bucket>[/<prefix>]`
 * location by its bucket part, a deploy-time value of its own.
 *
 * Builders put deploy-time values into the strings they make (ARNs, conditions) as markers,
 * `${DeployTime[<n>]}`, the way CDK encodes its tokens: the sizer counts a marker at its longest value and each
 * output maps it back to what it renders (the CDK constructs to a CloudFormation token). An output's own
 * deploy-time values (CDK tokens a user passes in: references, parameters, pseudo parameters) stay opaque to the
 * model: an output that has them says how to recognise them ({@link recognizeOutputDeployTimeValues}), and the
 * sizer asks it how long they can be.
 *
 * CloudFormation cannot map a list to per-item ARNs when the ARN prefix holds pseudo parameters (the delimiter of
 * `Fn::Join` must be a literal), so a list parameter declares how many items it takes at most, and each item is a
 * deploy-time value: a short list repeats ARNs, which grants nothing more.
 */
export interface DeployTimeValue {
  /** The longest value it can take. */
  readonly maxLength: number;
  /** For an item of an optional list: the name (logical id) of the condition that holds when the list is not empty. */
  readonly listPresence?: string;
  /** For a `<bucket>[/<prefix>]` location: the bucket part, as a deploy-time value of its own. */
  readonly bucket?: DeployTimeValue;
  /**
   * For a `<bucket>[/<prefix>]` location item of an output that groups its list's locations by bucket at deploy
   * time (Terraform can; CloudFormation cannot, see `sourceDataStatements`): the deploy-time lists of that grouping.
   */
  readonly byBucket?: LocationsByBucket;
  /** For a catalog item of an output that computes the catalogs' lists at deploy time (Terraform): those lists. */
  readonly catalogs?: CatalogLists;
}

/**
 * A deploy-time list of data locations grouped by bucket, as an output computes it: the buckets that some location
 * names whole, and the buckets whose every location has a folder, with their folders. Each is an item of a list of
 * its own; `folder` ranges over the folders of one `folderBucket` item, so a statement on both is one per bucket.
 */
export interface LocationsByBucket {
  /** An item of the buckets that some location names without a folder. */
  readonly wholeBucket: DeployTimeValue;
  /** An item of the buckets whose locations all have a folder. */
  readonly folderBucket: DeployTimeValue;
  /** An item of the folders of a `folderBucket` item. */
  readonly folder: DeployTimeValue;
}

/** Every deploy-time value marked so far; a marker holds its index. */
const VALUES: DeployTimeValue[] = [];
const MARKERS = new Map<DeployTimeValue, string>();
const MARKER = /\$\{DeployTime\[(\d+)\]\}/g;

/** The marker that stands for `value` in strings the model builds (the same marker every time). */
export function deployTimeMarker(value: DeployTimeValue): string {
  let marker = MARKERS.get(value);
  if (marker === undefined) {
    VALUES.push(value);
    marker = `\${DeployTime[${VALUES.length - 1}]}`;
    MARKERS.set(value, marker);
  }
  return marker;
}

/** `value` cut into its literal parts and its deploy-time values, in order. */
export function deployTimeFragments(value: string): Array<string | DeployTimeValue> {
  const fragments: Array<string | DeployTimeValue> = [];
  let rest = 0;
  for (const match of value.matchAll(MARKER)) {
    if (match.index > rest) fragments.push(value.slice(rest, match.index));
    fragments.push(VALUES[Number(match[1])]);
    rest = match.index + match[0].length;
  }
  if (rest < value.length) fragments.push(value.slice(rest));
  return fragments;
}

/** The deploy-time values a string is built from. */
export function itemsIn(value: string): DeployTimeValue[] {
  return deployTimeFragments(value).filter((f): f is DeployTimeValue => typeof f !== 'string');
}

let outputValue: (value: string) => boolean = () => false;

/**
 * Tells the model how to recognise an output's own deploy-time values in strings (the CDK constructs: unresolved
 * tokens), so that format checks leave them to deploy time as they leave the model's own.
 */
export function recognizeOutputDeployTimeValues(isOutputValue: (value: string) => boolean): void {
  outputValue = isOutputValue;
}

/**
 * Whether `value` holds anything known only at deploy time. Checks skip such values: CloudFormation checks them at
 * deploy time, for example through a parameter's `AllowedPattern`.
 */
export function isDeployTime(value: string): boolean {
  return itemsIn(value).length > 0 || outputValue(value);
}

/** The bucket of a `<bucket>[/<prefix>]` location item; any other value is itself a bucket name. */
export function bucketOf(location: string): string {
  const [item] = itemsIn(location);
  return item?.bucket === undefined ? location : deployTimeMarker(item.bucket);
}

/** The grouping by bucket of a location item's list, when its output computes one; undefined otherwise. */
export function locationsByBucket(location: string): LocationsByBucket | undefined {
  const [item] = itemsIn(location);
  return item?.byBucket;
}

/** The statement, made conditional when every resource comes from the same optional deploy-time list. */
export function withDeployTimeConditions(spec: StatementSpec): StatementSpec {
  const presences = spec.resources.map((resource) => itemsIn(resource).map((item) => item.listPresence));
  if (presences.length === 0 || !presences.every((p) => p.length > 0 && p.every((c) => c !== undefined))) return spec;
  if (spec.condition !== undefined) {
    throw new Error(`Statement ${spec.sid}: a statement with a condition of its own cannot take its resources from an optional deploy-time list`);
  }
  const conditions = new Set(presences.flat());
  if (conditions.size > 1) {
    throw new Error(`Statement ${spec.sid}: resources from several optional deploy-time lists cannot share one statement`);
  }
  return { ...spec, condition: [...conditions][0]! };
}
