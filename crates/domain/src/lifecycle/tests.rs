use super::*;
use std::collections::HashSet;

/// Facts under which every guard holds, so only state and role decide.
fn permissive(roles: &[Role]) -> Facts<'_> {
    Facts {
        actor_id: 99,
        actor_roles: roles,
        actor_in_owning_department: true,
        drafted_by: 1,
        submitted_by: Some(2),
        comment: Some("意见"),
        application_complete: true,
        window_open: Some(true),
        review_recorded: true,
        approved_amount: Fen(1_000_000),
        plan: None,
        assigned: true,
        required_documents_present: true,
        open_critical_defects: 0,
        forbidden_matches_open: 0,
    }
}

/// The expected matrix, written out independently of the table: (state, action, role) → to.
fn expected() -> Vec<(State, Action, Role, State)> {
    use Action as A;
    use Role as R;
    use State as S;
    let mut v = vec![];
    for r in [R::DeptStaff, R::DeptHead] {
        v.push((S::Draft, A::Submit, r, S::Submitted));
        for s in [S::Submitted, S::UnderReview, S::PendingDecision] {
            v.push((s, A::Withdraw, r, S::Withdrawn));
        }
    }
    v.push((S::Submitted, A::Accept, R::Reviewer, S::UnderReview));
    v.push((S::Submitted, A::Return, R::Reviewer, S::Draft));
    v.push((S::UnderReview, A::Return, R::Reviewer, S::Draft));
    v.push((S::UnderReview, A::Forward, R::Reviewer, S::PendingDecision));
    v.push((S::PendingDecision, A::Return, R::Leadership, S::Draft));
    v.push((S::PendingDecision, A::Approve, R::Leadership, S::Planned));
    v.push((S::PendingDecision, A::Reject, R::Leadership, S::Rejected));
    v.push((S::Planned, A::StartProcurement, R::DeptHead, S::Procuring));
    v.push((S::Procuring, A::SignContract, R::DeptHead, S::Contracted));
    v.push((S::Contracted, A::StartConstruction, R::DeptHead, S::InProgress));
    for r in [R::Reviewer, R::Leadership] {
        v.push((S::InProgress, A::Suspend, r, S::Suspended));
        v.push((S::Suspended, A::Resume, r, S::InProgress));
    }
    v.push((S::InProgress, A::InitialAccept, R::Reviewer, S::InitialAccepted));
    v.push((S::InitialAccepted, A::StartTrial, R::DeptHead, S::TrialOperation));
    v.push((S::TrialOperation, A::FinalAccept, R::Reviewer, S::FinalAccepted));
    v.push((S::FinalAccepted, A::StartOperation, R::Operator, S::Operating));
    v.push((S::Operating, A::Retire, R::Reviewer, S::Retired));
    v
}

