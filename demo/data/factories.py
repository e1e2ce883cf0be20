"""Demo factories, placed in the industrial belts seeded by factories/migrations/0002_seed_taxonomy.py.

Names are invented but follow real company naming (城市 + 字号 + 行业 + 有限公司). `division` is the
real 6-digit administrative division code of the district or county, used in the generated
unified social credit code, so codes look like those of the place. `key` is the login name and
never changes (the seed finds existing rows by it).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoFactory:
    key: str
    name: str
    belt: str | None
    division: str
    categories: tuple[str, ...]
    customization: str = "oem"
    status: str = "verified"  # verified | pending | rejected
    tier: str = "standard"
    province: str = ""  # only for factories outside the seeded belts
    city: str = ""
    extra: dict = field(default_factory=dict)


F = DemoFactory
BELT_LOCATIONS = {
    # slug: (province, city) as seeded; repeated here so demo data never queries to build itself.
    "jingdezhen-ceramics": ("江西", "景德镇"),
    "chaozhou-ceramics": ("广东", "潮州"),
    "dehua-ceramics": ("福建", "泉州"),
    "guangzhou-baiyun-cosmetics": ("广东", "广州"),
    "yiwu-commodities": ("浙江", "金华"),
    "linyi-trade": ("山东", "临沂"),
    "yongkang-hardware": ("浙江", "金华"),
    "chenghai-toys": ("广东", "汕头"),
    "jinjiang-shoes": ("福建", "泉州"),
    "humen-apparel": ("广东", "东莞"),
    "hangzhou-womenswear": ("浙江", "杭州"),
    "zhili-kidswear": ("浙江", "湖州"),
    "shenzhen-electronics": ("广东", "深圳"),
    "baigou-bags": ("河北", "保定"),
    "zhuji-pearls": ("浙江", "绍兴"),
    "yangjiang-knives": ("广东", "阳江"),
    "anxi-tea": ("福建", "泉州"),
    "luohe-food": ("河南", "漯河"),
    "nantong-home-textiles": ("江苏", "南通"),
    "cixi-appliances": ("浙江", "宁波"),
    "caoxian-hanfu": ("山东", "菏泽"),
    "sihui-jade": ("广东", "肇庆"),
}

REJECTION_REASON = "营业执照照片模糊，无法核对统一社会信用代码，请重新上传清晰的营业执照。"

FACTORIES: list[DemoFactory] = [
    # The printed demo factory account owns the first one.
    F(
        "demo_factory",
        "景德镇市青瓷坊陶瓷有限公司",
        "jingdezhen-ceramics",
        "360203",
        ("tableware", "tea-sets", "cups-mugs"),
        "odm",
        tier="super",
    ),
    F(
        "jdz_yuyaoli",
        "景德镇御窑里瓷业有限公司",
        "jingdezhen-ceramics",
        "360203",
        ("tea-sets", "vases-decor"),
        "odm",
    ),
    F("jdz_changnan", "景德镇市昌南窑陶瓷厂", "jingdezhen-ceramics", "360222", ("tableware", "cups-mugs")),
    F("cz_fengxi", "潮州市枫溪恒彩陶瓷有限公司", "chaozhou-ceramics", "445103", ("tableware", "cups-mugs")),
    F(
        "cz_hanjiang",
        "潮州韩江瓷业有限公司",
        "chaozhou-ceramics",
        "445102",
        ("tea-sets", "tableware"),
        status="pending",
    ),
    F("dh_baici", "德化县白瓷源陶瓷有限公司", "dehua-ceramics", "350526", ("vases-decor", "tea-sets"), "odm"),
    F("dh_yunqi", "德化云栖陶瓷工艺厂", "dehua-ceramics", "350526", ("cups-mugs", "tea-sets")),
    F(
        "gz_meiyan",
        "广州美妍生物科技有限公司",
        "guangzhou-baiyun-cosmetics",
        "440111",
        ("facial-masks", "skincare", "body-care"),
        "odm",
        tier="super",
    ),
    F(
        "gz_yashi",
        "广州雅诗澜化妆品有限公司",
        "guangzhou-baiyun-cosmetics",
        "440111",
        ("makeup", "skincare"),
        "odm",
    ),
    F(
        "gz_qingyan",
        "广州市清颜日化有限公司",
        "guangzhou-baiyun-cosmetics",
        "440111",
        ("haircare", "body-care"),
    ),
    F(
        "gz_xiangtang",
        "广州香棠香氛科技有限公司",
        "guangzhou-baiyun-cosmetics",
        "440111",
        ("fragrance", "body-care"),
    ),
    F(
        "gz_lanting",
        "广州兰亭生物科技有限公司",
        "guangzhou-baiyun-cosmetics",
        "440111",
        ("facial-masks", "makeup"),
        status="rejected",
    ),
    F(
        "yw_jiayi",
        "义乌市佳忆日用品有限公司",
        "yiwu-commodities",
        "330782",
        ("storage", "daily-sundries"),
        tier="super",
    ),
    F(
        "yw_xingchen",
        "义乌星辰饰品有限公司",
        "yiwu-commodities",
        "330782",
        ("fashion-jewelry", "apparel-accessories"),
    ),
    F("yw_meizhuang", "义乌市美妆工具厂", "yiwu-commodities", "330782", ("beauty-tools",)),
    F("yw_mengchong", "义乌萌宠用品有限公司", "yiwu-commodities", "330782", ("pet-toys", "pet-care")),
    F("ly_jiejing", "临沂洁净日化用品有限公司", "linyi-trade", "371302", ("cleaning", "daily-sundries")),
    F("ly_mengshan", "临沂蒙山食品有限公司", "linyi-trade", "371302", ("snacks",), "none"),
    F("ly_shouna", "临沂市兰山区优家收纳用品厂", "linyi-trade", "371302", ("storage",), status="pending"),
    F(
        "yk_hengwen",
        "永康市恒温杯业有限公司",
        "yongkang-hardware",
        "330784",
        ("vacuum-flasks", "cookware"),
        "odm",
        tier="super",
    ),
    F("yk_jinli", "永康金力工具有限公司", "yongkang-hardware", "330784", ("hand-tools", "power-tools")),
    F("yk_anjia", "永康安家智能锁业有限公司", "yongkang-hardware", "330784", ("locks",)),
    F("yk_kangyun", "永康市康运健身器材有限公司", "yongkang-hardware", "330784", ("fitness", "outdoor-gear")),
    F("ch_leqi", "汕头市澄海区乐启玩具有限公司", "chenghai-toys", "440515", ("toys",)),
    F("ch_tongle", "澄海童乐玩具实业有限公司", "chenghai-toys", "440515", ("toys",), "odm"),
    F("ch_xingyu", "汕头星宇模型玩具厂", "chenghai-toys", "440515", ("toys",), status="pending"),
    F("jj_feibu", "晋江市飞步鞋业有限公司", "jinjiang-shoes", "350582", ("shoes", "sportswear"), "odm"),
    F("jj_qingyue", "晋江轻跃体育用品有限公司", "jinjiang-shoes", "350582", ("shoes",)),
    F("jj_chenpao", "泉州晨跑服饰有限公司", "jinjiang-shoes", "350582", ("sportswear", "shoes")),
    F("hm_yishang", "东莞市虎门衣尚服饰有限公司", "humen-apparel", "441900", ("womens-wear", "mens-wear")),
    F("hm_junlang", "虎门俊朗制衣厂", "humen-apparel", "441900", ("mens-wear",)),
    F("hz_siji", "杭州四季青语服饰有限公司", "hangzhou-womenswear", "330113", ("womens-wear",), "odm"),
    F("hz_yunshang", "杭州云裳服装有限公司", "hangzhou-womenswear", "330113", ("womens-wear", "underwear")),
    F("zl_xiaomiao", "湖州织里小苗童装有限公司", "zhili-kidswear", "330502", ("kids-wear",)),
    F("zl_tongqu", "织里镇童趣服饰厂", "zhili-kidswear", "330502", ("kids-wear", "baby-care")),
    F(
        "sz_shengbo",
        "深圳市声波电子科技有限公司",
        "shenzhen-electronics",
        "440306",
        ("earphones-speakers", "smart-wearables"),
        "odm",
    ),
    F(
        "sz_kuaichong",
        "深圳快充科技有限公司",
        "shenzhen-electronics",
        "440309",
        ("chargers-cables", "phone-cases"),
    ),
    F(
        "sz_pinke",
        "深圳品壳数码有限公司",
        "shenzhen-electronics",
        "440306",
        ("phone-cases",),
        status="pending",
    ),
    F("bg_lvxing", "高碑店市白沟旅行箱包有限公司", "baigou-bags", "130684", ("bags",)),
    F("bg_yaxuan", "白沟雅轩皮具厂", "baigou-bags", "130684", ("bags",)),
    F("zj_zhuguang", "诸暨市珠光珍珠有限公司", "zhuji-pearls", "330681", ("pearls", "fashion-jewelry")),
    F("yj_xinli", "阳江市鑫利刃具厂", "yangjiang-knives", "441702", ("knives",)),
    F("yj_ruifeng", "阳江锐锋刀剪有限公司", "yangjiang-knives", "441704", ("knives", "cookware")),
    F("ax_tieguanyin", "安溪县铁观音茶业有限公司", "anxi-tea", "350524", ("tea",), "none"),
    F("ax_mingxiang", "安溪茗香茶业有限公司", "anxi-tea", "350524", ("tea",), "none"),
    F("lh_weilong", "漯河市味龙食品有限公司", "luohe-food", "411102", ("snacks", "condiments"), "none"),
    F("lh_xiangwei", "漯河香味源食品有限公司", "luohe-food", "411104", ("snacks",), "none"),
    F(
        "nt_mianmian",
        "南通市海门绵绵家纺有限公司",
        "nantong-home-textiles",
        "320614",
        ("bedding", "home-textiles"),
    ),
    F("nt_dieshiqiao", "南通叠石桥家纺有限公司", "nantong-home-textiles", "320614", ("bedding",)),
    F("cx_zhihui", "慈溪市智慧电器有限公司", "cixi-appliances", "330282", ("small-appliances",), "odm"),
    F("cx_jiashan", "慈溪佳善小家电厂", "cixi-appliances", "330282", ("small-appliances",)),
    F("caox_hanyun", "曹县汉韵服饰有限公司", "caoxian-hanfu", "371721", ("hanfu",), "odm"),
    F("sh_yuyuan", "四会市玉缘珠宝有限公司", "sihui-jade", "441284", ("jade",), "none"),
    # A few origins that are not among the seeded belts.
    F(
        "yn_baoshan",
        "保山市高黎贡咖啡有限公司",
        None,
        "530502",
        ("coffee-drinks",),
        "none",
        province="云南",
        city="保山",
    ),
    F(
        "nx_zhongning",
        "中宁县杞乡枸杞有限公司",
        None,
        "640521",
        ("health-food",),
        "none",
        province="宁夏",
        city="中卫",
    ),
    F(
        "gn_qiyuan",
        "信丰县脐源果业合作社",
        None,
        "360722",
        ("fresh-produce",),
        "none",
        province="江西",
        city="赣州",
    ),
    F(
        "st_chendian",
        "汕头市潮南区陈店美姿内衣厂",
        None,
        "440514",
        ("underwear",),
        province="广东",
        city="汕头",
    ),
    F(
        "xt_nanhe",
        "邢台市南和区宠乐宠物食品有限公司",
        None,
        "130506",
        ("pet-food",),
        province="河北",
        city="邢台",
    ),
    F(
        "lz_luosi",
        "柳州市螺香记食品有限公司",
        None,
        "450202",
        ("regional-specialties", "condiments"),
        "none",
        province="广西",
        city="柳州",
    ),
]
