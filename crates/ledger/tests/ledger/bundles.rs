//! Tamper detection: bundles edited by hand, truncated and reordered logs, bad signatures, and the
//! streaming verifier the store uses.

use tongchou_ledger::{
    prove_consistency, root_of, verify_bundle, verify_bundle_with_key, verify_consistency, AuditEntry, Bundle, BundleError, EntryField,
    Hash, MemoryNodes, SignedTreeHead, SigningKey, StreamError, Suite, TreeHead, Verifier,
};

use crate::fixtures;

const HEADS: [u64; 4] = [10, 20, 37, 50];

fn sign_heads(key: &SigningKey, entries: &[AuditEntry], sizes: &[u64]) -> Vec<SignedTreeHead> {
    let s = key.suite();
    let leaves: Vec<Hash> = entries.iter().map(|e| e.leaf_hash(s)).collect();
    sizes
        .iter()
        .map(|&n| {
            key.sign(TreeHead {
                suite: s,
                tree_size: n,
                root: root_of(s, &leaves[..n as usize]),
                timestamp_ms: 1_800_000_000_000 + n as i64 * 1000,
            })
            .unwrap()
        })
        .collect()
}

fn bundle() -> (SigningKey, Bundle) {
    let key = fixtures::key(1);
    let entries = fixtures::entries(52);
    let heads = sign_heads(&key, &entries, &HEADS);
    let bundle = Bundle::new(&key.public_key(), entries, heads);
    (key, bundle)
}

fn err(b: &Bundle) -> BundleError {
    verify_bundle(b).expect_err("tampering must be detected")
}

/// Recomputes an entry's recorded leaf hash, as a careful forger would.
fn reseal(b: &mut Bundle, i: usize) {
    let s = b.suite;
    let e = &mut b.entries[i];
    e.leaf_hash = Some(e.entry.leaf_hash(s));
    e.at_utc = Some(tongchou_ledger::format_utc_ms(e.entry.at_ms));
}

#[test]
fn an_untouched_bundle_verifies_also_after_a_json_round_trip() {
    let (key, b) = bundle();
    let report = verify_bundle(&b).unwrap();
    assert_eq!(report.entries, 52);
    assert_eq!(report.heads_checked, 4);
    assert_eq!(report.verified_size, 50);
    assert_eq!(report.unsigned_tail(), 2);
    assert_eq!(report.latest_head.tree_size, 50);
    assert_eq!(report.public_key_fingerprint, key.public_key().fingerprint());
    let text = b.to_json_pretty();
    assert!(text.contains("同意立项"), "entries are readable");
    assert!(text.contains("\"at_utc\""));
    let back = Bundle::from_json(text.as_bytes()).unwrap();
    assert_eq!(back, b);
    assert_eq!(verify_bundle(&back).unwrap(), report);
    assert!(report.to_string().contains("verified entries: 0..50"));
    verify_bundle_with_key(&b, &key.public_key()).unwrap();
}

#[test]
fn an_edited_field_is_named_by_seq() {
    let (_, mut b) = bundle();
    b.entries[12].entry.after = "approved".into();
    match err(&b) {
        BundleError::Stream(StreamError::LeafMismatch { seq, .. }) => assert_eq!(seq, 12),
        other => panic!("{other}"),
    }
    assert_eq!(err(&b).seq(), Some(12));
    // A forger who also recomputes the leaf hash is caught by the signed root covering it.
    reseal(&mut b, 12);
    match err(&b) {
        BundleError::Stream(StreamError::HeadMismatch { tree_size, first_suspect, .. }) => assert_eq!((tree_size, first_suspect), (20, 10)),
        other => panic!("{other}"),
    }
    // Every field a person reads is covered.
    for field in 0..13 {
        let (_, mut b) = bundle();
        let e = &mut b.entries[3].entry;
        match field {
            0 => e.seq += 100,
            1 => e.at_ms += 1,
            2 => e.actor_id += 1,
            3 => e.actor.push('x'),
            4 => e.role.push('x'),
            5 => e.action.push('x'),
            6 => e.object_type.push('x'),
            7 => e.object_id.push('x'),
            8 => e.before.push('x'),
            9 => e.after.push('x'),
            10 => e.comment.push('。'),
            11 => e.client_addr.push('1'),
            _ => e.detail.push(' '),
        }
        let e = err(&b);
        assert_eq!(e.seq(), Some(3), "field {field}: {e}");
    }
}

