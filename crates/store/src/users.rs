//! Users (用户) and their roles. sysadmin creates users; secadmin grants roles (三员分立).

use crate::audit::{self, NewEvent};
use crate::{exec, read, write, Result, Store, StoreError, Tx};
use serde::Serialize;
use tongchou_domain::role::validate_role_set;
use tongchou_domain::{Actor, Lang, Role};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    pub department_name: String,
    pub active: bool,
    pub locked_until: Option<i64>,
    /// Comma-separated role codes.
    pub roles: String,
}

/// `STRING_AGG` exists in PostgreSQL and in SQLite ≥ 3.44 (sqlx bundles 3.46).
const USER_SELECT: &str = "SELECT u.id, u.username, u.display_name, u.department_id, d.name AS department_name, u.active, u.locked_until,
    COALESCE((SELECT STRING_AGG(r.role, ',') FROM user_roles r WHERE r.user_id = u.id), '') AS roles
    FROM users u JOIN departments d ON d.id = u.department_id";

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub department_id: i64,
    pub roles: &'a [Role],
    pub password_hash: &'a str,
}

pub fn valid_username(u: &str) -> bool {
    (2..=32).contains(&u.len()) && u.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
}

fn roles_error(e: tongchou_domain::role::RoleSetError) -> StoreError {
    StoreError::Rule("roles.separation_of_duties", e.message(Lang::Zh), e.message(Lang::En))
}

impl Store {
    pub async fn users(&self) -> Result<Vec<UserRow>> {
        let sql = format!("{USER_SELECT} ORDER BY d.path, u.username");
        Ok(read!(self, |p| sqlx::query_as(&sql).fetch_all(p).await)?)
    }

    pub async fn user_id_by_name(&self, username: &str) -> Result<Option<i64>> {
        Ok(read!(self, |p| sqlx::query_scalar("SELECT id FROM users WHERE username = $1").bind(username).fetch_optional(p).await)?)
    }

    /// Load the actor for a user id (department path and roles included).
    pub async fn actor(&self, user_id: i64) -> Result<Actor> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: i64,
            username: String,
            display_name: String,
            department_id: i64,
            path: String,
            name: String,
        }
        let row: Row = read!(self, |p| sqlx::query_as(
            "SELECT u.id, u.username, u.display_name, u.department_id, d.path, d.name FROM users u JOIN departments d ON d.id = u.department_id WHERE u.id = $1"
        )
        .bind(user_id)
        .fetch_optional(p)
        .await)?
        .ok_or(StoreError::NotFound)?;
        let roles: Vec<String> = read!(self, |p| sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(user_id)
            .fetch_all(p)
            .await)?;
        Ok(Actor {
            id: row.id,
            username: row.username,
            display_name: row.display_name,
            department_id: row.department_id,
            department_path: row.path,
            department_name: row.name,
            roles: roles.iter().filter_map(|r| Role::parse(r)).collect(),
        })
    }

    /// Create a user with roles, in the caller's transaction, with its audit event.
    /// A user may be created without roles (sysadmin creates, secadmin grants: 三员分立).
    pub async fn create_user_in(&self, tx: &mut Tx, who: &NewEvent, u: &NewUser<'_>) -> Result<i64> {
        if !u.roles.is_empty() {
            validate_role_set(u.roles).map_err(roles_error)?;
        }
        if !valid_username(u.username) {
            return Err(StoreError::Rule(
                "user.username",
                "用户名应为2-32位字母、数字、下划线、点或连字符".into(),
                "A username is 2–32 letters, digits, '_', '.' or '-'".into(),
            ));
        }
        let now = self.now();
        let inserted = write!(tx, |c| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO users (username, display_name, department_id, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id"
        )
        .bind(u.username)
        .bind(u.display_name)
        .bind(u.department_id)
        .bind(u.password_hash)
        .bind(now)
        .fetch_one(&mut *c)
        .await
        });
        let id = match inserted {
            Ok(id) => id,
            Err(e) if crate::is_unique_violation(&e) => {
                return Err(StoreError::Rule(
                    "user.username_unique",
                    format!("用户名 {} 已存在", u.username),
                    format!("Username {} is taken", u.username),
                ))
            }
            Err(e) => return Err(e.into()),
        };
        for r in u.roles {
            exec!(tx, sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)").bind(id).bind(r.code()))?;
        }
        let mut ev = who.clone();
        ev.action = "create_user".into();
        ev.object_type = "user".into();
        ev.object_id = id.to_string();
        ev.detail = serde_json::json!({"username": u.username, "department_id": u.department_id, "roles": u.roles}).to_string();
        audit::append(tx, now, &ev).await?;
        Ok(id)
    }

    /// Replace a user's roles (secadmin), with its audit event.
    pub async fn set_roles(&self, who: &NewEvent, user_id: i64, roles: &[Role]) -> Result<()> {
        validate_role_set(roles).map_err(roles_error)?;
        let mut tx = self.begin().await?;
        let before: Vec<String> = write!(tx, |c| sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(user_id)
            .fetch_all(&mut *c)
            .await)?;
        let exists: Option<i64> =
            write!(tx, |c| sqlx::query_scalar("SELECT id FROM users WHERE id = $1").bind(user_id).fetch_optional(&mut *c).await)?;
        exists.ok_or(StoreError::NotFound)?;
        exec!(tx, sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(user_id))?;
        for r in roles {
            exec!(tx, sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)").bind(user_id).bind(r.code()))?;
        }
        let mut ev = who.clone();
        ev.action = "set_roles".into();
        ev.object_type = "user".into();
        ev.object_id = user_id.to_string();
        ev.before = before.join(",");
        ev.after = roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",");
        audit::append(&mut tx, self.now(), &ev).await?;
        tx.commit().await?;
        self.forget_user_sessions(user_id);
        Ok(())
    }

    /// Users holding `role` (e.g. the experts a reviewer can invite).
    pub async fn users_with_role(&self, role: Role) -> Result<Vec<UserRow>> {
        let sql = format!("{USER_SELECT} WHERE u.active AND u.id IN (SELECT user_id FROM user_roles WHERE role = $1) ORDER BY u.username");
        Ok(read!(self, |p| sqlx::query_as(&sql).bind(role.code()).fetch_all(p).await)?)
    }
}
