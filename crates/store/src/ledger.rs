//! The ledger in the database: what `audit::append` writes beside each audit row, signed tree
//! heads, proofs read from stored nodes, the streaming `audit verify`, search and export.
//!
//! Tables (migration 0002_ledger): `audit_events.leaf_hash` (level 0 of the tree),
//! `ledger_entries` (the canonical bytes as hashed, read only to say what changed),
//! `ledger_nodes (level ≥ 1, idx, hash)` (every completed perfect subtree, so a proof for any
//! index and size reads O(log n) rows), `ledger_head.frontier` (the compact range of the whole
//! log, updated under the head row lock in the writing transaction) and `ledger_tree_heads`.
//!
//! Several app servers on one PostgreSQL: appends serialise on the locked head row; a tree head
//! signed on demand or by the timer takes an advisory lock first (one node signs at a time) and
//! then the head row; every node signs with the key from `ledger.signing_key`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tongchou_ledger::{
    consistency_plan, inclusion_plan, AuditEntry, Bundle, BundleEntry, Frontier, Hash, NodeId, ProofPlan, PublicKey, SignedTreeHead,
    SigningKey, Suite, TreeHead,
};

use crate::audit::AuditEvent;
use crate::{exec, read, write, Db, Result, Store, StoreError, Tx};

/// The suite of this log (recorded in every tree head and bundle).
pub const SUITE: Suite = Suite::Rfc6962Sha256Ed25519;

/// `pg_advisory_xact_lock` key held while a node signs a tree head ("TCLS").
const SIGN_LOCK: i64 = 0x5443_4c53;

/// Rows per multi-row INSERT: 14 columns × 1000 stays under SQLite's 32,766 bound parameters.
const CHUNK: usize = 1000;

/// File in the data directory holding the signing key when `ledger.signing_key` is empty.
pub const KEY_FILE: &str = "ledger-signing-key.pem";

/// The tree-head signing key and the policy the writing transaction needs.
pub struct Signer {
    pub key: SigningKey,
    pub public: PublicKey,
    /// Sign a tree head in the append that crosses a multiple of this (0 = never).
    pub sign_every_entries: u64,
}

impl Signer {
    pub fn new(key: SigningKey, sign_every_entries: u64) -> Signer {
        Signer { public: key.public_key(), key, sign_every_entries }
    }
}

fn rule(zh: String, en: String) -> StoreError {
    StoreError::Rule("ledger", zh, en)
}

/// The signer from configuration: `ledger.signing_key` (base64) when set, otherwise a fresh
/// in-memory key (the CLI replaces it with the data directory's key file, [`load_or_create_key`]).
pub fn key_from_config(c: &tongchou_domain::config::LedgerConfig) -> Result<Signer> {
    let key = if c.signing_key.trim().is_empty() {
        SigningKey::generate(SUITE)
    } else {
        SigningKey::from_base64(SUITE, c.signing_key.trim())
            .map_err(|e| rule(format!("ledger.signing_key 无效:{e}"), format!("ledger.signing_key is invalid: {e}")))?
    };
    Ok(Signer::new(key, c.sign_every_entries))
}

/// The key file in `dir` ([`KEY_FILE`], PKCS#8 PEM), created with mode 0600 on first start.
pub fn load_or_create_key(dir: &Path) -> std::io::Result<SigningKey> {
    let path = dir.join(KEY_FILE);
    let invalid = |e: tongchou_ledger::KeyError| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{}: {e}", path.display()));
    match std::fs::read_to_string(&path) {
        Ok(pem) => SigningKey::from_pkcs8_pem(SUITE, &pem).map_err(invalid),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = SigningKey::generate(SUITE);
            let pem = key.to_pkcs8_pem().map_err(invalid)?;
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut f = opts.open(&path)?;
            std::io::Write::write_all(&mut f, pem.as_bytes())?;
            f.sync_all()?;
            Ok(key)
        }
        Err(e) => Err(e),
    }
}

pub(crate) fn load_frontier(bytes: Option<&[u8]>) -> Result<Frontier> {
    match bytes {
        None => Ok(Frontier::new()),
        Some(b) => Frontier::from_bytes(b)
            .map_err(|e| rule(format!("账本头部的 frontier 已损坏:{e}"), format!("the ledger head's frontier is corrupt: {e}"))),
    }
}

type Row = (AuditEntry, Vec<u8>, Hash);

