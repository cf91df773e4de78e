"""Fixed vocabularies of the demo: places, teams, products, people's and firms' names.

Kept apart from the generators so that the numbers (weights, medians) that shape
the data can be read in one place; every name is GBK-encodable because the CRM
exports are written in GBK.
"""

from __future__ import annotations

BRANCHES = ("浦东", "徐汇", "静安", "黄浦", "闵行", "嘉定", "宝山", "松江")
BRANCH_WEIGHTS = (0.22, 0.13, 0.14, 0.15, 0.12, 0.08, 0.08, 0.08)

# Team segments per branch, in the order teams are kept when the demo is scaled down.
TEAM_SEGMENTS = {
    "浦东": ("金融", "制造", "政企", "商客", "金融"),
    "徐汇": ("政企", "金融", "商客", "政企"),
    "静安": ("金融", "商客", "政企", "金融"),
    "黄浦": ("金融", "政企", "商客", "金融"),
    "闵行": ("制造", "政企", "商客", "制造"),
    "嘉定": ("制造", "政企", "商客"),
    "宝山": ("制造", "政企", "商客"),
    "松江": ("制造", "政企", "商客"),
}
ORDINALS = ("一", "二", "三", "四")

SEGMENT_INDUSTRIES = {
    "金融": ("金融",),
    "政企": ("政府", "教育", "医疗"),
    "制造": ("制造", "物流"),
    "商客": ("零售", "房地产", "互联网", "酒店餐饮"),
}

# product: (business_type, simple?, median annual value CNY, log-sd, legacy revenue weight)
PRODUCTS = {
    "综合VPN": ("basic", True, 30_000, 0.75, 0.22),
    "企业总机": ("basic", True, 22_000, 0.70, 0.08),
    "短信群发": ("basic", True, 14_000, 0.65, 0.05),
    "精品智能组网": ("transformation", False, 28_000, 0.80, 0.04),
    "数据专线": ("basic", False, 42_000, 0.75, 0.25),
    "IPTV": ("transformation", True, 16_000, 0.65, 0.04),
    "互联网专线": ("basic", False, 36_000, 0.75, 0.22),
    "号百信息": ("transformation", True, 12_000, 0.60, 0.03),
    "ICT集成": ("transformation", False, 70_000, 0.9, 0.07),
}
PRODUCT_WEIGHTS = (0.18, 0.12, 0.08, 0.09, 0.15, 0.06, 0.16, 0.05, 0.11)
# Yearly growth of legacy recurring revenue: voice and SMS shrink, ICT grows.
PRODUCT_GROWTH = (-0.04, 0.02, -0.08, 0.15, 0.01, -0.03, 0.03, -0.10, 0.10)

# Stint medians in days for stages 0..4, and won -> implementing (5).
STAGE_MEDIAN_DAYS = (12, 18, 21, 30, 10)
IMPLEMENT_MEDIAN_DAYS = 20

TIERS = ("金卡", "银卡", "普通")
TIER_WEIGHTS = (0.08, 0.22, 0.70)
TIER_VALUE_FACTOR = (1.5, 1.2, 1.0)

COMPETITORS = ("中国移动", "中国联通", "其他")
COMPETITOR_WEIGHTS = (0.55, 0.35, 0.10)

# Campaign running in each calendar month; "{y}" is replaced by the year.
MONTH_CAMPAIGNS = {
    1: "{y}开门红",
    2: "{y}开门红",
    3: "{y}春季政企行动",
    4: "{y}春季政企行动",
    5: "5G专线推广月",
    6: "中小企业上云季",
    7: "中小企业上云季",
    8: "智慧校园专项",
    9: "{y}秋季商客攻坚",
    10: "{y}秋季商客攻坚",
    11: "云网融合推广月",
    12: "{y}年终冲刺",
}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严武戴孔汤"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红鹏飞斌宇浩凯晨婷雪琳晶欣怡佳颖俊帆"
    "文博辉峰建亮云龙海林慧倩蕾怡颖嘉豪子轩梓涵睿思雨彤昊然一诺欣宁晓东立新志刚永春燕玲"
)

FIRM_CHARS = "华信达安恒泰宏盛联创鑫博瑞丰源景嘉新金通海天中汇德永隆兴益和福康诚正光明东申沪浦谷茂远卓"
FIRM_WORDS = {
    "金融": ("证券", "投资管理", "资产管理", "融资租赁", "保险经纪", "基金销售", "小额贷款"),
    "制造": ("精密机械", "电子科技", "汽车零部件", "新材料", "化工", "医疗器械", "智能装备"),
    "物流": ("物流", "供应链管理", "国际货运代理", "仓储服务", "冷链物流"),
    "零售": ("商贸", "百货", "连锁超市", "电子商务", "便利店"),
    "房地产": ("置业", "物业管理", "房地产开发", "商业管理"),
    "互联网": ("网络科技", "信息技术", "数据服务", "软件"),
    "酒店餐饮": ("酒店管理", "餐饮管理", "文化旅游"),
}
FIRM_SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司")
PUBLIC_NAMES = {
    "政府": (
        "市场监督管理局",
        "人力资源和社会保障局",
        "城市管理行政执法局",
        "街道办事处",
        "税务局",
        "规划和自然资源局",
    ),
    "教育": ("中学", "实验小学", "职业技术学院", "外国语学校", "高级中学"),
    "医疗": ("中心医院", "社区卫生服务中心", "妇幼保健院", "中医医院", "口腔医院"),
}
NAME_ACTIONS = ("新装", "扩容", "升级", "续约", "改造", "融合")

ROLE_LABELS = {
    "account_manager": "客户经理",
    "team_manager": "团队经理",
    "industry_manager": "行业经理",
    "branch_head": "分局局长",
    "director": "营销总监",
    "analyst": "分析员",
}
