//! The demo city's inventory (云州市系统台账), shared capabilities and policy catalog. The systems
//! re-implement the same common functions under different names in different departments (统一身份
//! 认证 / 单点登录 / 用户中心, 电子地图 / GIS, 短信平台 / 消息推送 …), so that 查重 has something real
//! to find against the demo applications. Everything goes in through the store's own calls, so
//! each record has its audit events.

use crate::Result;
use crate::Store;
use std::collections::HashMap;
use tongchou_domain::application::{Category, ConstructionType};
use tongchou_domain::directory::{DirectoryRuleInput, RuleClass};
use tongchou_domain::inventory::{CapabilityInput, Hosting, SynonymInput, SystemInput, SystemModuleInput, SystemStatus};
use tongchou_domain::Actor;

const ADDR: &str = "127.0.0.1";
const WAN: i64 = 1_000_000;

/// (code, name, department, operator, status, 等保, hosting, go-live, O&M 万元, modules)
type Sys = (&'static str, &'static str, &'static str, &'static str, SystemStatus, i64, Hosting, &'static str, i64, &'static str);

use Hosting::{GovCloud as G, Other as X, OwnRoom as R};
use SystemStatus::{InUse as U, Retired as T, Suspended as P};

const YW: &str = "云数信息运维服务有限公司";
const ZH: &str = "云州智慧城市科技有限公司";
const HX: &str = "华信数字技术有限公司";

