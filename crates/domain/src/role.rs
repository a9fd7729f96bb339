//! Roles (角色) a user can hold. Codes are stable snake_case names used in the API, the
//! database and as the demo usernames.

use crate::Lang;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    DeptStaff,
    DeptHead,
    Reviewer,
    Expert,
    Leadership,
    Finance,
    Contractor,
    Supervisor,
    Operator,
    Evaluator,
    Auditor,
    Sysadmin,
    Secadmin,
    Auditadmin,
}

impl Role {
    pub const ALL: [Role; 14] = [
        Role::DeptStaff,
        Role::DeptHead,
        Role::Reviewer,
        Role::Expert,
        Role::Leadership,
        Role::Finance,
        Role::Contractor,
        Role::Supervisor,
        Role::Operator,
        Role::Evaluator,
        Role::Auditor,
        Role::Sysadmin,
        Role::Secadmin,
        Role::Auditadmin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::DeptStaff => "dept_staff",
            Role::DeptHead => "dept_head",
            Role::Reviewer => "reviewer",
            Role::Expert => "expert",
            Role::Leadership => "leadership",
            Role::Finance => "finance",
            Role::Contractor => "contractor",
            Role::Supervisor => "supervisor",
            Role::Operator => "operator",
            Role::Evaluator => "evaluator",
            Role::Auditor => "auditor",
            Role::Sysadmin => "sysadmin",
            Role::Secadmin => "secadmin",
            Role::Auditadmin => "auditadmin",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Role::DeptStaff => ("项目单位经办人", "Department staff"),
            Role::DeptHead => ("项目单位负责人", "Department head"),
            Role::Reviewer => ("评审人(大数据局)", "Reviewer (bureau)"),
            Role::Expert => ("评审专家", "Expert"),
            Role::Leadership => ("领导小组", "Leadership group"),
            Role::Finance => ("财政部门", "Finance"),
            Role::Contractor => ("承建单位", "Contractor"),
            Role::Supervisor => ("监理单位", "Supervisor"),
            Role::Operator => ("运维单位", "Operator"),
            Role::Evaluator => ("第三方评估机构", "Evaluator"),
            Role::Auditor => ("审计/纪检", "Auditor"),
            Role::Sysadmin => ("系统管理员", "System administrator"),
            Role::Secadmin => ("安全管理员", "Security administrator"),
            Role::Auditadmin => ("审计管理员", "Audit administrator"),
        };
        lang.pick(zh, en)
    }

    /// 三员分立: the three admin duties are each held alone.
    pub fn is_exclusive_admin(self) -> bool {
        matches!(self, Role::Sysadmin | Role::Secadmin | Role::Auditadmin)
    }
}

/// Why a set of roles cannot be granted together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleSetError {
    #[error("a user needs at least one role")]
    Empty,
    #[error("{0:?} is an exclusive admin role and cannot be combined")]
    ExclusiveAdmin(Role),
}

impl RoleSetError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RoleSetError::Empty => lang.pick("用户至少需要一个角色", "A user needs at least one role").into(),
            RoleSetError::ExclusiveAdmin(r) => match lang {
                Lang::Zh => format!("三员分立:{}不能与其他角色兼任", r.label(lang)),
                Lang::En => format!("Separation of admin duties: {} cannot hold any other role", r.label(lang)),
            },
        }
    }
}

/// Check a role set against 三员分立.
pub fn validate_role_set(roles: &[Role]) -> Result<(), RoleSetError> {
    if roles.is_empty() {
        return Err(RoleSetError::Empty);
    }
    if roles.len() > 1 {
        if let Some(r) = roles.iter().find(|r| r.is_exclusive_admin()) {
            return Err(RoleSetError::ExclusiveAdmin(*r));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.code()));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn admin_roles_are_exclusive() {
        assert!(validate_role_set(&[Role::DeptStaff, Role::DeptHead]).is_ok());
        assert!(validate_role_set(&[Role::Sysadmin]).is_ok());
        assert_eq!(validate_role_set(&[Role::Sysadmin, Role::Reviewer]), Err(RoleSetError::ExclusiveAdmin(Role::Sysadmin)));
        assert_eq!(validate_role_set(&[]), Err(RoleSetError::Empty));
    }
}
