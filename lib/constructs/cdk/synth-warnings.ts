import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SynthWarning, synthWarningId } from '../../model/warnings';

/** Raise `warning` on `scope`, unless it is acknowledged there or above. */
export function addSynthWarning(scope: IConstruct, warning: SynthWarning, message: string): void {
  Annotations.of(scope).addWarningV2(synthWarningId(warning), message);
}
