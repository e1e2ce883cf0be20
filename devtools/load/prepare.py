"""Write what the load run needs (API tokens of the demo streamers, ids of products they can take
on trial, search words) to a JSON file. Run with the stack's environment (devtools/load/run)."""

import json
import os
import sys

import django

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
django.setup()

from rest_framework.authtoken.models import Token  # noqa: E402

from factories.models import Product, ProductStatus, VerificationStatus  # noqa: E402
from marketplace.accounts.models import User  # noqa: E402
from marketplace.addresses import divisions  # noqa: E402
from marketplace.addresses.models import Address  # noqa: E402
from marketplace.addresses.services import address_create  # noqa: E402

buyers = User.objects.filter(role="buyer", buyer_profile__isnull=False)
# A trial ships to the streamer's default address (issue 18): give one to any load streamer from
# a database seeded before addresses existed, through the service, as the demo seed does.
province, city, district = divisions.lookup("浙江", "杭州")
for n, user in enumerate(buyers.exclude(pk__in=Address.objects.values("owner"))):
    address_create(
        actor=user,
        data={
            "recipient": "压测主播",
            "mobile": f"1390000{n:04d}",
            "province_code": province,
            "city_code": city,
            "district_code": district,
            "street": f"直播基地 {n + 1} 号楼",
        },
    )
tokens = [Token.objects.get_or_create(user=u)[0].key for u in buyers]
products = list(
    Product.objects.filter(
        status=ProductStatus.ACTIVE,
        factory__verification_status=VerificationStatus.VERIFIED,
        factory__accepts_trials=True,
        trial_eligible=True,
    ).values_list("pk", flat=True)
)
words = ["面膜", "收纳盒", "蓝牙耳机", "茶具", "杯", "保湿", "儿童", "陶瓷", "螺蛳粉", "数据线"]
with open(sys.argv[1], "w") as out:
    json.dump({"tokens": tokens, "products": products, "words": words}, out)
print(f"load fixture: {len(tokens)} streamer tokens, {len(products)} trial products")
