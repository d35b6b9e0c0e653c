"""Demo content of the home app: locales, home pages (fr, en), standard pages, admin user."""

import os
import secrets

from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import LocaleSynchronization

from . import legal_pages
from .legal_pages import h, p
from .models import HomePage, SiteSettings, StandardPage

HOME_FR = {
    "title": "Accueil",
    "hero_title": "ma cantine — centre de ressources",
    "hero_text": (
        "Guides, fiches pratiques, modèles de mail et outils pour appliquer la loi EGAlim "
        "en restauration collective : écoles, hôpitaux, EHPAD, restaurants administratifs et d'entreprise."
    ),
    "body": [
        h("Où en êtes-vous ?"),
        p(
            "<p>La loi EGAlim fixe cinq grandes obligations aux restaurants collectifs : des produits "
            "durables et de qualité (au moins 50 % des achats, dont 20 % de bio), la lutte contre le "
            "gaspillage alimentaire, la diversification des protéines, la substitution des plastiques "
            "et l'information des convives.</p>"
            "<p>Ce centre de ressources rassemble, pour chacune de ces mesures, ce qu'il faut savoir "
            "et les documents utiles pour passer à l'action, que vous soyez gestionnaire, cuisinier·e, "
            "élu·e d'une commune ou chargé·e de mission sur un territoire.</p>"
        ),
    ],
}

HOME_EN = {
    "title": "Home",
    "hero_title": "ma cantine — resource centre",
    "hero_text": (
        "Guides, practical sheets, mail templates and tools to apply the French EGAlim law in "
        "collective catering: schools, hospitals, care homes, administrative and company restaurants."
    ),
    "body": [
        h("Where do you stand?"),
        p(
            "<p>The EGAlim law sets five main obligations for collective restaurants: sustainable and "
            "quality products (at least 50 % of purchases, including 20 % organic), fighting food "
            "waste, diversifying protein sources, replacing plastics and informing diners.</p>"
            "<p>This resource centre gathers, for each measure, what you need to know and the "
            "documents that help you act.</p>"
        ),
    ],
}

STANDARD_PAGES = [
    {
        "slug": "loi-egalim",
        "title": "Qu'est-ce que la loi EGAlim ?",
        "show_in_menus": True,
        "introduction": (
            "La loi du 30 octobre 2018, dite EGAlim, et la loi Climat et résilience de 2021 fixent des "
            "objectifs à toute la restauration collective, publique comme privée."
        ),
        "body": [
            h("Cinq mesures"),
            p(
                "<ul>"
                "<li><b>Qualité et durabilité des produits</b> : au moins 50 % de produits durables et de "
                "qualité en valeur d'achat hors taxes, dont au moins 20 % de produits biologiques. Depuis "
                "les données 2024, au moins 60 % des achats de viandes et de poissons doivent être EGAlim "
                "(100 % dans les restaurants de l'État).</li>"
                "<li><b>Lutte contre le gaspillage alimentaire et dons</b> : un diagnostic, un plan "
                "d'actions et, au-delà de 3 000 repas par jour, une convention de dons avec une "
                "association.</li>"
                "<li><b>Diversification des sources de protéines</b> : un menu végétarien au moins une "
                "fois par semaine et, au-delà de 200 repas par jour, un plan pluriannuel de "
                "diversification.</li>"
                "<li><b>Substitution des plastiques</b> : fin des bouteilles d'eau en plastique, des "
                "ustensiles à usage unique et des contenants de cuisson, de réchauffe et de service en "
                "plastique.</li>"
                "<li><b>Information des convives</b> : au moins une fois par an, sur la part de produits "
                "durables et de qualité et sur le plan alimentaire.</li>"
                "</ul>"
            ),
            h("Et en outre-mer ?"),
            p(
                "<p>Des seuils adaptés s'appliquent en Guadeloupe, Martinique, Guyane, à La Réunion, à "
                "Saint-Martin, à Mayotte et à Saint-Pierre-et-Miquelon (décret n° 2021-1235). Ils "
                "augmentent par paliers jusqu'à rejoindre les objectifs nationaux.</p>"
            ),
        ],
    },
    {
        "slug": "pour-qui",
        "title": "À qui s'adresse ce site ?",
        "show_in_menus": True,
        "introduction": (
            "Environ 84 000 restaurants collectifs servent 3,5 milliards de repas par an en France. "
            "Ce site s'adresse à toutes celles et ceux qui les font vivre."
        ),
        "body": [
            h("Gestionnaires de cantine"),
            p(
                "<p>Cuisinier·es, gestionnaires, intendant·es, élu·es de petites communes : vous trouvez "
                "ici de quoi comprendre vos obligations, calculer vos taux d'achats, informer vos "
                "convives et préparer votre télédéclaration annuelle.</p>"
            ),
            h("Chargé·es de mission et ambassadeurs"),
            p(
                "<p>DRAAF, chargé·es de mission des projets alimentaires territoriaux (PAT), réseaux et "
                "fédérations : plaquettes, supports de présentation, modèles de mail et données ouvertes "
                "vous aident à accompagner les cantines de votre territoire.</p>"
            ),
            h("Convives et parents"),
            p(
                "<p>Chaque restaurant doit informer ses convives de la part de produits durables et de "
                "qualité qu'il sert : demandez l'affiche de votre cantine.</p>"
            ),
        ],
    },
    {
        "slug": "a-propos",
        "title": "À propos",
        "show_in_menus": False,
        "introduction": (
            "ma cantine est un service public numérique du ministère de l'Agriculture et de la "
            "Souveraineté alimentaire, conçu avec les acteurs de la restauration collective."
        ),
        "body": [
            p(
                "<p>Les contenus sont rédigés et relus par la Direction générale de l'alimentation "
                "(DGAL). Ils sont publiés sous licence ouverte et accessibles à tous, sans compte.</p>"
            ),
        ],
    },
]


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
