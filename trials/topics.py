"""The topics a streamer–factory message can be about, registered in conversations/topics.py: a
product of the factory, and the pair's trials, samples, bulk orders and custom requests.

Products are here too (factories sits below conversations, but the kinds are easier to read in one
list, and every one links to a page of the same workspace). Each kind's `belongs` is the pair rule:
an active product of that factory (what the streamer can see on its page); an order of that streamer with that factory; a custom
request of that streamer sent to that factory, or open and offered to it.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conversations.models import TopicKind
from conversations.topics import TopicDefinition, topic_kind_register
from factories.models import Product, ProductStatus

from .models import BulkOrder, CustomRequest, SampleRequest, TrialOrder


def _order_title(order) -> str:
    return f"{order} · {order.product.title}"


def _order_kind(kind, label, model, url_name, notice) -> TopicDefinition:
    return TopicDefinition(
        kind=kind,
        label=label,
        notice=notice,
        load=lambda ids: model.objects.select_related("product").in_bulk(list(ids)),
        belongs=lambda o, buyer_id, factory_id: (o.buyer_id, o.factory_id) == (buyer_id, factory_id),
        title=_order_title,
        url=lambda o: reverse(url_name, args=[o.pk]),
        choices=lambda buyer_id, factory_id, limit: list(
            model.objects.select_related("product")
            .filter(buyer_id=buyer_id, factory_id=factory_id)
            .order_by("-id")[:limit]
        ),
    )


def _custom_pair_q(buyer_id: int, factory_id: int) -> Q:
    return Q(buyer_id=buyer_id) & (
        Q(factory_id=factory_id) | Q(factory__isnull=True, offers__factory_id=factory_id)
    )


def _custom_belongs(request: CustomRequest, buyer_id: int, factory_id: int) -> bool:
    if request.buyer_id != buyer_id:
        return False
    if request.factory_id is not None:
        return request.factory_id == factory_id
    return request.offers.filter(factory_id=factory_id).exists()


PRODUCT = TopicDefinition(
    kind="product",
    label=_("product"),
    notice=(
        _("New message from %(author)s about the product %(topic)s"),
        _(
            "%(author)s wrote about the product %(topic)s: %(body)s (more messages may follow in the conversation)"
        ),
    ),
    load=lambda ids: Product.objects.in_bulk(list(ids)),
    # Not a deleted or rejected listing: what the streamer could have seen on the factory's page.
    belongs=lambda p, buyer_id, factory_id: p.factory_id == factory_id and p.status == ProductStatus.ACTIVE,
    title=lambda p: p.title,
    url=lambda p: reverse("frontend:product", args=[p.pk]),
    choices=lambda buyer_id, factory_id, limit: list(
        Product.objects.filter(factory_id=factory_id, status=ProductStatus.ACTIVE).order_by("-id")[:limit]
    ),
)
CUSTOM = TopicDefinition(
    kind=TopicKind.CUSTOM_REQUEST,
    label=_("custom request"),
    notice=(
        _("New message from %(author)s about the custom request %(topic)s"),
        _(
            "%(author)s wrote about the custom request %(topic)s: %(body)s (more messages may follow in the conversation)"
        ),
    ),
    load=lambda ids: CustomRequest.objects.in_bulk(list(ids)),
    belongs=_custom_belongs,
    title=lambda r: r.title,
    url=lambda r: reverse("frontend:custom", args=[r.pk]),
    choices=lambda buyer_id, factory_id, limit: list(
        CustomRequest.objects.filter(_custom_pair_q(buyer_id, factory_id)).distinct().order_by("-id")[:limit]
    ),
)


TRIAL_NOTICE = (
    _("New message from %(author)s about the 50%%-off trial %(topic)s"),
    _(
        "%(author)s wrote about the 50%%-off trial %(topic)s: %(body)s (more messages may follow in the conversation)"
    ),
)
SAMPLE_NOTICE = (
    _("New message from %(author)s about the sample %(topic)s"),
    _("%(author)s wrote about the sample %(topic)s: %(body)s (more messages may follow in the conversation)"),
)
BULK_NOTICE = (
    _("New message from %(author)s about the bulk order %(topic)s"),
    _(
        "%(author)s wrote about the bulk order %(topic)s: %(body)s (more messages may follow in the conversation)"
    ),
)


def register() -> None:
    topic_kind_register(PRODUCT)
    topic_kind_register(_order_kind("trial", _("50%-off trial"), TrialOrder, "frontend:trial", TRIAL_NOTICE))
    topic_kind_register(_order_kind("sample", _("sample"), SampleRequest, "frontend:sample", SAMPLE_NOTICE))
    topic_kind_register(
        _order_kind("bulk_order", _("bulk order"), BulkOrder, "frontend:bulk-order", BULK_NOTICE)
    )
    topic_kind_register(CUSTOM)
