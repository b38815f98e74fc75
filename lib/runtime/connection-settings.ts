import { SettingValidationError } from './errors';
import { parseAthenaHost } from './host';
import { externalIdProblem, roleArnProblem } from './rules';

/** How Qualytics authenticates to Athena. */
export enum AuthenticationType {
  /** An IAM user's access key id and secret access key. */
  ACCESS_KEY = 'ACCESS_KEY',
  /** A role in the customer's account that Qualytics assumes, with an optional External ID. */
  IAM_ROLE = 'IAM_ROLE',
}

/** Where the Qualytics deployment runs. */
export enum DeploymentPlatform {
  /** On AWS. */
  AWS = 'AWS',
  /** A local deployment. */
  LOCAL = 'LOCAL',
  /** On Microsoft Azure. */
  AZURE = 'AZURE',
  /** On Google Cloud. */
  GCP = 'GCP',
}

/** The Authentication part of an Athena connection, as entered in the form or the API. */
export interface AthenaConnectionSettingsProps {
  /** The connection's Host: the canonical Athena endpoint `athena.<region>.amazonaws.com`. */
  readonly host: string;
  /** The authentication mode. */
  readonly authenticationType: AuthenticationType;
  /**
   * Access key id of an IAM user; Access Key mode only.
   * @default - none
   */
  readonly accessKeyId?: string;
  /**
   * Secret access key of that IAM user; Access Key mode only.
   * @default - none
   */
  readonly secretAccessKey?: string;
  /**
   * ARN of the role to assume; IAM Role mode only.
   * @default - none
   */
  readonly roleArn?: string;
  /**
   * External ID the role's trust policy requires; IAM Role mode only, optional there.
   * @default - none
   */
  readonly externalId?: string;
}

/** One problem with one field of the settings. */
export interface SettingProblem {
  /** The field, e.g. `roleArn`. */
  readonly field: string;
  /** What is wrong and what is accepted. */
  readonly message: string;
}

const ACCESS_KEY_ID = /^AKIA[A-Z0-9]{16}$/;
const SECRET_ACCESS_KEY = /^[A-Za-z0-9/+]{40}$/;

/** Validation of an Athena connection's authentication settings. */
export class AthenaConnectionSettings {
  /** The authentication modes a deployment offers: IAM Role only on AWS and local deployments. */
  public static authenticationTypesFor(platform: DeploymentPlatform): AuthenticationType[] {
    return platform === DeploymentPlatform.AWS || platform === DeploymentPlatform.LOCAL
      ? [AuthenticationType.ACCESS_KEY, AuthenticationType.IAM_ROLE]
      : [AuthenticationType.ACCESS_KEY];
  }

  /** Every problem with `settings` on `platform`, field by field; empty when the settings are valid. */
  public static validate(settings: AthenaConnectionSettingsProps, platform: DeploymentPlatform): SettingProblem[] {
    const problems: SettingProblem[] = [];
    const add = (field: string, message: string | undefined) => {
      if (message !== undefined) {
        problems.push({ field, message });
      }
    };
    add('host', hostProblem(settings.host));
    const type = settings.authenticationType;
    if (!AthenaConnectionSettings.authenticationTypesFor(platform).includes(type)) {
      add('authenticationType', `${type} authentication is not offered on ${platform} deployments; `
        + `expected ${AthenaConnectionSettings.authenticationTypesFor(platform).join(' or ')}`);
    }
    const accessKey = type === AuthenticationType.ACCESS_KEY;
    const fields: FieldRule[] = [
      { field: 'accessKeyId', value: settings.accessKeyId, used: accessKey, required: true, check: accessKeyIdProblem },
      { field: 'secretAccessKey', value: settings.secretAccessKey, used: accessKey, required: true, check: secretProblem, secret: true },
      { field: 'roleArn', value: settings.roleArn, used: !accessKey, required: true, check: roleArnProblem },
      { field: 'externalId', value: settings.externalId, used: !accessKey, required: false, check: externalIdProblem },
    ];
    for (const rule of fields) {
      add(rule.field, fieldProblem(rule, type));
    }
    return problems;
  }

  private constructor() {}
}

/** How one optional field of the settings is checked. */
interface FieldRule {
  readonly field: string;
  readonly value: string | undefined;
  /** Whether the chosen authentication mode uses the field at all. */
  readonly used: boolean;
  /** Whether that mode needs it. */
  readonly required: boolean;
  readonly check: (value: string) => string | undefined;
  /** Never echo the value back. */
  readonly secret?: boolean;
}

function fieldProblem(rule: FieldRule, type: AuthenticationType): string | undefined {
  if (rule.value === undefined || rule.value === '') {
    return rule.used && rule.required ? `required for ${type} authentication` : undefined;
  }
  if (!rule.used) {
    return `not used with ${type} authentication; leave it empty`;
  }
  const problem = rule.check(rule.value);
  const shown = rule.secret ? `(${rule.value.length} characters, not shown)` : JSON.stringify(rule.value);
  return problem === undefined ? undefined : `${shown}: ${problem}`;
}

function hostProblem(host: string): string | undefined {
  try {
    parseAthenaHost(host);
    return undefined;
  } catch (e) {
    return (e as SettingValidationError).message.replace(/^Invalid host /, '');
  }
}

function accessKeyIdProblem(value: string): string | undefined {
  return ACCESS_KEY_ID.test(value) ? undefined
    : 'expected an IAM user access key id: AKIA followed by 16 upper-case letters or digits '
      + '(temporary ASIA keys need a session token and are not accepted)';
}

function secretProblem(value: string): string | undefined {
  return SECRET_ACCESS_KEY.test(value) ? undefined : 'expected the 40-character secret access key (letters, digits, + and /)';
}
