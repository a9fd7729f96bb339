//! `tongchou-ledger` is the tamper-evident audit ledger of tongchou (留痕可追溯): an append-only
//! RFC 6962 / RFC 9162 Merkle tree log of audit events with signed tree heads, inclusion and
//! consistency proofs, and self-contained bundles that an auditor verifies offline. It is a
//! **pure** crate — hashing, encoding, proofs and signatures only. It must never depend on a
//! database, an async runtime or a web framework (no sqlx, tokio or axum): `tongchou-store`
//! persists what this crate computes, and an outside auditor's verifier needs nothing else.
//!
//! # Pieces
//!
//! * [`Suite`] — the named hash + signature suite (`rfc6962-sha256-ed25519`), recorded in every
//!   tree head and bundle; the tree code only goes through it, so a 国密 `sm3-sm2` suite can be
//!   added without touching the tree, the storage format or the API shapes.
//! * [`Frontier`] — the compact range of perfect-subtree roots: O(log n) append, root at any
//!   time, serialisable; [`Frontier::push_with`] reports the `(level, index, hash)` rows a store
//!   keeps.
//! * [`NodeSource`], [`ProofPlan`], [`prove_inclusion`], [`prove_consistency`], [`root_at`] —
//!   proofs for any index and size of an arbitrarily large log from O(log n) stored nodes;
//!   [`MemoryNodes`] keeps them in memory.
//! * [`verify_inclusion`], [`verify_consistency`] — RFC 9162 §2.1.3.2 / §2.1.4.2, with typed
//!   reasons ([`VerifyError`]).
//! * [`AuditEntry`], [`encode`], [`decode`] — the canonical entry encoding (below).
//! * [`TreeHead`], [`SignedTreeHead`], [`SigningKey`], [`PublicKey`] — signed tree heads.
//! * [`Verifier`] — streaming verification of a log against its signed heads (`audit verify`).
//! * [`Bundle`], [`verify_bundle`] — offline export and verification (`audit verify-bundle`).
//! * [`check_proof`] — one proof file in the public test vectors' format (`audit check-proof`).
//!
//! # The tree (RFC 6962 §2.1)
//!
//! For the suite `rfc6962-sha256-ed25519`, with `‖` concatenation:
//!
//! * leaf hash: `SHA-256(0x00 ‖ entry_bytes)`, where `entry_bytes` is the canonical encoding;
//! * node hash: `SHA-256(0x01 ‖ left ‖ right)`;
//! * `MTH({}) = SHA-256("")`, `MTH({d0}) = leaf hash of d0`, and for `n > 1`, with `k` the largest
//!   power of two below `n`: `MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n]))`.
//!
//! Leaf `i` is the entry with `seq = i`.
//!
//! # Canonical entry encoding (version 1)
//!
//! The bytes that are leaf-hashed. All integers are big-endian and fixed width; signed integers
//! are two's complement; strings are a `u32` big-endian byte length followed by exactly that many
//! bytes of UTF-8, with no terminator, no normalisation (the bytes are hashed as stored) and no
//! escaping.
//!
//! | offset | size | field | meaning |
//! |---|---|---|---|
//! | 0 | 4 | magic | ASCII `TCAE` = `54 43 41 45` |
//! | 4 | 1 | version | `01` |
//! | 5 | 8 | `seq` | u64, 0-based, gap-free, equal to the leaf index |
//! | 13 | 8 | `at_ms` | i64, Unix time in milliseconds, UTC |
//! | 21 | 8 | `actor_id` | i64, user id, 0 = the system |
//! | 29 | 4+n | `actor` | string: login name |
//! | … | 4+n | `role` | string |
//! | … | 4+n | `action` | string |
//! | … | 4+n | `object_type` | string |
//! | … | 4+n | `object_id` | string |
//! | … | 4+n | `before` | string: lifecycle state before, may be empty |
//! | … | 4+n | `after` | string: lifecycle state after, may be empty |
//! | … | 4+n | `comment` | string, may be empty |
//! | … | 4+n | `client_addr` | string, may be empty |
//! | … | 4+n | `detail` | string: JSON text exactly as stored, may be empty |
//!
//! Nothing follows the last string. A decoder must reject a wrong magic or version, truncation,
//! invalid UTF-8 and trailing bytes, so every entry has exactly one encoding.
//!
//! # Signed tree heads
//!
//! The signature (Ed25519, RFC 8032, over the message itself) covers
//! `"TCTH" ‖ 0x01 ‖ u8 len(suite_id) ‖ suite_id ‖ tree_size (u64 BE) ‖ timestamp_ms (i64 BE) ‖
//! root (32 bytes)`. Verification uses Ed25519's strict form.
//!
//! The same specification, with worked examples, is in `docs/ledger-encoding.md`.
//!
//! # Example
//!
//! ```
//! use tongchou_ledger::*;
//!
//! let suite = Suite::default();
//! let key = SigningKey::generate(suite);
//! let mut frontier = Frontier::new();
//! let mut nodes = MemoryNodes::new(suite); // a store keeps these rows in a table instead
//! for seq in 0..5 {
//!     let entry = AuditEntry { seq, action: "application.submit".into(), ..Default::default() };
//!     frontier.push_with(suite, entry.leaf_hash(suite), |id, hash| nodes.insert(id, *hash));
//! }
//! let head = key
//!     .sign(TreeHead { suite, tree_size: 5, root: frontier.root(suite), timestamp_ms: 0 })
//!     .unwrap();
//! key.public_key().verify(&head).unwrap();
//!
//! let proof = prove_inclusion(suite, &nodes, 3, 5).unwrap();
//! let leaf = AuditEntry { seq: 3, action: "application.submit".into(), ..Default::default() }
//!     .leaf_hash(suite);
//! verify_inclusion(suite, 3, 5, &leaf, &proof, &head.head.root).unwrap();
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod b64;
mod bundle;
mod check;
mod entry;
mod frontier;
mod hash;
mod head;
mod keys;
mod proof;
mod prove;
mod suite;
mod verifier;

pub use bundle::{format_utc_ms, verify_bundle, verify_bundle_with_key, Bundle, BundleEntry, BundleError, BundleReport, BUNDLE_FORMAT};
pub use check::{check_proof, check_proof_with, CheckOutcome};
pub use entry::{decode, encode, leaf_hash, AuditEntry, DecodeError, EntryField, FieldDiff, ENTRY_HEADER_LEN, ENTRY_MAGIC, ENTRY_VERSION};
pub use frontier::{root_of, Frontier, FrontierError, NodeId};
pub use hash::{Hash, HashParseError, HASH_LEN};
pub use head::{SignedTreeHead, TreeHead, TREE_HEAD_MAGIC, TREE_HEAD_VERSION};
pub use keys::{KeyError, PublicKey, SignatureError, SigningKey, Zeroizing};
pub use proof::{consistency_proof_len, inclusion_proof_len, root_from_inclusion_proof, verify_consistency, verify_inclusion, VerifyError};
pub use prove::{
    consistency_plan, inclusion_plan, prove_consistency, prove_inclusion, root_at, root_plan, MemoryNodes, MissingNode, NodeSource,
    ProofPlan, ProveError, RequestError,
};
pub use suite::{Suite, UnknownSuite, LEAF_PREFIX, NODE_PREFIX};
pub use verifier::{StreamError, StreamSummary, Verifier};
