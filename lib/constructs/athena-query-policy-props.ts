import { CfnCondition } from 'aws-cdk-lib';
import { AthenaQueryPolicyOptions } from '../model/query-policy-options';

/** What the Athena JDBC driver v3 may reach. */
export interface AthenaQueryPolicyProps extends AthenaQueryPolicyOptions {
  /**
   * With `managedQueryResults: true` and `resultsBucketName`: a CloudFormation condition that decides at deploy
   * time whether the workgroup's results are managed, for templates whose parameters choose the mode. Where it
   * holds, the managed-results statements are kept; where it does not, the S3 results statements for
   * `resultsBucketName` and `resultsPrefix`. A `managedQueryResultsKmsKeyArn` is granted whenever given.
   *
   * @default - decided at synth by managedQueryResults
   */
  readonly managedQueryResultsCondition?: CfnCondition;
  /**
   * With `accessMode: AccessMode.IAM_AND_LAKE_FORMATION`: a CloudFormation condition that decides at deploy time
   * whether the Lake Formation statement is kept, for templates whose parameters turn Lake Formation on or off.
   *
   * @default - the statement is always kept
   */
  readonly lakeFormationCondition?: CfnCondition;
}
