//! The 32-byte digest every suite produces.
//!
//! Both SHA-256 (the current suite) and SM3 (the planned 国密 suite) give 32 bytes, so a fixed
//! array keeps hashes `Copy`, comparable and allocation-free in the hot append/verify loops while
//! still leaving room for another suite.

use std::fmt;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Length in bytes of every tree hash.
pub const HASH_LEN: usize = 32;

/// A tree hash: a leaf hash, an interior node hash or a root.
///
/// In JSON it is a standard base64 string (with padding), as in the public RFC 6962 test vectors
/// and in Certificate Transparency, so proofs can be pasted between tools.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hash(pub [u8; HASH_LEN]);

/// A byte string that is not a valid hash (wrong length or not base64).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashParseError {
    /// The bytes decoded fine but are not [`HASH_LEN`] long.
    #[error("a hash has {got} bytes, expected {expected}", expected = HASH_LEN)]
    BadLength {
        /// The length that was supplied.
        got: usize,
    },
    /// The text is not standard base64.
    #[error("not valid base64: {0}")]
    Base64(String),
    /// The text is not hexadecimal.
    #[error("not valid hex: {0}")]
    Hex(String),
}

impl Hash {
    /// Wraps a byte slice, rejecting any length but [`HASH_LEN`].
    pub fn from_slice(bytes: &[u8]) -> Result<Self, HashParseError> {
        let arr: [u8; HASH_LEN] = bytes.try_into().map_err(|_| HashParseError::BadLength { got: bytes.len() })?;
        Ok(Hash(arr))
    }

    /// Parses standard base64 (the JSON form).
    pub fn from_base64(text: &str) -> Result<Self, HashParseError> {
        let bytes = B64.decode(text).map_err(|e| HashParseError::Base64(e.to_string()))?;
        Self::from_slice(&bytes)
    }

    /// Parses lowercase or uppercase hex (for command lines and database dumps).
    pub fn from_hex(text: &str) -> Result<Self, HashParseError> {
        let bytes = hex::decode(text).map_err(|e| HashParseError::Hex(e.to_string()))?;
        Self::from_slice(&bytes)
    }

    /// Standard base64 with padding.
    pub fn to_base64(&self) -> String {
        B64.encode(self.0)
    }

    /// Lowercase hex.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; HASH_LEN] {
        &self.0
    }
}

impl AsRef<[u8]> for Hash {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<[u8; HASH_LEN]> for Hash {
    fn from(value: [u8; HASH_LEN]) -> Self {
        Hash(value)
    }
}

/// Displays as base64, the same form the JSON uses, so a reason printed on stderr can be
/// compared by eye with the proof file.
impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

impl Serialize for Hash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Hash::from_base64(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_hex_round_trip() {
        let h = Hash([7; 32]);
        assert_eq!(Hash::from_base64(&h.to_base64()).unwrap(), h);
        assert_eq!(Hash::from_hex(&h.to_hex()).unwrap(), h);
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(serde_json::from_str::<Hash>(&json).unwrap(), h);
    }

    #[test]
    fn wrong_length_is_rejected() {
        assert_eq!(Hash::from_slice(&[0; 31]), Err(HashParseError::BadLength { got: 31 }));
        assert!(matches!(Hash::from_base64("ZG9uJ3QgY2FyZSAy"), Err(HashParseError::BadLength { got: 12 })));
        assert!(matches!(Hash::from_base64("***"), Err(HashParseError::Base64(_))));
    }
}
