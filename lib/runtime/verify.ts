import { randomBytes } from 'node:crypto';
import {
  AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, GetWorkGroupCommand, StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { GetDatabasesCommand, GlueClient } from '@aws-sdk/client-glue';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sleep } from './backoff';
import { athenaRoleCredentialProvider } from './credential-provider';
import { AthenaRoleCredentials, BaseCredentials } from './credentials';
import { AssumeRoleError, AssumeRoleFailure, SettingValidationError } from './errors';
import { AthenaEndpoint, parseAthenaHost } from './host';

/**
 * `verify`: checks, in a customer's account, that a freshly deployed target role works for Qualytics.
 * Not part of the jsii API; used by the command line (`cli.ts`).
 */

/** Endpoint URLs replacing the real AWS ones, e.g. local test servers. */
export interface VerifyEndpoints {
  readonly sts?: string;
  readonly athena?: string;
  readonly glue?: string;
  readonly s3?: string;
}

/** What to verify, and how patiently. */
export interface VerifyOptions {
  /** The connection's Host, `athena.<region>.amazonaws.com`. */
  readonly host: string;
  /** The target role. */
  readonly roleArn: string;
  /**
   * The External ID the role's trust policy requires. Without one, verification checks a role that
   * trusts the base identity without an External ID and warns that it can be assumed without one.
   */
  readonly externalId?: string;
  /** The Athena workgroup the connection uses. */
  readonly workgroup: string;
  /** Session name suffix: `<sessionNamePrefix><connectionId>`. Default `verify`. */
  readonly connectionId?: string;
  /** Session name prefix the role's trust allows. Default `qualytics-athena-`. */
  readonly sessionNamePrefix?: string;
  /**
   * Query result location overriding the workgroup's, `s3://bucket/prefix/`. Default: the workgroup's. Refused
   * for a workgroup with managed query results, which takes no output location.
   */
  readonly outputLocation?: string;
  /** Endpoint overrides. Default: the real regional endpoints. */
  readonly endpoints?: VerifyEndpoints;
  /** Base credentials. Default: the SDK's default chain. */
  readonly baseCredentials?: BaseCredentials;
  /** AssumeRole retries while AccessDenied, to ride out IAM propagation. Default 6. */
  readonly propagationRetries?: number;
  /** Wait between those retries, ms. Default 5000. */
  readonly propagationRetryDelayMs?: number;
  /** Attempts per AWS call for temporary failures. Default 3. */
  readonly maxAttempts?: number;
  /** Base of the backoff between those attempts, ms. Default 200. */
  readonly retryBaseDelayMs?: number;
  /** Wait between polls of the test query, ms. Default 1000. */
  readonly queryPollIntervalMs?: number;
  /** Polls before the test query is given up. Default 60. */
  readonly queryMaxPolls?: number;
}

/** Outcome of one step. WARN passes, but reports a risk that the person running verify accepted. */
export type StepStatus = 'PASS' | 'WARN' | 'FAIL' | 'SKIP';

/** One step's result, as printed. */
export interface StepResult {
  readonly step: string;
  readonly status: StepStatus;
  readonly detail: string;
  /** What to do about a failure. */
  readonly hint?: string;
}

/** A step failure with what to do about it. */
class StepFailure extends Error {
  constructor(message: string, public readonly hint: string) {
    super(message);
  }
}

/** A step that passes with a risk to report (e.g. a role without an External ID, verified on purpose). */
class StepWarning extends Error {
  constructor(message: string, public readonly hint: string) {
    super(message);
  }
}

/** State the steps hand on to each other. */
interface Context {
  endpoint?: AthenaEndpoint;
  credentials?: AthenaRoleCredentials;
  workgroupOutput?: string;
  /** The workgroup keeps query results itself (managed query results); `kmsKey`: its customer managed key. */
  managedResults?: { readonly kmsKey?: string };
  queryId?: string;
  queryOutput?: string;
  /** The value the test query selects, unique per run, so that only this query's result can hold it. */
  queryValue?: string;
}

interface Step {
  readonly name: string;
  /** Steps that must have passed for this one to run. */
  readonly needs: readonly string[];
  readonly run: (context: Context) => Promise<string>;
}

