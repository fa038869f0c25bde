/**
 * Signing a label record with Ed25519 (node:crypto) and checking the signature. The signature
 * covers the canonical JSON of the whole record but its `signature` field: model and record
 * hashes, figures, basis, method and issue date. A signature proves who issued the label only
 * against a public key the reader trusts (`verify --trust`); the key inside the label just says
 * which key claims to have signed it.
 */
import { KeyObject, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { FieldError } from '../../core/field-error';
import { canonicalJson } from '../../core/label/canonical-json';
import { LabelRecord } from '../../core/label/record';
import { requireRegularFile } from '../regular-file';

/** A PEM key is a few hundred bytes; anything far larger (or endless, /dev/zero) is no key. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** The bytes a signature covers. */
export function signedBytes(record: LabelRecord): Buffer {
  const { signature: _signature, ...rest } = record;
  void _signature;
  return Buffer.from(canonicalJson(rest), 'utf8');
}

function ed25519(key: KeyObject, field: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new FieldError(field, `must be an Ed25519 key, got ${key.asymmetricKeyType ?? 'none'}`);
  }
  return key;
}

/** A PEM private key file (`openssl genpkey -algorithm ed25519`). */
export function readPrivateKey(path: string, field = 'sign'): Promise<KeyObject> {
  return readKey(path, field, 'private');
}

/** A PEM public key file (`openssl pkey -in key.pem -pubout`); a private key gives its public half. */
export function readPublicKey(path: string, field = 'trust'): Promise<KeyObject> {
  return readKey(path, field, 'public');
}

async function readKey(
  path: string,
  field: string,
  kind: 'private' | 'public'
): Promise<KeyObject> {
  let pem: Buffer;
  try {
    await requireRegularFile(path, MAX_KEY_FILE_BYTES);
    pem = await readFile(path);
  } catch (e) {
    throw new FieldError(field, `cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return ed25519(kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem), field);
  } catch (e) {
    if (e instanceof FieldError) throw e;
    throw new FieldError(field, `${path} is not a PEM ${kind} key: ${(e as Error).message}`);
  }
}

/** The public key as the label stores it: SPKI DER, base64. */
export function publicKeyText(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** The record with its signature (any earlier signature replaced). */
export function signLabel(record: LabelRecord, privateKey: KeyObject): LabelRecord {
  const { signature: _old, ...unsigned } = record;
  void _old;
  const value = sign(null, signedBytes(unsigned), ed25519(privateKey, 'sign'));
  return {
    ...unsigned,
    signature: {
      algorithm: 'Ed25519',
      publicKey: publicKeyText(createPublicKey(privateKey)),
      value: value.toString('base64')
    }
  };
}

/** Whether the record's signature is valid for `key` (false for an unsigned record). */
export function signatureValid(record: LabelRecord, key: KeyObject): boolean {
  if (!record.signature) return false;
  try {
    return verify(null, signedBytes(record), key, Buffer.from(record.signature.value, 'base64'));
  } catch {
    return false;
  }
}

/** The public key the record names as its signer. */
export function signerKey(record: LabelRecord): KeyObject | undefined {
  if (!record.signature) return undefined;
  try {
    return createPublicKey({
      key: Buffer.from(record.signature.publicKey, 'base64'),
      format: 'der',
      type: 'spki'
    });
  } catch {
    return undefined;
  }
}
