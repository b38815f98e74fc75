import { AccessMode } from './access-mode';
import { AthenaQueryScope, DEFAULT_CATALOG_NAME } from './athena-query-statements';
import { CatalogScope, tableBucketOf } from './catalog-statements';
import { isDeployTime } from './deploy-time';
import { GLUE_NAME_CHARS, NAMESPACE_CHARS, S3_TABLES_CATALOG } from './format-rules';
import { GrantTargets, planLakeFormationGrants } from './lake-formation-grants';
import { AthenaQueryPolicyOptions, GlueCatalogAccess } from './query-policy-options';
import { DEFAULT_RESULTS_PREFIX, globRemainders, validateResultsOutsideData } from './s3-locations';
import { IAM_LIMITS } from './size';
import {
  invalid, normalizePrefix, normalizePrefixPattern, resolveAccessMode, validateBucketNamePattern, validateCatalogName, validateDatabaseNamePattern,
  validateGlueCatalogPath, validateKmsKeyArn, validateList, validateNamespacePattern, validateQueryResultsChoice, validateWorkGroupName,
} from './validation';

/** A condition an output decides at deploy time (for the CDK constructs, a `CfnCondition`): its name, and where it is for errors. */
export interface ConditionRef {
  /** The condition's logical id. */
  readonly logicalId: string;
  /** Where it is defined (a construct path), shown in errors. */
  readonly path: string;
}

/**
 * The query policy's props as the model reads them: {@link AthenaQueryPolicyOptions}, with the deploy-time
 * conditions of `AthenaQueryPolicyProps` as {@link ConditionRef}s.
 */
export interface QueryPolicyInput extends AthenaQueryPolicyOptions {
  /** As `AthenaQueryPolicyProps.managedQueryResultsCondition`. */
  readonly managedQueryResultsCondition?: ConditionRef;
  /** As `AthenaQueryPolicyProps.lakeFormationCondition`. */
  readonly lakeFormationCondition?: ConditionRef;
}

/** The query policy's props, validated and with their defaults: what the outputs build from. */
export interface QueryPolicyPlan {
  /** What the statements cover. */
  readonly scope: AthenaQueryScope;
  /** What Lake Formation grants are made for. */
  readonly grantTargets: GrantTargets;
  /** Whether the role or user the policy is made for gets Lake Formation grants from it. */
  readonly createsLakeFormationGrants: boolean;
  /** Whether the guardrail denies are included. */
  readonly guardrails: boolean;
  /** How many managed policies the statements may take. */
  readonly maxManagedPolicies: number;
  /** Characters of the inline policy that takes what the managed policies cannot; 0 for none. */
  readonly maxInlinePolicyLength: number;
}

/** The props that hold the Lake Formation grants' input, for error messages. */
export const GRANT_PROPERTY_NAMES = {
  databaseNames: 'glueDatabaseNames',
  tagExpressions: 'lakeFormationTagExpressions',
  nestedStacks: 'lakeFormationNestedStacks',
  defaultDatabaseDescribe: 'lakeFormationDefaultDatabaseDescribe',
};

/**
 * Validates the query policy's props, all that needs only the props, in the order the errors are reported, and
 * gives them with their defaults. Checks that need the construct tree (the stack's synthesizer, its resources)
 * stay with the output.
 */
export function checkQueryPolicyProps(props: QueryPolicyInput): QueryPolicyPlan {
  const scope = normalizeQueryProps(props);
  const grantTargets = {
    databaseNames: props.glueDatabaseNames,
    tagExpressions: props.lakeFormationTagExpressions,
    nestedStacks: props.lakeFormationNestedStacks,
    defaultDatabaseDescribe: props.lakeFormationDefaultDatabaseDescribe,
  };
  const createsLakeFormationGrants = scope.accessMode === AccessMode.LAKE_FORMATION && props.createLakeFormationGrants !== false;
  if (createsLakeFormationGrants) planLakeFormationGrants(grantTargets, GRANT_PROPERTY_NAMES);
  return {
    scope,
    grantTargets,
    createsLakeFormationGrants,
    guardrails: props.guardrails ?? false,
    maxManagedPolicies: props.maxManagedPolicies ?? IAM_LIMITS.managedPoliciesPerIdentity,
    maxInlinePolicyLength: props.maxInlinePolicyLength ?? 0,
  };
}

/** A number of managed policies per identity IAM can allow. */
export function validateMaxManagedPolicies(property: string, value: number): void {
  if (Number.isInteger(value) && value >= 1 && value <= IAM_LIMITS.managedPoliciesPerIdentityMax) return;
  invalid(property, value, `Give a whole number from 1 to ${IAM_LIMITS.managedPoliciesPerIdentityMax} (IAM's highest quota of managed policies per identity).`);
}

