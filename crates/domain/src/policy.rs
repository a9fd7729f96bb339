//! Authorisation outside the lifecycle table: which role may do which non-lifecycle thing, and
//! which projects a role may see (数据权限). Deny by default: a capability or scope not listed
//! here is refused.

use crate::{Lang, Role};

/// Something a user may do that is not a lifecycle step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capability {
    /// Create a draft application for one's department (申报).
    DraftApplication,
    /// Edit a draft, add attachments.
    EditDraft,
    /// Record the feasibility review (技术/经济/风险) and the recommended budget.
    RecordReview,
    /// Invite or un-invite experts.
    InviteExpert,
    /// Give a scored opinion on an application one is invited to.
    GiveExpertOpinion,
    /// Set a year's plan ceiling and confirm (lock) the plan.
    ManagePlanFunds,
    /// Read the annual plan.
    ViewPlan,
    /// Create and edit users and departments (sysadmin).
    ManageUsers,
    /// Grant and revoke roles (secadmin).
    GrantRoles,
    /// Read the audit trail (auditor, auditadmin).
    ReadAudit,
    /// Edit the system inventory, the shared-capability catalog, the policy catalog and the
    /// synonym dictionary; import files into them (the bureau's reviewers).
    ManageCatalogs,
    /// Read the inventory and the catalogs (everyone who works on projects, not the contractors
    /// and supervisors, not the three admin duties).
    ViewCatalogs,
}

impl Capability {
    pub const ALL: [Capability; 12] = [
        Capability::DraftApplication,
        Capability::EditDraft,
        Capability::RecordReview,
        Capability::InviteExpert,
        Capability::GiveExpertOpinion,
        Capability::ManagePlanFunds,
        Capability::ViewPlan,
        Capability::ManageUsers,
        Capability::GrantRoles,
        Capability::ReadAudit,
        Capability::ManageCatalogs,
        Capability::ViewCatalogs,
    ];

    /// The one table: capability → roles that hold it.
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Capability::DraftApplication | Capability::EditDraft => &[DeptStaff, DeptHead],
            Capability::RecordReview | Capability::InviteExpert => &[Reviewer],
            Capability::GiveExpertOpinion => &[Expert],
            Capability::ManagePlanFunds => &[Finance],
            Capability::ViewPlan => &[DeptStaff, DeptHead, Reviewer, Expert, Leadership, Finance, Auditor, Evaluator],
            Capability::ManageUsers => &[Sysadmin],
            Capability::GrantRoles => &[Secadmin],
            Capability::ReadAudit => &[Auditor, Auditadmin],
            Capability::ManageCatalogs => &[Reviewer],
            Capability::ViewCatalogs => &[DeptStaff, DeptHead, Reviewer, Expert, Leadership, Finance, Auditor, Evaluator, Operator],
        }
    }

    pub fn rule(self) -> &'static str {
        match self {
            Capability::DraftApplication => "policy.draft_application",
            Capability::EditDraft => "policy.edit_draft",
            Capability::RecordReview => "policy.record_review",
            Capability::InviteExpert => "policy.invite_expert",
            Capability::GiveExpertOpinion => "policy.expert_opinion",
            Capability::ManagePlanFunds => "policy.plan_funds",
            Capability::ViewPlan => "policy.view_plan",
            Capability::ManageUsers => "policy.manage_users",
            Capability::GrantRoles => "policy.grant_roles",
            Capability::ReadAudit => "policy.read_audit",
            Capability::ManageCatalogs => "policy.manage_catalogs",
            Capability::ViewCatalogs => "policy.view_catalogs",
        }
    }

    /// The refusal a clerk reads.
    pub fn refusal(self, lang: Lang) -> String {
        if self == Capability::ManageCatalogs {
            return lang
                .pick(
                    "无权操作:系统台账、共性服务能力清单、项目管理目录和同义词词典由主管部门(大数据局)评审人维护",
                    "Not permitted: the system inventory, the capability catalog, the policy catalog and the synonym dictionary are maintained by the bureau's reviewers",
                )
                .into();
        }
        if self == Capability::ViewCatalogs {
            return lang
                .pick(
                    "无权查看:系统台账与目录仅对项目单位、大数据局、专家、领导小组、财政、审计、评估和运维人员开放",
                    "Not permitted: the inventory and the catalogs are open to departments, the bureau, experts, leadership, finance, auditors, evaluators and operators only",
                )
                .into();
        }
        let roles: Vec<&str> = self.roles().iter().map(|r| r.label(lang)).collect();
        match lang {
            Lang::Zh => format!("无权操作:仅{}可以执行此操作", roles.join("、")),
            Lang::En => format!("Not permitted: only {} may do this", roles.join(", ")),
        }
    }
}

