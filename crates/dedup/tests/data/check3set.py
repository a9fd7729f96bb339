"""Third labelled set (check3/), written before the dictionary round 3 and kept out of tuning: it
is only run to measure at the end. Same labelling rules as devset.py (tags after "@", several
joined with "+"; a shared tag = true overlap; housekeeping never tagged).

Differences from dev and check2, on purpose: other cities' naming habits (随申办/好办易办 style
project names, "一张图"/"一屏统览", IOC/IAM/SSO/API/BI/CA/OA), long descriptive module names,
module descriptions (written as "name::description@tags", emitted as {"name","description"}),
traditional characters (雲海區), near misses that share the object but not the function
(食品生产许可 / 食品经营许可, 社会组织登记 / 社会组织年检, 婚姻登记 / 婚姻登记预约,
执法人员资格管理 / 执法人员考勤, 视频会议 / 会议室管理, 人口统计 / 户口迁移审批).
Run `python3 check3set.py` to regenerate check3/*.jsonl.
"""
import json, os, sys

SYSTEMS = [
("U01","市大数据中心","政务共性支撑平台","全市政务应用共用的身份、证照、签章、支付、消息与流程能力",
 ["统一用户认证(SSO)@sso","法人电子证照库@cert","电子印章系统@esign","公共缴费平台@pay","消息通知服务::短信与APP消息下发@sms",
  "统一工作流引擎@workflow","智能表单设计器@form","统一待办中心@todo","系统管理","操作员管理"]),
("U02","市城市运行管理中心","城市运行“一网统管”平台","城市运行态势感知与事件协同处置",
 ["城运态势一屏统览@bigscreen","城市事件协同处置::跨部门事件派单、处置、核查、结案@event.dispatch","物联感知设备统一接入@iot",
  "公共视频汇聚调阅@video","城市部件地图@gis","值班排班管理@duty","城市运行指标体系@city.monitor","数据报表"]),
("U03","市公安局","实有人口管理系统","实有人口、流动人口登记与户政业务",
 ["暂住人口登记@residence","实有人口统计报表@pop.stat","户口迁入迁出审批@hukou.move","居民身份证申领@idcard","人员轨迹研判",
  "人脸比对核验@face","系统管理"]),
("U04","市人力资源和社会保障局","社会保险公共服务系统","社保参保登记、缴费与待遇领取",
 ["参保登记@si.reg","养老保险待遇领取资格认证@si.qualify","社保缴费基数申报@si.base","灵活就业人员参保@si.flex",
  "社会保障卡申领@sicard","社保费缴纳@pay","就业失业登记@employ.reg","用户权限管理"]),
("U05","市医疗保障局","医保经办管理系统","医保参保、待遇与基金监管经办",
 ["职工医保参保登记@mi.reg","门诊慢特病待遇认定@mi.chronic","医疗费用手工报销@mi.reimburse","医保定点医药机构协议管理@mi.org",
  "异地就医备案@mi.offsite","医保基金监管@mi.fund","统计查询"]),
("U06","市住房公积金管理中心","住房公积金综合业务系统","公积金归集、提取、贷款",
 ["单位缴存登记@gjj.deposit","公积金提取@gjj.withdraw","个人住房贷款@gjj.loan","公积金账户查询@gjj.query","贷款逾期催收@gjj.collect",
  "CA数字证书登录@ca","系统管理"]),
("U07","市自然资源和规划局","不动产登记“一窗受理”系统","不动产登记、交易、缴税一窗办理",
 ["不动产抵押登记@bdc.mortgage","不动产转移登记@bdc.transfer","不动产权证书电子证照@cert","登记资料查询::不动产登记簿与档案查询@bdc.query",
  "税费一窗缴纳@pay","权籍调查@bdc.survey","操作日志"]),
("U08","市市场监督管理局","市场监管综合业务平台","登记注册、信用监管、执法办案",
 ["个体工商户登记@company.reg","企业信用风险分类@credit.rate","行政处罚案件办理@mkt.penalty","双随机抽查@random.check",
  "食品生产许可@food.produce","12315投诉举报处理@complaint","企业年度报告公示@company.annual"]),
("U09","市综合行政执法局","城市管理综合执法办案系统","城管领域行政处罚办案",
 ["执法办案@cg.enforce","执法记录仪管理@bodycam","违法建设巡查@illegal.build","执法人员资格管理@enforce.staff","非现场执法@offsite","统计分析"]),
("U10","市信访局","信访信息系统","来信来访、网上信访办理",
 ["来信来访登记@petition","网上信访@petition","信访事项转送交办@petition.assign","信访事项办理满意度评价@petition.eval",
  "信访积案化解","信访统计分析@petition.stat"]),
("U11","市政务服务便民热线中心","12345热线管理系统","热线诉求受理、派单、督办与回访",
 ["热线话务受理@hotline","工单智能派发@hotline.dispatch","诉求办理督办@hotline.supervise","热线知识库@kb","满意度回访@revisit",
  "热线诉求热点分析@hotline.stat","坐席管理"]),
("U12","市政务服务管理办公室","“一网通办”政务服务平台","网上办事与线下大厅综合服务",
 ["网上办事大厅@portal","统一申报受理@window","政务服务事项库@item","好差评@eval","预约取号@appoint+queue","电子证照调用@cert",
  "办件进度查询@progress","证照快递送达@post","政务服务统一搜索@search"]),
("U13","市应急管理局","应急指挥信息系统","突发事件接报与指挥调度",
 ["突发事件接报@emergency.report","应急指挥调度@emergency.dispatch","应急预案数字化@plan","应急救援队伍管理@rescue.team",
  "应急物资储备@emergency.res","视频会商@vmeet","应急一张图@gis"]),
("U14","市卫生健康委员会","区域全民健康信息平台","医疗健康数据互联互通",
 ["电子健康档案调阅@ehr","检验检查结果互认@lab.share","分时段预约诊疗@register","传染病疫情报告@infect.report","核酸检测结果查询",
  "卫生健康统计直报@health.report","数据交换"]),
("U15","市政府办公室","协同办公平台(OA)","机关公文、督办、会议与通讯",
 ["公文收发@oa","督查督办@supervise","会议室预定@meeting.room","政务通讯录@contacts","移动办公@oa","信息报送@info.report"]),
("U16","市交通运输局","交通运输综合监管平台","道路运输与路网运行监管",
 ["两客一危车辆动态监控@danger.vehicle","网约车平台监管@taxi","道路运输证照办理@trans.license","公路养护巡查@road.maintain",
  "交通运行监测@traffic.flow","治超非现场执法@overload"]),
("U17","雲海區人民政府","雲海區基層治理平台","區級網格化服務管理(繁體錄入)",
 ["網格事件采集上報@grid.report","網格員巡查考核@grid.assess","矛盾糾紛多元化解@mediate","特殊人群服務管理@key.person","基層黨建","居民訴求受理"]),
("U18","市司法局","公共法律服务平台","法律援助、调解、公证与律师管理",
 ["法律援助在线申请@legal.aid","人民调解@mediate","公证办理预约@notary+appoint","律师执业管理@lawyer","法治宣传教育@law.edu","12348法律咨询热线@legal.hotline"]),
("U19","市数据资源局","公共数据平台","公共数据归集、治理、共享、开放与基础库",
 ["数据归集@data.collect","数据治理::数据清洗、标准化与质量检查@dqc","数据资源目录@catalog","共享交换@exchange","API网关@api",
  "数据开放门户@open","人口综合库@pop.db","法人综合库@corp.db","自然资源和空间地理基础库@space.db","标准地址库@addr","自助式BI分析@bi"]),
("U20","市民政局","民政综合业务系统","社会救助、福利、婚姻、殡葬与社会组织",
 ["低保申请审核@dibao.approve","特困人员供养@tekun","残疾人两项补贴发放@dis.subsidy","养老服务补贴@elder.subsidy","婚姻登记@marriage.reg",
  "殡葬服务管理@funeral","社会组织年检@npo.annual"]),
("U21","市教育局","教育管理公共服务平台","学籍、招生、培训机构监管与资助",
 ["中小学学籍管理@school.roll","幼儿园入园报名@kinder.enroll","义务教育入学报名@enroll","校外培训机构监管@tutor","学生资助@edu.aid",
  "教师资格认定@teacher.cert"]),
("U22","市委网信办","网络安全运营中心","全市政务网络安全监测与运维",
 ["安全态势感知@secops","日志审计@logaudit","漏洞扫描@vuln","IT资源运维监控@devops","运维堡垒机@bastion"]),
]

