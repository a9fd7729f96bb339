//! Integration tests of tongchou-dedup: batch formats, errors with locations, and the detector's
//! quality on the committed labelled dev set.
#[path = "support/eval.rs"]
mod eval;

use std::io::Cursor;

use tongchou_dedup::{check, pairs, BatchError};

#[test]
fn dev_set_quality_meets_the_target() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dev");
    let e = eval::run(&dir, None);
    let m = &e.module_level;
    eprintln!("dev set, default threshold: P={:.3} R={:.3} F1={:.3}", m.precision(), m.recall(), m.f1());
    // The issue's target: F1 >= 0.90 with precision >= 0.92.
    assert!(m.precision() >= 0.92, "precision {:.3}", m.precision());
    assert!(m.f1() >= 0.90, "F1 {:.3}", m.f1());
}

#[test]
fn check2_set_quality_floor() {
    // The second, separately written set (other departments and wording; the dictionary was
    // not tuned on it). It does NOT reach the target yet (recall): this floor guards the level
    // measured when it was written (docs/dedup.md, "Quality").
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/check2");
    let e = eval::run(&dir, None);
    let m = &e.module_level;
    eprintln!("check2 set, default threshold: P={:.3} R={:.3} F1={:.3}", m.precision(), m.recall(), m.f1());
    assert!(m.precision() >= 0.90, "precision {:.3}", m.precision());
    assert!(m.f1() >= 0.64, "F1 {:.3}", m.f1());
}

#[test]
fn check_writes_one_line_per_module_in_order_and_never_the_application_itself() {
    let systems = r#"{"id":"S1","name":"统一身份认证平台","modules":["单点登录",{"name":"用户管理"}]}
"#;
    let caps = r#"{"id":"C1","name":"短信平台","description":"统一短信发送"}
"#;
    let apps = r#"{"id":"A1","name":"甲","modules":["统一用户认证中心","消息推送","人口迁移审批"]}
{"id":"A2","name":"乙","modules":["短信通知"]}
"#;
    let mut out = Vec::new();
    let mut calls = Vec::new();
    let stats = check(Cursor::new(systems), Cursor::new(caps), Cursor::new(apps), None, &mut out, |d, t| calls.push((d, t))).unwrap();
    assert_eq!(stats.modules, 4);
    assert_eq!(calls.last(), Some(&(2, 2)));
    let lines: Vec<serde_json::Value> = String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["module"], "统一用户认证中心");
    assert_eq!(lines[0]["matches"][0]["kind"], "system");
    assert_eq!(lines[0]["matches"][0]["module"], "单点登录");
    let m1: Vec<_> = lines[1]["matches"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_owned()).collect();
    assert!(m1.contains(&"C1".to_owned()) && m1.contains(&"A2".to_owned()), "{m1:?}");
    assert!(lines[2]["matches"].as_array().unwrap().is_empty());
    for l in &lines {
        for m in l["matches"].as_array().unwrap() {
            assert_ne!(m["id"], l["application_id"]);
            let s = m["score"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&s));
            assert!(!m["reason"].as_str().unwrap().is_empty());
        }
    }
}

#[test]
fn malformed_lines_name_file_and_line() {
    let bad = "{\"id\":\"S1\",\"name\":\"a\",\"modules\":[]}\n\n{not json}\n";
    let err = check(Cursor::new(bad), Cursor::new(""), Cursor::new(""), None, Vec::new(), |_, _| {}).unwrap_err();
    match err {
        BatchError::Malformed { file, line, .. } => {
            assert_eq!(file, "systems.jsonl");
            assert_eq!(line, 3);
        }
        other => panic!("{other}"),
    }
    let empty_module = "{\"id\":\"A1\",\"name\":\"a\",\"modules\":[\" \"]}\n";
    let err = check(Cursor::new(""), Cursor::new(""), Cursor::new(empty_module), None, Vec::new(), |_, _| {}).unwrap_err();
    assert!(err.to_string().contains("applications.jsonl 第 1 行"), "{err}");
    let dup = "{\"id\":\"C1\",\"name\":\"a\"}\n{\"id\":\"C1\",\"name\":\"b\"}\n";
    let err = check(Cursor::new(""), Cursor::new(dup), Cursor::new(""), None, Vec::new(), |_, _| {}).unwrap_err();
    assert!(err.to_string().contains("第 2 行") && err.to_string().contains("重复"), "{err}");
    let gbk: &[u8] = &[0xC4, 0xE3, 0xBA, 0xC3, b'\n'];
    let err = check(Cursor::new(""), Cursor::new(gbk), Cursor::new(""), None, Vec::new(), |_, _| {}).unwrap_err();
    assert!(err.to_string().contains("UTF-8"), "{err}");
    assert!(check(Cursor::new(""), Cursor::new(""), Cursor::new(""), Some(1.5), Vec::new(), |_, _| {}).is_err());
}

#[test]
fn pairs_prints_one_score_per_line() {
    let input = "单点登录\t统一身份认证\t1\n人口数据统计\t人口迁移审批\n";
    let mut out = Vec::new();
    pairs(Cursor::new(input), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let scores: Vec<f64> = text.lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(scores.len(), 2);
    assert!(scores[0] >= 0.9 && scores[1] < 0.5, "{scores:?}");
    assert!(pairs(Cursor::new("no tab here\n"), Vec::new()).is_err());
}
