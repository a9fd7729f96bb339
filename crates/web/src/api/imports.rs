//! Importing the inventory and the capability catalog from Excel, CSV or JSON Lines, in two steps:
//! upload (the file is read and checked in the background; progress is kept in the database, so
//! any app server can report it) → confirm (everything is written in one transaction, or nothing).

use super::inventory::store_err;
use crate::error::{AppError, FieldMessage};
use crate::extract::ApiAuth;
use crate::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::time::Duration;
use tongchou_domain::import::{Col, ImportKind, ImportSummary};
use tongchou_domain::{Actor, Lang};
use tongchou_store::imports::ImportState;

/// Start checking an uploaded file: the import's token at once, the check in a task of its own
/// (it goes on if the client leaves), whose handle is returned for callers that want to wait.
pub async fn start(
    st: &AppState,
    actor: &Actor,
    kind: ImportKind,
    filename: String,
    bytes: Vec<u8>,
    lang: Lang,
) -> Result<(String, tokio::task::JoinHandle<()>), AppError> {
    let token = st.store.begin_import(actor, kind, &filename).await.map_err(store_err(lang))?;
    let store = st.store.clone();
    let t = token.clone();
    let handle = tokio::spawn(async move {
        let parsed = tokio::task::spawn_blocking(move || crate::tabular::read(&filename, &bytes)).await;
        let outcome = match parsed {
            Ok(Ok(table)) => store.validate_import(&t, kind, table).await.map(|_| ()),
            Ok(Err(problem)) => store.fail_import(&t, kind, problem).await,
            Err(e) => {
                let p = tongchou_domain::import::ImportProblem {
                    column: String::new(),
                    zh: format!("读取文件时出错:{e}"),
                    en: format!("Reading the file failed: {e}"),
                };
                store.fail_import(&t, kind, p).await
            }
        };
        if let Err(e) = outcome {
            tracing::error!(token = %t, error = %e, "import check failed");
        }
    });
    Ok((token, handle))
}

pub fn parse_kind(raw: &str, lang: Lang) -> Result<ImportKind, AppError> {
    ImportKind::parse(raw.trim()).ok_or_else(|| {
        AppError::validation(
            lang,
            vec![FieldMessage {
                field: "kind".into(),
                message: lang.pick("应为 systems 或 capabilities", "Use systems or capabilities").into(),
            }],
        )
    })
}

