//! 查重 in review over HTTP, on both databases: the bureau records a system and a rule, a
//! department's application lists its overlaps with reasons, the reviewer decides per module,
//! the savings reach the recommended budget and the plan, a forbidden match blocks forwarding
//! until it is overridden, and a change to the inventory shows at once.

use super::*;
use reqwest::Method;
use serde_json::json;

fn modules_of(report: &Value) -> &Vec<Value> {
    report["modules"].as_array().expect("modules")
}

#[tokio::test]
async fn a_reviewer_decides_each_overlapping_module_and_the_savings_reach_the_plan() {
    for backend in BACKENDS {
        let app = spawn_app(backend).await;
        let year = app.store.this_year() as i64 + 1;
        let staff = app.login("dept_staff").await;
        let reviewer = app.login("reviewer").await;
        let leadership = app.login("leadership").await;
        let (_, me) = app.get(&staff, "/api/v1/me").await;
        let dept = me["department_id"].as_i64().expect("department_id");

        // The bureau's inventory, catalog and policy catalog.
        let (s, sys) = app
            .post(
                &reviewer,
                "/api/v1/systems",
                json!({"code": "T-SYS-1", "name": "校园安全综合平台", "department_id": dept, "status": "in_use", "hosting": "gov_cloud",
                       "modules": [{"name": "校园视频监控", "description": "校园出入口与周界视频"}]}),
            )
            .await;
        assert_eq!(s, 201, "{sys}");
        let system_id = sys["id"].as_i64().unwrap();
        let (s, cap) = app
            .post(
                &reviewer,
                "/api/v1/capabilities",
                json!({"code": "T-CAP-1", "name": "电子签章服务", "description": "统一电子印章与签名验签"}),
            )
            .await;
        assert_eq!(s, 201, "{cap}");
        let (s, rule) = app
            .post(
                &reviewer,
                "/api/v1/directory-rules",
                json!({"class": "forbidden", "title": "不得新建独立的校园视频平台", "keywords": ["视频监控平台"]}),
            )
            .await;
        assert_eq!(s, 201, "{rule}");
        let rule_id = rule["id"].as_i64().unwrap();

        // A department applies with three modules.
        let mut body = application("智慧校园安全建设项目");
        body["description"] = json!("新建校园视频监控平台，配套电子印章和访客登记");
        body["modules"] = json!([
            {"name": "校园视频监控", "description": "出入口视频", "estimate_fen": 300_000_000},
            {"name": "电子印章", "description": "电子签名", "estimate_fen": 100_000_000},
            {"name": "访客预约登记", "estimate_fen": 200_000_000}
        ]);
        let (s, created) = app.post(&staff, "/api/v1/projects", body).await;
        assert_eq!(s, 201, "{created}");
        let id = created["id"].as_i64().unwrap();
        let cap_id = cap["id"].as_i64().unwrap();
        let (s, declared) =
            app.send(Method::PUT, &staff, &format!("/api/v1/projects/{id}/capabilities"), Some(json!({"capability_ids": [cap_id]}))).await;
        assert_eq!((s, declared[0]["code"].as_str()), (200, Some("T-CAP-1")), "{declared}");
        let (s, bad) =
            app.send(Method::PUT, &staff, &format!("/api/v1/projects/{id}/capabilities"), Some(json!({"capability_ids": [999_999]}))).await;
        assert_eq!((s, bad["fields"][0]["field"].as_str()), (422, Some("capability_ids[0]")), "{bad}");
        assert_eq!(app.post(&staff, &format!("/api/v1/projects/{id}/actions/submit"), json!({})).await.0, 200);
        assert_eq!(app.post(&reviewer, &format!("/api/v1/projects/{id}/actions/accept"), json!({})).await.0, 200);

        let (s, report) = app.get(&reviewer, &format!("/api/v1/projects/{id}/overlap")).await;
        assert_eq!(s, 200, "{report}");
        let m = modules_of(&report);
        assert!(m[0]["flagged"].as_bool().unwrap(), "{report}");
        assert!(
            m[0]["candidates"].as_array().unwrap().iter().any(|c| c["kind"] == "system" && c["ref_id"] == system_id && c["reason"] != ""),
            "{report}"
        );
        assert!(m[1]["candidates"].as_array().unwrap().iter().any(|c| c["kind"] == "capability" && c["code"] == "T-CAP-1"), "{report}");
        assert_eq!(report["forbidden_open"], 1, "{report}");
        let (video, seal) = (m[0]["module_id"].as_i64().unwrap(), m[1]["module_id"].as_i64().unwrap());

        // Keep a flagged module without a reason: 422 naming the field, in the caller's language.
        let path = format!("/api/v1/projects/{id}/modules/{video}/decision");
        let (s, e) = app.send(Method::PUT, &reviewer, &path, Some(json!({"decision": "keep"}))).await;
        assert_eq!((s, e["fields"][0]["field"].as_str()), (422, Some("reason")), "{e}");
        // The department cannot decide.
        assert_eq!(app.send(Method::PUT, &staff, &path, Some(json!({"decision": "strip", "reason": "x"}))).await.0, 403);
        let (s, r) = app.send(Method::PUT, &reviewer, &path, Some(json!({"decision": "merge", "target": format!("system:T-SYS-1")}))).await;
        assert_eq!(s, 200, "{r}");
        let path = format!("/api/v1/projects/{id}/modules/{seal}/decision");
        let (s, r) = app.send(Method::PUT, &reviewer, &path, Some(json!({"decision": "reuse", "target": "capability:T-CAP-1"}))).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["savings_fen"], 400_000_000, "{r}");
        assert_eq!(r["recommended_fen"].as_i64(), Some(r["budget_fen"].as_i64().unwrap() - 400_000_000));

        // Forward: refused while the forbidden match is open, naming the rule; fine once overridden.
        let review = json!({"technical_conclusion": "feasible", "economic_conclusion": "feasible", "risk_conclusion": "feasible",
            "recommended_fen": r["recommended_fen"]});
        assert_eq!(app.send(Method::PUT, &reviewer, &format!("/api/v1/projects/{id}/review"), Some(review)).await.0, 204);
        let (s, e) = app.post(&reviewer, &format!("/api/v1/projects/{id}/actions/forward"), json!({})).await;
        assert_eq!((s, e["rule"].as_str()), (409, Some("directory.forbidden")), "{e}");
        let opath = format!("/api/v1/projects/{id}/directory-overrides/{rule_id}");
        assert_eq!(app.send(Method::PUT, &reviewer, &opath, Some(json!({"reason": ""}))).await.0, 422);
        let (s, r) = app.send(Method::PUT, &reviewer, &opath, Some(json!({"reason": "视频部分已整合到现有平台,不再新建"}))).await;
        assert_eq!((s, r["forbidden_open"].as_i64()), (200, Some(0)), "{r}");
        assert_eq!(app.post(&reviewer, &format!("/api/v1/projects/{id}/actions/forward"), json!({})).await.0, 200);
        assert_eq!(app.post(&leadership, &format!("/api/v1/projects/{id}/actions/approve"), json!({})).await.0, 200);
        let (_, plan) = app.get(&leadership, &format!("/api/v1/plans/{year}")).await;
        let item = plan["items"].as_array().unwrap().iter().find(|i| i["id"] == id).cloned().expect("in the plan");
        assert_eq!((item["saved_fen"].as_i64(), item["approved_fen"].as_i64()), (Some(400_000_000), Some(800_000_000)), "{item}");
        assert!(plan["saved_fen"].as_i64().unwrap() >= 400_000_000);
        app.stop().await;
    }
}

#[tokio::test]
async fn the_project_page_shows_the_duplicate_check_in_both_languages() {
    let app = spawn_app(Backend::Sqlite).await;
    let reviewer = app.login("reviewer").await;
    // Any demo application under review.
    let (_, list) = app.get(&reviewer, "/api/v1/projects?state=under_review").await;
    let id = list["items"][0]["id"].as_i64().expect("the demo has applications under review");
    let (s, report) = app.get(&reviewer, &format!("/api/v1/projects/{id}/overlap")).await;
    assert_eq!(s, 200, "{report}");
    let r = app.http.post(app.url("/login")).form(&[("username", "reviewer"), ("password", PASSWORD)]).send().await.unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    for (lang, words) in [("zh", ["查重与统筹", "查重节约资金"]), ("en", ["Duplicate check", "Saved by the duplicate check"])] {
        let r = app.http.get(app.url(&format!("/projects/{id}?lang={lang}"))).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        for w in words {
            assert!(html.contains(w), "{lang}: {w}");
        }
        for m in modules_of(&report) {
            assert!(html.contains(&format!("id=\"module-{}\"", m["module_id"])), "module {} listed", m["module_id"]);
        }
    }
    app.stop().await;
}
