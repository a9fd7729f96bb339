//! The demo city (示范城市): a realistic fictional city, 云州市, loaded by `tongchou serve --demo`
//! into an empty database.
//!
//! What it loads: the city government's departments as a tree (bureaus with their sub-units, three
//! districts/counties) plus the outside organisations (expert committee, contractors, supervisor,
//! operator, evaluator); a sign-in user for every role (usernames = role codes, plus
//! `dept_staff2`, `dept_head2`, `contractor2`, `expert2`) and a clerk and a head for every other
//! department (`jtj_staff`, `jtj_head`, …), all with the password [`DEMO_PASSWORD`]; and 49
//! applications spread over every state up to `planned`, next year's plan ceiling set by finance
//! with headroom for the applications still pending, and next year's plan left unconfirmed.
//!
//! Nothing is written behind the rules' back: every application is drafted, submitted, accepted,
//! reviewed, returned, forwarded, approved, rejected or withdrawn through the store's own API by
//! the user whose job it is, so the to-do lists, the codes and the audit trail are the real ones.
//! The history is played on a simulated clock over the past weeks (monotonic, ending before
//! now), so that the timelines read like a real application season.

use crate::audit::NewEvent;
use crate::projects::ActInput;
use crate::users::NewUser;
use crate::{auth, read, Result, Store, StoreError};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use tongchou_domain::application::{ApplicationInput, BudgetKind, BudgetLineInput, Category, ConstructionType, FundingSource, ModuleInput};
use tongchou_domain::review::{Conclusion, OpinionInput, ReviewInput};
use tongchou_domain::{Action, Actor, Fen, Role};

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "tongchou-demo";

/// The rule id of the error [`load_demo`] answers when the database already holds data.
pub const NOT_EMPTY_RULE: &str = "demo.database_not_empty";

/// A sign-in user of the demo city; the sign-in page of a demo server lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DemoLogin {
    pub username: &'static str,
    /// The one role the user holds (the username without a trailing `2`).
    pub role: Role,
    pub display_name: &'static str,
    pub department_code: &'static str,
    pub department: &'static str,
}

const fn login(
    username: &'static str,
    role: Role,
    display_name: &'static str,
    department_code: &'static str,
    department: &'static str,
) -> DemoLogin {
    DemoLogin { username, role, display_name, department_code, department }
}

/// The 18 sign-in users: one per role code, plus `dept_staff2`/`dept_head2` (another
/// department), `contractor2` and `expert2`, all with the password [`DEMO_PASSWORD`].
pub const DEMO_LOGINS: [DemoLogin; 18] = [
    login("dept_staff", Role::DeptStaff, "王晓琳", "JYJ", "市教育局"),
    login("dept_head", Role::DeptHead, "陈建国", "JYJ", "市教育局"),
    login("dept_staff2", Role::DeptStaff, "刘芳", "WJW", "市卫生健康委"),
    login("dept_head2", Role::DeptHead, "赵立新", "WJW", "市卫生健康委"),
    login("reviewer", Role::Reviewer, "李明远", "DSJ", "市大数据局"),
    login("expert", Role::Expert, "周文博", "ZJWYH", "市数字政府建设专家咨询委员会"),
    login("expert2", Role::Expert, "吴海燕", "ZJWYH", "市数字政府建设专家咨询委员会"),
    login("leadership", Role::Leadership, "孙志强", "ZFB", "市政府办公室"),
    login("finance", Role::Finance, "郑慧敏", "CZJ", "市财政局"),
    login("contractor", Role::Contractor, "黄俊杰", "ZHKJ", "云州智慧城市科技有限公司"),
    login("contractor2", Role::Contractor, "何永安", "HXSZ", "华信数字技术有限公司"),
    login("supervisor", Role::Supervisor, "马丽娟", "ZCJL", "正诚工程监理咨询有限公司"),
    login("operator", Role::Operator, "林涛", "YSYW", "云数信息运维服务有限公司"),
    login("evaluator", Role::Evaluator, "高静", "ZHPG", "中衡信息化绩效评估中心"),
    login("auditor", Role::Auditor, "许国华", "SJJ", "市审计局"),
    login("sysadmin", Role::Sysadmin, "徐磊", "DSJ", "市大数据局"),
    login("secadmin", Role::Secadmin, "朱颖", "DSJ", "市大数据局"),
    login("auditadmin", Role::Auditadmin, "胡斌", "DSJ", "市大数据局"),
];

/// What [`load_demo`] loaded.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DemoSummary {
    pub departments: usize,
    pub users: usize,
    pub projects: usize,
    /// Project count per state code (`draft`, `submitted`, …).
    pub by_state: BTreeMap<String, i64>,
    /// The plan year the applications ask for (next calendar year).
    pub plan_year: i64,
    pub ceiling_fen: i64,
    /// Approved into `plan_year` so far.
    pub planned_fen: i64,
    /// Audit events written while loading.
    pub audit_events: i64,
    /// Inventory systems, shared capabilities and policy-catalog rules loaded.
    pub systems: usize,
    pub capabilities: usize,
    pub directory_rules: usize,
}

impl DemoSummary {
    /// One line for the server log.
    pub fn describe(&self) -> String {
        let states: Vec<String> = self.by_state.iter().map(|(s, n)| format!("{s} {n}")).collect();
        format!(
            "demo city 云州市 loaded: {} departments, {} users, {} systems, {} shared capabilities, {} policy rules, {} applications ({}); {} plan ceiling {} 万元, approved {} 万元",
            self.departments,
            self.users,
            self.systems,
            self.capabilities,
            self.directory_rules,
            self.projects,
            states.join(", "),
            self.plan_year,
            Fen(self.ceiling_fen).wan(),
            Fen(self.planned_fen).wan()
        )
    }
}

/// Load the demo city into an empty database. A database that holds data (any department) is left
/// untouched and answered with `StoreError::Rule(NOT_EMPTY_RULE, …)`.
pub async fn load_demo(store: &Store) -> Result<DemoSummary> {
    if !store.is_empty().await? {
        return Err(StoreError::Rule(
            NOT_EMPTY_RULE,
            "数据库中已有数据，未加载示范数据（示范数据只加载到空数据库）".into(),
            "The database already holds data; the demo city was not loaded (it only loads into an empty database)".into(),
        ));
    }
    let phc = auth::hash_blocking(DEMO_PASSWORD.into()).await;
    let plan_year = store.this_year() as i64 + 1;
    let projects = specs();

    // The simulated clock: the season starts some weeks back, at 09:00 local time.
    let real_now = store.now();
    let rounds = projects.iter().map(|p| steps(p).len()).max().unwrap_or(0) as i64;
    let days_back = ROUND_DAYS * (rounds + 1) + 3;
    let offset_ms = store.settings.server.utc_offset_hours as i64 * HOUR;
    let day_start = |t: i64| (t + offset_ms).div_euclid(DAY) * DAY - offset_ms;
    let t0 = day_start(real_now - days_back * DAY) + 9 * HOUR;
    let sim_clock = Arc::new(AtomicI64::new(t0));
    let mut settings = (*store.settings).clone();
    // The demo's season took place inside the application window, whatever today is.
    settings.application.window_blocks = false;
    let mut sim = store.clone();
    sim.settings = Arc::new(settings);
    sim.clock = {
        let c = sim_clock.clone();
        Arc::new(move || c.load(Ordering::SeqCst))
    };
    let audit_before = store.audit_count().await?;

    let users = create_organisation(&sim, &phc).await?;
    let mut actors: HashMap<String, Actor> = HashMap::new();
    for (name, id) in &users {
        actors.insert(name.clone(), sim.actor(*id).await?);
    }
    let mut city = City { sim, clock: sim_clock, actors, tick: 0, plan_year };

    // The city's existing systems, shared capabilities and policy catalog come first: the
    // applications of the season are checked against them.
    let reviewer = city.actor("reviewer")?;
    let inv_clock = city.clock.clone();
    let (systems, capabilities, directory_rules) = crate::demo_inventory::load(&city.sim, &reviewer, &|| {
        inv_clock.fetch_add(3 * 60_000, Ordering::SeqCst);
    })
    .await?;

    // Finance sets next year's ceiling first, leaving headroom over everything on its way.
    let committed: i64 = projects.iter().filter(|p| p.fate.reaches_decision()).map(|p| p.approved_fen()).sum();
    let ceiling_fen = (committed + HEADROOM_FEN + CEILING_STEP_FEN - 1) / CEILING_STEP_FEN * CEILING_STEP_FEN;
    city.advance();
    let finance = city.actor("finance")?;
    city.sim.set_ceiling(&finance, DEMO_ADDR, plan_year, ceiling_fen).await?;

    let scripts: Vec<Vec<Step>> = projects.iter().map(steps).collect();
    let mut ids: Vec<Option<i64>> = vec![None; projects.len()];
    for round in 0..rounds as usize {
        city.clock.store(t0 + (round as i64 + 1) * ROUND_DAYS * DAY, Ordering::SeqCst);
        for (i, p) in projects.iter().enumerate() {
            let script = &scripts[i];
            let Some(k) = (round + script.len()).checked_sub(rounds as usize) else { continue };
            city.advance();
            city.run(p, i, &mut ids[i], &script[k]).await?;
        }
    }

    let by_state: Vec<(String, i64)> =
        read!(store, |p| sqlx::query_as("SELECT state, COUNT(*) FROM projects GROUP BY state ORDER BY state").fetch_all(p).await)?;
    let planned_fen: i64 = read!(store, |p| sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(approved_fen), 0) AS BIGINT) FROM projects WHERE approved_year = $1"
    )
    .bind(plan_year)
    .fetch_one(p)
    .await)?;
    Ok(DemoSummary {
        departments: DEPARTMENTS.len(),
        users: users.len(),
        projects: projects.len(),
        by_state: by_state.into_iter().collect(),
        plan_year,
        ceiling_fen,
        planned_fen,
        audit_events: store.audit_count().await? - audit_before,
        systems,
        capabilities,
        directory_rules,
    })
}

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
/// Days between two steps of an application's journey.
const ROUND_DAYS: i64 = 5;
const DEMO_ADDR: &str = "127.0.0.1";
const WAN: i64 = 1_000_000;
/// Room left under the ceiling beyond what is approved or awaiting the decision: 3,000 万元.
const HEADROOM_FEN: i64 = 3_000 * WAN;
const CEILING_STEP_FEN: i64 = 1_000 * WAN;

