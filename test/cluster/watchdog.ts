// A tiny detached process that stops a control plane when the process owning it dies, even by SIGKILL.
import { spawn } from 'node:child_process';

// Plain JavaScript for `node -e`, so the watchdog starts in milliseconds without tsx. argv: ownerPid, state dir.
const script = `
const fs = require('node:fs');
const [owner, dir] = [Number(process.argv[1]), process.argv[2]];
const zombie = (pid) => { try { return / Z /.test(fs.readFileSync('/proc/' + pid + '/stat', 'utf8').replace(/^.*\\)/, ' ')); } catch { return false; } };
const alive = (pid) => { try { process.kill(pid, 0); } catch { return false; } return !zombie(pid); };
setInterval(() => {
  if (!fs.existsSync(dir)) process.exit(0);
  if (alive(owner)) return;
  try {
    const state = JSON.parse(fs.readFileSync(dir + '/state.json', 'utf8'));
    for (const c of Object.values(state.components)) { try { process.kill(-c.pid, 'SIGKILL'); } catch {} }
  } catch {}
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}, 500);
`;

/** Starts a watchdog that SIGKILLs the plane in `dir` and removes it once `ownerPid` is gone; it exits with the dir. */
export function startWatchdog(ownerPid: number, dir: string): void {
  const child = spawn(process.execPath, ['-e', script, String(ownerPid), dir], { detached: true, stdio: 'ignore' });
  child.on('error', () => {});
  child.unref();
}
