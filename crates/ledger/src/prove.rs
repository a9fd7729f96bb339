//! Proof generation for logs far larger than memory.
//!
//! Every hash an RFC 6962 proof contains is the root of a subtree. Those subtrees are either
//! *perfect* (2^level leaves, aligned) — which a store keeps as `(level, index, hash)` rows, the
//! rows [`Frontier::push_with`](crate::Frontier::push_with) reports — or they run along the
//! right edge of a tree whose size is not a power of two, in which case their hash is the fold of
//! at most 64 perfect subtrees. A [`ProofPlan`] lists, per proof element, the perfect nodes
//! needed; for any index and size that is O(log n) nodes in total.
//!
//! Two ways to use it:
//! * synchronous: implement [`NodeSource`] and call [`prove_inclusion`] / [`prove_consistency`] /
//!   [`root_at`];
//! * asynchronous (a database behind `sqlx`): build the plan with [`inclusion_plan`] /
//!   [`consistency_plan`] / [`root_plan`], fetch [`ProofPlan::node_ids`] in one query, then call
//!   [`ProofPlan::assemble`]. The pure crate stays free of any runtime that way.

use std::collections::HashMap;

use crate::frontier::{fold_right, Frontier, NodeId};
use crate::hash::Hash;
use crate::suite::Suite;

/// A proof that cannot be made for these sizes (independent of the stored data).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// Inclusion needs `index < size`.
    #[error("leaf index {index} is not below the tree size {size}")]
    IndexOutOfRange {
        /// Requested leaf index.
        index: u64,
        /// Requested tree size.
        size: u64,
    },
    /// Consistency needs `size1 <= size2`.
    #[error("first size {size1} is greater than second size {size2}")]
    SizeOrder {
        /// Requested first size.
        size1: u64,
        /// Requested second size.
        size2: u64,
    },
    /// Consistency from the empty tree is not defined (RFC 9162 requires `0 < first`).
    #[error("a consistency proof from the empty tree is not defined")]
    EmptyFirstTree,
}

/// Why a proof could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum ProveError<E> {
    /// The request itself is invalid.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The node source failed to supply a node.
    #[error("cannot read node {id}: {source}")]
    Source {
        /// The node that was asked for.
        id: NodeId,
        /// The source's error.
        source: E,
    },
}

/// Supplies hashes of perfect subtrees: `level` 0 are leaf hashes, `(level, index)` covers leaves
/// `index·2^level .. (index+1)·2^level`. Only nodes entirely inside the tree being proven are
/// ever asked for.
pub trait NodeSource {
    /// What the source reports when a node is unavailable.
    type Error;
    /// The hash of the perfect subtree at `(level, index)`.
    fn node(&self, level: u32, index: u64) -> Result<Hash, Self::Error>;
}

impl<T: NodeSource + ?Sized> NodeSource for &T {
    type Error = T::Error;
    fn node(&self, level: u32, index: u64) -> Result<Hash, Self::Error> {
        (**self).node(level, index)
    }
}

/// Which perfect nodes make up each hash of a proof (or a root). Element `i` of the proof is the
/// right fold of `elements[i]` (one node for a perfect subtree, several on the right edge).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofPlan {
    elements: Vec<Vec<NodeId>>,
}

impl ProofPlan {
    /// Number of hashes the assembled proof has.
    pub fn len(&self) -> usize {
        self.elements.len()
    }