/// (code, name, parent code). Codes are the short codes of project codes (`2027-JYJ-0001`).
const DEPARTMENTS: &[(&str, &str, Option<&str>)] = &[
    ("YZS", "云州市人民政府", None),
    ("ZFB", "市政府办公室", Some("YZS")),
    ("DSJ", "市大数据局", Some("YZS")),
    ("DSJZX", "市大数据中心", Some("DSJ")),
    ("CZJ", "市财政局", Some("YZS")),
    ("JYJ", "市教育局", Some("YZS")),
    ("JYXX", "市教育信息技术中心", Some("JYJ")),
    ("WJW", "市卫生健康委", Some("YZS")),
    ("JKZX", "市疾病预防控制中心", Some("WJW")),
    ("RMYY", "市人民医院", Some("WJW")),
    ("GAJ", "市公安局", Some("YZS")),
    ("JJZD", "市公安局交通警察支队", Some("GAJ")),
    ("RSJ", "市人社局", Some("YZS")),
    ("MZJ", "市民政局", Some("YZS")),
    ("JTJ", "市交通运输局", Some("YZS")),
    ("ZRZY", "市自然资源和规划局", Some("YZS")),
    ("STHJ", "市生态环境局", Some("YZS")),
    ("SCJG", "市市场监管局", Some("YZS")),
    ("YJJ", "市应急管理局", Some("YZS")),
    ("ZJJ", "市住建局", Some("YZS")),
    ("WLJ", "市文旅局", Some("YZS")),
    ("ZWFW", "市政务服务中心", Some("YZS")),
    ("SJJ", "市审计局", Some("YZS")),
    ("LJQ", "临江区人民政府", Some("YZS")),
    ("QSQ", "青山区人民政府", Some("YZS")),
    ("YXX", "云溪县人民政府", Some("YZS")),
    ("WBDW", "外部协作单位", None),
    ("ZJWYH", "市数字政府建设专家咨询委员会", Some("WBDW")),
    ("ZHKJ", "云州智慧城市科技有限公司", Some("WBDW")),
    ("HXSZ", "华信数字技术有限公司", Some("WBDW")),
    ("ZCJL", "正诚工程监理咨询有限公司", Some("WBDW")),
    ("YSYW", "云数信息运维服务有限公司", Some("WBDW")),
    ("ZHPG", "中衡信息化绩效评估中心", Some("WBDW")),
];

/// Departments whose clerk and head are not sign-in users of their own but draft and submit the
/// department's applications (`<code>_staff`, `<code>_head`, same password).
const CLERK_DEPARTMENTS: &[&str] = &[
    "DSJ", "DSJZX", "CZJ", "JYXX", "JKZX", "GAJ", "JJZD", "RSJ", "MZJ", "JTJ", "ZRZY", "STHJ", "SCJG", "YJJ", "ZJJ", "WLJ", "ZWFW", "SJJ",
    "LJQ", "QSQ", "YXX",
];

const SURNAMES: &[&str] = &[
    "张", "杨", "黄", "罗", "梁", "宋", "谢", "韩", "唐", "冯", "董", "程", "曹", "袁", "邓", "傅", "沈", "曾", "彭", "吕", "苏", "卢",
    "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "余",
];
const GIVEN_NAMES: &[&str] = &[
    "伟", "秀英", "志刚", "丽华", "海峰", "雪梅", "振华", "晓东", "红霞", "永强", "春燕", "国庆", "文静", "建华", "玉兰", "卫东", "佳慧",
    "子涵", "明辉", "淑珍", "立军", "慧玲", "建平", "小红", "俊峰", "桂英", "德胜", "晓燕", "宏伟", "艳芳", "晨", "思远",
];

fn clerk_names(code: &str) -> [String; 2] {
    let lc = code.to_ascii_lowercase();
    [format!("{lc}_staff"), format!("{lc}_head")]
}

/// A deterministic, plausible Chinese name for the `n`-th generated person.
fn person_name(n: usize) -> String {
    format!("{}{}", SURNAMES[n % SURNAMES.len()], GIVEN_NAMES[(n * 7 + 3) % GIVEN_NAMES.len()])
}

/// The organisation in one transaction; answers username → user id.
async fn create_organisation(sim: &Store, phc: &str) -> Result<Vec<(String, i64)>> {
    let who = NewEvent {
        actor: "system".into(),
        role: "system".into(),
        client_addr: DEMO_ADDR.into(),
        comment: "加载示范城市数据 / demo city".into(),
        ..Default::default()
    };
    let mut tx = sim.begin().await?;
    let mut dept_ids: HashMap<&str, i64> = HashMap::new();
    for (code, name, parent) in DEPARTMENTS {
        let parent_id = parent.map(|p| dept_ids[p]);
        let d = sim.create_department_in(&mut tx, &who, code, name, parent_id).await?;
        dept_ids.insert(code, d.id);
    }
    let mut users = vec![];
    for l in DEMO_LOGINS {
        let department_id = dept_ids[l.department_code];
        let u = NewUser { username: l.username, display_name: l.display_name, department_id, roles: &[l.role], password_hash: phc };
        users.push((l.username.to_string(), sim.create_user_in(&mut tx, &who, &u).await?));
    }
    for (i, code) in CLERK_DEPARTMENTS.iter().enumerate() {
        let [staff, head] = clerk_names(code);
        for (j, (username, role)) in [(staff, Role::DeptStaff), (head, Role::DeptHead)].into_iter().enumerate() {
            let display = person_name(i * 2 + j);
            let u =
                NewUser { username: &username, display_name: &display, department_id: dept_ids[code], roles: &[role], password_hash: phc };
            let id = sim.create_user_in(&mut tx, &who, &u).await?;
            users.push((username, id));
        }
    }
    tx.commit().await?;
    Ok(users)
}

pub(crate) fn data_error(what: &str) -> StoreError {
    StoreError::Rule("demo.data", format!("示范数据有误：{what}"), format!("Demo data is inconsistent: {what}"))
}

/// The clerk (drafts) and the head (submits, withdraws) of a department.
fn department_people(code: &str) -> [String; 2] {
    match code {
        "JYJ" => ["dept_staff".into(), "dept_head".into()],
        "WJW" => ["dept_staff2".into(), "dept_head2".into()],
        other => clerk_names(other),
    }
}

