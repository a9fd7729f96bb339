-- Backbone: organisation, users, sessions, applications with their review, the annual plan and
-- the audit trail. Times are BIGINT unix milliseconds UTC; dates are TEXT YYYY-MM-DD; money is
-- BIGINT 分. Keep in step with ../postgres/0001_backbone.sql.

CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    parent_id INTEGER REFERENCES departments(id),
    path TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX departments_path ON departments(path);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    password_hash TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'zh-CN',
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    code TEXT UNIQUE,
    name TEXT NOT NULL,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    category TEXT NOT NULL,
    construction_type TEXT NOT NULL,
    plan_year BIGINT NOT NULL,
    description TEXT NOT NULL,
    objectives TEXT NOT NULL,
    expected_benefits TEXT NOT NULL,
    funding_source TEXT NOT NULL,
    mlps_level BIGINT NOT NULL,
    produces_shared_data BOOLEAN NOT NULL,
    consumes_shared_data BOOLEAN NOT NULL,
    planned_start TEXT,
    planned_finish TEXT,
    budget_fen BIGINT NOT NULL,
    approved_fen BIGINT,
    approved_year BIGINT,
    state TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    drafted_by INTEGER NOT NULL REFERENCES users(id),
    submitted_by INTEGER REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT
);
CREATE INDEX projects_department ON projects(department_id);
CREATE INDEX projects_state ON projects(state);
CREATE INDEX projects_updated ON projects(updated_at);
CREATE INDEX projects_approved_year ON projects(approved_year);

CREATE TABLE project_modules (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    estimate_fen BIGINT
);
CREATE INDEX project_modules_project ON project_modules(project_id);

CREATE TABLE budget_lines (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    item TEXT NOT NULL,
    amount_fen BIGINT NOT NULL
);
CREATE INDEX budget_lines_project ON budget_lines(project_id);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_project ON attachments(project_id);

CREATE TABLE project_sequences (
    plan_year BIGINT NOT NULL,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    last_number BIGINT NOT NULL,
    PRIMARY KEY (plan_year, department_id)
);

CREATE TABLE reviews (
    project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    technical_conclusion TEXT NOT NULL,
    technical_text TEXT NOT NULL,
    economic_conclusion TEXT NOT NULL,
    economic_text TEXT NOT NULL,
    risk_conclusion TEXT NOT NULL,
    risk_text TEXT NOT NULL,
    recommended_fen BIGINT NOT NULL,
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    updated_at BIGINT NOT NULL
);

CREATE TABLE expert_invitations (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    expert_id INTEGER NOT NULL REFERENCES users(id),
    invited_by INTEGER NOT NULL REFERENCES users(id),
    active BOOLEAN NOT NULL,
    invited_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, expert_id)
);
CREATE INDEX expert_invitations_expert ON expert_invitations(expert_id);

CREATE TABLE expert_opinions (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    expert_id INTEGER NOT NULL REFERENCES users(id),
    score BIGINT NOT NULL,
    conclusion TEXT NOT NULL,
    opinion TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, expert_id)
);

CREATE TABLE project_assignments (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    PRIMARY KEY (project_id, user_id, role)
);
CREATE INDEX project_assignments_user ON project_assignments(user_id);

CREATE TABLE plans (
    plan_year BIGINT PRIMARY KEY,
    ceiling_fen BIGINT,
    confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    confirmed_by INTEGER REFERENCES users(id),
    confirmed_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1
);

-- The audit trail, shaped as ledger entries: seq is gap-free (allocated from ledger_head inside
-- the writing transaction), rows are never updated or deleted by the application.
CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor_id BIGINT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    before_state TEXT NOT NULL,
    after_state TEXT NOT NULL,
    comment TEXT NOT NULL,
    client_addr TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_events_object ON audit_events(object_type, object_id);
CREATE INDEX audit_events_actor ON audit_events(actor_id);

CREATE TABLE ledger_head (
    id BIGINT PRIMARY KEY,
    size BIGINT NOT NULL
);
INSERT INTO ledger_head (id, size) VALUES (1, 0);
