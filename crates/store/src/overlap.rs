//! 查重 in review (issue 3, part 6): for each module of an application, the modules of existing
//! systems (系统台账), the shared capabilities (共性服务能力) and the other open applications that
//! do the same thing, as the pure detector (`tongchou-dedup`) finds them; the reviewer's decision
//! per module (reuse / merge / strip / keep) and the money that saves; the policy-catalog rules
//! (项目管理目录) the application matches and the reviewer's overrides of 禁止类 matches.
//!
//! The detector's index is built on first use (never at start: DECISIONS.md keeps it out of the
//! server's idle memory) from the inventory, the catalog, the reviewers' synonym groups and the
//! open applications, and rebuilt when any of them changes: the key is `catalog_version` (bumped
//! by every catalog write) plus a fingerprint of the set of open applications. So an open review
//! always shows results against the current inventory.

use crate::audit;
use crate::catalogs::{CatalogCapability, InventoryModule};
use crate::projects::{draft_edit_guard, event_for, touch, ProjectRecord};
use crate::{exec, read, Result, Store, StoreError};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use tongchou_dedup::{
    ApplicationRecord, CapabilityRecord, Detector, DetectorConfig, Dictionary, Index, ModuleRecord, SourceKind, SystemRecord,
};
use tongchou_domain::application::{Category, ConstructionType, FieldError, Problem};
use tongchou_domain::directory::{self, ApplicationText, RuleClass};
use tongchou_domain::overlap::{self, Decision, DecisionInput, ModuleCost};
use tongchou_domain::policy::Capability;
use tongchou_domain::{Actor, Fen, Lang, Role};
use utoipa::ToSchema;

/// Applications whose modules are candidates for others: submitted and not yet finished or
/// dropped (the ones being built included; finished systems belong in the inventory).
pub const CANDIDATE_STATES: &str =
    "('submitted', 'under_review', 'pending_decision', 'planned', 'procuring', 'contracted', 'in_progress', 'suspended')";

/// Candidates shown per module, best first.
const MAX_CANDIDATES: usize = 8;

/// The shipped dictionary, parsed once per process.
static BUILTIN: LazyLock<Dictionary> = LazyLock::new(Dictionary::builtin);

/// What the index was built from; a different key means rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
struct IndexKey {
    catalog_version: i64,
    open_count: i64,
    open_id_sum: i64,
    open_last_submitted: i64,
}

/// Display facts of a candidate the index names only by id.
#[derive(Debug, Clone)]
struct Named {
    code: String,
    department: String,
}

/// A built index and what it needs to show its candidates.
pub struct Built {
    index: Index,
    names: HashMap<(SourceKind, String), Named>,
}

/// The per-process cache of the built index (see the module docs).
#[derive(Default)]
pub struct OverlapCache(Mutex<Option<(IndexKey, Arc<Built>)>>);

/// One candidate of a module, as the review page and the API show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverlapCandidate {
    /// `system`, `capability` or `application`.
    pub kind: String,
    /// Database id of the system, capability or project.
    pub ref_id: i64,
    /// Its code (system code, capability code, project code).
    pub code: String,
    pub name: String,
    /// The owning department (systems and applications).
    pub department: String,
    /// The overlapping module of that system or application.
    pub module: Option<String>,
    /// Similarity in [0, 1].
    pub score: f64,
    /// Why, in words a reviewer reads (which words or synonyms matched).
    pub reason: String,
    /// What a `reuse`/`merge` decision names as its target, e.g. `capability:CAP-001`.
    pub target: String,
}

/// A recorded decision for one module.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct DecisionRow {
    pub module_id: i64,
    pub decision: String,
    pub target: String,
    pub reason: String,
    pub saved_fen: i64,
    pub decided_by: String,
    pub decided_at: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ModuleOverlap {
    pub module_id: i64,
    pub name: String,
    pub description: String,
    pub estimate_fen: Option<i64>,
    /// Candidates at or above the threshold, best first.
    pub candidates: Vec<OverlapCandidate>,
    /// The detector found at least one overlap (keeping the module then needs a reason).
    pub flagged: bool,
    pub decision: Option<DecisionRow>,
}

