"""Screenshots of message topics: a thread whose messages are about a trial, a sample and a product,
the writing form's topic picker opened from a trial's "message the factory about this", and the
trial page with that button — not a test module: run explicitly with
`pytest tests/frontend/shots_conversation_topics.py`; PNGs in /work/shots-conversation-topics."""

from pathlib import Path

from conversations import services
from tests import makers
from tests.frontend.shots import login_cookie, shoot
from tests.trials.conftest import trial_at
from trials.models import TrialStatus


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from trials.services import samples

    buyer = makers.BuyerMaker(display_name="小鹿直播间")
    factory = makers.FactoryMaker(name="义乌市好物收纳用品厂")
    box = makers.ProductMaker(factory=factory, title="折叠收纳箱")
    rack = makers.ProductMaker(factory=factory, title="桌面收纳盒")
    trial = trial_at(TrialStatus.ACCEPTED, product=box, buyer=buyer)
    sample = samples.sample_create(actor=buyer.user, product_id=rack.pk)
    conversation = services.conversation_start(actor=buyer.user, buyer=buyer, factory=factory)
    services.message_post(
        conversation=conversation, actor=buyer.user, body="这批试销能否月底前发货?", topic=("trial", trial.pk)
    )
    services.message_post(
        conversation=conversation, actor=factory.owner, body="可以,25 号发出。", topic=("trial", trial.pk)
    )
    services.message_post(
        conversation=conversation,
        actor=buyer.user,
        body="样品颜色可以换成米白吗?",
        topic=("sample", sample.pk),
    )
    services.message_post(
        conversation=conversation,
        actor=factory.owner,
        body="这款新品也可以看看。",
        topic=("product", rack.pk),
    )
    shoot(
        live_server,
        {
            "thread": f"/me/conversations/{conversation.pk}/",
            "picker": f"/me/conversations/{conversation.pk}/?topic=trial:{trial.pk}#id_topic",
            "trial": f"/me/trials/{trial.pk}/",
            "product": f"/products/{box.pk}/",
        },
        Path("/work/shots-conversation-topics"),
        cookie=login_cookie(buyer.user, live_server),
    )
