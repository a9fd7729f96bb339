//! Text analysis (文本分析): a normalised text becomes weighted terms.
//!
//! Each run of the normalised text is scanned left to right for the longest synonym term
//! (forward maximum matching over the dictionary); matched spans become *concept* terms. The
//! text between them is segmented with jieba (plus the domain words) into *words*, which are
//! classified by the lexicon (generic words are dropped, weak and action words weigh less).
//! Character bigrams of the remaining content give robustness against segmentation and
//! abbreviation differences. Two views come out of this:
//!
//! - the **concept view**: concepts + words + bigrams of the non-concept text;
//! - the **surface view**: bigrams of all content characters (concept spans included), so two
//!   texts that share characters but miss the dictionary still meet.

use jieba_rs::Jieba;
use rustc_hash::FxHashMap;

use crate::dictionary::{ConceptClass, Dictionary, WordClass};
use crate::normalize::{is_cjk, normalize, RUN_SEPARATOR};

/// Prior weights of term kinds (before corpus IDF). Chosen by experiment on the dev sets; see
/// docs/dedup.md.
pub(crate) mod prior {
    pub const CONCEPT: f32 = 1.2;
    pub const CONCEPT_ACTION: f32 = 0.5;
    pub const CONCEPT_WEAK: f32 = 0.3;
    pub const WORD: f32 = 1.0;
    pub const WORD_SINGLE_CHAR: f32 = 0.5;
    pub const WORD_WEAK: f32 = 0.25;
    pub const WORD_ACTION: f32 = 0.5;
    pub const BIGRAM: f32 = 0.35;
    pub const SURFACE_BIGRAM: f32 = 1.0;
    /// Factor for the concepts and words inside a longer concept.
    pub const INNER: f32 = 0.5;
}

/// What a term is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TermKind {
    Concept(ConceptClass),
    Word,
    WeakWord,
    ActionWord,
    /// A word of a system's own housekeeping (用户/权限/日志…).
    Housekeeping,
    Bigram,
}

impl TermKind {
    /// A term naming a business object or function (not weak, not an action, not a bigram).
    pub(crate) fn is_object(self) -> bool {
        matches!(self, TermKind::Concept(ConceptClass::Function | ConceptClass::Common) | TermKind::Word)
    }
    pub(crate) fn is_action(self) -> bool {
        matches!(self, TermKind::Concept(ConceptClass::Action) | TermKind::ActionWord)
    }
    pub(crate) fn is_housekeeping(self) -> bool {
        matches!(self, TermKind::Concept(ConceptClass::Housekeeping) | TermKind::Housekeeping)
    }
}

/// One analysed term. `key` identifies it across texts: `C<canonical>` for concepts, `W<word>`
/// for words, `B<two chars>` for bigrams.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Term {
    pub key: String,
    /// What the text actually said (for reasons).
    pub surface: String,
    pub kind: TermKind,
    /// Prior weight in the concept view (0 when not in it).
    pub w_concept: f32,
    /// Prior weight in the surface view (0 when not in it).
    pub w_surface: f32,
    /// Action family (`@family`), for actions.
    pub family: Option<u32>,
    /// When the text used an abbreviation the dictionary does not list, the long form it was
    /// matched to ("网办" → "网上办事"), for the reason.
    pub abbrev_of: Option<String>,
    /// A part of a longer concept ([`prior::INNER`]): it counts when the other text shares it
    /// and is not missed when it does not.
    pub inner: bool,
}

/// The analysis of one text: terms in text order, deduplicated by key (first occurrence kept,
/// weights of a repeated term are not added up).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Analysis {
    pub terms: Vec<Term>,
    /// The content characters in text order (generic and stop words left out), each with the
    /// index of its term in `terms` and its run (punctuation separates runs): the input of the
    /// sequence view, which lines up the shared pieces of two names in order.
    pub seq: Vec<SeqChar>,
}

