import { AccessMode } from './access-mode';
import { ArnContext } from './arns';
import { athenaQueryStatements, AthenaQueryScope, DEFAULT_CATALOG_NAME } from './athena-query-statements';
import { CatalogScope } from './catalog-statements';
import { guardrailStatements } from './guardrails';
import { MAX_NESTED_STACKS, MAX_RESOURCES_PER_STACK } from './lake-formation-grants';
import { documentJson, packStatements } from './packing';
import { IAM_LIMITS, JsonMeasure } from './size';
import { StatementSpec } from './statement-spec';

/** The shape of a configuration: how many of each thing, and how long their names are. */
export interface PolicyShape {
  readonly workGroups: number;
  readonly dataLocations: number;
  readonly kmsKeys: number;
  readonly accessMode: AccessMode;
  readonly lakeFormation: boolean;
  /** Athena keeps the query results: no results bucket, and a customer managed key for them (an upper bound). */
  readonly managedQueryResults: boolean;
  readonly guardrails: boolean;
  /** Characters of the inline policy that takes what the managed policies cannot; 0 for none. */
  readonly maxInlinePolicyLength: number;
  readonly databaseNameLength: number;
  readonly bucketNameLength: number;
  readonly prefixLength: number;
  readonly workGroupNameLength: number;
  /** The extra Glue catalogs, as configured (their statements count as they are). */
  readonly catalogs?: CatalogScope[];
}

/** How a configuration packs within `maxManagedPolicies` managed policies and the shape's inline policy. */
export interface PolicyPlan {
  /** Whether it fits. */
  readonly fits: boolean;
  /** Managed policies used (up to `maxManagedPolicies`). */
  readonly managedPolicies: number;
  /** Characters of the inline policy; 0 when none is needed. */
  readonly inlinePolicyLength: number;
  /** Characters of the largest managed policy. */
  readonly largestPolicyLength: number;
}

/**
 * In Lake Formation mode, the databases are limited by CloudFormation, not IAM: two grants per database, at most
 * {@link MAX_NESTED_STACKS} nested stacks of at most {@link MAX_RESOURCES_PER_STACK} resources, each filled to 80%
 * on average so that the fullest (databases are spread by a hash of their name) stays within the limit.
 */
export const LAKE_FORMATION_MAX_DATABASES = MAX_NESTED_STACKS * Math.floor((MAX_RESOURCES_PER_STACK * 0.8) / 2);

/** The longest values ARNs can take once deployed, so that a plan is an upper bound for every partition and Region. */
const LONGEST_ENV: ArnContext = {
  partition: 'aws-us-gov',
  region: 'ap-southeast-7',
  account: '123456789012',
  urlSuffix: 'amazonaws.com.cn',
};

/** JSON length without whitespace, as IAM counts it, for concrete values. */
const plainMeasure: JsonMeasure = { jsonLength: (value) => JSON.stringify(value).length };

/** `count` distinct names of exactly `length` characters (at least as long as the count's digits). */
function names(prefix: string, count: number, length: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const suffix = String(i);
    return `${prefix}${'x'.repeat(Math.max(0, length - prefix.length - suffix.length))}${suffix}`;
  });
}

/** Packs the statements of a synthetic configuration with `databases` databases of the given shape. */
export function planPolicies(shape: PolicyShape, databases: number, maxManagedPolicies: number): PolicyPlan {
  const inline = shape.maxInlinePolicyLength;
  const limits = inline > 0 ? [...Array(maxManagedPolicies).fill(IAM_LIMITS.managedPolicy), inline] : [IAM_LIMITS.managedPolicy];
  const sizes = packStatements(shapeStatements(shape, databases), plainMeasure, limits).map((d) => plainMeasure.jsonLength(documentJson(d)));
  const managed = sizes.slice(0, maxManagedPolicies);
  return {
    fits: sizes.length <= maxManagedPolicies + (inline > 0 ? 1 : 0),
    managedPolicies: managed.length,
    inlinePolicyLength: sizes.length > maxManagedPolicies ? sizes[maxManagedPolicies] : 0,
    largestPolicyLength: Math.max(...managed),
  };
}

