"""DSFR error pages. The 500 page renders without touching the database."""

from django.http import HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def page_not_found(request, exception=None):
    template = loader.get_template("404.html")
    return HttpResponseNotFound(template.render({"request_path": request.path}, request))


@requires_csrf_token
def server_error(request):
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render())
