//! Catalog pages: the shared-capability catalog (共性服务能力清单), the policy catalog (项目管理目录)
//! and the synonym dictionary (同义词词典) with the shipped groups shown read-only.

use super::inventory::{can_manage, path_id, require_manage};
use super::{back_with_error, error_page, field, form_map, redirect_flash, render, Ctx};
use crate::api::catalogs::{builtin_groups, BuiltinGroup};
use crate::error::{AppError, FieldMessage};
use crate::extract::PageAuth;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use std::collections::HashMap;
use tongchou_domain::application::{Category, ConstructionType};
use tongchou_domain::directory::{DirectoryRuleInput, RuleClass};
use tongchou_domain::inventory::{CapabilityInput, SynonymInput};
use tongchou_domain::Lang;
use tongchou_store::catalogs::{DirectoryRuleRecord, SynonymGroupRecord};
use tongchou_store::inventory::{CapabilityDetail, CapabilityQuery, CapabilityRecord, Ref, SystemQuery};
use tongchou_store::projects::Page;

fn field_errors(e: tongchou_store::StoreError, lang: Lang) -> Result<Vec<FieldMessage>, AppError> {
    match AppError::from_store(e, lang) {
        err if !err.body.fields.is_empty() => Ok(err.body.fields),
        err => Err(err),
    }
}

// ----------------------------------------------------------------------------------------
// Capabilities
// ----------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "capabilities.html")]
struct CapabilitiesPage<'a> {
    ctx: &'a Ctx,
    page: Page<CapabilityRecord>,
    q: String,
    manage: bool,
}

impl CapabilitiesPage<'_> {
    fn export_href(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            s.append_pair("q", &self.q);
        }
        format!("/api/v1/capabilities/export.xlsx?{}", s.finish())
    }
}

pub async fn capabilities(State(st): State<AppState>, auth: PageAuth, raw: axum::extract::RawQuery) -> Response {
    let map: HashMap<String, String> = raw.0.as_deref().map(|q| form_map(q.as_bytes())).unwrap_or_default();
    let q = map.get("q").cloned().unwrap_or_default();
    let query = CapabilityQuery { q: Some(q.clone()).filter(|s| !s.is_empty()), active: None, page: 1, page_size: 500 };
    let page = match st.store.list_capabilities(auth.actor(), &query).await {
        Ok(p) => p,
        Err(e) => return error_page(AppError::from_store(e, auth.lang), auth.lang),
    };
    let ctx = Ctx::new(&st, &auth, "capabilities").await;
    render(&CapabilitiesPage { ctx: &ctx, page, q, manage: can_manage(&auth) }, &ctx)
}

#[derive(Template)]
#[template(path = "capability.html")]
struct CapabilityPage<'a> {
    ctx: &'a Ctx,
    c: CapabilityDetail,
    ledger_marks: super::audit::Marks,
    manage: bool,
}

pub async fn capability(State(st): State<AppState>, auth: PageAuth, Path(id): Path<String>) -> Response {
    let id = match path_id(&id, auth.lang) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let c = match st.store.capability_detail(auth.actor(), id).await {
        Ok(c) => c,
        Err(e) => return error_page(AppError::from_store(e, auth.lang), auth.lang),
    };
    let ctx = Ctx::new(&st, &auth, "capabilities").await;
    let ledger_marks = super::audit::Marks::of(&st, &c.history).await;
    render(&CapabilityPage { ctx: &ctx, c, ledger_marks, manage: can_manage(&auth) }, &ctx)
}

pub struct CapabilityForm {
    pub code: String,
    pub name: String,
    pub description: String,
    pub provider: String,
    pub access_method: String,
    pub active: bool,
    pub system_ids: Vec<i64>,
}

#[derive(Template)]
#[template(path = "capability_form.html")]
struct CapabilityFormPage<'a> {
    ctx: &'a Ctx,
    title: &'static str,
    action: String,
    cancel: String,
    version: i64,
    f: CapabilityForm,
    errors: Vec<(String, String)>,
    systems: Vec<Ref>,
}

