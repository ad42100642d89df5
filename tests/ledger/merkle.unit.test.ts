import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  MerkleBuilder,
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  rangeHash,
  verifyConsistency,
  verifyInclusion,
  type Hash,
  type NodeLookup,
} from '../../src/application/ledger/merkle';

/** MTH straight from RFC 9162 §2.1.1, for comparison. */
function mth(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** Every complete subtree of the leaves, as the ledger stores them. */
function lookupOver(leaves: readonly Hash[]): NodeLookup {
  return (level, index) => {
    const size = 2 ** level;
    const slice = leaves.slice(index * size, (index + 1) * size);
    if (slice.length !== size) throw new Error(`node ${level}/${index} is not complete`);
    return mth(slice);
  };
}

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash(createHash('sha256').update(String(i)).digest('hex')));

describe('Merkle tree (RFC 9162 §2.1)', () => {
  it('matches the Certificate Transparency reference roots for its eight test leaves', () => {
    const data = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    const builder = new MerkleBuilder();
    data.forEach((d, i) => {
      builder.push(leafHash(d));
      expect(builder.root().toString('hex'), `size ${i + 1}`).toBe(roots[i]);
    });
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('builds the same root leaf by leaf, from stored subtrees, and from a restored right edge', () => {
    const leaves = leavesOf(70);
    const builder = new MerkleBuilder();
    const stored = new Map<string, Hash>();
    for (let n = 1; n <= leaves.length; n++) {
      builder.push(leaves[n - 1]!, (level, index, hash) => stored.set(`${level}:${index}`, hash));
      const expected = mth(leaves.slice(0, n));
      expect(builder.root().equals(expected)).toBe(true);
      expect(rangeHash(0, n, (l, i) => stored.get(`${l}:${i}`)!).equals(expected)).toBe(true);
      // A sealer restarting at size n loads only the right edge and carries on.
      const edge: Array<Hash | undefined> = [];
      for (const { level, index } of MerkleBuilder.edgeOf(n)) edge[level] = stored.get(`${level}:${index}`);
      const resumed = new MerkleBuilder(n, edge);
      expect(resumed.root().equals(expected)).toBe(true);
      if (n < leaves.length) {
        resumed.push(leaves[n]!);
        expect(resumed.root().equals(mth(leaves.slice(0, n + 1)))).toBe(true);
      }
    }
  });

  it('proves inclusion of every leaf in every tree up to 33 leaves, and rejects a wrong leaf or root', () => {
    const leaves = leavesOf(33);
    const node = lookupOver(leaves);
    for (let n = 1; n <= leaves.length; n++) {
      const root = mth(leaves.slice(0, n));
      for (let m = 0; m < n; m++) {
        const path = inclusionProof(m, n, node);
        expect(verifyInclusion(m, n, leaves[m]!, path, root), `${m} in ${n}`).toBe(true);
        expect(verifyInclusion(m, n, leaves[(m + 1) % leaves.length]!, path, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(m, n, leaves[m]!, path, EMPTY_ROOT)).toBe(false);
      }
    }
  });

  it('proves consistency between every pair of sizes up to 33 leaves, and rejects a rewritten history', () => {
    const leaves = leavesOf(33);
    const node = lookupOver(leaves);
    for (let n = 1; n <= leaves.length; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(m, n, node);
        const root1 = mth(leaves.slice(0, m));
        const root2 = mth(leaves.slice(0, n));
        expect(verifyConsistency(m, n, proof, root1, root2), `${m} → ${n}`).toBe(true);
        if (m < n) {
          const rewritten = [...leaves.slice(0, n)];
          rewritten[m - 1] = leafHash('ff');
          expect(verifyConsistency(m, n, proof, root1, mth(rewritten))).toBe(false);
        }
      }
    }
  });
});
