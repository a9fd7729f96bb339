//! Project pages: to-do, the list, the detail page with its action forms, the application form.

use super::{back_with_error, error_page, field, form_map, options, redirect_flash, render, Ctx, ListNav};
use crate::api::projects::{attachment_response, ListParams};
use crate::error::{AppError, FieldMessage};
use crate::extract::PageAuth;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use std::collections::HashMap;
use tongchou_domain::application::{ApplicationInput, BudgetKind, BudgetLineInput, Category, ConstructionType, FundingSource, ModuleInput};
use tongchou_domain::overlap::Decision;
use tongchou_domain::policy::{self, Capability};
use tongchou_domain::review::{Conclusion, OpinionInput, ReviewInput};
use tongchou_domain::{Action, Fen, Lang, Role, State as PState};
use tongchou_store::departments::Department;
use tongchou_store::overlap::{DeclaredCapability, ModuleOverlap, OverlapReport};
use tongchou_store::projects::{ActInput, Page, ProjectDetail, ProjectSummary};
use tongchou_store::todo::TodoItem;
use tongchou_store::users::UserRow;

#[derive(Template)]
#[template(path = "todo.html")]
struct TodoPage<'a> {
    ctx: &'a Ctx,
    items: Vec<TodoItem>,
}

pub async fn todo(State(st): State<AppState>, auth: PageAuth) -> Response {
    let items = match st.store.todo(auth.actor()).await {
        Ok(i) => i,
        Err(e) => return error_page(AppError::from_store(e, auth.lang), auth.lang),
    };
    let mut ctx = Ctx::new(&st, &auth, "todo").await;
    ctx.todo_count = items.len();
    render(&TodoPage { ctx: &ctx, items }, &ctx)
}

pub struct DeptOption {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub depth: usize,
}

impl DeptOption {
    pub fn indent(&self) -> String {
        "　".repeat(self.depth)
    }
}

impl From<&Department> for DeptOption {
    fn from(d: &Department) -> Self {
        DeptOption { id: d.id, code: d.code.clone(), name: d.name.clone(), depth: d.depth() }
    }
}

#[derive(Template)]
#[template(path = "projects.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    page: Page<ProjectSummary>,
    q: String,
    state: String,
    year: String,
    category: String,
    department_id: String,
    nav: ListNav,
    states: Vec<(&'static str, &'static str)>,
    categories: Vec<(&'static str, &'static str)>,
    years: Vec<i64>,
    departments: Vec<DeptOption>,
}

pub async fn list(State(st): State<AppState>, auth: PageAuth, raw: axum::extract::RawQuery) -> Response {
    let map: HashMap<String, String> = raw.0.as_deref().map(|q| form_map(q.as_bytes())).unwrap_or_default();
    let get = |k: &str| map.get(k).cloned().unwrap_or_default();
    let params = ListParams {
        q: map.get("q").cloned().filter(|s| !s.is_empty()),
        state: PState::parse(&get("state")),
        year: get("year").parse().ok(),
        category: Category::parse(&get("category")),
        department_id: get("department_id").parse().ok(),
        sort: serde_json::from_value(serde_json::Value::String(get("sort"))).ok(),
        order: map.get("order").cloned().filter(|o| o == "asc" || o == "desc"),
        page: get("page").parse().ok().filter(|p| *p >= 1),
        page_size: Some(20),
    };
    let query = match params.to_query(auth.lang) {
        Ok(q) => q,
        Err(e) => return error_page(e, auth.lang),
    };
    let page = match st.store.list_projects(auth.actor(), &query).await {
        Ok(p) => p,
        Err(e) => return error_page(AppError::from_store(e, auth.lang), auth.lang),
    };
    let departments = st.store.departments().await.unwrap_or_default().iter().map(DeptOption::from).collect();
    let this = st.store.this_year() as i64;
    let ctx = Ctx::new(&st, &auth, "projects").await;
    let sort_code = serde_json::to_value(query.sort).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_else(|| "updated".into());
    let lang = ctx.lang;
    let (q, state, year, category, department_id) = (
        get("q"),
        params.state.map(|s| s.code().to_string()).unwrap_or_default(),
        params.year.map(|y| y.to_string()).unwrap_or_default(),
        params.category.map(|c| c.code().to_string()).unwrap_or_default(),
        params.department_id.map(|d| d.to_string()).unwrap_or_default(),
    );
    let filters = vec![
        ("q", q.clone()),
        ("state", state.clone()),
        ("year", year.clone()),
        ("category", category.clone()),
        ("department_id", department_id.clone()),
    ];
    let nav = ListNav::new("/projects", "/api/v1/projects/export.xlsx", filters, sort_code, query.desc, &page);
    let tpl = ListPage {
        ctx: &ctx,
        page,
        q,
        state,
        year,
        category,
        department_id,
        nav,
        states: options(PState::ALL, PState::code, |s| s.label(lang)),
        categories: options(Category::ALL, Category::code, |s| s.label(lang)),
        years: (this - 3..=this + 3).rev().collect(),
        departments,
    };
    render(&tpl, &ctx)
}

