"""Fourth labelled set (check4/), written at the start of round 4 BEFORE any round-4 change and
kept out of tuning: it is only run to measure. Same labelling rules as devset.py/check3set.py
(tags after "@", several joined with "+"; a shared tag = true overlap; housekeeping and modules
with no counterpart are untagged; "name::description" becomes {"name","description"}).

Deliberately different in style from dev/check2/check3: a western 地级市 (黔川市) with 县区 systems
(安宁县, 高坪县, 云岭区) that rebuild what the city already has; long sentence-like module names
("建设全市统一的政务服务网办平台，实现事项网上申报"); local abbreviations (网办, 综治, 综窗, 地灾,
公租房 vs 公共租赁住房, 防返贫, 慢特病); many near misses that share the business object but not the
action (公租房申请 / 退出, 商品房预售许可 / 预售资金监管, 交通违法处理 / 统计, 家庭医生签约 / 履约考核,
取水许可 / 取水计量, 矛盾纠纷调处 / 统计分析); traditional characters and full-width Latin
(區政務服務網辦平台, ＡＰＰ＋短信消息通知, 身份認證(ＳＳＯ)).
Run `python3 check4set.py` to regenerate check4/*.jsonl.
"""
import json, os, sys

SYSTEMS = [
("Q01","市大数据发展管理局","黔川市数字政府公共支撑平台","全市政务应用共用的身份认证、证照、签章、缴款、消息与数据共享能力",
 ["统一身份认证与单点登录@sso","电子证照共享应用@cert","电子签章@esign","非税收入统一缴款::执收单位开票、缴款人网上缴款、银行对账@pay",
  "短信消息统一发送@sms","政务数据共享交换@exchange","数据资源目录管理@catalog","系统运维管理"]),
("Q02","市政务服务中心","黔川市政务服务网上办事大厅","全市政务服务事项网上办理",
 ["网上办事大厅::企业和群众在线申报办理政务服务事项@portal","综合窗口收件受理@window","政务服务好差评@eval","办件进度查询@progress",
  "预约办事@appoint","排队叫号@queue","证照邮寄送达@post","帮办代办@helpdesk","用户管理"]),
("Q03","市委政法委","黔川市综合治理信息系统","综治中心网格化服务管理与平安建设",
 ["综治网格事件采集上报@grid.report","矛盾纠纷排查调处@mediate","重点人员服务管理@key.person","综治视联网::综治中心视频监控资源联网调阅@video",
  "平安建设考评@pingan.assess","网格员考核@grid.assess","统计报表"]),
("Q04","安宁县委政法委","安宁县社会治理综合服务平台","县乡村三级社会治理(供应商繁体界面录入)",
 ["網格事件上報與處置@grid.report","矛盾糾紛多元化解@mediate","特殊人群管理@key.person","縣級視頻監控聯網@video","系統設置"]),
("Q05","市人力资源和社会保障局","黔川市人社一体化经办系统","社保、就业、人才、劳动关系经办",
 ["城乡居民养老保险参保登记@si.reg","养老保险待遇资格认证@si.qualify","社保缴费::参保人网上缴纳社会保险费@pay","社会保障卡服务@sicard",
  "就业登记@employ.reg","职业技能培训补贴申领@train.subsidy","劳动人事争议仲裁@arbitration","劳动保障监察投诉@labor.complaint","权限管理"]),
("Q06","市医疗保障局","黔川市医疗保障信息平台","国家医保信息平台地方部署",
 ["医保参保登记@mi.reg","异地就医备案@mi.offsite","门诊慢特病认定@mi.chronic","医保基金智能监控@mi.fund","医保待遇结算@mi.settle",
  "医保电子凭证@mi.ecard"]),
("Q07","市住房和城乡建设局","黔川市住房保障和房产管理系统","住房保障与商品房交易管理",
 ["公租房申请审核@rent.apply","公租房租金收缴@rent.pay+pay","公租房配租@rent.allot","商品房预售许可@presale","商品房网签备案@contract.file",
  "物业服务企业信用评价@property.credit","房屋安全鉴定@house.safety"]),
("Q08","市自然资源局","黔川市不动产登记信息管理平台","不动产统一登记",
 ["不动产首次登记@bdc.first","不动产抵押登记@bdc.mortgage","不动产登记信息查询@bdc.query","不动产权籍调查@bdc.survey",
  "耕地保护动态监测@farmland.monitor","日志管理"]),
("Q09","市市场监督管理局","黔川市市场监管综合平台","登记、许可、监管与消费维权",
 ["企业登记注册@company.reg","食品经营许可@food.license","特种设备安全监管@special.equip","12315消费投诉举报@complaint",
  "产品质量监督抽查@quality.check","市场主体信用信息公示@credit.publicity"]),
("Q10","市农业农村局","黔川市智慧农业服务平台","农业生产、农村改革与农技服务",
 ["农村土地承包经营权确权登记@land.contract","农产品质量安全追溯@agri.trace","高标准农田建设项目管理@farmland.project",
  "动物疫病防控监测@animal.disease","农业补贴发放@agri.subsidy","农技专家在线咨询@agri.consult"]),
("Q11","市乡村振兴局","巩固拓展脱贫攻坚成果监测系统","防止返贫监测与帮扶",
 ["防止返贫动态监测@poverty.monitor","帮扶项目资产管理@aid.asset","易地扶贫搬迁后续扶持@relocation","数据导出"]),
("Q12","高坪县农业农村局","高坪县智慧农业平台","县级农业服务",
 ["農產品質量安全溯源@agri.trace","防返贫监测预警@poverty.monitor","惠农补贴一卡通发放@agri.subsidy"]),
("Q13","市应急管理局","黔川市应急管理综合应用平台","监测预警、指挥救援与安全生产",
 ["自然灾害综合风险监测预警@disaster.warn","森林草原防火监测@forest.fire","地质灾害隐患点监测@geo.hazard","应急值班值守@duty",
  "应急物资管理@emergency.res","安全生产行政执法@safety.enforce"]),
("Q14","市水务局","黔川市水务管理信息系统","水资源、河湖、供水与防汛",
 ["水雨情监测@water.rain","河长制巡河管理@river.patrol","城乡供水水质监测@water.quality","取水许可审批@water.permit","山洪灾害预警@flash.flood"]),
("Q15","市卫生健康委员会","黔川市全民健康信息平台","区域医疗卫生信息互通",
 ["电子健康档案@ehr","预约挂号@register","家庭医生签约服务@family.doctor","远程会诊@tele.consult","基层医疗机构绩效考核@clinic.assess",
  "出生医学证明@birth.cert"]),
("Q16","市教育局","黔川市教育管理服务平台","学籍、招生、资助与校园安全",
 ["学籍管理@school.roll","义务教育招生入学@enroll","学生资助@edu.aid","教师继续教育学分管理@teacher.credit","校园安全视频监控@video"]),
("Q17","市公安局","黔川市公安便民服务系统","户政、交管、出入境便民服务",
 ["户籍业务办理@hukou","居住证申领@residence","交通违法处理@traffic.violation","机动车驾驶人考试预约@drive.exam+appoint","出入境证件办理@exit.entry"]),
("Q18","市交通运输局","黔川市交通运输管理系统","道路运输与公路管理",
 ["道路运输经营许可@trans.license","出租汽车监管@taxi","公路路政管理@road.admin","农村客运班线管理@rural.bus","两客一危车辆监控@danger.vehicle"]),
("Q19","云岭区政务服务中心","云岭区政务服务平台","区级政务服务",
 ["區級政務服務網上辦事大廳@portal","ＡＰＰ消息推送@sms","一窗受理@window","帮办代办服务@helpdesk","政务服务大厅排队叫号@queue","办件评价@eval"]),
("Q20","市人民政府办公室","黔川市协同办公系统","机关公文、督办、会议与值班",
 ["公文流转@oa","督查督办@supervise","会议管理@meeting","政务信息报送@info.report","总值班管理@duty","视频会议@vmeet"]),
("Q21","市信访局","黔川市信访业务系统","信访事项受理、交办与督办",
 ["信访件受理登记@petition","信访事项督办@petition.supervise","领导接访预约@petition.appoint+appoint"]),
("Q22","市12345政务服务便民热线","12345热线平台","热线诉求受理与办理",
 ["热线工单受理@hotline","工单派发@hotline.dispatch","回访评价@revisit","知识库@kb","坐席管理"]),
]

