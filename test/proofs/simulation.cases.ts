/**
 * What the synthesized policies allow, decided by a real IAM policy evaluator on the resolved templates:
 * every call the Athena JDBC driver makes is allowed on what the props named, everything else is denied,
 * and only the base role, with the right External ID and session name, can assume the target role.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { AthenaTargetRole, DataplaneBaseRole, DataplaneIdentity } from '../../lib';
import { AccessScope, delegatingKeyPolicy, driverCalls, LabelledCall, outOfScopeCalls } from '../support/athena-driver-calls';
import { deployOnPaper, DeployedStack } from '../support/cloudformation';
import { CUSTOMER_ACCOUNT, EXTERNAL_ID, FULL_TARGET_ROLE_PROPS, VENDOR_ACCOUNT } from '../support/full-options';
import { podIdentityVendorBaseRole } from '../support/pod-identity';
import {
  ALLOW_EVERYTHING, AssumeRoleRequest, ChainedAssumeRoleDecision, decideAsRole, decideAssumeRole, decideChainedAssumeRole,
  decideTrust, decisionsAsRole, DeployedRole, deployedRole, expectEach, logicalIdOf, POD_IDENTITY_TAGS, sessionArn,
} from '../support/simulate';
import { exampleApp, newStack } from '../support/stacks';

const REGION = 'us-east-1';

/** Calls outside the scope are denied: explicitly where a guardrail covers them, implicitly otherwise. */
function expectedDenial(guardrails: boolean) {
  return (call: LabelledCall) => (guardrails && call.guardrail ? 'ExplicitlyDenied' : 'ImplicitlyDenied');
}

interface Case {
  readonly name: string;
  readonly target: () => DeployedRole;
  readonly scope: () => AccessScope;
  /** The base role that may assume the target, and its policies. */
  readonly base: () => DeployedRole;
  readonly externalId?: string;
  readonly guardrails: boolean;
}

const resolved = (() => {
  let cache: Record<'selfHosted' | 'customer' | 'vendor', DeployedStack> | undefined;
  return () => {
    if (!cache) {
      const { stacks } = exampleApp();
      const vendor = deployOnPaper(Template.fromStack(stacks.managedVendor).toJSON(), { account: VENDOR_ACCOUNT, region: REGION });
      const vendorBaseArn = vendor.arns[logicalIdOf(stacks.managedVendor.baseRole.role)];
      cache = {
        vendor,
        selfHosted: deployOnPaper(Template.fromStack(stacks.selfHosted).toJSON(), { account: CUSTOMER_ACCOUNT, region: REGION }),
        customer: deployOnPaper(Template.fromStack(stacks.managedCustomer).toJSON(), {
          account: CUSTOMER_ACCOUNT,
          region: REGION,
          parameters: { BaseRoleArn: vendorBaseArn, ExternalId: EXTERNAL_ID, ResultsBucket: 'acme-athena-results' },
        }),
      };
    }
    return cache;
  };
})();

function selfHostedScope(): AccessScope {
  const { stacks } = exampleApp();
  const template = resolved().selfHosted;
  const id = (path: string) => stacks.selfHosted.getLogicalId(stacks.selfHosted.node.findChild(path).node.defaultChild as any);
  const keyId = id('ResultsKey');
  return {
    partition: 'aws',
    region: REGION,
    account: CUSTOMER_ACCOUNT,
    workGroups: ['qualytics-dataplane'],
    catalog: 'AwsDataCatalog',
    databases: ['sales', 'marketing'],
    resultsBucket: template.refs[id('Results')],
    resultsPrefix: 'athena-results',
    dataLocations: [{ bucket: 'acme-data-lake', prefix: 'warehouse' }],
    kmsKeys: [{ arn: template.arns[keyId], keyPolicy: template.resources[keyId].Properties.KeyPolicy }],
    lakeFormation: false,
  };
}

