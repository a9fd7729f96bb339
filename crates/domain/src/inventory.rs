//! The system inventory (系统台账), the shared-capability catalog (共性服务能力清单) and the
//! reviewers' synonym groups for 查重: what a form or an import row must hold, and the checks that
//! name the wrong field by its JSON path (`modules[3].name`), as for applications.

use crate::application::{choice, parse_date, FieldError, Problem};
use crate::{Fen, Lang};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

choice!(
    /// 系统状态
    SystemStatus {
        InUse => "in_use", "在用", "In use";
        Suspended => "suspended", "停用", "Suspended";
        Retired => "retired", "淘汰", "Retired";
    }
);

choice!(
    /// 部署方式
    Hosting {
        GovCloud => "gov_cloud", "政务云", "Government cloud";
        OwnRoom => "own_room", "自建机房", "Own machine room";
        Other => "other", "其他", "Other";
    }
);

pub const CODE_MAX: usize = 40;
pub const NAME_MAX: usize = 100;
pub const SHORT_MAX: usize = 100;
pub const TEXT_MAX: usize = 5000;
pub const MODULE_NAME_MAX: usize = 100;
pub const MODULE_TEXT_MAX: usize = 1000;
pub const SYSTEM_MODULES_MAX: usize = 300;
pub const CAPABILITY_SYSTEMS_MAX: usize = 2000;
pub const TERM_MAX: usize = 40;
pub const TERMS_MAX: usize = 50;
pub const NOTE_MAX: usize = 500;

/// A function module of an existing system (系统功能模块).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
pub struct SystemModuleInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// An information system as the bureau records it. Money in 分; dates `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SystemInput {
    /// The bureau's code for the system (unique), e.g. `YZ-JYJ-003`.
    pub code: String,
    pub name: String,
    /// The owning department (主管部门).
    pub department_id: i64,
    /// The O&M organisation (运维单位).
    #[serde(default)]
    pub operator: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "in_use")]
    pub status: SystemStatus,
    /// 等保 level 0–5, 0 = not graded.
    #[serde(default)]
    pub mlps_level: i64,
    #[serde(default = "other_hosting")]
    pub hosting: Hosting,
    #[serde(default)]
    pub go_live: Option<String>,
    /// Annual O&M cost in 分.
    #[serde(default)]
    pub annual_om_fen: i64,
    /// The tongchou project that built it, if any.
    #[serde(default)]
    pub project_id: Option<i64>,
    #[serde(default)]
    pub modules: Vec<SystemModuleInput>,
}

fn in_use() -> SystemStatus {
    SystemStatus::InUse
}
fn other_hosting() -> Hosting {
    Hosting::Other
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn check_text(e: &mut Vec<FieldError>, field: &str, v: &str, required: bool, max: usize) {
    if required && v.is_empty() {
        e.push(FieldError::new(field, Problem::Required));
    } else if chars(v) > max {
        e.push(FieldError::new(field, Problem::TooLong { max }));
    }
}

/// A code: printable, no spaces, at most [`CODE_MAX`] characters.
fn check_code(e: &mut Vec<FieldError>, field: &str, v: &str) {
    check_text(e, field, v, true, CODE_MAX);
    if !v.is_empty() && v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        e.push(FieldError::new(field, Problem::Invalid("代码中不能有空格 / no spaces in a code".into())));
    }
}

impl SystemInput {
    /// An empty system of `department_id` (a new form, an import row before its cells).
    pub fn blank(department_id: i64) -> SystemInput {
        SystemInput {
            code: String::new(),
            name: String::new(),
            department_id,
            operator: String::new(),
            description: String::new(),
            status: SystemStatus::InUse,
            mlps_level: 0,
            hosting: Hosting::Other,
            go_live: None,
            annual_om_fen: 0,
            project_id: None,
            modules: vec![],
        }
    }

