//! Staged imports (导入) of the inventory and the capability catalog: the uploaded file, once
//! parsed and checked, waits in `catalog_imports` (not in one node's memory, so any app server
//! behind the load balancer can show its progress and confirm it) until its uploader confirms it
//! or it expires. Confirming writes every row in one transaction, with one audit event per row
//! (appended together) — a failure anywhere writes nothing.

use crate::audit::{self, NewEvent};
use crate::catalogs::bump_catalog;
use crate::inventory::{changes, insert_capability, insert_system, require, reviewer_event, update_capability_in, update_system_in};
use crate::{exec, read, Result, Store, StoreError};
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tongchou_domain::import::{self, DeptRef, ImportKind, ImportProblem, ImportReport, ImportSummary, RawTable, Staged};
use tongchou_domain::inventory::{CapabilityInput, SystemInput};
use tongchou_domain::policy::Capability;
use tongchou_domain::Actor;
use utoipa::ToSchema;

/// How long a checked file waits for its confirmation.
pub const IMPORT_TTL_MS: i64 = 60 * 60 * 1000;

/// An import as its uploader sees it: progress while the file is checked, then the report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportState {
    pub token: String,
    pub kind: ImportKind,
    pub filename: String,
    /// `validating` → `ready` (checked; see `report`) → `applied`; or `failed` (unreadable file).
    pub status: String,
    pub total_rows: i64,
    pub processed_rows: i64,
    pub report: Option<ImportReport>,
    /// True when the report allows confirming (no rejected row, no file problem).
    pub confirmable: bool,
    pub created_at: i64,
    pub expires_at: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    token: String,
    kind: String,
    filename: String,
    status: String,
    total_rows: i64,
    processed_rows: i64,
    report: String,
    created_by: i64,
    created_at: i64,
    expires_at: i64,
}

fn refused(rule: &'static str, zh: &str, en: &str) -> StoreError {
    StoreError::Rule(rule, zh.into(), en.into())
}

impl Store {
    /// Open an import for a file about to be checked (reviewers only). Answers its token.
    pub async fn begin_import(&self, actor: &Actor, kind: ImportKind, filename: &str) -> Result<String> {
        require(actor, Capability::ManageCatalogs)?;
        use rand::RngCore;
        let mut bytes = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let now = self.now();
        let mut tx = self.begin().await?;
        exec!(tx, sqlx::query("DELETE FROM catalog_imports WHERE expires_at < $1").bind(now))?;
        exec!(
            tx,
            sqlx::query(
                "INSERT INTO catalog_imports (token, kind, filename, status, created_by, created_at, expires_at) VALUES ($1, $2, $3, 'validating', $4, $5, $6)"
            )
            .bind(&token)
            .bind(kind.code())
            .bind(filename.chars().take(200).collect::<String>())
            .bind(actor.id)
            .bind(now)
            .bind(now + IMPORT_TTL_MS)
        )?;
        tx.commit().await?;
        Ok(token)
    }

    async fn set_import_progress(&self, token: &str, total: usize, processed: usize) -> Result<()> {
        let mut tx = self.begin().await?;
        exec!(
            tx,
            sqlx::query("UPDATE catalog_imports SET total_rows = $1, processed_rows = $2 WHERE token = $3")
                .bind(total as i64)
                .bind(processed as i64)
                .bind(token)
        )?;
        tx.commit().await
    }

    async fn finish_import(&self, token: &str, status: &str, report: &ImportReport, payload: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        exec!(
            tx,
            sqlx::query(
                "UPDATE catalog_imports SET status = $1, report = $2, payload = $3, processed_rows = total_rows WHERE token = $4 AND status = 'validating'"
            )
            .bind(status)
            .bind(serde_json::to_string(report).unwrap_or_default())
            .bind(payload)
            .bind(token)
        )?;
        tx.commit().await
    }

    /// The file could not be read at all (wrong format, wrong encoding): the import fails with
    /// that one problem.
    pub async fn fail_import(&self, token: &str, kind: ImportKind, problem: ImportProblem) -> Result<()> {
        let report = ImportReport { kind, summary: ImportSummary::default(), file_problems: vec![problem], notes: vec![], rows: vec![] };
        self.finish_import(token, "failed", &report, "").await
    }