#[test]
fn every_state_action_role_triple_matches_the_expected_matrix() {
    let exp = expected();
    let allowed: HashSet<(State, Action, Role)> = exp.iter().map(|(s, a, r, _)| (*s, *a, *r)).collect();
    let mut checked = 0;
    for &state in State::ALL {
        for &action in Action::ALL {
            for role in Role::ALL {
                let roles = [role];
                let got = decide(state, action, &permissive(&roles));
                if allowed.contains(&(state, action, role)) {
                    let to = exp.iter().find(|(s, a, r, _)| (*s, *a, *r) == (state, action, role)).unwrap().3;
                    assert_eq!(got, Ok(to), "{state} {action} {role:?}");
                } else {
                    let err = got.expect_err(&format!("{state} {action} {role:?} must be refused"));
                    assert!(matches!(err, Refusal::NotInThisState { .. } | Refusal::RoleNotAllowed { .. }), "{err:?}");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, State::ALL.len() * Action::ALL.len() * 14);
}

#[test]
fn admin_roles_never_act_in_the_workflow() {
    for &state in State::ALL {
        for &action in Action::ALL {
            for role in [Role::Sysadmin, Role::Secadmin, Role::Auditadmin, Role::Auditor] {
                assert!(decide(state, action, &permissive(&[role])).is_err());
            }
        }
    }
}

#[test]
fn return_and_reject_need_a_reason() {
    let roles = [Role::Reviewer];
    let mut f = permissive(&roles);
    f.comment = Some("   ");
    assert_eq!(decide(State::UnderReview, Action::Return, &f), Err(Refusal::CommentRequired));
    let roles = [Role::Leadership];
    let mut f = permissive(&roles);
    f.comment = None;
    let err = decide(State::PendingDecision, Action::Reject, &f).unwrap_err();
    assert_eq!(err, Refusal::CommentRequired);
    assert_eq!(err.kind(), RefusalKind::Validation);
}

#[test]
fn nobody_reviews_their_own_application() {
    let roles = [Role::Reviewer, Role::DeptStaff];
    let mut f = permissive(&roles);
    f.drafted_by = f.actor_id;
    let err = decide(State::Submitted, Action::Accept, &f).unwrap_err();
    assert_eq!(err, Refusal::ConflictOfInterest);
    assert!(err.message(Lang::Zh).contains("回避"));
}

#[test]
fn another_departments_staff_cannot_submit() {
    let roles = [Role::DeptStaff];
    let mut f = permissive(&roles);
    f.actor_in_owning_department = false;
    assert_eq!(decide(State::Draft, Action::Submit, &f), Err(Refusal::NotOwnDepartment));
}

#[test]
fn forward_needs_a_recorded_review() {
    let roles = [Role::Reviewer];
    let mut f = permissive(&roles);
    f.review_recorded = false;
    assert_eq!(decide(State::UnderReview, Action::Forward, &f), Err(Refusal::ReviewMissing));
}

#[test]
fn forward_waits_for_every_forbidden_match_to_be_overridden() {
    let roles = [Role::Reviewer];
    let mut f = permissive(&roles);
    f.forbidden_matches_open = 2;
    let err = decide(State::UnderReview, Action::Forward, &f).unwrap_err();
    assert_eq!(err, Refusal::ForbiddenMatchOpen { count: 2 });
    assert_eq!(err.rule(), "directory.forbidden");
    assert!(err.message(Lang::Zh).contains("2 条禁止类规则"));
    f.forbidden_matches_open = 0;
    assert_eq!(decide(State::UnderReview, Action::Forward, &f), Ok(State::PendingDecision));
}

#[test]
fn approval_over_the_ceiling_is_refused_with_the_figures() {
    let roles = [Role::Leadership];
    let mut f = permissive(&roles);
    f.approved_amount = Fen(300 * 1_000_000);
    f.plan = Some(PlanFacts { year: 2027, locked: false, ceiling: Some(Fen(1000 * 1_000_000)), planned_total: Fen(800 * 1_000_000) });
    let err = decide(State::PendingDecision, Action::Approve, &f).unwrap_err();
    assert_eq!(err.kind(), RefusalKind::CeilingExceeded);
    let zh = err.message(Lang::Zh);
    assert!(zh.contains("1,000.00") && zh.contains("800.00") && zh.contains("300.00") && zh.contains("100.00"), "{zh}");
    // exactly at the ceiling is fine
    f.approved_amount = Fen(200 * 1_000_000);
    assert_eq!(decide(State::PendingDecision, Action::Approve, &f), Ok(State::Planned));
    // no ceiling set: allowed
    f.plan = Some(PlanFacts { year: 2027, locked: false, ceiling: None, planned_total: Fen(800 * 1_000_000) });
    f.approved_amount = Fen(i64::MAX / 2);
    assert_eq!(decide(State::PendingDecision, Action::Approve, &f), Ok(State::Planned));
}

#[test]
fn locked_plan_refuses_approval() {
    let roles = [Role::Leadership];
    let mut f = permissive(&roles);
    f.plan = Some(PlanFacts { year: 2027, locked: true, ceiling: None, planned_total: Fen(0) });
    let err = decide(State::PendingDecision, Action::Approve, &f).unwrap_err();
    assert_eq!(err, Refusal::PlanLocked { year: 2027 });
    assert!(err.message(Lang::En).contains("locked"));
}

#[test]
fn refusal_in_wrong_state_lists_what_is_possible() {
    let roles = [Role::Reviewer];
    let err = decide(State::Planned, Action::Accept, &permissive(&roles)).unwrap_err();
    assert_eq!(err.rule(), "lifecycle.state");
    let msg = err.message(Lang::Zh);
    assert!(msg.contains("已列入年度计划") && msg.contains("启动采购"), "{msg}");
}

#[test]
fn codes_are_stable_snake_case() {
    for s in State::ALL {
        assert_eq!(State::parse(s.code()), Some(*s));
        assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{}\"", s.code()));
    }
    for a in Action::ALL {
        assert_eq!(Action::parse(a.code()), Some(*a));
    }
    assert_eq!(Action::parse("return"), Some(Action::Return));
}

#[test]
fn buttons_offered_match_the_table() {
    assert_eq!(actions_for(State::PendingDecision, &[Role::Leadership]), vec![Action::Return, Action::Approve, Action::Reject]);
    assert_eq!(actions_for(State::Draft, &[Role::Reviewer]), vec![]);
}
