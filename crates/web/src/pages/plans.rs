//! The annual plan page (年度建设计划).

use super::{back_with_error, error_page, form_map, redirect_flash, render, Ctx};
use crate::error::{AppError, FieldMessage};
use crate::extract::PageAuth;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{Redirect, Response};
use tongchou_domain::policy::{self, Capability};
use tongchou_domain::Fen;
use tongchou_store::plans::PlanView;

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage<'a> {
    ctx: &'a Ctx,
    plan: PlanView,
    years: Vec<i64>,
    can_manage: bool,
}

impl PlanPage<'_> {
    fn ceiling_plain(&self) -> String {
        self.plan.ceiling_fen.map(|c| Fen(c).wan_plain()).unwrap_or_default()
    }
}

pub async fn current(State(st): State<AppState>) -> Redirect {
    Redirect::to(&format!("/plans/{}", st.store.this_year() + 1))
}

pub async fn show(State(st): State<AppState>, auth: PageAuth, Path(year): Path<String>) -> Response {
    let Some(year) = year.parse::<i64>().ok().filter(|y| (2000..=2100).contains(y)) else {
        return error_page(AppError::not_found(auth.lang), auth.lang);
    };
    let plan = match st.store.plan(auth.actor(), year).await {
        Ok(p) => p,
        Err(e) => return error_page(AppError::from_store(e, auth.lang), auth.lang),
    };
    let mut years = st.store.plan_years().await.unwrap_or_default();
    let next = st.store.this_year() as i64 + 1;
    for y in [next, year] {
        if !years.contains(&y) {
            years.push(y);
        }
    }
    years.sort_unstable_by(|a, b| b.cmp(a));
    let ctx = Ctx::new(&st, &auth, "plan").await;
    let page = PlanPage { ctx: &ctx, plan, years, can_manage: policy::can(&auth.actor().roles, Capability::ManagePlanFunds) };
    render(&page, &ctx)
}

pub async fn set_ceiling(State(st): State<AppState>, auth: PageAuth, Path(year): Path<i64>, body: Bytes) -> Response {
    let form = form_map(&body);
    let back = format!("/plans/{year}");
    if let Err(e) = auth.check_csrf(super::field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    let ceiling = match Fen::parse_wan(super::field(&form, "ceiling_wan")) {
        Ok(f) => f,
        Err(e) => {
            return back_with_error(
                &back,
                AppError::validation(auth.lang, vec![FieldMessage { field: "ceiling_wan".into(), message: e.message(auth.lang).into() }]),
            )
        }
    };
    match st.store.set_ceiling(auth.actor(), &auth.client, year, ceiling.0).await {
        Ok(()) => redirect_flash(&back, true, auth.lang.pick("资金上限已设置。", "Ceiling set.")),
        Err(e) => back_with_error(&back, AppError::from_store(e, auth.lang)),
    }
}

pub async fn confirm(State(st): State<AppState>, auth: PageAuth, Path(year): Path<i64>, body: Bytes) -> Response {
    let form = form_map(&body);
    let back = format!("/plans/{year}");
    if let Err(e) = auth.check_csrf(super::field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    match st.store.confirm_plan(auth.actor(), &auth.client, year).await {
        Ok(()) => redirect_flash(&back, true, auth.lang.pick("年度计划已确认并锁定。", "The plan is confirmed and locked.")),
        Err(e) => back_with_error(&back, AppError::from_store(e, auth.lang)),
    }
}
