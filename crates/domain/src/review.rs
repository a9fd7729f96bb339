//! The feasibility review (可行性评审) a reviewer records, and experts' scored opinions.

use crate::application::{FieldError, Problem};
use crate::{Fen, Lang};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// 可行
    Feasible,
    /// 修改后可行
    FeasibleWithChanges,
    /// 不可行
    NotFeasible,
}

impl Conclusion {
    pub const ALL: [Conclusion; 3] = [Conclusion::Feasible, Conclusion::FeasibleWithChanges, Conclusion::NotFeasible];
    pub fn code(self) -> &'static str {
        match self {
            Conclusion::Feasible => "feasible",
            Conclusion::FeasibleWithChanges => "feasible_with_changes",
            Conclusion::NotFeasible => "not_feasible",
        }
    }
    pub fn parse(s: &str) -> Option<Conclusion> {
        Conclusion::ALL.into_iter().find(|c| c.code() == s)
    }
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Conclusion::Feasible => lang.pick("可行", "Feasible"),
            Conclusion::FeasibleWithChanges => lang.pick("修改后可行", "Feasible with changes"),
            Conclusion::NotFeasible => lang.pick("不可行", "Not feasible"),
        }
    }
}

/// The reviewer's three-part review and recommended approved budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    pub technical_conclusion: Conclusion,
    #[serde(default)]
    pub technical_text: String,
    pub economic_conclusion: Conclusion,
    #[serde(default)]
    pub economic_text: String,
    pub risk_conclusion: Conclusion,
    #[serde(default)]
    pub risk_text: String,
    /// Recommended approved budget, 分.
    pub recommended_fen: i64,
}

pub const REVIEW_TEXT_MAX: usize = 5000;

impl ReviewInput {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = vec![];
        for (f, t) in [("technical_text", &self.technical_text), ("economic_text", &self.economic_text), ("risk_text", &self.risk_text)] {
            if t.chars().count() > REVIEW_TEXT_MAX {
                e.push(FieldError::new(f, Problem::TooLong { max: REVIEW_TEXT_MAX }));
            }
        }
        if let Err(err) = Fen::checked(self.recommended_fen) {
            e.push(FieldError::new("recommended_fen", Problem::Money(err)));
        }
        e
    }
}

/// An expert's scored opinion (专家意见), score 0–100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpinionInput {
    pub score: i64,
    pub conclusion: Conclusion,
    #[serde(default)]
    pub opinion: String,
}

impl OpinionInput {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = vec![];
        if !(0..=100).contains(&self.score) {
            e.push(FieldError::new("score", Problem::OutOfRange { min: 0, max: 100 }));
        }
        if self.opinion.trim().is_empty() {
            e.push(FieldError::new("opinion", Problem::Required));
        } else if self.opinion.chars().count() > REVIEW_TEXT_MAX {
            e.push(FieldError::new("opinion", Problem::TooLong { max: REVIEW_TEXT_MAX }));
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opinion_score_is_bounded_and_text_required() {
        let o = OpinionInput { score: 101, conclusion: Conclusion::Feasible, opinion: " ".into() };
        let f: Vec<String> = o.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(f, ["score", "opinion"]);
    }

    #[test]
    fn review_amount_must_be_plausible() {
        let r = ReviewInput {
            technical_conclusion: Conclusion::Feasible,
            technical_text: String::new(),
            economic_conclusion: Conclusion::FeasibleWithChanges,
            economic_text: String::new(),
            risk_conclusion: Conclusion::Feasible,
            risk_text: String::new(),
            recommended_fen: -1,
        };
        assert_eq!(r.validate()[0].field, "recommended_fen");
    }
}
