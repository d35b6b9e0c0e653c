"""Factories shared by the test suite (factory-boy and wagtail-factories)."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model

from home.models import HomePage, StandardPage


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-solide-42")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Accueil"
    slug = "accueil"
    hero_title = "ma cantine — centre de ressources"
    hero_text = "Des ressources pour appliquer la loi EGAlim."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page standard {n}")
    introduction = "Une page d'information."

    class Meta:
        model = StandardPage
