//! Every tree size 1..=300 against the naive reference: roots, every inclusion proof, a broad
//! sample of consistency proofs, and mutated proofs.

use tongchou_ledger::{
    encode, inclusion_proof_len, prove_consistency, prove_inclusion, root_of, verify_consistency, verify_inclusion, Frontier, Hash,
    MemoryNodes, Suite, Verifier, VerifyError,
};

use crate::fixtures;
use crate::reference::Reference;

const MAX: usize = 300;

struct World {
    suite: Suite,
    reference: Reference,
    leaves: Vec<Hash>,
    nodes: MemoryNodes,
}

fn world() -> World {
    let suite = Suite::default();
    let data: Vec<Vec<u8>> = fixtures::entries(MAX as u64).iter().map(encode).collect();
    let leaves: Vec<Hash> = data.iter().map(|d| suite.leaf_hash(d)).collect();
    for (d, l) in data.iter().zip(&leaves) {
        assert_eq!(crate::reference::leaf(d), l.0);
    }
    World { suite, nodes: MemoryNodes::from_leaves(suite, leaves.iter().copied()), reference: Reference::new(data), leaves }
}

fn h(x: [u8; 32]) -> Hash {
    Hash(x)
}

fn flip(mut x: Hash, bit: usize) -> Hash {
    x.0[(bit / 8) % 32] ^= 1 << (bit % 8);
    x
}

#[test]
fn roots_match_the_reference_for_every_size() {
    let mut w = world();
    let s = w.suite;
    let mut frontier = Frontier::new();
    let mut verifier = Verifier::new(s);
    assert_eq!(frontier.root(s).0, w.reference.mth(0, 0));
    for n in 1..=MAX {
        frontier.push(s, w.leaves[n - 1]);
        verifier.push_leaf(w.leaves[n - 1]).unwrap();
        let want = h(w.reference.mth(0, n));
        assert_eq!(frontier.root(s), want, "frontier root at size {n}");
        assert_eq!(root_of(s, &w.leaves[..n]), want, "root_of at size {n}");
        assert_eq!(w.nodes.root_at(n as u64).unwrap(), want, "stored-node root at {n}");
        assert_eq!(verifier.root(), want, "verifier root at {n}");
        // A frontier persisted and restored from stored nodes continues identically.
        let rebuilt = Frontier::from_parts(
            n as u64,
            Frontier::node_ids(n as u64).map(|id| tongchou_ledger::NodeSource::node(&w.nodes, id.level, id.index).unwrap()).collect(),
        )
        .unwrap();
        assert_eq!(rebuilt, frontier);
    }
}

/// Which side each sibling of leaf `m` is on in a tree of `n` leaves, per the reference.
fn sides(m: usize, n: usize) -> Vec<bool> {
    Reference::sides(m, n)
}

#[test]
fn every_inclusion_proof_matches_the_reference_and_mutations_fail() {
    let mut w = world();
    let s = w.suite;
    let mut ambiguous_sizes = 0usize;
    for n in 1..=MAX {
        let root = h(w.reference.mth(0, n));
        for m in 0..n {
            let proof = prove_inclusion(s, &w.nodes, m as u64, n as u64).unwrap();
            let want: Vec<Hash> = w.reference.path(m, 0, n).into_iter().map(|(x, _)| h(x)).collect();
            assert_eq!(proof, want, "PATH({m}, D[{n}])");
            let leaf = w.leaves[m];
            let (mu, nu) = (m as u64, n as u64);
            verify_inclusion(s, mu, nu, &leaf, &proof, &root).unwrap();

            // The full mutation battery on every proof up to size 100, then on a sample (both
            // edges and every 7th index) so the suite stays quick in a debug build.
            if n > 100 && m > 2 && m + 3 < n && m % 7 != 0 {
                continue;
            }
            let rejects =
                |p: &[Hash], idx: u64, size: u64, leaf: &Hash, root: &Hash| verify_inclusion(s, idx, size, leaf, p, root).is_err();
            // Flip a bit of every element, of the leaf and of the root.
            for i in 0..proof.len() {
                let mut p = proof.clone();
                p[i] = flip(p[i], i * 37 + m);
                assert!(rejects(&p, mu, nu, &leaf, &root), "bit flip in proof[{i}] ({m}, {n})");
            }
            assert!(rejects(&proof, mu, nu, &flip(leaf, m), &root));
            assert!(rejects(&proof, mu, nu, &leaf, &flip(root, n)));
            // Truncate, extend, prepend.
            if !proof.is_empty() {
                let short = &proof[..proof.len() - 1];
                assert!(matches!(verify_inclusion(s, mu, nu, &leaf, short, &root), Err(VerifyError::ProofTooShort { .. })));
                assert!(rejects(&proof[1..], mu, nu, &leaf, &root));
            }
            let mut long = proof.clone();
            long.push(leaf);
            assert!(matches!(verify_inclusion(s, mu, nu, &leaf, &long, &root), Err(VerifyError::ProofTooLong { .. })));
            let mut pre = vec![root];
            pre.extend_from_slice(&proof);
            assert!(rejects(&pre, mu, nu, &leaf, &root));
            // Swap neighbours.
            for i in 1..proof.len() {
                let mut p = proof.clone();
                p.swap(i - 1, i);
                assert!(rejects(&p, mu, nu, &leaf, &root), "swap {i} ({m}, {n})");
            }
            // Wrong index.
            for other in [m.wrapping_sub(1), m + 1, m ^ 2] {
                if other < n && other != m {
                    assert!(rejects(&proof, other as u64, nu, &leaf, &root), "index {other} for ({m}, {n})");
                }
            }
            assert!(matches!(verify_inclusion(s, nu, nu, &leaf, &proof, &root), Err(VerifyError::IndexOutOfRange { .. })));
            // Wrong size: rejected unless the wrong size gives the very same path shape, in which
            // case RFC 6962 verification is, by construction, the same computation (the size is
            // authenticated by the signed head, not by the proof).
            for other in [n - 1, n + 1, 2 * n, n / 2] {
                if other <= m || other == n {
                    continue;
                }
                let same_shape = sides(m, other) == sides(m, n);
                ambiguous_sizes += usize::from(same_shape);
                assert_eq!(rejects(&proof, mu, other as u64, &leaf, &root), !same_shape, "size {other} for ({m}, {n})");
            }
        }
    }
    assert!(ambiguous_sizes > 0, "the shape rule was exercised");
}

