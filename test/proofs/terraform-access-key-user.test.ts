import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AthenaAccessKeyUser } from '../../lib';
import { FORMAT_RULES } from '../../lib/model/format-rules';
import { ACCESS_KEY_VERSIONS_ACCEPTED } from '../../lib/model/identity-props';
import { Moto, startMoto } from '../support/moto';
import { render } from '../support/render';
import { normalized, ok, REGION, readmeSection, refusals, ROOT, rootConfig } from '../support/terraform';

/**
 * The Terraform module of the Access Key user (terraform/modules/athena-access-key-user), generated from the model
 * (test/proofs/terraform.test.ts checks that the checked-in files are what the generator writes): a plan (fake
 * credentials, no network) gives the user the statements AthenaAccessKeyUser synthesizes for the same inputs, the
 * access key reaches its secret through the write-only `secret_string_wo`
 * (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/secretsmanager_secret_version), and
 * every validation the module emits refuses a bad value with its message. Applied to moto_server, the key's secret is
 * in the secret and, of the state, only in `aws_iam_access_key`'s `secret`, which the provider keeps there unless a
 * `pgp_key` is given (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/iam_access_key).
 */
const MODULE = path.join(ROOT, 'terraform', 'modules', 'athena-access-key-user');
const ACCOUNT = '111122223333';
const REQUIRED = { results_bucket_name: 'acme-athena-results', account_id: ACCOUNT };

const bySid = (statements: Array<Record<string, unknown>>) => Object.fromEntries(statements.map((s) => [s.Sid as string, normalized(s)]));

/** CloudFormation's pseudo parameters as a stack in `REGION` of `ACCOUNT` resolves them. */
function resolvePseudo(value: unknown): unknown {
  return JSON.parse(JSON.stringify(render(value)).replace(/\$\{AWS::Partition\}/g, 'aws').replace(/\$\{AWS::Region\}/g, REGION)
    .replace(/\$\{AWS::AccountId\}/g, ACCOUNT).replace(/\$\{AWS::URLSuffix\}/g, 'amazonaws.com'));
}

type Resource = { address: string; type: string; values: Record<string, any> };
const moduleResources = (plan: any): Resource[] => plan.planned_values.root_module.child_modules[0].resources;

