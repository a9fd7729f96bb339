//! 查重 in review on both databases: each module lists what it overlaps with a reason; the
//! reviewer's decisions save money that the recommended budget and the plan show; a 禁止类
//! catalog match blocks forwarding until it is overridden with a reason; a change to the inventory
//! shows at once in an open review.

use super::*;
use tongchou_domain::overlap::{Decision, DecisionInput};
use tongchou_store::Db;

async fn sql(store: &Store, q: &str) {
    match &*store.db {
        Db::Sqlite { write, .. } => sqlx::query(q).execute(write).await.map(|_| ()),
        Db::Pg(p) => sqlx::query(q).execute(p).await.map(|_| ()),
    }
    .unwrap_or_else(|e| panic!("{q}: {e}"));
}

/// The inventory and catalogs as the bureau keeps them (written with SQL here: the catalog pages
/// have their own tests), bumping `catalog_version` as every catalog write does.
async fn catalogs(store: &Store) {
    let dept: i64 =
        tongchou_store::read!(store, |p| sqlx::query_scalar("SELECT id FROM departments WHERE code = 'WJW'").fetch_one(p).await).unwrap();
    sql(
        store,
        &format!(
            "INSERT INTO systems (id, code, name, department_id, status, hosting, created_at, updated_at) \
             VALUES (901, 'SYS-901', '全民健康信息平台', {dept}, 'in_use', 'gov_cloud', 0, 0), \
                    (902, 'SYS-902', '旧版办公系统', {dept}, 'retired', 'own_room', 0, 0)"
        ),
    )
    .await;
    sql(
        store,
        "INSERT INTO system_modules (system_id, position, name, description) VALUES \
         (901, 0, '单点登录', '统一用户认证与授权'), (901, 1, '健康档案查询', ''), (902, 0, '电子地图展示', '')",
    )
    .await;
    sql(
        store,
        "INSERT INTO capabilities (id, code, name, description, provider, access_method, active, created_at, updated_at) VALUES \
         (801, 'CAP-801', '电子签章服务', '统一电子印章与签名验签', '市大数据局', 'API', TRUE, 0, 0)",
    )
    .await;
    sql(
        store,
        "INSERT INTO directory_rules (id, class, title, description, keywords, categories, construction_types, active, created_at, updated_at) VALUES \
         (701, 'forbidden', '不得新建独立的统一身份认证', '全市已有统一身份认证平台', '统一身份认证\n单点登录', '', '', TRUE, 0, 0), \
         (702, 'priority', '民生服务优先', '', '智慧教育', '', '', TRUE, 0, 0)",
    )
    .await;
    sql(store, "UPDATE catalog_version SET version = version + 1 WHERE id = 1").await;
}

fn decision(d: Decision, target: &str, reason: &str) -> DecisionInput {
    DecisionInput { decision: d, target: target.into(), reason: reason.into() }
}

