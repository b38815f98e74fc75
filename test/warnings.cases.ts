import * as fs from 'fs';
import { Annotations as CoreAnnotations, App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AthenaTargetRole, DataplaneBaseRole, DataplaneIdentity } from '../lib';
import { README } from './support/readme-blocks';
import { SYNTH_WARNINGS, SynthWarning, synthWarningId } from '../lib/model/warnings';

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