#[derive(Template)]
#[template(path = "project.html")]
struct DetailPage<'a> {
    ctx: &'a Ctx,
    p: ProjectDetail,
    ledger_marks: super::audit::Marks,
    can_review: bool,
    can_opine: bool,
    can_edit: bool,
    can_copy: bool,
    experts: Vec<UserRow>,
    conclusions: Vec<(&'static str, &'static str)>,
    review_parts: Vec<(&'static str, &'static str)>,
    /// The 查重 section (absent when the detector could not run: the page still shows).
    overlap: Option<OverlapReport>,
    capability_choices: Vec<DeclaredCapability>,
    decisions: Vec<(&'static str, &'static str)>,
}

impl DetailPage<'_> {
    fn offers(&self, code: &str) -> bool {
        self.p.available_actions.iter().any(|a| a.code() == code)
    }
    fn destructive(&self, a: &Action) -> bool {
        matches!(a, Action::Return | Action::Reject | Action::Withdraw | Action::Retire | Action::Suspend)
    }
    fn review_value(&self, key: &str) -> &str {
        match (&self.p.review, key) {
            (Some(r), "technical") => &r.technical_conclusion,
            (Some(r), "economic") => &r.economic_conclusion,
            (Some(r), "risk") => &r.risk_conclusion,
            _ => "feasible",
        }
    }
    fn review_text(&self, key: &str) -> &str {
        match (&self.p.review, key) {
            (Some(r), "technical") => &r.technical_text,
            (Some(r), "economic") => &r.economic_text,
            (Some(r), "risk") => &r.risk_text,
            _ => "",
        }
    }
    fn rule_class_key(&self, class: &str) -> &'static str {
        match class {
            "forbidden" => "overlap.class_forbidden",
            "priority" => "overlap.class_priority",
            _ => "overlap.class_retire",
        }
    }
    fn kind_key(&self, kind: &str) -> &'static str {
        match kind {
            "system" => "overlap.kind_system",
            "capability" => "overlap.kind_capability",
            _ => "overlap.kind_application",
        }
    }
    fn decision_label(&self, code: &str) -> &'static str {
        Decision::parse(code).map(|d| d.label(self.ctx.lang)).unwrap_or("")
    }
    /// The decision the form preselects: the recorded one, else reuse/merge for a flagged
    /// module's best candidate, else keep.
    fn current_decision(&self, m: &ModuleOverlap) -> &'static str {
        match (&m.decision, m.candidates.first()) {
            (Some(d), _) => Decision::parse(&d.decision).map(Decision::code).unwrap_or("keep"),
            (None, Some(c)) if c.kind == "capability" => "reuse",
            (None, Some(_)) => "merge",
            (None, None) => "keep",
        }
    }
    fn declared(&self, id: &i64) -> bool {
        self.overlap.as_ref().is_some_and(|o| o.declared_capabilities.iter().any(|c| c.id == *id))
    }
    fn recommended_wan(&self) -> String {
        Fen(self.p.review.as_ref().map(|r| r.recommended_fen).unwrap_or_else(|| {
            // No review yet: the budget less what the 查重 decisions save.
            self.overlap.as_ref().map(|o| o.recommended_fen).unwrap_or(self.p.record.budget_fen)
        }))
        .wan_plain()
    }
}

