//! Scoring (评分): weighted Dice overlap of two profiles in two views, context credit, and the
//! head/action penalties. Everything here is plain arithmetic on sorted vectors, so the score of a
//! pair never depends on the order in which a corpus was loaded.

use crate::analyze::{Analysis, TermKind};

/// Tunable parameters of the score. The defaults were chosen on the dev sets (see docs/dedup.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreParams {
    /// Weight of the surface (all-bigram) view relative to the concept view.
    pub surface_factor: f32,
    /// Multiplier when both modules name an action and the actions differ (统计 vs 审批).
    pub action_penalty: f32,
    /// Multiplier when the actions differ but are related (same `@family`: 监测 vs 分析).
    pub related_action_penalty: f32,
    /// Multiplier when the head terms (last object words) differ and neither side contains the
    /// other's head (视频会议 vs 视频监控).
    pub head_penalty: f32,
    /// Credit (0..1) for a term of one module found in the other module's own description.
    pub context_module_description: f32,
    /// Credit for a term found in the other side's system/application/capability name.
    pub context_parent_name: f32,
    /// Credit for a term found in the other side's system/application description.
    pub context_parent_description: f32,
    /// When a module names no business object (only actions/weak words, e.g. "统计分析"), its
    /// score is scaled towards this floor unless the parents' names agree.
    pub objectless_floor: f32,
    /// Exponent of the sibling factor `M / (M + min(Uq, Uc))` (M: shared object weight, U:
    /// object weight one side has and the other lacks). Two modules that share a business
    /// object but each add a different one ("医保数据交换" vs "医保结算") are siblings, not
    /// duplicates; one-sided extra words ("公积金提取在线办理" vs "公积金提取") are not punished.
    pub sibling_exponent: f32,
    /// When both modules share a common-capability concept, the weight left to the other
    /// side's business qualifiers ("林区", "家长"): 0 ignores them, 1 treats them as usual.
    pub qualifier_weight: f32,
    /// Exponent of the sibling factor in the sequence view, whose Dice already counts the
    /// unmatched words once.
    pub seq_sibling_exponent: f32,
    /// Multiplier when either module names only a system's own housekeeping (用户管理, 日志,
    /// 数据备份): every system has these, so they are shown as near misses, not duplicates.
    pub housekeeping_factor: f32,
}

impl Default for ScoreParams {
    fn default() -> Self {
        ScoreParams {
            surface_factor: 0.85,
            action_penalty: 0.6,
            related_action_penalty: 0.9,
            head_penalty: 0.7,
            context_module_description: 0.6,
            context_parent_name: 0.5,
            context_parent_description: 0.3,
            objectless_floor: 0.5,
            sibling_exponent: 1.0,
            qualifier_weight: 0.2,
            seq_sibling_exponent: 0.5,
            housekeeping_factor: 0.5,
        }
    }
}

impl ScoreParams {
    pub(crate) fn max_context(&self) -> f32 {
        self.context_module_description.max(self.context_parent_name).max(self.context_parent_description)
    }
}

/// Feature flags of a profile feature.
pub(crate) const F_OBJECT: u8 = 1;
pub(crate) const F_ACTION: u8 = 2;
pub(crate) const F_BIGRAM: u8 = 4;
pub(crate) const F_COMMON: u8 = 8;
/// A part of a longer concept (see `analyze::prior::INNER`): counted only when shared.
pub(crate) const F_INNER: u8 = 16;

/// One feature of a profile: id, concept-view weight, surface-view weight, flags.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Feature {
    pub id: u32,
    pub w1: f32,
    pub w2: f32,
    pub flags: u8,
}

/// A weighted, sorted feature vector of one module text.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Profile {
    /// Sorted by id, unique.
    pub feats: Vec<Feature>,
    pub sum1: f32,
    pub sum2: f32,
    pub head: Option<u32>,
    /// Ids of the action features (concept view), in id order.
    pub actions: Box<[u32]>,
    /// Action families of the actions, sorted, unique.
    pub families: Box<[u32]>,
    pub has_object: bool,
    /// The module names only a system's own housekeeping (用户权限管理, 数据备份).
    pub housekeeping: bool,
    /// Content characters in text order, for the sequence view.
    pub seq: Box<[SeqUnit]>,
    /// Sum of the sequence weights.
    pub seq_sum: f32,
    /// Which characters the sequence has (bit `char % 64`), for a cheap bound of the sequence
    /// view.
    pub seq_chars: u64,
}