CAPABILITIES = [
("C01","统一身份认证平台(IAM)","提供政务人员与市民的统一账号、单点登录SSO、多因子认证@sso"),
("C02","电子证照服务","证照归集、用证、亮证扫码核验@cert"),
("C03","电子印章服务","电子签章、签名验签、印章申领@esign"),
("C04","统一公共支付","非税收入缴款、在线缴费、对账@pay"),
("C05","统一消息推送","短信、APP推送、微信模板消息@sms"),
("C06","时空信息云平台","电子地图、地名地址、空间分析与一张图服务@gis"),
("C07","视频图像汇聚共享平台","公共安全视频接入、调阅、转发@video"),
("C08","物联感知中台","感知设备统一接入与管理@iot"),
("C09","数据共享交换平台","跨部门数据共享与交换@exchange"),
("C10","城市运行可视化组件","驾驶舱、数据大屏、指标看板@bigscreen"),
("C11","人脸识别与OCR能力","刷脸核身、人脸比对、证照OCR识别@face+ocr"),
("C12","统一预约排号","网上预约、现场取号叫号@appoint+queue"),
("C13","视频会议服务","高清视频会议、远程会商@vmeet"),
("C14","统一工作流引擎","流程建模、审批流配置@workflow"),
("C15","电子档案服务","电子文件归档与长期保存@archive"),
("C16","统一搜索服务","政务信息与办事事项全文检索@search"),
]

