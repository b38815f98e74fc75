import { AccessMode } from './access-mode';
import { isDeployTime } from './deploy-time';
import {
  checkFormat, FORMAT_RULES, formatProblem, invalid, isPattern, lookaheadPattern, NameOrPatternRule, PREFIX_CHARS, RangeRule, rangeProblem,
  S3_TABLES_PATH,
} from './format-rules';
import { sessionNamePrefixProblem, workGroupProblem } from './rules';
import { IAM_LIMITS } from './size';

/**
 * Format checks for construct props, over the rules of `format-rules.ts` where a rule is a pattern, and in code
 * where it compares parts of the value. Each check skips values known only at deploy time (the model's deploy-time
 * values, an output's tokens): those are checked by CloudFormation at deploy time, for example through a
 * parameter's `AllowedPattern`. A failed check throws an error that names the property, shows the value and
 * says what is accepted.
 */

export { invalid };

function isToken(value: string): boolean {
  return isDeployTime(value);
}

/** Applies a rule shared with the runtime (`lib/model/rules.ts`) to a value that is not a token. */
function checkWith(property: string, value: string, problem: (value: string) => string | undefined): void {
  const found = isToken(value) ? undefined : problem(value);
  if (found !== undefined) invalid(property, value, found);
}

/** An IAM role ARN: not a user, not an STS assumed-role session, not a wildcard. */
export function validateRoleArn(property: string, value: string): void {
  checkFormat(FORMAT_RULES.roleArn, property, value);
}

/** An IAM role or user ARN (a principal Lake Formation can grant to), without wildcards. */
export function validateRoleOrUserArn(property: string, value: string): void {
  checkFormat(FORMAT_RULES.roleOrUserArn, property, value);
}

/** An IAM OIDC identity provider ARN, as created for an EKS cluster's issuer. */
export function validateOidcProviderArn(property: string, value: string): void {
  checkFormat(FORMAT_RULES.oidcProviderArn, property, value);
}

/** An External ID as STS accepts it; an AWS account ID is refused because it is not unique per customer. */
export function validateExternalId(property: string, value: string): void {
  checkFormat(FORMAT_RULES.externalId, property, value);
}

/** The start of an STS role session name; at least one character must remain for the connection id. */
export function validateSessionNamePrefix(property: string, value: string): void {
  checkWith(property, value, sessionNamePrefixProblem);
}

/** An Athena workgroup name. */
export function validateWorkGroupName(property: string, value: string): void {
  checkWith(property, value, workGroupProblem);
}

/** An Athena data catalog name. */
export function validateCatalogName(property: string, value: string): void {
  checkFormat(FORMAT_RULES.catalogName, property, value);
}

/**
 * A Glue catalog other than the account's default one, by its path as Athena queries name it: a catalog
 * registered in Glue (`my_catalog`), a child catalog (`my_catalog/my_subcatalog`,
 * https://docs.aws.amazon.com/athena/latest/ug/gdc-register-query-the-data-source.html), or an S3 table bucket's
 * catalog `s3tablescatalog/<table bucket>` (https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html):
 * {@link FORMAT_RULES.s3TablesCatalogPath} for a path of {@link S3_TABLES_PATH}, {@link FORMAT_RULES.glueCatalogPath} for any other.
 */
export function validateGlueCatalogPath(property: string, value: string): void {
  checkFormat(new RegExp(S3_TABLES_PATH).test(value) ? FORMAT_RULES.s3TablesCatalogPath : FORMAT_RULES.glueCatalogPath, property, value);
}

/**
 * An S3 Tables namespace (a database of an `s3tablescatalog/<bucket>` catalog), or a pattern of them with `*`
 * and `?`: a database name or pattern ({@link validateDatabaseNamePattern}) of {@link FORMAT_RULES.namespacePattern}.
 */
export function validateNamespacePattern(property: string, value: string): void {
  validateDatabaseNamePattern(property, value);
  checkFormat(FORMAT_RULES.namespacePattern, property, value);
}

