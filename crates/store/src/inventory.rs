//! The system inventory (系统台账) and the shared-capability catalog (共性服务能力清单). The
//! bureau's reviewers edit them; everyone who works on projects reads them (an operator only the
//! systems whose 运维单位 is its organisation). Every write is one transaction with its audit event and a bump of
//! `catalog_version` (see [`crate::catalogs`]), so that each node's 查重 index is rebuilt.

use crate::audit::{AuditEvent, NewEvent};
use crate::catalogs::{catalog_event, commit_catalog_write};
use crate::dialect::{contains_ci, like_pattern};
use crate::projects::{bind_args, event_for, Arg, Page};
use crate::{exec, read, write, Result, Store, StoreError, Tx};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tongchou_domain::application::{FieldError, Problem};
use tongchou_domain::inventory::{CapabilityInput, Hosting, SystemInput, SystemModuleInput, SystemStatus};
use tongchou_domain::policy::{self, Capability};
use tongchou_domain::{Actor, Role};
use utoipa::ToSchema;

/// A system as lists show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct SystemSummary {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub department_id: i64,
    pub department: String,
    pub department_code: String,
    pub operator: String,
    /// `in_use` | `suspended` | `retired`
    pub status: String,
    pub mlps_level: i64,
    /// `gov_cloud` | `own_room` | `other`
    pub hosting: String,
    pub go_live: Option<String>,
    pub annual_om_fen: i64,
    pub module_count: i64,
    pub updated_at: i64,
    pub version: i64,
}

const SUMMARY_COLUMNS: &str = "s.id, s.code, s.name, s.department_id, d.name AS department, d.code AS department_code, s.operator, s.status, \
     s.mlps_level, s.hosting, s.go_live, s.annual_om_fen, (SELECT COUNT(*) FROM system_modules m WHERE m.system_id = s.id) AS module_count, \
     s.updated_at, s.version";

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct SystemRecord {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub department_id: i64,
    pub department: String,
    pub department_code: String,
    pub operator: String,
    pub description: String,
    pub status: String,
    pub mlps_level: i64,
    pub hosting: String,
    pub go_live: Option<String>,
    pub annual_om_fen: i64,
    pub project_id: Option<i64>,
    pub project_code: Option<String>,
    pub project_name: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const RECORD_SELECT: &str = "SELECT s.id, s.code, s.name, s.department_id, d.name AS department, d.code AS department_code, s.operator, \
     s.description, s.status, s.mlps_level, s.hosting, s.go_live, s.annual_om_fen, s.project_id, p.code AS project_code, p.name AS project_name, \
     s.version, s.created_at, s.updated_at FROM systems s JOIN departments d ON d.id = s.department_id LEFT JOIN projects p ON p.id = s.project_id";

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct SystemModuleRow {
    pub id: i64,
    pub position: i64,
    pub name: String,
    pub description: String,
}

/// A reference to a catalog entry or a system (id, code, name).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Ref {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// Everything a system page shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SystemDetail {
    #[serde(flatten)]
    pub record: SystemRecord,
    pub modules: Vec<SystemModuleRow>,
    /// The shared capabilities the system uses.
    pub capabilities: Vec<Ref>,
    pub history: Vec<AuditEvent>,
}

