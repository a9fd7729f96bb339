//! The sign-in page and sign-out.

use super::{form_map, render, Ctx};
use crate::api::account::{login_error, session_cookie};
use crate::extract::{client_addr, page_lang, PageAuth, LANG_COOKIE};
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tongchou_domain::Role;
use tongchou_store::auth::SessionKind;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    ctx: &'a Ctx,
    next: String,
    username: String,
    demo_users: Vec<(String, String)>,
}

#[derive(serde::Deserialize)]
pub struct Next {
    next: Option<String>,
}

fn safe_next(next: Option<&str>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/login")).unwrap_or("/todo").to_string()
}

fn demo_users(st: &AppState, ctx: &Ctx) -> Vec<(String, String)> {
    if !st.demo {
        return vec![];
    }
    let mut v: Vec<(String, String)> = Role::ALL.iter().map(|r| (r.code().to_string(), r.label(ctx.lang).to_string())).collect();
    for (u, r, note) in [
        ("dept_staff2", Role::DeptStaff, "2"),
        ("dept_head2", Role::DeptHead, "2"),
        ("contractor2", Role::Contractor, "2"),
        ("expert2", Role::Expert, "2"),
    ] {
        v.push((u.into(), format!("{} {note}", r.label(ctx.lang))));
    }
    v
}

pub async fn login_page(State(st): State<AppState>, parts: Parts, Query(n): Query<Next>) -> Response {
    let ctx = Ctx::anonymous(page_lang(&parts), parts.uri.path());
    let page = LoginPage { ctx: &ctx, next: safe_next(n.next.as_deref()), username: String::new(), demo_users: demo_users(&st, &ctx) };
    render(&page, &ctx)
}

pub async fn login_post(State(st): State<AppState>, parts: Parts, body: Bytes) -> Response {
    let form = form_map(&body);
    let lang = page_lang(&parts);
    let username = super::field(&form, "username").trim().to_string();
    let next = safe_next(form.get("next").map(String::as_str));
    match st.store.login(&username, super::field(&form, "password"), &client_addr(&parts), SessionKind::Browser).await {
        Ok(ok) => {
            let max_age = (ok.session.expires_at - st.store.now()) / 1000;
            let cookie = session_cookie(&ok.token, st.store.settings.server.secure_cookies, max_age);
            let mut resp = (StatusCode::SEE_OTHER, [(header::LOCATION, next)]).into_response();
            if let Ok(v) = cookie.parse() {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            if let Ok(v) = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code()).parse() {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            resp
        }
        Err(e) => {
            let err = login_error(e, lang);
            let mut ctx = Ctx::anonymous(lang, "/login");
            ctx.error = Some(err.body.message.clone());
            let page = LoginPage { ctx: &ctx, next, username, demo_users: demo_users(&st, &ctx) };
            let mut resp = render(&page, &ctx);
            *resp.status_mut() = err.status;
            resp
        }
    }
}

pub async fn logout(State(st): State<AppState>, auth: PageAuth, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(super::field(&form, "csrf")) {
        return super::error_page(e, auth.lang);
    }
    let _ = st.store.logout(&auth.session.token_hash).await;
    (StatusCode::SEE_OTHER, [(header::LOCATION, "/login".to_string()), (header::SET_COOKIE, session_cookie("", false, 0))]).into_response()
}
