import { AesGcmVault, VaultError } from '../../../src/adapters/outbound/vault/aes-gcm-vault';

const key = (n: number) => ({ id: `k${n}`, key: Buffer.alloc(32, n) });

describe('AES-256-GCM vault', () => {
  it('round-trips and never shows the plaintext in the sealed form', () => {
    const vault = new AesGcmVault(key(1));
    const sealed = vault.seal('hunter2-password', 'connection-c1:acumatica.password');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.sealed).not.toContain('hunter2');
    expect(Buffer.from(sealed.sealed, 'base64').toString('latin1')).not.toContain('hunter2');
    expect(vault.open(sealed, 'connection-c1:acumatica.password')).toBe('hunter2-password');
  });

  it('refuses another context, a flipped bit and an unknown key', () => {
    const vault = new AesGcmVault(key(1));
    const sealed = vault.seal('secret', 'a');
    expect(() => vault.open(sealed, 'b')).toThrow(VaultError);
    const raw = Buffer.from(sealed.sealed, 'base64');
    raw[14] ^= 1;
    expect(() => vault.open({ ...sealed, sealed: raw.toString('base64') }, 'a')).toThrow(/failed authentication/);
    expect(() => new AesGcmVault(key(2)).open(sealed, 'a')).toThrow(/key k1/);
  });

  it('opens secrets sealed by a previous key after rotation, and seals with the new one', () => {
    const old = new AesGcmVault(key(1)).seal('secret', 'a');
    const rotated = new AesGcmVault(key(2), [key(1)]);
    expect(rotated.open(old, 'a')).toBe('secret');
    expect(rotated.seal('x', 'a').keyId).toBe('k2');
  });
});
