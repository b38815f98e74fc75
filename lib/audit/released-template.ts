import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AuditInputError } from './errors';

/** Where the customer template sits inside this package (and inside every release's tarball, under `package/`). */
export const CUSTOMER_TEMPLATE_PATH = 'templates/athena-target-role.json';

/** The customer template of this package as installed: the one a release ships. */
export function currentCustomerTemplateFile(): string {
  // lib/audit and build/audit alike sit two folders below the package root.
  return join(__dirname, '..', '..', CUSTOMER_TEMPLATE_PATH);
}

/** A release's customer template, read from its tarball. */
export interface ReleasedTemplate {
  /** The release's version (its package.json). */
  readonly version: string;
  /** The template file, extracted into a temporary folder that {@link ReleasedTemplate.dispose} removes. */
  readonly templateFile: string;
  /** Removes the temporary folder. */
  readonly dispose: () => void;
}

/**
 * The customer template of a release of this package: `spec` is a tarball (`npm pack` writes one) or an npm
 * package spec (`qualytics-athena-iam@1.2.0`), which `npm pack` fetches into a temporary folder.
 */
export function releasedCustomerTemplate(spec: string): ReleasedTemplate {
  if (!existsSync(spec) && /\.(tgz|tar\.gz)$/.test(spec)) {
    throw new AuditInputError(`${spec}: no such file (give a tarball that npm pack wrote, or a package spec such as qualytics-athena-iam@1.2.0)`);
  }
  const folder = mkdtempSync(join(tmpdir(), 'qualytics-athena-iam-base-'));
  const dispose = () => rmSync(folder, { recursive: true, force: true });
  try {
    const tarball = existsSync(spec) ? resolve(spec) : packSpec(spec, folder);
    run('tar', ['-xzf', tarball, '-C', folder, 'package/package.json', `package/${CUSTOMER_TEMPLATE_PATH}`],
      `${spec}: not a package tarball holding package.json and ${CUSTOMER_TEMPLATE_PATH}`);
    const { version } = JSON.parse(readFileSync(join(folder, 'package', 'package.json'), 'utf8')) as { version?: string };
    return { version: version ?? spec, templateFile: join(folder, 'package', CUSTOMER_TEMPLATE_PATH), dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

function packSpec(spec: string, folder: string): string {
  run('npm', ['pack', spec, '--pack-destination', folder, '--loglevel=error'], `${spec}: npm pack could not fetch it (give a tarball path or a package spec such as qualytics-athena-iam@1.2.0)`);
  const tarball = readdirSync(folder).find((file) => file.endsWith('.tgz'));
  if (!tarball) throw new AuditInputError(`${spec}: npm pack wrote no tarball`);
  return join(folder, tarball);
}

function run(command: string, args: string[], failure: string): void {
  try {
    execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    // The tool's first two lines say why (npm's error code and its reason, tar's missing member); npm's last names its log file.
    const reason = String((e as { stderr?: Buffer }).stderr ?? '').split('\n').filter((line) => line.trim() && !/complete log of this run/.test(line)).slice(0, 2);
    throw new AuditInputError(`${failure}${reason.length > 0 ? `: ${reason.join(' ')}` : ''}`);
  }
}
