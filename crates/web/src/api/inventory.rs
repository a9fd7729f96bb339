//! The system inventory (系统台账) and the shared-capability catalog (共性服务能力清单) as JSON.
//! Reading needs the `ViewCatalogs` capability, writing `ManageCatalogs` (the bureau's reviewers);
//! a stale `If-Match` version answers 409 `conflict`.

use super::projects::{Created, Versioned};
use super::{parse_id, ApiQuery};
use crate::error::{AppError, FieldMessage};
use crate::extract::{ApiAuth, ApiJson};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongchou_domain::inventory::{CapabilityInput, Hosting, SystemInput, SystemStatus};
use tongchou_domain::Lang;
use tongchou_store::inventory::{
    CapabilityDetail, CapabilityQuery, CapabilityRecord, SystemDetail, SystemQuery, SystemSort, SystemSummary,
};
use tongchou_store::projects::Page;
use utoipa::{IntoParams, ToSchema};

pub(crate) fn store_err(lang: Lang) -> impl Fn(tongchou_store::StoreError) -> AppError {
    move |e| AppError::from_store(e, lang)
}

fn field_error(lang: Lang, field: &str, message: &str) -> AppError {
    AppError::validation(lang, vec![FieldMessage { field: field.into(), message: message.into() }])
}

/// The version a client saw, from `If-Match`.
pub(crate) fn if_match(headers: &HeaderMap) -> Option<i64> {
    headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim_matches('"').parse().ok())
}

fn paging(lang: Lang, page: Option<i64>, page_size: Option<i64>) -> Result<(i64, i64), AppError> {
    let page_size = page_size.unwrap_or(20);
    if !(1..=200).contains(&page_size) {
        return Err(field_error(lang, "page_size", lang.pick("每页条数应在 1 到 200 之间", "page_size must be between 1 and 200")));
    }
    let page = page.unwrap_or(1);
    if page < 1 {
        return Err(field_error(lang, "page", lang.pick("页码从 1 开始", "page starts at 1")));
    }
    Ok((page, page_size))
}

#[derive(Debug, Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SystemListParams {
    /// Search in name, code and module names.
    pub q: Option<String>,
    /// This department and those below it.
    pub department_id: Option<i64>,
    #[param(value_type = Option<String>)]
    pub status: Option<SystemStatus>,
    #[param(value_type = Option<String>)]
    pub hosting: Option<Hosting>,
    /// 等保 level 0–5.
    pub mlps_level: Option<i64>,
    /// `updated` (default), `code`, `name`, `department`, `status`, `mlps`, `go_live`, `annual_om`, `modules`.
    #[param(value_type = Option<String>)]
    pub sort: Option<SystemSort>,
    /// `asc` or `desc` (default `desc` for `updated`, else `asc`).
    pub order: Option<String>,
    pub page: Option<i64>,
    /// At most 200; default 20.
    pub page_size: Option<i64>,
}

impl SystemListParams {
    pub fn to_query(&self, lang: Lang) -> Result<SystemQuery, AppError> {
        let (page, page_size) = paging(lang, self.page, self.page_size)?;
        let sort = self.sort.unwrap_or_default();
        let desc = match self.order.as_deref() {
            None | Some("") => sort == SystemSort::Updated,
            Some("desc") => true,
            Some("asc") => false,
            Some(_) => return Err(field_error(lang, "order", lang.pick("排序方向应为 asc 或 desc", "order must be asc or desc"))),
        };
        Ok(SystemQuery {
            q: self.q.clone().filter(|q| q.chars().count() <= 100),
            department_id: self.department_id,
            status: self.status,
            hosting: self.hosting,
            mlps_level: self.mlps_level,
            sort,
            desc,
            page,
            page_size,
        })
    }
}