/// One content character of an analysed text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SeqChar {
    pub c: char,
    pub term: u32,
    pub run: u32,
    /// Weight relative to a plain word: business objects 1, actions and single characters
    /// 0.5, weak words 0.25 (the term's IDF is applied later).
    pub w: f32,
    /// Part of a word that names a business object.
    pub object: bool,
}

impl Analysis {
    /// The head term: the last object term (Chinese compounds put the head last).
    pub(crate) fn head(&self) -> Option<&Term> {
        self.terms.iter().rev().find(|t| t.kind.is_object())
    }
    #[cfg(test)]
    pub(crate) fn has_object(&self) -> bool {
        self.terms.iter().any(|t| t.kind.is_object())
    }
}

/// Compiled dictionary + segmenter.
pub(crate) struct Analyzer {
    jieba: Jieba,
    term_concept: FxHashMap<String, u32>,
    concept_names: Vec<String>,
    concept_classes: Vec<ConceptClass>,
    max_term_chars: usize,
    words: FxHashMap<String, WordClass>,
    max_word_chars: usize,
    /// Action family of a concept id or an action word (`@family`).
    concept_family: FxHashMap<u32, u32>,
    word_family: FxHashMap<String, u32>,
    /// Long forms of the abbreviation matcher by first character: (characters, concept).
    abbrev_index: FxHashMap<char, Vec<LongForm>>,
    /// The parts of every business concept term (see [`Analyzer::inner_terms`]), computed once.
    parts: FxHashMap<String, Vec<Term>>,
}

/// A long form of the abbreviation matcher.
#[derive(Debug, Clone)]
struct LongForm {
    chars: Box<[char]>,
    concept: u32,
    /// Bit i: a word of the long form starts at character i (jieba, all words).
    starts: u16,
}

/// Abbreviation matcher limits: a short form of 2–4 characters, a long form at least two
/// characters longer and at most 10 characters.
const ABBREV_MIN: usize = 2;
const ABBREV_MAX: usize = 4;
const ABBREV_LONG_MAX: usize = 10;
/// A short form that jieba's general dictionary knows this often is an ordinary word (医院,
/// 学校, 隐患), not an abbreviation.
const ABBREV_COMMON_WORD_FREQ: usize = 300;

/// Whether `short` abbreviates `long` the way Chinese short forms are made: the first character
/// of each word in order (网办 ← 网上|办事, 综治 ← 综合|治理, 地灾 ← 地质|灾害); a short form of
/// three or more characters may end with the long form's last character (公租房 ← 公共|租赁|住房,
/// 防返贫 ← 防止|返贫). `starts` has bit i set when a word starts at character i. Never a
/// contiguous piece of the long form (隐患 is not short for 隐患排查), and a character that starts
/// no word (交管 is not 交易|监管, 农资 is not 农民工|工资) fails.
pub(crate) fn is_abbreviation(short: &[char], long: &[char], starts: u16) -> bool {
    let (n, m) = (short.len(), long.len());
    if !(ABBREV_MIN..=ABBREV_MAX).contains(&n) || m < n + 2 || m > ABBREV_LONG_MAX || short[0] != long[0] {
        return false;
    }
    // Leftmost assignment of each character to a word start after the previous one.
    let mut pos = 0usize;
    let mut contiguous = true;
    for (k, &c) in short.iter().enumerate().skip(1) {
        let last = k == n - 1;
        let found = (pos + 1..m).find(|&i| long[i] == c && (starts & (1 << i) != 0 || (last && n >= 3 && i == m - 1)));
        match found {
            Some(i) => {
                if i != pos + 1 {
                    contiguous = false;
                }
                pos = i;
            }
            None => return false,
        }
    }
    !contiguous
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").field("concepts", &self.concept_names.len()).field("terms", &self.term_concept.len()).finish()
    }
}

