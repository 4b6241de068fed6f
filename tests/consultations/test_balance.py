from types import SimpleNamespace

from consultations.balance import distribution, propose_promotions, resolved_targets


def person(name, region="africa", gender="woman", group="civil_society"):
    return SimpleNamespace(name=name, region_key=region, gender=gender, stakeholder_group_key=group)


def test_distribution_counts_people_without_a_value_in_the_total():
    people = [person("a"), person("b", gender="man"), person("c", gender="")]
    result = distribution(people, "gender")
    assert result.counts == {"woman": 1, "man": 1} and result.total == 3
    assert result.share("woman") == 1 / 3


def test_targets_default_to_an_even_spread_over_the_categories_present():
    people = [person("a", region="africa"), person("b", region="arab"), person("c", region="arab")]
    targets = resolved_targets({"gender": {"woman": 60, "man": 40}}, people)
    assert targets["gender"] == {"woman": 0.6, "man": 0.4}
    assert targets["region"] == {"africa": 0.5, "arab": 0.5}


def test_proposal_prefers_who_improves_the_balance_over_waiting_order():
    confirmed = [person("m1", gender="man"), person("m2", gender="man")]
    waitlist = [person("m3", gender="man"), person("w1", gender="woman"), person("w2", gender="woman")]
    chosen = propose_promotions(
        confirmed=confirmed, waitlist=waitlist, count=2, targets={"gender": {"woman": 50, "man": 50}}
    )
    assert [p.name for p in chosen] == ["w1", "w2"]


def test_proposal_ties_go_to_the_head_of_the_waiting_list():
    waitlist = [person(f"p{i}") for i in range(5)]
    chosen = propose_promotions(confirmed=[], waitlist=waitlist, count=3, targets={})
    assert [p.name for p in chosen] == ["p0", "p1", "p2"]


def test_proposal_balances_several_dimensions_greedily():
    confirmed = [person("c1", region="arab", gender="man", group="academia")]
    waitlist = [
        person("same", region="arab", gender="man", group="academia"),
        person("new-region", region="africa", gender="man", group="academia"),
        person("new-everything", region="africa", gender="woman", group="migrants"),
    ]
    chosen = propose_promotions(confirmed=confirmed, waitlist=waitlist, count=1, targets={})
    assert [p.name for p in chosen] == ["new-everything"]


def test_proposal_never_exceeds_the_waiting_list_or_the_count():
    only = person("a")
    assert propose_promotions(confirmed=[], waitlist=[only], count=5, targets={}) == [only]
    assert propose_promotions(confirmed=[], waitlist=[person("a"), person("b")], count=0, targets={}) == []