/** Runs every step in order, reporting each result as it is known; returns them all. */
export async function verifyConnection(options: VerifyOptions, report: (result: StepResult) => void): Promise<StepResult[]> {
  const verifier = new Verifier(options);
  const results: StepResult[] = [];
  const context: Context = {};
  try {
    for (const step of verifier.steps()) {
      const blocked = step.needs.find((need) => !['PASS', 'WARN'].includes(results.find((r) => r.step === need)?.status ?? ''));
      const result = blocked
        ? { step: step.name, status: 'SKIP' as const, detail: `skipped because "${blocked}" did not pass` }
        : await runStep(step, context);
      results.push(result);
      report(result);
    }
  } finally {
    verifier.close(context);
  }
  return results;
}

async function runStep(step: Step, context: Context): Promise<StepResult> {
  try {
    return { step: step.name, status: 'PASS', detail: await step.run(context) };
  } catch (e) {
    if (e instanceof StepWarning) {
      return { step: step.name, status: 'WARN', detail: e.message, hint: e.hint };
    }
    if (e instanceof AssumeRoleError) {
      // Its message ends with its hint: print that once, on the hint line.
      return { step: step.name, status: 'FAIL', detail: e.reason, hint: e.hint };
    }
    const hint = e instanceof StepFailure ? e.hint
      : e instanceof SettingValidationError ? 'Correct that value on the command line.' : 'See the error above.';
    return { step: step.name, status: 'FAIL', detail: e instanceof Error ? e.message : String(e), hint };
  }
}

class Verifier {
  private readonly clients: Array<{ destroy(): void }> = [];

  constructor(private readonly options: VerifyOptions) {}

  public steps(): Step[] {
    return [
      { name: 'host', needs: [], run: async (c) => this.host(c) },
      { name: 'assume-role', needs: ['host'], run: (c) => this.assumeRole(c) },
      { name: 'external-id-required', needs: ['assume-role'], run: (c) => this.externalIdRequired(c) },
      { name: 'wrong-external-id', needs: ['assume-role'], run: (c) => this.wrongExternalIdRefused(c) },
      { name: 'workgroup', needs: ['assume-role'], run: (c) => this.workgroup(c) },
      { name: 'catalog', needs: ['assume-role'], run: (c) => this.catalog(c) },
      { name: 'query', needs: ['workgroup'], run: (c) => this.query(c) },
      { name: 'query-results', needs: ['query'], run: (c) => this.queryResults(c) },
    ];
  }

  public close(context: Context): void {
    context.credentials?.close();
    this.clients.forEach((client) => client.destroy());
  }

  private host(context: Context): string {
    const endpoint = parseAthenaHost(this.options.host);
    context.endpoint = endpoint;
    return `${endpoint.host} is the Athena endpoint of ${endpoint.region} (partition ${endpoint.partition})`;
  }

  private async assumeRole(context: Context): Promise<string> {
    const retries = this.options.propagationRetries ?? 6;
    const withId = this.options.externalId === undefined ? 'WITHOUT an External ID' : 'with the External ID';
    for (let retry = 0; ; retry++) {
      // A fresh cache per attempt: a cache remembers a failure until its own backoff slot.
      context.credentials?.close();
      const credentials = this.roleCredentials(context, this.options.externalId);
      context.credentials = credentials;
      try {
        const c = await credentials.get();
        const waited = retry > 0 ? ` after ${retry} AccessDenied retr${retry === 1 ? 'y' : 'ies'} (IAM propagation)` : '';
        return `assumed ${this.options.roleArn} ${withId} as session ${credentials.roleSessionName}${waited}; `
          + `credentials expire ${c.expiration.toISOString()}`;
      } catch (e) {
        if (!(e instanceof AssumeRoleError && e.failure === AssumeRoleFailure.ACCESS_DENIED) || retry >= retries) {
          throw e;
        }
        await sleep(this.options.propagationRetryDelayMs ?? 5000);
      }
    }
  }

  private async externalIdRequired(context: Context): Promise<string> {
    if (this.options.externalId === undefined) {
      throw new StepWarning('the role can be assumed WITHOUT an External ID (verified with --no-external-id; confused-deputy risk)',
        'If a third party assumes this role, have it give you a unique External ID and add "Condition": '
        + '{"StringEquals": {"sts:ExternalId": "<id>"}} to the trust policy (AWS confused-deputy guidance).');
    }
    // Same role and session name: only the missing External ID may make the difference.
    if (await this.refused(context, undefined)) {
      return 'AssumeRole without the External ID was refused, as it must be';
    }
    throw new StepFailure('the role can be assumed WITHOUT the External ID (confused-deputy risk)', this.externalIdConditionHint());
  }

