"""The footer's mandatory pages (legal notice, personal data, cookies, accessibility statement), defined once:
`ensure()` creates those missing under the French home page, published, with their English aliases. It runs
after every `migrate` (post_migrate, home/apps.py) and from `load_demo`; see docs/decisions/0009-legal-pages.md.

These are legal texts written by the team, not editorial content: they go live without the DGAL review. An
existing page is never overwritten, except the accessibility statement while it is still one of the stubs that
earlier versions created (recognised by the fingerprint of its title, introduction and content).
"""

import hashlib
import json
from datetime import date

from . import accessibility


def p(text):
    return {"type": "paragraph", "value": text}


def h(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


STATEMENT_SLUG = "accessibilite"

# The statements earlier versions of load_demo wrote (one paragraph, then the RGAA form without a grid).
STUB_FINGERPRINTS = {
    "4e8a4791ae11dedbd1fda4796b0fae6bddcccd17fbf242cf7beebb91eb23d90c",
    "10fcd976b4e7cdd8a468d7c8d579a9215befec724b0398da5c53e3b3f77b5f1e",
}

# What the project's own tests establish (2026-12-05), on the pages tests/browser/test_accessibility.py checks;
# the non-conformities the team found. Every other criterion: not tested.
AXE = "axe-core sur les pages auditées (tests/browser/test_accessibility.py)"
KNOWN_RESULTS = {
    "1.3": (
        accessibility.NON_CONFORM,
        "La carte des cantines n'a pas d'alternative textuelle complète pour les regroupements ; la liste des "
        "cantines, accessible sans JavaScript, en tient lieu.",
    ),
    "8.3": (accessibility.CONFORM, f"Langue par défaut présente : {AXE}."),
    "8.4": (accessibility.CONFORM, f"Code de langue valide : {AXE}."),
    "8.5": (accessibility.CONFORM, f"Titre de page présent : {AXE} ; pages d'erreur (tests/home/test_form_errors.py)."),
    "11.1": (
        accessibility.CONFORM,
        f"Chaque champ a une étiquette : {AXE} ; tests/quality/test_form_labels.py.",
    ),
    "11.10": (
        accessibility.CONFORM,
        "Erreurs de saisie annoncées, reliées à leur champ, titre préfixé : tests/home/test_form_errors.py.",
    ),
    "12.7": (
        accessibility.CONFORM,
        "Lien d'évitement, premier arrêt du clavier, mène au contenu : tests/browser/test_accessibility.py.",
    ),
    "13.3": (
        accessibility.NON_CONFORM,
        "Certains documents PDF téléchargeables (plaquettes, supports de présentation) ne sont pas balisés ; "
        "l'affiche et le justificatif de télédéclaration le sont.",
    ),
}


def audit_grid():
    """The 106 rows: [{number, result, note}]."""
    rows = []
    for number in accessibility.CRITERIA:
        result, note = KNOWN_RESULTS.get(number, (accessibility.NOT_TESTED, ""))
        rows.append({"number": number, "result": result, "note": note})
    return rows


STATEMENT = {
    "slug": STATEMENT_SLUG,
    "title": "Déclaration d'accessibilité",
    "show_in_menus": False,
    "introduction": (
        "Le ministère de l'Agriculture et de la Souveraineté alimentaire s'engage à rendre ses sites "
        "internet accessibles conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette "
        "déclaration s'applique au site ma cantine — centre de ressources."
    ),
    "audit_date": date(2026, 12, 5),
    "auditor": "L'équipe ma cantine (tests automatiques et manuels du projet, pas d'audit externe)",
    "audited_pages": "\n".join(
        [
            "Accueil (/)",
            "Pages d'information : loi EGAlim, à qui s'adresse ce site, pages du pied de page, plan du site",
            "Centre de ressources (/ressources/), filtré et recherché, ressources de chaque type, kit",
            "Mesures EGAlim et guides",
            "Autodiagnostic : chaque étape, ses erreurs et ses résultats",
            "Recherche",
            "Connexion et création de compte, pages des gestionnaires",
            "Registre et carte des cantines, page publique d'une cantine, données ouvertes, territoires",
            "Page d'erreur 404 et versions anglaises (/en/)",
        ]
    ),
    "technologies": "HTML5, CSS, JavaScript (facultatif : chaque page fonctionne sans)",
    "test_environment": (
        "Chromium piloté par Playwright, sur ordinateur et en largeur de téléphone ; axe-core (violations "
        "sérieuses et critiques) ; navigation au clavier sur le parcours de l'autodiagnostic."
    ),
    "derogations": "<p>Aucune.</p>",
    "exempt_content": "<p>Les documents bureautiques publiés avant le 23 septembre 2018.</p>",
    "body": [
        h("Retour d'information et contact"),
        p(
            "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à l'adresse de "
            "contact indiquée en pied de page pour être orienté vers une alternative accessible ou "
            "obtenir le contenu sous une autre forme.</p>"
        ),
        h("Voies de recours"),
        p(
            "<p>Si vous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu "
            "ou à un service et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez :</p>"
            "<ul>"
            '<li>écrire un message au Défenseur des droits (<a href="https://formulaire.defenseurdesdroits.fr/">'
            "formulaire en ligne</a>) ;</li>"
            "<li>contacter le délégué du Défenseur des droits dans votre région "
            '(<a href="https://www.defenseurdesdroits.fr/carte-des-delegues">carte des délégués</a>) ;</li>'
            "<li>appeler le 09 69 39 00 00 ;</li>"
            "<li>envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, "
            "Libre réponse 71120, 75342 Paris CEDEX 07.</li>"
            "</ul>"
        ),
    ],
}

OTHER_PAGES = [
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

# The footer's order (home/templatetags/site_tags.py links them by slug).
SLUGS = [STATEMENT_SLUG] + [data["slug"] for data in OTHER_PAGES]
STATEMENT_FIELDS = [
    "audit_date",
    "auditor",
    "audited_pages",
    "technologies",
    "test_environment",
    "derogations",
    "exempt_content",
]


def fingerprint(title, introduction, body):
    """sha256 of a page's title, introduction and content blocks (types and values, without block ids)."""
    data = [title, introduction, [[block["type"], block["value"]] for block in body]]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def is_stub(page):
    """True for a StandardPage still holding one of the stubs, with no draft on top of it."""
    if page.has_unpublished_changes:
        return False
    return fingerprint(page.title, page.introduction, list(page.body.raw_data)) in STUB_FINGERPRINTS


def default_home():
    """The default site's French home page, or None (a fresh database: Wagtail's welcome page only)."""
    from wagtail.models import Site

    from .models import HomePage

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None or site.root_page.specific_class is not HomePage:
        return None
    return site.root_page.specific


def ensure(home=None, log=None):
    """Create the missing footer pages under `home` (default: the default site's home page), replace a stub
    statement, then give the new pages their aliases in the synchronised locales. Idempotent. Returns the
    titles of the pages created or replaced."""
    from wagtail.models import Locale
    from wagtail_localize.models import LocaleSynchronization
    from wagtail_localize.synctree import synchronize_tree

    from .models import StandardPage

    home = home or default_home()
    if home is None:
        return []
    log = log or (lambda message: None)
    done = []
    children = {page.slug: page for page in home.get_children().filter(slug__in=SLUGS).specific()}
    for data in OTHER_PAGES:
        if data["slug"] not in children:
            page = StandardPage(locale=home.locale, **data)
            home.add_child(instance=page)
            page.save_revision().publish()
            done.append(page.title)
            log(f"Page « {page.title} » créée.")
    statement = ensure_statement(home, children.get(STATEMENT_SLUG), log)
    if statement:
        done.append(statement)
    if done:
        source = Locale.objects.get(pk=home.locale_id)
        for sync in LocaleSynchronization.objects.filter(sync_from=source).select_related("locale"):
            synchronize_tree(source, sync.locale)
    return done


def ensure_statement(home, existing, log):
    from .models import AccessibilityStatementPage, AuditCriterion, StandardPage

    if isinstance(existing, AccessibilityStatementPage):
        return None
    if existing is None:
        page = AccessibilityStatementPage(locale=home.locale)
        fill_statement(page, AuditCriterion)
        home.add_child(instance=page)
        page.save_revision().publish()
        log(f"Page « {page.title} » créée.")
        return page.title
    if type(existing) is not StandardPage:
        log(f"« /{STATEMENT_SLUG}/ » n'est pas une page standard : laissée telle quelle.")
        return None
    stub = is_stub(existing)
    page = convert_to_statement(existing)
    if not stub:
        log("Déclaration d'accessibilité modifiée par l'équipe éditoriale : contenu gardé, grille d'audit à remplir.")
        return None
    fill_statement(page, AuditCriterion)
    page.save_revision().publish()
    log(f"Page « {page.title} » remplacée (ancienne version de démonstration).")
    return page.title


def fill_statement(page, criterion_model):
    for field in ("title", "slug", "show_in_menus", "introduction", "body", *STATEMENT_FIELDS):
        setattr(page, field, STATEMENT[field])
    page.audit_criteria = [criterion_model(sort_order=i, **row) for i, row in enumerate(audit_grid())]


def convert_to_statement(standard):
    """Turn a StandardPage and its aliases into AccessibilityStatementPages in place (same ids, content, history):
    the subclass's row is added under the existing ones and the content types follow."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q
    from wagtail.models import Page, Revision

    from .models import AccessibilityStatementPage, StandardPage

    old_type = ContentType.objects.get_for_model(StandardPage)
    new_type = ContentType.objects.get_for_model(AccessibilityStatementPage)
    for page in StandardPage.objects.filter(Q(pk=standard.pk) | Q(alias_of_id=standard.pk)):
        child = AccessibilityStatementPage(standardpage_ptr_id=page.pk)
        for field in StandardPage._meta.concrete_fields:
            setattr(child, field.attname, getattr(page, field.attname))
        child.content_type = new_type
        child.save_base(raw=True)  # the new table's row only: the page's rows are kept as they are
        Page.objects.filter(pk=page.pk).update(content_type=new_type)
        Revision.objects.filter(content_type=old_type, object_id=str(page.pk)).update(content_type=new_type)
    return AccessibilityStatementPage.objects.get(pk=standard.pk)
