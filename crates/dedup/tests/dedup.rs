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
    // The second, separately written set (other departments and wording). Its misses were
    // studied by category before dictionary round 3 (so it is no longer fully held out; check3
    // is): this floor guards the level measured after that round (docs/dedup.md, "Quality").
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/check2");
    let e = eval::run(&dir, None);
    let m = &e.module_level;
    eprintln!("check2 set, default threshold: P={:.3} R={:.3} F1={:.3}", m.precision(), m.recall(), m.f1());
    assert!(m.precision() >= 0.92, "precision {:.3}", m.precision());
    assert!(m.f1() >= 0.86, "F1 {:.3}", m.f1());
}

#[test]
fn check3_set_quality_floor() {
    // The third set, written before dictionary round 3 and only measured by round 3; round 4 read
    // its remaining errors by category. 0.919 / 0.898 / 0.908 after round 4 (precision just under
    // the 0.92 target): this floor guards that level.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/check3");
    let e = eval::run(&dir, None);
    let m = &e.module_level;
    eprintln!("check3 set, default threshold: P={:.3} R={:.3} F1={:.3}", m.precision(), m.recall(), m.f1());
    assert!(m.precision() >= 0.90, "precision {:.3}", m.precision());
    assert!(m.f1() >= 0.89, "F1 {:.3}", m.f1());
}

#[test]
fn check4_set_quality_floor() {
    // The fourth set (check4set.py), written at the start of round 4 before any change and only
    // measured: a western city's naming habits. It is far from the target (P 0.868, R 0.640, F1
    // 0.737 at 0.60 after round 4; docs/dedup.md): this floor only guards against regressions.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/check4");
    let e = eval::run(&dir, None);
    let m = &e.module_level;
    eprintln!("check4 set, default threshold: P={:.3} R={:.3} F1={:.3}", m.precision(), m.recall(), m.f1());
    assert!(m.precision() >= 0.85, "precision {:.3}", m.precision());
    assert!(m.f1() >= 0.72, "F1 {:.3}", m.f1());
}

#[test]
fn round5_sets_quality_floors() {
    // Written by other engineers in round 5 without seeing the detector or its dictionary, and
    // measured once each before being read: check5 P 0.484 / F1 0.577 on round 4, check6
    // P 0.578 / F1 0.561 on round 5's first state (docs/dedup.md, "Quality"). Both were then
    // read (and check5/check6 chose which dictionary changes to keep, see docs/dedup.md), so
    // these floors only guard the level reached after round 5.
    // check7 was written at the end of round 5 and measured once, held out: P 0.773 / F1 0.671
    // (round 4: 0.558 / 0.536).
    // check8 was written after that and measured once, held out: P 0.845 / F1 0.678 (round 4:
    // 0.683 / 0.560).
    for (set, p_min, f1_min) in [("check5", 0.80, 0.80), ("check6", 0.74, 0.65), ("check7", 0.75, 0.65), ("check8", 0.82, 0.65)] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(set);
        let e = eval::run(&dir, None);
        let m = &e.module_level;
        eprintln!("{set} set, default threshold: P={:.3} R={:.3} F1={:.3}", m.precision(), m.recall(), m.f1());
        assert!(m.precision() >= p_min, "{set} precision {:.3}", m.precision());
        assert!(m.f1() >= f1_min, "{set} F1 {:.3}", m.f1());
    }
}

#[test]
fn session4_held_out_sets_quality_floors() {
    // Written in session 4 by engineers who saw only labelled.py, measured once and not read:
    // check9 P 0.549 / F1 0.584, check10 P 0.629 / F1 0.599. The floors guard that level; the
    // target (P 0.92, F1 0.90) is not met on them (docs/dedup.md, "Session 4").
    for (set, p_min, f1_min) in [("check9", 0.52, 0.56), ("check10", 0.60, 0.57)] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(set);
        let m = &eval::run(&dir, None).module_level;
        assert!(m.precision() >= p_min && m.f1() >= f1_min, "{set}: P={:.3} F1={:.3}", m.precision(), m.f1());
    }
}

