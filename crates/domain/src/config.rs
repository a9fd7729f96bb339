//! Configuration (配置): one TOML file, every key overridable by `TONGCHOU_<SECTION>_<KEY>`,
//! defaults in code. Thresholds jurisdictions set differently live here, never as constants in
//! the rules. Unknown keys are an error that names the key.
//!
//! Pure: the caller reads the file and the environment and hands them in.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub auth: AuthConfig,
    pub application: ApplicationConfig,
    pub upload: UploadConfig,
    pub ledger: LedgerConfig,
    pub dedup: DedupConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Listen address (`TONGCHOU_ADDR`).
    pub addr: String,
    /// Data directory (`TONGCHOU_DATA_DIR`): the SQLite file, the signing key, attachments.
    pub data_dir: String,
    /// Time zone offset for showing times, in hours east of UTC (Asia/Shanghai = 8).
    pub utc_offset_hours: i8,
    /// Mark the session cookie `Secure` (set when served behind TLS).
    pub secure_cookies: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://…` or `postgres://…` (`TONGCHOU_DATABASE_URL`). Empty = `<data_dir>/tongchou.db`.
    pub url: String,
    /// `normal` (default) or `full` (every commit on disk before it is acknowledged).
    pub sqlite_synchronous: String,
    /// Reader connections in the pool.
    pub max_connections: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// Wrong passwords in a row before the account locks.
    pub lockout_attempts: u32,
    /// How long a lock lasts.
    pub lockout_minutes: u32,
    /// Browser session lifetime.
    pub session_hours: u32,
    /// Personal API token lifetime.
    pub token_days: u32,
    /// How long a node trusts a cached session before reading it again (revocation delay on
    /// other nodes; the node that revokes forgets at once).
    pub session_cache_seconds: u32,
    pub min_password_length: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApplicationConfig {
    /// The application window for next year's plan, `MM-DD` (R09; Changzhou: Jul 1–Aug 31).
    pub window_open: String,
    pub window_close: String,
    /// Outside the window: `false` = a warning (default), `true` = submission refused.
    pub window_blocks: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UploadConfig {
    pub max_bytes: u64,
    /// File extensions accepted for attachments.
    pub allowed_extensions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LedgerConfig {
    /// Sign a tree head every this many entries…
    pub sign_every_entries: u64,
    /// …or every this many minutes, whichever comes first.
    pub sign_every_minutes: u64,
    /// Base64 Ed25519 private key shared by all nodes; empty = a key file in the data dir.
    pub signing_key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DedupConfig {
    /// 查重: a candidate whose score reaches this (0–1) is shown as an overlap on the review page.
    pub threshold: f64,
}

impl Default for DedupConfig {
    fn default() -> Self {
        // The detector's own default (tongchou_dedup::DEFAULT_THRESHOLD); a test keeps them equal.
        DedupConfig { threshold: 0.6 }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig { addr: "127.0.0.1:8080".into(), data_dir: "./tongchou-data".into(), utc_offset_hours: 8, secure_cookies: false }
    }
}
impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig { url: String::new(), sqlite_synchronous: "normal".into(), max_connections: 8 }
    }
}
impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            lockout_attempts: 5,
            lockout_minutes: 10,
            session_hours: 12,
            token_days: 365,
            session_cache_seconds: 30,
            min_password_length: 8,
        }
    }
}
impl Default for ApplicationConfig {
    fn default() -> Self {
        ApplicationConfig { window_open: "07-01".into(), window_close: "08-31".into(), window_blocks: false }
    }
}
impl Default for UploadConfig {
    fn default() -> Self {
        UploadConfig {
            max_bytes: 20 * 1024 * 1024,
            allowed_extensions: ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "png", "jpg", "jpeg", "zip", "ofd", "wps"]
                .map(String::from)
                .to_vec(),
        }
    }
}
impl Default for LedgerConfig {
    fn default() -> Self {
        LedgerConfig { sign_every_entries: 1000, sign_every_minutes: 10, signing_key: String::new() }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("configuration file is not valid TOML: {0}")]
    Syntax(String),
    #[error("unknown or invalid configuration: {0}")]
    Invalid(String),
    #[error("environment variable {var}: {message}")]
    Env { var: String, message: String },
}

const SECTIONS: [&str; 7] = ["server", "database", "auth", "application", "upload", "ledger", "dedup"];

/// The short names DECISIONS.md fixes, mapped to their section keys.
const SHORT_NAMES: [(&str, &str, &str); 3] =
    [("TONGCHOU_ADDR", "server", "addr"), ("TONGCHOU_DATA_DIR", "server", "data_dir"), ("TONGCHOU_DATABASE_URL", "database", "url")];

