"""« Mes jetons d'API » (/compte/jetons/): create a scoped token (shown once), list and revoke one's tokens;
the third-party applications authorised through OAuth, what each may do, and their revocation."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.forms import DsfrFormMixin

from .models import SCOPES, ApiToken
from .oauth import authorized_applications, revoke_application

MAX_ACTIVE_TOKENS = 20


class TokenForm(DsfrFormMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nom du jeton"),
        max_length=100,
        help_text=gettext_lazy("Pour le reconnaître plus tard : le logiciel ou le service qui l'utilise."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Droits"),
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Ne donnez que les droits dont le logiciel a besoin."),
        error_messages={"required": gettext_lazy("Choisissez au moins un droit.")},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    secret = None
    active = ApiToken.objects.active().filter(user=request.user)
    if request.method == "POST" and form.is_valid():
        if active.count() >= MAX_ACTIVE_TOKENS:
            form.add_error(
                None, _("Vous avez déjà %(max)d jetons actifs : révoquez-en un.") % {"max": MAX_ACTIVE_TOKENS}
            )
        else:
            token, secret = ApiToken.issue(request.user, form.cleaned_data["name"], form.cleaned_data["scopes"])
            form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": ApiToken.objects.filter(user=request.user),
            "applications": authorized_applications(request.user),
        },
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request, pk):
    """GET: the confirmation page; POST: the revocation (it cannot be undone)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "GET":
        if token.revoked_at is not None:
            return redirect("api_tokens:list")
        return render(
            request,
            "confirm.html",
            {
                "confirm_title": _("Révoquer le jeton « %(name)s » ?") % {"name": token.name},
                "confirm_text": _(
                    "Les logiciels qui utilisent ce jeton ne pourront plus accéder à vos cantines. "
                    "Cette action est définitive : il faudra créer un nouveau jeton."
                ),
                "confirm_label": _("Révoquer le jeton"),
                "action_url": request.path,
                "cancel_url": reverse("api_tokens:list"),
            },
        )
    if token.revoked_at is None:
        token.revoke()
        messages.success(
            request, _("Le jeton « %(name)s » est révoqué : il ne fonctionne plus.") % {"name": token.name}
        )
    return redirect("api_tokens:list")


@login_required
@require_http_methods(["GET", "POST"])
def revoke_app(request, pk):
    """Withdraw a third-party application's access: every token it holds for this user stops working.
    GET: the confirmation page (only for an application the user has authorised)."""
    if request.method == "GET":
        entry = next((e for e in authorized_applications(request.user) if e["application"].pk == pk), None)
        if entry is None:
            raise Http404("no such authorised application")
        return render(
            request,
            "confirm.html",
            {
                "confirm_title": _("Retirer l'accès de « %(name)s » ?") % {"name": entry["application"].name},
                "confirm_text": _(
                    "Cette application ne pourra plus lire ni modifier vos cantines. Pour lui rendre l'accès, il "
                    "faudra l'autoriser de nouveau."
                ),
                "confirm_label": _("Retirer l'accès"),
                "action_url": request.path,
                "cancel_url": reverse("api_tokens:list"),
            },
        )
    if revoke_application(request.user, pk):
        messages.success(request, _("L'application n'a plus accès à vos cantines."))
    return redirect("api_tokens:list")
