//! The policy catalog (项目管理目录): rules the bureau keeps that classify applications as
//! forbidden (禁止类), prioritised (优先类) or to be retired (淘汰类), and the pure matcher that
//! tells a reviewer which rules an application meets and why (which phrase, in which field).
//!
//! Matching is literal on normalised text — full-width folded to half-width, case folded, spaces
//! and punctuation removed — so that "ＧＩＳ 地图" meets the phrase "gis地图". A phrase may join
//! parts with `+` ("自建+机房"): every part must occur in the same field. Semantic matching (synonyms)
//! is the 查重 detector's job, not this one's: a rule should say exactly what it forbids.

use crate::application::{choice, Category, ConstructionType, FieldError, Problem};
use crate::Lang;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

choice!(
    /// 目录类别
    RuleClass {
        Forbidden => "forbidden", "禁止类", "Forbidden";
        Priority => "priority", "优先类", "Prioritised";
        Retire => "retire", "淘汰类", "To retire";
    }
);

impl RuleClass {
    /// Forbidden first, then to-retire, then prioritised: what a reviewer must act on first.
    fn rank(self) -> u8 {
        match self {
            RuleClass::Forbidden => 0,
            RuleClass::Retire => 1,
            RuleClass::Priority => 2,
        }
    }
}

pub const TITLE_MAX: usize = 100;
pub const KEYWORD_MAX: usize = 50;
pub const KEYWORDS_MAX: usize = 100;

/// A rule as the bureau writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectoryRuleInput {
    pub class: RuleClass,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Phrases, any of which matches; `a+b` needs both parts in one field.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Empty = any category.
    #[serde(default)]
    pub categories: Vec<Category>,
    /// Empty = any construction type.
    #[serde(default)]
    pub construction_types: Vec<ConstructionType>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl DirectoryRuleInput {
    pub fn normalized(mut self) -> Self {
        self.title = self.title.trim().to_string();
        self.description = self.description.trim().to_string();
        let mut kws: Vec<String> = vec![];
        for k in self.keywords.iter().flat_map(|k| k.split('\n')) {
            let k = k.trim().to_string();
            if !k.is_empty() && !kws.contains(&k) {
                kws.push(k);
            }
        }
        self.keywords = kws;
        self.categories.dedup();
        self.construction_types.dedup();
        self
    }

    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = vec![];
        if self.title.is_empty() {
            e.push(FieldError::new("title", Problem::Required));
        } else if self.title.chars().count() > TITLE_MAX {
            e.push(FieldError::new("title", Problem::TooLong { max: TITLE_MAX }));
        }
        if self.description.chars().count() > crate::inventory::TEXT_MAX {
            e.push(FieldError::new("description", Problem::TooLong { max: crate::inventory::TEXT_MAX }));
        }
        if self.keywords.len() > KEYWORDS_MAX {
            e.push(FieldError::new("keywords", Problem::TooMany { max: KEYWORDS_MAX }));
        }
        for (i, k) in self.keywords.iter().enumerate() {
            if k.chars().count() > KEYWORD_MAX {
                e.push(FieldError::new(format!("keywords[{i}]"), Problem::TooLong { max: KEYWORD_MAX }));
            } else if normalize(k).is_empty() {
                e.push(FieldError::new(format!("keywords[{i}]"), Problem::Invalid(k.clone())));
            }
        }
        // A rule with no criterion at all would classify every application.
        if self.keywords.is_empty() && self.categories.is_empty() && self.construction_types.is_empty() {
            e.push(FieldError::new("keywords", Problem::AtLeastOne));
        }
        e
    }
}

/// A rule as the matcher needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DirectoryRule {
    pub id: i64,
    pub class: RuleClass,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub keywords: Vec<String>,
    pub categories: Vec<Category>,
    pub construction_types: Vec<ConstructionType>,
}

/// The text of an application the rules are checked against.
#[derive(Debug, Clone, Copy)]
pub struct ApplicationText<'a> {
    pub name: &'a str,
    pub description: &'a str,
    /// (name, description) of each module.
    pub modules: &'a [(&'a str, &'a str)],
    pub category: Category,
    pub construction_type: ConstructionType,
}

