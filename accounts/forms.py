from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from dsfr.forms import DsfrBoundField
from dsfr.utils import dsfr_input_class_attr

from .backends import find_user_by_email, normalise_email
from .models import Profile


class DsfrFormMixin:
    """Renders a Django form with the DSFR field snippets; optional fields are marked, not required ones."""

    template_name = "includes/form.html"  # error summary, « * » explained, then dsfr's field snippets
    bound_field_class = DsfrBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def get_context(self):
        context = super().get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class LoginForm(DsfrFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect."),
        "inactive": _(
            "Ce compte n'est pas encore activé : cliquez sur le lien reçu par e-mail, ou inscrivez-vous de nouveau "
            "avec cette adresse pour recevoir un nouveau lien."
        ),
    }

    # Declared here, not set in __init__: DsfrFormMixin builds (and caches) the bound fields, labels included,
    # during super().__init__(), so a label changed afterwards never reached the page.
    username = forms.CharField(
        label=_("Adresse e-mail"), widget=forms.TextInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password = forms.CharField(
        label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            # The backends refuse inactive accounts: tell their owner why (only with the right password).
            user = find_user_by_email(self.cleaned_data.get("username"))
            if user and not user.is_active and user.check_password(self.cleaned_data.get("password") or ""):
                raise forms.ValidationError(self.error_messages["inactive"], code="inactive") from None
            raise


class SignupForm(DsfrFormMixin, forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=pgettext_lazy("personne", "Nom"), max_length=150)
    email = forms.EmailField(label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    job = forms.ChoiceField(label=_("Fonction"), choices=[("", "—")] + list(Profile.Job.choices), required=False)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 12 caractères, pas uniquement des chiffres, différent de votre nom et de votre e-mail."),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        User = get_user_model()
        # A sign-up never verified (inactive, never logged in) may be made again, e.g. when its link was lost
        # or expired: save() then updates that account and a new link is sent. Any other account blocks it.
        # An address already used is not an error on the page (that would tell anyone which addresses have an
        # account): the view answers « check your e-mail » as for a new account and mails the owner instead.
        self.pending = self.existing = None
        existing = list(User.objects.filter(Q(email__iexact=email) | Q(username=email))[:2])
        if len(existing) == 1 and not existing[0].is_active and existing[0].last_login is None:
            self.pending = existing[0]
        elif existing:
            self.existing = existing[0]
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        elif password1:
            user = get_user_model()(
                username=cleaned.get("email") or "",
                email=cleaned.get("email") or "",
                first_name=cleaned.get("first_name") or "",
                last_name=cleaned.get("last_name") or "",
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self):
        data = self.cleaned_data
        if self.pending is not None:
            user = self.pending
            user.first_name, user.last_name = data["first_name"], data["last_name"]
            user.set_password(data["password1"])
            user.save(update_fields=["first_name", "last_name", "password"])
            Profile.objects.update_or_create(user=user, defaults={"job": data.get("job") or ""})
            return user
        user = get_user_model().objects.create_user(
            username=data["email"],
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            is_active=False,
        )
        Profile.objects.create(user=user, job=data.get("job") or "")
        return user


class EmailForm(DsfrFormMixin, forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ProfileForm(DsfrFormMixin, forms.ModelForm):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=pgettext_lazy("personne", "Nom"), max_length=150)

    class Meta:
        model = Profile
        fields = ["job", "job_other"]

    field_order = ["first_name", "last_name", "job", "job_other"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        kwargs.setdefault("initial", {}).update({"first_name": user.first_name, "last_name": user.last_name})
        super().__init__(*args, **kwargs)

    def save(self, commit=True):
        self.user.first_name = self.cleaned_data["first_name"]
        self.user.last_name = self.cleaned_data["last_name"]
        self.user.save(update_fields=["first_name", "last_name"])
        return super().save(commit)


class DsfrPasswordResetForm(DsfrFormMixin, PasswordResetForm):
    email = forms.EmailField(
        label=_("Adresse e-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class DsfrSetPasswordForm(DsfrFormMixin, SetPasswordForm):
    pass


class DsfrPasswordChangeForm(DsfrFormMixin, PasswordChangeForm):
    pass
