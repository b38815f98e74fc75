/**
 * The TypeScript blocks of README.md as programs, so that a test can compile and run every one of them and the
 * package test can run the main example against the packed tarball.
 *
 * Every fenced block tagged `ts` or `typescript` must be preceded (on the line before its fence) by an HTML
 * comment, invisible on the rendered page, that says how to complete it:
 *
 * - `<!-- readme-test: run [name] -->`: a whole program with its imports that runs without AWS (for example one
 *   that creates its own App and synthesizes it); compiled and run as written.
 * - `<!-- readme-test: stack [name] -->`: statements for a Stack's constructor (`this` is the stack), after
 *   their imports; the test puts them in a `Stack` subclass, adds it to an `App` and synthesizes it. The program
 *   exports `app` and `stack`.
 * - `<!-- readme-test: compile [name] -->`: a whole module with its imports that needs AWS to run (runtime
 *   snippets); compiled only.
 *
 * `name` lets other scripts pick a block (`main`: the README's main construct example; `minimal`: the minimal app).
 *
 * A shell block (tagged `sh`) preceded by `<!-- readme-test: sh <name> -->` is a command the package test runs as
 * the README shows it (`config-copy`: copying an example config out of the installed package). A JSON block
 * preceded by `<!-- readme-test: json <name> -->` is a document generated from the model, which a test compares
 * (`auditor-policy`: the drift auditor's policy, `auditorPolicyDocument`); a text block preceded by
 * `<!-- readme-test: text <name> -->` is a command's output, which a test compares with what it prints
 * (`drift-output`: the output of the `drift-command` shell block, test/audit/drift-moto.test.ts; `diff-output`:
 * the output of the `diff-command` shell block, test/readme.test.ts).
 *
 * Run as a script, it prints the program of the named block, `ts-node test/support/readme-blocks.ts main`, or the
 * named shell block, `ts-node test/support/readme-blocks.ts sh config-copy`.
 */
import * as fs from 'fs';
import * as path from 'path';

export type ReadmeBlockMode = 'run' | 'stack' | 'compile';

export interface ReadmeBlock {
  readonly mode: ReadmeBlockMode;
  readonly name?: string;
  /** 1-based line of the block's first code line in the README. */
  readonly line: number;
  readonly code: string;
}

export const README = path.join(__dirname, '..', '..', 'README.md');

const MARKER = /^<!--\s*readme-test:\s*(run|stack|compile)(?:\s+([\w-]+))?\s*-->$/;
const FENCE = /^```\s*(\w*)\s*$/;

/** Every TypeScript block of `markdown`, with how to complete it; throws on a block without a marker. */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = FENCE.exec(lines[i]);
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`README.md:${i + 1}: a code block that never closes`);
    if (fence[1] === 'ts' || fence[1] === 'typescript') {
      const marker = MARKER.exec(lines[i - 1]?.trim() ?? '');
      if (!marker) {
        throw new Error(`README.md:${i + 1}: a TypeScript block without a marker on the line before its fence; add ` +
          '<!-- readme-test: run|stack|compile [name] --> (see test/support/readme-blocks.ts)');
      }
      blocks.push({ mode: marker[1] as ReadmeBlockMode, name: marker[2], line: i + 2, code: lines.slice(i + 1, end).join('\n') });
    }
    i = end;
  }
  return blocks;
}

/** `<!-- readme-test: <language> <name> -->` before a block fenced as that language. */
const MARKED_BLOCK = /^<!--\s*readme-test:\s*(sh|json|text)\s+([\w-]+)\s*-->$/;

/**
 * The text of the block marked `<!-- readme-test: <language> <name> -->` (indented blocks, in lists, too):
 * `sh`, commands a test runs as the README shows them; `json`, a document a test compares with the model that
 * generates it; `text`, a command's output a test compares with what it prints.
 */
export function readmeMarkedBlock(markdown: string, language: 'sh' | 'json' | 'text', name: string): string | undefined {
  const lines = markdown.split('\n');
  const marker = lines.findIndex((l) => {
    const match = MARKED_BLOCK.exec(l.trim());
    return match?.[1] === language && match[2] === name;
  });
  if (marker < 0 || !new RegExp(`^\\s*\`\`\`${language}\\s*$`).test(lines[marker + 1] ?? '')) return undefined;
  const indent = /^\s*/.exec(lines[marker + 1])![0].length;
  const end = lines.findIndex((l, j) => j > marker + 1 && /^\s*```\s*$/.test(l));
  if (end < 0) throw new Error(`README.md:${marker + 2}: a code block that never closes`);
  return `${lines.slice(marker + 2, end).map((l) => l.slice(indent)).join('\n')}\n`;
}

/** The commands of the shell block marked `<!-- readme-test: sh <name> -->`. */
export function readmeShellBlock(markdown: string, name: string): string | undefined {
  return readmeMarkedBlock(markdown, 'sh', name);
}

/** The complete program of a block: as written, or, for `stack`, its statements in a stack of an app. */
export function programOf(block: ReadmeBlock): string {
  if (block.mode !== 'stack') return `${block.code}\n`;
  const lines = block.code.split('\n');
  let body = 0;
  for (let open = false; body < lines.length; body++) {
    const line = lines[body].trim();
    if (!open && line !== '' && !line.startsWith('import ')) break;
    if (line !== '') open = !line.endsWith(';');
  }
  return [
    "import { App as ReadmeApp, Stack as ReadmeStack } from 'aws-cdk-lib';",
    "import { Construct as ReadmeConstruct } from 'constructs';",
    ...lines.slice(0, body).join('\n').trimEnd().split('\n'),
    '',
    `// README.md, line ${block.line}: statements in a stack's constructor.`,
    'class ReadmeExampleStack extends ReadmeStack {',
    '  constructor(scope: ReadmeConstruct, id: string) {',
    '    super(scope, id);',
    ...lines.slice(body).map((l) => (l === '' ? l : `    ${l}`)),
    '  }',
    '}',
    '',
    'export const app = new ReadmeApp();',
    "export const stack = new ReadmeExampleStack(app, 'ReadmeExample');",
    'app.synth();',
    '',
  ].join('\n');
}

if (require.main === module && process.argv[2] === 'sh') {
  const shell = readmeShellBlock(fs.readFileSync(README, 'utf8'), process.argv[3] ?? '');
  if (shell === undefined) {
    process.stderr.write(`README.md has no shell block marked readme-test: sh ${process.argv[3]}\n`);
    process.exit(2);
  }
  process.stdout.write(shell);
} else if (require.main === module) {
  const name = process.argv[2];
  const block = readmeBlocks(fs.readFileSync(README, 'utf8')).find((b) => b.name === name);
  if (!block) {
    process.stderr.write(`README.md has no TypeScript block named ${JSON.stringify(name)}\n`);
    process.exit(2);
  }
  process.stdout.write(programOf(block));
}
