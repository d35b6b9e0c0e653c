"""The calculator's steps: one per measure after the restaurant, each with its form."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from egalim.rules import measure_label

from .forms import DiversificationForm, InformationForm, PlasticForm, QualityForm, RestaurantForm, WasteForm


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type
    measure: str | None = None
    title: str = ""

    def title_for(self, lang) -> str:
        return measure_label(self.measure, lang) if self.measure else str(self.title)

    @property
    def url(self) -> str:
        if self.slug == STEPS[0].slug:
            return reverse("diagnostic:start")
        return reverse("diagnostic:step", args=[self.slug])


STEPS = [
    Step("restaurant", RestaurantForm, title=_("Votre restaurant")),
    Step("qualite", QualityForm, "quality"),
    Step("gaspillage", WasteForm, "waste"),
    Step("diversification", DiversificationForm, "diversification"),
    Step("plastiques", PlasticForm, "plastic"),
    Step("information", InformationForm, "information"),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
STEP_OF_MEASURE = {step.measure: step for step in STEPS if step.measure}
