/**
 * The Terraform target-role module's capacity, measured with real `terraform plan` runs (offline, fake credentials:
 * test/support/terraform.ts): the most Glue databases a plan accepts for a policy count, found by binary search.
 * The databases are named as the constructs' capacity names them, so each count's names extend the smaller count's
 * and an item's policy never moves (a plan that refuses N databases refuses more).
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { largestFitting } from '../lib/model/capacity';
import { REGION, ROOT, rootConfig, terraform, writeRoot } from '../test/support/terraform';

export const MODULE = path.join(ROOT, 'terraform', 'modules', 'athena-target-role');

/** The shape of the measured configurations. */
export interface ModuleShape {
  readonly databaseNameLength: number;
  readonly bucketNameLength: number;
  readonly prefixLength: number;
  readonly workGroupNameLength: number;
}

/** A measured capacity. */
export interface ModuleCapacity {
  readonly maxGlueDatabases: number;
  /** Plans run, and their total time in seconds. */
  readonly plans: number;
  readonly seconds: number;
}

/** `count` names starting with `prefix`, each `length` characters, ending in its number. */
export function names(prefix: string, count: number, length: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${'x'.repeat(length - prefix.length - String(i).length)}${i}`);
}

/** The module's inputs for `databases` databases of `shape` over `queryPolicyCount` query policies and the quota `maxManagedPolicies`. */
export function moduleInputs(shape: ModuleShape, databases: number, queryPolicyCount: number, maxManagedPolicies: number): Record<string, unknown> {
  return {
    trusted_role_arn: 'arn:aws:iam::315179787488:role/acme-dataplane-role',
    external_id: 'qualytics-7f3a9c2e',
    account_id: '111122223333',
    results_bucket_name: 'r'.repeat(shape.bucketNameLength),
    results_prefix: 'p'.repeat(shape.prefixLength),
    work_group_names: names('w', 1, shape.workGroupNameLength),
    glue_database_names: names('d', databases, shape.databaseNameLength),
    query_policy_count: queryPolicyCount,
    max_managed_policies: maxManagedPolicies,
  };
}

/** The region the plans run in (the aws partition). */
export const MODULE_REGION = REGION;

/**
 * The most databases of `shape` the module plans with `queryPolicyCount` query policies and the quota
 * `maxManagedPolicies`; the search starts from `guess` (the constructs' physical limit, say) and doubles it while
 * the plan accepts it.
 */
export function moduleMaxGlueDatabases(shape: ModuleShape, queryPolicyCount: number, maxManagedPolicies: number, guess: number): ModuleCapacity {
  const inputs = (databases: number) => moduleInputs(shape, databases, queryPolicyCount, maxManagedPolicies);
  const dir = rootConfig(MODULE, inputs(1));
  let plans = 0;
  const start = performance.now();
  const accepts = (databases: number): boolean => {
    writeRoot(dir, MODULE, inputs(databases));
    plans++;
    const run = terraform(dir, ['plan', '-no-color', '-refresh=false']);
    if (run.status === 0) return true;
    if (/The query policy \d+ is \d+ characters, over IAM's limit/.test(run.stderr.replace(/\s+/g, ' '))) return false;
    throw new Error(`terraform plan of ${databases} databases failed for another reason:\n${run.stderr}`);
  };
  try {
    const maxGlueDatabases = largestFitting(accepts, guess);
    return { maxGlueDatabases, plans, seconds: (performance.now() - start) / 1000 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
