import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson, HASH_FORMAT } from '../hash-chain';

/**
 * A signed tree head: the size and root of the ledger's Merkle tree at a moment, signed with the
 * service's Ed25519 key. Auditors keep these; any later log must still extend them.
 */
export interface TreeHead {
  hashFormat: number;
  treeSize: number;
  /** MTH of the first treeSize leaves, hex. */
  rootHash: string;
  /** ISO-8601 instant (UTC, milliseconds) when the head was signed. */
  timestamp: string;
  /** SHA-256 of the public key's SubjectPublicKeyInfo (DER), hex. */
  keyId: string;
  /** Ed25519 signature over signedBytes(head), base64. */
  signature: string;
}

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits');

/** A head as an auditor hands it back (JSON body or head file): exactly these fields. */
export const TreeHeadSchema = z
  .object({
    hashFormat: z.number().int().positive(),
    treeSize: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    rootHash: Hex64,
    timestamp: z.string().datetime({ offset: false }),
    keyId: Hex64,
    signature: z
      .string()
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64')
      .max(200),
  })
  .meta({ id: 'SignedTreeHead' });

/** The signed bytes: the JCS canonical JSON (UTF-8) of every field but the signature. */
export function signedBytes(head: Omit<TreeHead, 'signature'>): Buffer {
  const { hashFormat, treeSize, rootHash, timestamp, keyId } = head;
  return Buffer.from(canonicalJson({ hashFormat, keyId, rootHash, timestamp, treeSize }), 'utf8');
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export function signTreeHead(input: { treeSize: number; rootHash: string; timestamp: string }, privateKey: KeyObject): TreeHead {
  const keyId = keyIdOf(createPublicKey(privateKey));
  const unsigned = { hashFormat: HASH_FORMAT, treeSize: input.treeSize, rootHash: input.rootHash, timestamp: input.timestamp, keyId };
  return { ...unsigned, signature: sign(null, signedBytes(unsigned), privateKey).toString('base64') };
}

/** True when the signature is the given key's over the head's fields (and the head names that key). */
export function verifyTreeHead(head: TreeHead, publicKey: KeyObject): boolean {
  if (head.keyId !== keyIdOf(publicKey)) return false;
  try {
    return verify(null, signedBytes(head), publicKey, Buffer.from(head.signature, 'base64'));
  } catch {
    return false;
  }
}
