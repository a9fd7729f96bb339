//! Excel exports (导出 Excel) of the project list and the annual plan: the same filters and data
//! scope as the list, money in 万元.

use super::projects::ListParams;
use super::{parse_id, ApiQuery};
use crate::error::AppError;
use crate::extract::ApiAuth;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use tongchou_domain::application::Category;
use tongchou_domain::{Lang, State as PState};

/// Rows per export: a whole city's portfolio, but bounded.
const MAX_ROWS: i64 = 10_000;

fn wan(fen: i64) -> f64 {
    fen as f64 / 1_000_000.0
}

pub(crate) fn xlsx_response(bytes: Vec<u8>, filename: &str) -> Response {
    let encoded = percent_encoding::utf8_percent_encode(filename, percent_encoding::NON_ALPHANUMERIC).to_string();
    (
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename*=UTF-8''{encoded}")),
        ],
        bytes,
    )
        .into_response()
}

fn xlsx_error(e: XlsxError, lang: Lang) -> AppError {
    AppError::internal(&e.to_string(), lang)
}

/// Export the visible projects (same filters and sorting as the list) to Excel.
#[utoipa::path(get, path = "/api/v1/projects/export.xlsx", tag = "projects", params(ListParams),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
pub async fn projects(State(st): State<AppState>, auth: ApiAuth, ApiQuery(mut p): ApiQuery<ListParams>) -> Result<Response, AppError> {
    let lang = auth.lang;
    p.page = Some(1);
    p.page_size = Some(200);
    let mut q = p.to_query(lang)?;
    q.page_size = MAX_ROWS;
    let page = st.store.list_projects(auth.actor(), &q).await.map_err(|e| AppError::from_store(e, lang))?;
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let ws = wb.add_worksheet();
    let headers = [
        lang.pick("项目编号", "Code"),
        lang.pick("项目名称", "Name"),
        lang.pick("申报单位", "Department"),
        lang.pick("类别", "Category"),
        lang.pick("计划年度", "Plan year"),
        lang.pick("状态", "State"),
        lang.pick("申报金额(万元)", "Requested (10k yuan)"),
        lang.pick("批复金额(万元)", "Approved (10k yuan)"),
    ];
    (|| -> Result<(), XlsxError> {
        ws.set_name(lang.pick("项目列表", "Projects"))?;
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (i, item) in page.items.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, item.code.as_deref().unwrap_or(""))?;
            ws.write_string(r, 1, &item.name)?;
            ws.write_string(r, 2, &item.department)?;
            ws.write_string(r, 3, Category::parse(&item.category).map(|c| c.label(lang)).unwrap_or(""))?;
            ws.write_number(r, 4, item.plan_year as f64)?;
            ws.write_string(r, 5, PState::parse(&item.state).map(|s| s.label(lang)).unwrap_or(""))?;
            ws.write_number_with_format(r, 6, wan(item.budget_fen), &money)?;
            if let Some(a) = item.approved_fen {
                ws.write_number_with_format(r, 7, wan(a), &money)?;
            }
        }
        for (c, w) in [16.0, 36.0, 22.0, 12.0, 10.0, 16.0, 16.0, 16.0].iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(())
    })()
    .map_err(|e| xlsx_error(e, lang))?;
    let bytes = wb.save_to_buffer().map_err(|e| xlsx_error(e, lang))?;
    Ok(xlsx_response(bytes, lang.pick("项目列表.xlsx", "projects.xlsx")))
}