fn consistency_pairs() -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for n in 1..=MAX {
        if n <= 64 {
            pairs.extend((1..=n).map(|m| (m, n)));
        } else {
            let mut ms = vec![1, 2, 3, n / 2, n - 2, n - 1, n];
            ms.extend((0..7).map(|p| 1 << p));
            ms.extend((1..=8).map(|i| (i * 7919 + n * 31) % n + 1));
            ms.sort_unstable();
            ms.dedup();
            pairs.extend(ms.into_iter().filter(|&m| m >= 1 && m <= n).map(|m| (m, n)));
        }
    }
    pairs
}

#[test]
fn consistency_proofs_match_the_reference_and_mutations_fail() {
    let mut w = world();
    let s = w.suite;
    let pairs = consistency_pairs();
    assert!(pairs.len() > 5000, "{} pairs", pairs.len());
    let mut ambiguous = 0usize;
    for (m, n) in pairs {
        let (mu, nu) = (m as u64, n as u64);
        let proof = prove_consistency(s, &w.nodes, mu, nu).unwrap();
        let want: Vec<Hash> = if m == n { Vec::new() } else { w.reference.proof(m, n).into_iter().map(h).collect() };
        assert_eq!(proof, want, "PROOF({m}, D[{n}])");
        let (r1, r2) = (h(w.reference.mth(0, m)), h(w.reference.mth(0, n)));
        verify_consistency(s, mu, nu, &proof, &r1, &r2).unwrap();
        let rejects = |p: &[Hash], a: u64, b: u64, x: &Hash, y: &Hash| verify_consistency(s, a, b, p, x, y).is_err();

        for i in 0..proof.len() {
            let mut p = proof.clone();
            p[i] = flip(p[i], i * 13 + n);
            assert!(rejects(&p, mu, nu, &r1, &r2), "bit flip proof[{i}] ({m}, {n})");
        }
        assert!(rejects(&proof, mu, nu, &flip(r1, 3), &r2));
        assert!(rejects(&proof, mu, nu, &r1, &flip(r2, 5)));
        assert!(rejects(&proof, mu, nu, &r2, &r1) || r1 == r2);
        if !proof.is_empty() {
            assert!(rejects(&proof[..proof.len() - 1], mu, nu, &r1, &r2));
            assert!(rejects(&proof[1..], mu, nu, &r1, &r2));
        }
        let mut long = proof.clone();
        long.push(r1);
        assert!(rejects(&long, mu, nu, &r1, &r2));
        for i in 1..proof.len() {
            if proof[i - 1] != proof[i] {
                let mut p = proof.clone();
                p.swap(i - 1, i);
                assert!(rejects(&p, mu, nu, &r1, &r2), "swap {i} ({m}, {n})");
            }
        }
        // Wrong sizes (the roots stay those of m and n): rejected unless the reference's SUBPROOF
        // takes the very same branches for them, in which case verification is the same
        // computation — the sizes are authenticated by the signed heads, not by the proof.
        for (a, b) in [(m + 1, n), (m - 1, n), (m, n + 1), (m, n - 1), (m * 2, n), (m, n * 2)] {
            if (a, b) == (m, n) {
                continue;
            }
            let same_shape = m < n && 0 < a && a < b && Reference::proof_shape(a, b) == Reference::proof_shape(m, n);
            ambiguous += usize::from(same_shape);
            assert_eq!(rejects(&proof, a as u64, b as u64, &r1, &r2), !same_shape, "sizes ({a}, {b}) for ({m}, {n})");
        }
    }
    assert!(ambiguous > 0, "the shape rule was exercised");
}

#[test]
fn inclusion_proof_lengths_match_the_reference() {
    let mut w = world();
    for n in 1..=MAX {
        for m in 0..n {
            assert_eq!(inclusion_proof_len(m as u64, n as u64).unwrap(), w.reference.path(m, 0, n).len());
        }
    }
}
