//! Batch mode (批量查重) behind `tongchou dedup check` and `tongchou dedup pairs`: reads the
//! JSON Lines files of the issue, writes one JSON line per application module. No server, no
//! database.

use std::io::{BufRead, Write};

use rayon::prelude::*;
use serde::Serialize;

use crate::detector::{round4, Detector, DetectorConfig};
use crate::dictionary::Dictionary;
use crate::record::{ApplicationRecord, CapabilityRecord, SourceKind, SystemRecord};

/// What went wrong in a batch run. Every input problem names the file and the 1-based line.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// A line that is not a valid record.
    #[error("{file} 第 {line} 行: {message}")]
    Malformed {
        /// File name as given.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong, in words a clerk understands.
        message: String,
    },
    /// Reading or writing failed.
    #[error("{file}: {source}")]
    Io {
        /// File name ("<输出>" for the output).
        file: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The threshold is not a number in [0, 1].
    #[error("阈值必须在 0 到 1 之间, 收到 {0}")]
    Threshold(f64),
}

/// Summary of a `check` run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Stats {
    /// Systems read.
    pub systems: usize,
    /// System modules read.
    pub system_modules: usize,
    /// Capabilities read.
    pub capabilities: usize,
    /// Applications read.
    pub applications: usize,
    /// Application modules checked (= output lines).
    pub modules: usize,
    /// Application modules with at least one match.
    pub modules_with_matches: usize,
    /// Matches written.
    pub matches: usize,
}

/// Names of the three input files, used in error messages.
#[derive(Debug, Clone)]
pub struct FileNames {
    /// The inventory file.
    pub inventory: String,
    /// The capability catalog file.
    pub capabilities: String,
    /// The applications file.
    pub applications: String,
}

impl Default for FileNames {
    fn default() -> Self {
        FileNames {
            inventory: "systems.jsonl".into(),
            capabilities: "capabilities.jsonl".into(),
            applications: "applications.jsonl".into(),
        }
    }
}

/// Options of [`check_with`].
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Overrides the detector's threshold.
    pub threshold: Option<f64>,
    /// File names for error messages.
    pub names: FileNames,
    /// The detector to use (default: the built-in dictionary and configuration).
    pub detector: Option<Detector>,
}

fn read_jsonl<T: serde::de::DeserializeOwned>(
    mut input: impl BufRead,
    file: &str,
    validate: impl Fn(&T) -> Result<String, String>,
) -> Result<Vec<T>, BatchError> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashMap::new();
    let mut buf = Vec::new();
    let mut line = 0usize;
    loop {
        buf.clear();
        let n = input.read_until(b'\n', &mut buf).map_err(|e| BatchError::Io { file: file.to_owned(), source: e })?;
        if n == 0 {
            break;
        }
        line += 1;
        let malformed = |message: String| BatchError::Malformed { file: file.to_owned(), line, message };
        let text = std::str::from_utf8(&buf)
            .map_err(|_| malformed("不是 UTF-8 编码 (可能是 GBK 导出的表格): 请先另存为 UTF-8 再导入".to_owned()))?;
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text).trim();
        if text.is_empty() {
            continue;
        }
        let rec: T = serde_json::from_str(text).map_err(|e| malformed(format!("不是有效的记录: {e}")))?;
        let id = validate(&rec).map_err(&malformed)?;
        if let Some(first) = seen.insert(id.clone(), line) {
            return Err(malformed(format!("编号 \"{id}\" 与第 {first} 行重复")));
        }
        out.push(rec);
    }
    Ok(out)
}

fn validate_system(r: &SystemRecord) -> Result<String, String> {
    if r.id.trim().is_empty() {
        return Err("编号 (id) 为空".into());
    }
    if r.name.trim().is_empty() {
        return Err(format!("\"{}\" 的名称 (name) 为空", r.id));
    }
    for (i, m) in r.modules.iter().enumerate() {
        if m.name.trim().is_empty() {
            return Err(format!("\"{}\" 的第 {} 个模块名称为空", r.id, i + 1));
        }
    }
    Ok(r.id.clone())
}

fn validate_capability(r: &CapabilityRecord) -> Result<String, String> {
    if r.id.trim().is_empty() {
        return Err("编号 (id) 为空".into());
    }
    if r.name.trim().is_empty() {
        return Err(format!("\"{}\" 的名称 (name) 为空", r.id));
    }
    Ok(r.id.clone())
}

#[derive(Serialize)]
struct OutMatch<'a> {
    kind: SourceKind,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    module: Option<&'a str>,
    score: f64,
    reason: &'a str,
}

#[derive(Serialize)]
struct OutLine<'a> {
    application_id: &'a str,
    module: &'a str,
    matches: Vec<OutMatch<'a>>,
}

/// `tongchou dedup check` with the default file names and the built-in detector: reads the
/// inventory, the capability catalog and the applications (JSON Lines), writes one JSON line per
/// application module in input order with the overlapping candidates (score ≥ threshold, best
/// first; other applications are candidates too, never the application itself). `progress` is
/// called with (applications done, applications total).
pub fn check(
    inventory: impl BufRead,
    capabilities: impl BufRead,
    applications: impl BufRead,
    threshold: Option<f64>,
    out: impl Write,
    progress: impl FnMut(usize, usize),
) -> Result<Stats, BatchError> {
    let opts = CheckOptions { threshold, ..CheckOptions::default() };
    check_with(&opts, inventory, capabilities, applications, out, progress)
}

/// [`check`] with file names for error messages and an optional detector.
pub fn check_with(
    opts: &CheckOptions,
    inventory: impl BufRead,
    capabilities: impl BufRead,
    applications: impl BufRead,
    mut out: impl Write,
    mut progress: impl FnMut(usize, usize),
) -> Result<Stats, BatchError> {
    if let Some(t) = opts.threshold {
        if !(0.0..=1.0).contains(&t) {
            return Err(BatchError::Threshold(t));
        }
    }
    let systems: Vec<SystemRecord> = read_jsonl(inventory, &opts.names.inventory, validate_system)?;
    let caps: Vec<CapabilityRecord> = read_jsonl(capabilities, &opts.names.capabilities, validate_capability)?;
    let apps: Vec<ApplicationRecord> = read_jsonl(applications, &opts.names.applications, validate_system)?;
    let base = match &opts.detector {
        Some(d) => d.clone(),
        None => Detector::new(&Dictionary::builtin()),
    };
    let detector = match opts.threshold {
        Some(t) => base.reconfigured(DetectorConfig { threshold: t, min_score: None, ..base.config().clone() }),
        None => base,
    };
    let threshold = detector.config().threshold;
    let mut stats = Stats {
        systems: systems.len(),
        system_modules: systems.iter().map(|s| s.modules.len()).sum(),
        capabilities: caps.len(),
        applications: apps.len(),
        ..Stats::default()
    };
    let mut builder = detector.index_builder();
    for s in systems {
        builder.add_system(s);
    }
    for c in caps {
        builder.add_capability(c);
    }
    for a in &apps {
        builder.add_application(a.clone());
    }
    let index = builder.build();
    let total = apps.len();
    progress(0, total);
    let io_err = |e: std::io::Error| BatchError::Io { file: "<输出>".into(), source: e };
    let mut done = 0;
    for chunk in apps.chunks(32) {
        let results: Vec<_> = chunk.par_iter().map(|a| index.check_application(a)).collect();
        for (app, modules) in chunk.iter().zip(results) {
            for m in &modules {
                let matches: Vec<OutMatch<'_>> = m
                    .candidates
                    .iter()
                    .filter(|c| c.score >= threshold)
                    .map(|c| OutMatch { kind: c.kind, id: &c.id, module: c.module.as_deref(), score: c.score, reason: &c.reason })
                    .collect();
                stats.modules += 1;
                if !matches.is_empty() {
                    stats.modules_with_matches += 1;
                }
                stats.matches += matches.len();
                let line = OutLine { application_id: &app.id, module: &m.module, matches };
                serde_json::to_writer(&mut out, &line).map_err(|e| io_err(e.into()))?;
                out.write_all(b"\n").map_err(io_err)?;
            }
            done += 1;
        }
        progress(done, total);
    }
    out.flush().map_err(io_err)?;
    Ok(stats)
}

/// `tongchou dedup pairs`: reads `text_a<TAB>text_b[<TAB>anything]` lines and writes one score
/// in [0, 1] per line (four decimals) — the detector's pairwise score, without corpus
/// statistics or context.
pub fn pairs(input: impl BufRead, out: impl Write) -> Result<(), BatchError> {
    pairs_with(&Detector::new(&Dictionary::builtin()), "<stdin>", input, out)
}

/// [`pairs`] with a given detector and input name.
pub fn pairs_with(detector: &Detector, name: &str, mut input: impl BufRead, mut out: impl Write) -> Result<(), BatchError> {
    let io_err = |file: &str, e: std::io::Error| BatchError::Io { file: file.to_owned(), source: e };
    let mut buf = Vec::new();
    let mut line = 0;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf).map_err(|e| io_err(name, e))? == 0 {
            break;
        }
        line += 1;
        let malformed = |message: &str| BatchError::Malformed { file: name.to_owned(), line, message: message.to_owned() };
        let text = std::str::from_utf8(&buf).map_err(|_| malformed("不是 UTF-8 编码"))?;
        let text = text.trim_end_matches(['\n', '\r']);
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let mut fields = text.split('\t');
        let (Some(a), Some(b)) = (fields.next(), fields.next()) else {
            return Err(malformed("需要 text_a<TAB>text_b"));
        };
        let score = round4(detector.similarity(a, b));
        writeln!(out, "{score:.4}").map_err(|e| io_err("<输出>", e))?;
    }
    out.flush().map_err(|e| io_err("<输出>", e))
}