/// Does any of `roles` hold `cap`?
pub fn can(roles: &[Role], cap: Capability) -> bool {
    cap.roles().iter().any(|r| roles.contains(r))
}

/// Does `roles` see every system of the inventory? Everyone who may view the catalogs does, except
/// an operator (运维单位), who sees only the systems assigned to them (DECISIONS.md: contractor /
/// supervisor / operator see only what they are assigned to), see [`sees_system`].
pub fn sees_all_systems(roles: &[Role]) -> bool {
    roles.iter().any(|r| *r != Role::Operator && Capability::ViewCatalogs.roles().contains(r))
}

/// Does the user see this system? Those who see every system do; an operator sees the systems
/// whose 运维单位 (the system's `operator`) is the operator's own organisation, the one assignment
/// the inventory records. The capability and policy catalogs are open to all of them.
pub fn sees_system(roles: &[Role], organisation: &str, system_operator: &str) -> bool {
    sees_all_systems(roles)
        || (roles.contains(&Role::Operator) && !organisation.trim().is_empty() && organisation.trim() == system_operator.trim())
}

/// One way a user can come to see a project. A user's scope is the union over their roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScopeRule {
    /// Every project, drafts included (auditor).
    Everything,
    /// Every project that was ever submitted (reviewer, leadership, finance).
    AllSubmitted,
    /// Projects of the user's department and the departments below it.
    DepartmentTree,
    /// Applications the user is currently invited to as an expert.
    Invited,
    /// Projects the user's organisation is assigned to (contractor, supervisor, operator).
    Assigned,
}

pub fn scope_rule(role: Role) -> Option<ScopeRule> {
    use Role::*;
    match role {
        Auditor => Some(ScopeRule::Everything),
        Reviewer | Leadership | Finance => Some(ScopeRule::AllSubmitted),
        DeptStaff | DeptHead => Some(ScopeRule::DepartmentTree),
        Expert => Some(ScopeRule::Invited),
        Contractor | Supervisor | Operator => Some(ScopeRule::Assigned),
        // evaluators see projects once evaluation work is assigned to them (a later capability);
        // the three admin duties do not read project data.
        Evaluator | Sysadmin | Secadmin | Auditadmin => None,
    }
}

/// The union of the scope rules of `roles`, simplified (Everything subsumes the rest).
pub fn project_scope(roles: &[Role]) -> Vec<ScopeRule> {
    let mut rules: Vec<ScopeRule> = roles.iter().filter_map(|r| scope_rule(*r)).collect();
    rules.sort();
    rules.dedup();
    if rules.contains(&ScopeRule::Everything) {
        return vec![ScopeRule::Everything];
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operator_sees_the_systems_it_operates_and_no_others() {
        let org = "云数信息运维服务有限公司";
        assert!(sees_system(&[Role::Operator], org, "云数信息运维服务有限公司"));
        assert!(!sees_system(&[Role::Operator], org, "华信数字技术有限公司"));
        assert!(!sees_system(&[Role::Operator], "", ""), "an operator with no organisation sees nothing");
        assert!(sees_system(&[Role::Reviewer], "市大数据局", "华信数字技术有限公司"));
        assert!(!sees_system(&[Role::Contractor], org, org), "a contractor does not see the inventory");
    }

    /// Every role × capability pair, written out independently of `Capability::roles`.
    #[test]
    fn every_role_capability_pair() {
        use Capability as C;
        use Role::*;
        let expected: &[(Role, &[C])] = &[
            (DeptStaff, &[C::DraftApplication, C::EditDraft, C::ViewPlan, C::ViewCatalogs]),
            (DeptHead, &[C::DraftApplication, C::EditDraft, C::ViewPlan, C::ViewCatalogs]),
            (Reviewer, &[C::RecordReview, C::InviteExpert, C::ViewPlan, C::ManageCatalogs, C::ViewCatalogs]),
            (Expert, &[C::GiveExpertOpinion, C::ViewPlan, C::ViewCatalogs]),
            (Leadership, &[C::ViewPlan, C::ViewCatalogs]),
            (Finance, &[C::ManagePlanFunds, C::ViewPlan, C::ViewCatalogs]),
            (Contractor, &[]),
            (Supervisor, &[]),
            (Operator, &[C::ViewCatalogs]),
            (Evaluator, &[C::ViewPlan, C::ViewCatalogs]),
            (Auditor, &[C::ViewPlan, C::ReadAudit, C::ViewCatalogs]),
            (Sysadmin, &[C::ManageUsers]),
            (Secadmin, &[C::GrantRoles]),
            (Auditadmin, &[C::ReadAudit]),
        ];
        assert_eq!(expected.len(), Role::ALL.len());
        for (role, caps) in expected {
            for cap in Capability::ALL {
                assert_eq!(can(&[*role], cap), caps.contains(&cap), "{role:?} {cap:?}");
            }
        }
    }

    #[test]
    fn operators_see_only_assigned_systems() {
        assert!(sees_all_systems(&[Role::DeptStaff]));
        assert!(sees_all_systems(&[Role::Operator, Role::Auditor]));
        assert!(!sees_all_systems(&[Role::Operator]));
        assert!(!sees_all_systems(&[Role::Contractor]));
        assert!(!sees_all_systems(&[Role::Sysadmin]));
    }

    #[test]
    fn scopes_union_and_deny_by_default() {
        assert_eq!(project_scope(&[Role::Sysadmin]), vec![]);
        assert_eq!(project_scope(&[Role::Contractor]), vec![ScopeRule::Assigned]);
        assert_eq!(project_scope(&[Role::DeptStaff, Role::Expert]), vec![ScopeRule::DepartmentTree, ScopeRule::Invited]);
        assert_eq!(project_scope(&[Role::Reviewer, Role::Auditor]), vec![ScopeRule::Everything]);
    }

    #[test]
    fn refusal_names_who_may() {
        assert!(Capability::ManagePlanFunds.refusal(Lang::Zh).contains("财政部门"));
        assert!(Capability::ManageCatalogs.refusal(Lang::Zh).contains("评审人"));
        assert!(Capability::ViewCatalogs.refusal(Lang::En).starts_with("Not permitted"));
    }
}

/// What the store knows about one project when deciding whether an actor may see it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Visibility<'a> {
    pub department_path: &'a str,
    /// A project code exists once the application was first submitted.
    pub ever_submitted: bool,
    pub actor_invited: bool,
    pub actor_assigned: bool,
}

