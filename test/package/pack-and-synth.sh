#!/usr/bin/env bash
# `npm run test:package`: what a user gets from `npm install qualytics-athena-iam`, checked from the packed tarball.
#
#  1. compile with jsii and `npm pack`; the tarball holds what a user runs and nothing of the repository's tooling;
#  2. install the tarball into a fresh app in a temporary folder, from the tarball and the npm registry only;
#  3. compile (tsc, strict) and synthesize the README's main construct example (extracted from README.md) against
#     the installed package;
#  4. every path the package's "exports" declares resolves from the installed package (CommonJS require, import(),
#     and types with tsc's node16 resolution), every package path the README imports is declared, and an
#     undeclared path into build/ is refused;
#  5. a fresh app as `cdk init app --language typescript` scaffolds it (TypeScript 7, tsx) type-checks and
#     synthesizes the README's minimal app (the block marked `run minimal`) against the installed package;
#  6. the installed command: help, `synth --config` with the schema at its documented path, a bad config; the
#     README's config copy step (the shell block marked `sh config-copy`) and a synth of the copied config;
#  7. a stack trace through the package, with source maps on, names source files that exist in the package;
#  8. the installed Terraform modules pass terraform init and validate;
#  9. jsii generates the Python and Go sources (jsii-pacmak --code-only; building wheels or Go modules needs
#     registries the build machines do not reach).
#
# Not a jest test: it takes minutes (npm install, jsii), far over `npm test`'s budget. .ci/run runs it after the tests.
# Keeps the temporary folder when KEEP_TMP=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/test/package
TMP=$(mktemp -d "${TMPDIR:-/tmp}/qualytics-athena-iam-package.XXXXXX")
[ "${KEEP_TMP:-}" = 1 ] || trap 'rm -rf "$TMP"' EXIT

