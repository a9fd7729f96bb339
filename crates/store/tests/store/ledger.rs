//! The audit ledger in the database, on SQLite and PostgreSQL: every audit event is a ledger
//! entry; `verify_ledger` names the first entry changed, deleted or swapped with SQL; bundles
//! edited by hand fail; proofs read from stored nodes verify with the ledger crate.

use super::*;
use tongchou_ledger::{verify_consistency, verify_inclusion, Bundle, Frontier, SignedTreeHead};
use tongchou_store::ledger::SUITE;
use tongchou_store::Db;

async fn sql(store: &Store, q: &str) {
    match &*store.db {
        Db::Sqlite { write, .. } => sqlx::query(q).execute(write).await.map(|_| ()),
        Db::Pg(p) => sqlx::query(q).execute(p).await.map(|_| ()),
    }
    .unwrap_or_else(|e| panic!("{q}: {e}"));
}

fn event(i: u64) -> NewEvent {
    NewEvent {
        actor_id: 3,
        actor: "staff".into(),
        role: "dept_staff".into(),
        action: "application.submit".into(),
        object_type: "project".into(),
        object_id: (i % 7 + 1).to_string(),
        before: "draft".into(),
        after: "submitted".into(),
        comment: format!("第{i}次提交"),
        client_addr: ADDR.into(),
        detail: format!(r#"{{"i":{i}}}"#),
    }
}

/// Append `n` events: the first half one per transaction, the rest in one batch.
async fn fill(env: &Env, n: u64) {
    let store = &env.store;
    let start = store.ledger_size().await.unwrap();
    let half = n / 2;
    for i in start..start + half {
        let mut tx = store.begin().await.unwrap();
        tongchou_store::audit::append(&mut tx, store.now(), &event(i)).await.unwrap();
        tx.commit().await.unwrap();
    }
    let batch: Vec<(i64, NewEvent)> = (start + half..start + n).map(|i| (store.now(), event(i))).collect();
    let mut tx = store.begin().await.unwrap();
    let range = tongchou_store::audit::append_many(&mut tx, &batch).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(range, (start + half) as i64..(start + n) as i64);
}

async fn problem(store: &Store) -> tongchou_store::ledger::LedgerProblem {
    let report = store.verify_ledger(None).await.unwrap();
    let shown = format!("{report:?}");
    report.problem.unwrap_or_else(|| panic!("verify should fail: {shown}"))
}

async fn assert_ok(store: &Store) {
    let report = store.verify_ledger(None).await.unwrap();
    assert!(report.problem.is_none(), "{:?}", report.problem);
}

fn ledger_config() -> Config {
    let mut c = Config::default();
    c.ledger.sign_every_entries = 8;
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_every_event_is_an_entry_signed_and_verified() {
    on_both_with(ledger_config(), |env| async move {
        let store = &env.store;
        // Real audit events from the backbone become entries too.
        let o = org(store).await;
        let id = store.create_draft(&o.staff, ADDR, application("智慧教育平台", 120)).await.unwrap();
        let before = store.ledger_size().await.unwrap();
        assert!(before > 0);
        fill(&env, 30).await;
        let size = store.ledger_size().await.unwrap();
        assert_eq!(size, before + 30);
        // Signed every 8 entries inside the appending transaction, and on demand.
        let heads = store.tree_heads().await.unwrap();
        assert!(heads.len() >= 3, "{heads:?}");
        assert!(heads.windows(2).all(|w| w[0].head.tree_size < w[1].head.tree_size));
        let sth = store.sign_tree_head().await.unwrap();
        assert_eq!(sth.head.tree_size, size);
        assert_eq!(store.sign_tree_head().await.unwrap(), sth, "nothing new: the same head");
        store.public_key().verify(&sth).unwrap();
        assert_eq!(store.ledger_root_at(size).await.unwrap(), sth.head.root);
        let report = store.verify_ledger(None).await.unwrap();
        assert!(report.problem.is_none(), "{:?}", report.problem);
        assert_eq!((report.entries, report.verified_size), (size, size));
        assert!(report.nodes_checked >= size - 6);

        // Inclusion proofs for every entry against the signed head, consistency with each older head.
        for index in 0..size {
            let p = store.inclusion_proof(index, size).await.unwrap();
            assert_eq!(p.root, sth.head.root);
            verify_inclusion(SUITE, index, size, &p.leaf_hash, &p.proof, &sth.head.root).unwrap();
        }
        for old in &heads {
            let c = store.consistency_proof(old.head.tree_size, size).await.unwrap();
            verify_consistency(SUITE, old.head.tree_size, size, &c.proof, &old.head.root, &sth.head.root).unwrap();
        }
        // The project's history is in the trail and searchable.
        let (items, total) = store
            .search_audit(&tongchou_store::ledger::AuditQuery {
                object_type: Some("project".into()),
                object_id: Some(id.to_string()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(total >= 1 && items.iter().all(|e| e.object_id == id.to_string()));
        let (page, total) = store
            .search_audit(&tongchou_store::ledger::AuditQuery { page_size: Some(5), page: Some(2), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(total as u64, size);
        assert_eq!(page.len(), 5);
        assert_eq!(page[0].seq as u64, size - 6, "newest first");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_verify_names_the_entry_changed_with_sql() {
    on_both_with(ledger_config(), |env| async move {
        let store = &env.store;
        fill(&env, 40).await;
        store.sign_tree_head().await.unwrap();
        assert_ok(store).await;
        // Any readable column: each edit is named by seq, with the field.
        for (column, value, field) in [
            ("comment", "'已批准'", "comment"),
            ("actor", "'someone_else'", "actor"),
            ("at_ms", "at_ms + 1", "at_ms"),
            ("after_state", "'approved'", "after"),
            ("detail", "'{}'", "detail"),
            ("object_id", "'999'", "object_id"),
        ] {
            sql(store, &format!("UPDATE audit_events SET {column} = {value} WHERE seq = 17")).await;
            let p = problem(store).await;
            assert_eq!(p.seq, Some(17), "{column}: {p:?}");
            assert!(p.message.contains(field), "{column}: {}", p.message);
            assert!(p.object.as_deref().unwrap_or("").starts_with("project/"), "{p:?}");
            // Put it back from the recorded bytes: verify passes again.
            let e = tongchou_store::audit::to_entry(17, 0, &event(17));
            let orig = match column {
                "comment" => format!("'{}'", e.comment),
                "actor" => format!("'{}'", e.actor),
                "at_ms" => "at_ms - 1".into(),
                "after_state" => format!("'{}'", e.after),
                "detail" => format!("'{}'", e.detail),
                _ => format!("'{}'", e.object_id),
            };
            sql(store, &format!("UPDATE audit_events SET {column} = {orig} WHERE seq = 17")).await;
            assert_ok(store).await;
        }
        // A careful forger also rewrites the leaf hash: the signed head and the recorded bytes catch it.
        sql(store, "UPDATE audit_events SET comment = 'forged', leaf_hash = NULL WHERE seq = 21").await;
        let p = problem(store).await;
        assert_eq!(p.seq, Some(21), "{p:?}");
        assert!(p.message.contains("signed tree head"), "{}", p.message);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_swapped_entries_and_edited_nodes_are_detected() {
    on_both_with(ledger_config(), |env| async move {
        let store = &env.store;
        fill(&env, 24).await;
        store.sign_tree_head().await.unwrap();
        // Swap entries 5 and 9 (every column but seq, leaf hash included).
        sql(store, "UPDATE audit_events SET seq = -1 WHERE seq = 5").await;
        sql(store, "UPDATE audit_events SET seq = 5 WHERE seq = 9").await;
        sql(store, "UPDATE audit_events SET seq = 9 WHERE seq = -1").await;
        let p = problem(store).await;
        assert_eq!(p.seq, Some(5), "{p:?}");
        sql(store, "UPDATE audit_events SET seq = -1 WHERE seq = 5").await;
        sql(store, "UPDATE audit_events SET seq = 5 WHERE seq = 9").await;
        sql(store, "UPDATE audit_events SET seq = 9 WHERE seq = -1").await;
        assert_ok(store).await;
        // An interior node edited: proofs would not verify, and verify says so.
        sql(
            store,
            "UPDATE ledger_nodes SET hash = (SELECT hash FROM ledger_nodes WHERE level = 1 AND idx = 0) WHERE level = 1 AND idx = 3",
        )
        .await;
        let p = problem(store).await;
        assert!(p.message.contains("level 1"), "{}", p.message);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_deleting_the_last_entries_breaks_consistency_with_an_earlier_head() {
    on_both_with(ledger_config(), |env| async move {
        let store = &env.store;
        fill(&env, 18).await;
        let earlier: SignedTreeHead = store.sign_tree_head().await.unwrap();
        assert_eq!(earlier.head.tree_size, 18);
        // Deleting the tail: verify reports it.
        sql(store, "DELETE FROM audit_events WHERE seq >= 15").await;
        let p = problem(store).await;
        assert!(p.message.contains("deleted"), "{}", p.message);
        // A thorough forger rewinds the ledger to 15 entries and appends others in their place,
        // with a fresh signed head: the new tree is not an extension of the earlier signed head.
        sql(store, "DELETE FROM ledger_entries WHERE seq >= 15").await;
        sql(store, "DELETE FROM ledger_tree_heads").await;
        let ids: Vec<_> = Frontier::node_ids(15).collect();
        let nodes = store.ledger_nodes(&ids).await.unwrap();
        let frontier = Frontier::from_parts(15, ids.iter().map(|id| nodes[id]).collect()).unwrap();
        sql(store, "DELETE FROM ledger_nodes WHERE (idx + 1) * (1 << level) > 15").await;
        let hex: String = frontier.to_bytes().iter().map(|b| format!("{b:02x}")).collect();
        let literal = match env.backend {
            Backend::Sqlite => format!("X'{hex}'"),
            Backend::Postgres => format!("'\\x{hex}'::bytea"),
        };
        sql(store, &format!("UPDATE ledger_head SET size = 15, frontier = {literal} WHERE id = 1")).await;
        assert_ok(store).await;
        let mut tx = store.begin().await.unwrap();
        let forged: Vec<(i64, NewEvent)> = (15..22).map(|i| (store.now(), NewEvent { comment: "改写".into(), ..event(i) })).collect();
        tongchou_store::audit::append_many(&mut tx, &forged).await.unwrap();
        tx.commit().await.unwrap();
        let now = store.sign_tree_head().await.unwrap();
        assert_eq!(now.head.tree_size, 22);
        let c = store.consistency_proof(18, 22).await.unwrap();
        assert!(verify_consistency(SUITE, 18, 22, &c.proof, &earlier.head.root, &now.head.root).is_err());
        // A bundle that carries the earlier signed head does not verify; without it, it does.
        let bundle = store.export_bundle().await.unwrap();
        let mut with_earlier = bundle.clone();
        with_earlier.tree_heads.push(earlier.clone());
        assert!(tongchou_ledger::verify_bundle(&with_earlier).is_err());
        assert!(tongchou_ledger::verify_bundle(&bundle).is_ok());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_bundle_edited_by_hand_fails() {
    on_both_with(ledger_config(), |env| async move {
        let store = &env.store;
        fill(&env, 12).await;
        store.sign_tree_head().await.unwrap();
        let bundle = store.export_bundle().await.unwrap();
        let json = bundle.to_json_pretty();
        let report = tongchou_ledger::verify_bundle_with_key(&Bundle::from_json(json.as_bytes()).unwrap(), store.public_key()).unwrap();
        assert_eq!(report.entries, 12);
        let edited = json.replacen("第7次提交", "第7次提交(已撤回)", 1);
        assert_ne!(edited, json);
        let err = tongchou_ledger::verify_bundle(&Bundle::from_json(edited.as_bytes()).unwrap()).unwrap_err();
        assert_eq!(err.seq(), Some(7), "{err}");
        // Without the recorded leaf hashes the signed root still catches it.
        let mut b = Bundle::from_json(edited.as_bytes()).unwrap();
        b.entries.iter_mut().for_each(|e| e.leaf_hash = None);
        assert!(tongchou_ledger::verify_bundle(&b).is_err());
    })
    .await;
}
