/**
 * The library's tests: constructs, proofs and deployment paths, one module each (`*.cases.ts`), run as one jest
 * test file. Jest gives every test file a fresh module registry, so each file loaded aws-cdk-lib, the IAM
 * evaluator and the example app again: about a second of CPU a file (52 s as 18 files, 33 s as one). Here
 * they load once, and the tests that read the example app's templates share one synthesis.
 *
 * Each module keeps its own describe blocks and hooks. Run part of it with `-t`, e.g.
 * `npx jest test/library.test.ts -t 'AthenaQueryPolicy'`.
 */
import './athena-query-policy.cases';
import './athena-target-role.cases';
import './catalogs.cases';
import './dataplane-base-role.cases';
import './deploy/access-key-user.cases';
import './deploy/config-app.cases';
import './deploy/customer-template.cases';
import './deploy/dataplane-wiring.cases';
import './deploy/deploy-time-list.cases';
import './deploy/stack-set.cases';
import './examples.cases';
import './lake-formation.cases';
import './managed-query-results.cases';
import './proofs/access-report.cases';
import './proofs/action-validity.cases';
import './proofs/guardrails.cases';
import './proofs/managed-results-simulation.cases';
import './proofs/properties.cases';
import './proofs/scale.cases';
import './proofs/simulation.cases';
import './proofs/wildcards.cases';
import './results-location.cases';
import './validation.cases';
import './warnings.cases';
