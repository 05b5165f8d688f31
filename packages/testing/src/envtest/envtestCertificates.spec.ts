import { createPublicKey, createPrivateKey, X509Certificate } from 'node:crypto';
import { generateEnvtestCertificates } from './envtestCertificates.js';

describe('generateEnvtestCertificates', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const certificates = generateEnvtestCertificates(now);
  const ca = new X509Certificate(certificates.caCertificate);
  const serving = new X509Certificate(certificates.servingCertificate);

  it('makes a CA that signed a serving certificate for 127.0.0.1 and localhost', () => {
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(serving.ca).toBe(false);
    expect(serving.checkIssued(ca)).toBe(true);
    expect(serving.verify(ca.publicKey)).toBe(true);
    expect(serving.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(serving.checkHost('localhost')).toBe('localhost');
    expect(serving.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
  });

  it('is valid from a day before to a year after now', () => {
    expect(new Date(serving.validFrom).getTime()).toBe(now.getTime() - 86_400_000);
    expect(new Date(serving.validTo).getTime()).toBe(now.getTime() + 365 * 86_400_000);
  });

  it('pairs the serving key with its certificate and the service-account keys with each other', () => {
    expect(serving.checkPrivateKey(createPrivateKey(certificates.servingKey))).toBe(true);
    const signingPublic = createPublicKey(createPrivateKey(certificates.serviceAccountSigningKey));
    expect(signingPublic.export({ type: 'spki', format: 'pem' })).toBe(
      certificates.serviceAccountPublicKey,
    );
  });

  it('gives every envtest its own CA', () => {
    expect(generateEnvtestCertificates(now).caCertificate).not.toBe(certificates.caCertificate);
  });
});
