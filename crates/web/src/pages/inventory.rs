//! Inventory pages: the system inventory (系统台账) list, detail and form, and the import pages
//! (upload → progress → report → confirm). The catalogs' pages are in `catalogs.rs`.

use super::projects::DeptOption;
use super::{back_with_error, error_page, field, form_map, options, redirect_flash, render, Ctx, ListNav};
use crate::api::inventory::SystemListParams;
use crate::error::{AppError, FieldMessage};
use crate::extract::PageAuth;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use std::collections::HashMap;
use std::time::Duration;
use tongchou_domain::import::{ImportKind, RowOutcome};
use tongchou_domain::inventory::{Hosting, SystemInput, SystemModuleInput, SystemStatus};
use tongchou_domain::policy::{self, Capability};
use tongchou_domain::{Fen, Lang};
use tongchou_store::imports::ImportState;
use tongchou_store::inventory::{SystemDetail, SystemSummary};
use tongchou_store::projects::Page;

pub(crate) fn can_manage(auth: &PageAuth) -> bool {
    policy::can(&auth.actor().roles, Capability::ManageCatalogs)
}

pub(crate) fn require_manage(auth: &PageAuth) -> Result<(), Response> {
    if can_manage(auth) {
        Ok(())
    } else {
        let cap = Capability::ManageCatalogs;
        Err(error_page(AppError::forbidden(cap.refusal(auth.lang), cap.rule()), auth.lang))
    }
}

pub(crate) fn path_id(raw: &str, lang: Lang) -> Result<i64, Response> {
    raw.parse::<i64>().ok().filter(|v| *v > 0).ok_or_else(|| error_page(AppError::not_found(lang), lang))
}

#[derive(Template)]
#[template(path = "systems.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    page: Page<SystemSummary>,
    q: String,
    status: String,
    hosting: String,
    mlps: String,
    department_id: String,
    nav: ListNav,
    statuses: Vec<(&'static str, &'static str)>,
    hostings: Vec<(&'static str, &'static str)>,
    departments: Vec<DeptOption>,
    manage: bool,
}

pub async fn list(State(st): State<AppState>, auth: PageAuth, raw: axum::extract::RawQuery) -> Response {
    let map: HashMap<String, String> = raw.0.as_deref().map(|q| form_map(q.as_bytes())).unwrap_or_default();
    let get = |k: &str| map.get(k).cloned().unwrap_or_default();
    let params = SystemListParams {
        q: map.get("q").cloned().filter(|s| !s.is_empty()),
        department_id: get("department_id").parse().ok(),
        status: SystemStatus::parse(&get("status")),
        hosting: Hosting::parse(&get("hosting")),
        mlps_level: get("mlps_level").parse().ok(),
        sort: serde_json::from_value(serde_json::Value::String(get("sort"))).ok(),
        order: map.get("order").cloned().filter(|o| o == "asc" || o == "desc"),
        page: get("page").parse().ok().filter(|p| *p >= 1),
        page_size: Some(20),
    };
    let query = match params.to_query(auth.lang) {
        Ok(q) => q,
        Err(e) => return error_page(e, auth.lang),
    };
    let page = match st.store.list_systems(auth.actor(), &query).await {
        Ok(p) => p,
        Err(e) => return error_page(AppError::from_store(e, auth.lang), auth.lang),
    };
    let departments = st.store.departments().await.unwrap_or_default().iter().map(DeptOption::from).collect();
    let ctx = Ctx::new(&st, &auth, "systems").await;
    let lang = ctx.lang;
    let (q, status, hosting, mlps, department_id) = (
        get("q"),
        params.status.map(|s| s.code().to_string()).unwrap_or_default(),
        params.hosting.map(|s| s.code().to_string()).unwrap_or_default(),
        params.mlps_level.map(|s| s.to_string()).unwrap_or_default(),
        params.department_id.map(|d| d.to_string()).unwrap_or_default(),
    );
    let filters = vec![
        ("q", q.clone()),
        ("status", status.clone()),
        ("hosting", hosting.clone()),
        ("mlps_level", mlps.clone()),
        ("department_id", department_id.clone()),
    ];
    let nav = ListNav::new("/systems", "/api/v1/systems/export.xlsx", filters, query.sort.code().to_string(), query.desc, &page);
    let tpl = ListPage {
        ctx: &ctx,
        page,
        q,
        status,
        hosting,
        mlps,
        department_id,
        nav,
        statuses: options(SystemStatus::ALL, SystemStatus::code, |s| s.label(lang)),
        hostings: options(Hosting::ALL, Hosting::code, |s| s.label(lang)),
        departments,
        manage: can_manage(&auth),
    };
    render(&tpl, &ctx)
}

