"""The query model shared by the database backends: normalisation, groups, synonyms, tsquery strings."""

import pytest

from search.backends.database import PostgresBackend
from search.query import parse, words_to_check
from search.text import marks_to_html, normalize, python_headline, tokens, variants, with_place_names

pytestmark = pytest.mark.django_db


def test_normalize_removes_accents_ligatures_and_case():
    assert normalize("Végé ŒUFS à l’école") == "vege oeufs a l'ecole"
    assert tokens("Loi EGAlim : l'outre-mer, 20 %") == ["loi", "egalim", "l", "outre", "mer", "20", "pourcent"]


def test_variants_cover_singular_and_plural():
    assert variants("menu") == ["menu", "menus"]
    assert variants("menus") == ["menus", "menu"]
    assert variants("prix") == ["prix", "pri"]
    assert variants("ab") == ["ab"]


def test_stop_words_are_dropped_and_duplicates_merged():
    parsed = parse("le gaspillage du pain et le pain", "fr")
    assert [group.typed for group in parsed.groups] == ["gaspillage", "pain"]


def test_question_words_are_dropped():
    # « à quoi sert » is the question, not its subject: « sert », rare in the index, alone matched too much
    assert [group.typed for group in parse("à quoi sert la télédéclaration ?", "fr").groups] == ["teledeclaration"]
    assert [group.typed for group in parse("comment informer les familles ?", "fr").groups] == ["informer", "familles"]


def test_synonyms_expand_single_words(settings):
    parsed = parse("menu végé", "fr")
    vege = parsed.groups[1]
    words = {alternative.words for alternative in vege.alternatives}
    assert ("vegetarien",) in words and ("vegetal",) in words
    # the last word is also a prefix (« végé » → végétarien, végétaux...)
    assert any(alternative.prefix for alternative in vege.alternatives)


def test_multi_word_synonyms_are_one_group():
    parsed = parse("haute valeur environnementale cantine", "fr")
    assert [group.typed for group in parsed.groups] == ["haute valeur environnementale", "cantine"]
    assert ("hve",) in {alternative.words for alternative in parsed.groups[0].alternatives}
    parsed = parse("loi egalim bio outre-mer", "fr")
    # « loi egalim » is one default synonym (migration 0007): the law's name counts once
    assert [group.typed for group in parsed.groups] == ["loi egalim", "bio", "outre mer"]
    assert ("agriculture", "biologique") in {alternative.words for alternative in parsed.groups[1].alternatives}


def test_la_reunion_is_looked_up_as_the_region_glued_word():
    (group,) = parse("La Réunion", "fr").groups
    words = {alternative.words for alternative in group.alternatives}
    assert ("lareunion",) in words and ("outre", "mer") in words
    assert ("reunion",) not in words and ("la", "reunion") not in words  # not the meeting
    # « réunion » alone is not expanded to the overseas territories
    alone = {alternative.words for alternative in parse("réunion", "fr").groups[0].alternatives}
    assert ("reunion",) in alone and ("outre", "mer") not in alone and ("lareunion",) not in alone
    assert with_place_names("à La Réunion, la réunion d'équipe") == "à La Réunion lareunion, la réunion d'équipe"


def test_min_match_is_all_words_up_to_two_then_75_percent():
    assert parse("pain", "fr").min_match == 1
    assert parse("gaspillage pain", "fr").min_match == 2
    assert parse("gaspillage pain cantine", "fr").min_match == 2
    assert parse("gaspillage pain boulangerie bio", "fr").min_match == 3
    relaxed = parse("gaspillage pain boulangerie bio", "fr")
    relaxed.relaxed = True
    assert relaxed.min_match == 1


def test_corrections_become_alternatives():
    parsed = parse("gaspilage", "fr", {"gaspilage": ["gaspillage"]})
    alternatives = parsed.groups[0].alternatives
    assert ("gaspillage",) in {alternative.words for alternative in alternatives if alternative.kind == "correction"}


def test_words_to_check():
    assert words_to_check("le gaspilage du pain", "fr") == (["gaspilage", "pain"], "pain")
    assert words_to_check("gasp.", "fr") == (["gasp"], None)


