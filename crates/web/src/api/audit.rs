//! The audit ledger (留痕可追溯): the trail for auditors, and the public key, signed tree head and
//! proofs that let anyone check it (RFC 6962 / 9162; hashes in standard base64).

use super::ApiQuery;
use crate::error::{AppError, FieldMessage};
use crate::extract::{ApiAuth, ApiLang};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use tongchou_domain::policy::{can, Capability};
use tongchou_domain::Lang;
use tongchou_store::audit::AuditEvent;
use tongchou_store::ledger::{AuditQuery, ConsistencyProof, InclusionProof};
use utoipa::{IntoParams, ToSchema};

fn require_auditor(auth: &ApiAuth) -> Result<(), AppError> {
    if can(&auth.actor().roles, Capability::ReadAudit) {
        Ok(())
    } else {
        Err(AppError::forbidden(Capability::ReadAudit.refusal(auth.lang), Capability::ReadAudit.rule()))
    }
}

fn invalid(lang: Lang, field: &str, zh: &str, en: &str) -> AppError {
    AppError::validation(lang, vec![FieldMessage { field: field.into(), message: lang.pick(zh, en).to_string() }])
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEvent>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// Search the audit trail, newest first (auditor, auditadmin). `page_size` at most 200.
#[utoipa::path(get, path = "/api/v1/audit/entries", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn entries(State(st): State<AppState>, auth: ApiAuth, ApiQuery(q): ApiQuery<AuditQuery>) -> Result<Json<AuditPage>, AppError> {
    require_auditor(&auth)?;
    if q.page_size.is_some_and(|s| !(1..=200).contains(&s)) {
        return Err(invalid(auth.lang, "page_size", "每页条数须在 1 到 200 之间", "page_size must be between 1 and 200"));
    }
    if q.page.is_some_and(|p| p < 1) {
        return Err(invalid(auth.lang, "page", "页码须大于 0", "page must be at least 1"));
    }
    let (items, total) = st.store.search_audit(&q).await.map_err(|e| AppError::from_store(e, auth.lang))?;
    Ok(Json(AuditPage { items, total, page: q.page.unwrap_or(1), page_size: q.page_size.unwrap_or(50) }))
}

/// A signed tree head (RFC 6962 style): `signature` is Ed25519 over
/// `"TCTH" ‖ 0x01 ‖ len(suite) ‖ suite ‖ tree_size u64 BE ‖ timestamp_ms i64 BE ‖ root`.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct TreeHeadView {
    pub suite: String,
    pub tree_size: u64,
    /// base64
    pub root: String,
    pub timestamp_ms: i64,
    /// base64
    pub signature: String,
    /// Entries appended since this head (awaiting the next signature).
    pub unsigned_entries: u64,
}

/// The latest signed tree head (anyone; 404 before the first signature).
#[utoipa::path(get, path = "/api/v1/audit/tree-head", tag = "audit", security(()),
    responses((status = 200, body = TreeHeadView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn tree_head(State(st): State<AppState>, ApiLang(lang): ApiLang) -> Result<Json<TreeHeadView>, AppError> {
    let head = st.store.latest_tree_head().await.map_err(|e| AppError::from_store(e, lang))?.ok_or_else(|| AppError::not_found(lang))?;
    let size = st.store.ledger_size().await.map_err(|e| AppError::from_store(e, lang))?;
    Ok(Json(TreeHeadView {
        suite: head.head.suite.id().to_string(),
        tree_size: head.head.tree_size,
        root: head.head.root.to_base64(),
        timestamp_ms: head.head.timestamp_ms,
        signature: base64_std(&head.signature),
        unsigned_entries: size.saturating_sub(head.head.tree_size),
    }))
}

fn base64_std(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PublicKeyView {
    pub suite: String,
    /// Raw public key bytes, standard base64.
    pub public_key: String,
    pub pem: String,
    /// SHA-256 of the key bytes (compare with the one printed by `tongchou audit verify-bundle`).
    pub fingerprint: String,
}

/// The public key that verifies tree heads (anyone).
#[utoipa::path(get, path = "/api/v1/audit/public-key", tag = "audit", security(()), responses((status = 200, body = PublicKeyView)))]
pub async fn public_key(State(st): State<AppState>) -> Json<PublicKeyView> {
    let k = st.store.public_key();
    Json(PublicKeyView {
        suite: k.suite().id().to_string(),
        public_key: k.to_base64(),
        pem: k.to_pem().unwrap_or_default(),
        fingerprint: k.fingerprint(),
    })
}

#[derive(Deserialize, IntoParams)]
pub struct InclusionParams {
    /// Leaf index (= the entry's seq).
    pub index: u64,
    /// Size of the tree the proof is for (e.g. the latest signed head's).
    pub tree_size: u64,
}

/// Inclusion proof of entry `index` in the tree of the first `tree_size` entries (auditor, auditadmin).
#[utoipa::path(get, path = "/api/v1/audit/proofs/inclusion", tag = "audit", params(InclusionParams),
    responses((status = 200, body = InclusionProof), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn inclusion(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiQuery(q): ApiQuery<InclusionParams>,
) -> Result<Json<InclusionProof>, AppError> {
    require_auditor(&auth)?;
    let size = st.store.ledger_size().await.map_err(|e| AppError::from_store(e, auth.lang))?;
    if q.tree_size > size {
        return Err(invalid(auth.lang, "tree_size", "树大小超过账本当前条数", "tree_size exceeds the number of entries in the log"));
    }
    if q.index >= q.tree_size {
        return Err(invalid(auth.lang, "index", "序号须小于树大小", "index must be less than tree_size"));
    }
    Ok(Json(st.store.inclusion_proof(q.index, q.tree_size).await.map_err(|e| AppError::from_store(e, auth.lang))?))
}

#[derive(Deserialize, IntoParams)]
pub struct ConsistencyParams {
    pub first: u64,
    pub second: u64,
}

/// Consistency proof between the trees of the first `first` and `second` entries (auditor, auditadmin).
#[utoipa::path(get, path = "/api/v1/audit/proofs/consistency", tag = "audit", params(ConsistencyParams),
    responses((status = 200, body = ConsistencyProof), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn consistency(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiQuery(q): ApiQuery<ConsistencyParams>,
) -> Result<Json<ConsistencyProof>, AppError> {
    require_auditor(&auth)?;
    let size = st.store.ledger_size().await.map_err(|e| AppError::from_store(e, auth.lang))?;
    if q.second > size {
        return Err(invalid(auth.lang, "second", "树大小超过账本当前条数", "second exceeds the number of entries in the log"));
    }
    if q.first > q.second {
        return Err(invalid(auth.lang, "first", "first 不得大于 second", "first must not exceed second"));
    }
    Ok(Json(st.store.consistency_proof(q.first, q.second).await.map_err(|e| AppError::from_store(e, auth.lang))?))
}
