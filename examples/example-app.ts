import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { AthenaTargetRoleTemplate } from '../lib';
import { ManagedVendorStack } from './managed-vendor-stack';
import { SelfHostedStack } from './self-hosted-stack';

/** The three example deployments, as `bin/app.ts` and the tests synthesize them. */
export interface ExampleStacks {
  readonly selfHosted: SelfHostedStack;
  /** The customer template (`templates/athena-target-role.json`), as the managed customer deploys it. */
  readonly managedCustomer: AthenaTargetRoleTemplate;
  readonly managedVendor: ManagedVendorStack;
}

/**
 * The compliance gates of the example app; synth fails on any unacknowledged finding of:
 * - cdk-nag's AWS Solutions and NIST 800-53 rev 5 packs;
 * - AWS Control Tower's proactive controls (the cfn-guard rules `@cdklabs/cdk-validator-cfnguard` bundles),
 *   which governed organizations enforce before CloudFormation deploys a template;
 * - CloudFormation's resource schemas (aws-cdk-lib's own validation, which only warns unless
 *   `@aws-cdk/core:validateAgainstDefaultRules` is set).
 *
 * Call it on a fresh app, before any stack is added (context can only be set then).
 */
export function addComplianceChecks(app: App): void {
  app.node.setContext('@aws-cdk/core:validateAgainstDefaultRules', true);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new CfnGuardValidator());
}

/** Adds the example stacks to `app`. */
export function addExampleStacks(app: App): ExampleStacks {
  return {
    selfHosted: new SelfHostedStack(app, 'QualyticsAthenaSelfHosted', {
      description: 'Qualytics self-hosted dataplane: base role (EKS Pod Identity), Athena target role, results bucket and workgroup',
      namespace: 'qualytics',
      clusterName: 'qualytics-dataplane',
      glueDatabaseNames: ['sales', 'marketing'],
      dataBucketName: 'acme-data-lake',
      dataPrefix: 'warehouse',
    }),
    managedCustomer: new AthenaTargetRoleTemplate(app, 'QualyticsAthenaCustomer'),
    managedVendor: new ManagedVendorStack(app, 'QualyticsAthenaVendorTenant', {
      description: 'Qualytics managed deployment: the acme tenant\'s dataplane base role (IRSA)',
      env: { account: '315179787488', region: 'us-east-1' },
      tenant: 'acme',
      oidcProviderArn: 'arn:aws:iam::315179787488:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
      namespace: 'qualytics',
      customerAccountIds: ['111122223333'],
    }),
  };
}