/// May `actor` see this project? The same rules as the SQL scope filter in the store, for the
/// single-object paths (detail, actions); the integration tests check that both agree.
pub fn can_see(actor: &crate::Actor, v: Visibility<'_>) -> bool {
    project_scope(&actor.roles).into_iter().any(|rule| match rule {
        ScopeRule::Everything => true,
        ScopeRule::AllSubmitted => v.ever_submitted,
        ScopeRule::DepartmentTree => actor.covers_department(v.department_path),
        ScopeRule::Invited => v.actor_invited,
        ScopeRule::Assigned => v.actor_assigned,
    })
}

#[cfg(test)]
mod visibility_tests {
    use super::*;
    use crate::Actor;

    fn actor(roles: &[Role], path: &str) -> Actor {
        Actor {
            id: 1,
            username: "u".into(),
            display_name: "u".into(),
            department_id: 1,
            department_path: path.into(),
            department_name: "d".into(),
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn departments_see_their_subtree_only() {
        let a = actor(&[Role::DeptStaff], "/1/4/");
        assert!(can_see(&a, Visibility { department_path: "/1/4/", ..Default::default() }));
        assert!(can_see(&a, Visibility { department_path: "/1/4/9/", ..Default::default() }));
        assert!(!can_see(&a, Visibility { department_path: "/1/5/", ever_submitted: true, ..Default::default() }));
        // "/1/4/" must not cover "/1/44/"
        assert!(!can_see(&a, Visibility { department_path: "/1/44/", ..Default::default() }));
    }

    #[test]
    fn reviewers_never_see_unsubmitted_drafts_of_others() {
        let r = actor(&[Role::Reviewer], "/1/");
        assert!(!can_see(&r, Visibility { department_path: "/1/5/", ever_submitted: false, ..Default::default() }));
        assert!(can_see(&r, Visibility { department_path: "/1/5/", ever_submitted: true, ..Default::default() }));
        let auditor = actor(&[Role::Auditor], "/1/");
        assert!(can_see(&auditor, Visibility { department_path: "/2/", ..Default::default() }));
    }

    #[test]
    fn experts_and_contractors_see_only_their_own() {
        let e = actor(&[Role::Expert], "/9/");
        assert!(!can_see(&e, Visibility { department_path: "/1/", ever_submitted: true, ..Default::default() }));
        assert!(can_see(&e, Visibility { department_path: "/1/", ever_submitted: true, actor_invited: true, ..Default::default() }));
        let c = actor(&[Role::Contractor], "/9/");
        assert!(!can_see(&c, Visibility { department_path: "/9/", ever_submitted: true, ..Default::default() }));
        let s = actor(&[Role::Sysadmin], "/1/");
        assert!(!can_see(&s, Visibility { department_path: "/1/", ever_submitted: true, ..Default::default() }));
    }
}
