import { CfnParameter } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DataplaneBaseRole, DataplaneBaseRoleProps, DataplaneIdentity, DataplaneIdentityKind } from '../lib';
import { managedPolicyStatements, render } from './support/render';
import { newStack } from './support/stacks';

const TARGET = 'arn:aws:iam::111122223333:role/qualytics-athena-access';
const OIDC = 'arn:aws:iam::315179787488:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789';
const ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789';

function synth(props: Partial<DataplaneBaseRoleProps> = {}, configure?: (role: DataplaneBaseRole) => void) {
  const stack = newStack();
  const base = new DataplaneBaseRole(stack, 'Base', { identity: DataplaneIdentity.eksPodIdentity(), targetRoleArns: [TARGET], ...props });
  configure?.(base);
  const template = Template.fromStack(stack);
  const role = Object.values(template.findResources('AWS::IAM::Role'))[0] as any;
  const trust = render(role.Properties.AssumeRolePolicyDocument.Statement);
  return { stack, base, template, role, trust, statements: managedPolicyStatements(template) };
}

describe('DataplaneBaseRole permissions', () => {
  test('its only permission is sts:AssumeRole on the named target roles (IRSA, no session tags)', () => {
    const { statements, role } = synth({ identity: DataplaneIdentity.irsa({ oidcProviderArn: OIDC, namespace: 'qualytics' }) });
    expect(statements).toEqual([[{ Sid: 'AssumeAthenaTargetRoles', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [TARGET] }]]);
    expect(role.Properties.Policies).toBeUndefined();
  });

  test('with EKS Pod Identity, sts:TagSession on exactly the roles it may assume, for the transitive session tags', () => {
    const { statements } = synth({}, (base) => base.grantAssume('arn:aws:iam::777788889999:role/other'));
    expect(statements).toEqual([[{
      Sid: 'AssumeAthenaTargetRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: [TARGET, 'arn:aws:iam::777788889999:role/other'],
    }]]);
  });

  test('with EKS Pod Identity and session tags disabled, sts:AssumeRole only', () => {
    const { statements, base } = synth({ identity: DataplaneIdentity.eksPodIdentity({ sessionTags: false }) });
    expect(base.identity.transitiveSessionTagKeys).toEqual([]);
    expect(statements[0][0].Action).toEqual(['sts:AssumeRole']);
  });

  test('target accounts allow only roles with the name prefix and path, never role/*', () => {
    const { statements } = synth({ targetRoleArns: undefined, targetAccountIds: ['111122223333', '444455556666'], targetRoleNamePrefix: 'qualytics-athena-', targetRolePath: '/qualytics/' });
    expect(statements[0][0].Resource).toEqual([
      'arn:${AWS::Partition}:iam::111122223333:role/qualytics/qualytics-athena-*',
      'arn:${AWS::Partition}:iam::444455556666:role/qualytics/qualytics-athena-*',
    ]);
  });

  test('grantAssume adds one more target role', () => {
    const { statements } = synth({}, (base) => base.grantAssume('arn:aws:iam::777788889999:role/other'));
    expect(statements[0][0].Resource).toEqual([TARGET, 'arn:aws:iam::777788889999:role/other']);
  });

  test('fails synth when it may assume no role at all', () => {
    expect(() => synth({ targetRoleArns: [] })).toThrow(/the base role may assume no target role: set targetRoleArns or targetAccountIds, or call grantAssume\(\)/);
  });

  test('fails synth when the AssumeRole policy outgrows IAM\'s limit', () => {
    const many = Array.from({ length: 200 }, (_, i) => `arn:aws:iam::111122223333:role/qualytics-athena-connection-${i}`);
    expect(() => synth({ targetRoleArns: many })).toThrow(/managed policy is \d+ characters, over IAM's limit of 6144 by \d+; use targetAccountIds with a role name prefix/);
  });

  test('takes its name, path and permissions boundary', () => {
    const stack = newStack();
    const boundary = iam.ManagedPolicy.fromManagedPolicyName(stack, 'Boundary', 'dataplane-boundary');
    new DataplaneBaseRole(stack, 'Base', { identity: DataplaneIdentity.ec2Instance(), targetRoleArns: [TARGET], roleName: 'acme-dataplane-role', path: '/qualytics/', permissionsBoundary: boundary });
    const role = render(Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0]) as any;
    expect(role.Properties).toMatchObject({
      RoleName: 'acme-dataplane-role',
      Path: '/qualytics/',
      PermissionsBoundary: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/dataplane-boundary',
    });
  });
});

