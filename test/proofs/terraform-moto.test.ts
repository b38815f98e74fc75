import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { elements, iamQuery, readBackRole, ReadBackRole } from '../support/iam-readback';
import { Moto, startMoto } from '../support/moto';
import { decideAsRole, Decision, DeployedRole } from '../support/simulate';
import { targetRoleDecisions, TargetRoleInputs } from '../support/target-role-calls';
import { init, moduleArguments, moduleResources, ok, providerBlock, REGION, ROOT, rootConfig, terraform, terraformRole, writeRoot } from '../support/terraform';
import { listedGrants, plannedGrants } from '../support/terraform-lake-formation';

/**
 * The Terraform modules applied to an IAM API: moto_server (test/support/moto.ts) stands in for IAM and STS through
 * the provider's custom endpoints (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/guides/custom-service-endpoints),
 * `terraform apply` creates the roles, the roles are read back through IAM's Query API (test/support/iam-readback.ts)
 * and what IAM returns is what the plan said, decides the dataplane's requests as expected under a real policy
 * evaluator (test/support/simulate.ts), and `terraform destroy` removes. moto checks no permission: the decisions
 * come from the evaluator, moto only proves what the API stores. EKS Pod Identity associations are not applied:
 * moto has no EKS Pod Identity API. In access mode LAKE_FORMATION the grants go to moto's Lake Formation, and are read
 * back with ListPermissions.
 */
const TARGET_MODULE = path.join(ROOT, 'terraform', 'modules', 'athena-target-role');
const BASE_MODULE = path.join(ROOT, 'terraform', 'modules', 'dataplane-base-role');
const ACCOUNT = '111122223333';
/** The target role module as it was before its query policy could be split (the upgrade starts there). */
const OLD_COMMIT = '35d4fcd';

let moto: Moto;
const dirs: string[] = [];
beforeAll(async () => {
  moto = await startMoto({ accountId: ACCOUNT, loadManagedPolicies: true });
}, 180_000);
afterAll(() => {
  moto?.stop();
  dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});

const INPUTS: TargetRoleInputs = {
  trusted_role_arn: 'arn:aws:iam::315179787488:role/acme-dataplane-role',
  external_id: 'qualytics-7f3a9c2e',
  account_id: ACCOUNT,
  role_name: 'acme-athena',
  path: '/qualytics/',
  work_group_names: ['qualytics'],
  glue_database_names: ['sales', 'marketing_*'],
  results_bucket_name: 'acme-athena-results',
  results_prefix: 'athena/results',
  data_locations: [{ bucket_name: 'acme-lake', prefix: 'warehouse' }],
  kms_key_arns: [`arn:aws:kms:${REGION}:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`],
  trusted_organization_id: 'o-a1b2c3d4e5',
};

type Resources = ReturnType<typeof moduleResources>;
/** `terraform show -json` of a saved plan: planned values and resource changes. */
interface Change {
  address: string;
  previous_address?: string;
  type: string;
  mode: string;
  change: { actions: string[]; before: any; after: any };
}
function showPlan(dir: string, file: string): { planned: Resources; changes: Change[] } {
  const plan = JSON.parse(ok(dir, ['show', '-json', file]));
  return { planned: moduleResources(plan.planned_values), changes: plan.resource_changes ?? [] };
}
/** `terraform show -json` of the state: every managed resource of the module. */
const showState = (dir: string): Resources => moduleResources(JSON.parse(ok(dir, ['show', '-json'])).values).filter((r) => r.mode === 'managed');
const policyArns = (resources: Resources) => resources.filter((r) => r.type === 'aws_iam_policy').map((r) => r.values.arn as string).sort();
const documents = (resources: Resources, type: string) => resources.filter((r) => r.type === type).map((r) => JSON.parse(r.values.policy));
const sortedJson = (docs: any[]) => docs.map((d) => JSON.stringify(d)).sort();
/** The role as IAM returns it, as the evaluator reads a role. */
const deployedFrom = (read: ReadBackRole, name: string): DeployedRole => ({
  arn: read.arn,
  name,
  account: ACCOUNT,
  trustPolicy: read.trust,
  identityPolicies: [...Object.entries(read.attached), ...Object.entries(read.inline)].map(([policyName, policy]) => ({ name: policyName, policy })),
});

