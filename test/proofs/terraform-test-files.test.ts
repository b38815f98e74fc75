import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TERRAFORM_EXAMPLES } from '../../lib/terraform/examples';
import { testRunNames } from '../../lib/terraform/module';
import { TERRAFORM_MODULES, writeTerraformModules } from '../../lib/terraform/write-modules';
import { init, ok, ROOT, terraform, validationsByVariable } from '../support/terraform';

/**
 * The generated files of terraform/ beyond the modules' .tf files: each module's `terraform test` file, run by
 * Terraform itself (https://developer.hashicorp.com/terraform/language/tests; a `command = plan` run with
 * `expect_failures` passes when exactly the named variables fail validation), the modules' READMEs, and the examples,
 * which Terraform validates. Everything runs in a copy of terraform/ in a temporary folder, so that no `.terraform`
 * is left in the package.
 */
const TERRAFORM = path.join(ROOT, 'terraform');

/**
 * Where each module's `terraform test` runs are counted for CI (.ci/run adds them to jest's tests in its closing
 * `N passed, N failed` line): a run that did not pass, or never ran, counts as failed.
 */
const RUN_COUNTS = path.join(ROOT, 'test-reports', 'terraform-test-runs');

function recordRuns(module: string, passed: number, failed: number): void {
  fs.mkdirSync(RUN_COUNTS, { recursive: true });
  fs.writeFileSync(path.join(RUN_COUNTS, `${module}.json`), JSON.stringify({ passed, failed }));
}

/** terraform/ copied without Terraform's working files. */
function copyOfTerraform(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-copy-'));
  fs.cpSync(TERRAFORM, dir, { recursive: true, filter: (src) => !/(^|\/)\.terraform(\.lock\.hcl)?$/.test(src) });
  return dir;
}

describe('the generated terraform test files, READMEs and examples', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  const version = ok(ROOT, ['version']).split('\n')[0];

  test(`terraform/ holds exactly what the generator writes, modules, READMEs, tests and examples (npx projen terraform; ${version})`, () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-gen-'));
    dirs.push(out);
    const written = writeTerraformModules(out).sort();
    const shipped = (fs.readdirSync(TERRAFORM, { recursive: true }) as string[])
      .filter((f) => fs.statSync(path.join(TERRAFORM, f)).isFile() && !f.split(path.sep).some((part) => part.startsWith('.terraform'))).sort();
    expect(shipped).toEqual(written);
    for (const file of written) {
      expect({ file, text: fs.readFileSync(path.join(TERRAFORM, file), 'utf8') }).toEqual({ file, text: fs.readFileSync(path.join(out, file), 'utf8') });
    }
  }, 60_000);

  describe.each(Object.keys(TERRAFORM_MODULES))('terraform/modules/%s', (name) => {
    const module = TERRAFORM_MODULES[name]();
    const runs = testRunNames(module);

    test(`its tests have one run per validation block, and the plan runs: ${runs.join(', ')}`, () => {
      const variables = fs.readFileSync(path.join(TERRAFORM, 'modules', name, 'variables.tf'), 'utf8');
      const blocks = Object.values(validationsByVariable(variables)).reduce((a, b) => a + b, 0);
      const tests = fs.readFileSync(path.join(TERRAFORM, 'modules', name, 'tests', `${name}.tftest.hcl`), 'utf8');
      const expectFailures = tests.match(/^\s+expect_failures = \[var\./gm)?.length ?? 0;
      expect({ expectFailures, runs: runs.length }).toEqual({ expectFailures: blocks, runs: blocks + module.planRuns.length });
      expect([...tests.matchAll(/^run "(\w+)"/gm)].map((m) => m[1])).toEqual(runs);
    });

    test('terraform test passes every run', () => {
      const copy = copyOfTerraform();
      dirs.push(copy);
      const dir = path.join(copy, 'modules', name);
      init(dir);
      const started = Date.now();
      const run = terraform(dir, ['test', '-no-color']);
      const output = `${run.stdout}\n${run.stderr}`;
      const passed = [...output.matchAll(/^\s+run "(\w+)"\.\.\. pass$/gm)].map((m) => m[1]);
      recordRuns(name, passed.length, runs.length - passed.length);
      expect(passed).toEqual(runs);
      expect(output).toContain(`Success! ${runs.length} passed, 0 failed.`);
      console.log(`terraform test of ${name}: ${runs.length} runs in ${Math.round((Date.now() - started) / 1000)} s`);
    }, 600_000);
  });

  test.each(Object.keys(TERRAFORM_EXAMPLES))('terraform validate accepts the example %s', (name) => {
    const copy = copyOfTerraform();
    dirs.push(copy);
    const dir = path.join(copy, 'examples', name);
    init(dir);
    expect(ok(dir, ['validate', '-no-color'])).toContain('The configuration is valid');
  }, 180_000);

  test('each module\'s README lists its inputs and outputs, and each example is in terraform/examples with a README', () => {
    for (const [name, render] of Object.entries(TERRAFORM_MODULES)) {
      const module = render();
      const text = fs.readFileSync(path.join(TERRAFORM, 'modules', name, 'README.md'), 'utf8');
      const listed = (heading: string) => [...text.slice(text.indexOf(`## ${heading}`)).split('\n## ')[0].matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
      expect({ name, inputs: listed('Inputs'), outputs: listed('Outputs') })
        .toEqual({ name, inputs: module.variables.map((v) => v.name), outputs: module.outputs.map((o) => o.name) });
    }
    expect(fs.readdirSync(path.join(TERRAFORM, 'examples')).sort()).toEqual(Object.keys(TERRAFORM_EXAMPLES).sort());
  });
});
