"""Topics on the conversation pages: the picker offers the pair's trials and products (not another
pair's), the thread names each message's topic with a link, a trial's "message … about this" opens
the conversation with the trial chosen, and a forged topic of another pair writes nothing."""

import pytest

from conversations import services
from conversations.models import Conversation, Message
from tests import makers
from tests.frontend.helpers import html, messages_of
from tests.trials.conftest import trial_at
from trials.models import TrialStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(db):
    return makers.BuyerMaker(display_name="小鹿直播间")


@pytest.fixture
def trial(buyer, factory):
    product = makers.ProductMaker(factory=factory, title="折叠收纳箱")
    return trial_at(TrialStatus.REQUESTED, product=product, buyer=buyer)


def test_from_the_trial_page_the_conversation_opens_on_that_trial(web, buyer, factory, trial):
    # given: the trial page offers the link
    page = html(web.as_user(buyer.user).get(f"/me/trials/{trial.pk}/"))
    assert "Message the factory about this" in page
    # when
    response = web.post(
        "/me/conversations/start/", {"factory": factory.pk, "topic": f"trial:{trial.pk}"}, follow=True
    )
    # then
    conversation = Conversation.objects.get()
    assert response.redirect_chain[-1][0] == f"/me/conversations/{conversation.pk}/?topic=trial%3A{trial.pk}"
    assert f'<option value="trial:{trial.pk}" selected>T{trial.pk:06d} · 折叠收纳箱</option>' in html(
        response
    )


def test_the_thread_names_the_topic_with_a_link(web, buyer, factory, trial):
    # given
    conversation = services.conversation_start(actor=buyer.user, buyer=buyer, factory=factory)
    # when: the factory writes about the trial from its side of the page
    web.as_user(factory.owner).post(
        f"/me/conversations/{conversation.pk}/messages/", {"body": "明天发货", "topic": f"trial:{trial.pk}"}
    )
    # then
    message = Message.objects.get()
    assert (message.topic_kind, message.topic_id, message.body) == ("trial", trial.pk, "明天发货")
    page = html(web.as_user(buyer.user).get(f"/me/conversations/{conversation.pk}/"))
    assert (
        f'about 50%-off trial:\n              <a href="/me/trials/{trial.pk}/">T{trial.pk:06d} · 折叠收纳箱</a>'
        in page
    )


def test_the_picker_offers_only_the_pairs_objects(web, buyer, factory, trial):
    # given: the same streamer's trial with another factory
    other = makers.ProductMaker(title="别家的杯子")
    theirs = trial_at(TrialStatus.REQUESTED, product=other, buyer=buyer)
    conversation = services.conversation_start(actor=buyer.user, buyer=buyer, factory=factory)
    # when: even when a link names the other pair's trial
    page = html(web.as_user(buyer.user).get(f"/me/conversations/{conversation.pk}/?topic=trial:{theirs.pk}"))
    # then
    assert f'value="trial:{trial.pk}"' in page
    assert f'value="trial:{theirs.pk}"' not in page and "别家的杯子" not in page
    assert f'<option value="trial:{trial.pk}">' in page  # offered, not chosen


def test_a_forged_topic_of_another_pair_writes_nothing(web, buyer, factory):
    theirs = trial_at(TrialStatus.REQUESTED, product=makers.ProductMaker(), buyer=buyer)
    conversation = services.conversation_start(actor=buyer.user, buyer=buyer, factory=factory)
    response = web.as_user(buyer.user).post(
        f"/me/conversations/{conversation.pk}/messages/",
        {"body": "这个呢", "topic": f"trial:{theirs.pk}"},
        follow=True,
    )
    assert messages_of(response) == ["No such 50%-off trial between you two."]
    assert Message.objects.count() == 0