/** Target roles with every option, with guardrails (the default) and without, in an environment-specific stack. */
const general = (() => {
  let cache: { target: DeployedRole; unguarded: DeployedRole } | undefined;
  return () => {
    if (!cache) {
      const stack = newStack({ env: { account: CUSTOMER_ACCOUNT, region: 'eu-west-1' } });
      const role = new AthenaTargetRole(stack, 'Target', FULL_TARGET_ROLE_PROPS);
      const unguarded = new AthenaTargetRole(stack, 'Unguarded', { ...FULL_TARGET_ROLE_PROPS, roleName: 'qualytics-athena-unguarded', guardrails: false });
      const template = deployOnPaper(Template.fromStack(stack).toJSON(), { account: CUSTOMER_ACCOUNT, region: 'eu-west-1' });
      cache = { target: deployedRole(template, logicalIdOf(role.role)), unguarded: deployedRole(template, logicalIdOf(unguarded.role)) };
    }
    return cache;
  };
})();

function fullScope(): AccessScope {
  return {
    partition: 'aws',
    region: 'eu-west-1',
    account: CUSTOMER_ACCOUNT,
    workGroups: FULL_TARGET_ROLE_PROPS.workGroupNames!,
    catalog: 'AwsDataCatalog',
    databases: FULL_TARGET_ROLE_PROPS.glueDatabaseNames!,
    resultsBucket: 'acme-athena-results',
    resultsPrefix: 'qualytics/results',
    dataLocations: [{ bucket: 'acme-lake', prefix: 'curated/sales' }, { bucket: 'acme-raw' }],
    kmsKeys: FULL_TARGET_ROLE_PROPS.kmsKeyArns!.map((arn) => ({ arn, keyPolicy: delegatingKeyPolicy('aws', CUSTOMER_ACCOUNT) })),
    lakeFormation: true,
  };
}

/** The vendor's base role, with its AssumeRole policy, as the customer account sees it. */
const vendorBase = () => deployedRole(resolved().vendor, logicalIdOf(exampleApp().stacks.managedVendor.baseRole.role));

const CASES: Case[] = [
  {
    name: 'self-hosted example',
    target: () => deployedRole(resolved().selfHosted, logicalIdOf(exampleApp().stacks.selfHosted.targetRole.role)),
    base: () => deployedRole(resolved().selfHosted, logicalIdOf(exampleApp().stacks.selfHosted.baseRole.role)),
    scope: selfHostedScope,
    guardrails: true,
  },
  {
    name: 'managed customer example (parameters: vendor base role, External ID, default workgroup and prefix)',
    target: () => deployedRole(resolved().customer, logicalIdOf(exampleApp().stacks.managedCustomer.targetRole.role)),
    base: vendorBase,
    scope: () => ({
      partition: 'aws',
      region: REGION,
      account: CUSTOMER_ACCOUNT,
      workGroups: ['primary'],
      catalog: 'AwsDataCatalog',
      databases: ['default', 'sales'],
      everyDatabase: true,
      resultsBucket: 'acme-athena-results',
      resultsPrefix: 'qualytics-athena-results',
      dataLocations: [],
      kmsKeys: [],
      lakeFormation: false,
    }),
    externalId: EXTERNAL_ID,
    guardrails: true,
  },
  {
    name: 'target role with every option',
    target: () => general().target,
    base: vendorBase,
    scope: fullScope,
    externalId: EXTERNAL_ID,
    guardrails: true,
  },
  {
    name: 'target role with every option and guardrails: false',
    target: () => general().unguarded,
    base: vendorBase,
    scope: fullScope,
    externalId: EXTERNAL_ID,
    guardrails: false,
  },
];

beforeAll(() => {
  // Synthesized once, for every test below.
  resolved();
  general();
}, 120_000);

