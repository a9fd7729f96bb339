//! Self-contained export bundles: what an outside auditor verifies on their own machine with no
//! database and no server (`tongchou audit verify-bundle FILE`).
//!
//! A bundle holds the whole log prefix `0..n` as readable entries, the signed tree heads and the
//! public key. Verification recomputes the tree from the readable fields and checks every head,
//! so editing any field a person reads, deleting, inserting or reordering entries is detected
//! for every entry covered by a head. Each entry also carries the leaf hash recorded when it was
//! written, which lets the report name the exact entry that was edited (an editor would have to
//! recompute it, and then the signed roots still catch the change). What a bundle alone cannot
//! show is a log that was cut back *together with* its later heads: compare the latest head in
//! the report with one obtained earlier (a consistency proof from the server does this).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::entry::AuditEntry;
use crate::hash::Hash;
use crate::head::{SignedTreeHead, TreeHead};
use crate::keys::{KeyError, PublicKey};
use crate::suite::Suite;
use crate::verifier::{StreamError, Verifier};

/// The `format` value of bundles this crate writes and reads.
pub const BUNDLE_FORMAT: &str = "tongchou-ledger-bundle/1";

/// An exported log: see the module documentation. JSON, snake_case, hashes and keys in base64.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
    /// Always [`BUNDLE_FORMAT`].
    pub format: String,
    /// The log's suite.
    pub suite: Suite,
    /// The log's public key, raw bytes in standard base64.
    pub public_key: String,
    /// Signed tree heads, any order.
    pub tree_heads: Vec<SignedTreeHead>,
    /// Entries `0..n` in order.
    pub entries: Vec<BundleEntry>,
}

/// One entry as a person reads it, plus what helps to pinpoint a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleEntry {
    /// The entry's fields, exactly as hashed.
    #[serde(flatten)]
    pub entry: AuditEntry,
    /// `at_ms` as ISO 8601 UTC for people; when present it must agree with `at_ms`, so a reader
    /// cannot be misled by an edited readable time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_utc: Option<String>,
    /// The leaf hash recorded when the entry was written; optional (the signed roots alone
    /// already protect the entry), used to name the edited entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaf_hash: Option<Hash>,
}

impl BundleEntry {
    /// A bundle entry with its readable time and leaf hash filled in.
    pub fn new(suite: Suite, entry: AuditEntry) -> Self {
        BundleEntry { at_utc: Some(format_utc_ms(entry.at_ms)), leaf_hash: Some(entry.leaf_hash(suite)), entry }
    }
}

impl Bundle {
    /// Builds a bundle from the log's entries (in seq order, from 0) and its signed heads.
    pub fn new(public_key: &PublicKey, entries: impl IntoIterator<Item = AuditEntry>, tree_heads: Vec<SignedTreeHead>) -> Self {
        let suite = public_key.suite();
        Bundle {
            format: BUNDLE_FORMAT.to_owned(),
            suite,
            public_key: public_key.to_base64(),
            tree_heads,
            entries: entries.into_iter().map(|e| BundleEntry::new(suite, e)).collect(),
        }
    }

    /// Parses a bundle file. Unknown keys are refused: everything a person reads in a bundle
    /// must be something the verification covers, so an added `"comment_note"` cannot mislead.
    pub fn from_json(bytes: &[u8]) -> Result<Self, BundleError> {
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| BundleError::Malformed(e.to_string()))?;
        reject_unknown_keys(&value)?;
        serde_json::from_value(value).map_err(|e| BundleError::Malformed(e.to_string()))
    }

    /// Pretty JSON, one field per line, so an auditor can read and diff it.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a bundle always serialises")
    }
}

const BUNDLE_KEYS: &[&str] = &["format", "suite", "public_key", "tree_heads", "entries"];
const HEAD_KEYS: &[&str] = &["suite", "tree_size", "root", "timestamp_ms", "signature"];
const ENTRY_KEYS: &[&str] = &[
    "seq",
    "at_ms",
    "actor_id",
    "actor",
    "role",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "comment",
    "client_addr",
    "detail",
    "at_utc",
    "leaf_hash",
];

fn check_keys(value: &serde_json::Value, allowed: &[&str], place: &str) -> Result<(), BundleError> {
    if let Some(obj) = value.as_object() {
        if let Some(key) = obj.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(BundleError::Malformed(format!("unknown field {key:?} in {place}; a bundle may only carry verified fields")));
        }
    }
    Ok(())
}

fn reject_unknown_keys(value: &serde_json::Value) -> Result<(), BundleError> {
    check_keys(value, BUNDLE_KEYS, "the bundle")?;
    let items = |key: &str| value.get(key).and_then(|v| v.as_array()).map(|a| a.as_slice()).unwrap_or_default();
    for (i, head) in items("tree_heads").iter().enumerate() {
        check_keys(head, HEAD_KEYS, &format!("tree_heads[{i}]"))?;
    }
    for (i, entry) in items("entries").iter().enumerate() {
        check_keys(entry, ENTRY_KEYS, &format!("entries[{i}]"))?;
    }
    Ok(())
}

