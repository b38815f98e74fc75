import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { athenaAccessKeyUserModule } from './athena-access-key-user-module';
import { athenaTargetRoleModule } from './athena-target-role-module';
import { dataplaneBaseRoleModule } from './dataplane-base-role-module';
import { exampleReadme, TERRAFORM_EXAMPLES } from './examples';
import { outputsTf, readme, TerraformModule, testFile, variablesTf, versionsTf } from './module';

/** The Terraform modules the library ships, by folder under `terraform/modules/`. */
export const TERRAFORM_MODULES: Record<string, () => TerraformModule> = {
  'athena-target-role': athenaTargetRoleModule,
  'dataplane-base-role': dataplaneBaseRoleModule,
  'athena-access-key-user': athenaAccessKeyUserModule,
};

/** Every file under `terraform/`, by path relative to it, before `terraform fmt`. */
export function terraformFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, render] of Object.entries(TERRAFORM_MODULES)) {
    const module = render();
    const dir = path.join('modules', name);
    files[path.join(dir, 'main.tf')] = module.mainTf;
    files[path.join(dir, 'variables.tf')] = variablesTf(module.variables);
    files[path.join(dir, 'outputs.tf')] = outputsTf(module.outputs);
    files[path.join(dir, 'versions.tf')] = versionsTf(module.requirements);
    files[path.join(dir, 'README.md')] = readme(name, module);
    files[path.join(dir, 'tests', `${name}.tftest.hcl`)] = testFile(module);
  }
  for (const [name, example] of Object.entries(TERRAFORM_EXAMPLES)) {
    files[path.join('examples', name, 'main.tf')] = example.mainTf;
    files[path.join('examples', name, 'README.md')] = exampleReadme(name, example);
  }
  return files;
}

/**
 * Writes every module and example into `root` (`<root>/modules/<name>/`, `<root>/examples/<name>/`) and formats
 * them with `terraform fmt`, which must be on PATH. Returns the files written, relative to `root`.
 */
export function writeTerraformModules(root: string): string[] {
  const files = terraformFiles();
  const dirs = new Set<string>();
  for (const [file, text] of Object.entries(files)) {
    const dir = path.join(root, path.dirname(file));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
    dirs.add(dir);
  }
  for (const dir of dirs) {
    const fmt = spawnSync('terraform', ['fmt', dir], { encoding: 'utf8' });
    if (fmt.error || fmt.status !== 0) {
      throw new Error(`terraform fmt ${dir} failed (Terraform must be on PATH: https://developer.hashicorp.com/terraform/install): ${fmt.error?.message ?? fmt.stderr}`);
    }
  }
  return Object.keys(files);
}
