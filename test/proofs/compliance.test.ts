import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { addComplianceChecks } from '../../examples/example-app';
import { AthenaTargetRole } from '../../lib';
import { addEveryShape } from '../support/every-shape';
import { FULL_TARGET_ROLE_PROPS } from '../support/full-options';

/**
 * The gates a customer's pipeline puts in front of CloudFormation, run over every template shape the library
 * and its examples build, each in an app with `addComplianceChecks` (what `bin/app.ts` registers):
 * - cdk-nag's AWS Solutions and NIST 800-53 rev 5 packs;
 * - AWS Control Tower's proactive controls, the cfn-guard rules of `@cdklabs/cdk-validator-cfnguard`
 *   (https://docs.aws.amazon.com/controltower/latest/controlreference/proactive-controls.html);
 * - CloudFormation's resource schemas, aws-cdk-lib's own validation, strict here: errors and warnings fail.
 *
 * test/support/jest-setup.ts turns aws-cdk-lib's validation off for the other test files (there it only
 * warns, and it costs seconds per file); this file turns it back on and makes it fail synth.
 */
process.env.CDK_VALIDATION = 'true';

const ROOT = path.join(__dirname, '..', '..');

/** An app as `bin/app.ts` makes it, plus strict schema validation: a finding of any gate, even a warning, throws. */
function gatedApp(): App {
  const app = new App({ context: { '@aws-cdk/core:strictCfnValidateErrors': true } });
  addComplianceChecks(app);
  return app;
}

test('every template shape passes the compliance gates: examples, Access Key, StackSet, every option, configs', () => {
  // One app, so that cfn-guard and the schema validator start once for all shapes; a failure names the stack.
  const app = gatedApp();
  addEveryShape(app);
  expect(() => app.synth()).not.toThrow();
});

test('the customer template, templates/athena-target-role.json, passes the Control Tower controls and the schemas', () => {
  // cdk-nag's wildcard acknowledgments live in the constructs' metadata, not in the template, and the
  // constructs that render it pass cdk-nag in test/deploy/customer-template.cases.ts.
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/core:strictCfnValidateErrors': true } });
  Validations.of(app).addPlugins(new CfnGuardValidator());
  new cfninc.CfnInclude(new Stack(app, 'CustomerTemplate'), 'Template', {
    templateFile: path.join(ROOT, 'templates', 'athena-target-role.json'),
  });
  expect(() => app.synth()).not.toThrow();
});

test('the gates fail synth on a Control Tower finding and on a schema error', () => {
  const app = gatedApp();
  // A bucket that manages access with an ACL: AWS Control Tower CT.S3.PR.5.
  new s3.Bucket(new Stack(app, 'Acl'), 'Bucket', { accessControl: s3.BucketAccessControl.LOG_DELIVERY_WRITE });
  // A property the resource type does not have: CloudFormation's schema.
  const role = new AthenaTargetRole(new Stack(app, 'Schema'), 'TargetRole', FULL_TARGET_ROLE_PROPS);
  (role.role.node.defaultChild as CfnResource).addPropertyOverride('NotARoleProperty', 'x');
  expect(() => app.synth()).toThrow(/CT\.S3\.PR\.5[\s\S]*NotARoleProperty|NotARoleProperty[\s\S]*CT\.S3\.PR\.5/);
});
