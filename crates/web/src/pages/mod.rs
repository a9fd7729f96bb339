//! Server-rendered pages (askama templates), zh-CN unless the person chose English. Each page has
//! a JSON twin under `/api/v1`; both call the same store functions.
// Page handlers answer `Result<_, Response>` (axum's response, 128 bytes) by design.
#![allow(clippy::result_large_err)]

use crate::error::AppError;
use crate::extract::{page_lang, PageAuth, LANG_COOKIE};
use crate::i18n;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;
use std::sync::Arc;
use tongchou_domain::application::{BudgetKind, Category, ConstructionType, FundingSource};
use tongchou_domain::policy::{self, Capability};
use tongchou_domain::review::Conclusion;
use tongchou_domain::{Action, Actor, Fen, Lang, Role, State};

mod account;
mod admin;
pub mod audit;
mod auth;
mod catalogs;
mod inventory;
mod overlap;
mod plans;
mod projects;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/todo") }))
        .route("/login", get(auth::login_page).post(auth::login_post))
        .route("/logout", post(auth::logout))
        .route("/lang/{code}", get(switch_lang))
        .route("/todo", get(projects::todo))
        .route("/projects", get(projects::list))
        .route("/projects/new", get(projects::new_form).post(projects::create))
        .route("/projects/{id}", get(projects::detail))
        .route("/projects/{id}/edit", get(projects::edit_form).post(projects::update))
        .route("/projects/{id}/act", post(projects::act))
        .route("/projects/{id}/review", post(projects::review))
        .route("/projects/{id}/experts", post(projects::invite))
        .route("/projects/{id}/opinion", post(projects::opinion))
        .route("/projects/{id}/attachments", post(projects::upload))
        .route("/projects/{id}/attachments/{aid}", get(projects::download))
        .route("/projects/{id}/copy", post(projects::copy))
        .route("/projects/{id}/modules/{module_id}/decision", post(overlap::decide))
        .route("/projects/{id}/directory-overrides/{rule_id}", post(overlap::override_rule))
        .route("/projects/{id}/capabilities", post(overlap::declare))
        .route("/plans", get(plans::current))
        .route("/plans/{year}", get(plans::show))
        .route("/plans/{year}/ceiling", post(plans::set_ceiling))
        .route("/plans/{year}/confirm", post(plans::confirm))
        .route("/account", get(account::show))
        .route("/account/password", post(account::password))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/users/{id}/roles", post(admin::set_roles))
        .route("/admin/departments", get(admin::departments).post(admin::create_department))
        .route("/audit", get(audit::page))
        .route("/systems", get(inventory::list))
        .route("/systems/new", get(inventory::new_form).post(inventory::create))
        .route("/systems/{id}", get(inventory::detail))
        .route("/systems/{id}/edit", get(inventory::edit_form).post(inventory::update))
        .route("/systems/{id}/retire", post(inventory::retire))
        .route("/imports", get(inventory::import_page).post(inventory::import_upload))
        .route("/imports/templates/{kind}", get(inventory::template))
        .route("/imports/{token}", get(inventory::import_state))
        .route("/imports/{token}/confirm", post(inventory::import_confirm))
        .route("/capabilities", get(catalogs::capabilities))
        .route("/capabilities/new", get(catalogs::capability_new).post(catalogs::capability_create))
        .route("/capabilities/{id}", get(catalogs::capability))
        .route("/capabilities/{id}/edit", get(catalogs::capability_edit).post(catalogs::capability_update))
        .route("/capabilities/{id}/delete", post(catalogs::capability_delete))
        .route("/directory", get(catalogs::directory))
        .route("/directory/new", get(catalogs::rule_new).post(catalogs::rule_create))
        .route("/directory/{id}/edit", get(catalogs::rule_edit).post(catalogs::rule_update))
        .route("/directory/{id}/delete", post(catalogs::rule_delete))
        .route("/synonyms", get(catalogs::synonyms).post(catalogs::synonym_create))
        .route("/synonyms/{id}/delete", post(catalogs::synonym_delete))
        .route("/static/{file}", get(static_file))
        .fallback(not_found_page)
}

