import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** PEM material of one envtest: a CA, the apiserver's serving certificate, service-account keys. */
export interface EnvtestCertificates {
  /** Self-signed CA certificate (PEM); clients trust it, the apiserver uses it as client CA. */
  readonly caCertificate: string;
  /** Serving certificate for `127.0.0.1` and `localhost`, signed by the CA (PEM). */
  readonly servingCertificate: string;
  /** PKCS#8 private key of the serving certificate (PEM). */
  readonly servingKey: string;
  /** PKCS#8 private key that signs service-account tokens (PEM). */
  readonly serviceAccountSigningKey: string;
  /** SPKI public key that verifies service-account tokens (PEM). */
  readonly serviceAccountPublicKey: string;
}

const DAY_MS = 86_400_000;

interface PemKeyPair {
  publicKey: string;
  privateKey: string;
}

// node:crypto generates the RSA keys natively (forge's pure-JS generation takes seconds);
// forge only builds and signs the certificates.
function rsaKeyPair(): PemKeyPair {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

function certificate(
  subject: string,
  keys: PemKeyPair,
  now: Date,
  extensions: object[],
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKey);
  // A positive serial: a leading byte below 0x80 keeps the DER integer positive.
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + 365 * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: subject }]);
  cert.setExtensions(extensions);
  return cert;
}

/**
 * Generates a fresh CA, a serving certificate for `127.0.0.1`/`localhost` signed by it (valid
 * from a day ago to a year ahead, so clock skew does not matter) and a key pair for
 * service-account tokens. Everything stays in memory; the caller writes the files.
 */
export function generateEnvtestCertificates(now: Date = new Date()): EnvtestCertificates {
  const caKeys = rsaKeyPair();
  const caSigningKey = forge.pki.privateKeyFromPem(caKeys.privateKey);
  const ca = certificate('kube-rx-envtest-ca', caKeys, now, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.setIssuer(ca.subject.attributes);
  ca.sign(caSigningKey, forge.md.sha256.create());

  const servingKeys = rsaKeyPair();
  const serving = certificate('kube-apiserver', servingKeys, now, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
  ]);
  serving.setIssuer(ca.subject.attributes);
  serving.sign(caSigningKey, forge.md.sha256.create());

  const serviceAccount = rsaKeyPair();
  return {
    caCertificate: forge.pki.certificateToPem(ca),
    servingCertificate: forge.pki.certificateToPem(serving),
    servingKey: servingKeys.privateKey,
    serviceAccountSigningKey: serviceAccount.privateKey,
    serviceAccountPublicKey: serviceAccount.publicKey,
  };
}