  private async wrongExternalIdRefused(context: Context): Promise<string> {
    if (this.options.externalId === undefined) {
      return 'no External ID to compare with: skipped (see external-id-required)';
    }
    const wrong = wrongExternalId(this.options.externalId);
    if (await this.refused(context, wrong)) {
      return `AssumeRole with a wrong External ID (${wrong}) was refused, as it must be`;
    }
    throw new StepFailure(`the role can be assumed with a WRONG External ID (${wrong}): the trust policy does not compare it exactly`,
      `${this.externalIdConditionHint()} A StringLike condition with wildcards, or a condition on another key, lets any External ID through.`);
  }

  /** Whether STS refuses AssumeRole with `externalId` (or none); throws when it gives no clear answer. */
  private async refused(context: Context, externalId: string | undefined): Promise<boolean> {
    const other = this.roleCredentials(context, externalId);
    try {
      await other.get();
      return false;
    } catch (e) {
      if (e instanceof AssumeRoleError && e.failure === AssumeRoleFailure.ACCESS_DENIED) {
        return true;
      }
      throw new StepFailure(`could not confirm that the External ID is checked: ${(e as Error).message}`,
        'Run verify again once STS is reachable; the check needs an AccessDenied answer.');
    } finally {
      other.close();
    }
  }

  private externalIdConditionHint(): string {
    return `Put "Condition": {"StringEquals": {"sts:ExternalId": "${this.options.externalId}"}} on every trust policy `
      + 'statement that lets the base role assume this role (AWS confused-deputy guidance).';
  }

  private async workgroup(context: Context): Promise<string> {
    const response = await this.call(context, 'athena:GetWorkGroup', this.workgroupArn(context),
      () => this.athena(context).send(new GetWorkGroupCommand({ WorkGroup: this.options.workgroup })));
    const wg = response.WorkGroup;
    if (wg?.State === 'DISABLED') {
      throw new StepFailure(`workgroup ${this.options.workgroup} is disabled`, 'Enable the workgroup in the Athena console, or choose another one.');
    }
    // Managed query results: Athena keeps the results, for 24 hours, and a query must name no output location
    // (https://docs.aws.amazon.com/athena/latest/ug/managed-results.html,
    // https://docs.aws.amazon.com/athena/latest/APIReference/API_ManagedQueryResultsConfiguration.html).
    const managed = wg?.Configuration?.ManagedQueryResultsConfiguration;
    if (managed?.Enabled) {
      context.managedResults = { kmsKey: managed.EncryptionConfiguration?.KmsKey };
      if (this.options.outputLocation !== undefined) {
        throw new StepFailure(`workgroup ${this.options.workgroup} uses managed query results, which take no output location`,
          'Leave out --output-location: Athena keeps the results itself and the connection must send no OutputLocation.');
      }
      return `workgroup ${this.options.workgroup} is ${wg?.State ?? 'available'}; query results are managed by Athena (kept 24 hours, `
        + `encrypted with ${context.managedResults.kmsKey ? `KMS key ${context.managedResults.kmsKey}` : 'an AWS owned key'})`;
    }
    context.workgroupOutput = wg?.Configuration?.ResultConfiguration?.OutputLocation;
    return `workgroup ${this.options.workgroup} is ${wg?.State ?? 'available'}; `
      + `query results go to ${this.options.outputLocation ?? context.workgroupOutput ?? '(no location set)'}`;
  }

  private async catalog(context: Context): Promise<string> {
    const { partition, region } = context.endpoint!;
    const catalogArn = `arn:${partition}:glue:${region}:${this.account()}:catalog`;
    const response = await this.call(context, 'glue:GetDatabases', `${catalogArn} and its database/* resources`,
      () => this.glue(context).send(new GetDatabasesCommand({ MaxResults: 10 })));
    const names = (response.DatabaseList ?? []).map((d) => d.Name);
    return `the Glue catalog lists ${names.length} database(s)${names.length ? `: ${names.join(', ')}` : ''}`;
  }

