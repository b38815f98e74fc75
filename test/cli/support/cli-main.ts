// Runs the command line from the TypeScript sources, as bin/qualytics-athena-iam.js runs it from build/:
// `node -r ts-node/register/transpile-only test/cli/support/cli-main.ts <command> ...`. Real clients
// (the AWS CLI, the SDK's fromProcess) start it as their credential_process in the tests.
import { runCli } from '../../../lib/cli';

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
