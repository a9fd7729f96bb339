//! Ledger benchmarks: append, full recompute against raw SHA-256, proofs from a 10M-leaf log.
//!
//! Run: `cargo bench -p tongchou-ledger --bench ledger`. Sample sizes are small so the whole run
//! takes about a minute and a half; the 1M-entry comparison also prints its own best-of-3 timing and
//! the ratio to raw SHA-256, which is the figure BENCHMARKS.md quotes.

use std::cell::Cell;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use sha2::{Digest, Sha256};
use tongchou_ledger::{
    prove_consistency, prove_inclusion, verify_inclusion, AuditEntry, Frontier, Hash, MemoryNodes, NodeSource, Suite, Verifier,
};

const ACTIONS: [(&str, &str, &str); 4] = [
    ("application.submit", "draft", "submitted"),
    ("review.opinion", "under_review", "under_review"),
    ("approval.approve", "under_review", "approved"),
    ("acceptance.complete", "in_acceptance", "accepted"),
];

/// A realistic entry of about 300 encoded bytes.
fn entry(seq: u64) -> AuditEntry {
    let (action, before, after) = ACTIONS[(seq % 4) as usize];
    AuditEntry {
        seq,
        at_ms: 1_800_000_000_000 + seq as i64 * 1_500,
        actor_id: 1 + (seq % 97) as i64,
        actor: format!("user{:03}", seq % 97),
        role: "reviewer".into(),
        action: action.into(),
        object_type: "project".into(),
        object_id: format!("2027-JYJ-{:04}", seq % 5000),
        before: before.into(),
        after: after.into(),
        comment: "经审核，项目建设内容与市政务云统筹要求一致，同意".into(),
        client_addr: format!("10.12.{}.{}", seq % 250, seq % 199),
        detail: format!(r#"{{"budget_fen":{},"department":"市教育局","batch":"2027-Q1","ref":"REQ-{:08}"}}"#, 1_250_000 + seq, seq),
    }
}

fn append(c: &mut Criterion) {
    let s = Suite::default();
    let entries: Vec<AuditEntry> = (0..10_000).map(entry).collect();
    let mut g = c.benchmark_group("append");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(entries.len() as u64));
    // What the store does per entry: encode, leaf-hash, push onto the frontier, new root.
    g.bench_function("encode+leaf_hash+frontier+root/10k", |b| {
        b.iter(|| {
            let mut f = Frontier::new();
            let mut buf = Vec::with_capacity(512);
            for e in &entries {
                let leaf = e.leaf_hash_with(s, &mut buf);
                f.push(s, leaf);
                black_box(f.root(s));
            }
            f.size()
        })
    });
    // Same, also collecting the (level, index, hash) rows a store inserts.
    g.bench_function("encode+leaf_hash+frontier+node_rows/10k", |b| {
        b.iter(|| {
            let mut f = Frontier::new();
            let mut buf = Vec::with_capacity(512);
            let mut rows = 0usize;
            for e in &entries {
                let leaf = e.leaf_hash_with(s, &mut buf);
                f.push_with(s, leaf, |_, h| {
                    black_box(h);
                    rows += 1;
                });
            }
            rows
        })
    });
    g.finish();
}

struct Encoded {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Encoded {
    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(self.ends.iter().copied()).map(|(a, b)| &self.bytes[a..b])
    }
}

fn raw_sha256(enc: &Encoded) -> u8 {
    let mut x = 0u8;
    for e in enc.iter() {
        x ^= Sha256::digest(e)[0];
    }
    x
}

fn ledger_from_bytes(s: Suite, enc: &Encoded) -> Hash {
    let mut v = Verifier::new(s);
    for e in enc.iter() {
        v.push_encoded(e).expect("no checkpoints");
    }
    v.root()
}

fn ledger_from_entries(s: Suite, entries: &[AuditEntry]) -> Hash {
    let mut v = Verifier::new(s);
    for e in entries {
        v.push_entry(e).expect("in order");
    }
    v.root()
}

fn best_of_3(mut f: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .expect("three runs")
}

