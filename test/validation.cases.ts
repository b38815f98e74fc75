import { CfnParameter, Duration } from 'aws-cdk-lib';
import {
  AthenaQueryPolicy, AthenaQueryPolicyProps, AthenaTargetRole, AthenaTargetRoleProps, DataplaneBaseRole, DataplaneBaseRoleProps,
  DataplaneIdentity, EksPodIdentityOptions, IrsaOptions,
} from '../lib';
import { newStack } from './support/stacks';

const BASE = 'arn:aws:iam::315179787488:role/acme-dataplane-role';
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const queryPolicy = (props: Partial<AthenaQueryPolicyProps>) => () =>
  new AthenaQueryPolicy(newStack(), 'Query', { resultsBucketName: 'acme-results', ...props });
const targetRole = (props: Partial<AthenaTargetRoleProps>) => () =>
  new AthenaTargetRole(newStack(), 'Target', { trustedRoleArn: BASE, resultsBucketName: 'acme-results', ...props });
const baseRole = (props: Partial<DataplaneBaseRoleProps>) => () =>
  new DataplaneBaseRole(newStack(), 'Base', { identity: DataplaneIdentity.ec2Instance(), targetRoleArns: [BASE], ...props });
const podIdentity = (options: EksPodIdentityOptions) => () => DataplaneIdentity.eksPodIdentity(options);
const irsa = (options: Partial<IrsaOptions>) => () =>
  DataplaneIdentity.irsa({ oidcProviderArn: 'arn:aws:iam::315179787488:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/AB12', namespace: 'qualytics', ...options });

