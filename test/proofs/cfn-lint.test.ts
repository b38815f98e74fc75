import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AccessMode, AthenaAccessKeyUser, AthenaTargetRole, parseDeploymentConfig } from '../../lib';
import { AthenaAccessStack } from '../../lib/config/athena-access-stack';
import { addEveryShape, EXAMPLE_CONFIGS } from '../support/every-shape';
import { FULL_TARGET_ROLE_PROPS } from '../support/full-options';

/**
 * cfn-lint, the AWS CloudFormation Linter (https://github.com/aws-cloudformation/cfn-lint), is what customers'
 * pipelines run before CloudFormation: every template the project ships (templates/) or synthesizes (the example
 * app, nested templates, a matrix of the modes) must pass it with no error, no warning and no informational
 * finding. It is a Python tool (`pip install cfn-lint`), not an npm package: the test fails when it is missing.
 *
 * cfn-lint runs once over every file: it starts in about a second and lints each template in a fraction of one.
 */
const ROOT = path.join(__dirname, '..', '..');
const CFN_LINT = 'cfn-lint';

/** cfn-lint's version, or a clear error when it is not installed. */
function cfnLintVersion(): string {
  const run = spawnSync(CFN_LINT, ['--version'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    throw new Error(`${CFN_LINT} (the AWS CloudFormation Linter) is not on PATH: install it with \`pip install cfn-lint\` ` +
      `(a Python tool npm cannot install) and run the tests again. ${run.error?.message ?? run.stderr}`);
  }
  return run.stdout.trim();
}

/** One cfn-lint finding, as `--format json` prints it. */
interface Finding {
  readonly Filename: string;
  readonly Level: string;
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Location: { readonly Start: { readonly LineNumber: number }; readonly Path?: Array<string | number> };
}

/** Lints `files` in one cfn-lint run and returns its findings. */
function cfnLint(files: string[]): Finding[] {
  const run = spawnSync(CFN_LINT, ['--format', 'json', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  // The exit code says which levels were found (a bit per level); the findings themselves are on stdout.
  try {
    return JSON.parse(run.stdout) as Finding[];
  } catch {
    throw new Error(`${CFN_LINT} printed no JSON (exit ${run.status}): ${run.stdout}\n${run.stderr}`);
  }
}

/** A finding on one line, with the file relative to `base`. */
function oneLine(finding: Finding, base: string): string {
  const where = `${path.relative(base, finding.Filename)}:${finding.Location.Start.LineNumber}`;
  return `${where} ${finding.Level} ${finding.Rule.Id} at ${(finding.Location.Path ?? []).join('/')}: ${finding.Message}`;
}

const DATABASES = Array.from({ length: 12 }, (_, i) => `db_${String(i + 1).padStart(2, '0')}`);
const LAKE_FORMATION = {
  ...FULL_TARGET_ROLE_PROPS,
  accessMode: AccessMode.LAKE_FORMATION,
  lakeFormation: undefined,
  dataLocations: undefined,
};

/** The modes beyond the ones `addEveryShape` builds: Lake Formation grants, in the stack and in nested stacks. */
function addLakeFormationShapes(app: App): void {
  // Every nested stack holds grants: 12 databases over 3 stacks.
  new AthenaTargetRole(new Stack(app, 'LakeFormationNested'), 'TargetRole', {
    ...LAKE_FORMATION,
    glueDatabaseNames: DATABASES,
    lakeFormationNestedStacks: 3,
  }).addConnectionOutputs();
  new AthenaTargetRole(new Stack(app, 'LakeFormationTags'), 'TargetRole', {
    ...LAKE_FORMATION,
    lakeFormationTagExpressions: [{ tags: { domain: ['sales'], env: ['prod', 'staging'] } }, { tags: { domain: ['finance'] } }],
  });
  new AthenaAccessKeyUser(new Stack(app, 'LakeFormationAccessKey'), 'User', {
    resultsBucketName: 'acme-athena-results',
    accessMode: AccessMode.LAKE_FORMATION,
    glueDatabaseNames: DATABASES.slice(0, 8),
    lakeFormationNestedStacks: 2,
  });
  new AthenaAccessStack(app, parseDeploymentConfig({
    ...JSON.parse(fs.readFileSync(EXAMPLE_CONFIGS.find((f) => f.endsWith('managed.json'))!, 'utf8')),
    stackName: 'LakeFormationConfig',
    accessMode: 'lake-formation',
    glueDatabases: DATABASES,
    dataLocations: undefined,
    lakeFormationNestedStacks: 2,
  }, 'a Lake Formation config'));
  // More nested stacks than databases: 3 databases over 10 stacks. Needs the Lake Formation grants never to emit a
  // nested stack without resources (CloudFormation refuses a template without one; cfn-lint E1001).
  new AthenaTargetRole(new Stack(app, 'LakeFormationSparse'), 'TargetRole', {
    ...LAKE_FORMATION,
    glueDatabaseNames: DATABASES.slice(0, 3),
    lakeFormationNestedStacks: 10,
  });
}

describe('cfn-lint', () => {
  const version = cfnLintVersion();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  const app = new App({ outdir });
  addEveryShape(app);
  addLakeFormationShapes(app);
  app.synth();
  const synthesized = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).map((f) => path.join(outdir, f));
  const shipped = fs.readdirSync(path.join(ROOT, 'templates')).filter((f) => f.endsWith('.json')).map((f) => path.join(ROOT, 'templates', f));
  // A template CloudFormation refuses (no Resources section: E1001), linted in the same run: the findings are read,
  // not vacuous.
  const broken = path.join(outdir, 'broken.json');
  fs.writeFileSync(broken, JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09' }));

  let findings: Finding[];
  beforeAll(() => {
    console.log(`${version}: ${synthesized.length} synthesized and ${shipped.length} shipped templates`);
    findings = cfnLint([...shipped, ...synthesized, broken]);
  }, 300_000);

  test('lints every shape: the example app, nested templates, templates/, the modes', () => {
    const names = synthesized.map((f) => path.basename(f));
    expect(names).toEqual(expect.arrayContaining([
      'QualyticsAthenaSelfHosted.template.json', 'QualyticsAthenaCustomer.template.json', 'QualyticsAthenaVendorTenant.template.json',
      'AccessKey.template.json', 'Rollout.template.json', 'Catalogs.template.json', 'ManagedQueryResults.template.json',
      'LakeFormationNested.template.json', 'LakeFormationAccessKey.template.json', 'LakeFormationConfig.template.json',
    ]));
    expect(names.filter((n) => n.startsWith('LakeFormationNested') && n.endsWith('.nested.template.json'))).toHaveLength(3);
    expect(shipped.map((f) => path.relative(ROOT, f))).toContain(path.join('templates', 'athena-target-role.json'));
  });

  test('reads the findings: a template without a Resources section is E1001', () => {
    expect(findings.filter((f) => f.Filename === broken).map((f) => f.Rule.Id)).toEqual(['E1001']);
  });

  test(`finds no error, warning or informational finding in any of them (${version})`, () => {
    const found = findings.filter((f) => f.Filename !== broken).map((f) => oneLine(f, outdir));
    if (found.length > 0) throw new Error(`cfn-lint found ${found.length} problems:\n${found.join('\n')}`);
  });
});