pub const SYSTEMS: &[Sys] = &[
    (
        "YZ-DSJ-001",
        "云州市统一身份认证平台",
        "DSJ",
        YW,
        U,
        3,
        G,
        "2019-06-30",
        120,
        "统一身份认证；单点登录；多因子认证；用户管理；权限管理；操作日志",
    ),
    ("YZ-DSJ-002", "政务云管理平台", "DSJ", YW, U, 3, G, "2018-12-20", 260, "资源申请；资源计量计费；虚拟机管理；云资源监控；租户管理"),
    (
        "YZ-DSJ-003",
        "公共数据共享交换平台",
        "DSJ",
        YW,
        U,
        3,
        G,
        "2019-03-15",
        180,
        "数据资源目录；数据共享交换；接口网关；数据质量管理；共享申请审批",
    ),
    ("YZ-DSJ-004", "云州市电子证照库", "DSJZX", YW, U, 3, G, "2020-05-10", 90, "电子证照归集；证照签发；用证授权；证照查验；电子签章"),
    (
        "YZ-DSJ-005",
        "政务服务网(一网通办)",
        "ZWFW",
        ZH,
        U,
        3,
        G,
        "2019-10-01",
        210,
        "网上办事大厅；事项管理；统一受理；办件查询；好差评；统一支付",
    ),
    (
        "YZ-DSJ-006",
        "12345政务服务便民热线系统",
        "ZWFW",
        ZH,
        U,
        2,
        G,
        "2017-08-01",
        150,
        "热线受理；工单派发；知识库；回访评价；热线数据分析",
    ),
    ("YZ-DSJ-007", "城市视频共享平台", "GAJ", HX, U, 3, R, "2018-04-18", 320, "视频资源汇聚；视频调阅；视频智能分析；点位管理；视频转发"),
    (
        "YZ-DSJ-008",
        "地理信息公共服务平台(天地图·云州)",
        "ZRZY",
        HX,
        U,
        2,
        G,
        "2017-11-30",
        80,
        "电子地图服务；地名地址匹配；空间分析服务；地图API；影像服务",
    ),
    ("YZ-DSJ-009", "统一消息平台", "DSJ", YW, U, 2, G, "2020-09-01", 40, "短信发送；消息推送；站内信；消息模板管理"),
    ("YZ-DSJ-010", "统一电子签章系统", "DSJZX", YW, U, 3, G, "2020-12-01", 60, "电子印章制作；电子签章；签章验证；印章授权"),
    ("YZ-DSJ-011", "可视化大屏引擎", "DSJ", ZH, U, 2, G, "2021-06-01", 50, "数据可视化大屏；图表组件库；大屏设计器；数据源接入"),
    ("YZ-DSJ-012", "AI能力中台", "DSJ", ZH, U, 2, G, "2022-03-01", 110, "OCR识别；人脸识别；语音识别；自然语言处理；智能客服"),
    ("YZ-JYJ-001", "教育城域网管理系统", "JYXX", YW, U, 2, R, "2015-09-01", 45, "网络设备监控；流量分析；IP地址管理；故障告警"),
    (
        "YZ-JYJ-002",
        "智慧教育云平台(一期)",
        "JYJ",
        HX,
        U,
        3,
        G,
        "2021-09-01",
        160,
        "教学资源中心；用户中心；在线课堂；家校互动；短信通知；数据统计",
    ),
    ("YZ-JYJ-003", "教育统一认证系统", "JYXX", HX, U, 2, R, "2016-03-01", 30, "单点登录；统一账号管理；教师身份认证；学生身份认证"),
    ("YZ-JYJ-004", "中小学学籍管理系统", "JYJ", HX, U, 3, R, "2014-09-01", 35, "学籍注册；学籍变动；毕业管理；学籍查询统计"),
    ("YZ-JYJ-005", "校园安全监控平台", "JYJ", HX, U, 2, R, "2018-09-01", 70, "校园视频监控；视频巡查；报警联动；GIS地图展示"),
    ("YZ-JYJ-006", "教师管理信息系统", "JYJ", HX, P, 2, R, "2013-05-01", 15, "教师档案；继续教育学时；职称申报；考核管理"),
    (
        "YZ-WJW-001",
        "全民健康信息平台(一期)",
        "WJW",
        ZH,
        U,
        3,
        G,
        "2018-06-01",
        200,
        "电子健康档案；电子病历共享；检查检验结果互认；统一身份认证；数据上报",
    ),
    ("YZ-WJW-002", "预约挂号服务平台", "WJW", ZH, U, 3, G, "2017-03-01", 60, "预约挂号；号源管理；短信提醒；支付结算；用户中心"),
    ("YZ-WJW-003", "基层卫生信息系统", "WJW", ZH, U, 3, R, "2015-10-01", 90, "基层HIS；公共卫生服务；家庭医生签约；绩效考核；移动随访"),
    ("YZ-WJW-004", "卫生健康综合监管系统", "WJW", ZH, U, 2, G, "2020-07-01", 40, "医疗机构监管；执业人员管理；监督执法；GIS地图"),
    ("YZ-WJW-005", "疾控传染病报告系统", "JKZX", ZH, U, 3, R, "2012-04-01", 25, "传染病报告；疫情统计；预警提示；短信平台"),
    ("YZ-WJW-006", "市人民医院HIS系统", "RMYY", HX, U, 3, R, "2011-01-01", 180, "门诊管理；住院管理；药房管理；收费管理；电子病历"),
    (
        "YZ-GAJ-001",
        "雪亮工程视频监控系统",
        "GAJ",
        HX,
        U,
        3,
        R,
        "2017-12-01",
        400,
        "前端点位管理；视频联网；视频结构化解析；人脸识别；车辆识别",
    ),
    ("YZ-GAJ-002", "交通信号控制系统", "JJZD", HX, U, 3, R, "2016-06-01", 120, "信号机控制；配时方案；绿波协调；交通流量检测"),
    ("YZ-GAJ-003", "警务地理信息系统", "GAJ", HX, U, 3, R, "2014-08-01", 60, "警务GIS地图；警力定位；警情标注；轨迹回放"),
    ("YZ-RSJ-001", "社会保险经办系统", "RSJ", ZH, U, 3, R, "2013-01-01", 220, "参保登记；缴费核定；待遇发放；基金财务；统一用户认证"),
    ("YZ-RSJ-002", "就业服务信息系统", "RSJ", ZH, U, 2, G, "2019-05-01", 55, "求职登记；岗位发布；就业补贴申领；职业培训；短信消息推送"),
    (
        "YZ-MZJ-001",
        "养老服务管理系统",
        "MZJ",
        ZH,
        U,
        2,
        G,
        "2020-10-01",
        45,
        "老年人信息管理；居家养老服务；养老机构管理；补贴发放；一键呼叫",
    ),
    ("YZ-MZJ-002", "社会救助管理系统", "MZJ", ZH, U, 3, R, "2016-01-01", 40, "救助申请；家庭经济状况核对；救助金发放；低保审批"),
    ("YZ-MZJ-003", "婚姻登记系统", "MZJ", ZH, U, 2, R, "2012-06-01", 12, "婚姻登记；预约管理；证件打印；电子签名"),
    (
        "YZ-JTJ-001",
        "交通运输综合监测平台",
        "JTJ",
        HX,
        U,
        2,
        G,
        "2019-12-01",
        90,
        "交通运行监测；车辆定位监控；电子地图；视频监控接入；应急调度",
    ),
    ("YZ-JTJ-002", "公交智能调度系统", "JTJ", HX, U, 2, R, "2015-07-01", 65, "车辆调度；智能排班；客流统计；电子站牌"),
    ("YZ-ZRZY-001", "不动产登记信息系统", "ZRZY", HX, U, 3, R, "2016-12-01", 110, "登记受理；审核登簿；缴费；证书打印；电子证照；信息查询"),
    (
        "YZ-ZRZY-002",
        "国土空间规划一张图系统",
        "ZRZY",
        HX,
        U,
        2,
        G,
        "2021-04-01",
        70,
        "规划成果管理；一张图浏览；三维展示；空间分析；实施监督",
    ),
    (
        "YZ-STHJ-001",
        "生态环境监测平台",
        "STHJ",
        ZH,
        U,
        2,
        G,
        "2019-08-01",
        85,
        "空气质量监测；水质监测；污染源在线监控；预警预报；数据大屏展示",
    ),
    ("YZ-STHJ-002", "排污许可管理系统", "STHJ", ZH, U, 2, R, "2017-02-01", 20, "许可申请；审批；执行报告；证后监管"),
    ("YZ-SCJG-001", "市场主体登记系统", "SCJG", HX, U, 3, R, "2014-03-01", 70, "企业登记；个体户登记；电子营业执照；年报公示"),
    ("YZ-SCJG-002", "食品安全追溯平台", "SCJG", HX, U, 2, G, "2020-11-01", 35, "追溯码管理；信息采集；公众查询；风险预警；企业用户中心"),
    (
        "YZ-YJJ-001",
        "应急指挥调度系统",
        "YJJ",
        ZH,
        U,
        3,
        R,
        "2016-09-01",
        130,
        "应急值守；指挥调度；视频会商；GIS地图；应急资源管理；短信群发",
    ),
    ("YZ-YJJ-002", "安全生产监管系统", "YJJ", ZH, U, 2, G, "2018-05-01", 50, "企业档案；隐患排查；执法检查；风险分级"),
    ("YZ-ZJJ-001", "建筑工地扬尘监测系统", "ZJJ", ZH, U, 2, X, "2019-04-01", 30, "扬尘监测；噪声监测；视频监控；超标报警；短信提醒"),
    ("YZ-ZJJ-002", "房屋交易管理系统", "ZJJ", ZH, U, 3, R, "2013-08-01", 60, "合同网签；资金监管；交易备案；统一身份认证"),
    ("YZ-WLJ-001", "智慧旅游服务平台", "WLJ", ZH, U, 2, G, "2020-04-01", 50, "景区门户；在线预约；电子导览；客流监测；投诉建议"),
    ("YZ-WLJ-002", "公共文化服务云", "WLJ", ZH, U, 2, G, "2019-01-01", 30, "数字资源库；场馆预约；活动发布；用户中心"),
    ("YZ-CZJ-001", "预算管理一体化系统", "CZJ", HX, U, 3, R, "2021-01-01", 150, "项目库管理；预算编制；指标管理；国库集中支付；决算"),
    ("YZ-SJJ-001", "审计数据分析系统", "SJJ", HX, U, 3, R, "2018-10-01", 40, "数据采集；分析模型；疑点核查；数据可视化"),
    ("YZ-LJQ-001", "临江区网格化管理系统", "LJQ", ZH, U, 2, G, "2018-03-01", 45, "网格管理；事件上报；事件流转；电子地图；考核评价"),
    ("YZ-LJQ-002", "临江区政务办公系统(旧)", "LJQ", ZH, T, 1, R, "2010-05-01", 0, "公文流转；会议管理；通知公告；用户登录"),
    ("YZ-QSQ-001", "青山区智慧社区平台", "QSQ", ZH, U, 2, G, "2021-07-01", 35, "社区服务；物业管理；居民议事；GIS地图；短信通知"),
    ("YZ-YXX-001", "云溪县农业信息服务系统", "YXX", ZH, P, 1, R, "2014-11-01", 10, "农业生产监测；农产品信息发布；农技服务"),
];

