import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { athenaAccessKeyUserModule } from './athena-access-key-user-module';
import { athenaTargetRoleModule } from './athena-target-role-module';
import { dataplaneBaseRoleModule } from './dataplane-base-role-module';

/** The Terraform modules the library ships, by folder under `terraform/modules/`. */
export const TERRAFORM_MODULES: Record<string, () => Record<string, string>> = {
  'athena-target-role': athenaTargetRoleModule,
  'dataplane-base-role': dataplaneBaseRoleModule,
  'athena-access-key-user': athenaAccessKeyUserModule,
};

/**
 * Writes every module into `<root>/modules/<name>/` and formats it with `terraform fmt`, which must be on PATH.
 * Returns the files written, relative to `root`.
 */
export function writeTerraformModules(root: string): string[] {
  const written: string[] = [];
  for (const [name, render] of Object.entries(TERRAFORM_MODULES)) {
    const dir = path.join(root, 'modules', name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(render())) {
      fs.writeFileSync(path.join(dir, file), text);
      written.push(path.join('modules', name, file));
    }
    const fmt = spawnSync('terraform', ['fmt', dir], { encoding: 'utf8' });
    if (fmt.error || fmt.status !== 0) {
      throw new Error(`terraform fmt ${dir} failed (Terraform must be on PATH: https://developer.hashicorp.com/terraform/install): ${fmt.error?.message ?? fmt.stderr}`);
    }
  }
  return written;
}