#[test]
fn an_edited_readable_time_is_detected() {
    let (_, mut b) = bundle();
    b.entries[7].at_utc = Some("2027-01-01T00:00:00.000Z".into());
    assert!(matches!(err(&b), BundleError::TimeMismatch { seq: 7, .. }));
}

#[test]
fn deleting_the_last_entries_is_detected() {
    let (_, mut b) = bundle();
    b.entries.truncate(45);
    assert!(matches!(err(&b), BundleError::Stream(StreamError::Truncated { tree_size: 50, entries: 45 })));
    // Deleting the later heads too leaves a shorter but consistent log: the report shows the
    // latest head, which no longer matches the one an auditor already holds.
    b.tree_heads.retain(|h| h.head.tree_size <= 45);
    assert_eq!(verify_bundle(&b).unwrap().latest_head.tree_size, 37);
}

#[test]
fn a_rewritten_tail_fails_consistency_with_an_earlier_head() {
    // The auditor holds the signed head at 50. The operator deletes entries 45.. and appends new
    // ones; whatever the log then serves cannot be proven consistent with that head.
    let s = Suite::default();
    let honest = fixtures::entries(50);
    let held = root_of(s, &honest.iter().map(|e| e.leaf_hash(s)).collect::<Vec<_>>());
    let mut forged: Vec<AuditEntry> = honest[..45].to_vec();
    for seq in 45..60 {
        let mut e = fixtures::entry(seq);
        e.comment = "重写".into();
        forged.push(e);
    }
    let nodes = MemoryNodes::from_leaves(s, forged.iter().map(|e| e.leaf_hash(s)));
    let proof = prove_consistency(s, &nodes, 50, 60).unwrap();
    assert!(verify_consistency(s, 50, 60, &proof, &held, &nodes.root()).is_err());
}

#[test]
fn swapped_entries_are_detected() {
    let (_, mut b) = bundle();
    b.entries.swap(5, 6);
    assert!(matches!(err(&b), BundleError::Stream(StreamError::SeqGap { position: 5, found: 6 })));
    // Swapping the contents but keeping the seq numbers in order (and resealing) still fails.
    let (_, mut b) = bundle();
    let (s5, s6) = (b.entries[5].entry.seq, b.entries[6].entry.seq);
    b.entries.swap(5, 6);
    b.entries[5].entry.seq = s5;
    b.entries[6].entry.seq = s6;
    reseal(&mut b, 5);
    reseal(&mut b, 6);
    assert!(matches!(err(&b), BundleError::Stream(StreamError::HeadMismatch { tree_size: 10, .. })));
    // Without recorded leaf hashes at all, the signed roots alone catch it.
    for e in &mut b.entries {
        e.leaf_hash = None;
    }
    assert!(matches!(err(&b), BundleError::Stream(StreamError::HeadMismatch { tree_size: 10, .. })));
}

#[test]
fn bad_signatures_are_detected() {
    let (_, b) = bundle();
    let mut flipped = b.clone();
    flipped.tree_heads[1].signature[0] ^= 1;
    assert!(matches!(err(&flipped), BundleError::Stream(StreamError::BadSignature { tree_size: 20, .. })));
    // Re-labelling a head (size, root or time) breaks its signature.
    let mut resized = b.clone();
    resized.tree_heads[3].head.tree_size = 45;
    assert!(matches!(err(&resized), BundleError::Stream(StreamError::BadSignature { tree_size: 45, .. })));
    let mut rerooted = b.clone();
    rerooted.tree_heads[0].head.root = Hash([0; 32]);
    assert!(matches!(err(&rerooted), BundleError::Stream(StreamError::BadSignature { .. })));
    // A bundle re-signed with another key verifies only against that key.
    let other = fixtures::key(2);
    let entries: Vec<AuditEntry> = b.entries.iter().map(|e| e.entry.clone()).collect();
    let mut resigned = b.clone();
    resigned.tree_heads = sign_heads(&other, &entries, &HEADS);
    assert!(matches!(err(&resigned), BundleError::Stream(StreamError::BadSignature { .. })));
    resigned.public_key = other.public_key().to_base64();
    verify_bundle(&resigned).unwrap();
    assert!(matches!(verify_bundle_with_key(&resigned, &fixtures::key(1).public_key()), Err(BundleError::UntrustedKey { .. })));
}

