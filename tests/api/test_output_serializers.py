"""Output serializers build their fields once per class (marketplace/api/output.py, issue 11)."""

import pytest
from rest_framework import serializers

from factories.api.serializers import ProductOutputSerializer
from factories.models import Product
from marketplace.api.output import OutputModelSerializer
from tests import makers


class _Short(OutputModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "title"]


class _Shorter(_Short):
    class Meta:
        model = Product
        fields = ["id"]


@pytest.mark.django_db
def test_fields_are_built_once_and_each_serializer_gets_its_own_copy(monkeypatch):
    first, second = makers.ProductMaker(title="茶具"), makers.ProductMaker(title="面膜")
    built = []
    original = serializers.ModelSerializer.build_field
    monkeypatch.setattr(
        serializers.ModelSerializer,
        "build_field",
        lambda self, *args, **kwargs: built.append(args[0]) or original(self, *args, **kwargs),
    )
    monkeypatch.delattr(_Short, "_built_fields", raising=False)  # built afresh in this test
    one, two = _Short(first), _Short(second)
    assert (one.data, two.data) == ({"id": first.pk, "title": "茶具"}, {"id": second.pk, "title": "面膜"})
    assert built == ["id", "title"]  # the second serializer did not build them again
    assert one.fields["title"] is not two.fields["title"] and one.fields["title"].parent is one
    # a subclass with other fields builds its own, and leaves its parent's alone
    assert _Shorter(first).data == {"id": first.pk}
    assert _Short(first).data == {"id": first.pk, "title": "茶具"}


@pytest.mark.django_db
def test_a_cached_serializer_answers_as_before(rf):
    product = makers.ProductMaker()
    request = rf.get("/")

    class Plain(ProductOutputSerializer):
        def get_fields(self):
            return serializers.ModelSerializer.get_fields(self)

    for _ in range(2):  # the second time from the kept fields
        assert (
            ProductOutputSerializer(product, context={"request": request}).data
            == Plain(product, context={"request": request}).data
        )


@pytest.mark.django_db
def test_serializers_bound_at_once_keep_their_own_fields_and_the_kept_ones_stay_unbound(rf):
    # given: a trial both sides read, each with its own serializer, both bound before either answers
    from trials.api.serializers import CustomRequestOutputSerializer, TrialOutputSerializer
    from trials.services import trials

    product, buyer = makers.ProductMaker(), makers.BuyerMaker()
    trial = trials.trial_create(actor=buyer.user, product_id=product.pk, quantity=2)
    requests = [rf.get("/"), rf.get("/")]
    requests[0].user, requests[1].user = buyer.user, product.factory.owner
    as_buyer, as_factory = (TrialOutputSerializer(trial, context={"request": r}) for r in requests)
    fields = [as_buyer.fields, as_factory.fields]
    # then: each method field is its own, bound to its serializer, and answers for its reader
    assert fields[0]["actions"] is not fields[1]["actions"]
    assert (fields[0]["actions"].parent, fields[1]["actions"].parent) == (as_buyer, as_factory)
    assert (as_buyer.data["actions"], as_factory.data["actions"]) == (["cancel"], ["accept", "decline"])
    kept = TrialOutputSerializer._built_fields
    assert all(field.parent is None and field.field_name is None for field in kept.values())
    # and a relation field is a deep copy of its own (its queryset and child objects not shared)
    custom = CustomRequestOutputSerializer(context={"request": requests[0]})
    assert custom.fields["category"] is not CustomRequestOutputSerializer._built_fields["category"]
