"""Source of the labelled development set (dev/): run `python3 devset.py` to regenerate the JSONL.

Labels: every module carries the hand-assigned *function tags* after "@" (several joined with
"+"). Two modules truly overlap when they share a tag: the same function on the same business
object, or the same common capability (SMS, identity, GIS, ...). Modules without a tag are unique
functions. Housekeeping (系统管理/用户管理/日志) is never tagged: every system keeps its own and a
reviewer does not strip it. The ground truth file lists, per application module, every system
module, capability and other application module sharing a tag.
"""
import json, os, sys

DEPT = {}
SYSTEMS = [
# id, department, name, description, modules
("S001","市大数据局","市统一身份认证平台","全市政务信息系统统一用户认证与单点登录",
 ["单点登录@sso","统一用户管理@sso","实名认证@realname","人脸核验@face","权限管理","接入应用管理","操作日志","统计分析"]),
("S002","市大数据局","政务数据共享交换平台","市级政务数据共享交换与资源目录",
 ["数据交换@exchange","资源目录编制@catalog","前置机管理","数据质量检测@dqc","接口服务管理@api","共享申请审批@share.apply","交换监控","系统管理"]),
("S003","市大数据局","城市运行管理中心(一网统管)","城市运行体征监测与事件联动处置",
 ["城市体征监测@city.monitor","事件联动处置@event.dispatch","视频资源调阅@video","领导驾驶舱@bigscreen","GIS一张图@gis","物联感知接入@iot","预案管理@plan","值班值守@duty"]),
("S004","市大数据局","电子证照库","全市电子证照汇聚、制证与共享用证",
 ["证照目录管理@cert.catalog","电子证照制证@cert.issue","证照共享用证@cert","证照照面信息查询@cert","电子印章管理@esign","证照统计","用证日志"]),
("S005","市政务服务中心","市一体化政务服务平台","一网通办网上办事大厅与综合受理",
 ["网上办事大厅@portal","一窗综合受理@window","事项管理@item","办件查询@progress","好差评@eval","统一预约@appoint","排队叫号@queue","电子材料库@material"]),
("S006","市政务服务中心","12345政务服务便民热线系统","市民诉求受理、派单与回访",
 ["热线受理@hotline","工单派发@hotline.dispatch","知识库@kb","回访管理@revisit","热线数据分析@hotline.stat","坐席监控","短信提醒@sms","录音管理"]),
("S007","市政务服务中心","工程建设项目审批管理系统","工程建设项目审批全流程在线办理",
 ["项目赋码@ep.code","并联审批@ep.approve","联合审图@ep.drawing","多测合一@ep.survey","联合验收@ep.accept","中介服务超市@agency","审批监管@ep.supervise","电子签章@esign"]),
("S008","市公安局","户政管理信息系统","户籍业务办理与人口信息管理",
 ["户口迁移审批@hukou.move","出生登记@birth.reg","户籍信息查询@hukou.query","身份证受理@idcard","人口统计分析@pop.stat","居住证办理@residence","人像比对@face","系统管理"]),
("S009","市公安局","雪亮工程视频联网平台","全市公共视频监控联网共享",
 ["视频联网接入@video","视频资源共享@video","人脸布控@face.control","车辆卡口@plate","视频巡查@video","录像存储","设备运维@devops","权限管理"]),
("S010","市公安局","交通管理综合平台","交通违法、信号控制与路况监测",
 ["交通违法处理@traffic.violation","信号配时优化@signal","路况监测@traffic.flow","停车诱导@parking.guide","事故快处@accident","电子警察@plate","统计分析","GIS地图@gis"]),
("S011","市人社局","人社一体化经办平台","社保、就业、人才业务统一经办",
 ["社保登记@si.reg","养老待遇核定@pension","失业保险金申领@unemploy","就业登记@employ.reg","职业技能培训补贴@skill.subsidy","社保卡业务@sicard","人社电子印章@esign","短信通知@sms"]),
("S012","市人社局","劳动保障监察系统","欠薪治理与劳动监察执法",
 ["欠薪线索受理@wage.clue","农民工工资专户监管@wage.account","劳动监察执法@labor.enforce","用工实名制@labor.realname","信用惩戒@credit.punish","统计报表","移动执法APP@mobile.enforce"]),
("S013","市人社局","劳动人事争议仲裁系统","仲裁案件网上立案与审理",
 ["网上立案@arb.file","案件审理@arb.hear","调解管理@arb.mediate","仲裁文书送达@delivery","电子卷宗@arb.dossier","庭审视频@arb.court"]),
("S014","市卫健委","全民健康信息平台","区域卫生健康信息汇聚与共享",
 ["居民电子健康档案@ehr","电子病历共享@emr","检查检验互认@lab.share","健康卡@healthcard","预约挂号@register","家庭医生签约@gp","卫生统计直报@health.report","数据交换@exchange"]),
("S015","市卫健委","疾病预防控制信息系统","传染病监测与预防接种",
 ["传染病报告@infect.report","预防接种管理@vaccine","疫苗追溯@vaccine.trace","慢病管理@chronic","流调溯源@epi","疫情监测预警@infect.warn","统计分析"]),
("S016","市卫健委","院前急救指挥调度系统","120急救受理与车辆调度",
 ["急救电话受理@ems.call","急救车辆调度@ems.dispatch","车辆定位@ems.gps","电子病历@ems.record","医院对接@ems.hospital","GIS地图@gis"]),
("S017","市教育局","教育综合管理平台","学籍、招生与教育资源",
 ["学籍管理@school.roll","义务教育招生报名@enroll","教师管理@teacher","教育资源公共服务@edu.res","校园安全视频@video","资助管理@edu.aid","统一认证@sso","统计分析"]),
("S018","市教育局","智慧校园安全平台","校园安全监测与食堂监管",
 ["校园视频接入@video","明厨亮灶@kitchen","校车定位@school.bus","安全隐患排查@school.hazard","家校消息通知@sms","门禁考勤"]),
("S019","市民政局","社会救助信息系统","低保、特困与临时救助",
 ["低保审批@dibao.approve","特困供养@tekun","临时救助@temp.aid","家庭经济状况核对@econ.check","救助资金发放@aid.pay","入户调查","统计报表"]),
("S020","市民政局","养老服务综合平台","居家养老与养老机构监管",
 ["养老机构管理@elder.org","居家养老服务@elder.home","高龄津贴发放@elder.subsidy","养老服务评估@elder.assess","呼叫中心@elder.call","智能设备接入@iot","服务评价"]),
("S021","市民政局","婚姻登记管理系统","婚姻登记预约与办理",
 ["婚姻登记预约@marriage.appoint+appoint","结婚登记@marriage.reg","离婚登记@divorce","婚姻档案管理@marriage.archive","电子证照@cert","人脸识别@face"]),
("S022","市民政局","社会组织管理系统","社会组织登记与年检",
 ["社会组织登记@npo.reg","年度检查@npo.annual","社会组织评估@npo.assess","行政处罚@npo.penalty","信息公开@npo.open"]),
("S023","市住建局","房屋交易管理系统","商品房预售、网签备案与资金监管",
 ["商品房预售许可@presale","网签备案@house.contract","存量房交易@house.second","预售资金监管@presale.fund","房屋测绘成果管理@house.survey","统计分析","CA证书@ca"]),
("S024","市住建局","住房保障管理系统","公租房与人才住房",
 ["公租房申请审核@public.house","配租管理@public.house.alloc","租金收缴@public.house.rent","人才住房@talent.house","资格复核@public.house.review","短信通知@sms"]),
("S025","市住建局","建筑工地智慧监管平台","在建工地扬尘、塔吊与实名制",
 ["扬尘监测@dust","塔吊监测@crane","劳务实名制@labor.realname","工地视频监控@video","质量安全巡查@site.inspect","预警管理@site.warn","物联设备接入@iot"]),
("S026","市住建局","燃气安全监管系统","燃气企业与用户安全监管",
 ["燃气用户档案@gas.user","瓶装燃气追溯@gas.trace","燃气泄漏报警@gas.alarm","安全检查@gas.inspect","燃气企业管理@gas.company"]),
("S027","市自然资源和规划局","不动产登记信息系统","不动产登记全业务办理",
 ["登记受理@bdc.accept","权籍调查@bdc.survey","登簿缮证@bdc.cert","不动产登记信息查询@bdc.query","电子证照@cert","不动产登记簿@bdc.book","缴税缴费@pay","统计分析"]),
("S028","市自然资源和规划局","国土空间基础信息平台","国土空间规划一张图与审批",
 ["规划一张图@plan.map","用地审批@land.approve","耕地保护监测@farmland","地理信息服务@gis","三维实景@3d","规划实施监督@plan.monitor"]),
("S029","市生态环境局","生态环境监测监控平台","空气、水质与污染源在线监测",
 ["空气质量监测@air","水质自动监测@water.quality","污染源在线监控@pollution","环境质量预警@env.warn","排污许可管理@discharge.permit","移动执法@env.enforce","可视化大屏@bigscreen"]),
("S030","市生态环境局","环境影响评价审批系统","建设项目环评审批",
 ["环评审批@eia.approve","环评文件技术评估@eia.review","验收备案@eia.accept","专家库管理@expert","审批公示@eia.publish"]),
("S031","市交通运输局","综合交通运行监测平台","公交、出租与路网运行",
 ["公交运行监测@bus.monitor","出租车监管@taxi","路网运行监测@traffic.flow","客运站监管@station","交通视频接入@video","运行指数分析@traffic.index","地图展示@gis"]),
("S032","市交通运输局","智慧公交系统","公交调度与出行服务",
 ["公交智能调度@bus.dispatch","实时公交查询@bus.realtime","公交线网规划@bus.route","IC卡数据分析@bus.card","电子站牌@bus.board"]),
("S033","市交通运输局","交通运输行政执法系统","路政、运政执法办案",
 ["执法办案@trans.enforce","治超检测@overload","执法文书@trans.doc","执法记录仪接入@bodycam","案件统计"]),
("S034","市市场监管局","市场主体登记系统","企业开办与商事登记",
 ["企业设立登记@company.reg","变更登记@company.change","注销登记@company.cancel","名称自主申报@company.name","电子营业执照@cert","企业年报@company.annual"]),
("S035","市市场监管局","食品安全监管平台","食品生产经营与抽检",
 ["食品经营许可@food.license","食品抽检@food.sample","食品追溯@food.trace","明厨亮灶@kitchen","双随机抽查@random.check","投诉举报@complaint"]),
("S036","市市场监管局","特种设备安全监管系统","电梯、锅炉等特种设备",
 ["特种设备登记@sped.reg","电梯安全监测@elevator","定期检验@sped.inspect","维保管理@sped.maintain","96333电梯应急@elevator.emergency"]),
("S037","市城管局","数字城管系统","城市管理问题发现与处置",
 ["案件采集@cg.case","案件派遣@cg.dispatch","处置反馈@cg.feedback","考核评价@cg.assess","部件普查@cg.parts","市民通(随手拍)@cg.public","视频智能分析@video.ai"]),
("S038","市城管局","城市管理综合执法系统","城管执法办案与违建治理",
 ["执法办案@cg.enforce","违法建设治理@illegal.build","渣土车监管@muck","户外广告审批@billboard","执法记录仪@bodycam","非现场执法@offsite"]),
("S039","市城管局","智慧环卫系统","垃圾分类与环卫作业",
 ["垃圾分类监管@garbage","环卫车辆监控@sanitation.car","公厕管理@toilet","环卫作业考核@sanitation.assess","称重计量@garbage.weigh"]),
("S040","市应急管理局","应急指挥综合平台","突发事件应急指挥调度",
 ["应急值守@duty","指挥调度@emergency.dispatch","应急预案管理@plan","应急资源管理@emergency.res","视频会商@vmeet","融合通信@comm","GIS一张图@gis"]),
("S041","市应急管理局","安全生产监管系统","企业安全生产监管执法",
 ["企业安全生产档案@safety.company","隐患排查治理@hazard","危化品监管@hazchem","安全生产执法@safety.enforce","风险分级管控@risk","培训考试@safety.train"]),
("S042","市应急管理局","自然灾害监测预警系统","防汛、地灾与森林火险",
 ["水雨情监测@rain","地质灾害监测@geohazard","森林火险预警@forest.fire","灾情报送@disaster.report","预警信息发布@warn.publish"]),
("S043","市医保局","医疗保障信息平台","医保经办与基金监管",
 ["参保登记@mi.reg","医保结算@mi.settle","异地就医备案@mi.offsite","基金智能监管@mi.fund","医保电子凭证@mi.card","定点机构管理@mi.org","医保支付方式改革@mi.drg"]),
("S044","市公积金中心","住房公积金综合服务平台","公积金缴存、提取与贷款",
 ["单位缴存登记@gjj.deposit","公积金提取@gjj.withdraw","公积金贷款@gjj.loan","对账服务@gjj.reconcile","网上业务大厅@gjj.online","短信服务@sms","电子印章@esign"]),
("S045","市财政局","预算管理一体化系统","预算编制、执行与决算",
 ["预算编制@budget","指标管理@budget.quota","国库集中支付@treasury","非税收入收缴@pay","政府采购计划@procure.plan","决算报表@final.account"]),
("S046","市财政局","政府采购电子卖场","政府采购电子化交易",
 ["网上商城@mall","协议供货@mall.agreement","采购合同备案@procure.contract","供应商管理@supplier","电子签章@esign","统一支付@pay"]),
("S047","市公共资源交易中心","公共资源交易平台","工程招投标与产权交易",
 ["电子招投标@bid","不见面开标@bid.open","远程异地评标@bid.eval","专家抽取@expert","保证金管理@bid.deposit","CA数字证书@ca","交易见证@bid.witness"]),
("S048","市农业农村局","智慧农业平台","农业生产与农产品质量安全",
 ["农产品质量追溯@agri.trace","农资监管@agri.input","动物防疫@animal","高标准农田监测@farmland","耕地保护@farmland","涉农补贴发放@agri.subsidy","物联网监测@iot"]),
("S049","市文旅局","智慧文旅平台","全域旅游服务与监管",
 ["景区客流监测@tour.flow","旅游投诉@tour.complaint","文化场馆预约@venue.appoint+appoint","导游管理@guide","文旅大数据分析@tour.stat","景区视频@video"]),
("S050","市水务局","智慧水务平台","供排水、防汛与河长制",
 ["河长制管理@river","水雨情监测@rain","排水管网监测@drain","内涝预警@flood.warn","供水管网漏损@water.leak","取水许可@water.permit","泵站监控@pump"]),
("S051","市司法局","公共法律服务平台","法律援助、公证与人民调解",
 ["法律援助申请@legal.aid","人民调解@mediate","公证预约@notary+appoint","律师管理@lawyer","社区矫正@correction","法律咨询智能问答@bot"]),
("S052","市司法局","行政执法监督平台","全市行政执法监督与两法衔接",
 ["执法主体管理@enforce.subject","执法人员管理@enforce.staff","执法案件监督@enforce.supervise","双随机抽查@random.check","执法数据统计@enforce.stat"]),
("S053","市信访局","网上信访系统","信访事项受理与办理",
 ["网上信访受理@petition","信访事项交办@petition.assign","信访督办@petition.supervise","信访件查询@petition.query","信访统计分析@petition.stat"]),
("S054","市发改委","社会信用信息平台","公共信用信息归集与应用",
 ["信用信息归集@credit.collect","信用查询@credit.query","红黑名单管理@credit.list","联合奖惩@credit.punish","信用修复@credit.repair","信用报告@credit.report","双公示@credit.publish"]),
("S055","市发改委","投资项目在线审批监管平台","投资项目审批核准备案",
 ["项目赋码@ep.code","项目审批核准@invest.approve","项目备案@invest.record","重点项目调度@key.project","项目监管@invest.supervise"]),
("S056","市委办公室","协同办公系统(OA)","全市党政机关公文流转与协同办公",
 ["公文流转@oa","收文管理@oa","发文管理@oa","会议管理@meeting","督查督办@supervise","通讯录@contacts","即时通讯@im","电子印章@esign"]),
("S057","市政府办公室","政府门户网站集约化平台","全市政府网站群统一建设",
 ["网站群管理@website","信息公开@gov.open","政民互动@interact","智能问答@bot","全文检索@search","内容管理@cms"]),
("S058","市委组织部","智慧党建平台","党员教育与组织管理",
 ["党员信息管理@party.member","组织关系转接@party.transfer","三会一课@party.meeting","党费收缴@party.fee","党员教育培训@party.edu","积分管理@party.score"]),
("S059","市档案馆","数字档案馆系统","档案接收、管理与利用",
 ["电子档案接收@archive","档案管理@archive","档案数字化加工@archive.digit","档案利用查询@archive.use","长期保存@archive.preserve"]),
("S060","市统计局","统计数据管理系统","统计调查与数据发布",
 ["统计联网直报@stat.report","统计数据审核@stat.audit","经济运行分析@economy","统计数据发布@stat.publish","普查管理@census"]),
("S061","市税务局(协作)","涉税信息共享系统","涉税信息交换与协税护税",
 ["涉税信息交换@exchange","欠税公告@tax.arrear","协税护税@tax.assist","税收分析@tax.stat"]),
("S062","雲城區政府","雲城區網格化社會治理平台","区级网格化服务管理(繁体录入)",
 ["網格事件上報@grid.report","網格員管理@grid.staff","事件分撥處置@event.dispatch","矛盾糾紛調解@mediate","重點人員管控@key.person","統計分析"]),
]

