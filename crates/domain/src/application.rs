//! An application (申报) as a department writes it: the fields, their limits, and the checks that
//! tell a clerk exactly which field is wrong. A draft needs little; a submission needs it all.

use crate::{money::MoneyError, Fen, Lang};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! choice {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $code:literal, $zh:literal, $en:literal;)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),* } }
            pub fn parse(code: &str) -> Option<$name> { match code { $($code => Some($name::$variant),)* _ => None } }
            pub fn label(self, lang: Lang) -> &'static str { match self { $($name::$variant => lang.pick($zh, $en)),* } }
        }
    };
}
pub(crate) use choice;

choice!(
    /// 项目类别
    Category {
        Infrastructure => "infrastructure", "基础设施", "Infrastructure";
        Platform => "platform", "平台", "Platform";
        Business => "business", "业务应用", "Business application";
        Data => "data", "数据资源", "Data resources";
        Security => "security", "安全", "Security";
        Operations => "operations", "运维", "Operations";
    }
);

choice!(
    /// 建设性质
    ConstructionType {
        New => "new", "新建", "New build";
        Upgrade => "upgrade", "改扩建", "Upgrade / extension";
        Maintenance => "maintenance", "运维", "Operation & maintenance";
    }
);

choice!(
    /// 资金来源
    FundingSource {
        MunicipalBudget => "municipal_budget", "市级财政资金", "Municipal budget";
        SpecialFund => "special_fund", "专项资金", "Special fund";
        SuperiorGrant => "superior_grant", "上级补助资金", "Grant from a higher level";
        SelfFunded => "self_funded", "单位自筹", "Self-funded";
    }
);

choice!(
    /// 预算明细类别: 建设费(硬件/软件/集成/其他)与运维费
    BudgetKind {
        Hardware => "hardware", "建设费-硬件", "Construction: hardware";
        Software => "software", "建设费-软件", "Construction: software";
        Integration => "integration", "建设费-系统集成", "Construction: integration";
        OtherConstruction => "other_construction", "建设费-其他", "Construction: other";
        Operation => "operation", "运维费", "O&M";
    }
);

/// A function module (功能模块).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ModuleInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Cost estimate in 分, optional.
    #[serde(default)]
    pub estimate_fen: Option<i64>,
}

/// A budget line (预算明细).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BudgetLineInput {
    pub kind: BudgetKind,
    #[serde(default)]
    pub item: String,
    pub amount_fen: i64,
}

/// What a department writes. Money in 分 (`*_fen`); dates as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    pub name: String,
    pub category: Category,
    pub construction_type: ConstructionType,
    /// The plan year asked for; default next calendar year.
    #[serde(default)]
    pub plan_year: Option<i32>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub objectives: String,
    #[serde(default)]
    pub expected_benefits: String,
    #[serde(default = "default_funding")]
    pub funding_source: FundingSource,
    /// 等保 level, 1–5.
    #[serde(default = "default_mlps")]
    pub mlps_level: i32,
    #[serde(default)]
    pub produces_shared_data: bool,
    #[serde(default)]
    pub consumes_shared_data: bool,
    #[serde(default)]
    pub planned_start: Option<String>,
    #[serde(default)]
    pub planned_finish: Option<String>,
    #[serde(default)]
    pub modules: Vec<ModuleInput>,
    #[serde(default)]
    pub budget_lines: Vec<BudgetLineInput>,
}

fn default_funding() -> FundingSource {
    FundingSource::MunicipalBudget
}
fn default_mlps() -> i32 {
    2
}

