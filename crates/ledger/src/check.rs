//! `tongchou audit check-proof FILE.json`: verify one proof given as JSON.
//!
//! The input uses the camelCase names of the public RFC 6962 test vectors
//! (transparency-dev/merkle `testdata/`), so those files can be fed in unchanged:
//!
//! * inclusion: `{"leafIdx": u64, "treeSize": u64, "root": b64, "leafHash": b64, "proof": [b64…]}`
//! * consistency: `{"size1": u64, "size2": u64, "root1": b64, "root2": b64, "proof": [b64…]}`
//!
//! A missing or `null` `proof` is an empty proof; other keys (`desc`, `wantErr`) are ignored.
//! Three outcomes, which the binary maps to exit codes: the proof verifies (0); it does not —
//! wrong root, a hash of the wrong length, index ≥ size, proof too short or too long… (1); the
//! file is not JSON, is not one of the two shapes, lacks a required field or has a value of the
//! wrong type, including text that is not base64 (2).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{Map, Value};

use crate::hash::Hash;
use crate::proof::{verify_consistency, verify_inclusion, VerifyError};
use crate::suite::Suite;

/// The result of checking a proof file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckOutcome {
    /// The proof verifies.
    Valid,
    /// The file is well-formed but the proof does not verify; the reason is for stderr.
    Invalid(String),
    /// The file is not a proof file; the reason is for stderr.
    Malformed(String),
}

impl CheckOutcome {
    /// The CLI's exit code: 0 valid, 1 invalid, 2 malformed.
    pub fn exit_code(&self) -> i32 {
        match self {
            CheckOutcome::Valid => 0,
            CheckOutcome::Invalid(_) => 1,
            CheckOutcome::Malformed(_) => 2,
        }
    }
}

/// Checks a proof file with the default suite (`rfc6962-sha256-ed25519`).
pub fn check_proof(bytes: &[u8]) -> CheckOutcome {
    check_proof_with(Suite::default(), bytes)
}

/// Checks a proof file with the given suite's hash.
pub fn check_proof_with(suite: Suite, bytes: &[u8]) -> CheckOutcome {
    match parse(bytes) {
        Err(reason) => CheckOutcome::Malformed(reason),
        Ok(proof) => match proof.verify(suite) {
            Ok(()) => CheckOutcome::Valid,
            Err(e) => CheckOutcome::Invalid(e.to_string()),
        },
    }
}

enum ProofFile {
    Inclusion { index: u64, size: u64, root: Vec<u8>, leaf: Vec<u8>, proof: Vec<Vec<u8>> },
    Consistency { size1: u64, size2: u64, root1: Vec<u8>, root2: Vec<u8>, proof: Vec<Vec<u8>> },
}

const INCLUSION_KEYS: [&str; 4] = ["leafIdx", "treeSize", "root", "leafHash"];
const CONSISTENCY_KEYS: [&str; 4] = ["size1", "size2", "root1", "root2"];

fn parse(bytes: &[u8]) -> Result<ProofFile, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(obj) = value else {
        return Err("the JSON is not an object".into());
    };
    let inclusion = INCLUSION_KEYS.iter().any(|k| obj.contains_key(*k));
    let consistency = CONSISTENCY_KEYS.iter().any(|k| obj.contains_key(*k));
    match (inclusion, consistency) {
        (true, false) => Ok(ProofFile::Inclusion {
            index: number(&obj, "leafIdx")?,
            size: number(&obj, "treeSize")?,
            root: bytes_field(&obj, "root")?,
            leaf: bytes_field(&obj, "leafHash")?,
            proof: proof_field(&obj)?,
        }),
        (false, true) => Ok(ProofFile::Consistency {
            size1: number(&obj, "size1")?,
            size2: number(&obj, "size2")?,
            root1: bytes_field(&obj, "root1")?,
            root2: bytes_field(&obj, "root2")?,
            proof: proof_field(&obj)?,
        }),
        (true, true) => Err("the file mixes inclusion and consistency fields".into()),
        (false, false) => Err("neither an inclusion proof (leafIdx, treeSize, root, leafHash) \
             nor a consistency proof (size1, size2, root1, root2)"
            .into()),
    }
}

fn present<'a>(obj: &'a Map<String, Value>, key: &str) -> Result<&'a Value, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Err(format!("missing required field {key:?}")),
        Some(v) => Ok(v),
    }
}

