//! Importing the bureau's spreadsheets (家底) into the inventory and the capability catalog: from a
//! table of text cells (whatever the file format was) to validated inputs and a report, row by row,
//! in words a clerk understands ("第 12 行:等保级别「高」无法识别…"). Pure: the caller gives the
//! departments and the records that already exist.
//!
//! Rules (documented in docs/inventory.md):
//! - Headers are matched by their Chinese names or English aliases (`代码`/`code`/`id`…), ignoring
//!   spaces, case and full-width brackets; unknown columns are ignored and listed as notes.
//! - A code that exists in the database **updates** that record: the columns present in the file
//!   replace the stored values, absent columns keep them (a file with modules replaces the modules).
//! - The same code twice in one file: the later row is rejected, naming the earlier line.
//! - Any rejected row blocks the import: nothing is written until the file is clean.

use crate::application::{choice, FieldError};
use crate::inventory::{self, CapabilityInput, SystemInput, SystemModuleInput};
use crate::{Fen, Lang};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

choice!(
    /// 导入对象
    ImportKind {
        Systems => "systems", "系统台账", "System inventory";
        Capabilities => "capabilities", "共性服务能力", "Shared capabilities";
    }
);

/// Most rows one file may hold.
pub const MAX_ROWS: usize = 50_000;

/// One data row of the file: its line (as the clerk sees it in the file), the cells in header
/// order, and (JSON Lines only) the modules when they came as an array.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    pub line: usize,
    pub cells: Vec<String>,
    pub modules: Option<Vec<SystemModuleInput>>,
}

#[derive(Debug, Clone, Default)]
pub struct RawTable {
    pub headers: Vec<String>,
    pub rows: Vec<RawRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Col {
    Code,
    Name,
    Department,
    Operator,
    Description,
    Modules,
    Status,
    Mlps,
    Hosting,
    GoLive,
    AnnualOmWan,
    AnnualOmFen,
    Provider,
    AccessMethod,
    Active,
    Systems,
}

impl Col {
    /// The template's header (Chinese) and the English alias written beside it in docs.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Col::Code => ("代码", "code"),
            Col::Name => ("名称", "name"),
            Col::Department => ("主管部门", "department"),
            Col::Operator => ("运维单位", "operator"),
            Col::Description => ("描述", "description"),
            Col::Modules => ("模块", "modules"),
            Col::Status => ("状态", "status"),
            Col::Mlps => ("等保级别", "mlps_level"),
            Col::Hosting => ("部署方式", "hosting"),
            Col::GoLive => ("上线日期", "go_live"),
            Col::AnnualOmWan => ("年运维费用(万元)", "annual_om_wan"),
            Col::AnnualOmFen => ("年运维费用(分)", "annual_om_fen"),
            Col::Provider => ("提供单位", "provider"),
            Col::AccessMethod => ("接入方式", "access_method"),
            Col::Active => ("启用", "active"),
            Col::Systems => ("使用系统", "systems"),
        };
        lang.pick(zh, en)
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Col::Code => &["代码", "编号", "编码", "系统代码", "系统编号", "系统编码", "能力代码", "能力编号", "code", "id"],
            Col::Name => &["名称", "系统名称", "能力名称", "name"],
            Col::Department => &["主管部门", "部门", "单位", "主管单位", "建设单位", "所属部门", "所属单位", "department"],
            Col::Operator => &["运维单位", "运维方", "operator"],
            Col::Description => &["描述", "说明", "简介", "系统描述", "能力描述", "系统简介", "description"],
            Col::Modules => &["模块", "功能模块", "模块清单", "modules"],
            Col::Status => &["状态", "系统状态", "运行状态", "status"],
            Col::Mlps => &["等保级别", "等保等级", "等级保护", "等保", "等级保护级别", "mlps_level", "mlps"],
            Col::Hosting => &["部署方式", "部署", "部署位置", "hosting"],
            Col::GoLive => &["上线日期", "上线时间", "go_live"],
            Col::AnnualOmWan => {
                &["年运维费用(万元)", "年运维费(万元)", "运维费用(万元)", "年运维费用", "年运维费", "annual_om_wan", "annual_om"]
            }
            Col::AnnualOmFen => &["annual_om_fen"],
            Col::Provider => &["提供单位", "提供方", "提供部门", "provider"],
            Col::AccessMethod => &["接入方式", "调用方式", "access_method"],
            Col::Active => &["启用", "是否启用", "active"],
            Col::Systems => &["使用系统", "使用的系统", "应用系统", "systems", "system_codes"],
        }
    }

    pub fn for_kind(kind: ImportKind) -> &'static [Col] {
        match kind {
            ImportKind::Systems => &[
                Col::Code,
                Col::Name,
                Col::Department,
                Col::Operator,
                Col::Description,
                Col::Modules,
                Col::Status,
                Col::Mlps,
                Col::Hosting,
                Col::GoLive,
                Col::AnnualOmWan,
                Col::AnnualOmFen,
            ],
            ImportKind::Capabilities => {
                &[Col::Code, Col::Name, Col::Description, Col::Provider, Col::AccessMethod, Col::Active, Col::Systems]
            }
        }
    }

    /// The columns of the downloadable template (the fen twin of O&M cost is for JSON Lines).
    pub fn template(kind: ImportKind) -> Vec<Col> {
        Col::for_kind(kind).iter().copied().filter(|c| *c != Col::AnnualOmFen).collect()
    }
}

