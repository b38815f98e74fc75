import { SettingValidationError } from './errors';
import { parseAthenaHost } from './host';
import { profileNameProblem } from './rules';
import { externalIdProblem, roleArnProblem, workGroupProblem } from '../model/rules';

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

/**
 * Athena JDBC driver v3 settings beyond authentication. Parameter names are AWS's:
 * https://docs.aws.amazon.com/athena/latest/ug/jdbc-v3-driver-connection-parameters.html
 */
export interface AthenaJdbcOptions {
  /**
   * The workgroup queries run in (`WorkGroup`).
   * @default 'primary'
   */
  readonly workGroup?: string;
  /**
   * Where query results go (`OutputLocation`), `s3://bucket/prefix/`. Leave it out when the workgroup sets the
   * result location (and enforces it).
   * @default - the workgroup's result location
   */
  readonly outputLocation?: string;
  /**
   * IAM Role mode: the AWS config profile that assumes the role (`ProfileName`), written by
   * `qualytics-athena-iam aws-profile` or with a `credential_process` line.
   * @default 'qualytics-athena'
   */
  readonly profileName?: string;
}

/** What to hand the Athena JDBC driver v3 (`com.amazon.athena.jdbc.AthenaDriver`): a URL and properties. */
export interface AthenaJdbcConnectionProps {
  /** The connection URL, `jdbc:athena://Name=value;...`; never holds a secret. */
  readonly url: string;
  /** Properties to pass with the URL (`DriverManager.getConnection(url, properties)`); hold the secrets, if any. */
  readonly properties: { [name: string]: string };
}

/** Properties that are secrets: shown masked. */
const SECRET_PROPERTIES = ['Password', 'SessionToken'];
/** Shown with only the last 4 characters. */
const PARTLY_SHOWN_PROPERTIES = ['User'];

/**
 * A JDBC connection for the Athena JDBC driver v3. Secrets stay out of the URL, which is safe to log;
 * `toString()` masks them in the properties as well.
 */
export class AthenaJdbcConnection {
  /** The connection URL; holds no secret. */
  public readonly url: string;
  /** The properties to pass with the URL; `Password` in Access Key mode. */
  public readonly properties: { [name: string]: string };

  constructor(props: AthenaJdbcConnectionProps) {
    this.url = props.url;
    this.properties = { ...props.properties };
  }

  /** The URL and the properties with secrets masked, for logs and error messages. */
  public toString(): string {
    const shown = Object.entries(this.properties).map(([name, value]) => `${name}=${mask(name, value)}`);
    return shown.length === 0 ? this.url : `${this.url} (properties: ${shown.join(', ')})`;
  }
}

function mask(name: string, value: string): string {
  if (SECRET_PROPERTIES.includes(name)) {
    return '****';
  }
  return PARTLY_SHOWN_PROPERTIES.includes(name) ? `****${value.slice(-4)}` : value;
}

const ACCESS_KEY_ID = /^AKIA[A-Z0-9]{16}$/;
/** An S3 URI the URL can hold as it is: no `;`, no whitespace. */
const OUTPUT_LOCATION = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^;\s]*)?$/;
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

  /**
   * The Athena JDBC driver v3 connection for valid `settings` on `platform`: Region from the host, WorkGroup,
   * OutputLocation unless the workgroup manages results; IAM Role through an AWS config profile
   * (`CredentialsProvider=ProfileCredentials;ProfileName=...`), Access Key through the `User` and `Password`
   * properties. Throws, listing every problem with secrets masked, when the settings or options are not valid.
   *
   * https://docs.aws.amazon.com/athena/latest/ug/jdbc-v3-driver-basic-connection-parameters.html,
   * https://docs.aws.amazon.com/athena/latest/ug/jdbc-v3-driver-aws-configuration-profile-credentials.html,
   * https://docs.aws.amazon.com/athena/latest/ug/jdbc-v3-driver-iam-credentials.html
   */
  public static jdbc(settings: AthenaConnectionSettingsProps, platform: DeploymentPlatform, options: AthenaJdbcOptions = {}): AthenaJdbcConnection {
    const workGroup = options.workGroup ?? 'primary';
    const profileName = options.profileName ?? 'qualytics-athena';
    const problems = [
      ...AthenaConnectionSettings.validate(settings, platform),
      ...[
        { field: 'workGroup', message: shownProblem(workGroup, workGroupProblem(workGroup)) },
        {
          field: 'outputLocation',
          message: options.outputLocation === undefined ? undefined
            : shownProblem(options.outputLocation, OUTPUT_LOCATION.test(options.outputLocation) ? undefined
              : 'expected an S3 URI s3://<bucket>/<prefix>/ without ";" or whitespace, or none when the workgroup sets the result location'),
        },
        {
          field: 'profileName',
          message: settings.authenticationType === AuthenticationType.IAM_ROLE
            ? shownProblem(profileName, profileNameProblem(profileName)) : undefined,
        },
      ].filter((p): p is SettingProblem => p.message !== undefined),
    ];
    if (problems.length > 0) {
      throw new Error(`Invalid Athena connection settings: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
    }
    const parameters: Array<[string, string | undefined]> = [
      ['Region', parseAthenaHost(settings.host).region],
      ['WorkGroup', workGroup],
      ['OutputLocation', options.outputLocation],
    ];
    const properties: { [name: string]: string } = {};
    if (settings.authenticationType === AuthenticationType.IAM_ROLE) {
      parameters.push(['CredentialsProvider', 'ProfileCredentials'], ['ProfileName', profileName]);
    } else {
      properties.User = settings.accessKeyId!;
      properties.Password = settings.secretAccessKey!;
    }
    const url = `jdbc:athena://${parameters.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join(';')}`;
    return new AthenaJdbcConnection({ url, properties });
  }

  private constructor() {}
}

function shownProblem(value: string, problem: string | undefined): string | undefined {
  return problem === undefined ? undefined : `${JSON.stringify(value)}: ${problem}`;
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
