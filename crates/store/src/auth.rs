//! Sign-in (登录): argon2id password hashes, lock-out after repeated failures, sessions and
//! personal API tokens. A session and a token are the same thing in storage — a random secret
//! whose SHA-256 is the key of a `sessions` row — differing in kind, name and lifetime.
//!
//! Authentication is on every request's hot path, so a node keeps recently seen sessions in
//! memory for `auth.session_cache_seconds`: no database round trip and no argon2 per request.
//! Revocation is immediate on the node that revokes and within that many seconds elsewhere.

use crate::audit::{self, NewEvent};
use crate::{exec, read, write, Result, Store, StoreError};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use tongchou_domain::{Actor, Lang};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Browser,
    ApiToken,
}

impl SessionKind {
    fn code(self) -> &'static str {
        match self {
            SessionKind::Browser => "session",
            SessionKind::ApiToken => "api",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub actor: Arc<Actor>,
    pub csrf: String,
    pub kind: SessionKind,
    pub expires_at: i64,
    pub token_hash: String,
}

#[derive(Default)]
pub struct SessionCache {
    map: RwLock<HashMap<String, (Session, i64)>>,
}

#[derive(Debug)]
pub enum LoginError {
    BadCredentials,
    Locked { until_ms: i64 },
    Store(StoreError),
}

impl From<StoreError> for LoginError {
    fn from(e: StoreError) -> Self {
        LoginError::Store(e)
    }
}
impl From<sqlx::Error> for LoginError {
    fn from(e: sqlx::Error) -> Self {
        LoginError::Store(e.into())
    }
}

#[derive(Debug, Clone)]
pub struct LoginOk {
    pub token: String,
    pub session: Session,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct TokenInfo {
    /// Public identifier: the first 12 hex digits of the token's hash.
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub expires_at: i64,
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut bytes);
    format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// argon2id with the crate's default parameters (19 MiB, 2 passes), as a PHC string.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .expect("argon2 hashing with default parameters cannot fail")
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false)
}

/// A hash to verify against when the user does not exist, so that the answer takes as long.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| hash_password("not-a-real-password"));

async fn verify_blocking(password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &phc)).await.unwrap_or(false)
}

pub async fn hash_blocking(password: String) -> String {
    tokio::task::spawn_blocking(move || hash_password(&password)).await.expect("hashing task panicked")
}

#[derive(sqlx::FromRow)]
struct Credentials {
    id: i64,
    password_hash: String,
    failed_attempts: i64,
    locked_until: Option<i64>,
    active: bool,
}

impl Store {
    /// Check a password and open a session (browser) or token (API login). Failures, lock-outs
    /// and successes are audit events.
    pub async fn login(&self, username: &str, password: &str, client_addr: &str, kind: SessionKind) -> Result<LoginOk, LoginError> {
        let now = self.now();
        let cfg = &self.settings.auth;
        let creds: Option<Credentials> = read!(self, |p| sqlx::query_as(
            "SELECT id, password_hash, failed_attempts, locked_until, active FROM users WHERE username = $1"
        )
        .bind(username)
        .fetch_optional(p)
        .await)?;
        let ev = |action: &str, actor_id: i64, detail: serde_json::Value| NewEvent {
            actor_id,
            actor: username.chars().take(64).collect(),
            role: String::new(),
            action: action.into(),
            object_type: "user".into(),
            object_id: if actor_id > 0 { actor_id.to_string() } else { String::new() },
            client_addr: client_addr.into(),
            detail: detail.to_string(),
            ..Default::default()
        };
        let Some(c) = creds.filter(|c| c.active) else {
            let _ = verify_blocking(password.into(), DUMMY_HASH.clone()).await;
            let mut tx = self.begin().await?;
            audit::append(&mut tx, now, &ev("login_failed", 0, serde_json::json!({"reason": "unknown_user"}))).await?;
            tx.commit().await?;
            return Err(LoginError::BadCredentials);
        };
        if let Some(until) = c.locked_until.filter(|u| *u > now) {
            let mut tx = self.begin().await?;
            audit::append(&mut tx, now, &ev("login_refused_locked", c.id, serde_json::json!({"locked_until": until}))).await?;
            tx.commit().await?;
            return Err(LoginError::Locked { until_ms: until });
        }
        if !verify_blocking(password.into(), c.password_hash.clone()).await {
            let mut tx = self.begin().await?;
            // Read again inside the write lock so that concurrent failures all count.
            let failed: i64 = write!(tx, |x| sqlx::query_scalar(
                "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts"
            )
            .bind(c.id)
            .fetch_one(&mut *x)
            .await)?;
            audit::append(
                &mut tx,
                now,
                &ev("login_failed", c.id, serde_json::json!({"reason": "bad_password", "failed_attempts": failed})),
            )
            .await?;
            let locked = failed >= cfg.lockout_attempts as i64;
            if locked {
                let until = now + cfg.lockout_minutes as i64 * 60_000;
                exec!(tx, sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = $1 WHERE id = $2").bind(until).bind(c.id))?;
                audit::append(
                    &mut tx,
                    now,
                    &ev("account_locked", c.id, serde_json::json!({"locked_until": until, "minutes": cfg.lockout_minutes})),
                )
                .await?;
                tx.commit().await?;
                return Err(LoginError::Locked { until_ms: until });
            }
            tx.commit().await?;
            return Err(LoginError::BadCredentials);
        }
        let _ = c.failed_attempts;
        let token = new_secret(if kind == SessionKind::Browser { "tcs_" } else { "tct_" });
        let csrf = new_secret("");
        let token_hash = hash_token(&token);
        let expires_at = now + cfg.session_hours as i64 * 3_600_000;
        let mut tx = self.begin().await?;
        exec!(tx, sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1").bind(c.id))?;
        exec!(
            tx,
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, kind, name, csrf, created_at, expires_at) VALUES ($1, $2, $3, '', $4, $5, $6)"
            )
            .bind(&token_hash)
            .bind(c.id)
            .bind(kind.code())
            .bind(&csrf)
            .bind(now)
            .bind(expires_at)
        )?;
        audit::append(&mut tx, now, &ev("login", c.id, serde_json::json!({"kind": kind.code()}))).await?;
        tx.commit().await?;
        let actor = Arc::new(self.actor(c.id).await?);
        Ok(LoginOk { token, session: Session { actor, csrf, kind, expires_at, token_hash } })
    }