describe('DataplaneIdentity trust', () => {
  test('EKS Pod Identity: the pods service with AssumeRole and TagSession, limited to the dataplane service account', () => {
    const { trust, base } = synth();
    expect(base.identity.kind).toBe(DataplaneIdentityKind.EKS_POD_IDENTITY);
    expect(trust).toEqual([{
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Condition: { StringEquals: { 'aws:RequestTag/kubernetes-service-account': 'qualytics-spark' } },
    }]);
  });

  test('EKS Pod Identity with namespace and cluster: all three session tags must match', () => {
    const { trust } = synth({ identity: DataplaneIdentity.eksPodIdentity({ namespace: 'qualytics', clusterName: 'prod', serviceAccount: 'spark' }) });
    expect(trust[0].Condition).toEqual({
      StringEquals: {
        'aws:RequestTag/kubernetes-service-account': 'spark',
        'aws:RequestTag/kubernetes-namespace': 'qualytics',
        'aws:RequestTag/eks-cluster-name': 'prod',
      },
    });
  });

  test('EKS Pod Identity without session tags: the documented actions, limited by source account and the cluster\'s associations', () => {
    const stack = newStack({ env: { account: '111122223333', region: 'eu-west-1' } });
    const base = new DataplaneBaseRole(stack, 'Base', {
      identity: DataplaneIdentity.eksPodIdentity({ namespace: 'qualytics', clusterName: 'prod', createAssociation: true, sessionTags: false }),
      targetRoleArns: [TARGET],
    });
    const template = Template.fromStack(stack);
    const role = Object.values(template.findResources('AWS::IAM::Role'))[0] as any;
    expect(render(role.Properties.AssumeRolePolicyDocument.Statement)).toEqual([{
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111122223333' },
        ArnLike: { 'aws:SourceArn': 'arn:${AWS::Partition}:eks:eu-west-1:111122223333:podidentityassociation/prod/*' },
      },
    }]);
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).not.toContain('aws:RequestTag');
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'prod', Namespace: 'qualytics', DisableSessionTags: true });
    expect(base.identity.transitiveSessionTagKeys).toEqual([]);
  });

  test('EKS Pod Identity without session tags and without a cluster name: the source account only', () => {
    const { trust } = synth({ identity: DataplaneIdentity.eksPodIdentity({ sessionTags: false }) });
    expect(trust[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '${AWS::AccountId}' } });
  });

  test('EKS Pod Identity with session tags: the association keeps them, and the identity names the six transitive keys', () => {
    const stack = newStack();
    const base = new DataplaneBaseRole(stack, 'Base', {
      identity: DataplaneIdentity.eksPodIdentity({ namespace: 'qualytics', clusterName: 'prod', createAssociation: true }),
      targetRoleArns: [TARGET],
    });
    const association = Object.values(Template.fromStack(stack).findResources('AWS::EKS::PodIdentityAssociation'))[0] as any;
    expect(association.Properties.DisableSessionTags).toBeUndefined();
    expect(base.identity.transitiveSessionTagKeys).toEqual([
      'eks-cluster-arn', 'eks-cluster-name', 'kubernetes-namespace', 'kubernetes-service-account', 'kubernetes-pod-name', 'kubernetes-pod-uid',
    ]);
  });

  test('IRSA: web identity from the cluster issuer, for the dataplane service account and the STS audience', () => {
    const { trust, base } = synth({ identity: DataplaneIdentity.irsa({ oidcProviderArn: OIDC, namespace: 'qualytics' }) });
    expect(base.identity.kind).toBe(DataplaneIdentityKind.IRSA);
    expect(trust).toEqual([{
      Action: 'sts:AssumeRoleWithWebIdentity',
      Effect: 'Allow',
      Principal: { Federated: OIDC },
      Condition: { StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:qualytics:qualytics-spark', [`${ISSUER}:aud`]: 'sts.amazonaws.com' } },
    }]);
  });

  test('IRSA with a provider ARN known only at deploy time derives the issuer in CloudFormation', () => {
    const stack = newStack();
    const provider = new CfnParameter(stack, 'OidcProviderArn');
    new DataplaneBaseRole(stack, 'Base', {
      identity: DataplaneIdentity.irsa({ oidcProviderArn: provider.valueAsString, namespace: 'qualytics', serviceAccount: 'spark' }),
      targetRoleArns: [TARGET],
    });
    const template = Template.fromStack(stack);
    const json = Object.values(template.findResources('AWS::CloudFormation::CustomResource')).concat(
      Object.values(template.findResources('Custom::AWSCDKCfnJson')));
    expect(JSON.stringify(json)).toContain('system:serviceaccount:qualytics:spark');
    expect(JSON.stringify(json)).toContain(':oidc-provider/');
    const role = Object.values(template.findResources('AWS::IAM::Role')).find((r: any) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated) as any;
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({ Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: { Ref: 'OidcProviderArn' } } });
  });

  test('EC2 instance role and any other principal', () => {
    expect(synth({ identity: DataplaneIdentity.ec2Instance() }).trust[0]).toMatchObject({ Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } });
    const custom = synth({ identity: DataplaneIdentity.fromPrincipal(new iam.ArnPrincipal('arn:aws:iam::315179787488:role/node')) });
    expect(custom.base.identity.kind).toBe(DataplaneIdentityKind.CUSTOM);
    expect(custom.trust[0]).toMatchObject({ Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::315179787488:role/node' } });
  });
});

