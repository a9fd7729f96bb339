//! To-do (待办): what awaits the signed-in user's action, derived from the same lifecycle table
//! and scope rules as everything else — never stored separately, so it cannot drift.

use crate::projects::{bind_args, scope_sql, Arg};
use crate::{read, Result, Store};
use serde::Serialize;
use tongchou_domain::lifecycle::TRANSITIONS;
use tongchou_domain::policy::{self, Capability};
use tongchou_domain::{Actor, Role};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct TodoItem {
    /// `action` (a lifecycle step awaits), `expert_opinion`, or `confirm_plan`.
    pub kind: String,
    pub project_id: Option<i64>,
    pub code: Option<String>,
    pub name: String,
    pub department: String,
    pub state: String,
    pub since: i64,
    pub plan_year: Option<i64>,
}

impl Store {
    pub async fn todo(&self, actor: &Actor) -> Result<Vec<TodoItem>> {
        let mut args = vec![];
        let scope = scope_sql(actor, &mut args);
        // States where one of the actor's roles has a step to take. Department roles only count
        // drafts (to submit, including returned ones) — waiting on the bureau is not their to-do.
        let mut states: Vec<&str> = TRANSITIONS
            .iter()
            .filter(|t| t.roles.iter().any(|r| actor.roles.contains(r) && !matches!(r, Role::DeptStaff | Role::DeptHead | Role::Operator)))
            .flat_map(|t| t.from.iter().map(|s| s.code()))
            .collect();
        if actor.roles.iter().any(|r| matches!(r, Role::DeptStaff | Role::DeptHead)) {
            states.push("draft");
        }
        states.sort();
        states.dedup();
        let mut items = vec![];
        if !states.is_empty() {
            let placeholders: Vec<String> = states
                .iter()
                .map(|s| {
                    args.push(Arg::S(s.to_string()));
                    format!("${}", args.len())
                })
                .collect();
            args.push(Arg::I(actor.id));
            let me = args.len();
            let sql = format!(
                "SELECT 'action' AS kind, p.id AS project_id, p.code, p.name, d.name AS department, p.state, p.updated_at AS since, p.plan_year \
                 FROM projects p JOIN departments d ON d.id = p.department_id \
                 WHERE {scope} AND p.state IN ({}) AND NOT (p.state <> 'draft' AND (p.drafted_by = ${me} OR COALESCE(p.submitted_by, 0) = ${me})) \
                 ORDER BY p.updated_at LIMIT 500",
                placeholders.join(", ")
            );
            let rows: Vec<TodoItem> = read!(self, |p| bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
            items.extend(rows);
        }
        if policy::can(&actor.roles, Capability::GiveExpertOpinion) {
            let rows: Vec<TodoItem> = read!(self, |p| {
                sqlx::query_as(
                "SELECT 'expert_opinion' AS kind, p.id AS project_id, p.code, p.name, d.name AS department, p.state, i.invited_at AS since, p.plan_year \
                 FROM expert_invitations i JOIN projects p ON p.id = i.project_id JOIN departments d ON d.id = p.department_id \
                 WHERE i.expert_id = $1 AND i.active = TRUE AND p.state = 'under_review' \
                 AND NOT EXISTS (SELECT 1 FROM expert_opinions o WHERE o.project_id = i.project_id AND o.expert_id = i.expert_id) ORDER BY i.invited_at"
            )
            .bind(actor.id)
            .fetch_all(p)
            .await
            })?;
            items.extend(rows);
        }
        if policy::can(&actor.roles, Capability::ManagePlanFunds) {
            let rows: Vec<TodoItem> = read!(self, |p| {
                sqlx::query_as(
                "SELECT 'confirm_plan' AS kind, CAST(NULL AS BIGINT) AS project_id, CAST(NULL AS TEXT) AS code, CAST(p.approved_year AS TEXT) AS name, \
                 '' AS department, 'planned' AS state, CAST(MAX(p.updated_at) AS BIGINT) AS since, p.approved_year AS plan_year \
                 FROM projects p LEFT JOIN plans pl ON pl.plan_year = p.approved_year \
                 WHERE p.approved_year IS NOT NULL AND COALESCE(pl.confirmed, FALSE) = FALSE GROUP BY p.approved_year ORDER BY p.approved_year"
            )
            .fetch_all(p)
            .await
            })?;
            items.extend(rows);
        }
        Ok(items)
    }
}