    /// The session behind a bearer token or cookie, from the node's cache when fresh.
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        let token_hash = hash_token(token);
        let now = self.now();
        let ttl = self.settings.auth.session_cache_seconds as i64 * 1000;
        if let Some((s, cached_at)) = self.sessions.map.read().expect("session cache poisoned").get(&token_hash) {
            if now - cached_at < ttl && s.expires_at > now {
                return Ok(Some(s.clone()));
            }
        }
        #[derive(sqlx::FromRow)]
        struct Row {
            user_id: i64,
            kind: String,
            csrf: String,
            expires_at: i64,
        }
        let row: Option<Row> = read!(self, |p| {
            sqlx::query_as(
            "SELECT s.user_id, s.kind, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND u.active"
        )
        .bind(&token_hash)
        .fetch_optional(p)
        .await
        })?;
        let Some(row) = row.filter(|r| r.expires_at > now) else {
            self.sessions.map.write().expect("session cache poisoned").remove(&token_hash);
            return Ok(None);
        };
        let actor = Arc::new(self.actor(row.user_id).await?);
        let kind = if row.kind == "api" { SessionKind::ApiToken } else { SessionKind::Browser };
        let s = Session { actor, csrf: row.csrf, kind, expires_at: row.expires_at, token_hash: token_hash.clone() };
        let mut map = self.sessions.map.write().expect("session cache poisoned");
        if map.len() > 100_000 {
            map.retain(|_, (s, at)| s.expires_at > now && now - *at < ttl);
        }
        map.insert(token_hash, (s.clone(), now));
        Ok(Some(s))
    }

    /// Sign out: the session ends on this node at once.
    pub async fn logout(&self, token_hash: &str) -> Result<()> {
        self.sessions.map.write().expect("session cache poisoned").remove(token_hash);
        let mut tx = self.begin().await?;
        exec!(tx, sqlx::query("DELETE FROM sessions WHERE token_hash = $1 AND kind = 'session'").bind(token_hash))?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) fn forget_user_sessions(&self, user_id: i64) {
        self.sessions.map.write().expect("session cache poisoned").retain(|_, (s, _)| s.actor.id != user_id);
    }

    /// Change one's password: the old one must be right; other sessions end.
    pub async fn change_password(&self, actor: &Actor, old: &str, new: &str, client_addr: &str, keep_token_hash: &str) -> Result<()> {
        let min = self.settings.auth.min_password_length as usize;
        if new.chars().count() < min {
            return Err(StoreError::Invalid(vec![tongchou_domain::application::FieldError::new(
                "new_password",
                tongchou_domain::application::Problem::Invalid(format!("{} ≥ {min}", Lang::Zh.pick("长度", "length"))),
            )]));
        }
        let phc: String =
            read!(self, |p| sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(actor.id).fetch_one(p).await)?;
        if !verify_blocking(old.into(), phc).await {
            return Err(StoreError::Rule("auth.old_password", "原密码不正确".into(), "The current password is wrong".into()));
        }
        let hash = hash_blocking(new.into()).await;
        let mut tx = self.begin().await?;
        exec!(tx, sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(&hash).bind(actor.id))?;
        exec!(
            tx,
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND kind = 'session' AND token_hash <> $2")
                .bind(actor.id)
                .bind(keep_token_hash)
        )?;
        let ev = NewEvent {
            actor_id: actor.id,
            actor: actor.username.clone(),
            action: "change_password".into(),
            object_type: "user".into(),
            object_id: actor.id.to_string(),
            client_addr: client_addr.into(),
            ..Default::default()
        };
        audit::append(&mut tx, self.now(), &ev).await?;
        tx.commit().await?;
        self.sessions.map.write().expect("session cache poisoned").retain(|h, (s, _)| s.actor.id != actor.id || h == keep_token_hash);
        Ok(())
    }

    /// Create a personal API token; the secret is returned once and only its hash is kept.
    pub async fn create_token(&self, actor: &Actor, name: &str, client_addr: &str) -> Result<(String, TokenInfo)> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(StoreError::Invalid(vec![tongchou_domain::application::FieldError::new(
                "name",
                if name.is_empty() {
                    tongchou_domain::application::Problem::Required
                } else {
                    tongchou_domain::application::Problem::TooLong { max: 60 }
                },
            )]));
        }
        let now = self.now();
        let token = new_secret("tct_");
        let token_hash = hash_token(&token);
        let expires_at = now + self.settings.auth.token_days as i64 * 86_400_000;
        let mut tx = self.begin().await?;
        exec!(tx, sqlx::query("INSERT INTO sessions (token_hash, user_id, kind, name, csrf, created_at, expires_at) VALUES ($1, $2, 'api', $3, $4, $5, $6)")
            .bind(&token_hash)
            .bind(actor.id)
            .bind(name)
            .bind(new_secret(""))
            .bind(now)
            .bind(expires_at))?;
        let ev = NewEvent {
            actor_id: actor.id,
            actor: actor.username.clone(),
            action: "create_token".into(),
            object_type: "token".into(),
            object_id: token_hash[..12].to_string(),
            client_addr: client_addr.into(),
            detail: serde_json::json!({"name": name}).to_string(),
            ..Default::default()
        };
        audit::append(&mut tx, now, &ev).await?;
        tx.commit().await?;
        Ok((token, TokenInfo { id: token_hash[..12].to_string(), name: name.into(), created_at: now, expires_at }))
    }

    pub async fn tokens(&self, actor: &Actor) -> Result<Vec<TokenInfo>> {
        Ok(read!(self, |p| {
            sqlx::query_as(
            "SELECT SUBSTR(token_hash, 1, 12) AS id, name, created_at, expires_at FROM sessions WHERE user_id = $1 AND kind = 'api' ORDER BY created_at DESC"
        )
        .bind(actor.id)
        .fetch_all(p)
        .await
        })?)
    }

    pub async fn revoke_token(&self, actor: &Actor, id: &str, client_addr: &str) -> Result<()> {
        if id.len() != 12 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(StoreError::NotFound);
        }
        let pattern = format!("{id}%");
        let mut tx = self.begin().await?;
        let hashes: Vec<String> = write!(tx, |c| sqlx::query_scalar(
            "DELETE FROM sessions WHERE user_id = $1 AND kind = 'api' AND token_hash LIKE $2 RETURNING token_hash"
        )
        .bind(actor.id)
        .bind(&pattern)
        .fetch_all(&mut *c)
        .await)?;
        if hashes.is_empty() {
            return Err(StoreError::NotFound);
        }
        let ev = NewEvent {
            actor_id: actor.id,
            actor: actor.username.clone(),
            action: "revoke_token".into(),
            object_type: "token".into(),
            object_id: id.into(),
            client_addr: client_addr.into(),
            ..Default::default()
        };
        audit::append(&mut tx, self.now(), &ev).await?;
        tx.commit().await?;
        let mut map = self.sessions.map.write().expect("session cache poisoned");
        for h in hashes {
            map.remove(&h);
        }
        Ok(())
    }
}
