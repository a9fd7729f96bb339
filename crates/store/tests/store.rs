//! The store's behaviour as users meet it, on SQLite and on PostgreSQL: every test runs against a
//! fresh SQLite file and a fresh PostgreSQL database (`tongchou_test_<random>`, created on the
//! server named by `TONGCHOU_TEST_DATABASE_URL` and dropped at the end). A PostgreSQL server that
//! cannot be reached fails the test.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tongchou_domain::application::{ApplicationInput, BudgetKind, BudgetLineInput, Category, ConstructionType, FundingSource, ModuleInput};
use tongchou_domain::config::Config;
use tongchou_domain::lifecycle::RefusalKind;
use tongchou_domain::review::{Conclusion, OpinionInput, ReviewInput};
use tongchou_domain::{Action, Actor, Fen, Lang, Refusal, Role, State};
use tongchou_store::audit::NewEvent;
use tongchou_store::auth::{self, LoginError, SessionKind};
use tongchou_store::demo::{self, DEMO_LOGINS, DEMO_PASSWORD, NOT_EMPTY_RULE};
use tongchou_store::departments::Department;
use tongchou_store::projects::{ActInput, ListQuery, ProjectSummary};
use tongchou_store::testing::{fresh_store, TestDb};
use tongchou_store::users::NewUser;
use tongchou_store::{Backend, Clock, Store, StoreError};

// ---------------------------------------------------------------------------------------------
// Fixtures: a fresh store on each backend, an injected clock, a small organisation.
// ---------------------------------------------------------------------------------------------

/// 2026-07-15 10:00 in Asia/Shanghai: inside the application window, next year's plan is 2027.
const START_MS: i64 = 1_784_080_800_000;
const MINUTE: i64 = 60_000;
const WAN: i64 = 1_000_000;
const ADDR: &str = "192.0.2.7";
const PASSWORD: &str = "correct-horse-battery";

struct Env {
    store: Store,
    clock: Arc<AtomicI64>,
    backend: Backend,
}

impl Env {
    fn advance_minutes(&self, minutes: i64) {
        self.clock.fetch_add(minutes * MINUTE, Ordering::SeqCst);
    }

    fn plan_year(&self) -> i64 {
        self.store.this_year() as i64 + 1
    }
}

async fn open(backend: Backend, config: Config) -> (Env, TestDb) {
    let clock = Arc::new(AtomicI64::new(START_MS));
    let c = clock.clone();
    let store_clock: Clock = Arc::new(move || c.load(Ordering::SeqCst));
    let (store, db) = fresh_store(backend, config, store_clock).await;
    (Env { store, clock, backend }, db)
}

/// Run `test` against a fresh SQLite store and then a fresh PostgreSQL store; the databases are
/// removed whether the test passes or panics.
async fn on_both<F, Fut>(test: F)
where
    F: Fn(Env) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    on_both_with(Config::default(), test).await
}

async fn on_both_with<F, Fut>(config: Config, test: F)
where
    F: Fn(Env) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let (env, cleanup) = open(backend, config.clone()).await;
        let store = env.store.clone();
        let outcome = tokio::spawn(test(env)).await;
        store.close().await;
        cleanup.cleanup().await;
        if let Err(e) = outcome {
            eprintln!("--- the test failed on {backend:?} ---");
            match e.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(e) => panic!("test task on {backend:?} did not finish: {e}"),
            }
        }
    }
}

fn system() -> NewEvent {
    NewEvent { actor: "test".into(), role: "sysadmin".into(), client_addr: ADDR.into(), ..Default::default() }
}

/// A small organisation: the bureau, 市教育局 (JYJ) with a sub-unit, 市卫生健康委 (WJW), and one
/// person per job, all with the password [`PASSWORD`].
struct Org {
    staff: Actor,
    head: Actor,
    staff2: Actor,
    reviewer: Actor,
    leader: Actor,
    finance: Actor,
    expert: Actor,
    /// 市教育局 clerk who is also a reviewer (to test 回避).
    staff_reviewer: Actor,
    /// 市教育局 head who also sits in the leadership group (to test 回避).
    head_leader: Actor,
}

async fn org(store: &Store) -> Org {
    let phc = auth::hash_blocking(PASSWORD.into()).await;
    let who = system();
    let mut tx = store.begin().await.unwrap();
    let dsj = store.create_department_in(&mut tx, &who, "DSJ", "市大数据局", None).await.unwrap();
    let jyj = store.create_department_in(&mut tx, &who, "JYJ", "市教育局", None).await.unwrap();
    store.create_department_in(&mut tx, &who, "JYXX", "市教育信息技术中心", Some(jyj.id)).await.unwrap();
    let wjw = store.create_department_in(&mut tx, &who, "WJW", "市卫生健康委", None).await.unwrap();
    let people: [(&str, i64, &[Role]); 9] = [
        ("staff", jyj.id, &[Role::DeptStaff]),
        ("head", jyj.id, &[Role::DeptHead]),
        ("staff2", wjw.id, &[Role::DeptStaff]),
        ("reviewer", dsj.id, &[Role::Reviewer]),
        ("leader", dsj.id, &[Role::Leadership]),
        ("finance", dsj.id, &[Role::Finance]),
        ("expert", dsj.id, &[Role::Expert]),
        ("staff_reviewer", jyj.id, &[Role::DeptStaff, Role::Reviewer]),
        ("head_leader", jyj.id, &[Role::DeptHead, Role::Leadership]),
    ];
    let mut ids = HashMap::new();
    for (username, department_id, roles) in people {
        let u = NewUser { username, display_name: username, department_id, roles, password_hash: &phc };
        ids.insert(username, store.create_user_in(&mut tx, &who, &u).await.unwrap());
    }
    tx.commit().await.unwrap();
    let actor = |name: &str| {
        let id = ids[name];
        async move { store.actor(id).await.unwrap() }
    };
    Org {
        staff: actor("staff").await,
        head: actor("head").await,
        staff2: actor("staff2").await,
        reviewer: actor("reviewer").await,
        leader: actor("leader").await,
        finance: actor("finance").await,
        expert: actor("expert").await,
        staff_reviewer: actor("staff_reviewer").await,
        head_leader: actor("head_leader").await,
    }
}

/// A complete application asking for `budget_wan` 万元.
fn application(name: &str, budget_wan: i64) -> ApplicationInput {
    ApplicationInput {
        name: name.into(),
        category: Category::Platform,
        construction_type: ConstructionType::Upgrade,
        plan_year: None,
        description: "整合全市中小学教学资源，建设市、区、校三级智慧教育云平台。".into(),
        objectives: "覆盖全市中小学。".into(),
        expected_benefits: "减少学校分散建设。".into(),
        funding_source: FundingSource::MunicipalBudget,
        mlps_level: 3,
        produces_shared_data: true,
        consumes_shared_data: false,
        planned_start: Some("2027-03-01".into()),
        planned_finish: Some("2027-12-31".into()),
        modules: vec![
            ModuleInput {
                name: "教学资源中心".into(), description: "资源汇聚与共享".into(), estimate_fen: Some(budget_wan * WAN / 2)
            },
            ModuleInput { name: "统一身份认证".into(), description: "师生统一登录".into(), estimate_fen: None },
        ],
        budget_lines: vec![
            BudgetLineInput { kind: BudgetKind::Software, item: "平台软件".into(), amount_fen: budget_wan * WAN * 4 / 5 },
            BudgetLineInput { kind: BudgetKind::Operation, item: "运维".into(), amount_fen: budget_wan * WAN / 5 },
        ],
    }
}

fn review(recommended_wan: i64) -> ReviewInput {
    ReviewInput {
        technical_conclusion: Conclusion::Feasible,
        technical_text: "技术路线可行。".into(),
        economic_conclusion: Conclusion::FeasibleWithChanges,
        economic_text: "建议核减重复建设内容。".into(),
        risk_conclusion: Conclusion::Feasible,
        risk_text: "等保三级，同步测评。".into(),
        recommended_fen: recommended_wan * WAN,
    }
}

async fn act(store: &Store, who: &Actor, id: i64, action: Action, comment: Option<&str>) -> Result<ProjectSummary, StoreError> {
    store.act(who, ADDR, id, action, &ActInput { comment: comment.map(Into::into), ..Default::default() }).await
}

