import { Annotations as CoreAnnotations, App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { DataplaneBaseRole, DataplaneIdentity } from '../../lib';
import { NAG_PACKS, unacknowledgedFindings } from '../support/nag';

const OIDC = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const TARGET = 'arn:aws:iam::444455556666:role/qualytics-athena-access';

/** One stack holding a base role for each identity, synthesized once for the whole file. */
const app = new App();
const stack = new Stack(app, 'Wiring', { env: { account: '111122223333', region: 'us-east-1' } });
const podIdentity = new DataplaneBaseRole(stack, 'PodIdentity', {
  identity: DataplaneIdentity.eksPodIdentity({ clusterName: 'dataplane', namespace: 'qualytics', createAssociation: true }),
  targetAccountIds: ['444455556666'],
  targetRoleNamePrefix: 'qualytics-athena-',
});
podIdentity.addDataplaneOutputs({ keyPrefix: 'PodIdentity' });
const irsa = new DataplaneBaseRole(stack, 'Irsa', {
  identity: DataplaneIdentity.irsa({ oidcProviderArn: OIDC, namespace: 'qualytics' }),
  targetAccountIds: ['444455556666'],
  targetRoleNamePrefix: 'qualytics-athena-',
});
irsa.addDataplaneOutputs({ keyPrefix: 'Irsa' });
const unassociated = new DataplaneBaseRole(stack, 'NoAssociation', {
  identity: DataplaneIdentity.eksPodIdentity({ clusterName: 'dataplane', namespace: 'qualytics', createAssociation: false }),
  targetAccountIds: ['444455556666'],
  targetRoleNamePrefix: 'qualytics-athena-',
});
const template = Template.fromStack(stack);

/** The value of the output with exactly this key (the prefix each base role's addDataplaneOutputs was given, and the name). */
function outputValue(key: string): unknown {
  return template.findOutputs('*')[key]?.Value;
}

describe('EKS Pod Identity wiring', () => {
  test('creates the association of the qualytics-spark service account with the base role', () => {
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: 'dataplane',
      Namespace: 'qualytics',
      ServiceAccount: 'qualytics-spark',
      RoleArn: { 'Fn::GetAtt': [stack.resolve((podIdentity.role.node.defaultChild as any).logicalId), 'Arn'] },
      DisableSessionTags: Match.absent(),
    });
    expect(podIdentity.podIdentityAssociation).toBeDefined();
  });

  test('creates no association with createAssociation: false, nor for IRSA', () => {
    expect(unassociated.podIdentityAssociation).toBeUndefined();
    expect(irsa.podIdentityAssociation).toBeUndefined();
  });

  test('the chart values carry no annotation: Pod Identity needs none', () => {
    expect(JSON.parse(stack.resolve(podIdentity.chartValues))).toEqual({ dataplane: { rbac: { serviceAccountAnnotations: {} } } });
    expect(outputValue('PodIdentityChartValues')).toBe('{"dataplane":{"rbac":{"serviceAccountAnnotations":{}}}}');
    expect(outputValue('PodIdentityPodIdentityAssociationArn')).toEqual({ 'Fn::GetAtt': [expect.any(String), 'AssociationArn'] });
    expect(outputValue('PodIdentityServiceAccountAnnotation')).toBeUndefined();
  });

  test('refuses createAssociation without the cluster name or namespace', () => {
    expect(() => DataplaneIdentity.eksPodIdentity({ clusterName: 'dataplane', createAssociation: true }))
      .toThrow(/Invalid createAssociation: true\. .*clusterName and namespace/);
    expect(() => DataplaneIdentity.eksPodIdentity({ namespace: 'qualytics', createAssociation: true }))
      .toThrow(/Invalid createAssociation/);
  });
});