/// Export a year's annual plan (items and totals by department) to Excel.
#[utoipa::path(get, path = "/api/v1/plans/{year}/export.xlsx", tag = "plans", params(("year" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
pub async fn plan(State(st): State<AppState>, auth: ApiAuth, Path(year): Path<String>) -> Result<Response, AppError> {
    let lang = auth.lang;
    let year = parse_id(&year, lang)?;
    let plan = st.store.plan(auth.actor(), year).await.map_err(|e| AppError::from_store(e, lang))?;
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    (|| -> Result<(), XlsxError> {
        let ws = wb.add_worksheet();
        ws.set_name(lang.pick("计划项目", "Projects"))?;
        let headers = [
            lang.pick("项目编号", "Code"),
            lang.pick("项目名称", "Name"),
            lang.pick("申报单位", "Department"),
            lang.pick("类别", "Category"),
            lang.pick("申报金额(万元)", "Requested (10k yuan)"),
            lang.pick("批复金额(万元)", "Approved (10k yuan)"),
            lang.pick("查重节约资金(万元)", "Saved by the duplicate check (10k yuan)"),
        ];
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (i, item) in plan.items.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, item.code.as_deref().unwrap_or(""))?;
            ws.write_string(r, 1, &item.name)?;
            ws.write_string(r, 2, &item.department)?;
            ws.write_string(r, 3, Category::parse(&item.category).map(|c| c.label(lang)).unwrap_or(""))?;
            ws.write_number_with_format(r, 4, wan(item.budget_fen), &money)?;
            ws.write_number_with_format(r, 5, wan(item.approved_fen), &money)?;
            ws.write_number_with_format(r, 6, wan(item.saved_fen), &money)?;
        }
        let total_row = plan.items.len() as u32 + 1;
        ws.write_string_with_format(total_row, 1, lang.pick("合计", "Total"), &bold)?;
        ws.write_number_with_format(total_row, 5, wan(plan.total_fen), &money)?;
        ws.write_number_with_format(total_row, 6, wan(plan.saved_fen), &money)?;
        for (c, w) in [16.0, 36.0, 22.0, 12.0, 16.0, 16.0, 18.0].iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        let ws = wb.add_worksheet();
        ws.set_name(lang.pick("按单位汇总", "By department"))?;
        for (c, h) in [
            lang.pick("申报单位", "Department"),
            lang.pick("项目数", "Projects"),
            lang.pick("批复金额(万元)", "Approved (10k yuan)"),
            lang.pick("查重节约资金(万元)", "Saved (10k yuan)"),
        ]
        .iter()
        .enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (i, t) in plan.by_department.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, &t.key)?;
            ws.write_number(r, 1, t.count as f64)?;
            ws.write_number_with_format(r, 2, wan(t.approved_fen), &money)?;
            ws.write_number_with_format(r, 3, wan(t.saved_fen), &money)?;
        }
        ws.set_column_width(0, 24.0)?;
        ws.set_column_width(2, 18.0)?;
        Ok(())
    })()
    .map_err(|e| xlsx_error(e, lang))?;
    let bytes = wb.save_to_buffer().map_err(|e| xlsx_error(e, lang))?;
    Ok(xlsx_response(bytes, &format!("{year}{}", lang.pick("年度建设计划.xlsx", "-annual-plan.xlsx"))))
}

/// Export the inventory's systems (same filters and sorting as the list) to Excel, with the import
/// template's columns: an export can be edited and imported back.
#[utoipa::path(get, path = "/api/v1/systems/export.xlsx", tag = "inventory", params(super::inventory::SystemListParams),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 403, body = crate::error::ErrorBody)))]
pub async fn systems(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiQuery(mut p): ApiQuery<super::inventory::SystemListParams>,
) -> Result<Response, AppError> {
    use tongchou_domain::import::{Col, ImportKind};
    use tongchou_domain::inventory::{hosting_label, status_label};
    let lang = auth.lang;
    p.page = Some(1);
    p.page_size = Some(200);
    let mut q = p.to_query(lang)?;
    q.page_size = MAX_ROWS;
    let page = st.store.list_systems(auth.actor(), &q).await.map_err(|e| AppError::from_store(e, lang))?;
    let full = st.store.systems_by_code().await.map_err(|e| AppError::from_store(e, lang))?;
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    (|| -> Result<(), XlsxError> {
        let ws = wb.add_worksheet();
        ws.set_name(lang.pick("系统台账", "Systems"))?;
        for (c, col) in Col::template(ImportKind::Systems).iter().enumerate() {
            ws.write_string_with_format(0, c as u16, col.label(lang), &bold)?;
        }
        for (i, s) in page.items.iter().enumerate() {
            let r = i as u32 + 1;
            let modules = full
                .get(&s.code)
                .map(|e| e.input.modules.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join("；"))
                .unwrap_or_default();
            let description = full.get(&s.code).map(|e| e.input.description.as_str()).unwrap_or("");
            ws.write_string(r, 0, &s.code)?;
            ws.write_string(r, 1, &s.name)?;
            ws.write_string(r, 2, &s.department)?;
            ws.write_string(r, 3, &s.operator)?;
            ws.write_string(r, 4, description)?;
            ws.write_string(r, 5, &modules)?;
            ws.write_string(r, 6, status_label(&s.status, lang))?;
            ws.write_number(r, 7, s.mlps_level as f64)?;
            ws.write_string(r, 8, hosting_label(&s.hosting, lang))?;
            ws.write_string(r, 9, s.go_live.as_deref().unwrap_or(""))?;
            ws.write_number_with_format(r, 10, wan(s.annual_om_fen), &money)?;
        }
        for (c, w) in [14.0, 30.0, 20.0, 22.0, 30.0, 40.0, 8.0, 8.0, 10.0, 12.0, 14.0].iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(())
    })()
    .map_err(|e| xlsx_error(e, lang))?;
    let bytes = wb.save_to_buffer().map_err(|e| xlsx_error(e, lang))?;
    Ok(xlsx_response(bytes, lang.pick("系统台账.xlsx", "system-inventory.xlsx")))
}

