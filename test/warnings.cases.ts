import * as fs from 'fs';
import { Annotations as CoreAnnotations, App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AthenaAccessKeyUser, AthenaQueryPolicy, AthenaTargetRole, AthenaTargetRoleStackSet, DataplaneBaseRole, DataplaneIdentity } from '../lib';
import { README } from './support/readme-blocks';
import { SYNTH_WARNINGS, SynthWarning, synthWarningId } from '../lib/model/warnings';

const RESULTS = { resultsBucketName: 'acme-athena-results' };
const VENDOR_ROLE = 'arn:aws:iam::315179787488:role/acme-dataplane-role';
const TARGET = 'arn:aws:iam::444455556666:role/qualytics-athena-access';

/** A stack in which each warning is raised, and one beside it in which it is not. */
const SCENARIOS: Record<SynthWarning, { raises: (s: Stack) => void; quiet: (s: Stack) => void }> = {
  crossAccountWithoutExternalId: {
    raises: (s) => new AthenaTargetRole(s, 'Role', { trustedRoleArn: VENDOR_ROLE, resultsBucketName: 'acme-athena-results', workGroupNames: ['analytics'] }),
    quiet: (s) => new AthenaTargetRole(s, 'Role', {
      trustedRoleArn: VENDOR_ROLE, externalId: 'qualytics-7f3a9c', resultsBucketName: 'acme-athena-results', workGroupNames: ['analytics'],
    }),
  },
  noPodIdentityAssociation: {
    raises: (s) => new DataplaneBaseRole(s, 'BaseRole', {
      identity: DataplaneIdentity.eksPodIdentity({ clusterName: 'dataplane', namespace: 'qualytics', createAssociation: false }), targetRoleArns: [TARGET],
    }),
    quiet: (s) => new DataplaneBaseRole(s, 'BaseRole', {
      identity: DataplaneIdentity.eksPodIdentity({ clusterName: 'dataplane', namespace: 'qualytics' }), targetRoleArns: [TARGET],
    }),
  },
  // athena:GetQueryResults is authorized on the workgroup (https://docs.aws.amazon.com/athena/latest/ug/workgroups-iam-policy.html,
  // https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html): a shared "primary" exposes others' results.
  primaryWorkGroup: {
    // workGroupNames defaults to ['primary']; the role holds the query policy, and the warning is raised once, on the policy.
    raises: (s) => new AthenaTargetRole(s, 'Role', { trustedRoleArn: VENDOR_ROLE, externalId: 'qualytics-7f3a9c', ...RESULTS }),
    quiet: (s) => new AthenaTargetRole(s, 'Role', { trustedRoleArn: VENDOR_ROLE, externalId: 'qualytics-7f3a9c', ...RESULTS, workGroupNames: ['analytics'] }),
  },
  // Role chaining caps a session at one hour (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining,
  // DurationSeconds in https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
  maxSessionDurationBeyondRoleChaining: {
    raises: (s) => new AthenaTargetRole(s, 'Role', {
      trustedRoleArn: VENDOR_ROLE, externalId: 'qualytics-7f3a9c', ...RESULTS, workGroupNames: ['analytics'], maxSessionDuration: Duration.seconds(3601),
    }),
    quiet: (s) => new AthenaTargetRole(s, 'Role', {
      trustedRoleArn: VENDOR_ROLE, externalId: 'qualytics-7f3a9c', ...RESULTS, workGroupNames: ['analytics'], maxSessionDuration: Duration.hours(1),
    }),
  },
};

const newStack = () => new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'eu-west-1' } });
const warningsOf = (s: Stack, id: string) =>
  Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp(`\\[ack: ${id}\\]`)).map((w) => w.entry.data);

