import { App } from 'aws-cdk-lib';
const app = new App();
app.synth();