impl CapabilityFormPage<'_> {
    fn uses(&self, id: &i64) -> bool {
        self.f.system_ids.contains(id)
    }
}

async fn capability_form(
    st: &AppState,
    auth: &PageAuth,
    editing: Option<(i64, i64)>,
    f: CapabilityForm,
    errors: Vec<FieldMessage>,
) -> Response {
    let ctx = Ctx::new(st, auth, "capabilities").await;
    let all = SystemQuery { page: 1, page_size: 10_000, sort: tongchou_store::inventory::SystemSort::Code, ..Default::default() };
    let systems = st
        .store
        .list_systems(auth.actor(), &all)
        .await
        .map(|p| p.items.into_iter().map(|s| Ref { id: s.id, code: s.code, name: s.name }).collect())
        .unwrap_or_default();
    let page = CapabilityFormPage {
        ctx: &ctx,
        title: ctx.t(if editing.is_some() { "capabilities.edit" } else { "capabilities.new" }),
        action: editing.map(|(id, _)| format!("/capabilities/{id}/edit")).unwrap_or_else(|| "/capabilities/new".into()),
        cancel: editing.map(|(id, _)| format!("/capabilities/{id}")).unwrap_or_else(|| "/capabilities".into()),
        version: editing.map(|(_, v)| v).unwrap_or(0),
        f,
        errors: errors.into_iter().map(|e| (e.field, e.message)).collect(),
        systems,
    };
    let mut resp = render(&page, &ctx);
    if !page.errors.is_empty() {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    resp
}

fn capability_from_body(body: &[u8]) -> (HashMap<String, String>, CapabilityForm) {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let form: HashMap<String, String> = pairs.iter().cloned().collect();
    let g = |k: &str| field(&form, k).to_string();
    let f = CapabilityForm {
        code: g("code"),
        name: g("name"),
        description: g("description"),
        provider: g("provider"),
        access_method: g("access_method"),
        active: form.contains_key("active"),
        system_ids: pairs.iter().filter(|(k, _)| k == "system_id").filter_map(|(_, v)| v.parse().ok()).collect(),
    };
    (form, f)
}

fn capability_input(f: &CapabilityForm) -> CapabilityInput {
    CapabilityInput {
        code: f.code.clone(),
        name: f.name.clone(),
        description: f.description.clone(),
        provider: f.provider.clone(),
        access_method: f.access_method.clone(),
        active: f.active,
        system_ids: f.system_ids.clone(),
    }
}

pub async fn capability_new(State(st): State<AppState>, auth: PageAuth) -> Response {
    if let Err(r) = require_manage(&auth) {
        return r;
    }
    let f = CapabilityForm {
        code: String::new(),
        name: String::new(),
        description: String::new(),
        provider: String::new(),
        access_method: String::new(),
        active: true,
        system_ids: vec![],
    };
    capability_form(&st, &auth, None, f, vec![]).await
}

pub async fn capability_create(State(st): State<AppState>, auth: PageAuth, body: Bytes) -> Response {
    let (form, f) = capability_from_body(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    match st.store.create_capability(auth.actor(), &auth.client, capability_input(&f)).await.map_err(|e| field_errors(e, auth.lang)) {
        Ok(id) => redirect_flash(&format!("/capabilities/{id}"), true, auth.lang.pick("共性服务能力已登记。", "Capability recorded.")),
        Err(Ok(errors)) => capability_form(&st, &auth, None, f, errors).await,
        Err(Err(e)) => error_page(e, auth.lang),
    }
}

pub async fn capability_edit(State(st): State<AppState>, auth: PageAuth, Path(id): Path<String>) -> Response {
    if let Err(r) = require_manage(&auth) {
        return r;
    }
    let id = match path_id(&id, auth.lang) {
        Ok(id) => id,
        Err(r) => return r,
    };
    match st.store.capability_detail(auth.actor(), id).await {
        Ok(d) => {
            let i = d.to_input();
            let f = CapabilityForm {
                code: i.code,
                name: i.name,
                description: i.description,
                provider: i.provider,
                access_method: i.access_method,
                active: i.active,
                system_ids: i.system_ids,
            };
            capability_form(&st, &auth, Some((id, d.record.version)), f, vec![]).await
        }
        Err(e) => error_page(AppError::from_store(e, auth.lang), auth.lang),
    }
}

pub async fn capability_update(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, body: Bytes) -> Response {
    let (form, f) = capability_from_body(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    let version: Option<i64> = field(&form, "expected_version").parse().ok();
    match st
        .store
        .update_capability(auth.actor(), &auth.client, id, capability_input(&f), version)
        .await
        .map_err(|e| field_errors(e, auth.lang))
    {
        Ok(_) => redirect_flash(&format!("/capabilities/{id}"), true, auth.lang.pick("已保存。", "Saved.")),
        Err(Ok(errors)) => capability_form(&st, &auth, Some((id, version.unwrap_or(0))), f, errors).await,
        Err(Err(e)) => back_with_error(&format!("/capabilities/{id}"), e),
    }
}

pub async fn capability_delete(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    match st.store.delete_capability(auth.actor(), &auth.client, id, field(&form, "expected_version").parse().ok()).await {
        Ok(()) => redirect_flash("/capabilities", true, auth.lang.pick("已从清单中删除。", "Removed from the catalog.")),
        Err(e) => back_with_error(&format!("/capabilities/{id}"), AppError::from_store(e, auth.lang)),
    }
}

// ----------------------------------------------------------------------------------------
// Policy catalog
// ----------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "directory.html")]
struct DirectoryPage<'a> {
    ctx: &'a Ctx,
    rules: Vec<DirectoryRuleRecord>,
    class: String,
    classes: Vec<(&'static str, &'static str)>,
    manage: bool,
}

impl DirectoryPage<'_> {
    fn class_label(&self, c: &RuleClass) -> &'static str {
        c.label(self.ctx.lang)
    }
    fn categories(&self, r: &DirectoryRuleRecord) -> String {
        r.categories.iter().map(|c| c.label(self.ctx.lang)).collect::<Vec<_>>().join("、")
    }
    fn ctypes(&self, r: &DirectoryRuleRecord) -> String {
        r.construction_types.iter().map(|c| c.label(self.ctx.lang)).collect::<Vec<_>>().join("、")
    }
}

