//! Departments (单位) form a tree; each row carries its materialised path (`/1/4/`) so that "this
//! department and everything below it" is one indexed prefix match.

use crate::audit::{self, NewEvent};
use crate::{exec, read, write, Result, Store, StoreError, Tx};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Department {
    pub id: i64,
    /// Short code used in project codes, e.g. `JYJ` (教育局).
    pub code: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub path: String,
}

impl Department {
    /// Depth in the tree, 0 for a root.
    pub fn depth(&self) -> usize {
        self.path.matches('/').count().saturating_sub(2)
    }
}

/// Is `code` a valid department short code (2–8 ASCII capitals or digits)?
pub fn valid_code(code: &str) -> bool {
    (2..=8).contains(&code.len()) && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

impl Store {
    pub async fn departments(&self) -> Result<Vec<Department>> {
        Ok(read!(self, |p| sqlx::query_as("SELECT id, code, name, parent_id, path FROM departments ORDER BY path").fetch_all(p).await)?)
    }

    pub async fn department(&self, id: i64) -> Result<Department> {
        read!(self, |p| sqlx::query_as("SELECT id, code, name, parent_id, path FROM departments WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// Create a department (sysadmin), with its audit event, in the caller's transaction.
    pub async fn create_department_in(
        &self,
        tx: &mut Tx,
        who: &NewEvent,
        code: &str,
        name: &str,
        parent_id: Option<i64>,
    ) -> Result<Department> {
        let now = self.now();
        let parent_path = match parent_id {
            Some(pid) => {
                let p: Option<String> = write!(tx, |c| sqlx::query_scalar("SELECT path FROM departments WHERE id = $1")
                    .bind(pid)
                    .fetch_optional(&mut *c)
                    .await)?;
                Some(p.ok_or(StoreError::NotFound)?)
            }
            None => None,
        };
        let inserted = write!(tx, |c| sqlx::query_scalar::<_, i64>(
            "INSERT INTO departments (code, name, parent_id, path, created_at) VALUES ($1, $2, $3, '', $4) RETURNING id"
        )
        .bind(code)
        .bind(name)
        .bind(parent_id)
        .bind(now)
        .fetch_one(&mut *c)
        .await);
        let id = match inserted {
            Ok(id) => id,
            Err(e) if crate::is_unique_violation(&e) => {
                return Err(StoreError::Rule(
                    "department.code_unique",
                    format!("单位代码 {code} 已被使用"),
                    format!("Department code {code} is taken"),
                ))
            }
            Err(e) => return Err(e.into()),
        };
        let path = format!("{}{}/", parent_path.as_deref().unwrap_or("/"), id);
        exec!(tx, sqlx::query("UPDATE departments SET path = $1 WHERE id = $2").bind(&path).bind(id))?;
        let mut ev = who.clone();
        ev.action = "create_department".into();
        ev.object_type = "department".into();
        ev.object_id = id.to_string();
        ev.detail = serde_json::json!({"code": code, "name": name, "parent_id": parent_id}).to_string();
        audit::append(tx, now, &ev).await?;
        Ok(Department { id, code: code.into(), name: name.into(), parent_id, path })
    }
}
