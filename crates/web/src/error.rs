//! The one error type at the edge: a status, a stable `code`, a message in the caller's language,
//! and optionally the rule that refused and the fields that are wrong. A 500 is logged with a
//! request id and the body shows only that id.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tongchou_domain::lifecycle::RefusalKind;
use tongchou_domain::{Lang, Refusal};
use tongchou_store::StoreError;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldMessage {
    pub field: String,
    pub message: String,
}

/// `{"code", "message"[, "rule"][, "fields"][, "figures"]}`
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldMessage>,
    /// The figures behind a ceiling refusal (分).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub figures: Option<serde_json::Value>,
}

#[derive(Debug, Clone)]
pub struct AppError {
    pub status: StatusCode,
    /// Boxed: handlers return `Result<_, AppError>` everywhere, and the body is large.
    pub body: Box<ErrorBody>,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AppError { status, body: Box::new(ErrorBody { code, message: message.into(), rule: None, fields: vec![], figures: None }) }
    }

    pub fn with_rule(mut self, rule: impl Into<String>) -> Self {
        self.body.rule = Some(rule.into());
        self
    }

    pub fn unauthenticated(lang: Lang) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            lang.pick("请先登录(会话已过期或令牌无效)", "Sign in first (the session expired or the token is invalid)"),
        )
    }

    pub fn not_found(lang: Lang) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", lang.pick("没有找到该记录,或您无权查看", "Not found, or not visible to you"))
    }

    pub fn bad_request(lang: Lang, detail: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", format!("{}{detail}", lang.pick("请求格式错误:", "Malformed request: ")))
    }

    pub fn validation(lang: Lang, fields: Vec<FieldMessage>) -> Self {
        let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", {
            let list: Vec<String> = fields.iter().map(|f| format!("{}: {}", f.field, f.message)).collect();
            format!("{}{}", lang.pick("填写有误,请检查:", "Please correct: "), list.join(lang.pick(";", "; ")))
        });
        e.body.fields = fields;
        e
    }

    pub fn forbidden(message: String, rule: &str) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message).with_rule(rule)
    }

    /// Map a store error to the answer DECISIONS.md fixes, in `lang`.
    pub fn from_store(e: StoreError, lang: Lang) -> Self {
        match e {
            StoreError::NotFound => Self::not_found(lang),
            StoreError::Conflict => Self::new(
                StatusCode::CONFLICT,
                "conflict",
                lang.pick("该记录已被他人修改,请刷新页面后重试", "Someone else changed this record first; reload and try again"),
            ),
            StoreError::Refused(r) => Self::from_refusal(&r, lang),
            StoreError::Forbidden(cap) => Self::forbidden(cap.refusal(lang), cap.rule()),
            StoreError::Invalid(fields) => {
                Self::validation(lang, fields.iter().map(|f| FieldMessage { field: f.field.clone(), message: f.message(lang) }).collect())
            }
            StoreError::Rule(rule, zh, en) => {
                let msg = lang.pick(&zh, &en).to_string();
                let (status, code, field) = match rule {
                    "user.username_unique" | "department.code_unique" => (StatusCode::CONFLICT, "conflict", None),
                    "review.expert_invited" => (StatusCode::FORBIDDEN, "forbidden", None),
                    "auth.old_password" => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("old_password")),
                    "roles.separation_of_duties" => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("roles")),
                    "user.username" => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("username")),
                    "plan.ceiling_below_total" => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("ceiling_fen")),
                    _ => (StatusCode::CONFLICT, "transition_refused", None),
                };
                let mut e = Self::new(status, code, msg.clone()).with_rule(rule);
                if let Some(f) = field {
                    e.body.fields = vec![FieldMessage { field: f.into(), message: msg }];
                }
                e
            }
            StoreError::Db(err) if is_busy(&err) => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                lang.pick("系统繁忙,请稍后重试", "The system is busy; try again in a moment"),
            ),
            other => Self::internal(&other.to_string(), lang),
        }
    }

    pub fn from_refusal(r: &Refusal, lang: Lang) -> Self {
        let msg = r.message(lang);
        let mut e = match r.kind() {
            RefusalKind::Forbidden => Self::new(StatusCode::FORBIDDEN, "forbidden", msg.clone()),
            RefusalKind::TransitionRefused => Self::new(StatusCode::CONFLICT, "transition_refused", msg.clone()),
            RefusalKind::PlanLocked => Self::new(StatusCode::CONFLICT, "plan_locked", msg.clone()),
            RefusalKind::CeilingExceeded => Self::new(StatusCode::CONFLICT, "plan_ceiling_exceeded", msg.clone()),
            RefusalKind::Validation => {
                let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", msg.clone());
                e.body.fields = vec![FieldMessage { field: "comment".into(), message: msg.clone() }];
                e
            }
        }
        .with_rule(r.rule());
        if let Refusal::CeilingExceeded { year, ceiling, planned_total, amount } = r {
            e.body.figures = Some(serde_json::json!({
                "plan_year": year, "ceiling_fen": ceiling.0, "planned_total_fen": planned_total.0, "amount_fen": amount.0,
                "over_by_fen": planned_total.0 + amount.0 - ceiling.0
            }));
        }
        e
    }

    pub fn internal(detail: &str, lang: Lang) -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        tracing::error!(request_id = %id, error = %detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("{}{id}", lang.pick("系统内部错误,请联系管理员并提供编号 ", "Internal error; give the administrator this id: ")),
        )
    }
}

fn is_busy(e: &sqlx_error::Error) -> bool {
    matches!(e, sqlx_error::Error::PoolTimedOut)
}

mod sqlx_error {
    pub use tongchou_store::SqlxError as Error;
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}
