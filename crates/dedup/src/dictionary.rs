//! The domain dictionary (领域词典): synonym groups, generic/weak/action/stop words and
//! segmentation words. A built-in dictionary ships in the crate (`dict/*.txt`, included at
//! compile time); reviewers extend it at run time with more synonym groups in the same text
//! format (see `docs/dedup.md`).

use std::collections::{BTreeMap, BTreeSet};

use crate::normalize::{normalize, RUN_SEPARATOR};

const BUILTIN_SYNONYMS: &str = include_str!("../dict/synonyms.txt");
const BUILTIN_LEXICON: &str = include_str!("../dict/lexicon.txt");

/// How much a synonym group (a "concept") weighs and how it takes part in the head check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConceptClass {
    /// A business object or function (电子证照, 统一身份认证): full weight.
    Function,
    /// A business action (审批, 查询, 统计): lower weight; two modules whose actions are both
    /// explicit and different are penalised ("人口数据统计" vs "人口迁移审批").
    Action,
    /// A channel or other low-information concept (移动端/APP/小程序): low weight.
    Weak,
    /// A common technical capability (短信, 视频监控, 地理信息, 人脸识别…): when two modules share
    /// one, business qualifiers around it ("林区"视频监控, 短信通知"家长") matter little — the
    /// city provides it once for everybody.
    Common,
    /// A system's own housekeeping (用户管理/系统设置/日志/运维/备份): every system has it, so
    /// a module that names only this is never a duplicate by itself. Low weight.
    Housekeeping,
}

/// One synonym group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynonymGroup {
    /// The canonical name (the group's first term), normalised.
    pub canonical: String,
    /// All terms of the group, normalised, canonical first.
    pub terms: Vec<String>,
    /// Weight class.
    pub class: ConceptClass,
}

/// A dictionary error: a line of a dictionary text that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DictionaryError {
    /// A synonym group needs at least two distinct non-empty terms.
    #[error("词典第 {line} 行: 同义词组至少需要两个不同的词")]
    GroupTooSmall {
        /// 1-based line number in the text given (0 for groups added through the API).
        line: usize,
    },
    /// A section header that is not one of the known sections.
    #[error("词典第 {line} 行: 未知的分节 [{name}]")]
    UnknownSection {
        /// 1-based line number.
        line: usize,
        /// The section name found.
        name: String,
    },
}

/// Lexicon classes of single words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WordClass {
    /// Ignored (系统/平台/模块/建设…).
    Generic,
    /// Ignored completely (的/与/和…).
    Stop,
    /// Low weight (管理/服务/信息/数据…).
    Weak,
    /// A business action (登记/注销/迁移…).
    Action,
    /// A system's own housekeeping (用户/权限/日志/备份…): low weight, and a module made only of
    /// such words is never a duplicate by itself.
    Housekeeping,
}

/// The dictionary a [`crate::Detector`] is built from. Start from [`Dictionary::builtin`] and
/// add the reviewers' groups with [`Dictionary::add_synonym_group`] or
/// [`Dictionary::extend_from_str`]. When a term is in several groups the group added last wins.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    pub(crate) groups: Vec<SynonymGroup>,
    pub(crate) words: BTreeMap<String, WordClass>,
    pub(crate) user_words: BTreeSet<String>,
    /// Families of related actions (`@family` lines): two modules whose actions differ but
    /// belong to one family (监测 / 分析 / 预警) are penalised less than unrelated actions.
    pub(crate) families: Vec<Vec<String>>,
}

fn split_terms(line: &str) -> Vec<String> {
    line.split(['|', '/', '、', ',', '，', '｜', ';', '；'])
        .map(|t| normalize(t).replace(RUN_SEPARATOR, ""))
        .filter(|t| !t.is_empty())
        .collect()
}

fn strip_comment(line: &str) -> &str {
    match line.find('#') {
        Some(i) => &line[..i],
        None => line,
    }
}

impl Dictionary {
    /// An empty dictionary (no synonyms, no generic words): only useful in tests.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The dictionary that ships with tongchou.
    pub fn builtin() -> Self {
        let mut d = Self::default();
        // The shipped files are tested (see tests below); a failure here is a build defect.
        d.extend_lexicon(BUILTIN_LEXICON).expect("the built-in lexicon parses");
        d.extend_from_str(BUILTIN_SYNONYMS).expect("the built-in synonym dictionary parses");
        d
    }

