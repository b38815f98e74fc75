import { CfnCondition, Fn } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AthenaQueryPolicy } from '../../lib';
import { DeployTimeItem } from '../../lib/constructs/cdk/deploy-time-tokens';
import { withDeployTimeConditions } from '../../lib/model/deploy-time';
import { newStack } from '../support/stacks';

test('a statement built from two optional lists cannot be made conditional', () => {
  const stack = newStack();
  const condition = (id: string) => new CfnCondition(stack, id, { expression: Fn.conditionEquals('a', 'b') });
  const a = new DeployTimeItem('a', 10, condition('HasA')).toString();
  const b = new DeployTimeItem('b', 10, condition('HasB')).toString();
  expect(() => withDeployTimeConditions({ sid: 'Mixed', effect: iam.Effect.ALLOW, actions: ['s3:GetObject'], resources: [a, b], purpose: 'test' }))
    .toThrow(/Statement Mixed: resources from several optional deploy-time lists/);
});

test('a statement with a literal resource stays unconditional', () => {
  const stack = newStack();
  const item = new DeployTimeItem('a', 10, new CfnCondition(stack, 'HasA', { expression: Fn.conditionEquals('a', 'b') })).toString();
  const spec = { sid: 'Mixed', effect: iam.Effect.ALLOW, actions: ['s3:GetObject'], resources: [item, 'arn:aws:s3:::literal'], purpose: 'test' };
  expect(withDeployTimeConditions(spec).condition).toBeUndefined();
});

test('lakeFormationCondition is refused without accessMode IAM_AND_LAKE_FORMATION', () => {
  const stack = newStack();
  const condition = new CfnCondition(stack, 'UseLakeFormation', { expression: Fn.conditionEquals('a', 'b') });
  expect(() => new AthenaQueryPolicy(stack, 'Policy', { resultsBucketName: 'results', lakeFormationCondition: condition }))
    .toThrow(/Invalid lakeFormationCondition: "Test\/UseLakeFormation"\. A Lake Formation condition only applies with accessMode: AccessMode\.IAM_AND_LAKE_FORMATION/);
  expect(stack.node.tryFindChild('Policy')).toBeUndefined();
});
