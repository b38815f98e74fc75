import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DataplaneBaseRole, DataplaneIdentity } from '../../lib';
import { NAG_PACKS, unacknowledgedFindings } from '../support/nag';

const OIDC = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

/** One stack holding a base role for each identity, synthesized once for the whole file. */
const app = new App();
const stack = new Stack(app, 'Wiring', { env: { account: '111122223333', region: 'us-east-1' } });
const podIdentity = new DataplaneBaseRole(stack, 'PodIdentity', {
  identity: DataplaneIdentity.eksPodIdentity({ clusterName: 'dataplane', namespace: 'qualytics', createAssociation: true }),
  targetAccountIds: ['444455556666'],
  targetRoleNamePrefix: 'qualytics-athena-',
});
podIdentity.addDataplaneOutputs();
const irsa = new DataplaneBaseRole(stack, 'Irsa', {
  identity: DataplaneIdentity.irsa({ oidcProviderArn: OIDC, namespace: 'qualytics' }),
  targetAccountIds: ['444455556666'],
  targetRoleNamePrefix: 'qualytics-athena-',
});
irsa.addDataplaneOutputs();
const unassociated = new DataplaneBaseRole(stack, 'NoAssociation', {
  identity: DataplaneIdentity.eksPodIdentity({ clusterName: 'dataplane', namespace: 'qualytics' }),
  targetAccountIds: ['444455556666'],
  targetRoleNamePrefix: 'qualytics-athena-',
});
const template = Template.fromStack(stack);

function outputValue(id: string): unknown {
  const outputs = template.findOutputs('*');
  const key = Object.keys(outputs).find((k) => k.startsWith(id));
  return key === undefined ? undefined : outputs[key].Value;
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

  test('creates no association unless asked, so existing stacks do not change', () => {
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
