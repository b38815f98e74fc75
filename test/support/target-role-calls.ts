import { delegatingKeyPolicy } from './athena-driver-calls';
import { AssumeRoleRequest, ApiCall, ALLOW_EVERYTHING, decideAsRole, decideAsUser, decideAssumeRole, Decision, DeployedRole, DeployedUser } from './simulate';

/**
 * The requests the dataplane makes with the target role, derived from the role's inputs (the Terraform module's
 * variables), and the AssumeRole calls that reach it: one list of scenarios that any two sets of documents for
 * the same inputs (a Terraform plan, what IAM returns after apply, the construct's template) must decide alike.
 * The requests are those of the Athena JDBC driver and Athena itself (athena-iam-facts.md, "What the Athena JDBC
 * driver (v3) calls"); Glue authorizes GetTable on the catalog, the database and the table
 * (https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html).
 */
export interface TargetRoleInputs {
  readonly trusted_role_arn: string;
  readonly external_id: string;
  readonly results_bucket_name: string;
  readonly results_prefix: string;
  readonly work_group_names: string[];
  readonly glue_database_names: string[];
  readonly session_name_prefix?: string;
  readonly data_locations?: Array<{ bucket_name: string; prefix?: string }>;
  readonly kms_key_arns?: string[];
  readonly catalogs?: CatalogInput[];
  readonly access_mode?: string;
  readonly trusted_organization_id?: string;
  readonly role_name?: string;
  readonly path?: string;
  readonly account_id: string;
}

/** A Glue catalog beyond the default one, as the modules' `catalogs` input gives it. */
export interface CatalogInput {
  readonly catalog_name: string;
  readonly data_source_name?: string;
  readonly database_names?: string[];
  readonly lake_formation_vends_credentials?: boolean;
}

/** The inputs the query permissions (the Access Key user's too) are made of. */
export type QueryInputs = Pick<TargetRoleInputs,
'account_id' | 'work_group_names' | 'glue_database_names' | 'results_bucket_name' | 'results_prefix' | 'data_locations' | 'kms_key_arns' | 'catalogs' | 'access_mode'>;

type Call = ApiCall & { label: string };
const REGION = 'us-east-1';
/** A name an IAM pattern (`*`, `?`) matches. */
const instance = (pattern: string) => pattern.replace(/\*/g, 'q1').replace(/\?/g, 'x');
const OUTSIDE_DATABASE = 'zz_not_granted';
const OUTSIDE_BUCKET = 'zz-not-a-data-bucket';

/** Every request the dataplane makes for these inputs, and a request just outside each grant. */
export function dataplaneCalls(inputs: QueryInputs): Call[] {
  const account = inputs.account_id;
  const glue = (resource: string) => `arn:aws:glue:${REGION}:${account}:${resource}`;
  const calls: Call[] = [];
  for (const name of [...inputs.work_group_names, 'zz-not-granted']) {
    const workGroup = `arn:aws:athena:${REGION}:${account}:workgroup/${name}`;
    for (const action of ['athena:StartQueryExecution', 'athena:GetQueryResults', 'athena:GetQueryResultsStream', 'athena:GetWorkGroup']) {
      calls.push({ label: `${action} on workgroup ${name}`, action, resource: workGroup });
    }
  }
  calls.push({ label: 'athena:GetTableMetadata on AwsDataCatalog', action: 'athena:GetTableMetadata', resource: `arn:aws:athena:${REGION}:${account}:datacatalog/AwsDataCatalog` });
  calls.push({ label: 'glue:GetTable on the catalog', action: 'glue:GetTable', resource: glue('catalog') });
  calls.push({ label: 'glue:GetDatabase on default', action: 'glue:GetDatabase', resource: glue('database/default') });
  for (const database of [...inputs.glue_database_names.map(instance), OUTSIDE_DATABASE]) {
    calls.push({ label: `glue:GetDatabase on ${database}`, action: 'glue:GetDatabase', resource: glue(`database/${database}`) });
    for (const action of ['glue:GetTable', 'glue:GetPartitions']) {
      calls.push({ label: `${action} on ${database}.orders`, action, resource: glue(`table/${database}/orders`) });
    }
  }
  const results = `arn:aws:s3:::${inputs.results_bucket_name}`;
  calls.push({ label: 's3:ListBucket on the results bucket', action: 's3:ListBucket', resource: results });
  for (const action of ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload']) {
    calls.push({ label: `${action} in the results prefix`, action, resource: `${results}/${inputs.results_prefix}/q1.csv` });
    calls.push({ label: `${action} outside the results prefix`, action, resource: `${results}/elsewhere/q1.csv` });
  }
  for (const location of [...(inputs.data_locations ?? []), { bucket_name: OUTSIDE_BUCKET }]) {
    const bucket = `arn:aws:s3:::${instance(location.bucket_name)}`;
    const where = `${location.bucket_name}${location.prefix ? `/${location.prefix}` : ''}`;
    calls.push({ label: `s3:ListBucket on ${location.bucket_name}`, action: 's3:ListBucket', resource: bucket });
    calls.push({ label: `s3:GetObject in ${where}`, action: 's3:GetObject', resource: `${bucket}/${location.prefix ? `${instance(location.prefix)}/` : ''}part-0.parquet` });
    if (location.prefix) {
      calls.push({ label: `s3:GetObject beside ${where}`, action: 's3:GetObject', resource: `${bucket}/zz-other/part-0.parquet` });
      // Athena lists a table's folder by its prefix, which IAM sees as s3:prefix
      // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys).
      for (const [label, prefix] of [['in', `${instance(location.prefix)}/`], ['beside', 'zz-other/']]) {
        calls.push({ label: `s3:ListBucket ${label} ${where}`, action: 's3:ListBucket', resource: bucket, context: { 's3:prefix': prefix } });
      }
      // A bucket's listing is limited to its own folders, not those of the other buckets' locations.
      for (const other of (inputs.data_locations ?? []).filter((l) => l.prefix && l.bucket_name !== location.bucket_name)) {
        calls.push({
          label: `s3:ListBucket on ${location.bucket_name} in ${other.bucket_name}/${other.prefix}`, action: 's3:ListBucket', resource: bucket, context: { 's3:prefix': `${instance(other.prefix!)}/` },
        });
      }
    }
  }
  calls.push(...catalogCalls(inputs));
  // A key is usable only when its key policy allows it; the default key policy defers to IAM
  // (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam).
  const resourcePolicy = delegatingKeyPolicy('aws', account);
  for (const key of [...(inputs.kms_key_arns ?? []), `arn:aws:kms:${REGION}:${account}:key/ffffffff-0000-4000-8000-000000000000`]) {
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
      calls.push({ label: `${action} on ${key} through S3`, action, resource: key, resourcePolicy, context: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } });
      calls.push({ label: `${action} on ${key} directly`, action, resource: key, resourcePolicy });
      if (inputs.catalogs?.length) {
        calls.push({ label: `${action} on ${key} through S3 Tables`, action, resource: key, resourcePolicy, context: { 'kms:ViaService': `s3tables.${REGION}.amazonaws.com` } });
      }
    }
  }
  return calls;
}