impl Analyzer {
    pub(crate) fn new(dict: &Dictionary) -> Self {
        let mut jieba = Jieba::new();
        let mut term_concept = FxHashMap::default();
        let mut concept_names = Vec::new();
        let mut concept_classes = Vec::new();
        let mut canon_index: FxHashMap<String, u32> = FxHashMap::default();
        for g in &dict.groups {
            // Groups with the same canonical name are one concept (a reviewer extending a group).
            let id = *canon_index.entry(g.canonical.clone()).or_insert_with(|| {
                concept_names.push(g.canonical.clone());
                concept_classes.push(g.class);
                (concept_names.len() - 1) as u32
            });
            for t in &g.terms {
                // Later groups win a contested term.
                term_concept.insert(t.clone(), id);
            }
        }
        let max_term_chars = term_concept.keys().map(|t| t.chars().count()).max().unwrap_or(0);
        let words: FxHashMap<String, WordClass> = dict.words.iter().map(|(k, v)| (k.clone(), *v)).collect();
        let max_word_chars = words.keys().map(|t| t.chars().count()).max().unwrap_or(0);
        for w in dict.user_words.iter().chain(words.keys()).chain(term_concept.keys()) {
            if w.chars().count() >= 2 && w.chars().all(is_cjk) {
                jieba.add_word(w, Some(20_000), None);
            }
        }
        let mut concept_family = FxHashMap::default();
        let mut word_family = FxHashMap::default();
        for (fi, fam) in dict.families.iter().enumerate() {
            for t in fam {
                match term_concept.get(t) {
                    Some(&c) => {
                        concept_family.insert(c, fi as u32);
                    }
                    None => {
                        word_family.insert(t.clone(), fi as u32);
                    }
                }
            }
        }
        // Long forms for the abbreviation matcher: CJK terms of business concepts (function or
        // common capability) long enough to be abbreviated.
        let mut abbrev_index: FxHashMap<char, Vec<LongForm>> = FxHashMap::default();
        let mut long_forms: Vec<(&String, u32)> = term_concept.iter().map(|(t, &id)| (t, id)).collect();
        long_forms.sort();
        for (t, id) in long_forms {
            let chars: Box<[char]> = t.chars().collect();
            let business = matches!(concept_classes[id as usize], ConceptClass::Function | ConceptClass::Common);
            if business && chars.len() >= ABBREV_MIN + 2 && chars.len() <= ABBREV_LONG_MAX && chars.iter().all(|&c| is_cjk(c)) {
                let mut starts = 1u16;
                let mut offsets: Vec<usize> = t.char_indices().map(|(b, _)| b).collect();
                offsets.push(t.len());
                for tok in jieba.cut_all(t) {
                    if tok.word.chars().count() >= 2 && tok.word != t.as_str() {
                        let b = tok.word.as_ptr() as usize - t.as_ptr() as usize;
                        if let Some(ci) = offsets.iter().position(|&o| o == b) {
                            starts |= 1 << ci;
                        }
                    }
                }
                abbrev_index.entry(chars[0]).or_default().push(LongForm { chars, concept: id, starts });
            }
        }
        let mut analyzer = Analyzer {
            jieba,
            term_concept,
            concept_names,
            concept_classes,
            max_term_chars,
            words,
            max_word_chars,
            concept_family,
            word_family,
            abbrev_index,
            parts: FxHashMap::default(),
        };
        let parts = analyzer
            .term_concept
            .iter()
            .filter(|(_, &id)| matches!(analyzer.concept_classes[id as usize], ConceptClass::Function | ConceptClass::Common))
            .map(|(t, &id)| (t.clone(), analyzer.inner_terms(t, id)))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        analyzer.parts = parts;
        analyzer
    }

