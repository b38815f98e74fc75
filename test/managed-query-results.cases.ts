/**
 * Managed query results: the workgroup keeps each query's results itself, for 24 hours, encrypted with an AWS
 * owned key or a customer managed key; the driver reads them with GetQueryResults and GetQueryResultsStream on
 * the workgroup, and sends no output location.
 * https://docs.aws.amazon.com/athena/latest/ug/managed-results.html
 * https://docs.aws.amazon.com/athena/latest/ug/encrypting-managed-results.html
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_ManagedQueryResultsConfiguration.html
 */
import { App, CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AthenaAccessKeyUser, AthenaQueryPolicy, AthenaQueryPolicyProps, AthenaTargetRole } from '../lib';
import { statementsBySid } from './support/render';
import { newStack } from './support/stacks';
import { DeployTimeItem } from '../lib/constructs/cdk/deploy-time-tokens';
import { withDeployTimeConditions } from '../lib/model/deploy-time';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const BASE_ROLE = 'arn:aws:iam::315179787488:role/acme-dataplane-role';
const workGroup = (name: string) => `arn:\${AWS::Partition}:athena:\${AWS::Region}:\${AWS::AccountId}:workgroup/${name}`;

function synth(props: AthenaQueryPolicyProps, stack: Stack = newStack()) {
  const policy = new AthenaQueryPolicy(stack, 'Query', props);
  return { stack, policy, template: Template.fromStack(stack) };
}

describe('AthenaQueryPolicy with managed query results', () => {
  const plain = synth({ managedQueryResults: true, guardrails: true });
  const keyed = synth({ managedQueryResults: true, managedQueryResultsKmsKeyArn: KEY, workGroupNames: ['analytics'], guardrails: true });
  const withBucket = synth({ resultsBucketName: 'acme-results', guardrails: true });

  test('has no S3 results statement, and reads results through Athena on the workgroup', () => {
    const statements = statementsBySid(plain.template);
    expect(Object.keys(statements).filter((sid) => sid.startsWith('QueryResults'))).toEqual([]);
    expect(Object.values(statements).filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action).filter((a) => a.startsWith('s3:'))).toEqual([]);
    expect(statements.AthenaQueryExecution.Action).toEqual(expect.arrayContaining(['athena:GetQueryResults', 'athena:GetQueryResultsStream']));
    expect(statements.AthenaQueryExecution.Resource).toEqual([workGroup('primary')]);
  });

  test('without a customer managed key, grants no KMS action', () => {
    const actions = Object.values(statementsBySid(plain.template)).flatMap((s) => s.Action);
    expect(actions.filter((a) => a.startsWith('kms:'))).toEqual([]);
  });

  test('with a customer managed key, grants exactly Decrypt, GenerateDataKey and DescribeKey on that key, only through Athena', () => {
    const statements = statementsBySid(keyed.template);
    expect(statements.ManagedQueryResultsKey).toEqual({
      Sid: 'ManagedQueryResultsKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: [KEY],
      Condition: { StringEquals: { 'kms:ViaService': 'athena.${AWS::Region}.${AWS::URLSuffix}' } },
    });
    expect(statements.KmsThroughAthenaGlueS3).toBeUndefined();
  });

  test('denies S3 uploads everywhere: no results exception is left in the guardrails', () => {
    const statements = statementsBySid(plain.template);
    expect(statements.GuardrailDenyS3WritesOutsideResults).toBeUndefined();
    expect(statements.GuardrailDenyS3Uploads).toEqual({
      Sid: 'GuardrailDenyS3Uploads', Effect: 'Deny', Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Resource: ['*'],
    });
    // With a results bucket, the uploads stay open under its prefix and no blanket upload deny exists.
    const s3Results = statementsBySid(withBucket.template);
    expect(s3Results.GuardrailDenyS3Uploads).toBeUndefined();
    expect(s3Results.GuardrailDenyS3WritesOutsideResults).toBeDefined();
  });

  test('has no output location', () => {
    expect(plain.policy.outputLocation).toBeUndefined();
    expect(keyed.policy.outputLocation).toBeUndefined();
    expect(withBucket.policy.outputLocation).toBe('s3://acme-results/qualytics-athena-results/');
  });

  test('describes the key statement for reports', () => {
    expect(keyed.policy.describeStatements().find((s) => s.sid === 'ManagedQueryResultsKey')).toMatchObject({
      resources: [KEY], purpose: expect.stringContaining('managed query results'),
    });
  });

  test('is smaller than the same configuration with a results bucket', () => {
    expect(plain.policy.policySizes[0]).toBeLessThan(withBucket.policy.policySizes[0]);
  });
});

