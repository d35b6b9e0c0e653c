"""Territory officers: their scope, the list of their canteens with the declaration status, the mail merge.

The scope is the set of department codes of the officer's regions and departments; every officer view filters
canteens (and widgets) on it, so an officer never sees a canteen outside their territory. Superusers have the
national scope. Anyone else gets a 403.
"""

import csv
import email.policy
from email.message import EmailMessage
from typing import NamedTuple

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, CharField, Count, Exists, OuterRef, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.forms import DsfrFormMixin
from canteens.choices import SECTOR_CATEGORIES
from canteens.models import Campaign, Canteen, Teledeclaration
from home.request_cache import memoised
from home.spreadsheets import csv_row
from home.text import one_line
from resources.zipstream import ZipEntry, iter_zip

from .models import Department, TerritoryOfficer
from .opendata import _Line, _text
from .params import english_names
from .stats import masks_with

PAGE_SIZE = 50

STATUSES = {
    "declared": _("Télédéclarée"),
    "not_declared": _("Inscrite, non télédéclarée"),
    "no_manager": _("Sans gestionnaire"),
}
# The statuses each mail template is written for (by its stable code): the mail merge's check page warns about
# selected canteens in another status (« cantine non inscrite » to a canteen that already declared...).
TEMPLATE_STATUSES = {
    "cantine-non-inscrite": {"no_manager"},
    "cantine-inscrite": {"not_declared"},
    "relance-teledeclaration": {"not_declared"},
}
MERGE_PREVIEW_ROWS = 200


def merge_preview(template, queryset):
    """What the check page of the mail merge shows before generating: the canteens (at most MERGE_PREVIEW_ROWS)
    with their status, the count per status, and how many are in a status the template is not written for."""
    counts = {
        row["follow_status"]: row["n"] for row in queryset.order_by().values("follow_status").annotate(n=Count("pk"))
    }
    rows = list(queryset[:MERGE_PREVIEW_ROWS])
    for canteen in rows:
        canteen.status = status_of(canteen)
        canteen.status_label = STATUSES[canteen.status]
    expected = TEMPLATE_STATUSES.get(template.code) if template is not None else None
    mismatched = sum(n for status, n in counts.items() if expected is not None and status not in expected)
    return {
        "rows": rows,
        "total": sum(counts.values()),
        "counts": [(STATUSES[status], counts[status]) for status in STATUSES if counts.get(status)],
        "mismatched": mismatched,
        "expected_labels": [STATUSES[status] for status in STATUSES if expected and status in expected],
    }


class Scope:
    """What a user may follow: `codes` (department codes) or everything (`national`)."""

    def __init__(self, officer=None, national=False):
        self.officer = officer
        self.national = national
        self.codes = None if national else officer.department_codes()

    def departments(self):
        queryset = Department.objects.select_related("region")
        return queryset if self.national else queryset.filter(code__in=self.codes)

    def canteens(self):
        queryset = Canteen.objects.all()
        return queryset if self.national else queryset.filter(territory_department_id__in=self.codes)

    def allows(self, territory) -> bool:
        if self.national:
            return True
        return set(territory.department_codes()) <= set(self.codes)

    def territory_choices(self):
        """("region:53", "Bretagne (région)"), ("department:35", "35 — Ille-et-Vilaine"), …"""
        from .models import Region

        regions = Region.objects.all() if self.national else self.officer.regions.all()
        choices = [(f"region:{region.code}", _("%(name)s (région)") % {"name": region.name}) for region in regions]
        choices += [(f"department:{d.code}", f"{d.code} — {d.name}") for d in self.departments()]
        return choices


def scope_for(user) -> Scope:
    if not user.is_authenticated:
        raise PermissionDenied
    officer = TerritoryOfficer.objects.filter(user=user).first()
    if officer is not None:
        return Scope(officer)
    if user.is_superuser:
        return Scope(national=True)
    raise PermissionDenied(_("Ces pages sont réservées aux chargé·es de mission territoriaux."))


