//! Verification of inclusion and consistency proofs, exactly as RFC 9162 §2.1.3.2 and §2.1.4.2
//! describe them (RFC 6962 trees).
//!
//! Before running the RFC's loops we compute the length a correct proof must have (as the
//! reference Go implementation, transparency-dev/merkle, does) so a bad proof is reported as
//! "too short: 3 hashes, needs 5" rather than as an unexplained root mismatch. The loops themselves
//! are the RFC's, step for step, so a third party can compare them line by line.

use crate::hash::Hash;
use crate::suite::Suite;

/// Why a proof does not verify. The `Display` text is meant for a person (the CLI prints it on
/// stderr as the reason for exit code 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// Inclusion needs `index < size`.
    #[error("leaf index {index} is not below the tree size {size}")]
    IndexOutOfRange {
        /// Leaf index claimed.
        index: u64,
        /// Tree size claimed.
        size: u64,
    },
    /// A log only grows, so the first tree cannot be larger than the second.
    #[error("size1 ({size1}) is greater than size2 ({size2}); a log never shrinks")]
    SizeOrder {
        /// First (older) tree size.
        size1: u64,
        /// Second (newer) tree size.
        size2: u64,
    },
    /// RFC 9162 defines consistency proofs for `0 < size1`; every log extends the empty one, so
    /// such a "proof" would prove nothing and is refused rather than silently accepted.
    #[error("a consistency proof from the empty tree (size1 = 0) proves nothing")]
    EmptyFirstTree,
    /// Fewer hashes than a tree of this shape needs.
    #[error("proof too short: {got} hashes, but this tree shape needs exactly {expected}")]
    ProofTooShort {
        /// Hashes a correct proof has.
        expected: usize,
        /// Hashes supplied.
        got: usize,
    },
    /// More hashes than a tree of this shape needs.
    #[error("proof too long: {got} hashes, but this tree shape needs exactly {expected}")]
    ProofTooLong {
        /// Hashes a correct proof has.
        expected: usize,
        /// Hashes supplied.
        got: usize,
    },
    /// A hash of the wrong length (only from byte-level inputs such as proof files).
    #[error("{what} has {got} bytes, but a hash has {expected}", expected = crate::HASH_LEN)]
    BadHashLength {
        /// Which value, e.g. `root` or `proof[2]`.
        what: String,
        /// Its length.
        got: usize,
    },
    /// The proof leads to a different root than the one given.
    #[error("the proof leads to root {computed}, not to the expected root {expected}")]
    RootMismatch {
        /// The root that was supposed to be reached.
        expected: Hash,
        /// The root the proof actually leads to.
        computed: Hash,
    },
    /// The consistency proof does not reproduce the first (older) root, so it is not a proof
    /// about that tree.
    #[error("the proof does not reproduce the first root: it gives {computed}, expected {expected}")]
    FirstRootMismatch {
        /// root1 as given.
        expected: Hash,
        /// root1 as recomputed from the proof.
        computed: Hash,
    },
    /// Two trees of the same size must have the same root.
    #[error("both trees have size {size} but their roots differ")]
    RootsDiffer {
        /// The common size.
        size: u64,
    },
}

/// Number of hashes in an inclusion proof for `index` in a tree of `size` leaves (`index < size`):
/// the levels below the point where the paths to `index` and to the last leaf diverge, plus the
/// left siblings above it.
pub fn inclusion_proof_len(index: u64, size: u64) -> Result<usize, VerifyError> {
    if index >= size {
        return Err(VerifyError::IndexOutOfRange { index, size });
    }
    let (inner, border) = decompose_inclusion(index, size);
    Ok(inner + border)
}

/// Number of hashes in a consistency proof between sizes `size1 <= size2` (0 if equal).
pub fn consistency_proof_len(size1: u64, size2: u64) -> Result<usize, VerifyError> {
    if size1 > size2 {
        return Err(VerifyError::SizeOrder { size1, size2 });
    }
    if size1 == 0 {
        return Err(VerifyError::EmptyFirstTree);
    }
    if size1 == size2 {
        return Ok(0);
    }
    // The proof is the inclusion path of the last perfect subtree of tree 1 (height `shift`)
    // inside tree 2, preceded by that subtree's root unless tree 1 is itself perfect.
    let shift = size1.trailing_zeros() as usize;
    let (inner, border) = decompose_inclusion(size1 - 1, size2);
    let seed = usize::from(size1 != 1u64 << shift);
    Ok(seed + (inner - shift) + border)
}

fn decompose_inclusion(index: u64, size: u64) -> (usize, usize) {
    let inner = (64 - (index ^ (size - 1)).leading_zeros()) as usize;
    let border = index.checked_shr(inner as u32).unwrap_or(0).count_ones() as usize;
    (inner, border)
}

fn check_len(expected: usize, got: usize) -> Result<(), VerifyError> {
    use std::cmp::Ordering::*;
    match got.cmp(&expected) {
        Less => Err(VerifyError::ProofTooShort { expected, got }),
        Greater => Err(VerifyError::ProofTooLong { expected, got }),
        Equal => Ok(()),
    }
}

