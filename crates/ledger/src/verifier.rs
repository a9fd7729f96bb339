//! Streaming verification: feed entries in order, check every tree head as its size passes.
//!
//! This is the loop behind `tongchou audit verify`: the store streams rows from the database (a
//! reader thread can feed a hasher thread), and memory stays O(log n) however long the log is.

use std::collections::VecDeque;

use crate::entry::AuditEntry;
use crate::frontier::Frontier;
use crate::hash::Hash;
use crate::head::{SignedTreeHead, TreeHead};
use crate::keys::{PublicKey, SignatureError};
use crate::suite::Suite;

/// The first problem found while streaming a log, in log order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    /// Sequence numbers must be 0, 1, 2, … with no gap, duplicate or reordering.
    #[error("entry at position {position} has seq {found}: entries are missing, duplicated or out of order from here")]
    SeqGap {
        /// Where the entry sits in the stream (the seq it should have).
        position: u64,
        /// The seq it carries.
        found: u64,
    },
    /// The entry's fields no longer hash to the leaf hash recorded when it was written.
    #[error("entry seq {seq} does not match the leaf hash recorded when it was written ({recorded}); its fields were changed afterwards (they now hash to {computed})")]
    LeafMismatch {
        /// The entry.
        seq: u64,
        /// The leaf hash stored beside it.
        recorded: Hash,
        /// The hash of its current fields.
        computed: Hash,
    },
    /// The recomputed tree disagrees with a signed tree head.
    #[error("the first {tree_size} entries hash to {computed}, but the signed tree head says {expected}: an entry with seq in {first_suspect}..{tree_size} was changed, removed, inserted or reordered")]
    HeadMismatch {
        /// Size of the head.
        tree_size: u64,
        /// The head's root.
        expected: Hash,
        /// The recomputed root.
        computed: Hash,
        /// Size of the last head that did match (0 if none): entries before it are proven good.
        first_suspect: u64,
    },
    /// A tree head of another suite than the log's.
    #[error("a tree head of suite {found} in a {expected} log")]
    SuiteMismatch {
        /// The log's suite.
        expected: Suite,
        /// The head's suite.
        found: Suite,
    },
    /// A signed tree head whose signature does not verify.
    #[error("signed tree head of size {tree_size}: {source}")]
    BadSignature {
        /// Size of the head.
        tree_size: u64,
        /// Why.
        source: SignatureError,
    },
    /// The log ended before the size of a signed tree head.
    #[error("a signed tree head covers {tree_size} entries but the log ends after {entries}: entries were deleted from the end")]
    Truncated {
        /// Size of the head.
        tree_size: u64,
        /// Entries actually present.
        entries: u64,
    },
}

/// What a completed stream proved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamSummary {
    /// Entries consumed.
    pub entries: u64,
    /// Root of all of them.
    pub root: Hash,
    /// Tree heads checked.
    pub heads_checked: usize,
    /// Size of the largest head checked: entries `0..verified_size` are proven authentic.
    pub verified_size: u64,
}

/// Consumes leaves in order, maintaining the frontier, and checks each given tree head when the
/// log reaches its size.
#[derive(Debug, Clone)]
pub struct Verifier {
    suite: Suite,
    frontier: Frontier,
    pending: VecDeque<TreeHead>,
    heads_checked: usize,
    verified_size: u64,
    buf: Vec<u8>,
}

impl Verifier {
    /// A verifier with no checkpoints (ask [`Verifier::root`] yourself).
    pub fn new(suite: Suite) -> Self {
        Verifier {
            suite,
            frontier: Frontier::new(),
            pending: VecDeque::new(),
            heads_checked: 0,
            verified_size: 0,
            buf: Vec::with_capacity(512),
        }
    }

    /// A verifier that checks these (already trusted) heads as their sizes pass. A head of size
    /// 0 is checked at once against the empty root.
    pub fn with_tree_heads(suite: Suite, heads: impl IntoIterator<Item = TreeHead>) -> Result<Self, StreamError> {
        let mut v = Verifier::new(suite);
        let mut heads: Vec<TreeHead> = heads.into_iter().collect();
        if let Some(h) = heads.iter().find(|h| h.suite != suite) {
            return Err(StreamError::SuiteMismatch { expected: suite, found: h.suite });
        }
        heads.sort_by_key(|h| h.tree_size);
        v.pending = heads.into();
        v.check_heads()?;
        Ok(v)
    }

