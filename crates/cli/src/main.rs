//! `tongchou`: the one binary. Subcommands wire the crates together; no business rule lives here.
#![forbid(unsafe_code)]

mod bench;
mod ledger_cmd;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;
use tongchou_domain::config::Config;
use tongchou_domain::Role;
use tongchou_store::{system_clock, Store};

#[derive(Parser)]
#[command(name = "tongchou", version, about = "统筹 · 政务信息化项目全生命周期统筹管理")]
struct Cli {
    /// Configuration file (TOML). Default: <data dir>/tongchou.toml when present.
    #[arg(long, global = true, env = "TONGCHOU_CONFIG")]
    config: Option<PathBuf>,
    /// Data directory (TONGCHOU_DATA_DIR).
    #[arg(long, global = true)]
    data_dir: Option<String>,
    /// Database URL, sqlite://… or postgres://… (TONGCHOU_DATABASE_URL).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (pages and API).
    Serve {
        /// Listen address (TONGCHOU_ADDR), default 127.0.0.1:8080.
        #[arg(long)]
        addr: Option<String>,
        /// Load the demo city into an empty database on start.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Configuration.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The audit ledger.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Duplicate-construction detection (查重) on files, without a server or database.
    Dedup {
        #[command(subcommand)]
        command: DedupCommand,
    },
    /// Performance benchmark support (scripts/bench/run.sh).
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Load the demo city and N generated applications (with modules, budget lines and history)
    /// into an empty database; writes <data dir>/bench-seed.json.
    Seed {
        #[arg(long, default_value_t = 10_000)]
        projects: usize,
        /// How many of them are dept_staff drafts kept for the write load.
        #[arg(long, default_value_t = 1_000)]
        write_pool: usize,
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
    },
}

#[derive(Subcommand)]
enum DedupCommand {
    /// Check applications against the inventory, the capability catalog and each other; JSON Lines to stdout.
    Check {
        #[arg(long)]
        inventory: PathBuf,
        #[arg(long)]
        capabilities: PathBuf,
        #[arg(long)]
        applications: PathBuf,
        /// Overlap threshold in [0, 1] (default: the detector's).
        #[arg(long)]
        threshold: Option<f64>,
    },
    /// Score `text_a<TAB>text_b` lines from stdin, one score per line.
    Pairs,
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print the effective configuration.
    Show,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user (e.g. the first sysadmin). The password is read from stdin or prompted.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long)]
        display_name: Option<String>,
        /// Department code; on an empty database a root department is created.
        #[arg(long)]
        department: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify one inclusion or consistency proof given as JSON (exit 0 valid, 1 invalid, 2 malformed).
    CheckProof { file: PathBuf },
    /// Recompute the ledger from the database and check every entry, stored node and signed tree
    /// head. Exit 0: intact; 1: tampering found (the first mismatching seq, its object and what
    /// differs on stderr); 2: the check could not run (database, key).
    Verify {
        /// Print the report as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Write a self-contained bundle (entries, signed tree heads, public key) for offline
    /// verification. Exit 0: written; 2: error.
    Export { file: PathBuf },
    /// Verify a bundle with no database or server. Exit 0: valid; 1: does not verify (first
    /// mismatching seq on stderr); 2: unreadable or malformed file or key.
    VerifyBundle {
        file: PathBuf,
        /// The published public key (PEM or base64, or a file holding it) the bundle must be signed with.
        #[arg(long)]
        public_key: Option<String>,
    },
    /// Sign a tree head of the whole log now. Exit 0: signed (printed as JSON); 2: error.
    Sign,
    /// Benchmark: append rates (batched and one per transaction) on SQLite and PostgreSQL, verify
    /// of a large SQLite log beside raw SHA-256, inclusion proofs in a 10M-entry log.
    Bench {
        /// Where the benchmark databases go (kept between runs: the large logs are reused).
        #[arg(long, default_value = "/tmp/tongchou-ledger-bench")]
        dir: PathBuf,
        /// PostgreSQL server URL (a database on it is created and dropped), e.g. postgres://postgres@127.0.0.1/postgres.
        #[arg(long)]
        pg: Option<String>,
        #[arg(long, default_value_t = 100_000)]
        append_entries: u64,
        #[arg(long, default_value_t = 3_000)]
        single_entries: u64,
        #[arg(long, default_value_t = 1_000_000)]
        verify_entries: u64,
        #[arg(long, default_value_t = 10_000_000)]
        proof_entries: u64,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("unknown role {s:?}; one of: {}", Role::ALL.map(|r| r.code()).join(", ")))
}

