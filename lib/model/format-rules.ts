import { isDeployTime } from './deploy-time';

/**
 * Format rules as data: what a value must look like, written once, so that every output can emit the same rule
 * (the constructs check it at synth; a CloudFormation parameter can take `pattern` as its `AllowedPattern`, a
 * Terraform variable as `can(regex(...))` in a `validation` block) and the error says the same thing everywhere.
 */
export interface FormatRule {
  /**
   * The whole value, as a regular expression source, anchored, in the syntax JavaScript, Java (CloudFormation) and
   * RE2 (Terraform) share; RE2 takes no repeat count over 1,000, so an output for Terraform bounds such a rule by
   * `maxLength` instead.
   */
  readonly pattern: string;
  /** Fewest characters, where the pattern does not already say it. @default - as the pattern says */
  readonly minLength?: number;
  /** Most characters, where the pattern does not already say it. @default - as the pattern says */
  readonly maxLength?: number;
  /** What is accepted, as the error says it. */
  readonly accepted: string;
  /** More precise messages for common mistakes, tried in order when the value does not match. */
  readonly hints?: FormatHint[];
  /** Values that match but are refused all the same, each with what the error says. */
  readonly refused?: FormatHint[];
  /**
   * A value the rule refuses by its pattern or lengths (not by `refused`): the Terraform modules' generated tests
   * feed it. @default - none (an output that tests the rule needs one)
   */
  readonly invalidExample?: string;
}

/** A shape of value with what to say about it. */
export interface FormatHint {
  /** A regular expression source that finds the shape. */
  readonly pattern: string;
  /** What the error says. */
  readonly accepted: string;
  /** For a refused shape: a value of that shape the rule's pattern accepts. @default - none */
  readonly example?: string;
}

/**
 * A number within a range, as data for every output (the constructs' check, a Terraform `validation` block).
 */
export interface RangeRule {
  readonly min: number;
  readonly max: number;
  /**
   * Whether only whole numbers are accepted.
   * @default false
   */
  readonly wholeNumber?: boolean;
  /** What is accepted, as the error says it. */
  readonly accepted: string;
  /** A value out of the range, for the outputs' tests. */
  readonly invalidExample: number;
}

/** IAM wildcards: a value holding one is a pattern of names. */
export const WILDCARD_PATTERN = '[*?]';

/** A name, or a pattern of names: a value holding a {@link WILDCARD_PATTERN} is checked by `pattern`, any other by `name`. */
export interface NameOrPatternRule {
  readonly name: FormatRule;
  readonly pattern: FormatRule;
}

const PARTITIONS = '(aws|aws-cn|aws-us-gov)';
const ACCOUNT = '\\d{12}';
const IAM_NAME = '[\\w+=,.@-]';
/** Printable ASCII as IAM paths take it, but `*` and `?`: IAM would read them as wildcards in an ARN. */
const IAM_PATH_CHAR = '[\\x21-\\x29\\x2B-\\x3E\\x40-\\x7E]';
const IAM_PATH = `/(?:${IAM_PATH_CHAR}+/)?`;
/** {@link IAM_PATH_CHAR} without `/`: one segment of a path. */
const IAM_PATH_SEGMENT_CHAR = '[\\x21-\\x29\\x2B-\\x2E\\x30-\\x3E\\x40-\\x7E]';
const KEY_ID = '(mrk-[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})';
const KMS_KEY_EXPECTED = 'Expected a KMS key ARN arn:<partition>:kms:<region>:<account>:key/<key id>';
const BUCKET_ACCEPTED = 'An S3 bucket name is 3 to 63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not shaped like an IP address.';
const TABLE_BUCKET_ACCEPTED = 'An S3 table bucket name is 3 to 63 characters of lower-case letters, digits and hyphens, starting and ending with a letter or digit, '
  + 'not starting with xn--, sthree-, amzn-s3-demo- or aws, not ending with -s3alias, --ol-s3, --x-s3 or --table-s3.';
/** A table bucket name's shape, unanchored. */
const TABLE_BUCKET = '[a-z0-9][a-z0-9-]{1,61}[a-z0-9]';
/** The table bucket names S3 reserves: `^` anchors the prefixes only, `$` the suffixes. */
const TABLE_BUCKET_RESERVED = '^(xn--|sthree-|amzn-s3-demo-|aws)|(-s3alias|--ol-s3|--x-s3|--table-s3)$';