/**
 * A Glue database name as it appears in IAM ARNs. Glue stores names in lower case and IAM compares ARNs
 * case-sensitively, so an upper-case name would never match.
 */
export function validateDatabaseName(property: string, value: string): void {
  checkFormat(FORMAT_RULES.databaseName, property, value);
}

/** An S3 general purpose bucket name. */
export function validateBucketName(property: string, value: string): void {
  if (isToken(value)) return;
  checkWith(property, value, bucketLocationProblem);
  checkFormat(FORMAT_RULES.bucketName, property, value);
}

/**
 * What to do when a bucket name was given as a bucket ARN, an `s3://` URI or `bucket/prefix`: pass the name
 * alone, and the prefix in its own property. Undefined for anything else.
 */
export function bucketLocationProblem(value: string): string | undefined {
  const forms: Array<[RegExp, string]> = [
    [/^arn:[\w-]+:s3:::([^/]*)(?:\/(.*))?$/, 'an S3 ARN'],
    [/^s3a?:\/\/([^/]*)(?:\/(.*))?$/i, 'an S3 URI'],
    [/^([^/:]+)\/(.*)$/, 'a bucket name with a path'],
  ];
  for (const [form, what] of forms) {
    const match = form.exec(value);
    if (!match) continue;
    const prefix = (match[2] ?? '').replace(/\/+$/, '');
    return `This is ${what}; pass the bucket name alone ("${match[1]}")`
      + (prefix ? ` and the prefix ("${prefix}") in the prefix property beside it.` : '.');
  }
  return undefined;
}

/**
 * An S3 key prefix, treated as a folder: no leading slash, no empty segments, no wildcard characters.
 * Returns the prefix without trailing slashes.
 */
export function normalizePrefix(property: string, value: string): string {
  return normalizeFolder(property, value, false);
}

/**
 * An S3 key prefix like {@link normalizePrefix}, in which `*` (any run of characters, `/` included) and `?`
 * (one character) may stand for parts of the path, as in `warehouse/team-*` or `warehouse/year=202?`.
 */
export function normalizePrefixPattern(property: string, value: string): string {
  return normalizeFolder(property, value, true);
}

/** How a prefix's accepted characters read in an error. */
const PREFIX_CHARS_ACCEPTED = 'printable Basic Latin and Latin-1 Supplement characters (U+0021 to U+007E and U+00A1 to U+00FF)';
/** `${` starts an IAM policy variable, which IAM replaces in a resource ARN. */
const POLICY_VARIABLE = '${';

/**
 * A literal S3 prefix (no wildcards) as one regular expression, {@link FORMAT_RULES.s3Prefix} with its refused
 * shapes as lookaheads: the deployment config's JSON Schema (`schema/athena-access.schema.json`,
 * `definitions.prefix`) holds the same pattern (a test compares them). Lengths are checked apart.
 */
export const S3_PREFIX_PATTERN = lookaheadPattern(FORMAT_RULES.s3Prefix);

/**
 * What IAM cannot hold in a prefix, if anything: a character outside {@link PREFIX_CHARS} (other than
 * whitespace, which the shape check names) or a policy variable.
 */
function prefixCharacterProblem(value: string): string | undefined {
  const allowed = new RegExp(`^[${PREFIX_CHARS}\\s]$`, 'u');
  const bad = [...value].find((char) => !allowed.test(char));
  if (bad !== undefined) {
    const codePoint = `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return `It holds ${JSON.stringify(bad)} (${codePoint}), which an IAM policy cannot hold: the prefix is part of the policies' resource ARNs, ` +
      `and policies take only ${PREFIX_CHARS_ACCEPTED} there (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). ` +
      'Give a folder whose path uses only these (a folder above it grants everything under it too).';
  }
  if (value.includes(POLICY_VARIABLE)) {
    return `It holds "${POLICY_VARIABLE}", which starts an IAM policy variable: in a resource ARN IAM would replace "\${...}" with a value of the ` +
      'request, not match it as written (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html). Give a folder without "${".';
  }
  return undefined;
}

