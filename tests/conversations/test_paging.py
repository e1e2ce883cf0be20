"""Older messages, paged by message id (keyset) alike on the thread page and in the API."""

from conversations.models import Message, Side


def messages_bulk(conversation, author, n: int) -> list[int]:
    """n messages, oldest first (written directly: the rate limit allows 10 a minute)."""
    rows = Message.objects.bulk_create(
        Message(conversation=conversation, author=author, side=Side.FACTORY, body=f"第{i}条")
        for i in range(1, n + 1)
    )
    return [m.pk for m in rows]


def test_the_api_pages_back_by_id(api, buyer, factory, conversation):
    ids = messages_bulk(conversation, factory.owner, 5)
    url = f"/api/v1/conversations/{conversation.pk}/messages/"
    client = api.as_user(buyer.user)
    # when
    first = client.get(url, {"page_size": 2}).json()
    # then
    assert [m["body"] for m in first["results"]] == ["第5条", "第4条"]
    assert (first["count"], first["previous"]) == (5, None)
    assert first["next"] == f"http://testserver{url}?before={ids[3]}&page_size=2"
    # when: a message arrives between the pages, the next page neither repeats nor skips
    messages_bulk(conversation, factory.owner, 1)
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    # then
    assert [m["body"] for m in second["results"]] == ["第3条", "第2条"]
    assert [m["body"] for m in third["results"]] == ["第1条"]
    assert third["next"] is None


def test_the_api_refuses_bad_paging_in_the_json_shape(api, buyer, conversation):
    url = f"/api/v1/conversations/{conversation.pk}/messages/"
    client = api.as_user(buyer.user)
    for query, field in [
        ({"before": "x"}, "before"),
        ({"before": 0}, "before"),
        ({"page_size": 101}, "page_size"),
    ]:
        response = client.get(url, query)
        assert response.status_code == 400, query
        assert list(response.json()) == [field]
