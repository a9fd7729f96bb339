//! The JSON API on both databases.

use crate::{application, spawn_app, App, BACKENDS};
use reqwest::Method;
use serde_json::{json, Value};

async fn count_projects(app: &App, token: &str) -> i64 {
    app.get(token, "/api/v1/projects?page_size=1").await.1["total"].as_i64().unwrap()
}

async fn audit_count(app: &App) -> i64 {
    app.store.audit_count().await.unwrap()
}

#[tokio::test]
async fn sign_in_and_errors_in_the_callers_language() {
    for backend in BACKENDS {
        let app = spawn_app(backend).await;
        // no credentials
        let r = app.http.get(app.url("/api/v1/projects")).send().await.unwrap();
        assert_eq!(r.status(), 401);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "unauthenticated");
        assert!(body["message"].as_str().unwrap().contains("登录"), "{body}");
        let r = app.http.get(app.url("/api/v1/projects")).header("accept-language", "en-US,en;q=0.9").send().await.unwrap();
        let body: Value = r.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains("Sign in"), "{body}");
        // a good login gives a token and a session cookie
        let r = app
            .http
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": "reviewer", "password": "tongchou-demo"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["user"]["roles"], json!(["reviewer"]));
        // wrong password: 401, no hint whether the user exists
        let r = app.http.post(app.url("/api/v1/auth/login")).json(&json!({"username": "nobody", "password": "x"})).send().await.unwrap();
        assert_eq!(r.status(), 401);
        // malformed bodies
        let r =
            app.http.post(app.url("/api/v1/auth/login")).header("content-type", "application/json").body("{not json").send().await.unwrap();
        assert_eq!(r.status(), 400);
        assert_eq!(r.json::<Value>().await.unwrap()["code"], "bad_request");
        let r = app.http.post(app.url("/api/v1/auth/login")).header("content-type", "text/plain").body("x").send().await.unwrap();
        assert_eq!(r.status(), 415);
        assert_eq!(r.json::<Value>().await.unwrap()["code"], "unsupported_media_type");
        // a bearer token works; a revoked personal token stops working
        let token = app.login("dept_staff").await;
        let (s, t) = app.post(&token, "/api/v1/me/tokens", json!({"name": "数据对接"})).await;
        assert_eq!(s, 201, "{t}");
        let api_token = t["token"].as_str().unwrap().to_string();
        assert_eq!(app.get(&api_token, "/api/v1/me").await.0, 200);
        let (s, _) = app.send(Method::DELETE, &token, &format!("/api/v1/me/tokens/{}", t["id"].as_str().unwrap()), None).await;
        assert_eq!(s, 204);
        assert_eq!(app.get(&api_token, "/api/v1/me").await.0, 401);
        app.stop().await;
    }
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account() {
    for backend in BACKENDS {
        let app = spawn_app(backend).await;
        for _ in 0..5 {
            let r = app
                .http
                .post(app.url("/api/v1/auth/login"))
                .json(&json!({"username": "finance", "password": "wrong-password"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 401);
        }
        let r = app
            .http
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": "finance", "password": "tongchou-demo"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["rule"], "auth.lockout", "{body}");
        assert!(body["message"].as_str().unwrap().contains("锁定"));
        app.stop().await;
    }
}

#[tokio::test]
async fn bad_input_is_refused_by_field_and_writes_nothing() {
    for backend in BACKENDS {
        let app = spawn_app(backend).await;
        let token = app.login("dept_staff").await;
        let reviewer = app.login("reviewer").await;
        let before = (count_projects(&app, &token).await, audit_count(&app).await);
        let mut bad = application("智慧教育资源平台");
        bad["budget_lines"][1]["amount_fen"] = json!(-5);
        let (s, body) = app.post(&token, "/api/v1/projects", bad).await;
        assert_eq!(s, 422, "{body}");
        assert_eq!(body["code"], "validation_failed");
        assert_eq!(body["fields"][0]["field"], "budget_lines[1].amount_fen", "{body}");
        let mut bad = application("智慧教育资源平台");
        bad["category"] = json!("spaceship");
        let (s, body) = app.post(&token, "/api/v1/projects", bad).await;
        assert_eq!(s, 422);
        assert_eq!(body["fields"][0]["field"], "category", "{body}");
        let mut bad = application(&"长".repeat(101));
        bad["mlps_level"] = json!(9);
        let (s, body) = app.post(&token, "/api/v1/projects", bad).await;
        assert_eq!(s, 422);
        let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["name", "mlps_level"]);
        let mut bad = application("x");
        bad["budget_lines"][0]["amount_fen"] = json!("many");
        assert_eq!(app.post(&token, "/api/v1/projects", bad).await.0, 422);
        // a reviewer cannot draft
        let (s, body) = app.post(&reviewer, "/api/v1/projects", application("x")).await;
        assert_eq!(s, 403);
        assert_eq!(body["rule"], "policy.draft_application");
        // bad paging
        let (s, body) = app.get(&token, "/api/v1/projects?page_size=500").await;
        assert_eq!((s, body["fields"][0]["field"].as_str()), (422, Some("page_size")));
        assert_eq!(app.get(&token, "/api/v1/projects?state=flying").await.0, 422);
        assert_eq!(app.get(&token, "/api/v1/projects/abc").await.0, 404);
        assert_eq!(app.get(&token, "/api/v1/nowhere").await.0, 404);
        assert_eq!((count_projects(&app, &token).await, audit_count(&app).await), before, "nothing written");
        app.stop().await;
    }
}

#[tokio::test]
async fn an_application_goes_through_three_levels_into_the_annual_plan() {
    for backend in BACKENDS {
        let app = spawn_app(backend).await;
        let year = app.store.this_year() as i64 + 1;
        let staff = app.login("dept_staff").await;
        let reviewer = app.login("reviewer").await;
        let leadership = app.login("leadership").await;
        let (s, created) = app.post(&staff, "/api/v1/projects", application("教育资源公共服务平台")).await;
        assert_eq!(s, 201, "{created}");
        let id = created["id"].as_i64().unwrap();
        let (s, p) = app.post(&staff, &format!("/api/v1/projects/{id}/actions/submit"), json!({})).await;
        assert_eq!(s, 200, "{p}");
        let code = p["code"].as_str().unwrap().to_string();
        assert!(code.starts_with(&format!("{year}-JYJ-")), "{code}");
        // the reviewer's to-do has it
        let (_, todo) = app.get(&reviewer, "/api/v1/todo").await;
        assert!(todo["items"].as_array().unwrap().iter().any(|i| i["project_id"] == id));
        assert_eq!(app.post(&reviewer, &format!("/api/v1/projects/{id}/actions/accept"), json!({})).await.0, 200);
        // forward before a review is refused, naming the rule
        let (s, body) = app.post(&reviewer, &format!("/api/v1/projects/{id}/actions/forward"), json!({})).await;
        assert_eq!((s, body["code"].as_str(), body["rule"].as_str()), (409, Some("transition_refused"), Some("review.recorded")), "{body}");
        let review = json!({"technical_conclusion": "feasible", "economic_conclusion": "feasible_with_changes", "economic_text": "服务器费用偏高",
            "risk_conclusion": "feasible", "recommended_fen": 1_000_000_000});
        assert_eq!(app.send(Method::PUT, &reviewer, &format!("/api/v1/projects/{id}/review"), Some(review)).await.0, 204);
        // 禁止类 policy-catalog matches of the demo catalog are overridden with a reason first.
        let (_, overlap) = app.get(&reviewer, &format!("/api/v1/projects/{id}/overlap")).await;
        for h in overlap["directory"].as_array().unwrap().iter().filter(|h| h["class"] == "forbidden") {
            let path = format!("/api/v1/projects/{id}/directory-overrides/{}", h["rule_id"]);
            assert_eq!(app.send(Method::PUT, &reviewer, &path, Some(json!({"reason": "仅对接市统一身份认证平台"}))).await.0, 200);
        }
        assert_eq!(app.post(&reviewer, &format!("/api/v1/projects/{id}/actions/forward"), json!({})).await.0, 200);
        // leadership approves without figures: the recommended amount and the requested year
        let (s, p) = app.post(&leadership, &format!("/api/v1/projects/{id}/actions/approve"), json!({"comment": "同意"})).await;
        assert_eq!(s, 200, "{p}");
        assert_eq!(
            (p["state"].as_str(), p["plan_year"].as_i64(), p["approved_fen"].as_i64()),
            (Some("planned"), Some(year), Some(1_000_000_000))
        );
        let (_, plan) = app.get(&leadership, &format!("/api/v1/plans/{year}")).await;
        assert!(plan["items"].as_array().unwrap().iter().any(|i| i["id"] == id && i["approved_fen"] == 1_000_000_000), "{plan}");
        // the history shows every step, in order
        let (_, detail) = app.get(&staff, &format!("/api/v1/projects/{id}")).await;
        let steps: Vec<&str> = detail["history"].as_array().unwrap().iter().map(|h| h["action"].as_str().unwrap()).collect();
        let steps: Vec<&str> = steps.into_iter().filter(|s| *s != "override_directory_rule").collect();
        assert_eq!(steps, ["create", "submit", "accept", "record_review", "forward", "approve"]);
        assert_eq!(detail["history"].as_array().unwrap().last().unwrap()["comment"], "同意");
        // both views export to Excel, with the same scope as the list
        for path in [format!("/api/v1/plans/{year}/export.xlsx"), format!("/api/v1/projects/export.xlsx?state=planned&q={code}")] {
            let r = app.http.get(app.url(&path)).bearer_auth(&leadership).send().await.unwrap();
            assert_eq!(r.status(), 200, "{path}");
            assert!(r.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
            let bytes = r.bytes().await.unwrap();
            assert!(bytes.starts_with(b"PK") && bytes.len() > 2000, "an xlsx (zip) file");
        }
        let contractor = app.login("contractor").await;
        assert_eq!(
            app.http.get(app.url(&format!("/api/v1/plans/{year}/export.xlsx"))).bearer_auth(&contractor).send().await.unwrap().status(),
            403
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn refusals_name_their_rule() {
    for backend in BACKENDS {
        let app = spawn_app(backend).await;
        let staff = app.login("dept_staff").await;
        let reviewer = app.login("reviewer").await;
        let id = app.post(&staff, "/api/v1/projects", application("校园安全视频联网")).await.1["id"].as_i64().unwrap();
        // the reviewer does not even see a never-submitted draft
        assert_eq!(app.post(&reviewer, &format!("/api/v1/projects/{id}/actions/accept"), json!({})).await.0, 404);
        app.post(&staff, &format!("/api/v1/projects/{id}/actions/submit"), json!({})).await;
        // wrong role
        let (s, body) = app.post(&staff, &format!("/api/v1/projects/{id}/actions/accept"), json!({})).await;
        assert_eq!((s, body["rule"].as_str()), (403, Some("lifecycle.role")), "{body}");
        // wrong state
        let (s, body) = app.post(&reviewer, &format!("/api/v1/projects/{id}/actions/approve"), json!({})).await;
        assert_eq!((s, body["code"].as_str()), (409, Some("transition_refused")), "{body}");
        assert!(body["message"].as_str().unwrap().contains("受理评审"), "lists what is possible: {body}");
        // return needs a reason
        let (s, body) = app.post(&reviewer, &format!("/api/v1/projects/{id}/actions/return"), json!({"comment": "  "})).await;
        assert_eq!((s, body["fields"][0]["field"].as_str()), (422, Some("comment")), "{body}");
        let (s, _) = app.post(&reviewer, &format!("/api/v1/projects/{id}/actions/return"), json!({"comment": "请补充预算测算依据"})).await;
        assert_eq!(s, 200);
        // unknown action, unknown field in the body
        assert_eq!(app.post(&staff, &format!("/api/v1/projects/{id}/actions/fly"), json!({})).await.0, 422);
        assert_eq!(app.post(&staff, &format!("/api/v1/projects/{id}/actions/submit"), json!({"commnet": "x"})).await.0, 422);
        // another department's staff sees nothing
        let other = app.login("dept_staff2").await;
        assert_eq!(app.get(&other, &format!("/api/v1/projects/{id}")).await.0, 404);
        assert_eq!(app.post(&other, &format!("/api/v1/projects/{id}/actions/submit"), json!({})).await.0, 404);
        // a contractor's list is empty, not an error
        let contractor = app.login("contractor").await;
        let (s, list) = app.get(&contractor, "/api/v1/projects").await;
        assert_eq!((s, list["total"].as_i64()), (200, Some(0)));
        app.stop().await;
    }
}

#[tokio::test]
async fn approval_over_the_ceiling_shows_the_figures_and_a_locked_plan_refuses() {
    for backend in BACKENDS {
        let app = spawn_app(backend).await;
        let year = app.store.this_year() as i64 + 1;
        let leadership = app.login("leadership").await;
        let finance = app.login("finance").await;
        let (_, plan) = app.get(&finance, &format!("/api/v1/plans/{year}")).await;
        let total = plan["total_fen"].as_i64().unwrap();
        // ceiling exactly at today's total: any approval is over it
        let (s, body) =
            app.send(Method::PUT, &finance, &format!("/api/v1/plans/{year}/ceiling"), Some(json!({"ceiling_fen": total}))).await;
        assert_eq!(s, 204, "{body}");
        let (_, pending) = app.get(&leadership, &format!("/api/v1/projects?state=pending_decision&year={year}")).await;
        let id = pending["items"][0]["id"].as_i64().expect("the demo has pending applications");
        let audit_before = app.store.audit_count().await.unwrap();
        let (s, body) = app.post(&leadership, &format!("/api/v1/projects/{id}/actions/approve"), json!({"approved_fen": 1_000_000})).await;
        assert_eq!((s, body["code"].as_str()), (409, Some("plan_ceiling_exceeded")), "{body}");
        assert_eq!(body["figures"]["ceiling_fen"], total);
        assert_eq!(body["figures"]["over_by_fen"], 1_000_000);
        assert_eq!(app.store.audit_count().await.unwrap(), audit_before, "a refusal writes nothing");
        // finance may not set a ceiling below what is planned
        let (s, body) =
            app.send(Method::PUT, &finance, &format!("/api/v1/plans/{year}/ceiling"), Some(json!({"ceiling_fen": total - 1}))).await;
        assert_eq!((s, body["rule"].as_str()), (422, Some("plan.ceiling_below_total")));
        // leadership may not touch the money
        assert_eq!(app.post(&leadership, &format!("/api/v1/plans/{year}/confirm"), json!({})).await.0, 403);
        assert_eq!(app.send(Method::POST, &finance, &format!("/api/v1/plans/{year}/confirm"), None).await.0, 204);
        let (s, body) = app.post(&leadership, &format!("/api/v1/projects/{id}/actions/approve"), json!({})).await;
        assert_eq!((s, body["code"].as_str()), (409, Some("plan_locked")), "{body}");
        app.stop().await;
    }
}

#[tokio::test]
async fn two_reviewers_at_once_exactly_one_wins() {
    for backend in BACKENDS {
        let app = spawn_app(backend).await;
        let staff = app.login("dept_staff").await;
        let reviewer = app.login("reviewer").await;
        let mut ids = vec![];
        for i in 0..4 {
            let id = app.post(&staff, "/api/v1/projects", application(&format!("并发测试项目{i}"))).await.1["id"].as_i64().unwrap();
            assert_eq!(app.post(&staff, &format!("/api/v1/projects/{id}/actions/submit"), json!({})).await.0, 200);
            ids.push(id);
        }
        for id in ids {
            let path = format!("/api/v1/projects/{id}/actions/accept");
            let (a, b) = tokio::join!(app.post(&reviewer, &path, json!({})), app.post(&reviewer, &path, json!({})));
            let mut statuses = [a.0, b.0];
            statuses.sort();
            assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
        }
        app.stop().await;
    }
}

#[tokio::test]
async fn attachments_are_checked_and_kept_with_their_hash() {
    for backend in BACKENDS {
        let app = spawn_app(backend).await;
        let staff = app.login("dept_staff").await;
        let id = app.post(&staff, "/api/v1/projects", application("档案数字化")).await.1["id"].as_i64().unwrap();
        let upload = |name: &'static str, bytes: Vec<u8>| {
            let form = reqwest::multipart::Form::new()
                .text("kind", "可研报告")
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
            app.http.post(app.url(&format!("/api/v1/projects/{id}/attachments"))).bearer_auth(&staff).multipart(form).send()
        };
        let r = upload("可研报告.pdf", b"%PDF-1.4 feasibility".to_vec()).await.unwrap();
        assert_eq!(r.status(), 201);
        let aid = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let r = app.http.get(app.url(&format!("/api/v1/projects/{id}/attachments/{aid}"))).bearer_auth(&staff).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let sha = r.headers()["x-content-sha256"].to_str().unwrap().to_string();
        assert_eq!(r.bytes().await.unwrap().as_ref(), b"%PDF-1.4 feasibility");
        assert_eq!(sha, hex::encode(<sha2::Sha256 as sha2::Digest>::digest(b"%PDF-1.4 feasibility")));
        let r = upload("virus.exe", b"MZ".to_vec()).await.unwrap();
        assert_eq!(r.status(), 422);
        let big = vec![0u8; (app.store.settings.upload.max_bytes + 1) as usize];
        let r = upload("big.pdf", big).await.unwrap();
        assert_eq!(r.status(), 413);
        app.stop().await;
    }
}

#[tokio::test]
async fn cookie_writes_need_the_csrf_token() {
    let app = spawn_app(tongchou_store::Backend::Sqlite).await;
    let r = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "dept_staff", "password": "tongchou-demo"}))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let csrf = r.json::<Value>().await.unwrap()["csrf"].as_str().unwrap().to_string();
    let post = |with_csrf: bool| {
        let mut req = app.http.post(app.url("/api/v1/projects")).header("cookie", &cookie).json(&application("CSRF 测试"));
        if with_csrf {
            req = req.header("x-csrf-token", &csrf);
        }
        req.send()
    };
    let r = post(false).await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().await.unwrap()["rule"], "auth.csrf");
    assert_eq!(post(true).await.unwrap().status(), 201);
    app.stop().await;
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = spawn_app(tongchou_store::Backend::Sqlite).await;
    let doc: Value = app.http.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let routes = include_str!("../../src/api/mod.rs");
    let mut checked = 0;
    for line in routes.lines().filter(|l| l.trim_start().starts_with(".route(\"")) {
        let path = line.split('"').nth(1).unwrap();
        if path == "/openapi.json" {
            continue;
        }
        let full = format!("/api/v1{path}");
        let item = paths.get(&full).unwrap_or_else(|| panic!("{full} is not in the OpenAPI document"));
        for method in ["get", "post", "put", "delete"] {
            if line.contains(&format!("{method}(")) || line.contains(&format!(".{method}(")) {
                assert!(item.get(method).is_some(), "{method} {full} missing from the document");
            }
        }
        checked += 1;
    }
    assert!(checked >= 20, "{checked}");
    assert!(doc["components"]["schemas"].get("ApplicationInput").is_some());
    app.stop().await;
}