/// The detector's part of a 查重 report (see `Store::detect`).
struct Detected {
    modules: Vec<ModuleOverlap>,
    threshold: f64,
}

/// A policy-catalog rule the application matches.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DirectoryHit {
    pub rule_id: i64,
    /// `forbidden`, `priority` or `retire`.
    pub class: String,
    pub title: String,
    pub description: String,
    /// What matched, in words (which phrase in which field, or the category/type).
    pub matched: String,
    /// For a forbidden rule: the reviewer's override, if any.
    pub override_reason: Option<String>,
    pub overridden_by: Option<String>,
}

/// Everything the review page's 查重 section shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverlapReport {
    pub project_id: i64,
    pub threshold: f64,
    pub modules: Vec<ModuleOverlap>,
    pub directory: Vec<DirectoryHit>,
    /// Forbidden matches without an override (forwarding is refused while > 0).
    pub forbidden_open: u32,
    /// Shared capabilities the application declares it will use.
    pub declared_capabilities: Vec<DeclaredCapability>,
    pub budget_fen: i64,
    /// 查重节约资金: estimates of the modules reused, merged or stripped.
    pub savings_fen: i64,
    /// The applied budget less the savings.
    pub recommended_fen: i64,
    /// May this actor record decisions now (reviewer, under review, not their own)?
    pub can_decide: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct DeclaredCapability {
    pub id: i64,
    pub code: String,
    pub name: String,
}

#[derive(sqlx::FromRow)]
struct ModuleIdRow {
    id: i64,
    name: String,
    description: String,
    estimate_fen: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct AppModuleRow {
    project_id: i64,
    code: Option<String>,
    name: String,
    department: String,
    description: String,
    module: Option<String>,
    module_description: Option<String>,
}

fn module_record(name: String, description: Option<String>) -> ModuleRecord {
    ModuleRecord { name, description: description.filter(|d| !d.trim().is_empty()) }
}

impl Store {
    async fn index_key(&self) -> Result<IndexKey> {
        let sql = format!(
            "SELECT (SELECT version FROM catalog_version WHERE id = 1) AS catalog_version, COUNT(*) AS open_count, \
             CAST(COALESCE(SUM(id), 0) AS BIGINT) AS open_id_sum, CAST(COALESCE(MAX(submitted_at), 0) AS BIGINT) AS open_last_submitted \
             FROM projects WHERE state IN {CANDIDATE_STATES}"
        );
        Ok(read!(self, |p| sqlx::query_as(&sql).fetch_one(p).await)?)
    }

    /// The detector's index over the current inventory, catalog and open applications (built on
    /// first use, rebuilt when any of them changed).
    pub async fn overlap_index(&self) -> Result<Arc<Built>> {
        let key = self.index_key().await?;
        if let Some((k, built)) = self.overlap.0.lock().expect("overlap cache").as_ref() {
            if *k == key {
                return Ok(built.clone());
            }
        }
        let systems = self.inventory_modules().await?;
        let caps = self.active_capabilities().await?;
        let apps: Vec<AppModuleRow> = read!(self, |p| {
            sqlx::query_as(&format!(
            "SELECT p.id AS project_id, p.code, p.name, d.name AS department, p.description, m.name AS module, m.description AS module_description \
             FROM projects p JOIN departments d ON d.id = p.department_id LEFT JOIN project_modules m ON m.project_id = p.id \
             WHERE p.state IN {CANDIDATE_STATES} ORDER BY p.id, m.position"
        ))
        .fetch_all(p)
        .await
        })?;
        let synonyms = self.synonym_groups().await?;
        let threshold = self.settings.dedup.threshold;
        let built = tokio::task::spawn_blocking(move || build_index(systems, caps, apps, synonyms, threshold)).await.map_err(|e| {
            StoreError::Rule("dedup.index", format!("查重索引构建失败:{e}"), format!("building the 查重 index failed: {e}"))
        })?;
        let built = Arc::new(built);
        *self.overlap.0.lock().expect("overlap cache") = Some((key, built.clone()));
        Ok(built)
    }

    async fn project_modules_with_ids(&self, id: i64) -> Result<Vec<ModuleIdRow>> {
        Ok(read!(self, |p| sqlx::query_as(
            "SELECT id, name, description, estimate_fen FROM project_modules WHERE project_id = $1 ORDER BY position"
        )
        .bind(id)
        .fetch_all(p)
        .await)?)
    }

