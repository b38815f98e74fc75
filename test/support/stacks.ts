import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addExampleStacks, ExampleStacks } from '../../examples/example-app';

/** A fresh stack in a fresh app; environment-agnostic unless `props.env` says otherwise. */
export function newStack(props: StackProps = {}): Stack {
  return new Stack(new App(), 'Test', props);
}

let examples: { app: App; stacks: ExampleStacks } | undefined;

/**
 * The example app of `bin/app.ts`, built once per jest test file and shared by every test that reads it (the
 * library's tests run as one file, test/library.test.ts).
 */
export function exampleApp(): { app: App; stacks: ExampleStacks } {
  if (!examples) {
    const app = new App();
    examples = { app, stacks: addExampleStacks(app) };
  }
  return examples;
}

/** The synthesized template of one example stack. */
export function exampleTemplate(name: keyof ExampleStacks): Template {
  return Template.fromStack(exampleApp().stacks[name]);
}
