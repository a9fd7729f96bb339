//! The annual plan: read it, set its ceiling, confirm (lock) it.

use super::parse_id;
use crate::error::AppError;
use crate::extract::{ApiAuth, ApiJson};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use tongchou_store::plans::PlanView;
use utoipa::ToSchema;

/// The year's plan: approved projects, totals by department and category, ceiling, headroom.
#[utoipa::path(get, path = "/api/v1/plans/{year}", tag = "plans", params(("year" = i64, Path)),
    responses((status = 200, body = PlanView), (status = 403, body = crate::error::ErrorBody)))]
pub async fn get_plan(State(st): State<AppState>, auth: ApiAuth, Path(year): Path<String>) -> Result<Json<PlanView>, AppError> {
    let year = parse_id(&year, auth.lang)?;
    Ok(Json(st.store.plan(auth.actor(), year).await.map_err(|e| AppError::from_store(e, auth.lang))?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CeilingInput {
    /// The year's ceiling in 分.
    pub ceiling_fen: i64,
}

/// Finance sets the year's ceiling (not below what is already planned; not on a confirmed plan).
#[utoipa::path(put, path = "/api/v1/plans/{year}/ceiling", tag = "plans", params(("year" = i64, Path)), request_body = CeilingInput,
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn set_ceiling(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path(year): Path<String>,
    ApiJson(input): ApiJson<CeilingInput>,
) -> Result<StatusCode, AppError> {
    let year = parse_id(&year, auth.lang)?;
    st.store.set_ceiling(auth.actor(), &auth.client, year, input.ceiling_fen).await.map_err(|e| AppError::from_store(e, auth.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Finance confirms the plan; it is locked afterwards.
#[utoipa::path(post, path = "/api/v1/plans/{year}/confirm", tag = "plans", params(("year" = i64, Path)),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn confirm(State(st): State<AppState>, auth: ApiAuth, Path(year): Path<String>) -> Result<StatusCode, AppError> {
    let year = parse_id(&year, auth.lang)?;
    st.store.confirm_plan(auth.actor(), &auth.client, year).await.map_err(|e| AppError::from_store(e, auth.lang))?;
    Ok(StatusCode::NO_CONTENT)
}
