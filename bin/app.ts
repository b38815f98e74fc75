#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addExampleStacks, addComplianceChecks } from '../examples/example-app';
import { AthenaAccessStack } from '../lib/config/athena-access-stack';
import { loadDeploymentConfig } from '../lib/config/deployment-config';

// `cdk synth -c config=path/to/athena-access.json` deploys what the config describes; without it, the examples.
const app = new App();
addComplianceChecks(app);
const configFile = app.node.tryGetContext('config');
if (configFile) {
  new AthenaAccessStack(app, loadDeploymentConfig(configFile));
} else {
  addExampleStacks(app);
}
app.synth();
