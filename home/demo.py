"""Demo content of the home app: locales, home pages (fr, en), standard pages, admin user."""

import os
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import LocaleSynchronization

from . import legal_pages
from .demo_loader import load_yaml
from .models import HomePage, SiteSettings, StandardPage

# The content is data, in home/demo_data/pages.yaml (edit it there).
_pages = load_yaml(Path(__file__).resolve().parent / "demo_data", "pages")
HOME_FR = _pages["home_fr"]
HOME_EN = _pages["home_en"]
STANDARD_PAGES = _pages["standard_pages"]


def ensure_english(fr):
    en, _ = Locale.objects.get_or_create(language_code="en")
    LocaleSynchronization.objects.get_or_create(locale=en, defaults={"sync_from": fr})
    return en


def ensure_home(command, fr):
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=fr, depth=2).first()
    if home is None:
        home = HomePage(slug="accueil", locale=fr, **HOME_FR)
        root.add_child(instance=home)
        home.save_revision().publish()
        command.log("Page d'accueil créée.")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="ma cantine")
    elif site.root_page_id != home.id:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "ma cantine"
        site.save()
        # Wagtail's initial "Welcome" page is replaced by the home page.
        if old_root.specific_class is Page and not old_root.get_children().exists():
            for page in old_root.get_translations(inclusive=True).order_by("-alias_of_id"):
                page.delete()
    return home


def ensure_home_translation(command, home, en):
    home_en = home.get_translation_or_none(en)
    if home_en is None or home_en.alias_of_id:
        if home_en is not None:
            home_en.delete()
        home_en = home.copy_for_translation(en)
        home_en = HomePage.objects.get(pk=home_en.pk)
        for field, value in HOME_EN.items():
            setattr(home_en, field, value)
        home_en.slug = "home"
        home_en.save_revision().publish()
        command.log("Traduction anglaise de la page d'accueil créée.")


def ensure_standard_pages(command, home):
    for data in STANDARD_PAGES:
        if home.get_children().filter(slug=data["slug"]).exists():
            continue
        page = StandardPage(locale=home.locale, **data)
        home.add_child(instance=page)
        page.save_revision().publish()
        command.log(f"Page « {page.title} » créée.")
    # The footer's mandatory pages (home/legal_pages.py, also created by `migrate` once a home page exists).
    legal_pages.ensure(home, command.log)


def ensure_admin(command):
    User = get_user_model()
    password = os.environ.get("DEMO_ADMIN_PASSWORD")
    user = User.objects.filter(username="admin").first()
    if user is None:
        generated = password is None
        password = password or secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@ma-cantine.example", password)
        if generated:
            command.log(f"Administrateur créé : identifiant « admin », mot de passe « {password} ».")
        else:
            command.log("Administrateur créé : identifiant « admin », mot de passe DEMO_ADMIN_PASSWORD.")
    elif password and not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
        command.log("Mot de passe de l'administrateur mis à jour depuis DEMO_ADMIN_PASSWORD.")


def ensure_settings():
    settings_obj = SiteSettings.load()
    if not settings_obj.contact_email:
        settings_obj.contact_email = "contact@ma-cantine.example"
        settings_obj.save()


def load(command):
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    home = ensure_home(command, fr)
    en = ensure_english(fr)
    ensure_home_translation(command, home, en)
    ensure_standard_pages(command, home)
    ensure_settings()
    ensure_admin(command)