    /// The concept an unlisted short form stands for, with the long form it abbreviates: only
    /// when every long form it abbreviates (the shortest ones, if they disagree) names the same
    /// concept, and it is not an ordinary word.
    pub(crate) fn expand_abbreviation(&self, short: &str) -> Option<(u32, String)> {
        let chars: Vec<char> = short.chars().collect();
        if !(ABBREV_MIN..=ABBREV_MAX).contains(&chars.len()) || !chars.iter().all(|&c| is_cjk(c)) {
            return None;
        }
        if self.term_concept.contains_key(short) || self.words.contains_key(short) {
            return None;
        }
        let mut best: Option<(usize, u32, &[char])> = None;
        let mut ambiguous = false;
        for lf in self.abbrev_index.get(&chars[0])?.iter() {
            if !is_abbreviation(&chars, &lf.chars, lf.starts) {
                continue;
            }
            let len = lf.chars.len();
            match best {
                Some((best_len, _, _)) if len > best_len => {}
                Some((best_len, best_id, _)) if len == best_len => ambiguous |= lf.concept != best_id,
                _ => {
                    ambiguous = false;
                    best = Some((len, lf.concept, &lf.chars));
                }
            }
        }
        let (_, id, long) = best?;
        if ambiguous || self.jieba.suggest_freq(short) >= ABBREV_COMMON_WORD_FREQ {
            return None;
        }
        Some((id, long.iter().collect()))
    }

    pub(crate) fn concept_name(&self, key: &str) -> Option<&str> {
        key.strip_prefix('C').and_then(|c| self.term_concept.get(c)).map(|&id| self.concept_names[id as usize].as_str())
    }

    /// The concepts and words inside a concept span (other than its own concept), at
    /// `prior::INNER` of their usual weight, in the concept view only.
    fn inner_terms(&self, text: &str, outer: u32) -> Vec<Term> {
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        let mut out = Vec::new();
        if n < 4 {
            return out;
        }
        let mut gap = String::new();
        let flush = |gap: &mut String, out: &mut Vec<Term>| {
            if gap.is_empty() {
                return;
            }
            let mut classified = Vec::new();
            for tok in self.jieba.cut(gap, false) {
                if !tok.word.trim().is_empty() {
                    self.classify(tok.word, &mut classified);
                }
            }
            for (word, class) in classified {
                if word.chars().count() == n {
                    continue; // the concept's own text, not a part of it
                }
                let (kind, w) = match class {
                    // Weak words inside a name (管理, 服务) say nothing of their own.
                    Some(WordClass::Stop | WordClass::Generic | WordClass::Weak | WordClass::Housekeeping) => continue,
                    Some(WordClass::Action) => (TermKind::ActionWord, prior::WORD_ACTION),
                    None if word.chars().count() < 2 => continue,
                    None => (TermKind::Word, prior::WORD),
                };
                let family = if kind == TermKind::ActionWord { self.word_family.get(&word).copied() } else { None };
                out.push(Term {
                    key: format!("W{word}"),
                    surface: word,
                    kind,
                    w_concept: w * prior::INNER,
                    w_surface: 0.0,
                    family,
                    abbrev_of: None,
                    inner: true,
                });
            }
            gap.clear();
        };
        let mut i = 0;
        while i < n {
            let longest = self.max_term_chars.min(n - i).min(n - 1);
            let found = (2..=longest).rev().find_map(|len| {
                let s: String = chars[i..i + len].iter().collect();
                self.term_concept.get(&s).map(|&id| (s, id, len))
            });
            match found {
                Some((s, id, len))
                    if id != outer && !matches!(self.concept_classes[id as usize], ConceptClass::Weak | ConceptClass::Housekeeping) =>
                {
                    flush(&mut gap, &mut out);
                    let class = self.concept_classes[id as usize];
                    let w = match class {
                        ConceptClass::Function | ConceptClass::Common => prior::CONCEPT,
                        ConceptClass::Action => prior::CONCEPT_ACTION,
                        ConceptClass::Weak | ConceptClass::Housekeeping => prior::CONCEPT_WEAK,
                    };
                    out.push(Term {
                        key: format!("C{}", self.concept_names[id as usize]),
                        surface: s,
                        kind: TermKind::Concept(class),
                        w_concept: w * prior::INNER,
                        w_surface: 0.0,
                        family: self.concept_family.get(&id).copied(),
                        abbrev_of: None,
                        inner: true,
                    });
                    i += len;
                }
                Some((_, _, len)) => {
                    // A variant of the same concept inside it adds nothing.
                    flush(&mut gap, &mut out);
                    i += len;
                }
                None => {
                    gap.push(chars[i]);
                    i += 1;
                }
            }
        }
        flush(&mut gap, &mut out);
        out
    }

