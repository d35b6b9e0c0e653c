"""DRF serializers of a canteen's public data (`canteens.public_data`): they describe, for the OpenAPI schema of
GET /api/v1/canteens/<id>/ (api/serializers.py), the dict the api app answers with."""

from rest_framework import serializers


class PublishedYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    rates = serializers.DictField(child=serializers.CharField(allow_null=True))
    measures = serializers.DictField(child=serializers.CharField())


# What the API says of any canteen it shows, in its list and its detail: `canteens.public_data.identity`.
class CanteenIdentitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    siret = serializers.CharField()
    city = serializers.CharField()
    city_insee_code = serializers.CharField()
    department = serializers.CharField()
    region = serializers.CharField(allow_null=True)
    sectors = serializers.ListField(child=serializers.CharField())
    management_type = serializers.CharField()
    production_type = serializers.CharField()
    daily_meal_count = serializers.IntegerField()
    public_url = serializers.CharField()


class PublicCanteenSerializer(CanteenIdentitySerializer):
    published_years = PublishedYearSerializer(many=True)
