//! The annual construction plan (年度建设计划): the approved projects of a year with their approved
//! amounts, totals by department and category, the ceiling finance sets, and finance's
//! confirmation, which locks the plan.

use crate::audit;
use crate::projects::{event_for, lock_plan};
use crate::{exec, read, Result, Store, StoreError};
use serde::Serialize;
use tongchou_domain::application::{FieldError, Problem};
use tongchou_domain::policy::{self, Capability};
use tongchou_domain::{Actor, Fen, Refusal, Role};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct PlanItem {
    pub id: i64,
    pub code: Option<String>,
    pub name: String,
    pub department: String,
    pub category: String,
    pub state: String,
    pub budget_fen: i64,
    pub approved_fen: i64,
    /// 查重节约资金 of this project (modules reused, merged or stripped in review).
    pub saved_fen: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct PlanTotal {
    /// Department name or category code.
    pub key: String,
    pub count: i64,
    pub approved_fen: i64,
    /// 查重节约资金 of these projects.
    pub saved_fen: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanView {
    pub year: i64,
    /// None: finance has set no ceiling for this year.
    pub ceiling_fen: Option<i64>,
    pub confirmed: bool,
    pub confirmed_at: Option<i64>,
    pub total_fen: i64,
    /// Ceiling minus total, when a ceiling exists.
    pub headroom_fen: Option<i64>,
    /// Applications waiting for the leadership's decision for this year, and their sum of
    /// recommended (or requested) amounts.
    pub pending_count: i64,
    pub pending_fen: i64,
    /// 查重节约资金 of the plan's projects.
    pub saved_fen: i64,
    pub items: Vec<PlanItem>,
    pub by_department: Vec<PlanTotal>,
    pub by_category: Vec<PlanTotal>,
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    ceiling_fen: Option<i64>,
    confirmed: bool,
    confirmed_at: Option<i64>,
}

impl Store {
    pub async fn plan(&self, actor: &Actor, year: i64) -> Result<PlanView> {
        if !policy::can(&actor.roles, Capability::ViewPlan) {
            return Err(StoreError::Forbidden(Capability::ViewPlan));
        }
        let (row, items, by_department, by_category, pending) = read!(self, |p| {
            let row: Option<PlanRow> = sqlx::query_as("SELECT ceiling_fen, confirmed, confirmed_at FROM plans WHERE plan_year = $1")
                .bind(year)
                .fetch_optional(p)
                .await?;
            let items: Vec<PlanItem> = sqlx::query_as(
                "SELECT p.id, p.code, p.name, d.name AS department, p.category, p.state, p.budget_fen, p.approved_fen, \
                 CAST(COALESCE(sv.s, 0) AS BIGINT) AS saved_fen \
                 FROM projects p JOIN departments d ON d.id = p.department_id LEFT JOIN (SELECT project_id, SUM(saved_fen) AS s FROM module_decisions GROUP BY project_id) sv ON sv.project_id = p.id WHERE p.approved_year = $1 ORDER BY d.path, p.code",
            )
            .bind(year)
            .fetch_all(p)
            .await?;
            let by_department: Vec<PlanTotal> = sqlx::query_as(
                "SELECT d.name AS key, COUNT(*) AS count, CAST(SUM(p.approved_fen) AS BIGINT) AS approved_fen, \
                 CAST(COALESCE(SUM(sv.s), 0) AS BIGINT) AS saved_fen \
                 FROM projects p JOIN departments d ON d.id = p.department_id LEFT JOIN (SELECT project_id, SUM(saved_fen) AS s FROM module_decisions GROUP BY project_id) sv ON sv.project_id = p.id WHERE p.approved_year = $1 GROUP BY d.name, d.path ORDER BY d.path",
            )
            .bind(year)
            .fetch_all(p)
            .await?;
            let by_category: Vec<PlanTotal> = sqlx::query_as(
                "SELECT p.category AS key, COUNT(*) AS count, CAST(SUM(p.approved_fen) AS BIGINT) AS approved_fen, \
                 CAST(COALESCE(SUM(sv.s), 0) AS BIGINT) AS saved_fen \
                 FROM projects p LEFT JOIN (SELECT project_id, SUM(saved_fen) AS s FROM module_decisions GROUP BY project_id) sv ON sv.project_id = p.id WHERE p.approved_year = $1 GROUP BY p.category ORDER BY p.category",
            )
            .bind(year)
            .fetch_all(p)
            .await?;
            let pending: (i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), CAST(COALESCE(SUM(COALESCE(r.recommended_fen, p.budget_fen)), 0) AS BIGINT) \
                 FROM projects p LEFT JOIN reviews r ON r.project_id = p.id WHERE p.plan_year = $1 AND p.state = 'pending_decision'",
            )
            .bind(year)
            .fetch_one(p)
            .await?;
            Ok::<_, sqlx::Error>((row, items, by_department, by_category, pending))
        })?;
        let total_fen: i64 = items.iter().map(|i| i.approved_fen).sum();
        let saved_fen: i64 = items.iter().map(|i| i.saved_fen).sum();
        let ceiling_fen = row.as_ref().and_then(|r| r.ceiling_fen);
        Ok(PlanView {
            year,
            ceiling_fen,
            confirmed: row.as_ref().is_some_and(|r| r.confirmed),
            confirmed_at: row.as_ref().and_then(|r| r.confirmed_at),
            total_fen,
            headroom_fen: ceiling_fen.map(|c| c - total_fen),
            pending_count: pending.0,
            pending_fen: pending.1,
            saved_fen,
            items,
            by_department,
            by_category,
        })
    }

    /// Years that have a plan row or approved projects, newest first.
    pub async fn plan_years(&self) -> Result<Vec<i64>> {
        Ok(read!(self, |p| sqlx::query_scalar(
            "SELECT plan_year FROM plans UNION SELECT approved_year FROM projects WHERE approved_year IS NOT NULL ORDER BY 1 DESC"
        )
        .fetch_all(p)
        .await)?)
    }

    /// Finance sets the year's ceiling. Refused on a confirmed plan, or below what is already planned.
    pub async fn set_ceiling(&self, actor: &Actor, client_addr: &str, year: i64, ceiling_fen: i64) -> Result<()> {
        if !policy::can(&actor.roles, Capability::ManagePlanFunds) {
            return Err(StoreError::Forbidden(Capability::ManagePlanFunds));
        }
        Fen::checked(ceiling_fen).map_err(|e| StoreError::Invalid(vec![FieldError::new("ceiling_fen", Problem::Money(e))]))?;
        self.check_year(year)?;
        let now = self.now();
        let mut tx = self.begin().await?;
        let facts = lock_plan(&mut tx, year).await?;
        if facts.locked {
            return Err(StoreError::Refused(Refusal::PlanLocked { year: year as i32 }));
        }
        if ceiling_fen < facts.planned_total.0 {
            return Err(StoreError::Rule(
                "plan.ceiling_below_total",
                format!("上限 {} 万元低于已列入计划的 {} 万元", Fen(ceiling_fen).wan(), facts.planned_total.wan()),
                format!("The ceiling {} is below the {} already planned (10k yuan)", Fen(ceiling_fen).wan(), facts.planned_total.wan()),
            ));
        }
        exec!(tx, sqlx::query("UPDATE plans SET ceiling_fen = $1 WHERE plan_year = $2").bind(ceiling_fen).bind(year))?;
        let mut ev = event_for(actor, client_addr, &[Role::Finance]);
        ev.action = "set_ceiling".into();
        ev.object_type = "plan".into();
        ev.object_id = year.to_string();
        ev.before = facts.ceiling.map(|c| c.0.to_string()).unwrap_or_default();
        ev.after = ceiling_fen.to_string();
        ev.detail = serde_json::json!({"ceiling_fen": ceiling_fen, "planned_total_fen": facts.planned_total.0}).to_string();
        audit::append(&mut tx, now, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Finance confirms the plan; it is locked from then on.
    pub async fn confirm_plan(&self, actor: &Actor, client_addr: &str, year: i64) -> Result<()> {
        if !policy::can(&actor.roles, Capability::ManagePlanFunds) {
            return Err(StoreError::Forbidden(Capability::ManagePlanFunds));
        }
        self.check_year(year)?;
        let now = self.now();
        let mut tx = self.begin().await?;
        let facts = lock_plan(&mut tx, year).await?;
        if facts.locked {
            return Err(StoreError::Refused(Refusal::PlanLocked { year: year as i32 }));
        }
        exec!(
            tx,
            sqlx::query("UPDATE plans SET confirmed = TRUE, confirmed_by = $1, confirmed_at = $2 WHERE plan_year = $3")
                .bind(actor.id)
                .bind(now)
                .bind(year)
        )?;
        let mut ev = event_for(actor, client_addr, &[Role::Finance]);
        ev.action = "confirm_plan".into();
        ev.object_type = "plan".into();
        ev.object_id = year.to_string();
        ev.before = "open".into();
        ev.after = "confirmed".into();
        ev.detail = serde_json::json!({"total_fen": facts.planned_total.0, "ceiling_fen": facts.ceiling.map(|c| c.0)}).to_string();
        audit::append(&mut tx, now, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    fn check_year(&self, year: i64) -> Result<()> {
        let this = self.this_year() as i64;
        if year < this - 10 || year > this + 5 {
            return Err(StoreError::Invalid(vec![FieldError::new("year", Problem::OutOfRange { min: this - 10, max: this + 5 })]));
        }
        Ok(())
    }
}
