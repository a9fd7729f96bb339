//! Administration pages: users and departments (sysadmin), role grants (secadmin).

use super::projects::DeptOption;
use super::{back_with_error, error_page, field, form_map, redirect_flash, render, Ctx};
use crate::api::admin::{create_department_checked, create_user_checked, DepartmentInput, UserInput};
use crate::error::AppError;
use crate::extract::PageAuth;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use tongchou_domain::policy::{self, Capability};
use tongchou_domain::Role;
use tongchou_store::projects::event_for;
use tongchou_store::users::UserRow;

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage<'a> {
    ctx: &'a Ctx,
    users: Vec<UserRow>,
    departments: Vec<DeptOption>,
    roles: Vec<(&'static str, &'static str)>,
    can_manage: bool,
    can_grant: bool,
}

impl UsersPage<'_> {
    fn has(&self, u: &UserRow, code: &str) -> bool {
        u.roles.split(',').any(|r| r == code)
    }
}

#[derive(Template)]
#[template(path = "departments.html")]
struct DepartmentsPage<'a> {
    ctx: &'a Ctx,
    departments: Vec<DeptOption>,
    can_manage: bool,
}

fn require_admin(auth: &PageAuth) -> Result<(bool, bool), Response> {
    let roles = &auth.actor().roles;
    let (manage, grant) = (policy::can(roles, Capability::ManageUsers), policy::can(roles, Capability::GrantRoles));
    if manage || grant {
        Ok((manage, grant))
    } else {
        Err(error_page(AppError::forbidden(Capability::ManageUsers.refusal(auth.lang), Capability::ManageUsers.rule()), auth.lang))
    }
}

pub async fn users(State(st): State<AppState>, auth: PageAuth) -> Response {
    let (can_manage, can_grant) = match require_admin(&auth) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let users = st.store.users().await.unwrap_or_default();
    let departments = st.store.departments().await.unwrap_or_default().iter().map(DeptOption::from).collect();
    let ctx = Ctx::new(&st, &auth, "admin").await;
    let roles = Role::ALL.iter().map(|r| (r.code(), r.label(ctx.lang))).collect();
    render(&UsersPage { ctx: &ctx, users, departments, roles, can_manage, can_grant }, &ctx)
}

pub async fn create_user(State(st): State<AppState>, auth: PageAuth, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    if !policy::can(&auth.actor().roles, Capability::ManageUsers) {
        return error_page(AppError::forbidden(Capability::ManageUsers.refusal(auth.lang), Capability::ManageUsers.rule()), auth.lang);
    }
    let input = UserInput {
        username: field(&form, "username").into(),
        display_name: field(&form, "display_name").into(),
        department_id: field(&form, "department_id").parse().unwrap_or(0),
        password: field(&form, "password").into(),
    };
    match create_user_checked(&st, auth.actor(), &auth.client, &input).await {
        Ok(_) => redirect_flash(
            "/admin/users",
            true,
            auth.lang.pick("用户已创建,请由安全管理员授予角色。", "User created; the security administrator grants roles."),
        ),
        Err(e) => back_with_error("/admin/users", AppError::from_store(e, auth.lang)),
    }
}

pub async fn set_roles(State(st): State<AppState>, auth: PageAuth, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    if !policy::can(&auth.actor().roles, Capability::GrantRoles) {
        return error_page(AppError::forbidden(Capability::GrantRoles.refusal(auth.lang), Capability::GrantRoles.rule()), auth.lang);
    }
    if id == auth.actor().id {
        return back_with_error(
            "/admin/users",
            AppError::forbidden(auth.lang.pick("不能修改自己的角色", "You cannot change your own roles").into(), "roles.self_grant"),
        );
    }
    let roles: Vec<Role> = Role::ALL.into_iter().filter(|r| form.contains_key(&format!("role_{}", r.code()))).collect();
    match st.store.set_roles(&event_for(auth.actor(), &auth.client, &[Role::Secadmin]), id, &roles).await {
        Ok(()) => redirect_flash("/admin/users", true, auth.lang.pick("角色已更新。", "Roles updated.")),
        Err(e) => back_with_error("/admin/users", AppError::from_store(e, auth.lang)),
    }
}

pub async fn departments(State(st): State<AppState>, auth: PageAuth) -> Response {
    let (can_manage, _) = match require_admin(&auth) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let departments = st.store.departments().await.unwrap_or_default().iter().map(DeptOption::from).collect();
    let ctx = Ctx::new(&st, &auth, "admin").await;
    render(&DepartmentsPage { ctx: &ctx, departments, can_manage }, &ctx)
}

pub async fn create_department(State(st): State<AppState>, auth: PageAuth, body: Bytes) -> Response {
    let form = form_map(&body);
    if let Err(e) = auth.check_csrf(field(&form, "csrf")) {
        return error_page(e, auth.lang);
    }
    if !policy::can(&auth.actor().roles, Capability::ManageUsers) {
        return error_page(AppError::forbidden(Capability::ManageUsers.refusal(auth.lang), Capability::ManageUsers.rule()), auth.lang);
    }
    let input = DepartmentInput {
        code: field(&form, "code").into(),
        name: field(&form, "name").into(),
        parent_id: field(&form, "parent_id").parse().ok(),
    };
    match create_department_checked(&st, auth.actor(), &auth.client, &input).await {
        Ok(_) => redirect_flash("/admin/departments", true, auth.lang.pick("单位已创建。", "Department created.")),
        Err(e) => back_with_error("/admin/departments", AppError::from_store(e, auth.lang)),
    }
}
