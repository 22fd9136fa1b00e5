// TLS material and the Authorization header for one cluster and user, as kubectl applies them. Exec plugins and auth
// providers (cloud logins, OIDC) go through client-node, loaded only when a kubeconfig asks for one.
import { readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import type { KubeCluster, KubeUser } from './kubeconfig-file.ts';

/** Applies the cluster's TLS settings and the user's credentials to request options (a file is read on every call). */
export async function applyCredentials(
  cluster: KubeCluster,
  user: KubeUser | undefined,
  opts: RequestOptions,
): Promise<void> {
  if (cluster.skipTLSVerify) opts.rejectUnauthorized = false;
  if (cluster.tlsServerName !== undefined) opts.servername = cluster.tlsServerName;
  const ca = material(cluster.caFile, cluster.caData);
  if (ca !== undefined) opts.ca = ca;
  if (user === undefined) return;
  if (user.exec !== undefined || user.authProvider !== undefined) {
    const { applyViaClientNode } = await import('./client-node-auth.ts');
    await applyViaClientNode(cluster, user, opts);
    return;
  }
  const cert = material(user.certFile, user.certData);
  if (cert !== undefined) opts.cert = cert;
  const key = material(user.keyFile, user.keyData);
  if (key !== undefined) opts.key = key;
  const headers = (opts.headers ??= {}) as Record<string, string>;
  if (user.impersonate !== undefined) headers['Impersonate-User'] = user.impersonate;
  // A token file is read again on every refresh: projected service account tokens rotate under a running pod.
  const token = user.token ?? (user.tokenFile !== undefined ? readFileSync(user.tokenFile, 'utf8').trim() : undefined);
  if (token !== undefined && token !== '') headers.Authorization = `Bearer ${token}`;
  if (user.username !== undefined) opts.auth = `${user.username}:${user.password ?? ''}`;
}

function material(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file !== undefined) return readFileSync(file);
  return data !== undefined ? Buffer.from(data, 'base64') : undefined;
}
