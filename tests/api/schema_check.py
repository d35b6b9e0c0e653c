"""Check a real response against the OpenAPI schema the API serves (openapi-schema-validator)."""

import re

from openapi_schema_validator import OAS31Validator

from api.schema import openapi_schema


def operation_path(path: str) -> str:
    """The schema's templated path of a concrete path: /api/v1/resources/12/ -> /api/v1/resources/{id}/."""
    schema = openapi_schema()
    path = path.split("?", 1)[0]
    for template in schema["paths"]:
        pattern = "^" + re.sub(r"\\{[^/]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template
    raise AssertionError(f"{path} is not in the schema")


def assert_matches_schema(response, path: str, method: str = "get"):
    schema = openapi_schema()
    operation = schema["paths"][operation_path(path)][method]
    documented = operation["responses"]
    assert str(response.status_code) in documented, f"{response.status_code} not documented for {method} {path}"
    content = documented[str(response.status_code)].get("content")
    if not content:
        return
    body_schema = content["application/json"]["schema"]
    validator = OAS31Validator({**body_schema, "components": schema["components"]})
    errors = sorted(validator.iter_errors(response.json()), key=str)
    assert not errors, "\n".join(f"{list(error.absolute_path)}: {error.message}" for error in errors[:10])
