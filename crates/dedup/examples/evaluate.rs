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
    for t in thresholds {
        let e = eval::run(std::path::Path::new(&dir), t);
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