function normalizeFolder(property: string, value: string, wildcards: boolean): string {
  if (isToken(value)) return value;
  checkWith(property, value, prefixCharacterProblem);
  const trimmed = value.replace(/\/+$/, '');
  const rule = wildcards ? FORMAT_RULES.s3PrefixPattern : FORMAT_RULES.s3Prefix;
  if (formatProblem(rule, trimmed) === undefined) return trimmed;
  // Every shape the rule refuses reads as what it accepts.
  return invalid(property, value, rule.accepted);
}

/** A pattern of only wildcards, as a regular expression source. */
export const ONLY_WILDCARDS = '^[*?]+$';

/** What a database pattern of only wildcards in the list `list` is told. */
export function onlyWildcards(list: string): string {
  return `A pattern of only wildcards matches every database; leave ${list} unset for that.`;
}

/**
 * A Glue database name, or a pattern of names: `*` matches any run of characters (none included) and `?`
 * exactly one, as IAM matches ARNs. A pattern needs at least one character that is not a wildcard.
 */
export function validateDatabaseNamePattern(property: string, value: string): void {
  if (isToken(value) || !isPattern(value)) return validateDatabaseName(property, value);
  if (new RegExp(ONLY_WILDCARDS).test(value)) invalid(property, value, onlyWildcards(property.replace(/\[\d+\]$/, '')));
  checkFormat(FORMAT_RULES.databaseNamePattern, property, value);
}

/**
 * An S3 bucket name, or a pattern of names with `*` (any run of characters) and `?` (one character). S3
 * ARNs name no account, so a pattern can match buckets of other accounts (which would also have to grant
 * access in their bucket policies); it needs at least three characters that are not wildcards.
 */
export function validateBucketNamePattern(property: string, value: string): void {
  if (isToken(value) || !isPattern(value)) return validateBucketName(property, value);
  checkWith(property, value, bucketLocationProblem);
  checkFormat(FORMAT_RULES.bucketNamePattern, property, value);
}

/** Glue database names or patterns, as `glueDatabaseNames` takes them (the outputs that cannot run {@link validateDatabaseNamePattern} read these). */
export const DATABASE_NAME_OR_PATTERN: NameOrPatternRule = { name: FORMAT_RULES.databaseName, pattern: FORMAT_RULES.databaseNamePattern };
/** S3 bucket names or patterns, as a data location's `bucketName` takes them. */
export const BUCKET_NAME_OR_PATTERN: NameOrPatternRule = { name: FORMAT_RULES.bucketName, pattern: FORMAT_RULES.bucketNamePattern };

/** A KMS key ARN: not a bare key ID, not an alias (IAM matches key ARNs only). */
export function validateKmsKeyArn(property: string, value: string): void {
  checkFormat(FORMAT_RULES.kmsKeyArn, property, value);
}

/** An AWS Organizations organization ID. */
export function validateOrganizationId(property: string, value: string): void {
  checkFormat(FORMAT_RULES.organizationId, property, value);
}

/** A 12-digit AWS account ID. */
export function validateAccountId(property: string, value: string): void {
  checkFormat(FORMAT_RULES.accountId, property, value);
}

/** An IAM role name. */
export function validateRoleName(property: string, value: string): void {
  checkFormat(FORMAT_RULES.roleName, property, value);
}

/** An IAM user name. */
export function validateUserName(property: string, value: string): void {
  checkFormat(FORMAT_RULES.userName, property, value);
}

/** An EKS cluster name. */
export function validateEksClusterName(property: string, value: string): void {
  checkFormat(FORMAT_RULES.eksClusterName, property, value);
}

/** A Kubernetes object name (a namespace or service account). */
export function validateKubernetesName(property: string, value: string): void {
  checkFormat(FORMAT_RULES.kubernetesName, property, value);
}

