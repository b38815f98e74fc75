import * as fs from 'fs';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { NAG_PACKS, unacknowledgedFindings } from './support/nag';
import { exampleApp, exampleTemplate } from './support/stacks';

/** The customer example is the committed customer template, which is its snapshot. */
const STACKS = ['selfHosted', 'managedVendor'] as const;

describe('example stacks', () => {
  test.each(STACKS)('%s matches its committed snapshot', (name) => {
    expect(exampleTemplate(name).toJSON()).toMatchSnapshot();
  });

  test.each(NAG_PACKS)('%s checks find nothing unacknowledged in any example', (_name, pack) => {
    expect(unacknowledgedFindings(pack(), exampleApp().app)).toEqual([]);
  });

  test('the self-hosted stack outputs exactly what the connection form needs, under exactly the documented keys', () => {
    expect(Object.keys(exampleTemplate('selfHosted').toJSON().Outputs)).toEqual(['RoleArn', 'Host', 'WorkGroup', 'OutputLocation']);
  });

  test('the customer example is the customer template: the very template committed under templates/ and shipped in the package', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'templates', 'athena-target-role.json'), 'utf8'));
    expect(exampleTemplate('managedCustomer').toJSON()).toEqual(committed);
    expect(Object.keys(committed.Outputs)).toEqual(['RoleArn', 'ExternalId', 'Host', 'WorkGroup', 'OutputLocation']);
  });

  test('the customer stack takes the base role ARN and External ID as parameters and outputs them for the form', () => {
    const template = exampleTemplate('managedCustomer');
    template.hasParameter('BaseRoleArn', { Type: 'String', AllowedPattern: Match.stringLikeRegexp('iam') });
    template.hasParameter('ExternalId', { Type: 'String', MinLength: 2, MaxLength: 1224 });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { AWS: { Ref: 'BaseRoleArn' } },
          Condition: Match.objectLike({ StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } }),
        }), Match.objectLike({ Action: 'sts:TagSession', Principal: { AWS: { Ref: 'BaseRoleArn' } } })],
      },
    });
    const outputs = template.toJSON().Outputs;
    expect(Object.values(outputs).map((o: any) => o.Description)).toEqual([
      'Role ARN for the Athena connection (IAM Role authentication)',
      'External ID for the Athena connection',
      'Host for the Athena connection',
      'Athena workgroup for the connection',
      'S3 output location for query results',
    ]);
  });

  test('the customer stack deploys without CDK: no bootstrap parameter, rule or metadata', () => {
    const json = exampleTemplate('managedCustomer').toJSON();
    expect(Object.keys(json.Parameters)).not.toContain('BootstrapVersion');
    // Its own rules check parameters against each other; CDK's bootstrap check would need SSM and a bootstrapped account.
    expect(Object.keys(json.Rules ?? {})).not.toContain('CheckBootstrapVersion');
    expect(Template.fromJSON(json).findResources('AWS::CDK::Metadata')).toEqual({});
  });

  test('the vendor stack trusts the tenant service account through IRSA and may assume only qualytics-athena-* roles', () => {
    const template = exampleTemplate('managedVendor');
    const issuer = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'acme-dataplane-role',
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRoleWithWebIdentity',
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::315179787488:oidc-provider/${issuer}` },
          Condition: { StringEquals: { [`${issuer}:sub`]: 'system:serviceaccount:qualytics:qualytics-spark', [`${issuer}:aud`]: 'sts.amazonaws.com' } },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [{
          Sid: 'AssumeAthenaTargetRoles',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:role/qualytics-athena-*']] },
        }],
      },
    });
  });
});
