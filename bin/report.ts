/**
 * `npm run report`: synthesizes the example app into cdk.out and writes `<stack>.access-report.md` next to
 * each template, for the security team that approves the roles.
 */
import { App } from 'aws-cdk-lib';
import { addExampleStacks } from '../examples/example-app';
import { AccessReport } from '../lib';

const app = new App({ outdir: 'cdk.out' });
addExampleStacks(app);
const assembly = app.synth();
for (const file of AccessReport.writeForApp(app, assembly.directory, { generatedBy: '`npm run report`' })) {
  console.log(`wrote ${file}`);
}
