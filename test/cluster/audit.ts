// Reads the apiserver's JSON audit log and counts requests per client and verb, for benchmarks.
import { existsSync, readFileSync } from 'node:fs';

/** Requests of one client (user and user agent) with one verb. */
export interface AuditCount {
  user: string;
  userAgent: string;
  verb: string;
  count: number;
}

/** Filters for `countAuditEvents`. */
export interface AuditFilter {
  /** Only requests received at or after this time. */
  since?: Date;
  /** Only requests by this user name. */
  user?: string;
  /** Only requests for objects in namespaces starting with this prefix. */
  namespacePrefix?: string;
}

interface AuditEvent {
  auditID?: string;
  verb?: string;
  userAgent?: string;
  user?: { username?: string };
  objectRef?: { namespace?: string; name?: string; resource?: string; subresource?: string };
  requestReceivedTimestamp?: string;
  responseStatus?: { code?: number };
}

/** One request from the audit log: who made it, what it did to which object, and the status it got. */
export interface AuditRequest {
  user: string;
  userAgent: string;
  verb: string;
  resource: string;
  namespace: string;
  name: string;
  code: number;
}

/** Lists requests in an audit log (one per auditID), in log order, with the same filters as countAuditEvents. */
export function auditRequests(path: string, filter: AuditFilter = {}): AuditRequest[] {
  if (!existsSync(path)) return [];
  const seen = new Set<string>();
  const out: AuditRequest[] = [];
  const since = filter.since?.getTime();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let e: AuditEvent;
    try {
      e = JSON.parse(line) as AuditEvent;
    } catch {
      continue; // a line being written right now
    }
    if (!e.auditID || seen.has(e.auditID)) continue;
    seen.add(e.auditID);
    const user = e.user?.username ?? '';
    if (filter.user !== undefined && user !== filter.user) continue;
    if (since !== undefined && Date.parse(e.requestReceivedTimestamp ?? '') < since) continue;
    const namespace = e.objectRef?.namespace ?? '';
    if (filter.namespacePrefix !== undefined && !namespace.startsWith(filter.namespacePrefix)) continue;
    out.push({
      user,
      userAgent: e.userAgent ?? '',
      verb: e.verb ?? '',
      resource: e.objectRef?.resource ?? '',
      namespace,
      name: e.objectRef?.name ?? '',
      code: e.responseStatus?.code ?? 0,
    });
  }
  return out;
}

/** Counts requests in an audit log (one per auditID, whatever stages were logged), sorted by count, descending. */
export function countAuditEvents(path: string, filter: AuditFilter = {}): AuditCount[] {
  const counts = new Map<string, AuditCount>();
  for (const r of auditRequests(path, filter)) {
    const key = `${r.user}\0${r.userAgent}\0${r.verb}`;
    const entry =
      counts.get(key) ?? counts.set(key, { user: r.user, userAgent: r.userAgent, verb: r.verb, count: 0 }).get(key)!;
    entry.count++;
  }
  return [...counts.values()].sort(
    (a, b) => b.count - a.count || a.user.localeCompare(b.user) || a.verb.localeCompare(b.verb),
  );
}