fn refusal(r: Result<ProjectSummary, StoreError>) -> Refusal {
    match r {
        Err(StoreError::Refused(refusal)) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Draft an application in JYJ and take it to `target` (up to `PendingDecision`), with the
/// reviewer recommending `recommended_wan`.
async fn application_at(store: &Store, o: &Org, name: &str, recommended_wan: i64, target: State) -> i64 {
    let id = store.create_draft(&o.staff, ADDR, application(name, recommended_wan + 50)).await.unwrap();
    let path = [State::Submitted, State::UnderReview, State::PendingDecision];
    for state in path.into_iter().take_while(|s| *s <= target) {
        match state {
            State::Submitted => {
                act(store, &o.head, id, Action::Submit, None).await.unwrap();
            }
            State::UnderReview => {
                act(store, &o.reviewer, id, Action::Accept, None).await.unwrap();
            }
            State::PendingDecision => {
                store.record_review(&o.reviewer, ADDR, id, &review(recommended_wan)).await.unwrap();
                act(store, &o.reviewer, id, Action::Forward, None).await.unwrap();
            }
            _ => unreachable!(),
        }
    }
    id
}

async fn state_of(store: &Store, id: i64) -> String {
    store.summary(id).await.unwrap().state
}

async fn audit_seqs(store: &Store) -> Vec<i64> {
    tongchou_store::read!(store, |p| sqlx::query_scalar::<_, i64>("SELECT seq FROM audit_events ORDER BY seq").fetch_all(p).await).unwrap()
}

fn all() -> ListQuery {
    ListQuery { page: 1, page_size: 200, ..Default::default() }
}

// ---------------------------------------------------------------------------------------------
// The demo city
// ---------------------------------------------------------------------------------------------

/// Load the demo and answer its actors by username.
async fn demo_city(store: &Store) -> (demo::DemoSummary, HashMap<String, Actor>) {
    let summary = demo::load_demo(store).await.expect("the demo loads");
    let mut actors = HashMap::new();
    for u in store.users().await.unwrap() {
        actors.insert(u.username.clone(), store.actor(u.id).await.unwrap());
    }
    (summary, actors)
}

async fn visible(store: &Store, who: &Actor) -> Vec<ProjectSummary> {
    let page = store.list_projects(who, &all()).await.expect("listing is never an error");
    assert_eq!(page.total as usize, page.items.len(), "all fit on one page");
    page.items
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_city_loads_every_state_and_its_users_sign_in() {
    on_both(|env| async move {
        let store = &env.store;
        let started = Instant::now();
        let (summary, actors) = demo_city(store).await;
        let took = started.elapsed();
        eprintln!("{:?}: {} in {took:?}", env.backend, summary.describe());
        if env.backend == Backend::Sqlite {
            assert!(took.as_secs_f64() < 10.0, "the demo loads in under 10 s on SQLite (took {took:?})");
        }

        // Organisation: ≥ 15 departments as a tree, 2–8 capital-letter codes.
        let departments = store.departments().await.unwrap();
        assert!(departments.len() >= 15 && summary.departments == departments.len());
        assert!(departments.iter().all(|d| (2..=8).contains(&d.code.len()) && d.code.chars().all(|c| c.is_ascii_uppercase())));
        let by_code: HashMap<&str, &Department> = departments.iter().map(|d| (d.code.as_str(), d)).collect();
        assert_eq!(by_code["JYJ"].name, "市教育局");
        assert!(by_code["JYXX"].path.starts_with(&by_code["JYJ"].path), "sub-units sit under their bureau");
        assert!(departments.iter().any(|d| d.depth() >= 2), "the tree has more than two levels");
        for name in ["市大数据局", "市财政局", "市卫生健康委", "市公安局", "市审计局", "市政务服务中心"] {
            assert!(departments.iter().any(|d| d.name == name), "{name} exists");
        }

        // Applications over every state up to planned.
        assert!(summary.projects >= 40, "{}", summary.projects);
        for state in ["draft", "submitted", "under_review", "pending_decision", "planned", "rejected", "withdrawn"] {
            assert!(summary.by_state.get(state).copied().unwrap_or(0) > 0, "no {state} application in {:?}", summary.by_state);
        }
        assert_eq!(summary.by_state.values().sum::<i64>() as usize, summary.projects);
        let everything = visible(store, &actors["auditor"]).await;
        assert_eq!(everything.len(), summary.projects);
        let code_re = |code: &str, dept: &str| {
            let parts: Vec<&str> = code.split('-').collect();
            parts.len() == 3
                && parts[0] == summary.plan_year.to_string()
                && parts[1] == dept
                && parts[2].len() == 4
                && parts[2].parse::<u32>().is_ok()
        };
        let mut returned = 0;
        for p in &everything {
            assert_eq!(p.plan_year, summary.plan_year);
            let detail = store.project_detail(&actors["auditor"], p.id).await.unwrap();
            assert!((3..=8).contains(&detail.modules.len()), "{}: {} modules", p.name, detail.modules.len());
            assert!(detail.budget_lines.iter().map(|l| l.amount_fen).sum::<i64>() == p.budget_fen && p.budget_fen >= 10 * WAN);
            let actions: Vec<&str> = detail.history.iter().map(|e| e.action.as_str()).collect();
            assert_eq!(actions[0], "create");
            match &p.code {
                None => assert!(p.state == "draft" && !actions.contains(&"submit"), "{}: a never-submitted draft", p.name),
                Some(code) => assert!(code_re(code, &p.department_code), "{}: code {code}", p.name),
            }
            let last = detail.history.last().unwrap();
            assert_eq!(last.after_state, p.state, "{}: the history ends in the current state", p.name);
            match p.state.as_str() {
                "draft" if p.code.is_some() => {
                    returned += 1;
                    assert!(last.action == "return" && !last.comment.is_empty(), "{}: returned with a comment", p.name);
                }
                "rejected" => assert!(last.action == "reject" && !last.comment.is_empty()),
                "withdrawn" => assert_eq!(last.action, "withdraw"),
                "planned" => {
                    assert_eq!(last.action, "approve");
                    let recommended = detail.review.as_ref().expect("reviewed before approval").recommended_fen;
                    let approved = p.approved_fen.expect("an approved amount");
                    assert!(approved > 0 && approved <= recommended && approved <= p.budget_fen, "{}", p.name);
                }
                "pending_decision" => assert!(detail.review.is_some()),
                _ => {}
            }
        }
        assert!(returned >= 2, "some drafts were returned with a comment");
        let under_review: Vec<&ProjectSummary> = everything.iter().filter(|p| p.state == "under_review").collect();
        let mut reviewed = 0;
        let mut with_opinions = 0;
        for p in &under_review {
            let d = store.project_detail(&actors["auditor"], p.id).await.unwrap();
            reviewed += d.review.is_some() as usize;
            with_opinions += d.experts.iter().any(|e| e.score.is_some()) as usize;
        }
        assert!(reviewed > 0 && reviewed < under_review.len(), "some under review have a recorded review, some not");
        assert!(with_opinions > 0, "some have expert opinions");

        // Next year's plan: approved projects, a ceiling with headroom for what is pending, not confirmed.
        let plan = store.plan(&actors["finance"], summary.plan_year).await.unwrap();
        assert!(!plan.confirmed, "the demo leaves next year's plan for the browser flow");
        assert_eq!(plan.items.len() as i64, summary.by_state["planned"]);
        assert_eq!(plan.total_fen, summary.planned_fen);
        assert_eq!(plan.ceiling_fen, Some(summary.ceiling_fen));
        assert!(
            plan.pending_count > 0 && plan.headroom_fen.unwrap() >= plan.pending_fen,
            "headroom for the pending applications: {plan:?}"
        );

        // The 18 sign-in users: each holds exactly the role of its name and signs in.
        for login in DEMO_LOGINS {
            let (username, role) = (login.username, login.role);
            let a = &actors[username];
            assert_eq!(a.roles, vec![role], "{username}");
            assert_eq!(Role::parse(username.trim_end_matches('2')), Some(role), "usernames are the role codes");
            assert_eq!((a.display_name.as_str(), a.department_name.as_str()), (login.display_name, login.department), "{username}");
            assert!(!a.display_name.is_empty() && !a.display_name.is_ascii(), "{username} has a Chinese name");
            let ok =
                store.login(username, DEMO_PASSWORD, ADDR, SessionKind::ApiToken).await.unwrap_or_else(|e| panic!("{username}: {e:?}"));
            assert_eq!(ok.session.actor.username, username);
            assert!(store.session(&ok.token).await.unwrap().is_some());
        }
        assert_eq!(actors["dept_staff"].department_name, "市教育局");
        assert_eq!(actors["dept_head"].department_name, "市教育局");
        assert_eq!(actors["dept_staff2"].department_id, actors["dept_head2"].department_id);
        assert_ne!(actors["dept_staff2"].department_id, actors["dept_staff"].department_id);
        assert_eq!(actors["reviewer"].department_name, "市大数据局");
        assert_eq!(actors["finance"].department_name, "市财政局");
        assert_eq!(actors["auditor"].department_name, "市审计局");
        // Extra department users share the password.
        assert!(store.login("jtj_staff", DEMO_PASSWORD, ADDR, SessionKind::Browser).await.is_ok());

        // The audit trail is gap-free and time runs forward with it, ending before now.
        let seqs = audit_seqs(store).await;
        assert_eq!(seqs, (0..seqs.len() as i64).collect::<Vec<_>>());
        let times: Vec<i64> = tongchou_store::read!(store, |p| sqlx::query_scalar::<_, i64>("SELECT at_ms FROM audit_events ORDER BY seq")
            .fetch_all(p)
            .await)
        .unwrap();
        let demo_times = &times[..summary.audit_events as usize];
        assert!(demo_times.windows(2).all(|w| w[0] <= w[1]), "the demo's history is in order");
        assert!(*demo_times.last().unwrap() < START_MS, "the demo's history lies in the past");

        // Loading again is refused and writes nothing.
        let count = store.audit_count().await.unwrap();
        match demo::load_demo(store).await {
            Err(StoreError::Rule(rule, zh, en)) => {
                assert_eq!(rule, NOT_EMPTY_RULE);
                assert!(zh.contains("已有数据") && en.contains("already holds data"));
            }
            other => panic!("a second load must be refused, got {other:?}"),
        }
        assert_eq!(store.audit_count().await.unwrap(), count);
        assert_eq!(store.departments().await.unwrap().len(), departments.len());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_refuses_a_database_that_holds_data() {
    on_both(|env| async move {
        let store = &env.store;
        let mut tx = store.begin().await.unwrap();
        store.create_department_in(&mut tx, &system(), "BJ", "本地单位", None).await.unwrap();
        tx.commit().await.unwrap();
        assert!(!store.is_empty().await.unwrap());
        let err = demo::load_demo(store).await.expect_err("not into a database with data");
        assert!(matches!(err, StoreError::Rule(NOT_EMPTY_RULE, _, _)), "{err:?}");
        assert_eq!(store.departments().await.unwrap().len(), 1, "nothing loaded");
        assert!(store.users().await.unwrap().is_empty(), "nothing loaded");
    })
    .await;
}

/// Who sees what in the demo city: department trees, the bureau's roles, experts, assigned
/// organisations and the admin duties; and the SQL scope of lists agrees with the policy the
/// detail page applies, for every user over every project.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_scope_in_the_demo_city() {
    on_both(|env| async move {
        let store = &env.store;
        let (_, actors) = demo_city(store).await;
        let everything = visible(store, &actors["auditor"]).await;
        let departments = store.departments().await.unwrap();
        let path_of: HashMap<i64, String> = departments.iter().map(|d| (d.id, d.path.clone())).collect();
        let ids = |items: &[ProjectSummary]| items.iter().map(|p| p.id).collect::<BTreeSet<i64>>();

        // A department user sees their department's subtree, drafts included, and nothing else.
        for who in ["dept_staff", "dept_head", "dept_staff2", "dept_head2"] {
            let a = &actors[who];
            let mine = visible(store, a).await;
            let expected: Vec<ProjectSummary> =
                everything.iter().filter(|p| path_of[&p.department_id].starts_with(&a.department_path)).cloned().collect();
            assert_eq!(ids(&mine), ids(&expected), "{who}");
            assert!(mine.iter().any(|p| p.department_id != a.department_id), "{who} also sees the sub-units' projects");
            assert!(mine.iter().any(|p| p.state == "draft" && p.code.is_none()), "{who} sees the department's drafts");
        }
        let jyj_staff = &actors["dept_staff"];
        let other_drafts: Vec<&ProjectSummary> = everything
            .iter()
            .filter(|p| p.state == "draft" && !path_of[&p.department_id].starts_with(&jyj_staff.department_path))
            .collect();
        assert!(!other_drafts.is_empty());
        for p in other_drafts {
            assert!(
                matches!(store.project_detail(jyj_staff, p.id).await, Err(StoreError::NotFound)),
                "{} is another department's draft",
                p.name
            );
        }

        // The bureau's roles see every application once submitted, never a draft that never was.
        let submitted_ever: Vec<ProjectSummary> = everything.iter().filter(|p| p.code.is_some()).cloned().collect();
        let never_submitted: Vec<&ProjectSummary> = everything.iter().filter(|p| p.code.is_none()).collect();
        assert!(!never_submitted.is_empty());
        for who in ["reviewer", "leadership", "finance"] {
            let seen = visible(store, &actors[who]).await;
            assert_eq!(ids(&seen), ids(&submitted_ever), "{who}");
            assert!(seen.iter().any(|p| p.state == "draft"), "{who} sees returned drafts");
            for p in &never_submitted {
                assert!(matches!(store.project_detail(&actors[who], p.id).await, Err(StoreError::NotFound)));
            }
        }

        // Contractors, supervisors, operators, evaluators and the admin duties: an empty list, not an error.
        for who in ["contractor", "contractor2", "supervisor", "operator", "evaluator", "sysadmin", "secadmin", "auditadmin"] {
            let page = store.list_projects(&actors[who], &all()).await.expect("an empty list, not an error");
            assert_eq!((page.total, page.items.len()), (0, 0), "{who}");
            assert!(matches!(store.project_detail(&actors[who], everything[0].id).await, Err(StoreError::NotFound)));
        }

        // Experts see exactly the applications they are invited to.
        for who in ["expert", "expert2"] {
            let a = &actors[who];
            let invited: BTreeSet<i64> = tongchou_store::read!(store, |p| sqlx::query_scalar::<_, i64>(
                "SELECT project_id FROM expert_invitations WHERE expert_id = $1 AND active = TRUE"
            )
            .bind(a.id)
            .fetch_all(p)
            .await)
            .unwrap()
            .into_iter()
            .collect();
            let seen = visible(store, a).await;
            assert!(!invited.is_empty() && invited.len() < submitted_ever.len(), "{who}");
            assert_eq!(ids(&seen), invited, "{who}");
            let detail = store.project_detail(a, *invited.iter().next().unwrap()).await.unwrap();
            assert!(detail.experts.iter().all(|e| e.expert_id == a.id), "an expert sees only their own opinion");
            assert!(detail.review.is_none(), "the bureau's review is not shown to experts");
        }

        // The list's SQL scope and the detail page's policy agree, for every user and project
        // (users checked in parallel).
        let mut checks = tokio::task::JoinSet::new();
        for (username, a) in actors.clone() {
            let (store, projects) = (store.clone(), everything.clone());
            checks.spawn(async move {
                let listed: BTreeSet<i64> = visible(&store, &a).await.into_iter().map(|p| p.id).collect();
                for p in &projects {
                    let detail = store.project_detail(&a, p.id).await;
                    match (&detail, listed.contains(&p.id)) {
                        (Ok(_), true) | (Err(StoreError::NotFound), false) => {}
                        _ => panic!(
                            "{username} / {}: listed = {}, detail = {:?}",
                            p.name,
                            listed.contains(&p.id),
                            detail.map(|d| d.record.id)
                        ),
                    }
                }
                projects.len()
            });
        }
        let mut pairs = 0;
        while let Some(checked) = checks.join_next().await {
            pairs += checked.expect("scope check");
        }
        assert!(pairs >= 18 * 40);

        // An expert sees an application only while invited.
        let expert = &actors["expert"];
        let invited_under_review =
            visible(store, expert).await.into_iter().find(|p| p.state == "under_review").expect("an invitation under review");
        store.set_invitation(&actors["reviewer"], ADDR, invited_under_review.id, expert.id, false).await.unwrap();
        assert!(visible(store, expert).await.iter().all(|p| p.id != invited_under_review.id));
        assert!(matches!(store.project_detail(expert, invited_under_review.id).await, Err(StoreError::NotFound)));
        store.set_invitation(&actors["reviewer"], ADDR, invited_under_review.id, expert.id, true).await.unwrap();
        assert!(store.project_detail(expert, invited_under_review.id).await.is_ok());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn todo_lists_show_what_awaits_each_role() {
    on_both(|env| async move {
        let store = &env.store;
        let (summary, actors) = demo_city(store).await;
        let everything = visible(store, &actors["auditor"]).await;
        let in_states =
            |states: &[&str]| everything.iter().filter(|p| states.contains(&p.state.as_str())).map(|p| p.id).collect::<BTreeSet<i64>>();
        let todo_ids = |items: &[tongchou_store::todo::TodoItem], kind: &str| {
            items.iter().filter(|i| i.kind == kind).filter_map(|i| i.project_id).collect::<BTreeSet<i64>>()
        };

        let reviewer = store.todo(&actors["reviewer"]).await.unwrap();
        assert_eq!(todo_ids(&reviewer, "action"), in_states(&["submitted", "under_review"]), "the reviewer accepts and reviews");

        let leadership = store.todo(&actors["leadership"]).await.unwrap();
        assert_eq!(todo_ids(&leadership, "action"), in_states(&["pending_decision"]), "the leadership decides");

        let finance = store.todo(&actors["finance"]).await.unwrap();
        assert!(
            finance.iter().any(|i| i.kind == "confirm_plan" && i.plan_year == Some(summary.plan_year)),
            "finance confirms next year's plan: {finance:?}"
        );

        // Experts: invited, under review, no opinion yet.
        for who in ["expert", "expert2"] {
            let a = &actors[who];
            let items = store.todo(a).await.unwrap();
            let awaiting = todo_ids(&items, "expert_opinion");
            assert!(!awaiting.is_empty(), "{who} has an opinion to give");
            for id in &awaiting {
                let d = store.project_detail(a, *id).await.unwrap();
                assert_eq!(d.record.state, "under_review");
                assert!(d.experts.iter().any(|e| e.expert_id == a.id && e.score.is_none()));
            }
        }
        let expert_todo: BTreeSet<String> = store.todo(&actors["expert"]).await.unwrap().into_iter().map(|i| i.name).collect();
        assert!(expert_todo.contains("校园安全视频联网系统"), "{expert_todo:?}");

        // Department clerks: their drafts, returned ones included.
        let dept_staff = &actors["dept_staff"];
        let drafts: BTreeSet<i64> = visible(store, dept_staff).await.into_iter().filter(|p| p.state == "draft").map(|p| p.id).collect();
        let items = store.todo(dept_staff).await.unwrap();
        assert!(drafts.len() >= 2);
        assert_eq!(todo_ids(&items, "action"), drafts);
        assert!(items.iter().any(|i| i.name == "教师发展管理系统" && i.code.is_some()), "the returned draft awaits revision");

        for who in ["contractor", "sysadmin", "auditor"] {
            assert!(store.todo(&actors[who]).await.unwrap().is_empty(), "{who} has nothing to do");
        }
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// The lifecycle
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_goes_from_draft_into_the_annual_plan() {
    on_both(|env| async move {
        let store = &env.store;
        let o = org(store).await;
        let year = env.plan_year();

        let id = store.create_draft(&o.staff, ADDR, application("智慧教育云平台二期", 500)).await.unwrap();
        let draft = store.summary(id).await.unwrap();
        assert_eq!((draft.state.as_str(), draft.code.as_deref(), draft.plan_year), ("draft", None, year));

        env.advance_minutes(30);
        let submitted = act(store, &o.head, id, Action::Submit, None).await.unwrap();
        let code = format!("{year}-JYJ-0001");
        assert_eq!((submitted.state.as_str(), submitted.code.as_deref()), ("submitted", Some(code.as_str())));

        // Returned with a reason, revised, resubmitted: the code stays.
        act(store, &o.reviewer, id, Action::Return, Some("请补充可行性研究报告。")).await.unwrap();
        assert_eq!(store.summary(id).await.unwrap().code.as_deref(), Some(code.as_str()));
        let mut revised = application("智慧教育云平台二期", 480);
        revised.modules.pop();
        store.update_draft(&o.staff, ADDR, id, revised, None).await.unwrap();
        let again = act(store, &o.staff, id, Action::Submit, None).await.unwrap();
        assert_eq!(again.code.as_deref(), Some(code.as_str()), "the code is kept through return and resubmission");

        // The next application of the department takes the next number.
        let other = store.create_draft(&o.staff, ADDR, application("教师发展管理系统", 100)).await.unwrap();
        let other = act(store, &o.head, other, Action::Submit, None).await.unwrap();
        assert_eq!(other.code, Some(format!("{year}-JYJ-0002")));

        act(store, &o.reviewer, id, Action::Accept, None).await.unwrap();
        assert_eq!(refusal(act(store, &o.reviewer, id, Action::Forward, None).await), Refusal::ReviewMissing);
        store.record_review(&o.reviewer, ADDR, id, &review(430)).await.unwrap();
        act(store, &o.reviewer, id, Action::Forward, Some("提请审定")).await.unwrap();
        env.advance_minutes(60);
        let planned = act(store, &o.leader, id, Action::Approve, None).await.unwrap();
        assert_eq!(planned.state, "planned");
        assert_eq!(planned.approved_fen, Some(430 * WAN), "approved at the reviewer's recommendation");

        let plan = store.plan(&o.finance, year).await.unwrap();
        assert_eq!(plan.items.len(), 1);
        assert_eq!((plan.items[0].id, plan.items[0].approved_fen), (id, 430 * WAN));
        assert_eq!(plan.total_fen, 430 * WAN);
        assert_eq!(plan.ceiling_fen, None, "no ceiling set: allowed");
        assert_eq!(plan.by_department[0].key, "市教育局");

        let detail = store.project_detail(&o.staff, id).await.unwrap();
        assert_eq!(detail.record.approved_year, Some(year));
        let steps: Vec<(&str, &str, &str)> =
            detail.history.iter().map(|e| (e.action.as_str(), e.before_state.as_str(), e.after_state.as_str())).collect();
        assert_eq!(
            steps,
            vec![
                ("create", "", "draft"),
                ("submit", "draft", "submitted"),
                ("return", "submitted", "draft"),
                ("update", "draft", "draft"),
                ("submit", "draft", "submitted"),
                ("accept", "submitted", "under_review"),
                ("record_review", "under_review", "under_review"),
                ("forward", "under_review", "pending_decision"),
                ("approve", "pending_decision", "planned"),
            ]
        );
        let ret = &detail.history[2];
        assert_eq!((ret.actor.as_str(), ret.role.as_str(), ret.comment.as_str()), ("reviewer", "reviewer", "请补充可行性研究报告。"));
        assert_eq!(detail.history[8].at_ms, START_MS + 90 * MINUTE, "the injected clock stamps the events");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn return_and_reject_require_a_reason() {
    on_both(|env| async move {
        let store = &env.store;
        let o = org(store).await;
        let submitted = application_at(store, &o, "学生综合素质评价系统", 200, State::Submitted).await;
        let pending = application_at(store, &o, "中小学招生入学一件事系统", 300, State::PendingDecision).await;
        let audit = store.audit_count().await.unwrap();
        for comment in [None, Some("   ")] {
            let r = refusal(act(store, &o.reviewer, submitted, Action::Return, comment).await);
            assert_eq!(r, Refusal::CommentRequired);
            assert_eq!(r.kind(), RefusalKind::Validation);
            assert!(r.message(Lang::Zh).contains("意见"));
            assert_eq!(refusal(act(store, &o.leader, pending, Action::Reject, comment).await), Refusal::CommentRequired);
            assert_eq!(refusal(act(store, &o.leader, pending, Action::Return, comment).await), Refusal::CommentRequired);
        }
        assert_eq!(store.audit_count().await.unwrap(), audit, "refusals write nothing");
        assert_eq!((state_of(store, submitted).await, state_of(store, pending).await), ("submitted".into(), "pending_decision".into()));

        act(store, &o.leader, pending, Action::Reject, Some("与已建系统重复，不予立项。")).await.unwrap();
        assert_eq!(state_of(store, pending).await, "rejected");
        let last = store.history("project", &pending.to_string()).await.unwrap().pop().unwrap();
        assert_eq!((last.action.as_str(), last.comment.as_str()), ("reject", "与已建系统重复，不予立项。"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_reviews_or_decides_their_own_application() {
    on_both(|env| async move {
        let store = &env.store;
        let o = org(store).await;
        // Drafted and submitted by a clerk who is also a reviewer.
        let own = store.create_draft(&o.staff_reviewer, ADDR, application("教育数据中心建设", 300)).await.unwrap();
        act(store, &o.staff_reviewer, own, Action::Submit, None).await.unwrap();
        let audit = store.audit_count().await.unwrap();
        let r = refusal(act(store, &o.staff_reviewer, own, Action::Accept, None).await);
        assert_eq!(r, Refusal::ConflictOfInterest);
        assert!(r.message(Lang::Zh).contains("回避"));
        assert_eq!(refusal(act(store, &o.staff_reviewer, own, Action::Return, Some("退回")).await), Refusal::ConflictOfInterest);
        assert!(store.todo(&o.staff_reviewer).await.unwrap().iter().all(|i| i.project_id != Some(own)), "not on their own to-do");

        act(store, &o.reviewer, own, Action::Accept, None).await.unwrap();
        let audit_after_accept = store.audit_count().await.unwrap();
        assert_eq!(audit_after_accept, audit + 1);
        assert!(matches!(
            store.record_review(&o.staff_reviewer, ADDR, own, &review(250)).await,
            Err(StoreError::Refused(Refusal::ConflictOfInterest))
        ));
        assert!(matches!(
            store.set_invitation(&o.staff_reviewer, ADDR, own, o.expert.id, true).await,
            Err(StoreError::Refused(Refusal::ConflictOfInterest))
        ));
        store.record_review(&o.reviewer, ADDR, own, &review(250)).await.unwrap();
        assert_eq!(refusal(act(store, &o.staff_reviewer, own, Action::Forward, None).await), Refusal::ConflictOfInterest);

        // Submitted by a head who sits in the leadership group: they may not decide it.
        let submitted_by_leader = store.create_draft(&o.staff, ADDR, application("教师发展管理系统", 150)).await.unwrap();
        act(store, &o.head_leader, submitted_by_leader, Action::Submit, None).await.unwrap();
        act(store, &o.reviewer, submitted_by_leader, Action::Accept, None).await.unwrap();
        store.record_review(&o.reviewer, ADDR, submitted_by_leader, &review(120)).await.unwrap();
        act(store, &o.reviewer, submitted_by_leader, Action::Forward, None).await.unwrap();
        let audit = store.audit_count().await.unwrap();
        assert_eq!(refusal(act(store, &o.head_leader, submitted_by_leader, Action::Approve, None).await), Refusal::ConflictOfInterest);
        assert_eq!(refusal(act(store, &o.head_leader, submitted_by_leader, Action::Reject, Some("否")).await), Refusal::ConflictOfInterest);
        assert_eq!(store.audit_count().await.unwrap(), audit);
        assert_eq!(state_of(store, submitted_by_leader).await, "pending_decision");
        act(store, &o.leader, submitted_by_leader, Action::Approve, None).await.unwrap();

        // And another department's clerk cannot submit JYJ's draft.
        let draft = store.create_draft(&o.staff, ADDR, application("校园安全视频联网系统", 100)).await.unwrap();
        assert!(matches!(act(store, &o.staff2, draft, Action::Submit, None).await, Err(StoreError::NotFound)), "not even visible");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approval_over_the_ceiling_is_refused_with_the_figures_and_writes_nothing() {
    on_both(|env| async move {
        let store = &env.store;
        let o = org(store).await;
        let year = env.plan_year();
        store.set_ceiling(&o.finance, ADDR, year, 1_000 * WAN).await.unwrap();
        let a = application_at(store, &o, "智慧教育云平台二期", 800, State::PendingDecision).await;
        let b = application_at(store, &o, "教育城域网升级改造", 300, State::PendingDecision).await;
        act(store, &o.leader, a, Action::Approve, None).await.unwrap();

        let audit = store.audit_count().await.unwrap();
        let r = refusal(act(store, &o.leader, b, Action::Approve, None).await);
        assert_eq!(
            r,
            Refusal::CeilingExceeded {
                year: year as i32,
                ceiling: Fen(1_000 * WAN),
                planned_total: Fen(800 * WAN),
                amount: Fen(300 * WAN)
            }
        );
        assert_eq!(r.kind(), RefusalKind::CeilingExceeded);
        let zh = r.message(Lang::Zh);
        assert!(["1,000.00", "800.00", "300.00", "1,100.00", "100.00"].iter().all(|f| zh.contains(f)), "{zh}");
        assert_eq!(store.audit_count().await.unwrap(), audit, "no audit event");
        assert_eq!(state_of(store, b).await, "pending_decision");
        let plan = store.plan(&o.finance, year).await.unwrap();
        assert_eq!((plan.total_fen, plan.items.len(), plan.headroom_fen), (800 * WAN, 1, Some(200 * WAN)));
        assert_eq!(store.summary(b).await.unwrap().approved_fen, None);

        // The ceiling cannot drop below what is planned; exactly at the ceiling is fine.
        assert!(matches!(
            store.set_ceiling(&o.finance, ADDR, year, 700 * WAN).await,
            Err(StoreError::Rule("plan.ceiling_below_total", _, _))
        ));
        let input = ActInput { approved_fen: Some(200 * WAN), ..Default::default() };
        let ok = store.act(&o.leader, ADDR, b, Action::Approve, &input).await.unwrap();
        assert_eq!(ok.approved_fen, Some(200 * WAN));
        assert_eq!(store.plan(&o.finance, year).await.unwrap().headroom_fen, Some(0));

        // Three approvals at once, each within the ceiling alone, two together at most: the
        // plan row is locked, so they cannot all squeeze under it.
        let next = year + 1;
        store.set_ceiling(&o.finance, ADDR, next, 1_000 * WAN).await.unwrap();
        let mut ids = vec![];
        for n in 0..3 {
            ids.push(application_at(store, &o, &format!("同时审定项目{n}"), 400, State::PendingDecision).await);
        }
        let audit = store.audit_count().await.unwrap();
        let mut approvals = tokio::task::JoinSet::new();
        for id in ids {
            let (store, leader) = (store.clone(), o.leader.clone());
            approvals.spawn(async move {
                let input = ActInput { plan_year: Some(next), ..Default::default() };
                store.act(&leader, ADDR, id, Action::Approve, &input).await
            });
        }
        let mut approved = 0;
        while let Some(r) = approvals.join_next().await {
            match r.unwrap() {
                Ok(_) => approved += 1,
                Err(StoreError::Refused(Refusal::CeilingExceeded { planned_total, amount, .. })) => {
                    assert_eq!((planned_total, amount), (Fen(800 * WAN), Fen(400 * WAN)));
                }
                Err(e) => panic!("{e:?}"),
            }
        }
        assert_eq!(approved, 2);
        assert_eq!(store.plan(&o.finance, next).await.unwrap().total_fen, 800 * WAN);
        assert_eq!(store.audit_count().await.unwrap(), audit + 2);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmed_plan_is_locked() {
    on_both(|env| async move {
        let store = &env.store;
        let o = org(store).await;
        let year = env.plan_year();
        let a = application_at(store, &o, "智慧教育云平台二期", 500, State::PendingDecision).await;
        let b = application_at(store, &o, "教育城域网升级改造", 300, State::PendingDecision).await;
        act(store, &o.leader, a, Action::Approve, None).await.unwrap();
        assert!(store.todo(&o.finance).await.unwrap().iter().any(|i| i.kind == "confirm_plan" && i.plan_year == Some(year)));
        assert!(matches!(store.confirm_plan(&o.leader, ADDR, year).await, Err(StoreError::Forbidden(_))), "only finance confirms");
        store.confirm_plan(&o.finance, ADDR, year).await.unwrap();
        let plan = store.plan(&o.finance, year).await.unwrap();
        assert!(plan.confirmed && plan.confirmed_at == Some(START_MS));
        assert!(store.todo(&o.finance).await.unwrap().iter().all(|i| i.kind != "confirm_plan"));

        let audit = store.audit_count().await.unwrap();
        let r = refusal(act(store, &o.leader, b, Action::Approve, None).await);
        assert_eq!(r, Refusal::PlanLocked { year: year as i32 });
        assert_eq!(r.kind(), RefusalKind::PlanLocked);
        assert!(matches!(
            store.set_ceiling(&o.finance, ADDR, year, 10_000 * WAN).await,
            Err(StoreError::Refused(Refusal::PlanLocked { .. }))
        ));
        assert!(matches!(store.confirm_plan(&o.finance, ADDR, year).await, Err(StoreError::Refused(Refusal::PlanLocked { .. }))));
        assert_eq!(store.audit_count().await.unwrap(), audit, "nothing written");
        assert_eq!(state_of(store, b).await, "pending_decision");
        assert_eq!(store.plan(&o.finance, year).await.unwrap().total_fen, 500 * WAN);
        // The next year is still open.
        let input = ActInput { plan_year: Some(year + 1), ..Default::default() };
        let moved = store.act(&o.leader, ADDR, b, Action::Approve, &input).await.unwrap();
        assert_eq!(moved.plan_year, year + 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_people_acting_at_once_exactly_one_wins() {
    on_both(|env| async move {
        let store = &env.store;
        let o = org(store).await;
        let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
        for round in 0..6 {
            let id = application_at(store, &o, &format!("并发测试项目{round}"), 100, State::Submitted).await;
            let before = store.history("project", &id.to_string()).await.unwrap().len();
            let audit = store.audit_count().await.unwrap();
            // Rounds 0–1: the reviewer returns it while the head withdraws it (each excludes the
            // other). Rounds 2–3: the same reviewer accepts twice (a double click). Rounds 4–5:
            // accept and withdraw, both sent with the version their page showed.
            let version = Some(store.summary(id).await.unwrap().version);
            let (first, second) = match round {
                0 | 1 => ((o.reviewer.clone(), Action::Return, None), (o.head.clone(), Action::Withdraw, None)),
                2 | 3 => ((o.reviewer.clone(), Action::Accept, None), (o.reviewer.clone(), Action::Accept, None)),
                _ => ((o.reviewer.clone(), Action::Accept, version), (o.head.clone(), Action::Withdraw, version)),
            };
            let spawn = |(who, action, expected_version): (Actor, Action, Option<i64>)| {
                let store = store.clone();
                tokio::spawn(async move {
                    let input = ActInput { expected_version, comment: Some("同时操作".into()), ..Default::default() };
                    store.act(&who, ADDR, id, action, &input).await.map(|s| (action, s))
                })
            };
            let (a, b) = tokio::join!(spawn(first), spawn(second));
            let results = [a.unwrap(), b.unwrap()];
            let winners: Vec<&(Action, ProjectSummary)> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
            assert_eq!(winners.len(), 1, "round {round}: exactly one wins: {results:?}");
            for r in &results {
                match r {
                    Ok(_) => {}
                    Err(StoreError::Conflict) => *outcomes.entry("conflict".into()).or_default() += 1,
                    Err(StoreError::Refused(Refusal::NotInThisState { .. })) => *outcomes.entry("refused".into()).or_default() += 1,
                    Err(e) => panic!("round {round}: the loser gets a conflict or a refusal, not {e:?}"),
                }
            }
            if round >= 4 {
                assert!(results.iter().any(|r| matches!(r, Err(StoreError::Conflict))), "with versions the loser gets a conflict");
            }
            let (action, won) = winners[0];
            let expected = match action {
                Action::Accept => "under_review",
                Action::Return => "draft",
                _ => "withdrawn",
            };
            assert_eq!(won.state, expected);
            assert_eq!(state_of(store, id).await, expected);
            assert_eq!(store.history("project", &id.to_string()).await.unwrap().len(), before + 1, "one event for one change");
            assert_eq!(store.audit_count().await.unwrap(), audit + 1);
        }
        eprintln!("{:?}: losers {outcomes:?}", env.backend);
        let seqs = audit_seqs(store).await;
        assert_eq!(seqs, (0..seqs.len() as i64).collect::<Vec<_>>(), "gap-free after concurrent writes");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_appends_exactly_one_audit_event_in_order() {
    on_both(|env| async move {
        let store = &env.store;
        let o = org(store).await;
        let mut expected = store.audit_count().await.unwrap();
        let ok = |n: &mut i64| *n += 1;

        let id = store.create_draft(&o.staff, ADDR, application("不动产登记一窗受理系统", 400)).await.unwrap();
        ok(&mut expected);
        assert_eq!(store.audit_count().await.unwrap(), expected);
        let steps: Vec<(Actor, Action, Option<&str>)> = vec![
            (o.head.clone(), Action::Submit, None),
            (o.reviewer.clone(), Action::Return, Some("请补充材料")),
            (o.staff.clone(), Action::Submit, None),
            (o.reviewer.clone(), Action::Accept, None),
        ];
        for (who, action, comment) in steps {
            env.advance_minutes(5);
            // A refused attempt first (wrong role), then the real one.
            assert!(act(store, &o.expert, id, action, comment).await.is_err());
            assert_eq!(store.audit_count().await.unwrap(), expected, "a refusal writes no event");
            act(store, &who, id, action, comment).await.unwrap();
            ok(&mut expected);
            assert_eq!(store.audit_count().await.unwrap(), expected, "{action:?}");
        }
        store.set_invitation(&o.reviewer, ADDR, id, o.expert.id, true).await.unwrap();
        ok(&mut expected);
        let opinion = OpinionInput { score: 85, conclusion: Conclusion::Feasible, opinion: "可行".into() };
        store.give_opinion(&o.expert, ADDR, id, &opinion).await.unwrap();
        ok(&mut expected);
        store.record_review(&o.reviewer, ADDR, id, &review(380)).await.unwrap();
        ok(&mut expected);
        act(store, &o.reviewer, id, Action::Forward, None).await.unwrap();
        ok(&mut expected);
        act(store, &o.head, id, Action::Withdraw, Some("改由省级平台建设")).await.unwrap();
        ok(&mut expected);
        assert_eq!(store.audit_count().await.unwrap(), expected);

        let seqs = audit_seqs(store).await;
        assert_eq!(seqs, (0..expected).collect::<Vec<_>>(), "gap-free sequence");
        let history = store.history("project", &id.to_string()).await.unwrap();
        let got: Vec<(&str, &str, &str, &str)> =
            history.iter().map(|e| (e.action.as_str(), e.actor.as_str(), e.before_state.as_str(), e.after_state.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("create", "staff", "", "draft"),
                ("submit", "head", "draft", "submitted"),
                ("return", "reviewer", "submitted", "draft"),
                ("submit", "staff", "draft", "submitted"),
                ("accept", "reviewer", "submitted", "under_review"),
                ("invite_expert", "reviewer", "under_review", "under_review"),
                ("expert_opinion", "expert", "under_review", "under_review"),
                ("record_review", "reviewer", "under_review", "under_review"),
                ("forward", "reviewer", "under_review", "pending_decision"),
                ("withdraw", "head", "pending_decision", "withdrawn"),
            ]
        );
        assert!(history.windows(2).all(|w| w[0].seq < w[1].seq && w[0].at_ms <= w[1].at_ms));
        assert!(history.iter().all(|e| e.client_addr == ADDR && e.object_type == "project"));
        assert_eq!(history[1].role, "dept_head");
        assert_eq!(history[9].comment, "改由省级平台建设");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_passwords_lock_the_account_until_the_lock_expires() {
    on_both(|env| async move {
        let store = &env.store;
        let o = org(store).await;
        let minutes = store.settings.auth.lockout_minutes as i64;
        assert_eq!((store.settings.auth.lockout_attempts, minutes), (5, 10), "the documented defaults");
        let events = |action: &'static str| {
            let store = store.clone();
            async move {
                tongchou_store::read!(store, |p| sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM audit_events WHERE action = $1 AND actor = 'staff'"
                )
                .bind(action)
                .fetch_one(p)
                .await)
                .unwrap()
            }
        };

        for attempt in 1..=4 {
            let r = store.login("staff", "wrong-password", ADDR, SessionKind::Browser).await;
            assert!(matches!(r, Err(LoginError::BadCredentials)), "attempt {attempt}: {r:?}");
        }
        let r = store.login("staff", "wrong-password", ADDR, SessionKind::Browser).await;
        let until = match r {
            Err(LoginError::Locked { until_ms }) => until_ms,
            other => panic!("the fifth wrong password locks: {other:?}"),
        };
        assert_eq!(until, START_MS + minutes * MINUTE);
        assert_eq!(events("login_failed").await, 5);
        assert_eq!(events("account_locked").await, 1, "the lock is audited");
        let lock =
            store.history("user", &o.staff.id.to_string()).await.unwrap().into_iter().find(|e| e.action == "account_locked").unwrap();
        assert!(lock.detail.contains(&until.to_string()) && lock.client_addr == ADDR);

        // Even the right password is refused while locked, and that is audited too.
        env.advance_minutes(minutes - 1);
        assert!(matches!(store.login("staff", PASSWORD, ADDR, SessionKind::Browser).await, Err(LoginError::Locked { .. })));
        assert_eq!(events("login_refused_locked").await, 1);
        // Other users are not affected.
        assert!(store.login("head", PASSWORD, ADDR, SessionKind::Browser).await.is_ok());

        // After the configured minutes the lock has expired; the counter starts afresh.
        env.advance_minutes(2);
        let ok = store.login("staff", PASSWORD, ADDR, SessionKind::Browser).await.expect("the lock expired");
        assert_eq!(ok.session.actor.id, o.staff.id);
        assert!(matches!(store.login("staff", "wrong-again", ADDR, SessionKind::Browser).await, Err(LoginError::BadCredentials)));
        assert_eq!(events("login").await, 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lockout_follows_configuration() {
    let mut config = Config::default();
    config.auth.lockout_attempts = 2;
    config.auth.lockout_minutes = 1;
    on_both_with(config, |env| async move {
        let store = &env.store;
        org(store).await;
        assert!(matches!(store.login("head", "nope", ADDR, SessionKind::Browser).await, Err(LoginError::BadCredentials)));
        assert!(matches!(store.login("head", "nope", ADDR, SessionKind::Browser).await, Err(LoginError::Locked { until_ms }) if until_ms == START_MS + MINUTE));
        env.advance_minutes(1);
        env.clock.fetch_add(1, Ordering::SeqCst);
        assert!(store.login("head", PASSWORD, ADDR, SessionKind::Browser).await.is_ok());
    })
    .await;
}

#[path = "store/ledger.rs"]
mod ledger;
#[path = "store/overlap.rs"]
mod overlap;

// ---------------------------------------------------------------------------------------------
// The inventory (系统台账), the catalogs and imports.
// ---------------------------------------------------------------------------------------------

mod inventory {
    use super::*;
    use tongchou_domain::directory::{DirectoryRuleInput, RuleClass};
    use tongchou_domain::import::{ImportKind, RawRow, RawTable};
    use tongchou_domain::inventory::{CapabilityInput, Hosting, SynonymInput, SystemInput, SystemModuleInput, SystemStatus};
    use tongchou_domain::policy::Capability;
    use tongchou_store::inventory::{CapabilityQuery, SystemQuery, SystemSort};

    fn system_input(code: &str, name: &str, department_id: i64, modules: &[&str]) -> SystemInput {
        SystemInput {
            code: code.into(),
            name: name.into(),
            department_id,
            operator: "云数信息运维服务有限公司".into(),
            description: "在用业务系统".into(),
            status: SystemStatus::InUse,
            mlps_level: 3,
            hosting: Hosting::GovCloud,
            go_live: Some("2020-06-30".into()),
            annual_om_fen: 35 * WAN,
            project_id: None,
            modules: modules.iter().map(|m| SystemModuleInput { name: m.to_string(), description: String::new() }).collect(),
        }
    }

    async fn events_of(store: &Store, object_type: &str, id: i64) -> Vec<String> {
        store.history(object_type, &id.to_string()).await.unwrap().into_iter().map(|e| e.action).collect()
    }

    #[tokio::test]
    async fn systems_are_versioned_audited_and_bump_the_catalog() {
        on_both(|env| async move {
            let s = &env.store;
            let o = org(s).await;
            let jyj = o.staff.department_id;
            assert_eq!(s.catalog_version().await.unwrap(), 0);
            // a department clerk reads but may not edit; a contractor-less org: sysadmin-like roles are absent
            let refused = s.create_system(&o.staff, ADDR, system_input("YZ-JYJ-001", "教育统一身份认证系统", jyj, &["单点登录"])).await;
            assert!(matches!(refused, Err(StoreError::Forbidden(Capability::ManageCatalogs))), "{refused:?}");
            let id = s
                .create_system(&o.reviewer, ADDR, system_input(" YZ-JYJ-001 ", "教育统一身份认证系统", jyj, &["单点登录", "用户中心", " "]))
                .await
                .unwrap();
            let other = s
                .create_system(&o.reviewer, ADDR, system_input("YZ-WJW-001", "全民健康信息平台", o.staff2.department_id, &["电子健康档案"]))
                .await
                .unwrap();
            assert_eq!(s.catalog_version().await.unwrap(), 2);
            let d = s.system_detail(&o.staff, id).await.unwrap();
            assert_eq!(d.record.code, "YZ-JYJ-001");
            assert_eq!(d.modules.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), vec!["单点登录", "用户中心"]);
            assert_eq!(d.record.version, 1);
            // the same code twice names the field
            let dup = s.create_system(&o.reviewer, ADDR, system_input("YZ-JYJ-001", "重复", jyj, &[])).await;
            match dup {
                Err(StoreError::Invalid(f)) => assert_eq!(f[0].field, "code"),
                other => panic!("{other:?}"),
            }
            let bad = s.create_system(&o.reviewer, ADDR, SystemInput { mlps_level: 9, ..system_input("X-1", "x", jyj, &[""]) }).await;
            match bad {
                Err(StoreError::Invalid(f)) => assert_eq!(f.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), vec!["mlps_level"]),
                other => panic!("{other:?}"),
            }
            // search finds module names; filters narrow
            let q = |text: &str| SystemQuery { q: Some(text.into()), page: 1, page_size: 20, ..Default::default() };
            assert_eq!(s.list_systems(&o.staff, &q("用户中心")).await.unwrap().items[0].id, id);
            assert_eq!(s.list_systems(&o.staff, &q("yz-wjw")).await.unwrap().items[0].id, other);
            let by_dept = SystemQuery { department_id: Some(jyj), page: 1, page_size: 20, ..Default::default() };
            assert_eq!(s.list_systems(&o.staff, &by_dept).await.unwrap().total, 1);
            let sorted = SystemQuery { sort: SystemSort::Code, desc: true, page: 1, page_size: 1, ..Default::default() };
            let page = s.list_systems(&o.staff, &sorted).await.unwrap();
            assert_eq!((page.total, page.items[0].code.as_str(), page.items.len()), (2, "YZ-WJW-001", 1));
            // a stale version is refused; the right one moves it on
            let mut edit = d.to_input();
            edit.modules.push(SystemModuleInput { name: "GIS地图".into(), description: "电子地图展示".into() });
            assert!(matches!(s.update_system(&o.reviewer, ADDR, id, edit.clone(), Some(7)).await, Err(StoreError::Conflict)));
            assert_eq!(s.update_system(&o.reviewer, ADDR, id, edit, Some(1)).await.unwrap(), 2);
            assert_eq!(s.inventory_modules().await.unwrap().iter().filter(|m| m.system_id == id).count(), 3);
            // retiring keeps the record but leaves the detector's view
            assert_eq!(s.retire_system(&o.reviewer, ADDR, id, Some(2)).await.unwrap(), 3);
            assert_eq!(s.system_detail(&o.staff, id).await.unwrap().record.status, "retired");
            assert!(s.inventory_modules().await.unwrap().iter().all(|m| m.system_id != id));
            assert_eq!(events_of(s, "system", id).await, vec!["create_system", "update_system", "retire_system"]);
            let update = &s.history("system", &id.to_string()).await.unwrap()[1];
            assert!(update.detail.contains("GIS地图") && update.actor == "reviewer", "{}", update.detail);
            assert_eq!(s.catalog_version().await.unwrap(), 4);
        })
        .await;
    }

    #[tokio::test]
    async fn capabilities_rules_and_synonyms() {
        on_both(|env| async move {
            let s = &env.store;
            let o = org(s).await;
            let sys = s
                .create_system(
                    &o.reviewer,
                    ADDR,
                    system_input("YZ-DSJ-001", "统一身份认证平台", o.reviewer.department_id, &["统一身份认证"]),
                )
                .await
                .unwrap();
            let cap = CapabilityInput {
                code: "CAP-IAM".into(),
                name: "统一身份认证平台".into(),
                description: "全市统一的身份认证与单点登录服务".into(),
                provider: "市大数据局".into(),
                access_method: "OAuth2 / SAML 接口".into(),
                active: true,
                system_ids: vec![sys, sys],
            };
            let bad = s.create_capability(&o.reviewer, ADDR, CapabilityInput { system_ids: vec![999_999], ..cap.clone() }).await;
            assert!(matches!(bad, Err(StoreError::Invalid(ref f)) if f[0].field == "system_ids[0]"), "{bad:?}");
            let cid = s.create_capability(&o.reviewer, ADDR, cap.clone()).await.unwrap();
            let d = s.capability_detail(&o.staff, cid).await.unwrap();
            assert_eq!((d.systems.len(), d.record.system_count), (1, 1));
            assert_eq!(s.system_detail(&o.staff, sys).await.unwrap().capabilities[0].code, "CAP-IAM");
            let page = s
                .list_capabilities(&o.expert, &CapabilityQuery { q: Some("单点登录".into()), page: 1, page_size: 20, ..Default::default() })
                .await
                .unwrap();
            assert_eq!(page.total, 1);
            assert_eq!(s.active_capabilities().await.unwrap().len(), 1);
            s.update_capability(&o.reviewer, ADDR, cid, CapabilityInput { active: false, ..cap.clone() }, Some(1)).await.unwrap();
            assert!(s.active_capabilities().await.unwrap().is_empty());
            assert!(matches!(s.delete_capability(&o.reviewer, ADDR, cid, Some(1)).await, Err(StoreError::Conflict)));
            s.delete_capability(&o.reviewer, ADDR, cid, Some(2)).await.unwrap();
            assert!(matches!(s.capability_detail(&o.staff, cid).await, Err(StoreError::NotFound)));
            assert!(s.system_detail(&o.staff, sys).await.unwrap().capabilities.is_empty());
            assert_eq!(events_of(s, "capability", cid).await, vec!["create_capability", "update_capability", "delete_capability"]);

            let rule = DirectoryRuleInput {
                class: RuleClass::Forbidden,
                title: "禁止新建独立的统一身份认证系统".into(),
                description: "全市已建统一身份认证平台,各部门应直接对接。".into(),
                keywords: vec!["统一身份认证\n单点登录".into()],
                categories: vec![],
                construction_types: vec![ConstructionType::New],
                active: true,
            };
            assert!(matches!(s.create_directory_rule(&o.staff, ADDR, rule.clone()).await, Err(StoreError::Forbidden(_))));
            let rid = s.create_directory_rule(&o.reviewer, ADDR, rule.clone()).await.unwrap();
            let rules = s.active_directory_rules().await.unwrap();
            assert_eq!(rules[0].keywords, vec!["统一身份认证", "单点登录"]);
            assert_eq!(rules[0].construction_types, vec![ConstructionType::New]);
            let v = s
                .update_directory_rule(&o.reviewer, ADDR, rid, DirectoryRuleInput { active: false, ..rule.clone() }, Some(1))
                .await
                .unwrap();
            assert_eq!(v, 2);
            assert!(s.active_directory_rules().await.unwrap().is_empty());
            assert_eq!(s.list_directory_rules(&o.leader, None).await.unwrap().len(), 1);
            s.delete_directory_rule(&o.reviewer, ADDR, rid, None).await.unwrap();
            assert!(s.list_directory_rules(&o.leader, None).await.unwrap().is_empty());

            let one =
                s.create_synonym(&o.reviewer, ADDR, SynonymInput { terms: vec!["GIS".into(), "gis".into()], note: String::new() }).await;
            assert!(matches!(one, Err(StoreError::Invalid(ref f)) if f[0].field == "terms"));
            let gid = s
                .create_synonym(
                    &o.reviewer,
                    ADDR,
                    SynonymInput {
                        terms: vec!["用户中心|统一身份认证".into(), "账号中心".into()], note: "市级平台别名".into()
                    },
                )
                .await
                .unwrap();
            assert_eq!(s.synonym_groups().await.unwrap(), vec![vec!["用户中心", "统一身份认证", "账号中心"]]);
            assert_eq!(s.list_synonyms(&o.staff).await.unwrap()[0].created_by_name, "reviewer");
            let before = s.catalog_version().await.unwrap();
            s.delete_synonym(&o.reviewer, ADDR, gid).await.unwrap();
            assert!(s.synonym_groups().await.unwrap().is_empty());
            assert_eq!(s.catalog_version().await.unwrap(), before + 1);
            assert_eq!(events_of(s, "synonym", gid).await, vec!["create_synonym", "delete_synonym"]);
        })
        .await;
    }

    fn table(rows: &[&[&str]]) -> RawTable {
        RawTable {
            headers: ["代码", "名称", "主管部门", "模块", "等保级别", "部署方式"].iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| RawRow { line: i + 2, cells: r.iter().map(|s| s.to_string()).collect(), modules: None })
                .collect(),
        }
    }

    #[tokio::test]
    async fn an_import_writes_every_row_or_none() {
        on_both(|env| async move {
            let s = &env.store;
            let o = org(s).await;
            let existing = s
                .create_system(&o.reviewer, ADDR, system_input("YZ-JYJ-001", "教育统一身份认证系统", o.staff.department_id, &["单点登录"]))
                .await
                .unwrap();
            assert!(matches!(s.begin_import(&o.staff, ImportKind::Systems, "x.csv").await, Err(StoreError::Forbidden(_))));
            let audit_before = s.audit_count().await.unwrap();
            // one bad row: the report names it, confirming is refused, nothing is written
            let token = s.begin_import(&o.reviewer, ImportKind::Systems, "家底.csv").await.unwrap();
            let report = s
                .validate_import(
                    &token,
                    ImportKind::Systems,
                    table(&[
                        &["YZ-JYJ-001", "教育统一身份认证系统(二期)", "市教育局", "单点登录；用户中心", "3", "政务云"],
                        &["YZ-WJW-009", "卫健短信平台", "WJW", "短信发送", "高", "自建机房"],
                    ]),
                )
                .await
                .unwrap();
            assert_eq!((report.summary.updated, report.summary.rejected), (1, 1));
            assert!(report.rows[1].messages(Lang::Zh)[0].starts_with("第 3 行:等保级别「高」"), "{:?}", report.rows[1]);
            let state = s.import_state(&o.reviewer, &token).await.unwrap();
            assert_eq!((state.status.as_str(), state.confirmable, state.total_rows, state.processed_rows), ("ready", false, 2, 2));
            assert!(matches!(s.import_state(&o.staff_reviewer, &token).await, Err(StoreError::NotFound)), "only the uploader sees it");
            assert!(matches!(s.confirm_import(&o.reviewer, ADDR, &token).await, Err(StoreError::Rule("import.has_errors", _, _))));
            assert_eq!(s.audit_count().await.unwrap(), audit_before);
            assert_eq!(s.system_detail(&o.staff, existing).await.unwrap().record.name, "教育统一身份认证系统");
            // the fixed file goes in whole, in one transaction
            let token = s.begin_import(&o.reviewer, ImportKind::Systems, "家底.csv").await.unwrap();
            let good = table(&[
                &["YZ-JYJ-001", "教育统一身份认证系统(二期)", "市教育局", "单点登录；用户中心", "3", "政务云"],
                &["YZ-WJW-009", "卫健短信平台", "WJW", "短信发送", "二级", "自建机房"],
            ]);
            let report = s.validate_import(&token, ImportKind::Systems, good.clone()).await.unwrap();
            assert!(report.ok(), "{report:?}");
            let version = s.catalog_version().await.unwrap();
            let summary = s.confirm_import(&o.reviewer, ADDR, &token).await.unwrap();
            assert_eq!((summary.new, summary.updated), (1, 1));
            assert_eq!(s.catalog_version().await.unwrap(), version + 1);
            assert_eq!(s.audit_count().await.unwrap(), audit_before + 3, "one event per row and one for the import");
            let d = s.system_detail(&o.staff, existing).await.unwrap();
            assert_eq!(
                (d.record.name.as_str(), d.modules.len(), d.record.operator.as_str()),
                ("教育统一身份认证系统(二期)", 2, "云数信息运维服务有限公司")
            );
            assert!(matches!(s.confirm_import(&o.reviewer, ADDR, &token).await, Err(StoreError::Rule("import.applied", _, _))));
            // a record changed after the check refuses the whole import
            let token = s.begin_import(&o.reviewer, ImportKind::Systems, "again.csv").await.unwrap();
            let again = table(&[
                &["YZ-NEW-001", "新系统", "市教育局", "报表", "1", "其他"],
                &["YZ-WJW-009", "卫健短信平台(改)", "WJW", "短信发送", "2", "自建机房"],
            ]);
            assert!(s.validate_import(&token, ImportKind::Systems, again).await.unwrap().ok());
            let sms = s
                .list_systems(&o.staff, &SystemQuery { q: Some("YZ-WJW-009".into()), page: 1, page_size: 5, ..Default::default() })
                .await
                .unwrap()
                .items[0]
                .id;
            let mut edit = s.system_detail(&o.staff, sms).await.unwrap().to_input();
            edit.operator = "别人改的".into();
            s.update_system(&o.reviewer, ADDR, sms, edit, None).await.unwrap();
            let err = s.confirm_import(&o.reviewer, ADDR, &token).await.unwrap_err();
            assert!(matches!(err, StoreError::Rule("import.stale", ref zh, _) if zh.starts_with("第 3 行")), "{err:?}");
            assert_eq!(
                s.list_systems(&o.staff, &SystemQuery { q: Some("YZ-NEW".into()), page: 1, page_size: 5, ..Default::default() })
                    .await
                    .unwrap()
                    .total,
                0
            );
            assert_eq!(
                s.import_state(&o.reviewer, &token).await.unwrap().status,
                "ready",
                "a failed confirmation leaves the import as it was"
            );
            // expiry
            env.advance_minutes(61);
            assert!(matches!(s.confirm_import(&o.reviewer, ADDR, &token).await, Err(StoreError::Rule("import.expired", _, _))));
        })
        .await;
    }
}