/// One content character of a profile's sequence: the character, its weight (the weight class
/// of its word × IDF), its run and whether its word names a business object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SeqUnit {
    pub c: char,
    pub w: f32,
    /// Feature id of the term the character belongs to (its IDF is applied to `w`).
    pub id: u32,
    pub run: u16,
    pub object: bool,
}

/// Longest sequence the sequence view lines up (a 10,000-character module is cut here; the
/// rest still counts in its weight).
const SEQ_MAX: usize = 96;
/// The sequence view is only consulted when the plain character-bigram overlap (Dice, no
/// surface factor) reaches this: it re-reads pairs that already share much of their text.
pub(crate) const SEQ_GATE: f32 = 0.35;

impl Profile {
    /// Builds a profile from an analysis, a key→(id, known in the corpus) function and a weight
    /// function (the IDF factor of a known id; unknown ids are never shared with the corpus).
    pub(crate) fn from_analysis(
        a: &Analysis,
        mut id_of: impl FnMut(&str) -> (u32, bool),
        mut idf: impl FnMut(u32, bool) -> f32,
    ) -> Profile {
        let mut feats = Vec::with_capacity(a.terms.len());
        let mut head_key = a.head().map(|t| t.key.as_str());
        let mut head = None;
        let mut term_weight = Vec::with_capacity(a.terms.len());
        for t in &a.terms {
            let (id, known) = id_of(&t.key);
            let f = idf(id, known);
            term_weight.push((f, id));
            let mut flags = 0;
            if t.kind.is_object() {
                flags |= F_OBJECT;
            }
            if t.kind.is_action() {
                flags |= F_ACTION;
            }
            if t.kind == TermKind::Bigram {
                flags |= F_BIGRAM;
            }
            if t.kind == TermKind::Concept(crate::dictionary::ConceptClass::Common) {
                flags |= F_COMMON;
            }
            if t.inner {
                // A part names an object (shared parts are object evidence), never an action.
                flags = F_INNER | (flags & F_OBJECT);
            }
            if head_key == Some(t.key.as_str()) {
                head = Some(id);
                head_key = None;
            }
            feats.push(Feature { id, w1: t.w_concept * f, w2: t.w_surface * f, flags });
        }
        feats.sort_by_key(|f| f.id);
        feats.dedup_by_key(|f| f.id);
        let sum1 = feats.iter().filter(|f| f.flags & F_INNER == 0).map(|f| f.w1).sum();
        let sum2 = feats.iter().map(|f| f.w2).sum();
        let actions = feats.iter().filter(|f| f.flags & F_ACTION != 0 && f.w1 > 0.0).map(|f| f.id).collect();
        let mut families: Vec<u32> =
            a.terms.iter().filter(|t| t.kind.is_action() && t.w_concept > 0.0 && !t.inner).filter_map(|t| t.family).collect();
        families.sort_unstable();
        families.dedup();
        let families = families.into_boxed_slice();
        let has_object = feats.iter().any(|f| f.flags & F_OBJECT != 0 && f.flags & F_INNER == 0);
        let seq: Box<[SeqUnit]> = a
            .seq
            .iter()
            .map(|c| {
                let (f, id) = term_weight[c.term as usize];
                SeqUnit { c: c.c, w: c.w * f, id, run: c.run.min(u16::MAX as u32) as u16, object: c.object }
            })
            .collect();
        let seq_sum = seq.iter().map(|u| u.w).sum();
        let seq_chars = seq.iter().fold(0u64, |m, u| m | char_bit(u.c));
        let housekeeping = !has_object && a.terms.iter().any(|t| t.kind.is_housekeeping() && !t.inner);
        Profile { feats, sum1, sum2, head, actions, families, has_object, housekeeping, seq, seq_sum, seq_chars }
    }

