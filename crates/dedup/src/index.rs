//! The corpus index (查重索引): system modules, capabilities and pending-application modules,
//! with corpus-wide term statistics (IDF) and an inverted index from terms (concepts, words,
//! bigrams) to distinct module texts.
//!
//! Identical module texts (after normalisation) share one profile, which keeps a city-scale
//! corpus where hundreds of systems carry "用户管理" or "统一身份认证" small and fast. A query
//! walks the postings of its terms, bounds each profile's best possible score, and scores exactly
//! (with context) only the profiles that could pass.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analyze::{Analysis, Analyzer};
use crate::detector::{round4, Detector};
use crate::normalize::normalize;
use crate::reason::explain;
use crate::record::{ApplicationRecord, CapabilityRecord, ModuleRecord, SourceKind, SystemRecord};
use crate::score::{score_pair, score_pair_with, seq_bound, Context, PairMemo, Profile, F_BIGRAM, F_COMMON, F_INNER, F_OBJECT, SEQ_GATE};

/// A candidate overlap of one application module.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    /// System module, capability or other application's module.
    pub kind: SourceKind,
    /// System id, capability id or application id.
    pub id: String,
    /// Name of the system / capability / application.
    pub name: String,
    /// The module of that system or application (None for a capability).
    pub module: Option<String>,
    /// Score in [0, 1] (four decimals).
    pub score: f64,
    /// `score >= threshold`.
    pub overlap: bool,
    /// Why, in Chinese.
    pub reason: String,
}

/// The candidates of one module of an application.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ModuleResult {
    /// The module name as given.
    pub module: String,
    /// Candidates, best first.
    pub candidates: Vec<Candidate>,
}

/// Size figures of an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct IndexStats {
    /// Corpus items (system modules + capabilities + application modules).
    pub items: usize,
    /// Distinct normalised module texts.
    pub profiles: usize,
    /// Distinct terms.
    pub terms: usize,
    /// Total postings.
    pub postings: usize,
}

struct Owner {
    kind: SourceKind,
    id: String,
    name: String,
    name_ctx: Box<[u32]>,
    desc_ctx: Box<[u32]>,
}

struct Item {
    owner: u32,
    /// Index of the module in its owner (capabilities: 0).
    module: Option<Box<str>>,
    profile: u32,
    desc_ctx: Box<[u32]>,
}

#[derive(Clone, Copy)]
struct Posting {
    profile: u32,
    w1: f32,
    w2: f32,
}

/// Collects the corpus; [`IndexBuilder::build`] does the work (in parallel).
pub struct IndexBuilder {
    detector: Detector,
    systems: Vec<SystemRecord>,
    capabilities: Vec<CapabilityRecord>,
    applications: Vec<ApplicationRecord>,
}

impl Detector {
    /// Starts an index over a corpus.
    pub fn index_builder(&self) -> IndexBuilder {
        IndexBuilder { detector: self.clone(), systems: Vec::new(), capabilities: Vec::new(), applications: Vec::new() }
    }
}

impl IndexBuilder {
    /// Adds an existing system; each module becomes an item.
    pub fn add_system(&mut self, s: SystemRecord) -> &mut Self {
        self.systems.push(s);
        self
    }
    /// Adds a shared capability; it is one item whose text is its name (its description is
    /// context).
    pub fn add_capability(&mut self, c: CapabilityRecord) -> &mut Self {
        self.capabilities.push(c);
        self
    }
    /// Adds a pending application; its modules are candidates for other applications.
    pub fn add_application(&mut self, a: ApplicationRecord) -> &mut Self {
        self.applications.push(a);
        self
    }

    /// Builds the index.
    pub fn build(self) -> Index {
        let analyzer = Arc::clone(&self.detector.analyzer);
        // 1. Owners and items, in a fixed order: systems, capabilities, applications.
        struct RawOwner<'a> {
            kind: SourceKind,
            id: &'a str,
            name: &'a str,
            description: Option<&'a str>,
            modules: Vec<(Option<&'a str>, &'a str, Option<&'a str>)>,
        }
        let mut raw: Vec<RawOwner<'_>> = Vec::new();
        fn sys_like(kind: SourceKind, r: &SystemRecord) -> RawOwner<'_> {
            RawOwner {
                kind,
                id: &r.id,
                name: &r.name,
                description: r.description.as_deref(),
                modules: r
                    .modules
                    .iter()
                    .map(|m: &ModuleRecord| (Some(m.name.as_str()), m.name.as_str(), m.description.as_deref()))
                    .collect(),
            }
        }
        raw.extend(self.systems.iter().map(|r| sys_like(SourceKind::System, r)));
        raw.extend(self.capabilities.iter().map(|c| RawOwner {
            kind: SourceKind::Capability,
            id: &c.id,
            name: &c.name,
            description: None,
            modules: vec![(None, c.name.as_str(), c.description.as_deref())],
        }));
        raw.extend(self.applications.iter().map(|r| sys_like(SourceKind::Application, r)));

