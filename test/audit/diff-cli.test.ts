/**
 * The `diff` command line: its exit codes, its Markdown and JSON, and each kind of input it reads (template
 * files, cloud assembly directories, the customer template with parameters, a release's tarball, deployment
 * configs). The right answer of each pair follows from IAM's evaluation rules
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): an Allow grants
 * the requests its action, resource and condition match, so a statement on one more resource (or without a
 * condition it had) lets through requests that were denied before (broadening), and one on fewer resources only
 * denies requests that were allowed (narrowing). Glue names a database `arn:<partition>:glue:<region>:<account>:database/<name>`
 * and its tables `...:table/<database>/<table>` (https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html).
 * The engine's own answers are cross-checked with a policy evaluator in test/audit/diff.test.ts.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { REGION, targetRoleTemplate } from './support';
import { AthenaTargetRole } from '../../lib';
import { runCli } from '../../lib/cli';
import { CUSTOMER_ACCOUNT, VENDOR_ACCOUNT } from '../support/full-options';

jest.setTimeout(180_000);

const BASE_ROLE = `arn:aws:iam::${VENDOR_ACCOUNT}:role/acme-dataplane-role`;
const EXTERNAL_ID = 'qualytics-acme-7f3c9e';
const RESULTS_BUCKET = 'acme-athena-results';
const PROPS = { trustedRoleArn: BASE_ROLE, externalId: EXTERNAL_ID, resultsBucketName: RESULTS_BUCKET, roleName: 'qualytics-acme' };
const CUSTOMER_TEMPLATE = resolve(__dirname, '../../templates/athena-target-role.json');
/** The customer template's parameters without Defaults, and the account and region it is deployed in. */
const DEPLOYED = ['--account-id', CUSTOMER_ACCOUNT, '--region', REGION,
  '--parameters', `BaseRoleArn=${BASE_ROLE}`, `ExternalId=${EXTERNAL_ID}`, `ResultsBucket=${RESULTS_BUCKET}`];
const glue = (resource: string) => `arn:aws:glue:${REGION}:${CUSTOMER_ACCOUNT}:${resource}`;
/** What one more database grants: Glue's reads on the database and on its tables. */
const FINANCE = [glue('database/finance'), glue('table/finance/*')];