class ListFilterForm(DsfrFormMixin, forms.Form):
    department = forms.ChoiceField(label=_("Département"), required=False)
    status = forms.ChoiceField(label=_("Statut"), required=False, choices=[("", _("Tous"))] + list(STATUSES.items()))
    sector = forms.ChoiceField(
        label=_("Catégorie de secteur"), required=False, choices=[("", _("Toutes"))] + list(SECTOR_CATEGORIES.items())
    )
    campaign = forms.TypedChoiceField(label=_("Campagne"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("Nom, commune ou SIRET"), required=False, max_length=100)

    def __init__(self, scope, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("Tous"))] + [
            (d.code, f"{d.code} — {d.name}") for d in scope.departments()
        ]
        self.fields["campaign"].choices = [(year, str(year)) for year in campaign_years()]


def campaign_years():
    """The campaigns' years, newest first (read once per request: the filter form and the list both need them)."""
    return memoised(
        "territories:campaign-years", lambda: list(Campaign.objects.order_by("-year").values_list("year", flat=True))
    )


def filtered(scope, data):
    """(form, queryset, campaign year) for the officer's list: canteens annotated with `declared` (a submitted
    declaration for the campaign) and `has_manager`."""
    form = ListFilterForm(scope, english_names(data))
    form.is_valid()
    values = {name: form.cleaned_data.get(name) for name in form.fields if name not in form.errors}
    years = campaign_years()
    year = values.get("campaign") or (years[0] if years else None)
    declared = Teledeclaration.objects.submitted().filter(canteen=OuterRef("pk"), year=year)
    managers = Canteen.managers.through.objects.filter(canteen_id=OuterRef("pk"))
    queryset = with_status(scope.canteens().annotate(declared=Exists(declared), has_manager=Exists(managers)))
    if values.get("department"):
        queryset = queryset.filter(territory_department_id=values["department"])
    if values.get("sector"):
        queryset = queryset.filter(stats__sector_mask__in=masks_with(values["sector"]))
    status = values.get("status")
    if status in STATUSES:
        queryset = queryset.filter(follow_status=status)
    if values.get("q"):
        from django.db.models import Q

        q = values["q"]
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(city__icontains=q) | Q(siret__startswith=q.replace(" ", ""))
        )
    return form, queryset.select_related("territory_department", "stats").order_by("name", "pk"), year


def remember_officer(session, key):
    """Mark the session as an officer's (the header's account menu reads it), once: setting a key, even to the
    value it has, makes Django write the session again at the end of every request."""
    if session.get(key) is not True:
        session[key] = True


