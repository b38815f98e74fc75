/**
 * Managed query results, decided by a real IAM policy evaluator on the deployed policies: the role runs queries
 * and reads their results through Athena, reaches no S3 results location (not even the one the same role with a
 * results bucket could), and uses the results key only through Athena. The calls are modelled from AWS's pages
 * in test/support/athena-driver-calls.ts ([MQR], [MQRK]).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { AthenaTargetRole } from '../../lib';
import { AccessScope, delegatingKeyPolicy, driverCalls, outOfScopeCalls, s3ResultsCalls } from '../support/athena-driver-calls';
import { deployOnPaper } from '../support/cloudformation';
import { CUSTOMER_ACCOUNT, FULL_TARGET_ROLE_PROPS } from '../support/full-options';
import { ALLOW_EVERYTHING, decisionsAsRole, DeployedRole, deployedRole, expectEach, logicalIdOf } from '../support/simulate';
import { newStack } from '../support/stacks';

const REGION = 'eu-west-1';
const RESULTS_KEY = `arn:aws:kms:${REGION}:${CUSTOMER_ACCOUNT}:key/mrk-0123456789abcdef0123456789abcdef`;
const { resultsBucketName, resultsPrefix, ...OTHER_PROPS } = FULL_TARGET_ROLE_PROPS;

/** The role with every option, its results managed by Athena (with a customer managed key, or not), and the same role with its S3 results bucket. */
const roles = (() => {
  let cache: Record<'keyed' | 'ownedKey' | 'unguarded' | 's3', DeployedRole> | undefined;
  return () => {
    if (!cache) {
      const stack = newStack({ env: { account: CUSTOMER_ACCOUNT, region: REGION } });
      const keyed = new AthenaTargetRole(stack, 'Keyed', { ...OTHER_PROPS, managedQueryResults: true, managedQueryResultsKmsKeyArn: RESULTS_KEY });
      const ownedKey = new AthenaTargetRole(stack, 'OwnedKey', { ...OTHER_PROPS, roleName: 'qualytics-athena-owned', managedQueryResults: true });
      const unguarded = new AthenaTargetRole(stack, 'Unguarded', {
        ...OTHER_PROPS, roleName: 'qualytics-athena-unguarded', managedQueryResults: true, managedQueryResultsKmsKeyArn: RESULTS_KEY, guardrails: false,
      });
      const s3 = new AthenaTargetRole(stack, 'S3', { ...FULL_TARGET_ROLE_PROPS, roleName: 'qualytics-athena-s3' });
      const deployed = deployOnPaper(Template.fromStack(stack).toJSON(), { account: CUSTOMER_ACCOUNT, region: REGION });
      const role = (target: AthenaTargetRole) => deployedRole(deployed, logicalIdOf(target.role));
      cache = { keyed: role(keyed), ownedKey: role(ownedKey), unguarded: role(unguarded), s3: role(s3) };
    }
    return cache;
  };
})();

function scope(managedResultsKey: boolean): AccessScope {
  return {
    partition: 'aws',
    region: REGION,
    account: CUSTOMER_ACCOUNT,
    workGroups: FULL_TARGET_ROLE_PROPS.workGroupNames!,
    catalog: 'AwsDataCatalog',
    databases: FULL_TARGET_ROLE_PROPS.glueDatabaseNames!,
    dataLocations: [{ bucket: 'acme-lake', prefix: 'curated/sales' }, { bucket: 'acme-raw' }],
    kmsKeys: FULL_TARGET_ROLE_PROPS.kmsKeyArns!.map((arn) => ({ arn, keyPolicy: delegatingKeyPolicy('aws', CUSTOMER_ACCOUNT) })),
    managedResultsKey: managedResultsKey ? { arn: RESULTS_KEY, keyPolicy: delegatingKeyPolicy('aws', CUSTOMER_ACCOUNT) } : undefined,
    lakeFormation: true,
  };
}

/** The S3 results calls the same role makes when its results go to its bucket. */
const s3Results = () => s3ResultsCalls({ ...scope(false), resultsBucket: resultsBucketName!, resultsPrefix });

beforeAll(() => {
  roles();
}, 120_000);

describe.each([
  { name: 'with a customer managed key', role: () => roles().keyed, keyed: true },
  { name: 'with an AWS owned key', role: () => roles().ownedKey, keyed: false },
])('managed query results $name', ({ role, keyed }) => {
  test('every call the driver makes is allowed: queries, their results through Athena, and the key through Athena', async () => {
    const calls = driverCalls(scope(keyed));
    expect(calls.filter((c) => c.action.startsWith('s3:') && c.resource.includes(resultsBucketName!))).toEqual([]);
    expect(await decisionsAsRole(role(), calls)).toEqual(expectEach(calls, () => 'Allowed'));
  });

  test('everything out of scope is denied, S3 uploads explicitly; the key only through Athena', async () => {
    const calls = outOfScopeCalls(scope(keyed));
    expect(await decisionsAsRole(role(), calls)).toEqual(expectEach(calls, (call) => (call.guardrail ? 'ExplicitlyDenied' : 'ImplicitlyDenied')));
  });

  test('the S3 results calls the same role makes with a results bucket are all denied, uploads explicitly', async () => {
    const calls = s3Results();
    expect(await decisionsAsRole(roles().s3, calls)).toEqual(expectEach(calls, () => 'Allowed'));
    expect(await decisionsAsRole(role(), calls)).toEqual(expectEach(calls, (call) => (
      ['s3:PutObject', 's3:AbortMultipartUpload'].includes(call.action) ? 'ExplicitlyDenied' : 'ImplicitlyDenied')));
  });

  test('with a policy that allows everything attached, S3 uploads stay denied and the driver\'s calls still work', async () => {
    const uploads = s3Results().filter((c) => ['s3:PutObject', 's3:AbortMultipartUpload'].includes(c.action));
    const needed = driverCalls(scope(keyed));
    expect(await decisionsAsRole(role(), [...uploads, ...needed], [ALLOW_EVERYTHING])).toEqual({
      ...expectEach(uploads, () => 'ExplicitlyDenied'),
      ...expectEach(needed, () => 'Allowed'),
    });
  });
});

test('without the customer managed key statement, the driver could not use a key-encrypted managed workgroup', async () => {
  const calls = driverCalls(scope(true)).filter((c) => c.resource === RESULTS_KEY);
  expect(calls.map((c) => c.action)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey']);
  expect(await decisionsAsRole(roles().ownedKey, calls)).toEqual(expectEach(calls, () => 'ImplicitlyDenied'));
  expect(await decisionsAsRole(roles().keyed, calls)).toEqual(expectEach(calls, () => 'Allowed'));
});

test('without guardrails, S3 uploads are still not allowed (only implicitly denied)', async () => {
  const calls = s3Results();
  expect(await decisionsAsRole(roles().unguarded, calls)).toEqual(expectEach(calls, () => 'ImplicitlyDenied'));
});