fn detector() -> &'static tongchou_dedup::Detector {
    static D: std::sync::OnceLock<tongchou_dedup::Detector> = std::sync::OnceLock::new();
    D.get_or_init(|| tongchou_dedup::Detector::new(&tongchou_dedup::Dictionary::builtin()))
}

#[track_caller]
fn assert_overlap(a: &str, b: &str, reason_has: &[&str]) {
    let m = detector().compare(a, b);
    assert!(m.overlap, "{a} vs {b}: expected an overlap, got {:.3} ({})", m.score, m.reason);
    for r in reason_has {
        assert!(m.reason.contains(r), "{a} vs {b}: reason {:?} lacks {r:?}", m.reason);
    }
}

#[track_caller]
fn assert_distinct(a: &str, b: &str) {
    let m = detector().compare(a, b);
    assert!(!m.overlap, "{a} vs {b}: expected no overlap, got {:.3} ({})", m.score, m.reason);
}

#[test]
fn synonyms_without_shared_characters_match_and_the_reason_names_them() {
    assert_overlap("单点登录", "统一身份认证", &["同义词", "单点登录"]);
    assert_overlap("统一用户认证中心", "单点登录", &["同义词"]);
    assert_overlap("一网通办", "网上政务服务一体化", &["同义词", "一网通办"]);
    assert_overlap("GIS地图服务", "电子地图展示", &["同义词"]);
}

#[test]
fn abbreviations_and_english_names_match_their_full_forms() {
    assert_overlap("SSO单点登录接入", "统一身份认证平台", &["同义词"]);
    assert_overlap("高企认定", "高新技术企业认定", &["同义词"]);
    assert_overlap("长护险待遇申请", "长期护理保险申请", &["同义词"]);
    assert_overlap("OA协同办公", "公文流转", &["同义词"]);
    assert_overlap("IOC大屏", "领导驾驶舱", &["同义词"]);
}

#[test]
fn unlisted_abbreviations_match_their_long_form_and_the_reason_says_so() {
    // Neither 电证 nor 垃分 is in the dictionary: the abbreviation matcher finds the long form
    // (the first characters of its words, in order) and the reason names it. (电签 is no longer
    // matched since round 5: it abbreviates both 电子签名 and 电子签约, which are different.)
    assert_overlap("电证调用", "电子证照调用", &["简称", "「电证」是「电子证件」的简称"]);
    assert_overlap("垃分督导", "垃圾分类督导", &["简称", "「垃分」是「垃圾分类」的简称"]);
}

#[test]
fn abbreviation_look_alikes_do_not_match() {
    // 管/资/民 start no word of 交易|监管, 农民工|工资, 政务服务|便民|热线; 隐患 is a contiguous
    // piece of 隐患排查治理, i.e. a word, not a short form.
    assert_distinct("交管业务统计", "交易监管");
    assert_distinct("农资监管", "农民工工资监管");
    assert_distinct("政民互动", "政务服务便民热线");
    assert_distinct("隐患上报", "隐患排查治理");
    let m = detector().compare("交管业务统计", "交易监管");
    assert!(!m.reason.contains("简称"), "{}", m.reason);
}

#[test]
fn a_qualifier_of_a_shared_object_is_not_swallowed() {
    // Attendance of enforcement staff is not management of their qualification.
    assert_distinct("执法人员考勤", "执法人员资格管理");
}

#[test]
fn paying_fees_is_the_payment_capability_but_the_contribution_base_is_not() {
    assert_overlap("社保费线上缴纳", "统一公共支付", &["同义词"]);
    assert_distinct("社保缴费基数申报", "统一公共支付");
}

#[test]
fn a_module_naming_two_functions_meets_both() {
    // 预约取号 is booking and queueing.
    assert_overlap("预约取号", "排队叫号", &["同义词"]);
    assert_overlap("婚姻登记预约", "预约取号", &["预约"]);
}