fn parse_path_id(raw: &str, lang: Lang) -> Result<i64, Response> {
    raw.parse::<i64>().ok().filter(|v| *v > 0).ok_or_else(|| error_page(AppError::not_found(lang), lang))
}

pub async fn detail(State(st): State<AppState>, auth: PageAuth, Path(id): Path<String>) -> Response {
    let id = match parse_path_id(&id, auth.lang) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let p = match st.store.project_detail(auth.actor(), id).await {
        Ok(p) => p,
        Err(e) => return error_page(AppError::from_store(e, auth.lang), auth.lang),
    };
    let actor = auth.actor();
    let state = PState::parse(&p.record.state).unwrap_or(PState::Draft);
    let own = p.record.drafted_by == actor.id || p.record.submitted_by == Some(actor.id);
    let can_review = state == PState::UnderReview && !own && policy::can(&actor.roles, Capability::RecordReview);
    let can_opine = state == PState::UnderReview
        && policy::can(&actor.roles, Capability::GiveExpertOpinion)
        && p.experts.iter().any(|e| e.expert_id == actor.id && e.active);
    let in_dept = actor.covers_department(&p.record.department_path);
    let can_edit = state == PState::Draft && in_dept && policy::can(&actor.roles, Capability::EditDraft);
    let can_copy =
        matches!(state, PState::Withdrawn | PState::Rejected) && in_dept && policy::can(&actor.roles, Capability::DraftApplication);
    let experts = if can_review { st.store.users_with_role(Role::Expert).await.unwrap_or_default() } else { vec![] };
    let ctx = Ctx::new(&st, &auth, "projects").await;
    let lang = ctx.lang;
    let ledger_marks = super::audit::Marks::of(&st, &p.history).await;
    let overlap = if p.modules.is_empty() {
        None
    } else {
        match st.store.overlap_report(actor, id, lang).await {
            Ok(o) => Some(o),
            Err(e) => {
                tracing::warn!("查重 section of project {id} left out: {e}");
                None
            }
        }
    };
    let capability_choices = if can_edit { st.store.capability_choices().await.unwrap_or_default() } else { vec![] };
    let page = DetailPage {
        ctx: &ctx,
        ledger_marks,
        p,
        can_review,
        can_opine,
        can_edit,
        can_copy,
        experts,
        conclusions: Conclusion::ALL.iter().map(|c| (c.code(), c.label(lang))).collect(),
        review_parts: vec![("technical", "detail.technical"), ("economic", "detail.economic"), ("risk", "detail.risk")],
        overlap,
        capability_choices,
        decisions: Decision::ALL.iter().map(|d| (d.code(), d.label(lang))).collect(),
    };
    render(&page, &ctx)
}

/// The lifecycle action form: one form, a button per action the role could take.
pub async fn act(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = form_map(&body);
    let back = format!("/projects/{id}");
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    let Some(action) = Action::parse(field(&form, "action")) else {
        return back_with_error(&back, AppError::validation(auth.lang, vec![FieldMessage { field: "action".into(), message: "?".into() }]));
    };
    let approved_fen = match field(&form, "approved_wan").trim() {
        "" => None,
        s => match Fen::parse_wan(s) {
            Ok(f) => Some(f.0),
            Err(e) => {
                return back_with_error(
                    &back,
                    AppError::validation(
                        auth.lang,
                        vec![FieldMessage { field: "approved_wan".into(), message: e.message(auth.lang).into() }],
                    ),
                )
            }
        },
    };
    let input = ActInput {
        comment: Some(field(&form, "comment").to_string()).filter(|c| !c.trim().is_empty()),
        expected_version: field(&form, "expected_version").parse().ok(),
        plan_year: if action == Action::Approve { field(&form, "plan_year").parse().ok() } else { None },
        approved_fen: if action == Action::Approve { approved_fen } else { None },
    };
    match st.store.act(auth.actor(), &auth.client, id, action, &input).await {
        Ok(p) => {
            let msg = match auth.lang {
                Lang::Zh => {
                    format!("已{}。当前状态:{}", action.label(auth.lang), PState::parse(&p.state).map(|s| s.label(auth.lang)).unwrap_or(""))
                }
                Lang::En => {
                    format!("Done: {}. Now: {}", action.label(auth.lang), PState::parse(&p.state).map(|s| s.label(auth.lang)).unwrap_or(""))
                }
            };
            redirect_flash(&back, true, &msg)
        }
        Err(e) => back_with_error(&back, AppError::from_store(e, auth.lang)),
    }
}