describe('AthenaQueryPolicy query results validation', () => {
  test.each<[string, AthenaQueryPolicyProps, RegExp]>([
    ['neither a bucket nor managed results', {},
      /^Invalid resultsBucketName: undefined\. Give the bucket Athena writes query results to, or set managedQueryResults: true/],
    ['managedQueryResults: false and no bucket', { managedQueryResults: false },
      /^Invalid resultsBucketName: undefined\. Give the bucket/],
    ['both a bucket and managed results', { resultsBucketName: 'acme-results', managedQueryResults: true },
      /^Invalid resultsBucketName: "acme-results"\. With managedQueryResults: true .* give either resultsBucketName or managedQueryResults: true, not both\.$/],
    ['a results prefix with managed results', { managedQueryResults: true, resultsPrefix: 'athena' },
      /^Invalid resultsPrefix: "athena"\. With managed query results there is no results bucket or folder: leave resultsPrefix unset\.$/],
    ['an empty results prefix with managed results', { managedQueryResults: true, resultsPrefix: '' },
      /^Invalid resultsPrefix: ""\. With managed query results/],
    ['a results key without managed results', { resultsBucketName: 'acme-results', managedQueryResultsKmsKeyArn: KEY },
      /^Invalid managedQueryResultsKmsKeyArn: "arn:aws:kms:.*"\. A key for managed query results applies only with managedQueryResults: true; for SSE-KMS .* kmsKeyArns\.$/],
    ['a key alias', { managedQueryResults: true, managedQueryResultsKmsKeyArn: 'alias/athena' },
      /^Invalid managedQueryResultsKmsKeyArn: "alias\/athena"\. Expected a KMS key ARN .*aliases are not accepted/],
    ['a bare key id', { managedQueryResults: true, managedQueryResultsKmsKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' },
      /^Invalid managedQueryResultsKmsKeyArn: "1234abcd-12ab-34cd-56ef-1234567890ab"\. This is a bare KMS key ID/],
    ['a malformed key ARN', { managedQueryResults: true, managedQueryResultsKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/*' },
      /^Invalid managedQueryResultsKmsKeyArn: .*Expected a KMS key ARN arn:<partition>:kms:<region>:<account>:key\/<key id>\.$/],
  ])('refuses %s, naming the property, creating nothing', (_label, props, message) => {
    const stack = newStack();
    expect(() => new AthenaQueryPolicy(stack, 'Query', props)).toThrow(message);
    expect(stack.node.tryFindChild('Query')).toBeUndefined();
  });

  test('a target role refused for its query results leaves nothing in the tree', () => {
    const stack = newStack();
    expect(() => new AthenaTargetRole(stack, 'Target', { trustedRoleArn: BASE_ROLE })).toThrow(/^Invalid resultsBucketName: undefined/);
    expect(stack.node.tryFindChild('Target')).toBeUndefined();
  });

  test('a condition choosing the mode needs managedQueryResults: true and a bucket', () => {
    for (const props of [{ managedQueryResults: true }, { resultsBucketName: 'acme-results' }, { managedQueryResults: false, resultsBucketName: 'acme-results' }]) {
      const stack = newStack();
      const condition = new CfnCondition(stack, 'Managed', { expression: Fn.conditionEquals('a', 'a') });
      expect(() => new AthenaQueryPolicy(stack, 'Query', { ...props, managedQueryResultsCondition: condition }))
        .toThrow(/^Invalid managedQueryResultsCondition: "Test\/Managed"\. A condition choosing the query results at deploy time needs both managedQueryResults: true and resultsBucketName/);
    }
  });

  test('managed results skip the overlap check with data locations (there is no results location)', () => {
    expect(() => synth({ managedQueryResults: true, dataLocations: [{ bucketName: 'acme-*' }] })).not.toThrow();
  });
});

describe('AthenaQueryPolicy with the query results mode chosen at deploy time', () => {
  const stack = newStack();
  const mode = new CfnParameter(stack, 'QueryResults', { allowedValues: ['S3', 'Managed'] });
  const managed = new CfnCondition(stack, 'UseManagedQueryResults', { expression: Fn.conditionEquals(mode.valueAsString, 'Managed') });
  const { template } = synth({ resultsBucketName: 'acme-results', managedQueryResults: true, managedQueryResultsCondition: managed, guardrails: true }, stack);
  const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as any[];
  /** The Condition of the managed policy that holds the statement. */
  const conditionOf = (sid: string) => policies.find((p) => p.Properties.PolicyDocument.Statement.some((s: any) => s.Sid === sid))?.Condition;

  test('keeps the S3 results statements and the results exception only where results are not managed', () => {
    for (const sid of ['QueryResultsBucket', 'QueryResultsObjects', 'GuardrailDenyS3WritesOutsideResults']) {
      expect([sid, conditionOf(sid)]).toEqual([sid, 'NotUseManagedQueryResults']);
    }
    expect(template.toJSON().Conditions.NotUseManagedQueryResults).toEqual({ 'Fn::Not': [{ Condition: 'UseManagedQueryResults' }] });
  });

  test('keeps the blanket upload deny only where results are managed', () => {
    expect(conditionOf('GuardrailDenyS3Uploads')).toEqual('UseManagedQueryResults');
  });

  test('the conditions are on the policies, not in their statement lists (no Fn::If with AWS::NoValue)', () => {
    expect(JSON.stringify(template.toJSON())).not.toContain('AWS::NoValue');
    expect(conditionOf('AthenaQueryExecution')).toBeUndefined();
  });

  test('refuses a maxManagedPolicies that leaves no managed policy beside the conditional ones', () => {
    const own = newStack();
    const condition = new CfnCondition(own, 'Managed', { expression: Fn.conditionEquals('a', 'a') });
    const props = { resultsBucketName: 'acme-results', managedQueryResults: true, managedQueryResultsCondition: condition, guardrails: true };
    // Two conditional policies (S3 results where it does not hold, the upload deny where it does) and one more.
    expect(() => new AthenaQueryPolicy(own, 'Query', { ...props, maxManagedPolicies: 2 })).toThrow('Test/Query: the statements that exist only '
      + 'under CloudFormation conditions take 2 managed policies of their own, and the others need at least one more: give maxManagedPolicies of at least 3 (it is 2).');
    expect(() => new AthenaQueryPolicy(own, 'Query3', { ...props, maxManagedPolicies: 3 })).not.toThrow();
  });

  test('a target role counts the conditional policies that name it against maxManagedPolicies', () => {
    const own = newStack();
    const condition = new CfnCondition(own, 'Managed', { expression: Fn.conditionEquals('a', 'a') });
    const target = new AthenaTargetRole(own, 'Target', {
      trustedRoleArn: BASE_ROLE, resultsBucketName: 'acme-results', managedQueryResults: true, managedQueryResultsCondition: condition, maxManagedPolicies: 3,
    });
    expect(target.role.node.validate()).toEqual([]);
    target.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'));
    expect(target.role.node.validate()).toEqual(['role has 4 managed policies attached, over the 3 allowed (maxManagedPolicies)']);
  });

  test('a statement with a condition of its own cannot also take one from an optional deploy-time list', () => {
    const app = new App();
    const listStack = new Stack(app, 'List');
    const condition = new CfnCondition(listStack, 'HasItems', { expression: Fn.conditionEquals('a', 'b') });
    const item = new DeployTimeItem('x', 10, condition).toString();
    expect(() => withDeployTimeConditions({ sid: 'Both', effect: iam.Effect.ALLOW, actions: ['kms:Decrypt'], resources: [item], purpose: 'test', condition: 'Other' }))
      .toThrow(/^Statement Both: a statement with a condition of its own cannot take its resources from an optional deploy-time list$/);
  });
});

describe('connection outputs with managed query results', () => {
  test('a target role emits no OutputLocation, and its connection form values have none', () => {
    const stack = newStack();
    const target = new AthenaTargetRole(stack, 'Target', { trustedRoleArn: BASE_ROLE, managedQueryResults: true });
    target.addConnectionOutputs();
    expect(target.connectionFormValues.outputLocation).toBeUndefined();
    const outputs = Object.keys(Template.fromStack(stack).findOutputs('*'));
    expect(outputs.filter((o) => /OutputLocation/.test(o))).toEqual([]);
    expect(outputs.filter((o) => /RoleArn|Host|WorkGroup/.test(o))).toHaveLength(3);
  });

  test('an access key user emits no OutputLocation', () => {
    const stack = newStack();
    new AthenaAccessKeyUser(stack, 'User', { managedQueryResults: true }).addConnectionOutputs();
    const outputs = Object.keys(Template.fromStack(stack).findOutputs('*'));
    expect(outputs.filter((o) => /OutputLocation/.test(o))).toEqual([]);
    expect(outputs.filter((o) => /SecretArn|Host|WorkGroup/.test(o))).toHaveLength(3);
  });

  test('a target role with a results bucket still emits it', () => {
    const stack = newStack();
    new AthenaTargetRole(stack, 'Target', { trustedRoleArn: BASE_ROLE, resultsBucketName: 'acme-results' }).addConnectionOutputs();
    const outputs = Template.fromStack(stack).findOutputs('*');
    expect(Object.entries(outputs).filter(([id]) => /OutputLocation/.test(id)).map(([, o]) => o.Value)).toEqual(['s3://acme-results/qualytics-athena-results/']);
  });
});

describe('capacity with managed query results', () => {
  test('fits more databases than the same shape with a results bucket, and synth agrees', () => {
    const managed = AthenaQueryPolicy.capacity({ managedQueryResults: true });
    const s3 = AthenaQueryPolicy.capacity();
    expect(managed.maxGlueDatabases).toBeGreaterThan(s3.maxGlueDatabases);
    expect(managed.largestPolicyLengthAtMax).toBeLessThanOrEqual(6144);
    const names = (count: number) => Array.from({ length: count }, (_, i) => `d${'x'.repeat(31 - String(i).length)}${i}`);
    const props = (databases: number): AthenaQueryPolicyProps => ({
      managedQueryResults: true,
      managedQueryResultsKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd1234abcd1234abcd1234abcd',
      guardrails: true,
      maxInlinePolicyLength: 10240,
      workGroupNames: ['w'.repeat(32)],
      glueDatabaseNames: names(databases),
    });
    expect(() => new AthenaQueryPolicy(newStack(), 'Fits', props(managed.maxGlueDatabases))).not.toThrow();
  });
});
