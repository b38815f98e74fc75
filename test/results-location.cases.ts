/**
 * The S3 query-results location: listing the results bucket, and a results prefix given with a trailing slash,
 * in the constructs and in the customer template alike.
 * - Athena's S3 permissions grant `s3:ListBucket` (with `s3:GetBucketLocation`) on the results bucket, with no
 *   `s3:prefix` condition: https://docs.aws.amazon.com/athena/latest/ug/s3-permissions.html
 * - Athena checks the output location before a query and fails with "Unable to verify/create output bucket" when
 *   it cannot list the bucket: https://repost.aws/knowledge-center/athena-output-bucket-error
 * - `s3:prefix` is a condition key of ListBucket (a request without a prefix has none):
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
import { Template } from 'aws-cdk-lib/assertions';
import { AthenaTargetRole } from '../lib';
import { deployOnPaper, managedPolicyDocuments } from './support/cloudformation';
import { CUSTOMER_ACCOUNT, FULL_TARGET_ROLE_PROPS } from './support/full-options';
import { decisionsAsRole, deployedRole, expectEach, logicalIdOf } from './support/simulate';
import { newStack } from './support/stacks';
import { AthenaTargetRoleTemplate } from '../lib/cloudformation/athena-target-role-template';

const REGION = 'eu-west-1';
const PLACE = { account: CUSTOMER_ACCOUNT, region: REGION };
const RESULTS_BUCKET = 'arn:aws:s3:::acme-athena-results';

/** Every statement of the deployed documents that allows `action` on `resource`. */
function allowing(documents: any[], action: string, resource: string): any[] {
  const list = (v: unknown) => [v ?? []].flat() as string[];
  return documents.flatMap((d) => d.Statement)
    .filter((s) => s.Effect === 'Allow' && list(s.Action).includes(action) && list(s.Resource).includes(resource));
}

describe('results location: listing the results bucket', () => {
  const stack = newStack({ env: PLACE });
  const target = new AthenaTargetRole(stack, 'Target', FULL_TARGET_ROLE_PROPS);
  const deployed = deployOnPaper(Template.fromStack(stack).toJSON(), PLACE);

  test('s3:ListBucket on the results bucket carries no s3:prefix condition (as Athena\'s S3 permissions grant it)', () => {
    const listing = allowing(managedPolicyDocuments(deployed), 's3:ListBucket', RESULTS_BUCKET);
    expect(listing).toHaveLength(1);
    expect(listing[0].Condition).toBeUndefined();
    expect(listing[0].Action).toEqual(expect.arrayContaining(['s3:GetBucketLocation', 's3:ListBucket']));
  });

  test('the output location check (ListBucket with no prefix) is allowed; other principals\' results still cannot be read', async () => {
    const calls = [
      { label: 'ListBucket with no prefix', action: 's3:ListBucket', resource: RESULTS_BUCKET },
      { label: 'ListBucket of the results folder', action: 's3:ListBucket', resource: RESULTS_BUCKET, context: { 's3:prefix': 'qualytics/results/' } },
      { label: 'GetBucketLocation', action: 's3:GetBucketLocation', resource: RESULTS_BUCKET },
    ];
    const outside = [{ label: 'GetObject outside the results prefix', action: 's3:GetObject', resource: `${RESULTS_BUCKET}/other/someone-elses-query.csv` }];
    expect(await decisionsAsRole(deployedRole(deployed, logicalIdOf(target.role)), [...calls, ...outside]))
      .toEqual({ ...expectEach(calls, () => 'Allowed'), ...expectEach(outside, () => 'ImplicitlyDenied') });
  });

  test('the customer template grants it alike: no s3:prefix on the results bucket\'s ListBucket', () => {
    const template = JSON.parse(AthenaTargetRoleTemplate.render());
    const parameters = { BaseRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role', ExternalId: 'qualytics-7f3c2a91-acme', ResultsBucket: 'acme-athena-results' };
    const listing = allowing(managedPolicyDocuments(deployOnPaper(template, { ...PLACE, parameters })), 's3:ListBucket', RESULTS_BUCKET);
    expect(listing.map((s) => s.Condition)).toEqual([undefined]);
  });
});

describe('results location: a results prefix with a trailing slash', () => {
  const template = JSON.parse(AthenaTargetRoleTemplate.render());
  const parameters = { BaseRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role', ExternalId: 'qualytics-7f3c2a91-acme', ResultsBucket: 'acme-athena-results' };
  /** Every ARN and output of the deployed template: the policies' resources and the connection's output location. */
  const deployedShape = (resultsPrefix: string) => {
    const deployed = deployOnPaper(template, { ...PLACE, parameters: { ...parameters, ResultsPrefix: resultsPrefix } });
    return { documents: managedPolicyDocuments(deployed), outputs: deployed.outputs };
  };

  test.each(['athena', 'athena/results'])('the template deployed with ResultsPrefix=%s/ gives the same ARNs and output location as without the slash', (prefix) => {
    const withSlash = deployedShape(`${prefix}/`);
    expect(withSlash).toEqual(deployedShape(prefix));
    expect(JSON.stringify(withSlash)).toContain(`${RESULTS_BUCKET}/${prefix}/*`);
    expect(Object.values(withSlash.outputs)).toContain(`s3://acme-athena-results/${prefix}/`);
    expect(JSON.stringify(withSlash)).not.toContain(`${prefix}//`);
  });

  test('the template and the construct agree on a prefix with a trailing slash', () => {
    const stack = newStack({ env: PLACE });
    new AthenaTargetRole(stack, 'Target', {
      trustedRoleArn: parameters.BaseRoleArn, externalId: parameters.ExternalId, resultsBucketName: 'acme-athena-results', resultsPrefix: 'athena/',
    });
    const construct = JSON.stringify(managedPolicyDocuments(deployOnPaper(Template.fromStack(stack).toJSON(), PLACE)));
    expect(construct).toContain(`${RESULTS_BUCKET}/athena/*`);
    expect(construct).not.toContain('athena//');
  });

  test.each(['athena//', '/athena', 'athena/results//'])('CloudFormation still refuses ResultsPrefix=%s', (bad) => {
    expect(() => deployOnPaper(template, { ...PLACE, parameters: { ...parameters, ResultsPrefix: bad } })).toThrow(/Parameter 'ResultsPrefix' must satisfy/);
  });
});
