//! The audit entry and its canonical byte encoding — the exact bytes that are leaf-hashed.
//!
//! The format is specified in the crate documentation and in `docs/ledger-encoding.md`; any
//! change to it is a new version byte, never an edit, because every past signed tree head
//! commits to these bytes.
//!
//! ```text
//! magic    4 bytes  "TCAE" (0x54 0x43 0x41 0x45)
//! version  1 byte   0x01
//! seq      u64 big-endian
//! at_ms    i64 big-endian (two's complement), Unix milliseconds UTC
//! actor_id i64 big-endian (two's complement), 0 = the system
//! then ten strings, each u32 big-endian byte length + that many UTF-8 bytes, in this order:
//!   actor, role, action, object_type, object_id, before, after, comment, client_addr, detail
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::hash::Hash;
use crate::suite::Suite;

/// First four bytes of every encoded entry.
pub const ENTRY_MAGIC: [u8; 4] = *b"TCAE";
/// The encoding version this crate writes and reads.
pub const ENTRY_VERSION: u8 = 1;
/// Bytes before the first string: magic, version, seq, at_ms, actor_id.
pub const ENTRY_HEADER_LEN: usize = 4 + 1 + 8 + 8 + 8;

/// One audit event (审计留痕): who did what to which object, when, and the state change.
///
/// All fields are owned so entries can be streamed from a database and moved between threads.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the ledger, 0-based and gap-free; equal to the leaf index.
    pub seq: u64,
    /// When it happened, Unix milliseconds UTC.
    pub at_ms: i64,
    /// Database id of the acting user; 0 = the system (jobs, migrations).
    pub actor_id: i64,
    /// The acting user's login name at the time.
    pub actor: String,
    /// The role the action was taken under.
    pub role: String,
    /// What was done (e.g. `application.submit`).
    pub action: String,
    /// Kind of object acted on (e.g. `project`).
    pub object_type: String,
    /// Which object (an opaque id or a code such as `2027-JYJ-0012`).
    pub object_id: String,
    /// Lifecycle state before the action; may be empty.
    pub before: String,
    /// Lifecycle state after the action; may be empty.
    pub after: String,
    /// The person's comment (审批意见 etc.); may be empty.
    pub comment: String,
    /// Client address as seen by the server; may be empty.
    pub client_addr: String,
    /// Extra detail as JSON text, stored and hashed byte for byte (not re-serialised); may be
    /// empty.
    pub detail: String,
}

/// Names of the entry fields, in encoding order, for diffs and error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryField {
    /// `seq`
    Seq,
    /// `at_ms`
    AtMs,
    /// `actor_id`
    ActorId,
    /// `actor`
    Actor,
    /// `role`
    Role,
    /// `action`
    Action,
    /// `object_type`
    ObjectType,
    /// `object_id`
    ObjectId,
    /// `before`
    Before,
    /// `after`
    After,
    /// `comment`
    Comment,
    /// `client_addr`
    ClientAddr,
    /// `detail`
    Detail,
}

impl EntryField {
    /// The ten string fields in encoding order.
    pub const STRINGS: [EntryField; 10] = [
        EntryField::Actor,
        EntryField::Role,
        EntryField::Action,
        EntryField::ObjectType,
        EntryField::ObjectId,
        EntryField::Before,
        EntryField::After,
        EntryField::Comment,
        EntryField::ClientAddr,
        EntryField::Detail,
    ];

    /// The field's name as in the struct and in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            EntryField::Seq => "seq",
            EntryField::AtMs => "at_ms",
            EntryField::ActorId => "actor_id",
            EntryField::Actor => "actor",
            EntryField::Role => "role",
            EntryField::Action => "action",
            EntryField::ObjectType => "object_type",
            EntryField::ObjectId => "object_id",
            EntryField::Before => "before",
            EntryField::After => "after",
            EntryField::Comment => "comment",
            EntryField::ClientAddr => "client_addr",
            EntryField::Detail => "detail",
        }
    }
}

impl fmt::Display for EntryField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One field that differs between two versions of an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDiff {
    /// Which field.
    pub field: EntryField,
    /// Its value in `self` (e.g. the readable row).
    pub ours: String,
    /// Its value in the other entry (e.g. the recorded canonical bytes).
    pub theirs: String,
}

impl fmt::Display for FieldDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is {:?} but the ledger recorded {:?}", self.field, self.ours, self.theirs)
    }
}

