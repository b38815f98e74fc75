import { credentialsBenchmark } from './credentials';
import { synthBenchmark } from './synth';

/**
 * `npm run bench`: every figure is printed next to a baseline measured in the same run.
 */
async function main(): Promise<void> {
  await synthBenchmark();
  await credentialsBenchmark();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
