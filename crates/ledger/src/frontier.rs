//! The compact range ("frontier") of a log: the roots of the perfect subtrees that make up its
//! first `size` leaves, one per set bit of `size`.
//!
//! Appending a leaf touches at most log₂(n) of them and the root is a fold over at most 64
//! hashes, so the writer never rehashes the log. The frontier is small (≤ 64 hashes) and
//! serialisable, so a store can persist it beside the head row, or rebuild it from the node
//! table with [`Frontier::node_ids`].

use serde::{Deserialize, Serialize};

use crate::hash::{Hash, HASH_LEN};
use crate::suite::Suite;

/// The position of a *perfect* subtree: `level` is its height (0 = a leaf) and `index` its
/// position from the left among the nodes of that level. It covers leaves
/// `index·2^level .. (index+1)·2^level`. This is the key of a stored `(level, index, hash)` row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NodeId {
    /// Height above the leaves (0 = leaf).
    pub level: u32,
    /// Position among the nodes of this level, from the left.
    pub index: u64,
}

impl NodeId {
    /// A node id.
    pub const fn new(level: u32, index: u64) -> Self {
        NodeId { level, index }
    }

    /// The first leaf this subtree covers.
    pub fn first_leaf(self) -> u128 {
        u128::from(self.index) << self.level
    }

    /// One past the last leaf this subtree covers.
    pub fn end_leaf(self) -> u128 {
        (u128::from(self.index) + 1) << self.level
    }
}

impl std::fmt::Display for NodeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "(level {}, index {})", self.level, self.index)
    }
}

/// A frontier that does not describe any tree (bad length or truncated bytes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontierError {
    /// A tree of `size` leaves has exactly `popcount(size)` perfect subtrees on its frontier.
    #[error("a frontier of a tree of size {size} holds {expected} hashes, found {found}")]
    WrongHashCount {
        /// Tree size claimed.
        size: u64,
        /// `popcount(size)`.
        expected: usize,
        /// Hashes supplied.
        found: usize,
    },
    /// The binary form is shorter than its fixed header or not a whole number of hashes.
    #[error("a serialised frontier has {0} bytes, which is not 8 + 32·k")]
    BadLength(usize),
}

/// The compact range `[0, size)` of a log: see the module documentation.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "FrontierRepr", into = "FrontierRepr")]
pub struct Frontier {
    size: u64,
    /// Roots of the perfect subtrees, left to right (largest first).
    hashes: Vec<Hash>,
}

#[derive(Serialize, Deserialize)]
struct FrontierRepr {
    size: u64,
    hashes: Vec<Hash>,
}

impl TryFrom<FrontierRepr> for Frontier {
    type Error = FrontierError;
    fn try_from(r: FrontierRepr) -> Result<Self, Self::Error> {
        Frontier::from_parts(r.size, r.hashes)
    }
}

impl From<Frontier> for FrontierRepr {
    fn from(f: Frontier) -> Self {
        FrontierRepr { size: f.size, hashes: f.hashes }
    }
}

impl Frontier {
    /// The frontier of the empty log.
    pub fn new() -> Self {
        Frontier::default()
    }

    /// Rebuilds a frontier from its size and subtree roots (left to right), checking that the
    /// count matches the size.
    pub fn from_parts(size: u64, hashes: Vec<Hash>) -> Result<Self, FrontierError> {
        let expected = size.count_ones() as usize;
        if hashes.len() != expected {
            return Err(FrontierError::WrongHashCount { size, expected, found: hashes.len() });
        }
        Ok(Frontier { size, hashes })
    }

    /// Number of leaves appended so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Roots of the perfect subtrees, left to right; they belong to [`Frontier::node_ids`] of
    /// the same size, position for position.
    pub fn hashes(&self) -> &[Hash] {
        &self.hashes
    }

    /// The perfect subtrees whose roots form the frontier of a tree of `size` leaves, left to
    /// right. A store that keeps every perfect node can rebuild the frontier from these rows.
    pub fn node_ids(size: u64) -> impl Iterator<Item = NodeId> {
        let mut start: u64 = 0;
        (0..64u32).rev().filter_map(move |level| {
            if size & (1u64 << level) == 0 {
                return None;
            }
            let id = NodeId::new(level, start >> level);
            start += 1u64 << level;
            Some(id)
        })
    }

    /// Appends one leaf hash.
    pub fn push(&mut self, suite: Suite, leaf: Hash) {
        self.push_with(suite, leaf, |_, _| {});
    }

    /// Appends one leaf hash and reports every perfect subtree this append completes — the leaf
    /// itself at level 0, then each parent it finishes — so a store can insert those
    /// `(level, index, hash)` rows in the same transaction as the entry. At most 64 calls.
    pub fn push_with(&mut self, suite: Suite, leaf: Hash, mut completed: impl FnMut(NodeId, &Hash)) {
        let mut index = self.size;
        let mut level = 0u32;
        let mut hash = leaf;
        completed(NodeId::new(level, index), &hash);
        // Each trailing 1-bit of the old size is a left sibling waiting on the frontier.
        while index & 1 == 1 {
            let left = self.hashes.pop().expect("frontier invariant: one hash per set bit of size");
            hash = suite.node_hash(&left, &hash);
            index >>= 1;
            level += 1;
            completed(NodeId::new(level, index), &hash);
        }
        self.hashes.push(hash);
        self.size = self.size.checked_add(1).expect("a ledger cannot exceed 2^64 - 1 entries");
    }

