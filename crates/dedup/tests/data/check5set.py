"""Fifth labelled set (check5/), written HELD OUT: its author did not read the detector (src/),
its dictionaries (dict/) or the other sets' data, and it has never been used for tuning. It is
only run to measure. Same labelling rules as devset.py/check4set.py (tags after "@", several
joined with "+"; a shared tag = true overlap, i.e. a careful 大数据局 reviewer would merge, strip
or redirect the module; housekeeping modules and modules with no counterpart are untagged;
"name::description" becomes {"name","description"}).

Style, deliberately different from check4 (a western 地级市 with 县区): an eastern coastal
province capital (澜州市) in a 数字化改革 planning season, with districts (澜江区, 望潮区) and
development zones (澜州高新区) whose platforms were bought from different vendors over ten years,
so one function carries very different names: vendor product names and brand names (“澜好办”
App vs 区级政务服务小程序, 市民卡 vs 社保卡, 明厨亮灶 vs 阳光厨房, 雪亮工程 vs 视频汇聚平台,
数字孪生底座 vs CIM基础平台, 统一身份认证 vs 统一登录（ＳＳＯ） vs 统一用户中心 vs 师生统一账号,
惠企政策兑现 vs 免申即享 vs 政策直达, 渣土车辆 vs 建筑垃圾运输车辆, 医保电子凭证 vs 医保码);
coastal business (海塘, 防台, 渔船, 入海排污口); reversed word order (风险监测预警 vs 风险预警监测,
水雨情 vs 雨水情); 数字化改革 jargon (一件事, 一屏观全城, 增值化, 城市生命线); long
sentence-like names ("依托市公共数据平台建设区数据仓，…"); generic suffixes (子系统/模块/建设/
一期/扩容); traditional characters and full-width Latin in a few vendor-entered names.

Near misses that are NOT overlaps (same object, different action / same action, different object /
different stage): 公积金提取 vs 贷款审批, 违法建设巡查发现 vs 拆除验收销号, 人口数据统计分析 vs
户口迁移审批, 水质自动监测 vs 空气质量监测, 视频会议 vs 视频监控/远程会诊, 雨水情测报 vs 大坝安全
监测, 取水计量 vs 取水许可, 长护险失能评估 vs 长护险待遇支付, 低保资金发放 vs 低保审核确认,
企业年报公示 vs 企业开办, 商品房预售许可 vs 预售资金监管, 燃气管网监测 vs 供水管网漏损监测,
人像比对研判 vs 刷脸核验, 办件超期预警 vs 办件状态查询, 社保卡申领 vs 挂失, 大气污染预报预警 vs
空气质量自动监测, 档案数字化扫描 vs 电子档案归档, 调用(not rebuild) a shared map service.
Run `python3 check5set.py` to regenerate check5/*.jsonl.
"""
import json, os, sys

