//! Projects: list, read, draft, edit, lifecycle actions, review, experts, attachments, to-do.

use super::{parse_id, ApiQuery};
use crate::error::AppError;
use crate::extract::{ApiAuth, ApiJson};
use crate::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongchou_domain::application::ApplicationInput;
use tongchou_domain::review::{OpinionInput, ReviewInput};
use tongchou_domain::{Action, Lang, State as PState};
use tongchou_store::projects::{ActInput, ListQuery, Page, ProjectDetail, ProjectSummary, SortKey};
use tongchou_store::todo::TodoItem;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Search in name, code and department name.
    pub q: Option<String>,
    pub state: Option<PState>,
    pub year: Option<i64>,
    #[param(value_type = Option<String>)]
    pub category: Option<tongchou_domain::application::Category>,
    pub department_id: Option<i64>,
    #[param(value_type = Option<String>)]
    pub sort: Option<SortKey>,
    /// `asc` or `desc` (default `desc` for `updated`, else `asc`).
    pub order: Option<String>,
    /// From 1.
    pub page: Option<i64>,
    /// At most 200; default 20.
    pub page_size: Option<i64>,
}

impl ListParams {
    pub fn to_query(&self, lang: Lang) -> Result<ListQuery, AppError> {
        let page_size = self.page_size.unwrap_or(20);
        if !(1..=200).contains(&page_size) {
            return Err(field_error(lang, "page_size", lang.pick("每页条数应在 1 到 200 之间", "page_size must be between 1 and 200")));
        }
        let page = self.page.unwrap_or(1);
        if page < 1 {
            return Err(field_error(lang, "page", lang.pick("页码从 1 开始", "page starts at 1")));
        }
        let sort = self.sort.unwrap_or_default();
        let desc = match self.order.as_deref() {
            None | Some("") => sort == SortKey::Updated,
            Some("desc") => true,
            Some("asc") => false,
            Some(_) => return Err(field_error(lang, "order", lang.pick("排序方向应为 asc 或 desc", "order must be asc or desc"))),
        };
        Ok(ListQuery {
            q: self.q.clone().filter(|q| q.chars().count() <= 100),
            state: self.state,
            year: self.year,
            category: self.category.map(|c| c.code().to_string()),
            department_id: self.department_id,
            sort,
            desc,
            page,
            page_size,
        })
    }
}

fn field_error(lang: Lang, field: &str, message: &str) -> AppError {
    AppError::validation(lang, vec![crate::error::FieldMessage { field: field.into(), message: message.into() }])
}

fn store_err(lang: Lang) -> impl Fn(tongchou_store::StoreError) -> AppError {
    move |e| AppError::from_store(e, lang)
}

