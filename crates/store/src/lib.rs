//! Storage for tongchou over SQLite (the embedded default) and PostgreSQL (production), with one
//! set of portable SQL and the migrations of each backend.
//!
//! **The multi-database rule.** Every query is runtime SQL (`sqlx::query_as` + `FromRow`), written
//! once with `$1`-style placeholders, which both drivers accept, and run through the [`read!`] and
//! [`write!`] macros that paste the same code for each backend. Portable SQL only: `RETURNING`,
//! `ON CONFLICT … DO UPDATE`, `CAST(SUM(x) AS BIGINT)` (PostgreSQL's SUM of BIGINT is NUMERIC),
//! integers as BIGINT, times as BIGINT unix milliseconds, dates as `YYYY-MM-DD` text. Where the
//! dialects must differ, the difference lives in [`dialect`] with a comment saying why.
//!
//! SQLite: WAL, `busy_timeout` 5 s, `foreign_keys`, one writer connection (a pool of one) with
//! `BEGIN IMMEDIATE`, readers in their own pool. PostgreSQL: one pool.
//!
//! Every mutation is one transaction that includes its audit event. Business rules are not here:
//! the store gathers facts, asks `tongchou_domain`, and writes what it answers.
#![forbid(unsafe_code)]

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Postgres, Sqlite, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tongchou_domain::application::FieldError;
use tongchou_domain::policy::Capability;
use tongchou_domain::Refusal;

pub mod audit;
pub mod auth;
pub mod catalogs;
pub mod demo;
mod demo_inventory;
pub mod departments;
pub mod dialect;
pub mod imports;
pub mod inventory;
pub mod ledger;
pub mod overlap;
pub mod plans;
pub mod projects;
pub mod todo;
pub mod users;

#[cfg(feature = "testing")]
pub mod testing;

/// Run `$body` with `$e` bound to the reader pool of whichever backend this is.
#[macro_export]
macro_rules! read {
    ($store:expr, |$e:ident| $body:expr) => {
        match &*$store.db {
            $crate::Db::Sqlite { read: $e, .. } => $body,
            $crate::Db::Pg($e) => $body,
        }
    };
}

/// Run `$body` with `$c` bound to the open write transaction's connection.
#[macro_export]
macro_rules! write {
    ($tx:expr, |$c:ident| $body:expr) => {
        match &mut $tx.0 {
            $crate::TxInner::Sqlite(t) => {
                let $c: &mut sqlx::SqliteConnection = &mut *t;
                $body
            }
            $crate::TxInner::Pg(t) => {
                let $c: &mut sqlx::PgConnection = &mut *t;
                $body
            }
        }
    };
}

/// Execute a statement in the open write transaction; answers the number of rows affected.
#[macro_export]
macro_rules! exec {
    ($tx:expr, $query:expr) => {
        match &mut $tx.0 {
            $crate::TxInner::Sqlite(t) => $query.execute(&mut **t).await.map(|r| r.rows_affected()),
            $crate::TxInner::Pg(t) => $query.execute(&mut **t).await.map(|r| r.rows_affected()),
        }
    };
}

pub enum Db {
    /// `file`: the database file (None in memory), for readers that bypass the pools.
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
        file: Option<std::path::PathBuf>,
    },
    Pg(PgPool),
}

/// A milliseconds-since-epoch clock, injected so that deadlines and lock-outs are testable.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(|| time::OffsetDateTime::now_utc().unix_timestamp_nanos() as i64 / 1_000_000)
}

#[derive(Clone)]
pub struct Store {
    pub db: Arc<Db>,
    pub clock: Clock,
    pub settings: Arc<tongchou_domain::config::Config>,
    pub sessions: Arc<auth::SessionCache>,
    /// The key that signs ledger tree heads (see [`Store::with_signer`]).
    pub signer: Arc<ledger::Signer>,
    /// The 查重 detector's index, built on first use (see [`overlap`]).
    pub overlap: Arc<overlap::OverlapCache>,
}

pub enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Pg(Transaction<'static, Postgres>),
}