/** [what is wrong, how the construct is built with it, the property and value the error must name, what it must say] */
const BAD_INPUT: Array<[string, () => unknown, string, RegExp]> = [
  ['a session ARN as trusted role', targetRole({ trustedRoleArn: 'arn:aws:sts::315179787488:assumed-role/acme-dataplane-role/session' }), 'trustedRoleArn', /STS session ARN/],
  ['a user ARN as trusted role', targetRole({ trustedRoleArn: 'arn:aws:iam::315179787488:user/alice' }), 'trustedRoleArn', /IAM user ARN/],
  ['a wildcard trusted role', targetRole({ trustedRoleArn: 'arn:aws:iam::315179787488:role/*' }), 'trustedRoleArn', /without wildcards/],
  ['a trusted role ARN with * in its path', targetRole({ trustedRoleArn: 'arn:aws:iam::315179787488:role/team*/acme-dataplane-role' }), 'trustedRoleArn', /without wildcards/],
  ['a trusted role ARN with ? in its path', targetRole({ trustedRoleArn: 'arn:aws:iam::315179787488:role/team?/acme-dataplane-role' }), 'trustedRoleArn', /without wildcards/],
  ['a path with *', targetRole({ path: '/qualytics*/' }), 'path', /without \* or \?/],
  ['a role ARN in an unknown partition', targetRole({ trustedRoleArn: 'arn:aws-xx:iam::315179787488:role/base' }), 'trustedRoleArn', /aws\|aws-cn\|aws-us-gov/],
  ['a one-character External ID', targetRole({ externalId: 'x' }), 'externalId', /2 to 1,224 characters/],
  ['an External ID with whitespace', targetRole({ externalId: 'my external id' }), 'externalId', /no whitespace/],
  ['an over-long External ID', targetRole({ externalId: 'x'.repeat(1225) }), 'externalId', /2 to 1,224 characters/],
  ['an account ID as External ID', targetRole({ externalId: '315179787488' }), 'externalId', /looks like an AWS account ID/],
  ['a session name prefix with a space', targetRole({ sessionNamePrefix: 'qualytics athena-' }), 'sessionNamePrefix', /1 to 55 characters/],
  ['a 56-character session name prefix', targetRole({ sessionNamePrefix: 'q'.repeat(56) }), 'sessionNamePrefix', /session names are at most 64, and a connection id that has to be shortened keeps a 9-character hash/],
  ['a malformed organization ID', targetRole({ trustedOrganizationId: 'org-123' }), 'trustedOrganizationId', /"o-" followed by 10 to 32/],
  ['a role name with a slash', targetRole({ roleName: 'qualytics/athena' }), 'roleName', /1 to 64 characters/],
  ['a path without trailing slash', targetRole({ path: '/qualytics' }), 'path', /starts and ends with "\/"/],
  ['a 30-minute session duration', targetRole({ maxSessionDuration: Duration.minutes(30) }), 'maxSessionDuration', /between 1 hour and 12 hours/],
  ['a 13-hour session duration', targetRole({ maxSessionDuration: Duration.hours(13) }), 'maxSessionDuration', /between 1 hour and 12 hours/],
  ['an empty workgroup list', queryPolicy({ workGroupNames: [] }), 'workGroupNames', /at least 1 entry/],
  ['a workgroup name with a slash', queryPolicy({ workGroupNames: ['primary', 'team/adhoc'] }), 'workGroupNames[1]', /1 to 128 characters/],
  ['a catalog name with a space', queryPolicy({ catalogName: 'Aws Data Catalog' }), 'catalogName', /1 to 256 characters/],
  ['an upper-case database name', queryPolicy({ glueDatabaseNames: ['Sales'] }), 'glueDatabaseNames[0]', /lower case/],
  ['an empty database list', queryPolicy({ glueDatabaseNames: [] }), 'glueDatabaseNames', /at least 1 entry/],
  ['an upper-case bucket', queryPolicy({ resultsBucketName: 'Acme-Results' }), 'resultsBucketName', /3 to 63 characters/],
  ['an IP-shaped bucket', queryPolicy({ resultsBucketName: '192.168.1.1' }), 'resultsBucketName', /not shaped like an IP address/],
  ['a bucket with two dots', queryPolicy({ resultsBucketName: 'acme..results' }), 'resultsBucketName', /3 to 63 characters/],
  ['a prefix with a leading slash', queryPolicy({ resultsPrefix: '/athena' }), 'resultsPrefix', /no leading slash/],
  ['a prefix with a wildcard', queryPolicy({ resultsPrefix: 'athena/*' }), 'resultsPrefix', /no \* or \?/],
  ['a prefix with an empty segment', queryPolicy({ resultsPrefix: 'athena//results' }), 'resultsPrefix', /no empty segments/],
  ['a data bucket name with an underscore', queryPolicy({ dataLocations: [{ bucketName: 'acme_lake' }] }), 'dataLocations[0].bucketName', /3 to 63 characters/],
  // IAM policy documents hold only tab, LF, CR and U+0020 to U+00FF ("IAM and AWS STS character limits",
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), and "${" starts a policy variable
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html): a prefix is part of the ARNs.
  ['a data prefix with a character outside Latin-1', queryPolicy({ dataLocations: [{ bucketName: 'acme-lake', prefix: 'données/😀' }] }),
    'dataLocations[0].prefix', /It holds "😀" \(U\+1F600\), which an IAM policy cannot hold: .*U\+0021 to U\+007E and U\+00A1 to U\+00FF/],
  ['a data prefix with a policy variable', queryPolicy({ dataLocations: [{ bucketName: 'acme-lake', prefix: 'a/${aws:username}' }] }),
    'dataLocations[0].prefix', /It holds "\$\{", which starts an IAM policy variable: .*reference_policies_variables\.html\)\. Give a folder without "\$\{"/],
  ['a results prefix with a policy variable', queryPolicy({ resultsPrefix: 'athena/${aws:PrincipalTag/team}' }), 'resultsPrefix', /starts an IAM policy variable/],
  ['a results prefix with a control character', queryPolicy({ resultsPrefix: 'athena/\u0007results' }), 'resultsPrefix', /It holds "\\u0007" \(U\+0007\), which an IAM policy cannot hold/],
  ['a results prefix with a C1 control character', queryPolicy({ resultsPrefix: 'athena\u0085' }), 'resultsPrefix', /\(U\+0085\), which an IAM policy cannot hold/],
  ['a data prefix with whitespace', queryPolicy({ dataLocations: [{ bucketName: 'acme-lake', prefix: 'ware house' }] }), 'dataLocations[0].prefix', /no whitespace/],
  ['a KMS alias', queryPolicy({ kmsKeyArns: ['arn:aws:kms:us-east-1:111122223333:alias/results'] }), 'kmsKeyArns[0]', /aliases are not accepted/],
  ['a KMS key id without ARN', queryPolicy({ kmsKeyArns: [KEY, '1234abcd-12ab-34cd-56ef-1234567890ab'] }), 'kmsKeyArns[1]', /^(?!.*alias).*This is a bare KMS key ID\. Expected a KMS key ARN/],
  ['a multi-Region key id without ARN', queryPolicy({ kmsKeyArns: ['mrk-1234567890abcdef1234567890abcdef'] }), 'kmsKeyArns[0]', /^(?!.*alias).*bare KMS key ID/],
  ['a bare KMS alias name', queryPolicy({ kmsKeyArns: ['alias/results'] }), 'kmsKeyArns[0]', /aliases are not accepted/],
  ['the README placeholder as KMS key', queryPolicy({ kmsKeyArns: ['...:key/...'] }), 'kmsKeyArns[0]', /^(?!.*(alias|bare)).*Expected a KMS key ARN arn:<partition>:kms:<region>:<account>:key\/<key id>\.$/],
  ['a bucket ARN as results bucket', queryPolicy({ resultsBucketName: 'arn:aws:s3:::acme-results' }), 'resultsBucketName', /This is an S3 ARN; pass the bucket name alone \("acme-results"\)\.$/],
  ['a bucket ARN with a prefix', queryPolicy({ resultsBucketName: 'arn:aws:s3:::acme-results/athena/*' }), 'resultsBucketName',
    /S3 ARN; pass the bucket name alone \("acme-results"\) and the prefix \("athena\/\*"\) in the prefix property beside it/],
  ['an s3:// URI as results bucket', queryPolicy({ resultsBucketName: 's3://acme-results/athena/' }), 'resultsBucketName',
    /This is an S3 URI; pass the bucket name alone \("acme-results"\) and the prefix \("athena"\)/],
  ['bucket/prefix as data bucket', queryPolicy({ dataLocations: [{ bucketName: 'acme-lake/warehouse/sales' }] }), 'dataLocations[0].bucketName',
    /bucket name with a path; pass the bucket name alone \("acme-lake"\) and the prefix \("warehouse\/sales"\)/],
  ['an s3:// URI as data bucket pattern', queryPolicy({ dataLocations: [{ bucketName: 's3://acme-*-lake' }] }), 'dataLocations[0].bucketName',
    /This is an S3 URI; pass the bucket name alone \("acme-\*-lake"\)\.$/],
  ['zero managed policies', queryPolicy({ maxManagedPolicies: 0 }), 'maxManagedPolicies', /whole number from 1 to 20/],
  ['21 managed policies', queryPolicy({ maxManagedPolicies: 21 }), 'maxManagedPolicies', /whole number from 1 to 20/],
  ['a target role ARN that is a user', baseRole({ targetRoleArns: ['arn:aws:iam::111122223333:user/bob'] }), 'targetRoleArns[0]', /IAM user ARN/],
  ['an 11-digit target account', baseRole({ targetAccountIds: ['11112222333'], targetRoleNamePrefix: 'q-' }), 'targetAccountIds[0]', /exactly 12 digits/],
  ['target accounts without prefix or path', baseRole({ targetAccountIds: ['111122223333'] }), 'targetAccountIds', /cannot assume every role/],
  ['a target role name prefix with a star', baseRole({ targetAccountIds: ['111122223333'], targetRoleNamePrefix: 'q*' }), 'targetRoleNamePrefix', /1 to 63 characters/],
  ['a target role path without slashes', baseRole({ targetAccountIds: ['111122223333'], targetRolePath: 'qualytics' }), 'targetRolePath', /starts and ends with "\/"/],
  ['a target role path with ?', baseRole({ targetAccountIds: ['111122223333'], targetRolePath: '/qualytics?/' }), 'targetRolePath', /without \* or \?/],
  ['a target role ARN with * in its path', baseRole({ targetRoleArns: ['arn:aws:iam::111122223333:role/q*/athena'] }), 'targetRoleArns[0]', /without wildcards/],
  ['a base role name too long', baseRole({ roleName: 'r'.repeat(65) }), 'roleName', /1 to 64 characters/],
  ['a base role path too long', baseRole({ path: `/${'p'.repeat(512)}/` }), 'path', /at most 512 characters/],
  ['a pod identity service account in upper case', podIdentity({ serviceAccount: 'Spark' }), 'serviceAccount', /Kubernetes name/],
  ['a pod identity namespace with an underscore', podIdentity({ namespace: 'qualytics_ns' }), 'namespace', /Kubernetes name/],
  ['a pod identity cluster name with a dot', podIdentity({ clusterName: 'prod.eks' }), 'clusterName', /EKS cluster name/],
  ['an IRSA provider that is a role', irsa({ oidcProviderArn: BASE }), 'oidcProviderArn', /OIDC provider ARN/],
  ['an IRSA namespace in upper case', irsa({ namespace: 'Qualytics' }), 'namespace', /Kubernetes name/],
];

