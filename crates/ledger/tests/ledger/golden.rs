//! The worked examples of docs/ledger-encoding.md, pinned: if one of these fails, either the
//! code or the published specification is wrong, and past signed heads depend on both.

use tongchou_ledger::{encode, prove_inclusion, root_of, AuditEntry, Hash, MemoryNodes, SigningKey, Suite, TreeHead};

fn examples() -> [AuditEntry; 3] {
    let e0 = AuditEntry {
        seq: 0,
        at_ms: 1_800_000_000_000,
        actor_id: 7,
        actor: "li.na".into(),
        role: "reviewer".into(),
        action: "approval.approve".into(),
        object_type: "project".into(),
        object_id: "2027-JYJ-0012".into(),
        before: "under_review".into(),
        after: "approved".into(),
        comment: "同意".into(),
        client_addr: "10.0.0.8".into(),
        detail: "{}".into(),
    };
    let e1 = AuditEntry {
        seq: 1,
        at_ms: e0.at_ms + 60_000,
        action: "contract.sign".into(),
        before: "approved".into(),
        after: "contracted".into(),
        comment: String::new(),
        detail: String::new(),
        ..e0.clone()
    };
    let e2 = AuditEntry {
        seq: 2,
        at_ms: e1.at_ms + 60_000,
        actor_id: 0,
        actor: "system".into(),
        role: "system".into(),
        action: "warning.raise".into(),
        before: String::new(),
        after: String::new(),
        ..e1.clone()
    };
    [e0, e1, e2]
}

#[test]
fn documented_entry_bytes_leaf_hashes_and_root() {
    let s = Suite::default();
    let [e0, e1, e2] = examples();
    let bytes = encode(&e0);
    assert_eq!(bytes.len(), 154);
    assert_eq!(
        hex::encode(&bytes),
        concat!(
            "544341450100000000000000000000",
            "01a3185c50000000000000000007",
            "000000056c692e6e61",
            "000000087265766965776572",
            "00000010617070726f76616c2e617070726f7665",
            "0000000770726f6a656374",
            "0000000d323032372d4a594a2d30303132",
            "0000000c756e6465725f726576696577",
            "00000008617070726f766564",
            "00000006e5908ce6848f",
            "0000000831302e302e302e38",
            "000000027b7d"
        )
    );
    let leaves: Vec<Hash> = [&e0, &e1, &e2].iter().map(|e| e.leaf_hash(s)).collect();
    assert_eq!(leaves[0].to_hex(), "ab2b7b19cb722228e231626d4a6dee9b0044d2665aea1daa6992a519b050a654");
    assert_eq!(leaves[1].to_hex(), "f09b8e4249c818c2ede5af067d3d308f801effe4c0a2bc2b65788386110eca60");
    assert_eq!(leaves[2].to_hex(), "7837ff7da80f432561d0094febafd4e6b83e18ce19f4124ebcaaa4956927da4f");
    assert_eq!(s.node_hash(&leaves[0], &leaves[1]).to_hex(), "0ff1fb66a922951ee5ab3c10a23eaa220ca535503b8a8c2192ea931879c70365");
    let root = root_of(s, &leaves);
    assert_eq!(root.to_base64(), "A+KpfKSWXQPcKZKAE0Q8G/B1eHs9se5dVb3tnMU72F4=");
    let proof = prove_inclusion(s, &MemoryNodes::from_leaves(s, leaves.clone()), 2, 3).unwrap();
    assert_eq!(proof.len(), 1);
    assert_eq!(proof[0].to_base64(), "D/H7ZqkilR7lqzwQoj6qIgylNVA7iowhkuqTGHnHA2U=");
    assert_eq!(leaves[2].to_base64(), "eDf/fagPQyVh0AlP66/U5rg+GM4Z9BJOvKqklWkn2k8=");
}

#[test]
fn documented_signed_tree_head() {
    let s = Suite::default();
    let leaves: Vec<Hash> = examples().iter().map(|e| e.leaf_hash(s)).collect();
    let head = TreeHead { suite: s, tree_size: 3, root: root_of(s, &leaves), timestamp_ms: 1_800_000_300_000 };
    assert_eq!(
        hex::encode(head.signing_bytes()),
        "544354480116726663363936322d7368613235362d656432353531390000000000000003000001a31860e3e0\
         03e2a97ca4965d03dc29928013443c1bf075787b3db1ee5d55bded9cc53bd85e"
    );
    let key = SigningKey::from_base64(s, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").unwrap();
    assert_eq!(key.public_key().to_base64(), "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=");
    assert_eq!(key.public_key().fingerprint(), "56475aa7:5463474c:0285df5d:bf2bcab7");
    let sth = key.sign(head).unwrap();
    let json = serde_json::to_value(&sth).unwrap();
    assert_eq!(json["signature"], "Gn27A2ZgpSQn9v9Cg9YvLjaRV6j2mYQYltNRyKx33EJDLBejWaHnWAZWZuQFRRI+HpoAbrqrrBco6RghGVuUBg==");
    assert_eq!(json["suite"], "rfc6962-sha256-ed25519");
    assert_eq!(json["timestamp_ms"], 1_800_000_300_000i64);
    key.public_key().verify(&sth).unwrap();
}