/// The inventory's systems, with search, filters, sorting and paging.
#[utoipa::path(get, path = "/api/v1/systems", tag = "inventory", params(SystemListParams),
    responses((status = 200, body = Page<SystemSummary>), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn list_systems(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiQuery(p): ApiQuery<SystemListParams>,
) -> Result<Json<Page<SystemSummary>>, AppError> {
    let q = p.to_query(auth.lang)?;
    Ok(Json(st.store.list_systems(auth.actor(), &q).await.map_err(store_err(auth.lang))?))
}

/// One system with its modules, the capabilities it uses, its linked project and its history.
#[utoipa::path(get, path = "/api/v1/systems/{id}", tag = "inventory", params(("id" = i64, Path)),
    responses((status = 200, body = SystemDetail), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_system(State(st): State<AppState>, auth: ApiAuth, Path(id): Path<String>) -> Result<Json<SystemDetail>, AppError> {
    let id = parse_id(&id, auth.lang)?;
    Ok(Json(st.store.system_detail(auth.actor(), id).await.map_err(store_err(auth.lang))?))
}

/// Add a system to the inventory (reviewer).
#[utoipa::path(post, path = "/api/v1/systems", tag = "inventory", request_body = SystemInput,
    responses((status = 201, body = Created), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_system(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiJson(input): ApiJson<SystemInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = st.store.create_system(auth.actor(), &auth.client, input).await.map_err(store_err(auth.lang))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Replace a system's content and modules (reviewer). `If-Match: <version>` guards against
/// overwriting someone else's edit.
#[utoipa::path(put, path = "/api/v1/systems/{id}", tag = "inventory", request_body = SystemInput, params(("id" = i64, Path), ("If-Match" = Option<i64>, Header)),
    responses((status = 200, body = Versioned), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_system(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<SystemInput>,
) -> Result<Json<Versioned>, AppError> {
    let id = parse_id(&id, auth.lang)?;
    let version = st.store.update_system(auth.actor(), &auth.client, id, input, if_match(&headers)).await.map_err(store_err(auth.lang))?;
    Ok(Json(Versioned { version }))
}

/// "Delete" a system: it is marked retired (淘汰) and keeps its history.
#[utoipa::path(delete, path = "/api/v1/systems/{id}", tag = "inventory", params(("id" = i64, Path), ("If-Match" = Option<i64>, Header)),
    responses((status = 200, body = Versioned), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn retire_system(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Versioned>, AppError> {
    let id = parse_id(&id, auth.lang)?;
    let version = st.store.retire_system(auth.actor(), &auth.client, id, if_match(&headers)).await.map_err(store_err(auth.lang))?;
    Ok(Json(Versioned { version }))
}

#[derive(Debug, Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CapabilityListParams {
    /// Search in name, code, description and provider.
    pub q: Option<String>,
    pub active: Option<bool>,
    pub page: Option<i64>,
    /// At most 200; default 20.
    pub page_size: Option<i64>,
}

impl CapabilityListParams {
    pub fn to_query(&self, lang: Lang) -> Result<CapabilityQuery, AppError> {
        let (page, page_size) = paging(lang, self.page, self.page_size)?;
        Ok(CapabilityQuery { q: self.q.clone().filter(|q| q.chars().count() <= 100), active: self.active, page, page_size })
    }
}

/// The shared-capability catalog.
#[utoipa::path(get, path = "/api/v1/capabilities", tag = "inventory", params(CapabilityListParams),
    responses((status = 200, body = Page<CapabilityRecord>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_capabilities(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiQuery(p): ApiQuery<CapabilityListParams>,
) -> Result<Json<Page<CapabilityRecord>>, AppError> {
    let q = p.to_query(auth.lang)?;
    Ok(Json(st.store.list_capabilities(auth.actor(), &q).await.map_err(store_err(auth.lang))?))
}

/// One capability with the systems that use it and its history.
#[utoipa::path(get, path = "/api/v1/capabilities/{id}", tag = "inventory", params(("id" = i64, Path)),
    responses((status = 200, body = CapabilityDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_capability(State(st): State<AppState>, auth: ApiAuth, Path(id): Path<String>) -> Result<Json<CapabilityDetail>, AppError> {
    let id = parse_id(&id, auth.lang)?;
    Ok(Json(st.store.capability_detail(auth.actor(), id).await.map_err(store_err(auth.lang))?))
}

/// Add a capability to the catalog (reviewer).
#[utoipa::path(post, path = "/api/v1/capabilities", tag = "inventory", request_body = CapabilityInput,
    responses((status = 201, body = Created), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_capability(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiJson(input): ApiJson<CapabilityInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = st.store.create_capability(auth.actor(), &auth.client, input).await.map_err(store_err(auth.lang))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Replace a capability (reviewer); `If-Match: <version>`.
#[utoipa::path(put, path = "/api/v1/capabilities/{id}", tag = "inventory", request_body = CapabilityInput, params(("id" = i64, Path), ("If-Match" = Option<i64>, Header)),
    responses((status = 200, body = Versioned), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_capability(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<CapabilityInput>,
) -> Result<Json<Versioned>, AppError> {
    let id = parse_id(&id, auth.lang)?;
    let version =
        st.store.update_capability(auth.actor(), &auth.client, id, input, if_match(&headers)).await.map_err(store_err(auth.lang))?;
    Ok(Json(Versioned { version }))
}

/// Remove a capability from the catalog (reviewer); its links to systems go with it.
#[utoipa::path(delete, path = "/api/v1/capabilities/{id}", tag = "inventory", params(("id" = i64, Path), ("If-Match" = Option<i64>, Header)),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn delete_capability(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    let id = parse_id(&id, auth.lang)?;
    st.store.delete_capability(auth.actor(), &auth.client, id, if_match(&headers)).await.map_err(store_err(auth.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct CatalogVersion {
    /// Moves with every write to the inventory, the catalogs or the synonyms.
    pub version: i64,
}

/// The catalog version number (a 查重 index built at another number is stale).
#[utoipa::path(get, path = "/api/v1/catalog-version", tag = "inventory", responses((status = 200, body = CatalogVersion)))]
pub async fn catalog_version(State(st): State<AppState>, auth: ApiAuth) -> Result<Json<CatalogVersion>, AppError> {
    if !tongchou_domain::policy::can(&auth.actor().roles, tongchou_domain::policy::Capability::ViewCatalogs) {
        let cap = tongchou_domain::policy::Capability::ViewCatalogs;
        return Err(AppError::forbidden(cap.refusal(auth.lang), cap.rule()));
    }
    Ok(Json(CatalogVersion { version: st.store.catalog_version().await.map_err(store_err(auth.lang))? }))
}
