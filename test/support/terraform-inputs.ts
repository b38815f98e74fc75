import { CatalogInput } from './target-role-calls';
import { AthenaAccessKeyUserProps, AthenaTargetRoleProps } from '../../lib';
import { AthenaQueryPolicyProps } from '../../lib/constructs/athena-query-policy-props';
import { DEFAULT_CATALOG_NAME } from '../../lib/model/athena-query-statements';
import { DEFAULT_SESSION_NAME_PREFIX } from '../../lib/model/rules';
import { DEFAULT_RESULTS_PREFIX } from '../../lib/model/s3-locations';

/**
 * The one mapping from the constructs' props (AthenaTargetRoleProps, AthenaAccessKeyUserProps) to the variables of
 * the Terraform modules that mirror them (terraform/modules/athena-target-role, athena-access-key-user, declared in
 * lib/terraform/query-access.ts, lake-formation-grants.ts, query-policies.ts and each module's file), so that a test
 * that compares a construct with a module gives both the same configuration.
 *
 * Only the props given become inputs: a prop left unset leaves the module's variable at its default, so that the
 * module's defaults meet the construct's (`withModuleDefaults` says what those are). A prop the module has no input
 * for is refused, naming it: a test that gave it would compare a construct and a module configured differently.
 */

/** A data location as `data_locations` takes it. */
export type DataLocationInput = { bucket_name: string; prefix?: string };

/** The query access's variables, which both modules declare (query-access.ts, lake-formation-grants.ts, query-policies.ts). */
export type QueryAccessInputs = {
  work_group_names?: string[];
  catalog_name?: string;
  glue_database_names?: string[];
  results_bucket_name?: string;
  results_prefix?: string;
  managed_query_results?: boolean;
  managed_query_results_kms_key_arn?: string;
  data_locations?: DataLocationInput[];
  kms_key_arns?: string[];
  catalogs?: CatalogInput[];
  access_mode?: string;
  lake_formation_tag_expressions?: Array<{ tags: { [key: string]: string[] } }>;
  create_lake_formation_grants?: boolean;
  lake_formation_default_database_describe?: boolean;
  max_managed_policies?: number;
  /** The identity's IAM path and boundary: both modules have them, as both constructs. */
  path?: string;
  permissions_boundary_arn?: string;
};

/**
 * The variables no construct prop stands for: the account the plan names in ARNs (null asks STS), the number of
 * managed policies the module splits the query statements over by hash (the constructs pack by size), and tags.
 */
export type ModuleOnlyInputs = {
  account_id?: string;
  query_policy_count?: number;
  tags?: { [key: string]: string };
};

/** The target role module's variables (athena-target-role-module.ts): the two the module requires, and the rest as given. */
export type TargetRoleModuleInputs = QueryAccessInputs & ModuleOnlyInputs & {
  trusted_role_arn: string;
  external_id: string;
  session_name_prefix?: string;
  allow_pod_identity_session_tags?: boolean;
  trusted_organization_id?: string;
  role_name?: string;
  max_session_duration?: number;
  description?: string;
};

/** The Access Key user module's variables (athena-access-key-user-module.ts). */
export type AccessKeyUserModuleInputs = QueryAccessInputs & ModuleOnlyInputs & {
  user_name?: string;
  secret_kms_key_arn?: string;
  access_key_versions?: number[];
};

/** A prop's inputs, or why the module has none for it. */
type Mapped<I> = Partial<I> | { noInput: string };
/** Every prop of `P` (a new prop fails to compile until it is mapped) to the inputs its value becomes. */
type Mapping<P, I> = { readonly [K in keyof Required<P>]: (value: NonNullable<P[K]>) => Mapped<I> };

const noInput = (why: string) => ({ noInput: why });

