/**
 * Property-based proofs: for random valid props, every call of the Athena JDBC driver on what was asked is
 * allowed, and the same calls on a random neighbour that was not asked (a workgroup, database, bucket,
 * prefix or key whose name has one more character) are denied, listings included. Synthesized, resolved and simulated like the rest.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { AthenaTargetRole } from '../../lib';
import { AccessScope, delegatingKeyPolicy, driverCalls, LabelledCall } from '../support/athena-driver-calls';
import { deployOnPaper } from '../support/cloudformation';
import { CUSTOMER_ACCOUNT, VENDOR_ACCOUNT } from '../support/full-options';
import { decisionsAsRole, deployedRole, logicalIdOf } from '../support/simulate';

const REGION = 'eu-central-1';
const bucket = fc.stringMatching(/^[a-z][a-z0-9-]{2,20}[a-z0-9]$/);
const prefix = fc.stringMatching(/^[a-z0-9_-]{1,8}(\/[a-z0-9_-]{1,8}){0,2}$/);
const keyArn = fc.uuid({ version: 4 }).map((id) => `arn:aws:kms:${REGION}:${CUSTOMER_ACCOUNT}:key/${id}`);

const props = fc.record({
  workGroupNames: fc.uniqueArray(fc.stringMatching(/^[a-zA-Z0-9._-]{1,20}$/), { minLength: 1, maxLength: 3 }),
  glueDatabaseNames: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/), { minLength: 1, maxLength: 4 }),
  resultsBucketName: bucket,
  resultsPrefix: fc.option(prefix, { nil: undefined }),
  dataLocations: fc.uniqueArray(fc.record({ bucketName: bucket, prefix: fc.option(prefix, { nil: undefined }) }),
    { maxLength: 3, selector: (l) => l.bucketName }),
  kmsKeyArns: fc.uniqueArray(keyArn, { maxLength: 2 }),
}).filter((p) => p.dataLocations.every((l) => l.bucketName !== p.resultsBucketName));

type Props = typeof props extends fc.Arbitrary<infer T> ? T : never;

/** Synthesizes a target role for `p` and resolves it as deployed in the customer account. */
function deploy(p: Props) {
  const stack = new Stack(new App(), 'Property', { env: { account: CUSTOMER_ACCOUNT, region: REGION } });
  const target = new AthenaTargetRole(stack, 'Target', { ...p, trustedRoleArn: `arn:aws:iam::${VENDOR_ACCOUNT}:role/acme-dataplane-role` });
  return deployedRole(deployOnPaper(Template.fromStack(stack).toJSON(), { account: CUSTOMER_ACCOUNT, region: REGION }), logicalIdOf(target.role));
}

function scopeOf(p: Props, overrides: Partial<AccessScope> = {}): AccessScope {
  return {
    partition: 'aws',
    region: REGION,
    account: CUSTOMER_ACCOUNT,
    workGroups: p.workGroupNames,
    catalog: 'AwsDataCatalog',
    databases: p.glueDatabaseNames,
    resultsBucket: p.resultsBucketName,
    // The documented default of resultsPrefix.
    resultsPrefix: p.resultsPrefix ?? 'qualytics-athena-results',
    dataLocations: p.dataLocations.map((l) => ({ bucket: l.bucketName, prefix: l.prefix })),
    kmsKeys: p.kmsKeyArns.map((arn) => ({ arn, keyPolicy: delegatingKeyPolicy('aws', CUSTOMER_ACCOUNT) })),
    lakeFormation: false,
    ...overrides,
  };
}

/** A name one character longer than `name` that is not in `taken`. */
const neighbour = (name: string, taken: string[]) => [`${name}x`, `${name}y`, `${name}z`].find((n) => !taken.includes(n))!;

/**
 * The driver's calls on neighbours of what was asked: the catalog-level and bucket-level calls that stay
 * in scope (the Glue catalog, `*`) are left out, so that every remaining call must be denied.
 */
function neighbourCalls(p: Props): LabelledCall[] {
  const buckets = [p.resultsBucketName, ...p.dataLocations.map((l) => l.bucketName)];
  const calls = driverCalls(scopeOf(p, {
    workGroups: p.workGroupNames.map((w) => neighbour(w, p.workGroupNames)),
    databases: p.glueDatabaseNames.map((d) => neighbour(d, p.glueDatabaseNames)),
    resultsBucket: neighbour(p.resultsBucketName, buckets),
    dataLocations: p.dataLocations.map((l) => (l.prefix
      ? { bucket: l.bucketName, prefix: neighbour(l.prefix, []) }
      : { bucket: neighbour(l.bucketName, buckets) })),
    kmsKeys: p.kmsKeyArns.map((arn) => ({ arn: arn.replace(/.$/, (c) => (c === '0' ? '1' : '0')), keyPolicy: delegatingKeyPolicy('aws', CUSTOMER_ACCOUNT) })),
  }));
  const stillInScope = (c: LabelledCall) => c.resource === '*' || /:catalog$/.test(c.resource) || /datacatalog\/AwsDataCatalog$/.test(c.resource)
    || /:database\/(default|\*)$/.test(c.resource)
    // Locating a bucket that was asked stays in scope; listing it under a neighbour folder does not.
    || (c.action !== 's3:ListBucket' && c.resource.startsWith('arn:aws:s3:::') && !c.resource.includes('/')
      && buckets.includes(c.resource.slice('arn:aws:s3:::'.length)));
  return calls.filter((c) => !stillInScope(c));
}

test('what was asked is allowed, and the same calls on a neighbour that was not asked are denied', async () => {
  await fc.assert(fc.asyncProperty(props, async (p) => {
    const role = deploy(p);
    const asked = driverCalls(scopeOf(p));
    const allowed = await decisionsAsRole(role, asked);
    expect(Object.entries(allowed).filter(([, d]) => d !== 'Allowed')).toEqual([]);
    const others = neighbourCalls(p);
    expect(others.length).toBeGreaterThan(20);
    const denied = await decisionsAsRole(role, others);
    expect(Object.entries(denied).filter(([, d]) => d === 'Allowed')).toEqual([]);
  }), { numRuns: 25 });
}, 120_000);

test('a database pattern such as "sales_*" allows every database it matches and not the stem itself', async () => {
  const patterns = fc.record({
    base: props,
    stems: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/), { minLength: 1, maxLength: 3 }),
    suffix: fc.stringMatching(/^[a-z0-9_]{0,8}$/),
  });
  await fc.assert(fc.asyncProperty(patterns, async ({ base, stems, suffix }) => {
    const p = { ...base, glueDatabaseNames: stems.map((stem) => `${stem}_*`) };
    const role = deploy(p);
    const glue = (databases: string[]) => driverCalls(scopeOf(p, { databases }))
      .filter((c) => /:(database|table)\/(?!default$|\*$)/.test(c.resource));
    const matching = await decisionsAsRole(role, glue(stems.map((stem) => `${stem}_${suffix}`)));
    expect(Object.values(matching).every((d) => d === 'Allowed')).toBe(true);
    const stemsOnly = await decisionsAsRole(role, glue(stems));
    expect(Object.values(stemsOnly).every((d) => d === 'ImplicitlyDenied')).toBe(true);
  }), { numRuns: 15 });
}, 120_000);
