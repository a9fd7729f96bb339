//! The binary as an outside auditor or a bureau's batch job runs it: exit codes and outputs.

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_tongchou");

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(BIN).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn vectors(path: &str) -> String {
    format!("{}/../ledger/tests/vectors/{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn check_proof_exit_codes() {
    assert_eq!(run(&["audit", "check-proof", &vectors("inclusion/1/happy-path.json")], "").0, 0);
    let (code, _, err) = run(&["audit", "check-proof", &vectors("inclusion/1/modified-proof[0]-bit-@3.json")], "");
    assert_eq!(code, 1);
    assert!(!err.trim().is_empty(), "the reason is on stderr");
    let dir = std::env::temp_dir().join(format!("tongchou-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"leafIdx\": 1").unwrap();
    assert_eq!(run(&["audit", "check-proof", bad.to_str().unwrap()], "").0, 2);
    std::fs::write(&bad, "{\"treeSize\": 3, \"root\": \"AA==\"}").unwrap();
    assert_eq!(run(&["audit", "check-proof", bad.to_str().unwrap()], "").0, 2, "a required field is missing");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn dedup_pairs_scores_each_line() {
    let (code, out, _) = run(&["dedup", "pairs"], "单点登录\t统一身份认证\n人口数据统计\t人口迁移审批\t备注\n");
    assert_eq!(code, 0);
    let scores: Vec<f64> = out.lines().map(|l| l.trim().parse().unwrap()).collect();
    assert_eq!(scores.len(), 2);
    assert!(scores[0] >= 0.6 && scores[1] < 0.6, "{scores:?}");
}

#[test]
fn dedup_check_writes_one_line_per_module_and_names_bad_lines() {
    let dir = std::env::temp_dir().join(format!("tongchou-dedup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let w = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let systems = w(
        "systems.jsonl",
        "{\"id\":\"S1\",\"name\":\"市统一身份认证平台\",\"department\":\"市大数据局\",\"modules\":[\"单点登录\",\"用户管理\"]}\n",
    );
    let caps = w("capabilities.jsonl", "{\"id\":\"C1\",\"name\":\"电子地图服务\",\"description\":\"GIS 底图与地名地址\"}\n");
    let apps = w(
        "applications.jsonl",
        "{\"id\":\"A1\",\"name\":\"智慧教育平台\",\"department\":\"市教育局\",\"modules\":[\"统一身份认证\",\"GIS地图展示\",\"课堂资源库\"]}\n",
    );
    let (code, out, _) = run(&["dedup", "check", "--inventory", &systems, "--capabilities", &caps, "--applications", &apps], "");
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3, "one line per application module");
    assert_eq!(lines[0]["module"], "统一身份认证");
    assert_eq!(lines[0]["matches"][0]["kind"], "system");
    assert_eq!(lines[0]["matches"][0]["id"], "S1");
    assert!(!lines[0]["matches"][0]["reason"].as_str().unwrap().is_empty());
    assert_eq!(lines[2]["matches"], serde_json::json!([]), "a module with no overlap has an empty list");
    let broken = w("broken.jsonl", "{\"id\":\"A1\",\"name\":\"x\",\"modules\":[\"a\"]}\nnot json\n");
    let (code, _, err) = run(&["dedup", "check", "--inventory", &systems, "--capabilities", &caps, "--applications", &broken], "");
    assert_ne!(code, 0);
    assert!(err.contains("broken.jsonl") && err.contains('2'), "names the file and line: {err}");
    let _ = std::fs::remove_dir_all(dir);
}
