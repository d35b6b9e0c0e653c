from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Centre de ressources"

    def ready(self):
        from . import review

        review.install()  # a translation never overwrites a live page outside review (resources/review.py)
