import { accessDenied, asFakeAwsError, FakeAwsError, requireAssumedCredentials } from './aws-fake';
import { FakeSts } from './fake-sts';
import { FakeHttpServer, RecordedRequest, Reply } from './http-fake';

/** Just enough of S3's REST-XML protocol for path-style GetObject, for reading Athena query results. */
export class FakeS3 {
  /** Objects by `bucket/key`. */
  public readonly objects = new Map<string, string>();
  /** Deny GetObject. */
  public denyGetObject = false;
  /** Lose every object written, as if a lifecycle rule removed them at once. */
  public discardWrites = false;
  /** The server; use it to inject transport faults. */
  public readonly http = new FakeHttpServer((request) => this.handle(request));

  constructor(private readonly sts: FakeSts) {}

  /** Stores an object at an `s3://bucket/key` URI. */
  public put(uri: string, body: string): void {
    if (this.discardWrites) {
      return;
    }
    this.objects.set(uri.replace(/^s3:\/\//, ''), body);
  }

  /** Forgets objects, denial and recorded requests. */
  public reset(): void {
    this.objects.clear();
    this.denyGetObject = false;
    this.discardWrites = false;
    this.http.reset();
  }

  private handle(request: RecordedRequest): Reply {
    try {
      requireAssumedCredentials(request, this.sts);
      const path = decodeURIComponent(new URL(request.path, 'http://fake').pathname.slice(1));
      if (request.method !== 'GET') {
        throw new FakeAwsError(405, 'MethodNotAllowed', `${request.method} is not supported by the fake`);
      }
      if (this.denyGetObject) {
        throw accessDenied('AccessDenied', `s3:GetObject on resource: arn:aws:s3:::${path}`);
      }
      const body = this.objects.get(path);
      if (body === undefined) {
        throw new FakeAwsError(404, 'NoSuchKey', 'The specified key does not exist.');
      }
      return { status: 200, headers: { 'content-type': 'text/csv', 'content-length': String(Buffer.byteLength(body)) }, body };
    } catch (e) {
      const error = asFakeAwsError(e);
      return {
        status: error.status,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'fake-s3-request' },
        body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${error.code}</Code><Message>${error.message}</Message><RequestId>fake-s3-request</RequestId></Error>`,
      };
    }
  }
}