fn header_key(h: &str) -> String {
    h.chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .filter(|c| !c.is_whitespace() && *c != '*')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A problem with the file or one of its rows, in both languages (the report is kept and shown
/// later in whichever language the reader uses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportProblem {
    /// The column as the file names it (empty for the whole row or file).
    pub column: String,
    pub zh: String,
    pub en: String,
}

impl ImportProblem {
    fn new(column: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        ImportProblem { column: column.into(), zh: zh.into(), en: en.into() }
    }

    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

choice!(
    /// 导入结果
    RowOutcome {
        New => "new", "新增", "New";
        Update => "update", "更新", "Update";
        Unchanged => "unchanged", "无变化", "Unchanged";
        Rejected => "rejected", "有错误", "Rejected";
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RowReport {
    /// The row's line in the file (the spreadsheet row number; the header is line 1).
    pub line: usize,
    pub code: String,
    pub name: String,
    pub outcome: RowOutcome,
    pub problems: Vec<ImportProblem>,
}

impl RowReport {
    /// "第 12 行:等保级别「高」无法识别…" — each problem with its line.
    pub fn messages(&self, lang: Lang) -> Vec<String> {
        self.problems
            .iter()
            .map(|p| match lang {
                Lang::Zh => format!("第 {} 行:{}", self.line, p.zh),
                Lang::En => format!("Line {}: {}", self.line, p.en),
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
pub struct ImportSummary {
    pub total: usize,
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportReport {
    pub kind: ImportKind,
    pub summary: ImportSummary,
    /// Problems of the whole file (a required column missing, no rows, too many rows).
    pub file_problems: Vec<ImportProblem>,
    /// Things worth knowing that block nothing (columns ignored).
    pub notes: Vec<ImportProblem>,
    pub rows: Vec<RowReport>,
}

impl ImportReport {
    /// May this import be confirmed? Only a clean file with at least one row.
    pub fn ok(&self) -> bool {
        self.file_problems.is_empty() && self.summary.rejected == 0 && self.summary.total > 0
    }
}

/// A department as an import may name it (by code or by name).
#[derive(Debug, Clone)]
pub struct DeptRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// A record that exists, with the version seen when the file was checked.
#[derive(Debug, Clone)]
pub struct Existing<T> {
    pub id: i64,
    pub version: i64,
    pub input: T,
}

/// One validated row, ready to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staged<T> {
    pub line: usize,
    /// (id, version) of the record this row updates.
    pub existing: Option<(i64, i64)>,
    pub input: T,
}

struct Columns {
    by_col: HashMap<Col, usize>,
    headers: Vec<String>,
}

impl Columns {
    fn get<'a>(&self, row: &'a RawRow, c: Col) -> Option<&'a str> {
        self.by_col.get(&c).map(|i| row.cells.get(*i).map(String::as_str).unwrap_or(""))
    }
    fn name(&self, c: Col) -> String {
        self.by_col.get(&c).map(|i| self.headers[*i].clone()).unwrap_or_else(|| c.label(Lang::Zh).to_string())
    }
}

fn map_headers(kind: ImportKind, table: &RawTable, notes: &mut Vec<ImportProblem>, problems: &mut Vec<ImportProblem>) -> Columns {
    let mut by_col = HashMap::new();
    for (i, h) in table.headers.iter().enumerate() {
        let key = header_key(h);
        if key.is_empty() {
            continue;
        }
        match Col::for_kind(kind).iter().find(|c| c.aliases().iter().any(|a| header_key(a) == key)) {
            Some(c) if by_col.contains_key(c) => problems.push(ImportProblem::new(
                h.clone(),
                format!("列「{h}」与前面的列重复(都表示{}),请删除其中一列", c.label(Lang::Zh)),
                format!("Column “{h}” repeats an earlier column ({}); remove one of them", c.label(Lang::En)),
            )),
            Some(c) => {
                by_col.insert(*c, i);
            }
            None => notes.push(ImportProblem::new(
                h.clone(),
                format!("列「{h}」无法识别,已忽略"),
                format!("Column “{h}” is not recognised and was ignored"),
            )),
        }
    }
    if !by_col.contains_key(&Col::Code) {
        problems.push(ImportProblem::new(
            Col::Code.label(Lang::Zh),
            "缺少「代码」列(也可写作 编号 / code / id),无法识别每一行对应哪个记录",
            "The “code” column is missing (also accepted: 代码, 编号, id); rows cannot be matched to records",
        ));
    }
    if table.rows.is_empty() {
        problems.push(ImportProblem::new("", "文件中没有数据行", "The file holds no data rows"));
    }
    if table.rows.len() > MAX_ROWS {
        problems.push(ImportProblem::new(
            "",
            format!("文件有 {} 行,超过单次导入上限 {MAX_ROWS} 行,请拆分后分批导入", table.rows.len()),
            format!("The file has {} rows, over the limit of {MAX_ROWS} per import; split it", table.rows.len()),
        ));
    }
    Columns { by_col, headers: table.headers.clone() }
}

fn required(col: &str) -> ImportProblem {
    ImportProblem::new(col, format!("「{col}」不能为空"), format!("“{col}” must not be empty"))
}

/// A field error of the input, told against the file's column.
fn field_problem(cols: &Columns, e: &FieldError) -> ImportProblem {
    let (col, prefix_zh, prefix_en) = match e.field.as_str() {
        "code" => (Col::Code, String::new(), String::new()),
        "name" => (Col::Name, String::new(), String::new()),
        "department_id" => (Col::Department, String::new(), String::new()),
        "operator" => (Col::Operator, String::new(), String::new()),
        "description" => (Col::Description, String::new(), String::new()),
        "mlps_level" => (Col::Mlps, String::new(), String::new()),
        "go_live" => (Col::GoLive, String::new(), String::new()),
        "annual_om_fen" => {
            (if cols.by_col.contains_key(&Col::AnnualOmFen) { Col::AnnualOmFen } else { Col::AnnualOmWan }, String::new(), String::new())
        }
        "provider" => (Col::Provider, String::new(), String::new()),
        "access_method" => (Col::AccessMethod, String::new(), String::new()),
        "system_ids" => (Col::Systems, String::new(), String::new()),
        f if f.starts_with("modules") => {
            let n = f.strip_prefix("modules[").and_then(|r| r.split(']').next()).and_then(|i| i.parse::<usize>().ok());
            match n {
                Some(n) => (Col::Modules, format!("第 {} 个模块", n + 1), format!("module {}", n + 1)),
                None => (Col::Modules, String::new(), String::new()),
            }
        }
        _ => (Col::Code, String::new(), String::new()),
    };
    let column = cols.name(col);
    ImportProblem::new(
        column.clone(),
        format!("「{column}」{prefix_zh}{}", e.message(Lang::Zh)),
        format!("“{column}” {prefix_en}{}{}", if prefix_en.is_empty() { "" } else { ": " }, e.message(Lang::En)),
    )
}

fn find_department<'a>(depts: &'a [DeptRef], raw: &str) -> Option<&'a DeptRef> {
    let key: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    depts
        .iter()
        .find(|d| d.code.eq_ignore_ascii_case(&key))
        .or_else(|| depts.iter().find(|d| d.name.chars().filter(|c| !c.is_whitespace()).collect::<String>() == key))
}

fn tally(summary: &mut ImportSummary, outcome: RowOutcome) {
    summary.total += 1;
    match outcome {
        RowOutcome::New => summary.new += 1,
        RowOutcome::Update => summary.updated += 1,
        RowOutcome::Unchanged => summary.unchanged += 1,
        RowOutcome::Rejected => summary.rejected += 1,
    }
}

fn is_blank(row: &RawRow) -> bool {
    row.cells.iter().all(|c| c.trim().is_empty()) && row.modules.as_ref().is_none_or(|m| m.is_empty())
}

/// The skeleton every kind of import shares: headers, progress, blank rows, codes (required,
/// once per file), the outcome of each row against the database and the staged inputs.
/// `read_row` turns one row into the kind's input (starting from the existing record when its
/// code is known), pushing the problems it finds; `name_of` names an input in the report.
fn validate_table<I: Clone + PartialEq>(
    kind: ImportKind,
    table: &RawTable,
    existing: &HashMap<String, Existing<I>>,
    progress: &mut dyn FnMut(usize),
    mut read_row: impl FnMut(&Columns, &RawRow, &str, Option<&Existing<I>>, &mut Vec<ImportProblem>) -> I,
    name_of: impl Fn(&I) -> &str,
) -> (ImportReport, Vec<Staged<I>>) {
    let (mut notes, mut file_problems) = (vec![], vec![]);
    let cols = map_headers(kind, table, &mut notes, &mut file_problems);
    let mut summary = ImportSummary::default();
    let mut rows = vec![];
    let mut staged = vec![];
    let mut seen: HashMap<String, usize> = HashMap::new();
    if !file_problems.is_empty() {
        return (ImportReport { kind, summary, file_problems, notes, rows }, staged);
    }
    for (n, row) in table.rows.iter().enumerate() {
        if n % 200 == 0 {
            progress(n);
        }
        if is_blank(row) {
            continue;
        }
        let mut problems = vec![];
        let code = cols.get(row, Col::Code).unwrap_or("").trim().to_string();
        let found = existing.get(&code);
        if code.is_empty() {
            problems.push(required(&cols.name(Col::Code)));
        } else if let Some(first) = seen.get(&code) {
            problems.push(ImportProblem::new(
                cols.name(Col::Code),
                format!("代码「{code}」与第 {first} 行重复,同一文件中每个代码只能出现一次"),
                format!("Code “{code}” repeats line {first}; each code may appear once per file"),
            ));
        } else {
            seen.insert(code.clone(), row.line);
        }
        let input = read_row(&cols, row, &code, found, &mut problems);
        let outcome = if !problems.is_empty() {
            RowOutcome::Rejected
        } else {
            match found {
                None => RowOutcome::New,
                Some(e) if e.input == input => RowOutcome::Unchanged,
                Some(_) => RowOutcome::Update,
            }
        };
        tally(&mut summary, outcome);
        rows.push(RowReport { line: row.line, code: code.clone(), name: name_of(&input).to_string(), outcome, problems });
        if matches!(outcome, RowOutcome::New | RowOutcome::Update) {
            staged.push(Staged { line: row.line, existing: found.map(|e| (e.id, e.version)), input });
        }
    }
    progress(table.rows.len());
    (ImportReport { kind, summary, file_problems, notes, rows }, staged)
}

/// A cell whose value is none of those allowed: what it says and what is expected.
fn unrecognised(cols: &Columns, c: Col, v: &str, expect_zh: &str, expect_en: &str) -> ImportProblem {
    let col = cols.name(c);
    ImportProblem::new(
        col.clone(),
        format!("{col}「{v}」无法识别,应为 {expect_zh}"),
        format!("{col} “{v}” is not recognised; use {expect_en}"),
    )
}

/// Check a table of systems. `progress` is told how many rows are done, now and then.
pub fn validate_systems(
    table: &RawTable,
    departments: &[DeptRef],
    existing: &HashMap<String, Existing<SystemInput>>,
    progress: &mut dyn FnMut(usize),
) -> (ImportReport, Vec<Staged<SystemInput>>) {
    let read_row = |cols: &Columns, row: &RawRow, code: &str, found: Option<&Existing<SystemInput>>, problems: &mut Vec<ImportProblem>| {
        let mut input = found.map(|e| e.input.clone()).unwrap_or_else(|| SystemInput::blank(0));
        input.code = code.to_string();
        let text = |c: Col| cols.get(row, c).map(|s| s.trim().to_string());
        if let Some(v) = text(Col::Name) {
            input.name = v;
        }
        if let Some(v) = text(Col::Operator) {
            input.operator = v;
        }
        if let Some(v) = text(Col::Description) {
            input.description = v;
        }
        match text(Col::Department) {
            Some(v) if !v.is_empty() => match find_department(departments, &v) {
                Some(d) => input.department_id = d.id,
                None => {
                    let col = cols.name(Col::Department);
                    problems.push(ImportProblem::new(
                        col.clone(),
                        format!("{col}「{v}」不存在,请填写系统中已有的单位名称或单位代码"),
                        format!("{col} “{v}” does not exist; use the name or code of a department in tongchou"),
                    ));
                }
            },
            _ if found.is_none() => problems.push(required(&cols.name(Col::Department))),
            _ => {}
        }
        if found.is_none() && input.name.is_empty() {
            problems.push(required(&cols.name(Col::Name)));
        }
        if let Some(v) = text(Col::Status).filter(|v| !v.is_empty()) {
            match inventory::parse_status(&v) {
                Some(s) => input.status = s,
                None => problems.push(unrecognised(
                    cols,
                    Col::Status,
                    &v,
                    "在用、停用 或 淘汰",
                    "in_use (在用), suspended (停用) or retired (淘汰)",
                )),
            }
        }
        if let Some(v) = text(Col::Mlps) {
            match inventory::parse_mlps(&v) {
                Some(l) => input.mlps_level = l,
                None => problems.push(unrecognised(
                    cols,
                    Col::Mlps,
                    &v,
                    "0–5 的数字(0 表示未定级,也可写“三级”)",
                    "a number 0–5 (0 = not graded)",
                )),
            }
        }
        if let Some(v) = text(Col::Hosting).filter(|v| !v.is_empty()) {
            match inventory::parse_hosting(&v) {
                Some(h) => input.hosting = h,
                None => problems.push(unrecognised(
                    cols,
                    Col::Hosting,
                    &v,
                    "政务云、自建机房 或 其他",
                    "gov_cloud (政务云), own_room (自建机房) or other (其他)",
                )),
            }
        }
        if let Some(v) = text(Col::GoLive) {
            if v.is_empty() {
                input.go_live = None;
            } else {
                match inventory::parse_loose_date(&v) {
                    Some(d) => input.go_live = Some(d),
                    None => {
                        let col = cols.name(Col::GoLive);
                        problems.push(ImportProblem::new(
                            col.clone(),
                            format!("{col}「{v}」不是有效日期,请写成 2021-06-30 这样的格式"),
                            format!("{col} “{v}” is not a valid date; write it like 2021-06-30"),
                        ));
                    }
                }
            }
        }
        if let Some(v) = text(Col::AnnualOmWan) {
            let v = v.replace([',', '，'], "");
            match if v.is_empty() { Ok(Fen(0)) } else { Fen::parse_wan(&v) } {
                Ok(f) => input.annual_om_fen = f.0,
                Err(e) => {
                    let col = cols.name(Col::AnnualOmWan);
                    problems.push(ImportProblem::new(
                        col.clone(),
                        format!("{col}「{v}」不是有效金额:{}(单位:万元,如 35.5)", e.message(Lang::Zh)),
                        format!("{col} “{v}” is not a valid amount: {} (in 10k yuan, e.g. 35.5)", e.message(Lang::En)),
                    ));
                }
            }
        }
        if let Some(v) = text(Col::AnnualOmFen).filter(|v| !v.is_empty()) {
            match v.parse::<i64>() {
                Ok(f) => input.annual_om_fen = f,
                Err(_) => {
                    let col = cols.name(Col::AnnualOmFen);
                    problems.push(ImportProblem::new(
                        col.clone(),
                        format!("{col}「{v}」应为整数(单位:分)"),
                        format!("{col} “{v}” must be a whole number of fen"),
                    ));
                }
            }
        }
        if let Some(m) = &row.modules {
            input.modules = m.clone();
        } else if let Some(v) = cols.get(row, Col::Modules) {
            input.modules = inventory::split_modules(v);
        }
        let input = input.normalized();
        if problems.is_empty() {
            problems.extend(input.validate().iter().filter(|e| e.field != "department_id").map(|e| field_problem(cols, e)));
        }
        input
    };
    validate_table(ImportKind::Systems, table, existing, progress, read_row, |i| &i.name)
}

/// Check a table of capabilities. `systems` maps inventory system codes and names to ids.
pub fn validate_capabilities(
    table: &RawTable,
    systems: &HashMap<String, i64>,
    existing: &HashMap<String, Existing<CapabilityInput>>,
    progress: &mut dyn FnMut(usize),
) -> (ImportReport, Vec<Staged<CapabilityInput>>) {
    let read_row =
        |cols: &Columns, row: &RawRow, code: &str, found: Option<&Existing<CapabilityInput>>, problems: &mut Vec<ImportProblem>| {
            let mut input = found.map(|e| e.input.clone()).unwrap_or_else(|| CapabilityInput {
                code: String::new(),
                name: String::new(),
                description: String::new(),
                provider: String::new(),
                access_method: String::new(),
                active: true,
                system_ids: vec![],
            });
            input.code = code.to_string();
            let text = |c: Col| cols.get(row, c).map(|s| s.trim().to_string());
            if let Some(v) = text(Col::Name) {
                input.name = v;
            }
            if let Some(v) = text(Col::Description) {
                input.description = v;
            }
            if let Some(v) = text(Col::Provider) {
                input.provider = v;
            }
            if let Some(v) = text(Col::AccessMethod) {
                input.access_method = v;
            }
            if found.is_none() && input.name.is_empty() {
                problems.push(required(&cols.name(Col::Name)));
            }
            if let Some(v) = text(Col::Active) {
                match inventory::parse_bool(&v) {
                    Some(b) => input.active = b,
                    None => problems.push(unrecognised(cols, Col::Active, &v, "是 或 否", "yes or no")),
                }
            }
            if let Some(v) = text(Col::Systems) {
                let mut ids = vec![];
                for s in v.split(['；', ';', '、', ',', '，', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
                    match systems.get(s) {
                        Some(id) => ids.push(*id),
                        None => {
                            let col = cols.name(Col::Systems);
                            problems.push(ImportProblem::new(
                                col.clone(),
                                format!("{col}中的「{s}」在系统台账中不存在,请填写台账中的系统代码或名称"),
                                format!("“{s}” in {col} is not in the system inventory; use a system code or name from it"),
                            ));
                        }
                    }
                }
                input.system_ids = ids;
            }
            let input = input.normalized();
            if problems.is_empty() {
                problems.extend(input.validate().iter().map(|e| field_problem(cols, e)));
            }
            input
        };
    validate_table(ImportKind::Capabilities, table, existing, progress, read_row, |i| &i.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(headers: &[&str], rows: &[&[&str]]) -> RawTable {
        RawTable {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| RawRow { line: i + 2, cells: r.iter().map(|s| s.to_string()).collect(), modules: None })
                .collect(),
        }
    }

    fn depts() -> Vec<DeptRef> {
        vec![DeptRef { id: 7, code: "JYJ".into(), name: "市教育局".into() }]
    }

    #[test]
    fn each_bad_cell_is_told_with_its_line_and_column() {
        let t = table(
            &["代码", "名称", "主管部门", "等保级别", "模块", "备注"],
            &[
                &["YZ-001", "教育统一认证", "市教育局", "三级", "单点登录；用户管理", "x"],
                &["YZ-002", "招生系统", "jyj", "高", "", ""],
                &["YZ-001", "重复", "市教育局", "2", "", ""],
                &["YZ-003", "卫健系统", "市卫健委", "2", "", ""],
            ],
        );
        let (r, staged) = validate_systems(&t, &depts(), &HashMap::new(), &mut |_| {});
        assert_eq!(r.summary, ImportSummary { total: 4, new: 1, updated: 0, unchanged: 0, rejected: 3 });
        assert!(!r.ok());
        assert_eq!(r.notes[0].column, "备注");
        assert_eq!(staged.len(), 1);
        assert_eq!(staged[0].input.modules.len(), 2);
        assert_eq!(staged[0].input.department_id, 7);
        assert_eq!(r.rows[1].messages(Lang::Zh), vec!["第 3 行:等保级别「高」无法识别,应为 0–5 的数字(0 表示未定级,也可写“三级”)"]);
        assert!(r.rows[2].problems[0].zh.contains("与第 2 行重复"), "{:?}", r.rows[2]);
        assert!(r.rows[3].problems[0].zh.contains("市卫健委"), "{:?}", r.rows[3]);
    }

    #[test]
    fn an_existing_code_updates_only_the_columns_in_the_file() {
        let mut old = SystemInput::blank(7);
        old.code = "YZ-001".into();
        old.name = "旧名称".into();
        old.operator = "运维公司".into();
        old.modules = inventory::split_modules("单点登录");
        let existing = HashMap::from([("YZ-001".to_string(), Existing { id: 5, version: 3, input: old.clone() })]);
        let t = table(&["code", "name"], &[&["YZ-001", "新名称"]]);
        let (r, staged) = validate_systems(&t, &depts(), &existing, &mut |_| {});
        assert!(r.ok());
        assert_eq!(r.summary.updated, 1);
        assert_eq!(staged[0].existing, Some((5, 3)));
        assert_eq!(staged[0].input.operator, "运维公司");
        assert_eq!(staged[0].input.modules, old.modules);
        let t = table(&["code", "name"], &[&["YZ-001", "旧名称"]]);
        let (r, staged) = validate_systems(&t, &depts(), &existing, &mut |_| {});
        assert_eq!((r.summary.unchanged, staged.len()), (1, 0));
    }

    #[test]
    fn a_file_without_codes_is_refused_whole() {
        let t = table(&["名称"], &[&["x"]]);
        let (r, _) = validate_systems(&t, &depts(), &HashMap::new(), &mut |_| {});
        assert!(r.file_problems[0].zh.contains("缺少「代码」列"));
        assert!(!r.ok());
    }

    #[test]
    fn capabilities_name_their_systems() {
        let systems = HashMap::from([("YZ-001".to_string(), 5), ("教育统一认证".to_string(), 5)]);
        let t = table(
            &["代码", "名称", "使用系统"],
            &[&["CAP-1", "统一身份认证平台", "YZ-001；教育统一认证"], &["CAP-2", "电子签章", "YZ-404"]],
        );
        let (r, staged) = validate_capabilities(&t, &systems, &HashMap::new(), &mut |_| {});
        assert_eq!(staged[0].input.system_ids, vec![5]);
        assert_eq!(r.summary.rejected, 1);
        assert!(r.rows[1].problems[0].zh.contains("YZ-404"));
    }
}