describe('Synth warnings', () => {
  test('the README documents every warning the library raises, by its id, and no other', () => {
    const readme = fs.readFileSync(README, 'utf8');
    const section = readme.slice(readme.indexOf('### Synth warnings'), readme.indexOf('\n### ', readme.indexOf('### Synth warnings') + 1));
    const documented = [...section.matchAll(/^\| `(qualytics-athena-iam:\w+)` \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(SYNTH_WARNINGS).map((w) => synthWarningId(w as SynthWarning)).sort());
    // Each row's call acknowledges the row's own warning.
    for (const [, id, call] of section.matchAll(/^\| `(qualytics-athena-iam:\w+)` \|.*\| `(Annotations\.of\(stack\)\.acknowledgeWarning\([^`]*\))` \|$/gm)) {
      expect(call).toMatch(new RegExp(`^Annotations\\.of\\(stack\\)\\.acknowledgeWarning\\('${id}', '[^']+'\\)$`));
    }
    expect([...section.matchAll(/acknowledgeWarning\('qualytics-athena-iam:\w+', '[^']+'\)` \|$/gm)]).toHaveLength(documented.length);
  });

  describe('primaryWorkGroup', () => {
    const id = synthWarningId('primaryWorkGroup');
    test.each<[string, (s: Stack) => void]>([
      ['a query policy naming primary among others', (s) => new AthenaQueryPolicy(s, 'Query', { ...RESULTS, workGroupNames: ['analytics', 'primary'] })],
      ['an access key user on the default workgroup', (s) => new AthenaAccessKeyUser(s, 'User', RESULTS)],
      ['a StackSet on the default workgroup', (s) => new AthenaTargetRoleStackSet(s, 'Roles', {
        stackSetName: 'qualytics', organizationalUnitIds: ['ou-ab12-cdef3456'], baseRoleArn: VENDOR_ROLE, externalId: 'qualytics-7f3a9c', ...RESULTS,
      })],
    ])('is raised once for %s', (_what, build) => {
      const s = newStack();
      build(s);
      expect(warningsOf(s, id)).toEqual([expect.stringContaining('"primary"')]);
    });

    test('says when primary comes from the default, and is quiet for a workgroup known only at deploy time', () => {
      const s = newStack();
      new AthenaQueryPolicy(s, 'Query', RESULTS);
      expect(warningsOf(s, id)).toEqual([expect.stringMatching(/^workGroupNames is not set and defaults to \["primary"\]/)]);
      const deployTime = newStack();
      new AthenaQueryPolicy(deployTime, 'Query', { ...RESULTS, workGroupNames: [new CfnParameter(deployTime, 'WorkGroup').valueAsString] });
      expect(warningsOf(deployTime, id)).toEqual([]);
    });
  });

  test('maxSessionDurationBeyondRoleChaining names the duration', () => {
    const id = synthWarningId('maxSessionDurationBeyondRoleChaining');
    const s = newStack();
    new AthenaTargetRole(s, 'Role', { trustedRoleArn: VENDOR_ROLE, externalId: 'qualytics-7f3a9c', ...RESULTS, workGroupNames: ['analytics'], maxSessionDuration: Duration.hours(12) });
    expect(warningsOf(s, id)).toEqual([expect.stringMatching(/^maxSessionDuration is 12 hours, but the dataplane reaches this role by role chaining/)]);
  });

  describe.each(Object.keys(SYNTH_WARNINGS) as SynthWarning[])('%s', (warning) => {
    const id = synthWarningId(warning);

    test('is raised once, with its id, where it applies, and not otherwise', () => {
      const raised = newStack();
      SCENARIOS[warning].raises(raised);
      expect(warningsOf(raised, id)).toHaveLength(1);
      const quiet = newStack();
      SCENARIOS[warning].quiet(quiet);
      expect(warningsOf(quiet, id)).toEqual([]);
    });

    test('the README\'s call acknowledges it on the stack, before or after the construct is created', () => {
      const after = newStack();
      SCENARIOS[warning].raises(after);
      CoreAnnotations.of(after).acknowledgeWarning(id, 'reviewed');
      expect(warningsOf(after, id)).toEqual([]);
      const before = newStack();
      CoreAnnotations.of(before).acknowledgeWarning(id, 'reviewed');
      SCENARIOS[warning].raises(before);
      expect(warningsOf(before, id)).toEqual([]);
    });

    test('the validation report\'s title (Annotation::<id>) is not an id: it acknowledges nothing', () => {
      const s = newStack();
      SCENARIOS[warning].raises(s);
      CoreAnnotations.of(s).acknowledgeWarning(`Annotation::${id}`, 'reviewed');
      expect(warningsOf(s, id)).toHaveLength(1);
    });
  });
});
