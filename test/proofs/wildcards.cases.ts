/**
 * Wildcards in glueDatabaseNames and dataLocations: what they match, simulated, and what is refused.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { AthenaQueryPolicy, AthenaTargetRole } from '../../lib';
import { driverCalls, LabelledCall } from '../support/athena-driver-calls';
import { deployOnPaper } from '../support/cloudformation';
import { CUSTOMER_ACCOUNT, FULL_TARGET_ROLE_PROPS } from '../support/full-options';
import { decisionsAsRole, DeployedRole, deployedRole, expectEach, logicalIdOf } from '../support/simulate';
import { newStack } from '../support/stacks';

const stack = newStack({ env: { account: CUSTOMER_ACCOUNT, region: 'eu-west-1' } });
const target = new AthenaTargetRole(stack, 'Patterns', {
  ...FULL_TARGET_ROLE_PROPS,
  glueDatabaseNames: ['sales_*', 'hr_??'],
  dataLocations: [{ bucketName: 'acme-*-lake', prefix: 'warehouse/team-*' }],
  kmsKeyArns: [],
  lakeFormation: false,
});
let deployed: DeployedRole;
beforeAll(() => {
  // Synthesized once, for every test below.
  const template = deployOnPaper(Template.fromStack(stack).toJSON(), { account: CUSTOMER_ACCOUNT, region: 'eu-west-1' });
  deployed = deployedRole(template, logicalIdOf(target.role));
}, 120_000);
const role = () => deployed;
const scope = (databases: string[], dataLocations: Array<{ bucket: string; prefix?: string }>) => ({
  partition: 'aws',
  region: 'eu-west-1',
  account: CUSTOMER_ACCOUNT,
  workGroups: ['analytics'],
  catalog: 'AwsDataCatalog',
  databases,
  resultsBucket: 'acme-athena-results',
  resultsPrefix: 'qualytics/results',
  dataLocations,
  kmsKeys: [],
  lakeFormation: false,
});
/** The driver's calls on the named databases and data locations only (not the `default` database or the database list). */
const dataCalls = (calls: LabelledCall[]) => calls.filter((c) => /:(database|table)\/(?!default$|\*$)|s3:::acme-(?!athena)/.test(c.resource));

test('patterns allow every call of the driver on the databases and locations they match', async () => {
  const calls = driverCalls(scope(['sales_eu', 'sales_', 'hr_uk'], [
    { bucket: 'acme-eu-lake', prefix: 'warehouse/team-a' },
    { bucket: 'acme-us-west-lake', prefix: 'warehouse/team-b/2024' },
  ]));
  expect(await decisionsAsRole(role(), calls)).toEqual(expectEach(calls, () => 'Allowed'));
});

test('and deny them on the names they do not match', async () => {
  const calls = dataCalls(driverCalls(scope(['sales', 'hr_emea', 'marketing'], [
    { bucket: 'acme-lake', prefix: 'warehouse/team-a' },
    { bucket: 'other-eu-lake', prefix: 'warehouse/team-a' },
    { bucket: 'acme-eu-lake', prefix: 'warehouse/teams' },
    { bucket: 'acme-eu-lake', prefix: 'staging/team-a' },
  ])));
  // The bucket pattern matches acme-eu-lake, so locating it is allowed; listing it outside the folder
  // pattern and reading its objects there are not.
  expect(calls.length).toBeGreaterThan(30);
  const expected = (call: LabelledCall) => (call.action === 's3:GetBucketLocation' && /s3:::acme-eu-lake$/.test(call.resource) ? 'Allowed' : 'ImplicitlyDenied');
  expect(await decisionsAsRole(role(), calls)).toEqual(expectEach(calls, expected));
});

test.each([
  [{ glueDatabaseNames: ['*'] }, 'Invalid glueDatabaseNames[0]: "*". A pattern of only wildcards matches every database; leave glueDatabaseNames unset'],
  [{ glueDatabaseNames: ['Sales_*'] }, 'Invalid glueDatabaseNames[0]: "Sales_*". A Glue database name pattern is at most 255 lower-case letters'],
  [{ glueDatabaseNames: [`${'a'.repeat(255)}*`] }, 'Invalid glueDatabaseNames[0]'],
  [{ dataLocations: [{ bucketName: '*' }] }, 'Invalid dataLocations[0].bucketName: "*". An S3 bucket name pattern is at most 63'],
  [{ dataLocations: [{ bucketName: 'a*b' }] }, 'with at least three characters that are not wildcards'],
  [{ dataLocations: [{ bucketName: 'Acme-*' }] }, 'Invalid dataLocations[0].bucketName: "Acme-*"'],
  [{ dataLocations: [{ bucketName: 'acme-lake', prefix: '/team-*' }] }, 'Invalid dataLocations[0].prefix: "/team-*". An S3 prefix is a folder path such as "warehouse/sales" or the pattern'],
  [{ dataLocations: [{ bucketName: 'acme-lake', prefix: 'team-*//x' }] }, 'Invalid dataLocations[0].prefix'],
  [{ resultsPrefix: 'results-*' }, 'Invalid resultsPrefix: "results-*". An S3 prefix is a folder path such as "athena/results": no leading slash, no empty segments, no whitespace, no * or ?'],
  [{ resultsBucketName: 'acme-*' }, 'Invalid resultsBucketName: "acme-*"'],
])('refuses %j', (props, message) => {
  expect(() => new AthenaQueryPolicy(newStack(), 'Policy', { resultsBucketName: 'results', ...props })).toThrow(message);
});
