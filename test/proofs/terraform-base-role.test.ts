import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DataplaneBaseRole, DataplaneIdentity } from '../../lib';
import { FORMAT_RULES } from '../../lib/model/format-rules';
import { unnarrowedTargetAccounts } from '../../lib/model/identity-props';
import { render } from '../support/render';
import {
  checkStatuses, countBy, normalized, ok, plannedResources, readmeSection, refusals, REGION, ROOT, rootConfig, shownValue, terraform,
  validationsByVariable, writeRoot,
} from '../support/terraform';

/**
 * The Terraform module of the dataplane's base role (terraform/modules/dataplane-base-role), generated from the
 * model (test/proofs/terraform.test.ts checks that the checked-in files are what the generator writes): Terraform validates the module, a plan (fake
 * credentials, no network) gives the role the trust and policy DataplaneBaseRole synthesizes for the same inputs,
 * for EKS Pod Identity and for IRSA, and every validation the module emits refuses a bad value with its message.
 */
const MODULE = path.join(ROOT, 'terraform', 'modules', 'dataplane-base-role');
const ACCOUNT = '111122223333';
const TARGETS = ['arn:aws:iam::444455556666:role/qualytics/acme-athena', 'arn:aws:iam::777788889999:role/acme-athena-2'];
const OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;

const statements = (document: any) => (render(document).Statement as Array<Record<string, unknown>>).map(normalized);

