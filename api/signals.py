"""A password change (form, reset link, admin) revokes the account's API tokens: whoever had the old password
may have created one, and it must not outlive it (issue 15). OAuth tokens issued to applications for that
account (django-oauth-toolkit, when installed) are revoked too."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.utils import timezone


def remember_password_change(sender, instance, update_fields=None, raw=False, **kwargs):
    instance._password_changed = False
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_changed = stored is not None and stored != instance.password


def revoke_tokens_after_password_change(sender, instance, created=False, raw=False, **kwargs):
    if raw or created or not getattr(instance, "_password_changed", False):
        return
    from .models import ApiToken

    ApiToken.objects.active().filter(user=instance).update(revoked_at=timezone.now())
    if apps.is_installed("oauth2_provider"):
        from oauth2_provider.models import get_access_token_model, get_refresh_token_model

        get_refresh_token_model().objects.filter(user=instance, revoked__isnull=True).update(revoked=timezone.now())
        get_access_token_model().objects.filter(user=instance).delete()
    instance._password_changed = False


def connect():
    user_model = get_user_model()
    pre_save.connect(remember_password_change, sender=user_model, dispatch_uid="api.password_change.pre")
    post_save.connect(revoke_tokens_after_password_change, sender=user_model, dispatch_uid="api.password_change.post")
