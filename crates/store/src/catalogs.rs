//! The policy catalog (项目管理目录), the reviewers' synonym groups for 查重, the catalog version
//! number, and the reads the duplicate detector and the review page are built from.
//!
//! `catalog_version` is one row whose number moves with every write to the inventory, the
//! capability catalog, the policy catalog or the synonyms (same transaction): a node compares it
//! with the number its 查重 index was built at and rebuilds when they differ (DECISIONS.md).

use crate::audit::{self, AuditEvent, NewEvent};
use crate::inventory::require;
use crate::{exec, read, write, Result, Store, StoreError, Tx};
use serde::Serialize;
use tongchou_domain::application::{Category, ConstructionType};
use tongchou_domain::directory::{parse_codes, DirectoryRule, DirectoryRuleInput, RuleClass};
use tongchou_domain::inventory::SynonymInput;
use tongchou_domain::policy::Capability;
use tongchou_domain::Actor;
use utoipa::ToSchema;

/// Bump the catalog version in the caller's transaction; answers the new number.
pub async fn bump_catalog(tx: &mut Tx) -> Result<i64> {
    Ok(write!(tx, |c| sqlx::query_scalar::<_, i64>("UPDATE catalog_version SET version = version + 1 WHERE id = 1 RETURNING version")
        .fetch_one(&mut *c)
        .await)?)
}

/// The audit event of a reviewer's catalog write: `action` on `object_type` `object_id`.
pub(crate) fn catalog_event(actor: &Actor, client_addr: &str, action: &str, object_type: &str, object_id: impl ToString) -> NewEvent {
    let mut ev = crate::inventory::reviewer_event(actor, client_addr);
    ev.action = action.into();
    ev.object_type = object_type.into();
    ev.object_id = object_id.to_string();
    ev
}

/// Ends a catalog write: its audit entry and a new catalog version, in the writing transaction.
pub(crate) async fn commit_catalog_write(mut tx: Tx, at_ms: i64, ev: &NewEvent) -> Result<()> {
    audit::append(&mut tx, at_ms, ev).await?;
    bump_catalog(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// A module of an in-use system, as the detector indexes it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct InventoryModule {
    pub system_id: i64,
    pub system_code: String,
    pub system_name: String,
    pub department_id: i64,
    pub department: String,
    pub module_id: i64,
    pub position: i64,
    pub name: String,
    pub description: String,
}

/// An active shared capability, as the detector indexes it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct CatalogCapability {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    pub provider: String,
    pub access_method: String,
}

