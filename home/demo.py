"""Demo content of the home app: locales, home pages (fr, en), standard pages, admin user."""

import os
import secrets

from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import LocaleSynchronization

from .models import HomePage, SiteSettings, StandardPage


def p(text):
    return {"type": "paragraph", "value": text}


def h(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


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
    # The footer's mandatory pages (templates/includes/footer.html links them by slug: home.FOOTER_PAGES):
    # editable StandardPages, published through the normal workflow.
    {
        "slug": "accessibilite",
        "title": "Déclaration d'accessibilité",
        "show_in_menus": False,
        "introduction": (
            "Le ministère de l'Agriculture et de la Souveraineté alimentaire s'engage à rendre ses sites "
            "internet accessibles conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette "
            "déclaration s'applique au site ma cantine — centre de ressources."
        ),
        "body": [
            h("État de conformité"),
            p(
                "<p>Le site ma cantine — centre de ressources est <b>partiellement conforme</b> avec le "
                "référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1, en raison des "
                "non-conformités énumérées ci-dessous.</p>"
            ),
            h("Résultats des tests"),
            p(
                "<p>Un audit de la grille RGAA 4.1 est en cours ; le taux de critères respectés sera "
                "publié ici à son issue. Les tests automatiques (axe-core sur chaque page publique) et "
                "manuels (navigation au clavier, zoom, affichage à 320 px de large) ne relèvent pas "
                "d'autres non-conformités que celles énumérées ci-dessous.</p>"
            ),
            h("Contenus non accessibles"),
            h("Non-conformités", "h3"),
            p(
                "<ul>"
                "<li>Certains documents PDF téléchargeables (plaquettes, supports de présentation) ne sont "
                "pas balisés (critère 13.3) ; l'affiche et le justificatif de télédéclaration le sont.</li>"
                "<li>La carte des cantines n'a pas d'alternative textuelle complète pour les regroupements "
                "(critère 1.3) ; la liste des cantines, accessible sans JavaScript, en tient lieu.</li>"
                "</ul>"
            ),
            h("Dérogations pour charge disproportionnée", "h3"),
            p("<p>Aucune.</p>"),
            h("Contenus non soumis à l'obligation d'accessibilité", "h3"),
            p("<p>Les documents bureautiques publiés avant le 23 septembre 2018.</p>"),
            h("Établissement de cette déclaration"),
            p(
                "<p>Cette déclaration a été établie le 5 décembre 2026. Technologies utilisées : HTML5, "
                "CSS, JavaScript (facultatif : chaque page fonctionne sans). Environnement de test : "
                "Chromium et axe-core.</p>"
            ),
            h("Retour d'information et contact"),
            p(
                "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à l'adresse de "
                "contact indiquée en pied de page pour être orienté vers une alternative accessible ou "
                "obtenir le contenu sous une autre forme.</p>"
            ),
            h("Voies de recours"),
            p(
                "<p>Si vous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu "
                "ou à un service et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez : "
                "écrire un message au Défenseur des droits (formulaire sur defenseurdesdroits.fr), "
                "contacter le délégué du Défenseur des droits dans votre région, ou envoyer un courrier "
                "(gratuit, sans timbre) à : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</p>"
            ),
        ],
    },
    {
        "slug": "mentions-legales",
        "title": "Mentions légales",
        "show_in_menus": False,
        "introduction": "Qui édite ce site, qui l'héberge, et à quelles conditions réutiliser ses contenus.",
        "body": [
            h("Éditeur"),
            p(
                "<p>Ministère de l'Agriculture et de la Souveraineté alimentaire, 78 rue de Varenne, "
                "75349 Paris 07 SP. Directeur de la publication : le directeur général de l'alimentation.</p>"
            ),
            h("Hébergement"),
            p(
                "<p>Le nom, l'adresse et le téléphone de l'hébergeur sont indiqués ici par l'équipe qui "
                "exploite le service, lors de son déploiement.</p>"
            ),
            h("Réutilisation des contenus"),
            p(
                "<p>Sauf mention contraire, les contenus de ce site sont publiés sous licence ouverte "
                "Etalab 2.0 : vous pouvez les réutiliser en citant leur source. Les données ouvertes "
                "(registre des cantines, bilans de campagne) sont publiées sous la même licence.</p>"
            ),
            h("Accessibilité"),
            p("<p>Voir la déclaration d'accessibilité, liée en pied de page.</p>"),
        ],
    },
    {
        "slug": "donnees-personnelles",
        "title": "Données personnelles",
        "show_in_menus": False,
        "introduction": "Les données que le service traite, pourquoi, combien de temps, et vos droits.",
        "body": [
            h("Responsable du traitement"),
            p(
                "<p>La Direction générale de l'alimentation (DGAL), ministère de l'Agriculture et de la "
                "Souveraineté alimentaire. Le traitement est nécessaire à une mission d'intérêt public "
                "(article 6.1.e du RGPD) : le suivi de l'application de la loi EGAlim en restauration "
                "collective.</p>"
            ),
            h("Données traitées"),
            p(
                "<ul>"
                "<li>Sans compte : aucune donnée personnelle. Les réponses à l'autodiagnostic restent dans "
                "votre session, le temps de la visite.</li>"
                "<li>Avec un compte : votre adresse e-mail, vos nom et prénom, votre fonction, les cantines "
                "que vous gérez et leurs déclarations.</li>"
                "<li>Chargé·es de mission : le territoire suivi et l'organisme.</li>"
                "</ul>"
            ),
            h("Durée de conservation"),
            p(
                "<p>Les données du compte sont conservées tant que le compte existe ; vous pouvez demander "
                "sa suppression à tout moment. Les télédéclarations, preuves du respect de la loi, sont "
                "conservées même après la suppression du compte.</p>"
            ),
            h("Vos droits"),
            p(
                "<p>Vous pouvez accéder à vos données, les rectifier, demander leur effacement ou la "
                "limitation de leur traitement, et vous opposer au traitement, en écrivant à l'adresse de "
                "contact indiquée en pied de page. Si vous estimez que vos droits ne sont pas respectés, "
                "vous pouvez adresser une réclamation à la CNIL (cnil.fr).</p>"
            ),
        ],
    },
    {
        "slug": "gestion-des-cookies",
        "title": "Gestion des cookies",
        "show_in_menus": False,
        "introduction": (
            "Ce site ne dépose aucun cookie de mesure d'audience ni de publicité : il n'y a donc rien à "
            "accepter ni à refuser."
        ),
        "body": [
            h("Les seuls cookies déposés"),
            p(
                "<p>Ils sont strictement nécessaires au service et exemptés de consentement :</p>"
                "<ul>"
                "<li><b>sessionid</b> : votre connexion et les réponses de l'autodiagnostic, jusqu'à la "
                "fin de la session ;</li>"
                "<li><b>csrftoken</b> : la protection des formulaires contre la falsification de "
                "requêtes ;</li>"
                "<li><b>messages</b> : les messages de confirmation affichés après une action, effacés "
                "dès leur lecture.</li>"
                "</ul>"
            ),
            h("Mesure d'audience"),
            p(
                "<p>Le site compte les recherches effectuées (les mots cherchés et le nombre de "
                "résultats) sans cookie ni identifiant de visiteur.</p>"
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