pub async fn review(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = form_map(&body);
    let back = format!("/projects/{id}");
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    let conclusion = |k: &str| Conclusion::parse(field(&form, k)).unwrap_or(Conclusion::Feasible);
    let recommended = match Fen::parse_wan(field(&form, "recommended_wan")) {
        Ok(f) => f,
        Err(e) => {
            return back_with_error(
                &back,
                AppError::validation(
                    auth.lang,
                    vec![FieldMessage { field: "recommended_wan".into(), message: e.message(auth.lang).into() }],
                ),
            )
        }
    };
    let input = ReviewInput {
        technical_conclusion: conclusion("technical_conclusion"),
        technical_text: field(&form, "technical_text").into(),
        economic_conclusion: conclusion("economic_conclusion"),
        economic_text: field(&form, "economic_text").into(),
        risk_conclusion: conclusion("risk_conclusion"),
        risk_text: field(&form, "risk_text").into(),
        recommended_fen: recommended.0,
    };
    match st.store.record_review(auth.actor(), &auth.client, id, &input).await {
        Ok(()) => redirect_flash(&back, true, auth.lang.pick("评审意见已保存。", "Review saved.")),
        Err(e) => back_with_error(&back, AppError::from_store(e, auth.lang)),
    }
}

pub async fn invite(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = form_map(&body);
    let back = format!("/projects/{id}");
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    let expert_id: i64 = field(&form, "expert_id").parse().unwrap_or(0);
    let active = field(&form, "active") != "false";
    match st.store.set_invitation(auth.actor(), &auth.client, id, expert_id, active).await {
        Ok(()) => redirect_flash(
            &back,
            true,
            if active {
                auth.lang.pick("已邀请专家。", "Expert invited.")
            } else {
                auth.lang.pick("已取消邀请。", "Invitation withdrawn.")
            },
        ),
        Err(e) => back_with_error(&back, AppError::from_store(e, auth.lang)),
    }
}

pub async fn opinion(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = form_map(&body);
    let back = format!("/projects/{id}");
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    let input = OpinionInput {
        score: field(&form, "score").trim().parse().unwrap_or(-1),
        conclusion: Conclusion::parse(field(&form, "conclusion")).unwrap_or(Conclusion::Feasible),
        opinion: field(&form, "opinion").into(),
    };
    match st.store.give_opinion(auth.actor(), &auth.client, id, &input).await {
        Ok(()) => redirect_flash(&back, true, auth.lang.pick("专家意见已提交。", "Opinion saved.")),
        Err(e) => back_with_error(&back, AppError::from_store(e, auth.lang)),
    }
}

pub async fn upload(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, mp: Multipart) -> Response {
    let back = format!("/projects/{id}");
    let (kind, filename, ct, bytes, other) =
        match crate::api::projects::read_upload(mp, auth.lang, st.store.settings.upload.max_bytes).await {
            Ok(v) => v,
            Err(e) => return back_with_error(&back, e),
        };
    if let Err(e) = auth.check_csrf(other.get("csrf").map(String::as_str).unwrap_or("")) {
        return error_page(e, auth.lang);
    }
    match st.store.add_attachment(auth.actor(), &auth.client, id, &kind, &filename, &ct, &bytes).await {
        Ok(_) => redirect_flash(&back, true, auth.lang.pick("附件已上传。", "Attachment uploaded.")),
        Err(e) => back_with_error(&back, AppError::from_store(e, auth.lang)),
    }
}

pub async fn download(State(st): State<AppState>, auth: PageAuth, Path((id, aid)): Path<(i64, i64)>) -> Response {
    match st.store.attachment(auth.actor(), id, aid).await {
        Ok((row, bytes)) => attachment_response(&row, bytes),
        Err(e) => error_page(AppError::from_store(e, auth.lang), auth.lang),
    }
}