    /// Whether the assembled proof is empty.
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }

    /// The perfect nodes each element is made of, in proof order.
    pub fn elements(&self) -> &[Vec<NodeId>] {
        &self.elements
    }

    /// Every distinct node to fetch (e.g. one `SELECT … WHERE (level, index) IN (…)`).
    pub fn node_ids(&self) -> Vec<NodeId> {
        let mut ids: Vec<NodeId> = self.elements.iter().flatten().copied().collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Builds the proof from fetched nodes; `fetch` is called once per node in
    /// [`ProofPlan::elements`] order.
    pub fn assemble<E>(&self, suite: Suite, mut fetch: impl FnMut(NodeId) -> Result<Hash, E>) -> Result<Vec<Hash>, ProveError<E>> {
        let mut out = Vec::with_capacity(self.elements.len());
        let mut parts = Vec::with_capacity(64);
        for element in &self.elements {
            parts.clear();
            for id in element {
                parts.push(fetch(*id).map_err(|source| ProveError::Source { id: *id, source })?);
            }
            out.push(fold_right(suite, &parts).expect("plan elements are never empty"));
        }
        Ok(out)
    }

    /// Builds the proof from a map of fetched nodes.
    pub fn assemble_from_map(&self, suite: Suite, nodes: &HashMap<NodeId, Hash>) -> Result<Vec<Hash>, ProveError<MissingNode>> {
        self.assemble(suite, |id| nodes.get(&id).copied().ok_or(MissingNode { level: id.level, index: id.index }))
    }
}

/// The perfect subtrees covering `[start, end)`, left to right. Callers only pass ranges whose
/// `start` is aligned to a power of two at least `end - start`, where the fold of these nodes
/// is the RFC 6962 subtree hash.
fn range_nodes(mut start: u128, end: u128) -> Vec<NodeId> {
    let mut out = Vec::new();
    while start < end {
        let align = if start == 0 { 127 } else { start.trailing_zeros() };
        let fit = 127 - (end - start).leading_zeros();
        let level = align.min(fit);
        out.push(NodeId::new(level, (start >> level) as u64));
        start += 1u128 << level;
    }
    out
}

/// The siblings on the path from the perfect node `(level, index)` up to the root of a tree of
/// `size` leaves, bottom-up. A level where the node has no sibling inside the tree (it is on the
/// right edge and gets promoted) contributes nothing — that is RFC 6962's PATH.
fn path_plan(level: u32, index: u64, size: u64, out: &mut Vec<Vec<NodeId>>) {
    let size = u128::from(size);
    let begin = u128::from(index) << level;
    let mut l = level;
    loop {
        let node = begin >> l;
        if node == 0 && (1u128 << l) >= size {
            break;
        }
        let sib_start = (node ^ 1) << l;
        if sib_start < size {
            let sib_end = (sib_start + (1u128 << l)).min(size);
            out.push(range_nodes(sib_start, sib_end));
        }
        l += 1;
    }
}

/// The plan of the inclusion proof of leaf `index` in the tree of `size` leaves.
pub fn inclusion_plan(index: u64, size: u64) -> Result<ProofPlan, RequestError> {
    if index >= size {
        return Err(RequestError::IndexOutOfRange { index, size });
    }
    let mut elements = Vec::new();
    path_plan(0, index, size, &mut elements);
    Ok(ProofPlan { elements })
}

/// The plan of the consistency proof from `size1` to `size2` (RFC 9162 §2.1.4.1): the last
/// perfect subtree of the first tree (omitted when the first tree is itself perfect, since the
/// verifier holds its root) followed by that subtree's path in the second tree.
pub fn consistency_plan(size1: u64, size2: u64) -> Result<ProofPlan, RequestError> {
    if size1 > size2 {
        return Err(RequestError::SizeOrder { size1, size2 });
    }
    if size1 == 0 {
        return Err(RequestError::EmptyFirstTree);
    }
    let mut elements = Vec::new();
    if size1 == size2 {
        return Ok(ProofPlan { elements });
    }
    let level = size1.trailing_zeros();
    let index = (size1 - 1) >> level;
    if index != 0 {
        elements.push(vec![NodeId::new(level, index)]);
    }
    path_plan(level, index, size2, &mut elements);
    Ok(ProofPlan { elements })
}

/// The plan of the root of the tree of `size` leaves: one element, the frontier nodes (empty for
/// the empty tree, whose root is [`Suite::empty_root`]).
pub fn root_plan(size: u64) -> ProofPlan {
    let nodes: Vec<NodeId> = Frontier::node_ids(size).collect();
    ProofPlan { elements: if nodes.is_empty() { Vec::new() } else { vec![nodes] } }
}