describe.each(CASES)('$name', (c) => {
  test('every call the Athena JDBC driver makes is allowed on what the props named', async () => {
    const calls = driverCalls(c.scope());
    expect(await decisionsAsRole(c.target(), calls)).toEqual(expectEach(calls, () => 'Allowed'));
  });

  test('other workgroups, databases, buckets and prefixes, writes, deletes, administration, IAM and onward roles are denied', async () => {
    const calls = outOfScopeCalls(c.scope());
    expect(await decisionsAsRole(c.target(), calls)).toEqual(expectEach(calls, expectedDenial(c.guardrails)));
  });

  if (c.guardrails) {
    test('with a policy that allows everything attached, the guardrails still deny and the driver\'s calls still work', async () => {
      const guarded = outOfScopeCalls(c.scope()).filter((call) => call.guardrail);
      const needed = driverCalls(c.scope());
      expect(await decisionsAsRole(c.target(), [...guarded, ...needed], [ALLOW_EVERYTHING])).toEqual({
        ...expectEach(guarded, () => 'ExplicitlyDenied'),
        ...expectEach(needed, () => 'Allowed'),
      });
    });
  }

  describe('trust', () => {
    const base = () => c.base();
    const request = (overrides: Partial<AssumeRoleRequest> = {}): AssumeRoleRequest => ({
      principal: sessionArn(base(), 'dataplane'),
      callerPolicies: base().identityPolicies,
      externalId: c.externalId,
      sessionName: 'qualytics-athena-conn42',
      principalOrgId: 'o-abcdef1234',
      ...overrides,
    });
    const otherBase = () => base().arn.replace(/role\/.*$/, 'role/other-tenant-dataplane-role');

    test.each<{ label: string; overrides: () => Partial<AssumeRoleRequest>; expected: string }>([
      { label: 'the base role with the right External ID and session name is allowed', overrides: () => ({}), expected: 'Allowed' },
      { label: 'the base role, called by its role ARN, is allowed', overrides: () => ({ principal: base().arn }), expected: 'Allowed' },
      {
        label: 'a session name without the qualytics-athena- prefix is denied',
        overrides: () => ({ sessionName: 'admin-session' }),
        expected: 'ImplicitlyDenied',
      },
      { label: 'no session name is denied', overrides: () => ({ sessionName: undefined }), expected: 'ImplicitlyDenied' },
      {
        label: 'another role of the base role\'s account, even with AdministratorAccess, is denied',
        overrides: () => ({ principal: otherBase(), callerPolicies: [ALLOW_EVERYTHING] }),
        expected: 'ImplicitlyDenied',
      },
      {
        label: 'a role of another account, even with AdministratorAccess, is denied',
        overrides: () => ({ principal: 'arn:aws:iam::999988887777:role/acme-dataplane-role', callerPolicies: [ALLOW_EVERYTHING] }),
        expected: 'ImplicitlyDenied',
      },
    ])('$label', async ({ overrides, expected }) => {
      expect(await decideAssumeRole(c.target(), request(overrides()))).toBe(expected);
    });

    if (c.externalId !== undefined) {
      test.each<[string, string | undefined]>([
        ['a wrong External ID', `${c.externalId}x`],
        ['no External ID', undefined],
        ['the External ID in another case', c.externalId.toUpperCase()],
      ])('%s is denied', async (_, externalId) => {
        expect(await decideAssumeRole(c.target(), request({ externalId }))).toBe('ImplicitlyDenied');
      });
    }

    test('the base role cannot assume roles it was not given, even where their trust would allow it', async () => {
      const elsewhere = c.target().arn.replace(/:\d{12}:role\/.*$/, ':999988887777:role/qualytics-athena-access');
      expect(await decideAsRole(base(), { action: 'sts:AssumeRole', resource: elsewhere, resourceAccount: '999988887777' }))
        .toBe('ImplicitlyDenied');
    });
  });
});

describe('organization condition of the target role', () => {
  test.each<[string | undefined, string]>([
    ['o-abcdef1234', 'Allowed'],
    ['o-otherorg999', 'ImplicitlyDenied'],
    [undefined, 'ImplicitlyDenied'],
  ])('caller organization %s: %s', async (principalOrgId, expected) => {
    expect(await decideAssumeRole(general().target, {
      principal: FULL_TARGET_ROLE_PROPS.trustedRoleArn,
      callerPolicies: vendorBase().identityPolicies,
      externalId: EXTERNAL_ID,
      sessionName: 'qualytics-athena-conn42',
      principalOrgId,
    })).toBe(expected);
  });
});

