import * as path from 'path';
import { App, BootstraplessSynthesizer } from 'aws-cdk-lib';
import { AthenaAccessStack } from './athena-access-stack';
import { loadDeploymentConfig } from './deployment-config';
import { AccessReport, AccessReportPreviousVersion } from '../report/access-report';

/**
 * `qualytics-athena-iam synth --config <file>`: the config path for users who installed the package but have
 * no CDK app. Not part of the jsii API; used by the command line (`lib/cli/commands/synth.ts`).
 *
 * What runs: the JSON Schema check of the config, the constructs' own checks of every value, and aws-cdk-lib's
 * validation of each resource against its CloudFormation resource schema. cdk-nag and AWS Control Tower's
 * cfn-guard rules are dev dependencies of this repository, not of the package: its tests run them over the
 * same stacks (test/deploy/config-app.cases.ts, test/proofs/compliance.test.ts).
 *
 * Deploying what it writes: the role has a name, so CloudFormation needs CAPABILITY_NAMED_IAM
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-template.html#using-iam-capabilities);
 * `cdk deploy --app <dir>` deploys a synthesized cloud assembly without running an app (the CDK CLI skips synthesis
 * when --app names a cloud assembly directory: https://github.com/aws/aws-cdk/pull/2636, and aws-cdk's
 * lib/cxapp/exec.js, "bypass synth if app points to a cloud assembly").
 */

/** What `synthesizeConfig` wrote. */
export interface SynthesizedConfig {
  readonly stackName: string;
  /** The CloudFormation template, deployable without CDK bootstrap. */
  readonly templateFile: string;
  /** The access report beside it. */
  readonly reportFile: string;
}

/**
 * Synthesizes the stack `configFile` describes into the cloud assembly directory `outdir`, with the access
 * report beside the template (with a "Changes since" section when `previous` names an earlier version).
 * Throws with every problem of a bad config, or the first refused value.
 */
export function synthesizeConfig(configFile: string, outdir: string, previous?: AccessReportPreviousVersion): SynthesizedConfig {
  const config = loadDeploymentConfig(configFile);
  const app = new App({
    outdir,
    // aws-cdk-lib only warns about templates its CloudFormation resource schemas refuse, unless this is set.
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true },
    analyticsReporting: false,
  });
  // The stack has no assets, so it needs no bootstrap: `aws cloudformation deploy` can deploy the template as is.
  const stack = new AthenaAccessStack(app, config, { synthesizer: new BootstraplessSynthesizer() });
  const assembly = app.synth();
  const [reportFile] = AccessReport.writeForApp(app, assembly.directory, {
    generatedBy: `\`qualytics-athena-iam synth --config ${path.basename(configFile)}\``,
    previous,
  });
  return {
    stackName: stack.stackName,
    templateFile: path.join(assembly.directory, stack.templateFile),
    reportFile,
  };
}