/// One phrase of a rule found in one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct KeywordHit {
    pub keyword: String,
    /// JSON path of the field: `name`, `description`, `modules[2].name`, `modules[2].description`.
    pub field: String,
}

/// A rule the application meets, with what made it match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RuleMatch {
    pub rule_id: i64,
    pub class: RuleClass,
    pub title: String,
    pub description: String,
    /// Empty when the rule has no phrases and matched on category / construction type alone.
    pub hits: Vec<KeywordHit>,
}

impl RuleMatch {
    /// "「单点登录」见于 模块3名称" — what a reviewer reads.
    pub fn explain(&self, lang: Lang) -> String {
        if self.hits.is_empty() {
            return lang.pick("符合类别/建设性质条件", "Matches on category / construction type").into();
        }
        let parts: Vec<String> = self
            .hits
            .iter()
            .map(|h| match lang {
                Lang::Zh => format!("「{}」见于{}", h.keyword, field_label(&h.field, lang)),
                Lang::En => format!("“{}” in {}", h.keyword, field_label(&h.field, lang)),
            })
            .collect();
        parts.join(lang.pick(";", "; "))
    }
}

/// A field path in words.
pub fn field_label(field: &str, lang: Lang) -> String {
    match field {
        "name" => lang.pick("项目名称", "the name").into(),
        "description" => lang.pick("项目概述", "the description").into(),
        _ => {
            let (n, part) = field
                .strip_prefix("modules[")
                .and_then(|r| r.split_once("]."))
                .and_then(|(i, p)| i.parse::<usize>().ok().map(|i| (i + 1, p)))
                .unwrap_or((0, ""));
            match (lang, part) {
                (Lang::Zh, "name") => format!("模块{n}名称"),
                (Lang::Zh, _) => format!("模块{n}说明"),
                (Lang::En, "name") => format!("module {n}'s name"),
                (Lang::En, _) => format!("module {n}'s description"),
            }
        }
    }
}

/// Fold full-width forms to half-width, case, and drop whitespace and punctuation.
pub fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The rules `app` meets, forbidden first, each with the phrases found and where.
pub fn match_rules(rules: &[DirectoryRule], app: &ApplicationText<'_>) -> Vec<RuleMatch> {
    let mut fields: Vec<(String, String)> = vec![("name".into(), normalize(app.name)), ("description".into(), normalize(app.description))];
    for (i, (name, desc)) in app.modules.iter().enumerate() {
        fields.push((format!("modules[{i}].name"), normalize(name)));
        fields.push((format!("modules[{i}].description"), normalize(desc)));
    }
    let mut out = vec![];
    for rule in rules {
        if !rule.categories.is_empty() && !rule.categories.contains(&app.category) {
            continue;
        }
        if !rule.construction_types.is_empty() && !rule.construction_types.contains(&app.construction_type) {
            continue;
        }
        let mut hits = vec![];
        for kw in &rule.keywords {
            let parts: Vec<String> = kw.split(['+', '＋']).map(normalize).filter(|p| !p.is_empty()).collect();
            if parts.is_empty() {
                continue;
            }
            for (field, text) in &fields {
                if parts.iter().all(|p| text.contains(p.as_str())) {
                    hits.push(KeywordHit { keyword: kw.clone(), field: field.clone() });
                }
            }
        }
        if rule.keywords.is_empty() || !hits.is_empty() {
            out.push(RuleMatch {
                rule_id: rule.id,
                class: rule.class,
                title: rule.title.clone(),
                description: rule.description.clone(),
                hits,
            });
        }
    }
    out.sort_by_key(|m| (m.class.rank(), m.rule_id));
    out
}

