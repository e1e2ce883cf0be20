"""The served OpenAPI document matches docs/api.md and is generated without drf-spectacular warnings."""

import re
from pathlib import Path

import pytest
import yaml
from django.urls import Resolver404, resolve
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

# Every path of the contract (docs/api.md, "The contract"); a path is checked once its view exists.
API_MD_PATHS = [
    "auth/register/",
    "auth/token/",
    "me/",
    "categories/",
    "factories/",
    "factories/{id}/",
    "products/",
    "products/{id}/",
    "products/{id}/images/",
    "factories/{id}/verify/",
    "factories/{id}/reject/",
    "factories/{id}/suspend/",
    "products/{id}/approve/",
    "products/{id}/reject/",
    "products/{id}/report/",
    "buyers/",
    "buyers/{id}/",
    "search/products/",
    "search/factories/",
    "matches/products/",
    "matches/factories/",
    "matches/buyers/",
    "trials/",
    "trials/{id}/accept/",
    "trials/{id}/decline/",
    "trials/{id}/pay/",
    "trials/{id}/ship/",
    "trials/{id}/receive/",
    "trials/{id}/feedback/",
    "trials/{id}/convert/",
    "trials/{id}/cancel/",
    "samples/",
    "samples/{id}/accept/",
    "samples/{id}/decline/",
    "samples/{id}/ship/",
    "samples/{id}/receive/",
    "custom-requests/",
    "custom-requests/{id}/quotes/",
    "custom-requests/{id}/quotes/{quote_id}/accept/",
    "notifications/",
    "notifications/{id}/read/",
    "payments/stripe/webhook/",
]
# What this part of the project (issue 2) must serve, whatever else exists.
REQUIRED = set(API_MD_PATHS[:17])


def _implemented(path: str) -> bool:
    try:
        resolve("/api/v1/" + path.replace("{id}", "1").replace("{quote_id}", "1"))
    except Resolver404:
        return False
    return True


@pytest.fixture
def schema(api, capsys):
    GENERATOR_STATS.reset()
    capsys.readouterr()
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content), capsys.readouterr().err


def test_schema_is_valid_openapi_without_warnings(schema):
    document, stderr = schema
    # then: valid against the OpenAPI 3 JSON schema (raises otherwise)
    validate_schema(document)
    assert document["info"]["title"] == "Yuantou API"
    # and drf-spectacular had nothing to complain about
    assert stderr == ""
    assert not GENERATOR_STATS, (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache))


def test_catalog_and_buyer_views_generate_no_warnings(schema):
    """Narrower than the test above, so a warning elsewhere still leaves this part's status readable."""
    _, stderr = schema
    ours = ("/factories/", "/buyers/", "/marketplace/accounts/", "/marketplace/api/")
    assert [line for line in stderr.splitlines() if any(part in line for part in ours)] == []


def test_schema_has_every_implemented_api_md_path(schema):
    document, _ = schema
    served = {p.removeprefix("/api/v1/") for p in document["paths"]}
    # Path parameters are named after the view (`{pk}`); compare shapes, not names.
    shapes = {_shape(p) for p in served}
    expected = {p for p in API_MD_PATHS if p in REQUIRED or _implemented(p)}
    assert sorted(p for p in expected if _shape(p) not in shapes) == []


def _shape(path: str) -> str:
    return "/".join("{}" if part.startswith("{") else part for part in path.split("/"))


def test_schema_documents_the_contract_fields(schema):
    document, _ = schema
    components = document["components"]["schemas"]
    factory_post = document["paths"]["/api/v1/factories/"]["post"]
    request_ref = factory_post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request_fields = set(components[request_ref.rsplit("/", 1)[1]]["properties"])
    assert request_fields >= {
        "name", "province", "city", "industrial_belt", "categories", "description", "established_year",
        "staff_count", "monthly_capacity", "customization", "accepts_trials", "max_trial_quantity",
        "trial_days", "credit_code",
    }  # fmt: skip
    response_ref = factory_post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    assert {"id", "verification_status", "tier", "metrics"} <= set(
        components[response_ref.rsplit("/", 1)[1]]["properties"]
    )
    assert set(document["paths"]["/api/v1/products/{id}/"]) >= {"get", "patch", "delete"}


def test_docs_page_is_served(api):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def _component(document, ref_holder):
    return document["components"]["schemas"][ref_holder["$ref"].rsplit("/", 1)[1]]


def _response_schema(document, path, method, code):
    return _component(document, document["paths"][path][method]["responses"][code]["content"]["application/json"]["schema"])  # fmt: skip