    /// Whether the text names this term itself (a part of a longer concept does not count).
    pub(crate) fn contains(&self, id: u32) -> bool {
        self.feats.binary_search_by_key(&id, |f| f.id).is_ok_and(|i| self.feats[i].flags & F_INNER == 0)
    }
    pub(crate) fn has_object(&self) -> bool {
        self.has_object
    }
}

fn char_bit(c: char) -> u64 {
    1u64 << (c as u32 % 64)
}

/// An upper bound of the sequence view of two profiles: only characters the other side may
/// have can be matched.
pub(crate) fn seq_bound(a: &Profile, b: &Profile) -> f32 {
    let denom = a.seq_sum + b.seq_sum;
    if denom <= 0.0 {
        return 0.0;
    }
    let reachable = |x: &Profile, other: u64| -> f32 { x.seq.iter().filter(|u| other & char_bit(u.c) != 0).map(|u| u.w).sum() };
    (2.0 * reachable(a, b.seq_chars).min(reachable(b, a.seq_chars)) / denom).min(1.0)
}

/// The shared pieces of two sequences, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SeqMatch {
    /// Σ min(wa, wb) over the matched characters.
    pub matched: f32,
    /// Matched object weight of each side (its own weights).
    pub matched_object: (f32, f32),
    /// The matched pieces (text of side a), in order; only filled when explaining.
    pub pieces: Vec<String>,
    /// Which characters of each side are matched (bit i = unit i; SEQ_MAX ≤ 128).
    pub matched_units: (u128, u128),
}

/// Sequence alignment (序列对齐): the heaviest set of shared pieces of at least two consecutive
/// characters (never across punctuation) that appear in the same order in both texts — a
/// longest common subsequence made of runs. It is what a reader sees when one name inserts
/// words into the other ("渣土车辆监管" / "渣土运输车辆智能监管") or adds a qualifier
/// ("欠薪预警" / "欠薪线索预警"), where character bigrams break at every insertion.
pub(crate) fn seq_align(a: &[SeqUnit], b: &[SeqUnit], explain: bool) -> SeqMatch {
    let (a, b) = (&a[..a.len().min(SEQ_MAX)], &b[..b.len().min(SEQ_MAX)]);
    let (n, m) = (a.len(), b.len());
    if n < 2 || m < 2 {
        return SeqMatch::default();
    }
    let w = m + 1;
    // best[i][j]: best weight for a[..i], b[..j]; run[i][j]: length of the common suffix run.
    // The tables live in a per-thread buffer: this runs for many candidate pairs.
    thread_local! {
        static TABLES: std::cell::RefCell<(Vec<f32>, Vec<u8>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    TABLES.with_borrow_mut(|(best, run)| {
        best.clear();
        best.resize((n + 1) * w, 0.0);
        run.clear();
        run.resize((n + 1) * w, 0);
        align_tables(a, b, best, run, explain)
    })
}

fn align_tables(a: &[SeqUnit], b: &[SeqUnit], best: &mut [f32], run: &mut [u8], explain: bool) -> SeqMatch {
    let (n, m) = (a.len(), b.len());
    let w = m + 1;
    for i in 1..=n {
        for j in 1..=m {
            let (x, y) = (a[i - 1], b[j - 1]);
            let mut r = 0u8;
            if x.c == y.c {
                let prev = run[(i - 1) * w + j - 1];
                let continues = prev > 0 && a[i - 2].run == x.run && b[j - 2].run == y.run;
                r = if continues { prev.saturating_add(1) } else { 1 };
            }
            run[i * w + j] = r;
            let mut v = best[(i - 1) * w + j].max(best[i * w + j - 1]);
            let mut acc = 0.0f32;
            for k in 1..=r as usize {
                acc += a[i - k].w.min(b[j - k].w);
                if k >= 2 {
                    v = v.max(best[(i - k) * w + j - k] + acc);
                }
            }
            best[i * w + j] = v;
        }
    }
    // Trace back the pieces.
    let mut out = SeqMatch { matched: best[n * w + m], ..SeqMatch::default() };
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        let v = best[i * w + j];
        if v == best[(i - 1) * w + j] {
            i -= 1;
            continue;
        }
        if v == best[i * w + j - 1] {
            j -= 1;
            continue;
        }
        let r = run[i * w + j] as usize;
        let mut acc = 0.0f32;
        let mut took = 0;
        for k in 1..=r {
            acc += a[i - k].w.min(b[j - k].w);
            if k >= 2 && best[(i - k) * w + j - k] + acc == v {
                took = k;
                break;
            }
        }
        if took == 0 {
            break; // unreachable: v came from some run
        }

        for k in 1..=took {
            out.matched_units.0 |= 1u128 << (i - k);
            out.matched_units.1 |= 1u128 << (j - k);
            let (x, y) = (a[i - k], b[j - k]);
            if x.object {
                out.matched_object.0 += x.w;
            }
            if y.object {
                out.matched_object.1 += y.w;
            }
        }
        if explain {
            out.pieces.push(a[i - took..i].iter().map(|u| u.c).collect());
        }
        i -= took;
        j -= took;
    }
    out.pieces.reverse();
    out
}

/// Context of one side: sorted, unique feature ids with their credit factor.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Context<'a> {
    pub module_description: &'a [u32],
    pub parent_name: &'a [u32],
    pub parent_description: &'a [u32],
    /// A bare pairwise comparison (`Detector::compare`): neither side has parents, so two
    /// object-less modules are not scaled down. In an index every module has a parent, and a
    /// parent name with no distinctive term agrees with nothing.
    pub bare: bool,
}