/// Comma-separated codes as stored (`categories`, `construction_types` columns).
pub fn parse_codes<T>(text: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    text.split(',').filter_map(|c| parse(c.trim())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: i64, class: RuleClass, keywords: &[&str]) -> DirectoryRule {
        DirectoryRule {
            id,
            class,
            title: format!("rule {id}"),
            description: String::new(),
            keywords: keywords.iter().map(|s| s.to_string()).collect(),
            categories: vec![],
            construction_types: vec![],
        }
    }

    fn app<'a>(modules: &'a [(&'a str, &'a str)]) -> ApplicationText<'a> {
        ApplicationText {
            name: "智慧教育云平台二期",
            description: "整合全市中小学教学资源，新建自建机房一处",
            modules,
            category: Category::Platform,
            construction_type: ConstructionType::New,
        }
    }

    #[test]
    fn phrases_are_found_with_their_field() {
        let modules = [("资源检索", ""), ("ＳＳＯ 单点 登录", "对接统一身份认证")];
        let rules = vec![rule(1, RuleClass::Priority, &["教学资源"]), rule(2, RuleClass::Forbidden, &["单点登录", "统一身份认证"])];
        let m = match_rules(&rules, &app(&modules));
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].rule_id, 2, "forbidden first");
        assert_eq!(
            m[0].hits,
            vec![
                KeywordHit { keyword: "单点登录".into(), field: "modules[1].name".into() },
                KeywordHit { keyword: "统一身份认证".into(), field: "modules[1].description".into() },
            ]
        );
        assert_eq!(m[0].explain(Lang::Zh), "「单点登录」见于模块2名称;「统一身份认证」见于模块2说明");
        assert_eq!(m[1].hits[0].field, "description");
    }

    #[test]
    fn width_case_and_spaces_do_not_hide_a_phrase() {
        let modules = [("ＧＩＳ 地图服务", "")];
        let m = match_rules(&[rule(1, RuleClass::Forbidden, &["gis地图"])], &app(&modules));
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].hits[0].field, "modules[0].name");
    }

    #[test]
    fn joined_parts_must_be_in_one_field() {
        let modules = [("机房环境监控", ""), ("自建", "")];
        let rules = [rule(1, RuleClass::Forbidden, &["自建+机房"])];
        let m = match_rules(&rules, &app(&modules));
        assert_eq!(m[0].hits, vec![KeywordHit { keyword: "自建+机房".into(), field: "description".into() }]);
        let plain = ApplicationText { description: "", ..app(&modules) };
        assert!(match_rules(&rules, &plain).is_empty(), "parts in different fields do not match");
    }

    #[test]
    fn category_and_type_narrow_a_rule() {
        let modules = [("统一身份认证", "")];
        let mut r = rule(1, RuleClass::Forbidden, &["统一身份认证"]);
        r.construction_types = vec![ConstructionType::Upgrade];
        assert!(match_rules(&[r.clone()], &app(&modules)).is_empty());
        r.construction_types = vec![ConstructionType::New];
        r.categories = vec![Category::Platform, Category::Business];
        assert_eq!(match_rules(&[r], &app(&modules)).len(), 1);
        // a rule with no phrases matches on its category alone
        let mut c = rule(2, RuleClass::Priority, &[]);
        c.categories = vec![Category::Platform];
        let m = match_rules(&[c], &app(&modules));
        assert!(m[0].hits.is_empty());
        assert_eq!(m[0].explain(Lang::En), "Matches on category / construction type");
    }

    #[test]
    fn look_alikes_do_not_match() {
        let modules = [("人口迁移审批", "")];
        assert!(match_rules(&[rule(1, RuleClass::Retire, &["人口数据统计"])], &app(&modules)).is_empty());
    }

    #[test]
    fn input_needs_a_title_and_a_criterion() {
        let r = DirectoryRuleInput {
            class: RuleClass::Forbidden,
            title: " ".into(),
            description: String::new(),
            keywords: vec!["单点登录\n\n统一认证".into(), "！！".into()],
            categories: vec![],
            construction_types: vec![],
            active: true,
        }
        .normalized();
        assert_eq!(r.keywords, vec!["单点登录", "统一认证", "！！"]);
        let fields: Vec<String> = r.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["title", "keywords[2]"]);
        let empty = DirectoryRuleInput { keywords: vec![], title: "x".into(), ..r };
        assert_eq!(empty.validate()[0].field, "keywords");
    }
}
