// A fresh PKI per control plane, made with openssl: a CA, the apiserver's serving cert, client certs, the SA key pair.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Paths of the files the control plane is started with. */
export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  saKey: string;
  saPub: string;
}

/** A client certificate and its key, as file paths. */
export interface ClientCert {
  cert: string;
  key: string;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr || String(e)}`);
  }
}

// EC P-256 keys: fast to generate and accepted by kube-apiserver for TLS, client certs and SA tokens (ES256).
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

const escapeRdn = (v: string): string => v.replace(/[/=+\\]/g, (c) => `\\${c}`);

function signLeaf(pki: Pki, name: string, subject: string, ext: string): ClientCert {
  const key = join(pki.dir, `${name}.key`);
  const csr = join(pki.dir, `${name}.csr`);
  const cert = join(pki.dir, `${name}.crt`);
  const extFile = join(pki.dir, `${name}.ext`);
  writeFileSync(extFile, ext);
  openssl(['req', ...ecKey, '-keyout', key, '-out', csr, '-subj', subject], pki.dir);
  openssl(
    ['x509', '-req', '-in', csr, '-CA', pki.caCert, '-CAkey', pki.caKey, '-CAcreateserial', '-days', '3650'].concat([
      '-out',
      cert,
      '-extfile',
      extFile,
    ]),
    pki.dir,
  );
  return { cert, key };
}

/**
 * Creates the CA, the apiserver serving cert (127.0.0.1/localhost, the `kubernetes` Service's 10.0.0.1, and `extraIps`)
 * and the ServiceAccount signing key pair.
 */
export function createPki(dir: string, extraIps: readonly string[] = []): Pki {
  mkdirSync(dir, { recursive: true });
  const pki: Pki = {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    servingCert: join(dir, 'apiserver.crt'),
    servingKey: join(dir, 'apiserver.key'),
    saKey: join(dir, 'sa.key'),
    saPub: join(dir, 'sa.pub'),
  };
  openssl(
    [
      'req',
      '-x509',
      ...ecKey,
      '-keyout',
      pki.caKey,
      '-out',
      pki.caCert,
      '-days',
      '3650',
      '-subj',
      '/CN=kube-reflect-test-ca',
    ],
    dir,
  );
  signLeaf(
    pki,
    'apiserver',
    '/CN=kube-apiserver',
    `subjectAltName=IP:127.0.0.1,IP:10.0.0.1,${extraIps.map((i) => `IP:${i},`).join('')}` +
      'DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\n' +
      'extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n',
  );
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', pki.saKey], dir);
  openssl(['pkey', '-in', pki.saKey, '-pubout', '-out', pki.saPub], dir);
  return pki;
}

/** Issues a client certificate for `user` with `groups` as its organizations (how kube-apiserver reads x509 users). */
export function issueClientCert(pki: Pki, fileName: string, user: string, groups: readonly string[]): ClientCert {
  const subject = groups.map((g) => `/O=${escapeRdn(g)}`).join('') + `/CN=${escapeRdn(user)}`;
  return signLeaf(
    pki,
    fileName,
    subject,
    'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n',
  );
}

/** Reads a PEM file as a base64 string, as kubeconfig `*-data` fields want it. */
export function pemData(path: string): string {
  return readFileSync(path).toString('base64');
}