#[tokio::test]
async fn separation_of_admin_duties() {
    let app = spawn_app(tongchou_store::Backend::Sqlite).await;
    let sysadmin = app.login("sysadmin").await;
    let secadmin = app.login("secadmin").await;
    let (_, deps) = app.get(&sysadmin, "/api/v1/departments").await;
    let dep = deps[0]["id"].as_i64().unwrap();
    let (s, created) = app
        .post(
            &sysadmin,
            "/api/v1/users",
            json!({"username": "new_clerk", "display_name": "王新", "department_id": dep, "password": "initial-pass-1"}),
        )
        .await;
    assert_eq!(s, 201, "{created}");
    let uid = created["id"].as_i64().unwrap();
    // sysadmin cannot grant roles; secadmin can, but not an admin role beside another
    assert_eq!(
        app.send(Method::PUT, &sysadmin, &format!("/api/v1/users/{uid}/roles"), Some(json!({"roles": ["dept_staff"]}))).await.0,
        403
    );
    let (s, body) =
        app.send(Method::PUT, &secadmin, &format!("/api/v1/users/{uid}/roles"), Some(json!({"roles": ["sysadmin", "reviewer"]}))).await;
    assert_eq!((s, body["rule"].as_str()), (422, Some("roles.separation_of_duties")), "{body}");
    assert_eq!(
        app.send(Method::PUT, &secadmin, &format!("/api/v1/users/{uid}/roles"), Some(json!({"roles": ["dept_staff"]}))).await.0,
        204
    );
    // neither admin acts on projects
    assert_eq!(app.post(&sysadmin, "/api/v1/projects", application("x")).await.0, 403);
    assert_eq!(app.get(&secadmin, "/api/v1/projects").await.1["total"], 0);
    app.stop().await;
}