    /// The 查重 section of a project the actor may see.
    pub async fn overlap_report(&self, actor: &Actor, id: i64, lang: Lang) -> Result<OverlapReport> {
        let rec = self.visible_record(actor, id).await?;
        let detected = self.detect(id, &rec).await?;
        self.assemble_report(actor, id, &rec, detected, lang).await
    }

    /// The detector's part of the report: each module with its candidates (no decision yet).
    /// It does not depend on the reviewer's decisions, so a decision reuses it.
    async fn detect(&self, id: i64, rec: &ProjectRecord) -> Result<Detected> {
        let modules = self.project_modules_with_ids(id).await?;
        let built = self.overlap_index().await?;
        let app = ApplicationRecord {
            id: id.to_string(),
            name: rec.name.clone(),
            department: Some(rec.department.clone()),
            description: Some(rec.description.clone()).filter(|d| !d.trim().is_empty()),
            modules: modules.iter().map(|m| module_record(m.name.clone(), Some(m.description.clone()))).collect(),
        };
        let results = {
            let built = built.clone();
            tokio::task::spawn_blocking(move || built.index.check_application(&app))
                .await
                .map_err(|e| StoreError::Rule("dedup.check", format!("查重失败:{e}"), format!("the 查重 check failed: {e}")))?
        };
        let modules = modules
            .into_iter()
            .zip(results)
            .map(|(m, r)| {
                let candidates: Vec<OverlapCandidate> = r
                    .candidates
                    .into_iter()
                    .filter(|c| c.overlap)
                    .map(|c| {
                        let named = built.names.get(&(c.kind, c.id.clone()));
                        let code = named.map(|n| n.code.clone()).unwrap_or_default();
                        OverlapCandidate {
                            kind: c.kind.code().into(),
                            ref_id: c.id.parse().unwrap_or_default(),
                            target: format!("{}:{}", c.kind.code(), if code.is_empty() { &c.id } else { &code }),
                            code,
                            name: c.name,
                            department: named.map(|n| n.department.clone()).unwrap_or_default(),
                            module: c.module,
                            score: (c.score * 1000.0).round() / 1000.0,
                            reason: c.reason,
                        }
                    })
                    .collect();
                ModuleOverlap {
                    module_id: m.id,
                    name: m.name,
                    description: m.description,
                    estimate_fen: m.estimate_fen,
                    flagged: !candidates.is_empty(),
                    candidates,
                    decision: None,
                }
            })
            .collect();
        Ok(Detected { modules, threshold: built.index.detector().config().threshold })
    }

    /// The report from the detector's part: the decisions recorded so far, the policy-catalog
    /// matches, the declared capabilities and the savings.
    async fn assemble_report(&self, actor: &Actor, id: i64, rec: &ProjectRecord, detected: Detected, lang: Lang) -> Result<OverlapReport> {
        let decisions: Vec<DecisionRow> = read!(self, |p| sqlx::query_as(
            "SELECT m.module_id, m.decision, m.target, m.reason, m.saved_fen, u.display_name AS decided_by, m.decided_at \
             FROM module_decisions m JOIN users u ON u.id = m.decided_by WHERE m.project_id = $1"
        )
        .bind(id)
        .fetch_all(p)
        .await)?;
        let mut decisions: HashMap<i64, DecisionRow> = decisions.into_iter().map(|d| (d.module_id, d)).collect();
        let mut out = detected.modules;
        let mut costs = Vec::with_capacity(out.len());
        for m in out.iter_mut() {
            m.decision = decisions.remove(&m.module_id);
            costs.push(ModuleCost {
                estimate: m.estimate_fen.map(Fen),
                decision: m.decision.as_ref().and_then(|d| Decision::parse(&d.decision)),
            });
        }
        let texts: Vec<(&str, &str)> = out.iter().map(|m| (m.name.as_str(), m.description.as_str())).collect();
        let directory = self.directory_hits(id, rec, &texts, lang).await?;
        let forbidden_open =
            directory.iter().filter(|h| h.class == RuleClass::Forbidden.code() && h.override_reason.is_none()).count() as u32;
        let declared_capabilities = self.declared_capabilities(id).await?;
        let saved = overlap::savings(&costs);
        Ok(OverlapReport {
            project_id: id,
            threshold: detected.threshold,
            modules: out,
            directory,
            forbidden_open,
            declared_capabilities,
            budget_fen: rec.budget_fen,
            savings_fen: saved.0,
            recommended_fen: overlap::recommended_budget(Fen(rec.budget_fen), saved).0,
            can_decide: self.review_guard(actor, rec, Capability::RecordReview).is_ok(),
        })
    }

