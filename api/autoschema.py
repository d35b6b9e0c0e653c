"""The schema class of every DRF view (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]): kept apart from api/schema.py,
which imports drf-spectacular's views, themselves reading that setting."""

from drf_spectacular.openapi import AutoSchema


class ApiAutoSchema(AutoSchema):
    """The operations' descriptions come from `extend_schema(description=...)` only (through gettext), never from
    the views' docstrings: those are notes for developers, in English, and would leak into the French schema."""

    def get_description(self):
        return ""
