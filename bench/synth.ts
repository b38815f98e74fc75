import { performance } from 'node:perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AthenaTargetRole, DataplaneBaseRole, DataplaneIdentity } from '../lib';
import { IAM_LIMITS } from '../lib/policy/size';

const ENV = { account: '111122223333', region: 'us-east-1' };
const WARMUP = 5;
const RUNS = 15;

/** The IAM part of a deployment, at a given number of Glue databases and data locations. */
interface Shape {
  readonly name: string;
  readonly databases: number;
  readonly dataLocations: number;
}

const SHAPES: Shape[] = [
  { name: 'examples (2 databases, 1 location)', databases: 2, dataLocations: 1 },
  { name: 'large (300 databases, 20 locations)', databases: 300, dataLocations: 20 },
];

/** An app with the library's constructs: a self-hosted account with base and target role, and a vendor tenant. */
function libraryApp(shape: Shape): App {
  const app = new App();
  const selfHosted = new Stack(app, 'SelfHosted', { env: ENV });
  const base = new DataplaneBaseRole(selfHosted, 'BaseRole', { identity: DataplaneIdentity.eksPodIdentity({ namespace: 'qualytics' }) });
  const target = new AthenaTargetRole(selfHosted, 'TargetRole', {
    trustedRoleArn: base.roleArn,
    workGroupNames: ['qualytics-dataplane'],
    glueDatabaseNames: Array.from({ length: shape.databases }, (_, i) => `database_${i}`),
    resultsBucketName: 'acme-athena-results',
    resultsPrefix: 'athena-results',
    dataLocations: Array.from({ length: shape.dataLocations }, (_, i) => ({ bucketName: 'acme-data-lake', prefix: `warehouse/table_${i}` })),
    kmsKeyArns: ['arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
  });
  base.grantAssume(target.roleArn);
  const vendor = new Stack(app, 'VendorTenant', { env: { ...ENV, account: '315179787488' } });
  new DataplaneBaseRole(vendor, 'BaseRole', {
    roleName: 'acme-dataplane-role',
    identity: DataplaneIdentity.irsa({ oidcProviderArn: 'arn:aws:iam::315179787488:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE', namespace: 'qualytics' }),
    targetAccountIds: ['111122223333'],
    targetRoleNamePrefix: 'qualytics-athena-',
  });
  return app;
}

/**
 * The baseline: the same roles and managed policies, with the same documents, written by hand with plain
 * aws-iam (no validation, measuring, packing or acknowledgments).
 */
function baselineApp(templates: Record<string, any>): App {
  const app = new App();
  for (const [stackName, template] of Object.entries(templates)) {
    const stack = new Stack(app, stackName, { env: ENV });
    const resources = Object.entries<any>(template.Resources);
    const roles = new Map<string, iam.Role>();
    for (const [id, resource] of resources.filter(([, r]) => r.Type === 'AWS::IAM::Role')) {
      const role = new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal() });
      const cfnRole = role.node.defaultChild as iam.CfnRole;
      cfnRole.overrideLogicalId(id);
      cfnRole.assumeRolePolicyDocument = resource.Properties.AssumeRolePolicyDocument;
      roles.set(id, role);
    }
    for (const [id, resource] of resources.filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy')) {
      const policy = new iam.ManagedPolicy(stack, id, { document: iam.PolicyDocument.fromJson(literal(resource.Properties.PolicyDocument)) });
      (policy.node.defaultChild as iam.CfnManagedPolicy).overrideLogicalId(id);
      for (const ref of resource.Properties.Roles ?? []) policy.attachToRole(roles.get(ref.Ref)!);
      for (const [roleId, role] of resources.filter(([, r]) => r.Type === 'AWS::IAM::Role')) {
        if ((role.Properties.ManagedPolicyArns ?? []).some((ref: any) => ref.Ref === id)) policy.attachToRole(roles.get(roleId)!);
      }
    }
  }
  return app;
}

