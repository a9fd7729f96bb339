//! 查重 decisions (去重、整合、剥离、优化): what a reviewer decides for each module of an
//! application after the detector has listed what it overlaps, and the money that saves.
//!
//! A module's decision is one of: reuse a shared capability instead of building it (复用), merge it
//! into another project or system (整合), strip it from the application (剥离), or keep it (保留).
//! The first three take the module's cost estimate off the recommended approved budget; keeping a
//! module that the detector flagged needs a reason. Pure: the store passes the facts in.

use crate::application::{FieldError, Problem};
use crate::{Fen, Lang};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the reviewer decided for one module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 复用共性能力: use a shared capability instead of building the module.
    Reuse,
    /// 整合: merge the module into another project or existing system.
    Merge,
    /// 剥离: strip the module from this application.
    Strip,
    /// 保留: build it as applied.
    Keep,
}

impl Decision {
    pub const ALL: &'static [Decision] = &[Decision::Reuse, Decision::Merge, Decision::Strip, Decision::Keep];

    pub fn code(self) -> &'static str {
        match self {
            Decision::Reuse => "reuse",
            Decision::Merge => "merge",
            Decision::Strip => "strip",
            Decision::Keep => "keep",
        }
    }

    pub fn parse(code: &str) -> Option<Decision> {
        Decision::ALL.iter().copied().find(|d| d.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Decision::Reuse => lang.pick("复用共性能力", "Reuse a shared capability"),
            Decision::Merge => lang.pick("整合到其他项目/系统", "Merge into another project/system"),
            Decision::Strip => lang.pick("剥离", "Strip"),
            Decision::Keep => lang.pick("保留", "Keep"),
        }
    }

    /// Does this decision take the module's estimate off the budget?
    pub fn saves(self) -> bool {
        !matches!(self, Decision::Keep)
    }

    /// Does the decision name what the module goes to (a capability, project or system)?
    pub fn needs_target(self) -> bool {
        matches!(self, Decision::Reuse | Decision::Merge)
    }
}

/// A reviewer's decision for one module, as the form or the API sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DecisionInput {
    pub decision: Decision,
    /// What the module is redirected to, for `reuse` (the capability) and `merge` (the project or
    /// system), e.g. `capability:CAP-001` or `system:YZ-SYS-007` as the candidate list names it,
    /// or the name in words.
    #[serde(default)]
    pub target: String,
    /// Why. Required when keeping a module the detector flagged, and when stripping.
    #[serde(default)]
    pub reason: String,
}

pub const REASON_MAX: usize = 2000;
pub const TARGET_MAX: usize = 200;

impl DecisionInput {
    pub fn normalized(mut self) -> Self {
        self.target = self.target.trim().to_string();
        self.reason = self.reason.trim().to_string();
        self
    }

    /// `flagged`: the detector found at least one overlap for this module.
    pub fn validate(&self, flagged: bool) -> Vec<FieldError> {
        let mut errs = Vec::new();
        if self.decision.needs_target() && self.target.is_empty() {
            errs.push(FieldError::new("target", Problem::Required));
        }
        let reason_needed = match self.decision {
            Decision::Keep => flagged,
            Decision::Strip => true,
            Decision::Reuse | Decision::Merge => false,
        };
        if reason_needed && self.reason.is_empty() {
            errs.push(FieldError::new("reason", Problem::Required));
        }
        if self.target.chars().count() > TARGET_MAX {
            errs.push(FieldError::new("target", Problem::TooLong { max: TARGET_MAX }));
        }
        if self.reason.chars().count() > REASON_MAX {
            errs.push(FieldError::new("reason", Problem::TooLong { max: REASON_MAX }));
        }
        errs
    }
}

/// One module as the savings see it: its estimate (if the department gave one) and the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModuleCost {
    pub estimate: Option<Fen>,
    pub decision: Option<Decision>,
}

/// 查重节约资金: the estimates of the modules that are reused, merged or stripped.
pub fn savings(modules: &[ModuleCost]) -> Fen {
    modules.iter().filter(|m| m.decision.is_some_and(Decision::saves)).filter_map(|m| m.estimate).sum()
}

/// The recommended approved budget: the applied budget less the savings, never below zero.
pub fn recommended_budget(applied: Fen, saved: Fen) -> Fen {
    Fen((applied.0 - saved.0).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(decision: Decision, target: &str, reason: &str) -> DecisionInput {
        DecisionInput { decision, target: target.into(), reason: reason.into() }.normalized()
    }

    fn fields(errs: Vec<FieldError>) -> Vec<String> {
        errs.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn keeping_a_flagged_module_needs_a_reason() {
        assert_eq!(fields(input(Decision::Keep, "", " ").validate(true)), ["reason"]);
        assert!(input(Decision::Keep, "", "").validate(false).is_empty());
        assert!(input(Decision::Keep, "", "业务特殊,需本地部署").validate(true).is_empty());
    }

    #[test]
    fn reuse_and_merge_name_their_target_and_strip_says_why() {
        assert_eq!(fields(input(Decision::Reuse, "", "").validate(true)), ["target"]);
        assert_eq!(fields(input(Decision::Merge, "  ", "").validate(true)), ["target"]);
        assert!(input(Decision::Reuse, "capability:CAP-001", "").validate(true).is_empty());
        assert_eq!(fields(input(Decision::Strip, "", "").validate(true)), ["reason"]);
    }

    #[test]
    fn limits_are_checked() {
        let long = "长".repeat(REASON_MAX + 1);
        assert_eq!(fields(input(Decision::Keep, "", &long).validate(true)), ["reason"]);
        let long = "x".repeat(TARGET_MAX + 1);
        assert_eq!(fields(input(Decision::Merge, &long, "").validate(true)), ["target"]);
    }

    #[test]
    // Amounts are written yuan_fen (100_000_00 = 100,000.00 yuan).
    #[allow(clippy::inconsistent_digit_grouping)]
    fn savings_count_reused_merged_and_stripped_estimates_only() {
        let m = |e: Option<i64>, d: Option<Decision>| ModuleCost { estimate: e.map(Fen), decision: d };
        let modules = [
            m(Some(100_000_00), Some(Decision::Reuse)),
            m(Some(50_000_00), Some(Decision::Merge)),
            m(Some(30_000_00), Some(Decision::Strip)),
            m(Some(70_000_00), Some(Decision::Keep)),
            m(Some(90_000_00), None),
            m(None, Some(Decision::Strip)),
        ];
        assert_eq!(savings(&modules), Fen(180_000_00));
        assert_eq!(recommended_budget(Fen(500_000_00), Fen(180_000_00)), Fen(320_000_00));
        assert_eq!(recommended_budget(Fen(100), Fen(500)), Fen(0));
    }

    #[test]
    fn codes_round_trip() {
        for d in Decision::ALL {
            assert_eq!(Decision::parse(d.code()), Some(*d));
            assert!(!d.label(Lang::Zh).is_empty() && !d.label(Lang::En).is_empty());
        }
        assert_eq!(Decision::parse("delete"), None);
    }
}
