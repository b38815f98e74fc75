import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AccessKeyStack } from '../../examples/access-key-stack';
import { AthenaAccessKeyUser, AthenaTargetRole } from '../../lib';
import { NAG_PACKS, unacknowledgedFindings } from '../support/nag';
import { newStack } from '../support/stacks';

const app = new App();
const example = new AccessKeyStack(app, 'AccessKey', { env: { account: '111122223333', region: 'us-east-1' } });
const template = Template.fromStack(example);

const ref = (construct: { node: { defaultChild?: unknown } }) =>
  ({ Ref: example.resolve((construct.node.defaultChild as { logicalId: string }).logicalId) });

describe('AthenaAccessKeyUser example', () => {
  const user = example.accessKeyUser;

  test('the user gets its permissions only through its group', () => {
    template.hasResourceProperties('AWS::IAM::User', {
      UserName: 'qualytics-athena',
      Path: '/qualytics/',
      Groups: [ref(user.group)],
      ManagedPolicyArns: Match.absent(),
      Policies: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::Group', {
      ManagedPolicyArns: user.queryPolicy.managedPolicies.map((p) => ({ Ref: example.resolve((p.node.defaultChild as any).logicalId) })),
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('the group holds exactly the AthenaQueryPolicy statements', () => {
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement.map((s: any) => s.Sid));
    expect(statements).toEqual(user.queryPolicy._statements.map((s) => s.sid));
  });

  test('the access key secret goes only into a KMS-encrypted secret, never into an output or parameter', () => {
    const accessKeyId = Object.keys(template.findResources('AWS::IAM::AccessKey'))[0];
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
      SecretString: {
        'Fn::Join': ['', ['{"accessKeyId":"', { Ref: accessKeyId }, '","secretAccessKey":"', { 'Fn::GetAtt': [accessKeyId, 'SecretAccessKey'] }, '"}']],
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const json = JSON.stringify({ outputs: template.toJSON().Outputs, parameters: template.toJSON().Parameters ?? {} });
    expect(json).not.toContain('SecretAccessKey');
    expect(Object.keys(template.toJSON().Outputs)).toEqual(['SecretArn', 'UserName', 'Host', 'WorkGroup', 'OutputLocation']);
    template.hasOutput('*', { Value: { 'Fn::Join': ['', ['athena.us-east-1.', { Ref: 'AWS::URLSuffix' }]] } });
    template.hasOutput('*', { Value: 's3://acme-athena-results/qualytics/' });
  });

  test.each(NAG_PACKS)('cdk-nag %s finds nothing unacknowledged', (_name, pack) => {
    expect(unacknowledgedFindings(pack(), example)).toEqual([]);
  });

  test('beside a target role in one stack, the shared keys (Host, WorkGroup, OutputLocation) need a key prefix', () => {
    const stack = new Stack(new App(), 'Both');
    const props = { resultsBucketName: 'acme-athena-results' };
    new AthenaTargetRole(stack, 'Role', { ...props, trustedRoleArn: 'arn:aws:iam::111122223333:role/base' }).addConnectionOutputs();
    const keyUser = new AthenaAccessKeyUser(stack, 'User', props);
    expect(() => keyUser.addConnectionOutputs()).toThrow(/Both\/User: addConnectionOutputs cannot add output Host: stack Both already has an output with that key \(Both\/Role\/Host\)/);
    keyUser.addConnectionOutputs({ keyPrefix: 'AccessKey' });
    expect(Object.keys(Template.fromStack(stack).toJSON().Outputs)).toEqual([
      'RoleArn', 'Host', 'WorkGroup', 'OutputLocation',
      'AccessKeySecretArn', 'AccessKeyUserName', 'AccessKeyHost', 'AccessKeyWorkGroup', 'AccessKeyOutputLocation',
    ]);
  });
});

describe('rotation and options', () => {
  test('two versions keep two keys, each with its own secret; the newest is current', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'CustomerKey', { enableKeyRotation: true });
    const user = new AthenaAccessKeyUser(stack, 'User', {
      resultsBucketName: 'results-bucket', accessKeyVersions: [1, 2], encryptionKey: key,
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::AccessKey', 2);
    t.resourceCountIs('AWS::SecretsManager::Secret', 2);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.allResourcesProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [stack.resolve((key.node.defaultChild as any).logicalId), 'Arn'] } });
    expect(user.secrets).toHaveLength(2);
    expect(user.currentSecret).toBe(user.secrets[1]);
    expect(user.currentSecret.node.id).toBe('AccessKeyV2Secret');
  });

  test('guardrails are on by default (static keys need them most) and off when set to false', () => {
    const stack = newStack();
    const denies = (user: AthenaAccessKeyUser) => user.queryPolicy._statements.filter((s) => s.effect === 'Deny').map((s) => s.sid);
    const guarded = new AthenaAccessKeyUser(stack, 'Guarded', { resultsBucketName: 'results-bucket' });
    const unguarded = new AthenaAccessKeyUser(stack, 'Unguarded', { resultsBucketName: 'results-bucket', guardrails: false });
    expect(denies(guarded)).toEqual(expect.arrayContaining(['GuardrailDenyS3Writes', 'GuardrailDenyGlueWrites', 'GuardrailDenyLakeFormationWrites']));
    expect(denies(unguarded)).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'GuardrailDenyAthenaWrites', Effect: 'Deny', Resource: '*' })]) },
    });
  });

  test.each([
    [{ accessKeyVersions: [] }, /Invalid accessKeyVersions: \[\]\. Give one or two/],
    [{ accessKeyVersions: [1, 2, 3] }, /Invalid accessKeyVersions: \[1,2,3\]/],
    [{ accessKeyVersions: [2, 2] }, /Invalid accessKeyVersions: \[2,2\]/],
    [{ accessKeyVersions: [0] }, /Invalid accessKeyVersions: \[0\]/],
    [{ userName: 'has space' }, /Invalid userName: "has space"\. An IAM user name/],
    [{ userName: 'x'.repeat(65) }, /Invalid userName: "x{65}"\. An IAM user name is 1 to 64/],
    [{ path: 'no-slashes' }, /Invalid path: "no-slashes"/],
    [{ resultsBucketName: 'Bad_Bucket' }, /Invalid resultsBucketName: "Bad_Bucket"/],
  ])('refuses %j and leaves nothing behind', (bad, message) => {
    const stack = newStack();
    expect(() => new AthenaAccessKeyUser(stack, 'User', { resultsBucketName: 'results-bucket', ...bad })).toThrow(message);
    expect(stack.node.tryFindChild('User')).toBeUndefined();
  });
});
