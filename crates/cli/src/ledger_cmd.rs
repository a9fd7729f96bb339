//! `tongchou audit verify | export | verify-bundle | sign | bench`: the audit ledger from the
//! command line (see docs/ledger-store.md and docs/ledger-bench.md).

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use tongchou_domain::config::Config;
use tongchou_store::audit::NewEvent;
use tongchou_store::Store;

use super::{load_config, open_store, Cli};

/// Exit codes of the ledger subcommands (also in `--help`).
pub const EXIT_OK: i32 = 0;
pub const EXIT_TAMPERED: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

/// The store with the ledger key: `ledger.signing_key` when configured, else the data
/// directory's key file (created with mode 0600 on first start).
pub fn with_key(store: Store, config: &Config) -> Result<Store> {
    if !config.ledger.signing_key.trim().is_empty() {
        return Ok(store);
    }
    let key = tongchou_store::ledger::load_or_create_key(Path::new(&config.server.data_dir))
        .with_context(|| format!("the ledger signing key in {}", config.server.data_dir))?;
    Ok(store.with_signer(key))
}

async fn ledger_store(cli: &Cli) -> Result<Store> {
    let config = load_config(cli, None)?;
    let store = open_store(&config).await?;
    with_key(store, &config)
}

fn progress_bar(total: u64) -> Option<tongchou_store::ledger::Progress> {
    if total < 200_000 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} verifying [{bar:40}] {pos}/{len} entries ({per_sec}, {eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(Arc::new(move |done, total| {
        bar.set_length(total.max(done));
        bar.set_position(done);
        if done >= total {
            bar.finish_and_clear();
        }
    }))
}

pub async fn verify(cli: &Cli, json: bool) -> Result<i32> {
    let store = ledger_store(cli).await?;
    let total = store.ledger_size().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let report = store.verify_ledger(progress_bar(total)).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    store.close().await;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    match &report.problem {
        None => {
            if !json {
                println!(
                    "ledger OK: {} entries, {} signed tree heads checked (entries 0..{} signed, {} awaiting a signature), {} stored nodes checked, key {}, {:.2} s",
                    report.entries,
                    report.heads_checked,
                    report.verified_size,
                    report.entries - report.verified_size,
                    report.nodes_checked,
                    report.key_fingerprint,
                    report.elapsed_ms as f64 / 1000.0
                );
            }
            Ok(EXIT_OK)
        }
        Some(p) => {
            eprintln!("LEDGER MISMATCH");
            if let Some(seq) = p.seq {
                eprintln!("  first mismatching entry: seq {seq}");
            }
            if let Some(o) = &p.object {
                eprintln!("  object: {o}");
            }
            eprintln!("  {}", p.message);
            Ok(EXIT_TAMPERED)
        }
    }
}

pub async fn export(cli: &Cli, file: &Path) -> Result<i32> {
    let store = ledger_store(cli).await?;
    let bundle = store.export_bundle().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    store.close().await;
    if bundle.tree_heads.is_empty() {
        eprintln!("warning: no signed tree head yet; run `tongchou audit sign` first, or the bundle cannot be verified");
    }
    std::fs::write(file, bundle.to_json_pretty()).with_context(|| format!("writing {}", file.display()))?;
    println!(
        "wrote {}: {} entries, {} signed tree heads, public key {}",
        file.display(),
        bundle.entries.len(),
        bundle.tree_heads.len(),
        tongchou_ledger::PublicKey::from_base64(bundle.suite, &bundle.public_key).map(|k| k.fingerprint()).unwrap_or_default()
    );
    Ok(EXIT_OK)
}

pub fn verify_bundle(file: &Path, public_key: Option<&str>) -> i32 {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {}: {e}", file.display());
            return EXIT_ERROR;
        }
    };
    let bundle = match tongchou_ledger::Bundle::from_json(&bytes) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("malformed bundle: {e}");
            return EXIT_ERROR;
        }
    };
    let outcome = match public_key {
        None => tongchou_ledger::verify_bundle(&bundle),
        Some(k) => {
            let text = std::fs::read_to_string(k).unwrap_or_else(|_| k.to_string());
            let key = tongchou_ledger::PublicKey::from_pem(bundle.suite, &text)
                .or_else(|_| tongchou_ledger::PublicKey::from_base64(bundle.suite, text.trim()));
            match key {
                Ok(key) => tongchou_ledger::verify_bundle_with_key(&bundle, &key),
                Err(e) => {
                    eprintln!("cannot read the public key: {e}");
                    return EXIT_ERROR;
                }
            }
        }
    };
    match outcome {
        Ok(report) => {
            println!("{report}");
            if public_key.is_none() {
                println!("compare the key fingerprint with the published key (/api/v1/audit/public-key), or pass --public-key");
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("BUNDLE DOES NOT VERIFY");
            if let Some(seq) = e.seq() {
                eprintln!("  first mismatching entry: seq {seq}");
                if let Some(be) = bundle.entries.iter().find(|b| b.entry.seq == seq) {
                    eprintln!("  object: {}/{}", be.entry.object_type, be.entry.object_id);
                }
            }
            eprintln!("  {e}");
            EXIT_TAMPERED
        }
    }
}

