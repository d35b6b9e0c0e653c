"""RSS 2.0 and Atom feeds of new and updated resources, filtered by the hub's parameters.

`/ressources/feed.xml?measure=waste` lists what `/ressources/?measure=waste` lists, last published first.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext

from home.urls_absolute import page_url

from .hub import RECENT_FIRST, HubQuery
from .models import ResourceIndexPage

FEED_ITEMS = 30


@dataclass
class FeedContext:
    request: HttpRequest
    query: HubQuery
    hub_url: str


class ResourcesFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, *args, **kwargs):
        language = translation.get_language()
        hub = ResourceIndexPage.objects.live().filter(locale__language_code=language).first()
        hub_url = page_url(hub, request) if hub else request.build_absolute_uri("/")
        return FeedContext(request=request, query=HubQuery(request.GET, language), hub_url=hub_url or "/")

    def title(self, obj):
        title = gettext("ma cantine — nouvelles ressources")
        labels = [active.label for active in obj.query.active_filters()]
        if not labels:
            return title
        return gettext("%(title)s : %(filters)s") % {"title": title, "filters": ", ".join(labels)}

    def feed_url(self, obj):
        return obj.request.path + obj.query.querystring()

    def link(self, obj):
        return obj.hub_url + obj.query.querystring()

    def description(self, obj):
        return gettext("Les ressources nouvelles ou mises à jour du centre de ressources ma cantine (loi EGAlim).")

    def subtitle(self, obj):  # Atom
        return self.description(obj)

    def items(self, obj):
        resources = list(obj.query.queryset.order_by(RECENT_FIRST, "-pk").prefetch_related("measures")[:FEED_ITEMS])
        labels = {term.id: term.label for term in obj.query.catalogue["measure"]}
        for resource in resources:
            resource.feed_link = page_url(resource, obj.request)  # the request's host, not the Site's « localhost »
            resource.feed_categories = [labels.get(measure.pk, measure.name) for measure in resource.measures.all()]
        return resources

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.feed_link

    def item_guid(self, item):
        return item.feed_link

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return item.feed_categories


class AtomResourcesFeed(ResourcesFeed):
    feed_type = Atom1Feed
