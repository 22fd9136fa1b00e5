// The ControlPlane handle tests use: kubeconfigs for admin, restricted users and ServiceAccounts, faults, audit counts.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { auditRequests, countAuditEvents, type AuditCount, type AuditFilter, type AuditRequest } from './audit.ts';
import { down, restartApiserver, restartEtcd } from './control-plane.ts';
import { adminCall, type HttpResponse } from './http.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { loadImage } from './node.ts';
import { issueClientCert } from './pki.ts';
import { readState, type ClusterState } from './state.ts';

/** A running control plane; `owned` is true when this process started it and `stop()` really stops it. */
export class ControlPlane {
  /** The admin (system:masters) kubeconfig. */
  readonly kubeconfigPath: string;
  /** The apiserver URL, https://127.0.0.1:<port>. */
  readonly server: string;
  readonly name: string;
  readonly dir: string;
  readonly owned: boolean;

  constructor(state: ClusterState, owned: boolean) {
    this.kubeconfigPath = state.kubeconfig;
    this.server = state.server;
    this.name = state.name;
    this.dir = state.dir;
    this.owned = owned;
  }

  /** The current on-disk state (PIDs change when the apiserver is restarted). */
  state(): ClusterState {
    const s = readState(this.dir);
    if (!s) throw new Error(`control plane '${this.name}' is gone (${this.dir})`);
    return s;
  }

  /** Stops the processes and removes the state dir; a no-op for a shared plane this process only attached to. */
  async stop(): Promise<void> {
    if (this.owned) await down(this.dir);
  }

  /** Kills kube-apiserver (a crash; `graceful` sends SIGTERM first) and starts it again on the same port and etcd. */
  restartApiserver(opts: { graceful?: boolean } = {}): Promise<void> {
    return restartApiserver(this.dir, opts.graceful ?? false);
  }

  /** Kills etcd and starts it again on the same ports and data. */
  restartEtcd(): Promise<void> {
    return restartEtcd(this.dir);
  }

  /** Calls the apiserver as admin (JSON in, text out). */
  request(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    return adminCall(this.state(), method, path, body);
  }

  /** A kubeconfig authenticating as `user` in `groups` by client certificate (no RBAC is granted). */
  userKubeconfig(user: string, groups: readonly string[] = []): string {
    const state = this.state();
    const id = createHash('sha256')
      .update(JSON.stringify([user, groups]))
      .digest('hex')
      .slice(0, 12);
    const dir = join(state.dir, 'users');
    mkdirSync(dir, { recursive: true });
    const cert = issueClientCert(state.pki, `user-${id}`, user, groups);
    return writeKubeconfig(join(dir, `user-${id}.kubeconfig`), state.server, state.pki.caCert, user, {
      clientCert: cert,
    });
  }

  /** A kubeconfig with a TokenRequest token for ServiceAccount `namespace/name`, created if missing. */
  async serviceAccountKubeconfig(namespace: string, name: string, expirationSeconds = 3600): Promise<string> {
    const state = this.state();
    const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts`;
    const created = await this.request('POST', base, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
    if (created.status !== 201 && created.status !== 409) {
      throw new Error(`creating ServiceAccount ${namespace}/${name}: ${created.status} ${created.body}`);
    }
    const res = await this.request('POST', `${base}/${encodeURIComponent(name)}/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds },
    });
    if (res.status !== 201) throw new Error(`TokenRequest for ${namespace}/${name}: ${res.status} ${res.body}`);
    const token = (JSON.parse(res.body) as { status: { token: string } }).status.token;
    const dir = join(state.dir, 'users');
    mkdirSync(dir, { recursive: true });
    const user = `system:serviceaccount:${namespace}:${name}`;
    return writeKubeconfig(join(dir, `sa-${namespace}-${name}.kubeconfig`), state.server, state.pki.caCert, user, {
      token,
    });
  }

  /** Imports an image archive into the node's containerd (a plane started with `withNode`); returns image names. */
  loadImage(archive: string): string[] {
    return loadImage(this.state(), archive);
  }

  /** Requests per user, user agent and verb from the audit log; throws unless started with `audit: true`. */
  auditCounts(filter?: AuditFilter): AuditCount[] {
    const log = this.state().auditLog;
    if (!log) throw new Error(`control plane '${this.name}' was started without audit logging`);
    return countAuditEvents(log, filter);
  }

  /** Every request in the audit log (one per request, with its object and status); throws unless started with `audit: true`. */
  auditRequests(filter?: AuditFilter): AuditRequest[] {
    const log = this.state().auditLog;
    if (!log) throw new Error(`control plane '${this.name}' was started without audit logging`);
    return auditRequests(log, filter);
  }
}