fn number(obj: &Map<String, Value>, key: &str) -> Result<u64, String> {
    present(obj, key)?.as_u64().ok_or_else(|| format!("field {key:?} is not a non-negative integer"))
}

fn decode_b64(text: &Value, what: &str) -> Result<Vec<u8>, String> {
    let s = text.as_str().ok_or_else(|| format!("{what} is not a base64 string"))?;
    B64.decode(s).map_err(|e| format!("{what} is not valid base64: {e}"))
}

fn bytes_field(obj: &Map<String, Value>, key: &str) -> Result<Vec<u8>, String> {
    decode_b64(present(obj, key)?, &format!("field {key:?}"))
}

fn proof_field(obj: &Map<String, Value>) -> Result<Vec<Vec<u8>>, String> {
    match obj.get("proof") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items.iter().enumerate().map(|(i, v)| decode_b64(v, &format!("proof[{i}]"))).collect(),
        Some(_) => Err("field \"proof\" is not an array".into()),
    }
}

fn hash(bytes: &[u8], what: &str) -> Result<Hash, VerifyError> {
    Hash::from_slice(bytes).map_err(|_| VerifyError::BadHashLength { what: what.to_owned(), got: bytes.len() })
}

fn hashes(items: &[Vec<u8>]) -> Result<Vec<Hash>, VerifyError> {
    items.iter().enumerate().map(|(i, b)| hash(b, &format!("proof[{i}]"))).collect()
}

impl ProofFile {
    fn verify(&self, suite: Suite) -> Result<(), VerifyError> {
        match self {
            ProofFile::Inclusion { index, size, root, leaf, proof } => {
                if index >= size {
                    return Err(VerifyError::IndexOutOfRange { index: *index, size: *size });
                }
                let leaf = hash(leaf, "leafHash")?;
                let root = hash(root, "root")?;
                verify_inclusion(suite, *index, *size, &leaf, &hashes(proof)?, &root)
            }
            ProofFile::Consistency { size1, size2, root1, root2, proof } => {
                let (size1, size2) = (*size1, *size2);
                if size1 > size2 {
                    return Err(VerifyError::SizeOrder { size1, size2 });
                }
                if size1 == 0 {
                    return Err(VerifyError::EmptyFirstTree);
                }
                if size1 == size2 {
                    // The only claim is "root1 = root2"; it holds or not whatever the bytes are,
                    // exactly as in the reference implementation and its public vectors
                    // (`sizes-are-equal-one-and-proof-is-empty` accepts two equal 12-byte roots).
                    if !proof.is_empty() {
                        return Err(VerifyError::ProofTooLong { expected: 0, got: proof.len() });
                    }
                    if root1 != root2 {
                        return Err(VerifyError::RootsDiffer { size: size1 });
                    }
                    return Ok(());
                }
                let root1 = hash(root1, "root1")?;
                let root2 = hash(root2, "root2")?;
                verify_consistency(suite, size1, size2, &hashes(proof)?, &root1, &root2)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_inputs() {
        for (input, why) in [
            (&b"not json"[..], "not JSON"),
            (b"[1,2]", "not an object"),
            (b"{}", "neither"),
            (br#"{"leafIdx":0,"treeSize":1,"root":"AA=="}"#, "leafHash"),
            (br#"{"leafIdx":-1,"treeSize":1,"root":"","leafHash":""}"#, "non-negative"),
            (br#"{"leafIdx":0,"treeSize":1,"root":"!!","leafHash":""}"#, "base64"),
            (br#"{"size1":1,"size2":2,"root1":"","root2":"","proof":"x"}"#, "array"),
            (br#"{"size1":1,"leafIdx":1}"#, "mixes"),
            (br#"{"size1":1,"size2":null,"root1":"","root2":""}"#, "size2"),
        ] {
            match check_proof(input) {
                CheckOutcome::Malformed(r) => assert!(r.contains(why), "{r}"),
                other => panic!("{input:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn reasons_are_readable() {
        let out = check_proof(br#"{"leafIdx":0,"treeSize":1,"root":"AA==","leafHash":"AA=="}"#);
        assert_eq!(out, CheckOutcome::Invalid("leafHash has 1 bytes, but a hash has 32".into()));
        assert_eq!(out.exit_code(), 1);
        let out = check_proof(br#"{"leafIdx":3,"treeSize":3,"root":"","leafHash":""}"#);
        assert_eq!(out, CheckOutcome::Invalid("leaf index 3 is not below the tree size 3".into()));
    }
}
