/**
 * Scale table: databases x data locations x workgroups (1, 10, 100, 1,000) -> managed policies, largest
 * document and synth time, and the largest configuration that fits. Run with `npm run bench` or on its own:
 * `npx ts-node --project test/tsconfig.json bench/scale.ts`.
 */
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import { MODULE_REGION, moduleMaxGlueDatabases, names } from './terraform-capacity';
import { AccessMode, AthenaQueryPolicy, AthenaTargetRole } from '../lib';
import { planPolicies } from '../lib/model/capacity';
import { IAM_LIMITS } from '../lib/model/size';

const SIZES = [1, 10, 100, 1000];
const QUOTA = 20;
/** Name lengths of the measured configurations (those `AthenaQueryPolicy.capacity()` assumes by default). */
export const SHAPE = { databaseNameLength: 32, bucketNameLength: 63, prefixLength: 32, workGroupNameLength: 32 };

/** Milliseconds to synthesize a stack with one target role of this configuration. */
function synthMilliseconds(databases: number, locations: number, workGroups: number): number {
  const start = performance.now();
  const app = new App();
  const stack = new Stack(app, 'Scale', { env: { account: '111122223333', region: 'us-east-1' } });
  new AthenaTargetRole(stack, 'Target', {
    trustedRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role',
    workGroupNames: names('w', workGroups, SHAPE.workGroupNameLength),
    glueDatabaseNames: names('d', databases, SHAPE.databaseNameLength),
    resultsBucketName: 'r'.repeat(SHAPE.bucketNameLength),
    resultsPrefix: 'p'.repeat(SHAPE.prefixLength),
    dataLocations: names('b', locations, SHAPE.bucketNameLength).map((bucketName) => ({ bucketName, prefix: 'p'.repeat(SHAPE.prefixLength) })),
    maxManagedPolicies: QUOTA,
  });
  app.synth();
  return performance.now() - start;
}

/** Prints the scale table and the maximum configurations that fit 10 and 20 managed policies. */
export async function scaleBenchmark(): Promise<void> {
  // The first synth in a process pays for CloudFormation validation: pay it before measuring.
  synthMilliseconds(1, 1, 1);
  console.log(`\n## Scale (guardrails on; names: database ${SHAPE.databaseNameLength}, bucket ${SHAPE.bucketNameLength}, ` +
    `prefix ${SHAPE.prefixLength}, workgroup ${SHAPE.workGroupNameLength} characters; quota ${QUOTA} managed policies)\n`);
  console.log('Policies and sizes are upper bounds for any partition and Region; synth is of an us-east-1 stack.\n');
  console.log('| databases | data locations | workgroups | managed policies | largest policy (chars) | synth (ms) |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const databases of SIZES) {
    for (const locations of SIZES) {
      for (const workGroups of SIZES) {
        const plan = planPolicies({
          ...SHAPE,
          workGroups,
          dataLocations: locations,
          kmsKeys: 0,
          accessMode: AccessMode.IAM,
          lakeFormation: false,
          managedQueryResults: false,
          guardrails: true,
          maxInlinePolicyLength: IAM_LIMITS.roleInlinePolicies,
        }, databases, QUOTA);
        const synth = plan.fits ? synthMilliseconds(databases, locations, workGroups).toFixed(0) : `does not fit (> ${QUOTA} + inline)`;
        const inline = plan.inlinePolicyLength > 0 ? ` + inline ${plan.inlinePolicyLength}` : '';
        console.log(`| ${databases} | ${locations} | ${workGroups} | ${plan.managedPolicies}${inline} | ${plan.largestPolicyLength} | ${synth} |`);
      }
    }
  }
  console.log('\nLargest number of Glue databases that fits (AthenaQueryPolicy.capacity), against the physical limit of IAM\'s');
  console.log('quotas (every character of the managed policies and the inline budget spent on databases; no packing reaches it):\n');
  console.log('| data locations | workgroups | quota 10, managed only | quota 10 + inline | physical (10 + inline) | quota 20 + inline | physical (20 + inline) |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const [dataLocations, workGroups] of [[0, 1], [1, 1], [10, 1], [10, 10], [100, 1], [1, 100]]) {
    const capacity = (maxManagedPolicies: number, maxInlinePolicyLength: number) =>
      AthenaQueryPolicy.capacity({ ...SHAPE, dataLocations, workGroups, maxManagedPolicies, maxInlinePolicyLength });
    const [managedOnly, ten, twenty] = [capacity(10, 0), capacity(10, IAM_LIMITS.roleInlinePolicies), capacity(20, IAM_LIMITS.roleInlinePolicies)];
    const ratio = (c: typeof ten) => `${c.physicalMaxGlueDatabases} (${((100 * c.maxGlueDatabases) / Math.max(1, c.physicalMaxGlueDatabases)).toFixed(1)}% reached)`;
    console.log(`| ${dataLocations} | ${workGroups} | ${managedOnly.maxGlueDatabases} | ${ten.maxGlueDatabases} | ${ratio(ten)} | ${twenty.maxGlueDatabases} | ${ratio(twenty)} |`);
  }
  console.log('\nThe Terraform target-role module (no inline policy; the guardrails are one of the managed policies; one workgroup, no data '
    + `locations), measured with terraform plan in ${MODULE_REGION}, beside the constructs' managed-only capacity for the same quota:\n`);
  console.log('| quota | query_policy_count | module: most databases | plans (s) | constructs, managed only | physical (managed only) |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const quota of [IAM_LIMITS.managedPoliciesPerIdentity, IAM_LIMITS.managedPoliciesPerIdentityMax]) {
    const constructs = AthenaQueryPolicy.capacity({ ...SHAPE, dataLocations: 0, workGroups: 1, maxManagedPolicies: quota, maxInlinePolicyLength: 0 });
    const measured = moduleMaxGlueDatabases(SHAPE, quota - 1, quota, constructs.maxGlueDatabases);
    console.log(`| ${quota} | ${quota - 1} | ${measured.maxGlueDatabases} | ${measured.plans} (${measured.seconds.toFixed(0)}) | `
      + `${constructs.maxGlueDatabases} | ${constructs.physicalMaxGlueDatabases} |`);
  }
  const lakeFormation = AthenaQueryPolicy.capacity({ ...SHAPE, accessMode: AccessMode.LAKE_FORMATION });
  console.log(`\nLake Formation mode: ${lakeFormation.maxGlueDatabases} databases (limited by ${lakeFormation.limitedBy}: two grants per database, ` +
    `500 resources per stack, 400 nested stacks at 80%); the IAM side is ${lakeFormation.policiesAtMax} managed policy of ` +
    `${lakeFormation.largestPolicyLengthAtMax} characters whatever the number of databases.`);
}

if (require.main === module) {
  scaleBenchmark().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