/// How an application's season ends.
#[derive(Debug, Clone, Copy)]
enum Fate {
    /// Drafted, never submitted.
    Draft,
    /// Submitted, returned by the reviewer before acceptance (comment).
    Returned(&'static str),
    Submitted,
    /// Returned (comment), revised by dropping a module, resubmitted: the code is kept.
    Resubmitted {
        comment: &'static str,
        drop_module: &'static str,
    },
    /// Accepted for review; `experts` invited, the first `opinions` of them answered, the review
    /// recorded or not; then what follows.
    Review {
        experts: &'static [&'static str],
        opinions: usize,
        reviewed: bool,
        then: Then,
    },
    /// Withdrawn by the department while waiting for acceptance (reason).
    Withdrawn(&'static str),
}

#[derive(Debug, Clone, Copy)]
enum Then {
    /// Still under review.
    Stay,
    /// Returned by the reviewer during the review.
    Return(&'static str),
    /// Forwarded: waiting for the leadership's decision.
    Forward,
    /// Forwarded and returned by the leadership.
    LeaderReturn(&'static str),
    /// Approved into the plan, at the recommended amount or at this many 万元.
    Approve(Option<i64>),
    Reject(&'static str),
    /// Withdrawn during the review.
    Withdraw(&'static str),
    /// Forwarded, then withdrawn before the decision.
    WithdrawPending(&'static str),
}

impl Fate {
    /// Is it approved or awaiting the decision at the end of the season?
    fn reaches_decision(&self) -> bool {
        matches!(self, Fate::Review { then: Then::Forward | Then::Approve(_), .. })
    }
}

#[derive(Debug, Clone, Copy)]
enum Step {
    Create,
    Revise(&'static str),
    Submit,
    Accept,
    ReturnByReviewer(&'static str),
    ReturnByLeadership(&'static str),
    Invite,
    Opinions(usize),
    Review,
    Forward,
    Approve(Option<i64>),
    Reject(&'static str),
    Withdraw(&'static str),
}

fn steps(p: &Spec) -> Vec<Step> {
    use Step::*;
    match p.fate {
        Fate::Draft => vec![Create],
        Fate::Returned(c) => vec![Create, Submit, ReturnByReviewer(c)],
        Fate::Submitted => vec![Create, Submit],
        Fate::Resubmitted { comment, drop_module } => vec![Create, Submit, ReturnByReviewer(comment), Revise(drop_module), Submit],
        Fate::Withdrawn(c) => vec![Create, Submit, Withdraw(c)],
        Fate::Review { experts, opinions, reviewed, then } => {
            let mut v = vec![Create, Submit, Accept];
            if !experts.is_empty() {
                v.push(Invite);
            }
            if opinions > 0 {
                v.push(Opinions(opinions));
            }
            if reviewed {
                v.push(Review);
            }
            v.extend(match then {
                Then::Stay => vec![],
                Then::Return(c) => vec![ReturnByReviewer(c)],
                Then::Forward => vec![Forward],
                Then::LeaderReturn(c) => vec![Forward, ReturnByLeadership(c)],
                Then::Approve(a) => vec![Forward, Approve(a)],
                Then::Reject(c) => vec![Forward, Reject(c)],
                Then::Withdraw(c) => vec![Withdraw(c)],
                Then::WithdrawPending(c) => vec![Forward, Withdraw(c)],
            });
            v
        }
    }
}

struct City {
    sim: Store,
    clock: Arc<AtomicI64>,
    actors: HashMap<String, Actor>,
    tick: i64,
    plan_year: i64,
}

impl City {
    /// A few minutes pass between two actions.
    fn advance(&mut self) {
        self.tick += 1;
        let minutes = 6 + (self.tick * 7) % 17;
        self.clock.fetch_add(minutes * 60_000, Ordering::SeqCst);
    }

    /// A few minutes pass between two calls of one step (two invitations, two opinions).
    fn a_little_later(&self) {
        self.clock.fetch_add(4 * 60_000, Ordering::SeqCst);
    }

    fn actor(&self, username: &str) -> Result<Actor> {
        self.actors.get(username).cloned().ok_or_else(|| data_error(username))
    }

    async fn act(&self, who: &str, id: i64, action: Action, comment: Option<&str>, approved_fen: Option<i64>) -> Result<()> {
        let input = ActInput { comment: comment.map(str::to_string), approved_fen, ..Default::default() };
        let actor = self.actor(who)?;
        if action == Action::Forward {
            // The demo reviewer has weighed each 禁止类 policy-catalog match before forwarding.
            let report = self.sim.overlap_report(&actor, id, tongchou_domain::Lang::Zh).await?;
            for hit in report.directory.iter().filter(|h| h.class == "forbidden" && h.override_reason.is_none()) {
                let reason = "经核查,本项目仅对接全市统一平台,不另行新建同类系统";
                self.sim.override_directory_rule(&actor, DEMO_ADDR, id, hit.rule_id, reason, tongchou_domain::Lang::Zh).await?;
            }
        }
        self.sim.act(&actor, DEMO_ADDR, id, action, &input).await?;
        Ok(())
    }

    async fn run(&self, p: &Spec, index: usize, id: &mut Option<i64>, step: &Step) -> Result<()> {
        let [clerk, head] = department_people(p.dept);
        if let Step::Create = step {
            *id = Some(self.sim.create_draft(&self.actor(&clerk)?, DEMO_ADDR, p.input(self.plan_year)?).await?);
            return Ok(());
        }
        let id = id.ok_or_else(|| data_error(p.name))?;
        // Heads submit most applications; some clerks submit their own.
        let submitter = [&clerk, &head, &head][index % 3];
        match *step {
            Step::Create => {}
            Step::Revise(drop_module) => {
                let mut input = p.input(self.plan_year)?;
                let dropped = input.modules.iter().position(|m| m.name == drop_module).ok_or_else(|| data_error(drop_module))?;
                let saved = input.modules.remove(dropped).estimate_fen.unwrap_or(0);
                if let Some(line) = input.budget_lines.iter_mut().find(|l| l.kind == BudgetKind::Software) {
                    line.amount_fen = (line.amount_fen - saved).max(0);
                }
                input.description.push_str(&format!("（已按评审意见修改：取消自建“{drop_module}”模块，改为复用市级共性平台。）"));
                self.sim.update_draft(&self.actor(&clerk)?, DEMO_ADDR, id, input, None).await?;
            }
            Step::Submit => self.act(submitter, id, Action::Submit, None, None).await?,
            Step::Accept => self.act("reviewer", id, Action::Accept, None, None).await?,
            Step::ReturnByReviewer(c) => self.act("reviewer", id, Action::Return, Some(c), None).await?,
            Step::ReturnByLeadership(c) => self.act("leadership", id, Action::Return, Some(c), None).await?,
            Step::Invite => {
                let reviewer = self.actor("reviewer")?;
                for e in p.experts() {
                    let expert = self.actor(e)?;
                    self.sim.set_invitation(&reviewer, DEMO_ADDR, id, expert.id, true).await?;
                    self.a_little_later();
                }
            }
            Step::Opinions(n) => {
                // The experts' views match where the application ends up.
                let pool: &[usize] = match p.fate {
                    Fate::Review { then: Then::Reject(_), .. } => &[5, 1],
                    Fate::Review { then: Then::Return(_) | Then::LeaderReturn(_), .. } => &[1, 4],
                    _ => &[0, 2, 3, 4, 1],
                };
                for (k, e) in p.experts().iter().take(n).enumerate() {
                    let (score, conclusion, text) = OPINIONS[pool[(index + k) % pool.len()]];
                    let input = OpinionInput { score, conclusion, opinion: text.into() };
                    self.sim.give_opinion(&self.actor(e)?, DEMO_ADDR, id, &input).await?;
                    self.a_little_later();
                }
            }
            Step::Review => self.sim.record_review(&self.actor("reviewer")?, DEMO_ADDR, id, &p.review(index)).await?,
            Step::Forward => self.act("reviewer", id, Action::Forward, Some("评审完成，提请领导小组审定。"), None).await?,
            Step::Approve(wan) => {
                let comment = match wan {
                    Some(w) => format!("同意列入年度建设计划，批复金额调整为 {} 万元，请按批复金额控制投资。", Fen(w * WAN).wan()),
                    None => "同意列入年度建设计划，请按批复金额控制投资。".into(),
                };
                self.act("leadership", id, Action::Approve, Some(&comment), wan.map(|w| w * WAN)).await?
            }
            Step::Reject(c) => self.act("leadership", id, Action::Reject, Some(c), None).await?,
            Step::Withdraw(c) => self.act(&head, id, Action::Withdraw, Some(c), None).await?,
        }
        Ok(())
    }
}

/// Expert opinions the demo's experts give, in turn: (score, conclusion, text).
const OPINIONS: &[(i64, Conclusion, &str)] = &[
    (
        88,
        Conclusion::Feasible,
        "项目建设必要性充分，技术路线成熟可行，建设内容与我市数字政府总体规划相符。建议按程序审定，实施中做好与市级共性平台的衔接。",
    ),
    (
        76,
        Conclusion::FeasibleWithChanges,
        "建设内容总体合理，但部分功能模块与已建系统和市级共性能力存在交叉，建议压减重复建设内容，核减相应预算后实施。",
    ),
    (
        82,
        Conclusion::FeasibleWithChanges,
        "建议进一步细化数据共享清单，明确向市公共数据平台汇聚的数据项、共享方式和更新频率，落实“不共享不审批”要求。",
    ),
    (91, Conclusion::Feasible, "需求调研扎实，绩效目标明确可量化，预算测算依据较充分。建议同步开展等保测评和商用密码应用安全性评估。"),
    (
        68,
        Conclusion::FeasibleWithChanges,
        "硬件采购规模偏大，建议优先使用政务云资源，不再单独采购服务器和存储设备；运维费用应按实际工作量重新测算。",
    ),
    (
        62,
        Conclusion::NotFeasible,
        "主要功能与已建系统高度重叠，重复建设问题突出，建议不予单独立项，通过数据共享和复用现有平台满足业务需求。",
    ),
];

/// One application of the demo.
struct Spec {
    dept: &'static str,
    name: &'static str,
    category: Category,
    kind: ConstructionType,
    funding: FundingSource,
    mlps: i32,
    produces: bool,
    consumes: bool,
    /// `MM-DD` in the plan year.
    start: &'static str,
    /// `MM-DD` in the plan year, or `+MM-DD` in the year after.
    finish: &'static str,
    description: &'static str,
    objectives: &'static str,
    benefits: &'static str,
    /// (name, description, estimate in 万元)
    modules: &'static [(&'static str, &'static str, i64)],
    /// (kind, item, amount in 万元)
    lines: &'static [(BudgetKind, &'static str, i64)],
    /// The reviewer's recommended amount as a percentage of the requested budget.
    recommend_pct: i64,
    /// The reviewer's technical remark.
    note: &'static str,
    fate: Fate,
}

impl Spec {
    fn budget_fen(&self) -> i64 {
        self.lines.iter().map(|l| l.2 * WAN).sum()
    }

    /// Recommended amount, rounded down to whole 万元.
    fn recommended_fen(&self) -> i64 {
        self.budget_fen() * self.recommend_pct / 100 / WAN * WAN
    }

    /// What an approval or a pending decision commits against the ceiling.
    fn approved_fen(&self) -> i64 {
        match self.fate {
            Fate::Review { then: Then::Approve(Some(wan)), .. } => wan * WAN,
            _ => self.recommended_fen(),
        }
    }

    fn experts(&self) -> &'static [&'static str] {
        match self.fate {
            Fate::Review { experts, .. } => experts,
            _ => &[],
        }
    }

    fn input(&self, plan_year: i64) -> Result<ApplicationInput> {
        let date = |md: &str| match md.strip_prefix('+') {
            Some(rest) => format!("{}-{rest}", plan_year + 1),
            None => format!("{plan_year}-{md}"),
        };
        let input = ApplicationInput {
            name: self.name.into(),
            category: self.category,
            construction_type: self.kind,
            plan_year: Some(plan_year as i32),
            description: self.description.into(),
            objectives: self.objectives.into(),
            expected_benefits: self.benefits.into(),
            funding_source: self.funding,
            mlps_level: self.mlps,
            produces_shared_data: self.produces,
            consumes_shared_data: self.consumes,
            planned_start: Some(date(self.start)),
            planned_finish: Some(date(self.finish)),
            modules: self
                .modules
                .iter()
                .map(|(name, description, wan)| ModuleInput {
                    name: (*name).into(),
                    description: (*description).into(),
                    estimate_fen: Some(wan * WAN),
                })
                .collect(),
            budget_lines: self
                .lines
                .iter()
                .map(|(kind, item, wan)| BudgetLineInput { kind: *kind, item: (*item).into(), amount_fen: wan * WAN })
                .collect(),
        };
        if !(3..=8).contains(&input.modules.len()) || input.budget_total().0 <= 0 {
            return Err(data_error(self.name));
        }
        Ok(input)
    }

    fn review(&self, index: usize) -> ReviewInput {
        let rejected = matches!(self.fate, Fate::Review { then: Then::Reject(_), .. });
        let pct = self.recommend_pct;
        let technical_conclusion = if rejected {
            Conclusion::NotFeasible
        } else if pct >= 95 {
            Conclusion::Feasible
        } else {
            Conclusion::FeasibleWithChanges
        };
        let economic_conclusion = if rejected {
            Conclusion::NotFeasible
        } else if pct >= 90 {
            Conclusion::Feasible
        } else {
            Conclusion::FeasibleWithChanges
        };
        let budget = Fen(self.budget_fen());
        let recommended = Fen(self.recommended_fen());
        let cut = Fen(budget.0 - recommended.0);
        let technical_text = match (technical_conclusion, self.note) {
            (Conclusion::NotFeasible, note) => format!("技术方案不可行。{note}"),
            (_, "") => "技术方案可行，总体架构符合全市政务信息化“统一规划、统一建设”要求，应部署在市政务云并接入统一运维监控。".to_string(),
            (Conclusion::Feasible, note) => format!("技术方案可行。{note}"),
            (Conclusion::FeasibleWithChanges, note) => format!("技术方案基本可行，需按以下意见调整：{note}"),
        };
        let economic_text = if cut.0 == 0 {
            format!("申报预算 {} 万元，测算依据充分，建议按申报金额批复。", budget.wan())
        } else {
            const REASONS: [&str; 3] = ["核减与市级共性能力重复的建设内容", "硬件部分优先使用政务云资源", "运维费按建设费用比例重新核定"];
            format!(
                "申报预算 {} 万元，经核定建议批复 {} 万元，核减 {} 万元，主要为{}。",
                budget.wan(),
                recommended.wan(),
                cut.wan(),
                REASONS[index % REASONS.len()]
            )
        };
        let risk_text = if self.mlps >= 3 {
            "系统拟定等保三级，须同步开展等级保护测评和商用密码应用安全性评估；涉及个人信息的数据应脱敏处理并留存访问日志。".to_string()
        } else {
            "系统拟定等保二级，主要风险为跨部门数据对接进度，建议明确各方对接责任和时间节点。".to_string()
        };
        ReviewInput {
            technical_conclusion,
            technical_text,
            economic_conclusion,
            economic_text,
            risk_conclusion: Conclusion::Feasible,
            risk_text,
            recommended_fen: recommended.0,
        }
    }
}

const H: BudgetKind = BudgetKind::Hardware;
const S: BudgetKind = BudgetKind::Software;
const I: BudgetKind = BudgetKind::Integration;
const O: BudgetKind = BudgetKind::OtherConstruction;
const M: BudgetKind = BudgetKind::Operation;

const BOTH: &[&str] = &["expert", "expert2"];
const E1: &[&str] = &["expert"];
const E2: &[&str] = &["expert2"];
const NONE: &[&str] = &[];

fn specs() -> Vec<Spec> {
    use Category as C;
    use ConstructionType as T;
    use FundingSource as F;
    let review = |experts, opinions, reviewed, then| Fate::Review { experts, opinions, reviewed, then };
    vec![
        // 市大数据局 and its centre
        Spec {
            dept: "DSJ",
            name: "城市运行一网统管平台",
            category: C::Platform,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "+06-30",
            description: "整合城管、应急、交通、生态环境、公安等部门的城市运行数据和视频资源，建设市级城市运行管理中心平台，实现城市运行态势“一屏统览”、事件“一网统管”、跨部门协同处置“一键联动”。",
            objectives: "建成市、区两级城市运行管理平台，汇聚不少于30个部门的运行数据，接入视频点位2万路以上，实现事件发现、分拨、处置、反馈全流程闭环，平均处置时长缩短30%。",
            benefits: "推动城市治理由被动处置向主动发现转变，减少部门重复建设指挥调度系统，预计每年节约相关系统运维费用约300万元。",
            modules: &[
                ("城市运行体征监测", "构建涵盖交通、环境、安全、民生等领域的城市运行指标体系，实时监测与预警", 420),
                ("事件统一受理分拨", "汇聚12345热线、网格巡查、物联感知等渠道事件，统一受理、智能分拨", 360),
                ("跨部门协同处置", "事件跨部门流转、督办、考核，处置结果全程留痕", 280),
                ("城市运行GIS一张图", "基于二三维地图展示城市部件、事件和资源分布", 220),
                ("视频资源汇聚调度", "对接公安、交通、城管等视频资源，按需调阅", 180),
                ("领导驾驶舱", "面向市领导的综合态势展示和决策辅助大屏", 160),
            ],
            lines: &[(H, "服务器、存储及大屏显示设备", 780), (S, "平台软件开发及采购", 1620), (I, "系统集成及部门数据对接", 360), (O, "监理、测评及咨询服务", 140), (M, "首年运维服务", 240)],
            recommend_pct: 90,
            note: "GIS一张图应复用市自然资源和规划局的地图服务，视频资源统一从公安视频共享平台调取，不再单独采购。",
            fate: review(BOTH, 2, true, Then::Approve(Some(2700))),
        },
        Spec {
            dept: "DSJ",
            name: "政务云平台扩容（三期）",
            category: C::Infrastructure,
            kind: T::Upgrade,
            funding: F::SpecialFund,
            mlps: 3,
            produces: false,
            consumes: false,
            start: "02-15",
            finish: "10-31",
            description: "现有政务云资源使用率已超过85%，为满足各部门新增业务系统上云需求，扩容计算、存储和安全资源，并升级云管平台，实现资源统一申请、计量和回收。",
            objectives: "新增vCPU 8000核、内存32TB、存储2PB，资源使用率控制在70%以内；实现政务云资源按需分配、按量计费。",
            benefits: "集约化承载全市部门业务系统，避免各部门自建机房，预计减少分散采购服务器约600台。",
            modules: &[
                ("计算资源池扩容", "新增国产化服务器及虚拟化资源", 1450),
                ("存储资源池扩容", "新增分布式存储及备份存储", 980),
                ("云安全资源池", "云防火墙、主机安全、数据库审计等安全能力", 420),
                ("云管平台升级", "多云纳管、资源计量计费、自助服务门户", 260),
            ],
            lines: &[(H, "国产化服务器及分布式存储设备", 2380), (S, "云管平台及虚拟化软件", 520), (I, "云资源部署及迁移集成", 210), (O, "等保测评及密码应用安全性评估", 90), (M, "政务云运维服务", 360)],
            recommend_pct: 88,
            note: "扩容规模与近两年资源增长趋势基本匹配，建议分批采购，优先满足已批复项目的上云需求。",
            fate: review(E1, 1, true, Then::Approve(None)),
        },
        Spec {
            dept: "DSJ",
            name: "公共数据共享交换平台升级",
            category: C::Data,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "12-31",
            description: "对现有公共数据共享交换平台进行升级，完善数据资源目录、共享交换和数据治理能力，支撑“一网通办”“一网统管”跨部门数据调用。",
            objectives: "编目数据资源不少于5000类，日均数据交换量达到1亿条，数据共享申请平均办理时间缩短至3个工作日。",
            benefits: "打破部门数据壁垒，实现数据“一次采集、多方复用”，减少群众和企业重复提交材料。",
            modules: &[
                ("数据资源目录管理", "目录编制、发布、挂接与变更管理", 180),
                ("数据共享交换通道", "库表、接口、文件多种方式共享交换", 260),
                ("数据质量管理", "数据质量规则、稽核与问题数据反馈", 150),
                ("数据接口网关", "统一接口注册、鉴权、限流与调用监控", 140),
                ("数据安全审计", "数据访问日志、敏感数据识别与脱敏", 120),
            ],
            lines: &[(H, "数据交换服务器", 260), (S, "平台软件升级开发", 850), (I, "与各部门业务系统对接", 220), (O, "监理及测评", 60), (M, "运维服务", 150)],
            recommend_pct: 92,
            note: "",
            fate: review(BOTH, 2, true, Then::Forward),
        },
        Spec {
            dept: "DSJ",
            name: "统一身份认证平台二期",
            category: C::Platform,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: false,
            start: "04-01",
            finish: "12-31",
            description: "在一期基础上扩展统一身份认证能力，为全市各部门业务系统提供统一用户管理、单点登录和多因子认证服务，支撑电子证照调用和政务服务实名核验。",
            objectives: "接入部门业务系统不少于120个，统一管理公务人员账号3万个、自然人和法人用户500万个。",
            benefits: "各部门不再单独建设用户认证模块，避免重复投资；群众和企业“一次认证、全网通办”。",
            modules: &[
                ("统一身份认证", "自然人、法人、公务人员三类用户统一认证", 260),
                ("单点登录", "基于OAuth2/OIDC的单点登录服务", 120),
                ("多因子认证", "短信、人脸识别、数字证书等多因子认证", 140),
                ("电子证照调用授权", "用户授权调用电子证照的授权与记录", 90),
                ("用户行为分析", "登录行为分析与异常账号预警", 80),
            ],
            lines: &[(H, "认证服务器及密码设备", 210), (S, "平台软件开发", 690), (I, "业务系统接入改造", 150), (O, "密码应用安全性评估", 45), (M, "运维服务", 90)],
            recommend_pct: 95,
            note: "",
            fate: review(BOTH, 2, true, Then::Stay),
        },
        Spec {
            dept: "DSJZX",
            name: "电子证照库扩展建设",
            category: C::Data,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "03-15",
            finish: "11-30",
            description: "扩展市电子证照库，新增不动产、社保、医保、教育等高频证照类型，完善证照签发、归集和用证授权能力。",
            objectives: "新增电子证照类型60类，归集历史证照1200万张，高频事项用证率达到90%以上。",
            benefits: "群众办事免交纸质证照，减少证明材料，实现“免证办”。",
            modules: &[
                ("电子证照归集", "历史证照数据清洗、归集与入库", 160),
                ("电子证照签发", "证照模板管理与在线签发", 110),
                ("电子签章", "证照加盖电子印章及验章服务", 70),
                ("用证授权管理", "持证人授权用证及用证记录", 60),
            ],
            lines: &[(S, "证照库扩展开发", 400), (I, "部门证照系统对接", 120), (O, "历史证照数据治理", 80), (M, "运维服务", 60)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Submitted,
        },
        Spec {
            dept: "DSJZX",
            name: "政务外网安全防护体系建设",
            category: C::Security,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: false,
            consumes: false,
            start: "03-01",
            finish: "10-31",
            description: "针对政务外网边界分散、安全监测能力不足等问题，建设统一的安全监测预警、威胁情报和应急响应体系，落实网络安全等级保护2.0要求。",
            objectives: "实现全市政务外网出口统一安全防护，安全事件发现时间缩短至10分钟内，高危漏洞修复率100%。",
            benefits: "降低重大网络安全事件风险，满足等级保护和关键信息基础设施保护要求。",
            modules: &[
                ("安全态势感知", "全网流量采集与威胁分析", 320),
                ("边界防护", "出口防火墙、入侵防御、抗DDoS", 260),
                ("终端安全管理", "政务终端准入与防病毒", 150),
                ("漏洞管理", "资产测绘、漏洞扫描与修复跟踪", 90),
                ("应急响应", "安全事件处置流程与应急演练", 60),
            ],
            lines: &[(H, "安全防护设备", 720), (S, "态势感知平台软件", 360), (I, "部署集成", 80), (O, "渗透测试及等保测评", 110), (M, "安全运营服务", 240)],
            recommend_pct: 93,
            note: "",
            fate: review(E2, 1, true, Then::Approve(None)),
        },
        // 市教育局 and its centre
        Spec {
            dept: "JYJ",
            name: "智慧教育云平台二期",
            category: C::Platform,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "+07-31",
            description: "在一期教育资源公共服务平台基础上，整合全市中小学教学资源、教务管理和家校互动应用，建设覆盖市、区、校三级的智慧教育云平台，推进教育数字化转型。",
            objectives: "覆盖全市386所中小学、45万名师生，汇聚优质数字教育资源20万条，实现师生“一人一空间”。",
            benefits: "促进优质教育资源共享，缩小城乡教育差距；减少学校分散建设平台，预计节约各校信息化经费约800万元。",
            modules: &[
                ("教学资源中心", "数字教材、微课、试题等资源汇聚与共享", 380),
                ("统一身份认证", "师生、家长统一账号与登录", 120),
                ("智慧课堂", "互动教学、课堂录播与学情分析", 260),
                ("家校互动", "通知、作业、成绩与家长沟通", 140),
                ("教育数据分析", "学业质量与教学过程数据分析", 180),
                ("移动端应用", "面向师生、家长的移动应用", 90),
            ],
            lines: &[(H, "云资源及录播设备", 460), (S, "平台软件开发", 1170), (I, "与现有教务系统集成", 180), (O, "监理及测评", 70), (M, "运维服务", 160)],
            recommend_pct: 88,
            note: "“统一身份认证”模块应接入市统一身份认证平台，不再单独建设，相应核减预算。",
            fate: review(BOTH, 2, true, Then::Approve(None)),
        },
        Spec {
            dept: "JYJ",
            name: "中小学招生入学“一件事”系统",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "01-15",
            finish: "06-30",
            description: "围绕义务教育招生入学，打通公安户籍、不动产登记、社保等数据，实现入学报名、资格审核、学位分配、录取查询“一件事一次办”。",
            objectives: "全市义务教育阶段新生在线报名率达到95%以上，家长提交材料减少70%，审核时间由10天缩短至3天。",
            benefits: "家长“零跑腿”，减轻学校和教育部门人工审核工作量。",
            modules: &[
                ("网上报名", "家长在线填报、材料上传及进度查询", 120),
                ("入学资格数据核验", "对接户籍、房产、社保数据自动核验入学资格", 150),
                ("学位分配", "学区划片与学位智能分配", 110),
                ("录取管理", "录取结果发布与短信通知", 60),
                ("电子证照调用", "调用户口簿、不动产权证书等电子证照", 40),
            ],
            lines: &[(S, "系统开发", 480), (I, "跨部门数据对接", 120), (O, "等保测评", 30), (M, "运维服务", 60)],
            recommend_pct: 90,
            note: "",
            fate: review(E1, 1, true, Then::Forward),
        },
        Spec {
            dept: "JYJ",
            name: "校园安全视频联网系统",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: false,
            start: "04-01",
            finish: "12-31",
            description: "将全市中小学、幼儿园校园视频监控接入教育局监管平台，实现校园安全隐患的实时监控、智能预警和联动处置。",
            objectives: "接入学校视频点位1.2万路，重点部位智能识别预警准确率达到90%。",
            benefits: "提升校园安全管理水平，与公安视频共享平台互联互通。",
            modules: &[
                ("视频资源汇聚", "学校视频监控统一接入与存储", 260),
                ("智能预警分析", "校园周界入侵、人员聚集等智能识别", 180),
                ("GIS地图展示", "学校分布及视频点位地图展示", 60),
                ("联动处置", "预警事件推送公安、学校联动处置", 80),
            ],
            lines: &[(H, "视频存储及接入设备", 520), (S, "平台软件", 380), (I, "学校接入集成", 260), (M, "运维服务", 90)],
            recommend_pct: 80,
            note: "视频资源汇聚应依托公安视频共享平台，GIS地图展示复用市级地图服务。",
            fate: review(E1, 0, false, Then::Stay),
        },
        Spec {
            dept: "JYJ",
            name: "教育质量监测分析系统",
            category: C::Data,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: false,
            start: "03-01",
            finish: "12-31",
            description: "建设覆盖中小学学业质量、体质健康、教师发展的教育质量监测分析系统，为教育决策提供数据支撑。",
            objectives: "形成全市教育质量监测指标体系，每年出具区域和学校教育质量分析报告。",
            benefits: "以数据驱动教育质量提升，实现精准教研和精准管理。",
            modules: &[
                ("监测指标管理", "学业质量、体质健康等指标体系维护", 60),
                ("监测数据采集", "考试、测评数据采集与清洗", 80),
                ("统计分析", "多维统计与对比分析", 90),
                ("报告生成", "区域、学校质量报告自动生成", 50),
            ],
            lines: &[(S, "系统开发", 280), (I, "数据对接", 40), (M, "运维服务", 30)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Draft,
        },
        Spec {
            dept: "JYJ",
            name: "教师发展管理系统",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: false,
            consumes: true,
            start: "03-01",
            finish: "11-30",
            description: "实现教师招聘、职称评审、继续教育学时、交流轮岗等业务的全流程信息化管理。",
            objectives: "覆盖全市2.8万名在编教师，教师业务网上办理率达到100%。",
            benefits: "减少教师纸质材料报送，提高教师人事管理效率。",
            modules: &[
                ("教师电子档案", "教师基本信息与电子档案", 70),
                ("继续教育学时管理", "培训登记与学时认定", 60),
                ("职称评审", "职称申报、评审与公示", 80),
                ("交流轮岗管理", "教师交流轮岗计划与执行", 40),
                ("统一身份认证", "教师账号认证", 30),
            ],
            lines: &[(S, "系统开发", 300), (I, "与人事系统对接", 50), (M, "运维服务", 40)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Returned("建设内容与“智慧教育云平台二期”的教师空间存在重叠，请说明两者边界，补充可行性研究报告后重新申报。"),
        },
        Spec {
            dept: "JYJ",
            name: "学生综合素质评价系统",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: false,
            start: "02-01",
            finish: "08-31",
            description: "依据中考改革要求，建设初中、高中学生综合素质评价系统，记录学生思想品德、学业水平、身心健康、艺术素养和社会实践情况。",
            objectives: "覆盖全市初高中学生18万人，评价结果作为中考、高考招生的重要参考。",
            benefits: "促进学生全面发展，评价过程公开透明、可追溯。",
            modules: &[
                ("成长记录", "学生成长档案与佐证材料上传", 90),
                ("多元评价", "学校、教师、学生多元评价", 80),
                ("公示审核", "评价结果公示、申诉与审核", 50),
                ("数据统计", "评价数据统计分析", 40),
            ],
            lines: &[(H, "存储设备", 30), (S, "系统开发", 260), (M, "运维服务", 40)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Submitted,
        },
        Spec {
            dept: "JYXX",
            name: "教育城域网升级改造",
            category: C::Infrastructure,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: false,
            consumes: false,
            start: "03-01",
            finish: "09-30",
            description: "对运行已超过8年的教育城域网核心和汇聚设备进行更新，学校出口带宽由百兆提升至千兆，并全面支持IPv6。",
            objectives: "实现全市中小学千兆到校、百兆到班，城域网核心可用率达到99.9%。",
            benefits: "满足智慧课堂、录播等应用的带宽需求，淘汰老旧网络设备。",
            modules: &[
                ("核心网络升级", "核心交换及路由设备更新", 420),
                ("汇聚层改造", "区县汇聚节点改造", 360),
                ("学校出口扩容", "学校出口带宽扩容", 180),
                ("网络管理平台", "城域网统一网管与流量监测", 80),
            ],
            lines: &[(H, "网络设备", 1020), (I, "布线及系统集成", 180), (O, "监理", 40), (M, "线路租用及运维", 260)],
            recommend_pct: 92,
            note: "",
            fate: review(NONE, 0, true, Then::Approve(None)),
        },
        Spec {
            dept: "JYXX",
            name: "教育数据中心建设",
            category: C::Data,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "04-01",
            finish: "12-31",
            description: "汇聚教育局各业务系统数据，建设教育数据中心和教育专题数据库，并按要求向市公共数据平台共享。",
            objectives: "汇聚学生、教师、学校等基础数据，建成5个教育专题库。",
            benefits: "消除教育系统内部数据孤岛，为教育治理提供数据支撑。",
            modules: &[
                ("数据汇聚", "各业务系统数据抽取汇聚", 120),
                ("专题数据库", "学生、教师、学校等专题库", 100),
                ("数据共享服务", "向市公共数据平台共享数据", 60),
                ("数据可视化大屏", "教育数据综合展示", 80),
            ],
            lines: &[(H, "服务器及存储", 180), (S, "系统开发", 360), (M, "运维服务", 50)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Draft,
        },
        // 市卫生健康委 and its units
        Spec {
            dept: "WJW",
            name: "全民健康信息平台升级",
            category: C::Platform,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "+03-31",
            description: "升级市级全民健康信息平台，完善电子健康档案、电子病历共享调阅和医疗机构互联互通能力，支撑分级诊疗和医保支付方式改革。",
            objectives: "实现全市二级以上医院和基层医疗卫生机构100%接入，检查检验结果互认项目达到200项。",
            benefits: "减少群众重复检查，每年节约医疗费用约3000万元。",
            modules: &[
                ("电子健康档案", "居民健康档案整合与开放调阅", 260),
                ("电子病历共享", "跨机构电子病历调阅", 240),
                ("检查检验互认", "检查检验结果共享与互认", 180),
                ("医疗服务监管", "医疗行为与费用监管", 150),
                ("统一身份认证", "医务人员统一认证", 60),
                ("数据可视化大屏", "卫生健康运行监测大屏", 90),
            ],
            lines: &[(H, "服务器及存储", 380), (S, "平台软件", 980), (I, "医疗机构接入", 320), (O, "测评", 60), (M, "运维服务", 200)],
            recommend_pct: 90,
            note: "“统一身份认证”“数据可视化大屏”应复用市级共性能力，不再单独建设。",
            fate: review(BOTH, 2, true, Then::Approve(None)),
        },
        Spec {
            dept: "WJW",
            name: "电子健康卡“一码通”应用",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "12-31",
            description: "推广应用电子健康卡，实现全市医疗机构挂号、就诊、缴费、检查检验、取药等环节“一码通用”，并与医保电子凭证融合。",
            objectives: "电子健康卡发卡量达到600万张，二级以上医院全流程用码率达到90%。",
            benefits: "群众就医不再需要办理多张就诊卡，减少排队等候时间。",
            modules: &[
                ("电子健康卡管理", "发卡、注册与实名核验", 120),
                ("用卡终端改造", "医院自助机、窗口扫码改造", 180),
                ("码融合服务", "与医保电子凭证、社保卡融合", 90),
                ("用卡监测", "用卡数据统计与监测", 40),
            ],
            lines: &[(H, "扫码终端", 260), (S, "系统开发", 300), (I, "医院系统改造", 180), (M, "运维服务", 60)],
            recommend_pct: 85,
            note: "",
            fate: review(NONE, 0, true, Then::Stay),
        },
        Spec {
            dept: "WJW",
            name: "互联网+医疗健康便民服务平台",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "04-01",
            finish: "12-31",
            description: "建设全市统一的互联网+医疗健康便民服务平台，提供预约挂号、在线问诊、报告查询、家庭医生签约等服务。",
            objectives: "接入二级以上医院40家，在线服务人次年均超过500万。",
            benefits: "优化就医流程，方便群众就医。",
            modules: &[
                ("预约挂号", "全市号源统一预约", 140),
                ("在线问诊", "图文、视频问诊及电子处方", 200),
                ("报告查询", "检查检验报告在线查询", 60),
                ("家庭医生签约", "线上签约与健康管理", 90),
                ("统一支付", "医疗费用在线支付", 70),
                ("短信消息推送", "短信、公众号消息通知", 30),
            ],
            lines: &[(S, "平台开发", 660), (I, "医院接入", 150), (O, "等保测评", 40), (M, "运维服务", 90)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Submitted,
        },
        Spec {
            dept: "WJW",
            name: "基层医疗卫生机构信息系统",
            category: C::Business,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: false,
            start: "05-01",
            finish: "+04-30",
            description: "为全市乡镇卫生院、社区卫生服务中心统一部署基层医疗卫生机构管理信息系统，替换老旧分散的HIS系统。",
            objectives: "覆盖全市基层医疗卫生机构126家，统一基层业务数据标准。",
            benefits: "统一基层数据标准，提升基层医疗服务能力。",
            modules: &[
                ("基层HIS", "门诊、住院、药房管理", 320),
                ("基本公共卫生服务", "基本公共卫生服务项目管理", 160),
                ("家庭医生签约服务", "签约与履约管理", 90),
                ("绩效考核", "基层机构绩效考核", 60),
            ],
            lines: &[(H, "服务器及终端", 320), (S, "系统软件", 630), (I, "数据迁移及集成", 120), (M, "运维服务", 150)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Draft,
        },
        Spec {
            dept: "WJW",
            name: "医疗废物智能监管系统",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: false,
            start: "03-01",
            finish: "10-31",
            description: "对医疗机构医疗废物的产生、暂存、转运、处置全过程进行智能称重、追溯和监管。",
            objectives: "覆盖全市医疗机构2100家，医疗废物全流程可追溯。",
            benefits: "防范医疗废物流失和非法处置风险。",
            modules: &[
                ("智能称重采集", "医疗废物称重及电子标签", 150),
                ("转运追溯", "转运车辆定位与交接记录", 90),
                ("处置监管", "处置单位对接", 60),
                ("GIS地图展示", "医疗废物分布与转运轨迹展示", 40),
            ],
            lines: &[(H, "称重终端", 220), (S, "系统开发", 260), (M, "运维服务", 40)],
            recommend_pct: 70,
            note: "功能与市生态环境局已建的固体废物管理信息系统高度重合。",
            fate: review(E2, 1, true, Then::Reject("该系统功能与市生态环境局已建的固体废物管理信息系统高度重合，应通过数据共享方式实现监管，不予单独立项。")),
        },
        Spec {
            dept: "JKZX",
            name: "传染病智能监测预警系统",
            category: C::Business,
            kind: T::New,
            funding: F::SuperiorGrant,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "12-31",
            description: "建设多点触发的传染病智能监测预警系统，汇聚医疗机构诊疗、药店购药、学校缺课、发热门诊等多源数据，实现传染病早发现、早预警。",
            objectives: "监测数据源覆盖全市二级以上医院和哨点药店，预警信号平均响应时间小于2小时。",
            benefits: "提高突发公共卫生事件应对能力。",
            modules: &[
                ("多源数据采集", "医院、药店、学校等多源数据采集", 220),
                ("智能预警模型", "基于时空聚集的预警模型", 260),
                ("预警处置", "预警信号核实、处置与反馈", 110),
                ("流调溯源", "流行病学调查辅助", 130),
                ("GIS地图展示", "病例空间分布展示", 50),
            ],
            lines: &[(H, "服务器", 180), (S, "系统开发", 770), (I, "数据对接", 150), (O, "测评", 50), (M, "运维服务", 120)],
            recommend_pct: 90,
            note: "",
            fate: review(BOTH, 2, true, Then::Forward),
        },
        // 市公安局
        Spec {
            dept: "GAJ",
            name: "“雪亮工程”视频监控扩容",
            category: C::Infrastructure,
            kind: T::Upgrade,
            funding: F::SpecialFund,
            mlps: 3,
            produces: true,
            consumes: false,
            start: "03-01",
            finish: "+05-31",
            description: "在重点区域、城乡结合部和农村主要道路新增和改造视频监控点位，扩容视频共享平台，向相关部门提供视频共享服务。",
            objectives: "新增高清视频点位4500路，视频共享平台接入能力达到5万路，点位在线率达到98%。",
            benefits: "提升社会治安防控能力，为城管、交通、应急等部门提供统一视频资源，避免重复建设。",
            modules: &[
                ("前端点位建设", "高清及智能摄像机建设改造", 1350),
                ("视频共享平台扩容", "视频汇聚、转发与共享能力扩容", 420),
                ("视频智能解析", "人员、车辆结构化解析", 380),
                ("点位运维管理", "点位在线率监测与运维考核", 90),
            ],
            lines: &[(H, "前端设备及存储", 2680), (S, "平台软件", 560), (I, "传输网络及安装", 820), (O, "监理", 90), (M, "运维服务", 380)],
            recommend_pct: 85,
            note: "",
            fate: review(BOTH, 1, false, Then::Stay),
        },
        Spec {
            dept: "JJZD",
            name: "智能交通信号控制系统",
            category: C::Business,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: false,
            start: "03-01",
            finish: "11-30",
            description: "对中心城区320个路口的信号机进行联网和智能化改造，实现区域协调控制和主干道绿波带控制。",
            objectives: "中心城区主干道平均通行速度提升15%，高峰期停车次数减少20%。",
            benefits: "缓解交通拥堵，减少车辆尾气排放。",
            modules: &[
                ("信号机联网改造", "路口信号机更新与联网", 420),
                ("区域协调控制", "区域自适应协调控制", 220),
                ("绿波带控制", "主干道绿波协调", 80),
                ("交通流检测", "雷达、视频流量检测", 260),
            ],
            lines: &[(H, "信号机及检测设备", 1120), (S, "控制平台软件", 260), (I, "路口施工及集成", 180), (M, "运维服务", 140)],
            recommend_pct: 90,
            note: "",
            fate: review(E1, 1, true, Then::Approve(None)),
        },
        // 市人社局
        Spec {
            dept: "RSJ",
            name: "社保经办一体化平台",
            category: C::Platform,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "02-01",
            finish: "12-31",
            description: "整合养老、工伤、失业保险经办系统，建设社保经办一体化平台，实现社保业务“一窗通办”和“全程网办”。",
            objectives: "社保高频事项网办率达到90%以上，经办时限平均压缩50%。",
            benefits: "减少参保单位和群众跑腿，提升经办风险防控能力。",
            modules: &[
                ("统一经办受理", "社保业务统一受理", 220),
                ("待遇核定", "养老、工伤、失业待遇核定", 260),
                ("基金风险防控", "基金监管与风险预警", 150),
                ("电子证照调用", "调用身份证、户口簿等电子证照", 40),
                ("统一身份认证", "参保人统一认证", 50),
            ],
            lines: &[(H, "服务器", 200), (S, "平台开发", 720), (I, "系统整合", 180), (O, "测评", 50), (M, "运维服务", 120)],
            recommend_pct: 88,
            note: "",
            fate: review(NONE, 0, true, Then::Forward),
        },
        Spec {
            dept: "RSJ",
            name: "就业服务“一件事”平台",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "10-31",
            description: "整合就业登记、失业登记、职业培训补贴、创业担保贷款等就业服务事项，建设就业服务“一件事”平台。",
            objectives: "就业服务事项全程网办，补贴发放时间由30天缩短到10天。",
            benefits: "为求职者和用人单位提供一站式服务。",
            modules: &[
                ("就业失业登记", "在线登记与核验", 90),
                ("补贴申领", "职业培训补贴、社保补贴等在线申领", 120),
                ("创业服务", "创业担保贷款申请与贴息", 80),
                ("岗位匹配", "岗位信息发布与智能匹配", 100),
                ("统一身份认证", "用户注册认证", 60),
                ("电子证照", "就业创业证电子证照", 50),
            ],
            lines: &[(H, "服务器", 80), (S, "平台开发", 500), (I, "数据对接", 60), (M, "运维服务", 60)],
            recommend_pct: 80,
            note: "",
            fate: review(NONE, 0, true, Then::LeaderReturn("请与市政务服务中心“一网通办”平台统筹考虑，统一身份认证和电子证照能力直接复用，压缩预算后重新报送。")),
        },
        // 市民政局
        Spec {
            dept: "MZJ",
            name: "智慧养老服务平台",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "12-31",
            description: "建设全市统一的智慧养老服务平台，整合居家、社区、机构养老服务资源，为老年人提供紧急呼叫、助餐助洁、健康监测等服务。",
            objectives: "服务覆盖全市60岁以上老年人52万人，接入养老机构和社区服务站点600个。",
            benefits: "提升养老服务精准度和监管水平，养老补贴精准发放到人。",
            modules: &[
                ("老年人信息库", "老年人基础信息与能力评估", 90),
                ("居家养老服务", "助餐助洁、上门服务派单", 140),
                ("紧急呼叫", "智能终端紧急呼叫与响应", 110),
                ("养老机构监管", "机构备案、评级与监管", 80),
                ("养老补贴发放", "养老补贴精准发放", 60),
            ],
            lines: &[(H, "智能呼叫终端", 240), (S, "平台开发", 480), (I, "数据对接", 90), (M, "运维服务", 90)],
            recommend_pct: 92,
            note: "",
            fate: review(E2, 1, true, Then::Approve(None)),
        },
        Spec {
            dept: "MZJ",
            name: "社会救助一体化系统",
            category: C::Business,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "10-31",
            description: "建设低保、特困、临时救助等一体化的社会救助系统，依托大数据比对主动发现困难群众。",
            objectives: "实现救助申请“一门受理、协同办理”，困难群众主动发现率提升至60%。",
            benefits: "救助更加精准及时，防止错保漏保。",
            modules: &[
                ("救助申请受理", "线上线下统一受理", 80),
                ("家庭经济状况核对", "对接税务、不动产、车辆等数据核对", 150),
                ("主动发现预警", "大数据比对主动发现", 120),
                ("救助资金发放", "资金发放与监管", 60),
            ],
            lines: &[(S, "系统开发", 380), (I, "数据对接", 90), (M, "运维服务", 50)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Submitted,
        },
        // 市交通运输局
        Spec {
            dept: "JTJ",
            name: "综合交通运行监测平台",
            category: C::Platform,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "04-01",
            finish: "+03-31",
            description: "汇聚道路、公交、出租、轨道、客运枢纽等交通运行数据，建设综合交通运行监测与应急指挥平台。",
            objectives: "实现全市交通运行状态分钟级监测，重大节假日交通态势提前预测。",
            benefits: "提升交通运行管理和应急处置水平。",
            modules: &[
                ("交通运行监测", "多方式交通运行指标监测", 260),
                ("交通态势预测", "交通流量短时预测", 180),
                ("应急指挥调度", "交通突发事件指挥调度", 150),
                ("GIS一张图", "交通设施与运行态势地图", 120),
                ("视频资源调阅", "调阅公安及交通视频", 90),
                ("数据可视化大屏", "交通运行展示大屏", 110),
            ],
            lines: &[(H, "服务器及大屏", 340), (S, "平台开发", 910), (I, "数据对接", 160), (M, "运维服务", 150)],
            recommend_pct: 85,
            note: "",
            fate: review(NONE, 0, false, Then::Stay),
        },
        Spec {
            dept: "JTJ",
            name: "公交智能调度系统升级",
            category: C::Business,
            kind: T::Upgrade,
            funding: F::SelfFunded,
            mlps: 2,
            produces: true,
            consumes: false,
            start: "03-01",
            finish: "09-30",
            description: "升级公交智能调度系统，实现车辆实时定位、智能排班和客流分析。",
            objectives: "覆盖全市公交车辆2300辆，公交准点率提升至90%。",
            benefits: "提高公交运营效率和服务水平。",
            modules: &[
                ("车辆定位监控", "车载终端与实时定位", 120),
                ("智能排班", "基于客流的智能排班", 90),
                ("客流分析", "刷卡与客流数据分析", 70),
            ],
            lines: &[(H, "车载终端", 300), (S, "系统开发", 220), (M, "运维服务", 60)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Withdrawn("公交集团已将该项目纳入企业自筹资金建设，撤回本次申报。"),
        },
        // 市自然资源和规划局
        Spec {
            dept: "ZRZY",
            name: "不动产登记“一窗受理”系统",
            category: C::Business,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "02-01",
            finish: "08-31",
            description: "整合不动产登记、税务、住建交易业务，建设“一窗受理、集成服务”系统，实现不动产登记、交易和缴税一次办结。",
            objectives: "一般登记业务办理时间压缩至1个工作日，抵押登记1小时办结。",
            benefits: "企业和群众办理不动产业务“只进一扇门、只跑一次腿”。",
            modules: &[
                ("一窗受理", "登记、交易、税务统一受理", 160),
                ("登记审核登簿", "不动产登记审核与登簿", 140),
                ("税费联办", "与税务系统对接在线缴税", 90),
                ("电子证照", "不动产权电子证书签发", 60),
                ("电子签章", "电子印章及电子签名", 40),
                ("互联网+不动产登记", "网上申请与进度查询", 80),
            ],
            lines: &[(H, "服务器", 120), (S, "系统开发", 570), (I, "跨部门对接", 150), (O, "测评", 40), (M, "运维服务", 90)],
            recommend_pct: 95,
            note: "",
            fate: review(E1, 1, true, Then::Approve(None)),
        },
        Spec {
            dept: "ZRZY",
            name: "国土空间基础信息平台",
            category: C::Platform,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "+06-30",
            description: "建设国土空间基础信息平台和“一张图”实施监督系统，汇聚基础地理、遥感影像、规划成果等数据，面向全市各部门提供统一的地图和空间分析服务。",
            objectives: "形成全市统一的国土空间“一张图”，对外提供标准地图服务接口不少于50个。",
            benefits: "各部门不再单独采购地图服务和底图数据，每年节约费用约400万元。",
            modules: &[
                ("时空数据库", "基础地理、遥感影像、规划数据管理", 380),
                ("GIS地图服务", "统一地图服务发布与共享", 260),
                ("一张图实施监督", "规划实施监测评估预警", 240),
                ("三维实景", "城市三维实景建模", 320),
                ("空间分析服务", "叠加分析、选址分析等服务", 140),
            ],
            lines: &[(H, "服务器及存储", 320), (S, "平台开发", 1040), (I, "部门对接", 120), (O, "测绘数据生产", 380), (M, "运维服务", 150)],
            recommend_pct: 85,
            note: "建议将本平台作为全市统一的地图服务来源，其他部门申报的GIS模块原则上不再单独建设。",
            fate: review(BOTH, 2, true, Then::Forward),
        },
        // 市生态环境局
        Spec {
            dept: "STHJ",
            name: "生态环境监测监控一体化平台",
            category: C::Platform,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "12-31",
            description: "整合大气、水、土壤、噪声监测数据和污染源在线监控数据，建设生态环境监测监控一体化平台。",
            objectives: "接入各类监测站点1500个，重点污染源在线监控覆盖率100%。",
            benefits: "支撑精准治污、科学治污，持续改善环境质量。",
            modules: &[
                ("环境质量监测", "大气、水、土壤监测数据汇聚", 200),
                ("污染源监控", "重点污染源在线监控", 180),
                ("预警溯源", "污染超标预警与溯源分析", 160),
                ("GIS一张图", "生态环境一张图", 90),
                ("数据可视化大屏", "环境质量综合展示", 70),
            ],
            lines: &[(H, "服务器及监测设备接入", 260), (S, "平台开发", 700), (I, "数据对接", 130), (M, "运维服务", 110)],
            recommend_pct: 82,
            note: "",
            fate: review(NONE, 0, true, Then::Stay),
        },
        Spec {
            dept: "STHJ",
            name: "污染源在线监控系统升级",
            category: C::Business,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: false,
            start: "03-01",
            finish: "08-31",
            description: "升级现有污染源在线监控系统，更换老旧数采仪，增加治污设施工况监控功能。",
            objectives: "重点排污单位数采仪更新率100%。",
            benefits: "提高在线监控数据质量和有效传输率。",
            modules: &[
                ("数采仪更新", "老旧数据采集传输仪更换", 180),
                ("工况监控", "治污设施工况监控", 120),
                ("数据有效性审核", "在线监测数据有效性审核", 60),
            ],
            lines: &[(H, "数采仪及传感设备", 260), (S, "系统升级", 120), (M, "运维服务", 40)],
            recommend_pct: 75,
            note: "建设内容已包含在“生态环境监测监控一体化平台”中。",
            fate: review(NONE, 0, true, Then::Reject("该项目建设内容已全部包含在“生态环境监测监控一体化平台”中，不再单独立项。")),
        },
        // 市市场监管局
        Spec {
            dept: "SCJG",
            name: "智慧市场监管平台",
            category: C::Platform,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "12-31",
            description: "整合市场主体登记、信用监管、“双随机”抽查、投诉举报等业务，建设智慧市场监管平台。",
            objectives: "实现市场主体全生命周期监管，“双随机、一公开”抽查覆盖率100%。",
            benefits: "提升监管精准性，减少对企业的重复检查。",
            modules: &[
                ("市场主体信息库", "市场主体登记和监管信息归集", 160),
                ("信用监管", "信用分类分级监管", 140),
                ("双随机抽查", "抽查计划、抽取与结果公示", 90),
                ("投诉举报处理", "12315投诉举报处理", 100),
                ("统一身份认证", "执法人员统一认证", 60),
            ],
            lines: &[(H, "服务器", 150), (S, "平台开发", 550), (I, "数据对接", 80), (M, "运维服务", 90)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Resubmitted {
                comment: "请删除“统一身份认证”模块，改为接入市统一身份认证平台，并相应调整预算后重新提交。",
                drop_module: "统一身份认证",
            },
        },
        Spec {
            dept: "SCJG",
            name: "食品安全追溯系统",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: false,
            start: "04-01",
            finish: "12-31",
            description: "建设覆盖食品生产、流通、餐饮环节的食品安全追溯系统，实现重点食品来源可查、去向可追。",
            objectives: "重点食品品种追溯覆盖率达到80%。",
            benefits: "保障群众“舌尖上的安全”。",
            modules: &[
                ("追溯信息采集", "生产流通环节追溯数据采集", 120),
                ("公众追溯查询", "公众扫码追溯查询", 60),
                ("风险预警", "食品安全风险预警", 90),
                ("企业端应用", "企业追溯数据报送", 70),
            ],
            lines: &[(H, "服务器", 80), (S, "系统开发", 340), (M, "运维服务", 60)],
            recommend_pct: 80,
            note: "追溯范围与省级食品安全追溯平台重复。",
            fate: review(E2, 1, true, Then::Return("经专家评审，追溯范围与省级食品安全追溯平台重复，请调整为对接省级平台的方案，补充接口说明后重新申报。")),
        },
        // 市应急管理局
        Spec {
            dept: "YJJ",
            name: "应急指挥“一张图”系统",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "12-31",
            description: "整合应急资源、风险隐患、救援队伍和视频监控等数据，建设应急指挥“一张图”，实现突发事件监测预警、指挥调度和辅助决策。",
            objectives: "全市应急资源“一图呈现”，突发事件信息报送时间缩短至15分钟以内。",
            benefits: "提升防灾减灾救灾和应急处置能力。",
            modules: &[
                ("应急资源管理", "物资、队伍、专家、避难场所管理", 140),
                ("GIS一张图", "应急资源与风险隐患地图", 180),
                ("视频会商", "多级视频会商与调度", 160),
                ("视频资源汇聚", "接入公安、交通等视频资源", 120),
                ("监测预警", "自然灾害和安全生产监测预警", 200),
                ("辅助决策", "预案数字化与辅助决策", 120),
            ],
            lines: &[(H, "会商及显示设备", 380), (S, "系统开发", 760), (I, "数据对接", 160), (O, "测评", 40), (M, "运维服务", 120)],
            recommend_pct: 85,
            note: "GIS一张图应使用国土空间基础信息平台的地图服务，视频资源从公安视频共享平台调取。",
            fate: review(E1, 1, true, Then::Forward),
        },
        Spec {
            dept: "YJJ",
            name: "安全生产风险监测预警系统",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: false,
            start: "04-01",
            finish: "12-31",
            description: "对危险化学品、尾矿库、工贸等重点行业企业的安全生产风险进行在线监测和预警。",
            objectives: "接入重点企业320家，重大危险源在线监测覆盖率100%。",
            benefits: "实现安全生产风险早发现、早处置。",
            modules: &[
                ("企业风险监测", "重大危险源在线监测", 220),
                ("风险分级预警", "风险分级预警与推送", 120),
                ("执法检查", "安全生产执法检查", 90),
                ("短信消息推送", "预警短信、APP推送", 30),
            ],
            lines: &[(H, "监测接入设备", 200), (S, "系统开发", 360), (I, "企业接入", 120), (M, "运维服务", 80)],
            recommend_pct: 85,
            note: "",
            fate: review(E2, 0, false, Then::Stay),
        },
        // 市住建局
        Spec {
            dept: "ZJJ",
            name: "城市信息模型（CIM）基础平台",
            category: C::Platform,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "+06-30",
            description: "建设城市信息模型（CIM）基础平台，汇聚建筑、市政设施三维模型和BIM数据，支撑工程建设项目审批和城市更新。",
            objectives: "完成中心城区300平方公里三维建模，入库BIM模型500个。",
            benefits: "推动工程建设项目审批数字化。",
            modules: &[
                ("三维模型库", "城市三维模型与BIM管理", 620),
                ("GIS地图服务", "二三维一体化地图服务", 220),
                ("BIM智能审查", "施工图BIM智能审查", 260),
                ("城市更新辅助", "城市体检与更新决策辅助", 180),
                ("数据可视化大屏", "CIM综合展示", 120),
            ],
            lines: &[(H, "服务器及存储", 420), (S, "平台开发", 1400), (I, "部门对接", 160), (O, "三维数据生产", 980), (M, "运维服务", 220)],
            recommend_pct: 70,
            note: "三维建模和地图服务与国土空间基础信息平台重复。",
            fate: review(BOTH, 2, true, Then::Reject("CIM平台的三维建模和地图服务与国土空间基础信息平台重复，请在国土空间基础信息平台基础上扩展，不予单独批准。")),
        },
        Spec {
            dept: "ZJJ",
            name: "建筑工地智慧监管系统",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: false,
            start: "04-01",
            finish: "10-31",
            description: "对在建工地扬尘、噪声、塔吊、升降机和建筑工人实名制进行在线监管。",
            objectives: "覆盖全市在建工地800个。",
            benefits: "减少建筑工地安全事故和扬尘污染。",
            modules: &[
                ("扬尘噪声监测", "工地扬尘噪声在线监测", 90),
                ("塔吊安全监控", "塔吊、升降机运行监控", 110),
                ("实名制管理", "建筑工人实名制考勤", 70),
                ("工地视频监控", "工地视频接入", 80),
            ],
            lines: &[(H, "监测设备", 320), (S, "系统开发", 230), (M, "运维服务", 60)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Returned("未附可行性研究报告，预算明细中“监测设备”的数量与单价未列明，请补充后重新申报。"),
        },
        // 市文旅局
        Spec {
            dept: "WLJ",
            name: "全域智慧旅游服务平台",
            category: C::Platform,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "12-31",
            description: "建设集旅游资讯、智慧导览、预约购票、投诉处理、客流监测于一体的全域智慧旅游服务平台。",
            objectives: "接入A级景区45家，年服务游客超过1000万人次。",
            benefits: "提升游客体验和旅游行业管理水平。",
            modules: &[
                ("游客服务门户", "旅游资讯、线路推荐", 120),
                ("预约购票", "景区分时预约与购票", 110),
                ("智慧导览", "电子导览与语音讲解", 90),
                ("客流监测", "景区客流实时监测预警", 100),
                ("投诉处理", "旅游投诉受理与处理", 50),
                ("统一支付", "在线支付", 40),
            ],
            lines: &[(H, "服务器", 160), (S, "平台开发", 510), (I, "景区接入", 80), (M, "运维服务", 90)],
            recommend_pct: 85,
            note: "",
            fate: review(NONE, 0, false, Then::Withdraw("根据市政府部署，该平台调整为市场化运营模式，撤回本次申报。")),
        },
        Spec {
            dept: "WLJ",
            name: "公共文化云平台",
            category: C::Platform,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: false,
            start: "05-01",
            finish: "12-31",
            description: "整合图书馆、文化馆、博物馆数字资源，建设公共文化云，提供文化活动预约、数字阅读和线上展览服务。",
            objectives: "汇聚数字文化资源50TB，年服务群众200万人次。",
            benefits: "推动公共文化服务均等化。",
            modules: &[
                ("数字资源库", "数字文化资源汇聚", 120),
                ("活动场馆预约", "文化活动和场馆预约", 70),
                ("线上展览", "数字展厅与线上展览", 90),
                ("统一身份认证", "用户注册登录", 30),
            ],
            lines: &[(H, "存储设备", 80), (S, "平台开发", 280), (M, "运维服务", 40)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Draft,
        },
        // 市政务服务中心
        Spec {
            dept: "ZWFW",
            name: "12345政务服务便民热线升级",
            category: C::Business,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "02-01",
            finish: "09-30",
            description: "整合归并全市非紧急类政务服务热线，升级12345热线系统，引入智能语音、智能派单和知识库，提升热线接通率和办理质量。",
            objectives: "热线接通率达到95%以上，智能派单准确率达到85%，群众满意度达到90%。",
            benefits: "实现“一号响应”，为“一网统管”提供民意数据支撑。",
            modules: &[
                ("智能语音客服", "语音导航、语音转写与智能应答", 180),
                ("智能派单", "工单自动分类与派发", 120),
                ("热线知识库", "政策知识库管理与检索", 80),
                ("工单管理", "工单受理、转办、督办、回访", 140),
                ("热线数据分析", "诉求热点分析与预警", 90),
                ("短信消息推送", "办理结果短信通知", 20),
            ],
            lines: &[(H, "话务设备", 180), (S, "系统开发", 630), (I, "部门系统对接", 90), (O, "测评", 30), (M, "运维服务", 160)],
            recommend_pct: 92,
            note: "",
            fate: review(E2, 1, true, Then::Approve(None)),
        },
        Spec {
            dept: "ZWFW",
            name: "政务服务“一网通办”平台三期",
            category: C::Platform,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "12-31",
            description: "深化政务服务“一网通办”，建设统一受理、统一办件、统一评价、统一电子证照调用的政务服务平台三期，推进高效办成“一件事”。",
            objectives: "政务服务事项全程网办率达到90%，“一件事”主题服务达到50个。",
            benefits: "企业和群众办事“少跑腿、不跑腿”。",
            modules: &[
                ("统一受理", "线上线下统一受理", 220),
                ("一件事集成服务", "跨部门事项集成办理", 280),
                ("电子证照调用", "办事过程调用电子证照", 80),
                ("统一身份认证", "接入市统一身份认证平台", 40),
                ("好差评", "政务服务评价", 60),
                ("移动端", "掌上办事", 120),
            ],
            lines: &[(H, "服务器", 160), (S, "平台开发", 800), (I, "部门系统对接", 200), (O, "测评", 50), (M, "运维服务", 150)],
            recommend_pct: 88,
            note: "",
            fate: review(BOTH, 2, true, Then::Forward),
        },
        Spec {
            dept: "ZWFW",
            name: "政务服务“好差评”系统",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: false,
            start: "03-01",
            finish: "07-31",
            description: "建设政务服务“好差评”系统，实现线上线下评价渠道全覆盖、差评整改闭环。",
            objectives: "评价覆盖全部政务服务事项，差评整改率100%。",
            benefits: "以评促改，提升政务服务质量。",
            modules: &[
                ("评价采集", "窗口评价器、网上评价", 60),
                ("差评整改", "差评回访与整改", 50),
                ("评价分析", "评价数据统计分析", 40),
            ],
            lines: &[(H, "窗口评价器", 90), (S, "系统开发", 130), (M, "运维服务", 20)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Submitted,
        },
        // 市财政局, 市审计局
        Spec {
            dept: "CZJ",
            name: "预算管理一体化系统（市级部署）",
            category: C::Business,
            kind: T::Upgrade,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "01-15",
            finish: "10-31",
            description: "按照财政部预算管理一体化规范，升级市级预算管理一体化系统，实现预算编制、执行、决算全流程一体化管理。",
            objectives: "覆盖市级预算单位420家，实现项目库、指标、支付全流程电子化。",
            benefits: "提高预算管理规范化水平，强化预算约束。",
            modules: &[
                ("项目库管理", "预算项目全生命周期管理", 180),
                ("预算编制", "部门预算编制与审核", 160),
                ("指标管理", "预算指标分解与调整", 120),
                ("国库集中支付", "支付全流程电子化", 140),
                ("决算报告", "部门决算与财务报告", 80),
            ],
            lines: &[(H, "服务器", 120), (S, "系统升级开发", 680), (I, "系统集成", 150), (M, "运维服务", 120)],
            recommend_pct: 90,
            note: "",
            fate: review(NONE, 0, false, Then::Stay),
        },
        Spec {
            dept: "SJJ",
            name: "大数据审计分析平台",
            category: C::Data,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 3,
            produces: false,
            consumes: true,
            start: "04-01",
            finish: "12-31",
            description: "建设大数据审计分析平台，汇聚财政、社保、公积金等数据，开展跨部门、跨行业关联分析。",
            objectives: "形成审计分析模型100个，重点领域数据审计全覆盖。",
            benefits: "提升审计监督全覆盖能力。",
            modules: &[
                ("审计数据中心", "审计数据采集与管理", 160),
                ("分析模型库", "审计分析模型", 140),
                ("疑点核查", "疑点线索分发与核查", 70),
                ("数据可视化大屏", "审计成果展示", 50),
            ],
            lines: &[(H, "服务器及存储", 180), (S, "平台开发", 360), (M, "运维服务", 60)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Draft,
        },
        // 区县
        Spec {
            dept: "LJQ",
            name: "临江区基层治理网格化平台",
            category: C::Platform,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "09-30",
            description: "建设临江区基层治理网格化平台，实现网格员巡查上报、事件流转处置，并与市“一网统管”平台对接。",
            objectives: "覆盖全区12个街道、860个网格。",
            benefits: "问题发现在基层、解决在基层。",
            modules: &[
                ("网格管理", "网格划分与网格员管理", 60),
                ("巡查上报", "网格员移动巡查与事件上报", 80),
                ("事件流转", "事件分拨处置与考核", 90),
                ("对接一网统管", "与市级平台事件双向流转", 40),
                ("GIS地图", "网格地图展示", 30),
            ],
            lines: &[(H, "移动终端", 90), (S, "平台开发", 260), (I, "对接集成", 50), (M, "运维服务", 40)],
            recommend_pct: 90,
            note: "",
            fate: review(NONE, 0, true, Then::Approve(None)),
        },
        Spec {
            dept: "QSQ",
            name: "青山区智慧社区综合服务平台",
            category: C::Business,
            kind: T::New,
            funding: F::MunicipalBudget,
            mlps: 2,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "10-31",
            description: "建设青山区智慧社区综合服务平台，整合社区服务、物业管理、居民议事等功能。",
            objectives: "覆盖全区45个社区。",
            benefits: "提升社区服务便利化水平。",
            modules: &[
                ("社区服务", "社区事项办理与预约", 70),
                ("物业管理", "物业报修与缴费", 60),
                ("居民议事", "线上议事协商", 40),
                ("数据可视化大屏", "社区运行展示", 50),
            ],
            lines: &[(H, "社区终端", 80), (S, "平台开发", 180), (M, "运维服务", 30)],
            recommend_pct: 90,
            note: "",
            fate: Fate::Submitted,
        },
        Spec {
            dept: "YXX",
            name: "云溪县数字乡村综合服务平台",
            category: C::Platform,
            kind: T::New,
            funding: F::SuperiorGrant,
            mlps: 2,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "12-31",
            description: "建设县域数字乡村综合服务平台，涵盖农业生产监测、农产品电商、乡村治理和便民服务。",
            objectives: "覆盖全县14个乡镇、186个行政村。",
            benefits: "助力乡村振兴，提升乡村治理数字化水平。",
            modules: &[
                ("农业生产监测", "农田物联网监测", 160),
                ("农产品电商", "农产品线上销售", 90),
                ("乡村治理", "村务公开与网格治理", 80),
                ("便民服务", "村级便民服务代办", 60),
                ("GIS地图", "乡村资源一张图", 40),
            ],
            lines: &[(H, "物联网传感设备", 210), (S, "平台开发", 330), (I, "系统集成", 60), (M, "运维服务", 60)],
            recommend_pct: 85,
            note: "",
            fate: review(E1, 1, true, Then::Stay),
        },
        Spec {
            dept: "YXX",
            name: "云溪县县域医共体信息化建设",
            category: C::Business,
            kind: T::New,
            funding: F::SuperiorGrant,
            mlps: 3,
            produces: true,
            consumes: true,
            start: "03-01",
            finish: "12-31",
            description: "建设县域医共体信息平台，实现县、乡、村三级医疗机构信息互联互通和远程医疗。",
            objectives: "覆盖县医院、14个乡镇卫生院和186个村卫生室。",
            benefits: "提升基层医疗服务能力，让群众在家门口看病。",
            modules: &[
                ("医共体HIS", "统一HIS部署", 220),
                ("远程医疗", "远程会诊、远程影像", 160),
                ("双向转诊", "上下转诊管理", 60),
                ("统一身份认证", "医务人员认证", 30),
            ],
            lines: &[(H, "服务器及终端", 260), (S, "平台开发", 360), (I, "系统集成", 90), (M, "运维服务", 80)],
            recommend_pct: 85,
            note: "",
            fate: review(NONE, 0, true, Then::WithdrawPending("省卫生健康委已统一部署县域医共体信息系统，本县直接使用省级平台，撤回本次申报。")),
        },
    ]
}
