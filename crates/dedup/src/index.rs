//! The corpus index (查重索引): system modules, capabilities and pending-application modules,
//! with corpus-wide term statistics (IDF) and an inverted index from terms (concepts, words,
//! bigrams) to distinct module texts.
//!
//! Identical module texts (after normalisation) share one profile, which keeps a city-scale
//! corpus where hundreds of systems carry "用户管理" or "统一身份认证" small and fast. A query
//! walks the postings of its terms, bounds each profile's best possible score, and scores exactly
//! (with context) only the profiles that could pass.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analyze::{Analysis, Analyzer};
use crate::detector::{round4, Detector};
use crate::normalize::normalize;
use crate::reason::explain;
use crate::record::{ApplicationRecord, CapabilityRecord, ModuleRecord, SourceKind, SystemRecord};
use crate::score::{penalties, score_pair, score_pair_with, Context, Profile};

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
        let mut profiles: Vec<Profile> =
            analyses.iter().map(|a| Profile::from_analysis(a, |k| (intern(k, &mut vocab), true), |_, _| 1.0)).collect();
        drop(analyses);
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
            p.sum1 = p.feats.iter().map(|f| f.w1).sum();
            p.sum2 = p.feats.iter().map(|f| f.w2).sum();
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
            profiles,
            profile_items: profile_items.into_iter().map(Vec::into_boxed_slice).collect(),
            postings: postings.into_iter().map(Vec::into_boxed_slice).collect(),
            owners,
            items,
        }
    }
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
    profile_items: Vec<Box<[u32]>>,
    postings: Vec<Box<[Posting]>>,
    owners: Vec<Owner>,
    items: Vec<Item>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").field("stats", &self.stats()).finish()
    }
}

