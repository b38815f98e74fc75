import type { Logger } from '@smithy/types';

/**
 * A `credential_process` profile that runs `credential-process` can be the very profile the command's own
 * base-credential lookup reads (AWS_PROFILE naming it): the command would start itself again and again. The first
 * one sets an environment marker; one that finds it set stops at once and says so on stderr; the first one finds
 * that message among the credential providers' messages and reports the recursion instead of "no credentials".
 * Not part of the jsii API.
 */

/** Set while credential-process runs; inherited by whatever its base-credential lookup starts. */
export const CREDENTIAL_PROCESS_MARKER = 'QUALYTICS_ATHENA_IAM_CREDENTIAL_PROCESS';

/** How a credential-process started by another one begins its message. */
export const RECURSION_MESSAGE = 'qualytics-athena-iam credential-process was started by itself';

/**
 * Watches the SDK's credential provider messages (which carry a failed credential_process's stderr) for
 * RECURSION_MESSAGE; pass `logger` to the client whose default credential chain is watched.
 */
export class RecursionWatch {
  /** Whether a credential-process reported that it was started by itself. */
  public seen = false;

  /** A logger that only looks for RECURSION_MESSAGE in debug messages and prints nothing. */
  public readonly logger: Logger = {
    debug: (...content: unknown[]) => {
      if (content.some((c) => String(c).includes(RECURSION_MESSAGE))) {
        this.seen = true;
      }
    },
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  };
}
