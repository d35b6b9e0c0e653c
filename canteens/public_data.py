"""Public data of a canteen as a plain dict: what its public page shows, the published years only (a year the
rules cannot evaluate — a commune without a known department — is there, with unknown rates and no measure).

Served by the api app (GET /api/v1/canteens/<id>/, api/views/canteens.py), which adds the publication checks;
its shape is described for the OpenAPI schema by `canteens.serializers.PublicCanteenSerializer`."""

from diagnostic.summary import egalim_excluding_bio
from egalim import formatting as fmt
from egalim.rules import RATES, RuleInputError


def _rate(value):
    return None if value is None else f"{fmt.truncate(value, 2):.2f}"


def public_data(canteen, request=None) -> dict:
    years = []
    for diagnostic in canteen.diagnostics.filter(is_published=True).order_by("-year"):
        try:
            evaluation = diagnostic.evaluate(canteen)
        except RuleInputError:  # published all the same (Canteen.objects.listed()): the year, its figures unknown
            rates = dict.fromkeys((*RATES, "egalim_excluding_bio"))
            years.append({"year": diagnostic.year, "rates": rates, "measures": {}})
            continue
        rates = {name: _rate(evaluation.rates[name]) for name in RATES}
        rates["egalim_excluding_bio"] = _rate(egalim_excluding_bio(evaluation))
        years.append(
            {
                "year": diagnostic.year,
                "rates": rates,
                "measures": {code: result.status for code, result in evaluation.measures.items()},
            }
        )
    return {**identity(canteen, request), "published_years": years}


def identity(canteen, request=None) -> dict:
    """What the API says of any canteen it shows (its list and its detail: `CanteenIdentitySerializer`); the
    region comes from `territory_department` (select it with the canteens)."""
    url = canteen.get_public_url()
    department = canteen.territory_department
    return {
        "id": canteen.pk,
        "name": canteen.name,
        "siret": canteen.siret,
        "city": canteen.city,
        "city_insee_code": canteen.city_insee_code,
        "department": canteen.department,
        "region": department.region_id if department else None,
        "sectors": list(canteen.sectors or []),
        "management_type": canteen.management_type,
        "production_type": canteen.production_type,
        "daily_meal_count": canteen.daily_meal_count,
        "public_url": request.build_absolute_uri(url) if request is not None else url,
    }