/// Defaults ← file ← environment ← flags.
fn load_config(cli: &Cli, addr: Option<&str>) -> Result<Config> {
    let mut env: BTreeMap<String, String> = std::env::vars().filter(|(k, _)| k.starts_with("TONGCHOU_")).collect();
    if let Some(d) = &cli.data_dir {
        env.insert("TONGCHOU_DATA_DIR".into(), d.clone());
    }
    let data_dir = env.get("TONGCHOU_DATA_DIR").cloned().unwrap_or_else(|| Config::default().server.data_dir);
    let file = match &cli.config {
        Some(p) => Some((p.clone(), std::fs::read_to_string(p).with_context(|| format!("reading configuration file {}", p.display()))?)),
        None => {
            let p = PathBuf::from(&data_dir).join("tongchou.toml");
            p.exists().then(|| std::fs::read_to_string(&p).map(|t| (p, t))).transpose()?
        }
    };
    let mut config = Config::load(file.as_ref().map(|(_, t)| t.as_str()), &env)
        .with_context(|| format!("configuration{}", file.as_ref().map(|(p, _)| format!(" ({})", p.display())).unwrap_or_default()))?;
    if let Some(u) = &cli.database_url {
        config.database.url = u.clone();
    }
    if let Some(a) = addr {
        config.server.addr = a.to_string();
    }
    if config.database.url.is_empty() {
        let dir = std::path::absolute(&config.server.data_dir).unwrap_or_else(|_| PathBuf::from(&config.server.data_dir));
        config.database.url = format!("sqlite://{}", dir.join("tongchou.db").display());
    }
    Ok(config)
}

async fn open_store(config: &Config) -> Result<Store> {
    std::fs::create_dir_all(&config.server.data_dir).with_context(|| format!("creating data directory {}", config.server.data_dir))?;
    let store = Store::connect(&config.database.url, config.clone(), system_clock()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    store.migrate().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(store)
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Serve { .. }) {
        pin_malloc_threshold();
    }
    match &cli.command {
        Command::Audit { command: AuditCommand::CheckProof { file } } => std::process::exit(check_proof(file)),
        Command::Audit { command: AuditCommand::VerifyBundle { file, public_key } } => {
            std::process::exit(ledger_cmd::verify_bundle(file, public_key.as_deref()))
        }
        Command::Dedup { command } => std::process::exit(dedup(command)),
        _ => {}
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TONGCHOU_LOG").unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(run(cli))
}

/// glibc raises its mmap threshold to the size of the first large block freed — argon2id's 19 MiB
/// working memory at the first sign-in — and its trim threshold to twice that, after which every
/// thread's arena keeps up to 38 MiB of freed memory: the server's resident memory went from 13 MiB
/// to 90 MiB under load (BENCHMARKS.md). A fixed threshold (glibc's default, 128 KiB) turns that
/// adjustment off. glibc reads it only at start-up, so `serve` re-executes itself once with it set
/// (same process id); an explicit `MALLOC_MMAP_THRESHOLD_` in the environment is left alone.
fn pin_malloc_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt;
        const VAR: &str = "MALLOC_MMAP_THRESHOLD_";
        if std::env::var_os(VAR).is_some() {
            return;
        }
        let Ok(exe) = std::env::current_exe() else { return };
        let err = std::process::Command::new(exe).args(std::env::args_os().skip(1)).env(VAR, "131072").exec();
        eprintln!("warning: could not re-execute with {VAR} set ({err}); continuing");
    }
}

fn check_proof(file: &PathBuf) -> i32 {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {}: {e}", file.display());
            return 2;
        }
    };
    let outcome = tongchou_ledger::check_proof(&bytes);
    match &outcome {
        tongchou_ledger::CheckOutcome::Valid => println!("valid"),
        tongchou_ledger::CheckOutcome::Invalid(r) => eprintln!("invalid: {r}"),
        tongchou_ledger::CheckOutcome::Malformed(r) => eprintln!("malformed: {r}"),
    }
    outcome.exit_code()
}

