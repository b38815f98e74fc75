/**
 * Lake Formation mode at 10,000 databases: synth time of the library against a hand-written CDK baseline that
 * creates the same grants in the same nested stacks, measured in the same run, and the IAM side's size. Run with
 * `npm run bench` or on its own: `npx ts-node --project test/tsconfig.json bench/lake-formation.ts`.
 */
import { performance } from 'perf_hooks';
import { App, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { AccessMode, AthenaTargetRole } from '../lib';

const DATABASES = Array.from({ length: 10000 }, (_, i) => `sales_${String(i).padStart(5, '0')}_${'x'.repeat(20)}`);
const NESTED_STACKS = 64;
const ENV = { account: '111122223333', region: 'us-east-1' };

interface Run {
  readonly milliseconds: number;
  readonly detail: string;
}

function library(): Run {
  const start = performance.now();
  const app = new App();
  const stack = new Stack(app, 'LakeFormation', { env: ENV });
  const target = new AthenaTargetRole(stack, 'Target', {
    trustedRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role',
    externalId: 'qualytics-acme-7f3c9e',
    resultsBucketName: 'acme-results',
    accessMode: AccessMode.LAKE_FORMATION,
    glueDatabaseNames: DATABASES,
    lakeFormationNestedStacks: NESTED_STACKS,
  });
  app.synth();
  const milliseconds = performance.now() - start;
  const grants = target.lakeFormationGrants!;
  const perStack = grants.nestedStacks.map((nested) => nested.node.children.filter((c) => CfnResource.isCfnResource(c)).length);
  return {
    milliseconds,
    detail: `${grants.grants.length} grants in ${grants.nestedStacks.length} nested stacks (fullest ${Math.max(...perStack)} of 500 resources); ` +
      `IAM: ${target.queryPolicy.managedPolicies.length} managed policy of ${target.queryPolicy.policySizes[0]} characters, no inline policy`,
  };
}

/**
 * What a CDK user would write by hand: the same role and grants (DESCRIBE on `default` included), in the same
 * number of nested stacks, the grants of each in order and the nested stacks one after another.
 */
function baseline(): Run {
  const start = performance.now();
  const app = new App();
  const stack = new Stack(app, 'LakeFormation', { env: ENV });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ArnPrincipal('arn:aws:iam::315179787488:role/acme-dataplane-role') });
  role.addManagedPolicy(new iam.ManagedPolicy(stack, 'Policy', {
    statements: [new iam.PolicyStatement({ actions: ['glue:GetTable', 'lakeformation:GetDataAccess'], resources: ['*'] })],
  }));
  const stacks = Array.from({ length: NESTED_STACKS }, (_, i) => new NestedStack(stack, `Grants${i + 1}`));
  const resourceOf = (nested: NestedStack) => nested.nestedStackResource as CfnResource;
  stacks.slice(1).forEach((nested, i) => resourceOf(nested).addResourceDependency(resourceOf(stacks[i])));
  const previous: Array<CfnResource | undefined> = [];
  [...DATABASES, 'default'].forEach((name, index) => {
    const shard = index % NESTED_STACKS;
    const grants = [
      [`Database-${name}`, ['DESCRIBE'], { database: { catalogId: stack.account, name } }],
      [`Tables-${name}`, ['SELECT', 'DESCRIBE'], { table: { catalogId: stack.account, databaseName: name, tableWildcard: {} } }],
    ] as const;
    for (const [id, permissions, resource] of name === 'default' ? grants.slice(0, 1) : grants) {
      const grant = new lakeformation.CfnPrincipalPermissions(stacks[shard], id, {
        catalog: stack.account,
        principal: { dataLakePrincipalIdentifier: role.roleArn },
        resource,
        permissions: [...permissions],
        permissionsWithGrantOption: [],
      });
      if (previous[shard]) grant.addResourceDependency(previous[shard]!);
      previous[shard] = grant;
    }
  });
  app.synth();
  return { milliseconds: performance.now() - start, detail: '' };
}

/** Prints the synth times (median of 3, alternating) and the ratio. */
export async function lakeFormationBenchmark(): Promise<void> {
  // The first synth in a process pays for CloudFormation validation: pay it before measuring.
  baseline();
  const libraryRuns: Run[] = [];
  const baselineRuns: Run[] = [];
  for (let i = 0; i < 3; i++) {
    libraryRuns.push(library());
    baselineRuns.push(baseline());
  }
  const median = (runs: Run[]) => runs.map((r) => r.milliseconds).sort((a, b) => a - b)[1];
  console.log(`\n## Lake Formation mode: ${DATABASES.length} databases, ${NESTED_STACKS} nested stacks\n`);
  console.log(libraryRuns[0].detail);
  console.log('\n| synth | median of 3 (ms) |');
  console.log('|---|---:|');
  console.log(`| library (AthenaTargetRole, accessMode LAKE_FORMATION) | ${median(libraryRuns).toFixed(0)} |`);
  console.log(`| hand-written CDK, same grants and nested stacks | ${median(baselineRuns).toFixed(0)} |`);
  console.log(`| ratio | ${(median(libraryRuns) / median(baselineRuns)).toFixed(2)}x |`);
}

if (require.main === module) {
  lakeFormationBenchmark().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