/// Per-query scratch space (dense accumulators over profiles).
struct Scratch {
    acc: Vec<(f32, f32)>,
    touched: Vec<u32>,
}

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

    fn ctx_ids(&self, text: Option<&str>) -> Vec<u32> {
        let Some(text) = text else { return Vec::new() };
        let mut v: Vec<u32> = self.analyzer().context_keys(text).iter().filter_map(|k| self.vocab.get(k.as_str()).copied()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn query(&self, module: &ModuleRecord, parent: Option<&ApplicationRecord>) -> Query {
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
            name_ctx: self.ctx_ids(parent.map(|p| p.name.as_str())),
            parent_desc_ctx: self.ctx_ids(parent.and_then(|p| p.description.as_deref())),
            module_desc_ctx: self.ctx_ids(module.description.as_deref()),
        }
    }

    fn scratch(&self) -> Scratch {
        Scratch { acc: vec![(0.0, 0.0); self.profiles.len()], touched: Vec::new() }
    }

    /// Checks one module. `application` is the application it belongs to (its name and
    /// description are context, and its own modules are never candidates).
    pub fn check_module(&self, module: &ModuleRecord, application: Option<&ApplicationRecord>) -> Vec<Candidate> {
        let mut scratch = self.scratch();
        self.check_module_with(module, application, &mut scratch)
    }

    /// Checks every module of an application, in module order.
    pub fn check_application(&self, application: &ApplicationRecord) -> Vec<ModuleResult> {
        let mut scratch = self.scratch();
        application
            .modules
            .iter()
            .map(|m| ModuleResult { module: m.name.clone(), candidates: self.check_module_with(m, Some(application), &mut scratch) })
            .collect()
    }

    fn check_module_with(&self, module: &ModuleRecord, application: Option<&ApplicationRecord>, scratch: &mut Scratch) -> Vec<Candidate> {
        let cfg = &self.detector.config;
        let params = &cfg.params;
        let floor = cfg.floor() as f32;
        let q = self.query(module, application);
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
            } else {
                break;
            }
        }
        for &i in &order[first_walked..] {
            let f = &qp.feats[i];
            for p in self.postings[f.id as usize].iter() {
                let a = &mut scratch.acc[p.profile as usize];
                if a.0 == 0.0 && a.1 == 0.0 {
                    scratch.touched.push(p.profile);
                }
                a.0 += f.w1.min(p.w1).max(1e-9);
                a.1 += f.w2.min(p.w2);
            }
        }
        let exclude: Option<&str> = application.map(|a| a.id.as_str());
        let mut found: Vec<(f32, u32)> = Vec::new();
        let q_ctx = Context { module_description: &q.module_desc_ctx, parent_name: &q.name_ctx, parent_description: &q.parent_desc_ctx };
        let max_ctx = params.max_context();
        for &pi in &scratch.touched {
            let (n1, n2) = scratch.acc[pi as usize];
            let p = &self.profiles[pi as usize];
            let (n1, n2) = (n1 + skip1, n2 + skip2);
            let d1 = qp.sum1 + p.sum1;
            let d2 = qp.sum2 + p.sum2;
            let direct = 2.0 * n1;
            let credit = (max_ctx * (d1 - direct).max(0.0)).min(direct);
            let ub1 = if d1 > 0.0 { (direct + credit) / d1 } else { 0.0 };
            let ub2 = if d2 > 0.0 { params.surface_factor * 2.0 * n2 / d2 } else { 0.0 };
            if ub1.max(ub2) < floor {
                continue;
            }
            let (mult, _) = penalties(qp, p, params);
            if ub1.max(ub2) * mult < floor {
                continue;
            }
            for &ii in self.profile_items[pi as usize].iter() {
                let it = &self.items[ii as usize];
                let o = &self.owners[it.owner as usize];
                if o.kind == SourceKind::Application && Some(o.id.as_str()) == exclude {
                    continue;
                }
                let c_ctx = Context {
                    module_description: &it.desc_ctx,
                    parent_name: if o.kind == SourceKind::Capability { &[] } else { &o.name_ctx },
                    parent_description: &o.desc_ctx,
                };
                let s = score_pair_with(qp, &q_ctx, p, &c_ctx, params, Some(mult), false);
                if s.score >= floor {
                    found.push((s.score, ii));
                }
            }
        }
        for &pi in &scratch.touched {
            scratch.acc[pi as usize] = (0.0, 0.0);
        }
        scratch.touched.clear();
        // Best first; ties in a fixed order (kind, id, module position) so output is stable.
        let order = |a: &(f32, u32), b: &(f32, u32)| {
            let (sa, sb) = (round4(a.0 as f64), round4(b.0 as f64));
            sb.total_cmp(&sa).then_with(|| {
                let (ia, ib) = (&self.items[a.1 as usize], &self.items[b.1 as usize]);
                let (oa, ob) = (&self.owners[ia.owner as usize], &self.owners[ib.owner as usize]);
                (oa.kind, &oa.id, a.1).cmp(&(ob.kind, &ob.id, b.1))
            })
        };
        if found.len() > cfg.max_matches && cfg.max_matches > 0 {
            found.select_nth_unstable_by(cfg.max_matches - 1, order);
            found.truncate(cfg.max_matches);
        }
        found.sort_by(order);
        found.truncate(cfg.max_matches);
        let mut analyses: FxHashMap<u32, Analysis> = FxHashMap::default();
        found
            .into_iter()
            .map(|(score, ii)| {
                let it = &self.items[ii as usize];
                let o = &self.owners[it.owner as usize];
                let c_ctx = Context {
                    module_description: &it.desc_ctx,
                    parent_name: if o.kind == SourceKind::Capability { &[] } else { &o.name_ctx },
                    parent_description: &o.desc_ctx,
                };
                let s = score_pair(qp, &q_ctx, &self.profiles[it.profile as usize], &c_ctx, params);
                let cand_text = it.module.as_deref().unwrap_or(&o.name);
                let ca = analyses.entry(it.profile).or_insert_with(|| self.analyzer().analyze(cand_text));
                let key = |id: u32| -> Option<String> {
                    self.keys.get(id as usize).map(|k| k.to_string()).or_else(|| q.extra_keys.get(&id).cloned())
                };
                let reason = explain(self.analyzer(), &s, &q.analysis, ca, &key, &key);
                let score = round4(score as f64);
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