STEP_START=0
step() { STEP_START=$(date +%s.%N); echo "--- $1"; }
took() { printf '    (%.1f s)\n' "$(echo "$(date +%s.%N) - $STEP_START" | bc)"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
# Runs a command, expecting exit code $1; keeps stdout in $TMP/out and stderr in $TMP/err.
expect_exit() {
  local want=$1; shift
  local got=0
  "$@" >"$TMP/out" 2>"$TMP/err" || got=$?
  [ "$got" = "$want" ] || { cat "$TMP/out" "$TMP/err" >&2; fail "'$*' exited $got, expected $want"; }
}
TOTAL_START=$(date +%s.%N)

step "compile (jsii) and pack"
npx jsii --silence-warnings=reserved-word >/dev/null
TARBALL=$TMP/$(npm pack --silent --pack-destination "$TMP" | tail -1)
[ -f "$TARBALL" ] || fail "npm pack wrote no tarball"
tar tzf "$TARBALL" | sed 's#^package/##' | grep -v '^node_modules/' | sort >"$TMP/files"
EXAMPLE_CONFIGS=$(cd "$ROOT" && ls examples/config/*.json)
# Every file of terraform/ (modules, their READMEs and tests, examples), as the generator writes them.
TERRAFORM_FILES=$(cd "$ROOT" && find terraform -type f -not -path '*/.terraform*' | sort)
for required in bin/qualytics-athena-iam.js build/cli/index.js build/index.js build/index.d.ts build/config/synth.js lib/index.ts \
  schema/athena-access.schema.json templates/athena-target-role.json $TERRAFORM_FILES $EXAMPLE_CONFIGS .jsii README.md LICENSE; do
  grep -qx "$required" "$TMP/files" || fail "the tarball lacks $required"
done
# examples/ ships its deployment configs only, not the example stacks.
if grep -E '^(bench/|examples/|scripts/|test/|projenrc/|\.ci/|\.projen/|cdk\.json|bin/.*\.ts$|(.*/)?tsconfig(\.[a-z]+)?\.json$)' "$TMP/files" \
  | grep -Ev '^examples/config/[^/]+\.json$'; then
  fail "the tarball carries the repository's tooling (listed above)"
fi
node -e '
const bin = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).bin;
if (JSON.stringify(bin) !== JSON.stringify({ "qualytics-athena-iam": "bin/qualytics-athena-iam.js" })) {
  console.error("bin must declare exactly one command, qualytics-athena-iam:", bin); process.exit(1);
}' <(tar xzf "$TARBALL" -O package/package.json)
echo "    $(basename "$TARBALL"): $(du -k "$TARBALL" | cut -f1) kB, $(wc -l <"$TMP/files") files of its own"
took

step "install the tarball into a fresh app (npm registry for everything else)"
APP=$TMP/app
mkdir -p "$APP"
echo '{ "name": "readme-example", "version": "0.0.0", "private": true }' >"$APP/package.json"
(cd "$APP" && npm install --no-audit --no-fund --loglevel=error "$TARBALL" \
  aws-cdk-lib@2.269.0 constructs@10.5.1 typescript@~5.9.0 @types/node@20 >/dev/null)
[ ! -L "$APP/node_modules/qualytics-athena-iam" ] || fail "the package was linked, not installed from the tarball"
took

step "tsc and synthesize the README example from the installed package"
# The README's main example (the block marked `stack main`), completed into an app exactly as test/readme.test.ts
# completes it: the README is the one copy of the example.
npx ts-node --project test/tsconfig.json test/support/readme-blocks.ts main >"$APP/app.ts"
echo '{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "skipLibCheck": true, "types": ["node"] }, "files": ["app.ts"] }' \
  >"$APP/tsconfig.json"
(cd "$APP" && npx tsc -p tsconfig.json)
(cd "$APP" && CDK_OUTDIR="$APP/cdk.out" node app.js)
node -e '
const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const types = Object.values(t.Resources).map((r) => r.Type);
const count = (type) => types.filter((x) => x === type).length;
if (count("AWS::IAM::Role") !== 2 || count("AWS::EKS::PodIdentityAssociation") !== 1) {
  console.error("expected the base role, the target role and the Pod Identity association; got", types); process.exit(1);
}
const outputs = Object.keys(t.Outputs ?? {}).join(" ");
if (outputs !== "RoleArn ExternalId Host WorkGroup OutputLocation") { console.error("unexpected output keys:", outputs); process.exit(1); }
' "$APP/cdk.out/ReadmeExample.template.json"
took

step "the package's exports: each declared path resolves, the README's are declared, others are refused"
# The "exports" of the installed package.json, so that a new entry is checked without editing this step.
(cd "$APP" && node - "$TMP/files" <<'EOF'
const fs = require("fs");
const path = require("path");
const fail = (message) => { console.error(message); process.exit(1); };
const NAME = "qualytics-athena-iam";
const dir = path.dirname(require.resolve(`${NAME}/package.json`));
const shipped = fs.readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
const declared = Object.keys(require(`${NAME}/package.json`).exports);
const specifier = (key) => (key === "." ? NAME : `${NAME}/${key.slice(2)}`);
(async () => {
  for (const key of declared) {
    if (key.includes("*")) {
      // A wildcard entry: every shipped file it covers resolves to that file.
      const prefix = key.slice(2, key.indexOf("*"));
      const covered = shipped.filter((file) => file.startsWith(prefix));
      if (covered.length === 0) fail(`exports ${key} covers no shipped file`);
      for (const file of covered) {
        const resolved = require.resolve(`${NAME}/${file}`);
        if (resolved !== path.join(dir, file)) fail(`${NAME}/${file} resolved to ${resolved}`);
      }
      continue;
    }
    // .jsii is JSON without the extension: jsii tools resolve it, then read it.
    if (key === "./.jsii" || key.endsWith(".json")) {
      if (!fs.existsSync(require.resolve(specifier(key)))) fail(`${specifier(key)} resolves to no file`);
      continue;
    }
    const cjs = require(specifier(key));
    const esm = await import(specifier(key));
    if (Object.keys(cjs).length === 0 || Object.keys(esm).length === 0) fail(`${specifier(key)} exports nothing`);
  }
  // Every package path the README's code imports is declared, and gives what the README uses.
  const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
  const named = [...new Set([...readme.matchAll(/['"](qualytics-athena-iam\/[^'"\s]+)['"]/g)].map((m) => m[1]))];
  if (named.length === 0) fail("the README names no path into the package");
  for (const name of named) {
    if (!declared.includes(`./${name.slice(NAME.length + 1)}`)) fail(`the README imports ${name}, which "exports" does not declare`);
  }
  const checks = [
    [NAME, "AthenaTargetRole"], [`${NAME}/build/runtime/credential-provider`, "athenaRoleCredentialProvider"],
    [`${NAME}/build/runtime/errors`, "SettingValidationError"], [`${NAME}/build/runtime/errors`, "AssumeRoleError"],
  ];
  for (const [from, name] of checks) {
    if (typeof require(from)[name] !== "function") fail(`${from} has no ${name}`);
  }
  // Any other path into the package is refused, by require and import alike.
  for (const undeclared of [`${NAME}/build/policy/size`, `${NAME}/build/cli/index.js`, `${NAME}/lib/index.ts`]) {
    for (const load of [(s) => require(s), (s) => import(s)]) {
      const code = await Promise.resolve().then(() => load(undeclared)).then(() => "loaded", (e) => e.code);
      if (code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") fail(`${undeclared}: expected ERR_PACKAGE_PATH_NOT_EXPORTED, got ${code}`);
    }
  }
  console.log(`    ${declared.length} entries resolve; declared, as the README imports them: ${named.join(", ")}; undeclared paths are refused`);
})().catch((e) => fail(e.stack));
EOF
)
# Types: each declared module entry type-checks under node16 resolution, which reads "exports" (their "types");
# an undeclared path does not resolve.
node -e '
const exports = require(process.argv[1]).exports;
const modules = Object.keys(exports).filter((key) => typeof exports[key] === "object" && exports[key].types);
const name = (key) => (key === "." ? "qualytics-athena-iam" : `qualytics-athena-iam/${key.slice(2)}`);
console.log(modules.map((key, i) => `import * as m${i} from "${name(key)}";`).join("\n"));
console.log("// @ts-expect-error -- not declared in the package exports\nimport * as undeclared from \"qualytics-athena-iam/build/policy/size\";");
console.log(`export const all = [${modules.map((_, i) => `m${i}`).join(", ")}, undeclared];`);
' "$APP/node_modules/qualytics-athena-iam/package.json" >"$APP/exports.ts"
echo '{ "compilerOptions": { "module": "node16", "moduleResolution": "node16", "strict": true, "noEmit": true, "skipLibCheck": true, "types": ["node"] }, "files": ["exports.ts"] }' \
  >"$APP/tsconfig.exports.json"
(cd "$APP" && npx tsc -p tsconfig.exports.json) || { cat "$APP/exports.ts" >&2; fail "the declared exports do not type-check"; }
took

step "TypeScript 7 and tsx: the README's minimal app in a fresh \`cdk init app --language typescript\` app"
# The scaffold of the repository's aws-cdk CLI, with the latest TypeScript 7 whatever the scaffold names; its own
# stack and tests make way for the README's minimal app, which cdk.json's app command type-checks and runs.
TS7=$TMP/ts7
mkdir -p "$TS7"
(cd "$TS7" && "$ROOT/node_modules/.bin/cdk" init app --language typescript --generate-only) >"$TMP/cdk-init.log" 2>&1 \
  || { cat "$TMP/cdk-init.log" >&2; fail "cdk init app --language typescript"; }
rm -rf "$TS7/lib" "$TS7/test"
npx ts-node --project test/tsconfig.json test/support/readme-blocks.ts minimal >"$TS7/bin/ts7.ts"
(cd "$TS7" && npm install --no-audit --no-fund --loglevel=error "$TARBALL" 'typescript@^7' >/dev/null)
TS7_VERSION=$(cd "$TS7" && npx --no-install tsc --version)
case "$TS7_VERSION" in "Version 7."*) ;; *) fail "expected TypeScript 7 in the scaffolded app, got $TS7_VERSION" ;; esac
CDK_APP=$(node -p 'require(process.argv[1]).app' "$TS7/cdk.json")
[ "$CDK_APP" = "npx tsc && npx tsx bin/ts7.ts" ] || fail "unexpected app command in the scaffold's cdk.json: $CDK_APP"
(cd "$TS7" && CDK_OUTDIR="$TS7/cdk.out" sh -c "$CDK_APP")
node -e '
const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const types = Object.values(t.Resources).map((r) => r.Type);
if (types.filter((x) => x === "AWS::IAM::Role").length !== 1) { console.error("expected the target role; got", types); process.exit(1); }
const outputs = Object.keys(t.Outputs ?? {}).join(" ");
if (outputs !== "RoleArn ExternalId Host WorkGroup OutputLocation") { console.error("unexpected output keys:", outputs); process.exit(1); }
' "$TS7/cdk.out/QualyticsAthena.template.json"
echo "    $TS7_VERSION, tsx $(cd "$TS7" && npx --no-install tsx --version | head -1)"
took

