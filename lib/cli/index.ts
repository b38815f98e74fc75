import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliOptions, Command, UsageError } from './command';
import { AWS_PROFILE_COMMAND } from './commands/aws-profile';
import { CREDENTIAL_PROCESS_COMMAND } from './commands/credential-process';
import { DIFF_COMMAND } from './commands/diff';
import { DRIFT_COMMAND } from './commands/drift';
import { SYNTH_COMMAND } from './commands/synth';
import { VERIFY_COMMAND } from './commands/verify';
import { AuditInputError } from '../audit/errors';
import { SettingValidationError } from '../runtime/errors';

/**
 * The command line: `npx qualytics-athena-iam <verify|credential-process|aws-profile|synth|diff|drift> ...`. Not part of the jsii API.
 */

export type { CliOptions };

const COMMANDS: Record<string, Command> = {
  'verify': VERIFY_COMMAND,
  'credential-process': CREDENTIAL_PROCESS_COMMAND,
  'aws-profile': AWS_PROFILE_COMMAND,
  'synth': SYNTH_COMMAND,
  'diff': DIFF_COMMAND,
  'drift': DRIFT_COMMAND,
};

const USAGE = `Usage: qualytics-athena-iam <command> [options]
       qualytics-athena-iam <command> --help
       qualytics-athena-iam --version

${Object.values(COMMANDS).map((command) => command.usage).join('\n\n')}`;

/**
 * The environment setting that silences the bundled SDK's warning about Node.js versions it will stop supporting
 * (@aws-sdk/core emitWarningIfUnsupportedVersion): seven lines on stderr at every command, which clients of
 * credential_process show to their users. The README recommends a supported Node.js instead.
 */
const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** Runs the command line; resolves to the process exit code. */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  process.env[SDK_NODE_WARNING_SWITCH] ??= 'true';
  const [name, ...rest] = argv;
  if (name === '--version' && rest.length === 0) {
    out(packageVersion());
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const helpFor = name === 'help' ? rest[0] : undefined;
  const command = Object.hasOwn(COMMANDS, helpFor ?? name) ? COMMANDS[helpFor ?? name] : undefined;
  if (!command) {
    err(`Unknown command "${helpFor ?? name}". The commands are: ${Object.keys(COMMANDS).join(', ')}.\n`
      + 'Run "qualytics-athena-iam <command> --help" for a command\'s options, or "qualytics-athena-iam --help" for all.');
    return 2;
  }
  if (helpFor !== undefined || rest.includes('--help') || rest.includes('-h')) {
    out(`Usage: qualytics-athena-iam ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest, options, out, err);
  } catch (e) {
    if (e instanceof UsageError || e instanceof SettingValidationError || e instanceof AuditInputError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`${(e as Error).message}\n\nRun "qualytics-athena-iam ${name} --help" for the options.`);
      return 2;
    }
    throw e;
  }
}

/** This package's version, from its package.json (two folders up from lib/cli and build/cli alike). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}