impl Context<'_> {
    fn in_parent_name(&self, id: u32) -> bool {
        self.parent_name.binary_search(&id).is_ok()
    }

    fn credit(&self, id: u32, p: &ScoreParams) -> (f32, ContextSource) {
        let mut best = (0.0, ContextSource::None);
        for (set, credit, src) in [
            (self.module_description, p.context_module_description, ContextSource::ModuleDescription),
            (self.parent_name, p.context_parent_name, ContextSource::ParentName),
            (self.parent_description, p.context_parent_description, ContextSource::ParentDescription),
        ] {
            if credit > best.0 && set.binary_search(&id).is_ok() {
                best = (credit, src);
            }
        }
        best
    }
}

/// Where a context credit came from (for the reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContextSource {
    None,
    ModuleDescription,
    ParentName,
    ParentDescription,
}

/// The explained score of one pair.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scored {
    pub score: f32,
    /// Which view gave the score: true = surface (character) view.
    pub surface_won: bool,
    /// Shared feature ids (concept view, or surface view when it won).
    pub shared: Vec<u32>,
    /// Feature ids of one side credited through the other side's context, with the source;
    /// `true` = the query's term found in the candidate's context.
    pub context: Vec<(u32, bool, ContextSource)>,
    pub action_penalty: Option<(u32, u32)>,
    pub head_penalty: Option<(u32, u32)>,
    pub objectless: bool,
    pub sibling: bool,
    /// The sequence view gave the score; the shared pieces (when explaining).
    pub seq_won: bool,
    pub seq_pieces: Vec<String>,
    pub housekeeping: bool,
}

/// Multiplier from the head and action checks (independent of context), with the action
/// check's own factor (the sequence view takes only that one).
pub(crate) fn penalties(a: &Profile, b: &Profile, p: &ScoreParams) -> (f32, f32, Scored) {
    let mut s = Scored::default();
    let (act, action) = action_check(a, b, p);
    let mut m = act;
    s.action_penalty = action;
    if let (Some(ha), Some(hb)) = (a.head, b.head) {
        if ha != hb && !b.contains(ha) && !a.contains(hb) {
            m *= p.head_penalty;
            s.head_penalty = Some((ha, hb));
        }
    }
    (m, act, s)
}

/// The action check alone: both name an action and share none (no allocation: this runs for
/// many candidates).
fn action_check(a: &Profile, b: &Profile, p: &ScoreParams) -> (f32, Option<(u32, u32)>) {
    if let (Some(&xa), Some(&xb)) = (a.actions.last(), b.actions.last()) {
        if !a.actions.iter().any(|x| b.actions.binary_search(x).is_ok()) {
            let related = a.families.iter().any(|x| b.families.binary_search(x).is_ok());
            return (if related { p.related_action_penalty } else { p.action_penalty }, Some((xa, xb)));
        }
    }
    (1.0, None)
}