/** The Glue catalog that holds one child catalog per S3 table bucket (AWS Glue guide, glue-specifying-resource-arns). */
export const S3_TABLES_CATALOG = 's3tablescatalog';
/** Whether a catalog path is of the S3 Tables catalog (its first name is {@link S3_TABLES_CATALOG}), as a regular expression source. */
export const S3_TABLES_PATH = `^${S3_TABLES_CATALOG}(/|$)`;
/**
 * The characters of a name in a Glue ARN (a catalog, a database), as a regular expression character range:
 * lower-case letters, digits, `_` and `-` (Glue stores names in lower case; IAM compares ARNs case-sensitively).
 */
export const GLUE_NAME_CHARS = 'a-z0-9_-';
/**
 * The characters of an S3 Tables namespace (a database of an `s3tablescatalog/<table bucket>` catalog), as a
 * regular expression character range: lower-case letters, digits and `_`, no hyphens
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-buckets-naming.html#naming-rules-table).
 */
export const NAMESPACE_CHARS = 'a-z0-9_';
const S3_TABLES_PATH_ACCEPTED = `An S3 Tables catalog is "${S3_TABLES_CATALOG}/<table bucket name>", one table bucket per catalog.`;
const GLUE_CATALOG_PATH_ACCEPTED = 'A Glue catalog is named "<catalog>" or "<catalog>/<child catalog>": at most 255 characters of lower-case letters, '
  + 'digits, underscore and hyphen per name, no wildcards.';
const NAMESPACE_ACCEPTED = 'An S3 Tables namespace is at most 255 lower-case letters, digits and underscores (no hyphens), not starting with "aws"; * and ? make a pattern.';

/**
 * A catalog path other than S3 Tables' (`<catalog>` or `<catalog>/<child catalog>`), never the account's default
 * catalog, `AwsDataCatalog` in any case, whose databases are set with `databaseNames` (how the output names
 * glueDatabaseNames). `*`, `?` and `:` are refused because the path becomes part of IAM ARNs.
 */
export function glueCatalogPathRule(databaseNames: string): FormatRule {
  const defaultCatalog: FormatHint = {
    pattern: `^${[...'awsdatacatalog'].map((c) => `[${c}${c.toUpperCase()}]`).join('')}$`,
    example: 'awsdatacatalog',
    accepted: `This is the default catalog; its databases are set with ${databaseNames}.`,
  };
  return {
    pattern: `^[${GLUE_NAME_CHARS}]{1,255}(/[${GLUE_NAME_CHARS}]{1,255})?$`,
    accepted: GLUE_CATALOG_PATH_ACCEPTED,
    // In any case: a value that is not lower case is told so too.
    hints: [defaultCatalog],
    refused: [defaultCatalog],
    invalidExample: 'partner_*',
  };
}

/**
 * The characters an S3 prefix may hold, as a regular expression character range: printable Basic Latin and
 * Latin-1 Supplement without space, because the prefix becomes part of the policies' resource ARNs and IAM policy
 * documents hold only tab, LF, CR and U+0020 to U+00FF ("IAM and AWS STS character limits",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). Space and no-break space are
 * whitespace (refused as before); U+007F to U+00A0 are control characters.
 */
export const PREFIX_CHARS = '\\x21-\\x7E\\xA1-\\xFF';
/** {@link PREFIX_CHARS} without `*` and `?`; and the first character of a prefix, without `/` too. */
const LITERAL_CHAR = '[\\x21-\\x29\\x2B-\\x3E\\x40-\\x7E\\xA1-\\xFF]';
const LITERAL_FIRST_CHAR = '[\\x21-\\x29\\x2B-\\x2E\\x30-\\x3E\\x40-\\x7E\\xA1-\\xFF]';
const S3_PREFIX_ACCEPTED = 'An S3 prefix is a folder path such as "athena/results": no leading slash, no empty segments, no whitespace, no * or ?, at most 1,000 characters.';
const S3_PREFIX_PATTERN_ACCEPTED = 'An S3 prefix is a folder path such as "warehouse/sales" or the pattern "warehouse/team-*": no leading slash, no empty segments, no whitespace, at most 1,000 characters.';
/** What no prefix may hold anywhere: `${`, which starts an IAM policy variable in a resource ARN, or an empty segment. */
const PREFIX_REFUSED = (accepted: string): FormatHint[] => [
  { pattern: '\\$\\{', example: 'athena/${aws:username}', accepted },
  { pattern: '//', example: 'athena//results', accepted },
];