describe('the Terraform module of the dataplane base role', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  test('terraform validate accepts the module', () => {
    const dir = rootConfig(MODULE, { target_role_arns: TARGETS });
    dirs.push(dir);
    expect(ok(dir, ['validate', '-no-color'])).toContain('The configuration is valid');
  }, 120_000);

  const identities: Array<[string, Record<string, unknown>, DataplaneIdentity, string[]]> = [
    ['EKS Pod Identity', { identity: 'eks-pod-identity', cluster_name: 'acme-eks', namespace: 'qualytics' },
      DataplaneIdentity.eksPodIdentity({ clusterName: 'acme-eks', namespace: 'qualytics' }), ['aws_eks_pod_identity_association', 'aws_iam_policy', 'aws_iam_role', 'aws_iam_role_policy_attachment']],
    ['IRSA', { identity: 'irsa', oidc_provider_arn: OIDC, namespace: 'qualytics', service_account: 'spark' },
      DataplaneIdentity.irsa({ oidcProviderArn: OIDC, namespace: 'qualytics', serviceAccount: 'spark' }), ['aws_iam_policy', 'aws_iam_role', 'aws_iam_role_policy_attachment']],
  ];

  test.each(identities)('with %s, a plan gives the role the trust and policy DataplaneBaseRole synthesizes', (_name, inputs, identity, types) => {
    const dir = rootConfig(MODULE, { role_name: 'acme-base', path: '/qualytics/', target_role_arns: TARGETS, ...inputs });
    dirs.push(dir);
    const resources = plannedResources(dir);
    expect(resources.map((r) => r.type).sort()).toEqual(types);
    const role = resources.find((r) => r.type === 'aws_iam_role')!.values;
    const policy = resources.find((r) => r.type === 'aws_iam_policy')!.values;

    const stack = new Stack(new App(), 'Base', { env: { account: ACCOUNT, region: REGION } });
    new DataplaneBaseRole(stack, 'Base', { identity, targetRoleArns: TARGETS, roleName: 'acme-base', path: '/qualytics/' });
    const template = Template.fromStack(stack);
    const cfnRole = Object.values(template.findResources('AWS::IAM::Role'))[0].Properties;
    const cfnPolicy = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))[0].Properties;
    expect(statements(JSON.parse(role.assume_role_policy))).toEqual(statements(cfnRole.AssumeRolePolicyDocument));
    expect(statements(JSON.parse(policy.policy))).toEqual(statements(cfnPolicy.PolicyDocument));
    expect({ name: role.name, path: role.path, description: role.description })
      .toEqual({ name: cfnRole.RoleName, path: cfnRole.Path, description: cfnRole.Description });
    const association = resources.find((r) => r.type === 'aws_eks_pod_identity_association')?.values;
    const cfnAssociation = Object.values(template.findResources('AWS::EKS::PodIdentityAssociation'))[0]?.Properties;
    expect(association && { cluster: association.cluster_name, namespace: association.namespace, sa: association.service_account })
      .toEqual(cfnAssociation && { cluster: cfnAssociation.ClusterName, namespace: cfnAssociation.Namespace, sa: cfnAssociation.ServiceAccount });
  }, 180_000);

  /** Target accounts with a role name prefix or path: the ARN patterns the construct builds, with or without role ARNs. */
  test.each([
    ['accounts and a name prefix', { targetAccountIds: ['444455556666', '777788889999'], targetRoleNamePrefix: 'qualytics-' }],
    ['role ARNs, and accounts with a path and a prefix', { targetRoleArns: TARGETS, targetAccountIds: ['444455556666'], targetRolePath: '/qualytics/', targetRoleNamePrefix: 'athena-' }],
    ['accounts and a path only', { targetAccountIds: ['444455556666'], targetRolePath: '/qualytics/' }],
  ])('with %s, a plan gives the policy DataplaneBaseRole synthesizes', (_name, props: Record<string, any>) => {
    const inputs = {
      target_role_arns: props.targetRoleArns,
      target_account_ids: props.targetAccountIds,
      target_role_path: props.targetRolePath,
      target_role_name_prefix: props.targetRoleNamePrefix,
    };
    const dir = rootConfig(MODULE, Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined)));
    dirs.push(dir);
    const policy = plannedResources(dir).find((r) => r.type === 'aws_iam_policy')!.values;
    const stack = new Stack(new App(), 'Base', { env: { account: ACCOUNT, region: REGION } });
    new DataplaneBaseRole(stack, 'Base', { identity: DataplaneIdentity.eksPodIdentity(), ...props });
    const cfnPolicy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))[0].Properties;
    // The construct's partition is a token; the plan's is the provider's (aws in us-east-1).
    const synthesized = JSON.parse(JSON.stringify(statements(cfnPolicy.PolicyDocument)).replace(/\$\{AWS::Partition\}/g, 'aws'));
    expect(statements(JSON.parse(policy.policy))).toEqual(synthesized);
    expect(synthesized[0].Resource.filter((r: string) => r.endsWith('*')).length).toBe(props.targetAccountIds.length);
  }, 180_000);

  test('the README\'s example plans, and its table lists every input', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### The dataplane base role as a module'), readme.indexOf('### The Access Key user as a module'));
    const { plan, listed, variables } = readmeSection(section, MODULE, dirs);
    expect(plan).toContain('Plan: 4 to add');
    expect(listed).toEqual(variables);
  }, 120_000);

  /**
   * One bad value per validation the module emits, each refused by exactly that validation with the model's words.
   * The values are what AWS or Kubernetes refuse: IAM ARNs and names (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html,
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html), EKS cluster names
   * (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html), Kubernetes names
   * (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names), and
   * disable_session_tags, which the AWS provider adds in 6.2.0 only.
   */
  const BAD: Array<[string, unknown, string]> = [
    ['role_name', 'acme/base', FORMAT_RULES.roleName.accepted],
    ['path', 'qualytics/', FORMAT_RULES.iamPath.accepted],
    ['target_role_arns', [TARGETS[0], 'arn:aws:iam::444455556666:role/*'], FORMAT_RULES.roleArn.accepted],
    ['target_account_ids', ['444455556666', '4444-5555-6666'], FORMAT_RULES.accountId.accepted],
    ['target_role_name_prefix', 'qualytics/athena', FORMAT_RULES.roleNamePrefix.accepted],
    ['target_role_path', 'qualytics', FORMAT_RULES.iamPath.accepted],
    ['identity', 'ec2-instance', 'Give "eks-pod-identity" or "irsa".'],
    ['session_tags', false, 'The AWS provider 5.x cannot disable session tags'],
    ['cluster_name', '-acme', FORMAT_RULES.eksClusterName.accepted],
    ['namespace', 'Qualytics', FORMAT_RULES.kubernetesName.accepted],
    ['service_account', 'spark_sa', FORMAT_RULES.kubernetesName.accepted],
    ['oidc_provider_arn', `arn:aws:iam::${ACCOUNT}:role/oidc`, FORMAT_RULES.oidcProviderArn.accepted],
  ];

  test('every validation the module emits refuses its bad value, naming the variable, the value and what is accepted', () => {
    const expected = BAD.map(([name, value, accepted]) => `Invalid ${shownValue(name, value)}. ${accepted}`);
    expect(validationsByVariable(fs.readFileSync(path.join(MODULE, 'variables.tf'), 'utf8'))).toEqual(countBy(BAD.map(([name]) => name)));

    const dir = rootConfig(MODULE, { target_role_arns: TARGETS });
    dirs.push(dir);
    const shown = refusals(dir, MODULE, { target_role_arns: TARGETS }, BAD.map(([name, value], i) => [name, value, expected[i]]));
    expect(shown).toEqual(shown.map((r) => ({ ...r, refused: true })));
  }, 300_000);

  /**
   * The construct's noPodIdentityAssociation warning as a check block: pods get the role's credentials only through a
   * Pod Identity association (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html), so a plan
   * without one warns, with the command that creates it, and goes on.
   */
  test('a plan warns when no Pod Identity association is created, with the command that creates one, and only then', () => {
    const dir = rootConfig(MODULE, { target_role_arns: TARGETS });
    dirs.push(dir);
    const status = (inputs: Record<string, unknown>) => {
      writeRoot(dir, MODULE, { role_name: 'acme-base', target_role_arns: TARGETS, ...inputs });
      return checkStatuses(dir).no_pod_identity_association;
    };
    const command = (cluster: string, namespace: string) => `create it yourself: aws eks create-pod-identity-association --cluster-name ${cluster} `
      + `--namespace ${namespace} --service-account qualytics-spark --role-arn $(aws iam get-role --role-name acme-base --query Role.Arn --output text)`;
    expect(status({ cluster_name: 'acme-eks', namespace: 'qualytics', create_association: false })).toEqual({
      status: 'fail',
      messages: [
        expect.stringMatching(/^No EKS Pod Identity association is created \(create_association is false\): the dataplane's pods \(service account qualytics-spark\) get no credentials/),
      ],
    });
    expect(status({ cluster_name: 'acme-eks', namespace: 'qualytics', create_association: false }).messages[0]).toContain(command('acme-eks', 'qualytics'));
    expect(status({ namespace: 'qualytics' }).messages).toEqual([expect.stringContaining('(cluster_name not given)')]);
    expect(status({}).messages).toEqual([expect.stringContaining('(cluster_name and namespace not given)')]);
    expect(status({}).messages[0]).toContain(command('<cluster>', '<namespace>'));
    expect(status({ cluster_name: 'acme-eks', namespace: 'qualytics' })).toEqual({ status: 'pass', messages: [] });
    expect(status({ identity: 'irsa', oidc_provider_arn: OIDC, namespace: 'qualytics' })).toEqual({ status: 'pass', messages: [] });
  }, 240_000);

  test.each([
    ['IRSA without oidc_provider_arn', { identity: 'irsa', namespace: 'qualytics' }, 'With identity "irsa", give oidc_provider_arn and namespace.'],
    ['create_association without cluster_name', { create_association: true, namespace: 'qualytics' }, 'Creating the Pod Identity association needs both cluster_name and namespace.'],
    ['no target at all', { target_role_arns: [] },
      'Invalid target_role_arns. Give target_role_arns or target_account_ids (at least one of them not empty): the base role may assume no other role.'],
    ['target accounts that no prefix or path narrows', { target_account_ids: ['444455556666'], target_role_path: '/' },
      `Invalid target_account_ids. ${unnarrowedTargetAccounts({ accounts: 'target_account_ids', prefix: 'target_role_name_prefix', path: 'target_role_path' })}`],
    ['target accounts with an empty name prefix', { target_account_ids: ['444455556666'], target_role_name_prefix: '' }, FORMAT_RULES.roleNamePrefix.accepted],
  ])('a plan refuses %s', (_name, inputs: Record<string, unknown>, message) => {
    const dir = rootConfig(MODULE, { target_role_arns: TARGETS, ...inputs });
    dirs.push(dir);
    const run = terraform(dir, ['plan', '-no-color']);
    expect({ status: run.status, refused: run.stderr.replace(/\s+/g, ' ').includes(message) }).toEqual({ status: 1, refused: true });
  }, 120_000);
});