impl Config {
    /// Build the effective configuration: defaults ← file ← environment.
    pub fn load(file: Option<&str>, env: &BTreeMap<String, String>) -> Result<Config, ConfigError> {
        let mut table = match file {
            Some(text) => text.parse::<toml::Table>().map_err(|e| ConfigError::Syntax(e.to_string()))?,
            None => toml::Table::new(),
        };
        // Unknown keys in the file are reported by the typed parse below (deny_unknown_fields).
        let defaults = toml::Table::try_from(Config::default()).map_err(|e| ConfigError::Invalid(e.to_string()))?;
        for (var, value) in env {
            let target = SHORT_NAMES.iter().find(|(n, _, _)| n == var).map(|(_, s, k)| (s.to_string(), k.to_string())).or_else(|| {
                let rest = var.strip_prefix("TONGCHOU_")?;
                let lower = rest.to_ascii_lowercase();
                let section = SECTIONS.iter().find(|s| lower.starts_with(&format!("{s}_")))?;
                Some((section.to_string(), lower[section.len() + 1..].to_string()))
            });
            let Some((section, key)) = target else { continue };
            let default_value = defaults
                .get(&section)
                .and_then(|s| s.get(&key))
                .ok_or_else(|| ConfigError::Env { var: var.clone(), message: format!("there is no key `{key}` in section [{section}]") })?;
            let parsed = parse_like(default_value, value).map_err(|message| ConfigError::Env { var: var.clone(), message })?;
            let sect = table.entry(section).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(t) = sect {
                t.insert(key, parsed);
            }
        }
        let config: Config =
            toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| ConfigError::Invalid(e.message().to_string()))?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), ConfigError> {
        for (k, v) in
            [("application.window_open", &self.application.window_open), ("application.window_close", &self.application.window_close)]
        {
            if parse_month_day(v).is_none() {
                return Err(ConfigError::Invalid(format!("{k} = {v:?}: expected MM-DD")));
            }
        }
        if !["normal", "full"].contains(&self.database.sqlite_synchronous.as_str()) {
            return Err(ConfigError::Invalid("database.sqlite_synchronous must be \"normal\" or \"full\"".into()));
        }
        if !(self.dedup.threshold > 0.0 && self.dedup.threshold <= 1.0) {
            return Err(ConfigError::Invalid(format!(
                "dedup.threshold = {}: expected a number above 0 and at most 1",
                self.dedup.threshold
            )));
        }
        if self.auth.lockout_attempts == 0 {
            return Err(ConfigError::Invalid("auth.lockout_attempts must be at least 1".into()));
        }
        Ok(())
    }

    /// The effective values as TOML (`tongchou config show`). The signing key is masked.
    pub fn to_toml(&self) -> String {
        let mut shown = self.clone();
        if !shown.ledger.signing_key.is_empty() {
            shown.ledger.signing_key = "<set>".into();
        }
        toml::to_string(&shown).unwrap_or_default()
    }

    /// Is `(month, day)` inside the application window? Windows may wrap the new year.
    pub fn window_contains(&self, month: u8, day: u8) -> bool {
        let (Some(open), Some(close)) = (parse_month_day(&self.application.window_open), parse_month_day(&self.application.window_close))
        else {
            return true;
        };
        let d = (month, day);
        if open <= close {
            open <= d && d <= close
        } else {
            d >= open || d <= close
        }
    }
}

fn parse_month_day(s: &str) -> Option<(u8, u8)> {
    let (m, d) = s.split_once('-')?;
    let (m, d): (u8, u8) = (m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((m, d))
}

/// Read an environment value as the same TOML type as the default it overrides.
fn parse_like(default: &toml::Value, raw: &str) -> Result<toml::Value, String> {
    Ok(match default {
        toml::Value::String(_) => toml::Value::String(raw.to_string()),
        toml::Value::Integer(_) => toml::Value::Integer(raw.trim().parse().map_err(|_| format!("expected a whole number, got {raw:?}"))?),
        toml::Value::Boolean(_) => toml::Value::Boolean(match raw.trim() {
            "true" | "1" | "yes" => true,
            "false" | "0" | "no" => false,
            _ => return Err(format!("expected true or false, got {raw:?}")),
        }),
        toml::Value::Array(_) => toml::Value::Array(
            raw.split(',').map(|s| toml::Value::String(s.trim().to_string())).filter(|v| v.as_str() != Some("")).collect(),
        ),
        other => return Err(format!("cannot override a {} from the environment", other.type_str())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_without_anything() {
        let c = Config::load(None, &BTreeMap::new()).unwrap();
        assert_eq!(c.server.addr, "127.0.0.1:8080");
        assert_eq!(c.auth.lockout_minutes, 10);
        assert!(!c.application.window_blocks);
    }

    #[test]
    fn file_then_environment() {
        let file = "[auth]\nlockout_minutes = 30\n[server]\naddr = \"0.0.0.0:80\"\n";
        let c = Config::load(
            Some(file),
            &env(&[("TONGCHOU_ADDR", "127.0.0.1:9000"), ("TONGCHOU_AUTH_LOCKOUT_ATTEMPTS", "3"), ("TONGCHOU_TEST_DATABASE_URL", "x")]),
        )
        .unwrap();
        assert_eq!(c.auth.lockout_minutes, 30);
        assert_eq!(c.auth.lockout_attempts, 3);
        assert_eq!(c.server.addr, "127.0.0.1:9000");
    }

    #[test]
    fn unknown_keys_are_named() {
        let err = Config::load(Some("[auth]\nlockout_minuts = 3\n"), &BTreeMap::new()).unwrap_err();
        assert!(err.to_string().contains("lockout_minuts"), "{err}");
        let err = Config::load(None, &env(&[("TONGCHOU_AUTH_NOPE", "1")])).unwrap_err();
        assert!(err.to_string().contains("nope"), "{err}");
        let err = Config::load(None, &env(&[("TONGCHOU_AUTH_LOCKOUT_MINUTES", "ten")])).unwrap_err();
        assert!(err.to_string().contains("TONGCHOU_AUTH_LOCKOUT_MINUTES"), "{err}");
    }

    #[test]
    fn window_wraps() {
        let mut c = Config::default();
        assert!(c.window_contains(7, 15));
        assert!(!c.window_contains(9, 1));
        c.application.window_open = "11-01".into();
        c.application.window_close = "01-31".into();
        assert!(c.window_contains(12, 25) && c.window_contains(1, 5) && !c.window_contains(6, 1));
    }
}
