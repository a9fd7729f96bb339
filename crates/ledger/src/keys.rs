//! The log's signing key pair, per suite.
//!
//! Keys are tagged with their suite so a key can only sign heads of its own suite; import and
//! export go through PKCS#8 / SPKI PEM (what `openssl pkey` reads) or raw bytes in base64 (what
//! fits in an environment variable or a configuration file).

use std::fmt;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::Signer as _;
use rand::{CryptoRng, RngCore};

pub use zeroize::Zeroizing;

use crate::head::{SignedTreeHead, TreeHead};
use crate::suite::Suite;

/// A key that cannot be read, written or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Not parseable as a key of this suite.
    #[error("invalid {suite} key: {reason}")]
    Invalid {
        /// The suite the key was read for.
        suite: Suite,
        /// What was wrong.
        reason: String,
    },
    /// A key of one suite was asked to sign or verify a head of another.
    #[error("a {key} key cannot sign or verify a {head} tree head")]
    SuiteMismatch {
        /// The key's suite.
        key: Suite,
        /// The head's suite.
        head: Suite,
    },
}

/// Why a signed tree head does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The key and the head belong to different suites.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The signature is not valid for this key and head.
    #[error("the signature on the tree head of size {tree_size} is not valid for this public key")]
    Invalid {
        /// Size of the head that failed.
        tree_size: u64,
    },
}

#[derive(Clone)]
enum SecretInner {
    Ed25519(ed25519_dalek::SigningKey),
}

#[derive(Clone, PartialEq, Eq)]
enum PublicInner {
    Ed25519(ed25519_dalek::VerifyingKey),
}

/// The private key that signs tree heads. `Debug` never prints the secret.
#[derive(Clone)]
pub struct SigningKey {
    suite: Suite,
    inner: SecretInner,
}

/// The public key that verifies tree heads, published at `/api/v1/audit/public-key`.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    suite: Suite,
    inner: PublicInner,
}

fn invalid(suite: Suite, reason: impl fmt::Display) -> KeyError {
    KeyError::Invalid { suite, reason: reason.to_string() }
}

impl SigningKey {
    /// A fresh key from the operating system's random number generator.
    pub fn generate(suite: Suite) -> Self {
        Self::generate_with(suite, &mut rand::rngs::OsRng)
    }

    /// A fresh key from the given generator (deterministic keys for tests).
    pub fn generate_with<R: CryptoRng + RngCore>(suite: Suite, rng: &mut R) -> Self {
        match suite {
            Suite::Rfc6962Sha256Ed25519 => SigningKey { suite, inner: SecretInner::Ed25519(ed25519_dalek::SigningKey::generate(rng)) },
        }
    }

    /// The suite this key belongs to.
    pub fn suite(&self) -> Suite {
        self.suite
    }

    /// Reads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`).
    pub fn from_pkcs8_pem(suite: Suite, pem: &str) -> Result<Self, KeyError> {
        match suite {
            Suite::Rfc6962Sha256Ed25519 => ed25519_dalek::SigningKey::from_pkcs8_pem(pem)
                .map(|k| SigningKey { suite, inner: SecretInner::Ed25519(k) })
                .map_err(|e| invalid(suite, e)),
        }
    }

    /// Writes the key as PKCS#8 PEM; the string is wiped from memory when dropped.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        match &self.inner {
            SecretInner::Ed25519(k) => {
                k.to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF).map_err(|e| invalid(self.suite, e))
            }
        }
    }

    /// Reads the raw secret (the 32-byte Ed25519 seed) from standard base64.
    pub fn from_base64(suite: Suite, text: &str) -> Result<Self, KeyError> {
        let bytes = Zeroizing::new(B64.decode(text.trim()).map_err(|e| invalid(suite, e))?);
        match suite {
            Suite::Rfc6962Sha256Ed25519 => {
                let seed: &[u8; 32] =
                    bytes.as_slice().try_into().map_err(|_| invalid(suite, format!("a secret key has 32 bytes, got {}", bytes.len())))?;
                Ok(SigningKey { suite, inner: SecretInner::Ed25519(ed25519_dalek::SigningKey::from_bytes(seed)) })
            }
        }
    }

    /// The raw secret in standard base64; wiped from memory when dropped.
    pub fn to_base64(&self) -> Zeroizing<String> {
        match &self.inner {
            SecretInner::Ed25519(k) => Zeroizing::new(B64.encode(k.to_bytes())),
        }
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        match &self.inner {
            SecretInner::Ed25519(k) => PublicKey { suite: self.suite, inner: PublicInner::Ed25519(k.verifying_key()) },
        }
    }

    /// Signs a tree head of this key's suite.
    pub fn sign(&self, head: TreeHead) -> Result<SignedTreeHead, KeyError> {
        if head.suite != self.suite {
            return Err(KeyError::SuiteMismatch { key: self.suite, head: head.suite });
        }
        let msg = head.signing_bytes();
        let signature = match &self.inner {
            SecretInner::Ed25519(k) => k.sign(&msg).to_bytes().to_vec(),
        };
        Ok(SignedTreeHead { head, signature })
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey").field("suite", &self.suite).field("public_key", &self.public_key().to_base64()).finish_non_exhaustive()
    }
}

impl PublicKey {
    /// The suite this key belongs to.
    pub fn suite(&self) -> Suite {
        self.suite
    }