/// What every page's frame needs: language, who is signed in, the to-do count, a flash message.
pub struct Ctx {
    pub lang: Lang,
    pub user: Option<Arc<Actor>>,
    pub csrf: String,
    pub todo_count: usize,
    pub path: String,
    pub section: &'static str,
    pub notice: Option<String>,
    pub error: Option<String>,
}

pub const FLASH_COOKIE: &str = "tc_flash";

impl Ctx {
    pub fn anonymous(lang: Lang, path: &str) -> Ctx {
        Ctx { lang, user: None, csrf: String::new(), todo_count: 0, path: path.into(), section: "", notice: None, error: None }
    }

    pub async fn new(st: &AppState, auth: &PageAuth, section: &'static str) -> Ctx {
        let todo_count = st.store.todo(auth.actor()).await.map(|v| v.len()).unwrap_or(0);
        let (notice, error) = match &auth.flash {
            Some((true, m)) => (Some(m.clone()), None),
            Some((false, m)) => (None, Some(m.clone())),
            None => (None, None),
        };
        Ctx {
            lang: auth.lang,
            user: Some(auth.session.actor.clone()),
            csrf: auth.session.csrf.clone(),
            todo_count,
            path: auth.path.clone(),
            section,
            notice,
            error,
        }
    }

    pub fn t(&self, key: &str) -> &'static str {
        i18n::t(self.lang, key)
    }

    pub fn lang_href(&self) -> String {
        let other = if self.lang == Lang::Zh { "en" } else { "zh-CN" };
        let back = strip_lang_param(&self.path);
        format!("/lang/{other}?back={}", percent_encoding::utf8_percent_encode(&back, percent_encoding::NON_ALPHANUMERIC))
    }

    pub fn can(&self, what: &str) -> bool {
        let Some(u) = &self.user else { return false };
        match what {
            "draft" => policy::can(&u.roles, Capability::DraftApplication),
            "plan" => policy::can(&u.roles, Capability::ViewPlan),
            "admin" => policy::can(&u.roles, Capability::ManageUsers) || policy::can(&u.roles, Capability::GrantRoles),
            "audit" => policy::can(&u.roles, Capability::ReadAudit),
            "catalogs" => policy::can(&u.roles, Capability::ViewCatalogs),
            _ => false,
        }
    }

    pub fn roles_text(&self) -> String {
        self.user.as_ref().map(|u| u.roles.iter().map(|r| r.label(self.lang)).collect::<Vec<_>>().join("、")).unwrap_or_default()
    }

    pub fn wan(&self, fen: &i64) -> String {
        Fen(*fen).wan()
    }

    pub fn wan_opt(&self, fen: &Option<i64>) -> String {
        fen.map(|f| Fen(f).wan()).unwrap_or_else(|| "—".into())
    }

    /// A UTC instant shown at UTC+8 (Asia/Shanghai).
    pub fn time(&self, ms: &i64) -> String {
        let t = time::OffsetDateTime::from_unix_timestamp(ms / 1000).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let t = t.to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC));
        format!("{:04}-{:02}-{:02} {:02}:{:02}", t.year(), t.month() as u8, t.day(), t.hour(), t.minute())
    }

    pub fn state(&self, code: &str) -> &'static str {
        State::parse(code).map(|s| s.label(self.lang)).unwrap_or("")
    }
    pub fn category(&self, code: &str) -> &'static str {
        Category::parse(code).map(|s| s.label(self.lang)).unwrap_or("")
    }
    pub fn ctype(&self, code: &str) -> &'static str {
        ConstructionType::parse(code).map(|s| s.label(self.lang)).unwrap_or("")
    }
    pub fn funding(&self, code: &str) -> &'static str {
        FundingSource::parse(code).map(|s| s.label(self.lang)).unwrap_or("")
    }
    pub fn budget_kind(&self, code: &str) -> &'static str {
        BudgetKind::parse(code).map(|s| s.label(self.lang)).unwrap_or("")
    }
    pub fn conclusion(&self, code: &str) -> &'static str {
        Conclusion::parse(code).map(|s| s.label(self.lang)).unwrap_or("")
    }
    pub fn sys_status(&self, code: &str) -> &'static str {
        tongchou_domain::inventory::status_label(code, self.lang)
    }
    pub fn hosting(&self, code: &str) -> &'static str {
        tongchou_domain::inventory::hosting_label(code, self.lang)
    }
    pub fn yes_no(&self, v: &bool) -> &'static str {
        self.t(if *v { "common.yes" } else { "common.no" })
    }
    pub fn todo_kind(&self, kind: &str) -> &'static str {
        match kind {
            "expert_opinion" => self.t("todo.kind.expert_opinion"),
            "confirm_plan" => self.t("todo.kind.confirm_plan"),
            _ => self.t("todo.kind.action"),
        }
    }
    pub fn role_label(&self, codes: &str) -> String {
        if codes.is_empty() {
            return self.t("common.system").into();
        }
        codes.split(',').map(|c| Role::parse(c).map(|r| r.label(self.lang)).unwrap_or(c)).collect::<Vec<_>>().join("、")
    }
    /// Labels of audit actions: lifecycle actions from the domain, the rest here.
    pub fn action_label(&self, code: &str) -> &'static str {
        if let Some(a) = Action::parse(code) {
            return a.label(self.lang);
        }
        let (zh, en) = match code {
            "create" => ("创建申报草稿", "Draft created"),
            "update" => ("修改草稿", "Draft edited"),
            "record_review" => ("填写评审意见", "Review recorded"),
            "invite_expert" => ("邀请专家", "Expert invited"),
            "uninvite_expert" => ("取消专家邀请", "Invitation withdrawn"),
            "expert_opinion" => ("专家提交意见", "Expert opinion"),
            "add_attachment" => ("上传附件", "Attachment added"),
            "create_system" => ("登记系统", "System recorded"),
            "update_system" => ("修改系统信息", "System edited"),
            "retire_system" => ("标记为淘汰", "System retired"),
            "import_system" => ("批量导入", "Imported"),
            "create_capability" => ("登记共性能力", "Capability recorded"),
            "update_capability" => ("修改共性能力", "Capability edited"),
            "delete_capability" => ("删除共性能力", "Capability deleted"),
            "import_capability" => ("批量导入", "Imported"),
            _ => ("操作", "Action"),
        };
        self.lang.pick(zh, en)
    }
}

