//! Organisation administration: departments and users (sysadmin), role grants (secadmin), and the
//! expert roster reviewers pick from. 三员分立: none of these roles acts in the project workflow.

use super::parse_id;
use crate::error::AppError;
use crate::extract::{ApiAuth, ApiJson};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use tongchou_domain::application::{FieldError, Problem};
use tongchou_domain::policy::{self, Capability};
use tongchou_domain::Role;
use tongchou_store::departments::{self, Department};
use tongchou_store::projects::event_for;
use tongchou_store::users::{NewUser, UserRow};
use tongchou_store::StoreError;
use utoipa::ToSchema;

pub fn require(auth: &ApiAuth, cap: Capability) -> Result<(), AppError> {
    if policy::can(&auth.actor().roles, cap) {
        Ok(())
    } else {
        Err(AppError::forbidden(cap.refusal(auth.lang), cap.rule()))
    }
}

/// All departments, in tree order (`path`).
#[utoipa::path(get, path = "/api/v1/departments", tag = "admin", responses((status = 200, body = Vec<Department>)))]
pub async fn departments(State(st): State<AppState>, auth: ApiAuth) -> Result<Json<Vec<Department>>, AppError> {
    Ok(Json(st.store.departments().await.map_err(|e| AppError::from_store(e, auth.lang))?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentInput {
    /// 2–8 capital letters or digits, used in project codes.
    pub code: String,
    pub name: String,
    pub parent_id: Option<i64>,
}

/// Validate and create a department (shared by the page and the API).
pub async fn create_department_checked(
    st: &AppState,
    actor: &tongchou_domain::Actor,
    client: &str,
    input: &DepartmentInput,
) -> Result<Department, StoreError> {
    let code = input.code.trim().to_ascii_uppercase();
    let name = input.name.trim();
    let mut errors = vec![];
    if !departments::valid_code(&code) {
        errors.push(FieldError::new("code", Problem::Invalid("2–8 A–Z/0–9".into())));
    }
    if name.is_empty() {
        errors.push(FieldError::new("name", Problem::Required));
    } else if name.chars().count() > 60 {
        errors.push(FieldError::new("name", Problem::TooLong { max: 60 }));
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let mut tx = st.store.begin().await?;
    let d = st.store.create_department_in(&mut tx, &event_for(actor, client, &[Role::Sysadmin]), &code, name, input.parent_id).await?;
    tx.commit().await?;
    Ok(d)
}

/// Create a department (sysadmin).
#[utoipa::path(post, path = "/api/v1/departments", tag = "admin", request_body = DepartmentInput,
    responses((status = 201, body = Department), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create_department(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiJson(input): ApiJson<DepartmentInput>,
) -> Result<(StatusCode, Json<Department>), AppError> {
    require(&auth, Capability::ManageUsers)?;
    let d = create_department_checked(&st, auth.actor(), &auth.client, &input).await.map_err(|e| AppError::from_store(e, auth.lang))?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// All users with their roles (sysadmin, secadmin, auditor).
#[utoipa::path(get, path = "/api/v1/users", tag = "admin", responses((status = 200, body = Vec<UserRow>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn users(State(st): State<AppState>, auth: ApiAuth) -> Result<Json<Vec<UserRow>>, AppError> {
    let roles = &auth.actor().roles;
    if !(policy::can(roles, Capability::ManageUsers) || policy::can(roles, Capability::GrantRoles) || roles.contains(&Role::Auditor)) {
        return Err(AppError::forbidden(Capability::ManageUsers.refusal(auth.lang), Capability::ManageUsers.rule()));
    }
    Ok(Json(st.store.users().await.map_err(|e| AppError::from_store(e, auth.lang))?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    /// The initial password (at least the configured minimum length).
    pub password: String,
}

/// Validate and create a user without roles (roles are granted by secadmin).
pub async fn create_user_checked(
    st: &AppState,
    actor: &tongchou_domain::Actor,
    client: &str,
    input: &UserInput,
) -> Result<i64, StoreError> {
    let mut errors = vec![];
    let display = input.display_name.trim();
    if display.is_empty() {
        errors.push(FieldError::new("display_name", Problem::Required));
    } else if display.chars().count() > 40 {
        errors.push(FieldError::new("display_name", Problem::TooLong { max: 40 }));
    }
    let min = st.store.settings.auth.min_password_length as usize;
    if input.password.chars().count() < min {
        errors.push(FieldError::new("password", Problem::Invalid(format!("≥ {min}"))));
    }
    if st.store.department(input.department_id).await.is_err() {
        errors.push(FieldError::new("department_id", Problem::Invalid(input.department_id.to_string())));
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let hash = tongchou_store::auth::hash_blocking(input.password.clone()).await;
    let mut tx = st.store.begin().await?;
    let id = st
        .store
        .create_user_in(
            &mut tx,
            &event_for(actor, client, &[Role::Sysadmin]),
            &NewUser {
                username: input.username.trim(),
                display_name: display,
                department_id: input.department_id,
                roles: &[],
                password_hash: &hash,
            },
        )
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Create a user (sysadmin). The user holds no role until secadmin grants one.
#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = UserInput,
    responses((status = 201, body = super::projects::Created), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create_user(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiJson(input): ApiJson<UserInput>,
) -> Result<(StatusCode, Json<super::projects::Created>), AppError> {
    require(&auth, Capability::ManageUsers)?;
    let id = create_user_checked(&st, auth.actor(), &auth.client, &input).await.map_err(|e| AppError::from_store(e, auth.lang))?;
    Ok((StatusCode::CREATED, Json(super::projects::Created { id })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesInput {
    pub roles: Vec<Role>,
}

/// Replace a user's roles (secadmin). sysadmin, secadmin and auditadmin are each held alone.
#[utoipa::path(put, path = "/api/v1/users/{id}/roles", tag = "admin", params(("id" = i64, Path)), request_body = RolesInput,
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn set_roles(
    State(st): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<RolesInput>,
) -> Result<StatusCode, AppError> {
    require(&auth, Capability::GrantRoles)?;
    let id = parse_id(&id, auth.lang)?;
    if id == auth.actor().id {
        return Err(AppError::forbidden(
            auth.lang.pick("不能修改自己的角色", "You cannot change your own roles").into(),
            "roles.self_grant",
        ));
    }
    st.store
        .set_roles(&event_for(auth.actor(), &auth.client, &[Role::Secadmin]), id, &input.roles)
        .await
        .map_err(|e| AppError::from_store(e, auth.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Experts a reviewer can invite.
#[utoipa::path(get, path = "/api/v1/experts", tag = "admin", responses((status = 200, body = Vec<UserRow>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn experts(State(st): State<AppState>, auth: ApiAuth) -> Result<Json<Vec<UserRow>>, AppError> {
    require(&auth, Capability::InviteExpert)?;
    Ok(Json(st.store.users_with_role(Role::Expert).await.map_err(|e| AppError::from_store(e, auth.lang))?))
}