/// What a caller scoring many items of one candidate profile computes once: the penalties and
/// the sequence view, which do not depend on context.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PairMemo {
    pub mult: f32,
    pub act: f32,
    seq: Option<Option<(f32, bool)>>,
}

impl PairMemo {
    pub(crate) fn new(a: &Profile, b: &Profile, p: &ScoreParams) -> Self {
        let (mult, act, _) = penalties(a, b, p);
        PairMemo { mult, act, seq: None }
    }
}

/// The full score of a pair, with its explanation.
pub(crate) fn score_pair(a: &Profile, a_ctx: &Context<'_>, b: &Profile, b_ctx: &Context<'_>, p: &ScoreParams) -> Scored {
    score_pair_with(a, a_ctx, b, b_ctx, p, None, true)
}

/// [`score_pair`] for the hot loop: `memo` (one per candidate profile) keeps what does not
/// depend on context, and `explain = false` records nothing, so the call does not allocate.
/// The score is the same.
pub(crate) fn score_pair_with(
    a: &Profile,
    a_ctx: &Context<'_>,
    b: &Profile,
    b_ctx: &Context<'_>,
    p: &ScoreParams,
    memo: Option<&mut PairMemo>,
    explain: bool,
) -> Scored {
    let denom1 = a.sum1 + b.sum1;
    let denom2 = a.sum2 + b.sum2;
    if denom1 <= 0.0 && denom2 <= 0.0 {
        return Scored::default();
    }
    let (mult, mut s) = match (&memo, explain) {
        (Some(m), false) => (m.mult, Scored::default()),
        _ => {
            let (m, _, s) = penalties(a, b, p);
            (m, s)
        }
    };
    // Concept view: shared terms + context credits for unshared words/concepts.
    let mut num1 = 0.0f32;
    let mut credit = 0.0f32;
    let mut num2 = 0.0f32;
    let (mut m_obj, mut ua_obj, mut ub_obj) = (0.0f32, 0.0f32, 0.0f32);
    // Unmatched qualifier mass (not a common capability, not an action), both views.
    let mut qual = (0.0f32, 0.0f32);
    let (mut ua_common, mut ub_common) = (0.0f32, 0.0f32);
    let mut shared_common = false;
    let mut inner_extra = 0.0f32;
    let mut shared1 = Vec::new();
    let mut shared2 = Vec::new();
    let mut context = Vec::new();
    let (mut i, mut j) = (0, 0);
    // Objects one side names that the other, object-less module takes from its parent's name
    // ("公积金提取" / "提取管理" in the 住房公积金管理系统): they count as shared.
    let mut inherited = [0.0f32; 2];
    let (a_objectless, b_objectless) = (!a.has_object(), !b.has_object());
    let mut one_sided = |f: &Feature,
                         other_ctx: &Context<'_>,
                         other_objectless: bool,
                         query_side: bool,
                         credit: &mut f32,
                         unmatched: &mut f32,
                         unmatched_common: &mut f32,
                         qual: &mut (f32, f32)| {
        if other_objectless && f.flags & F_OBJECT != 0 && f.w1 > 0.0 && other_ctx.in_parent_name(f.id) {
            inherited[if query_side { 0 } else { 1 }] += f.w1;
            if explain {
                context.push((f.id, query_side, ContextSource::ParentName));
            }
            return;
        }
        if f.flags & F_INNER != 0 {
            return;
        }
        if f.flags & (F_COMMON | F_ACTION) == 0 {
            qual.0 += f.w1;
            qual.1 += f.w2;
        } else if f.flags & F_COMMON != 0 {
            *unmatched_common += f.w1;
        }
        if f.w1 > 0.0 && f.flags & F_BIGRAM == 0 {
            let (c, src) = other_ctx.credit(f.id, p);
            if c > 0.0 {
                *credit += c * f.w1;
                if explain {
                    context.push((f.id, query_side, src));
                }
            }
            if f.flags & F_OBJECT != 0 {
                *unmatched += (1.0 - c) * f.w1;
            }
        }
    };
    loop {
        match (a.feats.get(i), b.feats.get(j)) {
            (None, None) => break,
            (Some(x), Some(y)) if x.id == y.id => {
                let m1 = x.w1.min(y.w1);
                let m2 = x.w2.min(y.w2);
                // A shared part of a longer concept enters the denominators only now.
                inner_extra += m1 * (((x.flags & F_INNER) != 0) as u8 + ((y.flags & F_INNER) != 0) as u8) as f32;
                num1 += 2.0 * m1;
                num2 += 2.0 * m2;
                if m1 > 0.0 {
                    if explain {
                        shared1.push(x.id);
                    }
                    if x.flags & F_OBJECT != 0 {
                        m_obj += m1;
                    }
                    if x.flags & F_COMMON != 0 {
                        shared_common = true;
                    }
                }
                if m2 > 0.0 && explain {
                    shared2.push(x.id);
                }
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.id < y.id => {
                one_sided(x, b_ctx, b_objectless, true, &mut credit, &mut ua_obj, &mut ua_common, &mut qual);
                i += 1;
            }
            (Some(x), None) => {
                one_sided(x, b_ctx, b_objectless, true, &mut credit, &mut ua_obj, &mut ua_common, &mut qual);
                i += 1;
            }
            (_, Some(y)) => {
                one_sided(y, a_ctx, a_objectless, false, &mut credit, &mut ub_obj, &mut ub_common, &mut qual);
                j += 1;
            }
        }
    }
    // Context supports a match, it never makes one: its credit is at most the direct evidence,
    // and an object taken from a parent's name counts only beside a directly shared term.
    if num1 <= 0.0 {
        ua_obj += inherited[0];
        ub_obj += inherited[1];
        inherited = [0.0; 2];
    }
    let inherited = inherited[0] + inherited[1];
    let num1 = num1 + credit.min(num1) + 2.0 * inherited;
    m_obj += inherited;
    let (mut denom1, mut denom2) = (denom1 + inner_extra + inherited, denom2);
    if shared_common {
        // A shared common capability: qualifiers around it weigh little, and only another
        // common capability on each side makes the pair siblings.
        denom1 -= (1.0 - p.qualifier_weight) * qual.0;
        denom2 -= (1.0 - p.qualifier_weight) * qual.1;
        ua_obj = ua_common;
        ub_obj = ub_common;
    }
    let s1 = if denom1 > 0.0 { num1 / denom1 } else { 0.0 };
    let s2 = if denom2 > 0.0 { p.surface_factor * num2 / denom2 } else { 0.0 };
    let mut score = if s2 > s1 {
        s.surface_won = true;
        s.shared = shared2;
        s2
    } else {
        s.shared = shared1;
        s.context = context;
        s1
    };
    score *= mult;
    if m_obj > 0.0 {
        let sibling = m_obj / (m_obj + ua_obj.min(ub_obj));
        if sibling < 0.999 {
            s.sibling = true;
        }
        score *= sibling.powf(p.sibling_exponent);
    }
    let mut objectless = 1.0;
    if (a_objectless || b_objectless) && inherited == 0.0 {
        // A module that names no business object ("统计分析", "系统管理") is only a duplicate
        // when the systems around it are about the same thing.
        let agree = if a_ctx.bare && b_ctx.bare { 1.0 } else { parent_agreement(a_ctx.parent_name, b_ctx.parent_name) };
        objectless = p.objectless_floor + (1.0 - p.objectless_floor) * agree;
        if objectless < 1.0 {
            s.objectless = true;
        }
        score *= objectless;
    }
    // Sequence view, for pairs that already share much of their characters.
    let plain_surface = if a.sum2 + b.sum2 > 0.0 { num2 / (a.sum2 + b.sum2) } else { 0.0 };
    let (act, action) = match (&memo, explain) {
        (Some(m), false) => (m.act, None),
        _ => action_check(a, b, p),
    };
    if plain_surface >= SEQ_GATE {
        // A profile's sequence view does not depend on context: reuse it when known, else skip
        // it when its bound cannot win.
        let seq = match memo {
            Some(PairMemo { seq: Some(known), .. }) if !explain => known.map(|(v, sib)| (v, sib, Vec::new())),
            _ if seq_bound(a, b) * act * objectless <= score => None,
            m => {
                let r = seq_score(a, b, p, explain);
                if let Some(m) = m {
                    m.seq = Some(r.as_ref().map(|x| (x.0, x.1)));
                }
                r
            }
        };
        if let Some((seq, sibling, pieces)) = seq {
            let seq = seq * act * objectless;
            if seq > score {
                score = seq;
                s.seq_won = true;
                s.surface_won = false;
                s.seq_pieces = pieces;
                s.action_penalty = action;
                s.head_penalty = None;
                s.sibling = sibling;
                s.context.clear();
            }
        }
    }
    if a.housekeeping || b.housekeeping {
        score *= p.housekeeping_factor;
        s.housekeeping = true;
    }
    s.score = score.clamp(0.0, 1.0);
    s
}

/// The sequence view of a pair: `2·matched / (Wa + Wb)`, then what each side leaves unmatched
/// is read by where it stands (Chinese names put the head last): `None` when no business
/// object is shared (two names that share only actions or weak words are not duplicates).
///
/// - in the middle (渣土[运输]车辆监管): a modifier, counted at half weight;
/// - in front of the shared part on both sides (高龄补贴 / 涉农补贴): siblings;
/// - in front on one side only (干部档案管理 / 档案管理): a specialisation of the other;
/// - after the shared part on both sides (视频点位运维考核 / 视频点位运维巡检): different heads.
fn seq_score(a: &Profile, b: &Profile, p: &ScoreParams, explain: bool) -> Option<(f32, bool, Vec<String>)> {
    let denom = a.seq_sum + b.seq_sum;
    if denom <= 0.0 {
        return None;
    }
    let sm = seq_align(&a.seq, &b.seq, explain);
    let shared_object = sm.matched_object.0.min(sm.matched_object.1);
    if shared_object <= 0.0 {
        return None;
    }
    let (pa, pb) = (unmatched_by_place(&a.seq, sm.matched_units.0), unmatched_by_place(&b.seq, sm.matched_units.1));
    let unmatched = |u: &Unmatched| u.front + 0.5 * u.middle + u.tail_object;
    let sibling = shared_object / (shared_object + unmatched(&pa).min(unmatched(&pb)));
    let mut factor = sibling.powf(p.seq_sibling_exponent);
    if (pa.front > 0.0) != (pb.front > 0.0) {
        factor *= shared_object / (shared_object + 0.5 * pa.front.max(pb.front));
    }
    if pa.tail > 0.0 && pb.tail > 0.0 {
        factor *= p.head_penalty;
    }
    Some((2.0 * sm.matched / denom * factor, factor < 0.999, sm.pieces))
}

/// Unmatched weight of one side by place: object weight in front of the first matched unit and
/// between matched units, all weight (and its object part) after the last one.
#[derive(Debug, Default)]
struct Unmatched {
    front: f32,
    middle: f32,
    tail: f32,
    tail_object: f32,
}

fn unmatched_by_place(seq: &[SeqUnit], matched: u128) -> Unmatched {
    let mut u = Unmatched::default();
    if matched == 0 {
        return u;
    }
    let (first, last) = (matched.trailing_zeros() as usize, 127 - matched.leading_zeros() as usize);
    for (i, x) in seq.iter().enumerate() {
        if i < 128 && matched & (1u128 << i) != 0 {
            continue;
        }
        if i > last {
            u.tail += x.w;
            if x.object {
                u.tail_object += x.w;
            }
        } else if x.object {
            if i < first {
                u.front += x.w;
            } else {
                u.middle += x.w;
            }
        }
    }
    u
}

/// Share of the smaller parent-name term set found in the other (0 when either is empty).
fn parent_agreement(a: &[u32], b: &[u32]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
    common as f32 / a.len().min(b.len()) as f32
}