describe('EKS Pod Identity association: created by default, a warning when there is none', () => {
  const NO_ASSOCIATION = 'qualytics-athena-iam:noPodIdentityAssociation';
  function baseRole(options: Parameters<typeof DataplaneIdentity.eksPodIdentity>[0]): { stack: Stack; role: DataplaneBaseRole } {
    const s = new Stack(new App(), 'Base', { env: { account: '111122223333', region: 'us-east-1' } });
    return { stack: s, role: new DataplaneBaseRole(s, 'BaseRole', { identity: DataplaneIdentity.eksPodIdentity(options), targetRoleArns: [TARGET] }) };
  }
  const warnings = (s: Stack) => Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp(NO_ASSOCIATION)).map((w) => w.entry.data);

  test('with clusterName and namespace the association is created and nothing warns', () => {
    const { stack: s, role } = baseRole({ clusterName: 'dataplane', namespace: 'qualytics' });
    expect(role.podIdentityAssociation).toBeDefined();
    Template.fromStack(s).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'dataplane', Namespace: 'qualytics', ServiceAccount: 'qualytics-spark' });
    expect(warnings(s)).toEqual([]);
  });

  test('createAssociation: false warns that the pods get no credentials, with the command that creates the association', () => {
    const { stack: s } = baseRole({ clusterName: 'dataplane', namespace: 'qualytics', createAssociation: false });
    Template.fromStack(s).resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    expect(warnings(s)).toEqual([expect.stringContaining(
      'No EKS Pod Identity association is created (createAssociation is false): the dataplane\'s pods (service account qualytics-spark) ' +
      'get no credentials for the base role until one exists. Pass clusterName and namespace to DataplaneIdentity.eksPodIdentity() ' +
      'to create it here, or create it yourself: aws eks create-pod-identity-association --cluster-name dataplane --namespace qualytics ' +
      '--service-account qualytics-spark --role-arn <base role ARN>')]);
  });

  test('without clusterName (or namespace) the warning says which is missing', () => {
    expect(warnings(baseRole({ namespace: 'qualytics' }).stack)).toEqual([expect.stringContaining('(clusterName not given)')]);
    expect(warnings(baseRole({}).stack)).toEqual([expect.stringContaining('(clusterName and namespace not given)')]);
    expect(warnings(baseRole({}).stack)[0]).toContain('--cluster-name <cluster> --namespace <namespace>');
  });

  test('without session tags the command disables them on the association too', () => {
    const { stack: s } = baseRole({ clusterName: 'dataplane', namespace: 'qualytics', createAssociation: false, sessionTags: false });
    expect(warnings(s)).toEqual([expect.stringContaining('--role-arn <base role ARN> --disable-session-tags [ack:')]);
  });

  test('the warning can be acknowledged where another tool creates the association', () => {
    const { stack: s } = baseRole({ clusterName: 'dataplane', namespace: 'qualytics', createAssociation: false });
    CoreAnnotations.of(s).acknowledgeWarning(NO_ASSOCIATION, 'the cluster\'s GitOps repository creates the association');
    expect(warnings(s)).toEqual([]);
  });

  test('IRSA and instance roles get no such warning', () => {
    const s = new Stack(new App(), 'Other');
    new DataplaneBaseRole(s, 'Irsa', { identity: DataplaneIdentity.irsa({ oidcProviderArn: OIDC, namespace: 'qualytics' }), targetRoleArns: [TARGET] });
    new DataplaneBaseRole(s, 'Ec2', { identity: DataplaneIdentity.ec2Instance(), targetRoleArns: [TARGET] });
    expect(warnings(s)).toEqual([]);
  });
});

describe('IRSA wiring', () => {
  test('outputs the eks.amazonaws.com/role-arn annotation and the chart values holding it', () => {
    const roleArn = { 'Fn::GetAtt': [stack.resolve((irsa.role.node.defaultChild as any).logicalId), 'Arn'] };
    expect(outputValue('IrsaServiceAccountAnnotation')).toEqual({ 'Fn::Join': ['', ['eks.amazonaws.com/role-arn: ', roleArn]] });
    expect(outputValue('IrsaChartValues')).toEqual({
      'Fn::Join': ['', ['{"dataplane":{"rbac":{"serviceAccountAnnotations":{"eks.amazonaws.com/role-arn":"', roleArn, '"}}}}']],
    });
    expect(outputValue('IrsaBaseRoleArn')).toEqual(roleArn);
  });
});

describe('cdk-nag', () => {
  test.each(NAG_PACKS)('%s finds nothing unacknowledged', (_name, pack) => {
    expect(unacknowledgedFindings(pack(), stack)).toEqual([]);
  });
});
