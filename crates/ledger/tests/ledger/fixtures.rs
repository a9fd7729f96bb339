//! Realistic audit entries and keys.

use rand::SeedableRng;
use tongchou_ledger::{AuditEntry, SigningKey, Suite};

const ACTORS: [(&str, &str); 4] = [("zhang.wei", "applicant"), ("li.na", "reviewer"), ("wang.fang", "fgw_approver"), ("system", "system")];
const STEPS: [(&str, &str, &str); 5] = [
    ("application.submit", "draft", "submitted"),
    ("review.accept", "submitted", "under_review"),
    ("review.opinion", "under_review", "under_review"),
    ("approval.approve", "under_review", "approved"),
    ("contract.sign", "approved", "contracted"),
];
const COMMENTS: [&str; 4] = ["", "同意立项，请按期报送初步设计", "建议与市政务云平台统筹建设，避免重复投资", "预算核减 12.5 万元"];

/// Entry `seq` of a demo log: a few projects moving through their lifecycle.
pub fn entry(seq: u64) -> AuditEntry {
    let (actor, role) = ACTORS[(seq % 4) as usize];
    let (action, before, after) = STEPS[(seq % 5) as usize];
    AuditEntry {
        seq,
        at_ms: 1_800_000_000_000 + seq as i64 * 61_000,
        actor_id: if actor == "system" { 0 } else { 1 + (seq % 4) as i64 },
        actor: actor.into(),
        role: role.into(),
        action: action.into(),
        object_type: "project".into(),
        object_id: format!("2027-JYJ-{:04}", seq / 5 + 1),
        before: before.into(),
        after: after.into(),
        comment: COMMENTS[(seq % 4) as usize].into(),
        client_addr: format!("10.12.{}.{}", seq % 7, seq % 200),
        detail: format!(r#"{{"budget_fen":{},"department":"市教育局"}}"#, 1_250_000 * (seq + 1)),
    }
}

pub fn entries(n: u64) -> Vec<AuditEntry> {
    (0..n).map(entry).collect()
}

pub fn key(seed: u64) -> SigningKey {
    SigningKey::generate_with(Suite::default(), &mut rand::rngs::StdRng::seed_from_u64(seed))
}
