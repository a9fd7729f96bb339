//! 查重 in review: each module's overlapping systems, capabilities and applications, the
//! reviewer's decision per module, overrides of 禁止类 policy-catalog matches, and the shared
//! capabilities an application declares.

use super::parse_id;
use crate::error::AppError;
use crate::extract::{ApiAuth, ApiJson};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongchou_domain::overlap::DecisionInput;
use tongchou_store::overlap::{DeclaredCapability, OverlapReport};
use utoipa::ToSchema;

fn store_err(lang: tongchou_domain::Lang) -> impl Fn(tongchou_store::StoreError) -> AppError {
    move |e| AppError::from_store(e, lang)
}

/// The 查重 report of an application: per module the candidates (score, reason), the decisions,
/// the policy-catalog matches, the savings and the recommended budget. Fresh against the current
/// inventory and catalog.
#[utoipa::path(get, path = "/api/v1/projects/{id}/overlap", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = OverlapReport), (status = 404, body = crate::error::ErrorBody)))]
pub async fn report(State(st): State<AppState>, auth: ApiAuth, Path(id): Path<String>) -> Result<Json<OverlapReport>, AppError> {
    let id = parse_id(&id, auth.lang)?;
    Ok(Json(st.store.overlap_report(auth.actor(), id, auth.lang).await.map_err(store_err(auth.lang))?))
}

/// Record the reviewer's decision for one module: `reuse` (a shared capability; `target` names
/// it), `merge` (into another project or system; `target`), `strip` (reason required) or `keep`
/// (a reason is required when the detector flagged the module). Answers the updated report.
#[utoipa::path(put, path = "/api/v1/projects/{id}/modules/{module_id}/decision", tag = "review", request_body = DecisionInput,
    params(("id" = i64, Path), ("module_id" = i64, Path)),
    responses((status = 200, body = OverlapReport), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn decide(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path((id, module_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<OverlapReport>, AppError> {
    let id = parse_id(&id, auth.lang)?;
    let module_id = parse_id(&module_id, auth.lang)?;
    Ok(Json(st.store.decide_module(auth.actor(), &auth.client, id, module_id, input, auth.lang).await.map_err(store_err(auth.lang))?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideInput {
    /// Why the application may go ahead despite the forbidden-class rule.
    pub reason: String,
}

/// Override a 禁止类 policy-catalog rule the application matches, with a reason (needed before
/// the application can be forwarded to the leadership group).
#[utoipa::path(put, path = "/api/v1/projects/{id}/directory-overrides/{rule_id}", tag = "review", request_body = OverrideInput,
    params(("id" = i64, Path), ("rule_id" = i64, Path)),
    responses((status = 200, body = OverlapReport), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn override_rule(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path((id, rule_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<OverrideInput>,
) -> Result<Json<OverlapReport>, AppError> {
    let id = parse_id(&id, auth.lang)?;
    let rule_id = parse_id(&rule_id, auth.lang)?;
    Ok(Json(
        st.store
            .override_directory_rule(auth.actor(), &auth.client, id, rule_id, &input.reason, auth.lang)
            .await
            .map_err(store_err(auth.lang))?,
    ))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapabilitiesInput {
    /// Ids of the shared capabilities the application will use (replaces the list).
    pub capability_ids: Vec<i64>,
}

/// The shared capabilities (共性服务能力) a draft declares it will use (the department, while it
/// is a draft). Answers the declared list.
#[utoipa::path(put, path = "/api/v1/projects/{id}/capabilities", tag = "review", request_body = CapabilitiesInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<DeclaredCapability>), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn declare(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CapabilitiesInput>,
) -> Result<Json<Vec<DeclaredCapability>>, AppError> {
    let id = parse_id(&id, auth.lang)?;
    Ok(Json(st.store.declare_capabilities(auth.actor(), &auth.client, id, &input.capability_ids).await.map_err(store_err(auth.lang))?))
}