step "the installed command: help, synth --config, a bad config"
cd "$APP"
expect_exit 0 npx --no-install qualytics-athena-iam --help
grep -q '^Usage: qualytics-athena-iam <command>' "$TMP/out" || fail "--help printed no usage"
for command in verify credential-process aws-profile synth; do
  for flag in --help -h; do
    expect_exit 0 npx --no-install qualytics-athena-iam "$command" "$flag"
    grep -q "^Usage: qualytics-athena-iam $command " "$TMP/out" || fail "$command $flag printed no usage on stdout"
    [ ! -s "$TMP/err" ] || fail "$command $flag wrote to stderr"
  done
done
cp "$HERE/access.json" "$APP/access.json"
SCHEMA=$(node -p 'require("./access.json")["$schema"]')
[ -f "$APP/$SCHEMA" ] || fail "the schema is not at its documented path $SCHEMA"
expect_exit 0 npx --no-install qualytics-athena-iam synth --config access.json --output out
grep -q '^wrote out/QualyticsAthenaAccess.template.json$' "$TMP/out" || { cat "$TMP/out"; fail "synth did not report the template"; }
node -e '
const t = JSON.parse(require("fs").readFileSync("out/QualyticsAthenaAccess.template.json", "utf8"));
const roles = Object.values(t.Resources).filter((r) => r.Type === "AWS::IAM::Role");
if (roles.length !== 1 || roles[0].Properties.RoleName !== "qualytics-athena-access") { console.error(roles); process.exit(1); }
if (t.Parameters?.BootstrapVersion) { console.error("the template needs CDK bootstrap"); process.exit(1); }'
grep -q 'qualytics-athena-iam synth --config access.json' out/QualyticsAthenaAccess.access-report.md \
  || fail "the access report does not say how it was generated"