impl SystemDetail {
    /// The form input this system would be edited from.
    pub fn to_input(&self) -> SystemInput {
        let r = &self.record;
        SystemInput {
            code: r.code.clone(),
            name: r.name.clone(),
            department_id: r.department_id,
            operator: r.operator.clone(),
            description: r.description.clone(),
            status: SystemStatus::parse(&r.status).unwrap_or(SystemStatus::InUse),
            mlps_level: r.mlps_level,
            hosting: Hosting::parse(&r.hosting).unwrap_or(Hosting::Other),
            go_live: r.go_live.clone(),
            annual_om_fen: r.annual_om_fen,
            project_id: r.project_id,
            modules: self.modules.iter().map(|m| SystemModuleInput { name: m.name.clone(), description: m.description.clone() }).collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SystemSort {
    #[default]
    Updated,
    Code,
    Name,
    Department,
    Status,
    Mlps,
    GoLive,
    AnnualOm,
    Modules,
}

impl SystemSort {
    fn column(self) -> &'static str {
        match self {
            SystemSort::Updated => "s.updated_at",
            SystemSort::Code => "s.code",
            SystemSort::Name => "s.name",
            SystemSort::Department => "d.code",
            SystemSort::Status => "s.status",
            SystemSort::Mlps => "s.mlps_level",
            SystemSort::GoLive => "s.go_live",
            SystemSort::AnnualOm => "s.annual_om_fen",
            SystemSort::Modules => "module_count",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            SystemSort::Updated => "updated",
            SystemSort::Code => "code",
            SystemSort::Name => "name",
            SystemSort::Department => "department",
            SystemSort::Status => "status",
            SystemSort::Mlps => "mlps",
            SystemSort::GoLive => "go_live",
            SystemSort::AnnualOm => "annual_om",
            SystemSort::Modules => "modules",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SystemQuery {
    /// Search in the name, the code and the module names.
    pub q: Option<String>,
    /// This department and those below it.
    pub department_id: Option<i64>,
    pub status: Option<SystemStatus>,
    pub hosting: Option<Hosting>,
    pub mlps_level: Option<i64>,
    pub sort: SystemSort,
    pub desc: bool,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct CapabilityRecord {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    pub provider: String,
    pub access_method: String,
    pub active: bool,
    /// How many inventory systems use it.
    pub system_count: i64,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const CAPABILITY_SELECT: &str = "SELECT c.id, c.code, c.name, c.description, c.provider, c.access_method, c.active, \
     (SELECT COUNT(*) FROM capability_systems cs WHERE cs.capability_id = c.id) AS system_count, c.version, c.created_at, c.updated_at FROM capabilities c";

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CapabilityDetail {
    #[serde(flatten)]
    pub record: CapabilityRecord,
    /// The inventory systems that use it.
    pub systems: Vec<Ref>,
    pub history: Vec<AuditEvent>,
}

impl CapabilityDetail {
    pub fn to_input(&self) -> CapabilityInput {
        let r = &self.record;
        CapabilityInput {
            code: r.code.clone(),
            name: r.name.clone(),
            description: r.description.clone(),
            provider: r.provider.clone(),
            access_method: r.access_method.clone(),
            active: r.active,
            system_ids: self.systems.iter().map(|s| s.id).collect(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CapabilityQuery {
    pub q: Option<String>,
    pub active: Option<bool>,
    pub page: i64,
    pub page_size: i64,
}

pub(crate) fn require(actor: &Actor, cap: Capability) -> Result<()> {
    if policy::can(&actor.roles, cap) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(cap))
    }
}

/// The inventory scope as SQL over `systems s`, appending its parameter to `args`. Mirrors
/// `policy::sees_system`.
fn system_scope(actor: &Actor, args: &mut Vec<Arg>) -> String {
    if policy::sees_all_systems(&actor.roles) {
        "1 = 1".into()
    } else if actor.has(Role::Operator) && !actor.department_name.trim().is_empty() {
        args.push(Arg::S(actor.department_name.trim().to_string()));
        format!("TRIM(s.operator) = ${}", args.len())
    } else {
        "1 = 0".into()
    }
}

fn invalid(field: &str, problem: Problem) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(field, problem)])
}

/// Top-level fields whose values differ, as `{field: [before, after]}` (what an auditor reads).
pub(crate) fn changes<T: Serialize>(before: &T, after: &T) -> serde_json::Value {
    let (b, a) = (serde_json::to_value(before).unwrap_or_default(), serde_json::to_value(after).unwrap_or_default());
    let mut out = serde_json::Map::new();
    if let (Some(b), Some(a)) = (b.as_object(), a.as_object()) {
        for (k, av) in a {
            let bv = b.get(k).cloned().unwrap_or_default();
            if &bv != av {
                out.insert(k.clone(), serde_json::json!([bv, av]));
            }
        }
    }
    serde_json::Value::Object(out)
}

impl Store {
    pub async fn list_systems(&self, actor: &Actor, q: &SystemQuery) -> Result<Page<SystemSummary>> {
        require(actor, Capability::ViewCatalogs)?;
        let mut args = vec![];
        let mut wheres = vec![system_scope(actor, &mut args)];
        if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            args.push(Arg::S(like_pattern(text)));
            let n = args.len();
            wheres.push(format!(
                "({} OR {} OR EXISTS (SELECT 1 FROM system_modules m WHERE m.system_id = s.id AND {}))",
                contains_ci("s.name", n),
                contains_ci("s.code", n),
                contains_ci("m.name", n)
            ));
        }
        if let Some(dep) = q.department_id {
            args.push(Arg::I(dep));
            wheres.push(format!(
                "s.department_id IN (SELECT id FROM departments WHERE path LIKE (SELECT path FROM departments WHERE id = ${}) || '%')",
                args.len()
            ));
        }
        if let Some(s) = q.status {
            args.push(Arg::S(s.code().into()));
            wheres.push(format!("s.status = ${}", args.len()));
        }
        if let Some(h) = q.hosting {
            args.push(Arg::S(h.code().into()));
            wheres.push(format!("s.hosting = ${}", args.len()));
        }
        if let Some(l) = q.mlps_level {
            args.push(Arg::I(l));
            wheres.push(format!("s.mlps_level = ${}", args.len()));
        }
        let filter = wheres.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) FROM systems s WHERE {filter}");
        let page_size = q.page_size.clamp(1, 10_000);
        let page = q.page.max(1);
        let dir = if q.desc { "DESC" } else { "ASC" };
        let col = q.sort.column();
        let nulls_last = if q.sort == SystemSort::GoLive { format!("CASE WHEN {col} IS NULL THEN 1 ELSE 0 END, ") } else { String::new() };
        let list_sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM systems s JOIN departments d ON d.id = s.department_id WHERE {filter} \
             ORDER BY {nulls_last}{col} {dir}, s.id {dir} LIMIT {page_size} OFFSET {}",
            (page - 1) * page_size
        );
        let total: i64 = read!(self, |p| bind_args!(sqlx::query_scalar(&count_sql), &args).fetch_one(p).await)?;
        let items: Vec<SystemSummary> = read!(self, |p| bind_args!(sqlx::query_as(&list_sql), &args).fetch_all(p).await)?;
        Ok(Page { items, total, page, page_size })
    }

    pub async fn system_detail(&self, actor: &Actor, id: i64) -> Result<SystemDetail> {
        require(actor, Capability::ViewCatalogs)?;
        let sql = format!("{RECORD_SELECT} WHERE s.id = $1");
        let record: SystemRecord = read!(self, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?.ok_or(StoreError::NotFound)?;
        if !policy::sees_system(&actor.roles, &actor.department_name, &record.operator) {
            return Err(StoreError::NotFound);
        }
        let modules = read!(self, |p| sqlx::query_as(
            "SELECT id, position, name, description FROM system_modules WHERE system_id = $1 ORDER BY position, id"
        )
        .bind(id)
        .fetch_all(p)
        .await)?;
        let capabilities = read!(self, |p| {
            sqlx::query_as(
            "SELECT c.id, c.code, c.name FROM capabilities c JOIN capability_systems cs ON cs.capability_id = c.id WHERE cs.system_id = $1 ORDER BY c.code"
        )
        .bind(id)
        .fetch_all(p)
        .await
        })?;
        let history = self.history("system", &id.to_string()).await?;
        Ok(SystemDetail { record, modules, capabilities, history })
    }

    /// Create a system (reviewer). Answers its id.
    pub async fn create_system(&self, actor: &Actor, client_addr: &str, input: SystemInput) -> Result<i64> {
        require(actor, Capability::ManageCatalogs)?;
        let input = input.normalized();
        let errors = input.validate();
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.begin().await?;
        let id = insert_system(&mut tx, &input, now).await?;
        let mut ev = catalog_event(actor, client_addr, "create_system", "system", id);
        ev.after = input.status.code().into();
        ev.detail = serde_json::to_string(&input).unwrap_or_default();
        commit_catalog_write(tx, now, &ev).await?;
        Ok(id)
    }

    /// Replace a system's content and modules (reviewer). `expected_version` guards against
    /// overwriting someone else's edit. Answers the new version.
    pub async fn update_system(
        &self,
        actor: &Actor,
        client_addr: &str,
        id: i64,
        input: SystemInput,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        require(actor, Capability::ManageCatalogs)?;
        let before = self.system_detail(actor, id).await?;
        if expected_version.is_some_and(|v| v != before.record.version) {
            return Err(StoreError::Conflict);
        }
        let input = input.normalized();
        let errors = input.validate();
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.begin().await?;
        let version = update_system_in(&mut tx, id, before.record.version, &input, now).await?;
        let mut ev = catalog_event(actor, client_addr, "update_system", "system", id);
        ev.before = before.record.status.clone();
        ev.after = input.status.code().into();
        ev.detail = changes(&before.to_input(), &input).to_string();
        commit_catalog_write(tx, now, &ev).await?;
        Ok(version)
    }

    /// "Delete" a system: it is set to retired (淘汰) and stays in the inventory's history.
    pub async fn retire_system(&self, actor: &Actor, client_addr: &str, id: i64, expected_version: Option<i64>) -> Result<i64> {
        require(actor, Capability::ManageCatalogs)?;
        let before = self.system_detail(actor, id).await?;
        if expected_version.is_some_and(|v| v != before.record.version) {
            return Err(StoreError::Conflict);
        }
        let mut input = before.to_input();
        input.status = SystemStatus::Retired;
        let now = self.now();
        let mut tx = self.begin().await?;
        let version = update_system_in(&mut tx, id, before.record.version, &input, now).await?;
        let mut ev = catalog_event(actor, client_addr, "retire_system", "system", id);
        ev.before = before.record.status.clone();
        ev.after = SystemStatus::Retired.code().into();
        ev.detail = serde_json::json!({"code": before.record.code, "name": before.record.name}).to_string();
        commit_catalog_write(tx, now, &ev).await?;
        Ok(version)
    }

    /// Projects a system can be linked to: those with a project code (given when an application
    /// enters the plan), newest first, at most `limit`; (code, name), for the form's picker.
    pub async fn linkable_projects(&self, limit: i64) -> Result<Vec<(String, String)>> {
        Ok(read!(self, |p| sqlx::query_as(
            "SELECT code, name FROM projects WHERE code IS NOT NULL ORDER BY updated_at DESC, id DESC LIMIT $1"
        )
        .bind(limit)
        .fetch_all(p)
        .await)?)
    }

    /// The id of the project with this code (codes are unique).
    pub async fn project_id_by_code(&self, code: &str) -> Result<Option<i64>> {
        Ok(read!(self, |p| sqlx::query_scalar("SELECT id FROM projects WHERE code = $1").bind(code.trim()).fetch_optional(p).await)?)
    }

    /// Every system as the import needs it: code → (id, version, input).
    pub async fn systems_by_code(&self) -> Result<HashMap<String, tongchou_domain::import::Existing<SystemInput>>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: i64,
            code: String,
            name: String,
            department_id: i64,
            operator: String,
            description: String,
            status: String,
            mlps_level: i64,
            hosting: String,
            go_live: Option<String>,
            annual_om_fen: i64,
            project_id: Option<i64>,
            version: i64,
        }
        let rows: Vec<Row> = read!(self, |p| {
            sqlx::query_as(
            "SELECT id, code, name, department_id, operator, description, status, mlps_level, hosting, go_live, annual_om_fen, project_id, version FROM systems"
        )
        .fetch_all(p)
        .await
        })?;
        let mods: Vec<(i64, String, String)> =
            read!(self, |p| sqlx::query_as("SELECT system_id, name, description FROM system_modules ORDER BY system_id, position, id")
                .fetch_all(p)
                .await)?;
        let mut by_system: HashMap<i64, Vec<SystemModuleInput>> = HashMap::new();
        for (sid, name, description) in mods {
            by_system.entry(sid).or_default().push(SystemModuleInput { name, description });
        }
        Ok(rows
            .into_iter()
            .map(|r| {
                let input = SystemInput {
                    code: r.code.clone(),
                    name: r.name,
                    department_id: r.department_id,
                    operator: r.operator,
                    description: r.description,
                    status: SystemStatus::parse(&r.status).unwrap_or(SystemStatus::InUse),
                    mlps_level: r.mlps_level,
                    hosting: Hosting::parse(&r.hosting).unwrap_or(Hosting::Other),
                    go_live: r.go_live,
                    annual_om_fen: r.annual_om_fen,
                    project_id: r.project_id,
                    modules: by_system.remove(&r.id).unwrap_or_default(),
                };
                (r.code, tongchou_domain::import::Existing { id: r.id, version: r.version, input })
            })
            .collect())
    }

    // ------------------------------------------------------------------------------------
    // Shared capabilities (共性服务能力)
    // ------------------------------------------------------------------------------------

    pub async fn list_capabilities(&self, actor: &Actor, q: &CapabilityQuery) -> Result<Page<CapabilityRecord>> {
        require(actor, Capability::ViewCatalogs)?;
        let mut args = vec![];
        let mut wheres = vec!["1 = 1".to_string()];
        if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            args.push(Arg::S(like_pattern(text)));
            let n = args.len();
            wheres.push(format!(
                "({} OR {} OR {} OR {})",
                contains_ci("c.name", n),
                contains_ci("c.code", n),
                contains_ci("c.description", n),
                contains_ci("c.provider", n)
            ));
        }
        if let Some(a) = q.active {
            wheres.push(if a { "c.active = TRUE".into() } else { "c.active = FALSE".into() });
        }
        let filter = wheres.join(" AND ");
        let page_size = q.page_size.clamp(1, 10_000);
        let page = q.page.max(1);
        let count_sql = format!("SELECT COUNT(*) FROM capabilities c WHERE {filter}");
        let list_sql =
            format!("{CAPABILITY_SELECT} WHERE {filter} ORDER BY c.code, c.id LIMIT {page_size} OFFSET {}", (page - 1) * page_size);
        let total: i64 = read!(self, |p| bind_args!(sqlx::query_scalar(&count_sql), &args).fetch_one(p).await)?;
        let items = read!(self, |p| bind_args!(sqlx::query_as(&list_sql), &args).fetch_all(p).await)?;
        Ok(Page { items, total, page, page_size })
    }

    pub async fn capability_detail(&self, actor: &Actor, id: i64) -> Result<CapabilityDetail> {
        require(actor, Capability::ViewCatalogs)?;
        let sql = format!("{CAPABILITY_SELECT} WHERE c.id = $1");
        let record: CapabilityRecord =
            read!(self, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?.ok_or(StoreError::NotFound)?;
        let mut args = vec![Arg::I(id)];
        let sql = format!(
            "SELECT s.id, s.code, s.name FROM systems s JOIN capability_systems cs ON cs.system_id = s.id \
             WHERE cs.capability_id = $1 AND {} ORDER BY s.code",
            system_scope(actor, &mut args)
        );
        let systems = read!(self, |p| bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
        let history = self.history("capability", &id.to_string()).await?;
        Ok(CapabilityDetail { record, systems, history })
    }

    pub async fn create_capability(&self, actor: &Actor, client_addr: &str, input: CapabilityInput) -> Result<i64> {
        require(actor, Capability::ManageCatalogs)?;
        let input = input.normalized();
        let errors = input.validate();
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.begin().await?;
        let id = insert_capability(&mut tx, &input, now).await?;
        let mut ev = catalog_event(actor, client_addr, "create_capability", "capability", id);
        ev.detail = serde_json::to_string(&input).unwrap_or_default();
        commit_catalog_write(tx, now, &ev).await?;
        Ok(id)
    }

    pub async fn update_capability(
        &self,
        actor: &Actor,
        client_addr: &str,
        id: i64,
        input: CapabilityInput,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        require(actor, Capability::ManageCatalogs)?;
        let before = self.capability_detail(actor, id).await?;
        if expected_version.is_some_and(|v| v != before.record.version) {
            return Err(StoreError::Conflict);
        }
        let input = input.normalized();
        let errors = input.validate();
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.begin().await?;
        let version = update_capability_in(&mut tx, id, before.record.version, &input, now).await?;
        let mut ev = catalog_event(actor, client_addr, "update_capability", "capability", id);
        ev.detail = changes(&before.to_input(), &input).to_string();
        commit_catalog_write(tx, now, &ev).await?;
        Ok(version)
    }

    /// Remove a capability from the catalog (its links to systems go with it).
    pub async fn delete_capability(&self, actor: &Actor, client_addr: &str, id: i64, expected_version: Option<i64>) -> Result<()> {
        require(actor, Capability::ManageCatalogs)?;
        let before = self.capability_detail(actor, id).await?;
        if expected_version.is_some_and(|v| v != before.record.version) {
            return Err(StoreError::Conflict);
        }
        let now = self.now();
        let mut tx = self.begin().await?;
        let n = exec!(tx, sqlx::query("DELETE FROM capabilities WHERE id = $1 AND version = $2").bind(id).bind(before.record.version))?;
        if n == 0 {
            return Err(StoreError::Conflict);
        }
        let mut ev = catalog_event(actor, client_addr, "delete_capability", "capability", id);
        ev.detail = serde_json::to_string(&before.to_input()).unwrap_or_default();
        commit_catalog_write(tx, now, &ev).await?;
        Ok(())
    }

    /// Every capability as the import needs it: code → (id, version, input).
    pub async fn capabilities_by_code(&self) -> Result<HashMap<String, tongchou_domain::import::Existing<CapabilityInput>>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: i64,
            code: String,
            name: String,
            description: String,
            provider: String,
            access_method: String,
            active: bool,
            version: i64,
        }
        let rows: Vec<Row> = read!(self, |p| sqlx::query_as(
            "SELECT id, code, name, description, provider, access_method, active, version FROM capabilities"
        )
        .fetch_all(p)
        .await)?;
        let links: Vec<(i64, i64)> =
            read!(self, |p| sqlx::query_as("SELECT capability_id, system_id FROM capability_systems ORDER BY capability_id, system_id")
                .fetch_all(p)
                .await)?;
        let mut by_cap: HashMap<i64, Vec<i64>> = HashMap::new();
        for (c, s) in links {
            by_cap.entry(c).or_default().push(s);
        }
        Ok(rows
            .into_iter()
            .map(|r| {
                let input = CapabilityInput {
                    code: r.code.clone(),
                    name: r.name,
                    description: r.description,
                    provider: r.provider,
                    access_method: r.access_method,
                    active: r.active,
                    system_ids: by_cap.remove(&r.id).unwrap_or_default(),
                };
                (r.code, tongchou_domain::import::Existing { id: r.id, version: r.version, input })
            })
            .collect())
    }

    /// System codes and names → ids (an import's "使用系统" column names systems either way).
    pub async fn system_keys(&self) -> Result<HashMap<String, i64>> {
        let rows: Vec<(i64, String, String)> =
            read!(self, |p| sqlx::query_as("SELECT id, code, name FROM systems ORDER BY id").fetch_all(p).await)?;
        let mut out = HashMap::new();
        for (id, code, name) in rows {
            out.entry(name).or_insert(id);
            out.insert(code, id);
        }
        Ok(out)
    }
}

async fn check_refs(tx: &mut Tx, input: &SystemInput) -> Result<()> {
    let dept: Option<i64> = write!(tx, |c| sqlx::query_scalar("SELECT id FROM departments WHERE id = $1")
        .bind(input.department_id)
        .fetch_optional(&mut *c)
        .await)?;
    if dept.is_none() {
        return Err(invalid("department_id", Problem::Invalid(format!("{}", input.department_id))));
    }
    if let Some(pid) = input.project_id {
        let p: Option<i64> =
            write!(tx, |c| sqlx::query_scalar("SELECT id FROM projects WHERE id = $1").bind(pid).fetch_optional(&mut *c).await)?;
        if p.is_none() {
            return Err(invalid("project_id", Problem::Invalid(format!("{pid}"))));
        }
    }
    Ok(())
}

fn code_taken(e: sqlx::Error) -> StoreError {
    if crate::is_unique_violation(&e) {
        invalid("code", Problem::Taken)
    } else {
        e.into()
    }
}

/// Insert a system with its modules (no audit, no version bump: the caller does both).
pub(crate) async fn insert_system(tx: &mut Tx, input: &SystemInput, now: i64) -> Result<i64> {
    check_refs(tx, input).await?;
    let id: i64 = write!(tx, |c| sqlx::query_scalar(
        "INSERT INTO systems (code, name, department_id, operator, description, status, mlps_level, hosting, go_live, annual_om_fen, project_id, \
         version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12) RETURNING id"
    )
    .bind(&input.code)
    .bind(&input.name)
    .bind(input.department_id)
    .bind(&input.operator)
    .bind(&input.description)
    .bind(input.status.code())
    .bind(input.mlps_level)
    .bind(input.hosting.code())
    .bind(&input.go_live)
    .bind(input.annual_om_fen)
    .bind(input.project_id)
    .bind(now)
    .fetch_one(&mut *c)
    .await)
    .map_err(code_taken)?;
    write_modules(tx, id, &input.modules).await?;
    Ok(id)
}

/// Update a system seen at `version`; another version means someone else changed it first.
pub(crate) async fn update_system_in(tx: &mut Tx, id: i64, version: i64, input: &SystemInput, now: i64) -> Result<i64> {
    check_refs(tx, input).await?;
    let new_version: Option<i64> = write!(tx, |c| sqlx::query_scalar(
        "UPDATE systems SET code = $1, name = $2, department_id = $3, operator = $4, description = $5, status = $6, mlps_level = $7, \
         hosting = $8, go_live = $9, annual_om_fen = $10, project_id = $11, updated_at = $12, version = version + 1 \
         WHERE id = $13 AND version = $14 RETURNING version"
    )
    .bind(&input.code)
    .bind(&input.name)
    .bind(input.department_id)
    .bind(&input.operator)
    .bind(&input.description)
    .bind(input.status.code())
    .bind(input.mlps_level)
    .bind(input.hosting.code())
    .bind(&input.go_live)
    .bind(input.annual_om_fen)
    .bind(input.project_id)
    .bind(now)
    .bind(id)
    .bind(version)
    .fetch_optional(&mut *c)
    .await)
    .map_err(code_taken)?;
    let new_version = new_version.ok_or(StoreError::Conflict)?;
    exec!(tx, sqlx::query("DELETE FROM system_modules WHERE system_id = $1").bind(id))?;
    write_modules(tx, id, &input.modules).await?;
    Ok(new_version)
}

/// Modules in multi-row INSERTs (an import writes thousands).
async fn write_modules(tx: &mut Tx, system_id: i64, modules: &[SystemModuleInput]) -> Result<()> {
    for (chunk_no, chunk) in modules.chunks(100).enumerate() {
        let values: Vec<String> =
            (0..chunk.len()).map(|i| format!("(${}, ${}, ${}, ${})", i * 4 + 1, i * 4 + 2, i * 4 + 3, i * 4 + 4)).collect();
        let sql = format!("INSERT INTO system_modules (system_id, position, name, description) VALUES {}", values.join(", "));
        exec!(tx, {
            let mut q = sqlx::query(&sql);
            for (i, m) in chunk.iter().enumerate() {
                q = q.bind(system_id).bind((chunk_no * 100 + i) as i64).bind(&m.name).bind(&m.description);
            }
            q
        })?;
    }
    Ok(())
}

async fn check_systems(tx: &mut Tx, ids: &[i64]) -> Result<()> {
    for (i, sid) in ids.iter().enumerate() {
        let found: Option<i64> =
            write!(tx, |c| sqlx::query_scalar("SELECT id FROM systems WHERE id = $1").bind(*sid).fetch_optional(&mut *c).await)?;
        if found.is_none() {
            return Err(invalid(&format!("system_ids[{i}]"), Problem::Invalid(sid.to_string())));
        }
    }
    Ok(())
}

pub(crate) async fn insert_capability(tx: &mut Tx, input: &CapabilityInput, now: i64) -> Result<i64> {
    check_systems(tx, &input.system_ids).await?;
    let id: i64 = write!(tx, |c| sqlx::query_scalar(
        "INSERT INTO capabilities (code, name, description, provider, access_method, active, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id"
    )
    .bind(&input.code)
    .bind(&input.name)
    .bind(&input.description)
    .bind(&input.provider)
    .bind(&input.access_method)
    .bind(input.active)
    .bind(now)
    .fetch_one(&mut *c)
    .await)
    .map_err(code_taken)?;
    link_systems(tx, id, &input.system_ids).await?;
    Ok(id)
}

pub(crate) async fn update_capability_in(tx: &mut Tx, id: i64, version: i64, input: &CapabilityInput, now: i64) -> Result<i64> {
    check_systems(tx, &input.system_ids).await?;
    let new_version: Option<i64> = write!(tx, |c| {
        sqlx::query_scalar(
        "UPDATE capabilities SET code = $1, name = $2, description = $3, provider = $4, access_method = $5, active = $6, updated_at = $7, \
         version = version + 1 WHERE id = $8 AND version = $9 RETURNING version"
    )
    .bind(&input.code)
    .bind(&input.name)
    .bind(&input.description)
    .bind(&input.provider)
    .bind(&input.access_method)
    .bind(input.active)
    .bind(now)
    .bind(id)
    .bind(version)
    .fetch_optional(&mut *c)
    .await
    })
    .map_err(code_taken)?;
    let new_version = new_version.ok_or(StoreError::Conflict)?;
    exec!(tx, sqlx::query("DELETE FROM capability_systems WHERE capability_id = $1").bind(id))?;
    link_systems(tx, id, &input.system_ids).await?;
    Ok(new_version)
}

async fn link_systems(tx: &mut Tx, capability_id: i64, system_ids: &[i64]) -> Result<()> {
    for sid in system_ids {
        exec!(tx, sqlx::query("INSERT INTO capability_systems (capability_id, system_id) VALUES ($1, $2)").bind(capability_id).bind(*sid))?;
    }
    Ok(())
}

/// The event a write by `actor` records (used by the import).
pub(crate) fn reviewer_event(actor: &Actor, client_addr: &str) -> NewEvent {
    event_for(actor, client_addr, &[Role::Reviewer])
}
