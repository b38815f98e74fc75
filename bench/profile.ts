import { Session } from 'node:inspector';
import * as path from 'node:path';
import { libraryApp, SHAPES } from './synth';

/**
 * Where the library's synth spends its time: a CPU profile (node:inspector) of repeated synths of each bench
 * shape, self time summed per function and attributed to the library's own files where they are on the stack.
 */
const RUNS = 30;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T))));
}

const ROOT = path.join(__dirname, '..');
const short = (url: string) => url.replace('file://', '').replace(`${ROOT}/`, '').replace(/.*node_modules\//, '');

/** Self time per function, and total time under each function of lib/ (its own work and what it calls). */
function summarize(profile: Profile): { self: Map<string, number>; lib: Map<string, number>; total: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const lib = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] / 1000;
    total += dt;
    const node = byId.get(id)!;
    self.set(label(node), (self.get(label(node)) ?? 0) + dt);
    // Charge the sample to every distinct lib/ function on its stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (!short(n.callFrame.url).startsWith('lib/')) continue;
      const key = label(n);
      if (!seen.has(key)) { seen.add(key); lib.set(key, (lib.get(key) ?? 0) + dt); }
    }
  });
  return { self, lib, total };
}

function top(map: Map<string, number>, total: number, n: number): string[] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, v]) => `| ${k} | ${v.toFixed(0)} | ${(100 * v / total).toFixed(1)}% |`);
}

export async function profileBenchmark(): Promise<void> {
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 200 });
  for (const shape of SHAPES) {
    for (let i = 0; i < 5; i++) libraryApp(shape).synth();
    await post(session, 'Profiler.start');
    for (let i = 0; i < RUNS; i++) libraryApp(shape).synth();
    const { profile } = await post<{ profile: Profile }>(session, 'Profiler.stop');
    const { self, lib, total } = summarize(profile);
    console.log(`\n## Profile of ${RUNS} synths, ${shape.name}: ${total.toFixed(0)} ms sampled\n`);
    console.log('| library function (inclusive) | ms | share |');
    console.log('|---|---:|---:|');
    top(lib, total, 12).forEach((line) => console.log(line));
    console.log('\n| function (self time) | ms | share |');
    console.log('|---|---:|---:|');
    top(self, total, 12).forEach((line) => console.log(line));
  }
  session.disconnect();
}

if (require.main === module) {
  void profileBenchmark();
}