    /// Check the parsed rows against the database (departments, existing codes) and keep the
    /// result. Progress is written to the import's row while the check runs.
    pub async fn validate_import(&self, token: &str, kind: ImportKind, table: RawTable) -> Result<ImportReport> {
        let total = table.rows.len();
        self.set_import_progress(token, total, 0).await?;
        let done = Arc::new(AtomicUsize::new(0));
        let work = {
            let done = done.clone();
            match kind {
                ImportKind::Systems => {
                    let depts: Vec<DeptRef> =
                        self.departments().await?.into_iter().map(|d| DeptRef { id: d.id, code: d.code, name: d.name }).collect();
                    let existing = self.systems_by_code().await?;
                    tokio::task::spawn_blocking(move || {
                        let (report, staged) =
                            import::validate_systems(&table, &depts, &existing, &mut |n| done.store(n, Ordering::Relaxed));
                        (report, serde_json::to_string(&staged).unwrap_or_default())
                    })
                }
                ImportKind::Capabilities => {
                    let systems = self.system_keys().await?;
                    let existing = self.capabilities_by_code().await?;
                    tokio::task::spawn_blocking(move || {
                        let (report, staged) =
                            import::validate_capabilities(&table, &systems, &existing, &mut |n| done.store(n, Ordering::Relaxed));
                        (report, serde_json::to_string(&staged).unwrap_or_default())
                    })
                }
            }
        };
        tokio::pin!(work);
        let mut last = 0;
        let (report, payload) = loop {
            tokio::select! {
                r = &mut work => break r.map_err(|e| StoreError::Rule("import.internal", e.to_string(), e.to_string()))?,
                _ = tokio::time::sleep(std::time::Duration::from_millis(250)) => {
                    let n = done.load(Ordering::Relaxed);
                    if n != last {
                        last = n;
                        self.set_import_progress(token, total, n).await?;
                    }
                }
            }
        };
        self.finish_import(token, "ready", &report, if report.ok() { &payload } else { "" }).await?;
        Ok(report)
    }

    /// An import's progress and report, for its uploader (anyone else: not found).
    pub async fn import_state(&self, actor: &Actor, token: &str) -> Result<ImportState> {
        require(actor, Capability::ManageCatalogs)?;
        let row: Row = read!(self, |p| sqlx::query_as(
            "SELECT token, kind, filename, status, total_rows, processed_rows, report, created_by, created_at, expires_at FROM catalog_imports WHERE token = $1"
        )
        .bind(token)
        .fetch_optional(p)
        .await)?
        .filter(|r: &Row| r.created_by == actor.id)
        .ok_or(StoreError::NotFound)?;
        let report: Option<ImportReport> = if row.report.is_empty() { None } else { serde_json::from_str(&row.report).ok() };
        let expired = row.expires_at <= self.now() && row.status != "applied";
        Ok(ImportState {
            confirmable: row.status == "ready" && !expired && report.as_ref().is_some_and(ImportReport::ok),
            token: row.token,
            kind: ImportKind::parse(&row.kind).unwrap_or(ImportKind::Systems),
            filename: row.filename,
            status: if expired { "expired".into() } else { row.status },
            total_rows: row.total_rows,
            processed_rows: row.processed_rows,
            report,
            created_at: row.created_at,
            expires_at: row.expires_at,
        })
    }