echo '{ "deployment": "managed", "resultsBucket": "s3://acme-results/athena" }' >bad.json
expect_exit 1 npx --no-install qualytics-athena-iam synth --config bad.json
grep -q 'pass the bucket name alone ("acme-results") and the prefix ("athena")' "$TMP/err" || { cat "$TMP/err"; fail "bad config message"; }
took

step "the README's config copy step, from the installed package"
# Every shipped config's "$schema" resolves inside the installed package.
for config in $EXAMPLE_CONFIGS; do
  shipped=node_modules/qualytics-athena-iam/$config
  schema=$(node -p 'require(process.argv[1])["$schema"]' "$PWD/$shipped")
  [ -f "$(dirname "$shipped")/$schema" ] || fail "$config: its \$schema $schema does not resolve in the installed package"
done
(cd "$ROOT" && npx ts-node --project test/tsconfig.json test/support/readme-blocks.ts sh config-copy) >"$TMP/config-copy.sh"
bash -eu "$TMP/config-copy.sh"
SCHEMA=$(node -p 'require("./athena-access.json")["$schema"]')
[ -f "$APP/$SCHEMA" ] || fail "the copied config's \$schema $SCHEMA does not resolve from the app"
expect_exit 0 npx --no-install qualytics-athena-iam synth --config athena-access.json --output copied
grep -q '^wrote copied/QualyticsAthenaSelfHostedPodIdentity.template.json$' "$TMP/out" || { cat "$TMP/out"; fail "synth of the copied config"; }
took