#[derive(Template)]
#[template(path = "system.html")]
struct DetailPage<'a> {
    ctx: &'a Ctx,
    s: SystemDetail,
    ledger_marks: super::audit::Marks,
    manage: bool,
}

pub async fn detail(State(st): State<AppState>, auth: PageAuth, Path(id): Path<String>) -> Response {
    let id = match path_id(&id, auth.lang) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let s = match st.store.system_detail(auth.actor(), id).await {
        Ok(s) => s,
        Err(e) => return error_page(AppError::from_store(e, auth.lang), auth.lang),
    };
    let ctx = Ctx::new(&st, &auth, "systems").await;
    let ledger_marks = super::audit::Marks::of(&st, &s.history).await;
    render(&DetailPage { ctx: &ctx, s, ledger_marks, manage: can_manage(&auth) }, &ctx)
}

/// The system form as text.
pub struct SystemForm {
    pub code: String,
    pub name: String,
    pub department_id: String,
    pub operator: String,
    pub description: String,
    pub status: String,
    pub mlps_level: String,
    pub hosting: String,
    pub go_live: String,
    pub annual_om_wan: String,
    /// The linked project's code (a clerk knows the code, not the internal id).
    pub project: String,
    pub modules: Vec<(String, String)>,
}

const BLANK_ROWS: usize = 3;

impl SystemForm {
    fn from_input(s: &SystemInput, project_code: Option<&str>) -> SystemForm {
        let mut modules: Vec<(String, String)> = s.modules.iter().map(|m| (m.name.clone(), m.description.clone())).collect();
        modules.extend(std::iter::repeat_n((String::new(), String::new()), BLANK_ROWS));
        SystemForm {
            code: s.code.clone(),
            name: s.name.clone(),
            department_id: if s.department_id > 0 { s.department_id.to_string() } else { String::new() },
            operator: s.operator.clone(),
            description: s.description.clone(),
            status: s.status.code().into(),
            mlps_level: s.mlps_level.to_string(),
            hosting: s.hosting.code().into(),
            go_live: s.go_live.clone().unwrap_or_default(),
            annual_om_wan: Fen(s.annual_om_fen).wan_plain(),
            project: project_code.unwrap_or_default().to_string(),
            modules,
        }
    }

    fn from_form(form: &HashMap<String, String>) -> SystemForm {
        let g = |k: &str| field(form, k).to_string();
        let mut modules = vec![];
        let mut i = 0;
        while form.contains_key(&format!("module_name_{i}")) {
            modules.push((g(&format!("module_name_{i}")), g(&format!("module_desc_{i}"))));
            i += 1;
        }
        SystemForm {
            code: g("code"),
            name: g("name"),
            department_id: g("department_id"),
            operator: g("operator"),
            description: g("description"),
            status: g("status"),
            mlps_level: g("mlps_level"),
            hosting: g("hosting"),
            go_live: g("go_live"),
            annual_om_wan: g("annual_om_wan"),
            project: g("project"),
            modules,
        }
    }

