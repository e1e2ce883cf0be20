"""Seeding a big market fast: bulk inserts only (no services, no per-row signals or hashing)."""

import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection

from buyers.models import BuyerProfile, Channel
from factories.models import Category, Factory, IndustrialBelt, Product
from marketplace.accounts.models import Role, User

# A catalog's words follow a long tail: a few very common selling words, many rare ones. Titles
# draw from ~190 feature / material / style words with Zipf-like weights.
MODIFIERS = (  # noqa: SIM905 - a word list reads better as text
    "补水 便携 家用 大容量 迷你 高端 新款 网红 加厚 折叠 无线 智能 手工 创意 复古 北欧 日式 韩版 简约 轻奢 "
    "防水 防滑 静音 速干 保湿 美白 控油 修护 抗皱 舒缓 清爽 温和 敏感肌 孕妇可用 儿童 宝宝 学生 办公 户外 "
    "旅行 车载 宿舍 厨房 卫生间 客厅 卧室 阳台 桌面 壁挂 免打孔 可叠加 可水洗 可拆卸 可折叠 大号 小号 加大 "
    "加长 超薄 超轻 耐磨 耐高温 耐摔 抗菌 除螨 防蚊 驱虫 降噪 长续航 快充 磁吸 蓝牙 触控 高清 护眼 恒温 "
    "速热 冷萃 低糖 无糖 零添加 有机 手冲 现烤 真空 密封 保鲜 透气 吸汗 弹力 高腰 宽松 修身 显瘦 百搭 "
    "ins风 国潮 古风 新中式 马卡龙 莫兰迪 奶油风 原木 复古风 工业风 田园 法式 少女心 男士 女士 情侣 亲子 "
    "老人 送礼 伴手礼 节日 春节 中秋 年货 夏季 冬季 四季 纯棉 真丝 羊毛 亚麻 竹纤维 硅胶 不锈钢 陶瓷 玻璃 "
    "实木 竹制 皮革 帆布 尼龙 合金 钛合金 铝合金 PP ABS 食品级 医用级 母婴级"
).split()
EXTRAS = [
    "",
    "",
    "",
    "",
    " Pro",
    " Max",
    " 5.3",
    " 316",
    " 2024款",
    " TWS",
    " 10片装",
    " 500ml",
    " 3件套",
    " XL",
]
WEIGHTS = [1 / (rank + 1) for rank in range(len(MODIFIERS))]
PROVINCES = ["广东", "浙江", "福建", "江西", "山东", "江苏", "河南", "河北"]
BATCH = 5000


def _rng(seed: int) -> random.Random:
    return random.Random(seed)


def seed_market(*, products: int, factories: int, buyers: int, seed: int = 1) -> dict:
    rng = _rng(seed)
    leaves = list(Category.objects.filter(parent__isnull=False))
    belts = list(IndustrialBelt.objects.all())
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"bench-f{i}", role=Role.FACTORY, password=unusable) for i in range(factories)]
        + [User(username=f"bench-b{i}", role=Role.BUYER, password=unusable) for i in range(buyers)],
        batch_size=BATCH,
    )
    factory_rows = []
    for i, owner in enumerate(users[:factories]):
        belt = rng.choice(belts) if rng.random() < 0.5 else None
        factory_rows.append(
            Factory(
                owner=owner,
                name=f"{rng.choice(PROVINCES)}{rng.choice(MODIFIERS)}工厂{i}",
                province=belt.province if belt else rng.choice(PROVINCES),
                city=belt.city if belt else "-",
                industrial_belt=belt,
                credit_code=f"BENCH{i:013d}",
                verification_status="verified",
                tier="super" if rng.random() < 0.15 else "standard",
                customization=rng.choice(["none", "oem", "odm"]),
                trial_conversion_rate=Decimal(str(round(rng.uniform(0, 0.6), 3))),
                return_rate=Decimal(str(round(rng.uniform(0, 0.3), 3))),
                response_rate=Decimal(str(round(rng.uniform(0.3, 1), 3))),
            )
        )
    factory_rows = Factory.objects.bulk_create(factory_rows, batch_size=BATCH)
    home = {f.pk: rng.choice(leaves) for f in factory_rows}
    Through = Factory.categories.through
    Through.objects.bulk_create(
        [Through(factory_id=fid, category_id=c.pk) for fid, c in home.items()], batch_size=BATCH
    )
    rows = []
    fids = [f.pk for f in factory_rows]
    for i in range(products):
        fid = fids[i % len(fids)]
        category = home[fid] if rng.random() < 0.8 else rng.choice(leaves)
        first, second = rng.choices(MODIFIERS, weights=WEIGHTS, k=2)
        title = f"{first}{second}{category.name}{rng.choice(EXTRAS)}"
        rows.append(
            Product(
                factory_id=fid,
                title=title,
                description=f"{category.name}源头工厂直供，{rng.choice(MODIFIERS)}设计，"
                f"支持{rng.choice(['一件代发', '定制logo', '五折试销'])}",
                category=category,
                factory_price=Decimal(str(round(rng.uniform(5, 300), 2))),
                moq=rng.choice([20, 50, 100, 200, 500, 1000, 2000]),
                lead_time_days=rng.randint(3, 30),
                customizable=rng.random() < 0.4,
                trial_eligible=rng.random() < 0.8,
                status="active" if rng.random() < 0.95 else "pending_review",
            )
        )
        if len(rows) == BATCH:
            Product.objects.bulk_create(rows)
            rows = []
    Product.objects.bulk_create(rows)
    buyer_rows = []
    for i, user in enumerate(users[factories:]):
        centre = rng.uniform(15, 150)
        buyer_rows.append(
            BuyerProfile(
                user=user,
                display_name=f"主播{i}",
                price_min=Decimal(str(round(centre * 0.6, 2))),
                price_max=Decimal(str(round(centre * 1.4, 2))),
                units_per_session=rng.choice([100, 300, 500, 1000, 3000]),
                needs_customization=rng.random() < 0.25,
                province=rng.choice(PROVINCES),
            )
        )
    buyer_rows = BuyerProfile.objects.bulk_create(buyer_rows, batch_size=BATCH)
    BuyerThrough = BuyerProfile.categories.through
    BuyerThrough.objects.bulk_create(
        [
            BuyerThrough(buyerprofile_id=b.pk, category_id=c.pk)
            for b in buyer_rows
            for c in rng.sample(leaves, rng.choice([1, 1, 2]))
        ],
        batch_size=BATCH,
    )
    Channel.objects.bulk_create(
        [
            Channel(buyer=b, platform="douyin", handle=f"bench{b.pk}", followers=rng.randint(1000, 5_000_000))
            for b in buyer_rows
        ],
        batch_size=BATCH,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"users": [u for u in users[factories:]], "buyers": buyer_rows}