/**
 * The query props: each becomes the variable of the same meaning, the value as given (the module refuses at plan what
 * the construct would refuse at synth). In particular:
 * - `workGroupNames` unset: `work_group_names` keeps `["primary"]`, the construct's default;
 * - `glueDatabaseNames` unset (every database): `glue_database_names` keeps `["*"]`, which the module reads as every
 *   database (and, in LAKE_FORMATION, as no database to grant);
 * - `resultsPrefix` unset: `results_prefix` stays null, which the module reads as DEFAULT_RESULTS_PREFIX when
 *   `results_bucket_name` is given, as the construct does;
 * - `dataLocations` `{ bucketName, prefix }` becomes `{ bucket_name, prefix }`, the prefix left out when unset
 *   (the whole bucket, in both);
 * - `catalogs` `{ catalogName, dataSourceName, databaseNames, lakeFormationVendsCredentials }` become
 *   `{ catalog_name, data_source_name, database_names, lake_formation_vends_credentials }`, unset ones left out;
 * - `accessMode` becomes `access_mode`, the enum's value (`"IAM"`, `"IAM_AND_LAKE_FORMATION"`, `"LAKE_FORMATION"`);
 * - `maxManagedPolicies` becomes `max_managed_policies`: the quota both refuse to exceed;
 * - `guardrails: true` is what the module always does: it becomes nothing.
 */
const QUERY_PROPS: Mapping<AthenaQueryPolicyProps, QueryAccessInputs> = {
  workGroupNames: (v) => ({ work_group_names: v }),
  catalogName: (v) => ({ catalog_name: v }),
  glueDatabaseNames: (v) => ({ glue_database_names: v }),
  resultsBucketName: (v) => ({ results_bucket_name: v }),
  resultsPrefix: (v) => ({ results_prefix: v }),
  managedQueryResults: (v) => ({ managed_query_results: v }),
  managedQueryResultsKmsKeyArn: (v) => ({ managed_query_results_kms_key_arn: v }),
  dataLocations: (v) => ({
    data_locations: v.map(({ bucketName, prefix }) => ({ bucket_name: bucketName, ...(prefix === undefined ? {} : { prefix }) })),
  }),
  kmsKeyArns: (v) => ({ kms_key_arns: v }),
  accessMode: (v) => ({ access_mode: v }),
  lakeFormationTagExpressions: (v) => ({ lake_formation_tag_expressions: v.map((e) => ({ tags: e.tags })) }),
  createLakeFormationGrants: (v) => ({ create_lake_formation_grants: v }),
  lakeFormationDefaultDatabaseDescribe: (v) => ({ lake_formation_default_database_describe: v }),
  maxManagedPolicies: (v) => ({ max_managed_policies: v }),
  guardrails: (v) => (v ? {} : noInput('the modules always attach the guardrails')),
  catalogs: (v) => ({
    catalogs: v.map((c) => ({
      catalog_name: c.catalogName,
      ...(c.dataSourceName === undefined ? {} : { data_source_name: c.dataSourceName }),
      ...(c.databaseNames === undefined ? {} : { database_names: c.databaseNames }),
      ...(c.lakeFormationVendsCredentials === undefined ? {} : { lake_formation_vends_credentials: c.lakeFormationVendsCredentials }),
    })),
  }),
  lakeFormation: () => noInput('deprecated; give accessMode, which becomes access_mode'),
  lakeFormationNestedStacks: () => noInput('nested stacks are CloudFormation\'s; the modules make every grant in one configuration'),
  maxInlinePolicyLength: () => noInput('the modules put every statement in a managed policy (query_policy_count of them)'),
  managedQueryResultsCondition: () => noInput('a CloudFormation condition; the module decides by managed_query_results'),
  lakeFormationCondition: () => noInput('a CloudFormation condition; the module decides by access_mode'),
};

/**
 * The target role's own props. `externalId` is required by the module (its trust always asks for one): leaving it
 * unset is refused. `roleName` unset: the construct's role gets a generated name, the module's `role_name`'s default
 * (so ARNs differ); `maxSessionDuration` becomes seconds; `permissionsBoundary` becomes its policy's ARN.
 */
const TARGET_ROLE_PROPS: Mapping<Omit<AthenaTargetRoleProps, keyof AthenaQueryPolicyProps>, TargetRoleModuleInputs> = {
  trustedRoleArn: (v) => ({ trusted_role_arn: v }),
  externalId: (v) => ({ external_id: v }),
  sessionNamePrefix: (v) => ({ session_name_prefix: v }),
  allowPodIdentitySessionTags: (v) => ({ allow_pod_identity_session_tags: v }),
  trustedOrganizationId: (v) => ({ trusted_organization_id: v }),
  roleName: (v) => ({ role_name: v }),
  path: (v) => ({ path: v }),
  permissionsBoundary: (v) => ({ permissions_boundary_arn: v.managedPolicyArn }),
  maxSessionDuration: (v) => ({ max_session_duration: v.toSeconds() }),
  description: (v) => ({ description: v }),
};

