import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AthenaAccessKeyUser } from '../lib';

/**
 * Example 4 — Access Key: for deployments that cannot assume a role (Azure and GCP deployments offer Access
 * Key only). An IAM user with the Athena query permissions; its access key is kept in a KMS-encrypted
 * Secrets Manager secret, from which the customer copies it into the connection form.
 */
export class AccessKeyStack extends Stack {
  public readonly accessKeyUser: AthenaAccessKeyUser;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    this.accessKeyUser = new AthenaAccessKeyUser(this, 'AthenaUser', {
      userName: 'qualytics-athena',
      path: '/qualytics/',
      workGroupNames: ['analytics'],
      glueDatabaseNames: ['sales', 'marketing'],
      resultsBucketName: 'acme-athena-results',
      resultsPrefix: 'qualytics',
      dataLocations: [{ bucketName: 'acme-data-lake', prefix: 'warehouse' }],
    });
    this.accessKeyUser.addConnectionOutputs();
  }
}