describe('the Terraform module of the Access Key user', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  test('terraform validate accepts the module', () => {
    const dir = rootConfig(MODULE, REQUIRED);
    dirs.push(dir);
    expect(ok(dir, ['validate', '-no-color'])).toContain('The configuration is valid');
  }, 120_000);

  const inputs = {
    ...REQUIRED,
    user_name: 'acme-athena-user',
    path: '/qualytics/',
    work_group_names: ['qualytics', 'analysts'],
    glue_database_names: ['sales', 'marketing_*'],
    results_prefix: 'athena/results',
    data_locations: [{ bucket_name: 'acme-lake' }, { bucket_name: 'acme-raw-*' }],
    kms_key_arns: [`arn:aws:kms:${REGION}:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`],
    access_key_versions: [1, 2],
  };

  test('a plan gives the user the statements AthenaAccessKeyUser synthesizes, a key and a secret per version, and no secret value', () => {
    const dir = rootConfig(MODULE, inputs);
    dirs.push(dir);
    ok(dir, ['plan', '-no-color', '-out=plan.out']);
    const plan = JSON.parse(ok(dir, ['show', '-json', 'plan.out']));
    const resources = moduleResources(plan);
    const planned = resources.filter((r) => r.type === 'aws_iam_policy').flatMap((r) => JSON.parse(r.values.policy).Statement);

    const stack = new Stack(new App(), 'User', { env: { account: ACCOUNT, region: REGION } });
    new AthenaAccessKeyUser(stack, 'User', {
      userName: inputs.user_name,
      path: inputs.path,
      workGroupNames: inputs.work_group_names,
      glueDatabaseNames: inputs.glue_database_names,
      resultsBucketName: inputs.results_bucket_name,
      resultsPrefix: inputs.results_prefix,
      dataLocations: inputs.data_locations.map((l) => ({ bucketName: l.bucket_name })),
      kmsKeyArns: inputs.kms_key_arns,
      accessKeyVersions: inputs.access_key_versions,
    });
    const template = Template.fromStack(stack);
    // The construct attaches its managed policies to the user's group; the module to the user.
    const synthesized = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p: any) => resolvePseudo(p.Properties.PolicyDocument.Statement) as Array<Record<string, unknown>>);
    expect(planned.length).toBeGreaterThan(10);
    expect(bySid(planned)).toEqual(bySid(synthesized));

    const cfnUser = Object.values(template.findResources('AWS::IAM::User'))[0].Properties;
    const user = resources.find((r) => r.type === 'aws_iam_user')!.values;
    expect({ name: user.name, path: user.path }).toEqual({ name: cfnUser.UserName, path: cfnUser.Path });
    const count = (type: string) => resources.filter((r) => r.type === type).length;
    expect({ keys: count('aws_iam_access_key'), secrets: count('aws_secretsmanager_secret'), versions: count('aws_secretsmanager_secret_version'), kms: count('aws_kms_key') })
      .toEqual({
        keys: Object.keys(template.findResources('AWS::IAM::AccessKey')).length,
        secrets: Object.keys(template.findResources('AWS::SecretsManager::Secret')).length,
        versions: 2,
        kms: Object.keys(template.findResources('AWS::KMS::Key')).length,
      });
    expect(resources.find((r) => r.type === 'aws_iam_user_policy_attachments_exclusive')!.values.user_name).toBe(inputs.user_name);
    // The key policy, but the statements CDK's Secret adds for Secrets Manager (kms:ViaService), which the first one,
    // the account's, already allows (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
    const key = resources.find((r) => r.type === 'aws_kms_key')!.values;
    const cfnKey = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties;
    const cfnKeyStatements = (resolvePseudo(cfnKey.KeyPolicy.Statement) as Array<Record<string, any>>)
      .filter((s) => s.Condition?.StringEquals?.['kms:ViaService'] !== `secretsmanager.${REGION}.amazonaws.com`);
    expect({ rotation: key.enable_key_rotation, statements: JSON.parse(key.policy).Statement.map(normalized) })
      .toEqual({ rotation: cfnKey.EnableKeyRotation, statements: cfnKeyStatements.map(normalized) });

    // The secret versions carry the value write-only: the plan records neither secret_string nor secret_string_wo.
    const versions = plan.resource_changes.filter((c: any) => c.type === 'aws_secretsmanager_secret_version');
    expect(versions.map((c: any) => ({
      string: c.change.after.secret_string ?? null,
      writeOnly: c.change.after.secret_string_wo ?? null,
      unknown: Object.keys(c.change.after_unknown).filter((name) => name.startsWith('secret_string')),
      woVersion: c.change.after.secret_string_wo_version,
    }))).toEqual([1, 2].map(() => ({ string: null, writeOnly: null, unknown: [], woVersion: 1 })));
  }, 180_000);

  /**
   * Applied to moto_server (IAM, KMS, Secrets Manager and STS emulated): what lands in the secret, the state and a saved
   * plan. moto checks no permission: this shows where the key's secret goes, not what the user may do.
   */
  describe('applied to moto_server', () => {
    let moto: Moto;
    beforeAll(async () => {
      moto = await startMoto();
    }, 60_000);
    afterAll(() => moto?.stop());

    test('the secret holds the access key; of the state only aws_iam_access_key.secret holds its secret, and a later saved plan shows it', () => {
      const dir = rootConfig(MODULE, { ...REQUIRED, work_group_names: ['qualytics'] }, moto.endpoint);
      dirs.push(dir);
      fs.appendFileSync(path.join(dir, 'main.tf'), '\noutput "connection" {\n  value = module.this\n}\n');
      ok(dir, ['apply', '-auto-approve', '-no-color']);
      const outputs = JSON.parse(ok(dir, ['output', '-json'])).connection.value;
      const value = JSON.parse(moto.aws('secretsmanager', 'get-secret-value', '--secret-id', outputs.secret_arn).SecretString);
      const keys = moto.aws('iam', 'list-access-keys', '--user-name', outputs.user_name).AccessKeyMetadata;
      expect({ fields: Object.keys(value).sort(), id: value.accessKeyId, secretLength: value.secretAccessKey.length })
        .toEqual({ fields: ['accessKeyId', 'secretAccessKey'], id: keys[0].AccessKeyId, secretLength: 40 });

      const state = JSON.parse(ok(dir, ['show', '-json']));
      const holders = (resources: Resource[]) => resources.flatMap((r) => Object.entries(r.values)
        .filter(([, v]) => JSON.stringify(v ?? null).includes(value.secretAccessKey)).map(([key]) => `${r.type}.${key}`));
      expect(holders(moduleResources({ planned_values: state.values }))).toEqual(['aws_iam_access_key.secret']);
      const version = moduleResources({ planned_values: state.values }).find((r) => r.type === 'aws_secretsmanager_secret_version')!.values;
      expect({ string: version.secret_string, writeOnly: version.secret_string_wo, has: version.has_secret_string_wo })
        .toEqual({ string: '', writeOnly: null, has: true });
      expect(JSON.stringify(outputs)).not.toContain(value.secretAccessKey);

      // A saved plan holds the prior state: once the key exists, its secret is in every plan file.
      ok(dir, ['plan', '-no-color', '-out=plan.out']);
      const plan = JSON.parse(ok(dir, ['show', '-json', 'plan.out']));
      expect(Object.keys(plan).filter((key) => JSON.stringify(plan[key]).includes(value.secretAccessKey)).sort())
        .toEqual(['planned_values', 'prior_state', 'resource_changes']);
      expect(plan.resource_changes.filter((c: any) => c.change.actions.join() !== 'no-op')).toEqual([]);
    }, 300_000);
  });

  test('the README\'s example plans, and its table lists every input', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### The Access Key user as a module'), readme.indexOf('## Self-hosted operators'));
    const { plan, listed, variables } = readmeSection(section, MODULE, dirs,
      (example) => example.replace(/(results_bucket_name\s+= .*\n)/, `$1  account_id = "${ACCOUNT}"\n`));
    expect(plan).toContain('Plan: 8 to add');
    expect(listed).toEqual(variables);
  }, 120_000);

  /**
   * One bad value per validation the module emits, each refused by exactly that validation with the model's words.
   * The values are what AWS refuses: IAM names and paths (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html),
   * S3 bucket names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), KMS key ARNs
   * (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN) and more than two access keys
   * of a user (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
   */
  const BAD: Array<[string, unknown, string]> = [
    ['user_name', 'acme/athena', FORMAT_RULES.userName.accepted],
    ['path', 'qualytics/', FORMAT_RULES.iamPath.accepted],
    ['results_bucket_name', 'Acme_Results', FORMAT_RULES.bucketName.accepted],
    ['results_bucket_name', '192.168.5.4', FORMAT_RULES.bucketName.refused[0].accepted],
    ['results_bucket_name', 'acme..results', FORMAT_RULES.bucketName.refused[1].accepted],
    ['kms_key_arns', [`arn:aws:kms:${REGION}:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`, 'alias/acme'], FORMAT_RULES.kmsKeyArn.accepted],
    ['secret_kms_key_arn', 'alias/acme-secrets', FORMAT_RULES.kmsKeyArn.accepted],
    ['access_key_versions', [1, 2, 3], ACCESS_KEY_VERSIONS_ACCEPTED],
    ['access_key_versions', [2, 2], ACCESS_KEY_VERSIONS_ACCEPTED],
    ['access_key_versions', [0], ACCESS_KEY_VERSIONS_ACCEPTED],
    ['access_key_versions', [1.5], ACCESS_KEY_VERSIONS_ACCEPTED],
    ['account_id', '1111-2222-3333', FORMAT_RULES.accountId.accepted],
  ];
  const each = (name: string, value: unknown) => (Array.isArray(value) && name !== 'access_key_versions' ? ' (each item)' : '');

  test('every validation the module emits refuses its bad value, naming the variable and what is accepted', () => {
    const variables = fs.readFileSync(path.join(MODULE, 'variables.tf'), 'utf8');
    const emitted = [...variables.matchAll(/error_message = "(.*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
    const expected = BAD.map(([name, value, accepted]) => `Invalid ${name}${each(name, value)}. ${accepted}`);
    expect([...new Set(expected)].sort()).toEqual([...new Set(emitted)].sort());

    const dir = rootConfig(MODULE, REQUIRED);
    dirs.push(dir);
    const shown = refusals(dir, MODULE, REQUIRED, BAD.map(([name, value], i) => [name, value, expected[i]]));
    expect(shown).toEqual(shown.map((r) => ({ ...r, refused: true })));
  }, 300_000);
});
