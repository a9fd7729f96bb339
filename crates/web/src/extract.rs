//! Extractors: who is calling (authentication), in which language, from where, and a JSON body
//! parser whose errors name the field. Authorisation happens at the call site, not here.
// Extractor rejections are axum responses (128 bytes) by design.
#![allow(clippy::result_large_err)]

use crate::error::{AppError, FieldMessage};
use crate::AppState;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use tongchou_domain::{Actor, Lang};
use tongchou_store::auth::Session;

pub const SESSION_COOKIE: &str = "tc_session";
pub const LANG_COOKIE: &str = "tc_lang";

/// The API's language: `Accept-Language`, English only when it is the first preference.
pub struct ApiLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ApiLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiLang(api_lang(parts)))
    }
}

pub fn api_lang(parts: &Parts) -> Lang {
    Lang::from_accept_language(parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

/// A page's language: `?lang=`, else the cookie, else zh-CN. Never `Accept-Language`.
pub fn page_lang(parts: &Parts) -> Lang {
    let from_query = parts.uri.query().and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang=")).and_then(Lang::from_code));
    from_query.or_else(|| cookie(parts, LANG_COOKIE).and_then(|c| Lang::from_code(&c))).unwrap_or_default()
}

pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts.headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

pub fn client_addr(parts: &Parts) -> String {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_default()
}

fn bearer(parts: &Parts) -> Option<String> {
    let v = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let t = v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer "))?;
    Some(t.trim().to_string())
}

/// An authenticated API caller. Bearer token or session cookie; a cookie-authenticated write
/// must carry the session's CSRF token in `X-CSRF-Token`.
pub struct ApiAuth {
    pub session: Session,
    pub lang: Lang,
    pub client: String,
}

impl ApiAuth {
    pub fn actor(&self) -> &Actor {
        &self.session.actor
    }
}

impl FromRequestParts<AppState> for ApiAuth {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, AppError> {
        let lang = api_lang(parts);
        let (token, via_cookie) = match bearer(parts) {
            Some(t) => (t, false),
            None => (cookie(parts, SESSION_COOKIE).ok_or_else(|| AppError::unauthenticated(lang))?, true),
        };
        let session =
            st.store.session(&token).await.map_err(|e| AppError::from_store(e, lang))?.ok_or_else(|| AppError::unauthenticated(lang))?;
        if via_cookie && !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if sent != session.csrf {
                return Err(AppError::forbidden(lang.pick("缺少或错误的 CSRF 令牌", "Missing or wrong CSRF token").into(), "auth.csrf"));
            }
        }
        Ok(ApiAuth { session, lang, client: client_addr(parts) })
    }
}

/// A signed-in page visitor; anyone else is sent to the sign-in page.
pub struct PageAuth {
    pub session: Session,
    pub token: String,
    pub lang: Lang,
    pub client: String,
    pub path: String,
    /// A message left by the previous request's redirect (ok?, text).
    pub flash: Option<(bool, String)>,
}

impl PageAuth {
    pub fn actor(&self) -> &Actor {
        &self.session.actor
    }

    /// Forms carry the session's CSRF token; a mismatch is refused.
    pub fn check_csrf(&self, sent: &str) -> Result<(), AppError> {
        if sent == self.session.csrf {
            Ok(())
        } else {
            Err(AppError::forbidden(
                self.lang
                    .pick("表单已失效(CSRF 校验失败),请刷新页面后重试", "The form expired (CSRF check failed); reload and try again")
                    .into(),
                "auth.csrf",
            ))
        }
    }
}

pub struct LoginRedirect(pub String);

impl axum::response::IntoResponse for LoginRedirect {
    fn into_response(self) -> axum::response::Response {
        let next: String = percent_encoding::utf8_percent_encode(&self.0, percent_encoding::NON_ALPHANUMERIC).to_string();
        axum::response::Redirect::to(&format!("/login?next={next}")).into_response()
    }
}

impl FromRequestParts<AppState> for PageAuth {
    type Rejection = axum::response::Response;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let lang = page_lang(parts);
        let path = parts.uri.path_and_query().map(|p| p.to_string()).unwrap_or_else(|| "/".into());
        let Some(token) = cookie(parts, SESSION_COOKIE) else {
            return Err(LoginRedirect(path).into_response());
        };
        match st.store.session(&token).await {
            Ok(Some(session)) => {
                let flash = cookie(parts, crate::pages::FLASH_COOKIE).and_then(|f| crate::pages::parse_flash(&f));
                Ok(PageAuth { session, token, lang, client: client_addr(parts), path, flash })
            }
            Ok(None) => Err(LoginRedirect(path).into_response()),
            Err(e) => Err(crate::pages::error_page(AppError::from_store(e, lang), lang)),
        }
    }
}

/// A JSON body: 415 without a JSON content type, 400 when it is not JSON, 422 naming the field
/// when a value has the wrong type or an unknown name.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, st: &S) -> Result<Self, AppError> {
        let (parts, body) = req.into_parts();
        let lang = api_lang(&parts);
        let ct = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        check_json_type(&ct, lang)?;
        let bytes = axum::body::Bytes::from_request(Request::from_parts(parts, body), st).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", lang.pick("请求体过大", "The request body is too large"))
            } else {
                AppError::bad_request(lang, &e.body_text())
            }
        })?;
        parse_json(&bytes, lang).map(ApiJson)
    }
}

fn check_json_type(ct: &str, lang: Lang) -> Result<(), AppError> {
    if ct.starts_with("application/json") || ct.contains("+json") {
        Ok(())
    } else {
        Err(AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            lang.pick("请求体必须是 JSON(Content-Type: application/json)", "The body must be JSON (Content-Type: application/json)"),
        ))
    }
}

/// An optional JSON body: empty means `T::default()`.
pub fn optional_json<T: DeserializeOwned + Default>(headers: &axum::http::HeaderMap, bytes: &[u8], lang: Lang) -> Result<T, AppError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(T::default());
    }
    check_json_type(headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or(""), lang)?;
    parse_json(bytes, lang)
}

/// Parse JSON: 400 when it is not JSON, 422 naming the field when a value is wrong.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8], lang: Lang) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize(de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_data() {
                let field = if path == "." { "body".to_string() } else { path };
                Err(AppError::validation(
                    lang,
                    vec![FieldMessage {
                        field,
                        message: format!("{}{}", lang.pick("取值无效:", "Invalid value: "), strip_position(&inner.to_string())),
                    }],
                ))
            } else {
                Err(AppError::bad_request(lang, &inner.to_string()))
            }
        }
    }
}

/// serde's messages end in " at line 1 column 42": useless to a clerk.
fn strip_position(s: &str) -> String {
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}