    /// The input, with the project code resolved to its id (an unknown code is a field error,
    /// never a silent unlink). `Err(Ok(_))`: field errors for the form; `Err(Err(_))`: the lookup
    /// failed.
    async fn to_input(&self, st: &AppState, lang: Lang) -> Result<SystemInput, Result<Vec<FieldMessage>, AppError>> {
        let mut errors = vec![];
        let project_id = match self.project.trim() {
            "" => None,
            code => match st.store.project_id_by_code(code).await {
                Ok(Some(id)) => Some(id),
                Ok(None) => {
                    errors.push(FieldMessage {
                        field: "project".into(),
                        message: lang
                            .pick(&format!("没有项目编号为“{code}”的项目。"), &format!("No project has the code “{code}”."))
                            .to_string(),
                    });
                    None
                }
                Err(e) => return Err(field_errors(e, lang)),
            },
        };
        let annual_om_fen = match self.annual_om_wan.trim() {
            "" => 0,
            s => Fen::parse_wan(s).map(|f| f.0).unwrap_or_else(|e| {
                errors.push(FieldMessage { field: "annual_om_wan".into(), message: e.message(lang).into() });
                0
            }),
        };
        let input = SystemInput {
            code: self.code.clone(),
            name: self.name.clone(),
            department_id: self.department_id.parse().unwrap_or(0),
            operator: self.operator.clone(),
            description: self.description.clone(),
            status: SystemStatus::parse(&self.status).unwrap_or(SystemStatus::InUse),
            mlps_level: self.mlps_level.parse().unwrap_or(0),
            hosting: Hosting::parse(&self.hosting).unwrap_or(Hosting::Other),
            go_live: Some(self.go_live.clone()).filter(|s| !s.trim().is_empty()),
            annual_om_fen,
            project_id,
            modules: self.modules.iter().map(|(n, d)| SystemModuleInput { name: n.clone(), description: d.clone() }).collect(),
        };
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(Ok(errors))
        }
    }
}

#[derive(Template)]
#[template(path = "system_form.html")]
struct FormPage<'a> {
    ctx: &'a Ctx,
    title: &'static str,
    action: String,
    cancel: String,
    version: i64,
    f: SystemForm,
    errors: Vec<(String, String)>,
    statuses: Vec<(&'static str, &'static str)>,
    hostings: Vec<(&'static str, &'static str)>,
    departments: Vec<DeptOption>,
    /// (code, name) of the projects the picker offers.
    projects: Vec<(String, String)>,
}

/// How many projects the form's picker lists (newest first); any other code may be typed.
const PROJECT_CHOICES: i64 = 500;