/** Replaces intrinsics by placeholder strings of the same shape, so the baseline has the same documents. */
function literal(value: any): any {
  if (Array.isArray(value)) return value.map(literal);
  if (value && typeof value === 'object') {
    if ('Fn::Join' in value) return value['Fn::Join'][1].map((p: any) => (typeof p === 'string' ? p : 'aws')).join(value['Fn::Join'][0]);
    if ('Ref' in value || 'Fn::GetAtt' in value) return 'arn:aws:iam::111122223333:role/placeholder';
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literal(v)]));
  }
  return value;
}

/**
 * Median synth time of two apps, measured alternately so that JIT warm-up and machine noise fall on both
 * alike; the first runs of each are discarded.
 */
function medianSynthMs(makeApps: Array<() => App>): number[] {
  const times: number[][] = makeApps.map(() => []);
  for (let i = 0; i < WARMUP + RUNS; i++) {
    makeApps.forEach((makeApp, index) => {
      const start = performance.now();
      makeApp().synth();
      if (i >= WARMUP) times[index].push(performance.now() - start);
    });
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

function templatesOf(app: App): Record<string, any> {
  const assembly = app.synth();
  return Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template]));
}

/** Synth time against hand-written aws-iam, and policy sizes against IAM's limits. */
export async function synthBenchmark(): Promise<void> {
  console.log('\n## Synth time: library constructs vs hand-written aws-iam with the same documents');
  console.log(`median of ${RUNS} alternating synths (after ${WARMUP} discarded) of a 2-stack app (self-hosted base + target role, vendor base role)\n`);
  console.log('| shape | library ms | hand-written ms | ratio |');
  console.log('|---|---:|---:|---:|');
  for (const shape of SHAPES) {
    const templates = templatesOf(libraryApp(shape));
    const [library, baseline] = medianSynthMs([() => libraryApp(shape), () => baselineApp(templates)]);
    console.log(`| ${shape.name} | ${library.toFixed(1)} | ${baseline.toFixed(1)} | ${(library / baseline).toFixed(2)} |`);
  }

  console.log('\n## Policy sizes, as deployed in us-east-1 (characters as IAM counts them, whitespace excluded)\n');
  console.log(`limits: managed policy ${IAM_LIMITS.managedPolicy}, trust policy ${IAM_LIMITS.trustPolicy}, ` +
    `${IAM_LIMITS.managedPoliciesPerIdentity} managed policies per role (default quota)\n`);
  console.log('| shape | role | trust | managed policies | characters per policy | role total | % of 10 × 6,144 |');
  console.log('|---|---|---:|---:|---|---:|---:|');
  for (const shape of SHAPES) {
    for (const [stackName, template] of Object.entries(templatesOf(libraryApp(shape)))) {
      for (const row of roleSizes(template)) {
        const total = row.policies.reduce((a, b) => a + b, 0);
        const budget = IAM_LIMITS.managedPolicy * IAM_LIMITS.managedPoliciesPerIdentity;
        console.log(`| ${shape.name} | ${stackName}/${row.role} | ${row.trust} | ${row.policies.length} | ` +
          `${row.policies.join(', ')} | ${total} | ${(100 * total / budget).toFixed(1)}% |`);
      }
    }
  }
}

/** Each role's trust policy size and the sizes of the managed policies attached to it, either way round. */
function roleSizes(template: any): Array<{ role: string; trust: number; policies: number[] }> {
  const resources = Object.entries<any>(template.Resources);
  const size = (document: unknown) => JSON.stringify(literal(document)).length;
  const policies = resources.filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy');
  return resources.filter(([, r]) => r.Type === 'AWS::IAM::Role').map(([id, role]) => {
    const attached = new Set<string>((role.Properties.ManagedPolicyArns ?? []).map((ref: any) => ref.Ref));
    for (const [policyId, policy] of policies) {
      if ((policy.Properties.Roles ?? []).some((ref: any) => ref.Ref === id)) attached.add(policyId);
    }
    return {
      role: id,
      trust: size(role.Properties.AssumeRolePolicyDocument),
      policies: policies.filter(([policyId]) => attached.has(policyId)).map(([, p]) => size(p.Properties.PolicyDocument)),
    };
  });
}

if (require.main === module) {
  void synthBenchmark();
}