pub async fn copy(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    match st.store.copy_as_draft(auth.actor(), &auth.client, id).await {
        Ok(new_id) => redirect_flash(&format!("/projects/{new_id}"), true, auth.lang.pick("已复制为新草稿。", "Copied as a new draft.")),
        Err(e) => back_with_error(&format!("/projects/{id}"), AppError::from_store(e, auth.lang)),
    }
}

/// What the application form shows, as text.
pub struct FormData {
    pub name: String,
    pub category: String,
    pub construction_type: String,
    pub plan_year: String,
    pub funding_source: String,
    pub mlps_level: String,
    pub produces: bool,
    pub consumes: bool,
    pub planned_start: String,
    pub planned_finish: String,
    pub description: String,
    pub objectives: String,
    pub expected_benefits: String,
    pub modules: Vec<(String, String, String)>,
    pub lines: Vec<(String, String, String)>,
}

const MODULE_ROWS: usize = 8;
const LINE_ROWS: usize = 6;

impl FormData {
    fn from_input(a: &ApplicationInput) -> FormData {
        let mut modules: Vec<(String, String, String)> = a
            .modules
            .iter()
            .map(|m| (m.name.clone(), m.description.clone(), m.estimate_fen.map(|f| Fen(f).wan_plain()).unwrap_or_default()))
            .collect();
        let mut lines: Vec<(String, String, String)> =
            a.budget_lines.iter().map(|l| (l.kind.code().to_string(), l.item.clone(), Fen(l.amount_fen).wan_plain())).collect();
        pad(&mut modules, MODULE_ROWS, (String::new(), String::new(), String::new()));
        pad(&mut lines, LINE_ROWS, ("software".into(), String::new(), String::new()));
        FormData {
            name: a.name.clone(),
            category: a.category.code().into(),
            construction_type: a.construction_type.code().into(),
            plan_year: a.plan_year.map(|y| y.to_string()).unwrap_or_default(),
            funding_source: a.funding_source.code().into(),
            mlps_level: a.mlps_level.to_string(),
            produces: a.produces_shared_data,
            consumes: a.consumes_shared_data,
            planned_start: a.planned_start.clone().unwrap_or_default(),
            planned_finish: a.planned_finish.clone().unwrap_or_default(),
            description: a.description.clone(),
            objectives: a.objectives.clone(),
            expected_benefits: a.expected_benefits.clone(),
            modules,
            lines,
        }
    }

    fn blank(next_year: i32) -> FormData {
        let mut f = FormData::from_input(&ApplicationInput {
            name: String::new(),
            category: Category::Business,
            construction_type: ConstructionType::New,
            plan_year: Some(next_year),
            description: String::new(),
            objectives: String::new(),
            expected_benefits: String::new(),
            funding_source: FundingSource::MunicipalBudget,
            mlps_level: 2,
            produces_shared_data: false,
            consumes_shared_data: false,
            planned_start: None,
            planned_finish: None,
            modules: vec![],
            budget_lines: vec![],
        });
        f.lines[0].0 = "hardware".into();
        f.lines[1].0 = "software".into();
        f.lines[2].0 = "integration".into();
        f.lines[3].0 = "operation".into();
        f
    }

    fn from_form(form: &HashMap<String, String>) -> FormData {
        let g = |k: &str| field(form, k).to_string();
        let rows = |prefix: &[&str; 3], n: usize| -> Vec<(String, String, String)> {
            (0..n).map(|i| (g(&format!("{}_{i}", prefix[0])), g(&format!("{}_{i}", prefix[1])), g(&format!("{}_{i}", prefix[2])))).collect()
        };
        FormData {
            name: g("name"),
            category: g("category"),
            construction_type: g("construction_type"),
            plan_year: g("plan_year"),
            funding_source: g("funding_source"),
            mlps_level: g("mlps_level"),
            produces: form.contains_key("produces_shared_data"),
            consumes: form.contains_key("consumes_shared_data"),
            planned_start: g("planned_start"),
            planned_finish: g("planned_finish"),
            description: g("description"),
            objectives: g("objectives"),
            expected_benefits: g("expected_benefits"),
            modules: rows(&["module_name", "module_desc", "module_estimate"], MODULE_ROWS),
            lines: rows(&["line_kind", "line_item", "line_amount"], LINE_ROWS),
        }
    }