    /// Appends one leaf hash and returns the completed nodes (see [`Frontier::push_with`]).
    pub fn push_collect(&mut self, suite: Suite, leaf: Hash) -> Vec<(NodeId, Hash)> {
        let mut out = Vec::with_capacity(1 + self.size.trailing_ones() as usize);
        self.push_with(suite, leaf, |id, h| out.push((id, *h)));
        out
    }

    /// Appends many leaf hashes.
    pub fn extend(&mut self, suite: Suite, leaves: impl IntoIterator<Item = Hash>) {
        for leaf in leaves {
            self.push(suite, leaf);
        }
    }

    /// The Merkle tree hash of the leaves appended so far: the subtree roots folded from the
    /// right, `MTH = H(h₀ ‖ H(h₁ ‖ … H(hₖ₋₁ ‖ hₖ)))`, which is exactly RFC 6962's recursive
    /// split at the largest power of two.
    pub fn root(&self, suite: Suite) -> Hash {
        fold_right(suite, &self.hashes).unwrap_or_else(|| suite.empty_root())
    }

    /// Binary form for a database column: `size` as u64 big-endian, then the hashes in order.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + self.hashes.len() * HASH_LEN);
        out.extend_from_slice(&self.size.to_be_bytes());
        for h in &self.hashes {
            out.extend_from_slice(&h.0);
        }
        out
    }

    /// Parses [`Frontier::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, FrontierError> {
        if bytes.len() < 8 || (bytes.len() - 8) % HASH_LEN != 0 {
            return Err(FrontierError::BadLength(bytes.len()));
        }
        let (size, rest) = bytes.split_at(8);
        let size = u64::from_be_bytes(size.try_into().expect("8 bytes"));
        let hashes = rest.chunks_exact(HASH_LEN).map(|c| Hash(c.try_into().expect("chunk of HASH_LEN"))).collect();
        Frontier::from_parts(size, hashes)
    }
}

/// Folds subtree roots (left to right) into the root of their concatenation, right to left.
pub(crate) fn fold_right(suite: Suite, hashes: &[Hash]) -> Option<Hash> {
    let (last, rest) = hashes.split_last()?;
    Some(rest.iter().rev().fold(*last, |acc, left| suite.node_hash(left, &acc)))
}

/// The Merkle tree hash of a list of leaf hashes (a full recompute, O(n) time, O(log n) memory).
pub fn root_of(suite: Suite, leaves: &[Hash]) -> Hash {
    let mut f = Frontier::new();
    f.extend(suite, leaves.iter().copied());
    f.root(suite)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(i: u64) -> Hash {
        Suite::default().leaf_hash(&i.to_be_bytes())
    }

    #[test]
    fn completed_nodes_follow_trailing_ones() {
        let s = Suite::default();
        let mut f = Frontier::new();
        let mut all = Vec::new();
        for i in 0..8 {
            all.push(f.push_collect(s, leaf(i)));
        }
        let ids: Vec<Vec<NodeId>> = all.iter().map(|v| v.iter().map(|(id, _)| *id).collect()).collect();
        assert_eq!(ids[0], vec![NodeId::new(0, 0)]);
        assert_eq!(ids[1], vec![NodeId::new(0, 1), NodeId::new(1, 0)]);
        assert_eq!(ids[2], vec![NodeId::new(0, 2)]);
        assert_eq!(ids[7], vec![NodeId::new(0, 7), NodeId::new(1, 3), NodeId::new(2, 1), NodeId::new(3, 0)]);
        // The last completed node of a power-of-two size is the root.
        assert_eq!(all[7].last().unwrap().1, f.root(s));
    }

    #[test]
    fn node_ids_match_the_frontier() {
        let ids: Vec<_> = Frontier::node_ids(13).collect();
        assert_eq!(ids, vec![NodeId::new(3, 0), NodeId::new(2, 2), NodeId::new(0, 12)]);
        assert_eq!(Frontier::node_ids(0).count(), 0);
        assert_eq!(Frontier::node_ids(u64::MAX).count(), 64);
    }

    #[test]
    fn bytes_and_json_round_trip_and_validate() {
        let s = Suite::default();
        let mut f = Frontier::new();
        f.extend(s, (0..13).map(leaf));
        assert_eq!(Frontier::from_bytes(&f.to_bytes()).unwrap(), f);
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(serde_json::from_str::<Frontier>(&json).unwrap(), f);
        assert!(Frontier::from_bytes(&[0; 7]).is_err());
        let mut bad = f.to_bytes();
        bad.truncate(8 + 32);
        assert!(matches!(Frontier::from_bytes(&bad), Err(FrontierError::WrongHashCount { .. })));
        assert!(serde_json::from_str::<Frontier>(r#"{"size":3,"hashes":[]}"#).is_err());
    }

    #[test]
    fn empty_root() {
        let s = Suite::default();
        assert_eq!(Frontier::new().root(s), s.empty_root());
        assert_eq!(root_of(s, &[]), s.empty_root());
    }
}