CAPABILITIES = [
("CAP01","统一身份认证服务","提供单点登录、统一用户认证、统一账号管理@sso"),
("CAP02","电子证照共享服务","提供电子证照的制证、共享调用与亮证@cert"),
("CAP03","电子印章与电子签名服务","提供电子签章、电子印章、CA签名验签@esign"),
("CAP04","统一公共支付平台","提供非税缴费、在线支付、对账结算@pay"),
("CAP05","统一消息服务","提供短信发送、消息推送、站内通知@sms"),
("CAP06","地理信息公共服务平台(GIS)","提供电子地图、地图标注、空间分析、地名地址服务@gis"),
("CAP07","公共视频图像共享服务","汇聚雪亮工程及各部门视频资源,提供视频调阅与联网共享@video"),
("CAP08","政务数据共享交换服务","提供部门间数据交换、接口共享@exchange"),
("CAP09","政务数据资源目录","提供数据资源编目、目录发布与检索@catalog"),
("CAP10","可视化展示组件(驾驶舱)","提供数据大屏、领导驾驶舱、图表组件@bigscreen"),
("CAP11","OCR文字识别服务","提供证件识别、票据识别、表格识别@ocr"),
("CAP12","人脸识别与实人认证服务","提供刷脸认证、人脸比对、活体检测@face"),
("CAP13","12345热线工单服务","提供诉求工单受理、派单、回访接口@hotline"),
("CAP14","城市物联感知平台","统一接入各类物联网感知设备@iot"),
("CAP15","政务云资源服务","提供云主机、云存储、云数据库等资源@cloud"),
("CAP16","统一电子表单与流程引擎","提供表单设计、流程配置、审批流@form"),
("CAP17","智能客服与智能问答","提供政务问答机器人、知识库@bot"),
("CAP18","语音识别转写服务","提供语音转文字、录音转写@asr"),
("CAP19","政务区块链服务平台","提供区块链存证、上链与验证@chain"),
("CAP20","标准地址库服务","提供标准地址匹配、门牌地址服务@addr"),
("CAP21","一网通办网上办事入口","提供事项申报、网上办事大厅统一入口@portal"),
("CAP22","政务服务好差评","提供办事评价、满意度评价@eval"),
("CAP23","统一预约与排队叫号","提供网上预约、取号叫号@appoint+queue"),
("CAP24","电子文件单套制归档","提供电子档案归档、长期保存@archive"),
("CAP25","证照双向寄递服务","提供申请材料与证照物流寄递@post"),
("CAP26","协同办公服务","提供公文流转、收发文、移动办公@oa"),
("CAP27","视频会议服务","提供远程视频会议、视频会商@vmeet"),
("CAP28","全文检索服务","提供统一搜索、全文检索@search"),
("CAP29","公共数据开放平台","提供数据开放、开放接口@open"),
("CAP30","网络安全态势感知平台","提供安全监测、态势感知、威胁预警@secops"),
]