fn strip_lang_param(path: &str) -> String {
    match path.split_once('?') {
        Some((p, q)) => {
            let rest: Vec<&str> = q.split('&').filter(|kv| !kv.starts_with("lang=")).collect();
            if rest.is_empty() {
                p.to_string()
            } else {
                format!("{p}?{}", rest.join("&"))
            }
        }
        None => path.to_string(),
    }
}

/// Render a template; a flash shown on this page is cleared.
pub fn render<T: Template>(tpl: &T, ctx: &Ctx) -> Response {
    match tpl.render() {
        Ok(html) => {
            let mut resp = Html(html).into_response();
            if ctx.notice.is_some() || ctx.error.is_some() {
                if let Ok(v) = format!("{FLASH_COOKIE}=; Path=/; Max-Age=0").parse() {
                    resp.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            resp
        }
        Err(e) => AppError::internal(&e.to_string(), ctx.lang).into_response(),
    }
}

/// Redirect and show `message` on the next page (ok = notice, else error).
pub fn redirect_flash(to: &str, ok: bool, message: &str) -> Response {
    let value = format!("{}{}", if ok { "1" } else { "0" }, message);
    let enc = percent_encoding::utf8_percent_encode(&value, percent_encoding::NON_ALPHANUMERIC);
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, to.to_string()),
            (header::SET_COOKIE, format!("{FLASH_COOKIE}={enc}; Path=/; Max-Age=60; HttpOnly; SameSite=Lax")),
        ],
    )
        .into_response()
}

pub fn parse_flash(raw: &str) -> Option<(bool, String)> {
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8().ok()?.to_string();
    let mut chars = decoded.chars();
    let ok = match chars.next()? {
        '1' => true,
        '0' => false,
        _ => return None,
    };
    let msg: String = chars.collect();
    (!msg.is_empty()).then_some((ok, msg))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: &'a Ctx,
    message: String,
    rule: Option<String>,
}