/// Bytes that are not a canonical encoding of an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The bytes do not start with [`ENTRY_MAGIC`].
    #[error("not a tongchou audit entry (magic bytes missing)")]
    BadMagic,
    /// A version this build does not understand.
    #[error("unsupported entry encoding version {0}")]
    UnsupportedVersion(u8),
    /// The bytes end inside a field.
    #[error("entry truncated inside field {0}")]
    Truncated(EntryField),
    /// A string field is not UTF-8.
    #[error("field {0} is not valid UTF-8")]
    InvalidUtf8(EntryField),
    /// Bytes after the last field: refused so that each entry has exactly one encoding.
    #[error("{0} unexpected bytes after the last field")]
    TrailingBytes(usize),
}

impl AuditEntry {
    fn strings(&self) -> [&str; 10] {
        [
            &self.actor,
            &self.role,
            &self.action,
            &self.object_type,
            &self.object_id,
            &self.before,
            &self.after,
            &self.comment,
            &self.client_addr,
            &self.detail,
        ]
    }

    fn string_mut(&mut self, field: EntryField) -> &mut String {
        match field {
            EntryField::Actor => &mut self.actor,
            EntryField::Role => &mut self.role,
            EntryField::Action => &mut self.action,
            EntryField::ObjectType => &mut self.object_type,
            EntryField::ObjectId => &mut self.object_id,
            EntryField::Before => &mut self.before,
            EntryField::After => &mut self.after,
            EntryField::Comment => &mut self.comment,
            EntryField::ClientAddr => &mut self.client_addr,
            EntryField::Detail => &mut self.detail,
            EntryField::Seq | EntryField::AtMs | EntryField::ActorId => {
                unreachable!("not a string field")
            }
        }
    }

    /// Length of [`encode`]'s output, without encoding.
    pub fn encoded_len(&self) -> usize {
        ENTRY_HEADER_LEN + self.strings().iter().map(|s| 4 + s.len()).sum::<usize>()
    }

    /// Appends the canonical encoding to `out` — lets a verifier reuse one buffer for millions
    /// of entries.
    ///
    /// # Panics
    /// If a string is 4 GiB or longer (it cannot be length-prefixed with a u32).
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        out.reserve(self.encoded_len());
        out.extend_from_slice(&ENTRY_MAGIC);
        out.push(ENTRY_VERSION);
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.at_ms.to_be_bytes());
        out.extend_from_slice(&self.actor_id.to_be_bytes());
        for s in self.strings() {
            let len = u32::try_from(s.len()).expect("an audit entry string must be below 4 GiB");
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        }
    }

    /// The leaf hash of this entry: `suite.leaf_hash(encode(self))`.
    pub fn leaf_hash(&self, suite: Suite) -> Hash {
        suite.leaf_hash(&encode(self))
    }

    /// Like [`AuditEntry::leaf_hash`] but reusing `buf` (cleared first) for the encoding.
    pub fn leaf_hash_with(&self, suite: Suite, buf: &mut Vec<u8>) -> Hash {
        buf.clear();
        self.encode_into(buf);
        suite.leaf_hash(buf)
    }

    /// The fields in which `self` and `other` differ, in encoding order — how `audit verify`
    /// says *what* was changed when a readable row no longer matches the recorded entry.
    pub fn diff(&self, other: &AuditEntry) -> Vec<FieldDiff> {
        let mut out = Vec::new();
        let mut num = |field, a: String, b: String| {
            if a != b {
                out.push(FieldDiff { field, ours: a, theirs: b });
            }
        };
        num(EntryField::Seq, self.seq.to_string(), other.seq.to_string());
        num(EntryField::AtMs, self.at_ms.to_string(), other.at_ms.to_string());
        num(EntryField::ActorId, self.actor_id.to_string(), other.actor_id.to_string());
        for ((field, a), b) in EntryField::STRINGS.iter().zip(self.strings()).zip(other.strings()) {
            if a != b {
                out.push(FieldDiff { field: *field, ours: a.to_owned(), theirs: b.to_owned() });
            }
        }
        out
    }
}

/// The canonical encoding of an entry (see the module documentation).
pub fn encode(entry: &AuditEntry) -> Vec<u8> {
    let mut out = Vec::with_capacity(entry.encoded_len());
    entry.encode_into(&mut out);
    out
}

