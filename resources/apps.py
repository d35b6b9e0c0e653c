from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Centre de ressources"

    def ready(self):
        from search.service import register_no_result_provider

        from . import review
        from .search_fallback import most_useful_resources

        register_no_result_provider(most_useful_resources)
        review.install()  # a translation never overwrites a live page outside review (resources/review.py)
