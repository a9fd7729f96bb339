//! Projects (项目): the application a department drafts and everything the lifecycle does to it.
//! Each mutation is one transaction: read the facts, ask the domain, write, append the audit
//! event, commit. Data scope is part of every query.

use crate::audit::{self, NewEvent};
use crate::dialect::{contains_ci, like_pattern};
use crate::{exec, read, write, Result, Store, StoreError, Tx};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, LazyLock, Mutex, Weak};
use tongchou_domain::application::{ApplicationInput, BudgetLineInput, FieldError, ModuleInput, Problem};
use tongchou_domain::lifecycle::{self, Facts, PlanFacts};
use tongchou_domain::policy::{self, Capability, ScopeRule, Visibility};
use tongchou_domain::review::{OpinionInput, ReviewInput};
use tongchou_domain::{Action, Actor, Fen, Refusal, Role, State};
use utoipa::ToSchema;

/// A project as lists show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct ProjectSummary {
    pub id: i64,
    /// `YYYY-DEPT-NNNN`, assigned on the first submission.
    pub code: Option<String>,
    pub name: String,
    pub department_id: i64,
    /// The owning department's name.
    pub department: String,
    pub department_code: String,
    pub category: String,
    pub construction_type: String,
    pub plan_year: i64,
    pub state: String,
    pub budget_fen: i64,
    pub approved_fen: Option<i64>,
    pub updated_at: i64,
    pub version: i64,
}

const SUMMARY_COLUMNS: &str = "p.id, p.code, p.name, p.department_id, d.name AS department, d.code AS department_code, p.category, \
     p.construction_type, p.plan_year, p.state, p.budget_fen, p.approved_fen, p.updated_at, p.version";

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct ProjectRecord {
    pub id: i64,
    pub code: Option<String>,
    pub name: String,
    pub department_id: i64,
    pub department: String,
    pub department_code: String,
    #[serde(skip)]
    pub department_path: String,
    pub category: String,
    pub construction_type: String,
    pub plan_year: i64,
    pub description: String,
    pub objectives: String,
    pub expected_benefits: String,
    pub funding_source: String,
    pub mlps_level: i64,
    pub produces_shared_data: bool,
    pub consumes_shared_data: bool,
    pub planned_start: Option<String>,
    pub planned_finish: Option<String>,
    pub budget_fen: i64,
    pub approved_fen: Option<i64>,
    pub approved_year: Option<i64>,
    pub state: String,
    pub version: i64,
    pub drafted_by: i64,
    pub drafted_by_name: String,
    pub submitted_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
}

const RECORD_SELECT: &str =
    "SELECT p.id, p.code, p.name, p.department_id, d.name AS department, d.code AS department_code, d.path AS department_path, \
     p.category, p.construction_type, p.plan_year, p.description, p.objectives, p.expected_benefits, p.funding_source, p.mlps_level, \
     p.produces_shared_data, p.consumes_shared_data, p.planned_start, p.planned_finish, p.budget_fen, p.approved_fen, p.approved_year, \
     p.state, p.version, p.drafted_by, u.display_name AS drafted_by_name, p.submitted_by, p.created_at, p.updated_at, p.submitted_at \
     FROM projects p JOIN departments d ON d.id = p.department_id JOIN users u ON u.id = p.drafted_by";

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct ModuleRow {
    pub name: String,
    pub description: String,
    pub estimate_fen: Option<i64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct BudgetLineRow {
    pub kind: String,
    pub item: String,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct ReviewRow {
    pub technical_conclusion: String,
    pub technical_text: String,
    pub economic_conclusion: String,
    pub economic_text: String,
    pub risk_conclusion: String,
    pub risk_text: String,
    pub recommended_fen: i64,
    pub reviewer_id: i64,
    pub reviewer: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct InvitationRow {
    pub expert_id: i64,
    pub expert: String,
    pub active: bool,
    pub invited_at: i64,
    pub score: Option<i64>,
    pub conclusion: Option<String>,
    pub opinion: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct AttachmentRow {
    pub id: i64,
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: i64,
}

/// Everything a project page shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectDetail {
    #[serde(flatten)]
    pub record: ProjectRecord,
    pub modules: Vec<ModuleRow>,
    pub budget_lines: Vec<BudgetLineRow>,
    pub review: Option<ReviewRow>,
    /// Expert invitations with their opinions. Experts see only their own.
    pub experts: Vec<InvitationRow>,
    pub attachments: Vec<AttachmentRow>,
    pub history: Vec<audit::AuditEvent>,
    /// Lifecycle actions the caller's roles could take in this state.
    pub available_actions: Vec<Action>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Updated,
    Code,
    Name,
    Budget,
    Year,
    State,
    Department,
}

impl SortKey {
    /// Only `code` may be NULL (never-submitted drafts); the others are NOT NULL columns.
    fn nullable(self) -> bool {
        self == SortKey::Code
    }

    fn column(self) -> &'static str {
        match self {
            SortKey::Updated => "p.updated_at",
            SortKey::Code => "p.code",
            SortKey::Name => "p.name",
            SortKey::Budget => "p.budget_fen",
            SortKey::Year => "p.plan_year",
            SortKey::State => "p.state",
            SortKey::Department => "d.code",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub q: Option<String>,
    pub state: Option<State>,
    pub year: Option<i64>,
    pub category: Option<String>,
    pub department_id: Option<i64>,
    pub sort: SortKey,
    pub desc: bool,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// A bind value for dynamically built SQL.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    I(i64),
    S(String),
}

/// The data-scope filter for `actor` as SQL over `projects p`, appending its parameters to
/// `args`. Mirrors `policy::can_see`.
pub(crate) fn scope_sql(actor: &Actor, args: &mut Vec<Arg>) -> String {
    let rules = policy::project_scope(&actor.roles);
    if rules.is_empty() {
        return "1 = 0".into();
    }
    let mut parts = vec![];
    for rule in rules {
        parts.push(match rule {
            ScopeRule::Everything => "1 = 1".to_string(),
            ScopeRule::AllSubmitted => "p.code IS NOT NULL".to_string(),
            ScopeRule::DepartmentTree => {
                args.push(Arg::S(format!("{}%", actor.department_path)));
                format!("p.department_id IN (SELECT id FROM departments WHERE path LIKE ${})", args.len())
            }
            ScopeRule::Invited => {
                args.push(Arg::I(actor.id));
                format!("p.id IN (SELECT project_id FROM expert_invitations WHERE expert_id = ${} AND active = TRUE)", args.len())
            }
            ScopeRule::Assigned => {
                args.push(Arg::I(actor.id));
                format!("p.id IN (SELECT project_id FROM project_assignments WHERE user_id = ${})", args.len())
            }
        });
    }
    format!("({})", parts.join(" OR "))
}

macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::I(v) => q.bind(*v),
                Arg::S(s) => q.bind(s.clone()),
            };
        }
        q
    }};
}
pub(crate) use bind_args;

