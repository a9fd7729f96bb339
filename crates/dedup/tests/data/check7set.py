"""Seventh labelled set (check7/), written as a HELD-OUT evaluation set: it was written without
looking at the detector (dict/, src/) or at the other sets' data, is never used for tuning, and is
only run once at the end of the round to measure. Labelling rules are the same as in the earlier
sets: tags after "@", several joined with "+"; modules that share a tag are a true overlap (duplicate
construction); modules with no counterpart and housekeeping modules (users, roles, permissions,
logs, settings, backups, O&M) are untagged; "name::description" becomes {"name","description"}.

Setting: 郢州市, the invented provincial capital of the invented central-China province 江汉省, in the
annual planning season (年度信息化项目集中评审). Existing systems (系统台账) come from 市直部门, the
districts 鹤湖区 / 云溪区 and one provincial vertical system; the shared capabilities (共性服务能力清单)
mix 江汉省 platforms (统一身份认证, 电子证照, 电子印章, 统一公共支付, “江汉办”移动端) and 郢州 city
platforms (公共数据平台, 时空大数据, 雪亮视频共享, 物联感知, 短信, AI能力, 智能客服, “郢视通”融合通信,
公共信用, 数字档案馆). Applications (项目建设方案/可研报告 module lists) come from 市直部门, 东津区,
长岭县 and 经开区.

Style: module names as real documents and vendor inventories write them: terse ones (“电子签章”,
“值班值守”), long ones with a “::” description, vendor product prefixes (“智网通·事件中心”), local
abbreviations (门特, 长护险, 创业贷, 治超, 两客一危, 明厨亮灶, 三资), English acronyms (SSO, EHR, PACS,
IOC, OCR, DRG/DIP, TOCC, MaaS, DMA). True overlaps include district copies of city systems, a
department rebuilding a shared capability, and two pending applications building the same thing
(智慧停车, 燃气管网监测, 供水管网漏损, 企业诉求受理, 危化重大危险源, 扬尘监测, 内涝监测).
Near misses are left untagged: same object but different stage/action (空气质量监测 / 预报,
互联网医院 / 互联网医院监管, EHR / EMR, 取水许可 / 排水许可, 特种设备监管 / 电梯困人救援,
商品房网签 / 住房租赁合同备案, 公交运营监管 / 公交智能调度), the same technology for another purpose
(AI视频识别占道经营 vs 视频资源共享, 燃气监测 vs 物联感知平台, 养老服务地图 vs 时空底图), business
modules that merely connect to a shared capability (接入省统一身份认证、不另建账号体系), and
housekeeping.
Run `python3 check7set.py` to regenerate check7/*.jsonl.
"""
import json, os, sys