        // 2. Distinct normalised module texts, analysed in parallel.
        let module_texts: Vec<&str> = raw.iter().flat_map(|o| o.modules.iter().map(|m| m.1)).collect();
        let normalised: Vec<String> = module_texts.par_iter().map(|t| normalize(t)).collect();
        let mut distinct: FxHashMap<&str, u32> = FxHashMap::default();
        let mut distinct_texts: Vec<&str> = Vec::new();
        let item_profile: Vec<u32> = normalised
            .iter()
            .map(|n| {
                *distinct.entry(n.as_str()).or_insert_with(|| {
                    distinct_texts.push(n.as_str());
                    (distinct_texts.len() - 1) as u32
                })
            })
            .collect();
        let analyses: Vec<Analysis> = distinct_texts.par_iter().map(|t| analyzer.analyze_normalized(t)).collect();

        // 3. Context texts (owner names and descriptions, module descriptions), in parallel.
        let owner_ctx: Vec<(Vec<String>, Vec<String>)> = raw
            .par_iter()
            .map(|o| {
                let desc = match (o.kind, o.description) {
                    (_, Some(d)) => analyzer.context_keys(d),
                    _ => Vec::new(),
                };
                (analyzer.context_keys(o.name), desc)
            })
            .collect();
        let module_desc: Vec<Vec<String>> = raw
            .iter()
            .flat_map(|o| o.modules.iter().map(|m| m.2))
            .collect::<Vec<_>>()
            .par_iter()
            .map(|d| d.map(|d| analyzer.context_keys(d)).unwrap_or_default())
            .collect();

        // 4. Vocabulary: profile terms first (so ids of corpus terms are dense), then context.
        let mut vocab: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let intern = |k: &str, vocab: &mut FxHashMap<Box<str>, u32>| -> u32 {
            if let Some(&id) = vocab.get(k) {
                return id;
            }
            let id = vocab.len() as u32;
            vocab.insert(k.into(), id);
            id
        };
        let raw_profiles: Vec<Profile> =
            analyses.iter().map(|a| Profile::from_analysis(a, |k| (intern(k, &mut vocab), true), |_, _| 1.0)).collect();
        drop(analyses);
        // Texts that analyse to the same features ("短信通知" / "短信通知系统") share one profile.
        let mut by_signature: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
        let mut profiles: Vec<Profile> = Vec::new();
        let text_profile: Vec<u32> = raw_profiles
            .into_iter()
            .map(|p| {
                let mut sig = Vec::with_capacity(p.feats.len() * 4 + 1);
                sig.push(p.head.unwrap_or(u32::MAX));
                for f in &p.feats {
                    sig.extend([f.id, f.w1.to_bits(), f.w2.to_bits(), f.flags as u32]);
                }
                // Same features, different order ("监测预警" / "预警监测"): the sequences differ.
                for u in p.seq.iter() {
                    sig.extend([u.c as u32, u.id, u.run as u32 | (u.object as u32) << 16]);
                }
                *by_signature.entry(sig).or_insert_with(|| {
                    profiles.push(p);
                    (profiles.len() - 1) as u32
                })
            })
            .collect();
        drop(by_signature);
        let item_profile: Vec<u32> = item_profile.into_iter().map(|t| text_profile[t as usize]).collect();
        let ctx_ids = |keys: &[String], vocab: &mut FxHashMap<Box<str>, u32>| -> Box<[u32]> {
            let mut v: Vec<u32> = keys.iter().map(|k| intern(k, vocab)).collect();
            v.sort_unstable();
            v.dedup();
            v.into_boxed_slice()
        };
        let mut owners = Vec::with_capacity(raw.len());
        let mut items = Vec::with_capacity(module_texts.len());
        let mut k = 0usize;
        for (oi, (o, (name_keys, desc_keys))) in raw.iter().zip(owner_ctx.iter()).enumerate() {
            owners.push(Owner {
                kind: o.kind,
                id: o.id.to_owned(),
                name: o.name.to_owned(),
                name_ctx: ctx_ids(name_keys, &mut vocab),
                desc_ctx: ctx_ids(desc_keys, &mut vocab),
            });
            for m in &o.modules {
                items.push(Item {
                    owner: oi as u32,
                    module: m.0.map(Into::into),
                    profile: item_profile[k],
                    desc_ctx: ctx_ids(&module_desc[k], &mut vocab),
                });
                k += 1;
            }
        }
        // Words in most owners' names (the city's name, "政务服务") say nothing about whether
        // two systems are about the same thing: they are left out of the name context.
        let ubiquitous_names = ubiquitous_name_terms(&owners);
        if !ubiquitous_names.is_empty() {
            for o in owners.iter_mut() {
                o.name_ctx = o.name_ctx.iter().copied().filter(|t| ubiquitous_names.binary_search(t).is_err()).collect();
            }
        }

