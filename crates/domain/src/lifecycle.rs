//! The project lifecycle (项目全生命周期): one table of transitions — from-state, action,
//! to-state, the roles that may fire it and the guards that must hold. The store and the web layer
//! only call [`decide`]; nothing else knows which step may follow which.
//!
//! A refused step is a [`Refusal`] that names its rule and explains it in zh-CN or English.

use crate::{Fen, Lang, Role};
use serde::{Deserialize, Serialize};

macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $code:literal, $zh:literal, $en:literal;)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),* } }
            pub fn parse(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }
            pub fn label(self, lang: Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($zh, $en)),* }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.code()) }
        }
    };
}

named_enum!(
    /// Where a project stands (项目状态).
    State {
        Draft => "draft", "草稿", "Draft";
        Submitted => "submitted", "已提交", "Submitted";
        UnderReview => "under_review", "评审中", "Under review";
        PendingDecision => "pending_decision", "待审定", "Pending decision";
        Planned => "planned", "已列入年度计划", "In the annual plan";
        Rejected => "rejected", "未通过", "Rejected";
        Withdrawn => "withdrawn", "已撤回", "Withdrawn";
        Procuring => "procuring", "采购中", "Procuring";
        Contracted => "contracted", "已签合同", "Contracted";
        InProgress => "in_progress", "建设中", "In progress";
        Suspended => "suspended", "已暂停", "Suspended";
        InitialAccepted => "initial_accepted", "已初验", "Initially accepted";
        TrialOperation => "trial_operation", "试运行", "Trial operation";
        FinalAccepted => "final_accepted", "已终验", "Finally accepted";
        Operating => "operating", "运行中", "Operating";
        Retired => "retired", "已下线", "Retired";
    }
);

named_enum!(
    /// A step somebody takes on a project (操作).
    Action {
        Submit => "submit", "提交申报", "Submit";
        Accept => "accept", "受理评审", "Accept for review";
        Return => "return", "退回修改", "Return";
        Forward => "forward", "提交领导小组审定", "Forward to leadership";
        Approve => "approve", "批准列入年度计划", "Approve into the plan";
        Reject => "reject", "不予批准", "Reject";
        Withdraw => "withdraw", "撤回", "Withdraw";
        StartProcurement => "start_procurement", "启动采购", "Start procurement";
        SignContract => "sign_contract", "签订合同", "Sign contract";
        StartConstruction => "start_construction", "开工建设", "Start construction";
        Suspend => "suspend", "暂停", "Suspend";
        Resume => "resume", "恢复", "Resume";
        InitialAccept => "initial_accept", "初步验收", "Initial acceptance";
        StartTrial => "start_trial", "开始试运行", "Start trial operation";
        FinalAccept => "final_accept", "竣工验收", "Final acceptance";
        StartOperation => "start_operation", "转入运维", "Start operation";
        Retire => "retire", "下线", "Retire";
    }
);

impl State {
    /// States in which the application is still before the leadership's decision and can be
    /// withdrawn or edited by the department (used by to-do and the pages).
    pub fn is_terminal(self) -> bool {
        matches!(self, State::Rejected | State::Withdrawn | State::Retired)
    }
}

/// A condition that must hold for a transition, beyond state and role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// The actor works in the owning department or a department above it.
    OwnDepartment,
    /// A comment (the reason) is required.
    CommentRequired,
    /// 回避: nobody reviews, forwards or decides an application they drafted or submitted.
    NotOwnApplication,
    /// The application has everything a submission needs.
    ApplicationComplete,
    /// The application window is open (only when configured to block).
    WindowOpen,
    /// A feasibility review has been recorded before forwarding.
    ReviewRecorded,
    /// The approved amount is positive.
    ApprovedAmountPositive,
    /// The target year's plan is not locked by finance.
    PlanOpen,
    /// The plan total stays within the ceiling finance set (none set = allowed).
    WithinCeiling,
    /// The actor is assigned to the project (contractor, supervisor, operator).
    Assigned,
    /// The stage's required documents are present (acceptance gates).
    RequiredDocuments,
    /// No critical defect is open (acceptance gates).
    NoOpenCriticalDefects,
    /// Every 禁止类 rule of the policy catalog (项目管理目录) that the application matches has been
    /// overridden by a reviewer with a reason.
    ForbiddenMatchesCleared,
}

