/**
 * drift against moto_server: a target role of 10 managed policies (the default quota) with Lake Formation grants,
 * deployed from its synthesized template, checked with the drift command (reading the template, reading the role
 * back, comparing, formatting), against a baseline measured in the same run: the same reads as plain SDK calls,
 * with no template read and no comparison. Run with `npm run bench` or on its own:
 * `npx ts-node --project test/tsconfig.json bench/drift.ts` (needs moto_server on PATH).
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import {
  GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { LakeFormationClient, ListPermissionsCommand } from '@aws-sdk/client-lakeformation';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccessMode, AthenaTargetRole } from '../lib';
import { runCli } from '../lib/cli';
import { deployTemplate, motoClients, Template as DeployableTemplate } from '../test/audit/moto-deploy';
import { startMoto } from '../test/support/moto';

const ACCOUNT = '111122223333';
const ROLE_NAME = 'qualytics-bench';
const RUNS = 7;
const POLICIES = 10;
const DATABASES = 320;

/** The approved template: 320 databases of 32-character names, which take 10 managed policies, and their Lake Formation grants. */
function approvedTemplate(): { template: DeployableTemplate; policies: number } {
  const stack = new Stack(new App(), 'Drift', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const target = new AthenaTargetRole(stack, 'Target', {
    trustedRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role',
    externalId: 'qualytics-acme-7f3c9e',
    resultsBucketName: 'acme-results',
    roleName: ROLE_NAME,
    accessMode: AccessMode.IAM_AND_LAKE_FORMATION,
    glueDatabaseNames: Array.from({ length: DATABASES }, (_, i) => `sales_${String(i).padStart(5, '0')}_${'x'.repeat(20)}`),
    maxManagedPolicies: POLICIES,
  });
  const policies = target.queryPolicy.managedPolicies.length;
  if (policies !== POLICIES) throw new Error(`the bench role takes ${policies} managed policies, not ${POLICIES}: adjust DATABASES`);
  return { template: Template.fromStack(stack).toJSON() as DeployableTemplate, policies };
}

/** The baseline: GetRole, the inline and attached policies' documents and the Lake Formation grants, as plain SDK calls. */
async function plainReads(iam: IAMClient, lakeFormation: LakeFormationClient): Promise<number> {
  let calls = 1;
  await iam.send(new GetRoleCommand({ RoleName: ROLE_NAME }));
  const inline = (await iam.send(new ListRolePoliciesCommand({ RoleName: ROLE_NAME }))).PolicyNames ?? [];
  calls += 1 + inline.length;
  await Promise.all(inline.map((PolicyName) => iam.send(new GetRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName }))));
  const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: ROLE_NAME }))).AttachedPolicies ?? [];
  calls += 1;
  for (const { PolicyArn } of attached) {
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn }));
    await iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId: Policy!.DefaultVersionId }));
    calls += 2;
  }
  await lakeFormation.send(new ListPermissionsCommand({}));
  return calls + 1;
}

/** Prints the median time of a drift run and of the plain reads (alternating, after one warm-up of each), and the ratio. */
export async function driftBenchmark(): Promise<void> {
  const moto = await startMoto({ accountId: ACCOUNT });
  try {
    const { template, policies } = approvedTemplate();
    await deployTemplate(moto, template);
    const file = join(mkdtempSync(join(tmpdir(), 'drift-bench-')), 'approved.template.json');
    writeFileSync(file, JSON.stringify(template));
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_IAM: moto.endpoint, AWS_ENDPOINT_URL_LAKEFORMATION: moto.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1',
    });
    delete process.env.AWS_PROFILE;
    const args = ['drift', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`, '--expected', file];
    const output: string[] = [];
    const drift = async () => {
      const start = performance.now();
      const code = await runCli(args, { out: (line) => output.push(line), err: (line) => output.push(line) });
      if (code !== 0) throw new Error(`drift of the clean deploy exited ${code}:\n${output.join('\n')}`);
      return performance.now() - start;
    };
    const { iam, lakeFormation } = motoClients(moto);
    let calls = 0;
    const plain = async () => {
      const start = performance.now();
      calls = await plainReads(iam, lakeFormation);
      return performance.now() - start;
    };
    await drift();
    await plain();
    const driftRuns: number[] = [];
    const plainRuns: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      driftRuns.push(await drift());
      plainRuns.push(await plain());
    }
    iam.destroy();
    lakeFormation.destroy();
    const median = (runs: number[]) => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)];
    console.log(`\n## drift against moto_server: a role of ${policies} managed policies and its Lake Formation grants\n`);
    console.log(`| run | median of ${RUNS} (ms) |`);
    console.log('|---|---:|');
    console.log(`| drift (read the template, read the role and grants, compare, format) | ${median(driftRuns).toFixed(0)} |`);
    console.log(`| plain SDK reads of the same role and grants (${calls} calls) | ${median(plainRuns).toFixed(0)} |`);
    console.log(`| ratio | ${(median(driftRuns) / median(plainRuns)).toFixed(2)}x |`);
  } finally {
    moto.stop();
  }
}

if (require.main === module) {
  driftBenchmark().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