const directory = mkdtempSync(join(tmpdir(), 'diff-cli-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Writes `content` (JSON unless a string) to a file in the test's folder; returns its path. */
function file(name: string, content: unknown): string {
  const path = join(directory, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** The template of a stack holding one target role with PROPS and `props`, as a file. */
const roleFile = (name: string, props: Record<string, unknown> = {}) => file(`${name}.template.json`, targetRoleTemplate({ ...PROPS, ...props }));

/** Runs the command line in process. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The Markdown table rows of added or removed actions: `<change> <action> <target>`. */
function markdownRows(markdown: string, kinds: string[] = ['added', 'removed']): string[] {
  return [...markdown.matchAll(/^\| (added|removed) \| ([\w-]+:\w+) \| \w+ \| `([^`]+)` \|/gm)]
    .filter(([, kind]) => kinds.includes(kind))
    .map(([, kind, action, target]) => `${kind} ${action} ${target}`).sort();
}

/** The targets of the added (or removed) permission rows. */
const targetsOf = (markdown: string, kind = 'added') => new Set(markdownRows(markdown, [kind]).map((row) => row.split(' ')[2]));

describe('exit codes and the verdict', () => {
  const sales = roleFile('sales', { glueDatabaseNames: ['sales'] });
  const salesAgain = roleFile('sales-again', { glueDatabaseNames: ['sales'] });
  const salesFinance = roleFile('sales-finance', { glueDatabaseNames: ['sales', 'finance'] });
  const everyDatabase = roleFile('every-database');

  test('the same access: exit 0, no change', async () => {
    const { code, out } = await run('diff', sales, salesAgain);
    expect(code).toBe(0);
    expect(out).toContain('**No change in access.**');
  });

  test('a database added: exit 1, the Glue reads on it grouped by service with their access level, said to broaden', async () => {
    const { code, out } = await run('diff', sales, salesFinance);
    expect(code).toBe(1);
    expect(out).toContain(`# Access changes: \`${sales}\` → \`${salesFinance}\``);
    expect(out).toContain('**This change broadens access**');
    expect(out).toContain('#### AWS Glue (`glue`)');
    // GetTable reads a table's definition: Read, in the Service Authorization Reference
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsglue.html).
    expect(out).toContain(`| added | glue:GetTable | Read | \`${glue('table/finance/*')}\` |  | yes |`);
    expect(targetsOf(out)).toEqual(new Set(FINANCE));
    expect(markdownRows(out, ['removed'])).toEqual([]);
  });

  test('--json: one document with the same added entries as the Markdown', async () => {
    const markdown = (await run('diff', sales, salesFinance)).out;
    const { code, out } = await run('diff', sales, salesFinance, '--json');
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect([json.sources, json.broadens, json.changed]).toEqual([{ before: sales, after: salesFinance }, true, true]);
    expect([json.before.name, json.after.name]).toEqual([PROPS.roleName, PROPS.roleName]);
    const jsonRows = json.permissions.allows.map((c: any) => `${c.kind} ${c.action} ${c.grant.target}`).sort();
    expect(jsonRows).toEqual(markdownRows(markdown));
    expect(jsonRows.length).toBeGreaterThan(5);
  });

  test('--fail-on broadening: exit 1 on a broadening, exit 0 on a pure narrowing (which --fail-on change still fails)', async () => {
    expect((await run('diff', sales, salesFinance, '--fail-on', 'broadening')).code).toBe(1);
    // Every database (database/*) to one: each request the after side allows, the before side allowed.
    const narrowing = await run('diff', everyDatabase, sales, '--fail-on', 'broadening');
    expect(narrowing.code).toBe(0);
    expect(narrowing.out).toContain('**This change does not broaden access**');
    expect(narrowing.out).toContain(`| narrowed | glue:GetTable | Read | \`${glue('table/*/*')}\` → \`${glue('table/sales/*')}\``);
    expect((await run('diff', everyDatabase, sales)).code).toBe(1);
  });

  test('the installed command exits with the same codes', async () => {
    // test/cli/support/cli-main.ts runs the sources as bin/qualytics-athena-iam.js runs build/.
    const cli = (...args: string[]) => new Promise<number>((done) => {
      execFile('node', ['-r', require.resolve('ts-node/register/transpile-only'), resolve(__dirname, '../cli/support/cli-main.ts'), 'diff', ...args],
        (error) => done(error ? (error as { code?: number }).code ?? -1 : 0));
    });
    expect(await Promise.all([cli(sales, salesAgain), cli(sales, salesFinance), cli(sales)])).toEqual([0, 1, 2]);
  });
});