fn assemble_from<S: NodeSource>(plan: &ProofPlan, suite: Suite, source: &S) -> Result<Vec<Hash>, ProveError<S::Error>> {
    plan.assemble(suite, |id| source.node(id.level, id.index))
}

/// The inclusion proof of leaf `index` in the tree of `size` leaves, reading O(log n) nodes.
pub fn prove_inclusion<S: NodeSource>(suite: Suite, source: &S, index: u64, size: u64) -> Result<Vec<Hash>, ProveError<S::Error>> {
    assemble_from(&inclusion_plan(index, size)?, suite, source)
}

/// The consistency proof from `size1` to `size2`, reading O(log n) nodes.
pub fn prove_consistency<S: NodeSource>(suite: Suite, source: &S, size1: u64, size2: u64) -> Result<Vec<Hash>, ProveError<S::Error>> {
    assemble_from(&consistency_plan(size1, size2)?, suite, source)
}

/// The root of the tree of the first `size` leaves, reading at most 64 nodes.
pub fn root_at<S: NodeSource>(suite: Suite, source: &S, size: u64) -> Result<Hash, ProveError<S::Error>> {
    let proof = assemble_from(&root_plan(size), suite, source)?;
    Ok(proof.first().copied().unwrap_or_else(|| suite.empty_root()))
}

/// A node the source does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("node (level {level}, index {index}) is not stored")]
pub struct MissingNode {
    /// Its level.
    pub level: u32,
    /// Its index.
    pub index: u64,
}

/// Every perfect node of a log held in memory, level by level — the in-memory twin of the
/// store's node table, for tests, benchmarks and small tools.
#[derive(Debug, Clone)]
pub struct MemoryNodes {
    suite: Suite,
    levels: Vec<Vec<Hash>>,
}

impl MemoryNodes {
    /// An empty log.
    pub fn new(suite: Suite) -> Self {
        MemoryNodes { suite, levels: vec![Vec::new()] }
    }

    /// A log holding these leaf hashes.
    pub fn from_leaves(suite: Suite, leaves: impl IntoIterator<Item = Hash>) -> Self {
        let mut nodes = Self::new(suite);
        for leaf in leaves {
            nodes.push(leaf);
        }
        nodes
    }

    /// Appends a leaf hash and every perfect node it completes.
    pub fn push(&mut self, leaf: Hash) {
        self.levels[0].push(leaf);
        let mut level = 0;
        while self.levels[level].len() % 2 == 0 {
            let row = &self.levels[level];
            let parent = self.suite.node_hash(&row[row.len() - 2], &row[row.len() - 1]);
            if self.levels.len() == level + 1 {
                self.levels.push(Vec::new());
            }
            self.levels[level + 1].push(parent);
            level += 1;
        }
    }

    /// Stores a node reported by [`Frontier::push_with`] (rows must arrive in append order).
    pub fn insert(&mut self, id: NodeId, hash: Hash) {
        let level = id.level as usize;
        while self.levels.len() <= level {
            self.levels.push(Vec::new());
        }
        assert_eq!(self.levels[level].len() as u64, id.index, "nodes must be inserted in append order");
        self.levels[level].push(hash);
    }

    /// Number of leaves.
    pub fn len(&self) -> u64 {
        self.levels[0].len() as u64
    }

    /// Whether no leaf has been appended.
    pub fn is_empty(&self) -> bool {
        self.levels[0].is_empty()
    }

    /// The suite the nodes were hashed with.
    pub fn suite(&self) -> Suite {
        self.suite
    }

    /// The root of the first `size` leaves (`size <= len`).
    pub fn root_at(&self, size: u64) -> Result<Hash, MissingNode> {
        root_at(self.suite, self, size).map_err(|e| match e {
            ProveError::Source { source, .. } => source,
            ProveError::Request(_) => unreachable!("root_plan never fails"),
        })
    }