describe('the target role module applied to moto\'s IAM', () => {
  let dir: string;
  let planned: Resources;
  let state: Resources;
  let read: ReadBackRole;
  beforeAll(async () => {
    dir = rootConfig(TARGET_MODULE, { ...INPUTS }, moto.endpoint);
    dirs.push(dir);
    ok(dir, ['plan', '-no-color', '-out=plan.out']);
    planned = showPlan(dir, 'plan.out').planned;
    ok(dir, ['apply', '-no-color', 'plan.out']);
    state = showState(dir);
    read = await readBackRole(moto, INPUTS.role_name!);
  }, 300_000);

  test('IAM holds the trust and exactly the managed policies the plan said, and no inline policy', () => {
    const role = planned.find((r) => r.type === 'aws_iam_role')!.values;
    expect(read.trust).toEqual(JSON.parse(role.assume_role_policy));
    expect({ arn: read.arn, path: read.path }).toEqual({ arn: `arn:aws:iam::${ACCOUNT}:role/qualytics/acme-athena`, path: INPUTS.path });
    expect(Object.keys(read.attached).sort()).toEqual(policyArns(state));
    expect(sortedJson(Object.values(read.attached))).toEqual(sortedJson(documents(planned, 'aws_iam_policy')));
    expect(read.inline).toEqual(Object.fromEntries(planned.filter((r) => r.type === 'aws_iam_role_policy').map((r) => [r.values.name, JSON.parse(r.values.policy)])));
    expect(Object.keys(read.attached).length).toBeGreaterThanOrEqual(2);
  });

  test('the documents IAM returns decide the dataplane\'s requests as the plan\'s do, and as expected', async () => {
    const fromIam = await targetRoleDecisions(deployedFrom(read, INPUTS.role_name!), INPUTS);
    expect(fromIam).toEqual(await targetRoleDecisions(terraformRole(planned, ACCOUNT), INPUTS));
    const key = INPUTS.kms_key_arns![0];
    expect(fromIam).toEqual(expect.objectContaining<Record<string, Decision>>({
      'athena:StartQueryExecution on workgroup qualytics': 'Allowed',
      'athena:StartQueryExecution on workgroup zz-not-granted': 'ImplicitlyDenied',
      'glue:GetTable on sales.orders': 'Allowed',
      'glue:GetTable on marketing_q1.orders': 'Allowed',
      'glue:GetTable on zz_not_granted.orders': 'ImplicitlyDenied',
      's3:GetObject in acme-lake/warehouse': 'Allowed',
      's3:GetObject beside acme-lake/warehouse': 'ImplicitlyDenied',
      's3:PutObject in the results prefix': 'Allowed',
      's3:PutObject outside the results prefix': 'ExplicitlyDenied',
      [`kms:Decrypt on ${key} through S3`]: 'Allowed',
      [`kms:Decrypt on ${key} directly`]: 'ImplicitlyDenied',
      'admin: glue:DeleteTable': 'ExplicitlyDenied',
      'admin: s3:DeleteObject in the results prefix': 'ExplicitlyDenied',
      'admin: s3:GetObject anywhere (not a write)': 'Allowed',
      'AssumeRole with External ID, session name and organization': 'Allowed',
      'AssumeRole without External ID': 'ImplicitlyDenied',
      'AssumeRole with another session name': 'ImplicitlyDenied',
      'AssumeRole from another organization': 'ImplicitlyDenied',
    }));
  }, 120_000);

  test('a policy attached by hand shows as a change to the exclusive attachments (exit 2), and apply detaches it', async () => {
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    moto.aws('iam', 'attach-role-policy', '--role-name', INPUTS.role_name!, '--policy-arn', admin);
    const drift = terraform(dir, ['plan', '-no-color', '-detailed-exitcode', '-out=drift.out']);
    expect(drift.status).toBe(2);
    const changed = showPlan(dir, 'drift.out').changes.filter((c) => c.change.actions.join() !== 'no-op' && c.mode === 'managed');
    const detaches = (c: Change) => c.change.before.policy_arns.includes(admin) && !c.change.after.policy_arns.includes(admin);
    expect(changed.map((c) => ({ type: c.type, actions: c.change.actions, detaches: detaches(c) })))
      .toEqual([{ type: 'aws_iam_role_policy_attachments_exclusive', actions: ['update'], detaches: true }]);
    ok(dir, ['apply', '-no-color', 'drift.out']);
    expect(Object.keys((await readBackRole(moto, INPUTS.role_name!)).attached).sort()).toEqual(policyArns(state));
    expect(terraform(dir, ['plan', '-no-color', '-detailed-exitcode']).status).toBe(0);
  }, 300_000);

  /**
   * Destroying aws_iam_role_policy_attachments_exclusive "will not detach the configured policies"
   * (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/iam_role_policy_attachments_exclusive),
   * and IAM deletes no role that has policies attached (DeleteConflict, "You must detach all policies first":
   * https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html): each policy's own
   * aws_iam_role_policy_attachment detaches it first.
   */
  test('terraform destroy removes the role and its policies', async () => {
    ok(dir, ['destroy', '-no-color', '-auto-approve']);
    expect(moto.aws('iam', 'list-roles').Roles.map((r: any) => r.RoleName)).not.toContain(INPUTS.role_name);
    const left = moto.aws('iam', 'list-policies', '--scope', 'Local').Policies.map((p: any) => p.Arn);
    expect(policyArns(state).filter((arn) => left.includes(arn))).toEqual([]);
  }, 300_000);
});

