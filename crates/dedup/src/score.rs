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
}

impl Default for ScoreParams {
    fn default() -> Self {
        ScoreParams {
            surface_factor: 0.85,
            action_penalty: 0.6,
            head_penalty: 0.7,
            context_module_description: 0.6,
            context_parent_name: 0.5,
            context_parent_description: 0.3,
            objectless_floor: 0.5,
        }
    }
}

impl ScoreParams {
    pub(crate) fn max_context(&self) -> f32 {
        self.context_module_description
            .max(self.context_parent_name)
            .max(self.context_parent_description)
    }
}

/// Feature flags of a profile feature.
pub(crate) const F_OBJECT: u8 = 1;
pub(crate) const F_ACTION: u8 = 2;
pub(crate) const F_BIGRAM: u8 = 4;

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
}

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
        for t in &a.terms {
            let (id, known) = id_of(&t.key);
            let f = idf(id, known);
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
            if head_key == Some(t.key.as_str()) {
                head = Some(id);
                head_key = None;
            }
            feats.push(Feature {
                id,
                w1: t.w_concept * f,
                w2: t.w_surface * f,
                flags,
            });
        }
        feats.sort_by_key(|f| f.id);
        feats.dedup_by_key(|f| f.id);
        let sum1 = feats.iter().map(|f| f.w1).sum();
        let sum2 = feats.iter().map(|f| f.w2).sum();
        Profile {
            feats,
            sum1,
            sum2,
            head,
        }
    }

    pub(crate) fn contains(&self, id: u32) -> bool {
        self.feats.binary_search_by_key(&id, |f| f.id).is_ok()
    }
    pub(crate) fn has_object(&self) -> bool {
        self.feats.iter().any(|f| f.flags & F_OBJECT != 0)
    }
    fn actions(&self) -> impl Iterator<Item = u32> + '_ {
        self.feats
            .iter()
            .filter(|f| f.flags & F_ACTION != 0 && f.w1 > 0.0)
            .map(|f| f.id)
    }
}

/// Context of one side: sorted, unique feature ids with their credit factor.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Context<'a> {
    pub module_description: &'a [u32],
    pub parent_name: &'a [u32],
    pub parent_description: &'a [u32],
}

impl Context<'_> {
    fn credit(&self, id: u32, p: &ScoreParams) -> (f32, ContextSource) {
        let mut best = (0.0, ContextSource::None);
        for (set, credit, src) in [
            (
                self.module_description,
                p.context_module_description,
                ContextSource::ModuleDescription,
            ),
            (
                self.parent_name,
                p.context_parent_name,
                ContextSource::ParentName,
            ),
            (
                self.parent_description,
                p.context_parent_description,
                ContextSource::ParentDescription,
            ),
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
}

/// Multiplier from the head and action checks (independent of context).
pub(crate) fn penalties(a: &Profile, b: &Profile, p: &ScoreParams) -> (f32, Scored) {
    let mut s = Scored::default();
    let mut m = 1.0;
    let a_actions: Vec<u32> = a.actions().collect();
    let b_actions: Vec<u32> = b.actions().collect();
    if !a_actions.is_empty()
        && !b_actions.is_empty()
        && !a_actions.iter().any(|x| b_actions.contains(x))
    {
        m *= p.action_penalty;
        s.action_penalty = Some((a_actions[a_actions.len() - 1], b_actions[b_actions.len() - 1]));
    }
    if let (Some(ha), Some(hb)) = (a.head, b.head) {
        if ha != hb && !b.contains(ha) && !a.contains(hb) {
            m *= p.head_penalty;
            s.head_penalty = Some((ha, hb));
        }
    }
    (m, s)
}

/// The full score of a pair, with its explanation.
pub(crate) fn score_pair(
    a: &Profile,
    a_ctx: &Context<'_>,
    b: &Profile,
    b_ctx: &Context<'_>,
    p: &ScoreParams,
) -> Scored {
    let denom1 = a.sum1 + b.sum1;
    let denom2 = a.sum2 + b.sum2;
    if denom1 <= 0.0 && denom2 <= 0.0 {
        return Scored::default();
    }
    let (mult, mut s) = penalties(a, b, p);
    // Concept view: shared terms + context credits for unshared words/concepts.
    let mut num1 = 0.0f32;
    let mut credit = 0.0f32;
    let mut num2 = 0.0f32;
    let mut shared1 = Vec::new();
    let mut shared2 = Vec::new();
    let mut context = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut one_sided = |f: &Feature, other_ctx: &Context<'_>, query_side: bool, credit: &mut f32| {
        if f.w1 > 0.0 && f.flags & F_BIGRAM == 0 {
            let (c, src) = other_ctx.credit(f.id, p);
            if c > 0.0 {
                *credit += c * f.w1;
                context.push((f.id, query_side, src));
            }
        }
    };
    loop {
        match (a.feats.get(i), b.feats.get(j)) {
            (None, None) => break,
            (Some(x), Some(y)) if x.id == y.id => {
                let m1 = x.w1.min(y.w1);
                let m2 = x.w2.min(y.w2);
                num1 += 2.0 * m1;
                num2 += 2.0 * m2;
                if m1 > 0.0 {
                    shared1.push(x.id);
                }
                if m2 > 0.0 {
                    shared2.push(x.id);
                }
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.id < y.id => {
                one_sided(x, b_ctx, true, &mut credit);
                i += 1;
            }
            (Some(x), None) => {
                one_sided(x, b_ctx, true, &mut credit);
                i += 1;
            }
            (_, Some(y)) => {
                one_sided(y, a_ctx, false, &mut credit);
                j += 1;
            }
        }
    }
    // Context supports a match, it never makes one: its credit is at most the direct evidence.
    let num1 = num1 + credit.min(num1);
    let s1 = if denom1 > 0.0 { num1 / denom1 } else { 0.0 };
    let s2 = if denom2 > 0.0 {
        p.surface_factor * num2 / denom2
    } else {
        0.0
    };
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
    if !a.has_object() || !b.has_object() {
        // A module that names no business object ("统计分析", "系统管理") is only a duplicate
        // when the systems around it are about the same thing.
        let agree = parent_agreement(a_ctx.parent_name, b_ctx.parent_name);
        let f = p.objectless_floor + (1.0 - p.objectless_floor) * agree;
        if f < 1.0 {
            s.objectless = true;
        }
        score *= f;
    }
    s.score = score.clamp(0.0, 1.0);
    s
}

/// Share of the smaller parent-name term set found in the other (0 when either is empty; 1 when
/// both are empty, i.e. a bare pairwise comparison with no parents at all).
fn parent_agreement(a: &[u32], b: &[u32]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
    common as f32 / a.len().min(b.len()) as f32
}
