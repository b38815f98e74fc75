/**
 * Scale table: databases x data locations x workgroups (1, 10, 100, 1,000) -> managed policies, largest
 * document and synth time, and the largest configuration that fits. Run with `npm run bench` or on its own:
 * `npx ts-node --project test/tsconfig.json bench/scale.ts`.
 */
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import { AthenaQueryPolicy, AthenaTargetRole } from '../lib';
import { planPolicies } from '../lib/policy/capacity';

const SIZES = [1, 10, 100, 1000];
const QUOTA = 20;
/** Name lengths of the measured configurations (those `AthenaQueryPolicy.capacity()` assumes by default). */
const SHAPE = { databaseNameLength: 32, bucketNameLength: 63, prefixLength: 32, workGroupNameLength: 32 };

function names(prefix: string, count: number, length: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${'x'.repeat(length - prefix.length - String(i).length)}${i}`);
}

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
        const shape = {
          ...SHAPE, workGroups, dataLocations: locations, kmsKeys: 0, lakeFormation: false, managedQueryResults: false, guardrails: true,
        };
        const plan = planPolicies(shape, databases);
        const fits = plan.policies <= QUOTA;
        const synth = fits ? synthMilliseconds(databases, locations, workGroups).toFixed(0) : `does not fit (> ${QUOTA})`;
        console.log(`| ${databases} | ${locations} | ${workGroups} | ${plan.policies} | ${plan.largestPolicyLength} | ${synth} |`);
      }
    }
  }
  console.log('\nLargest number of Glue databases that fits (AthenaQueryPolicy.capacity):\n');
  console.log('| data locations | workgroups | quota 10 | quota 20 |');
  console.log('|---:|---:|---:|---:|');
  for (const [dataLocations, workGroups] of [[0, 1], [1, 1], [10, 1], [10, 10], [100, 1], [1, 100]]) {
    const max = (maxManagedPolicies: number) =>
      AthenaQueryPolicy.capacity({ ...SHAPE, dataLocations, workGroups, maxManagedPolicies }).maxGlueDatabases;
    console.log(`| ${dataLocations} | ${workGroups} | ${max(10)} | ${max(20)} |`);
  }
}

if (require.main === module) {
  scaleBenchmark().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
