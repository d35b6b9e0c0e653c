import pytest


def test_results_stay_hidden_until_the_campaign_is_published(client, world):
    html = client.get("/territoires/region/53/").content.decode()
    assert "Cantines inscrites" in html
    assert "ne sont pas encore publiés" in html
    assert "17,5" not in html and "<svg" not in html
    # nor in the open data
    response = client.get("/donnees/resultats-campagnes.csv")
    assert b"".join(response.streaming_content).decode().count("\n") == 1


def test_dashboard_after_publication(client, world, published):
    response = client.get("/territoires/region/53/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bretagne" in html
    assert "ne sont pas encore publiés" not in html
    # pooled rates, truncated to one decimal: 17.5 % bio, 45 % EGAlim; national 17.8 % and 42.8 %
    assert "17,5\u00a0%" in html and "45,0\u00a0%" in html
    assert "17,8\u00a0%" in html and "42,8\u00a0%" in html
    # 2 declarations out of 4 registered canteens in Bretagne; 1 of 2 meets its objectives
    assert "50,0\u00a0%" in html
    # accessible charts with the same data in a table
    assert html.count('<svg role="img"') == 2
    assert '<title id="chart-comparaison-title">' in html and '<desc id="chart-comparaison-desc">' in html
    assert "<caption>" in html and "France entière" in html
    assert "Social et médico-social" in html


def test_department_dashboard_and_collectivities(client, world, published):
    html = client.get("/territoires/departement/972/").content.decode()
    assert "Martinique" in html and "Télédéclarations 2024" in html
    assert client.get("/territoires/departement/977/").status_code == 200
    assert client.get("/territoires/departement/2a/").status_code == 200


@pytest.mark.parametrize("url", ["/territoires/region/99/", "/territoires/departement/20/", "/territoires/region/x/"])
def test_unknown_territory_is_404(client, db, url):
    assert client.get(url).status_code == 404


def test_index_lists_regions_and_collectivities(client, db):
    html = client.get("/territoires/").content.decode()
    assert "Provence-Alpes-Côte d&#x27;Azur" in html or "Provence-Alpes-Côte d'Azur" in html
    assert "Saint-Pierre-et-Miquelon" in html and "/territoires/departement/2B/" in html


class TestBareCode:
    """/territoires/<code>/: region and department codes collide, so the dashboards have two prefixes; a bare
    code redirects when it names one territory and offers the choice when it names two."""

    @pytest.mark.parametrize(
        "code, location",
        [
            ("35", "/territoires/departement/35/"),
            ("2a", "/territoires/departement/2A/"),
            ("972", "/territoires/departement/972/"),
            ("977", "/territoires/departement/977/"),
        ],
    )
    def test_a_code_naming_one_territory_redirects(self, client, db, code, location):
        response = client.get(f"/territoires/{code}/")
        assert response.status_code == 302 and response["Location"] == location

    def test_a_code_naming_a_region_and_a_department_offers_both(self, client, db):
        response = client.get("/territoires/53/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Le code 53 désigne deux territoires" in html
        assert 'href="/territoires/region/53/">La région Bretagne<' in html
        assert 'href="/territoires/departement/53/">Le département Mayenne (53)<' in html
        assert client.get("/territoires/11/").status_code == 200  # Île-de-France and Aude

    @pytest.mark.parametrize("code", ["99", "979", "20"])
    def test_an_unknown_code_is_404(self, client, db, code):
        assert client.get(f"/territoires/{code}/").status_code == 404

    def test_the_officer_pages_are_not_shadowed(self, client, db):
        assert client.get("/territoires/suivi/").status_code == 302  # login


def test_epci_dashboard(client, world, published):
    """An EPCI is a dashboard level beside region and department: its communes from Etalab's reference."""
    html = client.get("/territoires/epci/243500139/").content.decode()
    assert "Rennes Métropole" in html and "Tableau de bord de l'intercommunalité (EPCI)" in html
    assert 'href="/territoires/departement/35/"' in html and 'href="/territoires/region/53/"' in html
    assert "Télédéclarations 2024" in html
    assert "?epci=243500139" in html  # the registry and the open data, filtered on it
    # the department lists the EPCIs of its canteens
    department = client.get("/territoires/departement/35/").content.decode()
    assert 'href="/territoires/epci/243500139/">Rennes Métropole</a>' in department


@pytest.mark.parametrize("code", ["999999999", "x", "24350013"])
def test_unknown_epci_is_404(client, db, code):
    assert client.get(f"/territoires/epci/{code}/").status_code == 404


def test_epci_figures_are_its_canteens_only(world, published):
    from territories import dashboard

    rennes = dashboard.dashboard(dashboard.get_territory("epci", "243500139"))
    brest = dashboard.dashboard(dashboard.get_territory("epci", "242900314"))
    assert (rennes["canteens"], brest["canteens"]) == (1, 1)
    assert rennes["level"] == "epci" and rennes["territory"].department.code == "35"
