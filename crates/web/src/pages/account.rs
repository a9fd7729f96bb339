//! The account page: profile, password, personal API tokens.

use super::{back_with_error, error_page, field, form_map, redirect_flash, render, Ctx};
use crate::error::AppError;
use crate::extract::PageAuth;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use tongchou_store::auth::TokenInfo;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    ctx: &'a Ctx,
    tokens: Vec<TokenInfo>,
    new_token: Option<String>,
}

async fn page(st: &AppState, auth: &PageAuth, new_token: Option<String>) -> Response {
    let tokens = st.store.tokens(auth.actor()).await.unwrap_or_default();
    let ctx = Ctx::new(st, auth, "account").await;
    render(&AccountPage { ctx: &ctx, tokens, new_token }, &ctx)
}

pub async fn show(State(st): State<AppState>, auth: PageAuth) -> Response {
    page(&st, &auth, None).await
}

pub async fn password(State(st): State<AppState>, auth: PageAuth, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    match st
        .store
        .change_password(auth.actor(), field(&form, "old_password"), field(&form, "new_password"), &auth.client, &auth.session.token_hash)
        .await
    {
        Ok(()) => redirect_flash(
            "/account",
            true,
            auth.lang.pick("密码已修改,其他会话已退出。", "Password changed; other sessions were signed out."),
        ),
        Err(e) => back_with_error("/account", AppError::from_store(e, auth.lang)),
    }
}

pub async fn create_token(State(st): State<AppState>, auth: PageAuth, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    match st.store.create_token(auth.actor(), field(&form, "name"), &auth.client).await {
        Ok((token, _)) => page(&st, &auth, Some(token)).await,
        Err(e) => back_with_error("/account", AppError::from_store(e, auth.lang)),
    }
}

pub async fn revoke_token(State(st): State<AppState>, auth: PageAuth, Path(id): Path<String>, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    match st.store.revoke_token(auth.actor(), &id, &auth.client).await {
        Ok(()) => redirect_flash("/account", true, auth.lang.pick("令牌已吊销。", "Token revoked.")),
        Err(e) => back_with_error("/account", AppError::from_store(e, auth.lang)),
    }
}