/// Insert audit rows (with their leaf hashes), their canonical bytes and completed nodes.
pub(crate) async fn insert_rows(tx: &mut Tx, rows: &[Row], nodes: &[(u32, u64, Hash)]) -> Result<()> {
    for chunk in rows.chunks(CHUNK) {
        write!(tx, |c| {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO audit_events (seq, at_ms, actor_id, actor, role, action, object_type, object_id, before_state, after_state, comment, client_addr, detail, leaf_hash) ",
            );
            qb.push_values(chunk, |mut b, (e, _, leaf)| {
                b.push_bind(e.seq as i64)
                    .push_bind(e.at_ms)
                    .push_bind(e.actor_id)
                    .push_bind(e.actor.as_str())
                    .push_bind(e.role.as_str())
                    .push_bind(e.action.as_str())
                    .push_bind(e.object_type.as_str())
                    .push_bind(e.object_id.as_str())
                    .push_bind(e.before.as_str())
                    .push_bind(e.after.as_str())
                    .push_bind(e.comment.as_str())
                    .push_bind(e.client_addr.as_str())
                    .push_bind(e.detail.as_str())
                    .push_bind(&leaf.0[..]);
            });
            qb.build().execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
        write!(tx, |c| {
            let mut qb = sqlx::QueryBuilder::new("INSERT INTO ledger_entries (seq, entry) ");
            qb.push_values(chunk, |mut b, (e, bytes, _)| {
                b.push_bind(e.seq as i64).push_bind(bytes.as_slice());
            });
            qb.build().execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
    }
    insert_nodes(tx, nodes).await
}

async fn insert_nodes(tx: &mut Tx, nodes: &[(u32, u64, Hash)]) -> Result<()> {
    for chunk in nodes.chunks(CHUNK * 4) {
        write!(tx, |c| {
            let mut qb = sqlx::QueryBuilder::new("INSERT INTO ledger_nodes (level, idx, hash) ");
            qb.push_values(chunk, |mut b, (level, idx, h)| {
                b.push_bind(*level as i32).push_bind(*idx as i64).push_bind(&h.0[..]);
            });
            qb.build().execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// Hash rows written before the ledger existed (migration 0002 on a database that already had
/// an audit trail), in the transaction that holds the head row.
pub(crate) async fn catch_up(tx: &mut Tx, frontier: &mut Frontier, upto: i64) -> Result<()> {
    let from = frontier.size() as i64;
    let sql = "SELECT seq, at_ms, actor_id, actor, role, action, object_type, object_id, before_state, after_state, comment, client_addr, detail FROM audit_events WHERE seq >= $1 AND seq < $2 ORDER BY seq";
    let events: Vec<AuditEvent> = write!(tx, |c| sqlx::query_as(sql).bind(from).bind(upto).fetch_all(&mut *c).await)?;
    let mut nodes = Vec::new();
    for ev in &events {
        if ev.seq != frontier.size() as i64 {
            return Err(rule(
                format!("审计记录序号不连续:应为 {},实为 {}", frontier.size(), ev.seq),
                format!("audit sequence numbers have a gap: expected {}, found {}", frontier.size(), ev.seq),
            ));
        }
        let entry = ev.to_entry();
        let bytes = tongchou_ledger::encode(&entry);
        let leaf = SUITE.leaf_hash(&bytes);
        frontier.push_with(SUITE, leaf, |id, h| {
            if id.level > 0 {
                nodes.push((id.level, id.index, *h));
            }
        });
        exec!(tx, sqlx::query("UPDATE audit_events SET leaf_hash = $1 WHERE seq = $2").bind(&leaf.0[..]).bind(ev.seq))?;
        exec!(tx, sqlx::query("INSERT INTO ledger_entries (seq, entry) VALUES ($1, $2)").bind(ev.seq).bind(bytes))?;
    }
    insert_nodes(tx, &nodes).await?;
    if frontier.size() as i64 != upto {
        return Err(rule(
            format!("审计记录缺失:账本头部为 {upto} 条,表中只有 {} 条", frontier.size()),
            format!("audit rows are missing: the ledger head counts {upto}, the table holds {}", frontier.size()),
        ));
    }
    Ok(())
}

/// Sign the head of `frontier` in the open transaction (which holds the head row).
pub(crate) async fn sign_in(tx: &mut Tx, frontier: &Frontier, at_ms: i64) -> Result<SignedTreeHead> {
    let head = TreeHead { suite: SUITE, tree_size: frontier.size(), root: frontier.root(SUITE), timestamp_ms: at_ms };
    let sth = tx.1.key.sign(head).map_err(|e| rule(format!("签名失败:{e}"), format!("signing failed: {e}")))?;
    let fp = tx.1.public.fingerprint();
    exec!(tx, sqlx::query(
        "INSERT INTO ledger_tree_heads (tree_size, timestamp_ms, suite, root, signature, key_fingerprint) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tree_size) DO NOTHING"
    )
    .bind(sth.head.tree_size as i64)
    .bind(sth.head.timestamp_ms)
    .bind(SUITE.id())
    .bind(&sth.head.root.0[..])
    .bind(sth.signature.as_slice())
    .bind(fp))?;
    Ok(sth)
}

type HeadRow = (i64, i64, String, Vec<u8>, Vec<u8>);

fn head_from_row((size, ts, suite, root, sig): HeadRow) -> Result<SignedTreeHead> {
    let bad = |what: String| rule(format!("已签名树头 {size} 损坏:{what}"), format!("signed tree head {size} is corrupt: {what}"));
    let suite = Suite::from_id(&suite).map_err(|e| bad(e.to_string()))?;
    let root = Hash::from_slice(&root).map_err(|e| bad(e.to_string()))?;
    Ok(SignedTreeHead { head: TreeHead { suite, tree_size: size as u64, root, timestamp_ms: ts }, signature: sig })
}

fn hash_of(bytes: &[u8]) -> Result<Hash> {
    Hash::from_slice(bytes).map_err(|e| rule(format!("存储的哈希无效:{e}"), format!("a stored hash is invalid: {e}")))
}

/// An inclusion proof as the API serves it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InclusionProof {
    pub leaf_index: u64,
    pub tree_size: u64,
    /// Leaf hash (base64) recorded for the entry.
    #[schema(value_type = String)]
    pub leaf_hash: Hash,
    /// Root of the first `tree_size` entries (base64).
    #[schema(value_type = String)]
    pub root: Hash,
    #[schema(value_type = Vec<String>)]
    pub proof: Vec<Hash>,
}

/// A consistency proof as the API serves it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ConsistencyProof {
    pub first: u64,
    pub second: u64,
    #[schema(value_type = String)]
    pub first_root: Hash,
    #[schema(value_type = String)]
    pub second_root: Hash,
    #[schema(value_type = Vec<String>)]
    pub proof: Vec<Hash>,
}

/// Filters of the audit-trail search (all optional; times are Unix milliseconds, `to` exclusive).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
pub struct AuditQuery {
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// 1-based.
    pub page: Option<i64>,
    /// At most 200 (default 50).
    pub page_size: Option<i64>,
}

/// The first problem `audit verify` found.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerProblem {
    /// The entry that no longer matches, when it can be named.
    pub seq: Option<u64>,
    /// `object_type/object_id` of that entry.
    pub object: Option<String>,
    /// What differs, in English.
    pub message: String,
}

/// What `audit verify` found.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub entries: u64,
    pub heads_checked: usize,
    /// Entries `0..verified_size` are covered by a verified signed tree head.
    pub verified_size: u64,
    pub nodes_checked: u64,
    #[serde(skip)]
    pub root: Option<Hash>,
    pub key_fingerprint: String,
    /// Bytes of canonical encoding hashed (for the throughput comparison).
    pub bytes_hashed: u64,
    pub elapsed_ms: u128,
    pub problem: Option<LedgerProblem>,
}

/// Progress of a verification: (entries done, entries expected).
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

type StreamRow = (i64, i64, i64, String, String, String, String, String, String, String, String, String, String, Option<Vec<u8>>);

fn entry_of(r: StreamRow) -> (AuditEntry, Option<Vec<u8>>) {
    let (seq, at_ms, actor_id, actor, role, action, object_type, object_id, before, after, comment, client_addr, detail, leaf) = r;
    (
        AuditEntry {
            seq: seq as u64,
            at_ms,
            actor_id,
            actor,
            role,
            action,
            object_type,
            object_id,
            before,
            after,
            comment,
            client_addr,
            detail,
        },
        leaf,
    )
}

const STREAM_SQL: &str = "SELECT seq, at_ms, actor_id, actor, role, action, object_type, object_id, before_state, after_state, comment, client_addr, detail, leaf_hash FROM audit_events ORDER BY seq";

/// Per-level digest of (idx, hash) in idx order, to compare computed and stored nodes in one
/// sequential pass each.
#[derive(Default, Clone)]
struct LevelDigests(Vec<(Sha256, u64)>);

impl LevelDigests {
    fn add(&mut self, level: u32, idx: u64, h: &[u8]) {
        let l = level as usize;
        while self.0.len() <= l {
            self.0.push((Sha256::new(), 0));
        }
        let d = &mut self.0[l];
        d.0.update(idx.to_be_bytes());
        d.0.update(h);
        d.1 += 1;
    }
    fn finish(self) -> Vec<([u8; 32], u64)> {
        self.0.into_iter().map(|(d, n)| (d.finalize().into(), n)).collect()
    }
}

/// The first mismatch the hashing pass found: the entry (when decoded), its sequence number,
/// what differs, and the tree sizes of a failed consistency check.
type Problem = (Option<AuditEntry>, Option<u64>, String, Option<(u64, u64)>);

struct HashOutcome {
    entries: u64,
    bytes: u64,
    frontier: Frontier,
    digests: LevelDigests,
    heads_checked: usize,
    verified_size: u64,
    problem: Option<Problem>,
}

impl Store {
    /// This store with `key` signing its tree heads (the data directory's key file).
    pub fn with_signer(mut self, key: SigningKey) -> Store {
        self.signer = Arc::new(Signer::new(key, self.settings.ledger.sign_every_entries));
        self
    }

    pub fn public_key(&self) -> &PublicKey {
        &self.signer.public
    }

    /// Entries in the log (the head row's count).
    pub async fn ledger_size(&self) -> Result<u64> {
        let n: i64 = read!(self, |p| sqlx::query_scalar("SELECT size FROM ledger_head WHERE id = 1").fetch_one(p).await)?;
        Ok(n as u64)
    }

    /// Sign a tree head of the whole log now (on demand, or the timer). On PostgreSQL an advisory
    /// lock lets one node sign at a time; the head row lock orders it with appends. Answers the
    /// existing head when nothing was appended since.
    pub async fn sign_tree_head(&self) -> Result<SignedTreeHead> {
        let mut tx = self.begin().await?;
        if let crate::TxInner::Pg(t) = &mut tx.0 {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(SIGN_LOCK).execute(&mut **t).await?;
        }
        let (size, frontier): (i64, Option<Vec<u8>>) =
            write!(tx, |c| sqlx::query_as("UPDATE ledger_head SET size = size WHERE id = 1 RETURNING size, frontier")
                .fetch_one(&mut *c)
                .await)?;
        let mut frontier = load_frontier(frontier.as_deref())?;
        if (frontier.size() as i64) < size {
            catch_up(&mut tx, &mut frontier, size).await?;
            exec!(tx, sqlx::query("UPDATE ledger_head SET frontier = $1 WHERE id = 1").bind(frontier.to_bytes()))?;
        }
        let existing: Option<HeadRow> = write!(tx, |c| sqlx::query_as(
            "SELECT tree_size, timestamp_ms, suite, root, signature FROM ledger_tree_heads WHERE tree_size = $1"
        )
        .bind(size)
        .fetch_optional(&mut *c)
        .await)?;
        if let Some(row) = existing {
            tx.commit().await?;
            return head_from_row(row);
        }
        let sth = sign_in(&mut tx, &frontier, self.now()).await?;
        tx.commit().await?;
        Ok(sth)
    }

    /// Sign a tree head every `ledger.sign_every_minutes` while entries arrive (checked every
    /// 30 s; also at start when entries are unsigned).
    pub fn spawn_ledger_signer(&self) -> Option<tokio::task::JoinHandle<()>> {
        let minutes = self.settings.ledger.sign_every_minutes;
        if minutes == 0 {
            return None;
        }
        let store = self.clone();
        Some(tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(30));
            loop {
                tick.tick().await;
                let due = async {
                    let size = store.ledger_size().await?;
                    let latest = store.latest_tree_head().await?;
                    Ok::<_, StoreError>(match latest {
                        None => size > 0,
                        Some(h) => size > h.head.tree_size && store.now() - h.head.timestamp_ms >= (minutes as i64) * 60_000,
                    })
                };
                match due.await {
                    Ok(true) => match store.sign_tree_head().await {
                        Ok(h) => tracing::info!(tree_size = h.head.tree_size, root = %h.head.root, "signed a ledger tree head"),
                        Err(e) => tracing::warn!("signing a ledger tree head: {e}"),
                    },
                    Ok(false) => {}
                    Err(e) => tracing::warn!("checking the ledger head: {e}"),
                }
            }
        }))
    }

    /// Every signed tree head, smallest first.
    pub async fn tree_heads(&self) -> Result<Vec<SignedTreeHead>> {
        let rows: Vec<HeadRow> = read!(self, |p| sqlx::query_as(
            "SELECT tree_size, timestamp_ms, suite, root, signature FROM ledger_tree_heads ORDER BY tree_size"
        )
        .fetch_all(p)
        .await)?;
        rows.into_iter().map(head_from_row).collect()
    }

    pub async fn latest_tree_head(&self) -> Result<Option<SignedTreeHead>> {
        let row: Option<HeadRow> = read!(self, |p| sqlx::query_as(
            "SELECT tree_size, timestamp_ms, suite, root, signature FROM ledger_tree_heads ORDER BY tree_size DESC LIMIT 1"
        )
        .fetch_optional(p)
        .await)?;
        row.map(head_from_row).transpose()
    }

    /// Fetch the nodes a plan needs: level 0 from `audit_events.leaf_hash`, the rest from
    /// `ledger_nodes` — two queries of O(log n) rows.
    pub async fn ledger_nodes(&self, ids: &[NodeId]) -> Result<HashMap<NodeId, Hash>> {
        let mut out = HashMap::with_capacity(ids.len());
        let leaves: Vec<String> = ids.iter().filter(|i| i.level == 0).map(|i| i.index.to_string()).collect();
        if !leaves.is_empty() {
            let sql = format!("SELECT seq, leaf_hash FROM audit_events WHERE seq IN ({})", leaves.join(","));
            let rows: Vec<(i64, Option<Vec<u8>>)> = read!(self, |p| sqlx::query_as(&sql).fetch_all(p).await)?;
            for (seq, h) in rows {
                if let Some(h) = h {
                    out.insert(NodeId::new(0, seq as u64), hash_of(&h)?);
                }
            }
        }
        let inner: Vec<String> =
            ids.iter().filter(|i| i.level > 0).map(|i| format!("(level = {} AND idx = {})", i.level, i.index)).collect();
        if !inner.is_empty() {
            let sql = format!("SELECT level, idx, hash FROM ledger_nodes WHERE {}", inner.join(" OR "));
            let rows: Vec<(i32, i64, Vec<u8>)> = read!(self, |p| sqlx::query_as(&sql).fetch_all(p).await)?;
            for (level, idx, h) in rows {
                out.insert(NodeId::new(level as u32, idx as u64), hash_of(&h)?);
            }
        }
        Ok(out)
    }

    async fn assemble(&self, plan: &ProofPlan) -> Result<Vec<Hash>> {
        let nodes = self.ledger_nodes(&plan.node_ids()).await?;
        plan.assemble_from_map(SUITE, &nodes).map_err(|e| rule(format!("账本节点缺失:{e}"), format!("a ledger node is missing: {e}")))
    }

    fn check_size(size: u64, current: u64) -> Result<()> {
        if size > current {
            return Err(rule(
                format!("树大小 {size} 超过账本当前大小 {current}"),
                format!("tree size {size} exceeds the log's size {current}"),
            ));
        }
        Ok(())
    }

    /// Root of the first `size` entries from stored nodes.
    pub async fn ledger_root_at(&self, size: u64) -> Result<Hash> {
        Self::check_size(size, self.ledger_size().await?)?;
        self.assemble(&tongchou_ledger::root_plan(size)).await.map(|v| v.into_iter().next().unwrap_or_else(|| SUITE.empty_root()))
    }

    /// Inclusion proof of entry `index` in the tree of the first `tree_size` entries.
    pub async fn inclusion_proof(&self, index: u64, tree_size: u64) -> Result<InclusionProof> {
        Self::check_size(tree_size, self.ledger_size().await?)?;
        let plan = inclusion_plan(index, tree_size).map_err(|e| rule(format!("请求无效:{e}"), format!("invalid request: {e}")))?;
        let proof = self.assemble(&plan).await?;
        let leaf = self.ledger_nodes(&[NodeId::new(0, index)]).await?;
        let leaf_hash = *leaf.get(&NodeId::new(0, index)).ok_or(StoreError::NotFound)?;
        let root = self.ledger_root_at(tree_size).await?;
        Ok(InclusionProof { leaf_index: index, tree_size, leaf_hash, root, proof })
    }

    /// Consistency proof between the trees of the first `first` and `second` entries.
    pub async fn consistency_proof(&self, first: u64, second: u64) -> Result<ConsistencyProof> {
        Self::check_size(second, self.ledger_size().await?)?;
        let plan = consistency_plan(first, second).map_err(|e| rule(format!("请求无效:{e}"), format!("invalid request: {e}")))?;
        let proof = self.assemble(&plan).await?;
        Ok(ConsistencyProof {
            first,
            second,
            first_root: self.ledger_root_at(first).await?,
            second_root: self.ledger_root_at(second).await?,
            proof,
        })
    }

    /// Check events as they read now against the latest signed tree head: each event's leaf hash
    /// is recomputed from its readable columns and its inclusion proof (from stored nodes, one
    /// query for all) must lead to the signed root. `None` = after the latest head (pending).
    pub async fn verify_events(&self, events: &[AuditEvent]) -> Result<(Option<SignedTreeHead>, Vec<Option<bool>>)> {
        let Some(head) = self.latest_tree_head().await? else { return Ok((None, vec![None; events.len()])) };
        if self.public_key().verify(&head).is_err() {
            return Ok((Some(head), vec![Some(false); events.len()]));
        }
        let size = head.head.tree_size;
        let plans: Vec<Option<ProofPlan>> = events
            .iter()
            .map(|e| if (e.seq as u64) < size && e.seq >= 0 { inclusion_plan(e.seq as u64, size).ok() } else { None })
            .collect();
        let mut ids: Vec<NodeId> = plans.iter().flatten().flat_map(|p| p.node_ids()).collect();
        ids.sort_unstable();
        ids.dedup();
        let nodes = self.ledger_nodes(&ids).await?;
        let marks = events
            .iter()
            .zip(&plans)
            .map(|(e, plan)| {
                let plan = plan.as_ref()?;
                let leaf = e.to_entry().leaf_hash(SUITE);
                Some(match plan.assemble_from_map(SUITE, &nodes) {
                    Ok(proof) => tongchou_ledger::verify_inclusion(SUITE, e.seq as u64, size, &leaf, &proof, &head.head.root).is_ok(),
                    Err(_) => false,
                })
            })
            .collect();
        Ok((Some(head), marks))
    }

    /// Search the audit trail, newest first: (page of items, total matching).
    pub async fn search_audit(&self, q: &AuditQuery) -> Result<(Vec<AuditEvent>, i64)> {
        let size = q.page_size.unwrap_or(50).clamp(1, 200);
        let page = q.page.unwrap_or(1).max(1);
        let nonempty = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let (ot, oi, ac, an) = (nonempty(&q.object_type), nonempty(&q.object_id), nonempty(&q.actor), nonempty(&q.action));
        let filter = "WHERE ($1 IS NULL OR object_type = $1) AND ($2 IS NULL OR object_id = $2) AND ($3 IS NULL OR actor = $3) \
                      AND ($4 IS NULL OR action = $4) AND ($5 IS NULL OR at_ms >= $5) AND ($6 IS NULL OR at_ms < $6)";
        let count_sql = format!("SELECT COUNT(*) FROM audit_events {filter}");
        let items_sql = format!(
            "SELECT seq, at_ms, actor_id, actor, role, action, object_type, object_id, before_state, after_state, comment, client_addr, detail \
             FROM audit_events {filter} ORDER BY seq DESC LIMIT $7 OFFSET $8"
        );
        let total: i64 = read!(self, |p| sqlx::query_scalar(&count_sql)
            .bind(&ot)
            .bind(&oi)
            .bind(&ac)
            .bind(&an)
            .bind(q.from_ms)
            .bind(q.to_ms)
            .fetch_one(p)
            .await)?;
        let items: Vec<AuditEvent> = read!(self, |p| sqlx::query_as(&items_sql)
            .bind(&ot)
            .bind(&oi)
            .bind(&ac)
            .bind(&an)
            .bind(q.from_ms)
            .bind(q.to_ms)
            .bind(size)
            .bind((page - 1) * size)
            .fetch_all(p)
            .await)?;
        Ok((items, total))
    }

    /// The whole log as a self-contained bundle (entries with their recorded leaf hashes, every
    /// signed tree head, the public key).
    pub async fn export_bundle(&self) -> Result<Bundle> {
        let heads = self.tree_heads().await?;
        let mut bundle = Bundle::new(self.public_key(), std::iter::empty(), heads);
        let rows: Vec<StreamRow> = read!(self, |p| sqlx::query_as(STREAM_SQL).fetch_all(p).await)?;
        for r in rows {
            let (entry, leaf) = entry_of(r);
            let mut be = BundleEntry::new(SUITE, entry);
            if let Some(l) = leaf {
                be.leaf_hash = Some(hash_of(&l)?);
            }
            bundle.entries.push(be);
        }
        Ok(bundle)
    }

    /// Verify the whole ledger from the database: re-derive every entry's canonical bytes from
    /// the readable columns, compare with the recorded leaf hash, recompute the tree and check it
    /// against every signed tree head (signatures with this store's key), the stored interior
    /// nodes and the head row's frontier. A reader task feeds a hasher thread. The report names
    /// the first problem.
    pub async fn verify_ledger(&self, progress: Option<Progress>) -> Result<VerifyReport> {
        let started = Instant::now();
        let public = self.public_key().clone();
        let heads = self.tree_heads().await?;
        let (head_size, head_frontier): (i64, Option<Vec<u8>>) =
            read!(self, |p| sqlx::query_as("SELECT size, frontier FROM ledger_head WHERE id = 1").fetch_one(p).await)?;
        let mut report = VerifyReport {
            entries: 0,
            heads_checked: 0,
            verified_size: 0,
            nodes_checked: 0,
            root: None,
            key_fingerprint: public.fingerprint(),
            bytes_hashed: 0,
            elapsed_ms: 0,
            problem: None,
        };
        let problem = |seq: Option<u64>, message: String| Some(LedgerProblem { seq, object: None, message });
        for h in &heads {
            if h.head.suite != SUITE {
                report.problem =
                    problem(None, format!("signed tree head {} has suite {}, the log is {}", h.head.tree_size, h.head.suite, SUITE));
                return Ok(report);
            }
            if let Err(e) = public.verify(h) {
                report.problem = problem(
                    None,
                    format!(
                        "signed tree head of size {} does not verify with the log key {}: {e} (signed by another key, or edited)",
                        h.head.tree_size,
                        public.fingerprint()
                    ),
                );
                return Ok(report);
            }
        }

        // Reader → hasher. The reader also answers the head row and the stored nodes.
        let (send, mut recv) = tokio::sync::mpsc::channel::<Batch>(16);
        let db = self.db.clone();
        let reader = match sqlite_file(&db) {
            Some(file) => tokio::task::spawn_blocking(move || scan_sqlite(&file, send)),
            None => tokio::spawn(scan_sqlx(db, send, head_size, head_frontier.clone())),
        };
        let total = head_size.max(0) as u64;
        let heads_for_hasher: Vec<TreeHead> = heads.iter().map(|h| h.head.clone()).collect();
        let hasher = tokio::task::spawn_blocking(move || {
            let mut pending: std::collections::VecDeque<TreeHead> = heads_for_hasher.into();
            let mut out = HashOutcome {
                entries: 0,
                bytes: 0,
                frontier: Frontier::new(),
                digests: LevelDigests::default(),
                heads_checked: 0,
                verified_size: 0,
                problem: None,
            };
            let mut buf = Vec::with_capacity(1024);
            let mut last_progress = 0u64;
            // Heads of size 0.
            while pending.front().is_some_and(|h| h.tree_size == 0) {
                let h = pending.pop_front().expect("front");
                if h.root != SUITE.empty_root() {
                    out.problem = Some((None, None, "a signed tree head of size 0 has a root other than the empty root".into(), None));
                    return out;
                }
                out.heads_checked += 1;
            }
            'outer: while let Some(batch) = recv.blocking_recv() {
                for (entry, recorded) in batch {
                    let pos = out.frontier.size();
                    if entry.seq != pos {
                        let msg = if entry.seq > pos {
                            format!("entry seq {pos} is missing (the next row has seq {}): entries were deleted", entry.seq)
                        } else {
                            format!("entry seq {} appears again at position {pos}: entries were duplicated or reordered", entry.seq)
                        };
                        out.problem = Some((Some(entry), Some(pos), msg, None));
                        break 'outer;
                    }
                    buf.clear();
                    entry.encode_into(&mut buf);
                    out.bytes += buf.len() as u64;
                    let leaf = SUITE.leaf_hash(&buf);
                    match recorded.as_deref().map(Hash::from_slice) {
                        Some(Ok(r)) if r == leaf => {}
                        None => {}
                        Some(Ok(r)) => {
                            let seq = entry.seq;
                            out.problem = Some((
                                Some(entry),
                                Some(seq),
                                format!("entry seq {seq} no longer matches the leaf hash recorded when it was written ({r}); its fields now hash to {leaf}"),
                                None,
                            ));
                            break 'outer;
                        }
                        Some(Err(e)) => {
                            let seq = entry.seq;
                            out.problem =
                                Some((Some(entry), Some(seq), format!("entry seq {seq} has an invalid recorded leaf hash: {e}"), None));
                            break 'outer;
                        }
                    }
                    let digests = &mut out.digests;
                    out.frontier.push_with(SUITE, leaf, |id, h| {
                        if id.level > 0 {
                            digests.add(id.level, id.index, &h.0);
                        }
                    });
                    while pending.front().is_some_and(|h| h.tree_size == out.frontier.size()) {
                        let h = pending.pop_front().expect("front");
                        let computed = out.frontier.root(SUITE);
                        if computed != h.root {
                            out.problem = Some((
                                None,
                                None,
                                format!(
                                    "the first {} entries hash to {computed}, but the signed tree head says {}: an entry with seq in {}..{} was changed, removed, inserted or reordered",
                                    h.tree_size, h.root, out.verified_size, h.tree_size
                                ),
                                Some((out.verified_size, h.tree_size)),
                            ));
                            break 'outer;
                        }
                        out.heads_checked += 1;
                        out.verified_size = h.tree_size;
                    }
                    out.entries += 1;
                    if let Some(p) = &progress {
                        if out.entries - last_progress >= 16_384 {
                            last_progress = out.entries;
                            p(out.entries, total);
                        }
                    }
                }
            }
            if out.problem.is_none() {
                if let Some(h) = pending.front() {
                    out.problem = Some((
                        None,
                        None,
                        format!(
                            "a signed tree head covers {} entries but the log ends after {}: entries were deleted from the end",
                            h.tree_size,
                            out.frontier.size()
                        ),
                        None,
                    ));
                }
            }
            if let Some(p) = &progress {
                p(out.entries, total);
            }
            out
        });
        let out = hasher.await.map_err(|e| rule(format!("校验线程失败:{e}"), format!("the verify thread failed: {e}")))?;
        let scanned = reader.await.map_err(|e| rule(format!("读取线程失败:{e}"), format!("the reader task failed: {e}")))??;
        let (head_size, head_frontier) = (scanned.head_size, scanned.head_frontier);
        report.entries = out.entries;
        report.bytes_hashed = out.bytes;
        report.heads_checked = out.heads_checked;
        report.verified_size = out.verified_size;
        report.root = Some(out.frontier.root(SUITE));
        if let Some((entry, seq, message, range)) = out.problem {
            let mut p = LedgerProblem { seq, object: entry.as_ref().map(|e| format!("{}/{}", e.object_type, e.object_id)), message };
            if let (Some(e), Some(s)) = (&entry, seq) {
                if let Some(what) = self.what_changed(e).await? {
                    p.message = format!("{}; {what}", p.message);
                }
                p.seq = Some(s);
            }
            if let Some((a, b)) = range {
                if let Some((e, what)) = self.locate_changed(a, b).await? {
                    p.seq = Some(e.seq);
                    p.object = Some(format!("{}/{}", e.object_type, e.object_id));
                    p.message = format!("{}; entry seq {} differs from the bytes recorded when it was written: {what}", p.message, e.seq);
                }
            }
            report.problem = Some(p);
            report.elapsed_ms = started.elapsed().as_millis();
            return Ok(report);
        }
        // The head row.
        if head_size as u64 != out.entries {
            report.problem = problem(
                None,
                format!(
                    "the ledger head counts {head_size} entries but the table holds {}: entries were deleted or added outside the ledger",
                    out.entries
                ),
            );
        } else if let Ok(stored) = load_frontier(head_frontier.as_deref()) {
            if stored.size() == out.frontier.size() && stored != out.frontier {
                report.problem = problem(None, "the ledger head's stored frontier differs from the recomputed tree".into());
            }
        }
        if report.problem.is_none() {
            let (checked, problem) = check_nodes(out.digests, scanned.nodes);
            report.nodes_checked = checked;
            report.problem = problem;
        }
        report.elapsed_ms = started.elapsed().as_millis();
        Ok(report)
    }

    /// Compare an entry as it reads now with the bytes recorded at append time.
    async fn what_changed(&self, now: &AuditEntry) -> Result<Option<String>> {
        let bytes: Option<Vec<u8>> = read!(self, |p| sqlx::query_scalar("SELECT entry FROM ledger_entries WHERE seq = $1")
            .bind(now.seq as i64)
            .fetch_optional(p)
            .await)?;
        let Some(bytes) = bytes else { return Ok(Some("the bytes recorded at append time are missing too".into())) };
        let Ok(then) = tongchou_ledger::decode(&bytes) else { return Ok(Some("the bytes recorded at append time are corrupt".into())) };
        let diffs = then.diff(now);
        if diffs.is_empty() {
            return Ok(None);
        }
        Ok(Some(format!(
            "changed: {}",
            diffs.iter().map(|d| format!("{}: recorded {:?}, now {:?}", d.field, d.ours, d.theirs)).collect::<Vec<_>>().join("; ")
        )))
    }

    /// The first entry in `a..b` whose readable fields differ from its recorded bytes.
    async fn locate_changed(&self, a: u64, b: u64) -> Result<Option<(AuditEntry, String)>> {
        let sql = "SELECT e.seq, e.at_ms, e.actor_id, e.actor, e.role, e.action, e.object_type, e.object_id, e.before_state, e.after_state, e.comment, e.client_addr, e.detail, l.entry \
                   FROM audit_events e LEFT JOIN ledger_entries l ON l.seq = e.seq WHERE e.seq >= $1 AND e.seq < $2 ORDER BY e.seq";
        let rows: Vec<StreamRow> = read!(self, |p| sqlx::query_as(sql).bind(a as i64).bind(b as i64).fetch_all(p).await)?;
        for r in rows {
            let (e, recorded) = entry_of(r);
            if recorded.as_deref() != Some(tongchou_ledger::encode(&e).as_slice()) {
                let what = self.what_changed(&e).await?.unwrap_or_else(|| "recorded bytes differ".into());
                return Ok(Some((e, what)));
            }
        }
        Ok(None)
    }
}

