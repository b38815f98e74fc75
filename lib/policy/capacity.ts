import { ArnContext } from './arns';
import { athenaQueryStatements, AthenaQueryScope } from './athena-query-statements';
import { guardrailStatements } from './guardrails';
import { documentJson, JsonMeasure, packStatements } from './packing';
import { IAM_LIMITS } from './size';

/** The shape of a configuration: how many of each thing, and how long their names are. */
export interface PolicyShape {
  readonly workGroups: number;
  readonly dataLocations: number;
  readonly kmsKeys: number;
  readonly lakeFormation: boolean;
  /** Athena keeps the query results: no results bucket, and a customer managed key for them (an upper bound). */
  readonly managedQueryResults: boolean;
  readonly guardrails: boolean;
  readonly databaseNameLength: number;
  readonly bucketNameLength: number;
  readonly prefixLength: number;
  readonly workGroupNameLength: number;
}

/** How a configuration packs: the managed policies it needs and the largest one's size. */
export interface PolicyPlan {
  readonly policies: number;
  readonly largestPolicyLength: number;
}

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
export function planPolicies(shape: PolicyShape, databases: number): PolicyPlan {
  const buckets = names('b', shape.dataLocations, shape.bucketNameLength);
  const scope: AthenaQueryScope = {
    workGroupNames: names('w', shape.workGroups, shape.workGroupNameLength),
    catalogName: 'AwsDataCatalog',
    glueDatabaseNames: names('d', databases, shape.databaseNameLength),
    resultsBucketName: shape.managedQueryResults ? undefined : 'r'.repeat(shape.bucketNameLength),
    resultsPrefix: !shape.managedQueryResults && shape.prefixLength > 0 ? 'p'.repeat(shape.prefixLength) : undefined,
    managedQueryResultsKmsKeyArn: shape.managedQueryResults ? `arn:aws-us-gov:kms:ap-southeast-7:123456789012:key/${names('m', 1, 36)[0]}` : undefined,
    dataLocations: buckets.map((bucketName) => ({ bucketName, prefix: shape.prefixLength > 0 ? 'p'.repeat(shape.prefixLength) : undefined })),
    kmsKeyArns: names('k', shape.kmsKeys, 36).map((id) => `arn:aws-us-gov:kms:ap-southeast-7:123456789012:key/${id}`),
    lakeFormation: shape.lakeFormation,
  };
  const statements = [
    ...athenaQueryStatements(scope, LONGEST_ENV),
    ...(shape.guardrails ? guardrailStatements(scope, LONGEST_ENV) : []),
  ];
  const documents = packStatements(statements, plainMeasure, IAM_LIMITS.managedPolicy);
  return {
    policies: documents.length,
    largestPolicyLength: Math.max(...documents.map((d) => plainMeasure.jsonLength(documentJson(d)))),
  };
}

/**
 * The most Glue databases a configuration of this shape can name and still fit `maxManagedPolicies`
 * managed policies (0 when not even one fits). Packing only grows with the number of databases, so a
 * binary search finds it.
 */
export function maxDatabasesThatFit(shape: PolicyShape, maxManagedPolicies: number): number {
  const fits = (databases: number) => planPolicies(shape, databases).policies <= maxManagedPolicies;
  if (!fits(1)) return 0;
  let low = 1;
  let high = 2;
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