/// (code, name, description, provider, access method, systems that use it)
/// (code, name, description, provider, access method, systems that use it)
type DemoCapability = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static [&'static str]);

const CAPABILITIES: &[DemoCapability] = &[
    (
        "CAP-IAM",
        "统一身份认证平台",
        "全市统一的自然人、法人和公务人员身份认证、单点登录和多因子认证服务",
        "市大数据局",
        "OAuth2 / SAML 单点登录接口",
        &["YZ-DSJ-001", "YZ-DSJ-005", "YZ-WJW-001"],
    ),
    (
        "CAP-LICENSE",
        "电子证照库",
        "电子证照归集、签发、用证授权和查验服务",
        "市大数据中心",
        "证照调用接口",
        &["YZ-DSJ-004", "YZ-DSJ-005", "YZ-ZRZY-001"],
    ),
    ("CAP-SEAL", "电子签章", "统一电子印章制作、签章和验章服务", "市大数据中心", "签章 SDK / 接口", &["YZ-DSJ-010", "YZ-DSJ-004"]),
    ("CAP-PAY", "统一支付平台", "非税收入和政务服务缴费的统一支付与对账", "市财政局", "支付网关接口", &["YZ-DSJ-005"]),
    (
        "CAP-GIS",
        "地理信息公共服务平台",
        "电子地图、地名地址匹配、空间分析等地图服务",
        "市自然资源和规划局",
        "地图 API / 瓦片服务",
        &["YZ-DSJ-008", "YZ-ZRZY-002"],
    ),
    (
        "CAP-VIDEO",
        "视频共享平台",
        "公安、交通、城管等视频资源统一汇聚和按权限调阅",
        "市公安局",
        "国标 GB/T 28181 级联 / 调阅接口",
        &["YZ-DSJ-007", "YZ-GAJ-001"],
    ),
    (
        "CAP-EXCHANGE",
        "数据共享交换平台",
        "跨部门数据目录、共享申请和库表/接口/文件交换",
        "市大数据局",
        "接口网关 / 前置机",
        &["YZ-DSJ-003"],
    ),
    ("CAP-MSG", "统一消息平台", "短信、APP 推送、站内信的统一发送和模板管理", "市大数据局", "消息接口", &["YZ-DSJ-009"]),
    ("CAP-CLOUD", "政务云", "计算、存储、网络和云安全资源按需分配", "市大数据局", "云管平台自助申请", &["YZ-DSJ-002"]),
    ("CAP-VIS", "可视化引擎", "大屏和驾驶舱的可视化组件与设计器", "市大数据局", "页面嵌入 / 组件库", &["YZ-DSJ-011"]),
    ("CAP-AI", "AI 能力平台", "OCR、人脸识别、语音识别、自然语言处理等通用 AI 能力", "市大数据局", "API 调用", &["YZ-DSJ-012"]),
    ("CAP-HOTLINE", "12345 热线工单", "群众诉求统一受理、派单和回访", "市政务服务中心", "工单接口", &["YZ-DSJ-006"]),
];

fn rule(
    class: RuleClass,
    title: &str,
    description: &str,
    keywords: &[&str],
    categories: &[Category],
    types: &[ConstructionType],
) -> DirectoryRuleInput {
    DirectoryRuleInput {
        class,
        title: title.into(),
        description: description.into(),
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
        categories: categories.to_vec(),
        construction_types: types.to_vec(),
        active: true,
    }
}

fn rules() -> Vec<DirectoryRuleInput> {
    use ConstructionType::{New, Upgrade};
    use RuleClass::{Forbidden, Priority, Retire};
    vec![
        rule(
            Forbidden,
            "禁止新建独立的统一身份认证/单点登录系统",
            "全市已建统一身份认证平台(CAP-IAM),各部门系统应直接对接,不得另建用户认证体系。",
            &["统一身份认证", "单点登录", "统一认证", "用户中心", "统一用户"],
            &[],
            &[New],
        ),
        rule(
            Forbidden,
            "禁止自建机房",
            "新建系统一律部署在政务云,不得新建或扩建部门机房。",
            &["自建机房", "新建机房", "机房建设", "机房改造"],
            &[],
            &[],
        ),
        rule(
            Forbidden,
            "禁止另建视频共享平台",
            "视频资源统一接入市视频共享平台(CAP-VIDEO),部门只建前端点位与业务应用。",
            &["视频共享平台", "视频汇聚平台", "视频联网平台"],
            &[],
            &[New],
        ),
        rule(
            Forbidden,
            "禁止重复建设短信/消息平台",
            "短信与消息推送统一使用市统一消息平台(CAP-MSG)。",
            &["短信平台", "消息平台", "短信群发"],
            &[],
            &[New],
        ),
        rule(
            Priority,
            "民生服务与“一网通办”优先",
            "面向群众和企业的高频办事、“一件事一次办”、适老化服务优先安排。",
            &["一网通办", "一件事", "便民服务", "养老服务", "就业服务", "社会救助"],
            &[],
            &[],
        ),
        rule(
            Priority,
            "数据共享与基础平台优先",
            "提升数据共享、公共支撑能力的平台类项目优先安排。",
            &["数据共享", "共享交换"],
            &[Category::Data, Category::Platform],
            &[],
        ),
        rule(
            Retire,
            "未上云的孤立系统应整合迁移",
            "部署在部门自建机房、未与共享平台对接的老旧系统,应在升级时迁移上云并整合。",
            &["旧系统", "孤立系统", "单机版", "自建+机房"],
            &[],
            &[Upgrade],
        ),
        rule(
            Retire,
            "部门独立电子地图应切换到公共地图服务",
            "各部门自建的 GIS/电子地图模块应逐步切换到地理信息公共服务平台(CAP-GIS)。",
            &["电子地图", "GIS地图", "地图服务", "一张图"],
            &[],
            &[Upgrade],
        ),
    ]
}

/// Load the inventory, the capability catalog, the policy catalog and a reviewer synonym group.
pub async fn load(sim: &Store, reviewer: &Actor, advance: &(dyn Fn() + Sync)) -> Result<(usize, usize, usize)> {
    let depts: HashMap<String, i64> = sim.departments().await?.into_iter().map(|d| (d.code, d.id)).collect();
    let mut ids: HashMap<&str, i64> = HashMap::new();
    for (code, name, dept, operator, status, mlps, hosting, go_live, om, modules) in SYSTEMS {
        advance();
        let input = SystemInput {
            code: code.to_string(),
            name: name.to_string(),
            department_id: *depts.get(*dept).ok_or_else(|| super::demo::data_error(dept))?,
            operator: operator.to_string(),
            description: format!("{name}，现有在运行信息系统。"),
            status: *status,
            mlps_level: *mlps,
            hosting: *hosting,
            go_live: Some(go_live.to_string()),
            annual_om_fen: om * WAN,
            project_id: None,
            modules: modules.split('；').map(|m| SystemModuleInput { name: m.to_string(), description: String::new() }).collect(),
        };
        ids.insert(code, sim.create_system(reviewer, ADDR, input).await?);
    }
    for (code, name, description, provider, access, systems) in CAPABILITIES {
        advance();
        let input = CapabilityInput {
            code: code.to_string(),
            name: name.to_string(),
            description: description.to_string(),
            provider: provider.to_string(),
            access_method: access.to_string(),
            active: true,
            system_ids: systems.iter().filter_map(|s| ids.get(s).copied()).collect(),
        };
        sim.create_capability(reviewer, ADDR, input).await?;
    }
    let rules = rules();
    for r in &rules {
        advance();
        sim.create_directory_rule(reviewer, ADDR, r.clone()).await?;
    }
    advance();
    sim.create_synonym(
        reviewer,
        ADDR,
        SynonymInput {
            terms: vec!["天地图·云州".into(), "地理信息公共服务平台".into(), "公共地图服务".into()],
            note: "云州市地图平台的别名".into(),
        },
    )
    .await?;
    Ok((SYSTEMS.len(), CAPABILITIES.len(), rules.len()))
}