#[test]
fn malformed_bundles_are_refused() {
    let (_, b) = bundle();
    let mut no_heads = b.clone();
    no_heads.tree_heads.clear();
    assert_eq!(err(&no_heads), BundleError::NoTreeHeads);
    let mut format = b.clone();
    format.format = "something-else/9".into();
    assert!(matches!(err(&format), BundleError::UnsupportedFormat(_)));
    let mut key = b.clone();
    key.public_key = "AAAA".into();
    assert!(matches!(err(&key), BundleError::PublicKey(_)));
    assert!(matches!(Bundle::from_json(b"{\"format\":1}"), Err(BundleError::Malformed(_))));
    // A field the verification does not cover must not ride along for people to read.
    let extra = b.to_json_pretty().replacen("\"comment\":", "\"comment_note\": \"已核实\",\n      \"comment\":", 1);
    match Bundle::from_json(extra.as_bytes()) {
        Err(BundleError::Malformed(m)) => assert!(m.contains("comment_note") && m.contains("entries[0]"), "{m}"),
        other => panic!("{other:?}"),
    }
    let extra = b.to_json_pretty().replacen("\"tree_size\":", "\"note\": 1, \"tree_size\":", 1);
    assert!(matches!(Bundle::from_json(extra.as_bytes()), Err(BundleError::Malformed(_))));
    let unknown_suite = b.to_json_pretty().replace("rfc6962-sha256-ed25519", "sm3-sm2");
    assert!(matches!(Bundle::from_json(unknown_suite.as_bytes()), Err(BundleError::Malformed(_))));
}

#[test]
fn streaming_verifier_reports_the_first_bad_seq() {
    // What `audit verify` does: stream rows, compare with the recorded leaf hash, check heads.
    let key = fixtures::key(1);
    let s = key.suite();
    let entries = fixtures::entries(100);
    let recorded: Vec<Hash> = entries.iter().map(|e| e.leaf_hash(s)).collect();
    let heads = sign_heads(&key, &entries, &[25, 50, 75, 100]);

    let mut v = Verifier::with_signed_heads(&key.public_key(), &heads).unwrap();
    assert_eq!(v.next_checkpoint(), Some(25));
    for (e, r) in entries.iter().zip(&recorded) {
        v.push_entry_recorded(e, r).unwrap();
    }
    let summary = v.finish().unwrap();
    assert_eq!((summary.entries, summary.heads_checked, summary.verified_size), (100, 4, 100));

    // A changed row is named, and `diff` against the recorded entry says what changed.
    let mut rows = entries.clone();
    rows[61].comment = "不同意".into();
    let mut v = Verifier::with_signed_heads(&key.public_key(), &heads).unwrap();
    let failure = rows.iter().zip(&recorded).find_map(|(e, r)| v.push_entry_recorded(e, r).err()).unwrap();
    assert!(matches!(failure, StreamError::LeafMismatch { seq: 61, .. }));
    let diff = rows[61].diff(&entries[61]);
    assert_eq!(diff.len(), 1);
    assert_eq!(diff[0].field, EntryField::Comment);

    // Streaming the encoded bytes (what a store may keep) gives the same roots.
    let mut v = Verifier::with_tree_heads(s, heads.iter().map(|h| h.head.clone())).unwrap();
    for e in &entries {
        v.push_encoded(&tongchou_ledger::encode(e)).unwrap();
    }
    assert_eq!(v.finish().unwrap().root, heads[3].head.root);

    // A head from a log one entry longer than the rows is a truncation.
    let short = &entries[..99];
    let mut v = Verifier::with_signed_heads(&key.public_key(), &heads).unwrap();
    for e in short {
        v.push_entry(e).unwrap();
    }
    assert!(matches!(v.finish(), Err(StreamError::Truncated { tree_size: 100, entries: 99 })));
}