/** The library's format rules, by what they check. */
export const FORMAT_RULES = {
  /** An IAM role ARN: not a user, not an STS assumed-role session, not a wildcard. */
  roleArn: {
    pattern: `^arn:${PARTITIONS}:iam::${ACCOUNT}:role${IAM_PATH}${IAM_NAME}{1,64}$`,
    accepted: 'Expected an IAM role ARN arn:<aws|aws-cn|aws-us-gov>:iam::<12-digit account>:role/[<path>/]<name> without wildcards.',
    hints: [
      { pattern: '^arn:[\\w-]+:sts::\\d{12}:assumed-role/', accepted: 'This is an STS session ARN; name the IAM role itself: arn:<partition>:iam::<account>:role/<name>.' },
      { pattern: '^arn:[\\w-]+:iam::\\d{12}:user/', accepted: 'This is an IAM user ARN; a role ARN is required: arn:<partition>:iam::<account>:role/<name>.' },
    ],
    invalidExample: 'arn:aws:iam::123456789012:user/acme',
  },
  /** An IAM role or user ARN (a principal Lake Formation can grant to), without wildcards. */
  roleOrUserArn: {
    pattern: `^arn:${PARTITIONS}:iam::${ACCOUNT}:(role|user)${IAM_PATH}${IAM_NAME}{1,64}$`,
    accepted: 'Give the ARN of an IAM role or user, such as arn:aws:iam::123456789012:role/qualytics-athena-access.',
    invalidExample: 'arn:aws:iam::123456789012:group/acme',
  },
  /** An IAM OIDC identity provider ARN, as created for an EKS cluster's issuer. */
  oidcProviderArn: {
    pattern: `^arn:${PARTITIONS}:iam::${ACCOUNT}:oidc-provider/[^\\s/]+(/[^\\s/]+)*$`,
    accepted: 'Expected an IAM OIDC provider ARN arn:<partition>:iam::<account>:oidc-provider/<issuer host and path>.',
    invalidExample: 'arn:aws:iam::123456789012:role/oidc',
  },
  /** An External ID as STS accepts it; an AWS account ID is refused because it is not unique per customer. */
  externalId: {
    pattern: '^[\\w+=,.@:/-]{2,1224}$',
    minLength: 2,
    maxLength: 1224,
    accepted: 'An External ID is 2 to 1,224 characters of letters, digits and _+=,.@:/- with no whitespace.',
    refused: [{ pattern: '^\\d{12}$', example: '315179787488', accepted: 'This looks like an AWS account ID. Use a value the vendor generated and that is unique to this customer.' }],
    invalidExample: 'two words',
  },
  /** An Athena data catalog name. */
  catalogName: {
    pattern: '^[\\w@-]{1,256}$',
    accepted: 'A data catalog name is 1 to 256 characters of letters, digits, underscore, @ and hyphen.',
    invalidExample: 'my catalog',
  },
  /** The table bucket of an S3 Tables catalog (https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-buckets-naming.html). */
  tableBucketName: {
    pattern: `^${TABLE_BUCKET}$`,
    accepted: TABLE_BUCKET_ACCEPTED,
    refused: [{ pattern: TABLE_BUCKET_RESERVED, example: 'aws-tables', accepted: TABLE_BUCKET_ACCEPTED }],
    invalidExample: 'Acme_Tables',
  },
  /**
   * The catalog of an S3 table bucket, `s3tablescatalog/<table bucket>`, the bucket by {@link FORMAT_RULES.tableBucketName}
   * (https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html), for a catalog path of
   * {@link S3_TABLES_PATH}.
   */
  s3TablesCatalogPath: {
    pattern: `^${S3_TABLES_CATALOG}/${TABLE_BUCKET}$`,
    accepted: `${S3_TABLES_PATH_ACCEPTED} ${TABLE_BUCKET_ACCEPTED}`,
    hints: [
      { pattern: `^${S3_TABLES_CATALOG}($|/[^/]*/)`, accepted: S3_TABLES_PATH_ACCEPTED },
      { pattern: `^${S3_TABLES_CATALOG}/`, accepted: TABLE_BUCKET_ACCEPTED },
    ],
    // The reserved prefixes after the catalog's name; the suffixes end the path as they end the bucket.
    refused: [{ pattern: `^${S3_TABLES_CATALOG}/${TABLE_BUCKET_RESERVED.slice(1)}`, example: `${S3_TABLES_CATALOG}/aws-tables`, accepted: TABLE_BUCKET_ACCEPTED }],
    invalidExample: `${S3_TABLES_CATALOG}/Acme_Tables`,
  },
  /** A Glue catalog path other than S3 Tables' (see {@link glueCatalogPathRule}), as the constructs name the default catalog's databases. */
  glueCatalogPath: glueCatalogPathRule('glueDatabaseNames'),
  /**
   * A Glue database name as it appears in IAM ARNs. Glue stores names in lower case and IAM compares ARNs
   * case-sensitively, so an upper-case name would never match.
   */
  databaseName: {
    pattern: `^[${GLUE_NAME_CHARS}]{1,255}$`,
    accepted: 'A Glue database name is 1 to 255 characters of lower-case letters, digits, underscore and hyphen (Glue stores names in lower case).',
    invalidExample: 'Sales',
  },
  /** An S3 general purpose bucket name. */
  bucketName: {
    pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    accepted: BUCKET_ACCEPTED,
    refused: [
      { pattern: '^\\d+\\.\\d+\\.\\d+\\.\\d+$', example: '192.168.5.4', accepted: BUCKET_ACCEPTED },
      { pattern: '\\.\\.', example: 'acme..results', accepted: BUCKET_ACCEPTED },
    ],
    invalidExample: 'Acme_Results',
  },
  /** A KMS key ARN: not a bare key ID, not an alias (IAM matches key ARNs only). */
  kmsKeyArn: {
    pattern: `^arn:${PARTITIONS}:kms:[a-z]{2}(-[a-z]+)+-\\d:${ACCOUNT}:key/${KEY_ID}$`,
    accepted: `${KMS_KEY_EXPECTED}.`,
    hints: [
      { pattern: `^${KEY_ID}$`, accepted: `This is a bare KMS key ID. ${KMS_KEY_EXPECTED}: IAM matches the key ARN, which names the key's Region and account.` },
      { pattern: '^(arn:[\\w-]+:kms:[^:]*:[^:]*:)?alias/', accepted: `${KMS_KEY_EXPECTED}; aliases are not accepted because IAM matches the key ARN.` },
    ],
    invalidExample: 'alias/acme',
  },
  /** An AWS Organizations organization ID. */
  organizationId: {
    pattern: '^o-[a-z0-9]{10,32}$',
    accepted: 'An organization ID is "o-" followed by 10 to 32 lower-case letters or digits.',
    invalidExample: 'o-ABC',
  },
  /** A 12-digit AWS account ID. */
  accountId: {
    pattern: '^\\d{12}$',
    accepted: 'An AWS account ID is exactly 12 digits.',
    invalidExample: '1111-2222-3333',
  },
  /** An IAM role name. */
  roleName: {
    pattern: '^[\\w+=,.@-]{1,64}$',
    accepted: 'An IAM role name is 1 to 64 characters of letters, digits and _+=,.@-.',
    invalidExample: 'acme/athena',
  },
  /** An IAM user name. */
  userName: {
    pattern: '^[\\w+=,.@-]{1,64}$',
    accepted: 'An IAM user name is 1 to 64 characters of letters, digits and _+=,.@-.',
    invalidExample: 'acme/athena',
  },
  /** An EKS cluster name. */
  eksClusterName: {
    pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$',
    accepted: 'An EKS cluster name is 1 to 100 letters, digits, "-" and "_", starting with a letter or digit.',
    invalidExample: '-acme',
  },
  /** A Kubernetes object name (a namespace or service account): an RFC 1123 subdomain. */
  kubernetesName: {
    pattern: '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$',
    accepted: 'A Kubernetes name is 1 to 253 lower-case letters, digits, "-" and ".", starting and ending with a letter or digit.',
    invalidExample: 'Qualytics',
  },
  /** The start of an IAM role name (a name prefix used to scope a wildcard). */
  roleNamePrefix: {
    pattern: '^[\\w+=,.@-]{1,63}$',
    accepted: 'A role name prefix is 1 to 63 characters of letters, digits and _+=,.@-.',
    invalidExample: 'acme/',
  },
  /** An IAM path: "/" or "/segment/.../", no empty segment, no `*` or `?` (ARNs built from it would be patterns). */
  iamPath: {
    pattern: `^/(?:${IAM_PATH_SEGMENT_CHAR}+/)*$`,
    maxLength: 512,
    accepted: 'An IAM path starts and ends with "/", e.g. "/qualytics/", using printable ASCII without * or ?, at most 512 characters.',
    invalidExample: 'qualytics/',
  },
  /** A Glue database name or a pattern of names (as `glueDatabaseNames` takes them): `*` any run of characters, `?` one. */
  databaseNamePattern: {
    pattern: '^[a-z0-9_*?-]{1,255}$',
    accepted: 'A Glue database name pattern is at most 255 lower-case letters, digits, underscores, hyphens, * (any characters) and ? (one character), such as "sales_*".',
    invalidExample: 'Sales_*',
  },
  /**
   * An S3 Tables namespace, or a pattern of them with `*` and `?`: lower-case letters, digits and underscores, at most
   * 255, not starting with `aws` (https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-buckets-naming.html#naming-rules-table).
   * A namespace is also a database name, checked by the database rules first.
   */
  namespacePattern: {
    pattern: `^[*?${NAMESPACE_CHARS}]{1,255}$`,
    accepted: NAMESPACE_ACCEPTED,
    refused: [{ pattern: '^aws', example: 'aws_logs', accepted: NAMESPACE_ACCEPTED }],
    invalidExample: 'sales-eu',
  },
  /**
   * A pattern of S3 bucket names: at most 63 characters, at least three of them not wildcards (S3 ARNs name no
   * account, so a short pattern would match buckets of anyone).
   */
  bucketNamePattern: {
    pattern: '^[*?]*([a-z0-9.-][*?]*){3,}$',
    maxLength: 63,
    accepted: 'An S3 bucket name pattern is at most 63 lower-case letters, digits, dots, hyphens, * (any characters) and ? (one character), with at least three characters that are not wildcards, such as "acme-*-lake".',
    invalidExample: 'a*',
  },
  /**
   * A literal S3 prefix (a folder, no wildcards): no leading slash, no whitespace or control character, no `*` or
   * `?`, at most 1,000 characters, and (`refused`) no empty segment and no policy variable. Trailing slashes are
   * allowed (the constructs drop them). See {@link S3_PREFIX_PATTERN} for the rule as one pattern.
   */
  s3Prefix: {
    pattern: `^${LITERAL_FIRST_CHAR}${LITERAL_CHAR}*$`,
    maxLength: 1000,
    accepted: S3_PREFIX_ACCEPTED,
    refused: PREFIX_REFUSED(S3_PREFIX_ACCEPTED),
    invalidExample: '/athena/results',
  },
  /** An S3 prefix like {@link FORMAT_RULES.s3Prefix} in which `*` and `?` may stand for parts of the path. */
  s3PrefixPattern: {
    pattern: `^[\\x21-\\x2E\\x30-\\x7E\\xA1-\\xFF][${PREFIX_CHARS}]*$`,
    maxLength: 1000,
    accepted: S3_PREFIX_PATTERN_ACCEPTED,
    refused: PREFIX_REFUSED(S3_PREFIX_PATTERN_ACCEPTED),
    invalidExample: '/warehouse/team-*',
  },
} satisfies Record<string, FormatRule>;

