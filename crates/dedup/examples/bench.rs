//! Scale benchmark: generates a realistic corpus of 1,000,000 system modules (many systems
//! re-implementing the same common functions under different names), builds the index, checks
//! single applications (latency) and a planning season (500 applications × 20 modules).
//!
//! `cargo run --release --example bench -- [modules=1000000] [--write crates/dedup/BENCH_NOTES.md]`
use std::time::Instant;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use tongchou_dedup::{ApplicationRecord, Detector, Dictionary, ModuleRecord, SystemRecord};

const COMMON: &[&[&str]] = &[
    &["统一身份认证", "单点登录", "用户登录认证", "统一用户认证", "SSO登录"],
    &["短信通知", "消息推送", "短信提醒", "站内消息", "统一消息"],
    &["GIS地图", "电子地图展示", "地图服务", "地理信息展示", "一张图"],
    &["视频监控", "视频接入", "视频联网", "监控视频调阅", "视频资源共享"],
    &["电子签章", "电子印章", "CA签名", "电子签名"],
    &["在线支付", "统一支付", "非税缴费", "网上缴费"],
    &["数据大屏", "领导驾驶舱", "可视化展示", "大屏展示"],
    &["OCR识别", "文字识别", "证件识别"],
    &["人脸识别", "刷脸认证", "人脸比对"],
    &["电子证照", "证照库", "电子证照调用"],
    &["数据交换", "数据共享交换", "数据对接", "接口服务"],
    &["统计分析", "报表统计", "数据分析", "综合查询"],
    &["系统管理", "用户管理", "权限管理", "日志管理", "参数配置"],
    &["工作流", "流程引擎", "审批流配置"],
    &["智能客服", "智能问答", "在线咨询"],
];
const OBJECTS: &[&str] = &[
    "人口",
    "法人",
    "企业",
    "户籍",
    "社保",
    "医保",
    "公积金",
    "不动产",
    "房屋",
    "车辆",
    "驾驶人",
    "学生",
    "教师",
    "学校",
    "医院",
    "药品",
    "疫苗",
    "食品",
    "特种设备",
    "电梯",
    "燃气",
    "供水",
    "排水",
    "河道",
    "森林",
    "耕地",
    "农产品",
    "养老机构",
    "低保",
    "残疾人",
    "退役军人",
    "婚姻",
    "殡葬",
    "社会组织",
    "志愿者",
    "网格",
    "案件",
    "信访",
    "热线工单",
    "投诉",
    "执法",
    "违建",
    "渣土车",
    "工地",
    "扬尘",
    "污染源",
    "水质",
    "空气质量",
    "危化品",
    "隐患",
    "应急物资",
    "预案",
    "公交",
    "出租车",
    "停车",
    "路况",
    "信号灯",
    "景区",
    "场馆",
    "文物",
    "档案",
    "党员",
    "干部",
    "预算",
    "采购",
    "合同",
    "资产",
    "项目",
    "专家",
    "招投标",
    "信用",
    "税收",
    "统计",
    "普查",
];
const ACTIONS: &[&str] = &[
    "登记",
    "审批",
    "查询",
    "统计",
    "监测",
    "预警",
    "备案",
    "核查",
    "巡查",
    "受理",
    "办理",
    "评价",
    "考核",
    "发放",
    "档案管理",
    "信息采集",
    "数据上报",
    "监管",
    "调度",
    "台账",
    "分析",
    "公示",
];
const NOISE: &[&str] = &["", "", "", "管理", "系统", "模块", "子系统", "平台", "功能", "服务", "(一期)"];

fn module(rng: &mut StdRng) -> String {
    let noise = NOISE.choose(rng).unwrap();
    if rng.gen_bool(0.45) {
        let f = COMMON.choose(rng).unwrap().choose(rng).unwrap();
        if rng.gen_bool(0.3) {
            format!("{}{f}{noise}", OBJECTS.choose(rng).unwrap())
        } else {
            format!("{f}{noise}")
        }
    } else {
        let o = OBJECTS.choose(rng).unwrap();
        let a = ACTIONS.choose(rng).unwrap();
        if rng.gen_bool(0.3) {
            let o2 = OBJECTS.choose(rng).unwrap();
            format!("{o}{o2}{a}{noise}")
        } else {
            format!("{o}{a}{noise}")
        }
    }
}

fn system(rng: &mut StdRng, id: usize, modules: usize, prefix: &str) -> SystemRecord {
    let o = OBJECTS.choose(rng).unwrap();
    SystemRecord {
        id: format!("{prefix}{id:07}"),
        name: format!("{o}综合管理信息系统"),
        department: None,
        description: Some(format!("{o}业务办理、监管与统计分析")),
        modules: (0..modules).map(|_| ModuleRecord::named(module(rng))).collect(),
    }
}