pub struct Transition {
    pub from: &'static [State],
    pub action: Action,
    pub to: State,
    pub roles: &'static [Role],
    pub guards: &'static [Guard],
}

use Guard as G;
use Role as R;
use State as S;

/// The whole lifecycle of DESIGN.md, in one table.
pub static TRANSITIONS: &[Transition] = &[
    Transition {
        from: &[S::Draft],
        action: Action::Submit,
        to: S::Submitted,
        roles: &[R::DeptStaff, R::DeptHead],
        guards: &[G::OwnDepartment, G::ApplicationComplete, G::WindowOpen],
    },
    Transition {
        from: &[S::Submitted],
        action: Action::Accept,
        to: S::UnderReview,
        roles: &[R::Reviewer],
        guards: &[G::NotOwnApplication],
    },
    Transition {
        from: &[S::Submitted, S::UnderReview],
        action: Action::Return,
        to: S::Draft,
        roles: &[R::Reviewer],
        guards: &[G::NotOwnApplication, G::CommentRequired],
    },
    Transition {
        from: &[S::PendingDecision],
        action: Action::Return,
        to: S::Draft,
        roles: &[R::Leadership],
        guards: &[G::NotOwnApplication, G::CommentRequired],
    },
    Transition {
        from: &[S::UnderReview],
        action: Action::Forward,
        to: S::PendingDecision,
        roles: &[R::Reviewer],
        guards: &[G::NotOwnApplication, G::ReviewRecorded, G::ForbiddenMatchesCleared],
    },
    Transition {
        from: &[S::PendingDecision],
        action: Action::Approve,
        to: S::Planned,
        roles: &[R::Leadership],
        guards: &[G::NotOwnApplication, G::ApprovedAmountPositive, G::PlanOpen, G::WithinCeiling],
    },
    Transition {
        from: &[S::PendingDecision],
        action: Action::Reject,
        to: S::Rejected,
        roles: &[R::Leadership],
        guards: &[G::NotOwnApplication, G::CommentRequired],
    },
    Transition {
        from: &[S::Submitted, S::UnderReview, S::PendingDecision],
        action: Action::Withdraw,
        to: S::Withdrawn,
        roles: &[R::DeptStaff, R::DeptHead],
        guards: &[G::OwnDepartment],
    },
    Transition {
        from: &[S::Planned],
        action: Action::StartProcurement,
        to: S::Procuring,
        roles: &[R::DeptHead],
        guards: &[G::OwnDepartment],
    },
    Transition {
        from: &[S::Procuring],
        action: Action::SignContract,
        to: S::Contracted,
        roles: &[R::DeptHead],
        guards: &[G::OwnDepartment],
    },
    Transition {
        from: &[S::Contracted],
        action: Action::StartConstruction,
        to: S::InProgress,
        roles: &[R::DeptHead],
        guards: &[G::OwnDepartment],
    },
    Transition {
        from: &[S::InProgress],
        action: Action::Suspend,
        to: S::Suspended,
        roles: &[R::Reviewer, R::Leadership],
        guards: &[G::CommentRequired],
    },
    Transition {
        from: &[S::Suspended],
        action: Action::Resume,
        to: S::InProgress,
        roles: &[R::Reviewer, R::Leadership],
        guards: &[G::CommentRequired],
    },
    Transition {
        from: &[S::InProgress],
        action: Action::InitialAccept,
        to: S::InitialAccepted,
        roles: &[R::Reviewer],
        guards: &[G::RequiredDocuments, G::NoOpenCriticalDefects],
    },
    Transition {
        from: &[S::InitialAccepted],
        action: Action::StartTrial,
        to: S::TrialOperation,
        roles: &[R::DeptHead],
        guards: &[G::OwnDepartment],
    },
    Transition {
        from: &[S::TrialOperation],
        action: Action::FinalAccept,
        to: S::FinalAccepted,
        roles: &[R::Reviewer],
        guards: &[G::RequiredDocuments, G::NoOpenCriticalDefects],
    },
    Transition {
        from: &[S::FinalAccepted],
        action: Action::StartOperation,
        to: S::Operating,
        roles: &[R::Operator],
        guards: &[G::Assigned],
    },
    Transition { from: &[S::Operating], action: Action::Retire, to: S::Retired, roles: &[R::Reviewer], guards: &[G::CommentRequired] },
];