/// Export the shared-capability catalog (same search as the list) to Excel, in the import columns.
#[utoipa::path(get, path = "/api/v1/capabilities/export.xlsx", tag = "inventory", params(super::inventory::CapabilityListParams),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 403, body = crate::error::ErrorBody)))]
pub async fn capabilities(
    State(st): State<AppState>,
    auth: ApiAuth,
    ApiQuery(mut p): ApiQuery<super::inventory::CapabilityListParams>,
) -> Result<Response, AppError> {
    use tongchou_domain::import::{Col, ImportKind};
    let lang = auth.lang;
    p.page = Some(1);
    p.page_size = Some(200);
    let mut q = p.to_query(lang)?;
    q.page_size = MAX_ROWS;
    let page = st.store.list_capabilities(auth.actor(), &q).await.map_err(|e| AppError::from_store(e, lang))?;
    let full = st.store.capabilities_by_code().await.map_err(|e| AppError::from_store(e, lang))?;
    let codes: std::collections::HashMap<i64, String> =
        st.store.systems_by_code().await.map_err(|e| AppError::from_store(e, lang))?.into_iter().map(|(code, e)| (e.id, code)).collect();
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    (|| -> Result<(), XlsxError> {
        let ws = wb.add_worksheet();
        ws.set_name(lang.pick("共性服务能力", "Capabilities"))?;
        for (c, col) in Col::template(ImportKind::Capabilities).iter().enumerate() {
            ws.write_string_with_format(0, c as u16, col.label(lang), &bold)?;
        }
        for (i, c) in page.items.iter().enumerate() {
            let r = i as u32 + 1;
            let systems = full
                .get(&c.code)
                .map(|e| e.input.system_ids.iter().filter_map(|id| codes.get(id).cloned()).collect::<Vec<_>>().join("；"))
                .unwrap_or_default();
            ws.write_string(r, 0, &c.code)?;
            ws.write_string(r, 1, &c.name)?;
            ws.write_string(r, 2, &c.description)?;
            ws.write_string(r, 3, &c.provider)?;
            ws.write_string(r, 4, &c.access_method)?;
            ws.write_string(r, 5, if c.active { lang.pick("是", "yes") } else { lang.pick("否", "no") })?;
            ws.write_string(r, 6, &systems)?;
        }
        for (c, w) in [14.0, 26.0, 40.0, 18.0, 18.0, 8.0, 40.0].iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(())
    })()
    .map_err(|e| xlsx_error(e, lang))?;
    let bytes = wb.save_to_buffer().map_err(|e| xlsx_error(e, lang))?;
    Ok(xlsx_response(bytes, lang.pick("共性服务能力清单.xlsx", "shared-capabilities.xlsx")))
}
