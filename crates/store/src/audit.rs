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
/// The entry's leaf hash, its canonical bytes, the Merkle nodes it completes and the new frontier
/// are written in the same transaction (see [`crate::ledger`]); a tree head is signed in it when
/// the log crosses a multiple of `ledger.sign_every_entries`.
pub async fn append(tx: &mut Tx, at_ms: i64, e: &NewEvent) -> Result<i64> {
    let range = append_many(tx, std::slice::from_ref(&(at_ms, e.clone()))).await?;
    Ok(range.start)
}

/// Append many events in one transaction (imports, the benchmark): one head update, multi-row
/// INSERTs (sqlx `QueryBuilder::push_values`) and one frontier update, whatever the count.
/// Answers the range of sequence numbers given to them, in order.
pub async fn append_many(tx: &mut Tx, events: &[(i64, NewEvent)]) -> Result<std::ops::Range<i64>> {
    if events.is_empty() {
        let size: i64 = write!(tx, |c| sqlx::query_scalar("SELECT size FROM ledger_head WHERE id = 1").fetch_one(&mut *c).await)?;
        return Ok(size..size);
    }
    let n = events.len() as i64;
    let (size, frontier): (i64, Option<Vec<u8>>) =
        write!(tx, |c| sqlx::query_as("UPDATE ledger_head SET size = size + $1 WHERE id = 1 RETURNING size, frontier")
            .bind(n)
            .fetch_one(&mut *c)
            .await)?;
    let first = size - n;
    let mut frontier = crate::ledger::load_frontier(frontier.as_deref())?;
    if (frontier.size() as i64) < first {
        crate::ledger::catch_up(tx, &mut frontier, first).await?;
    }
    let suite = crate::ledger::SUITE;
    let mut rows = Vec::with_capacity(events.len());
    let mut nodes: Vec<(u32, u64, tongchou_ledger::Hash)> = Vec::with_capacity(events.len() + 64);
    for (i, (at_ms, e)) in events.iter().enumerate() {
        let seq = first + i as i64;
        let entry = to_entry(seq, *at_ms, e);
        let bytes = tongchou_ledger::encode(&entry);
        let leaf = suite.leaf_hash(&bytes);
        frontier.push_with(suite, leaf, |id, h| {
            if id.level > 0 {
                nodes.push((id.level, id.index, *h));
            }
        });
        rows.push((entry, bytes, leaf));
    }
    crate::ledger::insert_rows(tx, &rows, &nodes).await?;
    exec!(tx, sqlx::query("UPDATE ledger_head SET frontier = $1 WHERE id = 1").bind(frontier.to_bytes()))?;
    let every = tx_sign_every(tx);
    if every > 0 && (first as u64) / every != (size as u64) / every {
        let at = events.last().map(|(t, _)| *t).unwrap_or_default();
        crate::ledger::sign_in(tx, &frontier, at).await?;
    }
    Ok(first..size)
}

fn tx_sign_every(tx: &Tx) -> u64 {
    tx.1.sign_every_entries
}

/// The ledger entry a new event becomes.
pub fn to_entry(seq: i64, at_ms: i64, e: &NewEvent) -> tongchou_ledger::AuditEntry {
    tongchou_ledger::AuditEntry {
        seq: seq as u64,
        at_ms,
        actor_id: e.actor_id,
        actor: e.actor.clone(),
        role: e.role.clone(),
        action: e.action.clone(),
        object_type: e.object_type.clone(),
        object_id: e.object_id.clone(),
        before: e.before.clone(),
        after: e.after.clone(),
        comment: e.comment.clone(),
        client_addr: e.client_addr.clone(),
        detail: e.detail.clone(),
    }
}

impl AuditEvent {
    /// The ledger entry this row reads as (what `audit verify` re-derives and hashes).
    pub fn to_entry(&self) -> tongchou_ledger::AuditEntry {
        tongchou_ledger::AuditEntry {
            seq: self.seq as u64,
            at_ms: self.at_ms,
            actor_id: self.actor_id,
            actor: self.actor.clone(),
            role: self.role.clone(),
            action: self.action.clone(),
            object_type: self.object_type.clone(),
            object_id: self.object_id.clone(),
            before: self.before_state.clone(),
            after: self.after_state.clone(),
            comment: self.comment.clone(),
            client_addr: self.client_addr.clone(),
            detail: self.detail.clone(),
        }
    }
}

impl Store {
    /// The history of one object, oldest first (a project's timeline).
    pub async fn history(&self, object_type: &str, object_id: &str) -> Result<Vec<AuditEvent>> {
        let sql = "SELECT seq, at_ms, actor_id, actor, role, action, object_type, object_id, before_state, after_state, comment, client_addr, detail FROM audit_events WHERE object_type = $1 AND object_id = $2 ORDER BY seq";
        Ok(read!(self, |p| sqlx::query_as(sql).bind(object_type).bind(object_id).fetch_all(p).await)?)
    }

    pub async fn audit_count(&self) -> Result<i64> {
        Ok(read!(self, |p| sqlx::query_scalar("SELECT COUNT(*) FROM audit_events").fetch_one(p).await)?)
    }
}