pub const NAME_MAX: usize = 100;
pub const TEXT_MAX: usize = 5000;
pub const MODULE_NAME_MAX: usize = 60;
pub const MODULE_TEXT_MAX: usize = 500;
pub const MODULES_MAX: usize = 100;
pub const LINES_MAX: usize = 100;
pub const ITEM_MAX: usize = 100;

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    TooMany {
        max: usize,
    },
    OutOfRange {
        min: i64,
        max: i64,
    },
    Money(MoneyError),
    NotADate,
    FinishBeforeStart,
    AtLeastOne,
    TotalZero,
    Invalid(String),
    /// A unique value (a code) that another record already holds.
    Taken,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// JSON path of the field, e.g. `budget_lines[2].amount_fen`.
    pub field: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        FieldError { field: field.into(), problem }
    }

    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match &self.problem {
            Problem::Required => lang.pick("必填", "Required").into(),
            Problem::TooLong { max } => {
                if zh {
                    format!("不能超过{max}个字")
                } else {
                    format!("At most {max} characters")
                }
            }
            Problem::TooMany { max } => {
                if zh {
                    format!("最多{max}项")
                } else {
                    format!("At most {max} entries")
                }
            }
            Problem::OutOfRange { min, max } => {
                if zh {
                    format!("应在{min}到{max}之间")
                } else {
                    format!("Must be between {min} and {max}")
                }
            }
            Problem::Money(e) => e.message(lang).into(),
            Problem::NotADate => lang.pick("日期格式应为 YYYY-MM-DD,如 2027-03-01", "Use a date like 2027-03-01").into(),
            Problem::FinishBeforeStart => {
                lang.pick("计划完成日期不能早于计划开始日期", "The planned finish cannot be before the planned start").into()
            }
            Problem::AtLeastOne => lang.pick("至少填写一项", "Add at least one").into(),
            Problem::TotalZero => lang.pick("预算合计必须大于零", "The budget total must be above zero").into(),
            Problem::Taken => lang.pick("已被其他记录使用", "Already used by another record").into(),
            Problem::Invalid(detail) => {
                if zh {
                    format!("取值无效:{detail}")
                } else {
                    format!("Invalid value: {detail}")
                }
            }
        }
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

pub fn parse_date(s: &str) -> Option<time::Date> {
    time::Date::parse(s.trim(), time::macros::format_description!("[year]-[month]-[day]")).ok()
}

impl ApplicationInput {
    /// Trim text fields so that "  " counts as empty everywhere.
    pub fn normalized(mut self) -> Self {
        for s in [&mut self.name, &mut self.description, &mut self.objectives, &mut self.expected_benefits] {
            *s = s.trim().to_string();
        }
        for m in &mut self.modules {
            m.name = m.name.trim().to_string();
            m.description = m.description.trim().to_string();
        }
        for l in &mut self.budget_lines {
            l.item = l.item.trim().to_string();
        }
        for d in [&mut self.planned_start, &mut self.planned_finish] {
            if d.as_deref().is_some_and(|s| s.trim().is_empty()) {
                *d = None;
            }
        }
        self
    }

    pub fn budget_total(&self) -> Fen {
        self.budget_lines.iter().map(|l| Fen(l.amount_fen)).sum()
    }

    /// Checks every saved draft must pass: limits, ranges, formats. `this_year` is the current
    /// calendar year (the caller's clock).
    pub fn validate_draft(&self, this_year: i32) -> Vec<FieldError> {
        let mut e = vec![];
        if self.name.is_empty() {
            e.push(FieldError::new("name", Problem::Required));
        } else if chars(&self.name) > NAME_MAX {
            e.push(FieldError::new("name", Problem::TooLong { max: NAME_MAX }));
        }
        for (field, v) in
            [("description", &self.description), ("objectives", &self.objectives), ("expected_benefits", &self.expected_benefits)]
        {
            if chars(v) > TEXT_MAX {
                e.push(FieldError::new(field, Problem::TooLong { max: TEXT_MAX }));
            }
        }
        if let Some(y) = self.plan_year {
            if y < this_year || y > this_year + 5 {
                e.push(FieldError::new("plan_year", Problem::OutOfRange { min: this_year as i64, max: this_year as i64 + 5 }));
            }
        }
        if !(1..=5).contains(&self.mlps_level) {
            e.push(FieldError::new("mlps_level", Problem::OutOfRange { min: 1, max: 5 }));
        }
        let start = self.planned_start.as_deref().map(|s| (s, parse_date(s)));
        let finish = self.planned_finish.as_deref().map(|s| (s, parse_date(s)));
        if let Some((_, None)) = start {
            e.push(FieldError::new("planned_start", Problem::NotADate));
        }
        if let Some((_, None)) = finish {
            e.push(FieldError::new("planned_finish", Problem::NotADate));
        }
        if let (Some((_, Some(s))), Some((_, Some(f)))) = (start, finish) {
            if f < s {
                e.push(FieldError::new("planned_finish", Problem::FinishBeforeStart));
            }
        }
        if self.modules.len() > MODULES_MAX {
            e.push(FieldError::new("modules", Problem::TooMany { max: MODULES_MAX }));
        }
        for (i, m) in self.modules.iter().enumerate() {
            if m.name.is_empty() {
                e.push(FieldError::new(format!("modules[{i}].name"), Problem::Required));
            } else if chars(&m.name) > MODULE_NAME_MAX {
                e.push(FieldError::new(format!("modules[{i}].name"), Problem::TooLong { max: MODULE_NAME_MAX }));
            }
            if chars(&m.description) > MODULE_TEXT_MAX {
                e.push(FieldError::new(format!("modules[{i}].description"), Problem::TooLong { max: MODULE_TEXT_MAX }));
            }
            if let Some(fen) = m.estimate_fen {
                if let Err(err) = Fen::checked(fen) {
                    e.push(FieldError::new(format!("modules[{i}].estimate_fen"), Problem::Money(err)));
                }
            }
        }
        if self.budget_lines.len() > LINES_MAX {
            e.push(FieldError::new("budget_lines", Problem::TooMany { max: LINES_MAX }));
        }
        for (i, l) in self.budget_lines.iter().enumerate() {
            if chars(&l.item) > ITEM_MAX {
                e.push(FieldError::new(format!("budget_lines[{i}].item"), Problem::TooLong { max: ITEM_MAX }));
            }
            if let Err(err) = Fen::checked(l.amount_fen) {
                e.push(FieldError::new(format!("budget_lines[{i}].amount_fen"), Problem::Money(err)));
            }
        }
        if e.is_empty() && Fen::checked(self.budget_total().0).is_err() {
            e.push(FieldError::new("budget_lines", Problem::Money(MoneyError::TooLarge)));
        }
        e
    }