describe('the dataplane identity reaches the base role', () => {
  const selfHostedBase = () => deployedRole(resolved().selfHosted, logicalIdOf(exampleApp().stacks.selfHosted.baseRole.role));
  const podTags = {
    'aws:RequestTag/kubernetes-service-account': 'qualytics-spark',
    'aws:RequestTag/kubernetes-namespace': 'qualytics',
    'aws:RequestTag/eks-cluster-name': 'qualytics-dataplane',
  };
  test.each<{ label: string; context: Record<string, string>; expected: string }>([
    { label: 'EKS Pod Identity for the dataplane\'s service account is allowed', context: podTags, expected: 'Allowed' },
    {
      label: 'another service account is denied',
      context: { ...podTags, 'aws:RequestTag/kubernetes-service-account': 'default' },
      expected: 'ImplicitlyDenied',
    },
    { label: 'another namespace is denied', context: { ...podTags, 'aws:RequestTag/kubernetes-namespace': 'kube-system' }, expected: 'ImplicitlyDenied' },
    { label: 'another cluster is denied', context: { ...podTags, 'aws:RequestTag/eks-cluster-name': 'other' }, expected: 'ImplicitlyDenied' },
  ])('$label', async ({ context, expected }) => {
    const role = selfHostedBase();
    for (const action of ['sts:AssumeRole', 'sts:TagSession']) {
      const decision = await decideTrust(role, { principal: 'pods.eks.amazonaws.com', action, context });
      expect(`${action}: ${decision}`).toBe(`${action}: ${expected}`);
    }
  });
});

describe('the dataplane identity reaches the base role without session tags', () => {
  const untaggedBase = (() => {
    let cache: DeployedRole | undefined;
    return () => {
      if (!cache) {
        const stack = newStack({ env: { account: CUSTOMER_ACCOUNT, region: REGION } });
        const base = new DataplaneBaseRole(stack, 'Base', {
          identity: DataplaneIdentity.eksPodIdentity({ namespace: 'qualytics', clusterName: 'qualytics-dataplane', createAssociation: true, sessionTags: false }),
          targetRoleArns: [`arn:aws:iam::${CUSTOMER_ACCOUNT}:role/qualytics-athena-access`],
        });
        const deployed = deployOnPaper(Template.fromStack(stack).toJSON(), { account: CUSTOMER_ACCOUNT, region: REGION });
        cache = deployedRole(deployed, logicalIdOf(base.role));
      }
      return cache;
    };
  })();
  const association = `arn:aws:eks:${REGION}:${CUSTOMER_ACCOUNT}:podidentityassociation/qualytics-dataplane/a-0123456789abcdefg`;
  test.each<{ label: string; context: Record<string, string>; expected: string }>([
    {
      label: 'an association of the cluster, from the account',
      context: { 'aws:SourceAccount': CUSTOMER_ACCOUNT, 'aws:SourceArn': association },
      expected: 'Allowed',
    },
    {
      label: 'an association of another cluster',
      context: { 'aws:SourceAccount': CUSTOMER_ACCOUNT, 'aws:SourceArn': association.replace('/qualytics-dataplane/', '/other/') },
      expected: 'ImplicitlyDenied',
    },
    {
      label: 'another account\'s association (confused deputy)',
      context: { 'aws:SourceAccount': '999988887777', 'aws:SourceArn': association.replace(CUSTOMER_ACCOUNT, '999988887777') },
      expected: 'ImplicitlyDenied',
    },
    { label: 'no source at all', context: {}, expected: 'ImplicitlyDenied' },
  ])('$label: $expected', async ({ context, expected }) => {
    expect(await decideTrust(untaggedBase(), { principal: 'pods.eks.amazonaws.com', action: 'sts:AssumeRole', context })).toBe(expected);
  });
});