const COMPILED = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let compiled = COMPILED.get(pattern);
  if (compiled === undefined) {
    compiled = new RegExp(pattern);
    COMPILED.set(pattern, compiled);
  }
  return compiled;
}

/** What is wrong with `value` by `rule` (the text of the error), or undefined when the rule accepts it. */
export function formatProblem(rule: FormatRule, value: string): string | undefined {
  const fits = regex(rule.pattern).test(value)
    && (rule.minLength === undefined || value.length >= rule.minLength)
    && (rule.maxLength === undefined || value.length <= rule.maxLength);
  if (fits) return rule.refused?.find((r) => regex(r.pattern).test(value))?.accepted;
  return (rule.hints?.find((h) => regex(h.pattern).test(value)) ?? rule).accepted;
}

/**
 * The rule as one regular expression, its refused shapes as lookaheads (JavaScript and JSON Schema take them; RE2,
 * Terraform's, does not, so the Terraform modules emit one condition per shape instead). Lengths are not in it.
 */
export function lookaheadPattern(rule: FormatRule): string {
  if (!rule.pattern.startsWith('^')) throw new Error(`${rule.pattern}: an anchored pattern is needed`);
  return `^${(rule.refused ?? []).map((r) => `(?!.*${r.pattern})`).join('')}${rule.pattern.slice(1)}`;
}

/** Whether `value` holds an IAM wildcard, and is read as a pattern of names. */
export function isPattern(value: string): boolean {
  return regex(WILDCARD_PATTERN).test(value);
}

/** The problem with a number by `rule`, if any. */
export function rangeProblem(rule: RangeRule, value: number): string | undefined {
  return value >= rule.min && value <= rule.max && (!rule.wholeNumber || Number.isInteger(value)) ? undefined : rule.accepted;
}

/**
 * Applies `rule` to `value`, throwing the library's standard error (`Invalid <property>: <JSON value>. <accepted>`)
 * when it does not hold. A value known only at deploy time is left to deploy time.
 */
export function checkFormat(rule: FormatRule, property: string, value: string): void {
  if (isDeployTime(value)) return;
  const problem = formatProblem(rule, value);
  if (problem !== undefined) invalid(property, value, problem);
}

/** Throws the library's standard error for a property whose value is not accepted. */
export function invalid(property: string, value: unknown, accepted: string): never {
  throw new Error(`Invalid ${property}: ${JSON.stringify(value)}. ${accepted}`);
}
