//! Reasons (理由): a short Chinese sentence telling a reviewer why two modules were judged
//! similar — which synonyms and words they share, what context helped, what was penalised.

use crate::analyze::{Analysis, Analyzer, Term, TermKind};
use crate::score::{ContextSource, Scored};

fn term_by_key<'a>(a: &'a Analysis, key: &str) -> Option<&'a Term> {
    a.terms.iter().find(|t| t.key == key)
}

fn display(analyzer: &Analyzer, a: &Analysis, key: &str) -> String {
    if let Some(t) = term_by_key(a, key) {
        return t.surface.clone();
    }
    analyzer.concept_name(key).map(str::to_owned).unwrap_or_else(|| key.chars().skip(1).collect())
}

/// Builds the reason for `scored`, where `a` is the query side and `b` the candidate side;
/// `key_a`/`key_b` turn feature ids of each side back into term keys.
pub(crate) fn explain(
    analyzer: &Analyzer,
    scored: &Scored,
    a: &Analysis,
    b: &Analysis,
    key_a: &dyn Fn(u32) -> Option<String>,
    key_b: &dyn Fn(u32) -> Option<String>,
) -> String {
    let mut synonyms = Vec::new();
    let mut words = Vec::new();
    let mut chars = Vec::new();
    let mut abbrevs = Vec::new();
    for &id in &scored.shared {
        let Some(key) = key_a(id) else { continue };
        let (ta, tb) = (term_by_key(a, &key), term_by_key(b, &key));
        let (Some(ta), Some(tb)) = (ta, tb) else {
            continue;
        };
        for t in [ta, tb] {
            if let Some(long) = &t.abbrev_of {
                let note = format!("「{}」是「{}」的简称", t.surface, long);
                if !abbrevs.contains(&note) {
                    abbrevs.push(note);
                }
            }
        }
        match ta.kind {
            TermKind::Concept(_) if ta.surface != tb.surface => {
                synonyms.push(format!("{}≈{}", ta.surface, tb.surface));
            }
            TermKind::Bigram => chars.push(ta.surface.clone()),
            _ => words.push(ta.surface.clone()),
        }
    }
    let mut parts = Vec::new();
    if !synonyms.is_empty() {
        parts.push(format!("同义词: {}", synonyms.join("、")));
    }
    if !abbrevs.is_empty() {
        parts.push(format!("简称: {}", abbrevs.join("、")));
    }
    if !words.is_empty() {
        parts.push(format!("共同词: {}", words.join("、")));
    }
    if scored.seq_won && !scored.seq_pieces.is_empty() {
        parts.push(format!("相同片段(按顺序): {}", scored.seq_pieces.join("、")));
    } else if !chars.is_empty() && (scored.surface_won || (synonyms.is_empty() && words.is_empty())) {
        chars.truncate(6);
        parts.push(format!("相同字: {}", chars.join("、")));
    }
    let mut ctx = Vec::new();
    for &(id, query_side, src) in &scored.context {
        let (side, key) = if query_side { (a, key_a(id)) } else { (b, key_b(id)) };
        let Some(key) = key else { continue };
        let whose = if query_side { "对方" } else { "本方" };
        let place = match src {
            ContextSource::ModuleDescription => "模块说明",
            ContextSource::ParentName => "所属名称",
            ContextSource::ParentDescription => "所属描述",
            ContextSource::None => continue,
        };
        ctx.push(format!("{}(见{}{})", display(analyzer, side, &key), whose, place));
    }
    if !ctx.is_empty() {
        parts.push(format!("上下文: {}", ctx.join("、")));
    }
    if let Some((x, y)) = scored.action_penalty {
        let (x, y) = (
            key_a(x).map(|k| display(analyzer, a, &k)).unwrap_or_default(),
            key_b(y).map(|k| display(analyzer, b, &k)).unwrap_or_default(),
        );
        parts.push(format!("降权: 业务动作不同({x}≠{y})"));
    }
    if let Some((x, y)) = scored.head_penalty {
        let (x, y) = (
            key_a(x).map(|k| display(analyzer, a, &k)).unwrap_or_default(),
            key_b(y).map(|k| display(analyzer, b, &k)).unwrap_or_default(),
        );
        parts.push(format!("降权: 中心词不同({x}≠{y})"));
    }
    if scored.sibling {
        parts.push("降权: 双方各有对方没有的业务对象".to_owned());
    }
    if scored.housekeeping {
        parts.push("降权: 系统自身管理功能(用户/权限/日志/备份等), 各系统都有".to_owned());
    }
    if scored.objectless {
        parts.push("降权: 模块名无具体业务对象, 所属系统不同".to_owned());
    }
    if parts.is_empty() {
        "无共同词".to_owned()
    } else {
        parts.join("; ")
    }
}