    /// Marks the characters of a weak, generic or action lexicon word that ends a concept span
    /// (leaving at least two characters) as what that word is.
    fn weaken_concept_suffix(&self, span: &mut [SeqChar]) {
        let n = span.len();
        for len in (1..=self.max_word_chars.min(n.saturating_sub(2))).rev() {
            let tail: String = span[n - len..].iter().map(|c| c.c).collect();
            let w = match self.words.get(&tail) {
                Some(WordClass::Weak | WordClass::Generic | WordClass::Housekeeping) => 0.25,
                Some(WordClass::Action) => 0.5,
                _ => continue,
            };
            for c in &mut span[n - len..] {
                c.w = w;
                c.object = false;
            }
            return;
        }
    }

    /// Classifies a jieba token; splits tokens made only of lexicon words ("管理系统").
    fn classify(&self, token: &str, out: &mut Vec<(String, Option<WordClass>)>) {
        if let Some(c) = self.words.get(token) {
            out.push((token.to_owned(), Some(*c)));
            return;
        }
        let chars: Vec<char> = token.chars().collect();
        if chars.len() >= 3 {
            // Greedy longest-first decomposition into lexicon words.
            let mut parts = Vec::new();
            let mut i = 0;
            while i < chars.len() {
                let mut found = None;
                for len in (1..=self.max_word_chars.min(chars.len() - i)).rev() {
                    let s: String = chars[i..i + len].iter().collect();
                    if let Some(c) = self.words.get(&s) {
                        found = Some((s, *c, len));
                        break;
                    }
                }
                match found {
                    Some((s, c, len)) => {
                        parts.push((s, Some(c)));
                        i += len;
                    }
                    None => break,
                }
            }
            if i == chars.len() {
                out.extend(parts);
                return;
            }
        }
        out.push((token.to_owned(), None));
    }

    /// Analyses a text. Deterministic: the same text always gives the same terms.
    pub(crate) fn analyze(&self, text: &str) -> Analysis {
        let norm = normalize(text);
        self.analyze_normalized(&norm)
    }