SYSTEMS = [
("S01","市政务服务和大数据管理局","郢州市一体化政务服务平台","覆盖市、区（县）、街道（乡镇）三级的政务服务事项网上办理与线下大厅综合受理",
 ["政务服务事项管理::事项目录、实施清单与办事指南统一编制维护@item","网上办事大厅@portal","综合窗口无差别受理@window",
  "政务服务“好差评”@eval","办件进度查询","网上预约办事","大厅排队取号叫号@queue","审批结果邮寄送达",
  "帮办代办服务@helpdesk","用户与权限管理"]),
("S02","市政务服务和大数据管理局","郢州市12345政务服务便民热线系统","全市非紧急类诉求统一受理、派单、办理、回访，含企业诉求专线",
 ["市民诉求工单受理::电话、网站、微信、App多渠道诉求统一登记@hotline","工单派发与督办@hotline.dispatch",
  "工单回访与满意度测评@revisit","热线知识库","坐席排班管理","热点诉求分析::高频诉求统计分析与专报","系统日志"]),
("S03","市政务服务和大数据管理局","郢州市城市运行管理中心（一网统管）平台","“一屏观全域、一网管全城”，市、区两级城运中心共用",
 ["城市运行体征监测与综合展示::水电气、交通、环境等运行指标实时监测，领导驾驶舱大屏@city.sign",
  "城市事件统一受理分拨::各渠道城市事件汇聚、分拨、跟踪、核查","跨部门联动指挥调度",
  "专题应用接入管理","部门处置效能评价","系统配置"]),
("S04","市公安局","郢州市“互联网+公安政务服务”平台","户政、车驾管、出入境等公安政务服务网上办理",
 ["户籍业务网上办理","居住证申领签注","机动车和驾驶人业务预约","出入境证件预约办理","无犯罪记录证明开具",
  "交通违法网上处理","操作日志"]),
("S05","市人力资源和社会保障局","郢州市人社一体化经办服务平台","社保、就业、劳动关系经办与公共服务",
 ["企业职工养老保险参保登记","养老保险待遇领取资格认证@si.qualify","灵活就业人员社保参保登记@flex.si","就业失业登记@employ.reg",
  "职业技能培训补贴申领","创业担保贷款申请审核@startup.loan","劳动人事争议仲裁","劳动保障监察举报投诉",
  "社会保障卡制发与挂失@sicard","角色权限管理"]),
("S06","市医疗保障局","郢州市医疗保障信息平台","按国家医保信息平台标准部署的地方医保经办系统",
 ["医保参保登记","异地就医备案@mi.offsite","门诊慢特病待遇认定@mi.chronic","医保基金智能审核与监控@mi.fund",
  "长期护理保险经办@ltc","医保电子凭证","药品和医用耗材招采","定点医药机构协议管理@mi.designated"]),
("S07","市卫生健康委员会","郢州市全民健康信息平台","区域卫生健康信息互联互通",
 ["居民电子健康档案@ehr","全市统一预约挂号::各医院号源统一汇聚、统一预约@register","家庭医生签约服务@family.doctor",
  "区域医学影像中心::医疗机构影像集中存储、远程诊断与调阅@pacs","检查检验结果互认共享@mutual.recog",
  "互联网医院监管::对互联网诊疗行为、处方、人员资质的在线监管","传染病网络直报","妇幼健康管理","数据备份"]),
("S08","市教育局","郢州市智慧教育公共服务平台","学籍、招生、资助、教师与校外培训管理",
 ["中小学学籍管理","义务教育阶段招生入学报名@enroll","学生资助管理@edu.aid","校外培训机构监管",
  "教师资格认定@teacher.cert","中小学课后服务管理::课后服务项目、选课与排课@after.school","教育城域网运维"]),
("S09","市民政局","郢州市民政综合业务信息系统","社会救助、养老服务、婚姻殡葬、社会组织等民政业务",
 ["最低生活保障审核确认","特困人员救助供养@tekun","临时救助","养老机构备案与监管@elder.inst",
  "居家养老服务补贴发放@elder.subsidy","婚姻登记","殡葬服务管理","社会组织登记管理",
  "困难残疾人生活补贴和重度残疾人护理补贴"]),
("S10","市住房和城乡建设局","郢州市智慧建筑工地监管平台","在建工程施工现场监管",
 ["建筑工人实名制管理@worker.realname","农民工工资专用账户监管","施工现场扬尘噪声在线监测@dust",
  "塔吊升降机安全监测@tower.crane","工程质量安全监督","建筑市场主体信用评价","设备台账"]),
("S11","市住房保障和房屋管理局","郢州市房产交易与住房保障管理系统","商品房交易、资金监管与住房保障",
 ["新建商品房网签备案@contract.file","存量房交易资金监管","商品房预售资金监管@presale.fund","公共租赁住房资格审核",
  "保障性租赁住房项目认定","物业专项维修资金管理@maint.fund","房屋安全鉴定"]),
("S12","市城市管理执法局","郢州市数字化城市管理信息系统","数字城管“监督—指挥”双轴心运行",
 ["城管问题采集上报::信息采集员巡查发现问题并上报","城管案件派遣与处置@cg.dispatch","户外广告设置审批@ad.permit",
  "建筑垃圾运输车辆监管@muck","环卫作业监管@sanitation","市政设施管养","城管执法办案","统计报表"]),
("S13","市交通运输局","郢州市交通运输综合监管服务平台","道路运输、城市客运与公路管理",
 ["道路运输经营许可@trans.license","网约车监管@ride.hail","公交运营监管::公交企业运营服务质量与补贴考核","出租汽车服务质量信誉考核@taxi.assess",
  "超限超载治理@overload","两客一危车辆动态监控@danger.vehicle","公路养护管理"]),
("S14","市水务和湖泊局","郢州市智慧水务平台","水资源、河湖、排水与防汛",
 ["水雨情监测@water.rain","河湖长制综合管理::河湖长巡河、问题交办、考核@river","城市内涝积水监测@waterlog",
  "防汛抗旱指挥调度@flood.command","城市供水水质监测","取水许可管理@water.permit","湖泊保护红线管理"]),
("S15","市生态环境局","郢州市生态环境综合管理平台","环境质量监测、污染源监管与执法",
 ["环境空气质量监测@air","重点污染源在线监控@pollution.online","排污许可证管理@discharge.permit","环境影响评价审批",
  "生态环境执法@env.enforce","声环境质量监测","固体废物管理::一般工业固废和危险废物产生、转移、处置监管@solid.waste"]),
("S16","市应急管理局","郢州市应急管理综合应用平台","监测预警、指挥救援与安全生产监管",
 ["应急值班值守@emerg.duty","应急预案管理","应急物资储备管理","危险化学品重大危险源监测预警@hazchem",
  "安全生产行政执法","自然灾害综合监测预警","森林防火视频监测","应急指挥调度一张图@emerg.command"]),
("S17","市市场监督管理局","郢州市智慧市场监管平台","登记注册、许可、监管与消费维权",
 ["企业开办登记@company.reg","食品经营许可@food.license","“双随机、一公开”监管@random.check","12315投诉举报处置@consumer.complaint",
  "特种设备安全监管@special.equip","“明厨亮灶”智慧监管::餐饮单位和学校食堂后厨视频接入与AI识别@kitchen",
  "企业年报公示@annual.report","价格监测"]),
("S18","市自然资源和规划局","郢州市不动产登记与国土空间基础信息平台","不动产统一登记与国土空间规划实施监督",
 ["不动产登记","不动产登记信息查询","国土空间规划“一张图”实施监督","建设用地审批","耕地保护监测","测绘成果管理"]),
("S19","市人民政府办公厅","郢州市协同办公平台","覆盖市直部门和区（县）机关的一体化协同办公",
 ["电子公文流转","督查督办@supervise","会议管理@meeting","政务信息报送@info.report","领导日程管理@schedule",
  "移动办公::公文审批、待办处理手机端@mobile.oa","通讯录"]),
("S20","中共郢州市委政法委员会","郢州市社会治理现代化综合指挥平台","市、区、街道、社区四级网格化服务管理",
 ["网格事件采集上报与流转@grid.event","矛盾纠纷多元化解@dispute","重点人群服务管理@key.person",
  "网格员履职考核@grid.assess","平安建设考评","统计分析"]),
("S21","鹤湖区委政法委","鹤湖区基层社会治理“一张网”平台","区、街道、社区三级网格化管理（供应商产品“智网通”）",
 ["智网通·事件中心@grid.event","智网通·调解中心@dispute","智网通·特殊人群@key.person","网格员管理::网格员信息、排班与考核@grid.assess",
  "社区党建","数据看板"]),
("S22","鹤湖区行政审批局","鹤湖区政务服务“一网通办”平台","区级政务服务（早于市级平台建设，仍在运行）",
 ["区级网上办事大厅@portal","区政务大厅综合窗口@window","办件评价@eval","区大厅叫号系统@queue","代办帮办@helpdesk",
  "区级事项清单维护@item"]),
("S23","云溪区农业农村局","云溪区数字乡村综合服务平台","云溪区试点建设，2024年起由市农业农村局推广为全市县区共用",
 ["防止返贫动态监测帮扶@poverty","农村集体“三资”监管@sanzi","农村人居环境整治@rural.env","农产品质量安全追溯@agri.trace",
  "农业社会化服务","村级事务公开","系统管理"]),
("S24","市农业农村局","郢州市智慧农业农村服务平台","农业生产、农村改革与惠农服务",
 ["农产品质量安全追溯@agri.trace","高标准农田建设管理@hsfarmland","动物疫病防控",
  "惠农补贴资金发放::耕地地力保护等各类惠农补贴发放到户@agri.subsidy","农村集体资产管理@sanzi","农机购置补贴","农村宅基地管理"]),
("S25","市文化和旅游局","郢州市智慧文旅监管服务平台","景区、文化场馆与文物安全监管",
 ["A级景区管理@scenic.grade","景区客流监测预警@tourist.flow","景区门票分时预约@scenic.booking","文旅投诉处理@tour.complaint",
  "公共文化场馆服务","文物安全监测@relic"]),
("S26","江汉省发展和改革委员会","江汉省投资项目在线审批监管平台","省级部署、市县共用",
 ["投资项目赋码@project.code","项目审批事项并联办理","项目备案@project.record","项目建设进度监测","中介服务网上超市@agency.market","用户管理"]),
]

