-- The system inventory (系统台账), the shared-capability catalog (共性服务能力清单), the policy
-- catalog (项目管理目录), reviewers' synonym groups for 查重, and staged imports. Every write to
-- these tables bumps catalog_version in the same transaction, so that each node rebuilds its
-- 查重 index when the number moves. Keep in step with ../postgres/0003_inventory.sql.

CREATE TABLE systems (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    operator TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    mlps_level BIGINT NOT NULL DEFAULT 0,
    hosting TEXT NOT NULL,
    go_live TEXT NULL,
    annual_om_fen BIGINT NOT NULL DEFAULT 0,
    project_id INTEGER NULL REFERENCES projects(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX systems_department ON systems(department_id);
CREATE INDEX systems_status ON systems(status);
CREATE INDEX systems_updated ON systems(updated_at);

CREATE TABLE system_modules (
    id INTEGER PRIMARY KEY,
    system_id INTEGER NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX system_modules_system ON system_modules(system_id, position);

CREATE TABLE capabilities (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    provider TEXT NOT NULL DEFAULT '',
    access_method TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE capability_systems (
    capability_id INTEGER REFERENCES capabilities(id) ON DELETE CASCADE,
    system_id INTEGER REFERENCES systems(id) ON DELETE CASCADE,
    PRIMARY KEY (capability_id, system_id)
);
CREATE INDEX capability_systems_system ON capability_systems(system_id);

CREATE TABLE directory_rules (
    id INTEGER PRIMARY KEY,
    class TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '',
    categories TEXT NOT NULL DEFAULT '',
    construction_types TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE dedup_synonyms (
    id INTEGER PRIMARY KEY,
    terms TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE catalog_version (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 0);

-- An uploaded file, parsed and validated, waiting for the reviewer's confirmation. Kept in the
-- database (not in one node's memory) so that any app server can show and confirm it.
CREATE TABLE catalog_imports (
    token TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    status TEXT NOT NULL,
    total_rows BIGINT NOT NULL DEFAULT 0,
    processed_rows BIGINT NOT NULL DEFAULT 0,
    report TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