APPLICATIONS = [
("V01","市城市运行管理中心","城市运行管理服务平台(二期)","一网统管深化",
 ["IOC智能运营中心大屏::汇聚城市运行指标的综合展示@bigscreen",
  "面向各委办局的城市事件统一受理分拨与闭环处置@event.dispatch",
  "物联网设备接入与管理@iot","全域视频资源整合接入@video","城市运行体征监测指标库@city.monitor","值班值守@duty","数字孪生三维场景"]),
("V02","市人力资源和社会保障局","智慧人社服务提升项目","人社服务智能化、移动化",
 ["社保待遇领取资格刷脸认证@si.qualify+face","参保信息登记@si.reg","社会保障卡线上申领@sicard",
  "灵活就业人员参保缴费::灵活就业人员线上参保并缴纳社保费@si.flex+pay","就业困难人员认定","人社政策智能问答::政策咨询机器人@bot"]),
("V03","市住房公积金管理中心","公积金数字化服务平台","公积金业务线上办理",
 ["公积金提取网上办@gjj.withdraw","住房公积金贷款申请::个人购房贷款线上申请与审批@gjj.loan","缴存单位开户登记@gjj.deposit",
  "公积金缴存明细查询@gjj.query","刷脸登录@face","短信验证码与业务提醒@sms"]),
("V04","市自然资源和规划局","不动产登记智能化改造","不动产登记全程网办",
 ["不动产抵押权登记网上办@bdc.mortgage","二手房转移登记@bdc.transfer","不动产登记结果电子证照@cert","不动产档案查询@bdc.query",
  "交易税费一次缴纳@pay","电子签名@esign"]),
("V05","市市场监督管理局","市场监管一网通","市场监管业务整合",
 ["个体户开业登记@company.reg","市场主体信用风险分类监管@credit.rate","行政处罚网上办案@mkt.penalty","“双随机、一公开”监管@random.check",
  "食品经营许可证核发","消费投诉举报@complaint"]),
("V06","市综合行政执法局","城市管理综合执法系统升级","执法办案与取证",
 ["综合执法办案平台@cg.enforce","执法记录仪视音频管理@bodycam","违法建设巡查发现@illegal.build","执法人员考勤","非现场执法取证@offsite"]),
("V07","市信访局","阳光信访系统(三期)","信访业务深化",
 ["网上来信投诉@petition","信访件转送交办@petition.assign","信访人满意度评价@petition.eval","信访数据研判分析@petition.stat",
  "视频接访::信访人远程视频接访@vmeet"]),
("V08","市政务服务管理办公室","政务服务“好办易办”提升工程","政务服务体验提升",
 ["一网通办门户@portal","无差别综合受理@window","办事满意度评价@eval","预约排队叫号@appoint+queue","免证办(电子证照调用)@cert",
  "办件全流程跟踪查询@progress","政务服务事项标准化管理@item","智能搜索::办事事项与政策的智能检索@search"]),
("V09","市应急管理局","智慧应急综合平台","应急管理数字化",
 ["突发事件信息接报@emergency.report","应急联动指挥调度@emergency.dispatch","救援队伍力量管理@rescue.team","应急物资储备管理@emergency.res",
  "数字化应急预案@plan","安全生产风险监测预警"]),
("V10","市卫生健康委员会","卫生健康数字化提升","全民健康信息互通",
 ["居民健康档案浏览@ehr","医学检查检验结果共享互认@lab.share","统一预约挂号平台@register","法定传染病报告卡@infect.report",
  "卫生统计数据直报@health.report","医护人员电子签名@esign"]),
("V11","市政府办公室","数字机关协同平台","机关运行数字化",
 ["电子公文流转@oa","重点工作督查督办@supervise","会议室管理@meeting.room","机关通讯录@contacts","统一待办@todo",
  "视频会议::市区两级视频会议@vmeet","审批流程配置@workflow"]),
("V12","市交通运输局","交通运输数字监管平台","交通运输监管提升",
 ["重点营运车辆动态监控(两客一危)@danger.vehicle","网约车合规监管@taxi","道路运输许可审批@trans.license","公路养护管理@road.maintain",
  "路网运行态势监测@traffic.flow","交通执法案件统计"]),
("V13","雲海區人民政府","雲海區社會治理現代化平台","網格化治理升級",
 ["網格事件上報處置::網格員通過手機上報事件並流轉處置@grid.report","網格員績效考核@grid.assess","矛盾糾紛調處化解@mediate",
  "重點人群管控@key.person","統一身份認證@sso","GIS一張圖@gis","門牌地址管理@addr"]),
("V14","市司法局","智慧法务平台","司法行政业务整合",
 ["法律援助申请办理@legal.aid","人民调解案件登记@mediate","公证在线预约@notary+appoint","律师事务所及律师管理@lawyer",
  "法律咨询智能机器人@bot"]),
("V15","市数据资源局","公共数据治理与开放平台","公共数据全生命周期治理",
 ["多源数据归集汇聚@data.collect","数据质量稽核@dqc","政务数据资源目录编目@catalog","跨部门数据共享交换@exchange","统一API网关@api",
  "公共数据开放@open","人口基础库@pop.db","企业法人库@corp.db"]),
("V16","市民政局","智慧民政(一期)","民政业务数字化",
 ["最低生活保障审批@dibao.approve","特困供养人员管理@tekun","残疾人生活补贴和护理补贴@dis.subsidy","婚姻登记预约@marriage.appoint+appoint",
  "殡葬管理@funeral","社会组织登记@npo.reg"]),
("V17","市委网信办","网络安全能力提升","安全运营体系",
 ["网络安全态势感知平台@secops","日志集中审计@logaudit","运维堡垒机@bastion","资产漏洞扫描@vuln","IT运维监控@devops"]),
("V18","市教育局","招生入学一件事","入学报名一网办",
 ["义务教育阶段入学报名@enroll","幼儿园招生报名@kinder.enroll","学籍信息管理@school.roll","招生结果短信通知@sms","统一身份认证接入@sso"]),
("V19","市公安局","智慧派出所","基层所队业务整合",
 ["人口数据统计@pop.stat","户籍迁移审批@hukou.move","居住证办理@residence","人脸识别核验@face","警情处置"]),
]