/// Parses a canonical encoding. Strict: exactly one byte string decodes to each entry, so
/// `encode(decode(b)?) == b` always holds.
pub fn decode(bytes: &[u8]) -> Result<AuditEntry, DecodeError> {
    let mut r = Reader { bytes, pos: 0 };
    if r.take(4, EntryField::Seq).ok() != Some(&ENTRY_MAGIC[..]) {
        return Err(DecodeError::BadMagic);
    }
    let version = r.take(1, EntryField::Seq)?[0];
    if version != ENTRY_VERSION {
        return Err(DecodeError::UnsupportedVersion(version));
    }
    let mut entry = AuditEntry {
        seq: u64::from_be_bytes(r.array(EntryField::Seq)?),
        at_ms: i64::from_be_bytes(r.array(EntryField::AtMs)?),
        actor_id: i64::from_be_bytes(r.array(EntryField::ActorId)?),
        ..AuditEntry::default()
    };
    for field in EntryField::STRINGS {
        let len = u32::from_be_bytes(r.array(field)?) as usize;
        let raw = r.take(len, field)?;
        let text = std::str::from_utf8(raw).map_err(|_| DecodeError::InvalidUtf8(field))?;
        entry.string_mut(field).push_str(text);
    }
    if r.pos != bytes.len() {
        return Err(DecodeError::TrailingBytes(bytes.len() - r.pos));
    }
    Ok(entry)
}

/// The leaf hash of an already-encoded entry (what the store hashes when it holds the bytes).
pub fn leaf_hash(suite: Suite, encoded: &[u8]) -> Hash {
    suite.leaf_hash(encoded)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, field: EntryField) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or(DecodeError::Truncated(field))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self, field: EntryField) -> Result<[u8; N], DecodeError> {
        Ok(self.take(N, field)?.try_into().expect("took N bytes"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> AuditEntry {
        AuditEntry {
            seq: 1,
            at_ms: 1_700_000_000_000,
            actor_id: 42,
            actor: "zhangsan".into(),
            role: "reviewer".into(),
            action: "application.approve".into(),
            object_type: "project".into(),
            object_id: "2027-JYJ-0012".into(),
            before: "under_review".into(),
            after: "approved".into(),
            comment: "同意立项".into(),
            client_addr: "10.0.0.8".into(),
            detail: r#"{"amount_fen":1200000}"#.into(),
        }
    }

    #[test]
    fn golden_encoding_of_a_minimal_entry() {
        // Pinned bytes: docs/ledger-encoding.md shows the same example.
        let e = AuditEntry { seq: 1, at_ms: -1, actor_id: 0, action: "a".into(), ..AuditEntry::default() };
        let bytes = encode(&e);
        let mut want = b"TCAE\x01".to_vec();
        want.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1]);
        want.extend_from_slice(&[0xff; 8]);
        want.extend_from_slice(&[0; 8]);
        want.extend_from_slice(&[0; 8]); // actor, role empty
        want.extend_from_slice(&[0, 0, 0, 1, b'a']);
        want.extend_from_slice(&[0; 4 * 7]);
        assert_eq!(bytes, want);
        assert_eq!(bytes.len(), e.encoded_len());
        assert_eq!(decode(&bytes).unwrap(), e);
    }

    #[test]
    fn round_trip_and_strictness() {
        let e = sample();
        let bytes = encode(&e);
        assert_eq!(decode(&bytes).unwrap(), e);
        let mut extra = bytes.clone();
        extra.push(0);
        assert_eq!(decode(&extra), Err(DecodeError::TrailingBytes(1)));
        assert_eq!(decode(&bytes[..bytes.len() - 1]), Err(DecodeError::Truncated(EntryField::Detail)));
        assert_eq!(decode(b"XXXX"), Err(DecodeError::BadMagic));
        let mut v2 = bytes.clone();
        v2[4] = 2;
        assert_eq!(decode(&v2), Err(DecodeError::UnsupportedVersion(2)));
        let mut bad_utf8 = encode(&AuditEntry { actor: "x".into(), ..AuditEntry::default() });
        bad_utf8[ENTRY_HEADER_LEN + 4] = 0xff;
        assert_eq!(decode(&bad_utf8), Err(DecodeError::InvalidUtf8(EntryField::Actor)));
    }

    #[test]
    fn diff_names_the_changed_fields() {
        let a = sample();
        let mut b = a.clone();
        b.after = "rejected".into();
        b.at_ms += 1;
        let d = a.diff(&b);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].field, EntryField::AtMs);
        assert_eq!(d[1].field, EntryField::After);
        assert_eq!(d[1].to_string(), r#"after is "approved" but the ledger recorded "rejected""#);
    }
}
