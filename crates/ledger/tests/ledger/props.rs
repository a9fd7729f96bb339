//! Property tests: append-then-prove round trips, encoding round trips, robustness of decoders.

use proptest::prelude::*;
use tongchou_ledger::{
    check_proof, decode, encode, prove_consistency, prove_inclusion, verify_consistency, verify_inclusion, AuditEntry, Frontier, Hash,
    MemoryNodes, Suite, Verifier,
};

fn arb_entry() -> impl Strategy<Value = AuditEntry> {
    let s = || ".{0,40}";
    (any::<u64>(), any::<i64>(), any::<i64>(), (s(), s(), s(), s(), s()), (s(), s(), s(), s(), s())).prop_map(
        |(seq, at_ms, actor_id, (actor, role, action, object_type, object_id), (before, after, comment, client_addr, detail))| AuditEntry {
            seq,
            at_ms,
            actor_id,
            actor,
            role,
            action,
            object_type,
            object_id,
            before,
            after,
            comment,
            client_addr,
            detail,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Append random leaves, then every proof requested for random (index, size) and
    /// (size1, size2) verifies against the roots the frontier reported at those sizes.
    #[test]
    fn append_then_prove(
        data in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..48), 1..600),
        picks in prop::collection::vec((any::<u64>(), any::<u64>()), 1..24),
    ) {
        let s = Suite::default();
        let mut frontier = Frontier::new();
        let mut nodes = MemoryNodes::new(s);
        let mut roots = vec![frontier.root(s)];
        let mut leaves = Vec::new();
        for d in &data {
            let leaf = s.leaf_hash(d);
            frontier.push_with(s, leaf, |id, h| nodes.insert(id, *h));
            leaves.push(leaf);
            roots.push(frontier.root(s));
        }
        let n = data.len() as u64;
        for (a, b) in picks {
            let size = 1 + b % n;
            let index = a % size;
            let proof = prove_inclusion(s, &nodes, index, size).unwrap();
            prop_assert!(verify_inclusion(s, index, size, &leaves[index as usize], &proof, &roots[size as usize]).is_ok());
            let size1 = 1 + a % size;
            let proof = prove_consistency(s, &nodes, size1, size).unwrap();
            prop_assert!(verify_consistency(s, size1, size, &proof, &roots[size1 as usize], &roots[size as usize]).is_ok());
        }
        // A frontier that went through its byte form carries on identically.
        let mut restored = Frontier::from_bytes(&frontier.to_bytes()).unwrap();
        let extra = s.leaf_hash(b"one more");
        restored.push(s, extra);
        frontier.push(s, extra);
        prop_assert_eq!(restored.root(s), frontier.root(s));
    }

    #[test]
    fn encode_decode_round_trip(entry in arb_entry()) {
        let bytes = encode(&entry);
        prop_assert_eq!(bytes.len(), entry.encoded_len());
        prop_assert_eq!(decode(&bytes).unwrap(), entry);
    }

    /// Decoding arbitrary bytes never panics, and whatever decodes re-encodes to the same bytes.
    #[test]
    fn decode_is_total_and_canonical(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(entry) = decode(&bytes) {
            prop_assert_eq!(encode(&entry), bytes);
        }
    }

    /// Different entries never share an encoding (so never share a leaf hash short of a
    /// SHA-256 collision).
    #[test]
    fn encoding_is_injective(a in arb_entry(), b in arb_entry()) {
        prop_assert_eq!(a == b, encode(&a) == encode(&b));
    }

    /// The streaming verifier agrees with the frontier for any split into checkpoints.
    #[test]
    fn verifier_checks_heads_at_any_size(n in 1u64..300, cut in any::<u64>()) {
        let s = Suite::default();
        let entries: Vec<AuditEntry> = (0..n).map(crate::fixtures::entry).collect();
        let leaves: Vec<Hash> = entries.iter().map(|e| e.leaf_hash(s)).collect();
        let at = 1 + cut % n;
        let head = tongchou_ledger::TreeHead {
            suite: s,
            tree_size: at,
            root: tongchou_ledger::root_of(s, &leaves[..at as usize]),
            timestamp_ms: 0,
        };
        let mut v = Verifier::with_tree_heads(s, [head]).unwrap();
        for e in &entries {
            v.push_entry(e).unwrap();
        }
        let summary = v.finish().unwrap();
        prop_assert_eq!(summary.verified_size, at);
        prop_assert_eq!(summary.root, tongchou_ledger::root_of(s, &leaves));
    }

    /// `check_proof` never panics on arbitrary input.
    #[test]
    fn check_proof_is_total(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = check_proof(&bytes);
    }
}