function normalizeQueryProps(props: QueryPolicyInput): AthenaQueryScope {
  const workGroupNames = props.workGroupNames ?? ['primary'];
  validateList('workGroupNames', workGroupNames, validateWorkGroupName);
  const catalogName = props.catalogName ?? DEFAULT_CATALOG_NAME;
  validateCatalogName('catalogName', catalogName);
  if (props.glueDatabaseNames) validateList('glueDatabaseNames', props.glueDatabaseNames, validateDatabaseNamePattern);
  const results = normalizeQueryResults(props);
  const dataLocations = (props.dataLocations ?? []).map((location, index) => {
    validateBucketNamePattern(`dataLocations[${index}].bucketName`, location.bucketName);
    return {
      bucketName: location.bucketName,
      prefix: location.prefix === undefined ? undefined : normalizePrefixPattern(`dataLocations[${index}].prefix`, location.prefix),
    };
  });
  const accessMode = validateAccessMode(props);
  const catalogs = normalizeCatalogs(props.catalogs ?? [], accessMode);
  validateCatalogIsolation(catalogs, accessMode, props.glueDatabaseNames);
  const lakeFormation = accessMode !== AccessMode.IAM;
  if (props.lakeFormationCondition !== undefined && accessMode !== AccessMode.IAM_AND_LAKE_FORMATION) {
    invalid('lakeFormationCondition', props.lakeFormationCondition.path,
      'A Lake Formation condition only applies with accessMode: AccessMode.IAM_AND_LAKE_FORMATION (in accessMode LAKE_FORMATION Lake Formation is always used).');
  }
  const kmsKeyArns = props.kmsKeyArns ?? [];
  validateList('kmsKeyArns', kmsKeyArns, validateKmsKeyArn, { min: 0 });
  if (props.maxManagedPolicies !== undefined) validateMaxManagedPolicies('maxManagedPolicies', props.maxManagedPolicies);
  const maxInline = props.maxInlinePolicyLength;
  if (maxInline !== undefined && !(Number.isInteger(maxInline) && maxInline >= 0 && maxInline <= IAM_LIMITS.roleInlinePolicies)) {
    invalid('maxInlinePolicyLength', maxInline, `Give a whole number of characters from 0 (no inline policy) to ${IAM_LIMITS.roleInlinePolicies} (IAM's limit for a role's inline policies).`);
  }
  if (results.resultsBucketName !== undefined) {
    validateResultsOutsideData({ bucketName: results.resultsBucketName, prefix: results.resultsPrefix }, dataLocations);
  }
  return {
    workGroupNames,
    catalogName,
    catalogs,
    glueDatabaseNames: props.glueDatabaseNames,
    ...results,
    dataLocations,
    kmsKeyArns,
    accessMode,
    lakeFormation,
    lakeFormationCondition: props.lakeFormationCondition?.logicalId,
  };
}

/** What a prop that only accessMode LAKE_FORMATION takes is told in another mode; `mode` says how the output names that mode. */
export function lakeFormationOnly(mode = 'accessMode: AccessMode.LAKE_FORMATION'): string {
  return `It applies only with ${mode}.`;
}

/** What data locations in accessMode LAKE_FORMATION are told; `names` say how the output names the property and the mode. */
export function noDataLocationsWithLakeFormation(names = { accessMode: 'accessMode', dataLocations: 'dataLocations' }): string {
  return `With ${names.accessMode} LAKE_FORMATION, Lake Formation vends the data access and no S3 data location is granted: `
    + `leave ${names.dataLocations} empty, or use ${names.accessMode} IAM or IAM_AND_LAKE_FORMATION, where IAM grants the data locations.`;
}

/** The access mode (with the deprecated lakeFormation), and the props that only one of the modes takes. */
function validateAccessMode(props: QueryPolicyInput): AccessMode {
  const accessMode = resolveAccessMode(props.accessMode, props.lakeFormation);
  const onlyWithLakeFormation = {
    lakeFormationTagExpressions: props.lakeFormationTagExpressions,
    createLakeFormationGrants: props.createLakeFormationGrants,
    lakeFormationNestedStacks: props.lakeFormationNestedStacks,
    lakeFormationDefaultDatabaseDescribe: props.lakeFormationDefaultDatabaseDescribe,
  };
  if (accessMode !== AccessMode.LAKE_FORMATION) {
    for (const [property, value] of Object.entries(onlyWithLakeFormation)) {
      if (value !== undefined) invalid(property, value, lakeFormationOnly());
    }
    return accessMode;
  }
  if ((props.dataLocations ?? []).length > 0) {
    // The locations as given, before normalization.
    invalid('dataLocations', props.dataLocations, noDataLocationsWithLakeFormation());
  }
  return accessMode;
}

