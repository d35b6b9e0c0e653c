"""wagtail-localize's « Mettre à jour les traductions » can publish the translated pages at once, outside the
« Relecture DGAL » workflow. Only people who may publish every one of those pages get that choice: for a
Rédacteur the box is gone (a posted value is ignored) and the updated translations stay drafts, to be
submitted for review."""

from django import forms
from django.contrib import messages
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail_localize.views.update_translations import UpdateTranslationsView

DRAFTS_ONLY = _(
    "Seuls les Relecteurs DGAL publient : les traductions mises à jour restent des brouillons, à soumettre à la "
    "relecture."
)


class ReviewedUpdateTranslationsView(UpdateTranslationsView):
    @cached_property
    def can_publish_translations(self) -> bool:
        source = self.object.get_source_instance()
        if not isinstance(source, Page):
            return True  # snippets have no draft state: saving them is publishing them
        pages = [source]
        for translation in self.object.translations.filter(enabled=True).select_related("target_locale"):
            target = source.get_translation_or_none(translation.target_locale)
            if target is not None:
                pages.append(target)
        return all(page.permissions_for_user(self.request.user).can_publish() for page in pages)

    def get_form(self):
        form = super().get_form()
        if not self.can_publish_translations:
            field = form.fields["publish_translations"]
            field.disabled = True  # the initial False is used whatever is posted
            field.initial = False
            field.widget = forms.HiddenInput()
        return form

    def get(self, request, *args, **kwargs):
        if not self.can_publish_translations:
            messages.warning(request, DRAFTS_ONLY)
        return super().get(request, *args, **kwargs)