def split(m):
    if "@" in m:
        name, tags = m.split("@", 1)
        tags = set(tags.split("+"))
    else:
        name, tags = m, set()
    if "::" in name:
        name, desc = name.split("::", 1)
        return name, desc, tags
    return name, None, tags


def module_json(name, desc):
    return name if desc is None else {"name": name, "description": desc}


def write(out_dir, systems, caps, apps):
    os.makedirs(out_dir, exist_ok=True)
    items = []
    with open(os.path.join(out_dir, "systems.jsonl"), "w") as f:
        for sid, dept, name, desc, mods in systems:
            ms = []
            for m in mods:
                n, d, t = split(m)
                ms.append(module_json(n, d))
                items.append(("system", sid, n, t))
            f.write(json.dumps({"id": sid, "name": name, "department": dept, "description": desc, "modules": ms}, ensure_ascii=False) + "\n")
    with open(os.path.join(out_dir, "capabilities.jsonl"), "w") as f:
        for cid, name, desc in caps:
            d, _, t = split(desc)
            items.append(("capability", cid, None, t))
            f.write(json.dumps({"id": cid, "name": name, "description": d}, ensure_ascii=False) + "\n")
    app_items = []
    with open(os.path.join(out_dir, "applications.jsonl"), "w") as f:
        for aid, dept, name, desc, mods in apps:
            ms = []
            for m in mods:
                n, d, t = split(m)
                ms.append(module_json(n, d))
                app_items.append(("application", aid, n, t))
            f.write(json.dumps({"id": aid, "name": name, "department": dept, "description": desc, "modules": ms}, ensure_ascii=False) + "\n")
    n_true = 0
    with open(os.path.join(out_dir, "truth.jsonl"), "w") as f:
        for kind, aid, mod, tags in app_items:
            truth = []
            for k2, i2, m2, t2 in items + app_items:
                if k2 == "application" and i2 == aid:
                    continue
                if tags & t2:
                    e = {"kind": k2, "id": i2}
                    if m2 is not None:
                        e["module"] = m2
                    truth.append(e)
            n_true += len(truth)
            f.write(json.dumps({"application_id": aid, "module": mod, "overlaps": truth}, ensure_ascii=False) + "\n")
    print(out_dir, len(systems), "systems", sum(len(s[4]) for s in systems), "modules;", len(caps), "capabilities;",
          len(apps), "applications", len(app_items), "modules;", n_true, "true pairs", file=sys.stderr)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    write(os.path.join(here, "check3"), SYSTEMS, CAPABILITIES, APPLICATIONS)
