//! The public RFC 6962 test vectors (transparency-dev/merkle `testdata/`, copied with their
//! licence into `tests/vectors/`) through `check_proof`, the function behind
//! `tongchou audit check-proof`.

use std::path::{Path, PathBuf};

use tongchou_ledger::{check_proof, CheckOutcome};

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn vectors() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut files = Vec::new();
    json_files(&root, &mut files);
    files.sort();
    files
}

#[test]
fn every_public_vector_gives_the_expected_outcome() {
    let files = vectors();
    assert_eq!(files.len(), 196, "all vectors are present");
    let (mut valid, mut invalid) = (0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let meta: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let want_err = meta["wantErr"].as_bool().expect("every vector has wantErr");
        let outcome = check_proof(&bytes);
        match (&outcome, want_err) {
            (CheckOutcome::Valid, false) => valid += 1,
            // A vector is always a well-formed file, so an error must be "invalid" (exit 1),
            // never "malformed" (exit 2).
            (CheckOutcome::Invalid(reason), true) => {
                assert!(!reason.is_empty());
                invalid += 1;
            }
            _ => failures.push(format!("{}: wantErr={want_err}, got {outcome:?}", path.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(valid >= 10 && invalid >= 150, "{valid} valid, {invalid} invalid");
}

#[test]
fn vector_reasons_say_what_is_wrong() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let reason = |p: &str| match check_proof(&std::fs::read(dir.join(p)).unwrap()) {
        CheckOutcome::Invalid(r) => r,
        other => panic!("{p}: {other:?}"),
    };
    assert!(reason("inclusion/single-entry/empty-leaf.json").contains("leafHash has 0 bytes"));
    assert!(reason("inclusion/1/leafIdx-plus-@1.json").contains("leads to root"));
    assert!(reason("inclusion/0/leafIdx-plus-@1.json").contains("leaf index 1 is not below the tree size 1"));
    assert!(reason("inclusion/1/removed-component.json").contains("too short"));
    assert!(reason("inclusion/1/inserted-component.json").contains("too long"));
    assert!(reason("inclusion/1/wrong-leaf.json").contains("leafHash has 9 bytes"));
    assert!(reason("consistency/additional/size1-is-greater-than-size2.json").contains("greater"));
    assert!(reason("consistency/1/truncated-proof.json").contains("too short"));
}

#[test]
fn missing_or_null_proof_is_an_empty_proof() {
    let root = "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=";
    for proof in ["", r#","proof":null"#, r#","proof":[]"#] {
        let file = format!(r#"{{"leafIdx":0,"treeSize":1,"root":"{root}","leafHash":"{root}"{proof}}}"#);
        assert_eq!(check_proof(file.as_bytes()), CheckOutcome::Valid, "{file}");
    }
    let outcome = check_proof(format!(r#"{{"leafIdx":0,"treeSize":1,"root":"{root}"}}"#).as_bytes());
    assert!(matches!(outcome, CheckOutcome::Malformed(_)));
    assert_eq!(outcome.exit_code(), 2);
    assert_eq!(check_proof(b"\xff\xfe not json").exit_code(), 2);
}