/// Projects visible to the caller, with search, filters, sorting and paging.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", params(ListParams),
    responses((status = 200, body = Page<ProjectSummary>), (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<Page<ProjectSummary>>, AppError> {
    let q = p.to_query(auth.lang)?;
    Ok(Json(st.store.list_projects(auth.actor(), &q).await.map_err(store_err(auth.lang))?))
}

/// One project with modules, budget lines, review, experts, attachments, history and the actions
/// the caller's roles could take.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = ProjectDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(State(st): State<AppState>, auth: ApiAuth, Path(id): Path<String>) -> Result<Json<ProjectDetail>, AppError> {
    let id = parse_id(&id, auth.lang)?;
    Ok(Json(st.store.project_detail(auth.actor(), id).await.map_err(store_err(auth.lang))?))
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Create a draft application in the caller's department.
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = ApplicationInput,
    responses((status = 201, body = Created), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiJson(input): ApiJson<ApplicationInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = st.store.create_draft(auth.actor(), &auth.client, input).await.map_err(store_err(auth.lang))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateInput {
    #[serde(flatten)]
    pub application: ApplicationInput,
}

#[derive(Serialize, ToSchema)]
pub struct Versioned {
    pub version: i64,
}

/// Replace a draft's content. `If-Match: <version>` guards against overwriting someone else's edit.
#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "projects", request_body = ApplicationInput, params(("id" = i64, Path), ("If-Match" = Option<i64>, Header)),
    responses((status = 200, body = Versioned), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    ApiJson(input): ApiJson<ApplicationInput>,
) -> Result<Json<Versioned>, AppError> {
    let id = parse_id(&id, auth.lang)?;
    let expected = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim_matches('"').parse().ok());
    let version = st.store.update_draft(auth.actor(), &auth.client, id, input, expected).await.map_err(store_err(auth.lang))?;
    Ok(Json(Versioned { version }))
}

/// Take a lifecycle action: `submit`, `accept`, `return`, `forward`, `approve`, `reject`,
/// `withdraw`, and the later steps of the lifecycle. A refusal names its rule.
#[utoipa::path(post, path = "/api/v1/projects/{id}/actions/{action}", tag = "projects", request_body(content = Option<ActInput>),
    params(("id" = i64, Path), ("action" = String, Path, description = "snake_case action name")),
    responses((status = 200, body = ProjectSummary), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn act(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path((id, action)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<ProjectSummary>, AppError> {
    let id = parse_id(&id, auth.lang)?;
    let action = Action::parse(&action).ok_or_else(|| {
        let known: Vec<&str> = Action::ALL.iter().map(|a| a.code()).collect();
        field_error(auth.lang, "action", &format!("{}{}", auth.lang.pick("未知操作,可用:", "Unknown action; known: "), known.join(", ")))
    })?;
    let input: ActInput = crate::extract::optional_json(&headers, &body, auth.lang)?;
    Ok(Json(st.store.act(auth.actor(), &auth.client, id, action, &input).await.map_err(store_err(auth.lang))?))
}

/// Record or revise the feasibility review (reviewer, while under review).
#[utoipa::path(put, path = "/api/v1/projects/{id}/review", tag = "projects", request_body = ReviewInput, params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn review(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReviewInput>,
) -> Result<StatusCode, AppError> {
    let id = parse_id(&id, auth.lang)?;
    st.store.record_review(auth.actor(), &auth.client, id, &input).await.map_err(store_err(auth.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteInput {
    pub expert_id: i64,
    /// false withdraws the invitation.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// Invite an expert to give a scored opinion (or withdraw the invitation).
#[utoipa::path(post, path = "/api/v1/projects/{id}/experts", tag = "projects", request_body = InviteInput, params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn invite(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<InviteInput>,
) -> Result<StatusCode, AppError> {
    let id = parse_id(&id, auth.lang)?;
    st.store.set_invitation(auth.actor(), &auth.client, id, input.expert_id, input.active).await.map_err(store_err(auth.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// An invited expert's scored opinion.
#[utoipa::path(put, path = "/api/v1/projects/{id}/opinion", tag = "projects", request_body = OpinionInput, params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn opinion(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<OpinionInput>,
) -> Result<StatusCode, AppError> {
    let id = parse_id(&id, auth.lang)?;
    st.store.give_opinion(auth.actor(), &auth.client, id, &input).await.map_err(store_err(auth.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Read a multipart upload: the `file` part and an optional `kind` text part.
pub async fn read_upload(
    mut mp: Multipart,
    lang: Lang,
    max: u64,
) -> Result<(String, String, String, Vec<u8>, std::collections::HashMap<String, String>), AppError> {
    let mut kind = String::new();
    let mut file: Option<(String, String, Vec<u8>)> = None;
    let mut other = std::collections::HashMap::new();
    let too_large = || {
        AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            match lang {
                Lang::Zh => format!("文件过大:上限 {} MB", max / 1024 / 1024),
                Lang::En => format!("File too large: the limit is {} MB", max / 1024 / 1024),
            },
        )
    };
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(e) => return Err(AppError::bad_request(lang, &e.body_text())),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let filename = field.file_name().unwrap_or("").to_string();
            let ct = field.content_type().unwrap_or("application/octet-stream").to_string();
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    AppError::bad_request(lang, &e.body_text())
                }
            })?;
            if bytes.len() as u64 > max {
                return Err(too_large());
            }
            file = Some((filename, ct, bytes.to_vec()));
        } else {
            let text = field.text().await.map_err(|e| AppError::bad_request(lang, &e.body_text()))?;
            if name == "kind" {
                kind = text;
            } else {
                other.insert(name, text);
            }
        }
    }
    let (filename, ct, bytes) =
        file.ok_or_else(|| field_error(lang, "file", lang.pick("请选择要上传的文件", "Choose a file to upload")))?;
    Ok((kind, filename, ct, bytes, other))
}

/// Attach a document (可研报告, 方案…) to a draft: multipart with `file` and `kind`.
#[utoipa::path(post, path = "/api/v1/projects/{id}/attachments", tag = "projects", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", content = String, description = "parts: file, kind"),
    responses((status = 201, body = Created), (status = 413, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn upload(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<String>,
    mp: Multipart,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = parse_id(&id, auth.lang)?;
    let (kind, filename, ct, bytes, _) = read_upload(mp, auth.lang, st.store.settings.upload.max_bytes).await?;
    let kind = if kind.trim().is_empty() { auth.lang.pick("其他", "other").to_string() } else { kind };
    let aid = st.store.add_attachment(auth.actor(), &auth.client, id, &kind, &filename, &ct, &bytes).await.map_err(store_err(auth.lang))?;
    Ok((StatusCode::CREATED, Json(Created { id: aid })))
}

pub fn attachment_response(row: &tongchou_store::projects::AttachmentRow, bytes: Vec<u8>) -> Response {
    let encoded = percent_encoding::utf8_percent_encode(&row.filename, percent_encoding::NON_ALPHANUMERIC).to_string();
    (
        [
            (header::CONTENT_TYPE, row.content_type.clone()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename*=UTF-8''{encoded}")),
            (header::HeaderName::from_static("x-content-sha256"), row.sha256.clone()),
        ],
        bytes,
    )
        .into_response()
}

/// Download an attachment.
#[utoipa::path(get, path = "/api/v1/projects/{id}/attachments/{attachment_id}", tag = "projects",
    params(("id" = i64, Path), ("attachment_id" = i64, Path)), responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn download(State(st): State<AppState>, auth: ApiAuth, Path((id, aid)): Path<(String, String)>) -> Result<Response, AppError> {
    let id = parse_id(&id, auth.lang)?;
    let aid = parse_id(&aid, auth.lang)?;
    let (row, bytes) = st.store.attachment(auth.actor(), id, aid).await.map_err(store_err(auth.lang))?;
    Ok(attachment_response(&row, bytes))
}

/// Copy a withdrawn or rejected application as a new draft (new id, no code until submitted).
#[utoipa::path(post, path = "/api/v1/projects/{id}/copy", tag = "projects", params(("id" = i64, Path)), responses((status = 201, body = Created)))]
pub async fn copy(State(st): State<AppState>, auth: ApiAuth, Path(id): Path<String>) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = parse_id(&id, auth.lang)?;
    let new_id = st.store.copy_as_draft(auth.actor(), &auth.client, id).await.map_err(store_err(auth.lang))?;
    Ok((StatusCode::CREATED, Json(Created { id: new_id })))
}

#[derive(Serialize, ToSchema)]
pub struct TodoOutput {
    pub items: Vec<TodoItem>,
    pub total: usize,
}

/// What awaits the caller's action (待办).
#[utoipa::path(get, path = "/api/v1/todo", tag = "projects", responses((status = 200, body = TodoOutput)))]
pub async fn todo(State(st): State<AppState>, auth: ApiAuth) -> Result<Json<TodoOutput>, AppError> {
    let items = st.store.todo(auth.actor()).await.map_err(store_err(auth.lang))?;
    Ok(Json(TodoOutput { total: items.len(), items }))
}