/// List totals, kept while the database is unchanged. Every mutation appends its audit event in
/// its own transaction, so `ledger_head.size` moves with every committed write, from any node: a
/// total counted at one size stays exact for as long as the size is the same. Counting the visible
/// rows is most of a list page's database time (the page itself walks an index and stops); a
/// one-row read of the size replaces it between writes.
type CountKey = (usize, String);
type CountCache = std::collections::HashMap<CountKey, (Weak<crate::Db>, i64, i64)>;
static COUNTS: LazyLock<Mutex<CountCache>> = LazyLock::new(Mutex::default);
const COUNTS_MAX: usize = 10_000;

/// The key's first part is the database's address; the entry holds a `Weak` to it, so the address
/// cannot be reused by another database while the entry exists, and a dropped database's entries
/// never answer.
fn cached_count(key: &CountKey, size: i64) -> Option<i64> {
    let counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    counts.get(key).filter(|(db, at, _)| *at == size && db.strong_count() > 0).map(|(_, _, total)| *total)
}

fn keep_count(db: &Arc<crate::Db>, key: CountKey, size: i64, total: i64) {
    let mut counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    if counts.len() >= COUNTS_MAX {
        counts.retain(|_, (db, at, _)| db.strong_count() > 0 && *at == size);
        if counts.len() >= COUNTS_MAX {
            counts.clear();
        }
    }
    counts.insert(key, (Arc::downgrade(db), size, total));
}

/// Bind an application's content columns as `$1`–`$14`, in the order both the draft's INSERT and
/// its UPDATE list them: name, category, construction type, plan year, description, objectives,
/// benefits, funding source, 等保 level, shared-data flags, planned dates, budget total.
macro_rules! bind_content {
    ($q:expr, $input:expr, $year:expr) => {
        $q.bind(&$input.name)
            .bind($input.category.code())
            .bind($input.construction_type.code())
            .bind($year)
            .bind(&$input.description)
            .bind(&$input.objectives)
            .bind(&$input.expected_benefits)
            .bind($input.funding_source.code())
            .bind($input.mlps_level as i64)
            .bind($input.produces_shared_data)
            .bind($input.consumes_shared_data)
            .bind(&$input.planned_start)
            .bind(&$input.planned_finish)
            .bind($input.budget_total().0)
    };
}

/// The actor as the audit trail records them, for `action`.
pub fn event_for(actor: &Actor, client_addr: &str, allowed: &[Role]) -> NewEvent {
    NewEvent {
        actor_id: actor.id,
        actor: actor.username.clone(),
        role: actor.acting_role(allowed),
        client_addr: client_addr.to_string(),
        ..Default::default()
    }
}

/// Input to a lifecycle action.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActInput {
    #[serde(default)]
    pub comment: Option<String>,
    /// The version the caller saw; a different current version answers 409 `conflict`.
    #[serde(default)]
    pub expected_version: Option<i64>,
    /// `approve` only: the plan year (default: the application's).
    #[serde(default)]
    pub plan_year: Option<i64>,
    /// `approve` only: the approved amount in 分 (default: the reviewer's recommendation).
    #[serde(default)]
    pub approved_fen: Option<i64>,
}

pub const COMMENT_MAX: usize = 2000;

/// Calendar facts from the injected clock, at UTC+offset.
pub fn local_date(now_ms: i64, offset_hours: i8) -> time::Date {
    let t = time::OffsetDateTime::from_unix_timestamp(now_ms / 1000).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.to_offset(time::UtcOffset::from_hms(offset_hours, 0, 0).unwrap_or(time::UtcOffset::UTC)).date()
}

impl Store {
    pub fn this_year(&self) -> i32 {
        local_date(self.now(), self.settings.server.utc_offset_hours).year()
    }

    /// Is today outside the application window? (R09; a warning unless configured to block.)
    pub fn window_closed_today(&self) -> bool {
        let d = local_date(self.now(), self.settings.server.utc_offset_hours);
        !self.settings.window_contains(d.month() as u8, d.day())
    }