# Applications: id, department, name, description, modules
APPLICATIONS = [
("A001","市民政局","智慧民政综合服务平台","整合民政业务的一网通办与救助服务",
 ["统一用户认证中心@sso","社会救助审批@dibao.approve","困难群众家庭经济状况核对@econ.check","电子地图展示@gis","民政数据大屏@bigscreen","殡葬服务管理"]),
("A002","市卫健委","互联网医院监管平台","全市互联网诊疗监管",
 ["互联网诊疗监管","电子处方流转","在线问诊服务","医师电子签名@esign","处方审核","监管数据统计分析"]),
("A003","市公安局","智慧派出所建设项目","基层派出所警务综合平台",
 ["接处警管理","户口迁移审批@hukou.move","出生落户一件事@birth.reg","人口数据统计@pop.stat","视频监控联网@video","警员考勤管理"]),
("A004","市教育局","中小学招生入学一件事平台","义务教育阶段招生报名",
 ["入学报名@enroll","学位审核","户籍信息核验@hukou.query","房产信息核验@bdc.query","短信通知家长@sms","招生数据统计"]),
("A005","市住建局","智慧住建一体化平台","住建业务整合升级",
 ["网签备案管理@house.contract","公租房申请审核@public.house","工地扬尘在线监测@dust","統一身份認證@sso","GIS地图服务@gis","电子签章服务@esign","住建驾驶舱@bigscreen"]),
("A006","市城管局","城市管理大数据平台","城管业务数据汇聚与分析",
 ["城市管理问题采集@cg.case","案件智能派遣@cg.dispatch","环卫车辆GPS监控@sanitation.car","垃圾分类数据分析@garbage","渣土车运输监管@muck","视频AI分析@video.ai"]),
("A007","市应急管理局","应急管理综合应用平台(二期)","应急指挥与安全生产一体化",
 ["应急指挥调度@emergency.dispatch","危险化学品监管@hazchem","隐患排查治理@hazard","视频会商系统@vmeet","应急物资储备管理@emergency.res","GIS地圖@gis"]),
("A008","市人社局","人社智能服务平台","人社服务智能化",
 ["人社智能客服@bot","社保待遇资格认证@face","养老金测算","就业岗位推荐","电子社保卡应用@sicard","人社业务短信@sms"]),
("A009","市市场监管局","智慧市场监管平台","市场监管一体化",
 ["企业开办一窗通@company.reg","食品安全追溯@food.trace","电梯应急处置@elevator.emergency","双随机一公开@random.check","信用分类监管","12315投诉举报@complaint"]),
("A010","市交通运输局","交通出行服务平台","一站式出行信息服务",
 ["公交实时到站查询@bus.realtime","网约车监管@taxi","停车诱导发布@parking.guide","出行路径规划","交通路况发布@traffic.flow","出行服务APP"]),
("A011","市自然资源和规划局","不动产登记便民服务平台","不动产登记网上办理",
 ["不动产登记网上受理@bdc.accept","不动产权属信息查询@bdc.query","不动产电子证照@cert","线上缴税缴费@pay","人脸识别认证@face","证书寄递@post"]),
("A012","市生态环境局","生态环境智慧监管平台","环境监测监管执法一体化",
 ["大气环境质量监测@air","水环境自动监测@water.quality","排污单位在线监控@pollution","环境移动执法@env.enforce","环境信访投诉","生态环境驾驶舱@bigscreen"]),
("A013","市医保局","医保智能监管系统","医保基金监管",
 ["医保基金智能审核@mi.fund","定点医药机构监管@mi.org","异地就医直接结算@mi.offsite","医保电子凭证应用@mi.card","DRG付费管理@mi.drg","医保数据交换@exchange"]),
("A014","市公积金中心","公积金移动服务平台","公积金掌上办",
 ["公积金提取在线办理@gjj.withdraw","公积金贷款网上申请@gjj.loan","缴存明细查询","刷脸认证@face","消息推送@sms","在线支付@pay"]),
("A015","市水务局","防汛抗旱指挥系统","防汛预警与指挥",
 ["雨情水情监测@rain","城市内涝预警@flood.warn","防汛物资管理@emergency.res","防汛指挥调度@emergency.dispatch","河湖长制巡河@river","视频接入@video"]),
("A016","市司法局","智慧司法综合平台","司法行政业务整合",
 ["法律援助网上申请@legal.aid","人民调解案件管理@mediate","社区矫正监管@correction","公证在线预约@notary+appoint","智能法律问答@bot","行政执法监督@enforce.supervise"]),
("A017","市农业农村局","数字乡村综合服务平台","乡村治理与农业服务",
 ["农产品溯源@agri.trace","农业补贴一卡通发放@agri.subsidy","农村集体资产管理","乡村网格化治理@grid.report","耕地非农化监测@farmland","农业物联网@iot"]),
("A018","市文旅局","全域旅游服务平台","文旅服务与监管",
 ["景区实时客流监测@tour.flow","文化场馆在线预约@venue.appoint+appoint","旅游投诉处理@tour.complaint","电子导览","文旅消费券发放","景区监控视频接入@video"]),
("A019","市财政局","财政电子票据系统","非税电子票据全流程",
 ["电子票据开具","电子票据查验","非税收入缴款@pay","票据入账报销","电子签名验签@esign"]),
("A020","市委办公室","机关数字化协同平台","机关内部办公协同",
 ["电子公文处理@oa","会议室预订@meeting","督办事项跟踪@supervise","机关通讯录@contacts","政务即时通讯@im","移动办公App@oa"]),
("A021","市信访局","阳光信访提升项目","信访信息系统升级",
 ["网上信访事项受理@petition","信访事项督查督办@petition.supervise","信访数据分析研判@petition.stat","来访人脸识别@face","信访件办理进度查询@petition.query","信访视频接访@vmeet"]),
("A022","市发改委","信用信息平台三期","信用应用深化",
 ["公共信用信息归集@credit.collect","信用报告在线出具@credit.report","失信联合惩戒@credit.punish","信用修复申请@credit.repair","信用评价模型","数据资源目录@catalog"]),
("A023","市政务服务中心","政务服务效能提升工程","政务服务智能化升级",
 ["智能导办机器人@bot","免证办@cert","秒批秒办","政务服务好差评@eval","排队叫号@queue","OCR证照识别@ocr"]),
("A024","市大数据局","城市大脑二期","城市运行一网统管深化",
 ["城市运行体征指标@city.monitor","事件统一分拨@event.dispatch","城市物联感知平台@iot","视频AI智能分析@video.ai","区块链存证@chain","数字孪生底座"]),
("A025","市卫健委","基层卫生综合管理系统","社区卫生服务一体化",
 ["家庭医生签约服务@gp","居民健康档案管理@ehr","慢性病随访管理@chronic","预防接种门诊@vaccine","预约挂号服务@register","基层绩效考核"]),
("A026","市教育局","智慧教育云平台","教育资源共享与校园安全",
 ["教育资源公共服务@edu.res","在线课堂","智慧校园安防视频@video","学生资助管理@edu.aid","教师继续教育培训@teacher.train","单点登录@sso"]),
("A027","市住建局","城市燃气智慧监管平台","燃气安全全链条监管",
 ["燃气泄漏实时报警@gas.alarm","瓶装液化气全流程追溯@gas.trace","燃气入户安检@gas.inspect","燃气企业信用评价","物联感知设备接入@iot","短信告警推送@sms"]),
("A028","市公安局","交通管理提升工程","交通秩序智能管控",
 ["交通信号灯智能控制@signal","违法停车抓拍@plate","交通事故快速处理@accident","交通流量分析@traffic.flow","电子警察卡口@plate","交管业务统计"]),
("A029","市市场监管局","特种设备智慧监管","电梯物联网监管",
 ["电梯运行安全监测@elevator","特种设备使用登记@sped.reg","维保单位考核@sped.maintain","检验检测报告管理@sped.inspect","电梯困人应急救援@elevator.emergency"]),
("A030","市统计局","统计大数据分析平台","统计数据深度分析",
 ["统计数据采集直报@stat.report","经济运行监测分析@economy","统计数据质量审核@stat.audit","统计信息发布@stat.publish","统计可视化大屏@bigscreen"]),
("A031","市人社局","根治欠薪监管平台","农民工工资保障",
 ["欠薪投诉线索受理@wage.clue","工资专户资金监管@wage.account","建筑工人实名制管理@labor.realname","欠薪预警","劳动保障监察办案@labor.enforce"]),
("A032","市民政局","居家养老智慧服务平台","养老服务数字化",
 ["居家养老上门服务@elder.home","老年人能力评估@elder.assess","养老机构监管@elder.org","智能穿戴设备接入@iot","高龄补贴发放@elder.subsidy","养老服务热线@elder.call+hotline"]),
("A033","市交通运输局","交通综合执法平台","交通执法数字化",
 ["路政运政执法办案@trans.enforce","超限超载非现场检测@overload","执法记录仪视频管理@bodycam","执法文书电子送达@delivery","执法案件统计分析"]),
("A034","市档案馆","电子档案单套制管理","电子文件归档",
 ["电子文件在线归档@archive","档案数字化扫描@archive.digit","档案检索利用@archive.use","档案长期保存@archive.preserve","区块链存证@chain"]),
("A035","市公共资源交易中心","公共资源交易平台升级","全流程电子化交易",
 ["电子开标大厅@bid.open","远程异地评标@bid.eval","评标专家抽取@expert","投标保证金管理@bid.deposit","CA数字证书互认@ca","交易大数据分析"]),
("A036","市委组织部","干部人事信息系统","干部管理数字化",
 ["干部档案管理","干部考核","干部选拔任用","党员发展管理","干部教育培训"]),
("A037","市城管局","户外广告与市容管理系统","市容环境精细化管理",
 ["户外广告设置审批@billboard","店招标牌管理","违法建设巡查@illegal.build","公厕信息管理@toilet","市容问题随手拍@cg.public"]),
("A038","市大数据局","数据要素流通平台","公共数据授权运营",
 ["公共数据开放@open","数据共享交换@exchange","数据资源编目@catalog","数据质量治理@dqc","隐私计算","数据授权运营"]),
("A039","市应急管理局","森林防火监测预警系统","森林火灾防控",
 ["森林火险预警@forest.fire","林区视频监控@video","护林员巡护","火情卫星遥感监测","扑火队伍管理"]),
("A040","市政务服务中心","工程建设项目审批提升","工改系统升级",
 ["工程项目并联审批@ep.approve","联合审图系统@ep.drawing","多测合一平台@ep.survey","联合竣工验收@ep.accept","中介超市@agency","项目代码赋码@ep.code"]),
("A041","市卫健委","院前急救提升项目","120急救调度升级",
 ["120急救受理@ems.call","急救车辆智能调度@ems.dispatch","急救车GPS定位@ems.gps","院前院内信息衔接@ems.hospital","急救电子病历@ems.record","语音识别转写@asr"]),
("A042","市大数据局","政务外网安全提升","安全防护体系",
 ["网络安全态势感知@secops","漏洞扫描","日志审计","堡垒机","云资源扩容@cloud"]),
]

