import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

const { pki } = forge;

export interface CertificateFiles {
  dir: string;
  caCertFile: string;
  caKeyFile: string;
  certFile: string;
  keyFile: string;
  /** Whether this run made a new CA (tablets must then trust it again). */
  caCreated: boolean;
  dnsNames: string[];
  ipAddresses: string[];
  notAfter: Date;
}

/** The names and addresses tablets on the LAN may use to reach this machine. */
export function localNames(): { dnsNames: string[]; ipAddresses: string[] } {
  const host = os.hostname().toLowerCase();
  const dnsNames = ['localhost', host];
  // iPads and most Android versions resolve <hostname>.local over mDNS.
  if (!host.includes('.')) dnsNames.push(`${host}.local`);
  const ipAddresses: string[] = [];
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) {
      // Link-local IPv6 addresses need a zone id to be used, which a URL cannot carry well.
      if (a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80:')) continue;
      ipAddresses.push(a.address);
    }
  }
  return { dnsNames, ipAddresses };
}

function newKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Node's native generator: forge's pure-JS one takes seconds for 2048 bits.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return { privateKey: pki.privateKeyFromPem(privateKey), publicKey: pki.publicKeyFromPem(publicKey) };
}

/** 16 random bytes with the top bit clear: serial numbers must be positive. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

const day = 24 * 60 * 60_000;

function createCa(now: Date): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } {
  const keys = newKeyPair();
  const cert = pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - day);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * day);
  const name = [
    { name: 'commonName', value: `Chit local CA (${os.hostname()})` },
    { name: 'organizationName', value: 'Chit' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert, key: keys.privateKey };
}

/**
 * A server certificate for `dnsNames` and `ipAddresses`, signed by the CA. 825 days is the
 * longest validity iOS and macOS accept for a TLS server certificate; it needs the names in
 * subjectAltName and the serverAuth extended key usage too.
 */
function createServerCert(
  ca: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey },
  dnsNames: readonly string[],
  ipAddresses: readonly string[],
  now: Date,
): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } {
  const keys = newKeyPair();
  const cert = pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - day);
  cert.validity.notAfter = new Date(now.getTime() + 825 * day - 2 * day);
  cert.setSubject([{ name: 'commonName', value: dnsNames[0] ?? 'localhost' }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...dnsNames.map((value) => ({ type: 2, value })), ...ipAddresses.map((ip) => ({ type: 7, ip }))],
    },
    { name: 'subjectKeyIdentifier' },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  return { cert, key: keys.privateKey };
}

async function writeSecret(file: string, content: string): Promise<void> {
  await writeFile(file, content, { mode: 0o600 });
  await chmod(file, 0o600);
}

/**
 * Writes a local certificate authority (kept if it exists, so tablets that trust it keep
 * trusting the new server certificate) and a fresh server certificate under `dir`:
 * ca.pem (install this on the tablets), ca-key.pem, server.pem (with the CA after it) and
 * server-key.pem.
 */
export async function writeLocalCertificates(options: {
  dir: string;
  dnsNames: readonly string[];
  ipAddresses: readonly string[];
  now?: Date;
}): Promise<CertificateFiles> {
  const now = options.now ?? new Date();
  const dir = options.dir;
  // Only the certs folder is private: a 0700 DATA_DIR would lock out the embedded
  // PostgreSQL, which runs as its own user when Chit runs as root.
  await mkdir(path.dirname(dir), { recursive: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files = {
    caCertFile: path.join(dir, 'ca.pem'),
    caKeyFile: path.join(dir, 'ca-key.pem'),
    certFile: path.join(dir, 'server.pem'),
    keyFile: path.join(dir, 'server-key.pem'),
  };
  let ca: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };
  let caCreated = false;
  if (existsSync(files.caCertFile) && existsSync(files.caKeyFile)) {
    ca = {
      cert: pki.certificateFromPem(await readFile(files.caCertFile, 'utf8')),
      key: pki.privateKeyFromPem(await readFile(files.caKeyFile, 'utf8')),
    };
  } else {
    ca = createCa(now);
    caCreated = true;
    await writeSecret(files.caKeyFile, pki.privateKeyToPem(ca.key));
    await writeFile(files.caCertFile, pki.certificateToPem(ca.cert));
  }
  const dnsNames = [...new Set(options.dnsNames.map((n) => n.toLowerCase()))];
  const ipAddresses = [...new Set(options.ipAddresses)];
  const server = createServerCert(ca, dnsNames, ipAddresses, now);
  await writeSecret(files.keyFile, pki.privateKeyToPem(server.key));
  await writeFile(files.certFile, pki.certificateToPem(server.cert) + pki.certificateToPem(ca.cert));
  // Node's own parser checks what we wrote is a certificate it accepts.
  const written = new X509Certificate(await readFile(files.certFile));
  return {
    dir,
    ...files,
    caCreated,
    dnsNames,
    ipAddresses,
    notAfter: new Date(written.validTo),
  };
}