/// The transitions leaving a state, whoever may fire them.
pub fn transitions_from(state: State) -> impl Iterator<Item = &'static Transition> {
    TRANSITIONS.iter().filter(move |t| t.from.contains(&state))
}

/// The annual plan the approval would land in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanFacts {
    pub year: i32,
    pub locked: bool,
    pub ceiling: Option<Fen>,
    /// Sum of the approved amounts already in that plan.
    pub planned_total: Fen,
}

/// What the guards need to know, gathered by the caller (the store) before deciding.
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    pub actor_id: i64,
    pub actor_roles: &'a [Role],
    pub actor_in_owning_department: bool,
    pub drafted_by: i64,
    pub submitted_by: Option<i64>,
    pub comment: Option<&'a str>,
    pub application_complete: bool,
    /// `Some(false)` only when the window is closed *and* configured to block.
    pub window_open: Option<bool>,
    pub review_recorded: bool,
    pub approved_amount: Fen,
    pub plan: Option<PlanFacts>,
    pub assigned: bool,
    pub required_documents_present: bool,
    pub open_critical_defects: u32,
    /// 禁止类 catalog rules the application matches that no reviewer has overridden.
    pub forbidden_matches_open: u32,
}

/// Why a step was refused. `rule()` is a stable identifier; `message()` is what a clerk reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotInThisState {
        state: State,
        action: Action,
    },
    RoleNotAllowed {
        action: Action,
        allowed: &'static [Role],
    },
    NotOwnDepartment,
    CommentRequired,
    ConflictOfInterest,
    ApplicationIncomplete,
    WindowClosed,
    ReviewMissing,
    ApprovedAmountMissing,
    PlanLocked {
        year: i32,
    },
    CeilingExceeded {
        year: i32,
        ceiling: Fen,
        planned_total: Fen,
        amount: Fen,
    },
    NotAssigned,
    DocumentsMissing,
    CriticalDefectsOpen {
        count: u32,
    },
    /// Review work (recording the review, inviting experts, expert opinions) happens only while
    /// the application is under review.
    ReviewClosed {
        state: State,
    },
    ForbiddenMatchOpen {
        count: u32,
    },
}

/// How the edge should answer a refusal (DECISIONS.md, "HTTP answers").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// 403 forbidden
    Forbidden,
    /// 409 transition_refused
    TransitionRefused,
    /// 409 plan_locked
    PlanLocked,
    /// 409 plan_ceiling_exceeded
    CeilingExceeded,
    /// 422 validation_failed (a required field is missing)
    Validation,
}

impl Refusal {
    pub fn kind(&self) -> RefusalKind {
        match self {
            Refusal::RoleNotAllowed { .. } | Refusal::NotOwnDepartment | Refusal::ConflictOfInterest | Refusal::NotAssigned => {
                RefusalKind::Forbidden
            }
            Refusal::CommentRequired => RefusalKind::Validation,
            Refusal::ReviewClosed { .. } => RefusalKind::TransitionRefused,
            Refusal::PlanLocked { .. } => RefusalKind::PlanLocked,
            Refusal::CeilingExceeded { .. } => RefusalKind::CeilingExceeded,
            _ => RefusalKind::TransitionRefused,
        }
    }