describe('bad input', () => {
  test.each(BAD_INPUT)('%s is refused with the property, the value and what is accepted', (_what, build, property, accepted) => {
    expect(build).toThrow(new RegExp(`^Invalid ${property.replace(/[[\].]/g, '\\$&')}: .+\\. `));
    expect(build).toThrow(accepted);
  });

  test('grantAssume refuses what is not a role ARN', () => {
    const base = baseRole({})() as DataplaneBaseRole;
    expect(() => base.grantAssume('*')).toThrow(/^Invalid targetRoleArn: "\*"\. Expected an IAM role ARN/);
  });

  test('values known only at deploy time are left to CloudFormation', () => {
    const stack = newStack();
    const text = (id: string) => new CfnParameter(stack, id).valueAsString;
    expect(() => new AthenaTargetRole(stack, 'Target', {
      trustedRoleArn: text('Arn'),
      externalId: text('Id'),
      sessionNamePrefix: text('Prefix'),
      trustedOrganizationId: text('Org'),
      roleName: text('Name'),
      path: text('Path'),
      workGroupNames: [text('WorkGroup')],
      catalogName: text('Catalog'),
      glueDatabaseNames: [text('Db')],
      resultsBucketName: text('Bucket'),
      resultsPrefix: text('ResultsPrefix'),
      dataLocations: [{ bucketName: text('DataBucket'), prefix: text('DataPrefix') }],
      kmsKeyArns: [text('Key')],
    })).not.toThrow();
  });

  test('prefixes of Latin-1 characters, and a "$" that starts no policy variable, pass', () => {
    const policy = queryPolicy({ resultsPrefix: 'résultats/$athena', dataLocations: [{ bucketName: 'acme-lake', prefix: 'données/année=202?' }] })() as AthenaQueryPolicy;
    expect(policy.outputLocation).toBe('s3://acme-results/résultats/$athena/');
  });

  test('good values pass', () => {
    expect(targetRole({
      externalId: 'qualytics:acme/2026=prod@eu,1.0+x',
      sessionNamePrefix: 'qualytics-athena-',
      trustedOrganizationId: 'o-a1b2c3d4e5',
      roleName: 'qualytics-athena-access',
      path: '/qualytics/athena/',
      maxSessionDuration: Duration.hours(12),
      trustedRoleArn: 'arn:aws-us-gov:iam::315179787488:role/dataplane/acme-dataplane-role',
      kmsKeyArns: [KEY, 'arn:aws-cn:kms:cn-north-1:111122223333:key/mrk-1234567890abcdef1234567890abcdef'],
    })).not.toThrow();
  });
});
