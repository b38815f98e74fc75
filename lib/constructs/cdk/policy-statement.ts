import * as iam from 'aws-cdk-lib/aws-iam';
import { cfnValue } from './deploy-time-tokens';
import { StatementSpec } from '../../model/statement-spec';

/**
 * The statement as IAM will see it, with the model's deploy-time values as CloudFormation tokens. A statement's `condition` is not part of it: AthenaQueryPolicy puts the
 * statements of each condition in a managed policy of its own that carries the condition.
 */
export function toPolicyStatement(spec: StatementSpec): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: spec.sid,
    effect: spec.effect === 'Allow' ? iam.Effect.ALLOW : iam.Effect.DENY,
    actions: spec.actions,
    resources: cfnValue(spec.resources),
    notResources: cfnValue(spec.notResources),
    conditions: cfnValue(spec.conditions),
  });
}
