"""The public JSON API under /api/v1/ (see docs/dev/api.md).

Wagtail's API v2 (pages, images, documents) with the project's fields, the product endpoints (resources,
measures, mail templates, kits, canteens), per-user API tokens, the OpenAPI schema and its documentation page.
"""