    pub(crate) fn analyze_normalized(&self, norm: &str) -> Analysis {
        // Pieces in text order: concepts and classified words, with their char spans.
        struct Piece {
            text: String,
            concept: Option<u32>,
            class: Option<WordClass>,
            /// Long form, when `concept` came from the abbreviation matcher.
            abbrev: Option<String>,
            /// Run index, so bigrams never cross punctuation.
            run: usize,
        }
        let mut pieces: Vec<Piece> = Vec::new();
        for (run_idx, run) in norm.split(RUN_SEPARATOR).enumerate() {
            let chars: Vec<char> = run.chars().collect();
            let mut gap = String::new();
            let mut i = 0;
            let flush_gap = |gap: &mut String, pieces: &mut Vec<Piece>| {
                if gap.is_empty() {
                    return;
                }
                let mut classified = Vec::new();
                for tok in self.jieba.cut(gap, false) {
                    let w = tok.word;
                    if w.trim().is_empty() {
                        continue;
                    }
                    self.classify(w, &mut classified);
                }
                // Unlisted abbreviations: an unknown token, or a run of unknown single characters
                // (jieba splits an unknown short form), that abbreviates one dictionary concept.
                let mut k = 0;
                while k < classified.len() {
                    let unknown = |x: &(String, Option<WordClass>)| x.1.is_none() && x.0.chars().all(is_cjk);
                    let mut end = k;
                    if unknown(&classified[k]) && classified[k].0.chars().count() == 1 {
                        while end + 1 < classified.len() && unknown(&classified[end + 1]) && classified[end + 1].0.chars().count() == 1 {
                            end += 1;
                        }
                    }
                    if unknown(&classified[k]) {
                        let joined: String = classified[k..=end].iter().map(|x| x.0.as_str()).collect();
                        if let Some((id, long)) = self.expand_abbreviation(&joined) {
                            pieces.push(Piece { text: joined, concept: Some(id), class: None, abbrev: Some(long), run: run_idx });
                            k = end + 1;
                            continue;
                        }
                    }
                    let (text, class) = classified[k].clone();
                    pieces.push(Piece { text, concept: None, class, abbrev: None, run: run_idx });
                    k += 1;
                }
                gap.clear();
            };
            while i < chars.len() {
                let mut matched = None;
                let longest = self.max_term_chars.min(chars.len() - i);
                for len in (2..=longest).rev() {
                    let s: String = chars[i..i + len].iter().collect();
                    if let Some(&id) = self.term_concept.get(&s) {
                        matched = Some((s, id, len));
                        break;
                    }
                }
                match matched {
                    Some((s, id, len)) => {
                        flush_gap(&mut gap, &mut pieces);
                        pieces.push(Piece { text: s, concept: Some(id), class: None, abbrev: None, run: run_idx });
                        i += len;
                    }
                    None => {
                        gap.push(chars[i]);
                        i += 1;
                    }
                }
            }
            flush_gap(&mut gap, &mut pieces);
        }

        let meaningful = pieces.iter().any(|p| p.concept.is_some() || !matches!(p.class, Some(WordClass::Generic) | Some(WordClass::Stop)));

        let mut terms: Vec<Term> = Vec::new();
        let push = |terms: &mut Vec<Term>, t: Term| -> u32 {
            if let Some(i) = terms.iter().position(|e| e.key == t.key) {
                let existing = &mut terms[i];
                if existing.inner && !t.inner {
                    // Named on its own as well: a full term.
                    existing.w_concept = 0.0;
                    existing.inner = false;
                }
                if !t.inner || existing.inner {
                    existing.w_concept = existing.w_concept.max(t.w_concept);
                }
                existing.w_surface = existing.w_surface.max(t.w_surface);
                i as u32
            } else {
                terms.push(t);
                (terms.len() - 1) as u32
            }
        };
        let mut seq: Vec<SeqChar> = Vec::new();
        // Content characters for bigrams: (char, run, inside a concept span, weight class).
        let mut content: Vec<(char, usize, bool, f32)> = Vec::new();
        for p in &pieces {
            if let Some(id) = p.concept {
                let class = self.concept_classes[id as usize];
                let w = match class {
                    ConceptClass::Function | ConceptClass::Common => prior::CONCEPT,
                    ConceptClass::Action => prior::CONCEPT_ACTION,
                    ConceptClass::Weak | ConceptClass::Housekeeping => prior::CONCEPT_WEAK,
                };
                // The parts of a long business concept count too, lightly, so that a text
                // naming it with other words still meets it ("农产品质量追溯" has 追溯, which
                // "农产品质量安全溯源" names 溯源).
                if p.abbrev.is_none() && matches!(class, ConceptClass::Function | ConceptClass::Common) {
                    for t in self.parts.get(&p.text).into_iter().flatten() {
                        let _ = push(&mut terms, t.clone());
                    }
                }
                let ti = push(
                    &mut terms,
                    Term {
                        key: format!("C{}", self.concept_names[id as usize]),
                        surface: p.text.clone(),
                        kind: TermKind::Concept(class),
                        w_concept: w,
                        w_surface: 0.0,
                        family: self.concept_family.get(&id).copied(),
                        abbrev_of: p.abbrev.clone(),
                        inner: false,
                    },
                );
                content.extend(p.text.chars().map(|c| (c, p.run, true, 1.0)));
                let (w, object) = match class {
                    ConceptClass::Function | ConceptClass::Common => (1.0, true),
                    ConceptClass::Action => (0.5, false),
                    ConceptClass::Weak | ConceptClass::Housekeeping => (0.25, false),
                };
                let start = seq.len();
                seq.extend(p.text.chars().map(|c| SeqChar { c, term: ti, run: p.run as u32, w, object }));
                if object {
                    // A weak or action word closing a concept ("殡葬服务", "户外广告设置审批")
                    // weighs what it weighs anywhere else.
                    self.weaken_concept_suffix(&mut seq[start..]);
                }
                continue;
            }
            let (kind, w) = match p.class {
                Some(WordClass::Stop) => continue,
                Some(WordClass::Generic) if meaningful => continue,
                Some(WordClass::Generic) | Some(WordClass::Weak) => (TermKind::WeakWord, prior::WORD_WEAK),
                Some(WordClass::Housekeeping) => (TermKind::Housekeeping, prior::WORD_WEAK),
                Some(WordClass::Action) => (TermKind::ActionWord, prior::WORD_ACTION),
                None if p.text.chars().count() == 1 && p.text.chars().all(is_cjk) => (TermKind::Word, prior::WORD_SINGLE_CHAR),
                None => (TermKind::Word, prior::WORD),
            };
            let family = if kind == TermKind::ActionWord { self.word_family.get(&p.text).copied() } else { None };
            let ti = push(
                &mut terms,
                Term {
                    key: format!("W{}", p.text),
                    surface: p.text.clone(),
                    kind,
                    w_concept: w,
                    w_surface: 0.0,
                    family,
                    abbrev_of: None,
                    inner: false,
                },
            );
            let object = kind == TermKind::Word;
            let sw = if object {
                w / prior::WORD
            } else if kind == TermKind::ActionWord {
                0.5
            } else {
                0.25
            };
            seq.extend(p.text.chars().map(|c| SeqChar { c, term: ti, run: p.run as u32, w: sw, object }));
            // A bigram weighs what the word it comes from weighs (relative to a plain word).
            let class_weight = (w / prior::WORD).min(1.0);
            content.extend(p.text.chars().map(|c| (c, p.run, false, class_weight)));
        }
        for pair in content.windows(2) {
            let (a, ra, ca, wa) = pair[0];
            let (b, rb, cb, wb) = pair[1];
            let cw = wa.min(wb);
            if ra != rb || !is_cjk(a) || !is_cjk(b) {
                continue;
            }
            let in_concept_view = !ca && !cb;
            let _ = push(
                &mut terms,
                Term {
                    key: format!("B{a}{b}"),
                    surface: format!("{a}{b}"),
                    kind: TermKind::Bigram,
                    w_concept: if in_concept_view { prior::BIGRAM * cw } else { 0.0 },
                    w_surface: prior::SURFACE_BIGRAM * cw,
                    family: None,
                    abbrev_of: None,
                    inner: false,
                },
            );
        }
        // A text of one content character has no bigram: let its word stand in the surface view.
        if !terms.iter().any(|t| t.w_surface > 0.0) {
            for t in terms.iter_mut() {
                if matches!(t.kind, TermKind::Word) {
                    t.w_surface = t.w_concept;
                }
            }
        }
        Analysis { terms, seq }
    }