        // 5. Document frequencies over items, IDF factors, final weights.
        let mut profile_count = vec![0u32; profiles.len()];
        for it in &items {
            profile_count[it.profile as usize] += 1;
        }
        let mut df = vec![0u32; vocab.len()];
        for (p, &n) in profiles.iter().zip(&profile_count) {
            for f in &p.feats {
                df[f.id as usize] += n;
            }
        }
        let n_items = items.len();
        let idf: Vec<f32> = df.iter().map(|&d| idf_factor(d, n_items)).collect();
        for p in profiles.iter_mut() {
            for f in p.feats.iter_mut() {
                let x = idf[f.id as usize];
                f.w1 *= x;
                f.w2 *= x;
            }
            p.sum1 = p.feats.iter().filter(|f| f.flags & F_INNER == 0).map(|f| f.w1).sum();
            p.sum2 = p.feats.iter().map(|f| f.w2).sum();
            for u in p.seq.iter_mut() {
                u.w *= idf[u.id as usize];
            }
            p.seq_sum = p.seq.iter().map(|u| u.w).sum();
        }

        // 6. Postings and profile → items.
        let mut postings: Vec<Vec<Posting>> = vec![Vec::new(); vocab.len()];
        for (pi, p) in profiles.iter().enumerate() {
            for f in &p.feats {
                postings[f.id as usize].push(Posting { profile: pi as u32, w1: f.w1, w2: f.w2 });
            }
        }
        let mut profile_items: Vec<Vec<u32>> = vec![Vec::new(); profiles.len()];
        for (ii, it) in items.iter().enumerate() {
            profile_items[it.profile as usize].push(ii as u32);
        }
        // Output tie order of items (kind, id, position): rank 0 is reported first among items
        // of equal score. Items of a profile are kept in that order.
        let mut by_rank: Vec<u32> = (0..items.len() as u32).collect();
        by_rank.par_sort_by(|&a, &b| {
            let (oa, ob) = (&owners[items[a as usize].owner as usize], &owners[items[b as usize].owner as usize]);
            (oa.kind, &oa.id, a).cmp(&(ob.kind, &ob.id, b))
        });
        let mut tie_rank = vec![0u32; items.len()];
        for (r, &ii) in by_rank.iter().enumerate() {
            tie_rank[ii as usize] = r as u32;
        }
        drop(by_rank);
        profile_items.par_iter_mut().for_each(|v| v.sort_by_key(|&ii| tie_rank[ii as usize]));
        // Context postings: which owners / items carry a term in their context.
        let mut owner_ctx_post: Vec<Vec<u32>> = vec![Vec::new(); vocab.len()];
        let mut owner_name_post: Vec<Vec<u32>> = vec![Vec::new(); vocab.len()];
        for (oi, o) in owners.iter().enumerate() {
            for &t in o.name_ctx.iter() {
                owner_ctx_post[t as usize].push(oi as u32);
                owner_name_post[t as usize].push(oi as u32);
            }
            for &t in o.desc_ctx.iter() {
                let v = &mut owner_ctx_post[t as usize];
                if v.last() != Some(&(oi as u32)) {
                    v.push(oi as u32);
                }
            }
        }
        let mut item_ctx_post: Vec<Vec<u32>> = vec![Vec::new(); vocab.len()];
        for (ii, it) in items.iter().enumerate() {
            for &t in it.desc_ctx.iter() {
                item_ctx_post[t as usize].push(ii as u32);
            }
        }
        let boxed = |v: Vec<Vec<u32>>| -> Box<[Box<[u32]>]> { v.into_iter().map(Vec::into_boxed_slice).collect() };
        let mut keys: Vec<Box<str>> = vec![Box::from(""); vocab.len()];
        for (k, &v) in vocab.iter() {
            keys[v as usize] = k.clone();
        }
        Index {
            detector: self.detector,
            vocab,
            keys,
            idf,
            n_items,
            heads: profiles.iter().map(ProfileHead::of).collect(),
            profiles,
            profile_items: profile_items
                .into_iter()
                .map(|v| v.into_iter().map(|ii| (ii, items[ii as usize].owner)).collect::<Vec<_>>().into_boxed_slice())
                .collect(),
            owner_flags: owners
                .iter()
                .map(|o| match o.kind {
                    SourceKind::System => 0,
                    SourceKind::Capability => OWNER_CAPABILITY,
                    SourceKind::Application => OWNER_APPLICATION,
                })
                .collect(),
            application_owner: owners
                .iter()
                .enumerate()
                .filter(|(_, o)| o.kind == SourceKind::Application)
                .map(|(i, o)| (o.id.clone(), i as u32))
                .collect(),
            tie_rank,
            owner_ctx_post: boxed(owner_ctx_post),
            owner_name_post: boxed(owner_name_post),
            item_ctx_post: boxed(item_ctx_post),
            postings: postings.into_iter().map(Vec::into_boxed_slice).collect(),
            owners,
            items,
            ubiquitous_names,
            scratch_pool: Mutex::new(Vec::new()),
        }
    }
}