describe('DataplaneIdentity: Kubernetes and EKS names', () => {
  test.each([
    [() => DataplaneIdentity.eksPodIdentity({ clusterName: '-starts-with-dash' }), 'Invalid clusterName: "-starts-with-dash". An EKS cluster name is 1 to 100'],
    [() => DataplaneIdentity.eksPodIdentity({ clusterName: 'x'.repeat(101) }), 'Invalid clusterName:'],
    [() => DataplaneIdentity.eksPodIdentity({ namespace: 'Qualytics' }), 'Invalid namespace: "Qualytics". A Kubernetes name is 1 to 253'],
    [() => DataplaneIdentity.eksPodIdentity({ serviceAccount: 'spark_sa' }), 'Invalid serviceAccount: "spark_sa". A Kubernetes name'],
    [() => DataplaneIdentity.irsa({ oidcProviderArn: OIDC, namespace: 'ends-with-dot.' }), 'Invalid namespace: "ends-with-dot."'],
    [() => DataplaneIdentity.irsa({ oidcProviderArn: OIDC, namespace: 'qualytics', serviceAccount: 'x'.repeat(254) }), 'Invalid serviceAccount:'],
  ])('refuses a bad name (%#)', (make, message) => {
    expect(make).toThrow(message);
  });

  test('accepts names known only at deploy time', () => {
    const stack = newStack();
    const name = new CfnParameter(stack, 'Namespace').valueAsString;
    expect(() => DataplaneIdentity.eksPodIdentity({ clusterName: new CfnParameter(stack, 'Cluster').valueAsString, namespace: name })).not.toThrow();
  });
});
