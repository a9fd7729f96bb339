//! The detector (查重器): a compiled dictionary plus scoring parameters. Compares two texts
//! directly ([`Detector::compare`]) or builds an [`crate::Index`] over a corpus.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::analyze::Analyzer;
use crate::dictionary::Dictionary;
use crate::reason::explain;
use crate::score::{score_pair, Context, Profile, ScoreParams};

/// The default decision threshold: a candidate whose score is at least this is reported as an
/// overlap. Chosen on the two dev sets (docs/dedup.md has the sweep).
pub const DEFAULT_THRESHOLD: f64 = 0.6;

/// Detector configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectorConfig {
    /// Decision threshold in [0, 1].
    pub threshold: f64,
    /// Candidates at or above this score are returned (with `overlap = score >= threshold`);
    /// the review page may set it below the threshold to show near misses. Defaults to the
    /// threshold.
    pub min_score: Option<f64>,
    /// At most this many candidates per module, best first.
    pub max_matches: usize,
    /// Score parameters.
    pub params: ScoreParams,
    /// Score every candidate item with its own context, taking none of the index's shortcuts
    /// (slow; for the test that checks the shortcuts change no result).
    #[doc(hidden)]
    pub exhaustive: bool,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        DetectorConfig {
            threshold: DEFAULT_THRESHOLD,
            min_score: None,
            max_matches: 100,
            params: ScoreParams::default(),
            exhaustive: false,
        }
    }
}

impl DetectorConfig {
    /// The lowest score returned.
    pub fn floor(&self) -> f64 {
        self.min_score.unwrap_or(self.threshold).min(self.threshold)
    }
}

/// The score of one pair of texts with its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct PairMatch {
    /// Similarity in [0, 1].
    pub score: f64,
    /// `score >= threshold`.
    pub overlap: bool,
    /// Why, in Chinese, for a reviewer ("同义词: 单点登录≈统一身份认证; …").
    pub reason: String,
}

/// The duplicate detector. Cheap to clone (the compiled dictionary is shared).
#[derive(Debug, Clone)]
pub struct Detector {
    pub(crate) analyzer: Arc<Analyzer>,
    pub(crate) config: DetectorConfig,
}

impl Detector {
    /// A detector over `dictionary` with the default configuration. Compiling the dictionary
    /// loads the segmenter (about half a second); build one detector and share it.
    pub fn new(dictionary: &Dictionary) -> Self {
        Self::with_config(dictionary, DetectorConfig::default())
    }

    /// A detector with an explicit configuration.
    pub fn with_config(dictionary: &Dictionary, config: DetectorConfig) -> Self {
        Detector { analyzer: Arc::new(Analyzer::new(dictionary)), config }
    }

    /// The same compiled dictionary with another configuration.
    pub fn reconfigured(&self, config: DetectorConfig) -> Self {
        Detector { analyzer: Arc::clone(&self.analyzer), config }
    }

    /// The configuration.
    pub fn config(&self) -> &DetectorConfig {
        &self.config
    }

    /// The analysed terms of a text, one `key kind concept-weight surface-weight` line each
    /// (a calibration aid for dictionary maintainers; the format is not stable).
    #[doc(hidden)]
    pub fn debug_terms(&self, text: &str) -> Vec<String> {
        self.analyzer
            .analyze(text)
            .terms
            .iter()
            .map(|t| format!("{} {:?} {:.2} {:.2} {}", t.key, t.kind, t.w_concept, t.w_surface, t.surface))
            .collect()
    }

    /// Pairwise similarity of two texts in [0, 1], without corpus statistics and without context.
    /// Symmetric: `similarity(a, b) == similarity(b, a)`.
    pub fn similarity(&self, a: &str, b: &str) -> f64 {
        self.compare(a, b).score
    }