async fn form_page(st: &AppState, ctx: &Ctx, editing: Option<(i64, i64)>, f: SystemForm, errors: Vec<FieldMessage>) -> Response {
    let lang = ctx.lang;
    let page = FormPage {
        ctx,
        title: ctx.t(if editing.is_some() { "systems.edit" } else { "systems.new" }),
        action: editing.map(|(id, _)| format!("/systems/{id}/edit")).unwrap_or_else(|| "/systems/new".into()),
        cancel: editing.map(|(id, _)| format!("/systems/{id}")).unwrap_or_else(|| "/systems".into()),
        version: editing.map(|(_, v)| v).unwrap_or(0),
        f,
        errors: errors.into_iter().map(|e| (e.field, e.message)).collect(),
        statuses: options(SystemStatus::ALL, SystemStatus::code, |s| s.label(lang)),
        hostings: options(Hosting::ALL, Hosting::code, |s| s.label(lang)),
        departments: st.store.departments().await.unwrap_or_default().iter().map(DeptOption::from).collect(),
        projects: st.store.linkable_projects(PROJECT_CHOICES).await.unwrap_or_default(),
    };
    let mut resp = render(&page, ctx);
    if !page.errors.is_empty() {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    resp
}

fn field_errors(e: tongchou_store::StoreError, lang: Lang) -> Result<Vec<FieldMessage>, AppError> {
    match AppError::from_store(e, lang) {
        err if !err.body.fields.is_empty() => Ok(err.body.fields),
        err => Err(err),
    }
}

pub async fn new_form(State(st): State<AppState>, auth: PageAuth) -> Response {
    if let Err(r) = require_manage(&auth) {
        return r;
    }
    let ctx = Ctx::new(&st, &auth, "systems").await;
    form_page(&st, &ctx, None, SystemForm::from_input(&SystemInput::blank(0), None), vec![]).await
}

pub async fn create(State(st): State<AppState>, auth: PageAuth, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    let data = SystemForm::from_form(&form);
    let result = match data.to_input(&st, auth.lang).await {
        Ok(input) => st.store.create_system(auth.actor(), &auth.client, input).await.map_err(|e| field_errors(e, auth.lang)),
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => redirect_flash(&format!("/systems/{id}"), true, auth.lang.pick("系统已登记。", "System recorded.")),
        Err(Ok(errors)) => {
            let ctx = Ctx::new(&st, &auth, "systems").await;
            form_page(&st, &ctx, None, data, errors).await
        }
        Err(Err(e)) => error_page(e, auth.lang),
    }
}

pub async fn edit_form(State(st): State<AppState>, auth: PageAuth, Path(id): Path<String>) -> Response {
    if let Err(r) = require_manage(&auth) {
        return r;
    }
    let id = match path_id(&id, auth.lang) {
        Ok(id) => id,
        Err(r) => return r,
    };
    match st.store.system_detail(auth.actor(), id).await {
        Ok(d) => {
            let ctx = Ctx::new(&st, &auth, "systems").await;
            form_page(
                &st,
                &ctx,
                Some((id, d.record.version)),
                SystemForm::from_input(&d.to_input(), d.record.project_code.as_deref()),
                vec![],
            )
            .await
        }
        Err(e) => error_page(AppError::from_store(e, auth.lang), auth.lang),
    }
}

pub async fn update(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    let version: Option<i64> = field(&form, "expected_version").parse().ok();
    let data = SystemForm::from_form(&form);
    let result = match data.to_input(&st, auth.lang).await {
        Ok(input) => st.store.update_system(auth.actor(), &auth.client, id, input, version).await.map_err(|e| field_errors(e, auth.lang)),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => redirect_flash(&format!("/systems/{id}"), true, auth.lang.pick("系统信息已更新。", "System updated.")),
        Err(Ok(errors)) => {
            let ctx = Ctx::new(&st, &auth, "systems").await;
            form_page(&st, &ctx, Some((id, version.unwrap_or(0))), data, errors).await
        }
        Err(Err(e)) => back_with_error(&format!("/systems/{id}"), e),
    }
}

pub async fn retire(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    let back = format!("/systems/{id}");
    match st.store.retire_system(auth.actor(), &auth.client, id, field(&form, "expected_version").parse().ok()).await {
        Ok(_) => redirect_flash(&back, true, auth.lang.pick("系统已标记为淘汰。", "System marked as retired.")),
        Err(e) => back_with_error(&back, AppError::from_store(e, auth.lang)),
    }
}

// ----------------------------------------------------------------------------------------
// Imports
// ----------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage<'a> {
    ctx: &'a Ctx,
    kind: String,
    state: Option<ImportState>,
    max_mb: u64,
}

impl ImportPage<'_> {
    fn percent(&self) -> i64 {
        match &self.state {
            Some(s) if s.total_rows > 0 => s.processed_rows * 100 / s.total_rows,
            _ => 0,
        }
    }
    fn outcome(&self, o: &RowOutcome) -> &'static str {
        o.label(self.ctx.lang)
    }
    fn text<'b>(&self, p: &'b tongchou_domain::import::ImportProblem) -> &'b str {
        p.text(self.ctx.lang)
    }
    fn messages(&self, r: &tongchou_domain::import::RowReport) -> Vec<String> {
        r.messages(self.ctx.lang)
    }
    fn kind_label(&self, k: &ImportKind) -> &'static str {
        k.label(self.ctx.lang)
    }
    fn list_href(&self) -> &'static str {
        match self.state.as_ref().map(|s| s.kind) {
            Some(ImportKind::Capabilities) => "/capabilities",
            _ => "/systems",
        }
    }
}