  private async query(context: Context): Promise<string> {
    const outputLocation = this.options.outputLocation ?? context.workgroupOutput;
    if (!outputLocation && !context.managedResults) {
      throw new StepFailure('no query result location is set',
        'Set the workgroup\'s query result location, or pass --output-location s3://<bucket>/<prefix>/.');
    }
    const athena = this.athena(context);
    const action = 'athena:StartQueryExecution and athena:GetQueryExecution';
    const value = `qualytics-verify-${randomBytes(6).toString('hex')}`;
    context.queryValue = value;
    const sql = `SELECT '${value}' AS ${QUERY_COLUMN}`;
    const started = await this.call(context, action, this.workgroupArn(context), () => athena.send(new StartQueryExecutionCommand({
      QueryString: sql,
      WorkGroup: this.options.workgroup,
      ResultConfiguration: this.options.outputLocation ? { OutputLocation: this.options.outputLocation } : undefined,
    })));
    const id = started.QueryExecutionId!;
    context.queryId = id;
    const maxPolls = this.options.queryMaxPolls ?? 60;
    for (let poll = 1; poll <= maxPolls; poll++) {
      const execution = (await this.call(context, action, this.workgroupArn(context),
        () => athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id })))).QueryExecution;
      const state = execution?.Status?.State;
      if (state === 'SUCCEEDED') {
        context.queryOutput = execution?.ResultConfiguration?.OutputLocation;
        return `${sql} ran as query ${id}`;
      }
      if (state === 'FAILED' || state === 'CANCELLED') {
        throw new StepFailure(`${sql} (query ${id}) ${state}: ${execution?.Status?.StateChangeReason ?? 'no reason given'}`,
          this.queryFailureHint(context, outputLocation));
      }
      await sleep(this.options.queryPollIntervalMs ?? 1000);
    }
    throw new StepFailure(`${sql} (query ${id}) did not finish after ${maxPolls} polls`,
      'Check the workgroup\'s capacity and queued queries, then run verify again.');
  }

  private queryFailureHint(context: Context, outputLocation: string | undefined): string {
    if (!context.managedResults) {
      return `Allow s3:GetBucketLocation, s3:ListBucket on the results bucket and s3:PutObject, s3:GetObject on ${outputLocation}*; `
        + 'with SSE-KMS results also kms:GenerateDataKey and kms:Decrypt on the key.';
    }
    const key = context.managedResults.kmsKey;
    return key === undefined ? 'Check the query\'s state change reason in the Athena console (managed query results need no S3 or KMS permission).'
      : `Allow kms:Decrypt, kms:GenerateDataKey and kms:DescribeKey on ${key} through Athena, and check that the key policy allows `
        + 'the role and encryption.athena.amazonaws.com (https://docs.aws.amazon.com/athena/latest/ug/managed-results.html).';
  }

  private async queryResults(context: Context): Promise<string> {
    if (context.managedResults) {
      // Managed results are read through Athena only: GetQueryResults on the workgroup.
      const response = await this.call(context, 'athena:GetQueryResults', this.workgroupArn(context),
        () => this.athena(context).send(new GetQueryResultsCommand({ QueryExecutionId: context.queryId })));
      // Rows of Data of VarCharValue (https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html).
      const values = (response.ResultSet?.Rows ?? []).map((row) => row.Data?.[0]?.VarCharValue);
      this.expectQueryValue(context, values, 'the rows athena:GetQueryResults returned');
      return `read the value the query selected (${context.queryValue}) from query ${context.queryId} through athena:GetQueryResults `
        + '(managed query results)';
    }
    const location = context.queryOutput!;
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
    if (!match) {
      throw new StepFailure(`the query's result location "${location}" is not an s3:// URI`, 'Check the workgroup\'s query result location.');
    }
    const [, bucket, key] = match;
    const response = await this.call(context, 's3:GetObject', `arn:${context.endpoint!.partition}:s3:::${bucket}/${key}`,
      () => this.s3(context).send(new GetObjectCommand({ Bucket: bucket, Key: key })));
    const body = await response.Body!.transformToString();
    // A CSV file with a header line; Athena quotes every value (https://docs.aws.amazon.com/athena/latest/ug/querying.html).
    const values = body.split(/\r?\n/).map((line) => /^"(.*)"$/.exec(line)?.[1] ?? line);
    this.expectQueryValue(context, values, `the result file (${Buffer.byteLength(body)} bytes)`);
    return `read the value the query selected (${context.queryValue}) from ${location}`;
  }

  /** Fails unless `values` (the first column of the result's lines or rows) hold the value the query selected. */
  private expectQueryValue(context: Context, values: Array<string | undefined>, where: string): void {
    if (!values.includes(context.queryValue)) {
      throw new StepFailure(`the value query ${context.queryId} selected (${context.queryValue}) is not in ${where}; `
        + `got ${values.length === 0 ? 'no rows' : JSON.stringify(values.slice(0, 3))}`,
      'Run verify again; if it persists, check that nothing else writes to the query result location.');
    }
  }

  /** Runs one AWS call, turning its failure into a StepFailure naming the permission to grant. */
  private async call<T>(context: Context, action: string, resource: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (e) {
      throw new StepFailure(describe(e), hintFor(e, action, resource, context.endpoint!));
    }
  }

  private workgroupArn(context: Context): string {
    const { partition, region } = context.endpoint!;
    return `arn:${partition}:athena:${region}:${this.account()}:workgroup/${this.options.workgroup}`;
  }

  private account(): string {
    return this.options.roleArn.split(':')[4];
  }

  private roleCredentials(context: Context, externalId: string | undefined): AthenaRoleCredentials {
    return new AthenaRoleCredentials({
      roleArn: this.options.roleArn,
      externalId,
      connectionId: this.options.connectionId ?? 'verify',
      sessionNamePrefix: this.options.sessionNamePrefix,
      region: context.endpoint!.region,
      stsEndpoint: this.options.endpoints?.sts,
      baseCredentials: this.options.baseCredentials,
      maxAttempts: this.options.maxAttempts,
      retryBaseDelayMs: this.options.retryBaseDelayMs,
    });
  }

  private athena(context: Context): AthenaClient {
    return this.track(new AthenaClient({ ...this.clientConfig(context), endpoint: this.options.endpoints?.athena }));
  }

  private glue(context: Context): GlueClient {
    return this.track(new GlueClient({ ...this.clientConfig(context), endpoint: this.options.endpoints?.glue }));
  }

  private s3(context: Context): S3Client {
    // Path-style requests let an endpoint override (a test server) serve every bucket.
    const endpoint = this.options.endpoints?.s3;
    return this.track(new S3Client({ ...this.clientConfig(context), endpoint, forcePathStyle: endpoint !== undefined }));
  }

  private clientConfig(context: Context) {
    return {
      region: context.endpoint!.region,
      credentials: athenaRoleCredentialProvider(context.credentials!),
      maxAttempts: this.options.maxAttempts ?? 3,
    };
  }

  private track<T extends { destroy(): void }>(client: T): T {
    this.clients.push(client);
    return client;
  }
}

