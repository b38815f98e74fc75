/**
 * Scale: the capacity finder names the largest configuration that fits IAM's limits, synth agrees with it
 * at the boundary, and splitting is deterministic (same input, same logical IDs and policy contents).
 */
import { createHash } from 'crypto';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AthenaAccessKeyUser, AthenaQueryPolicy, AthenaQueryPolicyProps, AthenaTargetRole, PolicyCapacityOptions } from '../../lib';
import { documentJson, packStatements } from '../../lib/model/packing';
import { StatementSpec } from '../../lib/model/statement-spec';
import { newStack } from '../support/stacks';

/** `count` distinct names of exactly `length` characters. */
function names(prefix: string, count: number, length: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${'x'.repeat(length - prefix.length - String(i).length)}${i}`);
}

/** Props of the shape `AthenaQueryPolicy.capacity()` assumes by default, with `databases` databases. */
function defaultShapeProps(databases: number, maxManagedPolicies?: number): AthenaQueryPolicyProps {
  return {
    workGroupNames: names('w', 1, 32),
    glueDatabaseNames: names('d', databases, 32),
    resultsBucketName: 'r'.repeat(63),
    resultsPrefix: 'p'.repeat(32),
    guardrails: true,
    maxManagedPolicies,
  };
}

describe('capacity', () => {
  test.each([[10, 0], [20, 0], [10, 10240], [20, 10240]])('with a quota of %i managed policies and %i characters of inline policy, the capacity fits and one more database does not', (quota, inline) => {
    const capacity = AthenaQueryPolicy.capacity({ maxManagedPolicies: quota, maxInlinePolicyLength: inline });
    expect(capacity).toEqual(expect.objectContaining({ maxManagedPolicies: quota, policiesAtMax: quota, limitedBy: 'IAM' }));
    expect(capacity.largestPolicyLengthAtMax).toBeLessThanOrEqual(6144);
    expect(capacity.inlinePolicyLengthAtMax).toBeLessThanOrEqual(inline);
    // The packing comes within 3% of what IAM's quotas could hold at all.
    expect(capacity.maxGlueDatabases).toBeLessThanOrEqual(capacity.physicalMaxGlueDatabases);
    expect(capacity.maxGlueDatabases / capacity.physicalMaxGlueDatabases).toBeGreaterThan(0.97);

    // An environment-agnostic stack measures tokens at their longest, as the capacity finder does.
    const fits = new AthenaQueryPolicy(newStack(), 'Fits', { ...defaultShapeProps(capacity.maxGlueDatabases, quota), maxInlinePolicyLength: inline });
    expect(fits.managedPolicies).toHaveLength(quota);
    expect(Math.max(...fits.policySizes.slice(0, quota))).toBe(capacity.largestPolicyLengthAtMax);
    expect(fits.inlinePolicy === undefined).toBe(inline === 0);
    expect(() => new AthenaQueryPolicy(newStack(), 'TooMany', { ...defaultShapeProps(capacity.maxGlueDatabases + 1, quota), maxInlinePolicyLength: inline }))
      .toThrow(new RegExp(`more than ${quota} managed policies \\(maxManagedPolicies\\) of 6144 characters${inline ? ` and an inline policy of ${inline} \\(maxInlinePolicyLength\\)` : ''} hold; ` +
        'IAM allows 10 managed policies per role by default \\(20 with a raised quota\\) and 10240 characters of inline policies per role\\. ' +
        `With 1 workgroups and 0 data locations of these name lengths, at most ${capacity.maxGlueDatabases} Glue databases fit`));
  });

  test('the inline policy holds what overflows, attached with the managed policies, and counts toward the role\'s inline budget', () => {
    const stack = newStack();
    const target = new AthenaTargetRole(stack, 'Target', { ...defaultShapeProps(AthenaQueryPolicy.capacity().maxGlueDatabases), trustedRoleArn: 'arn:aws:iam::315179787488:role/base' });
    const roleRef = { Ref: stack.getLogicalId(target.role.node.defaultChild as CfnElement) };
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { Roles: [roleRef], PolicyDocument: Match.objectLike({ Statement: Match.anyValue() }) });
    expect(target.queryPolicy.inlinePolicy).toBeDefined();

    const crowded = newStack();
    const full = new AthenaTargetRole(crowded, 'Target', { ...defaultShapeProps(AthenaQueryPolicy.capacity().maxGlueDatabases), trustedRoleArn: 'arn:aws:iam::315179787488:role/base' });
    full.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: names('arn:aws:s3:::b/', 40, 60) }));
    expect(() => Template.fromStack(crowded)).toThrow(/role's inline policies are \d+ characters together, over IAM's limit of 10240/);
  });

  test('an access-key user\'s group overflows into an inline policy within the group\'s 5,120 characters, and synth checks the total', () => {
    const stack = newStack();
    const user = new AthenaAccessKeyUser(stack, 'User', defaultShapeProps(AthenaQueryPolicy.capacity({ maxInlinePolicyLength: 5120 }).maxGlueDatabases));
    expect(user.queryPolicy.inlinePolicy).toBeDefined();
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { Groups: [{ Ref: stack.getLogicalId(user.group.node.defaultChild as CfnElement) }] });

    const crowded = newStack();
    const full = new AthenaAccessKeyUser(crowded, 'User', defaultShapeProps(AthenaQueryPolicy.capacity({ maxInlinePolicyLength: 5120 }).maxGlueDatabases));
    full.group.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: names('arn:aws:s3:::b/', 20, 60) }));
    expect(() => Template.fromStack(crowded)).toThrow(/group's inline policies are \d+ characters together, over IAM's limit of 5120/);
  });

  describe('the inline policy is held to the limit of the identity it is attached to', () => {
    // IAM counts all inline policies of an identity together, whitespace excluded: 10,240 characters for a role,
    // 5,120 for a group, 2,048 for a user (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
    /** One managed policy and a role's inline budget: what does not fit the managed policy overflows inline. */
    const overflowing = (databases: number) => {
      const stack = newStack();
      const policy = new AthenaQueryPolicy(stack, 'Query', {
        resultsBucketName: 'acme-athena-results',
        workGroupNames: ['analytics'],
        maxManagedPolicies: 1,
        maxInlinePolicyLength: 10240,
        glueDatabaseNames: Array.from({ length: databases }, (_, i) => `sales_region_${i}`),
      });
      return { stack, policy, inline: policy.policySizes[policy.policySizes.length - 1] };
    };

    test('an overflow too large for a user but not for a role: attached to a user, synth refuses it, naming the size, the limit and what to do', () => {
      const { stack, policy, inline } = overflowing(40);
      expect(inline).toBeGreaterThan(2048);
      expect(inline).toBeLessThanOrEqual(5120);
      policy.attachToRole(new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() }));
      policy.attachToGroup(new iam.Group(stack, 'Group'));
      expect(() => Template.fromStack(stack)).not.toThrow();
      expect(() => policy.attachToUser(new iam.User(stack, 'User'))).toThrow(
        `Test/Query: its inline policy, which holds what 1 managed policies (maxManagedPolicies) have no room for, is ${inline} characters, ` +
        'over the 2048 characters IAM allows for all inline policies of a user together (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), ' +
        'so it cannot be attached to Test/User. Raise maxManagedPolicies (up to 20 with a raised quota), give fewer glueDatabaseNames ' +
        '(or a pattern such as "sales_*"), dataLocations or workGroupNames, set maxInlinePolicyLength to at most 2048, or attach the policy ' +
        'to a role (10240 characters of inline policies).');
      // An imported user is held to the same limit: the overflow alone does not fit.
      expect(() => policy.attachToUser(iam.User.fromUserName(stack, 'Imported', 'analyst'))).toThrow(/over the 2048 characters IAM allows/);
    });

    test('an overflow that fits a user is attached to it', () => {
      const { stack, policy, inline } = overflowing(30);
      expect(inline).toBeLessThanOrEqual(2048);
      const user = new iam.User(stack, 'User');
      policy.attachToUser(user);
      const userRef = { Ref: stack.getLogicalId(user.node.defaultChild as CfnElement) };
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { Users: [userRef] });
    });

    test('an overflow too large for a group but not for a role is refused on a group', () => {
      const { stack, policy, inline } = overflowing(70);
      expect(inline).toBeGreaterThan(5120);
      policy.attachToRole(new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() }));
      expect(() => policy.attachToGroup(new iam.Group(stack, 'Group')))
        .toThrow(`is ${inline} characters, over the 5120 characters IAM allows for all inline policies of a group together`);
    });

    test('an access-key user with a role\'s inline budget is refused on its group, not deployed to fail', () => {
      const databases = AthenaQueryPolicy.capacity({ maxInlinePolicyLength: 10240 }).maxGlueDatabases;
      const props = { ...defaultShapeProps(databases), maxInlinePolicyLength: 10240 };
      expect(() => new AthenaAccessKeyUser(newStack(), 'User', props)).toThrow(/over the 5120 characters IAM allows for all inline policies of a group together/);
    });

    test('a user\'s inline policies are checked together: the overflow and a policy added to the user', () => {
      const { stack, policy } = overflowing(30);
      const user = new iam.User(stack, 'User');
      policy.attachToUser(user);
      user.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: names('arn:aws:s3:::b/', 30, 60) }));
      expect(() => Template.fromStack(stack)).toThrow(/user's inline policies are \d+ characters together, over IAM's limit of 2048/);
    });
  });

  test('the error\'s count of databases that fit takes the extra catalogs into account', () => {
    const fitting = (props: AthenaQueryPolicyProps) => {
      try {
        new AthenaQueryPolicy(newStack(), 'TooMany', props);
      } catch (error) {
        return Number(/at most (\d+) Glue databases fit/.exec((error as Error).message)![1]);
      }
      throw new Error('expected the policy to be refused');
    };
    const catalogs = [{ catalogName: 's3tablescatalog/analytics-tables', databaseNames: names('n', 60, 32).map((n) => n.replace(/-/g, '_')) }];
    expect(fitting({ ...defaultShapeProps(700), catalogs })).toBeLessThan(fitting(defaultShapeProps(700)));
  });

  test('refuses an inline budget above a role\'s', () => {
    expect(() => new AthenaQueryPolicy(newStack(), 'Query', { resultsBucketName: 'results', maxInlinePolicyLength: 10241 }))
      .toThrow('Invalid maxInlinePolicyLength: 10241. Give a whole number of characters from 0 (no inline policy) to 10240');
  });

  test('assumes the default quota of 10 managed policies and the guardrails of a target role', () => {
    const targetRoleShape = { maxManagedPolicies: 10, guardrails: true, maxInlinePolicyLength: 10240 };
    expect(AthenaQueryPolicy.capacity()).toEqual(AthenaQueryPolicy.capacity(targetRoleShape));
    expect(AthenaQueryPolicy.capacity({ guardrails: false }).maxGlueDatabases).toBeGreaterThan(AthenaQueryPolicy.capacity().maxGlueDatabases);
  });

  test('shrinks as the other dimensions grow', () => {
    const base = AthenaQueryPolicy.capacity().maxGlueDatabases;
    for (const options of [{ workGroups: 50 }, { dataLocations: 50 }, { kmsKeys: 20 }, { databaseNameLength: 64 }]) {
      expect(AthenaQueryPolicy.capacity(options).maxGlueDatabases).toBeLessThan(base);
    }
  });

  test('is 0 when the other dimensions alone do not fit', () => {
    expect(AthenaQueryPolicy.capacity({ workGroups: 10000, maxManagedPolicies: 1 }).maxGlueDatabases).toBe(0);
  });

  test.each<[keyof PolicyCapacityOptions, number, string]>([
    ['maxManagedPolicies', 21, 'Give a whole number from 1 to 20'],
    ['maxManagedPolicies', 0, 'Give a whole number from 1 to 20'],
    ['workGroups', 0, 'Give a whole number from 1 to 10000'],
    ['dataLocations', -1, 'Give a whole number from 0 to 10000'],
    ['kmsKeys', 1.5, 'Give a whole number from 0 to 10000'],
    ['databaseNameLength', 256, 'Give a whole number from 1 to 255'],
    ['bucketNameLength', 2, 'Give a whole number from 3 to 63'],
    ['prefixLength', 1001, 'Give a whole number from 0 to 1000'],
    ['workGroupNameLength', 129, 'Give a whole number from 1 to 128'],
    ['maxInlinePolicyLength', 10241, 'Give a whole number from 0 to 10240'],
  ])('refuses %s = %p', (property, value, accepted) => {
    expect(() => AthenaQueryPolicy.capacity({ [property]: value })).toThrow(`Invalid ${property}: ${value}. ${accepted}`);
  });
});

describe('deterministic splitting', () => {
  /** Logical IDs and a digest of each managed policy, from a fresh app. */
  function synthesizedPolicies(): Record<string, string> {
    const stack = new Stack(new App(), 'Scale', { env: { account: '111122223333', region: 'us-east-1' } });
    const role = new AthenaTargetRole(stack, 'Target', {
      ...defaultShapeProps(400, 20),
      trustedRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role',
      dataLocations: names('b', 12, 40).map((bucketName, i) => ({ bucketName, prefix: `tables/t${i}` })),
      workGroupNames: names('w', 5, 20),
    });
    const resources = Template.fromStack(stack).toJSON().Resources;
    return Object.fromEntries(role.queryPolicy.managedPolicies.map((policy) => {
      const id = stack.getLogicalId(policy.node.defaultChild as CfnElement);
      const digest = createHash('sha256').update(JSON.stringify(resources[id].Properties.PolicyDocument)).digest('hex').slice(0, 16);
      return [id, digest];
    }));
  }

  const first = synthesizedPolicies();

  test('the same props give the same logical IDs and policy contents in every app', () => {
    expect(Object.keys(first).length).toBeGreaterThan(10);
    expect(synthesizedPolicies()).toEqual(first);
  });

  test('logical IDs and contents stay the same across versions unless the policy itself changes', () => {
    expect(first).toMatchSnapshot();
  });
});

describe('packing NotResource statements', () => {
  const measure = { jsonLength: (value: unknown) => JSON.stringify(value).length };
  const allow = (sid: string, resources: string[]): StatementSpec => ({ sid, effect: iam.Effect.ALLOW, actions: ['s3:GetObject'], resources, purpose: sid });
  const denyOutside: StatementSpec = {
    sid: 'Deny', effect: iam.Effect.DENY, actions: ['s3:Put*'], resources: [], notResources: ['arn:aws:s3:::results/*'], purpose: 'deny',
  };

  test('keeps a NotResource statement whole, in the next document when it does not fit the current one', () => {
    const empty = measure.jsonLength(documentJson([]));
    const limit = empty + measure.jsonLength(documentJson([denyOutside])) - empty + 40;
    const documents = packStatements([allow('A', ['arn:aws:s3:::a/*']), denyOutside], measure, limit);
    expect(documents.map((d) => d.map((s) => s.sid))).toEqual([['A'], ['Deny']]);
    expect(documents[1][0]).toEqual(denyOutside);
  });

  test('fails naming the statement when a NotResource statement cannot fit an empty document', () => {
    expect(() => packStatements([denyOutside], measure, 100)).toThrow(/Statement Deny cannot fit a policy document of 100 characters/);
  });
});