/**
 * The reads of the other catalogs, and one beside each: Athena's metadata calls on the catalog by its Glue path
 * or its data source name (https://docs.aws.amazon.com/athena/latest/ug/gdc-register-query-the-data-source.html),
 * Glue's reads, which it authorizes on the table, its database and each catalog above them
 * (https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html), and for an S3 Tables catalog the
 * s3tables: reads Athena makes with the caller's permissions, which carry the namespace as `s3tables:namespace`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3tables.html).
 */
function catalogCalls(inputs: QueryInputs): Call[] {
  const at = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${inputs.account_id}:${resource}`;
  const calls: Call[] = [];
  for (const catalog of inputs.catalogs ?? []) {
    const name = catalog.catalog_name;
    for (const athenaName of [name, ...(catalog.data_source_name ? [catalog.data_source_name] : [])]) {
      calls.push({ label: `athena:GetTableMetadata on ${athenaName}`, action: 'athena:GetTableMetadata', resource: at('athena', `datacatalog/${athenaName}`) });
    }
    const segments = name.split('/');
    segments.forEach((_, i) => {
      const path = segments.slice(0, i + 1).join('/');
      calls.push({ label: `glue:GetCatalog on ${path}`, action: 'glue:GetCatalog', resource: at('glue', `catalog/${path}`) });
    });
    calls.push({ label: `glue:GetDatabases in ${name}`, action: 'glue:GetDatabases', resource: at('glue', `database/${name}/zz_any`) });
    for (const database of [...(catalog.database_names ?? ['sales']).map(instance), 'zz_not_granted']) {
      calls.push({ label: `glue:GetDatabase on ${name}/${database}`, action: 'glue:GetDatabase', resource: at('glue', `database/${name}/${database}`) });
      calls.push({ label: `glue:GetTable on ${name}/${database}.orders`, action: 'glue:GetTable', resource: at('glue', `table/${name}/${database}/orders`) });
    }
    if (segments[0] !== 's3tablescatalog') continue;
    const bucket = at('s3tables', `bucket/${segments[1]}`);
    calls.push({ label: `s3tables:GetTableBucket on ${segments[1]}`, action: 's3tables:GetTableBucket', resource: bucket });
    for (const namespace of [...(catalog.database_names ?? ['events']).map(instance), 'zz_not_granted']) {
      const context = { 's3tables:namespace': namespace };
      calls.push({ label: `s3tables:GetNamespace ${namespace} of ${segments[1]}`, action: 's3tables:GetNamespace', resource: bucket, context });
      calls.push({ label: `s3tables:GetTableData in ${segments[1]}/${namespace}`, action: 's3tables:GetTableData', resource: `${bucket}/table/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`, context });
    }
  }
  calls.push({ label: 'glue:GetCatalog on a catalog not granted', action: 'glue:GetCatalog', resource: at('glue', 'catalog/zz_not_granted') });
  calls.push({ label: 's3tables:GetTableBucket on a table bucket not granted', action: 's3tables:GetTableBucket', resource: at('s3tables', 'bucket/zz-not-granted') });
  return calls;
}

/** Writes the guardrails deny even when a policy allowing everything is attached beside the role's own. */
export function guardrailCalls(inputs: QueryInputs): Call[] {
  const account = inputs.account_id;
  const database = instance(inputs.glue_database_names[0]);
  const data = inputs.data_locations?.[0];
  return [
    { label: 'admin: glue:DeleteTable', action: 'glue:DeleteTable', resource: `arn:aws:glue:${REGION}:${account}:table/${database}/orders` },
    { label: 'admin: glue:UpdateTable', action: 'glue:UpdateTable', resource: `arn:aws:glue:${REGION}:${account}:table/${database}/orders` },
    { label: 'admin: s3:DeleteObject in the results prefix', action: 's3:DeleteObject', resource: `arn:aws:s3:::${inputs.results_bucket_name}/${inputs.results_prefix}/q1.csv` },
    { label: 'admin: s3:PutObject in the results prefix', action: 's3:PutObject', resource: `arn:aws:s3:::${inputs.results_bucket_name}/${inputs.results_prefix}/q1.csv` },
    { label: 'admin: s3:PutObject outside the results prefix', action: 's3:PutObject', resource: `arn:aws:s3:::${data ? instance(data.bucket_name) : inputs.results_bucket_name}/zz/x.parquet` },
    { label: 'admin: athena:DeleteWorkGroup', action: 'athena:DeleteWorkGroup', resource: `arn:aws:athena:${REGION}:${account}:workgroup/${inputs.work_group_names[0]}` },
    { label: 'admin: lakeformation:GrantPermissions', action: 'lakeformation:GrantPermissions', resource: '*' },
    { label: 'admin: s3:GetObject anywhere (not a write)', action: 's3:GetObject', resource: `arn:aws:s3:::${OUTSIDE_BUCKET}/x` },
  ];
}

/**
 * AssumeRole of the target by the trusted role, which holds an identity policy allowing it (across accounts both
 * sides must allow, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html),
 * with and without the External ID, the session name prefix and the organization, and by another principal.
 */
export function assumeRoleCalls(inputs: TargetRoleInputs): Array<AssumeRoleRequest & { label: string }> {
  const callerPolicies = [{ name: 'assume', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } }];
  const good = {
    principal: inputs.trusted_role_arn,
    callerPolicies,
    externalId: inputs.external_id,
    sessionName: `${inputs.session_name_prefix ?? 'qualytics-athena-'}conn42`,
    principalOrgId: inputs.trusted_organization_id ?? 'o-zzzzzzzzzz',
  };
  return [
    { label: 'AssumeRole with External ID, session name and organization', ...good },
    { label: 'AssumeRole without External ID', ...good, externalId: undefined },
    { label: 'AssumeRole with another External ID', ...good, externalId: `${inputs.external_id}-other` },
    { label: 'AssumeRole with another session name', ...good, sessionName: 'someone-else' },
    { label: 'AssumeRole without session name', ...good, sessionName: undefined },
    { label: 'AssumeRole from another organization', ...good, principalOrgId: 'o-yyyyyyyyyy' },
    { label: 'AssumeRole without organization', ...good, principalOrgId: undefined },
    { label: 'AssumeRole by another role', ...good, principal: 'arn:aws:iam::999988887777:role/intruder' },
  ];
}

/** The decision of every query and guardrail scenario, by label, for an identity `decide` evaluates with extra policies attached. */
function queryDecisions(inputs: QueryInputs, decide: (call: Call, extraPolicies?: typeof ALLOW_EVERYTHING[]) => Promise<Decision>) {
  return [
    ...dataplaneCalls(inputs).map(async (call) => [call.label, await decide(call)] as const),
    ...guardrailCalls(inputs).map(async (call) => [call.label, await decide(call, [ALLOW_EVERYTHING])] as const),
  ];
}

/** The decision of every scenario for `role`, by label (compare two with `toEqual`). */
export async function targetRoleDecisions(role: DeployedRole, inputs: TargetRoleInputs): Promise<Record<string, Decision>> {
  const decided = await Promise.all([
    ...queryDecisions(inputs, (call, extra) => decideAsRole(role, call, extra)),
    ...assumeRoleCalls(inputs).map(async (call) => [call.label, await decideAssumeRole(role, call)] as const),
  ]);
  return Object.fromEntries(decided);
}

/** The decision of every query and guardrail scenario for the Access Key user `user`, by label. */
export async function accessKeyUserDecisions(user: DeployedUser, inputs: QueryInputs): Promise<Record<string, Decision>> {
  return Object.fromEntries(await Promise.all(queryDecisions(inputs, (call, extra) => decideAsUser(user, call, extra))));
}