def page_of(queryset, number):
    """The page `number` of the officer's list, in two queries (plus the count): the page's ids in the list's
    order first, then those rows with their annotations and joins. Asked in one query, PostgreSQL joined the
    statistics of every canteen of the scope and hashed every declaration and manager row before keeping 50
    (200 ms for a region of 5,000 canteens); by ids, the annotations are read for the 50 rows only."""
    page = Paginator(queryset.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    page.object_list = list(queryset.filter(pk__in=ids)) if ids else []
    return page


def with_status(queryset):
    """Annotates `follow_status`: ONE status per canteen, defined here only (the list, its filter, the exports and
    the mail merge read it). A declared canteen is « Télédéclarée » even without a manager today."""
    return queryset.annotate(
        follow_status=Case(
            When(declared=True, then=Value("declared")),
            When(has_manager=True, then=Value("not_declared")),
            default=Value("no_manager"),
            output_field=CharField(),
        )
    )


def status_of(canteen) -> str:
    status = getattr(canteen, "follow_status", None)
    if status is not None:
        return status
    if canteen.declared:  # a canteen not read through with_status()
        return "declared"
    return "not_declared" if canteen.has_manager else "no_manager"


LIST_COLUMNS = [
    "siret",
    "siren_unite_legale",
    "nom",
    "commune_code_insee",
    "commune",
    "departement_code",
    "departement",
    "secteurs",
    "gestionnaires",
    "statut_teledeclaration",
    "campagne",
    "bilan_publie_annee",
    "taux_bio",
    "taux_egalim",
    "page_publique",
]


class _Field(NamedTuple):
    name: str
    type: str = "string"


class OfficerList:
    """The officer's export, for the CSV/XLSX writers of `opendata` (they need `slug`, `names` and, for one
    formatter per column, each column's Table Schema type)."""

    slug = "cantines-du-territoire"
    names = LIST_COLUMNS
    columns = [
        _Field(name, {"campagne": "year", "bilan_publie_annee": "year"}.get(name, "string"))
        if not name.startswith("taux_")
        else _Field(name, "number")
        for name in LIST_COLUMNS
    ]


# Canteens whose managers are read in one query (the rows themselves come from a server-side cursor)
MANAGER_BATCH = 500


def with_managers(rows, fields):
    """(row, managers) for each `values_list` row whose first item is the canteen's id; `managers`: a list of
    tuples of the managers' `fields`, in the order they were added to the canteen. Read MANAGER_BATCH canteens
    at a time, as plain values: no model instance, memory bounded by the batch whatever the number of rows."""
    through = Canteen.managers.through
    paths = ["canteen_id"] + [f"user__{field}" for field in fields]
    batch = []

    def flush():
        by_canteen = {}
        ids = [row[0] for row in batch]
        for canteen_id, *values in through.objects.filter(canteen_id__in=ids).order_by("pk").values_list(*paths):
            by_canteen.setdefault(canteen_id, []).append(values)
        for row in batch:
            yield row, by_canteen.get(row[0], ())
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= MANAGER_BATCH:
            yield from flush()
    if batch:
        yield from flush()


def public_url_template(base_url) -> str:
    """The public page's address as `Canteen.get_public_url()` writes it (active language), reversed once for
    a whole export: `.format(pk=…, slug=…)` per row."""
    return base_url + reverse("territories:canteen", args=[987654321, "slug-modele"]).replace(
        "987654321", "{pk}"
    ).replace("slug-modele", "{slug}")


LIST_PATHS = (
    "pk",
    "siret",
    "siren_unite_legale",
    "name",
    "city_insee_code",
    "city",
    "department",
    "territory_department__name",
    "sectors",
    "follow_status",
    "stats__published_year",
    "stats__bio_rate",
    "stats__egalim_rate",
)


def list_rows(queryset, year, base_url):
    """Rows of the officer's export (their whole filtered list), with the managers' e-mail addresses: the list's
    columns read by `values_list` on a server-side cursor, the managers per batch (`with_managers`)."""
    public_url = public_url_template(base_url)
    labels = {status: str(label) for status, label in STATUSES.items()}
    slug_of = Canteen.slug_of
    rows = queryset.values_list(*LIST_PATHS).iterator(chunk_size=MANAGER_BATCH)
    for row, managers in with_managers(rows, ("email",)):
        pk, siret, siren, name, insee, city, department, department_name, sectors, status, published, bio, egalim = row
        yield [
            siret,
            siren,
            name,
            insee,
            city,
            department,
            department_name or "",
            "|".join(sectors or []),
            ", ".join([email for (email,) in managers]),
            labels[status],
            year,
            published,
            bio,
            egalim,
            public_url.format(pk=pk, slug=slug_of(name)),
        ]


# --- mail merge ------------------------------------------------------------------------------------------------


MERGE_COLUMNS = ["destinataires", "nom_cantine", "siret", "commune", "departement", "statut", "objet", "corps"]


def campaign_values(year) -> dict:
    """The campaign's placeholders (data year, declaration deadline), the deadline written in the active language;
    computed in the view, before the response streams."""
    from django.utils.dateformat import format as format_date

    campaign = Campaign.objects.filter(year=year).first() if year else None
    if campaign is None:
        return {}
    return {"annee_donnees": campaign.year, "date_limite": format_date(campaign.declaration_end, "j F Y")}


class MergeCanteen(NamedTuple):
    """The columns of a canteen the mail merge reads (`values_list`, no model instance)."""

    pk: int
    name: str
    city: str
    city_insee_code: str
    siret: str
    siren_unite_legale: str
    department: str
    follow_status: str

    @property
    def slug(self):
        return Canteen.slug_of(self.name)


def merged(template, canteens, signatory, base_url, common=None):
    """(canteen, recipients, subject, body) for each canteen, the template filled with its values: the
    placeholders of the template (`MailTemplate.renderer`) and the public address are worked out once, each
    canteen is a `MergeCanteen` read from a server-side cursor, its managers per batch (`with_managers`).

    The values (a placeholder without value stays as written in the template): `common` (the same for every
    canteen, e.g. the signatory's role and the campaign's), the canteen's name, commune, SIRET (or SIREN),
    department and public address, the signatory, and the managers' full names."""
    render = template.renderer()
    public_url = public_url_template(base_url)
    slug_of = Canteen.slug_of
    rows = canteens.values_list(*MergeCanteen._fields).iterator(chunk_size=MANAGER_BATCH)
    for row, managers in with_managers(rows, ("email", "first_name", "last_name")):
        canteen = MergeCanteen._make(row)
        values = {
            **(common or {}),
            "nom_cantine": canteen.name,
            "commune": canteen.city or canteen.city_insee_code,
            "nom_signataire": signatory,
            # User.get_full_name()
            "nom_gestionnaire": ", ".join(
                name for name in (f"{first} {last}".strip() for _email, first, last in managers) if name
            ),
            "siret": canteen.siret or canteen.siren_unite_legale,
            "departement": canteen.department,
            "lien_cantine": public_url.format(pk=canteen.pk, slug=slug_of(canteen.name)),
        }
        subject, body = render(values)
        yield canteen, [email for email, _first, _last in managers if email], subject, body


def iter_merge_csv(template, canteens, signatory, base_url, common=None, batch=100):
    """The mail-merge CSV (UTF-8 with a BOM for spreadsheet software, comma), one line per canteen, sent in
    chunks of `batch` lines."""
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    writer.writerow(MERGE_COLUMNS)
    yield ("\ufeff" + line.pop()).encode("utf-8")
    labels = {status: _text(str(label)) for status, label in STATUSES.items()}
    count = 0
    for canteen, recipients, subject, body in merged(template, canteens, signatory, base_url, common):
        writer.writerow(
            csv_row(
                [
                    ", ".join(recipients),
                    canteen.name,
                    canteen.siret or canteen.siren_unite_legale,
                    canteen.city or canteen.city_insee_code,
                    canteen.department,
                    labels[canteen.follow_status],
                    subject,
                    body,
                ]
            )
        )
        count += 1
        if count >= batch:
            count = 0
            yield line.pop().encode("utf-8")
    if count:
        yield line.pop().encode("utf-8")


def eml(recipients, subject, body, sender="") -> bytes:
    """A draft e-mail (.eml, opened as a new message by most mail clients thanks to X-Unsent)."""
    message = EmailMessage(policy=email.policy.SMTP)
    if sender:
        message["From"] = sender
    if recipients:
        message["To"] = ", ".join(recipients)
    message["Subject"] = one_line(subject)  # an old canteen name with a CR/LF must not break the header
    message["X-Unsent"] = "1"
    message.set_content(body)
    return message.as_bytes()


def iter_merge_zip(template, canteens, signatory, base_url, sender="", common=None):
    """A ZIP of .eml drafts, one per canteen, streamed (resources.zipstream)."""

    def entries():
        for canteen, recipients, subject, body in merged(template, canteens, signatory, base_url, common):
            yield ZipEntry(f"{canteen.pk}-{canteen.slug}.eml", data=eml(recipients, subject, body, sender))

    return iter_zip(entries())


def may_import(user, canteen, action) -> bool:
    """Import pipeline hook (canteens.standard.pipeline.EDITOR_HOOKS): a territory officer may fill and update,
    through a national-format file, the canteens of their departments (« collecteurs de données »)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cache = user.__dict__
    if "_officer_codes" not in cache:
        officer = TerritoryOfficer.objects.filter(user=user).first()
        cache["_officer_codes"] = set(officer.department_codes()) if officer else set()
    return bool(canteen.department) and canteen.department in cache["_officer_codes"]