/// An error as a page, with the HTTP status of its API twin.
pub fn error_page(e: AppError, lang: Lang) -> Response {
    let ctx = Ctx::anonymous(lang, "/");
    let page = ErrorPage { ctx: &ctx, message: e.body.message.clone(), rule: e.body.rule.clone() };
    let mut resp = render(&page, &ctx);
    *resp.status_mut() = e.status;
    resp
}

/// After a failed form action: back to the page with the message, or an error page.
pub fn back_with_error(to: &str, e: AppError) -> Response {
    redirect_flash(to, false, &e.body.message)
}

async fn not_found_page(parts: Parts) -> Response {
    let lang = page_lang(&parts);
    error_page(AppError::not_found(lang), lang)
}

#[derive(serde::Deserialize)]
struct Back {
    back: Option<String>,
}

/// Switch the page language: a cookie, and the signed-in person's profile.
async fn switch_lang(Path(code): Path<String>, Query(b): Query<Back>) -> Response {
    let lang = Lang::from_code(&code).unwrap_or_default();
    let back = b.back.filter(|b| b.starts_with('/') && !b.starts_with("//")).unwrap_or_else(|| "/".into());
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, back), (header::SET_COOKIE, format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code()))],
    )
        .into_response()
}

const APP_CSS: &str = include_str!("../../static/app.css");

async fn static_file(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "app.css" => {
            ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], APP_CSS).into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Parse an `application/x-www-form-urlencoded` body into a map (last value wins).
pub fn form_map(body: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(body).into_owned().collect()
}

pub fn field<'a>(form: &'a HashMap<String, String>, key: &str) -> &'a str {
    form.get(key).map(String::as_str).unwrap_or("")
}

/// Code/label pairs for a select.
pub fn options<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (code(*v), label(*v))).collect()
}

/// The links of a sortable, paged list page (sort headers with their arrow, previous/next, the
/// Excel twin), each keeping the page's filters.
pub struct ListNav {
    /// The page's path, e.g. `/systems`.
    path: &'static str,
    /// The API twin's Excel export path, e.g. `/api/v1/systems/export.xlsx`.
    export: &'static str,
    /// Filters in link order; empty values are left out of links.
    filters: Vec<(&'static str, String)>,
    sort: String,
    order: String,
    total: i64,
    page_size: i64,
}

impl ListNav {
    pub fn new<T>(
        path: &'static str,
        export: &'static str,
        filters: Vec<(&'static str, String)>,
        sort: String,
        desc: bool,
        page: &tongchou_store::projects::Page<T>,
    ) -> Self {
        ListNav {
            path,
            export,
            filters,
            sort,
            order: if desc { "desc" } else { "asc" }.into(),
            total: page.total,
            page_size: page.page_size,
        }
    }

    fn query(&self, page: Option<i64>, sort: &str, order: &str) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.filters {
            if !v.is_empty() {
                s.append_pair(k, v);
            }
        }
        s.append_pair("sort", sort);
        s.append_pair("order", order);
        if let Some(page) = page {
            s.append_pair("page", &page.to_string());
        }
        s.finish()
    }

    /// This view (filters and order) as an Excel download from the API twin.
    pub fn export_href(&self) -> String {
        format!("{}?{}", self.export, self.query(None, &self.sort, &self.order))
    }
    /// The column header's link: sort by `key`, ascending first, toggling when already sorted.
    pub fn sort_href(&self, key: &str) -> String {
        let order = if self.sort == key && self.order == "asc" { "desc" } else { "asc" };
        format!("{}?{}", self.path, self.query(Some(1), key, order))
    }
    pub fn arrow(&self, key: &str) -> &'static str {
        match (self.sort == key, self.order.as_str()) {
            (true, "asc") => " ▲",
            (true, _) => " ▼",
            _ => "",
        }
    }
    pub fn page_href(&self, page: i64) -> String {
        format!("{}?{}", self.path, self.query(Some(page), &self.sort, &self.order))
    }
    pub fn pages(&self) -> i64 {
        ((self.total + self.page_size - 1) / self.page_size.max(1)).max(1)
    }
}
