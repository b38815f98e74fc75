import { credentialsBenchmark } from './credentials';
import { diffBenchmark } from './diff';
import { driftBenchmark } from './drift';
import { lakeFormationBenchmark } from './lake-formation';
import { profileBenchmark } from './profile';
import { scaleBenchmark } from './scale';
import { synthBenchmark } from './synth';
import { terraformPlanBenchmark } from './terraform-plan';

/**
 * `npm run bench`: every figure is printed next to a baseline measured in the same run.
 */
async function main(): Promise<void> {
  await synthBenchmark();
  await profileBenchmark();
  await credentialsBenchmark();
  await scaleBenchmark();
  await lakeFormationBenchmark();
  await driftBenchmark();
  await diffBenchmark();
  terraformPlanBenchmark();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