    pub async fn list_projects(&self, actor: &Actor, q: &ListQuery) -> Result<Page<ProjectSummary>> {
        let mut args = vec![];
        let mut wheres = vec![scope_sql(actor, &mut args)];
        if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            args.push(Arg::S(like_pattern(text)));
            let n = args.len();
            wheres.push(format!(
                "({} OR {} OR {})",
                contains_ci("p.name", n),
                contains_ci("COALESCE(p.code, '')", n),
                contains_ci("d.name", n)
            ));
        }
        if let Some(s) = q.state {
            args.push(Arg::S(s.code().into()));
            wheres.push(format!("p.state = ${}", args.len()));
        }
        if let Some(y) = q.year {
            args.push(Arg::I(y));
            wheres.push(format!("p.plan_year = ${}", args.len()));
        }
        if let Some(c) = &q.category {
            args.push(Arg::S(c.clone()));
            wheres.push(format!("p.category = ${}", args.len()));
        }
        if let Some(dep) = q.department_id {
            args.push(Arg::I(dep));
            wheres.push(format!(
                "p.department_id IN (SELECT id FROM departments WHERE path LIKE (SELECT path FROM departments WHERE id = ${}) || '%')",
                args.len()
            ));
        }
        let filter = wheres.join(" AND ");
        // Every project has its department (NOT NULL, foreign key), so the count needs the join
        // only when the search looks at the department's name.
        let count_sql = if q.q.as_deref().is_some_and(|t| !t.trim().is_empty()) {
            format!("SELECT COUNT(*) FROM projects p JOIN departments d ON d.id = p.department_id WHERE {filter}")
        } else {
            format!("SELECT COUNT(*) FROM projects p WHERE {filter}")
        };
        let page_size = q.page_size.clamp(1, 200);
        let page = q.page.max(1);
        let dir = if q.desc { "DESC" } else { "ASC" };
        // NULL codes (never-submitted drafts) sort last either way; the id breaks ties stably.
        // On NOT NULL columns the NULL guard is left out, so that an index on the column can
        // deliver the page in order (ORDER BY updated_at DESC, id DESC LIMIT 100 walks
        // projects_updated and stops after a page instead of sorting every visible row).
        let col = q.sort.column();
        let nulls_last = if q.sort.nullable() { format!("CASE WHEN {col} IS NULL THEN 1 ELSE 0 END, ") } else { String::new() };
        let list_sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM projects p JOIN departments d ON d.id = p.department_id WHERE {filter} \
             ORDER BY {nulls_last}{col} {dir}, p.id {dir} LIMIT {page_size} OFFSET {offset}",
            offset = (page - 1) * page_size
        );
        // One pooled connection for both queries: under load every acquire waits in the pool's queue.
        let count_key = (Arc::as_ptr(&self.db) as usize, format!("{count_sql} {args:?}"));
        let (total, items) = read!(self, |p| {
            let mut c = p.acquire().await?;
            // The size first, then the count: a count is never older than the size it is kept under.
            let size: Option<i64> = sqlx::query_scalar("SELECT size FROM ledger_head WHERE id = 1").fetch_optional(&mut *c).await?;
            let total = match size.and_then(|size| cached_count(&count_key, size)) {
                Some(total) => total,
                None => {
                    let total: i64 = bind_args!(sqlx::query_scalar(&count_sql), &args).fetch_one(&mut *c).await?;
                    if let Some(size) = size {
                        keep_count(&self.db, count_key, size, total);
                    }
                    total
                }
            };
            let items: Vec<ProjectSummary> = bind_args!(sqlx::query_as(&list_sql), &args).fetch_all(&mut *c).await?;
            Ok::<_, sqlx::Error>((total, items))
        })?;
        Ok(Page { items, total, page, page_size })
    }

    async fn record(&self, id: i64) -> Result<Option<ProjectRecord>> {
        let sql = format!("{RECORD_SELECT} WHERE p.id = $1");
        Ok(read!(self, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?)
    }

    async fn visibility_flags(&self, actor: &Actor, id: i64) -> Result<(bool, bool)> {
        Ok(read!(self, |p| sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM expert_invitations WHERE project_id = $1 AND expert_id = $2 AND active = TRUE), \
             EXISTS (SELECT 1 FROM project_assignments WHERE project_id = $1 AND user_id = $2)"
        )
        .bind(id)
        .bind(actor.id)
        .fetch_one(p)
        .await)?)
    }

    /// The project if `actor` may see it, else `NotFound`.
    pub async fn visible_record(&self, actor: &Actor, id: i64) -> Result<ProjectRecord> {
        let rec = self.record(id).await?.ok_or(StoreError::NotFound)?;
        let (invited, assigned) = self.visibility_flags(actor, id).await?;
        let v = Visibility {
            department_path: &rec.department_path,
            ever_submitted: rec.code.is_some(),
            actor_invited: invited,
            actor_assigned: assigned,
        };
        if policy::can_see(actor, v) {
            Ok(rec)
        } else {
            Err(StoreError::NotFound)
        }
    }

    pub async fn project_detail(&self, actor: &Actor, id: i64) -> Result<ProjectDetail> {
        let record = self.visible_record(actor, id).await?;
        // One pooled connection for the six queries: under load every acquire waits in the pool's queue.
        let (modules, budget_lines, review, mut experts, attachments, history) = read!(self, |p| {
            let mut c = p.acquire().await?;
            let m: Vec<ModuleRow> =
                sqlx::query_as("SELECT name, description, estimate_fen FROM project_modules WHERE project_id = $1 ORDER BY position")
                    .bind(id)
                    .fetch_all(&mut *c)
                    .await?;
            let b: Vec<BudgetLineRow> =
                sqlx::query_as("SELECT kind, item, amount_fen FROM budget_lines WHERE project_id = $1 ORDER BY position")
                    .bind(id)
                    .fetch_all(&mut *c)
                    .await?;
            let r: Option<ReviewRow> = sqlx::query_as(
                "SELECT r.technical_conclusion, r.technical_text, r.economic_conclusion, r.economic_text, r.risk_conclusion, r.risk_text, \
                 r.recommended_fen, r.reviewer_id, u.display_name AS reviewer, r.updated_at FROM reviews r JOIN users u ON u.id = r.reviewer_id WHERE r.project_id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *c)
            .await?;
            let e: Vec<InvitationRow> = sqlx::query_as(
                "SELECT i.expert_id, u.display_name AS expert, i.active, i.invited_at, o.score, o.conclusion, o.opinion \
                 FROM expert_invitations i JOIN users u ON u.id = i.expert_id \
                 LEFT JOIN expert_opinions o ON o.project_id = i.project_id AND o.expert_id = i.expert_id \
                 WHERE i.project_id = $1 ORDER BY i.invited_at",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            let a: Vec<AttachmentRow> = sqlx::query_as(
                "SELECT id, kind, filename, content_type, size_bytes, sha256, created_at FROM attachments WHERE project_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            let h: Vec<audit::AuditEvent> =
                sqlx::query_as("SELECT * FROM audit_events WHERE object_type = $1 AND object_id = $2 ORDER BY seq")
                    .bind("project")
                    .bind(id.to_string())
                    .fetch_all(&mut *c)
                    .await?;
            Ok::<_, sqlx::Error>((m, b, r, e, a, h))
        })?;
        // An expert sees only their own opinion; the review itself is for the bureau's side.
        let bureau_side = actor.roles.iter().any(|r| matches!(r, Role::Reviewer | Role::Leadership | Role::Finance | Role::Auditor));
        if !bureau_side {
            experts.retain(|e| e.expert_id == actor.id);
        }
        let review = if bureau_side || actor.covers_department(&record.department_path) { review } else { None };
        let state = State::parse(&record.state).unwrap_or(State::Draft);
        let available_actions = lifecycle::actions_for(state, &actor.roles);
        Ok(ProjectDetail { record, modules, budget_lines, review, experts, attachments, history, available_actions })
    }

    /// The application as its form shows it, for editing.
    pub async fn application_input(&self, actor: &Actor, id: i64) -> Result<(ApplicationInput, i64)> {
        let d = self.project_detail(actor, id).await?;
        Ok((input_from_detail(&d), d.record.version))
    }

    /// Create a draft (申报草稿) in the actor's department.
    pub async fn create_draft(&self, actor: &Actor, client_addr: &str, input: ApplicationInput) -> Result<i64> {
        if !policy::can(&actor.roles, Capability::DraftApplication) {
            return Err(StoreError::Forbidden(Capability::DraftApplication));
        }
        let input = input.normalized();
        let errors = input.validate_draft(self.this_year());
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let now = self.now();
        let year = input.plan_year.map(i64::from).unwrap_or(self.this_year() as i64 + 1);
        let mut tx = self.begin().await?;
        let id: i64 = write!(tx, |c| {
            bind_content!(sqlx::query_scalar(
            "INSERT INTO projects (name, category, construction_type, plan_year, description, objectives, expected_benefits, \
             funding_source, mlps_level, produces_shared_data, consumes_shared_data, planned_start, planned_finish, budget_fen, department_id, \
             state, version, drafted_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'draft', 1, $16, $17, $17) RETURNING id"
        ), input, year)
        .bind(actor.department_id)
        .bind(actor.id)
        .bind(now)
        .fetch_one(&mut *c)
        .await
        })?;
        write_children(&mut tx, id, &input.modules, &input.budget_lines).await?;
        let mut ev = event_for(actor, client_addr, Capability::DraftApplication.roles());
        ev.action = "create".into();
        ev.object_type = "project".into();
        ev.object_id = id.to_string();
        ev.after = State::Draft.code().into();
        ev.detail = serde_json::json!({"name": input.name, "budget_fen": input.budget_total().0, "plan_year": year}).to_string();
        audit::append(&mut tx, now, &ev).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Replace a draft's content. Only drafts, only by the owning department.
    pub async fn update_draft(
        &self,
        actor: &Actor,
        client_addr: &str,
        id: i64,
        input: ApplicationInput,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        let rec = self.visible_record(actor, id).await?;
        draft_edit_guard(actor, &rec)?;
        let input = input.normalized();
        let errors = input.validate_draft(self.this_year());
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let now = self.now();
        let year = input.plan_year.map(i64::from).unwrap_or(rec.plan_year);
        let version = expected_version.unwrap_or(rec.version);
        let mut tx = self.begin().await?;
        let updated = exec!(
            tx,
            bind_content!(sqlx::query(
            "UPDATE projects SET name = $1, category = $2, construction_type = $3, plan_year = $4, description = $5, objectives = $6, \
             expected_benefits = $7, funding_source = $8, mlps_level = $9, produces_shared_data = $10, consumes_shared_data = $11, \
             planned_start = $12, planned_finish = $13, budget_fen = $14, version = version + 1, updated_at = $15 \
             WHERE id = $16 AND version = $17 AND state = 'draft'"
        ), input, year)
            .bind(now)
            .bind(id)
            .bind(version)
        )?;
        if updated == 0 {
            return Err(StoreError::Conflict);
        }
        exec!(tx, sqlx::query("DELETE FROM project_modules WHERE project_id = $1").bind(id))?;
        exec!(tx, sqlx::query("DELETE FROM budget_lines WHERE project_id = $1").bind(id))?;
        write_children(&mut tx, id, &input.modules, &input.budget_lines).await?;
        let mut ev = event_for(actor, client_addr, Capability::EditDraft.roles());
        ev.action = "update".into();
        ev.object_type = "project".into();
        ev.object_id = id.to_string();
        ev.before = State::Draft.code().into();
        ev.after = State::Draft.code().into();
        ev.detail =
            serde_json::json!({"name": input.name, "budget_fen": input.budget_total().0, "plan_year": year, "version": version + 1})
                .to_string();
        audit::append(&mut tx, now, &ev).await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Take a lifecycle action. The domain decides; this gathers facts and writes the outcome.
    pub async fn act(&self, actor: &Actor, client_addr: &str, id: i64, action: Action, input: &ActInput) -> Result<ProjectSummary> {
        let comment = input.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
        if comment.is_some_and(|c| c.chars().count() > COMMENT_MAX) {
            return Err(StoreError::Invalid(vec![FieldError::new("comment", Problem::TooLong { max: COMMENT_MAX })]));
        }
        if let Some(fen) = input.approved_fen {
            Fen::checked(fen).map_err(|e| StoreError::Invalid(vec![FieldError::new("approved_fen", Problem::Money(e))]))?;
        }
        if let Some(y) = input.plan_year {
            let this = self.this_year() as i64;
            if y < this || y > this + 5 {
                return Err(StoreError::Invalid(vec![FieldError::new("plan_year", Problem::OutOfRange { min: this, max: this + 5 })]));
            }
        }
        // Visibility and the application's own content are read before the write lock is taken.
        let rec = self.visible_record(actor, id).await?;
        let submit_errors = if action == Action::Submit {
            input_from_detail(&self.project_detail(actor, id).await?).validate_for_submit(self.this_year())
        } else {
            vec![]
        };
        // 禁止类 policy-catalog matches must each be overridden before forwarding.
        let forbidden_matches_open = if action == Action::Forward { self.forbidden_matches_open(actor, id).await? } else { 0 };
        let now = self.now();
        let mut tx = self.begin().await?;
        // Re-read inside the transaction: this is the state the decision is about.
        #[derive(sqlx::FromRow)]
        struct Current {
            state: String,
            version: i64,
            code: Option<String>,
            submitted_by: Option<i64>,
            plan_year: i64,
        }
        let cur: Current =
            write!(tx, |c| sqlx::query_as("SELECT state, version, code, submitted_by, plan_year FROM projects WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *c)
                .await)?
            .ok_or(StoreError::NotFound)?;
        if input.expected_version.is_some_and(|v| v != cur.version) {
            return Err(StoreError::Conflict);
        }
        let state = State::parse(&cur.state).unwrap_or(State::Draft);
        // A review counts only if it was recorded after the latest submission: a returned and
        // resubmitted application is reviewed afresh.
        let review: Option<(i64, i64)> =
            write!(tx, |c| sqlx::query_as("SELECT recommended_fen, updated_at FROM reviews WHERE project_id = $1")
                .bind(id)
                .fetch_optional(&mut *c)
                .await)?;
        let recommended = review.map(|r| r.0);
        let review_current = review.is_some_and(|(_, at)| at >= rec.submitted_at.unwrap_or(0));
        let year = input.plan_year.unwrap_or(cur.plan_year);
        // Without an amount from the leadership or the reviewer: the budget less the 查重 savings.
        let saved: i64 = write!(tx, |c| sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(saved_fen), 0) AS BIGINT) FROM module_decisions WHERE project_id = $1"
        )
        .bind(id)
        .fetch_one(&mut *c)
        .await)?;
        let approved = Fen(input.approved_fen.or(recommended).unwrap_or_else(|| (rec.budget_fen - saved).max(0)));
        let plan = if action == Action::Approve { Some(lock_plan(&mut tx, year).await?) } else { None };
        let facts = Facts {
            actor_id: actor.id,
            actor_roles: &actor.roles,
            actor_in_owning_department: actor.covers_department(&rec.department_path),
            drafted_by: rec.drafted_by,
            submitted_by: cur.submitted_by,
            comment,
            application_complete: submit_errors.is_empty(),
            window_open: if self.settings.application.window_blocks && self.window_closed_today() { Some(false) } else { None },
            review_recorded: review_current,
            approved_amount: approved,
            plan,
            forbidden_matches_open,
            ..Default::default()
        };
        let to = match lifecycle::decide(state, action, &facts) {
            Ok(to) => to,
            Err(Refusal::ApplicationIncomplete) => return Err(StoreError::Invalid(submit_errors)),
            Err(r) => return Err(StoreError::Refused(r)),
        };
        let mut code = cur.code.clone();
        if action == Action::Submit && code.is_none() {
            let n: i64 = write!(tx, |c| {
                sqlx::query_scalar(
                "INSERT INTO project_sequences (plan_year, department_id, last_number) VALUES ($1, $2, 1) \
                 ON CONFLICT (plan_year, department_id) DO UPDATE SET last_number = project_sequences.last_number + 1 RETURNING last_number"
            )
            .bind(cur.plan_year)
            .bind(rec.department_id)
            .fetch_one(&mut *c)
            .await
            })?;
            code = Some(format!("{}-{}-{:04}", cur.plan_year, rec.department_code, n));
        }
        let (approved_fen, approved_year) =
            if action == Action::Approve { (Some(approved.0), Some(year)) } else { (rec.approved_fen, rec.approved_year) };
        let submitted = action == Action::Submit;
        let updated = exec!(tx, sqlx::query(
            "UPDATE projects SET state = $1, version = version + 1, updated_at = $2, code = $3, approved_fen = $4, approved_year = $5, \
             plan_year = COALESCE($5, plan_year), \
             submitted_by = CASE WHEN $6 THEN $7 ELSE submitted_by END, submitted_at = CASE WHEN $6 THEN $2 ELSE submitted_at END \
             WHERE id = $8 AND version = $9"
        )
        .bind(to.code())
        .bind(now)
        .bind(&code)
        .bind(approved_fen)
        .bind(approved_year)
        .bind(submitted)
        .bind(actor.id)
        .bind(id)
        .bind(cur.version))?;
        if updated == 0 {
            return Err(StoreError::Conflict);
        }
        let allowed: Vec<Role> = lifecycle::TRANSITIONS
            .iter()
            .filter(|t| t.action == action && t.from.contains(&state))
            .flat_map(|t| t.roles.iter().copied())
            .collect();
        let mut ev = event_for(actor, client_addr, &allowed);
        ev.action = action.code().into();
        ev.object_type = "project".into();
        ev.object_id = id.to_string();
        ev.before = state.code().into();
        ev.after = to.code().into();
        ev.comment = comment.unwrap_or_default().into();
        let mut detail = serde_json::json!({"code": code, "version": cur.version + 1});
        if action == Action::Approve {
            detail["approved_fen"] = approved.0.into();
            detail["plan_year"] = year.into();
        }
        ev.detail = detail.to_string();
        audit::append(&mut tx, now, &ev).await?;
        tx.commit().await?;
        self.summary(id).await
    }

    pub async fn summary(&self, id: i64) -> Result<ProjectSummary> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM projects p JOIN departments d ON d.id = p.department_id WHERE p.id = $1");
        read!(self, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?.ok_or(StoreError::NotFound)
    }

    /// Record (or revise) the feasibility review while the application is under review.
    pub async fn record_review(&self, actor: &Actor, client_addr: &str, id: i64, input: &ReviewInput) -> Result<()> {
        let rec = self.visible_record(actor, id).await?;
        self.review_guard(actor, &rec, Capability::RecordReview)?;
        let errors = input.validate();
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.begin().await?;
        exec!(tx, sqlx::query(
            "INSERT INTO reviews (project_id, technical_conclusion, technical_text, economic_conclusion, economic_text, risk_conclusion, risk_text, \
             recommended_fen, reviewer_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (project_id) DO UPDATE SET technical_conclusion = excluded.technical_conclusion, technical_text = excluded.technical_text, \
             economic_conclusion = excluded.economic_conclusion, economic_text = excluded.economic_text, risk_conclusion = excluded.risk_conclusion, \
             risk_text = excluded.risk_text, recommended_fen = excluded.recommended_fen, reviewer_id = excluded.reviewer_id, updated_at = excluded.updated_at"
        )
        .bind(id)
        .bind(input.technical_conclusion.code())
        .bind(input.technical_text.trim())
        .bind(input.economic_conclusion.code())
        .bind(input.economic_text.trim())
        .bind(input.risk_conclusion.code())
        .bind(input.risk_text.trim())
        .bind(input.recommended_fen)
        .bind(actor.id)
        .bind(now))?;
        touch(&mut tx, id, now).await?;
        let mut ev = event_for(actor, client_addr, &[Role::Reviewer]);
        ev.action = "record_review".into();
        ev.object_type = "project".into();
        ev.object_id = id.to_string();
        ev.before = rec.state.clone();
        ev.after = rec.state.clone();
        ev.detail = serde_json::json!({"recommended_fen": input.recommended_fen, "technical": input.technical_conclusion.code(),
            "economic": input.economic_conclusion.code(), "risk": input.risk_conclusion.code()})
        .to_string();
        audit::append(&mut tx, now, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) fn review_guard(&self, actor: &Actor, rec: &ProjectRecord, cap: Capability) -> Result<()> {
        if !policy::can(&actor.roles, cap) {
            return Err(StoreError::Forbidden(cap));
        }
        if rec.drafted_by == actor.id || rec.submitted_by == Some(actor.id) {
            return Err(StoreError::Refused(Refusal::ConflictOfInterest));
        }
        if rec.state != State::UnderReview.code() {
            return Err(StoreError::Refused(Refusal::ReviewClosed { state: State::parse(&rec.state).unwrap_or(State::Draft) }));
        }
        Ok(())
    }

    /// Invite (or re-invite) an expert to give an opinion; `active = false` withdraws the invitation.
    pub async fn set_invitation(&self, actor: &Actor, client_addr: &str, id: i64, expert_id: i64, active: bool) -> Result<()> {
        let rec = self.visible_record(actor, id).await?;
        self.review_guard(actor, &rec, Capability::InviteExpert)?;
        let expert = self.actor(expert_id).await.map_err(|_| invalid_expert())?;
        if !expert.has(Role::Expert) || expert.id == rec.drafted_by {
            return Err(invalid_expert());
        }
        let now = self.now();
        let mut tx = self.begin().await?;
        exec!(
            tx,
            sqlx::query(
                "INSERT INTO expert_invitations (project_id, expert_id, invited_by, active, invited_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (project_id, expert_id) DO UPDATE SET active = excluded.active, invited_by = excluded.invited_by"
            )
            .bind(id)
            .bind(expert_id)
            .bind(actor.id)
            .bind(active)
            .bind(now)
        )?;
        let mut ev = event_for(actor, client_addr, &[Role::Reviewer]);
        ev.action = if active { "invite_expert" } else { "uninvite_expert" }.into();
        ev.object_type = "project".into();
        ev.object_id = id.to_string();
        ev.before = rec.state.clone();
        ev.after = rec.state.clone();
        ev.detail = serde_json::json!({"expert_id": expert_id, "expert": expert.username}).to_string();
        audit::append(&mut tx, now, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An invited expert's scored opinion (may be revised while the review lasts).
    pub async fn give_opinion(&self, actor: &Actor, client_addr: &str, id: i64, input: &OpinionInput) -> Result<()> {
        let rec = self.visible_record(actor, id).await?;
        if !policy::can(&actor.roles, Capability::GiveExpertOpinion) {
            return Err(StoreError::Forbidden(Capability::GiveExpertOpinion));
        }
        let (invited, _) = self.visibility_flags(actor, id).await?;
        if !invited {
            return Err(StoreError::Rule(
                "review.expert_invited",
                "只有受邀专家可以提交意见".into(),
                "Only an invited expert can give an opinion".into(),
            ));
        }
        if rec.state != State::UnderReview.code() {
            return Err(StoreError::Refused(Refusal::ReviewClosed { state: State::parse(&rec.state).unwrap_or(State::Draft) }));
        }
        let errors = input.validate();
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.begin().await?;
        exec!(tx, sqlx::query(
            "INSERT INTO expert_opinions (project_id, expert_id, score, conclusion, opinion, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (project_id, expert_id) DO UPDATE SET score = excluded.score, conclusion = excluded.conclusion, opinion = excluded.opinion, created_at = excluded.created_at"
        )
        .bind(id)
        .bind(actor.id)
        .bind(input.score)
        .bind(input.conclusion.code())
        .bind(input.opinion.trim())
        .bind(now))?;
        touch(&mut tx, id, now).await?;
        let mut ev = event_for(actor, client_addr, &[Role::Expert]);
        ev.action = "expert_opinion".into();
        ev.object_type = "project".into();
        ev.object_id = id.to_string();
        ev.before = rec.state.clone();
        ev.after = rec.state.clone();
        ev.detail = serde_json::json!({"score": input.score, "conclusion": input.conclusion.code()}).to_string();
        audit::append(&mut tx, now, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Store an attachment on a draft: checked for size and type, kept with its SHA-256.
    #[allow(clippy::too_many_arguments)] // the upload's fields as the handler received them
    pub async fn add_attachment(
        &self,
        actor: &Actor,
        client_addr: &str,
        id: i64,
        kind: &str,
        filename: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<i64> {
        use sha2::{Digest, Sha256};
        let rec = self.visible_record(actor, id).await?;
        if !policy::can(&actor.roles, Capability::EditDraft) {
            return Err(StoreError::Forbidden(Capability::EditDraft));
        }
        if !actor.covers_department(&rec.department_path) {
            return Err(StoreError::Refused(Refusal::NotOwnDepartment));
        }
        if rec.state != State::Draft.code() {
            return Err(StoreError::Rule(
                "application.edit_draft_only",
                "只有草稿可以上传附件".into(),
                "Attachments can only be added to drafts".into(),
            ));
        }
        let filename = filename.trim().rsplit(['/', '\\']).next().unwrap_or("").to_string();
        let ext = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        let mut errors = vec![];
        if filename.is_empty() || filename.chars().count() > 200 {
            errors.push(FieldError::new("file", Problem::Invalid("文件名 / file name".into())));
        } else if !self.settings.upload.allowed_extensions.iter().any(|a| a == &ext) {
            errors.push(FieldError::new(
                "file",
                Problem::Invalid(format!(".{ext} ∉ {}", self.settings.upload.allowed_extensions.join(", "))),
            ));
        }
        if bytes.is_empty() {
            errors.push(FieldError::new("file", Problem::Required));
        }
        let kind = kind.trim();
        if kind.is_empty() || kind.chars().count() > 40 {
            errors.push(FieldError::new("kind", Problem::Required));
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let sha = hex::encode(Sha256::digest(bytes));
        let now = self.now();
        let mut tx = self.begin().await?;
        let att_id: i64 = write!(tx, |c| sqlx::query_scalar(
            "INSERT INTO attachments (project_id, kind, filename, content_type, size_bytes, sha256, content, uploaded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
        )
        .bind(id)
        .bind(kind)
        .bind(&filename)
        .bind(content_type)
        .bind(bytes.len() as i64)
        .bind(&sha)
        .bind(bytes)
        .bind(actor.id)
        .bind(now)
        .fetch_one(&mut *c)
        .await)?;
        touch(&mut tx, id, now).await?;
        let mut ev = event_for(actor, client_addr, Capability::EditDraft.roles());
        ev.action = "add_attachment".into();
        ev.object_type = "project".into();
        ev.object_id = id.to_string();
        ev.before = rec.state.clone();
        ev.after = rec.state.clone();
        ev.detail =
            serde_json::json!({"attachment_id": att_id, "filename": filename, "kind": kind, "size_bytes": bytes.len(), "sha256": sha})
                .to_string();
        audit::append(&mut tx, now, &ev).await?;
        tx.commit().await?;
        Ok(att_id)
    }

    /// An attachment's bytes, if the project is visible to `actor`.
    pub async fn attachment(&self, actor: &Actor, id: i64, att_id: i64) -> Result<(AttachmentRow, Vec<u8>)> {
        self.visible_record(actor, id).await?;
        #[derive(sqlx::FromRow)]
        struct Full {
            id: i64,
            kind: String,
            filename: String,
            content_type: String,
            size_bytes: i64,
            sha256: String,
            created_at: i64,
            content: Vec<u8>,
        }
        let f: Full = read!(self, |p| sqlx::query_as("SELECT id, kind, filename, content_type, size_bytes, sha256, created_at, content FROM attachments WHERE id = $1 AND project_id = $2")
            .bind(att_id)
            .bind(id)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)?;
        Ok((
            AttachmentRow {
                id: f.id,
                kind: f.kind,
                filename: f.filename,
                content_type: f.content_type,
                size_bytes: f.size_bytes,
                sha256: f.sha256,
                created_at: f.created_at,
            },
            f.content,
        ))
    }

    /// "Copy as new draft" from a withdrawn or rejected application (new id, no code).
    pub async fn copy_as_draft(&self, actor: &Actor, client_addr: &str, id: i64) -> Result<i64> {
        let d = self.project_detail(actor, id).await?;
        if !actor.covers_department(&d.record.department_path) {
            return Err(StoreError::Refused(Refusal::NotOwnDepartment));
        }
        let mut input = input_from_detail(&d);
        if input.plan_year.is_some_and(|y| y < self.this_year()) {
            input.plan_year = None;
        }
        self.create_draft(actor, client_addr, input).await
    }
}

fn invalid_expert() -> StoreError {
    StoreError::Invalid(vec![FieldError::new("expert_id", Problem::Invalid("not an expert / 不是评审专家".into()))])
}

/// May `actor` change this draft's content (its department's staff, while it is a draft)?
pub(crate) fn draft_edit_guard(actor: &Actor, rec: &ProjectRecord) -> Result<()> {
    if !policy::can(&actor.roles, Capability::EditDraft) {
        return Err(StoreError::Forbidden(Capability::EditDraft));
    }
    if !actor.covers_department(&rec.department_path) {
        return Err(StoreError::Refused(Refusal::NotOwnDepartment));
    }
    if rec.state != State::Draft.code() {
        let label = |lang| State::parse(&rec.state).map(|s| s.label(lang)).unwrap_or("");
        return Err(StoreError::Rule(
            "application.edit_draft_only",
            format!("只有草稿可以修改,当前状态为“{}”", label(tongchou_domain::Lang::Zh)),
            format!("Only drafts can be edited; the project is “{}”", label(tongchou_domain::Lang::En)),
        ));
    }
    Ok(())
}

pub(crate) async fn touch(tx: &mut Tx, id: i64, now: i64) -> Result<()> {
    exec!(tx, sqlx::query("UPDATE projects SET updated_at = $1, version = version + 1 WHERE id = $2").bind(now).bind(id))?;
    Ok(())
}

/// Lock the year's plan row for the rest of the transaction and return its facts. Approvals of
/// the same year therefore run one after the other, so two of them cannot both squeeze under the
/// ceiling (PostgreSQL row lock; SQLite has one writer anyway).
pub(crate) async fn lock_plan(tx: &mut Tx, year: i64) -> Result<PlanFacts> {
    exec!(
        tx,
        sqlx::query("INSERT INTO plans (plan_year, confirmed, version) VALUES ($1, FALSE, 1) ON CONFLICT (plan_year) DO NOTHING")
            .bind(year)
    )?;
    #[derive(sqlx::FromRow)]
    struct P {
        ceiling_fen: Option<i64>,
        confirmed: bool,
    }
    let p: P =
        write!(tx, |c| sqlx::query_as("UPDATE plans SET version = version + 1 WHERE plan_year = $1 RETURNING ceiling_fen, confirmed")
            .bind(year)
            .fetch_one(&mut *c)
            .await)?;
    let total: i64 =
        write!(tx, |c| sqlx::query_scalar("SELECT CAST(COALESCE(SUM(approved_fen), 0) AS BIGINT) FROM projects WHERE approved_year = $1")
            .bind(year)
            .fetch_one(&mut *c)
            .await)?;
    Ok(PlanFacts { year: year as i32, locked: p.confirmed, ceiling: p.ceiling_fen.map(Fen), planned_total: Fen(total) })
}

async fn write_children(tx: &mut Tx, id: i64, modules: &[ModuleInput], lines: &[BudgetLineInput]) -> Result<()> {
    for (i, m) in modules.iter().enumerate() {
        exec!(
            tx,
            sqlx::query("INSERT INTO project_modules (project_id, position, name, description, estimate_fen) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(i as i64)
                .bind(&m.name)
                .bind(&m.description)
                .bind(m.estimate_fen)
        )?;
    }
    for (i, l) in lines.iter().enumerate() {
        exec!(
            tx,
            sqlx::query("INSERT INTO budget_lines (project_id, position, kind, item, amount_fen) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(i as i64)
                .bind(l.kind.code())
                .bind(&l.item)
                .bind(l.amount_fen)
        )?;
    }
    Ok(())
}

/// Rebuild the form input from a stored project.
pub fn input_from_detail(d: &ProjectDetail) -> ApplicationInput {
    use tongchou_domain::application::{BudgetKind, Category, ConstructionType, FundingSource};
    let r = &d.record;
    ApplicationInput {
        name: r.name.clone(),
        category: Category::parse(&r.category).unwrap_or(Category::Business),
        construction_type: ConstructionType::parse(&r.construction_type).unwrap_or(ConstructionType::New),
        plan_year: Some(r.plan_year as i32),
        description: r.description.clone(),
        objectives: r.objectives.clone(),
        expected_benefits: r.expected_benefits.clone(),
        funding_source: FundingSource::parse(&r.funding_source).unwrap_or(FundingSource::MunicipalBudget),
        mlps_level: r.mlps_level as i32,
        produces_shared_data: r.produces_shared_data,
        consumes_shared_data: r.consumes_shared_data,
        planned_start: r.planned_start.clone(),
        planned_finish: r.planned_finish.clone(),
        modules: d
            .modules
            .iter()
            .map(|m| ModuleInput { name: m.name.clone(), description: m.description.clone(), estimate_fen: m.estimate_fen })
            .collect(),
        budget_lines: d
            .budget_lines
            .iter()
            .map(|l| BudgetLineInput {
                kind: BudgetKind::parse(&l.kind).unwrap_or(BudgetKind::OtherConstruction),
                item: l.item.clone(),
                amount_fen: l.amount_fen,
            })
            .collect(),
    }
}
