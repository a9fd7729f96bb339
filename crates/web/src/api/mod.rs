//! The JSON API (`/api/v1`): every action of the pages, with errors as `{code, message, …}` in the
//! caller's language, and the OpenAPI document generated from the handlers' own types.

use crate::error::{AppError, ErrorBody};
use crate::extract::api_lang;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::routing::{get, post, put};
use axum::Router;
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub mod account;
pub mod admin;
pub mod audit;
pub mod catalogs;
pub mod export;
pub mod imports;
pub mod inventory;
pub mod overlap;
pub mod plans;
pub mod projects;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(account::login))
        .route("/auth/logout", post(account::logout))
        .route("/me", get(account::me))
        .route("/me/password", post(account::change_password))
        .route("/me/tokens", get(account::list_tokens).post(account::create_token))
        .route("/me/tokens/{id}", axum::routing::delete(account::revoke_token))
        .route("/projects", get(projects::list).post(projects::create))
        .route("/projects/export.xlsx", get(export::projects))
        .route("/projects/{id}", get(projects::get_one).put(projects::update))
        .route("/projects/{id}/actions/{action}", post(projects::act))
        .route("/projects/{id}/review", put(projects::review))
        .route("/projects/{id}/experts", post(projects::invite))
        .route("/projects/{id}/opinion", put(projects::opinion))
        .route("/projects/{id}/attachments", post(projects::upload))
        .route("/projects/{id}/attachments/{attachment_id}", get(projects::download))
        .route("/projects/{id}/copy", post(projects::copy))
        .route("/projects/{id}/overlap", get(overlap::report))
        .route("/projects/{id}/modules/{module_id}/decision", put(overlap::decide))
        .route("/projects/{id}/directory-overrides/{rule_id}", put(overlap::override_rule))
        .route("/projects/{id}/capabilities", put(overlap::declare))
        .route("/plans/{year}", get(plans::get_plan))
        .route("/plans/{year}/export.xlsx", get(export::plan))
        .route("/plans/{year}/ceiling", put(plans::set_ceiling))
        .route("/plans/{year}/confirm", post(plans::confirm))
        .route("/todo", get(projects::todo))
        .route("/departments", get(admin::departments).post(admin::create_department))
        .route("/users", get(admin::users).post(admin::create_user))
        .route("/users/{id}/roles", put(admin::set_roles))
        .route("/experts", get(admin::experts))
        .route("/audit/entries", get(audit::entries))
        .route("/audit/tree-head", get(audit::tree_head))
        .route("/audit/public-key", get(audit::public_key))
        .route("/audit/proofs/inclusion", get(audit::inclusion))
        .route("/audit/proofs/consistency", get(audit::consistency))
        .route("/systems", get(inventory::list_systems).post(inventory::create_system))
        .route("/systems/export.xlsx", get(export::systems))
        .route("/systems/{id}", get(inventory::get_system).put(inventory::update_system).delete(inventory::retire_system))
        .route("/capabilities", get(inventory::list_capabilities).post(inventory::create_capability))
        .route("/capabilities/export.xlsx", get(export::capabilities))
        .route("/capabilities/{id}", get(inventory::get_capability).put(inventory::update_capability).delete(inventory::delete_capability))
        .route("/catalog-version", get(inventory::catalog_version))
        .route("/directory-rules", get(catalogs::list_rules).post(catalogs::create_rule))
        .route("/directory-rules/check", post(catalogs::check))
        .route("/directory-rules/{id}", get(catalogs::get_rule).put(catalogs::update_rule).delete(catalogs::delete_rule))
        .route("/synonyms", get(catalogs::list_synonyms).post(catalogs::create_synonym))
        .route("/synonyms/{id}", axum::routing::delete(catalogs::delete_synonym))
        .route("/imports", post(imports::upload))
        .route("/imports/templates/{kind}", get(imports::template))
        .route("/imports/{token}", get(imports::get_state))
        .route("/imports/{token}/confirm", post(imports::confirm))
        .route("/openapi.json", get(openapi_json))
        .fallback(api_not_found)
}

async fn api_not_found(parts: Parts) -> AppError {
    AppError::not_found(api_lang(&parts))
}

async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        components.add_security_scheme("cookie", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::extract::SESSION_COOKIE))));
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "tongchou 统筹 API", description = "政务信息化项目全生命周期统筹管理 — JSON API. Money is integer 分 in fields ending `_fen`. \
        Errors are `{code, message[, rule][, fields]}` with the message in the Accept-Language (zh-CN default)."),
    paths(
        account::login, account::logout, account::me, account::change_password, account::list_tokens, account::create_token, account::revoke_token,
        projects::list, projects::create, projects::get_one, projects::update, projects::act, projects::review, projects::invite,
        projects::opinion, projects::upload, projects::download, projects::copy, projects::todo,
        plans::get_plan, plans::set_ceiling, plans::confirm, export::projects, export::plan,
        admin::departments, admin::create_department, admin::users, admin::create_user, admin::set_roles, admin::experts,
        audit::entries, audit::tree_head, audit::public_key, audit::inclusion, audit::consistency,
        inventory::list_systems, inventory::create_system, inventory::get_system, inventory::update_system, inventory::retire_system,
        inventory::list_capabilities, inventory::create_capability, inventory::get_capability, inventory::update_capability,
        inventory::delete_capability, inventory::catalog_version, export::systems, export::capabilities,
        catalogs::list_rules, catalogs::create_rule, catalogs::get_rule, catalogs::update_rule, catalogs::delete_rule, catalogs::check,
        catalogs::list_synonyms, catalogs::create_synonym, catalogs::delete_synonym,
        imports::upload, imports::get_state, imports::confirm, imports::template,
        overlap::report, overlap::decide, overlap::override_rule, overlap::declare,
    ),
    components(schemas(ErrorBody)),
    modifiers(&Security),
    security(("bearer" = []), ("cookie" = [])),
    tags((name = "auth"), (name = "projects"), (name = "plans"), (name = "admin"), (name = "audit"), (name = "review"), (name = "inventory"), (name = "catalogs"), (name = "imports"))
)]
pub struct ApiDoc;

/// Query-string parameters, with errors as JSON (422 naming the parameter).
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let lang = api_lang(parts);
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(q));
        serde_path_to_error::deserialize(de).map(ApiQuery).map_err(|e| {
            let field = e.path().to_string();
            AppError::validation(
                lang,
                vec![crate::error::FieldMessage {
                    field,
                    message: format!("{}{}", lang.pick("取值无效:", "Invalid value: "), e.into_inner()),
                }],
            )
        })
    }
}

fn form_urlencoded_parse(q: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(q.as_bytes())
}

/// A path id that must be a positive integer; anything else is simply not found.
pub fn parse_id(raw: &str, lang: tongchou_domain::Lang) -> Result<i64, AppError> {
    raw.parse::<i64>().ok().filter(|v| *v > 0).ok_or_else(|| AppError::not_found(lang))
}
