/**
 * Runs in every test file before its tests.
 *
 * aws-cdk-lib validates each synthesized template against CloudFormation's resource schemas with a WASM
 * engine (`CDK_VALIDATION`, on by default). Without the `@aws-cdk/core:validateAgainstDefaultRules` flag it only
 * prints warnings, yet it costs about 10 s of start-up in every test file and about 0.2 s per synth. The
 * ordinary tests turn it off here; test/proofs/compliance.test.ts turns it back on, with errors and warnings
 * failing synth, for every template shape the suite builds.
 */
process.env.CDK_VALIDATION = 'false';
