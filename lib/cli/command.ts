import { BaseCredentials } from '../runtime/credentials';
import { VerifyOptions } from '../runtime/verify';

/** Where the command line writes, and what tests override. */
export interface CliOptions {
  /** Writes one line of normal output. Default: stdout. */
  readonly out?: (line: string) => void;
  /** Writes one line of error output. Default: stderr. */
  readonly err?: (line: string) => void;
  /** Verify settings that have no flag, e.g. endpoint overrides, base credentials and retry delays. */
  readonly verify?: Partial<VerifyOptions>;
  /** Base credentials for credential-process. Default: the AWS SDK's default chain. */
  readonly baseCredentials?: BaseCredentials;
}

/** One subcommand: its usage text (printed by `<command> --help`) and what it runs. */
export interface Command {
  readonly usage: string;
  readonly run: (args: string[], options: CliOptions, out: (line: string) => void, err: (line: string) => void) => Promise<number>;
}

/** A wrong command line: exit code 2. */
export class UsageError extends Error {}