fn dedup(command: &DedupCommand) -> i32 {
    let result = match command {
        DedupCommand::Check { inventory, capabilities, applications, threshold } => (|| -> Result<()> {
            let open = |p: &PathBuf| -> Result<std::io::BufReader<std::fs::File>> {
                Ok(std::io::BufReader::new(std::fs::File::open(p).with_context(|| format!("cannot open {}", p.display()))?))
            };
            let opts = tongchou_dedup::batch::CheckOptions {
                threshold: *threshold,
                names: tongchou_dedup::batch::FileNames {
                    inventory: inventory.display().to_string(),
                    capabilities: capabilities.display().to_string(),
                    applications: applications.display().to_string(),
                },
                detector: None,
            };
            let stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let mut last = Instant::now();
            let stats = tongchou_dedup::batch::check_with(
                &opts,
                open(inventory)?,
                open(capabilities)?,
                open(applications)?,
                stdout,
                |done, total| {
                    if last.elapsed().as_millis() > 500 || done == total {
                        eprint!("\r查重进度 {done}/{total}");
                        last = Instant::now();
                    }
                },
            )?;
            eprintln!("\n{stats:?}");
            Ok(())
        })(),
        DedupCommand::Pairs => {
            tongchou_dedup::pairs(std::io::stdin().lock(), std::io::BufWriter::new(std::io::stdout().lock())).map_err(Into::into)
        }
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Command::Serve { addr, demo } => serve(&cli, addr.as_deref(), *demo).await,
        Command::Migrate => {
            let config = load_config(&cli, None)?;
            open_store(&config).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Config { command: ConfigCommand::Show } => {
            print!("{}", load_config(&cli, None)?.to_toml());
            Ok(())
        }
        Command::User { command: UserCommand::Create { username, role, display_name, department } } => {
            let config = load_config(&cli, None)?;
            let store = open_store(&config).await?;
            create_user(&store, username, *role, display_name.as_deref(), department.as_deref()).await
        }
        Command::Bench { command: BenchCommand::Seed { projects, write_pool, concurrency } } => {
            let config = load_config(&cli, None)?;
            let store = open_store(&config).await?;
            let out = PathBuf::from(&config.server.data_dir).join("bench-seed.json");
            bench::seed(&store, *projects, *write_pool, *concurrency, &out).await
        }
        Command::Audit { command } => {
            let code = match command {
                AuditCommand::Verify { json } => ledger_cmd::verify(&cli, *json).await,
                AuditCommand::Export { file } => ledger_cmd::export(&cli, file).await,
                AuditCommand::Sign => ledger_cmd::sign(&cli).await,
                AuditCommand::Bench { dir, pg, append_entries, single_entries, verify_entries, proof_entries } => {
                    ledger_cmd::bench(ledger_cmd::BenchArgs {
                        dir: dir.clone(),
                        pg: pg.clone(),
                        append_entries: *append_entries,
                        single_entries: *single_entries,
                        verify_entries: *verify_entries,
                        proof_entries: *proof_entries,
                    })
                    .await
                }
                AuditCommand::CheckProof { .. } | AuditCommand::VerifyBundle { .. } => unreachable!("handled before the runtime starts"),
            };
            match code {
                Ok(c) => std::process::exit(c),
                Err(e) => {
                    eprintln!("error: {e:#}");
                    std::process::exit(ledger_cmd::EXIT_ERROR)
                }
            }
        }
        Command::Dedup { .. } => unreachable!("handled before the runtime starts"),
    }
}

async fn serve(cli: &Cli, addr: Option<&str>, demo: bool) -> Result<()> {
    let started = Instant::now();
    let config = load_config(cli, addr)?;
    let data_dir = std::path::absolute(&config.server.data_dir).unwrap_or_else(|_| PathBuf::from(&config.server.data_dir));
    tracing::info!(data_dir = %data_dir.display(), "tongchou starting; data directory {}", data_dir.display());
    let store = ledger_cmd::with_key(open_store(&config).await?, &config)?;
    let _ledger_signer = store.spawn_ledger_signer();
    let empty = store.is_empty().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut demo_active = false;
    if demo {
        if empty {
            let t = Instant::now();
            let summary = tongchou_store::demo::load_demo(&store).await.map_err(|e| anyhow::anyhow!("loading the demo city: {e}"))?;
            tracing::info!(elapsed_ms = t.elapsed().as_millis() as u64, "demo city loaded: {summary:?}");
            demo_active = true;
        } else {
            demo_active = store.user_id_by_name("dept_staff").await.ok().flatten().is_some();
            tracing::warn!("the database already holds data: the demo city is not loaded (it is only ever loaded into an empty database)");
        }
    } else if empty {
        tracing::warn!("the database is empty. Create the first administrator with: tongchou user create --username NAME --role sysadmin");
    }
    let listener = tokio::net::TcpListener::bind(&config.server.addr).await.with_context(|| format!("binding {}", config.server.addr))?;
    let local = listener.local_addr()?;
    tracing::info!(addr = %local, backend = ?store.backend(), ready_ms = started.elapsed().as_millis() as u64, "listening on http://{local}");
    let state = tongchou_web::AppState { store: store.clone(), demo: demo_active };
    tongchou_web::serve(listener, state, shutdown_signal()).await?;
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

fn read_password() -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("password: ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let pw = line.trim_end_matches(['\r', '\n']).to_string();
    if pw.chars().count() < 8 {
        bail!("the password needs at least 8 characters");
    }
    Ok(pw)
}

async fn create_user(store: &Store, username: &str, role: Role, display_name: Option<&str>, department: Option<&str>) -> Result<()> {
    let password = read_password()?;
    let hash = tongchou_store::auth::hash_blocking(password).await;
    let departments = store.departments().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let system =
        tongchou_store::audit::NewEvent { actor: "cli".into(), role: "system".into(), client_addr: "cli".into(), ..Default::default() };
    let mut tx = store.begin().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let dept_id = match (department, departments.first()) {
        (Some(code), _) => {
            departments.iter().find(|d| d.code == code).map(|d| d.id).with_context(|| format!("no department with code {code}"))?
        }
        (None, Some(first)) => first.id,
        (None, None) => {
            store.create_department_in(&mut tx, &system, "SYS", "系统管理单位", None).await.map_err(|e| anyhow::anyhow!("{e}"))?.id
        }
    };
    let id = store
        .create_user_in(
            &mut tx,
            &system,
            &tongchou_store::users::NewUser {
                username,
                display_name: display_name.unwrap_or(username),
                department_id: dept_id,
                roles: &[role],
                password_hash: &hash,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tx.commit().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("created user {username} (id {id}) with role {}", role.code());
    Ok(())
}