/**
 * Access mode LAKE_FORMATION: `terraform apply` makes the grants in moto's Lake Formation, ListPermissions
 * (https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListPermissions.html) returns exactly the planned
 * grants for the role's ARN, and `terraform destroy` revokes them all. By database names only: moto's ListPermissions
 * filters no LF-Tag policy resource, so the provider would not find an LF-Tag grant it made (the plan test in
 * terraform.test.ts compares those with the construct's).
 */
describe('the target role module in access mode LAKE_FORMATION applied to moto\'s IAM and Lake Formation', () => {
  const inputs = { ...INPUTS, role_name: 'acme-athena-lf', access_mode: 'LAKE_FORMATION', glue_database_names: ['sales', 'marketing'], data_locations: [] };
  let dir: string;
  let planned: Resources;
  beforeAll(() => {
    dir = rootConfig(TARGET_MODULE, inputs, moto.endpoint);
    dirs.push(dir);
    ok(dir, ['plan', '-no-color', '-out=plan.out']);
    planned = showPlan(dir, 'plan.out').planned;
    ok(dir, ['apply', '-no-color', 'plan.out']);
  }, 300_000);

  test('Lake Formation holds exactly the planned grants, for the role, none with a grant option', () => {
    const roleArn = showState(dir).find((r) => r.type === 'aws_iam_role')!.values.arn;
    const expected = plannedGrants(planned).map(({ permissions, resource }) => ({ principal: roleArn, permissions, grantOption: [], resource }))
      .sort((a, b) => JSON.stringify(a.resource).localeCompare(JSON.stringify(b.resource)));
    expect(expected.length).toBe(5);
    expect(listedGrants(moto.aws('lakeformation', 'list-permissions'))).toEqual(expected);
  });

  /**
   * The provider's delete revokes, then revokes again until Lake Formation answers InvalidInputException "No
   * permissions revoked" (internal/service/lakeformation/permissions.go, https://github.com/hashicorp/terraform-provider-aws):
   * moto answers a revoke of what it no longer holds with success, so on moto each grant's delete revokes it and then
   * fails. The grants revoked, the test takes them out of the state, and the rest destroys.
   */
  test('terraform destroy revokes every grant, and removes the role', () => {
    const run = terraform(dir, ['destroy', '-no-color', '-auto-approve']);
    const errors = run.stderr.replace(/\s+/g, ' ').split('Error: ').slice(1);
    expect({ status: run.status, left: moto.aws('lakeformation', 'list-permissions').PrincipalResourcePermissions, errors: errors.map((e) => /empty retryable error/.test(e)) })
      .toEqual({ status: 1, left: [], errors: plannedGrants(planned).map(() => true) });
    ok(dir, ['state', 'rm', 'module.this.aws_lakeformation_permissions.database', 'module.this.aws_lakeformation_permissions.tables']);
    ok(dir, ['destroy', '-no-color', '-auto-approve']);
    expect(moto.aws('iam', 'list-roles').Roles.map((r: any) => r.RoleName)).not.toContain(inputs.role_name);
  }, 300_000);
});