    /// Like [`Verifier::with_tree_heads`] but first verifies every head's signature with `key`.
    pub fn with_signed_heads<'a>(key: &PublicKey, heads: impl IntoIterator<Item = &'a SignedTreeHead>) -> Result<Self, StreamError> {
        let mut plain = Vec::new();
        for sth in heads {
            key.verify(sth).map_err(|source| StreamError::BadSignature { tree_size: sth.head.tree_size, source })?;
            plain.push(sth.head.clone());
        }
        Self::with_tree_heads(key.suite(), plain)
    }

    /// Consumes the next entry: checks that its seq is the next position, hashes its canonical
    /// encoding, appends it and checks any head at the new size. Returns the leaf hash.
    pub fn push_entry(&mut self, entry: &AuditEntry) -> Result<Hash, StreamError> {
        self.check_seq(entry.seq)?;
        let leaf = entry.leaf_hash_with(self.suite, &mut self.buf);
        self.push_leaf(leaf)?;
        Ok(leaf)
    }

    /// Like [`Verifier::push_entry`] but also compares with the leaf hash the store recorded at
    /// append time, which names the exact entry whose readable fields were edited.
    pub fn push_entry_recorded(&mut self, entry: &AuditEntry, recorded: &Hash) -> Result<Hash, StreamError> {
        self.check_seq(entry.seq)?;
        let computed = entry.leaf_hash_with(self.suite, &mut self.buf);
        if computed != *recorded {
            return Err(StreamError::LeafMismatch { seq: entry.seq, recorded: *recorded, computed });
        }
        self.push_leaf(computed)?;
        Ok(computed)
    }

    /// Consumes an already-encoded entry (the bytes the store keeps).
    pub fn push_encoded(&mut self, encoded: &[u8]) -> Result<Hash, StreamError> {
        let leaf = self.suite.leaf_hash(encoded);
        self.push_leaf(leaf)?;
        Ok(leaf)
    }

    /// Consumes the next leaf hash and checks any head at the new size.
    pub fn push_leaf(&mut self, leaf: Hash) -> Result<(), StreamError> {
        self.frontier.push(self.suite, leaf);
        self.check_heads()
    }

    fn check_seq(&self, seq: u64) -> Result<(), StreamError> {
        if seq != self.frontier.size() {
            return Err(StreamError::SeqGap { position: self.frontier.size(), found: seq });
        }
        Ok(())
    }

    fn check_heads(&mut self) -> Result<(), StreamError> {
        while self.pending.front().is_some_and(|h| h.tree_size == self.frontier.size()) {
            let head = self.pending.pop_front().expect("front exists");
            let computed = self.frontier.root(self.suite);
            if computed != head.root {
                return Err(StreamError::HeadMismatch {
                    tree_size: head.tree_size,
                    expected: head.root,
                    computed,
                    first_suspect: self.verified_size,
                });
            }
            self.heads_checked += 1;
            self.verified_size = head.tree_size;
        }
        Ok(())
    }

    /// Entries consumed so far.
    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    /// Root of the entries consumed so far (O(log n)).
    pub fn root(&self) -> Hash {
        self.frontier.root(self.suite)
    }

    /// The current frontier (e.g. to persist after a verified import).
    pub fn frontier(&self) -> &Frontier {
        &self.frontier
    }

    /// Size of the next head to be checked, if any: a progress bar or a batched reader can stop
    /// there.
    pub fn next_checkpoint(&self) -> Option<u64> {
        self.pending.front().map(|h| h.tree_size)
    }

    /// Heads checked so far.
    pub fn heads_checked(&self) -> usize {
        self.heads_checked
    }

    /// Ends the stream: any head larger than the log means entries were deleted from the end.
    pub fn finish(self) -> Result<StreamSummary, StreamError> {
        if let Some(h) = self.pending.front() {
            return Err(StreamError::Truncated { tree_size: h.tree_size, entries: self.frontier.size() });
        }
        Ok(StreamSummary {
            entries: self.frontier.size(),
            root: self.frontier.root(self.suite),
            heads_checked: self.heads_checked,
            verified_size: self.verified_size,
        })
    }
}