/// Upload a file to import (reviewer): multipart with `file` (.xlsx, .csv, .jsonl) and `kind`
/// (`systems` or `capabilities`). Answers 201 with the report when the check finished within a
/// few seconds, else 202 with the token: poll `GET /api/v1/imports/{token}`. Nothing is written
/// until the import is confirmed.
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports",
    request_body(content_type = "multipart/form-data", content = String, description = "parts: file, kind (systems | capabilities)"),
    responses((status = 201, body = ImportState), (status = 202, body = ImportState), (status = 403, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn upload(State(st): State<AppState>, auth: ApiAuth, mp: Multipart) -> Result<(StatusCode, Json<ImportState>), AppError> {
    let (kind, filename, _, bytes, _) = super::projects::read_upload(mp, auth.lang, st.store.settings.upload.max_bytes).await?;
    let kind = parse_kind(&kind, auth.lang)?;
    let (token, handle) = start(&st, auth.actor(), kind, filename, bytes, auth.lang).await?;
    let finished = tokio::time::timeout(Duration::from_secs(20), handle).await.is_ok();
    let state = st.store.import_state(auth.actor(), &token).await.map_err(store_err(auth.lang))?;
    Ok((if finished { StatusCode::CREATED } else { StatusCode::ACCEPTED }, Json(state)))
}

/// An import's progress (`processed_rows` of `total_rows`) and, once checked, its report.
#[utoipa::path(get, path = "/api/v1/imports/{token}", tag = "imports", params(("token" = String, Path)),
    responses((status = 200, body = ImportState), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_state(State(st): State<AppState>, auth: ApiAuth, Path(token): Path<String>) -> Result<Json<ImportState>, AppError> {
    Ok(Json(st.store.import_state(auth.actor(), &token).await.map_err(store_err(auth.lang))?))
}

/// Confirm a checked import: every row is written in one transaction with its audit event.
/// Refused (409) while rows have errors, after expiry, or when a record changed since the check.
#[utoipa::path(post, path = "/api/v1/imports/{token}/confirm", tag = "imports", params(("token" = String, Path)),
    responses((status = 200, body = ImportSummary), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn confirm(State(st): State<AppState>, auth: ApiAuth, Path(token): Path<String>) -> Result<Json<ImportSummary>, AppError> {
    Ok(Json(st.store.confirm_import(auth.actor(), &auth.client, &token).await.map_err(store_err(auth.lang))?))
}

/// The import template of `kind` as an Excel file: the headers, one example row, and a sheet that
/// explains each column and its English alias.
pub fn template_bytes(kind: ImportKind, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let cols = Col::template(kind);
    let example: Vec<&str> = match kind {
        ImportKind::Systems => vec![
            "YZ-JYJ-001",
            "教育统一身份认证系统",
            "市教育局",
            "云数信息运维服务有限公司",
            "全市中小学师生统一登录",
            "单点登录；用户管理；权限管理",
            "在用",
            "3",
            "政务云",
            "2019-09-01",
            "35.5",
        ],
        ImportKind::Capabilities => {
            vec!["CAP-IAM", "统一身份认证平台", "全市统一身份认证与单点登录服务", "市大数据局", "OAuth2 接口", "是", "YZ-JYJ-001"]
        }
    };
    let notes: Vec<&str> = match kind {
        ImportKind::Systems => vec![
            "必填,唯一;已存在的代码将更新该系统(文件中有的列覆盖,没有的列保留)",
            "新增时必填",
            "新增时必填;填写系统中已有的单位名称或单位代码",
            "",
            "",
            "多个模块用 ；; 、 或换行分隔;有此列时整体替换原有模块",
            "在用 / 停用 / 淘汰(默认在用)",
            "0–5,0 表示未定级;也可写“三级”",
            "政务云 / 自建机房 / 其他",
            "如 2021-06-30",
            "单位:万元,如 35.5",
        ],
        ImportKind::Capabilities => vec![
            "必填,唯一;已存在的代码将更新该能力",
            "新增时必填",
            "",
            "",
            "API / SDK / 页面嵌入…",
            "是 / 否(默认是)",
            "使用该能力的系统代码或名称,用 ；; 、 分隔",
        ],
    };
    let ws = wb.add_worksheet();
    ws.set_name(lang.pick("导入模板", "Template"))?;
    for (c, col) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, col.label(Lang::Zh), &bold)?;
        ws.write_string(1, c as u16, example.get(c).copied().unwrap_or(""))?;
        ws.set_column_width(c as u16, 18.0)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let help = wb.add_worksheet();
    help.set_name(lang.pick("填写说明", "How to fill in"))?;
    for (c, h) in [lang.pick("列名", "Column"), lang.pick("英文别名", "English alias"), lang.pick("说明", "Notes")].iter().enumerate()
    {
        help.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, col) in cols.iter().enumerate() {
        help.write_string(r as u32 + 1, 0, col.label(Lang::Zh))?;
        help.write_string(r as u32 + 1, 1, col.label(Lang::En))?;
        help.write_string(r as u32 + 1, 2, notes.get(r).copied().unwrap_or(""))?;
    }
    help.set_column_width(0, 18.0)?;
    help.set_column_width(1, 16.0)?;
    help.set_column_width(2, 70.0)?;
    wb.save_to_buffer()
}

/// Download the import template of `kind` (`systems` or `capabilities`).
#[utoipa::path(get, path = "/api/v1/imports/templates/{kind}", tag = "imports", params(("kind" = String, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
pub async fn template(auth: ApiAuth, Path(kind): Path<String>) -> Result<Response, AppError> {
    let kind = parse_kind(kind.trim_end_matches(".xlsx"), auth.lang)?;
    let bytes = template_bytes(kind, auth.lang).map_err(|e| AppError::internal(&e.to_string(), auth.lang))?;
    let name = format!("{}{}", kind.label(auth.lang), auth.lang.pick("导入模板.xlsx", " import template.xlsx"));
    Ok(super::export::xlsx_response(bytes, &name).into_response())
}