def test_tsquery_strings():
    parsed = parse("menus HVE", "fr")
    query = PostgresBackend.tsquery(parsed)
    assert query.startswith("(menus | menu)")
    assert "hve:*" in query and "(haute <-> valeur <-> environnementale)" in query
    title_only = PostgresBackend.group_query(parsed.groups[0], "A")
    assert title_only == "(menus:A | menu:A)"


def test_tsquery_never_contains_user_syntax():
    parsed = parse("pain') | !(:* & <-> \\", "fr")
    assert PostgresBackend.tsquery(parsed) == "(pain | pains)"


def test_marks_to_html_escapes_everything_but_the_marks():
    assert marks_to_html("<b>\ue000pain\ue001</b> & co") == "&lt;b&gt;<mark>pain</mark>&lt;/b&gt; &amp; co"


def test_python_headline():
    text = "<script>x</script> Réduire le gaspillage du pain à la cantine"
    html = python_headline(text, ["gaspillag", "pain"], max_words=None)
    assert html == "&lt;script&gt;x&lt;/script&gt; Réduire le <mark>gaspillage</mark> du <mark>pain</mark> à la cantine"


def test_long_words_also_match_their_other_forms():
    # « réduire » / « réduit »: the French stemmer keeps them apart, a truncated prefix joins them
    parsed = parse("reduire les restes", "fr")
    assert [group.typed for group in parsed.groups] == ["reduire", "restes"]  # « les » is dropped
    alternatives = parsed.groups[0].alternatives
    assert any(alt.words == ("redui",) and alt.prefix and alt.kind == "truncated" for alt in alternatives)
    assert "redui:*" in PostgresBackend.tsquery(parsed)


def test_rare_words_weigh_more():
    from search.backends.database import idf_weights

    weights = idf_weights([40, 3], 50)  # mean 1 before the floor of 0.25
    assert weights == [0.25, pytest.approx(1.84, abs=0.01)]
    assert idf_weights([10, 20], 50)[0] > 1 > idf_weights([10, 20], 50)[1]
    assert idf_weights([], 10) == []
    assert idf_weights([50, 50], 50) == [1.0, 1.0]


def test_min_weight():
    parsed = parse("loi climat bio outre-mer", "fr")
    assert parsed.min_weight == pytest.approx(4 * 2 / 3)  # equal weights: 3 of 4 groups
    parsed.weights = [0.7, 0.5, 0.8, 2.0]
    assert 0.8 + 2.0 >= parsed.min_weight > 0.7 + 0.5 + 0.8  # the two rare words suffice, not the 3 common ones
    two = parse("gaspillage pain", "fr")
    assert two.min_weight == pytest.approx(4 / 3) and two.min_match == 2  # two words of equal weight: both
    two.weights = [0.5, 1.5]
    assert two.weights[1] >= two.min_weight > two.weights[0]  # one three times rarer suffices alone


def test_match_query_is_one_tsquery_of_the_smallest_sufficient_groups():
    parsed = parse("loi climat bio outre-mer", "fr")
    parsed.weights = [0.7, 0.5, 0.8, 2.0]  # min_weight 2.67
    query = PostgresBackend.match_query(parsed)
    loi, climat, bio, outre_mer = (PostgresBackend.group_query(group) for group in parsed.groups)
    # {loi, outre-mer} (2.7) and {bio, outre-mer} (2.8) by weight; {loi, climat, bio} (2.0) by count (3 of 4)
    assert query == f"({loi} & {outre_mer}) | ({bio} & {outre_mer}) | ({loi} & {climat} & {bio})"
    two = parse("gaspillage pain", "fr")
    gaspillage, pain = (PostgresBackend.group_query(group) for group in two.groups)
    assert gaspillage.startswith("(gaspillage | gaspillages | gaspilla:* | gaspi | gaspis")
    assert pain == "(pain | pains | pain:*)"
    assert PostgresBackend.match_query(two) == f"({gaspillage} & {pain})"
    relaxed = parse("gaspillage pain", "fr")
    relaxed.relaxed = True
    assert " | " in PostgresBackend.match_query(relaxed) and " & " not in PostgresBackend.match_query(relaxed)
    assert PostgresBackend.match_query(parse("a1 b2 c3 d4 e5 f6 g7", "fr")) is None  # too many: weighted sum
