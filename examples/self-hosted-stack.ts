import { Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AthenaTargetRole, DataplaneBaseRole, DataplaneIdentity } from '../lib';
import { createGrantOnlyForAwsServices } from '../lib/constructs/cdk/key-policy';

/** What a self-hosted customer says about their account. */
export interface SelfHostedStackProps extends StackProps {
  /** The dataplane's Kubernetes namespace. */
  readonly namespace: string;
  /** The EKS cluster the dataplane runs on. */
  readonly clusterName: string;
  /** Glue databases the dataplane may read. */
  readonly glueDatabaseNames: string[];
  /** The bucket holding the tables' data, and the folder in it. */
  readonly dataBucketName: string;
  readonly dataPrefix: string;
}

const RESULTS_PREFIX = 'athena-results';

/**
 * Example 1 — Self-hosted, one account: the dataplane runs on the customer's own EKS cluster. Its base role
 * (EKS Pod Identity) assumes a target role in the same account, which queries Athena through a workgroup
 * that enforces an encrypted, SSL-only, private results bucket.
 */
export class SelfHostedStack extends Stack {
  public readonly targetRole: AthenaTargetRole;
  public readonly baseRole: DataplaneBaseRole;

  constructor(scope: Construct, id: string, props: SelfHostedStackProps) {
    super(scope, id, props);
    // S3 delivers server access logs under a bucket policy for the logging service rather than a canned ACL
    // (AWS Control Tower CT.S3.PR.5 forbids ACLs), so the log bucket can disable ACLs altogether.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    const key = new kms.Key(this, 'ResultsKey', {
      description: 'Encrypts Athena query results of the Qualytics dataplane',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Only AWS services may create grants on the key (Control Tower CT.KMS.PR.3).
    key.addToResourcePolicy(createGrantOnlyForAwsServices());
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    });
    const results = new s3.Bucket(this, 'Results', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'results/',
      lifecycleRules: [{
        prefix: `${RESULTS_PREFIX}/`,
        expiration: Duration.days(30),
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
    });

    const workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: 'qualytics-dataplane',
      description: 'Queries of the Qualytics dataplane; results go to the encrypted results bucket',
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${results.bucketName}/${RESULTS_PREFIX}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
        },
      },
    });

    this.baseRole = new DataplaneBaseRole(this, 'BaseRole', {
      identity: DataplaneIdentity.eksPodIdentity({ namespace: props.namespace, clusterName: props.clusterName }),
    });
    this.targetRole = new AthenaTargetRole(this, 'TargetRole', {
      trustedRoleArn: this.baseRole.roleArn,
      workGroupNames: [workGroup.name],
      glueDatabaseNames: props.glueDatabaseNames,
      resultsBucketName: results.bucketName,
      resultsPrefix: RESULTS_PREFIX,
      dataLocations: [{ bucketName: props.dataBucketName, prefix: props.dataPrefix }],
      kmsKeyArns: [key.keyArn],
    });
    this.baseRole.grantAssume(this.targetRole.roleArn);
    this.targetRole.addConnectionOutputs();

    const loopReason = 'This bucket receives the results bucket\'s server access logs; logging it to itself would loop.';
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
    const sseS3Reason = 'S3 delivers server access logs only to buckets encrypted with SSE-S3, not SSE-KMS.';
    Validations.of(accessLogs).acknowledge({ id: 'AwsSolutions-S1', reason: loopReason });
    Validations.of(accessLogs).acknowledge({ id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: loopReason });
    Validations.of(accessLogs).acknowledge({ id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: sseS3Reason });
    Validations.of(accessLogs).acknowledge({
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason: 'Access logs of a query-results bucket; they are versioned and kept a year. Ship them to the organization\'s central log archive where controls require a second copy.',
    });
    Validations.of(accessLogs).acknowledge({ id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: loopReason });
    Validations.of(accessLogs).acknowledge({ id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check', reason: sseS3Reason });
    Validations.of(accessLogs).acknowledge({
      id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
      reason: 'S3 cannot deliver server access logs to a bucket with Object Lock enabled.',
    });
    Validations.of(results).acknowledge({
      id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
      reason: 'Query results are transient copies that expire after 30 days and can be recomputed; write-once retention is a records policy for the customer to choose, not something the dataplane needs.',
    });
    for (const bucket of [accessLogs, results]) {
      Validations.of(bucket).acknowledge({
        id: 'cdk-validator-cfnguard::s3_event_notifications_enabled_check',
        reason: 'Nothing reacts to new query results or access logs; event notifications are for the customer to add when a workflow needs them.',
      });
    }
    Validations.of(results).acknowledge({
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason: 'Query results are transient copies that expire after 30 days and can be recomputed by re-running the query; the source data is not stored here.',
    });
  }
}