    /// Turn the typed text into an application; 万元 are parsed exactly. Errors name form fields.
    fn to_input(&self, lang: Lang) -> Result<ApplicationInput, Vec<FieldMessage>> {
        let mut errors = vec![];
        let mut bad = |field: String, message: String| errors.push(FieldMessage { field, message });
        let category = Category::parse(&self.category).unwrap_or_else(|| {
            bad("category".into(), lang.pick("请选择类别", "Choose a category").into());
            Category::Business
        });
        let construction_type = ConstructionType::parse(&self.construction_type).unwrap_or_else(|| {
            bad("construction_type".into(), lang.pick("请选择建设性质", "Choose a type").into());
            ConstructionType::New
        });
        let plan_year = match self.plan_year.trim() {
            "" => None,
            s => s.parse().map(Some).unwrap_or_else(|_| {
                bad("plan_year".into(), lang.pick("请输入年份,如 2027", "Enter a year, e.g. 2027").into());
                None
            }),
        };
        let mut modules = vec![];
        for (i, (name, desc, est)) in self.modules.iter().enumerate() {
            if name.trim().is_empty() && desc.trim().is_empty() && est.trim().is_empty() {
                continue;
            }
            let estimate_fen = match est.trim() {
                "" => None,
                s => match Fen::parse_wan(s) {
                    Ok(f) => Some(f.0),
                    Err(e) => {
                        bad(format!("module_estimate_{i}"), e.message(lang).into());
                        None
                    }
                },
            };
            modules.push(ModuleInput { name: name.clone(), description: desc.clone(), estimate_fen });
        }
        let mut budget_lines = vec![];
        for (i, (kind, item, amount)) in self.lines.iter().enumerate() {
            if item.trim().is_empty() && amount.trim().is_empty() {
                continue;
            }
            let kind = BudgetKind::parse(kind).unwrap_or(BudgetKind::OtherConstruction);
            match Fen::parse_wan(amount) {
                Ok(f) => budget_lines.push(BudgetLineInput { kind, item: item.clone(), amount_fen: f.0 }),
                Err(e) => bad(format!("line_amount_{i}"), e.message(lang).into()),
            }
        }
        let input = ApplicationInput {
            name: self.name.clone(),
            category,
            construction_type,
            plan_year,
            description: self.description.clone(),
            objectives: self.objectives.clone(),
            expected_benefits: self.expected_benefits.clone(),
            funding_source: FundingSource::parse(&self.funding_source).unwrap_or(FundingSource::MunicipalBudget),
            mlps_level: self.mlps_level.parse().unwrap_or(0),
            produces_shared_data: self.produces,
            consumes_shared_data: self.consumes,
            planned_start: Some(self.planned_start.clone()).filter(|s| !s.trim().is_empty()),
            planned_finish: Some(self.planned_finish.clone()).filter(|s| !s.trim().is_empty()),
            modules,
            budget_lines,
        };
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

fn pad<T: Clone>(v: &mut Vec<T>, n: usize, filler: T) {
    while v.len() < n {
        v.push(filler.clone());
    }
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage<'a> {
    ctx: &'a Ctx,
    title: &'static str,
    action: String,
    cancel: String,
    version: i64,
    f: FormData,
    errors: Vec<(String, String)>,
    categories: Vec<(&'static str, &'static str)>,
    ctypes: Vec<(&'static str, &'static str)>,
    fundings: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    window_warning: bool,
    window_text: String,
}

fn form_page(st: &AppState, ctx: &Ctx, editing: Option<(i64, i64)>, f: FormData, errors: Vec<FieldMessage>) -> Response {
    let lang = ctx.lang;
    let cfg = &st.store.settings.application;
    let window_text = match lang {
        Lang::Zh => format!("提示:当前不在年度计划申报窗口期({} 至 {})内,提交后将作为计划外申报处理。", cfg.window_open, cfg.window_close),
        Lang::En => format!(
            "Note: today is outside the application window ({} to {}); a submission will be treated as out of cycle.",
            cfg.window_open, cfg.window_close
        ),
    };
    let page = FormPage {
        ctx,
        title: ctx.t(if editing.is_some() { "form.edit_title" } else { "form.new_title" }),
        action: editing.map(|(id, _)| format!("/projects/{id}/edit")).unwrap_or_else(|| "/projects/new".into()),
        cancel: editing.map(|(id, _)| format!("/projects/{id}")).unwrap_or_else(|| "/projects".into()),
        version: editing.map(|(_, v)| v).unwrap_or(0),
        f,
        errors: errors.into_iter().map(|e| (e.field, e.message)).collect(),
        categories: options(Category::ALL, Category::code, |c| c.label(lang)),
        ctypes: options(ConstructionType::ALL, ConstructionType::code, |c| c.label(lang)),
        fundings: options(FundingSource::ALL, FundingSource::code, |c| c.label(lang)),
        kinds: options(BudgetKind::ALL, BudgetKind::code, |c| c.label(lang)),
        window_warning: st.store.window_closed_today(),
        window_text,
    };
    let mut resp = render(&page, ctx);
    if !page.errors.is_empty() {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    resp
}

fn require_draft_right(auth: &PageAuth) -> Result<(), Response> {
    if policy::can(&auth.actor().roles, Capability::DraftApplication) {
        Ok(())
    } else {
        Err(error_page(
            AppError::forbidden(Capability::DraftApplication.refusal(auth.lang), Capability::DraftApplication.rule()),
            auth.lang,
        ))
    }
}

pub async fn new_form(State(st): State<AppState>, auth: PageAuth) -> Response {
    if let Err(r) = require_draft_right(&auth) {
        return r;
    }
    let ctx = Ctx::new(&st, &auth, "new").await;
    form_page(&st, &ctx, None, FormData::blank(st.store.this_year() + 1), vec![])
}

fn store_field_errors(e: tongchou_store::StoreError, lang: Lang) -> Result<Vec<FieldMessage>, AppError> {
    match AppError::from_store(e, lang) {
        err if !err.body.fields.is_empty() => Ok(err.body.fields),
        err => Err(err),
    }
}

pub async fn create(State(st): State<AppState>, auth: PageAuth, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    let data = FormData::from_form(&form);
    let result = match data.to_input(auth.lang) {
        Ok(input) => st.store.create_draft(auth.actor(), &auth.client, input).await.map_err(|e| store_field_errors(e, auth.lang)),
        Err(errors) => Err(Ok(errors)),
    };
    match result {
        Ok(id) => redirect_flash(&format!("/projects/{id}"), true, auth.lang.pick("申报草稿已保存。", "Draft saved.")),
        Err(Ok(errors)) => {
            let ctx = Ctx::new(&st, &auth, "new").await;
            form_page(&st, &ctx, None, data, errors)
        }
        Err(Err(e)) => error_page(e, auth.lang),
    }
}

pub async fn edit_form(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>) -> Response {
    match st.store.application_input(auth.actor(), id).await {
        Ok((input, version)) => {
            let ctx = Ctx::new(&st, &auth, "projects").await;
            form_page(&st, &ctx, Some((id, version)), FormData::from_input(&input), vec![])
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
    let data = FormData::from_form(&form);
    let result = match data.to_input(auth.lang) {
        Ok(input) => {
            st.store.update_draft(auth.actor(), &auth.client, id, input, version).await.map_err(|e| store_field_errors(e, auth.lang))
        }
        Err(errors) => Err(Ok(errors)),
    };
    match result {
        Ok(_) => redirect_flash(&format!("/projects/{id}"), true, auth.lang.pick("草稿已更新。", "Draft updated.")),
        Err(Ok(errors)) => {
            let ctx = Ctx::new(&st, &auth, "projects").await;
            form_page(&st, &ctx, Some((id, version.unwrap_or(0))), data, errors)
        }
        Err(Err(e)) => back_with_error(&format!("/projects/{id}"), e),
    }
}
