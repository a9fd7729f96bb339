-- The tamper-evident ledger over audit_events (RFC 6962 Merkle tree, see crates/ledger and
-- docs/ledger-store.md). Everything here is written in the same transaction as the audit row.

-- Leaf hash of the entry's canonical encoding, recorded when the row was written (NULL only for
-- rows written before this migration; the next append backfills them).
ALTER TABLE audit_events ADD COLUMN leaf_hash BLOB;

-- The canonical bytes exactly as hashed at append time, read only to say what was changed when a
-- readable row no longer matches its leaf hash.
CREATE TABLE ledger_entries (
    seq BIGINT PRIMARY KEY,
    entry BLOB NOT NULL
);

-- Every completed perfect subtree of level >= 1 (level 0 is audit_events.leaf_hash): a proof for
-- any index and size reads O(log n) of these rows.
CREATE TABLE ledger_nodes (
    level INTEGER NOT NULL,
    idx BIGINT NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;

-- The compact range (frontier) of the first `size` leaves, serialised by tongchou_ledger::Frontier.
ALTER TABLE ledger_head ADD COLUMN frontier BLOB;

CREATE TABLE ledger_tree_heads (
    tree_size BIGINT PRIMARY KEY,
    timestamp_ms BIGINT NOT NULL,
    suite TEXT NOT NULL,
    root BLOB NOT NULL,
    signature BLOB NOT NULL,
    key_fingerprint TEXT NOT NULL
);