SYSTEMS = [
("Y01","市数据资源管理局","澜州市公共数据平台（一期）","2017年建设，政务数据归集、目录、共享与开放",
 ["数据共享交换::部门间库表、接口方式共享政务数据@exchange","公共数据资源目录编制@catalog",
  "数据归集与治理::多源数据汇聚、清洗、比对、质量稽核@data.govern","公共数据开放门户@open.data",
  "接口服务网关（API）@apigw","敏感数据脱敏@desensitize","用户权限管理","系统运维监控"]),
("Y02","市数据资源管理局","澜州城市大脑运营指挥中心（IOC）","城市运行监测、事件分拨与协同指挥",
 ["城市运行生命体征监测::人口、交通、环境、安全等城市运行指标实时监测@city.signs","ＩＯＣ一屏统览驾驶舱@cockpit",
  "城市事件统一分拨处置中枢::各渠道城市治理事件统一受理、智能分拨、跟踪@event.hub","跨部门联勤联动指挥调度@command",
  "视频融合调阅@video","数字孪生三维底座::城市建筑、道路、地下管线三维建模@twin","城市运行专题报告","系统管理"]),
("Y03","市政务服务管理办公室","澜州市政务服务网（一网通办）","2016年上线的全市政务服务网上办理系统",
 ["网上申报::企业群众在线提交办事申请、上传材料@portal","无差别综合受理@window","政务服务好差评@eval",
  "办件状态查询@progress","网上预约@appoint","电子材料库（一次提交多次复用）@material",
  "政务服务事项目录及实施清单管理@item.list","用户管理"]),
("Y04","望潮区政务服务中心","望潮区行政服务中心综合业务平台","区级大厅业务系统（供应商录入部分为繁体）",
 ["综合窗口收件@window","取号排队叫号子系统@queue","辦事評價器@eval","自助服務終端管理@selfservice",
  "帮办代办@helpdesk","窗口人员考勤与绩效考核@staff.assess","系统设置"]),
("Y05","市政务服务管理办公室","“澜好办”移动政务服务App","全市统一移动端办事入口",
 ["移动端办事入口::群众在手机上办理高频政务服务事项@mobile","亮证码::在手机上出示本人电子证照@cert.show",
  "刷脸实名核验@face","个人专属空间::我的证照、我的办件、我的缴费@personal.space","消息订阅提醒::办件进度、证照到期等消息推送提醒@msg",
  "意见反馈","高频服务卡片运营"]),
("Y06","市委政法委","澜州市基层治理“四平台”","乡镇（街道）基层治理综合信息平台",
 ["网格事件采集上报@grid.report","全科网格员管理@grid.member","矛盾纠纷多元化解@mediate","重点人员管控@key.person",
  "平安建设考核@pingan.assess","网格员履职轨迹@grid.track","统计报表"]),
("Y07","澜江区委政法委","澜江区社会治理综合指挥平台","区级社会治理（另一供应商）",
 ["网格化事件上报处置@grid.report","人民调解在线@mediate","社区矫正对象监管@correction","视频监控资源共享@video",
  "网格员考勤@grid.member","系统设置"]),
("Y08","市公安局","澜州市公共安全视频监控建设联网应用（雪亮工程）","公共安全视频资源联网共享",
 ["视频资源汇聚联网::一类、二类、三类点位视频统一汇聚与调阅@video","视频图像结构化解析@ai.video",
  "车辆卡口过车数据@vehicle.gate","重点区域布控","视频点位运维巡检@video.ops","视频调阅审计","用户管理"]),
("Y09","市医疗保障局","澜州医保智慧服务平台","国家医保信息平台地方应用",
 ["异地就医备案@mi.offsite","医保基金智能审核::对定点医药机构结算数据进行事前事中事后规则审核@mi.fund",
  "医保电子凭证@mi.ecard","门诊慢特病待遇认定@mi.chronic","长期护理保险待遇支付@ltc.pay","定点医药机构协议管理@mi.agency",
  "药品集中带量采购@drug.purchase"]),
("Y10","市人力资源和社会保障局","澜州人社一体化业务经办系统","2015年建设的社保、就业、劳动关系经办",
 ["参保登记@si.reg","养老待遇领取资格认证@si.qualify","失业保险金申领@unemploy","职业技能等级认定@skill.cert",
  "劳动保障监察@labor.inspect","欠薪预警@wage.warn","权限管理"]),
("Y11","市民卡服务中心","澜州市民卡综合服务系统","市民卡（加载社会保障卡功能）发卡与应用",
 ["市民卡申领补换::市民卡即本市第三代社会保障卡，办理申领、补卡、换卡@sicard","电子市民卡@sicard.e",
  "挂失解挂@sicard.loss","公共交通乘车结算@transit.pay","账户资金清分结算@clearing","服务网点管理"]),
("Y12","市住房公积金管理中心","澜州住房公积金综合业务系统","缴存、提取、贷款与核算",
 ["单位缴存登记@hpf.deposit","公积金提取::购房、租房、离退休等提取业务@hpf.withdraw","个人住房公积金贷款审批@hpf.loan",
  "贷款逾期催收@hpf.overdue","个人账户查询@hpf.query","财务核算@hpf.finance","日志管理"]),
("Y13","市自然资源和规划局","澜州市时空信息云平台","测绘地理信息公共服务",
 ["电子地图服务::矢量、影像底图在线服务@gis","地名地址匹配服务@address","国土空间规划“一张图”@plan.map",
  "耕地非农化遥感监测@farmland.monitor","多规合一业务协同@multi.plan","空间分析计算服务@gis.analysis","用户管理"]),
("Y14","市不动产登记服务中心","澜州市不动产登记信息管理平台","不动产统一登记",
 ["不动产转移登记@bdc.transfer","抵押权登记@bdc.mortgage","不动产登记信息查询@bdc.query",
  "水电气网联动过户@bdc.joint","房地一体交易纳税一窗受理@bdc.tax","权籍调查@bdc.survey","登记簿管理"]),
("Y15","市市场监督管理局","澜州市场监管一体化平台","登记、许可、监管与维权",
 ["企业开办一网通@company.reg","食品生产经营许可@food.license","电梯安全监管模块@elevator",
  "明厨亮灶::餐饮单位后厨视频接入与AI违规识别@kitchen","冷链食品追溯@coldchain","双随机一公开抽查@random.check",
  "12315投诉举报处理@complaint","数据导出"]),
("Y16","市生态环境局","澜州生态环境智慧监管平台","2019年建设（供应商繁体录入部分模块）",
 ["空氣質量自動監測@air.monitor","地表水水质自动监测@water.quality","重点污染源在线监控@pollution.source",
  "移动执法@env.enforce","危险废物全过程监管@hazwaste","噪声监测@noise","系统管理"]),
("Y17","市综合行政执法局","澜州市数字城管系统","2012年建设、多次扩展",
 ["违法建设巡查发现@illegal.build.patrol","渣土车辆监管@muck","户外广告设施审批@ad.approve","环卫作业监管@sanitation",
  "井盖监测@manhole","占道经营智能识别@street.vendor","生活垃圾分类管理@garbage","系统设置"]),
("Y18","市交通运输局","澜州智慧交通综合平台","道路运输、公交出租与交通运行",
 ["公交运营调度@bus.dispatch","巡游出租车及网约车监管@taxi","两客一危重点营运车辆动态监控@danger.vehicle",
  "交通运行监测（TOCC）@traffic.monitor","公路桥梁健康监测@bridge","治超非现场执法@overload","道路运输经营许可@trans.license"]),
("Y19","市应急管理局","澜州应急指挥一体化平台","值班、预案、监测预警与指挥",
 ["值班值守@duty","应急预案数字化管理@plan","防汛防台指挥@flood",
  "应急物资储备库管理::物资入库、出库、库存盘点@emergency.res","危化品企业风险监测预警@hazchem","安全生产执法@safety.enforce",
  "统计报表"]),
("Y20","市水利局","澜州水利数字化平台","水旱灾害防御与水资源管理",
 ["水雨情监测@water.rain","山塘水库大坝安全监测@reservoir","河湖长制巡河@river.patrol","海塘安全监测@seawall",
  "取水许可审批@water.permit","农村饮用水工程管理@rural.water","系统设置"]),
("Y21","市卫生健康委员会","澜州全民健康信息平台","区域卫生信息互通与便民服务",
 ["居民电子健康档案@ehr","分时段预约诊疗@register","家庭医生签约@family.doctor","远程会诊系统@tele.consult",
  "预防接种管理@vaccine","120急救调度@ems","互联网医院@internet.hospital","基层绩效考核"]),
("Y22","市民政局","澜州智慧民政平台","养老、救助、婚姻、殡葬与社会组织",
 ["居家养老服务@elderly.home","最低生活保障审核确认@assist.apply","困难群众主动发现@assist.discover",
  "婚姻登记预约@marriage","殡葬服务管理@funeral","社会组织登记@ngo","养老机构等级评定@elderly.inst"]),
("Y23","市教育局","澜州教育公共服务平台","招生、学籍、资助与校外培训监管",
 ["义务教育招生入学报名@enroll","学籍管理@school.roll","学生资助@edu.aid",
  "校外培训机构监管::机构审批、预收费资金监管@training.reg","课后服务@after.school","教师招聘@teacher.recruit","统计分析"]),
("Y24","市人民政府办公厅","澜州市协同办公平台（OA）","机关公文、督办与会议",
 ["公文收发@oa","督查督办@supervise","视频会议@vmeet","会议室预约@room.book","政务信息报送@info.report",
  "通讯录","移动办公"]),
("Y25","澜州高新区管委会","高新区“亲清在线”企业服务平台（一期）","园区企业服务",
 ["惠企政策兑现@policy.cash","企业诉求直通车@biz.appeal","企业画像@biz.profile","产业链图谱@industry.chain",
  "统一登录（ＳＳＯ）@sso","招商项目管理@invest.attract","系统设置"]),
("Y26","市12345政务服务便民热线","澜州12345热线平台","热线诉求受理与办理",
 ["诉求受理@hotline","工单派发@hotline.dispatch","回访评价@revisit","知识库@kb","热点诉求分析@hotline.analysis",
  "坐席管理"]),
("Y27","市公安局","澜州公安人口管理系统","户政业务",
 ["户口迁移审批@hukou.move","居住证签注@residence","出生落户@birth.hukou","居民身份证受理@idcard","人口信息核查@pop.verify",
  "日志管理"]),
("Y28","市文化广电旅游局","澜州智慧文旅平台","景区、场馆与旅游市场",
 ["景区分时预约@scenic.book","景区客流监测@tourist.flow","文化场馆预约@venue.book","旅游团队电子行程单@tour.group",
  "导游管理@guide","数据统计"]),
("Y29","市农业农村局","澜州数字三农平台","农业生产、渔业与农村管理",
 ["农产品合格证与质量追溯@agri.trace","渔船北斗动态监控@fishing.boat","宅基地审批管理@homestead","农业补贴发放@agri.subsidy",
  "动物防疫@animal.disease","权限管理"]),
("Y30","市住房和城乡建设局","澜州住建综合监管平台","建筑市场、房地产与城市安全",
 ["智慧工地监管@smart.site","商品房预售资金监管@presale.fund","商品房网签备案@contract.file",
  "燃气管网安全监测@gas.pipe","既有房屋安全管理::房屋安全隐患排查、鉴定、解危@house.safety","建筑市场信用评价@build.credit",
  "系统设置"]),
]