    pub async fn declared_capabilities(&self, id: i64) -> Result<Vec<DeclaredCapability>> {
        Ok(read!(self, |p| sqlx::query_as(
            "SELECT c.id, c.code, c.name FROM project_capabilities pc JOIN capabilities c ON c.id = pc.capability_id \
             WHERE pc.project_id = $1 ORDER BY c.code"
        )
        .bind(id)
        .fetch_all(p)
        .await)?)
    }

    /// The active policy-catalog rules the application matches, with overrides.
    async fn directory_hits(&self, id: i64, rec: &ProjectRecord, modules: &[(&str, &str)], lang: Lang) -> Result<Vec<DirectoryHit>> {
        let rules = self.active_directory_rules().await?;
        let overrides: Vec<(i64, String, String)> = read!(self, |p| {
            sqlx::query_as(
            "SELECT o.rule_id, o.reason, u.display_name FROM directory_overrides o JOIN users u ON u.id = o.decided_by WHERE o.project_id = $1"
        )
        .bind(id)
        .fetch_all(p)
        .await
        })?;
        let text = ApplicationText {
            name: &rec.name,
            description: &rec.description,
            modules,
            category: Category::parse(&rec.category).unwrap_or(Category::Business),
            construction_type: ConstructionType::parse(&rec.construction_type).unwrap_or(ConstructionType::New),
        };
        Ok(directory::match_rules(&rules, &text)
            .into_iter()
            .map(|m| {
                let o = overrides.iter().find(|o| o.0 == m.rule_id);
                DirectoryHit {
                    rule_id: m.rule_id,
                    class: m.class.code().into(),
                    matched: m.explain(lang),
                    title: m.title,
                    description: m.description,
                    override_reason: o.map(|o| o.1.clone()),
                    overridden_by: o.map(|o| o.2.clone()),
                }
            })
            .collect())
    }

    /// Record the reviewer's decision for one module of an application under review.
    pub async fn decide_module(
        &self,
        actor: &Actor,
        client_addr: &str,
        id: i64,
        module_id: i64,
        input: DecisionInput,
        lang: Lang,
    ) -> Result<OverlapReport> {
        let rec = self.visible_record(actor, id).await?;
        self.review_guard(actor, &rec, Capability::RecordReview)?;
        let input = input.normalized();
        let detected = self.detect(id, &rec).await?;
        let module = detected.modules.iter().find(|m| m.module_id == module_id).ok_or(StoreError::NotFound)?;
        let errors = input.validate(module.flagged);
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let saved = if input.decision.saves() { module.estimate_fen.unwrap_or(0) } else { 0 };
        let now = self.now();
        let mut tx = self.begin().await?;
        exec!(
            tx,
            sqlx::query(
                "INSERT INTO module_decisions (module_id, project_id, decision, target, reason, saved_fen, decided_by, decided_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (module_id) DO UPDATE SET decision = excluded.decision, \
             target = excluded.target, reason = excluded.reason, saved_fen = excluded.saved_fen, decided_by = excluded.decided_by, \
             decided_at = excluded.decided_at"
            )
            .bind(module_id)
            .bind(id)
            .bind(input.decision.code())
            .bind(&input.target)
            .bind(&input.reason)
            .bind(saved)
            .bind(actor.id)
            .bind(now)
        )?;
        touch(&mut tx, id, now).await?;
        let mut ev = event_for(actor, client_addr, &[Role::Reviewer]);
        ev.action = "decide_module".into();
        ev.object_type = "project".into();
        ev.object_id = id.to_string();
        ev.before = rec.state.clone();
        ev.after = rec.state.clone();
        ev.comment = input.reason.clone();
        let top: Vec<serde_json::Value> = module
            .candidates
            .iter()
            .take(3)
            .map(|c| serde_json::json!({"target": c.target, "module": c.module, "score": c.score}))
            .collect();
        ev.detail = serde_json::json!({"module_id": module_id, "module": module.name, "decision": input.decision.code(),
            "target": input.target, "saved_fen": saved, "flagged": module.flagged, "candidates": top})
        .to_string();
        audit::append(&mut tx, now, &ev).await?;
        tx.commit().await?;
        self.assemble_report(actor, id, &rec, detected, lang).await
    }

