"""Open data: the page, the files by dataset and format, their Table Schemas, the national files."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from .. import formfields, national, opendata
from ..models import OpenDataFile
from ..opendata.downloads import download, stored_download

NATIONAL_FORMATS = {"csv": opendata.FORMATS["csv"], "xlsx": opendata.FORMATS["xlsx"]}


@require_GET
def open_data(request):
    form = opendata.FilterForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    query = urlencode(filters)
    files = {(f.dataset, f.format): f for f in OpenDataFile.objects.all()}
    datasets = []
    for dataset in opendata.DATASETS.values():
        datasets.append(
            {
                "dataset": dataset,
                "count": dataset.count(dataset.applicable(filters)),
                "downloads": [
                    (
                        fmt.upper(),
                        reverse("territories:export", args=[dataset.slug, fmt]) + (f"?{query}" if query else ""),
                    )
                    for fmt in opendata.FORMATS
                ],
                "schema_url": reverse("territories:schema", args=[dataset.slug]),
                "files": [files[(dataset.slug, fmt)] for fmt in opendata.FORMATS if (dataset.slug, fmt) in files],
            }
        )
    return render(
        request,
        "territories/open_data.html",
        {
            "form": form,
            "fields": formfields.fields(form),
            "datasets": datasets,
            "filters": filters,
            "published_years": opendata.published_years(),
            "national_years": national.campaign_years(),
        },
    )


def _national_response(dataset, rows, fmt):
    if fmt not in NATIONAL_FORMATS:
        raise Http404("unknown format")
    return download(dataset, rows, fmt, f"{dataset.slug}.{fmt}", content_type=NATIONAL_FORMATS[fmt])


@require_GET
def national_registry(request, fmt):
    """The registry in ma cantine's national schema (schema_cantines.json)."""
    return _national_response(national.REGISTRY, national.registry_rows(), fmt)


@require_GET
def national_campaign(request, year, fmt):
    """One campaign's declarations in ma cantine's national schema (schema_teledeclarations.json): published
    campaigns only."""
    if year not in national.campaign_years():
        raise Http404("campaign not published")
    return _national_response(national.campaign_dataset(year), national.campaign_rows(year), fmt)


@require_GET
def national_schema(request, name):
    slug = f"schema-{name}"
    if slug not in national.SCHEMA_FILES:
        raise Http404("unknown schema")
    response = HttpResponse(national.schema_bytes(slug), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def export(request, dataset, fmt):
    dataset = opendata.DATASETS.get(dataset)
    if dataset is None or fmt not in opendata.FORMATS:
        raise Http404("unknown dataset or format")
    form = opendata.FilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(
            "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()),
            content_type="text/plain; charset=utf-8",
        )
    filters = dataset.applicable(form.filters())
    name = opendata.filename(dataset, filters, fmt)
    # the whole country: the file written once after the last change while it is fresh (opendata/stored.py)
    stored = None if filters else stored_download(dataset, fmt, name)
    return stored or download(dataset, dataset.rows(filters, request), fmt, name)


@require_GET
def schema(request, dataset):
    dataset = opendata.DATASETS.get(dataset)
    if dataset is None:
        raise Http404("unknown dataset")
    response = JsonResponse(dataset.schema(request), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def national_file(request, dataset, fmt):
    record = OpenDataFile.objects.filter(dataset=dataset, format=fmt).first()
    if record is None or not default_storage.exists(record.path):
        raise Http404("file not generated yet")
    return FileResponse(
        default_storage.open(record.path, "rb"),
        as_attachment=True,
        filename=f"{dataset}.{fmt}",
        content_type=opendata.FORMATS.get(fmt, "application/octet-stream"),
    )