/** The statements of a synthetic configuration with `databases` databases of the given shape. */
function shapeStatements(shape: PolicyShape, databases: number): StatementSpec[] {
  const buckets = names('b', shape.dataLocations, shape.bucketNameLength);
  const scope: AthenaQueryScope = {
    workGroupNames: names('w', shape.workGroups, shape.workGroupNameLength),
    catalogName: DEFAULT_CATALOG_NAME,
    glueDatabaseNames: names('d', databases, shape.databaseNameLength),
    resultsBucketName: shape.managedQueryResults ? undefined : 'r'.repeat(shape.bucketNameLength),
    resultsPrefix: !shape.managedQueryResults && shape.prefixLength > 0 ? 'p'.repeat(shape.prefixLength) : undefined,
    managedQueryResultsKmsKeyArn: shape.managedQueryResults ? `arn:aws-us-gov:kms:ap-southeast-7:123456789012:key/${names('m', 1, 36)[0]}` : undefined,
    dataLocations: buckets.map((bucketName) => ({ bucketName, prefix: shape.prefixLength > 0 ? 'p'.repeat(shape.prefixLength) : undefined })),
    kmsKeyArns: names('k', shape.kmsKeys, 36).map((id) => `arn:aws-us-gov:kms:ap-southeast-7:123456789012:key/${id}`),
    catalogs: shape.catalogs,
    accessMode: shape.accessMode,
    lakeFormation: shape.lakeFormation,
  };
  return [
    ...athenaQueryStatements(scope, LONGEST_ENV),
    ...(shape.guardrails ? guardrailStatements(scope, LONGEST_ENV) : []),
  ];
}

/**
 * The most Glue databases a configuration of this shape can name and still fit `maxManagedPolicies`
 * managed policies and its inline policy (0 when not even one fits). Packing only grows with the number of
 * databases, so a binary search finds it. In Lake Formation mode the policy does not depend on the databases:
 * see {@link LAKE_FORMATION_MAX_DATABASES}.
 */
export function maxDatabasesThatFit(shape: PolicyShape, maxManagedPolicies: number): number {
  const fits = (databases: number) => planPolicies(shape, databases, maxManagedPolicies).fits;
  if (shape.accessMode === AccessMode.LAKE_FORMATION) return fits(1) ? LAKE_FORMATION_MAX_DATABASES : 0;
  return largestFitting(fits);
}

/**
 * The largest count `fits` accepts (0 when it refuses 1), for a `fits` that accepts every count up to one and refuses
 * every count beyond: doubling from `guess` until refused, then a binary search.
 */
export function largestFitting(fits: (count: number) => boolean, guess: number = 1): number {
  let low = 0;
  let high = Math.max(1, guess);
  while (fits(high)) {
    low = high;
    high *= 2;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/**
 * The most databases any packing of this shape could fit into `maxManagedPolicies` managed policies of 6,144
 * characters and the shape's inline policy (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html):
 * that budget, less what one policy document holding the configuration with a single database needs, divided
 * by what each further database adds to it. It ignores the header every further policy and every split statement
 * repeats, so it is an upper bound no packing reaches.
 */
export function physicalMaxDatabases(shape: PolicyShape, maxManagedPolicies: number): number {
  const sizeWith = (databases: number) => plainMeasure.jsonLength(documentJson(shapeStatements(shape, databases)));
  const perDatabase = sizeWith(2) - sizeWith(1);
  const budget = maxManagedPolicies * IAM_LIMITS.managedPolicy + shape.maxInlinePolicyLength;
  return Math.max(0, 1 + Math.floor((budget - sizeWith(1)) / perDatabase));
}