fn vm_hwm_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1).and_then(|k| k.parse::<f64>().ok()))
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// CPU time (user + system) of the whole process in ms, from /proc (10 ms ticks).
fn process_cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = &s[s.rfind(')')? + 2..];
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some((f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?) * 10.0)
        })
        .unwrap_or(f64::NAN)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n_modules: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let write = args.iter().position(|a| a == "--write").and_then(|i| args.get(i + 1).cloned());
    let mut rng = StdRng::seed_from_u64(202_611);
    let t = Instant::now();
    let per_system = 10;
    let systems: Vec<SystemRecord> = (0..n_modules / per_system).map(|i| system(&mut rng, i, per_system, "S")).collect();
    let apps: Vec<ApplicationRecord> = (0..500).map(|i| system(&mut rng, i, 20, "A")).collect();
    let gen_s = t.elapsed().as_secs_f64();
    let rss_before = vm_hwm_mib();

    let t = Instant::now();
    let detector = Detector::new(&Dictionary::builtin());
    let mut b = detector.index_builder();
    for s in systems {
        b.add_system(s);
    }
    for a in &apps {
        b.add_application(a.clone());
    }
    let index = b.build();
    let build_s = t.elapsed().as_secs_f64();
    let stats = index.stats();
    let rss_after = vm_hwm_mib();

    // Latency of one application (20 modules), as the server checks it (its modules in
    // parallel on the rayon pool), and again on a one-thread pool; with the CPU time per
    // application, which a loaded machine does not inflate.
    let latency = |threads: usize| -> (f64, f64, f64, f64) {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool");
        pool.install(|| {
            let cpu0 = process_cpu_ms();
            let mut lat: Vec<f64> = apps
                .iter()
                .take(200)
                .map(|a| {
                    let t = Instant::now();
                    let r = index.check_application(a);
                    std::hint::black_box(r);
                    t.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            let cpu_per_app = (process_cpu_ms() - cpu0) / lat.len() as f64;
            lat.sort_by(f64::total_cmp);
            let p = |q: f64| lat[((lat.len() as f64 - 1.0) * q).round() as usize];
            (p(0.5), p(0.95), lat[lat.len() - 1], cpu_per_app)
        })
    };
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    // CPU time is read from the one-thread run: idle rayon workers spin a little before they
    // sleep, which the process's CPU time counts.
    let (p50, p95, pmax, _) = latency(cores);
    let (s50, s95, smax, cpu_per_app) = latency(1);

    if std::env::var_os("BENCH_LATENCY_ONLY").is_some() {
        println!(
            "build {build_s:.1} s, rss {rss_after:.0} MiB, profiles {}, latency p50/p95/max {p50:.1}/{p95:.1}/{pmax:.1} ms on {cores} threads, \
             {s50:.1}/{s95:.1}/{smax:.1} ms on one, cpu {cpu_per_app:.1} ms/app",
            stats.profiles
        );
        return;
    }
    // Season: 500 applications × 20 modules, all cores (rayon).
    use rayon::prelude::*;
    let t = Instant::now();
    let matches: usize = apps.par_iter().map(|a| index.check_application(a).iter().map(|m| m.candidates.len()).sum::<usize>()).sum();
    let season_s = t.elapsed().as_secs_f64();
    let threads = rayon::current_num_threads();

    let report = format!(
        "# tongchou-dedup benchmark notes\n\n\
         Command: `cargo run --release -p tongchou-dedup --example bench -- {n_modules} --write crates/dedup/BENCH_NOTES.md`\n\n\
         | figure | value | target |\n|---|---|---|\n\
         | corpus | {} system modules + {} application modules ({} distinct texts, {} terms, {} postings) | 1,000,000 modules |\n\
         | corpus generation (not part of the index) | {gen_s:.1} s | |\n\
         | index build (dictionary load + analysis + IDF + postings) | **{build_s:.1} s** | < 60 s |\n\
         | peak RSS (VmHWM) before build / after build | {rss_before:.0} MiB / **{rss_after:.0} MiB** | < 2 GiB |\n\
         | one application of 20 modules, its modules in parallel on {cores} threads (as the server checks it): p50 / p95 / max | {p50:.1} / **{p95:.1}** / {pmax:.1} ms | p95 < 50 ms |\n\
         | the same on one thread: p50 / p95 / max; CPU time per application | {s50:.1} / {s95:.1} / {smax:.1} ms; {cpu_per_app:.1} ms | |\n\
         | season: 500 applications × 20 modules, {threads} threads | **{season_s:.1} s** ({matches} candidates ≥ threshold) | < 60 s on 2 cores |\n\n\
         Machine: {} logical CPUs. Peak RSS includes the generated corpus records held by the benchmark.\n",
        n_modules / per_system * per_system,
        apps.len() * 20,
        stats.profiles,
        stats.terms,
        stats.postings,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
    );
    print!("{report}");
    if let Some(path) = write {
        std::fs::write(&path, &report).expect("write notes");
    }
}