CAPABILITIES = [
("K01","江汉省统一身份认证平台","全省政务服务统一实名身份认证、单点登录，自然人和法人账号体系@sso"),
("K02","江汉省电子证照库","电子证照制发、归集、亮证用证与证照核验@cert"),
("K03","江汉省电子印章公共服务平台","电子印章制章、签章、验章@seal"),
("K04","江汉省统一公共支付平台","政务服务事项和非税收入在线缴费、收缴、银行对账@pay"),
("K05","“江汉办”移动政务服务总入口","江汉办App和小程序，全省政务服务移动端统一入口，各地各部门移动端应用统一接入@mobile"),
("K06","郢州市公共数据平台","公共数据目录编制、数据归集、共享交换与接口服务@exchange+catalog"),
("K07","郢州市时空大数据平台","二三维一体化地图底图、地名地址匹配、空间分析服务@gis"),
("K08","郢州市公共视频资源共享平台（雪亮工程）","公共安全视频和社会面视频资源汇聚，按权限向各部门共享调阅@video"),
("K09","郢州市物联感知平台","各类物联感知设备统一接入、设备管理、感知数据汇聚与分发@iot"),
("K10","郢州市政务短信平台","全市政务短信、消息统一下发@msg"),
("K11","郢州市人工智能赋能平台","OCR文字识别、语音识别等通用AI算法服务@ocr"),
("K12","郢州市政务服务智能客服","政务服务知识库、智能问答机器人，供各部门接入@chatbot"),
("K13","郢州市融合通信平台（“郢视通”）","市、区、街道三级视频会议、视频会商与融合通信调度@vconf"),
("K14","郢州市公共信用信息平台","信用信息归集、信用查询与信用报告、联合奖惩@credit.query"),
("K15","郢州市数字档案馆","政务系统电子文件在线归档与长期保存@earchive"),
]