pub async fn directory(State(st): State<AppState>, auth: PageAuth, raw: axum::extract::RawQuery) -> Response {
    let map: HashMap<String, String> = raw.0.as_deref().map(|q| form_map(q.as_bytes())).unwrap_or_default();
    let class = map.get("class").and_then(|c| RuleClass::parse(c));
    let rules = match st.store.list_directory_rules(auth.actor(), class).await {
        Ok(r) => r,
        Err(e) => return error_page(AppError::from_store(e, auth.lang), auth.lang),
    };
    let ctx = Ctx::new(&st, &auth, "directory").await;
    let lang = ctx.lang;
    let page = DirectoryPage {
        ctx: &ctx,
        rules,
        class: class.map(|c| c.code().to_string()).unwrap_or_default(),
        classes: super::options(RuleClass::ALL, RuleClass::code, |c| c.label(lang)),
        manage: can_manage(&auth),
    };
    render(&page, &ctx)
}

pub struct RuleForm {
    pub class: String,
    pub title: String,
    pub description: String,
    pub keywords: String,
    pub categories: Vec<String>,
    pub construction_types: Vec<String>,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "rule_form.html")]
struct RuleFormPage<'a> {
    ctx: &'a Ctx,
    title: &'static str,
    action: String,
    version: i64,
    f: RuleForm,
    errors: Vec<(String, String)>,
    classes: Vec<(&'static str, &'static str)>,
    categories: Vec<(&'static str, &'static str)>,
    ctypes: Vec<(&'static str, &'static str)>,
}

