import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as http from 'http';
import * as net from 'net';

/**
 * moto_server (moto, an AWS API emulator, https://docs.getmoto.org/en/latest/docs/server_mode.html) on a free
 * loopback port, one per test file. `MOTO_ACCOUNT_ID` sets the account every call lands in
 * (https://docs.getmoto.org/en/latest/docs/multi_account.html); `MOTO_IAM_LOAD_MANAGED_POLICIES=true` loads AWS's
 * managed policies (AdministratorAccess, ...), which moto leaves out by default
 * (https://docs.getmoto.org/en/latest/docs/services/iam.html). moto checks no permission: it shows what an API
 * stores and returns, never what a policy allows.
 */
export interface Moto {
  /** `http://127.0.0.1:<port>`: every service answers there. */
  readonly endpoint: string;
  readonly accountId: string;
  /** The environment of an AWS CLI or SDK call against moto: fake keys, no profile, us-east-1. */
  readonly env: NodeJS.ProcessEnv;
  /** Runs an AWS CLI command against moto and returns its JSON output (undefined when it prints nothing). */
  aws(...args: string[]): any;
  /** Stops the server. */
  stop(): void;
}

export interface MotoOptions {
  /** @default '111122223333' */
  readonly accountId?: string;
  /** Load AWS's managed policies into IAM. @default false */
  readonly loadManagedPolicies?: boolean;
  /** How long to wait for the server to answer; moto imports every service at start-up. @default 120 s */
  readonly timeoutMs?: number;
}

const INSTALL = 'pip install "moto[server]"';

/** A port the system hands out as free: listen on port 0, read it, close. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Whether anything answers HTTP at `endpoint` (moto answers its own /moto-api/ before any service call). */
function answers(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`${endpoint}/moto-api/`, { timeout: 5_000 }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** Starts moto_server and waits until it answers; throws naming the install command when it cannot start. */
export async function startMoto(options: MotoOptions = {}): Promise<Moto> {
  const accountId = options.accountId ?? '111122223333';
  const timeoutMs = options.timeoutMs ?? 120_000;
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const serverEnv: NodeJS.ProcessEnv = { ...process.env, MOTO_ACCOUNT_ID: accountId };
  if (options.loadManagedPolicies) serverEnv.MOTO_IAM_LOAD_MANAGED_POLICIES = 'true';
  let stderr = '';
  const server: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'], env: serverEnv });
  server.stderr?.on('data', (chunk) => { stderr = (stderr + chunk).slice(-2_000); });
  let failure: Error | undefined;
  server.on('error', (error) => { failure = error; });
  const stop = () => { if (server.exitCode === null) server.kill(); };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (failure || server.exitCode !== null) {
      throw new Error(`moto_server did not start (${failure?.message ?? `exit ${server.exitCode}`}): install it with ${INSTALL}.\n${stderr}`);
    }
    if (await answers(endpoint)) break;
    if (Date.now() > deadline) {
      stop();
      throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs / 1000} s (a busy machine? ${INSTALL} if it is missing).\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const { AWS_PROFILE, ...inherited } = process.env;
  const env = { ...inherited, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1' };
  const aws = (...args: string[]): any => {
    const run = spawnSync('aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
    if (run.error || run.status !== 0) throw new Error(`aws ${args.join(' ')} failed: ${run.error?.message ?? ''}${run.stderr}`);
    return run.stdout.trim() === '' ? undefined : JSON.parse(run.stdout);
  };
  return { endpoint, accountId, env, aws, stop };
}

/**
 * Points the AWS SDK clients of this process at `moto` (the SDKs' service endpoint variables,
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html, for IAM and Lake Formation; fake keys;
 * no profile), for commands run in-process. Returns what puts the environment back.
 */
export function pointSdkAt(moto: Moto): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_IAM: moto.endpoint,
    AWS_ENDPOINT_URL_LAKEFORMATION: moto.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  delete process.env.AWS_PROFILE;
  return () => {
    process.env = saved;
  };
}