    /// Trim text so that "  " counts as empty; drop module rows left wholly empty.
    pub fn normalized(mut self) -> Self {
        for s in [&mut self.code, &mut self.name, &mut self.operator, &mut self.description] {
            *s = s.trim().to_string();
        }
        for m in &mut self.modules {
            m.name = m.name.trim().to_string();
            m.description = m.description.trim().to_string();
        }
        self.modules.retain(|m| !(m.name.is_empty() && m.description.is_empty()));
        if self.go_live.as_deref().is_some_and(|s| s.trim().is_empty()) {
            self.go_live = None;
        }
        self.go_live = self.go_live.map(|s| s.trim().to_string());
        self
    }

    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = vec![];
        check_code(&mut e, "code", &self.code);
        check_text(&mut e, "name", &self.name, true, NAME_MAX);
        if self.department_id <= 0 {
            e.push(FieldError::new("department_id", Problem::Required));
        }
        check_text(&mut e, "operator", &self.operator, false, SHORT_MAX);
        check_text(&mut e, "description", &self.description, false, TEXT_MAX);
        if !(0..=5).contains(&self.mlps_level) {
            e.push(FieldError::new("mlps_level", Problem::OutOfRange { min: 0, max: 5 }));
        }
        if let Some(d) = &self.go_live {
            if parse_date(d).is_none() {
                e.push(FieldError::new("go_live", Problem::NotADate));
            }
        }
        if let Err(err) = Fen::checked(self.annual_om_fen) {
            e.push(FieldError::new("annual_om_fen", Problem::Money(err)));
        }
        if self.modules.len() > SYSTEM_MODULES_MAX {
            e.push(FieldError::new("modules", Problem::TooMany { max: SYSTEM_MODULES_MAX }));
        }
        for (i, m) in self.modules.iter().enumerate() {
            check_text(&mut e, &format!("modules[{i}].name"), &m.name, true, MODULE_NAME_MAX);
            check_text(&mut e, &format!("modules[{i}].description"), &m.description, false, MODULE_TEXT_MAX);
        }
        e
    }
}

/// A shared capability (共性服务能力) in the bureau's catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapabilityInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Who provides it (提供单位).
    #[serde(default)]
    pub provider: String,
    /// How a system connects to it (接入方式: API, SDK, 页面嵌入…).
    #[serde(default)]
    pub access_method: String,
    #[serde(default = "yes")]
    pub active: bool,
    /// The inventory systems that use it.
    #[serde(default)]
    pub system_ids: Vec<i64>,
}

fn yes() -> bool {
    true
}

impl CapabilityInput {
    pub fn normalized(mut self) -> Self {
        for s in [&mut self.code, &mut self.name, &mut self.description, &mut self.provider, &mut self.access_method] {
            *s = s.trim().to_string();
        }
        self.system_ids.sort_unstable();
        self.system_ids.dedup();
        self
    }

    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = vec![];
        check_code(&mut e, "code", &self.code);
        check_text(&mut e, "name", &self.name, true, NAME_MAX);
        check_text(&mut e, "description", &self.description, false, TEXT_MAX);
        check_text(&mut e, "provider", &self.provider, false, SHORT_MAX);
        check_text(&mut e, "access_method", &self.access_method, false, SHORT_MAX);
        if self.system_ids.len() > CAPABILITY_SYSTEMS_MAX {
            e.push(FieldError::new("system_ids", Problem::TooMany { max: CAPABILITY_SYSTEMS_MAX }));
        }
        e
    }
}

/// A synonym group a reviewer adds to the 查重 dictionary: terms that mean the same function
/// ("统一身份认证" / "单点登录" / "用户中心").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SynonymInput {
    /// At least two different terms.
    pub terms: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// What separates terms typed on one line (the detector's dictionary format uses the same).
pub const TERM_SEPARATORS: [char; 9] = ['|', '/', '、', ',', '，', '｜', ';', '；', '\n'];

