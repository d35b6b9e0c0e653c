"""The campaign's statistical report: /territoires/bilan/<year>/ (page with charts and tables), .pdf
(WeasyPrint), .csv and .xlsx. Public once the campaign's results are published (`CampaignPublication`);
before, staff only (a preview), 404 for everyone else."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from canteens.models import Campaign
from home.pdf import PDFUnavailable, render_pdf
from home.spreadsheets import spreadsheet_response

from .dashboard import bar_chart
from .report import TABLE_TITLES, campaign_report, report_rows


def _campaign(request, year):
    campaign = get_object_or_404(Campaign, year=year)
    published = hasattr(campaign, "publication")
    if not published and not (request.user.is_authenticated and request.user.is_staff):
        raise Http404("results not published")
    return campaign, published


def _context(campaign, published):
    report = campaign_report(campaign)
    labels = report["rate_labels"]
    charts = []
    for group in ("category", "management", "production"):
        table = report["tables"][group]
        if table:
            charts.append(
                bar_chart(
                    f"bilan-{group}",
                    f"{TABLE_TITLES[group]} — {campaign.year}",
                    "Barres horizontales de 0 à 100 % : part de bio puis part EGAlim agrégées ; les valeurs sont "
                    "dans le tableau qui suit.",
                    [(labels["bio"], "#18753c"), (labels["egalim"], "#000091")],
                    [(row["label"], [row["rates"]["bio"], row["rates"]["egalim"]]) for row in table],
                )
            )
    titles = {key: str(title) for key, title in TABLE_TITLES.items()}
    return {"report": report, "published": published, "charts": charts, "titles": titles}


def report_page(request, year):
    campaign, published = _campaign(request, year)
    return render(request, "territories/report.html", _context(campaign, published))


def report_file(request, year, fmt):
    campaign, published = _campaign(request, year)
    if fmt == "pdf":
        try:
            content = render_pdf("territories/report_pdf.html", _context(campaign, published))
        except PDFUnavailable:
            return HttpResponse("PDF indisponible, réessayez plus tard.", status=503, content_type="text/plain")
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="bilan-teledeclaration-{year}.pdf"'
        return response
    if fmt not in ("csv", "xlsx"):
        raise Http404("unknown format")
    header, rows = report_rows(campaign_report(campaign))
    return spreadsheet_response(f"bilan-teledeclaration-{year}", header, rows, fmt)