    /// Words and concepts of a context text (descriptions, system names): no bigrams, and no
    /// weak words (管理/综合/信息…): two system names that share only "综合管理" do not agree.
    pub(crate) fn context_keys(&self, text: &str) -> Vec<String> {
        let a = self.analyze(text);
        a.terms
            .into_iter()
            .filter(|t| {
                !matches!(t.kind, TermKind::Bigram | TermKind::WeakWord | TermKind::Housekeeping | TermKind::Concept(ConceptClass::Weak))
            })
            .map(|t| t.key)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    pub(crate) fn analyzer() -> &'static Analyzer {
        static A: OnceLock<Analyzer> = OnceLock::new();
        A.get_or_init(|| Analyzer::new(&Dictionary::builtin()))
    }

    fn keys(text: &str) -> Vec<String> {
        analyzer()
            .analyze(text)
            .terms
            .into_iter()
            .filter(|t| t.w_concept > 0.0 && t.kind != TermKind::Bigram && !t.inner)
            .map(|t| t.key)
            .collect()
    }

    #[test]
    fn synonyms_become_one_concept() {
        assert_eq!(keys("单点登录"), keys("统一身份认证"));
        assert_eq!(keys("统一用户认证中心"), vec!["C统一身份认证"]);
        assert_eq!(keys("SSO"), vec!["C统一身份认证"]);
        assert_eq!(keys("GIS地图服务")[0], "C地理信息");
        assert_eq!(keys("电子地图展示"), vec!["C地理信息"]);
    }