impl SynonymInput {
    /// Split terms typed together ("单点登录|统一认证"), trim them, drop empties and repeats.
    pub fn normalized(mut self) -> Self {
        let mut terms: Vec<String> = vec![];
        for t in self.terms.iter().flat_map(|t| t.split(TERM_SEPARATORS)) {
            let t = t.trim().to_string();
            if !t.is_empty() && !terms.iter().any(|x| x.to_lowercase() == t.to_lowercase()) {
                terms.push(t);
            }
        }
        self.terms = terms;
        self.note = self.note.trim().to_string();
        self
    }

    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = vec![];
        if self.terms.len() < 2 {
            e.push(FieldError::new("terms", Problem::Invalid("同义词组至少需要两个不同的词 / a group needs two different terms".into())));
        }
        if self.terms.len() > TERMS_MAX {
            e.push(FieldError::new("terms", Problem::TooMany { max: TERMS_MAX }));
        }
        for (i, t) in self.terms.iter().enumerate() {
            check_text(&mut e, &format!("terms[{i}]"), t, true, TERM_MAX);
        }
        check_text(&mut e, "note", &self.note, false, NOTE_MAX);
        e
    }
}

/// 等保 level from what clerks write: `3`, `3级`, `三级`, `第三级`, `等保三级`, `未定级`.
pub fn parse_mlps(raw: &str) -> Option<i64> {
    let s: String = raw.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() || matches!(s.as_str(), "未定级" | "无" | "未定" | "不定级" | "-" | "—") {
        return Some(0);
    }
    let s = s.trim_start_matches("等保").trim_start_matches('第').trim_end_matches('级').trim_end_matches(".0");
    let n = match s {
        "0" | "零" => 0,
        "1" | "一" => 1,
        "2" | "二" => 2,
        "3" | "三" => 3,
        "4" | "四" => 4,
        "5" | "五" => 5,
        _ => return None,
    };
    Some(n)
}

pub fn parse_status(raw: &str) -> Option<SystemStatus> {
    let s = raw.trim().to_lowercase();
    SystemStatus::parse(&s).or(match s.as_str() {
        "在用" | "运行" | "运行中" | "正常" | "使用中" | "in use" => Some(SystemStatus::InUse),
        "停用" | "暂停" | "停止" | "已停用" => Some(SystemStatus::Suspended),
        "淘汰" | "下线" | "已下线" | "已淘汰" | "退役" => Some(SystemStatus::Retired),
        _ => None,
    })
}

pub fn parse_hosting(raw: &str) -> Option<Hosting> {
    let s = raw.trim().to_lowercase();
    Hosting::parse(&s).or(match s.as_str() {
        "政务云" | "云" | "政务云平台" | "上云" | "gov cloud" => Some(Hosting::GovCloud),
        "自建机房" | "自建" | "本地机房" | "机房" | "本单位机房" => Some(Hosting::OwnRoom),
        "其他" | "其它" | "托管" | "第三方托管" | "公有云" => Some(Hosting::Other),
        _ => None,
    })
}

/// A date as clerks write it (`2021-06-30`, `2021/6/30`, `2021.6.30`, `2021年6月30日`), as
/// `YYYY-MM-DD`.
pub fn parse_loose_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = s.strip_suffix('日').unwrap_or(s);
    let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月']).collect();
    if parts.len() != 3 {
        return None;
    }
    let y: i32 = parts[0].parse().ok()?;
    let m: u8 = parts[1].parse().ok()?;
    let d: u8 = parts[2].parse().ok()?;
    let date = time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()?;
    Some(format!("{:04}-{:02}-{:02}", date.year(), date.month() as u8, date.day()))
}

/// Module names from one cell: separated by `；` `;` `、` or new lines.
pub fn split_modules(cell: &str) -> Vec<SystemModuleInput> {
    cell.split(['；', ';', '、', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|name| SystemModuleInput { name: name.to_string(), description: String::new() })
        .collect()
}

/// The words of a yes/no cell.
pub fn parse_bool(raw: &str) -> Option<bool> {
    match raw.trim().to_lowercase().as_str() {
        "" | "是" | "启用" | "有效" | "true" | "yes" | "y" | "1" | "在用" | "active" => Some(true),
        "否" | "停用" | "无效" | "false" | "no" | "n" | "0" | "inactive" => Some(false),
        _ => None,
    }
}

/// A label for the status, hosting… of a system in `lang`, for exports.
pub fn status_label(code: &str, lang: Lang) -> &'static str {
    SystemStatus::parse(code).map(|s| s.label(lang)).unwrap_or("")
}