describe('the base role module with IRSA applied to moto\'s IAM', () => {
  const issuer = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
  const targets = ['arn:aws:iam::444455556666:role/qualytics/acme-athena'];
  let dir: string;
  let read: ReadBackRole;
  let state: Resources;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-'));
    dirs.push(dir);
    // The cluster's OIDC provider, as EKS documents creating it (https://docs.aws.amazon.com/eks/latest/userguide/enable-iam-roles-for-service-accounts.html).
    fs.writeFileSync(path.join(dir, 'main.tf'), `${providerBlock(moto.endpoint)}
resource "aws_iam_openid_connect_provider" "eks" {
  url             = "https://${issuer}"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

module "this" {
  source            = ${JSON.stringify(BASE_MODULE)}
  oidc_provider_arn = aws_iam_openid_connect_provider.eks.arn
${moduleArguments({ identity: 'irsa', role_name: 'acme-base', namespace: 'qualytics', service_account: 'qualytics-spark', target_role_arns: targets })}
}
`);
    init(dir);
    ok(dir, ['apply', '-no-color', '-auto-approve']);
    state = showState(dir);
    read = await readBackRole(moto, 'acme-base');
  }, 300_000);

  test('IAM holds the trust naming the OIDC provider created with it, and the policy of the state, which allows assuming the target only', async () => {
    const role = state.find((r) => r.type === 'aws_iam_role')!.values;
    expect(read.trust).toEqual(JSON.parse(role.assume_role_policy));
    expect(sortedJson(Object.values(read.attached))).toEqual(sortedJson(documents(state, 'aws_iam_policy')));
    expect(read.inline).toEqual({});
    const providers = elements(await iamQuery(moto, 'ListOpenIDConnectProviders'), 'Arn');
    const base = deployedFrom(read, 'acme-base');
    // Across accounts the target's trust must allow the base role too: a trust naming it stands for the customer's.
    const assume = (resource: string) => decideAsRole(base, {
      action: 'sts:AssumeRole',
      resource,
      resourceAccount: '444455556666',
      resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: read.arn }, Action: 'sts:AssumeRole' }] },
    });
    expect({ providers, assumeTarget: await assume(targets[0]), assumeOther: await assume('arn:aws:iam::444455556666:role/other') })
      .toEqual({ providers: [`arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer}`], assumeTarget: 'Allowed', assumeOther: 'ImplicitlyDenied' });
    expect(read.trust.Statement.map((s: any) => ({ principal: s.Principal, condition: s.Condition })))
      .toEqual([{ principal: { Federated: providers[0] }, condition: { StringEquals: { [`${issuer}:sub`]: 'system:serviceaccount:qualytics:qualytics-spark', [`${issuer}:aud`]: 'sts.amazonaws.com' } } }]);
  }, 120_000);

  test('terraform destroy removes the role, its policy and the OIDC provider', async () => {
    ok(dir, ['destroy', '-no-color', '-auto-approve']);
    expect(moto.aws('iam', 'list-roles').Roles.map((r: any) => r.RoleName)).not.toContain('acme-base');
    expect(elements(await iamQuery(moto, 'ListOpenIDConnectProviders'), 'Arn')).toEqual([]);
    expect(policyArns(state).filter((arn) => moto.aws('iam', 'list-policies', '--scope', 'Local').Policies.some((p: any) => p.Arn === arn))).toEqual([]);
  }, 300_000);
});

/**
 * Upgrading the target role module over a state it created: the module as it was at OLD_COMMIT is applied, the
 * root then calls the current module and plans. The query policy may be split into several since: then the plan
 * must move the old policy (a `moved` block, https://developer.hashicorp.com/terraform/language/modules/develop/refactoring),
 * never destroy it, or the role loses its permissions between the destroy and the new attachment. So: no
 * aws_iam_policy is deleted, and every resource of the old state is kept at its address or moved from it.
 */
describe(`upgrading the target role module from ${OLD_COMMIT}`, () => {
  test('a plan over the old state deletes no policy and keeps or moves every resource', () => {
    const old = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-old-module-'));
    dirs.push(old);
    const files = execFileSync('git', ['ls-tree', '--name-only', `${OLD_COMMIT}:terraform/modules/athena-target-role`], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
    for (const file of files) {
      fs.writeFileSync(path.join(old, file), execFileSync('git', ['show', `${OLD_COMMIT}:terraform/modules/athena-target-role/${file}`], { cwd: ROOT, encoding: 'utf8' }));
    }
    const inputs = { ...INPUTS, role_name: 'acme-athena-upgrade' };
    const dir = rootConfig(old, inputs, moto.endpoint);
    dirs.push(dir);
    ok(dir, ['apply', '-no-color', '-auto-approve']);
    const before = showState(dir);

    writeRoot(dir, TARGET_MODULE, inputs, moto.endpoint);
    init(dir);
    ok(dir, ['plan', '-no-color', '-out=upgrade.out']);
    const changes = showPlan(dir, 'upgrade.out').changes.filter((c) => c.mode === 'managed');
    const deletedPolicies = changes.filter((c) => c.type === 'aws_iam_policy' && c.change.actions.includes('delete')).map((c) => c.address);
    const fate = (address: string) => {
      const change = changes.find((c) => c.address === address || c.previous_address === address);
      if (!change) return 'gone';
      if (change.change.actions.includes('delete')) return `replaced (${change.change.actions.join('+')})`;
      return change.address === address ? 'kept' : 'moved';
    };
    const addresses = before.map((r) => r.address);
    expect({ deletedPolicies, fates: addresses.map((a) => [a, fate(a)]) })
      .toEqual({ deletedPolicies: [], fates: addresses.map((a) => [a, expect.stringMatching(/^(kept|moved)$/)]) });
    expect(addresses.filter((a) => a.includes('aws_iam_policy.')).length).toBeGreaterThanOrEqual(2);
    ok(dir, ['apply', '-no-color', 'upgrade.out']);
  }, 600_000);
});
