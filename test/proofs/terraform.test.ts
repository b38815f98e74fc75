import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AthenaTargetRole } from '../../lib';
import { FORMAT_RULES } from '../../lib/model/format-rules';
import { SYNTH_WARNINGS } from '../../lib/model/warnings';
import { TERRAFORM_MODULES, writeTerraformModules } from '../../lib/terraform/write-modules';
import { render } from '../support/render';
import { normalized, ok, REGION, readmeSection, refusals, ROOT, rootConfig as rootConfigOf, terraform, writeRoot as writeRootOf } from '../support/terraform';

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

/** CloudFormation's pseudo parameters as a stack in `REGION` of `ACCOUNT` resolves them. */
function resolvePseudo(value: unknown): unknown {
  const text = JSON.stringify(render(value))
    .replace(/\$\{AWS::Partition\}/g, 'aws').replace(/\$\{AWS::Region\}/g, REGION)
    .replace(/\$\{AWS::AccountId\}/g, ACCOUNT).replace(/\$\{AWS::URLSuffix\}/g, 'amazonaws.com');
  return JSON.parse(text);
}

const bySid = (statements: Array<Record<string, unknown>>) => Object.fromEntries(statements.map((s) => [s.Sid as string, normalized(s)]));

describe('the Terraform module of the target role', () => {
  const version = ok(ROOT, ['version']).split('\n')[0];
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  /** Every module the generator writes, not only this one: the shipped folders hold exactly its files. */
  test(`terraform/ holds what the generator writes (npx projen terraform; ${version})`, () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-gen-'));
    dirs.push(out);
    const written = writeTerraformModules(out);
    const modules = Object.keys(TERRAFORM_MODULES);
    expect(fs.readdirSync(path.join(ROOT, 'terraform', 'modules')).sort()).toEqual([...modules].sort());
    for (const name of modules) {
      const files = written.filter((f) => path.dirname(f) === path.join('modules', name)).map((f) => path.basename(f)).sort();
      expect({ name, files }).toEqual({ name, files: ['main.tf', 'outputs.tf', 'variables.tf', 'versions.tf'] });
      expect({ name, shipped: fs.readdirSync(path.join(ROOT, 'terraform', 'modules', name)).filter((f) => f.endsWith('.tf')).sort() }).toEqual({ name, shipped: files });
    }
    for (const file of written) {
      expect({ file, text: fs.readFileSync(path.join(ROOT, 'terraform', file), 'utf8') }).toEqual({ file, text: fs.readFileSync(path.join(out, file), 'utf8') });
    }
  }, 60_000);

  test('terraform validate accepts the module', () => {
    const dir = rootConfig(REQUIRED);
    dirs.push(dir);
    expect(ok(dir, ['validate', '-no-color'])).toContain('The configuration is valid');
  }, 120_000);

  test('a plan gives the role the trust and policies AthenaTargetRole synthesizes for the same inputs', () => {
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
    const resources: Array<{ type: string; values: Record<string, any> }> = plan.planned_values.root_module.child_modules[0].resources;
    const planned = resources.filter((r) => r.type === 'aws_iam_policy').flatMap((r) => JSON.parse(r.values.policy).Statement);
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
    expect(bySid(planned)).toEqual(bySid(synthesized));

    const cfnRole = Object.values(template.findResources('AWS::IAM::Role'))[0].Properties;
    expect(JSON.parse(role.assume_role_policy).Statement.map(normalized))
      .toEqual((resolvePseudo(cfnRole.AssumeRolePolicyDocument.Statement) as Array<Record<string, unknown>>).map(normalized));
    expect({ name: role.name, path: role.path, maxSessionDuration: role.max_session_duration })
      .toEqual({ name: cfnRole.RoleName, path: cfnRole.Path, maxSessionDuration: cfnRole.MaxSessionDuration });
  }, 180_000);

  test('a plan refuses a policy over IAM\'s size limit, which the provider would leave to apply', () => {
    // 40 databases of 60 characters: each is named in two statements, about 5,000 characters on its own.
    const names = Array.from({ length: 40 }, (_, i) => `db_${String(i).padStart(2, '0')}_${'x'.repeat(54)}`);
    const dir = rootConfig({ ...REQUIRED, glue_database_names: names });
    dirs.push(dir);
    const run = terraform(dir, ['plan', '-no-color']);
    expect({ status: run.status, refused: /The query policy is \d+ characters, over IAM's limit of 6144 for a managed policy/.test(run.stderr.replace(/\s+/g, ' ')) })
      .toEqual({ status: 1, refused: true });
  }, 120_000);

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
    const { plan, listed, variables } = readmeSection(section, MODULE, dirs,
      (example) => example.replace(/(external_id\s+= .*\n)/, `$1  account_id = "${ACCOUNT}"\n`));
    expect(plan).toContain('Plan: 4 to add');
    expect(listed).toEqual(variables);
  }, 120_000);

  /**
   * One bad value per validation the module emits, each refused by exactly that validation with the model's words.
   * The values are what AWS refuses: IAM ARNs and names (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html,
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html), STS's ExternalId
   * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html), S3 bucket names
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html) and KMS key ARNs
   * (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN).
   */
  const BAD: Array<[string, unknown, string]> = [
    ['trusted_role_arn', 'arn:aws:sts::315179787488:assumed-role/acme-dataplane-role/session', FORMAT_RULES.roleArn.accepted],
    ['external_id', 'two words', FORMAT_RULES.externalId.accepted],
    ['external_id', '315179787488', FORMAT_RULES.externalId.refused[0].accepted],
    ['external_id', 'x'.repeat(1225), FORMAT_RULES.externalId.accepted],
    ['role_name', 'acme/athena', FORMAT_RULES.roleName.accepted],
    ['results_bucket_name', 'Acme_Results', FORMAT_RULES.bucketName.accepted],
    ['results_bucket_name', '192.168.5.4', FORMAT_RULES.bucketName.refused[0].accepted],
    ['results_bucket_name', 'acme..results', FORMAT_RULES.bucketName.refused[1].accepted],
    ['kms_key_arns', [`arn:aws:kms:${REGION}:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`, 'alias/acme'], FORMAT_RULES.kmsKeyArn.accepted],
    ['path', 'qualytics/', FORMAT_RULES.iamPath.accepted],
    ['account_id', '1111-2222-3333', FORMAT_RULES.accountId.accepted],
    ['trusted_organization_id', 'o-ABC', FORMAT_RULES.organizationId.accepted],
  ];

  test('every validation the module emits refuses its bad value, naming the variable and what is accepted', () => {
    const variables = fs.readFileSync(path.join(MODULE, 'variables.tf'), 'utf8');
    const emitted = [...variables.matchAll(/error_message = "(.*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
    const expected = BAD.map(([name, value, accepted]) => `Invalid ${name}${Array.isArray(value) ? ' (each item)' : ''}. ${accepted}`);
    expect([...new Set(expected)].sort()).toEqual([...new Set(emitted)].sort());

    const dir = rootConfig(REQUIRED);
    dirs.push(dir);
    const shown = refusals(dir, MODULE, REQUIRED, BAD.map(([name, value], i) => [name, value, expected[i]]));
    expect(shown).toEqual(shown.map((r) => ({ ...r, refused: true })));
  }, 300_000);
});