PADDING = ["系统管理", "用户权限管理", "数据报表", "基础数据维护", "移动端", "操作日志", "消息中心@sms", "综合查询"]

def pad(systems):
    """Realistic filler: most real systems also list housekeeping modules. Deterministic."""
    out = []
    for i, (sid, dept, name, desc, mods) in enumerate(systems):
        mods = list(mods)
        k = i
        while len(mods) < 8:
            cand = PADDING[k % len(PADDING)]
            k += 3
            if cand.split("@")[0] not in [m.split("@")[0] for m in mods]:
                mods.append(cand)
        out.append((sid, dept, name, desc, mods))
    return out

def split(m):
    if "@" in m:
        name, tags = m.split("@", 1)
        return name, set(tags.split("+"))
    return m, set()

def write(out_dir, systems, caps, apps):
    os.makedirs(out_dir, exist_ok=True)
    items = []  # (kind, id, module or None, tags)
    with open(os.path.join(out_dir, "systems.jsonl"), "w") as f:
        for sid, dept, name, desc, mods in systems:
            names = []
            for m in mods:
                n, t = split(m)
                names.append(n)
                items.append(("system", sid, n, t))
            f.write(json.dumps({"id": sid, "name": name, "department": dept, "description": desc, "modules": names}, ensure_ascii=False) + "\n")
    with open(os.path.join(out_dir, "capabilities.jsonl"), "w") as f:
        for cid, name, desc in caps:
            d, t = split(desc)
            items.append(("capability", cid, None, t))
            f.write(json.dumps({"id": cid, "name": name, "description": d}, ensure_ascii=False) + "\n")
    app_items = []
    with open(os.path.join(out_dir, "applications.jsonl"), "w") as f:
        for aid, dept, name, desc, mods in apps:
            names = []
            for m in mods:
                n, t = split(m)
                names.append(n)
                app_items.append(("application", aid, n, t))
            f.write(json.dumps({"id": aid, "name": name, "department": dept, "description": desc, "modules": names}, ensure_ascii=False) + "\n")
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
    write(os.path.join(here, "dev"), pad(SYSTEMS), CAPABILITIES, APPLICATIONS)