    /// Write every row of a checked import in one transaction. Refused unless the report is clean;
    /// a record changed since the check (another version, a code someone else created) refuses
    /// the whole import, which then writes nothing.
    pub async fn confirm_import(&self, actor: &Actor, client_addr: &str, token: &str) -> Result<ImportSummary> {
        let state = self.import_state(actor, token).await?;
        match state.status.as_str() {
            "ready" => {}
            "validating" => {
                return Err(refused("import.not_ready", "文件仍在校验中,请稍候", "The file is still being checked; wait a moment"))
            }
            "applied" => return Err(refused("import.applied", "该批数据已经导入", "This import was already confirmed")),
            "expired" => {
                return Err(refused("import.expired", "校验结果已过期,请重新上传文件", "The check has expired; upload the file again"))
            }
            _ => return Err(refused("import.failed", "文件无法读取,不能导入", "The file could not be read; nothing to import")),
        }
        let report = state.report.clone().unwrap_or_else(|| ImportReport {
            kind: state.kind,
            summary: ImportSummary::default(),
            file_problems: vec![],
            notes: vec![],
            rows: vec![],
        });
        if !report.ok() {
            return Err(refused(
                "import.has_errors",
                &format!("文件中有 {} 行错误,请修正后重新上传;本次未写入任何数据", report.summary.rejected.max(1)),
                &format!(
                    "{} row(s) of the file have errors; fix them and upload again. Nothing was written",
                    report.summary.rejected.max(1)
                ),
            ));
        }
        let payload: String =
            read!(self, |p| sqlx::query_scalar("SELECT payload FROM catalog_imports WHERE token = $1").bind(token).fetch_one(p).await)?;
        let now = self.now();
        let mut tx = self.begin().await?;
        let claimed =
            exec!(tx, sqlx::query("UPDATE catalog_imports SET status = 'applied' WHERE token = $1 AND status = 'ready'").bind(token))?;
        if claimed == 0 {
            return Err(refused("import.applied", "该批数据已经导入", "This import was already confirmed"));
        }
        let base = reviewer_event(actor, client_addr);
        let mut events: Vec<(i64, NewEvent)> = vec![];
        let stale = |line: usize, code: &str| {
            StoreError::Rule(
                "import.stale",
                format!("第 {line} 行:代码「{code}」对应的记录在校验后已被他人修改或新增,请重新上传文件核对;本次未写入任何数据"),
                format!("Line {line}: the record with code “{code}” was changed or created by someone else after the check; upload the file again. Nothing was written"),
            )
        };
        let (mut new, mut updated) = (0, 0);
        match state.kind {
            ImportKind::Systems => {
                let rows: Vec<Staged<SystemInput>> =
                    serde_json::from_str(&payload).map_err(|e| StoreError::Rule("import.payload", e.to_string(), e.to_string()))?;
                let current = self.systems_by_code().await?;
                for r in &rows {
                    let mut ev = base.clone();
                    ev.object_type = "system".into();
                    ev.after = r.input.status.code().into();
                    match r.existing {
                        None => {
                            if current.contains_key(&r.input.code) {
                                return Err(stale(r.line, &r.input.code));
                            }
                            let id = insert_system(&mut tx, &r.input, now).await?;
                            ev.action = "import_system".into();
                            ev.object_id = id.to_string();
                            ev.detail =
                                serde_json::json!({"import": token, "line": r.line, "outcome": "new", "system": r.input}).to_string();
                            new += 1;
                        }
                        Some((id, version)) => {
                            let before = current
                                .get(&r.input.code)
                                .filter(|e| e.id == id && e.version == version)
                                .ok_or_else(|| stale(r.line, &r.input.code))?;
                            update_system_in(&mut tx, id, version, &r.input, now).await.map_err(|e| match e {
                                StoreError::Conflict => stale(r.line, &r.input.code),
                                other => other,
                            })?;
                            ev.action = "import_system".into();
                            ev.object_id = id.to_string();
                            ev.before = before.input.status.code().into();
                            ev.detail = serde_json::json!({"import": token, "line": r.line, "outcome": "update", "changes": changes(&before.input, &r.input)}).to_string();
                            updated += 1;
                        }
                    }
                    events.push((now, ev));
                }
            }
            ImportKind::Capabilities => {
                let rows: Vec<Staged<CapabilityInput>> =
                    serde_json::from_str(&payload).map_err(|e| StoreError::Rule("import.payload", e.to_string(), e.to_string()))?;
                let current = self.capabilities_by_code().await?;
                for r in &rows {
                    let mut ev = base.clone();
                    ev.object_type = "capability".into();
                    match r.existing {
                        None => {
                            if current.contains_key(&r.input.code) {
                                return Err(stale(r.line, &r.input.code));
                            }
                            let id = insert_capability(&mut tx, &r.input, now).await?;
                            ev.action = "import_capability".into();
                            ev.object_id = id.to_string();
                            ev.detail =
                                serde_json::json!({"import": token, "line": r.line, "outcome": "new", "capability": r.input}).to_string();
                            new += 1;
                        }
                        Some((id, version)) => {
                            let before = current
                                .get(&r.input.code)
                                .filter(|e| e.id == id && e.version == version)
                                .ok_or_else(|| stale(r.line, &r.input.code))?;
                            update_capability_in(&mut tx, id, version, &r.input, now).await.map_err(|e| match e {
                                StoreError::Conflict => stale(r.line, &r.input.code),
                                other => other,
                            })?;
                            ev.action = "import_capability".into();
                            ev.object_id = id.to_string();
                            ev.detail = serde_json::json!({"import": token, "line": r.line, "outcome": "update", "changes": changes(&before.input, &r.input)}).to_string();
                            updated += 1;
                        }
                    }
                    events.push((now, ev));
                }
            }
        }
        let mut ev = base.clone();
        ev.action = "confirm_import".into();
        ev.object_type = "import".into();
        ev.object_id = token.to_string();
        ev.detail = serde_json::json!({"kind": state.kind.code(), "filename": state.filename, "new": new, "updated": updated,
            "unchanged": report.summary.unchanged})
        .to_string();
        events.push((now, ev));
        audit::append_many(&mut tx, &events).await?;
        bump_catalog(&mut tx).await?;
        tx.commit().await?;
        Ok(ImportSummary { total: report.summary.total, new, updated, unchanged: report.summary.unchanged, rejected: 0 })
    }
}