/// An open write transaction (and the ledger key, to sign tree heads inside it).
pub struct Tx(pub TxInner, pub Arc<ledger::Signer>);

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        match self.0 {
            TxInner::Sqlite(t) => t.commit().await?,
            TxInner::Pg(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// What can go wrong in a store call, in terms the edge maps to HTTP answers.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Absent, or outside the caller's data scope (never say which).
    #[error("not found")]
    NotFound,
    /// Someone else changed the record first.
    #[error("conflict")]
    Conflict,
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("forbidden: {0:?}")]
    Forbidden(Capability),
    #[error("invalid fields")]
    Invalid(Vec<FieldError>),
    /// A business rule outside the lifecycle table refused (rule id, zh, en).
    #[error("rule {0}")]
    Rule(&'static str, String, String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub use sqlx::Error as SqlxError;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Store {
    /// Open the database named by `url` (`sqlite://…` or `postgres://…`), refusing any other scheme.
    pub async fn connect(url: &str, settings: tongchou_domain::config::Config, clock: Clock) -> Result<Store> {
        let db = if url.starts_with("sqlite:") {
            let sync = if settings.database.sqlite_synchronous == "full" { SqliteSynchronous::Full } else { SqliteSynchronous::Normal };
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(sync)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
                // SQLite's default page cache, 2 MiB per connection: every reader keeps its own,
                // and at 32 MiB each the readers had cached the whole database eight times over
                // (250 MiB resident after a load test); the OS page cache holds the file anyway.
                .pragma("cache_size", "-2000");
            let write = SqlitePoolOptions::new().max_connections(1).connect_with(opts.clone()).await?;
            let file = Some(opts.get_filename().to_path_buf()).filter(|f| f.is_file());
            let read = SqlitePoolOptions::new()
                .max_connections(settings.database.max_connections.max(1))
                .min_connections(1)
                .connect_with(opts.read_only(false))
                .await?;
            Db::Sqlite { read, write, file }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(settings.database.max_connections.max(2) * 2)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Db::Pg(pool)
        } else {
            return Err(StoreError::Rule(
                "database.url",
                format!("不支持的数据库地址 {url:?}:请使用 sqlite:// 或 postgres://"),
                format!("Unsupported database URL {url:?}: use sqlite:// or postgres://"),
            ));
        };
        let signer = Arc::new(ledger::key_from_config(&settings.ledger)?);
        Ok(Store { db: Arc::new(db), clock, settings: Arc::new(settings), sessions: Arc::default(), signer, overlap: Arc::default() })
    }

    pub fn backend(&self) -> Backend {
        match &*self.db {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Pg(_) => Backend::Postgres,
        }
    }

    pub async fn migrate(&self) -> Result<()> {
        match &*self.db {
            Db::Sqlite { write, .. } => sqlx::migrate!("./migrations/sqlite").run(write).await?,
            Db::Pg(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    /// Open a write transaction: `BEGIN IMMEDIATE` on SQLite so that the write lock is taken at
    /// the start (a deferred transaction that upgrades later fails under concurrency).
    pub async fn begin(&self) -> Result<Tx> {
        Ok(Tx(
            match &*self.db {
                Db::Sqlite { write, .. } => TxInner::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?),
                Db::Pg(p) => TxInner::Pg(p.begin().await?),
            },
            self.signer.clone(),
        ))
    }

    pub fn now(&self) -> i64 {
        (self.clock)()
    }

    /// Is the database reachable? (`/healthz`)
    pub async fn ping(&self) -> bool {
        // BIGINT: PostgreSQL's bare `SELECT 1` is an INT4, which does not decode as i64 (503 forever).
        read!(self, |p| sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)").fetch_one(p).await.is_ok())
    }

    pub async fn close(&self) {
        match &*self.db {
            Db::Sqlite { read, write, .. } => {
                read.close().await;
                write.close().await;
            }
            Db::Pg(p) => p.close().await,
        }
    }

    /// True when the database holds no departments yet (a fresh install).
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = read!(self, |p| sqlx::query_scalar("SELECT COUNT(*) FROM departments").fetch_one(p).await)?;
        Ok(n == 0)
    }
}
