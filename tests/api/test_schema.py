"""The OpenAPI schema: valid (openapi-spec-validator), complete (every endpoint of the API), and true to the
API (schemathesis generates requests from it against the WSGI app: no 5xx, every response conforms)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import SCOPES, ApiToken
from api.schema import openapi_schema
from tests.conftest import make_home_page, make_locales
from tests.factories import (
    CanteenFactory,
    DocumentFactory,
    KitPageFactory,
    MailTemplateFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    UserFactory,
    YearlyDiagnosticFactory,
)

OPERATIONS = {
    ("get", "/api/v1/pages/"),
    ("get", "/api/v1/pages/{id}/"),
    ("get", "/api/v1/pages/find/"),
    ("get", "/api/v1/images/"),
    ("get", "/api/v1/images/{id}/"),
    ("get", "/api/v1/images/find/"),
    ("get", "/api/v1/documents/"),
    ("get", "/api/v1/documents/{id}/"),
    ("get", "/api/v1/documents/find/"),
    ("get", "/api/v1/resources/"),
    ("get", "/api/v1/resources/{id}/"),
    ("get", "/api/v1/measures/"),
    ("get", "/api/v1/mail-templates/"),
    ("get", "/api/v1/kits/"),
    ("post", "/api/v1/egalim/evaluate/"),
    ("get", "/api/v1/egalim/thresholds/"),
    ("get", "/api/v1/canteens/"),
    ("get", "/api/v1/canteens/{id}/"),
    ("post", "/api/v1/canteens/{id}/diagnostics/"),
    ("get", "/api/v1/me/canteens/"),
    ("post", "/api/v1/canteens/{id}/declarations/"),
    ("delete", "/api/v1/canteens/{id}/declarations/"),
    ("get", "/api/v1/canteens/siret/{siret}/"),
    ("get", "/api/v1/canteens/siren/{siren}/"),
    ("get", "/api/v1/reference/"),
    ("get", "/api/v1/reference/{name}/"),
    ("get", "/api/v1/statistics/"),
    ("get", "/api/v1/canteens/geo/"),
    ("post", "/api/v1/canteens/"),
    ("patch", "/api/v1/canteens/{id}/"),
    ("get", "/api/v1/canteens/{id}/managers/"),
    ("post", "/api/v1/canteens/{id}/managers/"),
    ("delete", "/api/v1/canteens/{id}/managers/"),
    ("get", "/api/v1/canteens/{id}/satellites/"),
    ("post", "/api/v1/canteens/{id}/satellites/"),
    ("delete", "/api/v1/canteens/{id}/satellites/{satellite_id}/"),
    ("get", "/api/v1/canteens/{id}/purchases/"),
    ("post", "/api/v1/canteens/{id}/purchases/"),
    ("delete", "/api/v1/canteens/{id}/purchases/"),
    ("patch", "/api/v1/canteens/{id}/purchases/{purchase_id}/"),
    ("delete", "/api/v1/canteens/{id}/purchases/{purchase_id}/"),
    ("get", "/api/v1/me/"),
    ("get", "/api/v1/canteens/{id}/diagnostics/{year}/"),
    ("patch", "/api/v1/canteens/{id}/diagnostics/{year}/"),
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# The fuzzing phase's random examples per operation, after the coverage phase's systematic ones (every field
# missing, of the wrong type, out of bounds; every enum value; every undeclared method).
MAX_EXAMPLES = 8


def test_schema_is_valid_openapi():
    validate(openapi_schema())


def test_schema_covers_every_endpoint_with_bodies():
    schema = openapi_schema()
    found = {(method, path) for path, operations in schema["paths"].items() for method in operations}
    assert found == OPERATIONS
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            success = next(code for code in operation["responses"] if code.startswith("2") or code == "302")
            if code_has_body := success != "302":
                content = operation["responses"][success]["content"]
                json_type = "application/geo+json" if path == "/api/v1/canteens/geo/" else "application/json"
                assert content[json_type]["schema"], (method, path)
            assert code_has_body or method == "get"
            if method == "post":
                assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            assert operation.get("tags"), (method, path)


schema = schemathesis.openapi.from_dict(openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI handler closes old connections at each request: not inside the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def shared_small_site(module_transaction, django_db_blocker):
    """Enough content for every endpoint to answer with data (the `site` fixture is slower to build), built
    once for every operation's test."""
    with django_db_blocker.unblock():
        home_page = make_home_page(make_locales())
        index = ResourceIndexPageFactory(parent=home_page)
        document = DocumentFactory(title="Guide PDF")
        resource = ResourcePageFactory(
            parent=index, measures=["waste"], audiences=["elu"], files=[{"document": document}]
        )
        KitPageFactory(parent=index, items=[{"document": document}])
        MailTemplateFactory()
        manager = UserFactory()
        canteen = CanteenFactory(managers=[manager])
        YearlyDiagnosticFactory(canteen=canteen, is_published=True)
        kitchen = CanteenFactory(managers=[manager], production_type="central")
        _token, secret = ApiToken.issue(manager, "schemathesis", list(SCOPES))
        return {
            "token": secret,
            "ids": {
                "/api/v1/canteens/{id}/": canteen.pk,
                "/api/v1/canteens/{id}/diagnostics/": canteen.pk,
                "/api/v1/canteens/{id}/declarations/": canteen.pk,
                "/api/v1/canteens/{id}/managers/": canteen.pk,
                "/api/v1/canteens/{id}/satellites/": kitchen.pk,
                "/api/v1/canteens/{id}/satellites/{satellite_id}/": kitchen.pk,
                "/api/v1/canteens/{id}/purchases/": canteen.pk,
                "/api/v1/canteens/{id}/diagnostics/{year}/": canteen.pk,
                "/api/v1/canteens/{id}/purchases/{purchase_id}/": canteen.pk,
                "/api/v1/resources/{id}/": resource.pk,
                "/api/v1/pages/{id}/": resource.pk,
                "/api/v1/documents/{id}/": document.pk,
            },
        }