type Batch = Vec<(AuditEntry, Option<Vec<u8>>)>;

/// Entries per message from the reader to the hasher.
const BATCH: usize = 2048;

const NODES_SQL: &str = "SELECT level, idx, hash FROM ledger_nodes ORDER BY level, idx";

/// What the reader of `audit verify` saw besides the entries: the head row and a digest of the
/// stored interior nodes.
struct Scanned {
    head_size: i64,
    head_frontier: Option<Vec<u8>>,
    nodes: LevelDigests,
}

/// The database file, when this is SQLite on a file.
fn sqlite_file(db: &Db) -> Option<std::path::PathBuf> {
    match db {
        Db::Sqlite { file, .. } => file.clone(),
        Db::Pg(_) => None,
    }
}

fn lite(e: rusqlite::Error) -> StoreError {
    rule(format!("读取 SQLite 数据库失败:{e}"), format!("reading the SQLite database failed: {e}"))
}

/// SQLite: the head row, every entry and every stored node in ONE read transaction (one
/// consistent snapshot, even while a server keeps appending) on a plain rusqlite connection read
/// on this thread. sqlx's SQLite driver hands every row from its worker thread to the caller,
/// which cost 6.2 s of a 7.4 s verify of 1,000,000 entries; read here it is a fraction of that.
fn scan_sqlite(file: &Path, send: tokio::sync::mpsc::Sender<Batch>) -> Result<Scanned> {
    use rusqlite::{Connection, OpenFlags};
    // Read-write open (never created) so that a WAL database opens whether or not a server holds
    // it; `query_only` makes sure this connection writes nothing.
    let c = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX).map_err(lite)?;
    c.busy_timeout(Duration::from_secs(5)).map_err(lite)?;
    c.execute_batch("PRAGMA query_only = 1; BEGIN").map_err(lite)?;
    let (head_size, head_frontier) =
        c.query_row("SELECT size, frontier FROM ledger_head WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?))).map_err(lite)?;
    let mut scanned = Scanned { head_size, head_frontier, nodes: LevelDigests::default() };
    {
        let mut st = c.prepare(STREAM_SQL).map_err(lite)?;
        let mut rows = st.query([]).map_err(lite)?;
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(r) = rows.next().map_err(lite)? {
            let row: StreamRow = (
                r.get(0).map_err(lite)?,
                r.get(1).map_err(lite)?,
                r.get(2).map_err(lite)?,
                r.get(3).map_err(lite)?,
                r.get(4).map_err(lite)?,
                r.get(5).map_err(lite)?,
                r.get(6).map_err(lite)?,
                r.get(7).map_err(lite)?,
                r.get(8).map_err(lite)?,
                r.get(9).map_err(lite)?,
                r.get(10).map_err(lite)?,
                r.get(11).map_err(lite)?,
                r.get(12).map_err(lite)?,
                r.get(13).map_err(lite)?,
            );
            batch.push(entry_of(row));
            if batch.len() == BATCH && send.blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_err() {
                // The hasher stopped at a problem; the rest is not needed.
                return Ok(scanned);
            }
        }
        if !batch.is_empty() {
            let _ = send.blocking_send(batch);
        }
    }
    drop(send);
    let mut st = c.prepare(NODES_SQL).map_err(lite)?;
    let mut rows = st.query([]).map_err(lite)?;
    while let Some(r) = rows.next().map_err(lite)? {
        let level: i64 = r.get(0).map_err(lite)?;
        let idx: i64 = r.get(1).map_err(lite)?;
        let h = r.get_ref(2).map_err(lite)?.as_blob().map_err(|e| lite(e.into()))?;
        scanned.nodes.add(level as u32, idx as u64, h);
    }
    Ok(scanned)
}