pub fn hosting_label(code: &str, lang: Lang) -> &'static str {
    Hosting::parse(code).map(|s| s.label(lang)).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SystemInput {
        SystemInput {
            code: "YZ-JYJ-001".into(),
            name: "教育统一身份认证系统".into(),
            department_id: 3,
            operator: "云数信息运维服务有限公司".into(),
            description: String::new(),
            status: SystemStatus::InUse,
            mlps_level: 3,
            hosting: Hosting::GovCloud,
            go_live: Some("2019-09-01".into()),
            annual_om_fen: 35_000_000,
            project_id: None,
            modules: vec![SystemModuleInput { name: "单点登录".into(), description: String::new() }],
        }
    }

    #[test]
    fn a_complete_system_passes_and_each_wrong_field_is_named() {
        assert_eq!(sample().validate(), vec![]);
        let mut s = sample();
        s.code = "YZ JYJ".into();
        s.mlps_level = 7;
        s.go_live = Some("2019-13-01".into());
        s.modules.push(SystemModuleInput::default());
        s.modules.push(SystemModuleInput::default());
        s.modules[2].name = "x".repeat(101);
        let fields: Vec<String> = s.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["code", "mlps_level", "go_live", "modules[1].name", "modules[2].name"]);
    }

    #[test]
    fn normalising_drops_empty_module_rows() {
        let mut s = sample();
        s.modules.push(SystemModuleInput { name: "  ".into(), description: " ".into() });
        s.go_live = Some(" ".into());
        let s = s.normalized();
        assert_eq!(s.modules.len(), 1);
        assert_eq!(s.go_live, None);
    }

    #[test]
    fn clerk_spellings_are_understood() {
        assert_eq!(parse_mlps("三级"), Some(3));
        assert_eq!(parse_mlps("第二级"), Some(2));
        assert_eq!(parse_mlps("等保四级"), Some(4));
        assert_eq!(parse_mlps("3"), Some(3));
        assert_eq!(parse_mlps("3.0"), Some(3));
        assert_eq!(parse_mlps("未定级"), Some(0));
        assert_eq!(parse_mlps("高"), None);
        assert_eq!(parse_mlps("6"), None);
        assert_eq!(parse_status("在用"), Some(SystemStatus::InUse));
        assert_eq!(parse_status("retired"), Some(SystemStatus::Retired));
        assert_eq!(parse_hosting("政务云"), Some(Hosting::GovCloud));
        assert_eq!(parse_hosting("自建机房"), Some(Hosting::OwnRoom));
        assert_eq!(parse_hosting("月球"), None);
        assert_eq!(parse_loose_date("2021/6/3").as_deref(), Some("2021-06-03"));
        assert_eq!(parse_loose_date("2021年6月30日").as_deref(), Some("2021-06-30"));
        assert_eq!(parse_loose_date("2021-02-30"), None);
        let m: Vec<String> = split_modules("单点登录；用户管理;权限、日志\n报表").into_iter().map(|m| m.name).collect();
        assert_eq!(m, vec!["单点登录", "用户管理", "权限", "日志", "报表"]);
    }

    #[test]
    fn synonym_groups_need_two_different_terms() {
        let g = SynonymInput { terms: vec!["单点登录|统一认证".into(), " 单点登录 ".into()], note: String::new() }.normalized();
        assert_eq!(g.terms, vec!["单点登录", "统一认证"]);
        assert!(g.validate().is_empty());
        let one = SynonymInput { terms: vec!["GIS".into(), "gis".into()], note: String::new() }.normalized();
        assert_eq!(one.validate()[0].field, "terms");
    }
}