    /// The root of the whole log.
    pub fn root(&self) -> Hash {
        self.root_at(self.len()).expect("every frontier node of the full log is stored")
    }

    /// Total number of stored nodes (≈ 2n).
    pub fn node_count(&self) -> usize {
        self.levels.iter().map(Vec::len).sum()
    }
}

impl NodeSource for MemoryNodes {
    type Error = MissingNode;
    fn node(&self, level: u32, index: u64) -> Result<Hash, MissingNode> {
        self.levels
            .get(level as usize)
            .and_then(|row| usize::try_from(index).ok().and_then(|i| row.get(i)))
            .copied()
            .ok_or(MissingNode { level, index })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proof::{consistency_proof_len, inclusion_proof_len};
    use std::cell::Cell;

    /// Counts reads and answers any node with a fixed hash: enough to check the plan's size.
    struct Counting(Cell<usize>);
    impl NodeSource for Counting {
        type Error = std::convert::Infallible;
        fn node(&self, _: u32, _: u64) -> Result<Hash, Self::Error> {
            self.0.set(self.0.get() + 1);
            Ok(Hash([1; 32]))
        }
    }

    #[test]
    fn plans_have_rfc_lengths_and_log_reads_for_huge_trees() {
        let s = Suite::default();
        for &(index, size) in
            &[(0u64, 10_000_000u64), (9_999_999, 10_000_000), (4_321_987, 10_000_000), (12345, u64::MAX), (u64::MAX - 1, u64::MAX)]
        {
            let c = Counting(Cell::new(0));
            let proof = prove_inclusion(s, &c, index, size).unwrap();
            assert_eq!(proof.len(), inclusion_proof_len(index, size).unwrap());
            assert!(c.0.get() <= 2 * 64, "{} reads", c.0.get());
        }
        for &(a, b) in &[(1u64, 10_000_000u64), (9_999_999, 10_000_000), (3, u64::MAX)] {
            let c = Counting(Cell::new(0));
            let proof = prove_consistency(s, &c, a, b).unwrap();
            assert_eq!(proof.len(), consistency_proof_len(a, b).unwrap());
            assert!(c.0.get() <= 2 * 64 + 1);
        }
    }

    #[test]
    fn requests_are_validated() {
        assert_eq!(inclusion_plan(5, 5), Err(RequestError::IndexOutOfRange { index: 5, size: 5 }));
        assert_eq!(consistency_plan(6, 5), Err(RequestError::SizeOrder { size1: 6, size2: 5 }));
        assert_eq!(consistency_plan(0, 5), Err(RequestError::EmptyFirstTree));
        assert!(consistency_plan(5, 5).unwrap().is_empty());
    }

    #[test]
    fn memory_nodes_match_the_frontier_rows() {
        let s = Suite::default();
        let mut f = Frontier::new();
        let mut from_rows = MemoryNodes::new(s);
        let mut direct = MemoryNodes::new(s);
        for i in 0..100u64 {
            let leaf = s.leaf_hash(&i.to_be_bytes());
            f.push_with(s, leaf, |id, h| from_rows.insert(id, *h));
            direct.push(leaf);
            assert_eq!(direct.root(), f.root(s));
            assert_eq!(from_rows.root(), f.root(s));
        }
        assert_eq!(from_rows.node_count(), direct.node_count());
        let plan = inclusion_plan(37, 100).unwrap();
        let map: HashMap<NodeId, Hash> = plan.node_ids().into_iter().map(|id| (id, direct.node(id.level, id.index).unwrap())).collect();
        assert_eq!(plan.assemble_from_map(s, &map).unwrap(), prove_inclusion(s, &direct, 37, 100).unwrap());
        assert!(matches!(prove_inclusion(s, &MemoryNodes::new(s), 0, 2), Err(ProveError::Source { .. })));
    }
}
