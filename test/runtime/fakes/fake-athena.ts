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
  /** The query, and the column name and value of the one row it selects. */
  readonly sql: string;
  readonly column: string;
  readonly value: string;
  polls: number;
}

/**
 * The one kind of query the fake runs: `SELECT '<literal>' AS <column>` (or without `AS`, when Athena names the
 * column `_col0`). Anything else is refused as Athena refuses bad SQL, with InvalidRequestException.
 */
function selectedLiteral(sql: string): { sql: string; column: string; value: string } {
  const match = /^SELECT '([^']*)'(?: AS (\w+))?$/i.exec(sql.trim());
  if (!match) {
    throw new FakeAwsError(400, 'InvalidRequestException', `The fake runs only SELECT '<literal>' [AS <column>], not: ${sql}`);
  }
  return { sql, value: match[1], column: match[2] ?? '_col0' };
}

/**
 * Just enough of Athena (JSON 1.1) for GetWorkGroup, StartQueryExecution, GetQueryExecution and GetQueryResults. A
 * query reports RUNNING for `pollsBeforeDone` polls, then `queryOutcome`; a successful one writes its CSV to the fake
 * S3, a header line then the row, every value quoted (https://docs.aws.amazon.com/athena/latest/ug/querying.html).
 * GetQueryResults answers `ResultSet.Rows`, each `Data` of `VarCharValue`, the column names first, with
 * `ResultSetMetadata.ColumnInfo` (https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html,
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_ResultSet.html).
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
  /** Results hold the column names but no row, as if something had replaced them. */
  public emptyResults = false;
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
        const selected = selectedLiteral(String(input.QueryString));
        if (wg.managedResults) {
          if (requested !== undefined) {
            throw new FakeAwsError(400, 'InvalidRequestException', 'The workgroup uses managed query results: an output location cannot be given.');
          }
          const id = `query-${this.queries.size + 1}`;
          this.queries.set(id, { ...selected, polls: 0 });
          return { QueryExecutionId: id };
        }
        const base = requested ?? wg.outputLocation;
        if (!base) {
          throw new FakeAwsError(400, 'InvalidRequestException', 'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.');
        }
        const id = `query-${this.queries.size + 1}`;
        const outputLocation = `${base.replace(/\/$/, '')}/${id}.csv`;
        this.queries.set(id, { outputLocation, ...selected, polls: 0 });
        if (this.queryOutcome === 'SUCCEEDED') {
          s3.put(outputLocation, this.emptyResults ? `"${selected.column}"\n` : `"${selected.column}"\n"${selected.value}"\n`);
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
            Query: query.sql,
            Status: { State: state, StateChangeReason: reason },
            ResultConfiguration: query.outputLocation === undefined ? undefined : { OutputLocation: query.outputLocation },
          },
        };
      },
      GetQueryResults: (input) => {
        this.check('GetQueryResults');
        const query = this.queries.get(String(input.QueryExecutionId));
        if (!query) throw new FakeAwsError(400, 'InvalidRequestException', 'Query not found');
        const header = { Data: [{ VarCharValue: query.column }] };
        return {
          ResultSet: {
            Rows: this.emptyResults ? [header] : [header, { Data: [{ VarCharValue: query.value }] }],
            ResultSetMetadata: { ColumnInfo: [{ Name: query.column, Label: query.column, Type: 'varchar' }] },
          },
        };
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
    this.emptyResults = false;
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