/// A policy-catalog rule as stored and shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DirectoryRuleRecord {
    pub id: i64,
    pub class: RuleClass,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    #[schema(value_type = Vec<String>)]
    pub categories: Vec<Category>,
    #[schema(value_type = Vec<String>)]
    pub construction_types: Vec<ConstructionType>,
    pub active: bool,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct RuleRow {
    id: i64,
    class: String,
    title: String,
    description: String,
    keywords: String,
    categories: String,
    construction_types: String,
    active: bool,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl From<RuleRow> for DirectoryRuleRecord {
    fn from(r: RuleRow) -> Self {
        DirectoryRuleRecord {
            id: r.id,
            class: RuleClass::parse(&r.class).unwrap_or(RuleClass::Priority),
            title: r.title,
            description: r.description,
            keywords: r.keywords.lines().map(str::trim).filter(|k| !k.is_empty()).map(String::from).collect(),
            categories: parse_codes(&r.categories, Category::parse),
            construction_types: parse_codes(&r.construction_types, ConstructionType::parse),
            active: r.active,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl DirectoryRuleRecord {
    pub fn to_input(&self) -> DirectoryRuleInput {
        DirectoryRuleInput {
            class: self.class,
            title: self.title.clone(),
            description: self.description.clone(),
            keywords: self.keywords.clone(),
            categories: self.categories.clone(),
            construction_types: self.construction_types.clone(),
            active: self.active,
        }
    }

    pub fn to_rule(&self) -> DirectoryRule {
        DirectoryRule {
            id: self.id,
            class: self.class,
            title: self.title.clone(),
            description: self.description.clone(),
            keywords: self.keywords.clone(),
            categories: self.categories.clone(),
            construction_types: self.construction_types.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DirectoryRuleDetail {
    #[serde(flatten)]
    pub record: DirectoryRuleRecord,
    pub history: Vec<AuditEvent>,
}

/// A reviewer-added synonym group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SynonymGroupRecord {
    pub id: i64,
    pub terms: Vec<String>,
    pub note: String,
    pub created_by: i64,
    pub created_by_name: String,
    pub created_at: i64,
}

const RULE_SELECT: &str = "SELECT id, class, title, description, keywords, categories, construction_types, active, version, created_at, updated_at FROM directory_rules";

fn codes<T: Copy>(v: &[T], code: impl Fn(T) -> &'static str) -> String {
    v.iter().map(|c| code(*c)).collect::<Vec<_>>().join(",")
}

impl Store {
    /// The catalog version number (moves with every inventory / catalog / synonym write).
    pub async fn catalog_version(&self) -> Result<i64> {
        Ok(read!(self, |p| sqlx::query_scalar("SELECT version FROM catalog_version WHERE id = 1").fetch_one(p).await)?)
    }

    /// Every module of every in-use system, by system code and position.
    pub async fn inventory_modules(&self) -> Result<Vec<InventoryModule>> {
        Ok(read!(self, |p| sqlx::query_as(
            "SELECT s.id AS system_id, s.code AS system_code, s.name AS system_name, s.department_id, d.name AS department, \
             m.id AS module_id, m.position, m.name, m.description FROM system_modules m JOIN systems s ON s.id = m.system_id \
             JOIN departments d ON d.id = s.department_id WHERE s.status = 'in_use' ORDER BY s.code, m.position, m.id"
        )
        .fetch_all(p)
        .await)?)
    }

    /// The active shared capabilities, by code.
    pub async fn active_capabilities(&self) -> Result<Vec<CatalogCapability>> {
        Ok(read!(self, |p| sqlx::query_as(
            "SELECT id, code, name, description, provider, access_method FROM capabilities WHERE active = TRUE ORDER BY code, id"
        )
        .fetch_all(p)
        .await)?)
    }

    /// The active policy-catalog rules, ready for `directory::match_rules`.
    pub async fn active_directory_rules(&self) -> Result<Vec<DirectoryRule>> {
        let sql = format!("{RULE_SELECT} WHERE active = TRUE ORDER BY id");
        let rows: Vec<RuleRow> = read!(self, |p| sqlx::query_as(&sql).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|r| DirectoryRuleRecord::from(r).to_rule()).collect())
    }

    /// Every reviewer-added synonym group's terms (to extend the detector's dictionary).
    pub async fn synonym_groups(&self) -> Result<Vec<Vec<String>>> {
        let rows: Vec<String> = read!(self, |p| sqlx::query_scalar("SELECT terms FROM dedup_synonyms ORDER BY id").fetch_all(p).await)?;
        Ok(rows.iter().map(|t| t.lines().map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()).collect())
    }

    // ------------------------------------------------------------------------------------
    // Policy catalog (项目管理目录)
    // ------------------------------------------------------------------------------------

    pub async fn list_directory_rules(&self, actor: &Actor, class: Option<RuleClass>) -> Result<Vec<DirectoryRuleRecord>> {
        require(actor, Capability::ViewCatalogs)?;
        let rows: Vec<RuleRow> = match class {
            Some(c) => {
                let sql = format!("{RULE_SELECT} WHERE class = $1 ORDER BY active DESC, id");
                read!(self, |p| sqlx::query_as(&sql).bind(c.code()).fetch_all(p).await)?
            }
            None => {
                let sql =
                    format!("{RULE_SELECT} ORDER BY active DESC, CASE class WHEN 'forbidden' THEN 0 WHEN 'retire' THEN 1 ELSE 2 END, id");
                read!(self, |p| sqlx::query_as(&sql).fetch_all(p).await)?
            }
        };
        Ok(rows.into_iter().map(DirectoryRuleRecord::from).collect())
    }

    pub async fn directory_rule(&self, actor: &Actor, id: i64) -> Result<DirectoryRuleDetail> {
        require(actor, Capability::ViewCatalogs)?;
        let sql = format!("{RULE_SELECT} WHERE id = $1");
        let row: RuleRow = read!(self, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?.ok_or(StoreError::NotFound)?;
        let history = self.history("directory_rule", &id.to_string()).await?;
        Ok(DirectoryRuleDetail { record: row.into(), history })
    }

    pub async fn create_directory_rule(&self, actor: &Actor, client_addr: &str, input: DirectoryRuleInput) -> Result<i64> {
        require(actor, Capability::ManageCatalogs)?;
        let input = input.normalized();
        let errors = input.validate();
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.begin().await?;
        let id: i64 = write!(tx, |c| {
            sqlx::query_scalar(
            "INSERT INTO directory_rules (class, title, description, keywords, categories, construction_types, active, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id"
        )
        .bind(input.class.code())
        .bind(&input.title)
        .bind(&input.description)
        .bind(input.keywords.join("\n"))
        .bind(codes(&input.categories, Category::code))
        .bind(codes(&input.construction_types, ConstructionType::code))
        .bind(input.active)
        .bind(now)
        .fetch_one(&mut *c)
        .await
        })?;
        let mut ev = catalog_event(actor, client_addr, "create_directory_rule", "directory_rule", id);
        ev.after = input.class.code().into();
        ev.detail = serde_json::to_string(&input).unwrap_or_default();
        commit_catalog_write(tx, now, &ev).await?;
        Ok(id)
    }

    pub async fn update_directory_rule(
        &self,
        actor: &Actor,
        client_addr: &str,
        id: i64,
        input: DirectoryRuleInput,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        require(actor, Capability::ManageCatalogs)?;
        let before = self.directory_rule(actor, id).await?.record;
        if expected_version.is_some_and(|v| v != before.version) {
            return Err(StoreError::Conflict);
        }
        let input = input.normalized();
        let errors = input.validate();
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.begin().await?;
        let version: Option<i64> = write!(tx, |c| {
            sqlx::query_scalar(
            "UPDATE directory_rules SET class = $1, title = $2, description = $3, keywords = $4, categories = $5, construction_types = $6, \
             active = $7, updated_at = $8, version = version + 1 WHERE id = $9 AND version = $10 RETURNING version"
        )
        .bind(input.class.code())
        .bind(&input.title)
        .bind(&input.description)
        .bind(input.keywords.join("\n"))
        .bind(codes(&input.categories, Category::code))
        .bind(codes(&input.construction_types, ConstructionType::code))
        .bind(input.active)
        .bind(now)
        .bind(id)
        .bind(before.version)
        .fetch_optional(&mut *c)
        .await
        })?;
        let version = version.ok_or(StoreError::Conflict)?;
        let mut ev = catalog_event(actor, client_addr, "update_directory_rule", "directory_rule", id);
        ev.before = before.class.code().into();
        ev.after = input.class.code().into();
        ev.detail = crate::inventory::changes(&before.to_input(), &input).to_string();
        commit_catalog_write(tx, now, &ev).await?;
        Ok(version)
    }

    pub async fn delete_directory_rule(&self, actor: &Actor, client_addr: &str, id: i64, expected_version: Option<i64>) -> Result<()> {
        require(actor, Capability::ManageCatalogs)?;
        let before = self.directory_rule(actor, id).await?.record;
        if expected_version.is_some_and(|v| v != before.version) {
            return Err(StoreError::Conflict);
        }
        let now = self.now();
        let mut tx = self.begin().await?;
        let n = exec!(tx, sqlx::query("DELETE FROM directory_rules WHERE id = $1 AND version = $2").bind(id).bind(before.version))?;
        if n == 0 {
            return Err(StoreError::Conflict);
        }
        let mut ev = catalog_event(actor, client_addr, "delete_directory_rule", "directory_rule", id);
        ev.before = before.class.code().into();
        ev.detail = serde_json::to_string(&before.to_input()).unwrap_or_default();
        commit_catalog_write(tx, now, &ev).await?;
        Ok(())
    }

    // ------------------------------------------------------------------------------------
    // Synonym dictionary (同义词词典), the reviewers' part
    // ------------------------------------------------------------------------------------

    pub async fn list_synonyms(&self, actor: &Actor) -> Result<Vec<SynonymGroupRecord>> {
        require(actor, Capability::ViewCatalogs)?;
        #[derive(sqlx::FromRow)]
        struct Row {
            id: i64,
            terms: String,
            note: String,
            created_by: i64,
            created_by_name: String,
            created_at: i64,
        }
        let rows: Vec<Row> = read!(self, |p| sqlx::query_as(
            "SELECT g.id, g.terms, g.note, g.created_by, u.display_name AS created_by_name, g.created_at FROM dedup_synonyms g \
             JOIN users u ON u.id = g.created_by ORDER BY g.id DESC"
        )
        .fetch_all(p)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|r| SynonymGroupRecord {
                id: r.id,
                terms: r.terms.lines().map(String::from).collect(),
                note: r.note,
                created_by: r.created_by,
                created_by_name: r.created_by_name,
                created_at: r.created_at,
            })
            .collect())
    }

    pub async fn create_synonym(&self, actor: &Actor, client_addr: &str, input: SynonymInput) -> Result<i64> {
        require(actor, Capability::ManageCatalogs)?;
        let input = input.normalized();
        let errors = input.validate();
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.begin().await?;
        let id: i64 = write!(tx, |c| sqlx::query_scalar(
            "INSERT INTO dedup_synonyms (terms, note, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id"
        )
        .bind(input.terms.join("\n"))
        .bind(&input.note)
        .bind(actor.id)
        .bind(now)
        .fetch_one(&mut *c)
        .await)?;
        let mut ev = catalog_event(actor, client_addr, "create_synonym", "synonym", id);
        ev.detail = serde_json::to_string(&input).unwrap_or_default();
        commit_catalog_write(tx, now, &ev).await?;
        Ok(id)
    }

    pub async fn delete_synonym(&self, actor: &Actor, client_addr: &str, id: i64) -> Result<()> {
        require(actor, Capability::ManageCatalogs)?;
        let terms: Option<String> =
            read!(self, |p| sqlx::query_scalar("SELECT terms FROM dedup_synonyms WHERE id = $1").bind(id).fetch_optional(p).await)?;
        let terms = terms.ok_or(StoreError::NotFound)?;
        let now = self.now();
        let mut tx = self.begin().await?;
        let n = exec!(tx, sqlx::query("DELETE FROM dedup_synonyms WHERE id = $1").bind(id))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let mut ev = catalog_event(actor, client_addr, "delete_synonym", "synonym", id);
        ev.detail = serde_json::json!({"terms": terms.lines().collect::<Vec<_>>()}).to_string();
        commit_catalog_write(tx, now, &ev).await?;
        Ok(())
    }
}
