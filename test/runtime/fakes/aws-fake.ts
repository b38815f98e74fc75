import { FakeSts } from './fake-sts';
import { RecordedRequest, Reply, signingAccessKey } from './http-fake';

/** An AWS error a fake operation answers with. */
export class FakeAwsError extends Error {
  constructor(public readonly status: number, public readonly code: string, message: string) {
    super(message);
  }
}

/** Throws unless the request is signed with credentials the fake STS issued, including their session token. */
export function requireAssumedCredentials(request: RecordedRequest, sts: FakeSts): void {
  const key = signingAccessKey(request);
  const issued = sts.issued.find((c) => c.accessKeyId === key);
  if (!issued || request.headers['x-amz-security-token'] !== issued.sessionToken) {
    throw new FakeAwsError(403, 'UnrecognizedClientException', `The security token included in the request is invalid (key ${key}).`);
  }
}

/** A denial worded like AWS's. */
export function accessDenied(code: string, action: string): FakeAwsError {
  return new FakeAwsError(code === 'AccessDenied' ? 403 : 400, code,
    `User: arn:aws:sts::222222222222:assumed-role/QualyticsAthena/s is not authorized to perform: ${action}`);
}

/** Operations of a JSON 1.1 service (Athena, Glue): operation name to handler of the parsed input. */
export type JsonOperations = Record<string, (input: Record<string, unknown>) => unknown>;

/**
 * Serves the AWS JSON 1.1 protocol: dispatches on `X-Amz-Target: <prefix>.<Operation>`, requires assumed
 * credentials, and turns FakeAwsError into `{"__type": code, "Message": ...}` answers.
 */
export function jsonProtocol(sts: FakeSts, targetPrefix: string, operations: JsonOperations): (request: RecordedRequest) => Reply {
  return (request) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = operations[target.slice(targetPrefix.length + 1)];
    try {
      if (!target.startsWith(`${targetPrefix}.`) || !operation) {
        throw new FakeAwsError(400, 'UnknownOperationException', `Unknown target ${target}`);
      }
      requireAssumedCredentials(request, sts);
      return json(200, operation(JSON.parse(request.body || '{}') as Record<string, unknown>));
    } catch (e) {
      const error = asFakeAwsError(e);
      return json(error.status, { __type: error.code, Message: error.message });
    }
  };
}

/** The error as a FakeAwsError; anything else is a bug in the fake and answers 500. */
export function asFakeAwsError(e: unknown): FakeAwsError {
  return e instanceof FakeAwsError ? e : new FakeAwsError(500, 'InternalFailure', String(e));
}

function json(status: number, body: unknown): Reply {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'fake-request' }, body: JSON.stringify(body) };
}