    /// Adds one synonym group (terms in any script/width; normalised here). The group is a
    /// [`ConceptClass::Function`].
    pub fn add_synonym_group<I, S>(&mut self, terms: I) -> Result<(), DictionaryError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let joined: Vec<String> = terms.into_iter().map(|s| s.as_ref().to_owned()).collect();
        self.add_group_line(&joined.join("|"), ConceptClass::Function, 0)
    }

    fn add_group_line(&mut self, line: &str, class: ConceptClass, line_no: usize) -> Result<(), DictionaryError> {
        let mut terms: Vec<String> = Vec::new();
        for t in split_terms(line) {
            if !terms.contains(&t) {
                terms.push(t);
            }
        }
        if terms.len() < 2 {
            return Err(DictionaryError::GroupTooSmall { line: line_no });
        }
        self.groups.push(SynonymGroup { canonical: terms[0].clone(), terms, class });
        Ok(())
    }

    /// Adds synonym groups from text in the dictionary format: one group per line, terms
    /// separated by `|` (or `/`, `、`, `,`), `#` starts a comment, a line may start with
    /// `@action`, `@weak`, `@common` or `@housekeeping` to set the group's class; `@family a | b | c` declares
    /// related actions (terms of action groups or action words). Nothing is added when a line is wrong.
    pub fn extend_from_str(&mut self, text: &str) -> Result<(), DictionaryError> {
        let mut staged = self.clone();
        for (i, raw) in text.lines().enumerate() {
            let line = strip_comment(raw).trim();
            if line.is_empty() {
                continue;
            }
            if let Some(rest) = line.strip_prefix("@family") {
                let terms = split_terms(rest);
                if terms.len() < 2 {
                    return Err(DictionaryError::GroupTooSmall { line: i + 1 });
                }
                staged.families.push(terms);
                continue;
            }
            let (class, rest) = if let Some(rest) = line.strip_prefix("@action") {
                (ConceptClass::Action, rest)
            } else if let Some(rest) = line.strip_prefix("@weak") {
                (ConceptClass::Weak, rest)
            } else if let Some(rest) = line.strip_prefix("@common") {
                (ConceptClass::Common, rest)
            } else if let Some(rest) = line.strip_prefix("@housekeeping") {
                (ConceptClass::Housekeeping, rest)
            } else {
                (ConceptClass::Function, line)
            };
            staged.add_group_line(rest, class, i + 1)?;
        }
        *self = staged;
        Ok(())
    }

    /// Adds words from text in the lexicon format (`[generic]`, `[weak]`, `[action]`, `[stop]`,
    /// `[housekeeping]`, `[words]` sections). Nothing is added when a line is wrong.
    pub fn extend_lexicon(&mut self, text: &str) -> Result<(), DictionaryError> {
        let mut staged = self.clone();
        let mut section: Option<Option<WordClass>> = None;
        for (i, raw) in text.lines().enumerate() {
            let line = strip_comment(raw).trim();
            if line.is_empty() {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = Some(match name.trim() {
                    "generic" => Some(WordClass::Generic),
                    "weak" => Some(WordClass::Weak),
                    "action" => Some(WordClass::Action),
                    "stop" => Some(WordClass::Stop),
                    "housekeeping" => Some(WordClass::Housekeeping),
                    "words" => None,
                    other => return Err(DictionaryError::UnknownSection { line: i + 1, name: other.to_owned() }),
                });
                continue;
            }
            let Some(class) = section else {
                return Err(DictionaryError::UnknownSection { line: i + 1, name: String::new() });
            };
            for w in line.split(|c: char| c.is_whitespace() || c == '|') {
                let w = normalize(w).replace(RUN_SEPARATOR, "");
                if w.is_empty() {
                    continue;
                }
                match class {
                    Some(c) => {
                        // The first class a word is given wins: the sections are written from
                        // the most to the least certain.
                        staged.words.entry(w).or_insert(c);
                    }
                    None => {
                        staged.user_words.insert(w);
                    }
                }
            }
        }
        *self = staged;
        Ok(())
    }

    /// Marks words as generic (ignored), e.g. a reviewer's "信息化工程".
    pub fn add_generic_words<I, S>(&mut self, words: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for w in words {
            let w = normalize(w.as_ref()).replace(RUN_SEPARATOR, "");
            if !w.is_empty() {
                self.words.insert(w, WordClass::Generic);
            }
        }
    }

    /// The synonym groups, in the order they were added.
    pub fn groups(&self) -> &[SynonymGroup] {
        &self.groups
    }

    /// Number of distinct terms across all groups.
    pub fn term_count(&self) -> usize {
        self.groups.iter().flat_map(|g| g.terms.iter()).collect::<BTreeSet<_>>().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_and_is_large() {
        let d = Dictionary::builtin();
        assert!(d.groups().len() > 200, "{}", d.groups().len());
        assert!(d.term_count() > 1000, "{}", d.term_count());
        assert_eq!(d.words.get("系统"), Some(&WordClass::Generic));
        assert_eq!(d.words.get("管理"), Some(&WordClass::Weak));
    }

    #[test]
    fn extension_normalises_terms_and_rejects_single_terms() {
        let mut d = Dictionary::empty();
        d.extend_from_str("# comment\n統一身份認證 | ＳＳＯ / 单点登录\n@action 审批、审核\n").unwrap();
        assert_eq!(d.groups()[0].terms, vec!["统一身份认证", "sso", "单点登录"]);
        assert_eq!(d.groups()[1].class, ConceptClass::Action);
        let err = d.extend_from_str("甲 | 乙\n只有一个\n").unwrap_err();
        assert_eq!(err, DictionaryError::GroupTooSmall { line: 2 });
        assert_eq!(d.groups().len(), 2, "a failed extension adds nothing");
        assert!(d.add_synonym_group(["同一个", "同一个"]).is_err());
    }
}