describe('bad input: exit 2 and why', () => {
  const good = roleFile('good');
  const twoRoles = (() => {
    const stack = new Stack(new App(), 'TwoRoles', { env: { account: CUSTOMER_ACCOUNT, region: REGION } });
    new AthenaTargetRole(stack, 'Alpha', { ...PROPS, roleName: 'alpha' });
    new AthenaTargetRole(stack, 'Beta', { ...PROPS, roleName: 'beta' });
    return file('two-roles.template.json', Template.fromStack(stack).toJSON());
  })();

  // A wrong command line points to --help; a wrong input says what is wrong with it.
  const HELP = 'Run "qualytics-athena-iam diff --help" for the options.';
  test.each([
    ['a missing file', () => [join(directory, 'missing.json'), good], /^\/.*missing\.json: no such file or directory/, false],
    ['a YAML template', () => [file('role.yaml', 'Resources:\n  Role:\n    Type: AWS::IAM::Role\n'), good], /role\.yaml: not a JSON template \(YAML templates are not read/, false],
    ['a directory that is not a cloud assembly', () => [directory, good], /not a cloud assembly \(no manifest\.json\)/, false],
    ['broken JSON', () => [file('broken.json', '{"Resources": '), good], /broken\.json: not JSON/, false],
    ['a template with no role or user', () => [file('bucket.json', { Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } }), good], /bucket\.json: creates no IAM role or user/, false],
    ['an unknown flag', () => [good, good, '--bogus'], /Unknown option '--bogus'/, true],
    ['a bad --fail-on', () => [good, good, '--fail-on', 'always'], /--fail-on: expected change or broadening, got "always"/, true],
    ['one positional', () => [good], /Expected <before> and <after> .*, got 1/, true],
    ['three positionals', () => [good, good, good], /Expected <before> and <after> .*, got 3/, true],
    ['--parameters without a pair', () => [good, good, '--parameters', 'GlueDatabases'], /--parameters: expected Key=Value pairs, got "GlueDatabases"/, true],
  ])('%s', async (_name, argv, message, usage) => {
    const { code, out, err } = await run('diff', ...argv());
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.includes(HELP)).toBe(usage);
  });

  test('a template with two roles: both listed until --principal or --logical-id picks one', async () => {
    const several = await run('diff', twoRoles, good, '--account-id', CUSTOMER_ACCOUNT);
    expect(several.code).toBe(2);
    expect(several.err).toContain('2 principals; pick one with --principal <ARN or name> or --logical-id');
    expect(several.err).toMatch(new RegExp(`role alpha \\(logical id AlphaRole[0-9A-F]{8}, arn:aws:iam::${CUSTOMER_ACCOUNT}:role/alpha\\)`));
    expect(several.err).toContain(`arn:aws:iam::${CUSTOMER_ACCOUNT}:role/beta)`);
    const none = await run('diff', twoRoles, good, '--principal', 'gamma');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no principal matches "gamma"\. The candidates:\n {2}role alpha .*\n {2}role beta /);
    // --principal picks on both sides: alpha there and in a template of alpha alone, the same props.
    expect((await run('diff', twoRoles, roleFile('alpha', { roleName: 'alpha' }), '--principal', 'alpha')).code).toBe(0);
  });
});

describe('a cloud assembly directory against a template file', () => {
  test('the assembly\'s role read with its stack\'s environment: one database more in the template broadens by its ARNs', async () => {
    const outdir = join(directory, 'cdk.out');
    const app = new App({ outdir });
    const stack = new Stack(app, 'Assembly', { env: { account: CUSTOMER_ACCOUNT, region: REGION } });
    new AthenaTargetRole(stack, 'TargetRole', { ...PROPS, glueDatabaseNames: ['sales'] });
    app.synth();
    expect((await run('diff', outdir, roleFile('assembly-same', { glueDatabaseNames: ['sales'] }))).code).toBe(0);
    const { code, out } = await run('diff', outdir, roleFile('assembly-more', { glueDatabaseNames: ['sales', 'finance'] }), '--fail-on', 'broadening');
    expect(code).toBe(1);
    expect(targetsOf(out)).toEqual(new Set(FINANCE));
  });
});

describe('the customer template with parameters', () => {
  test('GlueDatabases sales → sales,finance: a broadening naming the finance database and its tables', async () => {
    const { code, out } = await run('diff', CUSTOMER_TEMPLATE, CUSTOMER_TEMPLATE, ...DEPLOYED,
      '--before-parameters', 'GlueDatabases=sales', '--after-parameters', 'GlueDatabases=sales,finance', '--fail-on', 'broadening');
    expect(code).toBe(1);
    expect(out).toContain('**This change broadens access**');
    expect(targetsOf(out)).toEqual(new Set(FINANCE));
    expect(markdownRows(out, ['removed'])).toEqual([]);
  });

  test('GlueDatabases * → sales: a narrowing (--parameters shared, --after-parameters over them)', async () => {
    const { code, out } = await run('diff', CUSTOMER_TEMPLATE, CUSTOMER_TEMPLATE, '--fail-on', 'broadening',
      '--after-parameters', 'GlueDatabases=sales', ...DEPLOYED, 'GlueDatabases=*');
    expect(code).toBe(0);
    expect(out).toContain('**This change does not broaden access**');
    expect(out).toContain(`\`${glue('database/*')}\` → \`${glue('database/sales')}\``);
  });

  test('a parameter without a value: exit 2 naming it', async () => {
    const { code, err } = await run('diff', CUSTOMER_TEMPLATE, CUSTOMER_TEMPLATE);
    expect(code).toBe(2);
    expect(err).toContain('parameter ExternalId has no value and no Default: give it with --parameters ExternalId=<value>');
  });
});

