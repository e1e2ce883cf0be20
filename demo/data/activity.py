"""Deals in flight, so that each printed login has something to do on its pages.

The factory (demo_factory) finds trials, samples and custom requests waiting in every state, a
listing under review, one rejected with the reviewer's reason and a live one whose new price waits
for staff; the streamer (demo_streamer)
has trials at several stages (one to pay, one to receive feedback on, one to convert), a sample
to receive, and an open custom request with three quotes to compare; the factory takes video tours
on weekday afternoons, with the streamer's request waiting for an answer and another streamer's
call confirmed; the streamer talks with the factory (agreed: contact details shown) and with another
factory not agreed with yet (contact details masked); both have unread notifications. Everything goes through the trials services, as the web pages and the API would,
so the states, events and notifications are real. Runs once: if the demo factory already has a
trial, the activity exists and nothing is added.
"""

from collections import Counter
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from conversations.agreements import agreement_between
from conversations.services import contact_card_set, conversation_start, message_post
from factories.models import CustomizationLevel, Factory, Product, ProductStatus, VerificationStatus
from factories.services import product_create, product_reject, product_update
from marketplace.accounts.models import User
from tours.services.availability import WindowInput, tour_availability_save
from tours.services.bookings import tour_book, tour_confirm
from tours.zones import FACTORY_ZONE
from trials.models import TrialOrder
from trials.services.bulk import bulk_confirm, bulk_start_production
from trials.services.custom import custom_message_post, custom_request_create, quote_submit
from trials.services.payments import bulk_payment_start, payment_confirm_received, payment_start
from trials.services.samples import sample_accept, sample_create, sample_receive, sample_ship
from trials.services.trials import (
    trial_accept,
    trial_convert,
    trial_create,
    trial_feedback,
    trial_receive,
    trial_ship,
)

DEMO_MEETING_URL = "https://meeting.tencent.com/dm/yuantou-demo"

# Other demo streamers who send the factory requests (all exist in streamers.py).
REQUESTERS = ["s_shandong_dajie", "s_ameng", "s_laozhang", "s_yaya_mama", "s_tea_lin", "s_chaoge", "s_qiqi"]
REJECTED_TITLE = "青瓷茶具礼盒 大牌同款"
REJECTION = "标题使用了他人品牌的“大牌同款”字样，请去掉后重新提交，并上传自家实拍图。"

# How far each trial goes, in the order of the trial flow.
STEPS = ["requested", "accepted", "paid", "shipped", "in_trial", "feedback_submitted", "converted"]
SAMPLE_STEPS = ["requested", "accepted", "shipped", "received"]


