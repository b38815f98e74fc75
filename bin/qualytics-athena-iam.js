#!/usr/bin/env node
// Command line entry point of the package (`npx qualytics-athena-iam verify ...`).
require('../build/cli/index.js').runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });
