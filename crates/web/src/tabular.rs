//! Reading the bureau's files into a table of text cells: Excel (.xlsx, also .xls/.ods through
//! calamine), CSV (UTF-8 with or without BOM, or GBK — the encoding of spreadsheets saved by
//! Chinese Excel — detected and converted) and JSON Lines (the issue's `{"id", "name",
//! "department", "description", "modules": [...]}` with module strings or `{name, description}`).
//! What a row means is decided in `tongchou_domain::import`; this only reads.

use std::io::Cursor;
use tongchou_domain::import::{ImportProblem, RawRow, RawTable};
use tongchou_domain::inventory::SystemModuleInput;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Excel,
    Csv,
    JsonLines,
}

/// The format from the file name, else from the first bytes.
pub fn detect(filename: &str, bytes: &[u8]) -> Option<Format> {
    let ext = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" | "xlsb" => Some(Format::Excel),
        "csv" | "txt" => Some(Format::Csv),
        "jsonl" | "ndjson" | "json" => Some(Format::JsonLines),
        _ if bytes.starts_with(b"PK") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) => Some(Format::Excel),
        _ if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') => Some(Format::JsonLines),
        _ => None,
    }
}

fn problem(zh: impl Into<String>, en: impl Into<String>) -> ImportProblem {
    ImportProblem { column: String::new(), zh: zh.into(), en: en.into() }
}

/// Read `bytes` as a table (header row + data rows with their line numbers).
pub fn read(filename: &str, bytes: &[u8]) -> Result<RawTable, ImportProblem> {
    match detect(filename, bytes) {
        Some(Format::Excel) => read_excel(bytes),
        Some(Format::Csv) => read_csv(bytes),
        Some(Format::JsonLines) => read_jsonl(bytes),
        None => Err(problem(
            "无法识别的文件类型,请上传 Excel(.xlsx)、CSV(.csv)或 JSON Lines(.jsonl)文件",
            "Unrecognised file type: upload Excel (.xlsx), CSV (.csv) or JSON Lines (.jsonl)",
        )),
    }
}

/// An Excel date serial (days since 1899-12-30) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> String {
    let base = time::Date::from_calendar_date(1899, time::Month::December, 30).expect("valid date");
    match base.checked_add(time::Duration::days(serial.floor() as i64)) {
        Some(d) => format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day()),
        None => serial.to_string(),
    }
}

fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(dt) => excel_date(dt.as_f64()),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn read_excel(bytes: &[u8]) -> Result<RawTable, ImportProblem> {
    use calamine::Reader;
    let unreadable = |e: String| {
        problem(
            format!("Excel 文件无法读取(文件可能已损坏或加密):{e}"),
            format!("The Excel file cannot be read (damaged or encrypted?): {e}"),
        )
    };
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| unreadable(e.to_string()))?;
    let range = match wb.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| unreadable(e.to_string()))?,
        None => return Err(problem("Excel 文件中没有工作表", "The Excel file has no worksheet")),
    };
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let mut table = RawTable::default();
    let mut header_found = false;
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        let line = first_row + i + 1;
        if !header_found {
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            table.headers = cells.iter().map(|c| c.trim().to_string()).collect();
            header_found = true;
            continue;
        }
        table.rows.push(RawRow { line, cells, modules: None });
    }
    Ok(table)
}

/// Text of a CSV file: UTF-8 (a BOM is dropped), else GBK/GB18030 when that decodes cleanly.
fn decode(bytes: &[u8]) -> Result<String, ImportProblem> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors {
        return Err(problem(
            "文件编码无法识别:请在 Excel 中“另存为 CSV UTF-8(逗号分隔)”后重新上传",
            "The file's encoding is not recognised: save it as “CSV UTF-8 (comma delimited)” and upload it again",
        ));
    }
    Ok(text.into_owned())
}

fn read_csv(bytes: &[u8]) -> Result<RawTable, ImportProblem> {
    let text = decode(bytes)?;
    // Excel in a Chinese locale may save with semicolons or tabs; take the separator that the
    // header line has most of.
    let header_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |d: u8| header_line.matches(d as char).count();
    let delimiter = [b';', b'\t'].into_iter().fold(b',', |best, d| if count(d) > count(best) { d } else { best });
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut table = RawTable::default();
    let mut header_found = false;
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            problem(format!("CSV 第 {line} 行格式错误(引号不配对?):{e}"), format!("CSV line {line} is malformed (unbalanced quotes?): {e}"))
        })?;
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
        let cells: Vec<String> = rec.iter().map(String::from).collect();
        if !header_found {
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            table.headers = cells.iter().map(|c| c.trim().to_string()).collect();
            header_found = true;
            continue;
        }
        table.rows.push(RawRow { line, cells, modules: None });
    }
    Ok(table)
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        serde_json::Value::Array(a) => a.iter().map(json_text).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

fn read_jsonl(bytes: &[u8]) -> Result<RawTable, ImportProblem> {
    let text = decode(bytes)?;
    let mut table = RawTable::default();
    let mut objects = vec![];
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(raw)
            .map_err(|e| problem(format!("第 {line} 行不是有效的 JSON:{e}"), format!("Line {line} is not valid JSON: {e}")))?;
        let serde_json::Value::Object(map) = v else {
            return Err(problem(format!("第 {line} 行应为一个 JSON 对象 {{…}}"), format!("Line {line} must be a JSON object {{…}}")));
        };
        for k in map.keys() {
            if !table.headers.contains(k) {
                table.headers.push(k.clone());
            }
        }
        objects.push((line, map));
    }
    for (line, map) in objects {
        let mut modules = None;
        let mut cells = vec![];
        for h in &table.headers {
            let v = map.get(h).cloned().unwrap_or(serde_json::Value::Null);
            if h == "modules" {
                if let serde_json::Value::Array(items) = &v {
                    let mut list = vec![];
                    for (j, m) in items.iter().enumerate() {
                        match m {
                            serde_json::Value::String(s) => list.push(SystemModuleInput { name: s.clone(), description: String::new() }),
                            serde_json::Value::Object(o) => list.push(SystemModuleInput {
                                name: o.get("name").map(json_text).unwrap_or_default(),
                                description: o.get("description").map(json_text).unwrap_or_default(),
                            }),
                            _ => {
                                return Err(problem(
                                    format!("第 {line} 行:modules 的第 {} 项应为文字或 {{\"name\", \"description\"}} 对象", j + 1),
                                    format!(
                                        "Line {line}: item {} of modules must be a string or a {{\"name\", \"description\"}} object",
                                        j + 1
                                    ),
                                ))
                            }
                        }
                    }
                    modules = Some(list);
                    cells.push(String::new());
                    continue;
                }
            }
            cells.push(json_text(&v));
        }
        table.rows.push(RawRow { line, cells, modules });
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_csv_is_converted() {
        let (gbk, _, _) = encoding_rs::GBK.encode("代码,名称\nYZ-1,统一身份认证\n");
        let t = read("家底.csv", &gbk).unwrap();
        assert_eq!(t.headers, vec!["代码", "名称"]);
        assert_eq!(t.rows[0].cells, vec!["YZ-1", "统一身份认证"]);
        assert_eq!(t.rows[0].line, 2);
    }

    #[test]
    fn jsonl_modules_may_be_strings_or_objects() {
        let text = "{\"id\":\"S1\",\"name\":\"甲\",\"modules\":[\"单点登录\",{\"name\":\"GIS\",\"description\":\"地图\"}]}\n\n{\"id\":\"S2\",\"name\":\"乙\",\"mlps_level\":3}\n";
        let t = read("x.jsonl", text.as_bytes()).unwrap();
        let mut headers = t.headers.clone();
        headers.sort();
        assert_eq!(headers, vec!["id", "mlps_level", "modules", "name"]);
        assert_eq!(t.rows[0].modules.as_ref().unwrap()[1].description, "地图");
        assert_eq!(t.rows[1].line, 3);
        let mlps = t.headers.iter().position(|h| h == "mlps_level").unwrap();
        assert_eq!(t.rows[1].cells[mlps], "3");
        assert!(read("x.jsonl", b"{\"id\":1}\nnot json\n").unwrap_err().zh.contains("第 2 行"));
    }

    #[test]
    fn excel_serial_dates() {
        assert_eq!(excel_date(44377.0), "2021-06-30");
    }
}