    /// The raw public key bytes (32 for Ed25519).
    pub fn to_bytes(&self) -> Vec<u8> {
        match &self.inner {
            PublicInner::Ed25519(k) => k.to_bytes().to_vec(),
        }
    }

    /// Reads raw public key bytes.
    pub fn from_bytes(suite: Suite, bytes: &[u8]) -> Result<Self, KeyError> {
        match suite {
            Suite::Rfc6962Sha256Ed25519 => {
                let arr: &[u8; 32] =
                    bytes.try_into().map_err(|_| invalid(suite, format!("a public key has 32 bytes, got {}", bytes.len())))?;
                let k = ed25519_dalek::VerifyingKey::from_bytes(arr).map_err(|e| invalid(suite, e))?;
                Ok(PublicKey { suite, inner: PublicInner::Ed25519(k) })
            }
        }
    }

    /// The raw key in standard base64 (the form bundles carry).
    pub fn to_base64(&self) -> String {
        B64.encode(self.to_bytes())
    }

    /// Reads [`PublicKey::to_base64`].
    pub fn from_base64(suite: Suite, text: &str) -> Result<Self, KeyError> {
        let bytes = B64.decode(text.trim()).map_err(|e| invalid(suite, e))?;
        Self::from_bytes(suite, &bytes)
    }

    /// SPKI PEM (`-----BEGIN PUBLIC KEY-----`), readable by `openssl pkey -pubin`.
    pub fn to_pem(&self) -> Result<String, KeyError> {
        match &self.inner {
            PublicInner::Ed25519(k) => {
                k.to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF).map_err(|e| invalid(self.suite, e))
            }
        }
    }

    /// Reads [`PublicKey::to_pem`].
    pub fn from_pem(suite: Suite, pem: &str) -> Result<Self, KeyError> {
        match suite {
            Suite::Rfc6962Sha256Ed25519 => ed25519_dalek::VerifyingKey::from_public_key_pem(pem)
                .map(|k| PublicKey { suite, inner: PublicInner::Ed25519(k) })
                .map_err(|e| invalid(suite, e)),
        }
    }

    /// A short fingerprint for people to compare over the phone or on paper: the suite's digest
    /// of the raw key bytes, hex, first 16 bytes in groups of four.
    pub fn fingerprint(&self) -> String {
        let digest = self.suite.digest(&self.to_bytes());
        digest.0[..16].chunks(4).map(hex::encode).collect::<Vec<_>>().join(":")
    }

    /// Verifies a signed tree head (Ed25519 in its strict form, which rejects malleable
    /// signatures and small-order keys).
    pub fn verify(&self, sth: &SignedTreeHead) -> Result<(), SignatureError> {
        if sth.head.suite != self.suite {
            return Err(KeyError::SuiteMismatch { key: self.suite, head: sth.head.suite }.into());
        }
        let bad = SignatureError::Invalid { tree_size: sth.head.tree_size };
        match &self.inner {
            PublicInner::Ed25519(k) => {
                let sig = ed25519_dalek::Signature::from_slice(&sth.signature).map_err(|_| bad.clone())?;
                k.verify_strict(&sth.head.signing_bytes(), &sig).map_err(|_| bad)
            }
        }
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({}, {})", self.suite, self.to_base64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::Hash;
    use rand::SeedableRng;

    fn key() -> SigningKey {
        SigningKey::generate_with(Suite::default(), &mut rand::rngs::StdRng::seed_from_u64(7))
    }

    fn head() -> TreeHead {
        TreeHead { suite: Suite::default(), tree_size: 10, root: Hash([3; 32]), timestamp_ms: 1_700_000_000_000 }
    }

    #[test]
    fn sign_and_verify() {
        let k = key();
        let sth = k.sign(head()).unwrap();
        assert_eq!(sth.signature.len(), 64);
        k.public_key().verify(&sth).unwrap();
        let mut forged = sth.clone();
        forged.head.tree_size = 9;
        assert_eq!(k.public_key().verify(&forged), Err(SignatureError::Invalid { tree_size: 9 }));
        let mut short = sth.clone();
        short.signature.pop();
        assert!(k.public_key().verify(&short).is_err());
        let other = SigningKey::generate(Suite::default());
        assert!(other.public_key().verify(&sth).is_err());
    }

    #[test]
    fn pem_and_base64_round_trips() {
        let k = key();
        let pem = k.to_pkcs8_pem().unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        let k2 = SigningKey::from_pkcs8_pem(Suite::default(), &pem).unwrap();
        assert_eq!(k2.public_key(), k.public_key());
        let k3 = SigningKey::from_base64(Suite::default(), &k.to_base64()).unwrap();
        assert_eq!(k3.public_key(), k.public_key());

        let pk = k.public_key();
        let pem = pk.to_pem().unwrap();
        assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert_eq!(PublicKey::from_pem(Suite::default(), &pem).unwrap(), pk);
        assert_eq!(PublicKey::from_base64(Suite::default(), &pk.to_base64()).unwrap(), pk);
        assert!(PublicKey::from_base64(Suite::default(), "AAAA").is_err());
        assert!(SigningKey::from_pkcs8_pem(Suite::default(), "garbage").is_err());
        assert_eq!(pk.fingerprint().len(), 35);
        assert!(!format!("{k:?}").contains(k.to_base64().as_str()));
    }
}