/// Name-context terms carried by more than a fifth of the (non-capability) owners, and by more
/// than three: sorted.
fn ubiquitous_name_terms(owners: &[Owner]) -> Box<[u32]> {
    let named: Vec<&Owner> = owners.iter().filter(|o| o.kind != SourceKind::Capability).collect();
    let limit = (named.len() / 5).max(3);
    let mut count: FxHashMap<u32, usize> = FxHashMap::default();
    for o in &named {
        for &t in o.name_ctx.iter() {
            *count.entry(t).or_insert(0) += 1;
        }
    }
    let mut v: Vec<u32> = count.into_iter().filter(|&(_, c)| c > limit).map(|(t, _)| t).collect();
    v.sort_unstable();
    v.into_boxed_slice()
}

/// The items of one profile: (item, owner) pairs.
type ProfileItems = Box<[(u32, u32)]>;

/// A score in units of 1/10000 (the reported precision).
fn score_units(score: f32) -> u32 {
    (round4(score as f64) * 10_000.0).round() as u32
}

/// IDF factor in [0.3, 1]: rare terms count fully, terms in most of the corpus count 30 %.
/// Small corpora (under 50 items, e.g. a pairwise check) use 1 for every term.
fn idf_factor(df: u32, n: usize) -> f32 {
    if n < 50 {
        return 1.0;
    }
    let n = n as f32;
    let x = ((n + 1.0) / (df as f32 + 1.0)).ln() / (n + 1.0).ln();
    0.3 + 0.7 * x.clamp(0.0, 1.0)
}

/// The built index. Immutable and `Sync`: check many applications in parallel.
pub struct Index {
    detector: Detector,
    vocab: FxHashMap<Box<str>, u32>,
    keys: Vec<Box<str>>,
    idf: Vec<f32>,
    n_items: usize,
    profiles: Vec<Profile>,
    /// Profile → the figures the candidate bound reads (compact: that loop visits thousands
    /// of profiles per module, and the full profiles would cost a cache miss or two each).
    heads: Vec<ProfileHead>,
    /// Profile → its items (item, owner), in tie order.
    profile_items: Box<[ProfileItems]>,
    /// Owner → `OWNER_*` flags (compact, for the hot loop).
    owner_flags: Vec<u8>,
    /// Application id → owner index.
    application_owner: FxHashMap<String, u32>,
    /// Item → position in the output tie order (kind, id, module position).
    tie_rank: Vec<u32>,
    /// Term → owners whose name or description context carries it.
    owner_ctx_post: Box<[Box<[u32]>]>,
    /// Term → owners whose name context carries it.
    owner_name_post: Box<[Box<[u32]>]>,
    /// Term → items whose module description carries it.
    item_ctx_post: Box<[Box<[u32]>]>,
    postings: Vec<Box<[Posting]>>,
    owners: Vec<Owner>,
    items: Vec<Item>,
    /// Name-context terms too common among owners to count (sorted).
    ubiquitous_names: Box<[u32]>,
    /// Scratch spaces not in use (one per thread that has checked, at most).
    scratch_pool: Mutex<Vec<Scratch>>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").field("stats", &self.stats()).finish()
    }
}

/// What the candidate bound reads of a profile.
#[derive(Debug, Clone, Copy)]
struct ProfileHead {
    sum1: f32,
    sum2: f32,
    seq_sum: f32,
    has_object: bool,
}

impl ProfileHead {
    fn of(p: &Profile) -> Self {
        ProfileHead { sum1: p.sum1, sum2: p.sum2, seq_sum: p.seq_sum, has_object: p.has_object() }
    }
}

/// Per profile, while one module is checked: the shared mass of the two views, the weight of
/// its terms found in the query's context, and whether it shares a common-capability concept.
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    n1: f32,
    n2: f32,
    ctx: f32,
    common: bool,
}

/// Per-query scratch space (dense accumulators over profiles).
struct Scratch {
    acc: Vec<Acc>,
    touched: Vec<u32>,
    /// Per owner: bits of the query's terms found in its name/description context
    /// ([`NAME_BIT`]: its name shares a term with the query's parent name).
    owner_mask: Vec<u64>,
    touched_owners: Vec<u32>,
    /// Per item (sparse): bits of the query's terms found in its module description.
    item_mask: FxHashMap<u32, u64>,
    /// Analyses of candidate texts, by profile (for reasons); kept between checks, up to
    /// [`ANALYSES_KEPT`].
    analyses: FxHashMap<u32, Analysis>,
}

/// Candidate analyses a scratch space keeps between checks (a few MiB at most).
const ANALYSES_KEPT: usize = 4096;

/// Context ids of the application being checked: its name (without the words most owners'
/// names carry) and its description.
type ParentContext = (Vec<u32>, Vec<u32>);

const OWNER_CAPABILITY: u8 = 1;
const OWNER_APPLICATION: u8 = 2;

/// Mask bit: the owner's name shares a term with the query's parent name.
const NAME_BIT: u64 = 1 << 63;
/// Mask bit shared by the query's terms beyond the 62nd (conservative: always "maybe").
const OVERFLOW_BIT: u64 = 1 << 62;

