import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 §2.1 (Certificate Transparency v2): SHA-256, leaves hashed with a
 * 0x00 prefix and interior nodes with 0x01, the tree over n leaves split at the largest power of
 * two below n. Pure: hashes in, hashes out. A leaf's data is the 32 bytes of the event's own hash.
 */

export type Hash = Buffer;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({}) = SHA-256(). */
export const EMPTY_ROOT: Hash = createHash('sha256').digest();

/** MTH({d}) = SHA-256(0x00 || d), d being the raw bytes of the event hash (hex-decoded). */
export function leafHash(eventHashHex: string): Hash {
  return createHash('sha256').update(LEAF_PREFIX).update(Buffer.from(eventHashHex, 'hex')).digest();
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** The largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number) => n > 0 && 2 ** Math.round(Math.log2(n)) === n;

/**
 * The root of every complete subtree the tree needs: level l, index i covers leaves
 * [i·2^l, (i+1)·2^l). Every range the RFC recursion visits starts at a multiple of its own
 * largest power of two, so any range hash is a fold of such nodes: they are what gets stored.
 */
export type NodeLookup = (level: number, index: number) => Hash;

/** MTH(D[start:end]) from stored complete subtrees. */
export function rangeHash(start: number, end: number, node: NodeLookup): Hash {
  const size = end - start;
  if (size <= 0) return EMPTY_ROOT;
  if (isPowerOfTwo(size)) return node(Math.log2(size), start / size);
  const k = splitPoint(size);
  return nodeHash(rangeHash(start, start + k, node), rangeHash(start + k, end, node));
}

/** RFC 9162 §2.1.3.1: the inclusion proof (audit path) of leaf m in the tree of the first n leaves. */
export function inclusionProof(m: number, n: number, node: NodeLookup): Hash[] {
  if (!(m >= 0 && m < n)) throw new RangeError(`leaf ${m} is not in a tree of ${n} leaves`);
  const path: Hash[] = [];
  const walk = (m: number, start: number, end: number): void => {
    const size = end - start;
    if (size <= 1) return;
    const k = splitPoint(size);
    if (m < k) {
      walk(m, start, start + k);
      path.push(rangeHash(start + k, end, node));
    } else {
      walk(m - k, start + k, end);
      path.push(rangeHash(start, start + k, node));
    }
  };
  walk(m, 0, n);
  return path;
}

/** RFC 9162 §2.1.4.1: the consistency proof between the trees of the first m and first n leaves. */
export function consistencyProof(m: number, n: number, node: NodeLookup): Hash[] {
  if (!(m >= 0 && m <= n)) throw new RangeError(`no consistency proof from ${m} to ${n} leaves`);
  if (m === 0 || m === n) return [];
  const proof: Hash[] = [];
  const sub = (m: number, start: number, end: number, complete: boolean): void => {
    const size = end - start;
    if (m === size) {
      if (!complete) proof.push(rangeHash(start, end, node));
      return;
    }
    const k = splitPoint(size);
    if (m <= k) {
      sub(m, start, start + k, complete);
      proof.push(rangeHash(start + k, end, node));
    } else {
      sub(m - k, start + k, end, false);
      proof.push(rangeHash(start, start + k, node));
    }
  };
  sub(m, 0, n, true);
  return proof;
}

/** The stored nodes a computation reads, to fetch them in one query before running it for real. */
export function nodesNeeded(run: (node: NodeLookup) => unknown): Array<{ level: number; index: number }> {
  const seen = new Map<string, { level: number; index: number }>();
  run((level, index) => {
    seen.set(`${level}:${index}`, { level, index });
    return EMPTY_ROOT;
  });
  return [...seen.values()];
}

/** RFC 9162 §2.1.3.2: does the audit path prove leaf `index` (hash) in a tree of `size` with `root`? */
export function verifyInclusion(index: number, size: number, leaf: Hash, path: readonly Hash[], root: Hash): boolean {
  if (index >= size || index < 0) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: does the proof show the tree (size1, root1) is a prefix of (size2, root2)? */
export function verifyConsistency(size1: number, size2: number, proof: readonly Hash[], root1: Hash, root2: Hash): boolean {
  if (size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(root1) && sr.equals(root2) && sn === 0;
}

/**
 * Builds the tree leaf by leaf, keeping only the right edge (one complete subtree per set bit of
 * the size), and reports every complete subtree it finishes so it can be stored. Used by the
 * sealer (continuing from the stored edge) and by the verifier (from nothing).
 */
export class MerkleBuilder {
  /** frontier[level] = the complete subtree at that level still waiting for its right sibling. */
  private readonly frontier: Array<Hash | undefined>;

  constructor(
    private size_ = 0,
    frontier: Array<Hash | undefined> = [],
  ) {
    this.frontier = [...frontier];
  }

  /** The subtrees on the right edge of a tree of `size` leaves: level l is set when bit l of size is. */
  static edgeOf(size: number): Array<{ level: number; index: number }> {
    const out: Array<{ level: number; index: number }> = [];
    for (let level = 0; 2 ** level <= size; level++) {
      if (Math.floor(size / 2 ** level) % 2 === 1) out.push({ level, index: Math.floor(size / 2 ** level) - 1 });
    }
    return out;
  }

  /** An independent copy of this tree's state (e.g. to follow another set of leaves from here). */
  clone(): MerkleBuilder {
    return new MerkleBuilder(this.size_, this.frontier);
  }

  get size(): number {
    return this.size_;
  }

  /** The right edge as stored to resume from: hex by level, null where the size has no bit. */
  edgeHex(): Array<string | null> {
    return Array.from(this.frontier, (h) => (h ? h.toString('hex') : null));
  }

  /** The inverse of edgeHex(); null when the edge cannot belong to a tree of `size` leaves. */
  static fromEdgeHex(size: number, edge: ReadonlyArray<string | null>): MerkleBuilder | null {
    const frontier: Array<Hash | undefined> = [];
    for (let level = 0; level < Math.max(edge.length, Math.floor(Math.log2(Math.max(1, size))) + 1); level++) {
      const bit = Math.floor(size / 2 ** level) % 2 === 1;
      const hex = edge[level] ?? null;
      if (bit !== (hex !== null)) return null;
      if (hex !== null && !/^[0-9a-f]{64}$/.test(hex)) return null;
      frontier[level] = hex === null ? undefined : Buffer.from(hex, 'hex');
    }
    return new MerkleBuilder(size, frontier);
  }

  /** Appends one leaf; `emit` receives each completed subtree (the leaf itself at level 0 first). */
  push(leaf: Hash, emit?: (level: number, index: number, hash: Hash) => void): void {
    let index = this.size_;
    let hash = leaf;
    let level = 0;
    emit?.(0, index, hash);
    while (index % 2 === 1) {
      hash = nodeHash(this.frontier[level]!, hash);
      this.frontier[level] = undefined;
      index = (index - 1) / 2;
      level++;
      emit?.(level, index, hash);
    }
    this.frontier[level] = hash;
    this.size_++;
  }

  /** MTH of all leaves so far. */
  root(): Hash {
    let acc: Hash | null = null;
    for (let level = 0; level < this.frontier.length; level++) {
      const h = this.frontier[level];
      if (!h) continue;
      acc = acc ? nodeHash(h, acc) : h;
    }
    return acc ?? EMPTY_ROOT;
  }
}
