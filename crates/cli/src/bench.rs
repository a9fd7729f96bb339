//! `tongchou bench seed`: fill an empty database with the demo city plus N generated applications
//! for the performance benchmark (scripts/bench/run.sh, BENCHMARKS.md).
//!
//! Every application goes through the store's own API, by the user whose job it is (the
//! department's clerk drafts, its head or clerk submits, the reviewer accepts, records the review
//! and forwards, leadership decides), so the rows, the codes and the audit history are the real
//! ones. Workers run concurrently: reads overlap, SQLite's single writer serialises the commits.
//!
//! A block of drafts owned by `dept_staff` (市教育局) is kept back as the write pool: the load
//! script submits them (dept_staff) and returns them (reviewer) over and over.

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;
use tongchou_domain::application::{ApplicationInput, BudgetKind, BudgetLineInput, Category, ConstructionType, FundingSource, ModuleInput};
use tongchou_domain::review::{Conclusion, ReviewInput};
use tongchou_domain::{Action, Actor, Role};
use tongchou_store::projects::ActInput;
use tongchou_store::Store;

const ADDR: &str = "127.0.0.1";
const WAN: i64 = 1_000_000;

const TOPICS: &[&str] = &[
    "政务数据共享交换平台",
    "一网通办服务能力提升",
    "视频监控联网整合",
    "电子证照库扩容",
    "业务协同办公系统",
    "数据中台治理",
    "移动政务应用",
    "网络安全态势感知",
    "档案数字化管理",
    "智能客服与热线整合",
    "应急指挥调度系统",
    "基层治理网格化平台",
];

const MODULES: &[&str] = &[
    "统一身份认证",
    "数据采集与清洗",
    "业务办理子系统",
    "统计分析与决策支持",
    "移动端应用",
    "接口与共享服务",
    "运维监控",
    "安全防护与审计",
    "电子归档",
    "消息通知中心",
];

const BUDGET: &[(BudgetKind, &str)] = &[
    (BudgetKind::Software, "应用软件开发"),
    (BudgetKind::Hardware, "服务器及存储设备"),
    (BudgetKind::Integration, "系统集成与部署"),
    (BudgetKind::OtherConstruction, "监理及测评"),
    (BudgetKind::Operation, "首年运维服务"),
];

/// Where an application ends up (per 100: the share of each fate).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fate {
    Draft,
    Submitted,
    UnderReview,
    Reviewed,
    Pending,
    Planned,
    Rejected,
    Withdrawn,
}

fn fate(i: usize) -> Fate {
    match i % 100 {
        0..=7 => Fate::Draft,
        8..=27 => Fate::Submitted,
        28..=39 => Fate::UnderReview,
        40..=49 => Fate::Reviewed,
        50..=59 => Fate::Pending,
        60..=89 => Fate::Planned,
        90..=94 => Fate::Rejected,
        _ => Fate::Withdrawn,
    }
}

fn input(i: usize, dept: &str, year: i32) -> ApplicationInput {
    let topic = TOPICS[i % TOPICS.len()];
    let n_modules = 4 + (i * 7) % 5;
    let n_lines = 3 + (i * 5) % 3;
    let modules = (0..n_modules)
        .map(|k| {
            let name = MODULES[(i + k * 3) % MODULES.len()];
            ModuleInput {
                name: format!("{name}{}", k + 1),
                description: format!("建设{name}功能，支撑{topic}的日常业务，与市级共性平台对接，满足等保二级要求。"),
                estimate_fen: Some(((i % 37) as i64 + 5 + k as i64 * 3) * 10 * WAN / 10),
            }
        })
        .collect();
    let budget_lines = (0..n_lines)
        .map(|k| {
            let (kind, item) = BUDGET[k];
            BudgetLineInput { kind, item: item.into(), amount_fen: ((i % 53) as i64 + 10 + k as i64 * 7) * WAN }
        })
        .collect();
    ApplicationInput {
        name: format!("{dept}{topic}项目(第{}批)", i + 1),
        category: Category::ALL[i % Category::ALL.len()],
        construction_type: ConstructionType::ALL[i % ConstructionType::ALL.len()],
        plan_year: Some(year),
        description: format!(
            "{dept}现有系统建设年代较早，业务数据分散在多个独立系统中，无法满足{topic}的要求。本项目拟整合现有资源，\
             依托市级政务云和共性平台建设，实现业务全流程网上办理和数据按需共享。"
        ),
        objectives: "提升业务办理效率，减少群众跑腿次数，实现数据一数一源、共享复用。".into(),
        expected_benefits: "预计业务办理时限压缩百分之三十，年节约运维成本约五十万元。".into(),
        funding_source: FundingSource::ALL[i % FundingSource::ALL.len()],
        mlps_level: 2 + (i % 2) as i32,
        produces_shared_data: i.is_multiple_of(2),
        consumes_shared_data: i.is_multiple_of(3),
        planned_start: Some(format!("{year}-03-01")),
        planned_finish: Some(format!("{year}-12-31")),
        modules,
        budget_lines,
    }
}

