//! Dictionary selection aid: evaluates synonym files against several labelled sets in one
//! process. Reads lines from stdin, each a path to a synonyms file (same format as
//! dict/synonyms.txt; the built-in lexicon is used), and prints per line the macro F1 over the
//! sets and each set's P/R/F1. `dictsel SET_DIR... < paths`
#[path = "../tests/support/eval.rs"]
mod eval;

use std::io::BufRead;

fn main() {
    let sets: Vec<String> = std::env::args().skip(1).collect();
    let lexicon = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/dict/lexicon.txt")).expect("lexicon");
    for path in std::io::stdin().lock().lines().map_while(Result::ok) {
        let mut dict = tongchou_dedup::Dictionary::empty();
        dict.extend_lexicon(&lexicon).expect("lexicon parses");
        let text = std::fs::read_to_string(&path).expect("synonyms file");
        if let Err(e) = dict.extend_from_str(&text) {
            println!("{path}\tERROR {e}");
            continue;
        }
        let det = tongchou_dedup::Detector::new(&dict);
        let mut f1s = Vec::new();
        let mut parts = Vec::new();
        for s in &sets {
            let e = eval::run_with(std::path::Path::new(s), None, Some(det.clone()));
            let m = &e.module_level;
            f1s.push(m.f1());
            parts.push(format!("{:.3}/{:.3}/{:.3}", m.precision(), m.recall(), m.f1()));
        }
        println!("{path}\t{:.4}\t{}", f1s.iter().sum::<f64>() / f1s.len() as f64, parts.join("\t"));
    }
}