/** How an output names, in the messages of the catalogs' rules, the inputs they compare. */
export interface CatalogNames {
  /** The access mode, e.g. `accessMode`. */
  readonly accessMode: string;
  /** Access mode LAKE_FORMATION as a setting, e.g. `accessMode: AccessMode.LAKE_FORMATION`. */
  readonly lakeFormationMode: string;
  /** The default catalog's databases, e.g. `glueDatabaseNames`. */
  readonly glueDatabaseNames: string;
  /** They are left open (every database), e.g. `glueDatabaseNames is not set`. */
  readonly databasesOpen: string;
}

/** The constructs' names. */
const CONSTRUCT_CATALOG_NAMES: CatalogNames = {
  accessMode: 'accessMode',
  lakeFormationMode: 'accessMode: AccessMode.LAKE_FORMATION',
  glueDatabaseNames: 'glueDatabaseNames',
  databasesOpen: 'glueDatabaseNames is not set',
};

/** What the catalogs' rules say, in an output's names (one wording for every output). */
export function catalogRules(names: CatalogNames) {
  const everyDatabase = 'the default catalog\'s Glue reads are on every database (database/*)';
  return {
    /** A catalog given twice; `first` names the first entry, e.g. `catalogs[0]`. */
    sameCatalog: (first: string) => `${first} names the same catalog; give each catalog once, with all its databases.`,
    /** lakeFormationVendsCredentials on a catalog that is not S3 Tables'. */
    vendsOnlyS3Tables: (catalogPath: string) =>
      `It applies only to S3 Tables catalogs ("${S3_TABLES_CATALOG}/<table bucket>"), not to ${catalogPath}: leave it unset.`,
    /** lakeFormationVendsCredentials in another access mode than LAKE_FORMATION. */
    vendsOnlyLakeFormation: (accessMode: string) => `It applies only with ${names.lakeFormationMode}; in ${names.accessMode} ${accessMode} the role always reads `
      + 'the table bucket with read-only s3tables: actions. Leave it unset.',
    /** Why a catalog's databases are open to the default catalog's Glue reads. */
    open: {
      lakeFormation: `in ${names.accessMode} LAKE_FORMATION ${everyDatabase}`,
      databasesOpen: `${names.databasesOpen}, so ${everyDatabase}`,
      deployTime: `a ${names.glueDatabaseNames} entry is known only at deploy time and may be a pattern`,
      pattern: (pattern: string, catalogPath: string) => `the ${names.glueDatabaseNames} pattern "${pattern}" also matches databases of ${catalogPath}`,
    },
    /**
     * A catalog's databases that cannot be kept apart from its others, `open` saying why; `databaseNames` names the
     * catalog's databases, e.g. `catalogs[0].databaseNames`.
     */
    notIsolated: (open: string, catalogPath: string, databaseNames: string) => `These databases cannot be kept apart from the catalog's others: ${open}, `
      + `and IAM wildcards span "/", so they also match database/${catalogPath}/<any database> (Glue has no condition key for names). `
      + `For isolation, name the default catalog's databases in ${names.glueDatabaseNames} (names, or patterns that cannot match `
      + `"${catalogPath}/..."; ${names.accessMode} IAM or IAM_AND_LAKE_FORMATION); or leave ${databaseNames} unset to grant the whole catalog.`,
  };
}

/**
 * Refuses databaseNames on a catalog that the default catalog's Glue reads reach anyway: they are granted on
 * `database/<name>` and `table/<name>/*` of each glueDatabaseNames entry (on `database/*` when it is unset, and
 * always in LAKE_FORMATION mode), and IAM wildcards span `/`, so `*` also matches
 * `database/<catalog path>/<database>`. A named entry holds no `/` and cannot; a pattern can when it matches
 * some `<catalog path>/<database>`: exactly when, after `<catalog path>/`, what is left of it can still match one
 * more character of a database name. A value known only at deploy time might be `*`.
 */