step "stack traces through the package name files that exist"
node --enable-source-maps -e '
const path = require("path");
const fs = require("fs");
const { App, Stack } = require("aws-cdk-lib");
const { AthenaTargetRole } = require("qualytics-athena-iam");
try {
  new AthenaTargetRole(new Stack(new App(), "S"), "T", { trustedRoleArn: "arn:aws:iam::111122223333:role/b", resultsBucketName: "r", kmsKeyArns: ["k"] });
  process.exit(1);
} catch (e) {
  const frames = e.stack.split("\n").map((l) => /\((.*node_modules\/qualytics-athena-iam\/[^:]+):\d+:\d+\)/.exec(l)?.[1]).filter(Boolean);
  const missing = frames.filter((f) => !fs.existsSync(f));
  if (frames.length === 0 || !frames[0].endsWith(".ts") || missing.length) {
    console.error(e.stack, "\nmissing:", missing); process.exit(1);
  }
  console.log(`    ${frames.length} frames in the package, first ${path.relative(process.cwd(), frames[0])}`);
}'
cd "$ROOT"
took

step "the installed Terraform modules: terraform init and validate each where the app's module sources point"
# ./node_modules/qualytics-athena-iam/terraform/modules/<name>, as the README's module blocks give it.
# The provider comes from a filesystem mirror where there is one (TF_PLUGIN_DIR, default /opt/tf-plugins), else
# from the registry.
PLUGIN_DIR=${TF_PLUGIN_DIR:-/opt/tf-plugins}
for module in "$APP"/node_modules/qualytics-athena-iam/terraform/modules/*/; do
  name=$(basename "$module")
  plugin_flag=()
  [ -d "$PLUGIN_DIR" ] && plugin_flag=("-plugin-dir=$PLUGIN_DIR")
  expect_exit 0 terraform -chdir="$module" init -no-color -backend=false "${plugin_flag[@]}"
  expect_exit 0 terraform -chdir="$module" validate -no-color
  grep -q 'The configuration is valid' "$TMP/out" || fail "terraform validate of the installed module $name said: $(cat "$TMP/out")"
  echo "    $name: valid"
done
took

step "jsii generates the Python and Go sources (jsii-pacmak --code-only)"
npx jsii-pacmak --code-only --target python --target go --outdir "$TMP/dist" >/dev/null 2>"$TMP/pacmak.log" \
  || { cat "$TMP/pacmak.log" >&2; fail "jsii-pacmak"; }
PY=$TMP/dist/python/src/qualytics_athena_iam/__init__.py
[ -f "$PY" ] || fail "no Python module qualytics_athena_iam"
python3 -m py_compile "$PY" || fail "the generated Python does not compile"
grep -q '^class AthenaAccessStack(' "$PY" || fail "AthenaAccessStack is missing from the Python module"
grep -q '^module github.com/qualytics/qualytics-athena-iam-go/qualyticsathenaiam$' "$TMP/dist/go/qualyticsathenaiam/go.mod" \
  || fail "unexpected Go module path"
[ -f "$TMP/dist/go/qualyticsathenaiam/AthenaAccessStack.go" ] || fail "AthenaAccessStack is missing from the Go package"
took

printf -- '--- package test passed in %.0f s\n' "$(echo "$(date +%s.%N) - $TOTAL_START" | bc)"
