import * as iam from 'aws-cdk-lib/aws-iam';
import { CREATE_GRANT_ONLY_FOR_AWS_SERVICES } from '../../model/key-policy';

/** The model's {@link CREATE_GRANT_ONLY_FOR_AWS_SERVICES}: a deny of `kms:CreateGrant` to any principal but AWS services. */
export function createGrantOnlyForAwsServices(): iam.PolicyStatement {
  return new iam.PolicyStatement({ ...CREATE_GRANT_ONLY_FOR_AWS_SERVICES, effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()] });
}