    #[test]
    fn generic_suffixes_are_dropped() {
        assert_eq!(keys("统一身份认证平台建设"), vec!["C统一身份认证"]);
        assert_eq!(keys("电子证照管理系统(一期)"), vec!["C电子证照"]);
        assert_eq!(keys("视频监控子系统"), vec!["C视频监控"]);
    }

    #[test]
    fn traditional_and_full_width_analyse_the_same() {
        assert_eq!(keys("統一身份認證平臺"), keys("统一身份认证平台"));
        assert_eq!(keys("ＧＩＳ　地圖服務")[0], keys("gis地图服务")[0]);
    }

    #[test]
    fn purely_generic_text_is_kept_as_weak_words() {
        let a = analyzer().analyze("综合管理平台");
        assert!(!a.terms.is_empty());
        assert!(!a.has_object());
    }

    #[test]
    fn abbreviations_take_word_initials_in_order() {
        let c = |s: &str| s.chars().collect::<Vec<char>>();
        // 网上|办事, 综合|治理, 公共|租赁|住房 (a 3+ character short form may end on the last character).
        assert!(is_abbreviation(&c("网办"), &c("网上办事"), 0b0101));
        assert!(is_abbreviation(&c("综治"), &c("综合治理"), 0b0101));
        assert!(is_abbreviation(&c("公租房"), &c("公共租赁住房"), 0b010101));
        // 管 starts no word of 交易|监管; 隐患 is a contiguous piece; first characters differ.
        assert!(!is_abbreviation(&c("交管"), &c("交易监管"), 0b0101));
        assert!(!is_abbreviation(&c("隐患"), &c("隐患排查"), 0b0101));
        assert!(!is_abbreviation(&c("办网"), &c("网上办事"), 0b0101));
        // A two-character short form never ends on a non-initial last character (农资 ≠ 农民工|工资).
        assert!(!is_abbreviation(&c("农资"), &c("农民工工资"), 0b01001));
    }

    #[test]
    fn unlisted_abbreviation_becomes_the_concept_with_its_long_form() {
        let a = analyzer().analyze("垃分督导");
        let t = a.terms.iter().find(|t| t.key == "C垃圾分类").expect("concept");
        assert_eq!(t.surface, "垃分");
        assert_eq!(t.abbrev_of.as_deref(), Some("垃圾分类"));
        // An ordinary word is not read as an abbreviation.
        assert!(analyzer().expand_abbreviation("医院").is_none());
    }

    #[test]
    fn head_is_the_last_object() {
        let a = analyzer().analyze("人口迁移审批");
        assert_eq!(a.head().map(|t| t.key.as_str()), Some("W迁移"), "{a:?}");
    }
}