pub async fn import_page(State(st): State<AppState>, auth: PageAuth, raw: axum::extract::RawQuery) -> Response {
    if let Err(r) = require_manage(&auth) {
        return r;
    }
    let map: HashMap<String, String> = raw.0.as_deref().map(|q| form_map(q.as_bytes())).unwrap_or_default();
    let kind = map.get("kind").and_then(|k| ImportKind::parse(k)).unwrap_or(ImportKind::Systems);
    let ctx = Ctx::new(&st, &auth, "systems").await;
    render(&ImportPage { ctx: &ctx, kind: kind.code().into(), state: None, max_mb: st.store.settings.upload.max_bytes / 1024 / 1024 }, &ctx)
}

/// The upload form posts here (multipart); the check runs in its own task, and the browser goes
/// to the import's page, which shows progress until the report is ready.
pub async fn import_upload(State(st): State<AppState>, auth: PageAuth, mp: Multipart) -> Response {
    let (kind, filename, _, bytes, other) = match crate::api::projects::read_upload(mp, auth.lang, st.store.settings.upload.max_bytes).await
    {
        Ok(v) => v,
        Err(e) => return back_with_error("/imports", e),
    };
    if let Err(e) = auth.check_csrf(other.get("csrf").map(String::as_str).unwrap_or("")) {
        return error_page(e, auth.lang);
    }
    let kind = match crate::api::imports::parse_kind(&kind, auth.lang) {
        Ok(k) => k,
        Err(e) => return back_with_error("/imports", e),
    };
    match crate::api::imports::start(&st, auth.actor(), kind, filename, bytes, auth.lang).await {
        Ok((token, handle)) => {
            let _ = tokio::time::timeout(Duration::from_secs(2), handle).await;
            redirect_flash(&format!("/imports/{token}"), true, auth.lang.pick("文件已上传,正在校验。", "File uploaded; checking it."))
        }
        Err(e) => back_with_error("/imports", e),
    }
}

pub async fn import_state(State(st): State<AppState>, auth: PageAuth, Path(token): Path<String>) -> Response {
    let state = match st.store.import_state(auth.actor(), &token).await {
        Ok(s) => s,
        Err(e) => return error_page(AppError::from_store(e, auth.lang), auth.lang),
    };
    let ctx = Ctx::new(&st, &auth, "systems").await;
    render(
        &ImportPage {
            ctx: &ctx,
            kind: state.kind.code().into(),
            state: Some(state),
            max_mb: st.store.settings.upload.max_bytes / 1024 / 1024,
        },
        &ctx,
    )
}

pub async fn import_confirm(State(st): State<AppState>, auth: PageAuth, Path(token): Path<String>, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    let back = format!("/imports/{token}");
    match st.store.confirm_import(auth.actor(), &auth.client, &token).await {
        Ok(sum) => {
            let msg = match auth.lang {
                Lang::Zh => format!("导入完成:新增 {} 条,更新 {} 条。", sum.new, sum.updated),
                Lang::En => format!("Imported: {} new, {} updated.", sum.new, sum.updated),
            };
            redirect_flash(&back, true, &msg)
        }
        Err(e) => back_with_error(&back, AppError::from_store(e, auth.lang)),
    }
}

/// The import template as a page download (same file as the API's).
pub async fn template(auth: PageAuth, Path(kind): Path<String>) -> Response {
    use axum::response::IntoResponse;
    let kind = match ImportKind::parse(kind.trim_end_matches(".xlsx")) {
        Some(k) => k,
        None => return error_page(AppError::not_found(auth.lang), auth.lang),
    };
    match crate::api::imports::template_bytes(kind, auth.lang) {
        Ok(bytes) => crate::api::export::xlsx_response(
            bytes,
            &format!("{}{}", kind.label(auth.lang), auth.lang.pick("导入模板.xlsx", " import template.xlsx")),
        )
        .into_response(),
        Err(e) => error_page(AppError::internal(&e.to_string(), auth.lang), auth.lang),
    }
}