#[test]
fn index_reason_names_an_abbreviation() {
    let d = detector();
    let mut b = d.index_builder();
    b.add_system(tongchou_dedup::SystemRecord {
        id: "S1".into(),
        name: "城管综合平台".into(),
        department: None,
        description: None,
        modules: vec![tongchou_dedup::ModuleRecord::named("垃圾分类督导"), tongchou_dedup::ModuleRecord::named("交易监管")],
    });
    let idx = b.build();
    let app = tongchou_dedup::ApplicationRecord {
        id: "A1".into(),
        name: "街道治理".into(),
        department: None,
        description: None,
        modules: vec![tongchou_dedup::ModuleRecord::named("垃分督导"), tongchou_dedup::ModuleRecord::named("交管业务统计")],
    };
    let r = idx.check_application(&app);
    let top = &r[0].candidates[0];
    assert_eq!(top.module.as_deref(), Some("垃圾分类督导"));
    assert!(top.overlap && top.reason.contains("「垃分」是「垃圾分类」的简称"), "{top:?}");
    assert!(r[1].candidates.iter().all(|c| !c.overlap), "{:?}", r[1]);
}

#[test]
fn common_capabilities_are_recognised_under_everyday_wordings() {
    // Appointments, maps, payment and messaging are built once for the city. (Booking a venue
    // or a meeting room, 预订, is not the citizens' appointment service since round 5.)
    assert_overlap("场馆在线预约", "统一预约中心", &["同义词"]);
    assert_overlap("林地一张图", "地理信息公共服务", &["同义词"]);
    assert_overlap("税费缴纳", "统一公共支付", &["同义词"]);
    assert_overlap("业务提醒短信", "统一消息推送", &["同义词"]);
    assert_overlap("视频资源整合接入", "视频汇聚共享", &["同义词"]);
}

#[test]
fn look_alikes_with_a_different_action_or_object_do_not_match() {
    assert_distinct("人口数据统计", "人口迁移审批");
    assert_distinct("视频会议", "视频监控");
    assert_distinct("公积金提取", "公积金贷款");
    assert_distinct("科技项目验收管理", "科技项目申报");
}