CAPABILITIES = [
("G01","统一身份认证平台","政务人员与公众统一账号、单点登录、实名认证@sso"),
("G02","电子证照共享平台","证照归集、共享、用证核验@cert"),
("G03","电子印章平台","电子印章制作、签章、验章@esign"),
("G04","公共支付平台","政务服务收费、非税缴款、对账@pay"),
("G05","统一消息服务","短信、App推送、站内信统一下发@msg"),
("G06","时空信息公共服务","电子地图、影像底图、空间分析@gis"),
("G07","公共视频资源共享平台","全市视频汇聚、共享调阅@video"),
("G08","一体化公共数据平台","数据共享交换、接口服务@exchange"),
("G09","政务云","计算、存储、网络资源按需供给@cloud"),
("G10","城市物联感知平台","物联感知设备统一接入、设备管理@iot"),
("G11","AI赋能平台","OCR文字识别、语音识别转写、视频智能分析算法@ocr+asr+ai.video"),
("G12","标准地址库","标准地址编码与地址匹配@address"),
("G13","人脸识别核验","刷脸核身、活体检测@face"),
("G14","电子档案系统","电子文件单套制归档与利用@archive"),
("G15","智能客服","智能问答机器人@bot"),
]

APPLICATIONS = [
("R01","市政务服务管理办公室","澜州市政务服务增值化改革支撑平台","推进政务服务增值化改革",
 ["高频“一件事”联办流程编排::多部门事项的表单合并、材料共享与并联审批编排","政务服务大厅取号叫号及等候提醒@queue",
  "线上线下一体化办事评价@eval","申请材料一次提交、多次复用@material","办事人刷脸核验身份@face",
  "企业增值服务专区::涉企政策、金融、人才等增值服务集成展示","政务服务事项实施清单动态管理@item.list",
  "办件超期预警督办","窗口工作人员绩效考核@staff.assess","用户管理"]),
("R02","望潮区政务服务中心","望潮区“15分钟政务服务圈”建设项目","镇街村社就近办",
 ["区级政务服务小程序::群众在微信小程序上申报区级事项@mobile","24小时自助服务区终端接入管理@selfservice",
  "镇街便民服务中心综合受理@window","分时段办事预约@appoint","帮办代办队伍管理@helpdesk",
  "依托市时空信息云平台底图展示服务网点分布及导航","村社代办员积分考核","办事进度短信通知办事人@msg","系统运维"]),
("R03","市数据资源管理局","澜州城市大脑2.0（一网统管）建设项目","城市运行一网统管",
 ["城市运行体征指标体系与实时监测@city.signs","领导驾驶舱“一屏观全城”@cockpit","城市治理事件统一受理、智能分拨@event.hub",
  "物联感知设备统一接入@iot","数字孪生城市底座@twin",
  "视频AI算法仓::各类视频智能识别算法统一管理与调度@ai.video","城市运行风险研判模型","跨部门联勤联动指挥@command",
  "城市运行数据归集治理@data.govern","系统管理"]),
("R04","市综合行政执法局","澜州市智慧城管提升工程","城市管理数字化",
 ["渣土运输车辆智能监管::对渣土车GPS轨迹、密闭状态、出土工地进行全程监管@muck","违法建设拆除验收与销号",
  "户外广告招牌设置审批@ad.approve","井盖位移及积水物联监测@manhole","占道经营、店外经营视频智能识别@street.vendor",
  "环卫车辆作业监管@sanitation",
  "城市停车泊位统一管理::路内、路外停车泊位数据接入与收费管理@parking","共享单车停放秩序管理","执法文书电子送达",
  "系统运维"]),
("R05","市交通运输局","澜州交通运输数字化改革项目","交通运输治理能力提升",
 ["建筑垃圾运输车辆动态监控@muck","城市停车一张网建设::全市公共停车泊位实时接入与共享@parking","公交线网优化分析",
  "网约车合规化监管@taxi","两客一危一重货车辆动态监控@danger.vehicle","ＴＯＣＣ交通运行监测与协调@traffic.monitor",
  "公路桥梁结构健康监测@bridge","港口危险货物集装箱堆场安全监管","交通电子地图::建设交通专题GIS底图服务@gis",
  "用户与权限管理"]),
("R06","市公安局","澜州市公安局智慧警务视频应用扩容","公共安全视频应用扩容",
 ["新增高清视频监控点位2000路","视频汇聚平台扩容::汇聚各部门、各区视频资源统一调阅@video","人像比对研判",
  "车辆卡口数据汇聚@vehicle.gate","视频图像结构化分析@ai.video","人口数据统计分析",
  "警务云存储扩容::服务器与存储设备采购@cloud","视频点位运维考核@video.ops"]),
("R07","市卫生健康委员会","澜州“健康大脑+智慧医疗”项目","医疗服务数字化",
 ["互联网医院统一平台@internet.hospital","全市统一预约挂号平台@register","医学影像云::检查影像跨院互认共享",
  "基层远程会诊::上级医院专家通过视频为基层患者会诊@tele.consult","电子健康档案归集与调阅@ehr",
  "卫健系统视频会议@vmeet","急救车辆调度指挥@ems","出生“一件事”联办","互联网+护理上门服务"]),
("R08","市医疗保障局","澜州医保基金监管能力提升项目","医保基金安全与经办服务",
 ["医保基金智能监管::定点医药机构结算数据规则筛查与疑点核查@mi.fund","医保药品追溯码采集","长护险失能等级评估管理",
  "异地就医直接结算备案@mi.offsite","医保码全流程应用@mi.ecard","医保经办服务好差评@eval",
  "医保基金收支预测分析","权限管理"]),
("R09","市人力资源和社会保障局","澜州就业创业数字化服务平台","就业创业与社保服务",
 ["零工市场线上平台::灵活用工供需信息对接@gig","失业保险金线上申领@unemploy","职业培训补贴申领",
  "养老金领取资格认证（静默认证）@si.qualify","欠薪线索预警@wage.warn","人社业务电子印章@esign",
  "社保卡线上申领@sicard","劳动合同电子化","就业困难人员认定","系统日志"]),
("R10","市生态环境局","澜州生态环境数字化监管（二期）","生态环境监测与执法",
 ["大气环境质量自动监测站点联网@air.monitor","水质自动站数据采集@water.quality","入海排污口溯源整治",
  "污染源自动监控@pollution.source","生态环境移动执法@env.enforce","危险废物产生、转移、处置全过程监管@hazwaste",
  "碳排放核算与碳账户","大气污染预报预警","噪声自动监测@noise","用户管理"]),
("R11","市应急管理局","澜州应急管理“智治”提升工程","应急指挥与安全监管",
 ["建设全市危险化学品企业安全风险预警监测系统，实现重大危险源实时感知@hazchem","防台防汛指挥调度@flood",
  "城市燃气管网泄漏监测（城市生命线）@gas.pipe","应急值班值守@duty","应急预案电子化@plan","基层应急广播终端",
  "企业安全生产风险码","森林火灾监测预警","渔船安全动态监控@fishing.boat","系统设置"]),
("R12","市水利局","澜州数字水利（海塘安澜）工程","水旱灾害防御与河湖管理",
 ["海塘安全监测预警@seawall","小型水库雨水情测报@water.rain","河湖长制APP巡河@river.patrol","取水计量在线监测",
  "水利工程标准化运行管理","防汛防台指挥调度@flood","水利数据共享交换平台@exchange","用户管理"]),
("R13","市住房和城乡建设局","澜州城市生命线安全工程及智慧住建","城市安全与建设管理",
 ["燃气管网智能监测@gas.pipe","供水管网漏损监测",
  "智慧工地::施工现场扬尘、塔吊、人员实名制监管@smart.site","预售资金监管@presale.fund","商品房预售许可审批",
  "自建房安全隐患排查整治@house.safety","建筑市场企业信用评价@build.credit","CIM基础平台@twin","物业小区智治",
  "日志管理"]),
("R14","市市场监督管理局","澜州市场监管数字化改革（三期）","市场监管能力提升",
 ["电梯安全智慧监管::电梯物联网监测、维保监管@elevator","阳光厨房::餐饮后厨视频汇聚与AI违规识别@kitchen",
  "进口冷链食品追溯@coldchain","食品经营许可审批@food.license","企业年报公示","消费投诉在线调解@complaint",
  "知识产权质押登记","计量器具强制检定管理","系统运维"]),
("R15","市教育局","澜州教育数字化转型项目","教育新基建与教育服务",
 ["义务教育入学“一件事”线上报名@enroll","学生资助精准认定@edu.aid","校外培训机构资金监管@training.reg","智慧课堂",
  "学生体质健康监测","教育统一身份认证::师生统一账号、单点登录@sso","校园食堂明厨亮灶@kitchen",
  "课后服务报名选课@after.school","系统设置"]),
("R16","市民政局","澜州颐养智慧服务平台","智慧养老与社会救助",
 ["居家养老上门服务派单与监管@elderly.home","老年助餐服务","困难群众主动发现预警@assist.discover","低保资金社会化发放",
  "殡葬服务管理@funeral","独居老人智能外呼关怀","养老服务补贴发放","老年人能力评估","数据导出"]),
("R17","澜江区人民政府","澜江区数字化改革综合集成平台","区级数字化改革",
 ["区级领导驾驶舱@cockpit","區級網格事件上報處置@grid.report","区统一用户中心::区属系统账号统一管理与单点登录@sso",
  "依托市公共数据平台建设区数据仓，实现区级部门数据归集与共享交换@exchange+data.govern","矛盾纠纷调处化解@mediate",
  "区视频共享平台@video","区零工驿站供需匹配@gig","区惠企政策兑现@policy.cash","区内A级景区分时预约@scenic.book",
  "12345热线区级知识库@kb","共同富裕基本单元建设","系统运维"]),
("R18","澜州高新区管委会","高新区“亲清在线”企业服务平台二期","园区企业服务提升",
 ["惠企政策“免申即享”兑付@policy.cash","企业诉求一站式受理@biz.appeal","园区能耗在线监测",
  "企业画像与风险预警@biz.profile","“标准地”出让管理","统一消息推送::向企业推送政策和办事提醒@msg",
  "园区人才公寓申请","用户管理"]),
("R19","市住房公积金管理中心","澜州住房公积金数字化服务提升","公积金服务便利化",
 ["公积金提取“秒办”::租房、购房提取线上自动审核@hpf.withdraw","灵活就业人员自愿缴存","个人账户信息查询@hpf.query",
  "公积金业务电子档案归档@archive","商转公贷款“带押过户”","智能客服机器人@bot",
  "资金风险监控","系统设置"]),
("R20","市退役军人事务局","澜州退役军人服务保障数字化","退役军人服务保障",
 ["退役军人纸质档案数字化扫描","优抚金社会化发放","退役军人就业创业服务","烈士纪念设施管理","双拥共建活动管理",
  "政策短信通知@msg","在线咨询智能问答机器人@bot","用户管理"]),
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
    write(os.path.join(here, "check5"), SYSTEMS, CAPABILITIES, APPLICATIONS)
