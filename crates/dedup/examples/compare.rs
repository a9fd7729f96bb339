//! Prints the pairwise score and reason for `a<TAB>b` lines on stdin (a calibration aid).
use std::io::BufRead;

use tongchou_dedup::{Detector, Dictionary};

fn main() {
    let d = Detector::new(&Dictionary::builtin());
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let mut f = line.split('\t');
        let (Some(a), Some(b)) = (f.next(), f.next()) else {
            continue;
        };
        if std::env::var_os("DEDUP_TERMS").is_some() {
            println!("{a}: {:?}\n{b}: {:?}", d.debug_terms(a), d.debug_terms(b));
        }
        let m = d.compare(a, b);
        println!("{:.3}\t{a}\t{b}\t{}", m.score, m.reason);
    }
}
