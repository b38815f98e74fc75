import { CfnParameter, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AthenaTargetRole } from '../lib';

/**
 * Example 2 — Managed, customer account: the target role trusts the vendor's per-tenant base role with an
 * External ID. Both arrive as CloudFormation parameters, so a customer can deploy the synthesized template
 * from the console or the AWS CLI without CDK.
 */
export class ManagedCustomerStack extends Stack {
  public readonly targetRole: AthenaTargetRole;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    const baseRoleArn = new CfnParameter(this, 'BaseRoleArn', {
      description: 'ARN of the Qualytics dataplane base role for your tenant, as Qualytics gave it to you',
      allowedPattern: '^arn:aws(-cn|-us-gov)?:iam::\\d{12}:role/([\\x21-\\x7E]*/)?[\\w+=,.@-]{1,64}$',
      constraintDescription: 'an IAM role ARN such as arn:aws:iam::315179787488:role/acme-dataplane-role',
      // The trust names the base role twice (AssumeRole, and TagSession for EKS Pod Identity's session tags):
      // with the longest External ID, a longer ARN could push it over IAM's 2,048 characters.
      maxLength: 166,
    });
    const externalId = new CfnParameter(this, 'ExternalId', {
      description: 'The External ID Qualytics generated for your organization',
      allowedPattern: '^[\\w+=,.@:/-]{2,1224}$',
      constraintDescription: '2 to 1,224 characters of letters, digits and _+=,.@:/-',
      minLength: 2,
      maxLength: 1224,
      noEcho: false,
    });
    const roleName = new CfnParameter(this, 'RoleName', {
      description: 'Name of the role to create; the connection form takes its ARN',
      default: 'qualytics-athena-access',
      allowedPattern: '^[\\w+=,.@-]{1,64}$',
      maxLength: 64,
    });
    const workGroup = new CfnParameter(this, 'WorkGroup', {
      description: 'Athena workgroup the connection runs queries in',
      default: 'primary',
      allowedPattern: '^[a-zA-Z0-9._-]{1,128}$',
      maxLength: 128,
    });
    const resultsBucket = new CfnParameter(this, 'ResultsBucketName', {
      description: 'S3 bucket for Athena query results (same Region as the workgroup)',
      allowedPattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
      maxLength: 63,
    });
    const resultsPrefix = new CfnParameter(this, 'ResultsPrefix', {
      description: 'Folder in the results bucket for query results',
      default: 'qualytics-athena-results',
      allowedPattern: '^[^/\\s*?][^\\s*?]*[^/\\s*?]$|^[^/\\s*?]$',
      maxLength: 256,
    });

    this.targetRole = new AthenaTargetRole(this, 'TargetRole', {
      trustedRoleArn: baseRoleArn.valueAsString,
      externalId: externalId.valueAsString,
      roleName: roleName.valueAsString,
      workGroupNames: [workGroup.valueAsString],
      resultsBucketName: resultsBucket.valueAsString,
      resultsPrefix: resultsPrefix.valueAsString,
    });
    this.targetRole.addConnectionOutputs();
  }
}
