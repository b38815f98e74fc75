import { CfnParameter, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AthenaTargetRole, AthenaTargetRoleProps } from '../lib';
import { render } from './support/render';
import { newStack } from './support/stacks';

const BASE_ROLE = 'arn:aws:iam::315179787488:role/acme-dataplane-role';

function synth(props: Partial<AthenaTargetRoleProps> = {}) {
  const stack = newStack();
  const target = new AthenaTargetRole(stack, 'Target', { trustedRoleArn: BASE_ROLE, resultsBucketName: 'acme-results', ...props });
  const template = Template.fromStack(stack);
  const role = Object.values(template.findResources('AWS::IAM::Role'))[0] as any;
  return { stack, target, template, role, trust: role.Properties.AssumeRolePolicyDocument.Statement };
}

/** The trust statement that lets the base role carry EKS Pod Identity's six transitive session tags. */
const TAG_SESSION = {
  Action: 'sts:TagSession',
  Effect: 'Allow',
  Principal: { AWS: BASE_ROLE },
  Condition: {
    'ForAllValues:StringEquals': {
      'aws:TagKeys': ['eks-cluster-arn', 'eks-cluster-name', 'kubernetes-namespace', 'kubernetes-service-account', 'kubernetes-pod-name', 'kubernetes-pod-uid'],
    },
  },
};

describe('AthenaTargetRole trust', () => {
  test('with defaults: only the base role, sts:AssumeRole for qualytics-athena-* session names, sts:TagSession for Pod Identity\'s tags', () => {
    expect(synth().trust).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { AWS: BASE_ROLE },
      Condition: { StringLike: { 'sts:RoleSessionName': 'qualytics-athena-*' } },
    }, TAG_SESSION]);
  });

  test('with an External ID, an organization and a session name prefix: all must match; TagSession takes only the organization', () => {
    const { trust } = synth({ externalId: 'qualytics-7f3a9c', trustedOrganizationId: 'o-abc123def4', sessionNamePrefix: 'acme-' });
    expect(trust).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { AWS: BASE_ROLE },
      Condition: {
        StringEquals: { 'sts:ExternalId': 'qualytics-7f3a9c', 'aws:PrincipalOrgID': 'o-abc123def4' },
        StringLike: { 'sts:RoleSessionName': 'acme-*' },
      },
    }, { ...TAG_SESSION, Condition: { ...TAG_SESSION.Condition, StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } } }]);
  });

  test('allowPodIdentitySessionTags: false leaves the AssumeRole statement alone', () => {
    const { trust } = synth({ externalId: 'qualytics-7f3a9c', allowPodIdentitySessionTags: false });
    expect(trust).toEqual([expect.objectContaining({ Action: 'sts:AssumeRole' })]);
  });

  test('takes the base role ARN and External ID from CloudFormation parameters', () => {
    const stack = newStack();
    const arn = new CfnParameter(stack, 'BaseRoleArn', { maxLength: 166 });
    const externalId = new CfnParameter(stack, 'ExternalId', { maxLength: 1224 });
    new AthenaTargetRole(stack, 'Target', { trustedRoleArn: arn.valueAsString, externalId: externalId.valueAsString, resultsBucketName: 'acme-results' });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { AWS: { Ref: 'BaseRoleArn' } },
          Condition: Match.objectLike({ StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } }),
        }), Match.objectLike({ Action: 'sts:TagSession', Principal: { AWS: { Ref: 'BaseRoleArn' } } })],
      },
    });
  });

  test('fails synth when the trust policy could exceed IAM\'s 2,048 characters once parameters are filled in', () => {
    const stack = newStack();
    new AthenaTargetRole(stack, 'Target', {
      trustedRoleArn: new CfnParameter(stack, 'BaseRoleArn', { maxLength: 2048 }).valueAsString,
      externalId: new CfnParameter(stack, 'ExternalId', { maxLength: 1224 }).valueAsString,
      resultsBucketName: 'acme-results',
    });
    expect(() => Template.fromStack(stack)).toThrow(/trust policy is \d+ characters, over IAM's default limit of 2048 by \d+/);
  });
});

