//! Shows every candidate (down to a score of 0.2) of the modules of one application in a set
//! directory, with reasons: `explain DIR APP_ID [MODULE_SUBSTRING]` (a tuning aid).
use std::io::BufRead;

use tongchou_dedup::{ApplicationRecord, CapabilityRecord, Detector, DetectorConfig, Dictionary, SystemRecord};

fn lines<T: serde::de::DeserializeOwned>(path: std::path::PathBuf) -> Vec<T> {
    let f = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    std::io::BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(&l).expect("json"))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(&args[0]);
    let app_id = &args[1];
    let filter = args.get(2).cloned().unwrap_or_default();
    let cfg = DetectorConfig { min_score: Some(0.2), ..DetectorConfig::default() };
    let det = Detector::with_config(&Dictionary::builtin(), cfg);
    let mut b = det.index_builder();
    let apps: Vec<ApplicationRecord> = lines(dir.join("applications.jsonl"));
    for s in lines::<SystemRecord>(dir.join("systems.jsonl")) {
        b.add_system(s);
    }
    for c in lines::<CapabilityRecord>(dir.join("capabilities.jsonl")) {
        b.add_capability(c);
    }
    for a in &apps {
        b.add_application(a.clone());
    }
    let idx = b.build();
    let app = apps.iter().find(|a| &a.id == app_id).expect("application id");
    for r in idx.check_application(app) {
        if !r.module.contains(filter.as_str()) {
            continue;
        }
        println!("{}", r.module);
        for c in r.candidates.iter().take(8) {
            println!("  {:.3} {} {} [{}]  {}", c.score, c.id, c.name, c.module.as_deref().unwrap_or(""), c.reason);
        }
    }
}
