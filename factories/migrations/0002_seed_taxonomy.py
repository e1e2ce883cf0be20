"""The category tree and the industrial belts: reference data every environment needs.

Kept inline (not imported from app code) so this migration means the same thing forever.
Later changes to the taxonomy are new migrations.
"""

from django.db import migrations

CATEGORIES = [
    ("beauty", "美妆个护", "Beauty & Personal Care", [
        ("facial-masks", "面膜", "Facial masks"),
        ("skincare", "护肤", "Skincare"),
        ("makeup", "彩妆", "Makeup"),
        ("haircare", "洗护发", "Hair care"),
        ("body-care", "身体护理", "Body care"),
        ("fragrance", "香水香氛", "Fragrance"),
        ("beauty-tools", "美妆工具", "Beauty tools"),
    ]),
    ("food", "食品饮料", "Food & Beverages", [
        ("snacks", "休闲零食", "Snacks"),
        ("tea", "茶叶", "Tea"),
        ("coffee-drinks", "咖啡冲饮", "Coffee & drinks"),
        ("condiments", "调味品", "Condiments & sauces"),
        ("regional-specialties", "地方特产", "Regional specialties"),
        ("health-food", "营养保健", "Health foods"),
        ("fresh-produce", "生鲜果蔬", "Fresh produce"),
    ]),
    ("apparel", "服饰鞋包", "Apparel, Shoes & Bags", [
        ("womens-wear", "女装", "Women's wear"),
        ("mens-wear", "男装", "Men's wear"),
        ("underwear", "内衣家居服", "Underwear & loungewear"),
        ("shoes", "鞋靴", "Shoes & boots"),
        ("bags", "箱包", "Bags & luggage"),
        ("hanfu", "汉服", "Hanfu"),
        ("apparel-accessories", "服饰配件", "Apparel accessories"),
    ]),
    ("home", "家居日用", "Home & Daily Use", [
        ("storage", "收纳整理", "Storage & organization"),
        ("cleaning", "清洁用品", "Cleaning supplies"),
        ("bedding", "床上用品", "Bedding"),
        ("home-textiles", "家纺布艺", "Home textiles"),
        ("small-appliances", "小家电", "Small appliances"),
        ("daily-sundries", "日用百货", "Daily sundries"),
    ]),
    ("ceramics", "陶瓷餐具", "Ceramics & Tableware", [
        ("tableware", "餐具", "Tableware"),
        ("tea-sets", "茶具", "Tea sets"),
        ("cups-mugs", "杯子水具", "Cups & mugs"),
        ("vases-decor", "花瓶摆件", "Vases & décor"),
    ]),
    ("hardware", "五金工具", "Hardware & Tools", [
        ("hand-tools", "手动工具", "Hand tools"),
        ("power-tools", "电动工具", "Power tools"),
        ("knives", "刀剪", "Knives & scissors"),
        ("cookware", "锅具", "Cookware"),
        ("vacuum-flasks", "保温杯壶", "Vacuum flasks"),
        ("locks", "锁具", "Locks"),
    ]),
    ("mother-baby", "母婴", "Mother & Baby", [
        ("baby-care", "婴童护理", "Baby care"),
        ("feeding", "喂养用品", "Feeding"),
        ("kids-wear", "童装", "Kids' wear"),
        ("toys", "玩具", "Toys"),
    ]),
    ("digital", "数码配件", "Digital Accessories", [
        ("earphones-speakers", "耳机音箱", "Earphones & speakers"),
        ("chargers-cables", "充电器数据线", "Chargers & cables"),
        ("phone-cases", "手机壳膜", "Phone cases & films"),
        ("smart-wearables", "智能穿戴", "Smart wearables"),
    ]),
    ("jewelry", "珠宝饰品", "Jewelry & Accessories", [
        ("fashion-jewelry", "时尚饰品", "Fashion jewelry"),
        ("pearls", "珍珠", "Pearls"),
        ("jade", "玉石翡翠", "Jade"),
    ]),
    ("sports", "运动户外", "Sports & Outdoors", [
        ("fitness", "健身器材", "Fitness equipment"),
        ("outdoor-gear", "户外装备", "Outdoor gear"),
        ("sportswear", "运动服饰", "Sportswear"),
    ]),
    ("pets", "宠物用品", "Pet Supplies", [
        ("pet-food", "宠物食品", "Pet food"),
        ("pet-toys", "宠物玩具", "Pet toys"),
        ("pet-care", "宠物护理", "Pet care"),
    ]),
]

INDUSTRIAL_BELTS = [
    ("jingdezhen-ceramics", "景德镇陶瓷", "Jingdezhen ceramics", "江西", "景德镇"),
    ("chaozhou-ceramics", "潮州陶瓷", "Chaozhou ceramics", "广东", "潮州"),
    ("dehua-ceramics", "德化陶瓷", "Dehua ceramics", "福建", "泉州"),
    ("guangzhou-baiyun-cosmetics", "广州白云美妆", "Guangzhou Baiyun cosmetics", "广东", "广州"),
    ("yiwu-commodities", "义乌小商品", "Yiwu small commodities", "浙江", "金华"),
    ("linyi-trade", "临沂商贸物流", "Linyi trade goods", "山东", "临沂"),
    ("yongkang-hardware", "永康五金", "Yongkang hardware", "浙江", "金华"),
    ("chenghai-toys", "汕头澄海玩具", "Chenghai toys", "广东", "汕头"),
    ("jinjiang-shoes", "泉州晋江鞋业", "Jinjiang shoes", "福建", "泉州"),
    ("humen-apparel", "东莞虎门服装", "Humen apparel", "广东", "东莞"),
    ("hangzhou-womenswear", "杭州女装", "Hangzhou women's wear", "浙江", "杭州"),
    ("zhili-kidswear", "湖州织里童装", "Zhili kids' wear", "浙江", "湖州"),
    ("shenzhen-electronics", "深圳3C数码", "Shenzhen electronics", "广东", "深圳"),
    ("baigou-bags", "白沟箱包", "Baigou bags", "河北", "保定"),
    ("zhuji-pearls", "诸暨珍珠", "Zhuji pearls", "浙江", "绍兴"),
    ("yangjiang-knives", "阳江刀剪", "Yangjiang knives", "广东", "阳江"),
    ("anxi-tea", "安溪茶叶", "Anxi tea", "福建", "泉州"),
    ("luohe-food", "漯河食品", "Luohe food", "河南", "漯河"),
    ("nantong-home-textiles", "南通家纺", "Nantong home textiles", "江苏", "南通"),
    ("cixi-appliances", "慈溪小家电", "Cixi small appliances", "浙江", "宁波"),
    ("caoxian-hanfu", "曹县汉服", "Caoxian hanfu", "山东", "菏泽"),
    ("sihui-jade", "四会玉器", "Sihui jade", "广东", "肇庆"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("factories", "Category")
    IndustrialBelt = apps.get_model("factories", "IndustrialBelt")
    for position, (slug, name, name_en, children) in enumerate(CATEGORIES):
        parent, _ = Category.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "parent": None, "position": position}
        )
        for child_position, (child_slug, child_name, child_name_en) in enumerate(children):
            Category.objects.update_or_create(
                slug=child_slug,
                defaults={"name": child_name, "name_en": child_name_en, "parent": parent, "position": child_position},
            )
    for slug, name, name_en, province, city in INDUSTRIAL_BELTS:
        IndustrialBelt.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "province": province, "city": city}
        )


class Migration(migrations.Migration):
    dependencies = [("factories", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