/// The query side of a check: its analysis, profile and context.
struct Query {
    analysis: Analysis,
    profile: Profile,
    extra_keys: FxHashMap<u32, String>,
    name_ctx: Vec<u32>,
    parent_desc_ctx: Vec<u32>,
    module_desc_ctx: Vec<u32>,
}

impl Index {
    /// Size figures.
    pub fn stats(&self) -> IndexStats {
        IndexStats {
            items: self.items.len(),
            profiles: self.profiles.len(),
            terms: self.vocab.len(),
            postings: self.postings.iter().map(|p| p.len()).sum(),
        }
    }

    /// The detector this index was built with.
    pub fn detector(&self) -> &Detector {
        &self.detector
    }

    fn analyzer(&self) -> &Analyzer {
        &self.detector.analyzer
    }

    /// The context of a corpus item: its module description, its owner's name (not for a
    /// capability, whose name is the item itself) and description.
    fn item_context(&self, ii: u32) -> Context<'_> {
        let it = &self.items[ii as usize];
        let o = &self.owners[it.owner as usize];
        Context {
            module_description: &it.desc_ctx,
            parent_name: if o.kind == SourceKind::Capability { &[] } else { &o.name_ctx },
            parent_description: &o.desc_ctx,
            bare: false,
        }
    }

    fn ctx_ids(&self, text: Option<&str>) -> Vec<u32> {
        let Some(text) = text else { return Vec::new() };
        let mut v: Vec<u32> = self.analyzer().context_keys(text).iter().filter_map(|k| self.vocab.get(k.as_str()).copied()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn query(&self, module: &ModuleRecord, parent_ctx: &ParentContext) -> Query {
        let analysis = self.analyzer().analyze(&module.name);
        let mut extra_keys = FxHashMap::default();
        let mut fresh = u32::MAX;
        let profile = Profile::from_analysis(
            &analysis,
            |k| match self.vocab.get(k) {
                Some(&id) => (id, true),
                None => {
                    fresh -= 1;
                    extra_keys.insert(fresh, k.to_owned());
                    (fresh, false)
                }
            },
            |id, known| {
                if known {
                    self.idf[id as usize]
                } else {
                    idf_factor(0, self.n_items)
                }
            },
        );
        Query {
            analysis,
            profile,
            extra_keys,
            name_ctx: parent_ctx.0.clone(),
            parent_desc_ctx: parent_ctx.1.clone(),
            module_desc_ctx: self.ctx_ids(module.description.as_deref()),
        }
    }

    fn scratch(&self) -> Scratch {
        Scratch {
            acc: vec![Acc::default(); self.profiles.len()],
            touched: Vec::new(),
            owner_mask: vec![0; self.owners.len()],
            touched_owners: Vec::new(),
            item_mask: FxHashMap::default(),
            analyses: FxHashMap::default(),
        }
    }

    /// Runs `f` with a scratch space from the pool (a new one when all are in use) and puts
    /// it back: a scratch space is a few MiB of accumulators, zeroed once.
    fn with_scratch<T>(&self, f: impl FnOnce(&mut Scratch) -> T) -> T {
        let taken = self.scratch_pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut scratch = taken.unwrap_or_else(|| self.scratch());
        let out = f(&mut scratch);
        if scratch.analyses.len() > ANALYSES_KEPT {
            scratch.analyses.clear();
        }
        self.scratch_pool.lock().unwrap_or_else(|e| e.into_inner()).push(scratch);
        out
    }

    fn parent_context(&self, application: Option<&ApplicationRecord>) -> ParentContext {
        let mut name = self.ctx_ids(application.map(|p| p.name.as_str()));
        name.retain(|t| self.ubiquitous_names.binary_search(t).is_err());
        (name, self.ctx_ids(application.and_then(|p| p.description.as_deref())))
    }

    /// Checks one module. `application` is the application it belongs to (its name and
    /// description are context, and its own modules are never candidates).
    pub fn check_module(&self, module: &ModuleRecord, application: Option<&ApplicationRecord>) -> Vec<Candidate> {
        let parent = self.parent_context(application);
        self.with_scratch(|scratch| self.check_module_with(module, application, &parent, scratch))
    }

    /// Checks every module of an application, in module order; the modules are checked in
    /// parallel (rayon), which is what keeps one application's latency low on a multi-core
    /// server.
    pub fn check_application(&self, application: &ApplicationRecord) -> Vec<ModuleResult> {
        let parent = self.parent_context(Some(application));
        application
            .modules
            .par_iter()
            .map(|m| ModuleResult {
                module: m.name.clone(),
                candidates: self.with_scratch(|scratch| self.check_module_with(m, Some(application), &parent, scratch)),
            })
            .collect()
    }

    fn check_module_with(
        &self,
        module: &ModuleRecord,
        application: Option<&ApplicationRecord>,
        parent: &ParentContext,
        scratch: &mut Scratch,
    ) -> Vec<Candidate> {
        let cfg = &self.detector.config;
        let params = &cfg.params;
        // Scores are reported to four decimals: one that rounds to the floor is at the floor.
        let floor = (cfg.floor() - 0.00005).max(0.0) as f32;
        let q = self.query(module, parent);
        let qp = &q.profile;
        if qp.feats.is_empty() {
            return Vec::new();
        }
        // Walk postings, longest lists last; skip the longest lists while the mass they carry
        // could not by itself lift any profile over the floor (see docs/dedup.md, "pruning").
        let mut order: Vec<usize> = (0..qp.feats.len()).filter(|&i| (qp.feats[i].id as usize) < self.postings.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(self.postings[qp.feats[i].id as usize].len()));
        let (mut skip1, mut skip2) = (0.0f32, 0.0f32);
        let mut first_walked = 0;
        let mut skipped_common = false;
        for (n, &i) in order.iter().enumerate() {
            let f = &qp.feats[i];
            let (t1, t2) = (skip1 + f.w1, skip2 + f.w2);
            let bound = |skip: f32, sum: f32| {
                if sum <= 0.0 {
                    0.0
                } else {
                    4.0 * skip / (sum + skip)
                }
            };
            if self.postings[f.id as usize].len() > 500 && bound(t1, qp.sum1).max(bound(t2, qp.sum2)) < floor {
                skip1 = t1;
                skip2 = t2;
                first_walked = n + 1;
                skipped_common |= f.flags & F_COMMON != 0;
            } else {
                break;
            }
        }
        for &i in &order[first_walked..] {
            let f = &qp.feats[i];
            for p in self.postings[f.id as usize].iter() {
                let a = &mut scratch.acc[p.profile as usize];
                if a.n1 == 0.0 && a.n2 == 0.0 {
                    scratch.touched.push(p.profile);
                }
                a.n1 += f.w1.min(p.w1).max(1e-9);
                a.n2 += f.w2.min(p.w2);
                if f.flags & F_COMMON != 0 && p.w1 > 0.0 && f.w1 > 0.0 {
                    a.common = true;
                }
            }
        }
        let exclude_owner: Option<u32> = application.and_then(|a| self.application_owner.get(a.id.as_str()).copied());
        let q_ctx = Context {
            module_description: &q.module_desc_ctx,
            parent_name: &q.name_ctx,
            parent_description: &q.parent_desc_ctx,
            bare: false,
        };
        let max_ctx = params.max_context();
        // Context masks: a candidate item whose context carries none of the query's terms
        // that its profile lacks (and whose name shares nothing with the query's parent name
        // when that matters) scores exactly the profile's plain score; only the others are
        // scored one by one.
        let mut feat_bit: Vec<u64> = vec![0; qp.feats.len()];
        // Query-side context credit is possible only for terms some context carries.
        let mut q_avail = 0.0f32;
        let mut next_bit = 0u32;
        // Bits of parts of concepts: their context matters only to an object-less candidate,
        // which may take them from its name (score.rs); other context does not credit them.
        let mut inner_bits = 0u64;
        for (fi, f) in qp.feats.iter().enumerate() {
            let inner = f.flags & F_INNER != 0;
            if f.w1 > 0.0 && f.flags & F_BIGRAM == 0 && (!inner || f.flags & F_OBJECT != 0) {
                let bit = if next_bit < 62 { 1u64 << next_bit } else { OVERFLOW_BIT };
                next_bit += 1;
                feat_bit[fi] = bit;
                if inner {
                    inner_bits |= bit;
                }
                if (f.id as usize) < self.owner_ctx_post.len() {
                    if !self.owner_ctx_post[f.id as usize].is_empty() || !self.item_ctx_post[f.id as usize].is_empty() {
                        q_avail += f.w1;
                    }
                    for &o in self.owner_ctx_post[f.id as usize].iter() {
                        let m = &mut scratch.owner_mask[o as usize];
                        if *m == 0 {
                            scratch.touched_owners.push(o);
                        }
                        *m |= bit;
                    }
                    for &ii in self.item_ctx_post[f.id as usize].iter() {
                        *scratch.item_mask.entry(ii).or_insert(0) |= bit;
                    }
                }
            }
        }
        for &t in &q.name_ctx {
            for &o in self.owner_name_post[t as usize].iter() {
                let m = &mut scratch.owner_mask[o as usize];
                if *m == 0 {
                    scratch.touched_owners.push(o);
                }
                *m |= NAME_BIT;
            }
        }
        // Candidate-side context credit: weight of each touched profile's terms found in the
        // query's own context.
        let mut q_ctx_ids: Vec<u32> = q.name_ctx.iter().chain(&q.parent_desc_ctx).chain(&q.module_desc_ctx).copied().collect();
        q_ctx_ids.sort_unstable();
        q_ctx_ids.dedup();
        for &t in &q_ctx_ids {
            for p in self.postings[t as usize].iter() {
                let a = &mut scratch.acc[p.profile as usize];
                if a.n1 > 0.0 {
                    a.ctx += p.w1;
                }
            }
        }
        // Profiles that can reach the floor, with an upper bound of any of their items' score.
        // Each accumulator is read once and reset for the next module.
        let mut live: Vec<(f32, u32, f32, bool)> = Vec::new();
        for &pi in &scratch.touched {
            let a = std::mem::take(&mut scratch.acc[pi as usize]);
            let p = &self.heads[pi as usize];
            let (n1, n2) = (a.n1 + skip1, a.n2 + skip2);
            let d1 = qp.sum1 + p.sum1;
            let d2 = qp.sum2 + p.sum2;
            let direct = 2.0 * n1;
            let rest1 = (d1 - direct).max(0.0);
            let mut credit = (max_ctx * rest1.min(q_avail + a.ctx)).min(direct);
            // Objects an object-less side takes from its parent's name count as shared (score.rs).
            if !p.has_object {
                credit += 2.0 * rest1.min(q_avail);
            }
            if !qp.has_object() {
                credit += 2.0 * rest1.min(a.ctx);
            }
            // A shared common capability shrinks the denominators by up to (1 - q) of the
            // unshared qualifier mass (see score.rs): bound with the smallest denominator.
            let common = skipped_common || a.common;
            let (e1, e2) = if common {
                let qw = params.qualifier_weight.clamp(0.0, 1.0);
                (direct + qw * rest1, 2.0 * n2 + qw * (d2 - 2.0 * n2).max(0.0))
            } else {
                (d1, d2)
            };
            let ub1 = if e1 > 0.0 { ((direct + credit) / e1).min(1.0) } else { 0.0 };
            let ub2 = if e2 > 0.0 { (params.surface_factor * 2.0 * n2 / e2).min(1.0) } else { 0.0 };
            // The sequence view (see score.rs) needs a plain bigram overlap of SEQ_GATE; it is
            // bounded by the lighter sequence, and (reading the sequences, so only when that
            // decides) by the characters each side may share with the other.
            let gated = d2 > 0.0 && 2.0 * n2 / d2 >= SEQ_GATE && qp.seq_sum + p.seq_sum > 0.0;
            let mut ub_seq = if gated { (2.0 * qp.seq_sum.min(p.seq_sum) / (qp.seq_sum + p.seq_sum)).min(1.0) } else { 0.0 };
            let mut exact_seq = !gated;
            if ub1.max(ub2) < floor && ub_seq >= floor {
                ub_seq = seq_bound(qp, &self.profiles[pi as usize]);
                exact_seq = true;
            }
            let ub = ub1.max(ub2).max(ub_seq);
            if ub < floor {
                continue;
            }
            live.push((ub, pi, ub_seq, exact_seq));
        }
        scratch.touched.clear();
        // (bound, profile) pairs are distinct, so an unstable sort gives one order.
        live.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));

        // Best first; ties in a fixed order (kind, id, module position) so output is stable.
        // `found` is a heap whose top is the worst kept: (Reverse(score in 1/10000), tie rank,
        // item, whether its context was read).
        let k = if cfg.max_matches == 0 { usize::MAX } else { cfg.max_matches };
        let mut found: BinaryHeap<(Reverse<u32>, u32, u32, bool)> = BinaryHeap::new();
        // The rounded score of the k-th best so far (an item must reach it to enter).
        let mut kth = f64::NEG_INFINITY;
        // A candidate whose context cannot change its score: no parent name term in common.
        let plain_ctx = Context::default();
        for &(ub, pi, mut ub_seq, exact_seq) in &live {
            if round4(ub as f64) < kth {
                break;
            }
            let p = &self.profiles[pi as usize];
            let mut memo = PairMemo::new(qp, p, params);
            let mult = memo.mult;
            // The head penalty does not bound the sequence view; the action check does.
            if !exact_seq && ub * mult < floor && ub_seq * memo.act >= floor {
                ub_seq = seq_bound(qp, p);
            }
            let bound = (ub * mult).max(ub_seq * memo.act);
            if bound < floor || round4(bound as f64) < kth {
                continue;
            }
            // Query terms this profile lacks: only context carrying one of them changes a score.
            let mut relevant = 0u64;
            let (mut i, mut j) = (0, 0);
            while i < qp.feats.len() {
                match p.feats.get(j) {
                    Some(y) if y.id < qp.feats[i].id => j += 1,
                    Some(y) if y.id == qp.feats[i].id => {
                        i += 1;
                        j += 1;
                    }
                    _ => {
                        relevant |= feat_bit[i];
                        i += 1;
                    }
                }
            }
            if p.has_object() {
                relevant &= !inner_bits | OVERFLOW_BIT;
            }
            let objectless = !qp.has_object() || !p.has_object();
            if objectless {
                relevant |= NAME_BIT;
            }
            let plain = score_pair_with(qp, &q_ctx, p, &plain_ctx, params, Some(&mut memo), false).score;
            let plain_ok = plain >= floor && round4(plain as f64) >= kth;
            let mut plain_taken = 0usize;
            if relevant == 0 && !plain_ok && !cfg.exhaustive {
                // No context can change a score of this profile, and its plain score is out.
                continue;
            }
            let no_item_masks = scratch.item_mask.is_empty();
            for &(ii, owner) in self.profile_items[pi as usize].iter() {
                if Some(owner) == exclude_owner {
                    continue;
                }
                let flags = self.owner_flags[owner as usize];
                let exact = cfg.exhaustive
                    || relevant != 0 && {
                        let mut mask = scratch.owner_mask[owner as usize];
                        if !no_item_masks {
                            mask |= scratch.item_mask.get(&ii).copied().unwrap_or(0);
                        }
                        flags & OWNER_CAPABILITY != 0 || mask & relevant != 0
                    };
                let score = if exact {
                    score_pair_with(qp, &q_ctx, p, &self.item_context(ii), params, Some(&mut memo), false).score
                } else {
                    // Items of equal score come in tie order: past k of them, none can enter.
                    if !plain_ok || plain_taken >= k {
                        continue;
                    }
                    plain_taken += 1;
                    plain
                };
                if score >= floor && round4(score as f64) >= kth {
                    let entry = (Reverse(score_units(score)), self.tie_rank[ii as usize], ii, exact);
                    if found.len() < k {
                        found.push(entry);
                    } else if found.peek().is_some_and(|worst| entry < *worst) {
                        found.pop();
                        found.push(entry);
                    }
                    if found.len() >= k {
                        kth = found.peek().map(|w| w.0 .0 as f64 / 10_000.0).unwrap_or(kth);
                    }
                }
            }
        }
        for &o in &scratch.touched_owners {
            scratch.owner_mask[o as usize] = 0;
        }
        scratch.touched_owners.clear();
        scratch.item_mask.clear();
        let analyses = &mut scratch.analyses;
        // Items scored without reading their context share their profile's reason.
        let mut plain_reasons: FxHashMap<u32, String> = FxHashMap::default();
        found
            .into_sorted_vec()
            .into_iter()
            .map(|(Reverse(units), _, ii, exact)| {
                let it = &self.items[ii as usize];
                let o = &self.owners[it.owner as usize];
                let mut reason_of = |ctx: &Context<'_>| {
                    let s = score_pair(qp, &q_ctx, &self.profiles[it.profile as usize], ctx, params);
                    let cand_text = it.module.as_deref().unwrap_or(&o.name);
                    let ca = analyses.entry(it.profile).or_insert_with(|| self.analyzer().analyze(cand_text));
                    let key = |id: u32| -> Option<String> {
                        self.keys.get(id as usize).map(|k| k.to_string()).or_else(|| q.extra_keys.get(&id).cloned())
                    };
                    explain(self.analyzer(), &s, &q.analysis, ca, &key, &key)
                };
                let reason = if exact {
                    reason_of(&self.item_context(ii))
                } else {
                    plain_reasons.entry(it.profile).or_insert_with(|| reason_of(&plain_ctx)).clone()
                };
                let score = round4(units as f64 / 10_000.0);
                Candidate {
                    kind: o.kind,
                    id: o.id.clone(),
                    name: o.name.clone(),
                    module: it.module.as_deref().map(str::to_owned),
                    score,
                    overlap: score >= cfg.threshold,
                    reason,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dictionary;

    fn sys(id: &str, name: &str, modules: &[&str]) -> SystemRecord {
        SystemRecord {
            id: id.into(),
            name: name.into(),
            department: None,
            description: None,
            modules: modules.iter().map(|m| ModuleRecord::named(*m)).collect(),
        }
    }

    #[test]
    fn finds_synonym_overlap_and_excludes_own_application() {
        let d = Detector::new(&Dictionary::builtin());
        let mut b = d.index_builder();
        b.add_system(sys("S1", "市统一身份认证平台", &["单点登录", "用户管理", "权限管理"]));
        b.add_system(sys("S2", "人口综合管理系统", &["人口迁移审批", "人口信息查询"]));
        b.add_capability(CapabilityRecord {
            id: "C1".into(),
            name: "地理信息公共服务(GIS)".into(),
            description: Some("提供电子地图、地图标注、空间分析服务".into()),
        });
        let app = sys("A1", "智慧民政综合平台", &["统一用户认证中心", "电子地图展示", "人口数据统计"]);
        b.add_application(app.clone());
        b.add_application(sys("A2", "社区网格平台", &["GIS地图服务"]));
        let idx = b.build();
        let r = idx.check_application(&app);
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].candidates[0].id, "S1");
        assert_eq!(r[0].candidates[0].module.as_deref(), Some("单点登录"));
        let kinds: Vec<_> = r[1].candidates.iter().map(|c| (c.kind, c.id.as_str())).collect();
        assert!(kinds.contains(&(SourceKind::Capability, "C1")), "{r:?}");
        assert!(kinds.contains(&(SourceKind::Application, "A2")), "{r:?}");
        assert!(!kinds.iter().any(|k| k.1 == "A1"));
        assert!(r[2].candidates.is_empty(), "{:?}", r[2]);
    }
}