/**
 * The Access Key user's own props. `userName` unset: a generated name in the construct, `user_name`'s default in
 * the module; `encryptionKey` becomes `secret_kms_key_arn`, its key's ARN (unset: both make a key of their own).
 */
const ACCESS_KEY_USER_PROPS: Mapping<Omit<AthenaAccessKeyUserProps, keyof AthenaQueryPolicyProps>, AccessKeyUserModuleInputs> = {
  userName: (v) => ({ user_name: v }),
  path: (v) => ({ path: v }),
  permissionsBoundary: (v) => ({ permissions_boundary_arn: v.managedPolicyArn }),
  encryptionKey: (v) => ({ secret_kms_key_arn: v.keyArn }),
  accessKeyVersions: (v) => ({ access_key_versions: v }),
};

/** A prop's value for a message: its JSON, or for a construct (which refers to its scope), what it is. */
function shown(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** The inputs of every prop given (not undefined), by `mapping`; throws on a prop the module has no input for. */
function mapProps<P extends object, I>(props: P, mapping: { [key: string]: (value: any) => Mapped<I> }, module: string): Partial<I> {
  const inputs: Partial<I> = {};
  for (const [prop, value] of Object.entries(props)) {
    if (value === undefined) continue;
    const mapped = mapping[prop]?.(value) ?? { noInput: 'not a prop of the construct' };
    if ('noInput' in mapped) {
      throw new Error(`${prop}: ${shown(value)} has no input in the ${module} module (${mapped.noInput}); `
        + 'a test giving it would compare a construct and a module configured differently. Leave it unset.');
    }
    Object.assign(inputs, mapped);
  }
  return inputs;
}

/**
 * The target role module's inputs for AthenaTargetRole's `props`, and `moduleOnly` (the inputs no prop stands for).
 * Throws on a prop the module has no input for, and without `externalId`.
 */
export function targetRoleInputs(props: AthenaTargetRoleProps, moduleOnly: ModuleOnlyInputs = {}): TargetRoleModuleInputs {
  if (props.externalId === undefined) {
    throw new Error('externalId: undefined has no input in the athena-target-role module: external_id is required '
      + '(its trust always asks for an External ID). Give one.');
  }
  const inputs = mapProps(props, { ...QUERY_PROPS, ...TARGET_ROLE_PROPS }, 'athena-target-role') as TargetRoleModuleInputs;
  return { ...moduleOnly, ...inputs };
}

/**
 * The Access Key user module's inputs for AthenaAccessKeyUser's `props`, and `moduleOnly` (the inputs no prop
 * stands for). Throws on a prop the module has no input for.
 */
export function accessKeyUserInputs(props: AthenaAccessKeyUserProps, moduleOnly: ModuleOnlyInputs = {}): AccessKeyUserModuleInputs {
  return { ...moduleOnly, ...mapProps(props, { ...QUERY_PROPS, ...ACCESS_KEY_USER_PROPS }, 'athena-access-key-user') };
}

/** The inputs `withModuleDefaults` always gives. */
type DefaultedInput = 'work_group_names' | 'glue_database_names' | 'catalog_name';

/**
 * `inputs` with the defaults the module takes for the variables left out, as far as they decide what is granted:
 * the workgroup `primary`, `["*"]` for every database, the catalog `AwsDataCatalog`, DEFAULT_RESULTS_PREFIX in the
 * results bucket (none with managed query results), and for the target role DEFAULT_SESSION_NAME_PREFIX. These are
 * the constructs' defaults too.
 */
export function withModuleDefaults<I extends QueryAccessInputs>(inputs: I): I & Required<Pick<QueryAccessInputs, DefaultedInput>> {
  return {
    work_group_names: ['primary'],
    glue_database_names: ['*'],
    catalog_name: DEFAULT_CATALOG_NAME,
    ...(inputs.results_bucket_name === undefined ? {} : { results_prefix: DEFAULT_RESULTS_PREFIX }),
    ...('trusted_role_arn' in inputs ? { session_name_prefix: DEFAULT_SESSION_NAME_PREFIX } : {}),
    ...inputs,
  };
}
