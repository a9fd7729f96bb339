-- 查重 in review (issue 3): the reviewer's decision per application module (reuse a shared
-- capability / merge / strip / keep), overrides of 禁止类 policy-catalog matches, and the shared
-- capabilities an application declares it will use. Builds on 0003_inventory. Keep the SQLite
-- and PostgreSQL files in step.

CREATE TABLE module_decisions (
    module_id BIGINT PRIMARY KEY REFERENCES project_modules(id) ON DELETE CASCADE,
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    decision TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    -- The module's estimate taken off the budget (0 for keep), fixed when decided.
    saved_fen BIGINT NOT NULL DEFAULT 0,
    decided_by BIGINT NOT NULL REFERENCES users(id),
    decided_at BIGINT NOT NULL
);
CREATE INDEX module_decisions_project ON module_decisions(project_id);

CREATE TABLE directory_overrides (
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    rule_id BIGINT NOT NULL REFERENCES directory_rules(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    decided_by BIGINT NOT NULL REFERENCES users(id),
    decided_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, rule_id)
);

CREATE TABLE project_capabilities (
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    capability_id BIGINT NOT NULL REFERENCES capabilities(id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, capability_id)
);
