//! The forms of the project page's 查重 section: a decision per module, overrides of 禁止类
//! policy-catalog matches, and the shared capabilities a draft declares.

use super::{back_with_error, error_page, field, redirect_flash};
use crate::extract::PageAuth;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use tongchou_domain::overlap::{Decision, DecisionInput};

use crate::error::{AppError, FieldMessage};

pub async fn decide(State(st): State<AppState>, auth: PageAuth, Path((id, module_id)): Path<(i64, i64)>, body: Bytes) -> Response {
    let form = super::form_map(&body);
    let back = format!("/projects/{id}#module-{module_id}");
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    let Some(decision) = Decision::parse(field(&form, "decision")) else {
        let message = auth.lang.pick("请选择处理方式", "Choose a decision").to_string();
        return back_with_error(&back, AppError::validation(auth.lang, vec![FieldMessage { field: "decision".into(), message }]));
    };
    let input = DecisionInput { decision, target: field(&form, "target").into(), reason: field(&form, "reason").into() };
    match st.store.decide_module(auth.actor(), &auth.client, id, module_id, input, auth.lang).await {
        Ok(_) => redirect_flash(&back, true, auth.lang.pick("模块处理意见已保存。", "Module decision saved.")),
        Err(e) => back_with_error(&back, AppError::from_store(e, auth.lang)),
    }
}

pub async fn override_rule(State(st): State<AppState>, auth: PageAuth, Path((id, rule_id)): Path<(i64, i64)>, body: Bytes) -> Response {
    let form = super::form_map(&body);
    let back = format!("/projects/{id}#directory");
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    match st.store.override_directory_rule(auth.actor(), &auth.client, id, rule_id, field(&form, "reason"), auth.lang).await {
        Ok(_) => redirect_flash(&back, true, auth.lang.pick("已说明理由并豁免该禁止类规则。", "Override recorded.")),
        Err(e) => back_with_error(&back, AppError::from_store(e, auth.lang)),
    }
}

/// Checkboxes `capability` (repeated) → the declared list.
pub async fn declare(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, body: Bytes) -> Response {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let back = format!("/projects/{id}#capabilities");
    let csrf = pairs.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("");
    if let Err(e) = auth.check_csrf(csrf) {
        return error_page(e, auth.lang);
    }
    let ids: Vec<i64> = pairs.iter().filter(|(k, _)| k == "capability").filter_map(|(_, v)| v.parse().ok()).collect();
    match st.store.declare_capabilities(auth.actor(), &auth.client, id, &ids).await {
        Ok(_) => redirect_flash(&back, true, auth.lang.pick("拟使用的共性服务能力已保存。", "Declared capabilities saved.")),
        Err(e) => back_with_error(&back, AppError::from_store(e, auth.lang)),
    }
}
