//! The audit trail (审计留痕): one row per state-changing action, written inside the transaction of
//! the change it records, with a gap-free sequence number taken from the locked `ledger_head` row.
//! Rows are shaped as ledger entries (see the ledger crate) and never updated or deleted.

use crate::{exec, read, write, Result, Store, Tx};
use serde::Serialize;

/// An event about to be written.
#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    pub actor_id: i64,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub before: String,
    pub after: String,
    pub comment: String,
    pub client_addr: String,
    /// JSON text with whatever else an auditor should see (amounts, fields changed).
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditEvent {
    pub seq: i64,
    pub at_ms: i64,
    pub actor_id: i64,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub before_state: String,
    pub after_state: String,
    pub comment: String,
    pub client_addr: String,
    pub detail: String,
}

/// Append an event in the caller's transaction. The `UPDATE … RETURNING` on the single head row
/// serialises appenders on PostgreSQL (row lock) and is trivially serial on SQLite (one writer).
pub async fn append(tx: &mut Tx, at_ms: i64, e: &NewEvent) -> Result<i64> {
    let size: i64 =
        write!(tx, |c| sqlx::query_scalar("UPDATE ledger_head SET size = size + 1 WHERE id = 1 RETURNING size").fetch_one(&mut *c).await)?;
    let seq = size - 1;
    exec!(tx, sqlx::query(
        "INSERT INTO audit_events (seq, at_ms, actor_id, actor, role, action, object_type, object_id, before_state, after_state, comment, client_addr, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    )
    .bind(seq)
    .bind(at_ms)
    .bind(e.actor_id)
    .bind(&e.actor)
    .bind(&e.role)
    .bind(&e.action)
    .bind(&e.object_type)
    .bind(&e.object_id)
    .bind(&e.before)
    .bind(&e.after)
    .bind(&e.comment)
    .bind(&e.client_addr)
    .bind(&e.detail))?;
    Ok(seq)
}

impl Store {
    /// The history of one object, oldest first (a project's timeline).
    pub async fn history(&self, object_type: &str, object_id: &str) -> Result<Vec<AuditEvent>> {
        let sql = "SELECT * FROM audit_events WHERE object_type = $1 AND object_id = $2 ORDER BY seq";
        Ok(read!(self, |p| sqlx::query_as(sql).bind(object_type).bind(object_id).fetch_all(p).await)?)
    }

    pub async fn audit_count(&self) -> Result<i64> {
        Ok(read!(self, |p| sqlx::query_scalar("SELECT COUNT(*) FROM audit_events").fetch_one(p).await)?)
    }
}
