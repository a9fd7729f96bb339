//! Module-level evaluation of `check` output against a ground-truth file (shared by the
//! integration test and the `evaluate` example).
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::Path;

/// One predicted or true overlap: (application id, application module, kind, id, module).
pub type Pair = (String, String, String, String, String);

#[derive(Debug, Clone, Default)]
pub struct Metrics {
    pub predicted: usize,
    pub truth: usize,
    pub correct: usize,
}

impl Metrics {
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            1.0
        } else {
            self.correct as f64 / self.predicted as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.truth == 0 {
            1.0
        } else {
            self.correct as f64 / self.truth as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

pub struct Evaluation {
    /// Pairs at module level: a system match names the system module.
    pub module_level: Metrics,
    /// Pairs at item level: (application module, kind, id) — a system counts once.
    pub id_level: Metrics,
    pub false_positives: Vec<(Pair, f64, String)>,
    pub false_negatives: Vec<Pair>,
}

fn s(v: &serde_json::Value, k: &str) -> String {
    v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned()
}

pub fn run(dir: &Path, threshold: Option<f64>) -> Evaluation {
    run_with(dir, threshold, None)
}

/// [`run`] with an explicit detector (e.g. other score parameters).
pub fn run_with(dir: &Path, threshold: Option<f64>, detector: Option<tongchou_dedup::Detector>) -> Evaluation {
    let open = |n: &str| std::io::BufReader::new(std::fs::File::open(dir.join(n)).unwrap());
    let mut out = Vec::new();
    let opts = tongchou_dedup::batch::CheckOptions { threshold, detector, ..Default::default() };
    tongchou_dedup::batch::check_with(
        &opts,
        open("systems.jsonl"),
        open("capabilities.jsonl"),
        open("applications.jsonl"),
        &mut out,
        |_, _| {},
    )
    .unwrap();
    let mut predicted: BTreeSet<Pair> = BTreeSet::new();
    let mut info = std::collections::BTreeMap::new();
    for line in String::from_utf8(out).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let (a, m) = (s(&v, "application_id"), s(&v, "module"));
        for c in v["matches"].as_array().unwrap() {
            let p = (a.clone(), m.clone(), s(c, "kind"), s(c, "id"), s(c, "module"));
            info.insert(p.clone(), (c["score"].as_f64().unwrap(), s(c, "reason")));
            predicted.insert(p);
        }
    }
    let mut truth: BTreeSet<Pair> = BTreeSet::new();
    for line in std::fs::read_to_string(dir.join("truth.jsonl")).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let (a, m) = (s(&v, "application_id"), s(&v, "module"));
        for c in v["overlaps"].as_array().unwrap() {
            truth.insert((a.clone(), m.clone(), s(c, "kind"), s(c, "id"), s(c, "module")));
        }
    }
    let metric =
        |p: &BTreeSet<Pair>, t: &BTreeSet<Pair>| Metrics { predicted: p.len(), truth: t.len(), correct: p.intersection(t).count() };
    let strip = |set: &BTreeSet<Pair>| -> BTreeSet<Pair> {
        set.iter().map(|(a, m, k, i, _)| (a.clone(), m.clone(), k.clone(), i.clone(), String::new())).collect()
    };
    Evaluation {
        module_level: metric(&predicted, &truth),
        id_level: metric(&strip(&predicted), &strip(&truth)),
        false_positives: predicted
            .difference(&truth)
            .map(|p| {
                let (sc, r) = info[p].clone();
                (p.clone(), sc, r)
            })
            .collect(),
        false_negatives: truth.difference(&predicted).cloned().collect(),
    }
}
