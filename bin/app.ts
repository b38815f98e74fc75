#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addExampleStacks, addNagChecks } from '../examples/example-app';

const app = new App();
addNagChecks(app);
addExampleStacks(app);
app.synth();