/// PostgreSQL (or SQLite in memory): stream the entries through sqlx, then the stored nodes. The
/// head row was read before the scan.
async fn scan_sqlx(db: Arc<Db>, send: tokio::sync::mpsc::Sender<Batch>, head_size: i64, head_frontier: Option<Vec<u8>>) -> Result<Scanned> {
    let mut scanned = Scanned { head_size, head_frontier, nodes: LevelDigests::default() };
    let mut batch = Vec::with_capacity(BATCH);
    macro_rules! pump {
        ($p:expr) => {{
            let mut rows = sqlx::query_as::<_, StreamRow>(STREAM_SQL).fetch($p);
            while let Some(r) = rows.try_next().await? {
                batch.push(entry_of(r));
                if batch.len() == BATCH && send.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).await.is_err() {
                    return Ok(scanned);
                }
            }
            if !batch.is_empty() {
                let _ = send.send(std::mem::take(&mut batch)).await;
            }
            drop(send);
            let mut rows = sqlx::query_as::<_, (i32, i64, Vec<u8>)>(NODES_SQL).fetch($p);
            while let Some((level, idx, h)) = rows.try_next().await? {
                scanned.nodes.add(level as u32, idx as u64, &h);
            }
        }};
    }
    match &*db {
        Db::Sqlite { read, .. } => pump!(read),
        Db::Pg(p) => pump!(p),
    }
    Ok(scanned)
}

