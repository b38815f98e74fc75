import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccessMode, AthenaAccessKeyUser, AthenaAccessKeyUserProps } from '../../lib';
import { FORMAT_RULES } from '../../lib/model/format-rules';
import { ACCESS_KEY_VERSIONS_ACCEPTED } from '../../lib/model/identity-props';
import { IAM_LIMITS } from '../../lib/model/size';
import { Moto, startMoto } from '../support/moto';
import { render } from '../support/render';
import { access, normalized, ok, REGION, readmeSection, ROOT, rootConfig } from '../support/terraform';
import { BadValue, expectCatalogRefusals, expectQueryResultsRefusals, expectRefusals, QUERY_BAD_VALUES, QUERY_MORE_BAD_VALUES } from '../support/terraform-bad-values';
import { accessKeyUserInputs } from '../support/terraform-inputs';
import { grantPrincipals, plannedGrants, synthesizedGrants } from '../support/terraform-lake-formation';

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
/** A results bucket, and the account the plans name in ARNs, which no prop gives. */
const REQUIRED_PROPS: AthenaAccessKeyUserProps = { resultsBucketName: 'acme-athena-results' };
const MODULE_ONLY = { account_id: ACCOUNT };
const REQUIRED = accessKeyUserInputs(REQUIRED_PROPS, MODULE_ONLY);

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

  const props: AthenaAccessKeyUserProps = {
    ...REQUIRED_PROPS,
    userName: 'acme-athena-user',
    path: '/qualytics/',
    workGroupNames: ['qualytics', 'analysts'],
    glueDatabaseNames: ['sales', 'marketing_*'],
    resultsPrefix: 'athena/results',
    dataLocations: [{ bucketName: 'acme-lake' }, { bucketName: 'acme-raw-*' }],
    kmsKeyArns: [`arn:aws:kms:${REGION}:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`],
    accessKeyVersions: [1, 2],
  };

  /**
   * A plan of the module for `planProps` (test/support/terraform-inputs.ts): its JSON, the module's planned resources,
   * and the statements of its policies.
   */
  function planOf(planProps: AthenaAccessKeyUserProps) {
    const dir = rootConfig(MODULE, accessKeyUserInputs(planProps, MODULE_ONLY));
    dirs.push(dir);
    ok(dir, ['plan', '-no-color', '-out=plan.out']);
    const plan = JSON.parse(ok(dir, ['show', '-json', 'plan.out']));
    const resources = moduleResources(plan);
    return { plan, resources, planned: resources.filter((r) => r.type === 'aws_iam_policy').flatMap((r) => JSON.parse(r.values.policy).Statement) };
  }

  test('a plan gives the user the statements AthenaAccessKeyUser synthesizes, a key and a secret per version, and no secret value', () => {
    const { plan, resources, planned } = planOf(props);

    const stack = new Stack(new App(), 'User', { env: { account: ACCOUNT, region: REGION } });
    new AthenaAccessKeyUser(stack, 'User', props);
    const template = Template.fromStack(stack);
    // The construct attaches its managed policies to the user's group; the module to the user.
    const synthesized = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p: any) => resolvePseudo(p.Properties.PolicyDocument.Statement) as Array<Record<string, unknown>>);
    expect(planned.length).toBeGreaterThan(10);
    expect(access(planned)).toEqual(access(synthesized));

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
    expect(resources.find((r) => r.type === 'aws_iam_user_policy_attachments_exclusive')!.values.user_name).toBe(props.userName);
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

  test('in access mode LAKE_FORMATION a plan allows what AthenaAccessKeyUser allows, and makes its Lake Formation grants to the user', () => {
    const expression = { tags: { domain: ['sales', 'finance'], env: ['prod'] } };
    const lakeFormationProps: AthenaAccessKeyUserProps = {
      ...REQUIRED_PROPS, workGroupNames: ['qualytics'], accessMode: AccessMode.LAKE_FORMATION, glueDatabaseNames: ['sales'], lakeFormationTagExpressions: [expression],
    };
    const { plan, resources, planned } = planOf(lakeFormationProps);

    const stack = new Stack(new App(), 'User', { env: { account: ACCOUNT, region: REGION } });
    const user = new AthenaAccessKeyUser(stack, 'User', lakeFormationProps);
    const synthesized = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p: any) => resolvePseudo(p.Properties.PolicyDocument.Statement) as Array<Record<string, unknown>>);
    expect(access(planned)).toEqual(access(synthesized));
    const grants = synthesizedGrants(user.lakeFormationGrants!);
    expect(plannedGrants(resources)).toEqual(grants.map(({ id, permissions, resource }) => ({ id, permissions, resource })));
    const userArn = { 'Fn::GetAtt': [stack.resolve((user.user.node.defaultChild as any).logicalId), 'Arn'] };
    expect({ principals: [...new Set(grants.map((g) => JSON.stringify(g.principal)))], count: grants.length })
      .toEqual({ principals: [JSON.stringify(userArn)], count: 5 });
    expect(grantPrincipals(plan).filter((refs) => !refs.includes('aws_iam_user.this.arn'))).toEqual([]);
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
    // The user, its access key, secret, secret version, the secret's KMS key and the exclusive attachments; then, per
    // policy (the guardrails and the query policies, by default as many as fill IAM's quota), the policy and its attachment.
    expect(plan).toContain(`Plan: ${6 + 2 * IAM_LIMITS.managedPoliciesPerIdentity} to add`);
    expect(listed).toEqual(variables);
  }, 120_000);

  /**
   * One bad value per validation of the user's own variables, beside the query variables' (QUERY_BAD_VALUES), each
   * refused by exactly that validation with the model's words. The values are what AWS refuses: IAM names and paths
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html), KMS key ARNs
   * (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN) and more than two access keys
   * of a user (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
   */
  const BAD: BadValue[] = [
    ['user_name', 'acme/athena', FORMAT_RULES.userName.accepted],
    ['path', 'qualytics/', FORMAT_RULES.iamPath.accepted],
    ['secret_kms_key_arn', 'alias/acme-secrets', FORMAT_RULES.kmsKeyArn.accepted],
    ['access_key_versions', [1, 2, 3], ACCESS_KEY_VERSIONS_ACCEPTED, 'access_key_versions: [1,2,3]'],
    ['account_id', '1111-2222-3333', FORMAT_RULES.accountId.accepted],
    ...QUERY_BAD_VALUES,
  ];
  /** The access key versions' one block refuses repeated, zero and fractional versions too. */
  const MORE_BAD: BadValue[] = [
    ...QUERY_MORE_BAD_VALUES,
    ...[[2, 2], [0], [1.5]].map((versions): BadValue => ['access_key_versions', versions, ACCESS_KEY_VERSIONS_ACCEPTED, `access_key_versions: ${JSON.stringify(versions)}`]),
  ];

  test('every validation the module emits refuses its bad value, naming the variable, the value and what is accepted', () => {
    expectRefusals(MODULE, REQUIRED, BAD, MORE_BAD, dirs);
  }, 300_000);

  test('a plan refuses query results given both ways, neither, or a managed-results key or folder that does not apply, with the model\'s words', () => {
    expectQueryResultsRefusals(MODULE, REQUIRED, dirs);
  }, 300_000);

  test('a plan refuses catalogs the other variables rule out: S3 Tables credentials vended outside LAKE_FORMATION, databases the default catalog\'s reads reach', () => {
    expectCatalogRefusals(MODULE, REQUIRED, dirs);
  }, 300_000);
});