    /// Pairwise comparison with decision and reason.
    pub fn compare(&self, a: &str, b: &str) -> PairMatch {
        let aa = self.analyzer.analyze(a);
        let ab = self.analyzer.analyze(b);
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut id_of = |k: &str| {
            let n = ids.len() as u32;
            (*ids.entry(k.to_owned()).or_insert(n), true)
        };
        let pa = Profile::from_analysis(&aa, &mut id_of, |_, _| 1.0);
        let pb = Profile::from_analysis(&ab, &mut id_of, |_, _| 1.0);
        let ctx = Context { bare: true, ..Context::default() };
        // Score both ways and keep the lower value, rounded, so the pairwise score is exactly
        // symmetric whatever the float summation order.
        let s_ab = score_pair(&pa, &ctx, &pb, &ctx, &self.config.params);
        let s_ba = score_pair(&pb, &ctx, &pa, &ctx, &self.config.params);
        let score = round4(s_ab.score.min(s_ba.score) as f64);
        let names: FxHashMap<u32, String> = ids.into_iter().map(|(k, v)| (v, k)).collect();
        let reason = explain(&self.analyzer, &s_ab, &aa, &ab, &|id| names.get(&id).cloned(), &|id| names.get(&id).cloned());
        PairMatch { score, overlap: score >= self.config.threshold, reason }
    }
}

/// Scores are reported with four decimals so that output is stable across platforms.
pub(crate) fn round4(x: f64) -> f64 {
    (x.clamp(0.0, 1.0) * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    pub(crate) fn detector() -> &'static Detector {
        static D: OnceLock<Detector> = OnceLock::new();
        D.get_or_init(|| Detector::new(&Dictionary::builtin()))
    }

    fn s(a: &str, b: &str) -> f64 {
        detector().similarity(a, b)
    }

    #[test]
    fn synonyms_without_shared_characters_match() {
        assert!(s("单点登录", "统一身份认证平台") >= 0.9);
        assert!(s("一网通办", "网上政务服务一体化平台") >= 0.9);
        assert!(s("GIS地图服务", "电子地图展示") >= 0.85);
        assert!(s("雪亮工程视频接入", "视频监控联网") >= 0.6);
        let m = detector().compare("单点登录", "统一用户认证中心");
        assert!(m.reason.contains("单点登录≈统一用户认证"), "{}", m.reason);
    }

    #[test]
    fn traditional_full_width_and_suffix_noise_match() {
        assert!(s("統一身份認證平臺", "统一身份认证") >= 0.95);
        assert!(s("ＯＣＲ文字识别服务", "OCR识别") >= 0.85);
        assert!(s("电子证照库建设（一期）", "电子证照管理系统") >= 0.8);
        assert!(s("短信 平台", "短信平台") >= 0.95);
    }

    #[test]
    fn look_alike_but_different_do_not_match() {
        for (a, b) in [
            ("人口数据统计", "人口迁移审批"),
            ("视频会议", "视频监控"),
            ("电子证照", "电子签章"),
            ("企业信息查询", "案件信息查询"),
            ("数据共享交换", "数据开放"),
            ("用户注册", "权限管理"),
        ] {
            let m = detector().compare(a, b);
            assert!(m.score < DEFAULT_THRESHOLD, "{a} vs {b}: {m:?}");
        }
    }

    #[test]
    fn empty_texts_score_zero() {
        assert_eq!(s("", "统一身份认证"), 0.0);
        assert_eq!(s("！！", "。。"), 0.0);
    }
}

#[cfg(test)]
mod props {
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "统一",
        "身份",
        "认证",
        "单点登录",
        "短信",
        "平台",
        "系统",
        "人口",
        "迁移",
        "审批",
        "统计",
        "視頻",
        "监控",
        "ＧＩＳ",
        "地图",
        "、",
        " ",
        "(一期)",
        "管理",
        "服务",
        "电子证照",
        "a",
        "1",
    ];

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(PIECES), 0..6).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn score_is_in_unit_interval_and_symmetric(a in text(), b in text()) {
            let d = super::tests::detector();
            let ab = d.similarity(&a, &b);
            let ba = d.similarity(&b, &a);
            prop_assert!((0.0..=1.0).contains(&ab));
            prop_assert_eq!(ab, ba);
        }
    }
}
