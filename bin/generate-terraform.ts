/**
 * Writes the Terraform modules into terraform/modules/, generated from the model (`npx projen terraform`) and
 * formatted by `terraform fmt`. A test fails when the committed files are stale.
 */
import * as path from 'path';
import { writeTerraformModules } from '../lib/terraform/write-modules';

for (const file of writeTerraformModules(path.join(__dirname, '..', 'terraform'))) console.log(`wrote terraform/${file}`);
