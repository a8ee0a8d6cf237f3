// Signed notes, checkpoints and cosignatures: byte-for-byte against the Go reference example
// (golang.org/x/mod/sumdb/note), so standard verifiers and witnesses accept our checkpoints.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  NoteError,
  cosign,
  cosignatureVerifier,
  ed25519PrivateKeyFromSeed,
  ed25519Signer,
  ed25519Verifier,
  formatCheckpoint,
  openNote,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  signNote,
} from './note.ts';
import { sm2KeyFromPkcs8, sm2Signer, sm2Supported, sm2Verifier, generateSm2Pkcs8 } from './sm2.ts';

const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const SKEY_MATERIAL = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz'; // from PRIVATE+KEY+PeterNeumann+c74f20a3+…
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const SIG_LINE = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=';
const NOTE = `${TEXT}\n${SIG_LINE}\n`;

describe('signed note (C2SP signed-note)', () => {
  it('reproduces the Go reference signature and key id', () => {
    const seed = Buffer.from(SKEY_MATERIAL, 'base64').subarray(1);
    const signer = ed25519Signer('PeterNeumann', ed25519PrivateKeyFromSeed(seed));
    expect(signer.verifierKey).toBe(VKEY);
    expect(signer.keyId.toString(16)).toBe('c74f20a3');
    expect(signNote(TEXT, [signer])).toBe(NOTE);
  });

  it('opens the reference note and refuses tampering', () => {
    const v = ed25519Verifier(VKEY);
    expect(openNote(NOTE, [v]).text).toBe(TEXT);
    expect(() => openNote(NOTE.replace('cryptography', 'cryptographY'), [v])).toThrow(NoteError);
    // Unknown keys are ignored, so a note signed only by others is not verified.
    const other = ed25519Signer('PeterNeumann', crypto.generateKeyPairSync('ed25519').privateKey);
    expect(() => openNote(signNote(TEXT, [other]), [v])).toThrow(/没有受信任密钥/);
    // A known key whose signature fails rejects the note even when another one is fine.
    const forged = `${TEXT}\n${SIG_LINE.slice(0, -6)}AAAAA=\n`;
    expect(() => openNote(forged, [v])).toThrow();
    // An extra signature by an unknown key does not matter.
    expect(openNote(`${NOTE.slice(0, -1)}\n— someone.example/w AAAAAAAA\n`, [v]).verified).toHaveLength(1);
  });

  it('refuses malformed notes', () => {
    for (const bad of [
      TEXT, // no signatures
      NOTE.slice(0, -1), // no final newline
      NOTE.replace('— ', '-- '),
      NOTE.replace('PeterNeumann x08', 'Peter+Neumann x08'),
      NOTE.replace('x08go', 'x08g o'),
      NOTE.replace('If you', 'If\tyou'),
      `${TEXT}\n— PeterNeumann AAAA\n`, // signature shorter than a key id + 1 byte
    ]) {
      expect(() => parseNote(bad), JSON.stringify(bad)).toThrow(NoteError);
    }
  });

  it('rejects every mangled verifier key', () => {
    expect(parseVerifierKey(VKEY)).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3, type: 1 });
    for (let i = 0; i < VKEY.length; i++) {
      const mangled = VKEY.slice(0, i) + String.fromCharCode(VKEY.charCodeAt(i) + 1) + VKEY.slice(i + 1);
      expect(() => ed25519Verifier(mangled), mangled).toThrow();
    }
    expect(() => ed25519Verifier(VKEY.slice(0, -4))).toThrow();
  });

  it('round-trips random texts and signer names', () => {
    const key = crypto.generateKeyPairSync('ed25519').privateKey;
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 }).filter((s) => !/[\u0000-\u001f]/.test(s)), { minLength: 1, maxLength: 5 }), fc.stringMatching(/^[a-z0-9.\/-]{1,30}$/), (lines, name) => {
        const text = lines.join('\n') + '\n';
        const signer = ed25519Signer(name, key);
        expect(openNote(signNote(text, [signer]), [ed25519Verifier(signer.verifierKey)]).text).toBe(text);
      }),
    );
  });
});

describe('checkpoint (C2SP tlog-checkpoint)', () => {
  const root = Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64');
  it('formats and parses the spec example body', () => {
    const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    expect(formatCheckpoint({ origin: 'example.com/behind-the-sofa', size: 20852163, root, extensions: [] })).toBe(text);
    expect(parseCheckpoint(text)).toEqual({ origin: 'example.com/behind-the-sofa', size: 20852163, root, extensions: [] });
  });
  it('refuses malformed bodies', () => {
    for (const bad of ['o\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n', 'o\n1\nAAAA\n', 'o\n1\n', '\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n', 'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=']) {
      expect(() => parseCheckpoint(bad), bad).toThrow(NoteError);
    }
  });
});

describe('cosignature (C2SP tlog-cosignature, cosignature/v1)', () => {
  const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
  it('verifies a witness cosignature with its timestamp and refuses a changed one', () => {
    const key = crypto.generateKeyPairSync('ed25519').privateKey;
    const { line, vkey } = cosign(text, 'witness.example.com/w1', key, 1679315147);
    expect(parseVerifierKey(vkey).type).toBe(0x04);
    const v = cosignatureVerifier(vkey);
    const sig = parseNote(`${text}\n${line}\n`).signatures[0]!;
    expect(v.verifyTimestamped(text, sig.signature)).toBe(1679315147);
    expect(v.verifyTimestamped(text.replace('20852163', '20852164'), sig.signature)).toBeNull();
    const changedTime = Buffer.from(sig.signature);
    changedTime[7]! ^= 1;
    expect(v.verifyTimestamped(text, changedTime)).toBeNull();
    // A log key (type 0x01) is not a witness key.
    expect(() => cosignatureVerifier(VKEY)).toThrow(NoteError);
  });
});

describe.skipIf(!sm2Supported())('SM2/SM3 second signature', () => {
  it('signs and verifies a note alongside Ed25519', () => {
    const sm2 = sm2Signer('example.com/log', sm2KeyFromPkcs8(generateSm2Pkcs8()));
    const ed = ed25519Signer('example.com/log', crypto.generateKeyPairSync('ed25519').privateKey);
    const note = signNote('example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n', [ed, sm2]);
    const opened = openNote(note, [ed25519Verifier(ed.verifierKey), sm2Verifier(parseVerifierKey(sm2.verifierKey))]);
    expect(opened.verified).toHaveLength(2);
    // A verifier that knows only the Ed25519 key ignores the SM2 line (signed-note: unknown keys are ignored).
    expect(openNote(note, [ed25519Verifier(ed.verifierKey)]).verified).toHaveLength(1);
  });
});