class ActivitySeeder:
    def __init__(self, *, staff: User, report_counter: Counter):
        self.staff = staff
        self.created = report_counter
        self.users = {u.username: u for u in User.objects.filter(username__in=[*REQUESTERS, "demo_streamer"])}
        self.factory = Factory.objects.select_related("owner").get(owner__username="demo_factory")

    def run(self) -> None:
        if TrialOrder.objects.filter(factory=self.factory).exists():
            return
        streamer = self.users["demo_streamer"]
        products = list(
            self.factory.products.filter(status=ProductStatus.ACTIVE, trial_eligible=True).order_by("id")
        )
        # The factory's incoming trials, one in each state; three of them are the streamer's own.
        owners = [
            self.users["s_shandong_dajie"],
            self.users["s_ameng"],
            streamer,
            self.users["s_laozhang"],
            streamer,
            streamer,
            self.users["s_yaya_mama"],
        ]
        for product, buyer, step in zip(products, owners, STEPS, strict=False):
            self.trial(buyer, product, until=step)
        # The streamer's trials with other factories: one waiting for the factory, one to pay, and
        # one converted whose bulk order is in production (its deposit paid).
        others = self.other_trial_products(exclude=self.factory, count=3)
        for product, step in zip(others, ["requested", "accepted", "converted"], strict=False):
            trial = self.trial(streamer, product, until=step)
        if len(others) == 3:
            self.bulk_order_in_production(trial)
        # Incoming sample requests, one in each state (the shipped one is the streamer's to receive).
        sample_owners = [self.users["s_tea_lin"], self.users["s_chaoge"], streamer, self.users["s_qiqi"]]
        sample_products = list(self.factory.products.filter(status=ProductStatus.ACTIVE).order_by("-id"))
        for product, buyer, step in zip(sample_products, sample_owners, SAMPLE_STEPS, strict=False):
            self.sample(buyer, product, until=step)
        self.custom_requests(streamer)
        self.rejected_listing()
        self.listing_with_changes_under_review()
        self.video_tours(streamer)
        self.conversations(streamer)

    # -- video tours (视频看厂) ------------------------------------------------------------------
    def video_tours(self, streamer: User) -> None:
        """Weekday afternoons 14:00–17:00 (Asia/Shanghai), 30-minute calls, two at a time; on the
        next weekday at least two days ahead the streamer's request waits at 14:00 and another
        streamer's call is confirmed at 15:00 (times move with the day the seed runs)."""
        owner = self.factory.owner
        tour_availability_save(
            actor=owner,
            meeting_url=DEMO_MEETING_URL,
            slot_minutes=30,
            parallel_calls=2,
            windows=[WindowInput(day, time(14), time(17)) for day in range(5)],
            blackouts=[],
        )
        day = timezone.localtime(timezone.now(), FACTORY_ZONE).date() + timedelta(days=2)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        products = list(self.factory.products.filter(status=ProductStatus.ACTIVE).order_by("id")[:2])
        tour_book(
            actor=streamer,
            factory_id=self.factory.pk,
            starts_at=datetime.combine(day, time(14), tzinfo=FACTORY_ZONE),
            product_ids=[p.pk for p in products],
            agenda="想看注塑车间和包装线，确认一下质检流程。",
        )
        confirmed = tour_book(
            actor=self.users["s_laozhang"],
            factory_id=self.factory.pk,
            starts_at=datetime.combine(day, time(15), tzinfo=FACTORY_ZONE),
            product_ids=[p.pk for p in products[:1]],
            agenda="看一下样品间，聊聊定制包装。",
        )
        tour_confirm(booking=confirmed, actor=owner)
        self.created["tours"] += 2

    # -- conversations (私信) -------------------------------------------------------------------
    def conversations(self, streamer: User) -> None:
        """Two of the streamer's conversations, each with the factory's WeChat and phone in a message:
        with the demo factory, which has accepted their trials (agreed to talk: shown as written, and
        its contact card beside); and with a factory they have not agreed anything with yet (the
        same details read [contact hidden] until they do)."""
        buyer = streamer.buyer_profile
        owner = self.factory.owner
        contact_card_set(
            actor=owner,
            data={"name": "陈厂长", "phone": "13800138000", "wechat": "dehua_chen88", "email": ""},
        )
        agreed = conversation_start(actor=streamer, buyer=buyer, factory=self.factory)
        message_post(
            conversation=agreed, actor=streamer, body="陈厂长您好，试销的杯子卖得不错，想聊聊大货的交期。"
        )
        message_post(
            conversation=agreed,
            actor=owner,
            body="好的！大货 15 天可以出。细节加我微信 dehua_chen88，或者打电话 138 0013 8000。",
        )
        stranger = next(
            f
            for f in Factory.objects.filter(verification_status=VerificationStatus.VERIFIED)
            .exclude(pk=self.factory.pk)
            .select_related("owner")
            .order_by("id")
            if agreement_between(buyer_id=buyer.pk, factory_id=f.pk) is None
        )
        masked = conversation_start(actor=streamer, buyer=buyer, factory=stranger)
        message_post(conversation=masked, actor=streamer, body="您好，想了解一下你们的起订量和打样周期。")
        message_post(
            conversation=masked,
            actor=stranger.owner,
            body="您好，起订量 500 件，打样 7 天。方便的话加微信 yiwu_box2026 详谈，电话 139 0000 1111。",
        )
        self.created["conversations"] += 2

    # -- trials and samples -------------------------------------------------------------------
    def trial(self, buyer: User, product: Product, *, until: str) -> TrialOrder:
        factory_owner = product.factory.owner
        quantity = min(product.factory.max_trial_quantity, 20)
        trial = trial_create(actor=buyer, product_id=product.pk, quantity=quantity)
        self.created["trials"] += 1
        steps = STEPS[1 : STEPS.index(until) + 1]
        for step in steps:
            if step == "accepted":
                trial = trial_accept(trial=trial, actor=factory_owner)
            elif step == "paid":
                payment = payment_start(trial=trial, actor=buyer, provider="bank_transfer")
                payment_confirm_received(payment=payment, actor=self.staff)
            elif step == "shipped":
                trial = trial_ship(
                    trial=trial, actor=factory_owner, carrier="顺丰速运", tracking_number=_tracking(trial)
                )
            elif step == "in_trial":
                trial = trial_receive(trial=trial, actor=buyer)
            elif step == "feedback_submitted":
                trial = trial_feedback(
                    trial=trial,
                    actor=buyer,
                    units_sold=quantity - 2,
                    units_returned=1,
                    rating=5,
                    comment="直播间反馈很好，釉色和图片一致，包装结实。",
                )
            elif step == "converted":
                trial_convert(trial=trial, actor=buyer, quantity=max(product.moq, 200))
                trial.refresh_from_db()
                self.created["bulk_orders"] += 1
        return trial

    def bulk_order_in_production(self, trial: TrialOrder) -> None:
        order = trial.bulk_order
        owner = order.factory.owner
        bulk_confirm(bulk=order, actor=owner, delivery_date=timezone.localdate() + timedelta(days=25))
        payment = bulk_payment_start(bulk=order, actor=order.buyer.user, provider="bank_transfer")
        payment_confirm_received(payment=payment, actor=self.staff)
        bulk_start_production(bulk=order, actor=owner)

    def sample(self, buyer: User, product: Product, *, until: str) -> None:
        owner = product.factory.owner
        sample = sample_create(actor=buyer, product_id=product.pk, note="想先看看实物的做工和颜色。")
        self.created["samples"] += 1
        for step in SAMPLE_STEPS[1 : SAMPLE_STEPS.index(until) + 1]:
            if step == "accepted":
                sample = sample_accept(sample=sample, actor=owner)
            elif step == "shipped":
                sample = sample_ship(
                    sample=sample, actor=owner, carrier="中通快递", tracking_number=f"7531{sample.pk:010d}"
                )
            elif step == "received":
                sample = sample_receive(sample=sample, actor=buyer)

    def other_trial_products(self, *, exclude: Factory, count: int) -> list[Product]:
        found: list[Product] = []
        candidates = (
            Product.objects.filter(
                status=ProductStatus.ACTIVE,
                trial_eligible=True,
                factory__accepts_trials=True,
                factory__verification_status=VerificationStatus.VERIFIED,
            )
            .exclude(factory=exclude)
            .select_related("factory__owner")
            .order_by("factory_id", "id")
        )
        seen = set()
        for product in candidates:
            if product.factory_id not in seen:
                seen.add(product.factory_id)
                found.append(product)
            if len(found) == count:
                break
        return found

    # -- custom requests ----------------------------------------------------------------------
    def custom_requests(self, streamer: User) -> None:
        deadline = timezone.now() + timedelta(days=10)
        # Sent to the whole market: the matching offers it to fitting factories; three quote.
        open_request = custom_request_create(
            actor=streamer,
            data={
                "title": "定制直播间专属青瓷茶具套装",
                "requirements": "一壶四杯，青瓷釉色，杯底印我们直播间的logo，礼盒包装，适合直播间299元价位。",
                "benchmark_url": "https://detail.1688.com/offer/demo-benchmark.html",
                "category": "tea-sets",
                "target_unit_price": Decimal("68.00"),
                "quantity": 1000,
                "deadline": deadline,
            },
        )
        self.created["custom_requests"] += 1
        offered = list(
            Factory.objects.filter(custom_request_offers__request=open_request)
            .exclude(customization=CustomizationLevel.NONE)
            .select_related("owner")
            .order_by("custom_request_offers__rank")
        )
        quoters = [f for f in offered if f.pk == self.factory.pk] + [
            f for f in offered if f.pk != self.factory.pk
        ]
        for i, factory in enumerate(quoters[:3]):
            quote_submit(
                request=open_request,
                actor=factory.owner,
                data={
                    "unit_price": Decimal("58.00") + 6 * i,
                    "moq": 500 + 250 * i,
                    "lead_time_days": 25 - 5 * i,
                    "proposal": [
                        "青瓷釉下彩，杯底激光刻logo，天地盖礼盒。",
                        "影青釉，丝印logo，牛皮纸礼盒，可做小批量。",
                        "手工拉坯，釉上贴花logo，木盒包装。",
                    ][i],
                    "trial_quantity": 50,
                },
            )
            self.created["quotes"] += 1
        # Sent to the demo factory only, waiting for its quote, with a question in the thread.
        direct = custom_request_create(
            actor=self.users["s_shandong_dajie"],
            data={
                "factory": self.factory.pk,
                "title": "定制大容量陶瓷泡菜坛",
                "requirements": "5斤装，带水封盖，外观做成山东老家的样式，每个贴我们的品牌贴纸。",
                "benchmark_url": "",
                "category": "",
                "target_unit_price": Decimal("35.00"),
                "quantity": 2000,
                "deadline": deadline,
            },
        )
        custom_message_post(
            request=direct, actor=self.users["s_shandong_dajie"], body="能先寄一个打样吗？运费我们出。"
        )
        self.created["custom_requests"] += 1

    # -- listings -----------------------------------------------------------------------------
    def rejected_listing(self) -> None:
        category = (
            self.factory.products.filter(status=ProductStatus.ACTIVE)
            .values_list("category__slug", flat=True)
            .first()
        )
        product = product_create(
            factory=self.factory,
            actor=self.factory.owner,
            data={
                "title": REJECTED_TITLE,
                "description": "一壶六杯，礼盒装。",
                "category": category,
                "factory_price": Decimal("88.00"),
                "moq": 100,
                "lead_time_days": 10,
                "attributes": {"产地": "江西景德镇"},
            },
        )
        product_reject(product=product, actor=self.staff, reason=REJECTION)
        self.created["products"] += 1

    def listing_with_changes_under_review(self) -> None:
        """A live listing whose new price waits for staff: the factory sees both versions."""
        product = self.factory.products.filter(status=ProductStatus.ACTIVE).order_by("-id").first()
        if product is None:
            return
        product_update(
            product=product,
            actor=self.factory.owner,
            data={
                "factory_price": product.factory_price + Decimal("2.00"),
                "description": product.description + "（新批次加厚）",
            },
        )


def _tracking(trial: TrialOrder) -> str:
    return f"SF{trial.pk:012d}"