#[test]
fn traditional_and_full_width_forms_match_the_simplified_ones() {
    assert_overlap("統一身份認證", "单点登录", &["同义词"]);
    assert_overlap("ＧＩＳ一張圖", "电子地图展示", &["同义词"]);
    assert_overlap("網格事件上報", "网格事件采集", &["同义词"]);
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

#[test]
fn inserted_words_do_not_hide_the_same_function() {
    // Round 5's sequence view: the shared pieces in order survive words inserted between them.
    assert_overlap("渣土车辆监管", "渣土运输车辆智能监管", &["相同片段"]);
    assert_overlap("欠薪线索预警", "欠薪预警", &["相同片段"]);
    assert_overlap("危险废物产生、转移、处置全过程监管", "危险废物全过程监管", &[]);
    assert_overlap("渔船北斗动态监控", "渔船动态监控", &[]);
}

#[test]
fn a_specialised_or_sibling_name_is_not_the_same_function() {
    // One side narrows the other with a front qualifier, or both add different ones.
    assert_distinct("干部档案管理", "档案管理");
    assert_distinct("高龄补贴发放", "涉农补贴发放");
    assert_distinct("商品房预售许可审批", "商品房预售资金监管");
    assert_distinct("视频点位运维考核", "视频点位运维巡检");
}

fn one_system_index(name: &str, modules: &[&str]) -> tongchou_dedup::Index {
    let mut b = detector().index_builder();
    b.add_system(tongchou_dedup::SystemRecord {
        id: "S1".into(),
        name: name.into(),
        department: None,
        description: None,
        modules: modules.iter().map(|m| tongchou_dedup::ModuleRecord::named(*m)).collect(),
    });
    b.build()
}

fn application(name: &str, modules: &[&str]) -> tongchou_dedup::ApplicationRecord {
    tongchou_dedup::ApplicationRecord {
        id: "A1".into(),
        name: name.into(),
        department: None,
        description: None,
        modules: modules.iter().map(|m| tongchou_dedup::ModuleRecord::named(*m)).collect(),
    }
}

#[test]
fn housekeeping_modules_are_never_duplicates_by_themselves() {
    // Every system has its user, permission, log and backup functions.
    let idx = one_system_index("城市停车综合管理平台", &["用户管理", "权限管理", "数据备份", "泊位管理"]);
    let r = idx.check_application(&application("公积金数字化转型", &["用户管理", "用户权限管理", "数据备份"]));
    for m in &r {
        assert!(m.candidates.iter().all(|c| !c.overlap), "{} should not overlap: {:?}", m.module, m.candidates);
    }
}

#[test]
fn a_module_without_an_object_takes_it_from_its_system_name() {
    // "审核发放" in the minimum-living-allowance system is the allowance's review and payment.
    let idx = one_system_index("城乡低保信息管理系统", &["审核发放", "数据统计"]);
    let r = idx.check_application(&application("民政救助数字化", &["低保金审核发放"]));
    let top = r[0].candidates.first().expect("a candidate");
    assert_eq!(top.module.as_deref(), Some("审核发放"), "{:?}", r[0]);
    assert!(top.overlap && top.reason.contains("所属名称"), "{top:?}");
    assert!(r[0].candidates.iter().filter(|c| c.module.as_deref() == Some("数据统计")).all(|c| !c.overlap), "{:?}", r[0]);
    // The same module in an unrelated system is not that function.
    let other = one_system_index("城市停车综合管理平台", &["审核发放"]);
    let r = other.check_application(&application("民政救助数字化", &["低保金审核发放"]));
    assert!(r[0].candidates.iter().all(|c| !c.overlap), "{:?}", r[0]);
}

#[test]
fn the_index_finds_exactly_what_scoring_every_candidate_finds() {
    // Pruning (bounds, skipped postings, plain vs per-item scores, shared reasons) must not
    // change any result: with a floor of 0 and no shortcuts every touched candidate item is
    // scored and explained with its own context; above the threshold both agree, reasons too.
    for set in ["check3", "check6"] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(set);
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect("set file");
        let parse = |text: String| -> Vec<serde_json::Value> {
            text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
        };
        let build = |cfg: tongchou_dedup::DetectorConfig| {
            let det = tongchou_dedup::Detector::with_config(&tongchou_dedup::Dictionary::builtin(), cfg);
            let mut b = det.index_builder();
            for s in parse(read("systems.jsonl")) {
                b.add_system(serde_json::from_value(s).unwrap());
            }
            for c in parse(read("capabilities.jsonl")) {
                b.add_capability(serde_json::from_value(c).unwrap());
            }
            for a in parse(read("applications.jsonl")) {
                b.add_application(serde_json::from_value(a).unwrap());
            }
            b.build()
        };
        let pruned = build(tongchou_dedup::DetectorConfig::default());
        let everything =
            build(tongchou_dedup::DetectorConfig { min_score: Some(0.0), max_matches: 0, exhaustive: true, ..Default::default() });
        for a in parse(read("applications.jsonl")) {
            let app: tongchou_dedup::ApplicationRecord = serde_json::from_value(a).unwrap();
            for (p, e) in pruned.check_application(&app).iter().zip(everything.check_application(&app)) {
                let key = |c: &tongchou_dedup::Candidate| {
                    (c.kind, c.id.clone(), c.module.clone(), (c.score * 10_000.0).round() as i64, c.reason.clone())
                };
                let got: Vec<_> = p.candidates.iter().map(key).collect();
                let want: Vec<_> = e.candidates.iter().filter(|c| c.overlap).map(key).collect();
                assert_eq!(got, want, "{set} {} / {}", app.id, p.module);
            }
        }
    }
}
