import * as fs from 'fs';
import Ajv, { ErrorObject } from 'ajv';
import schema from './athena-access.schema.json';

/** An S3 location of table data. */
export interface DataLocationConfig {
  readonly bucket: string;
  readonly prefix?: string;
}

/** How self-hosted dataplane pods obtain the base role. */
export interface IdentityConfig {
  readonly type: 'eks-pod-identity' | 'irsa';
  readonly namespace: string;
  readonly serviceAccount?: string;
  readonly clusterName?: string;
  readonly createAssociation?: boolean;
  readonly sessionTags?: boolean;
  readonly oidcProviderArn?: string;
}

/** A deployment described by `athena-access.schema.json`. */
export interface DeploymentConfig {
  readonly deployment: 'managed' | 'self-hosted';
  readonly stackName?: string;
  readonly account?: string;
  readonly region?: string;
  readonly baseRoleArn?: string;
  readonly externalId?: string;
  readonly identity?: IdentityConfig;
  readonly targetAccounts?: string[];
  readonly roleName?: string;
  readonly workGroups?: string[];
  readonly resultsBucket: string;
  readonly resultsPrefix?: string;
  readonly glueDatabases?: string[];
  readonly dataLocations?: DataLocationConfig[];
  readonly kmsKeyArns?: string[];
  readonly lakeFormation?: boolean;
}

/** The JSON Schema of deployment configs, as shipped in the package. */
export const DEPLOYMENT_CONFIG_SCHEMA = schema;

const validate = new Ajv({ allErrors: true, verbose: true, strict: false }).compile<DeploymentConfig>(schema);

/**
 * Checks `value` against the JSON Schema and returns it as a deployment config, or throws one error that
 * lists every problem with its JSON path. `source` names where the config came from.
 */
export function parseDeploymentConfig(value: unknown, source: string = 'config'): DeploymentConfig {
  if (validate(value)) return value;
  const problems = [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'if').map(describe))];
  throw new Error(`Invalid Athena access config ${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
    problems.map((p) => `  - ${p}`).join('\n'));
}

/** Reads and checks a deployment config file (JSON). */
export function loadDeploymentConfig(file: string): DeploymentConfig {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the Athena access config ${file}: ${(error as Error).message}`);
  }
  return parseDeploymentConfig(value, file);
}

function describe(error: ErrorObject): string {
  const path = error.instancePath || '/';
  switch (error.keyword) {
    case 'required': return `${path}: missing required property "${error.params.missingProperty}"`;
    case 'additionalProperties': return `${path}: unknown property "${error.params.additionalProperty}"`;
    case 'enum': return `${path}: ${JSON.stringify(error.data)} is not one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern': return `${path}: ${JSON.stringify(error.data)} does not match ${error.params.pattern}`;
    case 'not': return `${path}: ${(error.parentSchema as { $comment?: string }).$comment ?? 'is not allowed here'}`;
    default: return `${path}: ${error.message}`;
  }
}
