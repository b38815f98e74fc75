/**
 * Every TypeScript block of README.md compiles against the library and, unless it needs AWS to run, synthesizes:
 * the README cannot drift from the API. How each block is completed (its marker) is described in
 * `support/readme-blocks.ts`. All blocks are type-checked in one TypeScript program, with `qualytics-athena-iam`
 * resolved to `lib/` as the package's types would be; then each block is transpiled and run in this process, so
 * it uses the same aws-cdk-lib as the library.
 *
 * Its own jest file rather than a case of library.test.ts: the type-check takes several seconds of one core, and
 * as a file of its own it runs beside the library's tests on the other.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import { programOf, README, ReadmeBlock, readmeBlocks, readmeMarkedBlock } from './support/readme-blocks';
import { runCli } from '../lib/cli';
import { auditorPolicyDocument } from '../lib/model/auditor-policy';

const ROOT = path.join(__dirname, '..');
const blocks = readmeBlocks(fs.readFileSync(README, 'utf8'));
const fileOf = (block: ReadmeBlock) => path.join(ROOT, 'test', `README.md.line${block.line}.ts`);
const label = (block: ReadmeBlock) => `line ${block.line} (${block.mode}${block.name ? ` ${block.name}` : ''})`;

/** Type errors of every block, by block, from one program. */
function typeErrors(): Map<ReadmeBlock, string[]> {
  const { options } = ts.parseJsonConfigFileContent({
    compilerOptions: {
      target: 'ES2022',
      module: 'commonjs',
      moduleResolution: 'node10',
      strict: true,
      skipLibCheck: true,
      esModuleInterop: true,
      types: ['node'],
      noEmit: true,
      ignoreDeprecations: '6.0',
      // What `npm install qualytics-athena-iam` gives: the entry point, and the runtime helpers under build/.
      paths: { 'qualytics-athena-iam': ['./lib/index.ts'], 'qualytics-athena-iam/build/*': ['./lib/*'] },
    },
  }, ts.sys, ROOT);
  const sources = new Map(blocks.map((b) => [fileOf(b), programOf(b)]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) => (sources.has(file)
    ? ts.createSourceFile(file, sources.get(file)!, language) : getSourceFile(file, language, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => sources.has(file) || fileExists(file);
  const program = ts.createProgram([...sources.keys()], options, host);
  return new Map(blocks.map((b) => [b, ts.getPreEmitDiagnostics(program, program.getSourceFile(fileOf(b))).map((d) => {
    const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  })]));
}

/** Runs a block's program in this process, with `qualytics-athena-iam` resolved to `lib/`; returns its exports. */
function run(block: ReadmeBlock): Record<string, unknown> {
  const js = ts.transpileModule(programOf(block), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  // The blocks' imports, resolved as the installed package would be (jest's require keeps one aws-cdk-lib).
  const load = (id: string): unknown => {
    const target = id === 'qualytics-athena-iam' ? path.join(ROOT, 'lib')
      : id.startsWith('qualytics-athena-iam/build/') ? path.join(ROOT, 'lib', id.slice('qualytics-athena-iam/build/'.length))
        : id;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(target);
  };
  const module = { exports: {} as Record<string, unknown> };
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    new Function('require', 'module', 'exports', js)(load, module, module.exports);
  } finally {
    log.mockRestore();
  }
  return module.exports;
}

describe('README.md', () => {
  test('has TypeScript blocks, a main example among them', () => {
    expect(blocks.length).toBeGreaterThan(3);
    expect(blocks.filter((b) => b.name === 'main').map((b) => b.mode)).toEqual(['stack']);
  });

  test('every TypeScript block compiles against the library', () => {
    const errors = typeErrors();
    expect(blocks.flatMap((b) => errors.get(b)!.map((e) => `${label(b)}: ${e}`))).toEqual([]);
  });

  const runnable = blocks.filter((b) => b.mode !== 'compile');
  test.each(runnable.map((b) => [label(b), b] as const))('the block at %s synthesizes', (_label, block) => {
    const exported = run(block);
    if (block.mode === 'stack') {
      const stack = exported.stack as Stack;
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
      Template.fromStack(stack);
    }
  });

  test('the main example creates the Pod Identity association, warns of nothing and outputs the connection form under fixed keys', () => {
    const stack = run(blocks.find((b) => b.name === 'main')!).stack as Stack;
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expect(Object.keys(template.toJSON().Outputs)).toEqual(['RoleArn', 'ExternalId', 'Host', 'WorkGroup', 'OutputLocation']);
  });

  test('a block without a marker is refused, naming its line', () => {
    expect(() => readmeBlocks('text\n\n```ts\nconst x = 1;\n```\n')).toThrow(/README.md:3: a TypeScript block without a marker/);
  });
});

// The drift auditor's policy is printed from the model: a change of AUDITOR_ACTIONS must reach the README.
test("the README's auditor policy for drift is the one auditorPolicyDocument generates", () => {
  expect(readmeMarkedBlock(fs.readFileSync(README, 'utf8'), 'json', 'auditor-policy')).toBe(`${JSON.stringify(auditorPolicyDocument(), undefined, 2)}\n`);
});

// The diff example is the command's own output on the customer template: a change of the diff, its rendering or
// the template reaches the README.
test("the README's diff example prints what the README shows, and exits 1", async () => {
  const readme = fs.readFileSync(README, 'utf8');
  // The command line as its arguments (line continuations joined; no value holds a space).
  const args = readmeMarkedBlock(readme, 'sh', 'diff-command')!.replace(/\\\n/g, ' ').trim().split(/\s+/);
  expect(args.slice(0, 3)).toEqual(['npx', 'qualytics-athena-iam', 'diff']);
  // Both files are the customer template: the parameters make the difference.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-diff-'));
  for (const file of args.slice(3, 5)) fs.copyFileSync(path.join(ROOT, 'templates', 'athena-target-role.json'), path.join(dir, file));
  const out: string[] = [];
  const cwd = process.cwd();
  process.chdir(dir);
  let code: number;
  try {
    code = await runCli(args.slice(2), { out: (line) => out.push(line), err: (line) => out.push(line) });
  } finally {
    process.chdir(cwd);
  }
  expect(`${out.join('\n')}\n`).toBe(readmeMarkedBlock(readme, 'text', 'diff-output'));
  expect(code).toBe(1);
}, 60_000);