describe('the second hop with EKS Pod Identity session tags', () => {
  /** A target role that does not allow the tags. */
  const untagged = (() => {
    let cache: DeployedRole | undefined;
    return () => {
      if (!cache) {
        const stack = newStack({ env: { account: CUSTOMER_ACCOUNT, region: 'eu-west-1' } });
        const role = new AthenaTargetRole(stack, 'Untagged', {
          ...FULL_TARGET_ROLE_PROPS, roleName: 'qualytics-athena-untagged', allowPodIdentitySessionTags: false,
        });
        cache = deployedRole(deployOnPaper(Template.fromStack(stack).toJSON(), { account: CUSTOMER_ACCOUNT, region: 'eu-west-1' }), logicalIdOf(role.role));
      }
      return cache;
    };
  })();

  const granted: ChainedAssumeRoleDecision = { assumeRole: 'Allowed', tagSession: 'Allowed', credentials: true };
  const request = (base: DeployedRole, overrides: Partial<AssumeRoleRequest> & { transitiveTags?: Record<string, string> } = {}) => ({
    principal: sessionArn(base, 'eks-qualytics-spark-7d9f'),
    callerPolicies: base.identityPolicies,
    externalId: EXTERNAL_ID,
    sessionName: 'qualytics-athena-conn42',
    principalOrgId: 'o-abcdef1234',
    transitiveTags: POD_IDENTITY_TAGS,
    ...overrides,
  });

  test('same account (self-hosted example): the base role\'s tagged session gets the target role, AssumeRole and TagSession both allowed', async () => {
    const target = deployedRole(resolved().selfHosted, logicalIdOf(exampleApp().stacks.selfHosted.targetRole.role));
    const base = deployedRole(resolved().selfHosted, logicalIdOf(exampleApp().stacks.selfHosted.baseRole.role));
    expect(await decideChainedAssumeRole(target, request(base, { externalId: undefined, principalOrgId: undefined }))).toEqual(granted);
  });

  test('across accounts: the vendor\'s Pod Identity base role gets the target role with the External ID', async () => {
    expect(await decideChainedAssumeRole(general().target, request(podIdentityVendorBaseRole()))).toEqual(granted);
  });

  test('across accounts, a base role whose policy allows only sts:AssumeRole fails on sts:TagSession', async () => {
    // The IRSA vendor example has the same ARN but no TagSession: the tags alone make the difference.
    expect(await decideChainedAssumeRole(general().target, request(vendorBase()))).toEqual({
      assumeRole: 'Allowed', tagSession: 'ImplicitlyDenied', credentials: false,
    });
  });

  test('a target role without the TagSession statement refuses the tagged session: the failure the README example had', async () => {
    expect(await decideChainedAssumeRole(untagged(), request(podIdentityVendorBaseRole()))).toEqual({
      assumeRole: 'Allowed', tagSession: 'ImplicitlyDenied', credentials: false,
    });
  });

  test('a session without tags (IRSA) needs no TagSession at all', async () => {
    expect(await decideChainedAssumeRole(untagged(), request(vendorBase(), { transitiveTags: {} })))
      .toEqual({ assumeRole: 'Allowed', credentials: true });
  });

  test('tag keys other than Pod Identity\'s six are refused', async () => {
    const decision = await decideChainedAssumeRole(general().target, request(podIdentityVendorBaseRole(), {
      transitiveTags: { ...POD_IDENTITY_TAGS, team: 'admins' },
    }));
    expect(decision).toEqual({ assumeRole: 'Allowed', tagSession: 'ImplicitlyDenied', credentials: false });
  });

  test.each<[string, Partial<AssumeRoleRequest>]>([
    ['without the External ID', { externalId: undefined }],
    ['with a wrong External ID', { externalId: `${EXTERNAL_ID}x` }],
    ['with a session name without the prefix', { sessionName: 'admin-session' }],
  ])('TagSession opens nothing %s: the trust allows the tags, AssumeRole is still refused, no credentials', async (_, overrides) => {
    expect(await decideChainedAssumeRole(general().target, request(podIdentityVendorBaseRole(), overrides))).toEqual({
      assumeRole: 'ImplicitlyDenied', tagSession: 'Allowed', credentials: false,
    });
  });

  test('from outside the organization, TagSession is refused too', async () => {
    const decision = await decideChainedAssumeRole(general().target, request(podIdentityVendorBaseRole(), { principalOrgId: 'o-otherorg999' }));
    expect(decision).toEqual({ assumeRole: 'ImplicitlyDenied', tagSession: 'ImplicitlyDenied', credentials: false });
  });

  test('the TagSession statement does not allow sts:AssumeRole by itself', async () => {
    // The trust, with only the tag context and no External ID: no statement but AssumeRole's can allow it.
    expect(await decideTrust(general().target, {
      principal: podIdentityVendorBaseRole().arn,
      action: 'sts:AssumeRole',
      context: { 'aws:PrincipalOrgID': 'o-abcdef1234', 'sts:RoleSessionName': 'qualytics-athena-conn42' },
    })).toBe('ImplicitlyDenied');
  });
});