    /// A stable rule name, shown beside the message and used by clients.
    pub fn rule(&self) -> &'static str {
        match self {
            Refusal::NotInThisState { .. } => "lifecycle.state",
            Refusal::RoleNotAllowed { .. } => "lifecycle.role",
            Refusal::NotOwnDepartment => "scope.own_department",
            Refusal::CommentRequired => "lifecycle.comment_required",
            Refusal::ConflictOfInterest => "review.conflict_of_interest",
            Refusal::ApplicationIncomplete => "application.complete",
            Refusal::WindowClosed => "application.window",
            Refusal::ReviewMissing => "review.recorded",
            Refusal::ApprovedAmountMissing => "plan.approved_amount",
            Refusal::PlanLocked { .. } => "plan.locked",
            Refusal::CeilingExceeded { .. } => "plan.ceiling",
            Refusal::NotAssigned => "scope.assigned",
            Refusal::DocumentsMissing => "acceptance.documents",
            Refusal::CriticalDefectsOpen { .. } => "acceptance.defects",
            Refusal::ReviewClosed { .. } => "review.open",
            Refusal::ForbiddenMatchOpen { .. } => "directory.forbidden",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Refusal::NotInThisState { state, action } => {
                let allowed: Vec<&str> = transitions_from(*state).map(|t| t.action.label(lang)).collect();
                let allowed = if allowed.is_empty() { lang.pick("无", "none").to_string() } else { allowed.join(lang.pick("、", ", ")) };
                if zh {
                    format!("项目当前状态为“{}”,不能执行“{}”。此状态下可以执行:{}", state.label(lang), action.label(lang), allowed)
                } else {
                    format!("The project is “{}”; “{}” is not possible now. Possible in this state: {}", state.label(lang), action.label(lang), allowed)
                }
            }
            Refusal::RoleNotAllowed { action, allowed } => {
                let roles: Vec<&str> = allowed.iter().map(|r| r.label(lang)).collect();
                if zh {
                    format!("“{}”只能由{}执行", action.label(lang), roles.join("或"))
                } else {
                    format!("“{}” can only be done by {}", action.label(lang), roles.join(" or "))
                }
            }
            Refusal::NotOwnDepartment => lang.pick("只能由项目所属单位(或其上级单位)的人员办理", "Only staff of the owning department (or a department above it) can do this").into(),
            Refusal::CommentRequired => lang.pick("请填写意见(理由),退回或不予批准时必须说明原因", "A comment is required: give the reason when returning or rejecting").into(),
            Refusal::ConflictOfInterest => lang.pick("回避规定:不能评审、转交或审定本人起草或提交的申报", "Conflict of interest: you cannot review, forward or decide an application you drafted or submitted").into(),
            Refusal::ApplicationIncomplete => lang.pick("申报材料不完整:需要项目概述、至少一个功能模块、预算明细(合计大于零)和计划起止日期", "The application is incomplete: it needs a description, at least one module, budget lines totalling more than zero and planned dates").into(),
            Refusal::WindowClosed => lang.pick("当前不在年度计划申报窗口期内,申报已关闭", "The application window for the annual plan is closed").into(),
            Refusal::ReviewMissing => lang.pick("尚未填写可行性评审意见(技术、经济、风险),不能提交领导小组审定", "Record the feasibility review (technical, budget, risk) before forwarding to the leadership group").into(),
            Refusal::ApprovedAmountMissing => lang.pick("批复金额必须大于零:请填写批复金额或先由评审人给出建议金额", "The approved amount must be above zero: enter it, or have the reviewer recommend one").into(),
            Refusal::PlanLocked { year } => {
                if zh { format!("{year}年度建设计划已由财政部门确认并锁定,不能再列入项目") } else { format!("The {year} annual plan has been confirmed by finance and is locked") }
            }
            Refusal::CeilingExceeded { year, ceiling, planned_total, amount } => {
                let after = planned_total.saturating_add(*amount);
                if zh {
                    format!(
                        "超出{year}年度计划资金上限:上限 {} 万元,已列入 {} 万元,本项目 {} 万元,合计 {} 万元,超出 {} 万元",
                        ceiling.wan(), planned_total.wan(), amount.wan(), after.wan(), Fen(after.0 - ceiling.0).wan()
                    )
                } else {
                    format!(
                        "Over the {year} plan ceiling: ceiling {} (10k yuan), already planned {}, this project {}, total {}, over by {}",
                        ceiling.wan(), planned_total.wan(), amount.wan(), after.wan(), Fen(after.0 - ceiling.0).wan()
                    )
                }
            }
            Refusal::NotAssigned => lang.pick("只有被指派到本项目的单位才能办理", "Only an organisation assigned to this project can do this").into(),
            Refusal::DocumentsMissing => lang.pick("验收所需文件不齐(测试报告、监理报告,等保三级及以上还需测评报告)", "Required acceptance documents are missing (test report, supervision report, security assessment for MLPS ≥ 3)").into(),
            Refusal::CriticalDefectsOpen { count } => {
                if zh { format!("仍有 {count} 个严重缺陷未关闭,不能验收") } else { format!("{count} critical defects are still open") }
            }
            Refusal::ForbiddenMatchOpen { count } => {
                if zh {
                    format!("申报命中项目管理目录中 {count} 条禁止类规则,评审人须逐条说明理由予以豁免后才能提交领导小组审定")
                } else {
                    format!("The application matches {count} forbidden-class rule(s) of the policy catalog; a reviewer must override each with a reason before forwarding")
                }
            }
            Refusal::ReviewClosed { state } => {
                if zh {
                    format!("项目当前状态为“{}”,只有“评审中”的申报可以填写评审意见、邀请专家或提交专家意见", state.label(lang))
                } else {
                    format!("The project is “{}”; reviews, expert invitations and opinions are only possible while it is under review", state.label(lang))
                }
            }
        }
    }
}

