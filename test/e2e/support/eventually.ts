/** Polls until a check passes, failing the test with what it waited for after the timeout. */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves once `check` returns true; fails after `timeoutMs` naming `what`. */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
  intervalMs = 25,
): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(intervalMs)) if (await check()) return;
  assert.fail(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
}
