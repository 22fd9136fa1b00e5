// Runs one `kubectl reflect` command in this process and prints, as JSON, the wall and CPU milliseconds (from just
// before the command starts) to its first stdout byte and to its end: Node's start-up and module loading left out, so
// the figures are the command's own. Used by bench/plugin/fake.ts; KUBECONFIG names the cluster.
import { runCli } from '../../plugin/cli.ts';
import { openSession } from '../../plugin/session.ts';

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const wall0 = performance.now();
const cpu0 = cpu();
let first: { wall: number; cpu: number } | undefined;
let bytes = 0;
const stdout = {
  write(chunk: string) {
    first ??= { wall: performance.now() - wall0, cpu: cpu() - cpu0 };
    bytes += chunk.length;
    return true;
  },
};
const code = await runCli(process.argv.slice(2), {
  stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  openSession,
});
const end = { wall: performance.now() - wall0, cpu: cpu() - cpu0 };
process.stdout.write(`${JSON.stringify({ code, first, end, bytes })}\n`);
process.exit(0);