/// Recomputes the root that an inclusion proof leads to (RFC 9162 §2.1.3.2 steps 1–4).
pub fn root_from_inclusion_proof(suite: Suite, index: u64, size: u64, leaf: &Hash, proof: &[Hash]) -> Result<Hash, VerifyError> {
    check_len(inclusion_proof_len(index, size)?, proof.len())?;
    let (mut fnn, mut sn) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if sn == 0 {
            return Err(VerifyError::ProofTooLong { expected: inclusion_proof_len(index, size)?, got: proof.len() });
        }
        if fnn & 1 == 1 || fnn == sn {
            r = suite.node_hash(p, &r);
            if fnn & 1 == 0 {
                while fnn & 1 == 0 && fnn != 0 {
                    fnn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = suite.node_hash(&r, p);
        }
        fnn >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err(VerifyError::ProofTooShort { expected: inclusion_proof_len(index, size)?, got: proof.len() });
    }
    Ok(r)
}

/// Verifies that `leaf` is the leaf hash at `index` of the tree of `size` leaves with `root`
/// (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(suite: Suite, index: u64, size: u64, leaf: &Hash, proof: &[Hash], root: &Hash) -> Result<(), VerifyError> {
    let computed = root_from_inclusion_proof(suite, index, size, leaf, proof)?;
    if computed != *root {
        return Err(VerifyError::RootMismatch { expected: *root, computed });
    }
    Ok(())
}

/// Verifies that the tree of `size2` leaves with `root2` extends the tree of `size1` leaves with
/// `root1` (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and equal roots; `size1 = 0` is
/// refused (see [`VerifyError::EmptyFirstTree`]).
pub fn verify_consistency(suite: Suite, size1: u64, size2: u64, proof: &[Hash], root1: &Hash, root2: &Hash) -> Result<(), VerifyError> {
    let expected_len = consistency_proof_len(size1, size2)?;
    check_len(expected_len, proof.len())?;
    if size1 == size2 {
        return if root1 == root2 { Ok(()) } else { Err(VerifyError::RootsDiffer { size: size1 }) };
    }
    // Step 1: an empty path fails (unreachable after the length check, kept to mirror the RFC).
    if proof.is_empty() {
        return Err(VerifyError::ProofTooShort { expected: expected_len, got: 0 });
    }
    // Step 2: if size1 is a power of two its root is the first subtree and is not sent.
    let seeded;
    let path: &[Hash] = if size1.is_power_of_two() {
        seeded = std::iter::once(*root1).chain(proof.iter().copied()).collect::<Vec<_>>();
        &seeded
    } else {
        proof
    };
    // Steps 3–4.
    let (mut fnn, mut sn) = (size1 - 1, size2 - 1);
    while fnn & 1 == 1 {
        fnn >>= 1;
        sn >>= 1;
    }
    // Step 5.
    let (mut fr, mut sr) = (path[0], path[0]);
    // Step 6.
    for c in &path[1..] {
        if sn == 0 {
            return Err(VerifyError::ProofTooLong { expected: expected_len, got: proof.len() });
        }
        if fnn & 1 == 1 || fnn == sn {
            fr = suite.node_hash(c, &fr);
            sr = suite.node_hash(c, &sr);
            while fnn & 1 == 0 && fnn != 0 {
                fnn >>= 1;
                sn >>= 1;
            }
        } else {
            sr = suite.node_hash(&sr, c);
        }
        fnn >>= 1;
        sn >>= 1;
    }
    // Step 7.
    if sn != 0 {
        return Err(VerifyError::ProofTooShort { expected: expected_len, got: proof.len() });
    }
    if fr != *root1 {
        return Err(VerifyError::FirstRootMismatch { expected: *root1, computed: fr });
    }
    if sr != *root2 {
        return Err(VerifyError::RootMismatch { expected: *root2, computed: sr });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proof_lengths_of_small_trees() {
        // Tree of 7: leaf 6 has siblings (4..6) and (0..4).
        assert_eq!(inclusion_proof_len(6, 7).unwrap(), 2);
        assert_eq!(inclusion_proof_len(0, 7).unwrap(), 3);
        assert_eq!(inclusion_proof_len(0, 1).unwrap(), 0);
        assert!(inclusion_proof_len(1, 1).is_err());
        // RFC 6962 §2.1.3 examples: PROOF(3, D[7]) = [c, d, g, l]; PROOF(4, D[7]) = [l];
        // PROOF(6, D[7]) = [i, j, k].
        assert_eq!(consistency_proof_len(3, 7).unwrap(), 4);
        assert_eq!(consistency_proof_len(4, 7).unwrap(), 1);
        assert_eq!(consistency_proof_len(6, 7).unwrap(), 3);
        assert_eq!(consistency_proof_len(7, 7).unwrap(), 0);
        assert_eq!(consistency_proof_len(0, 7), Err(VerifyError::EmptyFirstTree));
        assert!(matches!(consistency_proof_len(8, 7), Err(VerifyError::SizeOrder { .. })));
    }

    #[test]
    fn extreme_sizes_do_not_overflow() {
        assert_eq!(inclusion_proof_len(0, u64::MAX).unwrap(), 64);
        assert_eq!(inclusion_proof_len(u64::MAX - 1, u64::MAX).unwrap(), 63);
        assert!(consistency_proof_len(1, u64::MAX).unwrap() > 0);
        assert!(consistency_proof_len(u64::MAX - 1, u64::MAX).unwrap() > 0);
    }
}
