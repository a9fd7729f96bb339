//! The audit ledger over HTTP on SQLite and PostgreSQL: only auditors read the trail and proofs,
//! anyone reads the public key and tree head, and the proofs served verify with the ledger crate
//! against the signed tree head; the project page and /audit show verified marks.

use crate::{spawn_app, BACKENDS};
use tongchou_ledger::{verify_consistency, verify_inclusion, Hash, PublicKey, SignedTreeHead, Suite, TreeHead};

fn hash(v: &serde_json::Value) -> Hash {
    Hash::from_base64(v.as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn audit_api_proofs_verify_with_the_ledger_crate() {
    for backend in BACKENDS {
        let app = spawn_app(backend).await;
        let suite = Suite::Rfc6962Sha256Ed25519;
        let auditor = app.login("auditor").await;
        let staff = app.login("dept_staff").await;
        // Permissions.
        assert_eq!(app.get(&staff, "/api/v1/audit/entries").await.0, 403, "{backend:?}");
        assert_eq!(app.get(&staff, "/api/v1/audit/proofs/inclusion?index=0&tree_size=1").await.0, 403);
        let (s, entries) = app.get(&auditor, "/api/v1/audit/entries?object_type=project&page_size=200").await;
        assert_eq!(s, 200, "{entries}");
        assert!(entries["total"].as_i64().unwrap() > 0);
        assert!(entries["items"].as_array().unwrap().iter().all(|e| e["object_type"] == "project"));
        assert_eq!(app.get(&auditor, "/api/v1/audit/entries?page_size=201").await.0, 422);

        // The demo city's trail is signed on demand; the key and the head are public.
        let sth = app.store.sign_tree_head().await.unwrap();
        let key = reqwest::get(app.url("/api/v1/audit/public-key")).await.unwrap().json::<serde_json::Value>().await.unwrap();
        let key = PublicKey::from_base64(suite, key["public_key"].as_str().unwrap()).unwrap();
        let head = reqwest::get(app.url("/api/v1/audit/tree-head")).await.unwrap().json::<serde_json::Value>().await.unwrap();
        let size = head["tree_size"].as_u64().unwrap();
        assert_eq!(size, sth.head.tree_size);
        let signed = SignedTreeHead {
            head: TreeHead { suite, tree_size: size, root: hash(&head["root"]), timestamp_ms: head["timestamp_ms"].as_i64().unwrap() },
            signature: {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD.decode(head["signature"].as_str().unwrap()).unwrap()
            },
        };
        key.verify(&signed).unwrap();

        // Inclusion proofs served by the API lead to the signed root.
        for index in [0, 1, size / 2, size - 1] {
            let (s, p) = app.get(&auditor, &format!("/api/v1/audit/proofs/inclusion?index={index}&tree_size={size}")).await;
            assert_eq!(s, 200, "{p}");
            let proof: Vec<Hash> = p["proof"].as_array().unwrap().iter().map(hash).collect();
            verify_inclusion(suite, index, size, &hash(&p["leaf_hash"]), &proof, &signed.head.root).unwrap();
        }
        assert_eq!(app.get(&auditor, &format!("/api/v1/audit/proofs/inclusion?index={size}&tree_size={size}")).await.0, 422);
        let (s, c) = app.get(&auditor, &format!("/api/v1/audit/proofs/consistency?first={}&second={size}", size / 3)).await;
        assert_eq!(s, 200, "{c}");
        let proof: Vec<Hash> = c["proof"].as_array().unwrap().iter().map(hash).collect();
        verify_consistency(suite, size / 3, size, &proof, &hash(&c["first_root"]), &signed.head.root).unwrap();

        // Pages: the trail for the auditor, verified marks on a project's history.
        let cookie_of = |user: &'static str| {
            let app = &app;
            async move {
                let r = app
                    .http
                    .post(app.url("/api/v1/auth/login"))
                    .json(&serde_json::json!({"username": user, "password": "tongchou-demo"}))
                    .send()
                    .await
                    .unwrap();
                r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string()
            }
        };
        let page = app.http.get(app.url("/audit")).header("cookie", cookie_of("auditor").await).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let body = page.text().await.unwrap();
        assert!(body.contains("audit-table") && body.contains("ledger-ok"), "the auditor's page shows verified entries");
        let page = app.http.get(app.url("/audit")).header("cookie", cookie_of("dept_staff").await).send().await.unwrap();
        assert_eq!(page.status(), 403, "a department clerk does not read the audit trail");
        app.stop().await;
    }
}