describe('AthenaTargetRole External ID warning', () => {
  const warning = /trustedRoleArn arn:aws:iam::315179787488:role\/acme-dataplane-role is in account 315179787488, not this stack's account 111122223333, and no externalId is set/;
  const warningsOf = (props: Partial<AthenaTargetRoleProps>, account = '111122223333') => {
    const stack = newStack({ env: { account, region: 'eu-west-1' } });
    new AthenaTargetRole(stack, 'Target', { trustedRoleArn: BASE_ROLE, resultsBucketName: 'acme-results', ...props });
    return Annotations.fromStack(stack);
  };

  test('warns at synth when the base role is in another account and no External ID is set', () => {
    warningsOf({}).hasWarning('/Test/Target', Match.stringLikeRegexp(warning.source));
  });

  test.each<[string, Partial<AthenaTargetRoleProps>, string]>([
    ['an External ID is set', { externalId: 'qualytics-7f3a9c' }, '111122223333'],
    ['the base role is in the same account', {}, '315179787488'],
  ])('does not warn when %s', (_, props, account) => {
    warningsOf(props, account).hasNoWarning('*', Match.stringLikeRegexp('no externalId is set'));
  });

  test('does not warn when the stack\'s account is known only at deploy time', () => {
    const stack = newStack();
    new AthenaTargetRole(stack, 'Target', { trustedRoleArn: BASE_ROLE, resultsBucketName: 'acme-results', workGroupNames: ['analytics'] });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('AthenaTargetRole role', () => {
  test('has a one-hour session by default, and the name, path and boundary it is given', () => {
    expect(synth().role.Properties).toMatchObject({ MaxSessionDuration: 3600, Description: 'Assumed by the Qualytics dataplane to query Amazon Athena' });
    const stack = newStack();
    const boundary = new iam.ManagedPolicy(stack, 'Boundary', { statements: [new iam.PolicyStatement({ actions: ['athena:*'], resources: ['*'] })] });
    new AthenaTargetRole(stack, 'Target', {
      trustedRoleArn: BASE_ROLE,
      resultsBucketName: 'acme-results',
      roleName: 'qualytics-athena-access',
      path: '/qualytics/',
      permissionsBoundary: boundary,
      maxSessionDuration: Duration.hours(2),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'qualytics-athena-access',
      Path: '/qualytics/',
      MaxSessionDuration: 7200,
      PermissionsBoundary: { Ref: Match.stringLikeRegexp('^Boundary') },
    });
  });

  test('has the query policy attached as managed policies and no inline policy', () => {
    const { role, target, stack } = synth({ glueDatabaseNames: ['sales'] });
    expect(role.Properties.Policies).toBeUndefined();
    const refs = target.queryPolicy.managedPolicies.map((p) => ({ Ref: stack.getLogicalId(p.node.defaultChild as iam.CfnManagedPolicy) }));
    expect(role.Properties.ManagedPolicyArns).toEqual(refs);
  });

  test('fails synth when more managed policies are attached than maxManagedPolicies', () => {
    const stack = newStack();
    const target = new AthenaTargetRole(stack, 'Target', { trustedRoleArn: BASE_ROLE, resultsBucketName: 'acme-results', maxManagedPolicies: 1 });
    target.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'));
    expect(() => Template.fromStack(stack)).toThrow(/role has 2 managed policies attached, over the 1 allowed \(maxManagedPolicies\)/);
  });

  test('creates nothing when its query props are rejected', () => {
    const stack = newStack();
    expect(() => new AthenaTargetRole(stack, 'Target', { trustedRoleArn: BASE_ROLE, resultsBucketName: 'Not_A_Bucket' })).toThrow(/resultsBucketName/);
    expect(stack.node.tryFindChild('Target')).toBeUndefined();
  });
});

describe('AthenaTargetRole connection settings', () => {
  test('gives what the connection form needs, and adds it as outputs', () => {
    const stack = newStack();
    const target = new AthenaTargetRole(stack, 'Target', {
      trustedRoleArn: BASE_ROLE, resultsBucketName: 'acme-results', externalId: 'qualytics-7f3a9c', workGroupNames: ['analytics'], resultsPrefix: 'results',
    });
    target.addConnectionOutputs();
    const roleArn = `\${${stack.getLogicalId(target.role.node.defaultChild as iam.CfnRole)}.Arn}`;
    expect(render(stack.resolve(target.connectionFormValues))).toEqual({
      host: 'athena.${AWS::Region}.${AWS::URLSuffix}',
      roleArn,
      externalId: 'qualytics-7f3a9c',
      workGroup: 'analytics',
      outputLocation: 's3://acme-results/results/',
    });
    const outputs = render(Template.fromStack(stack).toJSON().Outputs);
    expect(Object.fromEntries(Object.entries(outputs).map(([key, o]: [string, any]) => [key, o.Value]))).toEqual({
      RoleArn: roleArn,
      ExternalId: 'qualytics-7f3a9c',
      Host: 'athena.${AWS::Region}.${AWS::URLSuffix}',
      WorkGroup: 'analytics',
      OutputLocation: 's3://acme-results/results/',
    });
  });

  const targetProps = { trustedRoleArn: BASE_ROLE, resultsBucketName: 'acme-results' };

  test('a second set of connection outputs in one stack is refused, naming the key, the holder and the fix; nothing is added', () => {
    const stack = newStack();
    new AthenaTargetRole(stack, 'First', targetProps).addConnectionOutputs();
    const second = new AthenaTargetRole(stack, 'Second', targetProps);
    expect(() => second.addConnectionOutputs()).toThrow(
      'Test/Second: addConnectionOutputs cannot add output RoleArn: stack Test already has an output with that key (Test/First/RoleArn). ' +
      "Output keys are fixed; call addConnectionOutputs({ keyPrefix: '...' }) with a different prefix for each construct in the same stack.");
    expect(second.node.tryFindChild('Host')).toBeUndefined();
    expect(() => new AthenaTargetRole(stack, 'Third', targetProps).addConnectionOutputs()).toThrow(/cannot add output RoleArn/);
  });

  test('a key prefix tells two target roles apart', () => {
    const stack = newStack();
    new AthenaTargetRole(stack, 'First', targetProps).addConnectionOutputs();
    new AthenaTargetRole(stack, 'Second', { ...targetProps, externalId: 'qualytics-7f3a9c' }).addConnectionOutputs({ keyPrefix: 'Analytics' });
    expect(Object.keys(Template.fromStack(stack).toJSON().Outputs)).toEqual([
      'RoleArn', 'Host', 'WorkGroup', 'OutputLocation',
      'AnalyticsRoleArn', 'AnalyticsExternalId', 'AnalyticsHost', 'AnalyticsWorkGroup', 'AnalyticsOutputLocation',
    ]);
  });

  test.each(['', '1st', 'with-hyphen', 'a_b', 'x'.repeat(201)])('refuses the key prefix %j only when it is not a logical ID start', (keyPrefix) => {
    const target = new AthenaTargetRole(newStack(), 'Target', targetProps);
    if (keyPrefix === '') {
      target.addConnectionOutputs({ keyPrefix });
      return;
    }
    expect(() => target.addConnectionOutputs({ keyPrefix })).toThrow(
      `Invalid keyPrefix: ${JSON.stringify(keyPrefix)}. An output key prefix is 1 to 200 letters and digits, starting with a letter`);
    expect(target.node.tryFindChild(`${keyPrefix}RoleArn`)).toBeUndefined();
  });

  test('the host is the canonical endpoint of the stack\'s region and partition', () => {
    const stack = newStack({ env: { account: '111122223333', region: 'cn-north-1' } });
    const target = new AthenaTargetRole(stack, 'Target', { trustedRoleArn: 'arn:aws-cn:iam::111122223333:role/base', resultsBucketName: 'acme-results' });
    expect(render(stack.resolve(target.connectionFormValues.host))).toBe('athena.cn-north-1.${AWS::URLSuffix}');
  });
});