fn full_recompute(c: &mut Criterion) {
    const N: u64 = 1_000_000;
    let s = Suite::default();
    let entries: Vec<AuditEntry> = (0..N).map(entry).collect();
    let mut enc = Encoded { bytes: Vec::with_capacity(N as usize * 320), ends: Vec::with_capacity(N as usize) };
    for e in &entries {
        e.encode_into(&mut enc.bytes);
        enc.ends.push(enc.bytes.len());
    }
    let mb = enc.bytes.len() as f64 / 1e6;

    let raw = best_of_3(|| {
        black_box(raw_sha256(&enc));
    });
    let from_bytes = best_of_3(|| {
        black_box(ledger_from_bytes(s, &enc));
    });
    let from_entries = best_of_3(|| {
        black_box(ledger_from_entries(s, &entries));
    });
    println!();
    println!("full recompute of {N} entries, {:.0} bytes each on average ({mb:.1} MB), best of 3:", mb * 1e6 / N as f64);
    println!("  raw SHA-256 of each entry's bytes          {:>8.3} s  {:>7.1} MB/s", raw.as_secs_f64(), mb / raw.as_secs_f64());
    println!(
        "  ledger from encoded bytes (leaf+tree)      {:>8.3} s  {:>7.1} MB/s  = {:.0} % of raw throughput",
        from_bytes.as_secs_f64(),
        mb / from_bytes.as_secs_f64(),
        100.0 * raw.as_secs_f64() / from_bytes.as_secs_f64()
    );
    println!(
        "  ledger from entries (encode+leaf+tree)     {:>8.3} s  {:>7.1} MB/s  = {:.0} % of raw throughput",
        from_entries.as_secs_f64(),
        mb / from_entries.as_secs_f64(),
        100.0 * raw.as_secs_f64() / from_entries.as_secs_f64()
    );
    println!();

    let mut g = c.benchmark_group("recompute_1m");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    g.throughput(Throughput::Bytes(enc.bytes.len() as u64));
    g.bench_function("raw_sha256", |b| b.iter(|| raw_sha256(&enc)));
    g.bench_function("ledger_from_bytes", |b| b.iter(|| ledger_from_bytes(s, &enc)));
    g.bench_function("ledger_from_entries", |b| b.iter(|| ledger_from_entries(s, &entries)));
    g.finish();
}

/// Counts node reads, to show the proof touches O(log n) stored nodes.
struct Counting<'a> {
    inner: &'a MemoryNodes,
    reads: Cell<u64>,
}

impl NodeSource for Counting<'_> {
    type Error = tongchou_ledger::MissingNode;
    fn node(&self, level: u32, index: u64) -> Result<Hash, Self::Error> {
        self.reads.set(self.reads.get() + 1);
        self.inner.node(level, index)
    }
}

fn proofs_10m(c: &mut Criterion) {
    const N: u64 = 10_000_000;
    let s = Suite::default();
    let t = Instant::now();
    // Leaf hashes of synthetic entries: the point here is reading O(log n) nodes, not hashing.
    let nodes = MemoryNodes::from_leaves(s, (0..N).map(|i| s.leaf_hash(&i.to_be_bytes())));
    let root = nodes.root();
    println!("\nbuilt a {N}-leaf node store ({} nodes) in {:.1} s", nodes.node_count(), t.elapsed().as_secs_f64());
    let counting = Counting { inner: &nodes, reads: Cell::new(0) };
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let (mut proofs, mut max_reads) = (0u64, 0u64);
    for _ in 0..1000 {
        counting.reads.set(0);
        let i = rng.gen_range(0..N);
        let p = prove_inclusion(s, &counting, i, N).unwrap();
        verify_inclusion(s, i, N, &nodes.node(0, i).unwrap(), &p, &root).unwrap();
        max_reads = max_reads.max(counting.reads.get());
        proofs += 1;
    }
    println!("{proofs} random inclusion proofs in a {N}-leaf log verified; at most {max_reads} node reads each\n");

    let mut g = c.benchmark_group("proofs_10m");
    g.sample_size(50).measurement_time(Duration::from_secs(2));
    g.bench_function("inclusion_random_index", |b| {
        b.iter_batched(|| rng.gen_range(0..N), |i| prove_inclusion(s, &nodes, i, N).unwrap(), BatchSize::SmallInput)
    });
    g.bench_function("inclusion_random_index+verify", |b| {
        b.iter_batched(
            || rng.gen_range(0..N),
            |i| {
                let p = prove_inclusion(s, &nodes, i, N).unwrap();
                verify_inclusion(s, i, N, &nodes.node(0, i).unwrap(), &p, &root).unwrap()
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("consistency_random_size1", |b| {
        b.iter_batched(|| rng.gen_range(1..N), |m| prove_consistency(s, &nodes, m, N).unwrap(), BatchSize::SmallInput)
    });
    g.finish();
}

criterion_group!(benches, append, full_recompute, proofs_10m);
criterion_main!(benches);
