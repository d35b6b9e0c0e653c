"""Models of the editorial content (see each module's docstring)."""

from .kits import KitItem, KitPage
from .mail import MailTemplate
from .pages import (
    GuideIndexPage,
    GuidePage,
    MeasureIndexPage,
    MeasurePage,
    ResourceFile,
    ResourceIndexPage,
    ResourcePage,
)
from .stats import ResourceDownload, ResourceFeedback
from .taxonomy import Audience, Measure, ResourceType, SectorCategory

__all__ = [
    "Audience",
    "GuideIndexPage",
    "GuidePage",
    "KitItem",
    "KitPage",
    "MailTemplate",
    "Measure",
    "MeasureIndexPage",
    "MeasurePage",
    "ResourceDownload",
    "ResourceFeedback",
    "ResourceFile",
    "ResourceIndexPage",
    "ResourcePage",
    "ResourceType",
    "SectorCategory",
]