/** The start of an IAM role name (a name prefix used to scope a wildcard). */
export function validateRoleNamePrefix(property: string, value: string): void {
  checkFormat(FORMAT_RULES.roleNamePrefix, property, value);
}

/** An IAM path: "/" or "/segment/.../", at most 512 characters, no `*` or `?` (ARNs built from it would be patterns). */
export function validateIamPath(property: string, value: string): void {
  checkFormat(FORMAT_RULES.iamPath, property, value);
}

/** How many query policies a Terraform module may split over, beside `otherPolicies` other managed policies of the identity. */
export function queryPolicyCountRule(otherPolicies: number): RangeRule {
  return {
    min: 1,
    max: IAM_LIMITS.managedPoliciesPerIdentityMax - otherPolicies,
    wholeNumber: true,
    accepted: `A whole number from 1 to ${IAM_LIMITS.managedPoliciesPerIdentityMax - otherPolicies}: the managed policies the query permissions `
      + `are split over, beside ${otherPolicies} other${otherPolicies === 1 ? '' : 's'} (together at most max_managed_policies).`,
    invalidExample: 0,
  };
}

/** The account's quota of managed policies per identity, as IAM lets it be raised. */
export const MANAGED_POLICY_QUOTA_RULE: RangeRule = {
  min: IAM_LIMITS.managedPoliciesPerIdentity,
  max: IAM_LIMITS.managedPoliciesPerIdentityMax,
  wholeNumber: true,
  accepted: `A whole number from ${IAM_LIMITS.managedPoliciesPerIdentity} (IAM's default quota) to `
    + `${IAM_LIMITS.managedPoliciesPerIdentityMax} (the quota raised as far as it goes): the account's quota of managed policies per identity.`,
  invalidExample: IAM_LIMITS.managedPoliciesPerIdentityMax + 1,
};

/** A role's maximum session duration in seconds, as IAM takes it (CreateRole's MaxSessionDuration): 1 to 12 hours. */
export const MAX_SESSION_DURATION: RangeRule = { min: 3600, max: 43200, accepted: 'A maximum session duration is between 1 hour and 12 hours.', invalidExample: 900 };

/** A role's maximum session duration, in seconds (`shown` as the user wrote it): 1 to 12 hours. */
export function validateMaxSessionDuration(property: string, seconds: number, shown: string): void {
  const problem = rangeProblem(MAX_SESSION_DURATION, seconds);
  if (problem !== undefined) invalid(property, shown, problem);
}

/** What a list of fewer than `min` entries is told. */
export function atLeastEntries(min: number): string {
  return `Give at least ${min} entr${min === 1 ? 'y' : 'ies'}.`;
}

/** A non-empty list of at most `max` entries, each checked by `check` under `property[index]`. */
export function validateList(
  property: string,
  values: string[],
  check: (property: string, value: string) => void,
  options: { min?: number; max?: number } = {},
): void {
  const min = options.min ?? 1;
  if (values.length < min) invalid(property, values, atLeastEntries(min));
  if (options.max !== undefined && values.length > options.max) {
    invalid(property, `${values.length} entries`, `Give at most ${options.max}.`);
  }
  values.forEach((value, index) => check(`${property}[${index}]`, value));
}

/** Where query results go, as construct props name it. */
export interface QueryResultsChoice {
  readonly resultsBucketName?: string;
  readonly resultsPrefix?: string;
  readonly managedQueryResults?: boolean;
  readonly managedQueryResultsKmsKeyArn?: string;
}

/** How an output names the inputs of the query results choice in its messages. */
export interface QueryResultsNames {
  /** The results bucket, e.g. `resultsBucketName`. */
  readonly bucket: string;
  /** The results folder, e.g. `resultsPrefix`. */
  readonly prefix: string;
  /** Managed query results turned on, e.g. `managedQueryResults: true`. */
  readonly managed: string;
  /** The KMS keys of table data and S3 query results, e.g. `kmsKeyArns`. */
  readonly kmsKeyArns: string;
}