#[tokio::test]
async fn review_lists_overlaps_decisions_save_money_and_forbidden_matches_need_an_override() {
    on_both(|env| async move {
        let store = &env.store;
        let o = org(store).await;
        catalogs(store).await;
        let mut input = application("智慧教育云平台", 300);
        input.modules = vec![
            ModuleInput { name: "教学资源中心".into(), description: "资源汇聚与共享".into(), estimate_fen: Some(120 * WAN) },
            ModuleInput { name: "统一身份认证".into(), description: "师生统一登录".into(), estimate_fen: Some(40 * WAN) },
            ModuleInput { name: "电子印章".into(), description: "电子签名".into(), estimate_fen: Some(30 * WAN) },
        ];
        let id = store.create_draft(&o.staff, ADDR, input).await.unwrap();
        act(store, &o.head, id, Action::Submit, None).await.unwrap();
        act(store, &o.reviewer, id, Action::Accept, None).await.unwrap();

        let r = store.overlap_report(&o.reviewer, id, Lang::Zh).await.unwrap();
        assert!(r.can_decide);
        let names: Vec<&str> = r.modules.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["教学资源中心", "统一身份认证", "电子印章"]);
        // 统一身份认证 ↔ the system's 单点登录 (no shared characters: a synonym), with a reason.
        let sso = &r.modules[1];
        assert!(sso.flagged, "{sso:?}");
        let c = &sso.candidates[0];
        assert_eq!((c.kind.as_str(), c.code.as_str(), c.module.as_deref()), ("system", "SYS-901", Some("单点登录")), "{c:?}");
        assert!(!c.reason.is_empty() && c.score >= r.threshold, "{c:?}");
        // 电子印章 ↔ the shared capability 电子签章服务.
        let seal = &r.modules[2];
        assert!(seal.candidates.iter().any(|c| c.kind == "capability" && c.code == "CAP-801"), "{seal:?}");
        // A retired system's modules are not candidates.
        assert!(r.modules.iter().flat_map(|m| &m.candidates).all(|c| c.code != "SYS-902"));
        // The policy catalog: the forbidden rule matches and blocks forwarding; the priority rule shows.
        let classes: Vec<&str> = r.directory.iter().map(|h| h.class.as_str()).collect();
        assert_eq!(classes, ["forbidden", "priority"], "{:?}", r.directory);
        assert_eq!(r.forbidden_open, 1);
        store.record_review(&o.reviewer, ADDR, id, &review(300)).await.unwrap();
        let refused = refusal(act(store, &o.reviewer, id, Action::Forward, None).await);
        assert_eq!(refused.rule(), "directory.forbidden");
        assert_eq!(state_of(store, id).await, "under_review");

        // Keeping a flagged module needs a reason; nothing is written without one.
        let before = audit_seqs(store).await.len();
        match store.decide_module(&o.reviewer, ADDR, id, sso.module_id, decision(Decision::Keep, "", ""), Lang::Zh).await {
            Err(StoreError::Invalid(f)) => assert_eq!(f[0].field, "reason"),
            other => panic!("expected 422, got {other:?}"),
        }
        assert_eq!(audit_seqs(store).await.len(), before);
        // The department cannot decide; neither can the reviewer once it has left review (below).
        assert!(matches!(
            store.decide_module(&o.staff, ADDR, id, seal.module_id, decision(Decision::Strip, "", "重复"), Lang::Zh).await,
            Err(StoreError::Forbidden(_))
        ));
        // Strip the SSO module, reuse the capability for the seal: 40 + 30 万元 saved.
        store
            .decide_module(
                &o.reviewer,
                ADDR,
                id,
                sso.module_id,
                decision(Decision::Strip, "", "全市已有统一身份认证平台,直接对接"),
                Lang::Zh,
            )
            .await
            .unwrap();
        let r = store
            .decide_module(&o.reviewer, ADDR, id, seal.module_id, decision(Decision::Reuse, "capability:CAP-801", ""), Lang::Zh)
            .await
            .unwrap();
        assert_eq!(r.savings_fen, 70 * WAN);
        assert_eq!(r.recommended_fen, r.budget_fen - 70 * WAN);
        assert_eq!(r.modules[2].decision.as_ref().map(|d| d.decision.as_str()), Some("reuse"));
        assert_eq!(audit_seqs(store).await.len(), before + 2);

        // Override the forbidden match (a reason is required), then forwarding goes through.
        assert!(matches!(store.override_directory_rule(&o.reviewer, ADDR, id, 701, "  ", Lang::Zh).await, Err(StoreError::Invalid(_))));
        assert!(matches!(
            store.override_directory_rule(&o.reviewer, ADDR, id, 702, "优先类不需豁免", Lang::Zh).await,
            Err(StoreError::Invalid(_))
        ));
        let r = store.override_directory_rule(&o.reviewer, ADDR, id, 701, "仅对接市统一身份认证平台,不新建", Lang::Zh).await.unwrap();
        assert_eq!(r.forbidden_open, 0);
        act(store, &o.reviewer, id, Action::Forward, None).await.unwrap();
        assert!(matches!(
            store.decide_module(&o.reviewer, ADDR, id, sso.module_id, decision(Decision::Keep, "", "改主意"), Lang::Zh).await,
            Err(StoreError::Refused(Refusal::ReviewClosed { .. }))
        ));
        act(store, &o.leader, id, Action::Approve, None).await.unwrap();
        // The plan shows the savings per project, per department and in total.
        let plan = store.plan(&o.leader, env.plan_year()).await.unwrap();
        assert_eq!(plan.saved_fen, 70 * WAN);
        assert_eq!(plan.items.iter().find(|i| i.id == id).map(|i| i.saved_fen), Some(70 * WAN));
        assert_eq!(plan.by_department.iter().find(|t| t.key == "市教育局").map(|t| t.saved_fen), Some(70 * WAN));
        // The trail records each decision with what it saved.
        let history = store.history("project", &id.to_string()).await.unwrap();
        let steps: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
        assert!(steps.contains(&"decide_module") && steps.contains(&"override_directory_rule"), "{steps:?}");
    })
    .await;
}

#[tokio::test]
async fn an_open_review_sees_inventory_changes_at_once() {
    on_both(|env| async move {
        let store = &env.store;
        let o = org(store).await;
        catalogs(store).await;
        let mut input = application("校园安全管理平台", 200);
        input.modules = vec![ModuleInput { name: "渣土车辆监管".into(), description: "".into(), estimate_fen: Some(50 * WAN) }];
        let id = store.create_draft(&o.staff, ADDR, input).await.unwrap();
        act(store, &o.head, id, Action::Submit, None).await.unwrap();
        let r = store.overlap_report(&o.reviewer, id, Lang::Zh).await.unwrap();
        assert!(!r.modules[0].flagged, "{:?}", r.modules[0]);
        // The bureau records a system that already does it: the same report now finds it.
        sql(store, "INSERT INTO system_modules (system_id, position, name, description) VALUES (901, 2, '渣土车辆监管系统', '')").await;
        sql(store, "UPDATE catalog_version SET version = version + 1 WHERE id = 1").await;
        let r = store.overlap_report(&o.reviewer, id, Lang::Zh).await.unwrap();
        assert!(r.modules[0].candidates.iter().any(|c| c.code == "SYS-901"), "{:?}", r.modules[0]);
        // Another department's new application with the same module shows as an application candidate.
        let mut other = application("城市管理综合平台", 100);
        other.modules = vec![ModuleInput { name: "渣土车辆监管".into(), description: "".into(), estimate_fen: None }];
        let other_id = store.create_draft(&o.staff2, ADDR, other).await.unwrap();
        let wjw_head = o.staff2.clone();
        act(store, &wjw_head, other_id, Action::Submit, None).await.unwrap();
        let r = store.overlap_report(&o.reviewer, id, Lang::Zh).await.unwrap();
        assert!(r.modules[0].candidates.iter().any(|c| c.kind == "application" && c.ref_id == other_id), "{:?}", r.modules[0]);
        // A department sees its own draft's check too (申报前自查), but cannot decide.
        let r = store.overlap_report(&o.staff, id, Lang::Zh).await.unwrap();
        assert!(!r.can_decide);
    })
    .await;
}
