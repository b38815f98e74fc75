import { ChildProcess, spawn, spawnSync } from 'child_process';

/**
 * moto_server (moto, an AWS API emulator, https://docs.getmoto.org/en/latest/docs/server_mode.html) on a random
 * port, in account 111122223333, with fake credentials for its clients.
 */
export interface Moto {
  readonly endpoint: string;
  /** The environment of a client of the emulator (the AWS CLI): fake credentials, us-east-1, no profile. */
  readonly env: NodeJS.ProcessEnv;
  stop(): void;
}

/** Starts moto_server and waits until it answers STS. */
export async function startMoto(): Promise<Moto> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const endpoint = `http://127.0.0.1:${port}`;
  const { AWS_PROFILE, ...inherited } = process.env;
  const env = { ...inherited, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1' };
  const moto: ChildProcess = spawn('moto_server', ['-p', String(port)], { stdio: 'ignore', env: { ...process.env, MOTO_ACCOUNT_ID: '111122223333' } });
  let failure: Error | undefined;
  moto.on('error', (error) => { failure = error; });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (failure || moto.exitCode !== null) {
      throw new Error(`moto_server (pip install "moto[server]") did not start: ${failure?.message ?? `exit ${moto.exitCode}`}`);
    }
    if (spawnSync('aws', ['--endpoint-url', endpoint, 'sts', 'get-caller-identity'], { env }).status === 0) break;
    if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${endpoint} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { endpoint, env, stop: () => moto.kill() };
}

/** Runs an AWS CLI command against the emulator and returns its JSON output. */
export function awsCli(moto: Moto, ...args: string[]): any {
  const run = spawnSync('aws', ['--endpoint-url', moto.endpoint, '--output', 'json', ...args], { encoding: 'utf8', env: moto.env });
  if (run.error || run.status !== 0) throw new Error(`aws ${args.join(' ')} failed: ${run.error?.message ?? ''}${run.stderr}`);
  return run.stdout.trim() === '' ? undefined : JSON.parse(run.stdout);
}
