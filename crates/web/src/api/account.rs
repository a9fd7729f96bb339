//! Sign-in, sign-out, the caller's profile, password and personal API tokens.

use crate::error::AppError;
use crate::extract::{client_addr, ApiAuth, ApiJson, SESSION_COOKIE};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongchou_domain::{Lang, Role};
use tongchou_store::auth::{LoginError, SessionKind, TokenInfo};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginOutput {
    /// Bearer token for the API (also set as the session cookie).
    pub token: String,
    /// Send this in `X-CSRF-Token` on writes that authenticate with the cookie.
    pub csrf: String,
    pub expires_at: i64,
    pub user: MeOutput,
}

#[derive(Serialize, ToSchema)]
pub struct MeOutput {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    pub department: String,
    pub roles: Vec<Role>,
}

impl From<&tongchou_domain::Actor> for MeOutput {
    fn from(a: &tongchou_domain::Actor) -> Self {
        MeOutput {
            id: a.id,
            username: a.username.clone(),
            display_name: a.display_name.clone(),
            department_id: a.department_id,
            department: a.department_name.clone(),
            roles: a.roles.clone(),
        }
    }
}

pub fn session_cookie(token: &str, secure: bool, max_age_s: i64) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{}", if secure { "; Secure" } else { "" })
}

/// The message a failed sign-in shows (never says whether the user exists).
pub fn login_error(e: LoginError, lang: Lang) -> AppError {
    match e {
        LoginError::BadCredentials => {
            AppError::new(StatusCode::UNAUTHORIZED, "unauthenticated", lang.pick("用户名或密码错误", "Wrong username or password"))
        }
        LoginError::Locked { until_ms } => {
            let minutes = ((until_ms - time::OffsetDateTime::now_utc().unix_timestamp() * 1000) / 60_000).max(1);
            AppError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                match lang {
                    Lang::Zh => format!("密码连续错误次数过多,账户已锁定,请约 {minutes} 分钟后再试"),
                    Lang::En => format!("Too many wrong passwords: the account is locked; try again in about {minutes} minutes"),
                },
            )
            .with_rule("auth.lockout")
        }
        LoginError::Store(e) => AppError::from_store(e, lang),
    }
}

/// Sign in with username and password.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginInput, security(()),
    responses((status = 200, body = LoginOutput), (status = 401, body = crate::error::ErrorBody)))]
pub async fn login(State(st): State<AppState>, parts: Parts, ApiJson(input): ApiJson<LoginInput>) -> Result<Response, AppError> {
    let lang = crate::extract::api_lang(&parts);
    let ok = st
        .store
        .login(input.username.trim(), &input.password, &client_addr(&parts), SessionKind::Browser)
        .await
        .map_err(|e| login_error(e, lang))?;
    let max_age = (ok.session.expires_at - st.store.now()) / 1000;
    let cookie = session_cookie(&ok.token, st.store.settings.server.secure_cookies, max_age);
    let body = LoginOutput {
        token: ok.token,
        csrf: ok.session.csrf.clone(),
        expires_at: ok.session.expires_at,
        user: MeOutput::from(&*ok.session.actor),
    };
    Ok(([(header::SET_COOKIE, cookie)], Json(body)).into_response())
}

/// End the current session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(State(st): State<AppState>, auth: ApiAuth) -> Result<Response, AppError> {
    st.store.logout(&auth.session.token_hash).await.map_err(|e| AppError::from_store(e, auth.lang))?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, session_cookie("", false, 0))]).into_response())
}

/// Who am I.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, body = MeOutput), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(auth: ApiAuth) -> Json<MeOutput> {
    Json(MeOutput::from(auth.actor()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordInput {
    pub old_password: String,
    pub new_password: String,
}

/// Change one's password; other browser sessions end.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth", request_body = PasswordInput,
    responses((status = 204), (status = 422, body = crate::error::ErrorBody)))]
pub async fn change_password(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiJson(input): ApiJson<PasswordInput>,
) -> Result<StatusCode, AppError> {
    st.store
        .change_password(auth.actor(), &input.old_password, &input.new_password, &auth.client, &auth.session.token_hash)
        .await
        .map_err(|e| AppError::from_store(e, auth.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// One's personal API tokens (secrets are never shown again).
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "auth", responses((status = 200, body = Vec<TokenInfo>)))]
pub async fn list_tokens(State(st): State<AppState>, auth: ApiAuth) -> Result<Json<Vec<TokenInfo>>, AppError> {
    Ok(Json(st.store.tokens(auth.actor()).await.map_err(|e| AppError::from_store(e, auth.lang))?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct NewToken {
    /// The secret, shown once.
    pub token: String,
    #[serde(flatten)]
    pub info: TokenInfo,
}

/// Create a personal API token for integrations.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "auth", request_body = TokenInput, responses((status = 201, body = NewToken)))]
pub async fn create_token(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiJson(input): ApiJson<TokenInput>,
) -> Result<(StatusCode, Json<NewToken>), AppError> {
    let (token, info) =
        st.store.create_token(auth.actor(), &input.name, &auth.client).await.map_err(|e| AppError::from_store(e, auth.lang))?;
    Ok((StatusCode::CREATED, Json(NewToken { token, info })))
}

/// Revoke one of one's tokens.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "auth", params(("id" = String, Path)), responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn revoke_token(State(st): State<AppState>, auth: ApiAuth, Path(id): Path<String>) -> Result<StatusCode, AppError> {
    st.store.revoke_token(auth.actor(), &id, &auth.client).await.map_err(|e| AppError::from_store(e, auth.lang))?;
    Ok(StatusCode::NO_CONTENT)
}