fn review(i: usize, budget_fen: i64) -> ReviewInput {
    let c = [Conclusion::Feasible, Conclusion::FeasibleWithChanges][i % 2];
    ReviewInput {
        technical_conclusion: c,
        technical_text: "技术路线成熟，依托市级政务云部署，符合总体架构要求。".into(),
        economic_conclusion: c,
        economic_text: "投资估算基本合理，建议核减部分硬件采购费用。".into(),
        risk_conclusion: Conclusion::Feasible,
        risk_text: "数据安全和进度风险可控。".into(),
        recommended_fen: budget_fen * 9 / 10,
    }
}

struct People {
    /// (department name, clerk, head) per department that drafts applications.
    depts: Vec<(String, Actor, Actor)>,
    staff: Actor,
    reviewer: Actor,
    leadership: Actor,
}

async fn actor_named(store: &Store, name: &str) -> Result<Actor> {
    let id = store.user_id_by_name(name).await?.with_context(|| format!("demo user {name} missing"))?;
    Ok(store.actor(id).await?)
}

async fn people(store: &Store) -> Result<People> {
    let staff = store.users_with_role(Role::DeptStaff).await?;
    let heads = store.users_with_role(Role::DeptHead).await?;
    let mut depts = vec![];
    for s in &staff {
        let clerk = store.actor(s.id).await?;
        let Some(h) = heads.iter().find(|h| h.department_id == clerk.department_id) else { continue };
        let head = store.actor(h.id).await?;
        depts.push((clerk.department_name.clone(), clerk, head));
    }
    if depts.is_empty() {
        bail!("no department has both a clerk and a head");
    }
    Ok(People {
        depts,
        staff: actor_named(store, "dept_staff").await?,
        reviewer: actor_named(store, "reviewer").await?,
        leadership: actor_named(store, "leadership").await?,
    })
}

/// One application's journey to its fate.
async fn journey(store: &Store, p: &People, i: usize, write_pool: bool, this_year: i32) -> Result<i64> {
    let act = |who: &Actor, id: i64, action: Action, comment: Option<&str>| {
        let input = ActInput { comment: comment.map(str::to_string), ..Default::default() };
        let store = store.clone();
        let who = who.clone();
        async move { store.act(&who, ADDR, id, action, &input).await.map(|_| ()) }
    };
    // Years without a plan ceiling (the demo sets one for next year only).
    let year = this_year + 2 + (i % 3) as i32;
    if write_pool {
        let dept = p.staff.department_name.clone();
        return Ok(store.create_draft(&p.staff, ADDR, input(i, &dept, year)).await?);
    }
    let (dept, clerk, head) = &p.depts[i % p.depts.len()];
    let inp = input(i, dept, year);
    let budget = inp.budget_total().0;
    let id = store.create_draft(clerk, ADDR, inp).await?;
    let f = fate(i);
    if f == Fate::Draft {
        return Ok(id);
    }
    let submitter = if i.is_multiple_of(3) { clerk } else { head };
    act(submitter, id, Action::Submit, None).await?;
    match f {
        Fate::Submitted => return Ok(id),
        Fate::Withdrawn => return Ok(act(head, id, Action::Withdraw, Some("需求调整，暂缓申报。")).await.map(|_| id)?),
        _ => {}
    }
    act(&p.reviewer, id, Action::Accept, None).await?;
    if f == Fate::UnderReview {
        return Ok(id);
    }
    store.record_review(&p.reviewer, ADDR, id, &review(i, budget)).await?;
    if f == Fate::Reviewed {
        return Ok(id);
    }
    act(&p.reviewer, id, Action::Forward, Some("评审完成，提请领导小组审定。")).await?;
    match f {
        Fate::Planned => act(&p.leadership, id, Action::Approve, Some("同意列入年度建设计划。")).await?,
        Fate::Rejected => act(&p.leadership, id, Action::Reject, Some("与已建系统功能重复，不予立项。")).await?,
        _ => {}
    }
    Ok(id)
}

