"""Endpoints of /api/v1/, one module per domain; the routes are in config/api_urls.py.

- `base`: what every product endpoint shares (JSON only, `{"errors": {...}}`, rate limits, conditional GET);
- `resources`: the hub's content (resources, measures, mail templates, kits);
- `canteens`: published canteens, and the token-authenticated endpoints of canteen managers;
- `egalim`: the stateless rules API (evaluate, thresholds);
- `geo`: the canteens map (positions as GeoJSON or CSV).

Wagtail's endpoints (pages, images, documents) are in `api/wagtail.py`.
"""
