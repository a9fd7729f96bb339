//! The auditor's page (审计留痕): search the trail, with each entry checked against the latest
//! signed tree head; and the per-event marks of a project's history.

use super::{error_page, render, Ctx};
use crate::error::AppError;
use crate::extract::PageAuth;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use std::collections::HashMap;
use tongchou_domain::policy::{self, Capability};
use tongchou_store::audit::AuditEvent;
use tongchou_store::ledger::AuditQuery;

/// Ledger marks of events, by seq: `ok` (inclusion proof to the signed root verifies from the
/// row as it reads now), `bad`, or `pending` (after the latest signed head).
#[derive(Default)]
pub struct Marks(HashMap<i64, &'static str>);

impl Marks {
    pub async fn of(st: &AppState, events: &[AuditEvent]) -> Marks {
        match st.store.verify_events(events).await {
            Ok((_, marks)) => Marks(
                events
                    .iter()
                    .zip(marks)
                    .map(|(e, m)| {
                        (
                            e.seq,
                            match m {
                                Some(true) => "ok",
                                Some(false) => "bad",
                                None => "pending",
                            },
                        )
                    })
                    .collect(),
            ),
            Err(e) => {
                tracing::warn!("ledger marks: {e}");
                Marks::default()
            }
        }
    }

    /// `ok`, `bad` or `pending`.
    pub fn code(&self, seq: &i64) -> &'static str {
        self.0.get(seq).copied().unwrap_or("pending")
    }

    /// The i18n key of the mark's label.
    pub fn key(&self, seq: &i64) -> &'static str {
        match self.code(seq) {
            "ok" => "ledger.verified",
            "bad" => "ledger.mismatch",
            _ => "ledger.pending",
        }
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage<'a> {
    ctx: &'a Ctx,
    q: AuditQuery,
    from: String,
    to: String,
    items: Vec<AuditEvent>,
    total: i64,
    page: i64,
    pages: i64,
    marks: Marks,
    head_size: Option<u64>,
    head_time: Option<i64>,
    ledger_size: u64,
    fingerprint: String,
}

impl AuditPage<'_> {
    fn text<'b>(&self, v: &'b Option<String>) -> &'b str {
        v.as_deref().unwrap_or("")
    }
    fn page_href(&self, page: i64) -> String {
        let mut qs = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("object_type", self.text(&self.q.object_type)),
            ("object_id", self.text(&self.q.object_id)),
            ("actor", self.text(&self.q.actor)),
            ("action", self.text(&self.q.action)),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !v.is_empty() {
                qs.append_pair(k, v);
            }
        }
        qs.append_pair("page", &page.to_string());
        format!("/audit?{}", qs.finish())
    }
}

/// `YYYY-MM-DD` at UTC+8 → Unix ms of that day's start (Asia/Shanghai).
fn day_ms(s: &str) -> Option<i64> {
    let d = time::Date::parse(s.trim(), time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    Some((d.midnight().assume_utc().unix_timestamp() - 8 * 3600) * 1000)
}

pub async fn page(State(st): State<AppState>, auth: PageAuth, Query(form): Query<HashMap<String, String>>) -> Response {
    if !policy::can(&auth.actor().roles, Capability::ReadAudit) {
        return error_page(AppError::forbidden(Capability::ReadAudit.refusal(auth.lang), Capability::ReadAudit.rule()), auth.lang);
    }
    let get = |k: &str| form.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let from = get("from").unwrap_or_default();
    let to = get("to").unwrap_or_default();
    let q = AuditQuery {
        object_type: get("object_type"),
        object_id: get("object_id"),
        actor: get("actor"),
        action: get("action"),
        from_ms: day_ms(&from),
        to_ms: day_ms(&to).map(|t| t + 86_400_000),
        page: get("page").and_then(|p| p.parse().ok()).filter(|p: &i64| *p >= 1),
        page_size: Some(50),
    };
    let (items, total) = match st.store.search_audit(&q).await {
        Ok(r) => r,
        Err(e) => return error_page(AppError::from_store(e, auth.lang), auth.lang),
    };
    let marks = Marks::of(&st, &items).await;
    let head = st.store.latest_tree_head().await.ok().flatten();
    let ctx = Ctx::new(&st, &auth, "audit").await;
    let page = AuditPage {
        ctx: &ctx,
        page: q.page.unwrap_or(1),
        pages: ((total + 49) / 50).max(1),
        q,
        from,
        to,
        items,
        total,
        marks,
        head_size: head.as_ref().map(|h| h.head.tree_size),
        head_time: head.as_ref().map(|h| h.head.timestamp_ms),
        ledger_size: st.store.ledger_size().await.unwrap_or(0),
        fingerprint: st.store.public_key().fingerprint(),
    };
    render(&page, &ctx)
}
