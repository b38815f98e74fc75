import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AthenaTargetRole } from '../../lib';
import { FORMAT_RULES } from '../../lib/model/format-rules';
import { SESSION_NAME_PREFIX_RULE, WORKGROUP_RULE } from '../../lib/model/rules';
import { IAM_LIMITS } from '../../lib/model/size';
import { atLeastEntries, MANAGED_POLICY_QUOTA_RULE, MAX_SESSION_DURATION, queryPolicyCountRule } from '../../lib/model/validation';
import { SYNTH_WARNINGS } from '../../lib/model/warnings';
import {
  access, countBy, init, normalized, ok, plannedResources, REGION, resolvePseudo as resolvePseudoOf, ROOT, rootConfig as rootConfigOf, shownValue,
  terraform, validationsByVariable, writeRoot as writeRootOf,
} from '../support/terraform';

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

const REQUIRED = {
  trusted_role_arn: 'arn:aws:iam::315179787488:role/acme-dataplane-role',
  external_id: 'qualytics-7f3a9c2e',
  results_bucket_name: 'acme-athena-results',
  account_id: ACCOUNT,
};

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


  test('terraform validate accepts the module', () => {
    const dir = rootConfig(REQUIRED);
    dirs.push(dir);
    expect(ok(dir, ['validate', '-no-color'])).toContain('The configuration is valid');
    // The previous version's single query policy moves to policy "0" on upgrade (https://developer.hashicorp.com/terraform/language/moved).
    expect(fs.readFileSync(path.join(MODULE, 'main.tf'), 'utf8'))
      .toMatch(/\nmoved \{\n\s+from = aws_iam_policy\.query\n\s+to\s+= aws_iam_policy\.query\["0"\]\n\}/);
  }, 120_000);

  test('a plan gives the role the trust and access AthenaTargetRole synthesizes for the same inputs, split over the query policies', () => {
    const inputs = {
      ...REQUIRED,
      role_name: 'acme-athena',
      work_group_names: ['qualytics', 'analysts'],
      glue_database_names: ['sales', 'marketing_*'],
      results_prefix: 'athena/results',
      data_locations: [{ bucket_name: 'acme-lake' }, { bucket_name: 'acme-raw-*' }],
      kms_key_arns: [`arn:aws:kms:${REGION}:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`],
      path: '/qualytics/',
      max_session_duration: 3600,
      trusted_organization_id: 'o-a1b2c3d4e5',
    };
    const dir = rootConfig(inputs);
    dirs.push(dir);
    ok(dir, ['plan', '-no-color', '-out=plan.out']);
    const plan = JSON.parse(ok(dir, ['show', '-json', 'plan.out']));
    const resources: Planned = plan.planned_values.root_module.child_modules[0].resources;
    const planned = resources.filter((r) => r.type === 'aws_iam_policy').flatMap((r) => JSON.parse(r.values.policy).Statement);
    // Every query policy holds statements, none twice (a Sid is unique within a policy).
    const documents = Object.values(queryDocuments(resources));
    expect(documents.length).toBeGreaterThan(1);
    for (const document of documents) {
      expect(document.Statement.length).toBeGreaterThan(0);
      expect(new Set(document.Statement.map((st) => st.Sid)).size).toBe(document.Statement.length);
    }
    const role = resources.find((r) => r.type === 'aws_iam_role')!.values;

    const stack = new Stack(new App(), 'Target', { env: { account: ACCOUNT, region: REGION } });
    new AthenaTargetRole(stack, 'Target', {
      trustedRoleArn: inputs.trusted_role_arn,
      externalId: inputs.external_id,
      roleName: inputs.role_name,
      workGroupNames: inputs.work_group_names,
      glueDatabaseNames: inputs.glue_database_names,
      resultsBucketName: inputs.results_bucket_name,
      resultsPrefix: inputs.results_prefix,
      dataLocations: inputs.data_locations.map((l) => ({ bucketName: l.bucket_name })),
      kmsKeyArns: inputs.kms_key_arns,
      path: inputs.path,
      maxSessionDuration: Duration.seconds(inputs.max_session_duration),
      trustedOrganizationId: inputs.trusted_organization_id,
    });
    const template = Template.fromStack(stack);
    const synthesized = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p: any) => resolvePseudo(p.Properties.PolicyDocument.Statement) as Array<Record<string, unknown>>);
    expect(planned.length).toBeGreaterThan(10);
    expect(access(planned)).toEqual(access(synthesized));

    const cfnRole = Object.values(template.findResources('AWS::IAM::Role'))[0].Properties;
    expect(JSON.parse(role.assume_role_policy).Statement.map(normalized))
      .toEqual((resolvePseudo(cfnRole.AssumeRolePolicyDocument.Statement) as Array<Record<string, unknown>>).map(normalized));
    expect({ name: role.name, path: role.path, maxSessionDuration: role.max_session_duration })
      .toEqual({ name: cfnRole.RoleName, path: cfnRole.Path, maxSessionDuration: cfnRole.MaxSessionDuration });
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
      ok(dir, ['plan', '-no-color', '-out=plan.out']);
      const plan = JSON.parse(ok(dir, ['show', '-json', 'plan.out']));
      type Check = { address: { kind: string; name: string }; status: string; instances?: Array<{ problems?: Array<{ message: string }> }> };
      // Validations and preconditions are there too, as kind "var" and "resource".
      const checks = (plan.checks as Check[]).filter((c) => c.address.kind === 'check');
      const messages = (c: Check) => (c.instances ?? []).flatMap((i) => (i.problems ?? []).map((p) => p.message));
      return Object.fromEntries(checks.map((c) => [c.address.name, { status: c.status, messages: messages(c) }]));
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
  const section = readme.slice(readme.indexOf('## Terraform: the target role as a module'), readme.indexOf('### The dataplane base role as a module'));

  test('the README\'s example plans, and its table lists every input', () => {
    const example = /```hcl\n([\s\S]*?)```/.exec(section)![1];
    const dir = rootConfig(REQUIRED);
    dirs.push(dir);
    const root = fs.readFileSync(path.join(dir, 'main.tf'), 'utf8');
    fs.writeFileSync(path.join(dir, 'main.tf'), root.slice(0, root.indexOf('module "this"')));
    fs.writeFileSync(path.join(dir, 'example.tf'), example.replace(/source = ".*"/, `source = ${JSON.stringify(MODULE)}`)
      .replace(/(external_id\s+= .*\n)/, `$1  account_id = "${ACCOUNT}"\n`));
    init(dir);
    // The role, the exclusive attachments, and the guardrails and the default number of query policies (whatever the
    // lists hold), each policy with an attachment of its own.
    expect(ok(dir, ['plan', '-no-color'])).toContain(`Plan: ${2 + 2 * (1 + DEFAULT_QUERY_POLICIES)} to add`);

    const variables = [...fs.readFileSync(path.join(MODULE, 'variables.tf'), 'utf8').matchAll(/^variable "(\w+)"/gm)].map((m) => m[1]);
    const listed = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(variables.sort());
  }, 120_000);

  /**
   * One bad value per validation the module emits, each refused by exactly that validation with the model's words.
   * The values are what AWS refuses: IAM ARNs and names (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html,
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html), STS's ExternalId and RoleSessionName
   * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html), Athena workgroup names
   * (https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateWorkGroup.html), Glue database names, which Glue
   * stores in lower case (https://docs.aws.amazon.com/glue/latest/dg/define-database.html), S3 bucket names
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), S3 keys in IAM policies, where `${`
   * starts a policy variable (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html), KMS key ARNs
   * (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN) and a role's MaxSessionDuration
   * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html). The fourth element, when given, is how the
   * message shows the refused value (an item of a list of objects, or a value the root configuration escapes).
   */
  const TRAILING_SLASH = 'Give the folder without a trailing slash';
  const BAD: Array<[string, unknown, string, string?]> = [
    ['trusted_role_arn', 'arn:aws:sts::315179787488:assumed-role/acme-dataplane-role/session', FORMAT_RULES.roleArn.accepted],
    ['external_id', 'two words', FORMAT_RULES.externalId.accepted],
    ['external_id', '315179787488', FORMAT_RULES.externalId.refused[0].accepted],
    ['external_id', 'x'.repeat(1225), FORMAT_RULES.externalId.accepted],
    ['role_name', 'acme/athena', FORMAT_RULES.roleName.accepted],
    ['session_name_prefix', 'qualytics athena', SESSION_NAME_PREFIX_RULE.accepted],
    ['work_group_names', [], atLeastEntries(1)],
    ['work_group_names', ['qualytics', 'acme analysts'], WORKGROUP_RULE.accepted],
    ['glue_database_names', [], atLeastEntries(1)],
    ['glue_database_names', ['sales', 'Marketing'], FORMAT_RULES.databaseName.accepted],
    ['glue_database_names', ['sales', 'Marketing_*'], FORMAT_RULES.databaseNamePattern.accepted],
    ['results_bucket_name', 'Acme_Results', FORMAT_RULES.bucketName.accepted],
    ['results_bucket_name', '192.168.5.4', FORMAT_RULES.bucketName.refused[0].accepted],
    ['results_bucket_name', 'acme..results', FORMAT_RULES.bucketName.refused[1].accepted],
    ['results_prefix', '/athena/results', FORMAT_RULES.s3Prefix.accepted],
    ['results_prefix', 'athena/$${aws:username}', FORMAT_RULES.s3Prefix.accepted, 'results_prefix: "athena/${aws:username}"'],
    ['results_prefix', 'athena//results', FORMAT_RULES.s3Prefix.accepted],
    ['results_prefix', 'athena/results/', TRAILING_SLASH],
    ['data_locations', [{ bucket_name: 'Acme_Lake' }], FORMAT_RULES.bucketName.accepted, 'data_locations[0].bucket_name: "Acme_Lake"'],
    ['data_locations', [{ bucket_name: '10.0.0.1' }], FORMAT_RULES.bucketName.accepted, 'data_locations[0].bucket_name: "10.0.0.1"'],
    ['data_locations', [{ bucket_name: 'acme..lake' }], FORMAT_RULES.bucketName.accepted, 'data_locations[0].bucket_name: "acme..lake"'],
    ['data_locations', [{ bucket_name: 'a*' }], FORMAT_RULES.bucketNamePattern.accepted, 'data_locations[0].bucket_name: "a*"'],
    ['data_locations', [{ bucket_name: 'acme-lake', prefix: '/warehouse' }], FORMAT_RULES.s3PrefixPattern.accepted, 'data_locations[0].prefix: "/warehouse"'],
    ['data_locations', [{ bucket_name: 'acme-lake', prefix: 'ware/$${aws:username}' }], FORMAT_RULES.s3PrefixPattern.accepted, 'data_locations[0].prefix: "ware/${aws:username}"'],
    ['data_locations', [{ bucket_name: 'acme-lake', prefix: 'ware//house' }], FORMAT_RULES.s3PrefixPattern.accepted, 'data_locations[0].prefix: "ware//house"'],
    ['data_locations', [{ bucket_name: 'acme-lake', prefix: 'warehouse/' }], TRAILING_SLASH, 'data_locations[0].prefix: "warehouse/"'],
    ['kms_key_arns', [`arn:aws:kms:${REGION}:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`, 'alias/acme'], FORMAT_RULES.kmsKeyArn.accepted],
    ['path', 'qualytics/', FORMAT_RULES.iamPath.accepted],
    ['max_session_duration', 900, MAX_SESSION_DURATION.accepted],
    ['account_id', '1111-2222-3333', FORMAT_RULES.accountId.accepted],
    ['trusted_organization_id', 'o-ABC', FORMAT_RULES.organizationId.accepted],
    ['query_policy_count', 0, queryPolicyCountRule(1).accepted],
    ['max_managed_policies', IAM_LIMITS.managedPoliciesPerIdentity - 1, MANAGED_POLICY_QUOTA_RULE.accepted],
  ];
  /** More bad values for blocks BAD feeds already: the other ends of the ranges, and a number that is not whole. */
  const ALSO_BAD: typeof BAD = [
    ['query_policy_count', 2.5, queryPolicyCountRule(1).accepted],
    ['query_policy_count', IAM_LIMITS.managedPoliciesPerIdentityMax, queryPolicyCountRule(1).accepted],
    ['max_managed_policies', IAM_LIMITS.managedPoliciesPerIdentityMax + 1, MANAGED_POLICY_QUOTA_RULE.accepted],
  ];

  test('every validation the module emits refuses its bad value, naming the variable, the value and what is accepted', () => {
    const cases = [...BAD, ...ALSO_BAD];
    const expected = cases.map(([name, value, accepted, shown]) => `Invalid ${shown ?? shownValue(name, value)}. ${accepted}`);
    // The External ID over 1,224 characters is refused by the format block too (its RE2 pattern leaves the length to length()).
    const blocks = BAD.filter(([, value]) => !(typeof value === 'string' && value.length > 1224));
    expect(validationsByVariable(fs.readFileSync(path.join(MODULE, 'variables.tf'), 'utf8'))).toEqual(countBy(blocks.map(([name]) => name)));

    const dir = rootConfig(REQUIRED);
    dirs.push(dir);
    const oneLine = (text: string) => text.replace(/\s+/g, ' ');
    // Plans take seconds: each plan takes one bad value of several variables (Terraform reports every refused variable).
    const rounds: number[][] = [];
    cases.forEach(([name], index) => {
      const round = rounds.find((r) => r.every((i) => cases[i][0] !== name));
      if (round) round.push(index);
      else rounds.push([index]);
    });
    const refused: boolean[] = [];
    for (const round of rounds) {
      writeRoot(dir, { ...REQUIRED, ...Object.fromEntries(round.map((i) => [cases[i][0], cases[i][1]])) });
      const run = terraform(dir, ['plan', '-no-color']);
      const errors = oneLine(run.stderr).split('Error: ').slice(1);
      expect({ status: run.status, errors: errors.length }).toEqual({ status: 1, errors: round.length });
      for (const i of round) refused[i] = errors.some((e) => e.includes(oneLine(expected[i])));
    }
    const shown = (all: boolean) => cases.map(([name, value], i) => ({
      name, value: JSON.stringify(value).slice(0, 80), refused: all || refused[i],
    }));
    expect(shown(false)).toEqual(shown(true));
  }, 300_000);
});