APPLICATIONS = [
("A01","市政务服务和大数据管理局","郢州市“高效办成一件事”集成服务改革项目","围绕企业和个人全生命周期重点“一件事”，2025年度新建",
 ["“一件事”主题服务配置::情形引导、材料归并、表单合并配置","一表申请智能预填::基于已有数据自动预填申请表单",
  "线下“一件事”综合窗口统一收件@window","智能导办机器人::在线智能问答，引导办事人选择情形@chatbot",
  "联办事项跨部门流转协同","“一件事”办件评价::办事人对办理服务评价打分@eval","电子签章@seal",
  "OCR识别引擎::部署OCR引擎识别证照和申请材料@ocr","一件事事项要素管理::“一件事”事项要素、实施清单和办事指南编制维护@item","日志审计"]),
("A02","鹤湖区政务服务和数据管理局","鹤湖区数字政府基础能力提升项目","为区属各部门业务系统提供共性支撑",
 ["区统一身份认证中心::建设区级统一账号体系，为区属各系统提供单点登录@sso","区级数据共享交换平台@exchange",
  "区公共数据资源目录编制@catalog","区级电子印章制作与管理@seal","区级电子证照库::归集区级部门制发证照，提供用证核验@cert",
  "区政务云资源管理::云主机、存储资源申请与计量","区视频会议系统扩容@vconf",
  "“鹤湖通”App::区级政务服务移动端入口@mobile","区政务短信网关@msg","网络安全态势感知","运维监控管理"]),
("A03","市卫生健康委员会","郢州市“互联网+医疗健康”便民惠民服务工程","市属医院和基层医疗机构线上服务与区域协同",
 ["互联网医院平台::在线复诊、处方开具、药品配送","号源池统一预约::全市医院号源统一接入、统一预约@register",
  "影像云（云PACS）::检查影像云端存储，患者手机调阅胶片@pacs","检验检查结果互认@mutual.recog",
  "电子病历（EMR）评级改造::二级以上医院电子病历系统功能升级","家庭医生签约服务::居民线上签约、续约@family.doctor",
  "居民EHR建档与授权调阅@ehr","医疗机构综合监管::医疗机构执业许可、校验与卫生监督执法","权限管理"]),
("A04","市民政局","郢州市智慧养老服务平台","机构养老、居家社区养老服务监管与补贴",
 ["养老机构监管::养老机构备案、等级评定、日常检查@elder.inst","居家养老上门服务补贴申领发放@elder.subsidy",
  "老年助餐服务管理::助餐点、用餐记录与助餐补贴结算","特困人员供养服务::分散、集中供养对象管理与供养金发放@tekun",
  "智能穿戴设备统一接入::老人手环、烟感、跌倒报警器等设备接入与管理@iot","紧急呼叫服务::老人一键呼叫、坐席响应派单",
  "养老服务地图::在市时空底图上展示养老服务设施分布","数据备份"]),
("A05","市城市管理执法局","郢州市城市综合管理服务平台（运管服平台）建设项目","按住建部运管服平台标准升级数字城管",
 ["数字城管案件智能派遣::城管问题自动分类派遣至责任单位处置@cg.dispatch","渣土车全过程监管::建筑垃圾产生、运输、消纳全过程@muck",
  "智慧停车综合管理平台::全市公共停车场泊位接入、停车诱导与共享@parking",
  "燃气管网运行安全监测::燃气管网压力、泄漏物联网监测报警@gas",
  "占道经营AI视频识别::基于视频的占道经营、乱堆物料自动识别","公共视频资源接入调阅::接入全市社会面视频用于城市管理@video",
  "户外招牌设置审批@ad.permit","环卫车辆作业监管@sanitation","用户管理"]),
("A06","市生态环境局","郢州市生态环境智慧监测监管能力提升项目","大气、污染源、固废监测监管能力提升",
 ["大气环境质量自动监测站联网@air","空气质量预报预警::基于数值模型的未来7天空气质量预报",
  "污染源自动监控@pollution.online","机动车尾气遥感监测","排污许可证核发@discharge.permit",
  "生态环境执法办案::执法检查、立案、处罚全流程@env.enforce","工地扬尘噪声监测@dust","固废危废全过程监管@solid.waste",
  "系统管理"]),
("A07","市教育局","郢州市教育数字化转型项目","招生、课后服务、食堂安全与教师管理数字化",
 ["义务教育入学“一件事”网上报名@enroll","学生体质健康监测",
  "中小学校食堂“互联网+明厨亮灶”::学校食堂后厨视频实时监看与违规行为识别@kitchen","课后服务选课@after.school",
  "课后服务费收缴::自建银行收费通道在线收取课后服务费@pay","教育资源公共服务平台::优质课程资源共享",
  "教师资格认定网上申报@teacher.cert","教师培训学分管理","学生资助申请与发放管理@edu.aid","角色管理"]),
("A08","市人力资源和社会保障局","郢州市就业和社会保障数字化服务提升项目","就业服务、社保经办与人社档案数字化",
 ["零工市场线上服务::灵活用工岗位发布与匹配","新就业形态劳动者参保::外卖、快递骑手等灵活就业人员参保登记@flex.si",
  "创业贷线上申办@startup.loan","欠薪线索预警::结合用水用电、社保缴纳数据预警企业欠薪风险","社保卡申领补换@sicard",
  "技能人才评价证书查询","养老待遇资格“静默认证”::基于大数据比对自动认证领取资格@si.qualify",
  "人社业务电子档案归档::经办材料电子化归档与长期保存@earchive","人社政策精准推送","就业失业登记线上办@employ.reg"]),
("A09","市应急管理局","郢州市城市安全风险综合监测预警平台（城市生命线）","燃气、供水、排水、桥梁等城市生命线安全监测",
 ["燃气管网泄漏监测::地下燃气管线及相邻空间可燃气体监测@gas","城市桥梁结构健康监测",
  "供水管网漏损监测::供水管网压力、流量监测与漏点定位@leak","排水防涝监测::易涝点积水深度实时监测@waterlog",
  "危化企业重大危险源监测@hazchem","物联感知设备接入平台@iot",
  "应急指挥调度::事件处置中的资源调度、指令下达@emerg.command","值班值守@emerg.duty","系统设置"]),
("A10","东津区社会治理和城市运行中心","东津区“一网统管”基层治理项目","区城运中心与网格化基层治理",
 ["东津区IOC运行驾驶舱::全区运行指标监测与大屏展示@city.sign","网格事件上报处置@grid.event","矛盾纠纷调解@dispute",
  "重点人员管控@key.person","网格员考评@grid.assess","社区“一本账”减负::社区台账报表统一采集",
  "区视频会商@vconf","“有事好商量”居民议事","用户权限"]),
("A11","长岭县农业农村局","长岭县数字乡村建设项目","县域农业生产、乡村治理与防返贫数字化",
 ["农产品质量安全溯源码@agri.trace","高标准农田上图入库管理@hsfarmland","防返贫监测预警@poverty","农村“三资”管理@sanzi",
  "县域电商公共服务","农村人居环境整治监管@rural.env","智慧农机作业监测","涉农补贴“一卡通”发放@agri.subsidy",
  "数据导入导出"]),
("A12","市交通运输局","郢州市智慧交通综合提升项目","城市交通运行监测、停车与运输监管",
 ["交通运行监测调度中心（TOCC）::综合交通运行监测、协调与应急","城市停车信息平台::公共停车泊位统一接入与停车诱导@parking",
  "网约车平台数据接入与合规监管@ride.hail","公交智能调度::公交企业车辆排班与实时调度",
  "治超非现场执法::国省道超限超载自动检测与执法@overload","客运车辆和危货车辆动态监控@danger.vehicle",
  "道路运输经营许可网上办@trans.license","出租车服务质量信誉考核@taxi.assess","MaaS出行服务::公交、地铁、共享单车一站式出行规划",
  "系统管理"]),
("A13","市市场监督管理局","郢州市智慧监管和消费维权提升项目","信用监管、特种设备与消费维权",
 ["“双随机、一公开”抽查检查@random.check","企业信用风险分类管理","企业年报填报公示@annual.report",
  "消费投诉举报一键受理::12315投诉举报在线受理与转办@consumer.complaint","电梯应急处置::电梯困人96333救援调度",
  "特种设备安全监管::气瓶、电梯、锅炉等特种设备动态监管@special.equip","进口冷链食品追溯","食品经营许可证网上核发@food.license",
  "公共信用信息查询::企业信用报告查询与打印@credit.query","日志管理"]),
("A14","市住房和城乡建设局","郢州市智慧住建建设项目（二期）","工地监管、房产交易与住房租赁",
 ["BIM施工图智能审查","智慧工地::施工现场人员实名、扬尘、塔吊一体化监管@worker.realname+dust+tower.crane",
  "商品房预售款监管@presale.fund","房屋买卖合同网上备案@contract.file","物业专项维修资金归集使用@maint.fund","自建房安全排查整治",
  "住房租赁服务监管::租赁房源核验、租赁合同网签备案",
  "三维地图底图服务::自建二三维地图底图、地名地址匹配服务@gis","权限管理"]),
("A15","市文化和旅游局","“游郢州”智慧文旅提升项目","景区监管、预约与文旅消费",
 ["景区客流实时监测@tourist.flow","景区分时预约购票@scenic.booking","文旅消费券发放","旅游投诉快速处置@tour.complaint",
  "“一部手机游郢州”小程序::景区导览、线路推荐、文旅资讯","文物保护单位安全监测@relic","A级景区评定管理@scenic.grade","旅行社及导游管理",
  "系统日志"]),
("A16","市发展和改革委员会","郢州市企业服务综合平台（“郢企通”）","优化营商环境，惠企政策兑现与企业诉求办理",
 ["惠企政策“免申即享”::政策条件与企业数据自动匹配兑现","企业诉求直通车::企业诉求统一受理、分派、办理、回访@hotline+hotline.dispatch+revisit",
  "项目赋码与备案::企业投资项目在线赋码、备案@project.code+project.record","企业信用报告查询@credit.query","中介服务超市::企业在线选取中介服务机构@agency.market",
 "惠企政策库::政策统一发布、解读","企业开办一网通办@company.reg",
  "企业用户登录::接入江汉省统一身份认证平台，不另建账号体系","用户管理"]),
("A17","市人民政府办公厅","郢州市数字机关建设项目","市直机关办文、办会、办事数字化",
 ["掌上办公App::公文审批、待办处理移动端@mobile.oa","公文智能校对","重点工作督办@supervise",
  "电子文件单套制归档::办结公文自动归档、长期保存@earchive","云视讯会议@vconf","公务用车管理","会议通知签到::会议通知下发、参会回执、签到@meeting",
  "领导活动安排@schedule","政务信息采编报送@info.report","通讯录"]),
("A18","市医疗保障局","郢州市医保服务和基金监管能力提升项目","医保支付方式改革、基金监管与便民经办",
 ["DRG/DIP支付方式改革::按病组和病种分值付费结算与分析","医保基金智能监管::事前提醒、事中审核、事后监控@mi.fund",
  "长护险经办::失能评定、待遇享受和费用结算@ltc","门特线上申办::门诊特殊疾病待遇网上申请认定@mi.chronic",
  "异地就医直接结算备案@mi.offsite","定点医药机构协议管理@mi.designated","医保移动支付",
  "医保政策智能问答机器人@chatbot","日志管理"]),
("A19","市水务和湖泊局","郢州市智慧水务二期","水雨情、河湖、排水与供水管网",
 ["水雨情自动测报@water.rain","河湖长巡河APP::河湖长巡河打卡、问题上报@river",
  "城市内涝预警::易涝点积水监测与内涝风险预警@waterlog","排水许可审批",
  "供水管网漏损控制::DMA分区计量与漏损分析@leak","湖泊水质在线监测",
  "防汛会商调度::防汛指挥调度与会商@flood.command","取水许可审批@water.permit","用户管理"]),
("A20","郢州经济技术开发区管委会","郢州经开区智慧园区（一期）","园区政务服务、企业服务与安全监管",
 ["园区政务服务网上办事大厅@portal","园区企业服务中心::企业诉求受理、分派与办理@hotline+hotline.dispatch",
  "园区安全生产风险监测::园区危化企业重大危险源监测@hazchem","招商项目全流程管理","企业能耗在线监测",
  "园区公共视频资源汇聚共享@video","园区招商三维展示::在市时空大数据平台底图上叠加园区地块、楼宇招商信息",
  "园区SSO单点登录@sso","园区政务服务移动端App::园区办事移动端入口@mobile","园区企业帮办代办@helpdesk","系统运维"]),
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
    write(os.path.join(here, "check7"), SYSTEMS, CAPABILITIES, APPLICATIONS)