/// Load the demo city and `projects` generated applications (`write_pool` of them drafts of
/// dept_staff); write the id ranges to `out` (`<data dir>/bench-seed.json`) and stdout, and the
/// ids of the submitted applications, one a line, to `bench-ids.txt` beside it.
pub async fn seed(store: &Store, projects: usize, write_pool: usize, concurrency: usize, out: &Path) -> Result<()> {
    if !store.is_empty().await? {
        bail!("bench seed needs an empty database");
    }
    let t = Instant::now();
    let summary = tongchou_store::demo::load_demo(store).await.map_err(|e| anyhow::anyhow!("loading the demo city: {e}"))?;
    eprintln!("demo city loaded in {:.1} s: {} applications", t.elapsed().as_secs_f64(), summary.projects);
    let mut store = store.clone();
    let mut settings = (*store.settings).clone();
    settings.application.window_blocks = false;
    store.settings = Arc::new(settings);
    let people = Arc::new(people(&store).await?);
    let this_year = store.this_year();
    let write_pool = write_pool.min(projects);
    let generated = projects - write_pool;

    // The write pool first, so that its ids are one contiguous block.
    let (mut first_pool_id, mut last_pool_id) = (0, 0);
    for k in 0..write_pool {
        let id = journey(&store, &people, k, true, this_year).await?;
        if k == 0 {
            first_pool_id = id;
        }
        last_pool_id = id;
    }
    let max_id = Arc::new(AtomicI64::new(last_pool_id));
    let submitted = Arc::new(std::sync::Mutex::new(Vec::with_capacity(generated)));

    let next = Arc::new(AtomicUsize::new(0));
    let t = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let (store, people, next, max_id, submitted) = (store.clone(), people.clone(), next.clone(), max_id.clone(), submitted.clone());
        workers.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= generated {
                    return Ok::<_, anyhow::Error>(());
                }
                let id = journey(&store, &people, i, false, this_year).await.with_context(|| format!("application {i}"))?;
                max_id.fetch_max(id, Ordering::Relaxed);
                if fate(i) != Fate::Draft {
                    submitted.lock().expect("ids").push(id);
                }
                if (i + 1) % 1000 == 0 {
                    eprintln!("  {} / {generated} applications ({:.0}/s)", i + 1, (i + 1) as f64 / t.elapsed().as_secs_f64());
                }
            }
        });
    }
    while let Some(r) = workers.join_next().await {
        r??;
    }
    let last_id = max_id.load(Ordering::Relaxed);
    let summary = serde_json::json!({
        "projects": projects,
        "first_id": 1,
        "last_id": last_id,
        "write_pool": [first_pool_id, last_pool_id],
        "audit_events": store.audit_count().await?,
        "seconds": t.elapsed().as_secs_f64(),
    });
    std::fs::write(out, summary.to_string()).with_context(|| format!("writing {}", out.display()))?;
    // The ids every bureau-side reader (reviewer, leadership) can see: the submitted ones.
    let mut ids = submitted.lock().expect("ids").clone();
    ids.sort_unstable();
    let ids_file = out.with_file_name("bench-ids.txt");
    std::fs::write(&ids_file, ids.iter().map(|i| format!("{i}\n")).collect::<String>())
        .with_context(|| format!("writing {}", ids_file.display()))?;
    println!("{summary}");
    Ok(())
}
