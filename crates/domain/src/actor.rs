//! Who is acting: the signed-in user as the rules see them.

use crate::Role;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    /// Materialised path of the department in the tree, e.g. `/1/4/`.
    pub department_path: String,
    pub department_name: String,
    pub roles: Vec<Role>,
}

impl Actor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Is the department with `path` this actor's own or below it?
    pub fn covers_department(&self, path: &str) -> bool {
        path.starts_with(&self.department_path)
    }

    /// The role recorded in the audit trail for an action: the first of the actor's roles that
    /// the action allows, else all roles joined.
    pub fn acting_role(&self, allowed: &[Role]) -> String {
        self.roles
            .iter()
            .find(|r| allowed.contains(r))
            .map(|r| r.code().to_string())
            .unwrap_or_else(|| self.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(","))
    }
}