impl RuleFormPage<'_> {
    fn has_category(&self, c: &str) -> bool {
        self.f.categories.iter().any(|x| x == c)
    }
    fn has_ctype(&self, c: &str) -> bool {
        self.f.construction_types.iter().any(|x| x == c)
    }
}

async fn rule_form(st: &AppState, auth: &PageAuth, editing: Option<(i64, i64)>, f: RuleForm, errors: Vec<FieldMessage>) -> Response {
    let ctx = Ctx::new(st, auth, "directory").await;
    let lang = ctx.lang;
    let page = RuleFormPage {
        ctx: &ctx,
        title: ctx.t(if editing.is_some() { "directory.edit" } else { "directory.new" }),
        action: editing.map(|(id, _)| format!("/directory/{id}/edit")).unwrap_or_else(|| "/directory/new".into()),
        version: editing.map(|(_, v)| v).unwrap_or(0),
        f,
        errors: errors.into_iter().map(|e| (e.field, e.message)).collect(),
        classes: super::options(RuleClass::ALL, RuleClass::code, |c| c.label(lang)),
        categories: super::options(Category::ALL, Category::code, |c| c.label(lang)),
        ctypes: super::options(ConstructionType::ALL, ConstructionType::code, |c| c.label(lang)),
    };
    let mut resp = render(&page, &ctx);
    if !page.errors.is_empty() {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    resp
}

fn rule_from_body(body: &[u8]) -> (HashMap<String, String>, RuleForm) {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let form: HashMap<String, String> = pairs.iter().cloned().collect();
    let all = |k: &str| pairs.iter().filter(|(n, _)| n == k).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    let f = RuleForm {
        class: field(&form, "class").into(),
        title: field(&form, "title").into(),
        description: field(&form, "description").into(),
        keywords: field(&form, "keywords").into(),
        categories: all("category"),
        construction_types: all("construction_type"),
        active: form.contains_key("active"),
    };
    (form, f)
}

fn rule_input(f: &RuleForm) -> DirectoryRuleInput {
    DirectoryRuleInput {
        class: RuleClass::parse(&f.class).unwrap_or(RuleClass::Priority),
        title: f.title.clone(),
        description: f.description.clone(),
        keywords: vec![f.keywords.replace('\r', "")],
        categories: f.categories.iter().filter_map(|c| Category::parse(c)).collect(),
        construction_types: f.construction_types.iter().filter_map(|c| ConstructionType::parse(c)).collect(),
        active: f.active,
    }
}

pub async fn rule_new(State(st): State<AppState>, auth: PageAuth) -> Response {
    if let Err(r) = require_manage(&auth) {
        return r;
    }
    let f = RuleForm {
        class: "forbidden".into(),
        title: String::new(),
        description: String::new(),
        keywords: String::new(),
        categories: vec![],
        construction_types: vec![],
        active: true,
    };
    rule_form(&st, &auth, None, f, vec![]).await
}

pub async fn rule_create(State(st): State<AppState>, auth: PageAuth, body: Bytes) -> Response {
    let (form, f) = rule_from_body(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    match st.store.create_directory_rule(auth.actor(), &auth.client, rule_input(&f)).await.map_err(|e| field_errors(e, auth.lang)) {
        Ok(_) => redirect_flash("/directory", true, auth.lang.pick("目录规则已添加。", "Rule added.")),
        Err(Ok(errors)) => rule_form(&st, &auth, None, f, errors).await,
        Err(Err(e)) => error_page(e, auth.lang),
    }
}

pub async fn rule_edit(State(st): State<AppState>, auth: PageAuth, Path(id): Path<String>) -> Response {
    if let Err(r) = require_manage(&auth) {
        return r;
    }
    let id = match path_id(&id, auth.lang) {
        Ok(id) => id,
        Err(r) => return r,
    };
    match st.store.directory_rule(auth.actor(), id).await {
        Ok(d) => {
            let r = d.record;
            let f = RuleForm {
                class: r.class.code().into(),
                title: r.title.clone(),
                description: r.description.clone(),
                keywords: r.keywords.join("\n"),
                categories: r.categories.iter().map(|c| c.code().to_string()).collect(),
                construction_types: r.construction_types.iter().map(|c| c.code().to_string()).collect(),
                active: r.active,
            };
            rule_form(&st, &auth, Some((id, r.version)), f, vec![]).await
        }
        Err(e) => error_page(AppError::from_store(e, auth.lang), auth.lang),
    }
}

pub async fn rule_update(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, body: Bytes) -> Response {
    let (form, f) = rule_from_body(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    let version: Option<i64> = field(&form, "expected_version").parse().ok();
    match st
        .store
        .update_directory_rule(auth.actor(), &auth.client, id, rule_input(&f), version)
        .await
        .map_err(|e| field_errors(e, auth.lang))
    {
        Ok(_) => redirect_flash("/directory", true, auth.lang.pick("目录规则已保存。", "Rule saved.")),
        Err(Ok(errors)) => rule_form(&st, &auth, Some((id, version.unwrap_or(0))), f, errors).await,
        Err(Err(e)) => back_with_error("/directory", e),
    }
}

pub async fn rule_delete(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    match st.store.delete_directory_rule(auth.actor(), &auth.client, id, field(&form, "expected_version").parse().ok()).await {
        Ok(()) => redirect_flash("/directory", true, auth.lang.pick("目录规则已删除。", "Rule deleted.")),
        Err(e) => back_with_error("/directory", AppError::from_store(e, auth.lang)),
    }
}

// ----------------------------------------------------------------------------------------
// Synonyms
// ----------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "synonyms.html")]
struct SynonymsPage<'a> {
    ctx: &'a Ctx,
    groups: Vec<SynonymGroupRecord>,
    builtin: Vec<BuiltinGroup>,
    manage: bool,
    terms: String,
    note: String,
    errors: Vec<(String, String)>,
}

async fn synonyms_page(st: &AppState, auth: &PageAuth, terms: String, note: String, errors: Vec<FieldMessage>) -> Response {
    let groups = match st.store.list_synonyms(auth.actor()).await {
        Ok(g) => g,
        Err(e) => return error_page(AppError::from_store(e, auth.lang), auth.lang),
    };
    let ctx = Ctx::new(st, auth, "synonyms").await;
    let page = SynonymsPage {
        ctx: &ctx,
        groups,
        builtin: builtin_groups(),
        manage: can_manage(auth),
        terms,
        note,
        errors: errors.into_iter().map(|e| (e.field, e.message)).collect(),
    };
    let mut resp = render(&page, &ctx);
    if !page.errors.is_empty() {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    resp
}

pub async fn synonyms(State(st): State<AppState>, auth: PageAuth) -> Response {
    synonyms_page(&st, &auth, String::new(), String::new(), vec![]).await
}

pub async fn synonym_create(State(st): State<AppState>, auth: PageAuth, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    let terms = field(&form, "terms").replace('\r', "");
    let note = field(&form, "note").to_string();
    match st.store.create_synonym(auth.actor(), &auth.client, SynonymInput { terms: vec![terms.clone()], note: note.clone() }).await {
        Ok(_) => redirect_flash(
            "/synonyms",
            true,
            auth.lang.pick("同义词组已添加,查重将在下次检查时使用。", "Synonym group added; 查重 uses it from the next check."),
        ),
        Err(e) => match field_errors(e, auth.lang) {
            Ok(errors) => synonyms_page(&st, &auth, terms, note, errors).await,
            Err(e) => error_page(e, auth.lang),
        },
    }
}

pub async fn synonym_delete(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    match st.store.delete_synonym(auth.actor(), &auth.client, id).await {
        Ok(()) => redirect_flash("/synonyms", true, auth.lang.pick("同义词组已删除。", "Synonym group deleted.")),
        Err(e) => back_with_error("/synonyms", AppError::from_store(e, auth.lang)),
    }
}