/// Compare the stored interior nodes with the recomputed ones, level by level.
fn check_nodes(computed: LevelDigests, stored: LevelDigests) -> (u64, Option<LedgerProblem>) {
    let computed = computed.finish();
    let stored = stored.finish();
    let checked = stored.iter().map(|(_, n)| n).sum();
    for level in 1..computed.len().max(stored.len()) {
        let c = computed.get(level);
        let s = stored.get(level);
        let same = match (c, s) {
            (Some(c), Some(s)) => c == s,
            (None, None) => true,
            (Some((_, 0)), None) | (None, Some((_, 0))) => true,
            _ => false,
        };
        if !same {
            let (cn, sn) = (c.map(|x| x.1).unwrap_or(0), s.map(|x| x.1).unwrap_or(0));
            return (
                    checked,
                    Some(LedgerProblem {
                        seq: None,
                        object: None,
                        message: format!(
                            "stored Merkle nodes of level {level} differ from the recomputed tree ({sn} stored, {cn} expected): a node row was edited, deleted or added (proofs served from them would not verify)"
                        ),
                    }),
                );
        }
    }
    (checked, None)
}

/// Benchmark support: a log of `n` leaves (placeholder audit rows carrying only their leaf hash,
/// plus every interior node, the frontier and a signed head), written as fast as the database
/// takes it. Only for `tongchou audit bench` on an empty database: the rows do not verify.
pub async fn bench_fill_leaves(store: &Store, n: u64) -> Result<()> {
    let mut frontier = Frontier::new();
    let per_tx = 20_000u64;
    let mut i = 0u64;
    while i < n {
        let m = per_tx.min(n - i);
        let mut leaves = Vec::with_capacity(m as usize);
        let mut nodes = Vec::with_capacity(m as usize + 64);
        for k in i..i + m {
            let leaf = SUITE.leaf_hash(&k.to_be_bytes());
            frontier.push_with(SUITE, leaf, |id, h| {
                if id.level > 0 {
                    nodes.push((id.level, id.index, *h));
                }
            });
            leaves.push((k as i64, leaf));
        }
        let mut tx = store.begin().await?;
        for chunk in leaves.chunks(CHUNK * 4) {
            write!(tx, |c| {
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO audit_events (seq, at_ms, actor_id, actor, role, action, object_type, object_id, before_state, after_state, comment, client_addr, detail, leaf_hash) ",
                );
                qb.push_values(chunk, |mut b, (seq, leaf)| {
                    b.push_bind(*seq).push("0, 0, '', '', '', '', '', '', '', '', '', ''").push_bind(&leaf.0[..]);
                });
                qb.build().execute(&mut *c).await.map(|r| r.rows_affected())
            })?;
        }
        insert_nodes(&mut tx, &nodes).await?;
        exec!(
            tx,
            sqlx::query("UPDATE ledger_head SET size = $1, frontier = $2 WHERE id = 1").bind((i + m) as i64).bind(frontier.to_bytes())
        )?;
        tx.commit().await?;
        i += m;
    }
    store.sign_tree_head().await?;
    Ok(())
}