@pytest.fixture
def small_site(shared_small_site, db):
    return shared_small_site


SENT = set()  # (method, path, description) of the coverage phase's invalid requests sent


def a_variant_already_sent(case):
    """The coverage phase sends each invalid input of a field « of the wrong type » four to six times, once per
    JSON type (an object, an array, a string, null, a boolean): the serializer's field refuses them alike, and
    these variants were 1,446 of the 4,694 requests of this test. One of each is sent: every field of every
    operation is still sent with a wrong type; every other coverage case (every enum value, every bound, every
    undeclared method...) and the fuzzing phase's examples are sent."""
    meta = case.meta
    if meta is None or meta.phase.name != "coverage" or meta.generation.mode != GenerationMode.NEGATIVE:
        return False
    description = getattr(meta.phase.data, "description", "") or ""
    if not description.endswith("Incorrect type"):
        return False
    key = (case.method, case.path, description)
    if key in SENT:
        return True
    SENT.add(key)
    return False


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, small_site, wsgi_in_test_transaction):
    """Operations that need a token get one with every scope (401 and 403 are tested in test_tokens.py).
    Generated ids rarely exist: half of them (all for the diagnostics, whose 403 is tested elsewhere) are
    replaced by an existing object's, so that success responses are checked too."""
    # The WSGI transport does not decompress: a gzip body (the GeoJSON) would not deserialize.
    headers = {"Accept-Encoding": "identity"}
    if any(case.operation.definition.raw.get("security", [])):
        headers["Authorization"] = f"Bearer {small_site['token']}"
    generated = (case.path_parameters or {}).get("id")
    existing = small_site["ids"].get(case.path)
    always = case.path.endswith(("/diagnostics/", "/declarations/"))
    if existing and (always or (isinstance(generated, int) and generated % 2 == 0)):
        case.path_parameters["id"] = existing
    if a_variant_already_sent(case):
        return
    case.call_and_validate(headers=headers, checks=CHECKS)