/// Decide whether `action` may be taken on a project in `state` given `facts`. Checks, in order:
/// the state (is there such a step at all), the role, then each guard of the transition.
pub fn decide(state: State, action: Action, facts: &Facts<'_>) -> Result<State, Refusal> {
    let candidates: Vec<&Transition> = TRANSITIONS.iter().filter(|t| t.action == action && t.from.contains(&state)).collect();
    if candidates.is_empty() {
        return Err(Refusal::NotInThisState { state, action });
    }
    let Some(t) = candidates.iter().find(|t| t.roles.iter().any(|r| facts.actor_roles.contains(r))) else {
        return Err(Refusal::RoleNotAllowed { action, allowed: candidates[0].roles });
    };
    for guard in t.guards {
        check_guard(*guard, facts)?;
    }
    Ok(t.to)
}

fn check_guard(guard: Guard, f: &Facts<'_>) -> Result<(), Refusal> {
    let ok = match guard {
        Guard::OwnDepartment => f.actor_in_owning_department,
        Guard::CommentRequired => f.comment.is_some_and(|c| !c.trim().is_empty()),
        Guard::NotOwnApplication => f.actor_id != f.drafted_by && f.submitted_by != Some(f.actor_id),
        Guard::ApplicationComplete => f.application_complete,
        Guard::WindowOpen => f.window_open != Some(false),
        Guard::ReviewRecorded => f.review_recorded,
        Guard::ApprovedAmountPositive => f.approved_amount.0 > 0,
        Guard::PlanOpen => !f.plan.is_some_and(|p| p.locked),
        Guard::WithinCeiling => match f.plan {
            Some(PlanFacts { ceiling: Some(c), planned_total, .. }) => planned_total.0.saturating_add(f.approved_amount.0) <= c.0,
            _ => true,
        },
        Guard::Assigned => f.assigned,
        Guard::RequiredDocuments => f.required_documents_present,
        Guard::NoOpenCriticalDefects => f.open_critical_defects == 0,
        Guard::ForbiddenMatchesCleared => f.forbidden_matches_open == 0,
    };
    if ok {
        return Ok(());
    }
    Err(match guard {
        Guard::OwnDepartment => Refusal::NotOwnDepartment,
        Guard::CommentRequired => Refusal::CommentRequired,
        Guard::NotOwnApplication => Refusal::ConflictOfInterest,
        Guard::ApplicationComplete => Refusal::ApplicationIncomplete,
        Guard::WindowOpen => Refusal::WindowClosed,
        Guard::ReviewRecorded => Refusal::ReviewMissing,
        Guard::ApprovedAmountPositive => Refusal::ApprovedAmountMissing,
        Guard::PlanOpen => Refusal::PlanLocked { year: f.plan.map(|p| p.year).unwrap_or_default() },
        Guard::WithinCeiling => {
            let p = f.plan.expect("ceiling guard fails only with a plan");
            Refusal::CeilingExceeded {
                year: p.year,
                ceiling: p.ceiling.unwrap_or_default(),
                planned_total: p.planned_total,
                amount: f.approved_amount,
            }
        }
        Guard::Assigned => Refusal::NotAssigned,
        Guard::RequiredDocuments => Refusal::DocumentsMissing,
        Guard::NoOpenCriticalDefects => Refusal::CriticalDefectsOpen { count: f.open_critical_defects },
        Guard::ForbiddenMatchesCleared => Refusal::ForbiddenMatchOpen { count: f.forbidden_matches_open },
    })
}

/// The actions `roles` could take on a project in `state`, ignoring guards: what the pages offer
/// as buttons and what the to-do list looks for.
pub fn actions_for(state: State, roles: &[Role]) -> Vec<Action> {
    let mut out: Vec<Action> = transitions_from(state).filter(|t| t.roles.iter().any(|r| roles.contains(r))).map(|t| t.action).collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