describe('--base: the customer template of an earlier release', () => {
  /**
   * The commit before 946996d shipped a template that listed the results bucket (s3:ListBucket) only under
   * `StringLike s3:prefix <ResultsPrefix>/*`; since then the bucket's statement lists it without a condition.
   * s3:prefix is a condition key of ListBucket (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html),
   * so the request to list any other prefix, denied before, is allowed now: the one change, and it broadens. The
   * object statements differ only in how they drop a trailing slash of ResultsPrefix, which the default lacks.
   */
  const EARLIER = '946996d~1';
  const REPO = resolve(__dirname, '../..');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8' });
  /** The release's version: projen writes it into package.json when releasing, so the tarball carries one. */
  const VERSION = '1.2.0';

  /** A tarball laid out as `npm pack` writes one (members under package/) from `commit`'s files. */
  function releaseTarball(name: string, withTemplate: boolean): string {
    const root = join(directory, name);
    mkdirSync(join(root, 'package', 'templates'), { recursive: true });
    writeFileSync(join(root, 'package', 'package.json'), JSON.stringify({ ...JSON.parse(git('show', `${EARLIER}:package.json`)), version: VERSION }));
    if (withTemplate) writeFileSync(join(root, 'package', 'templates', 'athena-target-role.json'), git('show', `${EARLIER}:templates/athena-target-role.json`));
    const tarball = join(directory, `${name}.tgz`);
    execFileSync('tar', ['-czf', tarball, '-C', root, 'package']);
    return tarball;
  }

  test('the earlier template differs from this one', () => {
    expect(git('show', `${EARLIER}:templates/athena-target-role.json`)).not.toEqual(readFileSync(CUSTOMER_TEMPLATE, 'utf8'));
  });

  test('against the installed template: release version named, s3:ListBucket on the results bucket with its condition loosened', async () => {
    const tarball = releaseTarball('release', true);
    const { code, out } = await run('diff', '--base', tarball, ...DEPLOYED, '--fail-on', 'broadening');
    expect(code).toBe(1);
    expect(out).toContain(`# Access changes: release ${VERSION} → \`${CUSTOMER_TEMPLATE}\``);
    expect(out).toContain('**This change broadens access**');
    const json = JSON.parse((await run('diff', '--base', tarball, ...DEPLOYED, '--json')).out);
    expect(json.sources).toEqual({ before: `${tarball} (${VERSION})`, after: CUSTOMER_TEMPLATE });
    expect(json.permissions.allows.map((c: any) => [c.kind, c.action, c.grant.target, c.grant.condition])).toEqual([
      ['condition-loosened', 's3:ListBucket', `arn:aws:s3:::${RESULTS_BUCKET}`, undefined],
    ]);
    expect(json.permissions.allows[0].counterparts.map((g: any) => g.condition)).toEqual([
      [{ operator: 'StringLike', key: 's3:prefix', values: ['qualytics-athena-results/*'] }],
    ]);
    expect([json.permissions.denies, json.trust.changed]).toEqual([[], false]);
    // The same release against a template given as <after>: the release against itself is no change.
    expect((await run('diff', '--base', tarball, file('earlier.json', git('show', `${EARLIER}:templates/athena-target-role.json`)), ...DEPLOYED)).code).toBe(0);
  });

  test('a tarball without the template, a missing tarball, a spec npm cannot fetch: exit 2 and why', async () => {
    const noTemplate = await run('diff', '--base', releaseTarball('no-template', false));
    expect(noTemplate.code).toBe(2);
    expect(noTemplate.err).toMatch(/no-template\.tgz: not a package tarball holding package\.json and templates\/athena-target-role\.json: tar: package\/templates\/athena-target-role\.json: Not found in archive/);
    const missing = await run('diff', '--base', join(directory, 'missing.tgz'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('missing.tgz: no such file (give a tarball that npm pack wrote');
    // npm's offline mode answers from its cache only: the spec fails at once, whatever the network.
    const saved = process.env.npm_config_offline;
    process.env.npm_config_offline = 'true';
    try {
      const spec = await run('diff', '--base', 'qualytics-athena-iam@0.0.1-never-released');
      expect(spec.code).toBe(2);
      expect(spec.err).toMatch(/^qualytics-athena-iam@0\.0\.1-never-released: npm pack could not fetch it .*npm error code (ENOTCACHED|ETARGET|E404)/);
    } finally {
      if (saved === undefined) delete process.env.npm_config_offline;
      else process.env.npm_config_offline = saved;
    }
    expect((await run('diff', '--base', 'x.tgz', 'a', 'b')).err).toContain('With --base, expected at most one <after>, got 2.');
  });
});

describe('deployment configs', () => {
  /** A managed deployment's config (schema/athena-access.schema.json) in CUSTOMER_ACCOUNT and REGION. */
  const config = (name: string, extra: Record<string, unknown> = {}) => file(`${name}.json`, {
    deployment: 'managed',
    account: CUSTOMER_ACCOUNT,
    region: REGION,
    baseRoleArn: BASE_ROLE,
    externalId: EXTERNAL_ID,
    resultsBucket: RESULTS_BUCKET,
    glueDatabases: ['sales'],
    ...extra,
  });

  test('two configs differing by one database: a broadening naming it', async () => {
    const { code, out } = await run('diff', config('config-sales'), config('config-sales-finance', { glueDatabases: ['sales', 'finance'] }), '--fail-on', 'broadening');
    expect(code).toBe(1);
    expect(out).toContain('**This change broadens access**');
    expect(targetsOf(out)).toEqual(new Set(FINANCE));
  });

  test('a config against the template (and the cloud assembly) synth writes from it: no change', async () => {
    const source = config('config-synth');
    const outdir = join(directory, 'synth.out');
    expect((await run('synth', '--config', source, '--output', outdir)).code).toBe(0);
    const template = join(outdir, 'QualyticsAthenaAccess.template.json');
    const [toTemplate, toAssembly] = [await run('diff', source, template), await run('diff', outdir, source)];
    expect([toTemplate.code, toAssembly.code]).toEqual([0, 0]);
    expect(toTemplate.out).toContain('**No change in access.**');
  });

  test('aws-cdk-lib is loaded only when a config is given (diff of templates starts without it)', () => {
    const templates = [roleFile('lazy-a'), roleFile('lazy-b')];
    const script = `const { runCli } = require(${JSON.stringify(resolve(__dirname, '../../lib/cli'))});
      const loaded = () => Object.keys(require.cache).some((m) => m.includes('/node_modules/aws-cdk-lib/'));
      (async () => {
        const codes = [await runCli(['diff', ...${JSON.stringify(templates)}], { out: () => {} }), loaded()];
        codes.push(await runCli(['diff', ${JSON.stringify(config('lazy-config'))}, ${JSON.stringify(templates[0])}], { out: () => {} }), loaded());
        console.log(JSON.stringify(codes));
      })();`;
    const output = execFileSync('node', ['-r', require.resolve('ts-node/register/transpile-only'), '-e', script], { encoding: 'utf8' });
    // The config reads one database, the template every one: the second diff finds access changed.
    expect(JSON.parse(output.trim().split('\n').pop()!)).toEqual([0, false, 1, true]);
  });

  test('a bad config: exit 2 naming the file and each problem', async () => {
    const { externalId: _dropped, ...withoutExternalId } = JSON.parse(readFileSync(config('config-good'), 'utf8'));
    const bad = file('config-bad.json', { ...withoutExternalId, deployment: 'hosted' });
    const { code, out, err } = await run('diff', bad, config('config-good'));
    expect([code, out]).toEqual([2, '']);
    expect(err).toContain(`Invalid Athena access config ${bad}: `);
    expect(err).toContain('/deployment: "hosted" is not one of "managed", "self-hosted"');
  });
});
