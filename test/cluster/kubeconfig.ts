// Kubeconfig files for the test control plane: embedded CA plus a client cert or a bearer token.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { pemData, type ClientCert } from './pki.ts';

/** How a kubeconfig user authenticates. */
export type Credentials = { clientCert: ClientCert } | { token: string };

/** Writes a single-context kubeconfig for `server` (mode 0600) and returns its path. */
export function writeKubeconfig(
  path: string,
  server: string,
  caCert: string,
  user: string,
  creds: Credentials,
): string {
  const userEntry =
    'token' in creds
      ? { token: creds.token }
      : {
          'client-certificate-data': pemData(creds.clientCert.cert),
          'client-key-data': pemData(creds.clientCert.key),
        };
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kube-reflect-test', cluster: { server, 'certificate-authority-data': pemData(caCert) } }],
    users: [{ name: user, user: userEntry }],
    contexts: [{ name: user, context: { cluster: 'kube-reflect-test', user, namespace: 'default' } }],
    'current-context': user,
    preferences: {},
  };
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return path;
}
