// client-node's authenticators for the users our own loader leaves to it (exec plugins, auth providers). Imported
// dynamically by credentials.ts, so a process that never meets such a user never evaluates client-node.
// The module itself, not the package index: a lazily loaded index is bundled whole (tree shaking stops at the wrapper).
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { RequestOptions } from 'node:https';
import type { KubeCluster, KubeUser } from './kubeconfig-file.ts';

/** Lets client-node apply an exec plugin's or auth provider's credentials (and the TLS material) to request options. */
export async function applyViaClientNode(cluster: KubeCluster, user: KubeUser, opts: RequestOptions): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.server,
        skipTLSVerify: cluster.skipTLSVerify,
        ...(cluster.caFile !== undefined ? { caFile: cluster.caFile } : {}),
        ...(cluster.caData !== undefined ? { caData: cluster.caData } : {}),
        ...(cluster.tlsServerName !== undefined ? { tlsServerName: cluster.tlsServerName } : {}),
      },
    ],
    users: [
      {
        name: user.name,
        ...(user.exec !== undefined ? { exec: user.exec } : {}),
        ...(user.authProvider !== undefined ? { authProvider: user.authProvider } : {}),
        ...(user.certFile !== undefined ? { certFile: user.certFile } : {}),
        ...(user.certData !== undefined ? { certData: user.certData } : {}),
        ...(user.keyFile !== undefined ? { keyFile: user.keyFile } : {}),
        ...(user.keyData !== undefined ? { keyData: user.keyData } : {}),
        ...(user.token !== undefined ? { token: user.token } : {}),
        ...(user.username !== undefined ? { username: user.username } : {}),
        ...(user.password !== undefined ? { password: user.password } : {}),
        ...(user.impersonate !== undefined ? { impersonateUser: user.impersonate } : {}),
      },
    ],
    contexts: [{ name: 'current', cluster: cluster.name, user: user.name }],
    currentContext: 'current',
  });
  await kc.applyToHTTPSOptions(opts);
}