def test_nullable_fields_are_marked_nullable(schema):
    document, _ = schema
    components = document["components"]["schemas"]
    assert components["Category"]["properties"]["parent"]["nullable"] is True
    factory = _response_schema(document, "/api/v1/factories/", "post", "201")
    assert factory["properties"]["industrial_belt"]["nullable"] is True
    custom = _response_schema(document, "/api/v1/custom-requests/", "post", "201")
    assert custom["properties"]["category"]["nullable"] is True


def test_every_operation_documents_its_error_responses_in_the_one_error_shape(schema):
    document, _ = schema
    error = document["components"]["schemas"]["Error"]
    assert error["properties"] == {"detail": {"type": "string"}}
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            writes = method in ("post", "patch", "put", "delete")
            expected = {"400", "403", "409"} if writes else set()
            if "{" in path:
                expected.add("404")
            # Sign-up, sign-in and Stripe's signed webhook read no credentials, so they never answer 401.
            if path not in (
                "/api/v1/payments/stripe/webhook/",
                "/api/v1/auth/register/",
                "/api/v1/auth/token/",
            ):
                expected.add("401")
            if "requestBody" in operation:
                expected.add("415")
            if not expected <= codes:
                missing.append((method, path, sorted(expected - codes)))
    assert missing == []
    # the documented errors point at the shared error component
    product_404 = document["paths"]["/api/v1/products/{id}/"]["get"]["responses"]["404"]
    assert product_404["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


CREATE_OPERATIONS = [
    "/api/v1/addresses/",
    "/api/v1/conversations/",
    "/api/v1/conversations/{id}/messages/",
    "/api/v1/conversations/{id}/reports/",
    "/api/v1/factories/",
    "/api/v1/factories/{id}/photos/",
    "/api/v1/products/",
    "/api/v1/products/{id}/images/",
    "/api/v1/products/{id}/report/",
    "/api/v1/buyers/",
    "/api/v1/trials/",
    "/api/v1/trials/{id}/convert/",
    "/api/v1/trials/{id}/pay/",
    "/api/v1/samples/",
    "/api/v1/custom-requests/",
    "/api/v1/custom-requests/{id}/quotes/",
    "/api/v1/custom-requests/{id}/quotes/{quote_id}/accept/",
    "/api/v1/custom-requests/{id}/quotes/{quote_id}/order/",
    "/api/v1/bulk-orders/{id}/pay/",
    "/api/v1/custom-requests/{id}/messages/",
    "/api/v1/tours/bookings/",
]


def test_create_operations_document_the_idempotency_key_header(schema):
    document, _ = schema
    with_header = sorted(
        path
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if any(
            p["in"] == "header" and p["name"] == "Idempotency-Key" for p in operation.get("parameters", [])
        )
    )
    assert with_header == sorted(CREATE_OPERATIONS)
    header = next(
        p
        for p in document["paths"]["/api/v1/trials/"]["post"]["parameters"]
        if p["name"] == "Idempotency-Key"
    )
    assert header.get("required", False) is False
    assert "24 hours" in header["description"] and "409" in header["description"]


def test_rules_that_refuse_valid_looking_input_are_stated(schema):
    document, _ = schema

    def request_field(path, name):
        body = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        return _component(document, body)["properties"][name]

    for path in ("/api/v1/factories/", "/api/v1/buyers/"):
        categories = request_field(path, "categories")
        assert categories["minItems"] == 1
        assert "empty list is refused" in categories["description"]
    assert request_field("/api/v1/custom-requests/", "deadline")["description"] == "Must be in the future."
    assert "sub-category" in request_field("/api/v1/products/", "category")["description"]


API_DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def _documented_operations() -> set[tuple[str, str]]:
    """The (method, path) rows of docs/api.md's "Every operation served" table."""
    text = API_DOC.read_text(encoding="utf-8")
    table = text[text.index("## Every operation served") :]
    rows = re.findall(r"^\| (GET|POST|PUT|PATCH|DELETE) \| (\S+) \|", table, flags=re.MULTILINE)
    return {(method.lower(), _shape(path)) for method, path in rows}


def test_docs_api_md_lists_exactly_the_served_operations(schema):
    """A new endpoint cannot ship undocumented, nor a documented one disappear."""
    document, _ = schema
    served = {
        (method, _shape(path.removeprefix("/api/v1/")))
        for path, operations in document["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }
    documented = _documented_operations()
    assert (sorted(served - documented), sorted(documented - served)) == ([], [])


def test_the_contract_in_docs_api_md_names_every_contract_path():
    contract = API_DOC.read_text(encoding="utf-8").split("## Every operation served")[0]
    missing = [p for p in API_MD_PATHS if p not in contract and p.rsplit("/", 2)[-2] + "/" not in contract]
    assert missing == []
