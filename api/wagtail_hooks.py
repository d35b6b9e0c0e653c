"""Wagtail admin: OAuth applications of software vendors, registered by an administrator
(*Paramètres > Applications OAuth*). The client secret shown on the creation form is stored hashed: copy it
before saving, it cannot be read again."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import get_application_model
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet

Application = get_application_model()


class ApplicationForm(WagtailAdminModelForm):
    class Meta:
        model = Application
        fields = ["name", "client_id", "client_secret", "client_type", "redirect_uris", "skip_authorization"]
        help_texts = {
            "client_secret": _(
                "Copiez ce secret maintenant et transmettez-le à l'éditeur : il est enregistré chiffré et ne "
                "pourra plus être lu. Inutile pour une application publique (PKCE seul)."
            ),
            "redirect_uris": _("Adresses de retour de l'éditeur (https), séparées par des espaces."),
            "skip_authorization": _("À laisser décoché : le gestionnaire doit toujours consentir."),
        }
        widgets = {"redirect_uris": forms.Textarea(attrs={"rows": 2})}

    def save(self, commit=True):
        application = super().save(commit=False)
        # Authorization code (+ PKCE, required by the settings) only: no password or implicit grants.
        application.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        if commit:
            application.save()
        return application


class ApplicationViewSet(ModelViewSet):
    model = Application
    form_class = ApplicationForm
    icon = "key"
    menu_label = _("Applications OAuth")
    add_to_settings_menu = True
    list_display = ["name", "client_id", "client_type", "created"]
    search_fields = ["name", "client_id"]
    name = "oauth_applications"

    def get_form_class(self, for_update=False):
        return ApplicationForm


@hooks.register("register_admin_viewset")
def register_oauth_applications():
    return ApplicationViewSet()
