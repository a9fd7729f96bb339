//! Prints module-level precision/recall/F1 of the detector on a labelled set, and its errors.
//!
//! `cargo run --release --example evaluate -- crates/dedup/tests/data/dev [threshold] [--errors]`
#[path = "../tests/support/eval.rs"]
mod eval;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.first().cloned().unwrap_or_else(|| "crates/dedup/tests/data/dev".into());
    let show_errors = args.iter().any(|a| a == "--errors");
    let sweep = args.iter().any(|a| a == "--sweep");
    let threshold: Option<f64> = args.get(1).and_then(|t| t.parse().ok());
    let thresholds: Vec<Option<f64>> = if sweep { (6..=14).map(|i| Some(i as f64 * 0.05)).collect() } else { vec![threshold] };
    // DEDUP_PARAMS="sibling_exponent=0.5,qualifier_weight=0.3" overrides score parameters.
    let detector = std::env::var("DEDUP_PARAMS").ok().map(|spec| {
        let mut cfg = tongchou_dedup::DetectorConfig::default();
        for kv in spec.split(',').filter(|s| !s.is_empty()) {
            let (k, v) = kv.split_once('=').expect("name=value");
            let v: f32 = v.parse().expect("number");
            let p = &mut cfg.params;
            match k {
                "surface_factor" => p.surface_factor = v,
                "action_penalty" => p.action_penalty = v,
                "related_action_penalty" => p.related_action_penalty = v,
                "head_penalty" => p.head_penalty = v,
                "objectless_floor" => p.objectless_floor = v,
                "sibling_exponent" => p.sibling_exponent = v,
                "qualifier_weight" => p.qualifier_weight = v,
                "seq_sibling_exponent" => p.seq_sibling_exponent = v,
                "housekeeping_factor" => p.housekeeping_factor = v,
                _ => panic!("unknown parameter {k}"),
            }
        }
        tongchou_dedup::Detector::with_config(&tongchou_dedup::Dictionary::builtin(), cfg)
    });
    for t in thresholds {
        let e = eval::run_with(std::path::Path::new(&dir), t, detector.clone());
        let (m, i) = (&e.module_level, &e.id_level);
        println!(
            "{dir} threshold={}: module level P={:.3} R={:.3} F1={:.3} (pred {}, true {}, correct {}); id level P={:.3} R={:.3} F1={:.3}",
            t.map(|t| format!("{t:.2}")).unwrap_or_else(|| "default".into()),
            m.precision(),
            m.recall(),
            m.f1(),
            m.predicted,
            m.truth,
            m.correct,
            i.precision(),
            i.recall(),
            i.f1()
        );
        if show_errors {
            for (p, s, r) in &e.false_positives {
                println!("FP {s:.3} {} [{}] -> {} {} [{}]  {r}", p.0, p.1, p.2, p.3, p.4);
            }
            for p in &e.false_negatives {
                println!("FN {} [{}] -> {} {} [{}]", p.0, p.1, p.2, p.3, p.4);
            }
        }
    }
}
