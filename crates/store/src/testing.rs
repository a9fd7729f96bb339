//! Test support (feature `testing`): a fresh database on either backend, removed afterwards.
//!
//! PostgreSQL: a database `tongchou_test_<random>` is created on the server named by
//! `TONGCHOU_TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) and dropped
//! by [`TestDb::cleanup`]. A server that cannot be reached panics: the test fails, never passes.

use crate::{Backend, Clock, Store};
use sqlx::Connection;
use std::path::PathBuf;
use tongchou_domain::config::Config;

pub enum TestDb {
    Sqlite(PathBuf),
    Postgres { admin_url: String, database: String },
}

pub fn pg_admin_url() -> String {
    std::env::var("TONGCHOU_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// `url` with its database name replaced (query string kept).
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    format!("{host}/{database}{query}")
}

fn random_suffix() -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().gen();
    format!("{n:016x}")
}

/// A migrated, empty store on `backend`.
pub async fn fresh_store(backend: Backend, config: Config, clock: Clock) -> (Store, TestDb) {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(format!("tongchou-test-{}", random_suffix()));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let url = format!("sqlite://{}", dir.join("test.db").display());
            let store = Store::connect(&url, config, clock).await.expect("open SQLite");
            store.migrate().await.expect("migrate SQLite");
            (store, TestDb::Sqlite(dir))
        }
        Backend::Postgres => {
            let admin_url = pg_admin_url();
            let database = format!("tongchou_test_{}", random_suffix());
            let mut admin = sqlx::PgConnection::connect(&admin_url)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is not reachable ({e}); start it or set TONGCHOU_TEST_DATABASE_URL"));
            sqlx::query(&format!("CREATE DATABASE {database}")).execute(&mut admin).await.expect("create test database");
            admin.close().await.ok();
            let store = Store::connect(&with_database(&admin_url, &database), config, clock).await.expect("open PostgreSQL");
            store.migrate().await.expect("migrate PostgreSQL");
            (store, TestDb::Postgres { admin_url, database })
        }
    }
}

impl TestDb {
    /// Remove the database (call after closing the store).
    pub async fn cleanup(self) {
        match self {
            TestDb::Sqlite(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            TestDb::Postgres { admin_url, database } => {
                let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("reconnect to drop the test database");
                // WITH (FORCE) needs PostgreSQL 13; older servers get the plain form.
                if sqlx::query(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)")).execute(&mut admin).await.is_err() {
                    sqlx::query(&format!("DROP DATABASE IF EXISTS {database}")).execute(&mut admin).await.expect("drop the test database");
                }
                admin.close().await.ok();
            }
        }
    }
}
