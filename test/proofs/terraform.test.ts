import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccessMode, AthenaTargetRole, AthenaTargetRoleProps } from '../../lib';
import { FORMAT_RULES } from '../../lib/model/format-rules';
import { GRANT_DATABASE_NAME_ACCEPTED, GRANT_DATABASE_ONCE, grantsNeedTargets } from '../../lib/model/lake-formation-grants';
import { catalogRules, checkQueryPolicyProps, lakeFormationOnly, noDataLocationsWithLakeFormation } from '../../lib/model/query-scope';
import { SESSION_NAME_PREFIX_RULE } from '../../lib/model/rules';
import { IAM_LIMITS } from '../../lib/model/size';
import { MAX_SESSION_DURATION } from '../../lib/model/validation';
import { SYNTH_WARNINGS } from '../../lib/model/warnings';
import { MODULE_CATALOG_NAMES } from '../../lib/terraform/catalog-access';
import {
  access, checkStatuses, init, moduleArguments, normalized, ok, plannedResources, providerBlock, readmeSection, REGION,
  resolvePseudo as resolvePseudoOf, ROOT, rootConfig as rootConfigOf, terraform, writeRoot as writeRootOf,
} from '../support/terraform';
import { BadValue, expectCatalogRefusals, expectQueryResultsRefusals, expectRefusals, QUERY_BAD_VALUES, QUERY_MORE_BAD_VALUES } from '../support/terraform-bad-values';
import { targetRoleInputs } from '../support/terraform-inputs';
import { grantPrincipals, plannedGrants, synthesizedGrants } from '../support/terraform-lake-formation';

/**
 * The Terraform module of the target role (terraform/modules/athena-target-role), generated from the model: the
 * checked-in files are what the generator writes, Terraform validates the module, a plan (fake credentials, no
 * network) gives the role the policies the AthenaTargetRole construct synthesizes for the same inputs, and every
 * validation the module emits refuses a bad value with its message (Terraform runs as test/support/terraform.ts says).
 */
const MODULE = path.join(ROOT, 'terraform', 'modules', 'athena-target-role');
const ACCOUNT = '111122223333';
const rootConfig = (inputs: Record<string, unknown>) => rootConfigOf(MODULE, inputs);
const writeRoot = (dir: string, inputs: Record<string, unknown>) => writeRootOf(dir, MODULE, inputs);