/** The constructs' names of the query results choice's inputs. */
const CONSTRUCT_QUERY_RESULTS_NAMES: QueryResultsNames = {
  bucket: 'resultsBucketName', prefix: 'resultsPrefix', managed: 'managedQueryResults: true', kmsKeyArns: 'kmsKeyArns',
};

/** What each rule of the query results choice accepts, in an output's names (one wording for every output). */
export function queryResultsChoiceRules(names: QueryResultsNames) {
  return {
    /** A bucket with managed results. */
    bucketWithManaged: `With ${names.managed} Athena keeps the query results itself and no results bucket is used: give either `
      + `${names.bucket} or ${names.managed}, not both.`,
    /** Neither a bucket nor managed results. */
    noBucket: `Give the bucket Athena writes query results to, or set ${names.managed} when the workgroups use managed query results.`,
    /** A folder without a bucket. */
    prefixWithoutBucket: `With managed query results there is no results bucket or folder: leave ${names.prefix} unset.`,
    /** A managed-results key without managed results. */
    keyWithoutManaged: `A key for managed query results applies only with ${names.managed}; `
      + `for SSE-KMS query results in your S3 bucket, list the key in ${names.kmsKeyArns}.`,
  };
}

/**
 * A results bucket or Athena's managed query results, not both (unless `bothAtDeployTime`: a deploy-time
 * condition chooses, and the bucket serves where results are not managed); a results folder only with a bucket;
 * a managed-results key only with managed results, and a key ARN.
 */
export function validateQueryResultsChoice(choice: QueryResultsChoice, bothAtDeployTime: boolean = false): void {
  const rules = queryResultsChoiceRules(CONSTRUCT_QUERY_RESULTS_NAMES);
  const managed = choice.managedQueryResults ?? false;
  const bucket = choice.resultsBucketName;
  if (managed && bucket !== undefined && !bothAtDeployTime) invalid('resultsBucketName', bucket, rules.bucketWithManaged);
  if (!managed && bucket === undefined) invalid('resultsBucketName', bucket, rules.noBucket);
  if (bucket === undefined && choice.resultsPrefix !== undefined) invalid('resultsPrefix', choice.resultsPrefix, rules.prefixWithoutBucket);
  const key = choice.managedQueryResultsKmsKeyArn;
  if (key !== undefined) {
    if (!managed) invalid('managedQueryResultsKmsKeyArn', key, rules.keyWithoutManaged);
    validateKmsKeyArn('managedQueryResultsKmsKeyArn', key);
  }
  if (bucket !== undefined) validateBucketName('resultsBucketName', bucket);
}

/** The access modes, in the order errors list them. */
export const ACCESS_MODES: AccessMode[] = Object.values(AccessMode);
/** What an access mode that is none of them is told. */
export const ACCESS_MODE_ACCEPTED = `Give one of ${ACCESS_MODES.join(', ')}.`;

/**
 * The access mode of `accessMode` and the deprecated `lakeFormation` together: `lakeFormation: true` without an
 * access mode, or with `AccessMode.IAM` (as it was written before IAM_AND_LAKE_FORMATION existed), is
 * IAM_AND_LAKE_FORMATION; `lakeFormation: false` with a mode that uses Lake Formation is refused.
 */
export function resolveAccessMode(accessMode: AccessMode | undefined, lakeFormation: boolean | undefined): AccessMode {
  if (accessMode !== undefined && !ACCESS_MODES.includes(accessMode)) invalid('accessMode', accessMode, ACCESS_MODE_ACCEPTED);
  if (accessMode === undefined || accessMode === AccessMode.IAM) return lakeFormation ? AccessMode.IAM_AND_LAKE_FORMATION : AccessMode.IAM;
  if (lakeFormation === false) {
    invalid('lakeFormation', false, `With accessMode ${accessMode} Lake Formation is always used: leave lakeFormation (deprecated) unset.`);
  }
  return accessMode;
}