function validateCatalogIsolation(catalogs: CatalogScope[], accessMode: AccessMode, glueDatabaseNames: string[] | undefined): void {
  const rules = catalogRules(CONSTRUCT_CATALOG_NAMES);
  catalogs.forEach((catalog, index) => {
    if (catalog.databaseNames === undefined || isDeployTime(catalog.catalogName)) return;
    const open = accessMode === AccessMode.LAKE_FORMATION ? rules.open.lakeFormation
      : glueDatabaseNames === undefined ? rules.open.databasesOpen
        : glueDatabaseNames.filter((p) => isDeployTime(p) || canMatchDatabaseOf(p, catalog.catalogName))
          .map((p) => (isDeployTime(p) ? rules.open.deployTime : rules.open.pattern(p, catalog.catalogName)))[0];
    if (open === undefined) return;
    const property = `catalogs[${index}].databaseNames`;
    invalid(property, catalog.databaseNames, rules.notIsolated(open, catalog.catalogName, property));
  });
}

/** The characters of a database name of the catalog at `catalogPath`: an S3 Tables namespace's, or a Glue database's. */
function databaseNameChars(catalogPath: string): string {
  return tableBucketOf(catalogPath) === undefined ? GLUE_NAME_CHARS : NAMESPACE_CHARS;
}

/** Whether an IAM pattern of a database name also matches `<catalogPath>/<database>` for some database of the catalog. */
function canMatchDatabaseOf(pattern: string, catalogPath: string): boolean {
  const rest = new RegExp(`^[*?${databaseNameChars(catalogPath)}]+$`);
  return globRemainders(pattern, `${catalogPath}/`).some((remainder) => rest.test(remainder));
}

/** Checks the extra catalogs: names, no catalog twice, databases as for glueDatabaseNames (namespaces for S3 Tables). */
function normalizeCatalogs(catalogs: GlueCatalogAccess[], accessMode: AccessMode): CatalogScope[] {
  const rules = catalogRules(CONSTRUCT_CATALOG_NAMES);
  const seen = new Map<string, number>();
  return catalogs.map((catalog, index) => {
    const property = `catalogs[${index}]`;
    validateGlueCatalogPath(`${property}.catalogName`, catalog.catalogName);
    const first = seen.get(catalog.catalogName);
    if (first !== undefined) invalid(`${property}.catalogName`, catalog.catalogName, rules.sameCatalog(`catalogs[${first}]`));
    seen.set(catalog.catalogName, index);
    if (catalog.dataSourceName !== undefined) validateCatalogName(`${property}.dataSourceName`, catalog.dataSourceName);
    if (catalog.databaseNames) {
      const check = tableBucketOf(catalog.catalogName) === undefined ? validateDatabaseNamePattern : validateNamespacePattern;
      validateList(`${property}.databaseNames`, catalog.databaseNames, check);
    }
    if (catalog.lakeFormationVendsCredentials !== undefined) {
      const [vends, value] = [`${property}.lakeFormationVendsCredentials`, catalog.lakeFormationVendsCredentials];
      if (tableBucketOf(catalog.catalogName) === undefined) invalid(vends, value, rules.vendsOnlyS3Tables(catalog.catalogName));
      if (accessMode !== AccessMode.LAKE_FORMATION) invalid(vends, value, rules.vendsOnlyLakeFormation(accessMode));
    }
    return {
      catalogName: catalog.catalogName,
      dataSourceName: catalog.dataSourceName,
      databaseNames: catalog.databaseNames,
      lakeFormationVendsCredentials: catalog.lakeFormationVendsCredentials,
    };
  });
}

/** Where query results go (the query results part of the scope). */
export type QueryResultsScope = Pick<AthenaQueryScope, 'resultsBucketName' | 'resultsPrefix' | 'managedQueryResultsKmsKeyArn' | 'managedQueryResultsCondition'>;

/**
 * Where query results go: an S3 bucket (and folder), or Athena's managed query results (with or without a
 * customer managed key), or, with a deploy-time condition, either. Exactly one of `resultsBucketName` and
 * `managedQueryResults: true` unless a condition decides between them.
 */
function normalizeQueryResults(props: QueryPolicyInput): QueryResultsScope {
  const bucket = props.resultsBucketName;
  const condition = props.managedQueryResultsCondition;
  if (condition !== undefined && !(props.managedQueryResults && bucket !== undefined)) {
    invalid('managedQueryResultsCondition', condition.path, 'A condition choosing the query results at deploy time needs both '
      + 'managedQueryResults: true and resultsBucketName (the bucket used where the condition does not hold).');
  }
  validateQueryResultsChoice(props, condition !== undefined);
  const resultsPrefix = bucket === undefined || props.resultsPrefix === '' ? undefined
    : normalizePrefix('resultsPrefix', props.resultsPrefix ?? DEFAULT_RESULTS_PREFIX);
  return {
    resultsBucketName: bucket,
    resultsPrefix,
    managedQueryResultsKmsKeyArn: props.managedQueryResultsKmsKeyArn,
    managedQueryResultsCondition: condition?.logicalId,
  };
}
