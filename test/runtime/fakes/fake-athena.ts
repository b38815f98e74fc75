import { accessDenied, FakeAwsError, jsonProtocol } from './aws-fake';
import { FakeS3 } from './fake-s3';
import { FakeSts } from './fake-sts';
import { FakeHttpServer } from './http-fake';

/** A workgroup the fake knows. */
export interface FakeWorkGroup {
  readonly state: 'ENABLED' | 'DISABLED';
  readonly outputLocation?: string;
  /**
   * Managed query results (`ManagedQueryResultsConfiguration.Enabled`): Athena keeps the results, a query that
   * names an output location is refused, and results are read with GetQueryResults only.
   * https://docs.aws.amazon.com/athena/latest/APIReference/API_ManagedQueryResultsConfiguration.html
   */
  readonly managedResults?: { readonly kmsKey?: string };
}

interface FakeQuery {
  /** Where the result went; undefined when the workgroup manages results. */
  readonly outputLocation?: string;
  polls: number;
}

/**
 * Just enough of Athena (JSON 1.1) for GetWorkGroup, StartQueryExecution and GetQueryExecution. A query
 * reports RUNNING for `pollsBeforeDone` polls, then `queryOutcome`; a successful one writes its CSV to the fake S3.
 */
export class FakeAthena {
  /** Workgroups by name. */
  public readonly workgroups = new Map<string, FakeWorkGroup>();
  /** Operations answering AccessDeniedException. */
  public readonly denied = new Set<string>();
  /** How a query ends. */
  public queryOutcome: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED';
  /** How many GetQueryExecution calls see the query still running. */
  public pollsBeforeDone = 1;
  /** The server; use it to inject transport faults. */
  public readonly http: FakeHttpServer;
  private readonly queries = new Map<string, FakeQuery>();

  constructor(sts: FakeSts, s3: FakeS3) {
    this.http = new FakeHttpServer(jsonProtocol(sts, 'AmazonAthena', {
      GetWorkGroup: (input) => {
        this.check('GetWorkGroup');
        const name = String(input.WorkGroup);
        const wg = this.workgroup(name);
        const managed = wg.managedResults && {
          Enabled: true,
          EncryptionConfiguration: wg.managedResults.kmsKey === undefined ? undefined : { KmsKey: wg.managedResults.kmsKey },
        };
        return {
          WorkGroup: {
            Name: name,
            State: wg.state,
            Configuration: { ResultConfiguration: { OutputLocation: wg.outputLocation }, ManagedQueryResultsConfiguration: managed },
          },
        };
      },
      StartQueryExecution: (input) => {
        this.check('StartQueryExecution');
        const wg = this.workgroup(String(input.WorkGroup));
        const requested = (input.ResultConfiguration as { OutputLocation?: string } | undefined)?.OutputLocation;
        if (wg.managedResults) {
          if (requested !== undefined) {
            throw new FakeAwsError(400, 'InvalidRequestException', 'The workgroup uses managed query results: an output location cannot be given.');
          }
          const id = `query-${this.queries.size + 1}`;
          this.queries.set(id, { polls: 0 });
          return { QueryExecutionId: id };
        }
        const base = requested ?? wg.outputLocation;
        if (!base) {
          throw new FakeAwsError(400, 'InvalidRequestException', 'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.');
        }
        const id = `query-${this.queries.size + 1}`;
        const outputLocation = `${base.replace(/\/$/, '')}/${id}.csv`;
        this.queries.set(id, { outputLocation, polls: 0 });
        if (this.queryOutcome === 'SUCCEEDED') {
          s3.put(outputLocation, '"_col0"\n"1"\n');
        }
        return { QueryExecutionId: id };
      },
      GetQueryExecution: (input) => {
        this.check('GetQueryExecution');
        const id = String(input.QueryExecutionId);
        const query = this.queries.get(id)!;
        query.polls += 1;
        const state = query.polls <= this.pollsBeforeDone ? 'RUNNING' : this.queryOutcome;
        const reason = state === 'FAILED' ? 'Access denied when writing output to url: s3://results/' : undefined;
        return {
          QueryExecution: {
            QueryExecutionId: id,
            Query: 'SELECT 1',
            Status: { State: state, StateChangeReason: reason },
            ResultConfiguration: query.outputLocation === undefined ? undefined : { OutputLocation: query.outputLocation },
          },
        };
      },
      GetQueryResults: (input) => {
        this.check('GetQueryResults');
        if (!this.queries.has(String(input.QueryExecutionId))) throw new FakeAwsError(400, 'InvalidRequestException', 'Query not found');
        return { ResultSet: { Rows: [{ Data: [{ VarCharValue: '_col0' }] }, { Data: [{ VarCharValue: '1' }] }] } };
      },
    }));
  }

  /** Forgets workgroups, queries, denials and recorded requests. */
  public reset(): void {
    this.workgroups.clear();
    this.denied.clear();
    this.queries.clear();
    this.queryOutcome = 'SUCCEEDED';
    this.pollsBeforeDone = 1;
    this.http.reset();
  }

  private check(operation: string): void {
    if (this.denied.has(operation)) {
      throw accessDenied('AccessDeniedException', `athena:${operation} on resource: arn:aws:athena:us-east-1:222222222222:workgroup/primary`);
    }
  }

  private workgroup(name: string): FakeWorkGroup {
    const wg = this.workgroups.get(name);
    if (!wg) {
      throw new FakeAwsError(400, 'InvalidRequestException', `WorkGroup ${name} is not found.`);
    }
    return wg;
  }
}