    /// Override a 禁止类 policy-catalog match with a reason (required before forwarding).
    pub async fn override_directory_rule(
        &self,
        actor: &Actor,
        client_addr: &str,
        id: i64,
        rule_id: i64,
        reason: &str,
        lang: Lang,
    ) -> Result<OverlapReport> {
        let rec = self.visible_record(actor, id).await?;
        self.review_guard(actor, &rec, Capability::RecordReview)?;
        let reason = reason.trim();
        let mut errors = Vec::new();
        if reason.is_empty() {
            errors.push(FieldError::new("reason", Problem::Required));
        } else if reason.chars().count() > overlap::REASON_MAX {
            errors.push(FieldError::new("reason", Problem::TooLong { max: overlap::REASON_MAX }));
        }
        let modules = self.project_modules_with_ids(id).await?;
        let texts: Vec<(&str, &str)> = modules.iter().map(|m| (m.name.as_str(), m.description.as_str())).collect();
        let directory = self.directory_hits(id, &rec, &texts, lang).await?;
        let hit = directory.iter().find(|h| h.rule_id == rule_id && h.class == RuleClass::Forbidden.code());
        let Some(hit) = hit else {
            errors.push(FieldError::new(
                "rule_id",
                Problem::Invalid("not a forbidden-class rule this application matches / 不是本申报命中的禁止类规则".into()),
            ));
            return Err(StoreError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.begin().await?;
        exec!(tx, sqlx::query(
            "INSERT INTO directory_overrides (project_id, rule_id, reason, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (project_id, rule_id) DO UPDATE SET reason = excluded.reason, decided_by = excluded.decided_by, decided_at = excluded.decided_at"
        )
        .bind(id)
        .bind(rule_id)
        .bind(reason)
        .bind(actor.id)
        .bind(now))?;
        touch(&mut tx, id, now).await?;
        let mut ev = event_for(actor, client_addr, &[Role::Reviewer]);
        ev.action = "override_directory_rule".into();
        ev.object_type = "project".into();
        ev.object_id = id.to_string();
        ev.before = rec.state.clone();
        ev.after = rec.state.clone();
        ev.comment = reason.into();
        ev.detail = serde_json::json!({"rule_id": rule_id, "rule": hit.title, "matched": hit.matched}).to_string();
        audit::append(&mut tx, now, &ev).await?;
        tx.commit().await?;
        self.overlap_report(actor, id, lang).await
    }

    /// The active capabilities a draft can declare.
    pub async fn capability_choices(&self) -> Result<Vec<DeclaredCapability>> {
        Ok(read!(self, |p| sqlx::query_as("SELECT id, code, name FROM capabilities WHERE active = TRUE ORDER BY code").fetch_all(p).await)?)
    }

    /// Replace the shared capabilities a draft declares it will use (its department, while a draft).
    pub async fn declare_capabilities(&self, actor: &Actor, client_addr: &str, id: i64, ids: &[i64]) -> Result<Vec<DeclaredCapability>> {
        let rec = self.visible_record(actor, id).await?;
        draft_edit_guard(actor, &rec)?;
        let mut wanted: Vec<i64> = ids.to_vec();
        wanted.sort_unstable();
        wanted.dedup();
        let active: Vec<i64> = read!(self, |p| sqlx::query_scalar("SELECT id FROM capabilities WHERE active = TRUE").fetch_all(p).await)?;
        let errors: Vec<FieldError> = ids
            .iter()
            .enumerate()
            .filter(|(_, c)| !active.contains(c))
            .map(|(i, c)| {
                FieldError::new(
                    format!("capability_ids[{i}]"),
                    Problem::Invalid(format!("共性服务能力 {c} 不存在或已停用 / capability {c} does not exist or is inactive")),
                )
            })
            .collect();
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.begin().await?;
        exec!(tx, sqlx::query("DELETE FROM project_capabilities WHERE project_id = $1").bind(id))?;
        for c in &wanted {
            exec!(tx, sqlx::query("INSERT INTO project_capabilities (project_id, capability_id) VALUES ($1, $2)").bind(id).bind(c))?;
        }
        touch(&mut tx, id, now).await?;
        let mut ev = event_for(actor, client_addr, &[Role::DeptStaff, Role::DeptHead]);
        ev.action = "declare_capabilities".into();
        ev.object_type = "project".into();
        ev.object_id = id.to_string();
        ev.before = rec.state.clone();
        ev.after = rec.state.clone();
        ev.detail = serde_json::json!({"capability_ids": wanted}).to_string();
        audit::append(&mut tx, now, &ev).await?;
        tx.commit().await?;
        self.declared_capabilities(id).await
    }

    /// Forbidden matches without an override, for the forward guard.
    pub(crate) async fn forbidden_matches_open(&self, actor: &Actor, id: i64) -> Result<u32> {
        let rec = self.visible_record(actor, id).await?;
        let modules = self.project_modules_with_ids(id).await?;
        let texts: Vec<(&str, &str)> = modules.iter().map(|m| (m.name.as_str(), m.description.as_str())).collect();
        let hits = self.directory_hits(id, &rec, &texts, Lang::Zh).await?;
        Ok(hits.iter().filter(|h| h.class == RuleClass::Forbidden.code() && h.override_reason.is_none()).count() as u32)
    }
}

/// Build the detector's index (CPU work: run it off the async threads).
fn build_index(
    systems: Vec<InventoryModule>,
    caps: Vec<CatalogCapability>,
    apps: Vec<AppModuleRow>,
    synonyms: Vec<Vec<String>>,
    threshold: f64,
) -> Built {
    let mut dict = BUILTIN.clone();
    for group in &synonyms {
        if let Err(e) = dict.add_synonym_group(group) {
            tracing::warn!("a reviewer's synonym group was skipped: {e}");
        }
    }
    let detector = Detector::new(&dict);
    let detector = detector.reconfigured(DetectorConfig { threshold, max_matches: MAX_CANDIDATES, ..detector.config().clone() });
    let mut b = detector.index_builder();
    let mut names = HashMap::new();
    // Rows come ordered by system; one record per system.
    for group in systems.chunk_by(|x, y| x.system_id == y.system_id) {
        let s = &group[0];
        let id = s.system_id.to_string();
        names.insert((SourceKind::System, id.clone()), Named { code: s.system_code.clone(), department: s.department.clone() });
        b.add_system(SystemRecord {
            id,
            name: s.system_name.clone(),
            department: Some(s.department.clone()),
            description: None,
            modules: group.iter().map(|m| module_record(m.name.clone(), Some(m.description.clone()))).collect(),
        });
    }
    for c in caps {
        names.insert((SourceKind::Capability, c.id.to_string()), Named { code: c.code, department: String::new() });
        b.add_capability(CapabilityRecord {
            id: c.id.to_string(),
            name: c.name,
            description: Some(c.description).filter(|d| !d.trim().is_empty()),
        });
    }
    for group in apps.chunk_by(|x, y| x.project_id == y.project_id) {
        let a = &group[0];
        let id = a.project_id.to_string();
        names.insert(
            (SourceKind::Application, id.clone()),
            Named { code: a.code.clone().unwrap_or_default(), department: a.department.clone() },
        );
        b.add_application(ApplicationRecord {
            id,
            name: a.name.clone(),
            department: Some(a.department.clone()),
            description: Some(a.description.clone()).filter(|d| !d.trim().is_empty()),
            modules: group.iter().filter_map(|m| Some(module_record(m.module.clone()?, m.module_description.clone()))).collect(),
        });
    }
    let index = b.build();
    Built { index, names }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_configured_default_threshold_is_the_detectors() {
        let config = tongchou_domain::config::Config::default();
        assert_eq!(config.dedup.threshold, tongchou_dedup::DEFAULT_THRESHOLD);
    }
}