/** The column the test query names. */
const QUERY_COLUMN = 'qualytics_verify';

/** A valid External ID that differs from `externalId`. */
function wrongExternalId(externalId: string): string {
  const wrong = 'qualytics-verify-wrong-external-id';
  return wrong === externalId ? `${wrong}-2` : wrong;
}

function describe(e: unknown): string {
  const error = e as { name?: string; message?: string; $metadata?: { requestId?: string } };
  const requestId = error.$metadata?.requestId ? ` (request id ${error.$metadata.requestId})` : '';
  return `${error.name ?? 'Error'}: ${error.message ?? String(e)}${requestId}`;
}

function hintFor(e: unknown, action: string, resource: string, endpoint: AthenaEndpoint): string {
  const error = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (/AccessDenied|not authorized/i.test(`${error.name} ${error.message}`)) {
    return `Allow ${action} on ${resource} in the target role's permissions policy (and check SCPs, permissions boundaries, `
      + 'bucket and KMS key policies).';
  }
  if (/WorkGroup .* is not found/i.test(error.message ?? '')) {
    return `Check the workgroup name and that it exists in ${endpoint.region}.`;
  }
  if (error.$metadata?.httpStatusCode === undefined) {
    return `Check network access from here to the ${endpoint.region} endpoints (proxy, firewall, VPC endpoints).`;
  }
  return 'See the error above.';
}
