//! The policy catalog (项目管理目录) and the 查重 synonym dictionary (同义词词典) as JSON.

use super::inventory::{if_match, store_err};
use super::parse_id;
use super::projects::{Created, Versioned};
use super::ApiQuery;
use crate::error::AppError;
use crate::extract::{ApiAuth, ApiJson};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongchou_domain::application::{Category, ConstructionType};
use tongchou_domain::directory::{self, ApplicationText, DirectoryRuleInput, RuleClass, RuleMatch};
use tongchou_domain::inventory::SynonymInput;
use tongchou_domain::policy::{self, Capability};
use tongchou_store::catalogs::{DirectoryRuleDetail, DirectoryRuleRecord, SynonymGroupRecord};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RuleListParams {
    /// `forbidden`, `priority` or `retire`.
    #[param(value_type = Option<String>)]
    pub class: Option<RuleClass>,
}

#[derive(Serialize, ToSchema)]
pub struct RuleList {
    pub items: Vec<DirectoryRuleRecord>,
    pub total: usize,
}

/// The policy catalog's rules (active first).
#[utoipa::path(get, path = "/api/v1/directory-rules", tag = "catalogs", params(RuleListParams),
    responses((status = 200, body = RuleList), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_rules(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiQuery(p): ApiQuery<RuleListParams>,
) -> Result<Json<RuleList>, AppError> {
    let items = st.store.list_directory_rules(auth.actor(), p.class).await.map_err(store_err(auth.lang))?;
    Ok(Json(RuleList { total: items.len(), items }))
}

/// One rule with its history.
#[utoipa::path(get, path = "/api/v1/directory-rules/{id}", tag = "catalogs", params(("id" = i64, Path)),
    responses((status = 200, body = DirectoryRuleDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_rule(State(st): State<AppState>, auth: ApiAuth, Path(id): Path<String>) -> Result<Json<DirectoryRuleDetail>, AppError> {
    let id = parse_id(&id, auth.lang)?;
    Ok(Json(st.store.directory_rule(auth.actor(), id).await.map_err(store_err(auth.lang))?))
}

/// Add a rule (reviewer).
#[utoipa::path(post, path = "/api/v1/directory-rules", tag = "catalogs", request_body = DirectoryRuleInput,
    responses((status = 201, body = Created), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_rule(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiJson(input): ApiJson<DirectoryRuleInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = st.store.create_directory_rule(auth.actor(), &auth.client, input).await.map_err(store_err(auth.lang))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Replace a rule (reviewer); `If-Match: <version>`.
#[utoipa::path(put, path = "/api/v1/directory-rules/{id}", tag = "catalogs", request_body = DirectoryRuleInput, params(("id" = i64, Path), ("If-Match" = Option<i64>, Header)),
    responses((status = 200, body = Versioned), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_rule(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<DirectoryRuleInput>,
) -> Result<Json<Versioned>, AppError> {
    let id = parse_id(&id, auth.lang)?;
    let version =
        st.store.update_directory_rule(auth.actor(), &auth.client, id, input, if_match(&headers)).await.map_err(store_err(auth.lang))?;
    Ok(Json(Versioned { version }))
}

/// Delete a rule (reviewer).
#[utoipa::path(delete, path = "/api/v1/directory-rules/{id}", tag = "catalogs", params(("id" = i64, Path), ("If-Match" = Option<i64>, Header)),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn delete_rule(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    let id = parse_id(&id, auth.lang)?;
    st.store.delete_directory_rule(auth.actor(), &auth.client, id, if_match(&headers)).await.map_err(store_err(auth.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckModule {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// An application's text to check against the active rules.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleCheckInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub modules: Vec<CheckModule>,
    #[schema(value_type = String)]
    pub category: Category,
    #[schema(value_type = String)]
    pub construction_type: ConstructionType,
}

#[derive(Serialize, ToSchema)]
pub struct RuleCheckMatch {
    #[serde(flatten)]
    pub matched: RuleMatch,
    /// What matched, in words (the request's language).
    pub explanation: String,
}

#[derive(Serialize, ToSchema)]
pub struct RuleCheckOutput {
    pub matches: Vec<RuleCheckMatch>,
}

/// Which active rules an application's text meets (forbidden first), and why.
#[utoipa::path(post, path = "/api/v1/directory-rules/check", tag = "catalogs", request_body = RuleCheckInput,
    responses((status = 200, body = RuleCheckOutput), (status = 403, body = crate::error::ErrorBody)))]
pub async fn check(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiJson(input): ApiJson<RuleCheckInput>,
) -> Result<Json<RuleCheckOutput>, AppError> {
    if !policy::can(&auth.actor().roles, Capability::ViewCatalogs) {
        return Err(AppError::forbidden(Capability::ViewCatalogs.refusal(auth.lang), Capability::ViewCatalogs.rule()));
    }
    let rules = st.store.active_directory_rules().await.map_err(store_err(auth.lang))?;
    let modules: Vec<(&str, &str)> = input.modules.iter().map(|m| (m.name.as_str(), m.description.as_str())).collect();
    let text = ApplicationText {
        name: &input.name,
        description: &input.description,
        modules: &modules,
        category: input.category,
        construction_type: input.construction_type,
    };
    let matches = directory::match_rules(&rules, &text)
        .into_iter()
        .map(|m| RuleCheckMatch { explanation: m.explain(auth.lang), matched: m })
        .collect();
    Ok(Json(RuleCheckOutput { matches }))
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SynonymParams {
    /// Also list the groups of the dictionary that ships with tongchou (read-only).
    pub builtin: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct BuiltinGroup {
    /// `function`, `action`, `weak` or `common`.
    pub class: String,
    pub terms: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SynonymList {
    /// Groups reviewers added (newest first).
    pub items: Vec<SynonymGroupRecord>,
    /// The shipped dictionary's groups (only with `builtin=true`).
    pub builtin: Vec<BuiltinGroup>,
}

/// The shipped dictionary's groups, normalised as the detector uses them.
pub fn builtin_groups() -> Vec<BuiltinGroup> {
    use tongchou_dedup::ConceptClass;
    tongchou_dedup::Dictionary::builtin()
        .groups()
        .iter()
        .map(|g| BuiltinGroup {
            class: match g.class {
                ConceptClass::Function => "function",
                ConceptClass::Action => "action",
                ConceptClass::Weak => "weak",
                ConceptClass::Common => "common",
                ConceptClass::Housekeeping => "housekeeping",
            }
            .into(),
            terms: g.terms.clone(),
        })
        .collect()
}

/// The synonym groups reviewers added to the 查重 dictionary (and, on request, the shipped ones).
#[utoipa::path(get, path = "/api/v1/synonyms", tag = "catalogs", params(SynonymParams),
    responses((status = 200, body = SynonymList), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_synonyms(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiQuery(p): ApiQuery<SynonymParams>,
) -> Result<Json<SynonymList>, AppError> {
    let items = st.store.list_synonyms(auth.actor()).await.map_err(store_err(auth.lang))?;
    let builtin = if p.builtin.unwrap_or(false) { builtin_groups() } else { vec![] };
    Ok(Json(SynonymList { items, builtin }))
}

/// Add a synonym group (reviewer): at least two different terms.
#[utoipa::path(post, path = "/api/v1/synonyms", tag = "catalogs", request_body = SynonymInput,
    responses((status = 201, body = Created), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_synonym(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiJson(input): ApiJson<SynonymInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = st.store.create_synonym(auth.actor(), &auth.client, input).await.map_err(store_err(auth.lang))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Delete a reviewer's synonym group.
#[utoipa::path(delete, path = "/api/v1/synonyms/{id}", tag = "catalogs", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn delete_synonym(State(st): State<AppState>, auth: ApiAuth, Path(id): Path<String>) -> Result<StatusCode, AppError> {
    let id = parse_id(&id, auth.lang)?;
    st.store.delete_synonym(auth.actor(), &auth.client, id).await.map_err(store_err(auth.lang))?;
    Ok(StatusCode::NO_CONTENT)
}