    /// What a submission needs beyond a valid draft.
    pub fn validate_for_submit(&self, this_year: i32) -> Vec<FieldError> {
        let mut e = self.validate_draft(this_year);
        if self.description.is_empty() {
            e.push(FieldError::new("description", Problem::Required));
        }
        if self.modules.is_empty() {
            e.push(FieldError::new("modules", Problem::AtLeastOne));
        }
        if self.budget_lines.is_empty() {
            e.push(FieldError::new("budget_lines", Problem::AtLeastOne));
        } else if self.budget_total().0 <= 0 {
            e.push(FieldError::new("budget_lines", Problem::TotalZero));
        }
        if self.planned_start.is_none() {
            e.push(FieldError::new("planned_start", Problem::Required));
        }
        if self.planned_finish.is_none() {
            e.push(FieldError::new("planned_finish", Problem::Required));
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample() -> ApplicationInput {
        ApplicationInput {
            name: "智慧教育云平台二期".into(),
            category: Category::Platform,
            construction_type: ConstructionType::Upgrade,
            plan_year: Some(2027),
            description: "整合全市中小学教学资源".into(),
            objectives: String::new(),
            expected_benefits: String::new(),
            funding_source: FundingSource::MunicipalBudget,
            mlps_level: 3,
            produces_shared_data: true,
            consumes_shared_data: false,
            planned_start: Some("2027-03-01".into()),
            planned_finish: Some("2027-12-31".into()),
            modules: vec![ModuleInput { name: "统一身份认证".into(), description: String::new(), estimate_fen: Some(50_000_000) }],
            budget_lines: vec![BudgetLineInput { kind: BudgetKind::Software, item: "平台软件".into(), amount_fen: 300_000_000 }],
        }
    }

    #[test]
    fn a_complete_application_passes() {
        assert_eq!(sample().validate_for_submit(2026), vec![]);
    }

    #[test]
    fn each_wrong_field_is_named() {
        let mut a = sample();
        a.name = "x".repeat(101);
        a.mlps_level = 7;
        a.planned_finish = Some("2027-02-01".into());
        a.budget_lines.push(BudgetLineInput { kind: BudgetKind::Hardware, item: String::new(), amount_fen: -5 });
        a.modules.push(ModuleInput { name: String::new(), description: String::new(), estimate_fen: None });
        let fields: Vec<String> = a.validate_draft(2026).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["name", "mlps_level", "planned_finish", "modules[1].name", "budget_lines[1].amount_fen"]);
    }

    #[test]
    fn a_draft_may_be_incomplete_but_a_submission_may_not() {
        let mut a = sample();
        a.modules.clear();
        a.budget_lines.clear();
        a.planned_start = None;
        assert!(a.validate_draft(2026).is_empty());
        let fields: Vec<String> = a.validate_for_submit(2026).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["modules", "budget_lines", "planned_start"]);
    }

    #[test]
    fn plan_year_must_be_near() {
        let mut a = sample();
        a.plan_year = Some(2019);
        let e = a.validate_draft(2026);
        assert_eq!(e[0].field, "plan_year");
        assert_eq!(e[0].message(Lang::Zh), "应在2026到2031之间");
    }
}
