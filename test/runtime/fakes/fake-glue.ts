import { accessDenied, jsonProtocol } from './aws-fake';
import { FakeSts } from './fake-sts';
import { FakeHttpServer } from './http-fake';

/** Just enough of Glue (JSON 1.1) for GetDatabases. */
export class FakeGlue {
  /** Databases in the catalog. */
  public databases = ['default', 'sales'];
  /** Deny GetDatabases. */
  public denyGetDatabases = false;
  /** The server; use it to inject transport faults. */
  public readonly http: FakeHttpServer;

  constructor(sts: FakeSts) {
    this.http = new FakeHttpServer(jsonProtocol(sts, 'AWSGlue', {
      GetDatabases: () => {
        if (this.denyGetDatabases) {
          throw accessDenied('AccessDeniedException', 'glue:GetDatabases on resource: arn:aws:glue:us-east-1:222222222222:catalog');
        }
        return { DatabaseList: this.databases.map((Name) => ({ Name })) };
      },
    }));
  }

  /** Restores the defaults and forgets recorded requests. */
  public reset(): void {
    this.databases = ['default', 'sales'];
    this.denyGetDatabases = false;
    this.http.reset();
  }
}
