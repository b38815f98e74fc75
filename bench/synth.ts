import { performance } from 'node:perf_hooks';
import { App, Aws, CfnElement, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AthenaTargetRole, DataplaneBaseRole, DataplaneIdentity } from '../lib';
import { IAM_LIMITS } from '../lib/model/size';

const ENV = { account: '111122223333', region: 'us-east-1' };
const WARMUP = 5;
const RUNS = 15;

/** The IAM part of a deployment, at a given number of Glue databases and data locations. */
interface Shape {
  readonly name: string;
  readonly databases: number;
  readonly dataLocations: number;
}

export const SHAPES: Shape[] = [
  { name: 'examples (2 databases, 1 location)', databases: 2, dataLocations: 1 },
  { name: 'large (300 databases, 20 locations)', databases: 300, dataLocations: 20 },
];

/** An app with the library's constructs: a self-hosted account with base and target role, and a vendor tenant. */
export function libraryApp(shape: Shape): App {
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

/** A synthesized stack of the library's app: its template, and the construct path of each logical id. */
interface LibraryStack {
  readonly template: any;
  readonly paths: Map<string, string[]>;
}

/**
 * The baseline: the same roles and managed policies, written by hand with plain aws-iam as a CDK user would
 * (policy statements whose ARNs carry `Aws.PARTITION` and the roles' ARNs), at the same construct paths so
 * that CDK allocates the same logical ids, with no validation, measuring, packing or acknowledgments.
 * `assertSameIamResources` checks that it synthesizes exactly the library's resources.
 */
function baselineApp(stacks: Record<string, LibraryStack>): App {
  const app = new App();
  for (const [stackName, { template, paths }] of Object.entries(stacks)) {
    const stack = new Stack(app, stackName, { env: stackName === 'VendorTenant' ? { ...ENV, account: '315179787488' } : ENV });
    /** The scope and id of the L2 construct whose default child has this logical id. */
    const at = (logicalId: string): [Construct, string] => {
      const path = paths.get(logicalId)!;
      let scope: Construct = stack;
      for (const id of path.slice(0, -2)) scope = (scope.node.tryFindChild(id) as Construct) ?? new Construct(scope, id);
      return [scope, path[path.length - 2]];
    };
    const resources = Object.entries<any>(template.Resources);
    const roles = new Map<string, iam.Role>();
    for (const [id, { Properties: props }] of resources.filter(([, r]) => r.Type === 'AWS::IAM::Role')) {
      const role = new iam.Role(...at(id), {
        assumedBy: new iam.AccountRootPrincipal(),
        roleName: props.RoleName,
        description: props.Description,
        maxSessionDuration: props.MaxSessionDuration ? Duration.seconds(props.MaxSessionDuration) : undefined,
      });
      (role.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = props.AssumeRolePolicyDocument;
      roles.set(id, role);
    }
    for (const [id, { Properties: props }] of resources.filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy')) {
      const policy = new iam.ManagedPolicy(...at(id), {
        description: props.Description,
        document: iam.PolicyDocument.fromJson(handWritten(props.PolicyDocument, roles)),
      });
      for (const ref of props.Roles ?? []) policy.attachToRole(roles.get(ref.Ref)!);
      for (const [roleId, role] of resources.filter(([, r]) => r.Type === 'AWS::IAM::Role')) {
        if ((role.Properties.ManagedPolicyArns ?? []).some((ref: any) => ref.Ref === id)) roles.get(roleId)!.addManagedPolicy(policy);
      }
    }
  }
  return app;
}

/** The CDK code that yields a synthesized value: `Fn.join` over pseudo parameters and the roles' ARNs. */
function handWritten(value: any, roles: Map<string, iam.Role>): any {
  if (Array.isArray(value)) return value.map((v) => handWritten(v, roles));
  if (value && typeof value === 'object') {
    if ('Fn::Join' in value) return Fn.join(value['Fn::Join'][0], handWritten(value['Fn::Join'][1], roles));
    if ('Ref' in value) return PSEUDO[value.Ref] ?? roles.get(value.Ref)!.roleName;
    if ('Fn::GetAtt' in value) return roles.get(value['Fn::GetAtt'][0])!.roleArn;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, handWritten(v, roles)]));
  }
  return value;
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': Aws.PARTITION, 'AWS::Region': Aws.REGION, 'AWS::AccountId': Aws.ACCOUNT_ID, 'AWS::URLSuffix': Aws.URL_SUFFIX,
};

/** Fails unless the two apps synthesize the same IAM resources, so the baseline does the same work. */
function assertSameIamResources(library: Record<string, any>, baseline: Record<string, any>): void {
  const iamOnly = (template: any) => Object.entries<any>(template.Resources).filter(([, r]) => r.Type.startsWith('AWS::IAM::'))
    .sort(([a], [b]) => a.localeCompare(b)).map(([id, r]) => JSON.stringify([id, r.Type, r.Properties]));
  for (const stack of Object.keys(library)) {
    const [ours, theirs] = [iamOnly(library[stack]), iamOnly(baseline[stack])];
    const differing = ours.filter((resource, i) => resource !== theirs[i]);
    if (ours.length !== theirs.length || differing.length > 0) {
      throw new Error(`The hand-written baseline of ${stack} differs from the library's template: ${differing.map((d) => d.slice(0, 300)).join('\n')}`);
    }
  }
}

/** Replaces intrinsics by placeholder strings of the same shape, to count a document's characters. */
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

/** A maker of the baseline app for `shape`, checked to synthesize the library's IAM resources. */
export function baselineAppFor(shape: Shape): () => App {
  const library = libraryApp(shape);
  const templates = templatesOf(library);
  const stacks = Object.fromEntries(library.node.children.filter(Stack.isStack).map((stack) => [stack.stackName, {
    template: templates[stack.stackName],
    paths: new Map(stack.node.findAll().filter(CfnElement.isCfnElement)
      .map((element) => [stack.resolve(element.logicalId), element.node.scopes.slice(2).map((scope) => scope.node.id)])),
  }]));
  assertSameIamResources(templates, templatesOf(baselineApp(stacks)));
  return () => baselineApp(stacks);
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
    const [library, baseline] = medianSynthMs([() => libraryApp(shape), baselineAppFor(shape)]);
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