pub async fn sign(cli: &Cli) -> Result<i32> {
    let store = ledger_store(cli).await?;
    let sth = store.sign_tree_head().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    store.close().await;
    println!("{}", serde_json::to_string_pretty(&sth)?);
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------------------------------------
// Benchmark
// ---------------------------------------------------------------------------------------------

/// A realistic audit event of ~300 encoded bytes (Chinese comment, JSON detail).
pub fn sample_event(i: u64) -> NewEvent {
    NewEvent {
        actor_id: (i % 60 + 1) as i64,
        actor: format!("user{:02}", i % 60),
        role: "dept_staff".into(),
        action: ["application.submit", "review.approve", "plan.include", "application.return"][(i % 4) as usize].into(),
        object_type: "project".into(),
        object_id: (i % 5000 + 1).to_string(),
        before: "draft".into(),
        after: "submitted".into(),
        comment: format!("提交项目申报材料,第{i}次操作,请审核。预算已按要求调整。"),
        client_addr: format!("10.1.{}.{}", i % 250, i % 200),
        detail: format!(r#"{{"budget_fen":{},"fields":["name","budget","modules"],"department":"JYJ","year":2027}}"#, 1_000_000 + i * 37),
    }
}

/// A benchmark store signing with the bench directory's key, so that logs reused by a later run
/// still verify.
async fn fresh_store(url: &str, dir: &Path) -> Result<Store> {
    let mut config = Config::default();
    config.database.url = url.to_string();
    config.ledger.sign_every_entries = 10_000;
    let store = Store::connect(url, config, tongchou_store::system_clock()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    store.migrate().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(store.with_signer(tongchou_store::ledger::load_or_create_key(dir)?))
}

async fn append_rate(store: &Store, entries: u64, per_tx: u64, start: u64) -> Result<f64> {
    let t = Instant::now();
    let mut i = start;
    while i < start + entries {
        let n = per_tx.min(start + entries - i);
        let now = store.now();
        let batch: Vec<(i64, NewEvent)> = (i..i + n).map(|k| (now, sample_event(k))).collect();
        let mut tx = store.begin().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        if per_tx == 1 {
            tongchou_store::audit::append(&mut tx, now, &batch[0].1).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        } else {
            tongchou_store::audit::append_many(&mut tx, &batch).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        tx.commit().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        i += n;
    }
    Ok(entries as f64 / t.elapsed().as_secs_f64())
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" ")).unwrap_or_default()
}

pub struct BenchArgs {
    pub dir: PathBuf,
    pub pg: Option<String>,
    pub append_entries: u64,
    pub single_entries: u64,
    pub verify_entries: u64,
    pub proof_entries: u64,
}

pub async fn bench(a: BenchArgs) -> Result<i32> {
    std::fs::create_dir_all(&a.dir)?;
    println!(
        "# tongchou audit bench ({} cores, load average {})",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        load()
    );

    // Append on each backend.
    // (name, database URL, PostgreSQL admin URL and database name to drop afterwards)
    type Backend<'a> = (&'a str, String, Option<(String, String)>);
    let mut backends: Vec<Backend> = Vec::new();
    let sqlite_path = a.dir.join("append.db");
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", sqlite_path.display()));
    }
    backends.push(("SQLite", format!("sqlite://{}", sqlite_path.display()), None));
    if let Some(admin) = &a.pg {
        use sqlx::Connection;
        let db = format!("tongchou_ledger_bench_{:08x}", rand_u32());
        let mut c = sqlx::PgConnection::connect(admin).await?;
        sqlx::query(&format!("CREATE DATABASE \"{db}\"")).execute(&mut c).await?;
        c.close().await?;
        let url = match admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{db}"),
            None => admin.clone(),
        };
        backends.push(("PostgreSQL", url, Some((admin.clone(), db))));
    }
    println!("\n## append (a tree head signed every 10,000 entries)\n");
    println!("| backend | entries per transaction | entries | entries/s |");
    println!("|---|---|---|---|");
    for (name, url, cleanup) in &backends {
        let store = fresh_store(url, &a.dir).await?;
        let mut next = 0;
        for per_tx in [1000u64, 100] {
            let rate = append_rate(&store, a.append_entries, per_tx, next).await?;
            next += a.append_entries;
            println!("| {name} | {per_tx} | {} | {:.0} |", a.append_entries, rate);
        }
        let rate = append_rate(&store, a.single_entries, 1, next).await?;
        println!("| {name} | 1 | {} | {:.0} |", a.single_entries, rate);
        let report = store.verify_ledger(None).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        anyhow::ensure!(report.problem.is_none(), "the benchmark log does not verify: {:?}", report.problem);
        store.close().await;
        if let Some((admin, db)) = cleanup {
            use sqlx::Connection;
            let mut c = sqlx::PgConnection::connect(admin).await?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)")).execute(&mut c).await?;
        }
    }
    println!("\nload average after append: {}", load());

    // Verify N entries from SQLite.
    if a.verify_entries > 0 {
        let path = a.dir.join(format!("verify-{}.db", a.verify_entries));
        let url = format!("sqlite://{}", path.display());
        let store = fresh_store(&url, &a.dir).await?;
        let have = store.ledger_size().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        if have < a.verify_entries {
            let t = Instant::now();
            append_rate(&store, a.verify_entries - have, 1000, have).await?;
            store.sign_tree_head().await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("\n(filled {} entries in {:.1} s)", a.verify_entries - have, t.elapsed().as_secs_f64());
        }
        // Warm the page cache once, as a verify right after writing would find it.
        let report = store.verify_ledger(None).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        anyhow::ensure!(report.problem.is_none(), "the benchmark log does not verify: {:?}", report.problem);
        let mut best_verify = f64::MAX;
        let mut bytes = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let report = store.verify_ledger(None).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            best_verify = best_verify.min(t.elapsed().as_secs_f64());
            bytes = report.bytes_hashed;
            anyhow::ensure!(report.problem.is_none(), "the benchmark log does not verify");
        }
        // Raw SHA-256 of the same bytes, single core.
        let encoded: Vec<Vec<u8>> = (0..a.verify_entries)
            .map(|i| tongchou_ledger::encode(&tongchou_store::audit::to_entry(i as i64, 0, &sample_event(i))))
            .collect();
        let same: u64 = encoded.iter().map(|e| e.len() as u64).sum();
        let mut best_raw = f64::MAX;
        for _ in 0..3 {
            use sha2::Digest;
            let t = Instant::now();
            let mut x = 0u8;
            for e in &encoded {
                x ^= sha2::Sha256::digest(e)[0];
            }
            std::hint::black_box(x);
            best_raw = best_raw.min(t.elapsed().as_secs_f64());
        }
        let suite = tongchou_store::ledger::SUITE;
        let mut best_tree = f64::MAX;
        for _ in 0..3 {
            let t = Instant::now();
            let mut f = tongchou_ledger::Frontier::new();
            for e in &encoded {
                f.push(suite, suite.leaf_hash(e));
            }
            std::hint::black_box(f.root(suite));
            best_tree = best_tree.min(t.elapsed().as_secs_f64());
        }
        println!("\n## audit verify of {} entries from SQLite (best of 3, load average {})\n", a.verify_entries, load());
        println!("| what | time | throughput | ratio to raw SHA-256 |");
        println!("|---|---|---|---|");
        let mb = bytes as f64 / 1e6;
        println!(
            "| raw SHA-256 of each entry's canonical bytes ({:.1} MB, same bytes: {}) | {:.3} s | {:.0} MB/s | 100 % |",
            mb,
            same == bytes,
            best_raw,
            mb / best_raw
        );
        println!(
            "| leaf hashes + tree in memory (no database) | {:.3} s | {:.0} MB/s | {:.0} % |",
            best_tree,
            mb / best_tree,
            100.0 * best_raw / best_tree
        );
        println!(
            "| `audit verify` (read SQLite, re-encode, leaf hash, tree, signed heads, stored nodes) | {:.3} s | {:.0} MB/s | {:.0} % |",
            best_verify,
            mb / best_verify,
            100.0 * best_raw / best_verify
        );
        println!("\nverify target ≤ 5 s: {}", if best_verify <= 5.0 { "met" } else { "NOT met" });
        store.close().await;
    }

    // Inclusion proof in a 10M-entry log read from the node table.
    if a.proof_entries > 0 {
        let path = a.dir.join(format!("proof-{}.db", a.proof_entries));
        let url = format!("sqlite://{}", path.display());
        let store = fresh_store(&url, &a.dir).await?;
        if store.ledger_size().await.map_err(|e| anyhow::anyhow!("{e}"))? < a.proof_entries {
            let t = Instant::now();
            tongchou_store::ledger::bench_fill_leaves(&store, a.proof_entries).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("\n(filled {} leaves and their nodes in {:.1} s)", a.proof_entries, t.elapsed().as_secs_f64());
        }
        let n = a.proof_entries;
        let root = store.ledger_root_at(n).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut times = Vec::new();
        let mut x = rand_u32() as u64;
        for _ in 0..1000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let index = x % n;
            let t = Instant::now();
            let p = store.inclusion_proof(index, n).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            times.push(t.elapsed().as_secs_f64() * 1e6);
            tongchou_ledger::verify_inclusion(tongchou_store::ledger::SUITE, index, n, &p.leaf_hash, &p.proof, &root)
                .map_err(|e| anyhow::anyhow!("proof for {index} does not verify: {e}"))?;
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!("\n## inclusion proof, random index of a {n}-entry log (SQLite, node table), 1000 proofs, all verified\n");
        println!("| median | p99 | max |\n|---|---|---|\n| {:.0} µs | {:.0} µs | {:.0} µs |", times[500], times[990], times[999]);
        println!("(each proof: the O(log n) nodes of the plan in two SELECTs plus the root from the ≤ log n frontier nodes; includes the leaf lookup)");
        store.close().await;
    }
    println!("\nload average at the end: {}", load());
    Ok(EXIT_OK)
}

fn rand_u32() -> u32 {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(7);
    t ^ std::process::id().rotate_left(16)
}
