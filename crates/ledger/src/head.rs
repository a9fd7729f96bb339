//! Tree heads (树头) and their signatures.
//!
//! A signed tree head is the log's commitment: "the first `tree_size` entries hash to `root`".
//! Anyone holding one can later demand an inclusion proof for any entry, or a consistency proof
//! to a newer head, and so detect any rewrite of history.

use serde::{Deserialize, Serialize};

use crate::hash::Hash;
use crate::suite::Suite;

/// First four bytes of the signed message, so a tree-head signature can never be confused with
/// a signature over anything else made with the same key.
pub const TREE_HEAD_MAGIC: [u8; 4] = *b"TCTH";
/// Version of the signing-bytes layout.
pub const TREE_HEAD_VERSION: u8 = 1;

/// The state of the log at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeHead {
    /// Hash and signature suite of the log.
    pub suite: Suite,
    /// Number of entries covered (entries `0..tree_size`).
    pub tree_size: u64,
    /// Merkle tree hash of those entries.
    pub root: Hash,
    /// When the head was made, Unix milliseconds UTC.
    pub timestamp_ms: i64,
}

impl TreeHead {
    /// The exact bytes that are signed:
    ///
    /// ```text
    /// "TCTH" | 0x01 | u8 length of suite id | suite id (ASCII)
    ///        | tree_size u64 BE | timestamp_ms i64 BE | root (32 bytes)
    /// ```
    ///
    /// The suite id is inside the signature so a head cannot be re-labelled with another suite.
    pub fn signing_bytes(&self) -> Vec<u8> {
        let id = self.suite.id().as_bytes();
        let mut out = Vec::with_capacity(4 + 1 + 1 + id.len() + 8 + 8 + 32);
        out.extend_from_slice(&TREE_HEAD_MAGIC);
        out.push(TREE_HEAD_VERSION);
        out.push(u8::try_from(id.len()).expect("suite ids are short"));
        out.extend_from_slice(id);
        out.extend_from_slice(&self.tree_size.to_be_bytes());
        out.extend_from_slice(&self.timestamp_ms.to_be_bytes());
        out.extend_from_slice(&self.root.0);
        out
    }
}

/// A tree head and the log key's signature over [`TreeHead::signing_bytes`].
///
/// JSON: the head's fields plus `"signature"` (standard base64).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedTreeHead {
    /// The signed head.
    #[serde(flatten)]
    pub head: TreeHead,
    /// Signature bytes (64 for Ed25519).
    #[serde(with = "crate::b64")]
    pub signature: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signing_bytes_layout() {
        let head = TreeHead { suite: Suite::default(), tree_size: 3, root: Hash([9; 32]), timestamp_ms: 1 };
        let b = head.signing_bytes();
        assert_eq!(&b[..5], b"TCTH\x01");
        assert_eq!(b[5] as usize, "rfc6962-sha256-ed25519".len());
        assert_eq!(&b[6..28], b"rfc6962-sha256-ed25519");
        assert_eq!(&b[28..36], &3u64.to_be_bytes());
        assert_eq!(&b[36..44], &1i64.to_be_bytes());
        assert_eq!(&b[44..], &[9; 32]);
    }
}
