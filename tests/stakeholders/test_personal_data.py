import pytest

from stakeholders import personal_data


def test_registering_a_key_again_replaces_it(registry):
    registry.register_exporter("pledges", lambda user: ["first"])
    registry.register_exporter("pledges", lambda user: ["second"])
    assert registry.registered_exporters()["pledges"](None) == ["second"]


def test_erasers_are_kept_by_key(registry):
    calls = []
    registry.register_eraser("test-b", lambda *, user, actor: calls.append(("b", user)))
    registry.register_eraser("test-a", lambda *, user, actor: calls.append(("a", user)))
    erasers = registry.registered_erasers()
    erasers["test-a"](user="someone", actor="someone")
    erasers["test-b"](user="someone", actor="someone")
    assert calls == [("a", "someone"), ("b", "someone")]
    # Sorted by key, so deletion runs the apps' erasers in a stable order.
    keys = list(erasers)
    assert keys == sorted(keys)


@pytest.mark.parametrize("key", sorted(personal_data.RESERVED_KEYS))
def test_reserved_keys_cannot_be_taken(registry, key):
    with pytest.raises(ValueError):
        registry.register_exporter(key, lambda user: {})