/** The props the module requires (and a results bucket), and the account the plans name in ARNs, which no prop gives. */
const TRUST = { trustedRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role', externalId: 'qualytics-7f3a9c2e' };
const REQUIRED_PROPS: AthenaTargetRoleProps = { ...TRUST, resultsBucketName: 'acme-athena-results' };
const MODULE_ONLY = { account_id: ACCOUNT };
const REQUIRED = targetRoleInputs(REQUIRED_PROPS, MODULE_ONLY);

const resolvePseudo = (value: unknown) => resolvePseudoOf(value, ACCOUNT);

/**
 * The query policy Terraform's md5 and parseint put `key` in: the first 8 hex digits of the MD5 of its UTF-8 bytes
 * (https://developer.hashicorp.com/terraform/language/functions/md5), read in base 16
 * (https://developer.hashicorp.com/terraform/language/functions/parseint), modulo the policy count.
 */
const policyOf = (key: string, count: number) => String(parseInt(createHash('md5').update(key, 'utf8').digest('hex').slice(0, 8), 16) % count);

const DEFAULT_QUERY_POLICIES = IAM_LIMITS.managedPoliciesPerIdentity - 1;

type Planned = Array<{ type: string; index?: string; values: Record<string, any> }>;
/** The planned query policies' documents, by key. */
const queryDocuments = (resources: Planned) => Object.fromEntries(resources
  .filter((r) => r.type === 'aws_iam_policy' && r.index !== undefined)
  .map((r) => [r.index!, JSON.parse(r.values.policy) as { Statement: Array<Record<string, unknown>> }]));

/** `count` distinct database names of `length` characters. */
const databaseNames = (count: number, length: number) =>
  Array.from({ length: count }, (_, i) => `db_${String(i).padStart(3, '0')}_${'x'.repeat(length - 8)}`);

describe('the Terraform module of the target role', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  /**
   * The module's plan for `props` (test/support/terraform-inputs.ts) and AthenaTargetRole's synthesis in the same account
   * and Region: the planned resources, the statements of the planned managed policies and of the synthesized ones, and
   * both roles.
   */
  const planAndSynth = (props: AthenaTargetRoleProps) => {
    const dir = rootConfig(targetRoleInputs(props, MODULE_ONLY));
    dirs.push(dir);
    const resources: Planned = plannedResources(dir);
    const planned = resources.filter((r) => r.type === 'aws_iam_policy').flatMap((r) => JSON.parse(r.values.policy).Statement as Array<Record<string, unknown>>);
    const stack = new Stack(new App(), 'Target', { env: { account: ACCOUNT, region: REGION } });
    new AthenaTargetRole(stack, 'Target', props);
    const template = Template.fromStack(stack);
    const synthesized = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p: any) => resolvePseudo(p.Properties.PolicyDocument.Statement) as Array<Record<string, unknown>>);
    return {
      resources,
      planned,
      synthesized,
      role: resources.find((r) => r.type === 'aws_iam_role')!.values,
      cfnRole: Object.values(template.findResources('AWS::IAM::Role'))[0].Properties,
    };
  };
  /** The trust statements of a planned role and of a synthesized one, comparable. */
  const trusts = (role: Record<string, any>, cfnRole: Record<string, any>) => ({
    planned: JSON.parse(role.assume_role_policy).Statement.map(normalized),
    synthesized: (resolvePseudo(cfnRole.AssumeRolePolicyDocument.Statement) as Array<Record<string, unknown>>).map(normalized),
  });


  test('terraform validate accepts the module', () => {
    const dir = rootConfig(REQUIRED);
    dirs.push(dir);
    expect(ok(dir, ['validate', '-no-color'])).toContain('The configuration is valid');
    // The previous version's single query policy moves to policy "0" on upgrade (https://developer.hashicorp.com/terraform/language/moved).
    expect(fs.readFileSync(path.join(MODULE, 'main.tf'), 'utf8'))
      .toMatch(/\nmoved \{\n\s+from = aws_iam_policy\.query\n\s+to\s+= aws_iam_policy\.query\["0"\]\n\}/);
  }, 120_000);

  test('a plan gives the role the trust and access AthenaTargetRole synthesizes for the same inputs, split over the query policies', () => {
    const { resources, planned, synthesized, role, cfnRole } = planAndSynth({
      ...REQUIRED_PROPS,
      roleName: 'acme-athena',
      workGroupNames: ['qualytics', 'analysts'],
      glueDatabaseNames: ['sales', 'marketing_*'],
      resultsPrefix: 'athena/results',
      // Buckets listed whole and under folders (two in one bucket), and other catalogs, S3 Tables among them.
      dataLocations: [
        { bucketName: 'acme-lake' }, { bucketName: 'acme-raw-*' },
        { bucketName: 'acme-logs', prefix: 'events' }, { bucketName: 'acme-logs', prefix: 'audit' }, { bucketName: 'acme-archive', prefix: 'events' },
      ],
      catalogs: [{ catalogName: 's3tablescatalog/analytics-tables', databaseNames: ['sales'] }, { catalogName: 'partner_catalog', dataSourceName: 'partner' }],
      kmsKeyArns: [`arn:aws:kms:${REGION}:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`],
      path: '/qualytics/',
      maxSessionDuration: Duration.seconds(3600),
      trustedOrganizationId: 'o-a1b2c3d4e5',
    });
    // Every query policy holds statements, none twice (a Sid is unique within a policy).
    const documents = Object.values(queryDocuments(resources));
    expect(documents.length).toBeGreaterThan(1);
    for (const document of documents) {
      expect(document.Statement.length).toBeGreaterThan(0);
      expect(new Set(document.Statement.map((st) => st.Sid)).size).toBe(document.Statement.length);
    }
    expect(planned.length).toBeGreaterThan(10);
    expect(access(planned)).toEqual(access(synthesized));

    const trust = trusts(role, cfnRole);
    expect(trust.planned).toEqual(trust.synthesized);
    expect({ name: role.name, path: role.path, maxSessionDuration: role.max_session_duration })
      .toEqual({ name: cfnRole.RoleName, path: cfnRole.Path, maxSessionDuration: cfnRole.MaxSessionDuration });
  }, 180_000);

  const MANAGED_RESULTS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1a2b3c4d-5e6f-4081-92a3-b4c5d6e7f809`;

  /**
   * Managed query results (https://docs.aws.amazon.com/athena/latest/ug/managed-results.html): Athena keeps the
   * results, so no S3 permission is needed for them; a customer managed key needs kms:Decrypt, kms:GenerateDataKey
   * and kms:DescribeKey (https://docs.aws.amazon.com/athena/latest/ug/encrypting-managed-results.html).
   */
  test.each([
    ['without a key', undefined],
    ['with the workgroup\'s customer managed key', MANAGED_RESULTS_KEY],
  ])('a plan with managed query results (%s) and another data catalog gives the access AthenaTargetRole synthesizes', (_, key) => {
    const { planned, synthesized, role, cfnRole } = planAndSynth({
      ...TRUST,
      workGroupNames: ['qualytics'],
      glueDatabaseNames: ['sales'],
      catalogName: 'acme_catalog',
      managedQueryResults: true,
      managedQueryResultsKmsKeyArn: key,
    });
    const granted = access(planned);
    expect(granted).toEqual(access(synthesized));
    expect(granted.filter((entry) => entry.startsWith('Allow s3:'))).toEqual([]);
    expect(granted.filter((entry) => entry.startsWith('Allow kms:'))).toEqual(key === undefined ? [] : ['Decrypt', 'DescribeKey', 'GenerateDataKey']
      .map((action) => `Allow kms:${action} Resource=${key} {"StringEquals":{"kms:ViaService":"athena.${REGION}.amazonaws.com"}}`));
    expect(granted).toContain(`Allow athena:GetDataCatalog Resource=arn:aws:athena:${REGION}:${ACCOUNT}:datacatalog/acme_catalog {}`);
    expect(role.description).toBe(cfnRole.Description);
  }, 180_000);

  test('a plan without Pod Identity\'s session tags and with a description gives the trust and description AthenaTargetRole synthesizes', () => {
    const description = 'Qualytics queries Athena for Acme';
    const { role, cfnRole } = planAndSynth({ ...REQUIRED_PROPS, workGroupNames: ['qualytics'], allowPodIdentitySessionTags: false, description });
    const trust = trusts(role, cfnRole);
    expect(trust.planned).toEqual(trust.synthesized);
    expect(trust.planned.map((statement: Record<string, unknown>) => statement.Action)).toEqual([['sts:AssumeRole']]);
    expect(role.description).toBe(description);
    expect(cfnRole.Description).toBe(description);
  }, 180_000);

  test('a plan refuses a query policy over IAM\'s size limit, which the provider would leave to apply, and more policies than the quota', () => {
    // 40 databases of 60 characters in one policy: each is named in two statements, about 5,000 characters on its own.
    const dir = rootConfig({ ...REQUIRED, glue_database_names: databaseNames(40, 60), query_policy_count: 1 });
    dirs.push(dir);
    const refused = (pattern: RegExp) => {
      const run = terraform(dir, ['plan', '-no-color']);
      return { status: run.status, refused: pattern.test(run.stderr.replace(/\s+/g, ' ')) };
    };
    expect(refused(/The query policy 0 is \d+ characters, over IAM's limit of 6144 for a managed policy .*or raise query_policy_count \(now 1, at most 19\)/))
      .toEqual({ status: 1, refused: true });
    // Ten query policies and the guardrails are 11, over the default quota of 10 managed policies per role.
    writeRoot(dir, { ...REQUIRED, query_policy_count: 10 });
    expect(refused(/The role would have 11 managed policies \(query_policy_count 10 and 1 other\), over max_managed_policies 10/))
      .toEqual({ status: 1, refused: true });
    writeRoot(dir, { ...REQUIRED, query_policy_count: 10, max_managed_policies: 11 });
    expect(terraform(dir, ['plan', '-no-color']).status).toBe(0);
  }, 120_000);

  test('a database\'s permissions are in the query policy its hash names, and adding one changes that policy only', () => {
    const count = IAM_LIMITS.managedPoliciesPerIdentityMax - 1;
    const inputs = (names: string[]) => ({ ...REQUIRED, glue_database_names: names, query_policy_count: count, max_managed_policies: count + 1 });
    const names = databaseNames(300, 32);
    const dir = rootConfig(inputs(names));
    dirs.push(dir);
    const start = Date.now();
    const before = queryDocuments(plannedResources(dir));
    const seconds = (Date.now() - start) / 1000;
    console.log(`plan of 300 databases over ${count} query policies: ${seconds.toFixed(1)} s`);
    // The policies naming the database's ARNs, and those naming its tables'.
    const holders = (name: string, documents: typeof before) => ['database', 'table'].map((kind) => Object.entries(documents)
      .filter(([, d]) => d.Statement.some((st) => (st.Resource as string[]).some((r) => r.startsWith(`arn:aws:glue:${REGION}:${ACCOUNT}:${kind}/${name}`))))
      .map(([key]) => key));
    const placed = names.map((name) => ({ name, holders: holders(name, before) }));
    expect(placed).toEqual(names.map((name) => ({ name, holders: [[policyOf(name, count)], [policyOf(name, count)]] })));
    expect(Object.keys(before).sort()).toEqual(Array.from({ length: count }, (_, i) => String(i)).sort());

    const added = 'db_new_sales';
    writeRoot(dir, inputs([...names, added]));
    const after = queryDocuments(plannedResources(dir));
    const changed = Object.keys(after).filter((key) => JSON.stringify(after[key]) !== JSON.stringify(before[key]));
    const policy = policyOf(added, count);
    expect({ keys: Object.keys(after).sort(), changed, holders: holders(added, after) })
      .toEqual({ keys: Object.keys(before).sort(), changed: [policy], holders: [[policy], [policy]] });
  }, 180_000);

  /**
   * The synth warnings the module keeps as `check` blocks: a plan warns and goes on, and records each check's status
   * in its JSON (https://developer.hashicorp.com/terraform/language/checks).
   */
  test('a plan warns of the primary workgroup and a session longer than role chaining reaches, only when they apply', () => {
    const dir = rootConfig(REQUIRED);
    dirs.push(dir);
    const statuses = (inputs: Record<string, unknown>) => {
      writeRoot(dir, { ...REQUIRED, ...inputs });
      return checkStatuses(dir);
    };
    const warned = statuses({ work_group_names: ['qualytics', 'primary'], max_session_duration: 7200 });
    expect(warned.primary_work_group).toEqual({ status: 'fail', messages: [expect.stringContaining(SYNTH_WARNINGS.primaryWorkGroup)] });
    expect(warned.max_session_duration_beyond_role_chaining)
      .toEqual({ status: 'fail', messages: [expect.stringContaining(`max_session_duration is 7200 seconds: ${SYNTH_WARNINGS.maxSessionDurationBeyondRoleChaining}`)] });
    const quiet = statuses({ work_group_names: ['qualytics'], max_session_duration: 3600 });
    expect(quiet).toEqual({
      primary_work_group: { status: 'pass', messages: [] },
      max_session_duration_beyond_role_chaining: { status: 'pass', messages: [] },
    });
  }, 180_000);

  /** The README's Terraform section: its example plans, and its table lists exactly the module's variables. */
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### The target role as a module'), readme.indexOf('### The dataplane base role as a module'));

  test('the README\'s example plans, and its table lists every input', () => {
    const { plan, listed, variables } = readmeSection(section, MODULE, dirs,
      (example) => example.replace(/(external_id\s+= .*\n)/, `$1  account_id = "${ACCOUNT}"\n`));
    // The role, the exclusive attachments, and the guardrails and the default number of query policies (whatever the
    // lists hold), each policy with an attachment of its own.
    expect(plan).toContain(`Plan: ${2 + 2 * (1 + DEFAULT_QUERY_POLICIES)} to add`);
    expect(listed).toEqual(variables);
  }, 120_000);

  /**
   * One bad value per validation the module emits, each refused by exactly that validation with the model's words.
   * The values are what AWS refuses: IAM ARNs and names (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html,
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html), STS's ExternalId and RoleSessionName
   * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html) and a role's MaxSessionDuration
   * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html); the query variables' as
   * test/support/terraform-bad-values.ts says.
   */
  const BAD: BadValue[] = [
    ['trusted_role_arn', 'arn:aws:sts::315179787488:assumed-role/acme-dataplane-role/session', FORMAT_RULES.roleArn.accepted],
    ['external_id', 'two words', FORMAT_RULES.externalId.accepted],
    ['external_id', '315179787488', FORMAT_RULES.externalId.refused[0].accepted],
    ['external_id', 'x'.repeat(1225), FORMAT_RULES.externalId.accepted],
    ['role_name', 'acme/athena', FORMAT_RULES.roleName.accepted],
    ['session_name_prefix', 'qualytics athena', SESSION_NAME_PREFIX_RULE.accepted],
    ...QUERY_BAD_VALUES,
    ['path', 'qualytics/', FORMAT_RULES.iamPath.accepted],
    ['max_session_duration', 900, MAX_SESSION_DURATION.accepted],
    ['account_id', '1111-2222-3333', FORMAT_RULES.accountId.accepted],
    ['trusted_organization_id', 'o-ABC', FORMAT_RULES.organizationId.accepted],
  ];
  // The External ID over 1,224 characters is refused by the format block too (its RE2 pattern leaves the length to length()).
  const MORE_BAD = [...QUERY_MORE_BAD_VALUES, BAD.find(([, value]) => typeof value === 'string' && value.length > 1224)!];

  test('every validation the module emits refuses its bad value, naming the variable, the value and what is accepted', () => {
    expectRefusals(MODULE, REQUIRED, BAD.filter((bad) => !MORE_BAD.includes(bad)), MORE_BAD, dirs);
  }, 300_000);

  test('a plan refuses query results given both ways, neither, or a managed-results key or folder that does not apply, with the model\'s words', () => {
    expectQueryResultsRefusals(MODULE, REQUIRED, dirs);
  }, 300_000);

  test('a plan refuses catalogs the other variables rule out: S3 Tables credentials vended outside LAKE_FORMATION, databases the default catalog\'s reads reach', () => {
    expectCatalogRefusals(MODULE, REQUIRED, dirs);
  }, 300_000);
});

/**
 * The access modes that use Lake Formation: a plan gives the role the access AthenaTargetRole synthesizes in the same
 * mode, and the same Lake Formation grants (permissions and resource, each by the construct id its address stands for)
 * to the role's ARN; the rules that compare variables refuse at plan with the model's words.
 */
describe('the target role module with Lake Formation', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  let dir: string;
  beforeAll(() => {
    dir = rootConfig(REQUIRED);
    dirs.push(dir);
  }, 120_000);

  const EXPRESSION = { tags: { env: ['prod', 'dev', 'prod'], domain: ['sales'] } };
  /** Each case's props, beside REQUIRED_PROPS and the workgroup `qualytics`; the module's inputs are theirs (test/support/terraform-inputs.ts). */
  const CASES: Array<[string, Partial<AthenaTargetRoleProps>]> = [
    ['IAM_AND_LAKE_FORMATION, which names databases and data locations',
      { accessMode: AccessMode.IAM_AND_LAKE_FORMATION, glueDatabaseNames: ['sales', 'marketing_*'], dataLocations: [{ bucketName: 'acme-lake' }] }],
    ['LAKE_FORMATION with databases and an LF-Tag expression',
      { accessMode: AccessMode.LAKE_FORMATION, glueDatabaseNames: ['sales', 'marketing'], lakeFormationTagExpressions: [EXPRESSION] }],
    ['LAKE_FORMATION by LF-Tag only (glue_database_names left ["*"]), without DESCRIBE on default',
      { accessMode: AccessMode.LAKE_FORMATION, lakeFormationTagExpressions: [EXPRESSION, { tags: { domain: ['finance'] } }], lakeFormationDefaultDatabaseDescribe: false }],
    ['LAKE_FORMATION with the grants made elsewhere',
      { accessMode: AccessMode.LAKE_FORMATION, glueDatabaseNames: ['sales'], createLakeFormationGrants: false }],
  ];

  test.each(CASES)('%s: the plan\'s policies allow what the construct\'s do, and its grants are the construct\'s', (_, caseProps) => {
    const props: AthenaTargetRoleProps = { ...REQUIRED_PROPS, workGroupNames: ['qualytics'], ...caseProps };
    const inputs = targetRoleInputs(props, MODULE_ONLY);
    writeRoot(dir, inputs);
    ok(dir, ['plan', '-no-color', '-out=plan.out']);
    const plan = JSON.parse(ok(dir, ['show', '-json', 'plan.out']));
    const resources: Planned = plan.planned_values.root_module.child_modules[0].resources;
    for (const document of Object.values(queryDocuments(resources))) {
      expect(new Set(document.Statement.map((st) => st.Sid)).size).toBe(document.Statement.length);
    }
    const planned = resources.filter((r) => r.type === 'aws_iam_policy').flatMap((r) => JSON.parse(r.values.policy).Statement);

    const stack = new Stack(new App(), 'Target', { env: { account: ACCOUNT, region: REGION } });
    const role = new AthenaTargetRole(stack, 'Target', props);
    const synthesized = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p: any) => resolvePseudo(p.Properties.PolicyDocument.Statement) as Array<Record<string, unknown>>);
    expect(access(planned)).toEqual(access(synthesized));

    const constructGrants = role.lakeFormationGrants ? synthesizedGrants(role.lakeFormationGrants) : [];
    expect(plannedGrants(resources)).toEqual(constructGrants.map(({ id, permissions, resource }) => ({ id, permissions, resource })));
    const roleArn = { 'Fn::GetAtt': [stack.resolve((role.role.node.defaultChild as any).logicalId), 'Arn'] };
    expect(constructGrants.map((g) => ({ principal: g.principal, grantOption: g.grantOption })))
      .toEqual(constructGrants.map(() => ({ principal: roleArn, grantOption: [] })));
    expect(grantPrincipals(plan).filter((refs) => !refs.includes('aws_iam_role.this.arn'))).toEqual([]);
    expect(plannedGrants(resources).length).toBe(inputs.access_mode === 'LAKE_FORMATION' && inputs.create_lake_formation_grants !== false ? constructGrants.length : 0);
  }, 180_000);

  /** Each rule over several variables, as a precondition: the plan fails with the model's words (the values as the CDK's errors show them). */
  const REFUSED: Array<[string, Record<string, unknown>, string]> = [
    ['LF-Tag expressions outside LAKE_FORMATION', { access_mode: 'IAM_AND_LAKE_FORMATION', lake_formation_tag_expressions: [{ tags: { domain: ['sales'] } }] },
      `Invalid lake_formation_tag_expressions: [{"tags":{"domain":["sales"]}}]. ${lakeFormationOnly('access_mode = "LAKE_FORMATION"')}`],
    ['data locations in LAKE_FORMATION', { access_mode: 'LAKE_FORMATION', glue_database_names: ['sales'], data_locations: [{ bucket_name: 'acme-lake' }] },
      `Invalid data_locations: [{"bucket_name":"acme-lake","prefix":null}]. ${noDataLocationsWithLakeFormation({ accessMode: 'access_mode', dataLocations: 'data_locations' })}`],
    ['a database pattern to grant', { access_mode: 'LAKE_FORMATION', glue_database_names: ['sales', 'marketing_*'] },
      `Invalid glue_database_names[1]: "marketing_*". ${GRANT_DATABASE_NAME_ACCEPTED}`],
    ['a database granted twice', { access_mode: 'LAKE_FORMATION', glue_database_names: ['sales', 'sales'] }, `Invalid glue_database_names: ["sales","sales"]. ${GRANT_DATABASE_ONCE}`],
    ['nothing to grant', { access_mode: 'LAKE_FORMATION' }, `Invalid glue_database_names: ["*"]. ${grantsNeedTargets('lake_formation_tag_expressions')}`],
  ];

  test.each(REFUSED)('a plan refuses %s with the model\'s words', (_, inputs, message) => {
    writeRoot(dir, { ...REQUIRED, work_group_names: ['qualytics'], ...inputs });
    const run = terraform(dir, ['plan', '-no-color']);
    const errors = run.stderr.replace(/\s+/g, ' ').split('Error: ').slice(1);
    expect({ status: run.status, errors: errors.length, message: errors.some((e) => e.includes(message)) })
      .toEqual({ status: 1, errors: 1, message: true });
  }, 120_000);
});

/**
 * Catalog isolation: the module's precondition (catalog-access.ts: a glue_database_names pattern reaches a catalog's
 * databases when a prefix of it, as a glob, reads `<catalog path>/` and the rest can read a database name) refuses
 * exactly what the constructs' validateCatalogIsolation refuses, and names the same reason and pattern. IAM wildcards
 * span "/" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html); S3 Tables
 * namespaces hold no hyphen (https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-buckets-naming.html). Every
 * case is an instance of the module in one root: one plan, whose errors each name their instance's folder.
 */
describe('the target role module\'s catalog isolation and the constructs\' agree', () => {
  const LAKE = 's3tablescatalog/lake';
  /** [glue_database_names (undefined: unset), the catalog path, the access mode] */
  const CASES: Array<[string[] | undefined, string, AccessMode?]> = [
    [['sales'], LAKE], [['sales_*'], LAKE], [['s?'], LAKE], [['s3*'], LAKE], [['s3*'], 'partner'], [['*_eu'], LAKE], [['*_eu'], 'partner'],
    [['*-x'], LAKE], [['*-x'], 'partner'], [['s3tablescatalog?lake?*'], LAKE], [['s3tablescatalog?lake?'], LAKE], [['s3tablescatalog?lak'], LAKE],
    [['?3tables*'], LAKE], [['s3tablescatalog?lake?a-*'], LAKE], [['partner?a-*'], 'partner'], [['partner?shared?*'], 'partner/shared'],
    [['partner?shared'], 'partner/shared'], [['partner*'], 'partner'], [['partner'], 'partner'], [['p?rtner?*'], 'partner/shared'],
    [['sales', 'fin*', 'p*'], 'partner'], [['sales', `s${'?'.repeat(20)}*`], LAKE], [['sales', `s${'?'.repeat(20)}`], LAKE],
    [undefined, LAKE], [undefined, 'partner'], [['sales'], LAKE, AccessMode.LAKE_FORMATION], [['sales'], LAKE, AccessMode.IAM_AND_LAKE_FORMATION],
  ];
  const DATABASES = ['allowed_ns'];
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  /** The constructs' isolation error for a case, or undefined; a case they refuse otherwise is a mistake of the table. */
  const constructError = ([names, catalogName, accessMode]: typeof CASES[number]) => {
    try {
      checkQueryPolicyProps({ resultsBucketName: 'acme-results', glueDatabaseNames: names, accessMode, catalogs: [{ catalogName, databaseNames: DATABASES }] });
      return undefined;
    } catch (error) {
      const message = (error as Error).message;
      if (!message.includes('cannot be kept apart')) throw error;
      return message;
    }
  };

  test(`${CASES.length} cases in one plan: refused by the module exactly when by the constructs, for the same reason`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-'));
    dirs.push(dir);
    const instances = CASES.map(([names, catalogName, accessMode], i) => `module "case_${i}" {\n  source = ${JSON.stringify(MODULE)}\n${moduleArguments({
      ...REQUIRED,
      ...(names === undefined ? {} : { glue_database_names: names }),
      ...(accessMode === undefined ? {} : { access_mode: accessMode }),
      catalogs: [{ catalog_name: catalogName, database_names: DATABASES }],
    })}\n}\n`);
    fs.writeFileSync(path.join(dir, 'main.tf'), [providerBlock(), ...instances].join('\n'));
    init(dir);
    const run = terraform(dir, ['plan', '-no-color']);
    const errors = run.stderr.replace(/[│╷╵]/g, '').replace(/\s+/g, ' ').split('Error: ').slice(1);
    const rules = catalogRules(MODULE_CATALOG_NAMES);
    const results = CASES.map((c, i) => {
      const inCase = errors.filter((e) => e.includes(`.terraform/modules/case_${i}/`));
      const construct = constructError(c);
      // The module's words for the constructs' reason: the same mode, default or pattern.
      const reason = construct === undefined ? undefined : /pattern "([^"]*)"/.exec(construct)?.[1];
      const open = construct === undefined ? undefined : c[2] === AccessMode.LAKE_FORMATION ? rules.open.lakeFormation
        : reason === undefined ? rules.open.databasesOpen : rules.open.pattern(reason, c[1]);
      return {
        case: c,
        construct: construct === undefined ? 'accepted' : 'refused',
        module: inCase.length === 0 ? 'accepted' : inCase.map((e) => (open !== undefined && e.includes(rules.notIsolated(open, c[1], 'catalogs[0].database_names')) ? 'refused' : e)).join(),
      };
    });
    expect(results).toEqual(results.map((r) => ({ ...r, module: r.construct })));
    // The table holds both outcomes, for S3 Tables and other catalogs alike.
    expect(new Set(results.map((r) => `${r.case[1] === LAKE} ${r.construct}`)).size).toBe(4);
  }, 300_000);
});