/// Why a bundle does not verify. Entry-level problems carry the seq and what differs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    /// Not a bundle (not JSON, missing fields, unknown suite…).
    #[error("not a valid bundle file: {0}")]
    Malformed(String),
    /// A bundle format this build does not read.
    #[error("unsupported bundle format {0:?} (expected {BUNDLE_FORMAT:?})")]
    UnsupportedFormat(String),
    /// The public key cannot be read.
    #[error("bundle public key: {0}")]
    PublicKey(KeyError),
    /// The bundle's key is not the key the auditor trusts.
    #[error("the bundle is signed with key {found}, not the trusted key {trusted}")]
    UntrustedKey {
        /// Fingerprint of the trusted key.
        trusted: String,
        /// Fingerprint of the bundle's key.
        found: String,
    },
    /// Without a signed tree head nothing in the bundle is authenticated.
    #[error("the bundle holds no signed tree head, so nothing in it can be verified")]
    NoTreeHeads,
    /// An entry's readable time disagrees with its `at_ms`.
    #[error("entry seq {seq}: the readable time {at_utc:?} does not match at_ms {at_ms} ({expected})")]
    TimeMismatch {
        /// The entry.
        seq: u64,
        /// Its `at_ms`.
        at_ms: i64,
        /// Its readable time as found.
        at_utc: String,
        /// What `at_ms` reads as.
        expected: String,
    },
    /// An entry, a head or the order of entries does not match.
    #[error(transparent)]
    Stream(#[from] StreamError),
}

impl BundleError {
    /// The seq of the first entry known to be wrong, when the error names one.
    pub fn seq(&self) -> Option<u64> {
        match self {
            BundleError::TimeMismatch { seq, .. } => Some(*seq),
            BundleError::Stream(StreamError::LeafMismatch { seq, .. }) => Some(*seq),
            BundleError::Stream(StreamError::SeqGap { position, .. }) => Some(*position),
            _ => None,
        }
    }
}

/// What a verified bundle proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleReport {
    /// The log's suite.
    pub suite: Suite,
    /// Fingerprint of the key that signed the heads (compare with the published one).
    pub public_key_fingerprint: String,
    /// Entries in the bundle.
    pub entries: u64,
    /// Signed tree heads checked (signature and root).
    pub heads_checked: usize,
    /// Entries `0..verified_size` are covered by a signed head and proven authentic.
    pub verified_size: u64,
    /// The latest (largest) signed head.
    pub latest_head: TreeHead,
    /// Root of all entries in the bundle.
    pub root: Hash,
}

impl BundleReport {
    /// Entries after the latest signed head: well-formed but not yet signed.
    pub fn unsigned_tail(&self) -> u64 {
        self.entries - self.verified_size
    }
}

impl fmt::Display for BundleReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "suite:            {}", self.suite)?;
        writeln!(f, "public key:       {}", self.public_key_fingerprint)?;
        writeln!(f, "entries:          {}", self.entries)?;
        writeln!(f, "tree heads:       {} verified", self.heads_checked)?;
        writeln!(
            f,
            "latest head:      size {}, root {}, at {}",
            self.latest_head.tree_size,
            self.latest_head.root,
            format_utc_ms(self.latest_head.timestamp_ms)
        )?;
        write!(f, "verified entries: 0..{} ({} later entries not yet covered by a signed head)", self.verified_size, self.unsigned_tail())
    }
}

/// Verifies a bundle against the public key it carries. The report's key fingerprint must be
/// compared with the published key; [`verify_bundle_with_key`] does that for you.
pub fn verify_bundle(bundle: &Bundle) -> Result<BundleReport, BundleError> {
    if bundle.format != BUNDLE_FORMAT {
        return Err(BundleError::UnsupportedFormat(bundle.format.clone()));
    }
    let key = PublicKey::from_base64(bundle.suite, &bundle.public_key).map_err(BundleError::PublicKey)?;
    let latest_head = bundle.tree_heads.iter().max_by_key(|h| h.head.tree_size).ok_or(BundleError::NoTreeHeads)?.head.clone();
    let mut verifier = Verifier::with_signed_heads(&key, &bundle.tree_heads)?;
    for be in &bundle.entries {
        if let Some(at_utc) = &be.at_utc {
            let expected = format_utc_ms(be.entry.at_ms);
            if *at_utc != expected {
                return Err(BundleError::TimeMismatch { seq: be.entry.seq, at_ms: be.entry.at_ms, at_utc: at_utc.clone(), expected });
            }
        }
        match &be.leaf_hash {
            Some(recorded) => verifier.push_entry_recorded(&be.entry, recorded)?,
            None => verifier.push_entry(&be.entry)?,
        };
    }
    let summary = verifier.finish()?;
    Ok(BundleReport {
        suite: bundle.suite,
        public_key_fingerprint: key.fingerprint(),
        entries: summary.entries,
        heads_checked: summary.heads_checked,
        verified_size: summary.verified_size,
        latest_head,
        root: summary.root,
    })
}

/// Verifies a bundle and that it is signed by `trusted` (the key the auditor obtained
/// independently, e.g. from `/api/v1/audit/public-key` or on paper).
pub fn verify_bundle_with_key(bundle: &Bundle, trusted: &PublicKey) -> Result<BundleReport, BundleError> {
    let found = PublicKey::from_base64(bundle.suite, &bundle.public_key).map_err(BundleError::PublicKey)?;
    if found != *trusted {
        return Err(BundleError::UntrustedKey { trusted: trusted.fingerprint(), found: found.fingerprint() });
    }
    verify_bundle(bundle)
}

/// Formats Unix milliseconds as ISO 8601 UTC with milliseconds, e.g.
/// `2023-11-14T22:13:20.000Z` (proleptic Gregorian calendar, no dependency on a time crate).
pub fn format_utc_ms(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, rest) = (in_day / 3_600_000, in_day % 3_600_000);
    let (min, rest) = (rest / 60_000, rest % 60_000);
    let (s, milli) = (rest / 1000, rest % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{milli:03}Z")
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_formatting() {
        assert_eq!(format_utc_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_utc_ms(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(format_utc_ms(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(format_utc_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(format_utc_ms(1_803_859_200_000), "2027-03-01T00:00:00.000Z");
    }
}