CAPABILITIES = [
("K01","统一身份认证服务","政务人员与群众统一账号、单点登录@sso"),
("K02","电子证照库","证照汇聚、用证核验@cert"),
("K03","电子印章系统","电子印章制作、签章与验章@esign"),
("K04","统一支付平台","政务服务收费、非税缴款、对账@pay"),
("K05","短信服务平台","短信、消息统一下发@sms"),
("K06","地理信息公共服务平台","电子地图、地名地址与空间分析@gis"),
("K07","视频监控资源共享平台","公共视频资源汇聚与共享调阅@video"),
("K08","数据共享交换平台","部门间数据共享交换@exchange"),
("K09","统一预约服务","政务服务、医疗、考试等预约@appoint"),
("K10","视频会议系统","远程视频会议与会商@vmeet"),
("K11","人脸识别认证","刷脸核身与活体检测@face"),
("K12","智能客服","智能问答机器人、语音客服@bot"),
("K13","电子档案","电子文件归档与利用@archive"),
("K14","物流寄递服务","证照材料寄递@post"),
]

APPLICATIONS = [
("P01","市政务服务中心","黔川市政务服务“一网通办”能力提升项目","提升网上办、掌上办、就近办能力",
 ["建设全市统一的政务服务网办平台，实现事项网上申报@portal","线下大厅综合窗口“一窗通办”收件@window",
  "群众通过手机对办事体验进行好评差评@eval","办事预约及现场取号叫号@appoint+queue",
  "办件进度实时查询::申请人通过短信或小程序查询办件到哪一步@progress","证照材料双向免费寄递@post","帮办代办服务@helpdesk",
  "事项办理时限预警"]),
("P02","市委政法委","黔川市综治中心规范化建设项目","综治中心实体化运行",
 ["综治网格化服务管理::网格员通过手机APP采集上报事件@grid.report","矛盾纠纷一站式调处化解@mediate","重点人群动态管控@key.person",
  "综治视联网接入@video","网格员绩效考评@grid.assess","综治工作考评@pingan.assess","矛盾纠纷数据统计分析"]),
("P03","安宁县公安局","安宁县“雪亮工程”二期","县乡村三级公共安全视频监控建设联网应用",
 ["县乡村三级视频监控点位建设与联网@video","人脸抓拍与比对@face","视频会商调度@vmeet","视频图像智能解析"]),
("P04","市人力资源和社会保障局","黔川市智慧人社项目(二期)","人社业务全程网办",
 ["城乡居民养老保险参保登记网办@si.reg","养老待遇领取资格静默认证@si.qualify","社会保险费线上缴纳@pay","电子社保卡申领@sicard",
  "职业技能培训补贴网上申领@train.subsidy","劳动人事争议网上调解仲裁@arbitration","职业技能等级认定","社会保险待遇发放"]),
("P05","市医疗保障局","医保信息化便民服务工程","医保服务掌上办",
 ["医保参保信息登记与变更@mi.reg","跨省异地就医直接结算备案@mi.offsite","门诊慢性病、特殊疾病待遇认定@mi.chronic",
  "医保基金使用智能审核监控@mi.fund","医保电子凭证激活与扫码就医@mi.ecard","医保定点医药机构申请","医保报销费用查询"]),
("P06","市住房和城乡建设局","住房保障数字化管理平台","住房保障全流程线上管理",
 ["公共租赁住房申请受理与资格审核@rent.apply","公租房租金线上缴纳@rent.pay+pay","公租房配租摇号@rent.allot",
  "商品房合同网签备案@contract.file","房屋安全鉴定申请@house.safety","公租房退出管理","商品房预售资金监管"]),
("P07","高坪县乡村振兴局","高坪县乡村振兴数字化平台","县级巩固脱贫成果与产业服务",
 ["防返贫监测对象动态管理@poverty.monitor","扶贫项目资产管理@aid.asset","農產品質量追溯@agri.trace","惠农补贴资金发放@agri.subsidy",
  "农产品电商销售"]),
("P08","市农业农村局","黔川市数字农业农村项目","农业农村数字化",
 ["土地承包经营权确权颁证数据管理@land.contract","动物疫病监测与防控@animal.disease","高标准农田项目建设管理@farmland.project",
  "农技服务专家咨询@agri.consult","农村集体经济组织财务管理"]),
("P09","市应急管理局","黔川市智慧应急一期","监测预警与应急值守",
 ["自然灾害风险监测预警@disaster.warn","森林火险监测预警@forest.fire","地灾隐患点自动化监测@geo.hazard","应急值守@duty",
  "应急物资储备与调拨@emergency.res","安全生产许可证核发"]),
("P10","市水务局","黔川市智慧水务建设项目","水务感知与业务协同",
 ["水雨情自动测报@water.rain","河湖长制巡河APP@river.patrol","农村供水水质在线监测@water.quality","山洪预警发布@flash.flood","取水计量监测",
  "河道采砂许可"]),
("P11","市卫生健康委员会","全民健康信息平台提升工程","便民就医与基层卫生",
 ["居民电子健康档案开放查询@ehr","分时段预约挂号@register","家庭医生签约@family.doctor","远程影像会诊@tele.consult",
  "出生医学证明电子证照@birth.cert+cert","家庭医生履约考核"]),
("P12","市教育局","黔川市教育数字化转型","教育管理与服务数字化",
 ["中小学生学籍信息管理@school.roll","义务教育阶段招生报名@enroll","家庭经济困难学生资助@edu.aid","校园视频监控联网@video",
  "教师资格认定","考试成绩查询"]),
("P13","云岭区政务服务中心","云岭区政务服务综合提升","区级政务服务提质(繁体、全角录入)",
 ["區政務服務網辦平台@portal","ＡＰＰ＋短信消息通知@sms","综窗受理@window","好差評評價@eval","大廳取號叫號@queue","身份認證(ＳＳＯ)@sso"]),
("P14","市公安局","黔川市智慧公安便民服务","公安政务服务网上办",
 ["户籍业务网上办理@hukou","居住证网上申领@residence","交通违法网上处理@traffic.violation","驾驶人考试网上预约@drive.exam+appoint",
  "交通违法数据统计","刷脸认证@face"]),
("P15","市交通运输局","交通运输综合执法与监管平台","交通运输监管数字化",
 ["道路运输经营许可网上审批@trans.license","巡游出租车和网约车监管@taxi","农村客运班线审批@rural.bus","两客一危重点车辆动态监控@danger.vehicle",
  "公路养护工程管理"]),
("P16","市人民政府办公室","黔川市数字机关建设","机关办公数字化",
 ["公文流转与电子签批@oa","重点工作督办@supervise","视频会议系统@vmeet","政务信息报送@info.report","值班值守@duty"]),
("P17","市信访局","黔川市信访信息化提升","信访业务网上办",
 ["网上信访受理@petition","信访事项交办督办@petition.supervise","领导干部接访预约@petition.appoint+appoint","信访数据分析研判"]),
("P18","市12345政务服务便民热线","12345热线智能化升级","热线智能化",
 ["热线工单受理@hotline","工单智能分派@hotline.dispatch","满意度回访@revisit","热线知识库@kb","智能语音客服@bot"]),
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
    write(os.path.join(here, "check4"), SYSTEMS, CAPABILITIES, APPLICATIONS)
