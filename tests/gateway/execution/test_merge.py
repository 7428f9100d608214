"""deep_merge / objects_at / objects_with_paths: the data tree fetches fill in."""

from __future__ import annotations

from typing import Any

from gateway.execution.merge import deep_merge, objects_at, objects_with_paths


def merged(target: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    deep_merge(target, source)
    return target


# -- deep_merge ----------------------------------------------------------------------------


def test_new_keys_added() -> None:
    assert merged({"a": 1}, {"b": 2}) == {"a": 1, "b": 2}


def test_into_empty() -> None:
    assert merged({}, {"a": {"b": [1, 2]}}) == {"a": {"b": [1, 2]}}


def test_nested_objects_merged() -> None:
    target = {"me": {"id": "1", "org": {"id": "o"}}}
    source = {"me": {"name": "Ann", "org": {"name": "Acme"}}}
    assert merged(target, source) == {
        "me": {"id": "1", "org": {"id": "o", "name": "Acme"}, "name": "Ann"}
    }


def test_existing_objects_keep_their_identity() -> None:
    # Later fetches merge into objects found earlier: they must stay the same objects.
    inner = {"id": "1"}
    item = {"upc": "p1"}
    target = {"me": inner, "list": [item]}
    deep_merge(target, {"me": {"name": "Ann"}, "list": [{"name": "Lamp"}]})
    assert target["me"] is inner
    assert target["list"][0] is item
    assert inner == {"id": "1", "name": "Ann"}
    assert item == {"upc": "p1", "name": "Lamp"}


def test_lists_of_equal_length_merged_item_by_item() -> None:
    target = {"products": [{"upc": "1"}, {"upc": "2"}]}
    source = {"products": [{"name": "A"}, {"name": "B"}]}
    assert merged(target, source) == {
        "products": [{"upc": "1", "name": "A"}, {"upc": "2", "name": "B"}]
    }


def test_nested_lists_merged() -> None:
    target = {"grid": [[{"x": 1}], [{"x": 2}, {"x": 3}]]}
    source = {"grid": [[{"y": 1}], [{"y": 2}, {"y": 3}]]}
    assert merged(target, source) == {
        "grid": [[{"x": 1, "y": 1}], [{"x": 2, "y": 2}, {"x": 3, "y": 3}]]
    }


def test_list_of_other_length_replaced() -> None:
    assert merged({"tags": ["a", "b"]}, {"tags": ["c"]}) == {"tags": ["c"]}


def test_scalars_replaced() -> None:
    assert merged({"a": 1, "b": "x"}, {"a": 2}) == {"a": 2, "b": "x"}


def test_null_replaced_by_a_value() -> None:
    assert merged({"a": None, "b": 1}, {"a": {"x": 1}}) == {"a": {"x": 1}, "b": 1}


def test_null_items_in_lists() -> None:
    target = {"items": [None, {"a": 1}]}
    assert merged(target, {"items": [{"b": 2}, {"b": 3}]}) == {
        "items": [{"b": 2}, {"a": 1, "b": 3}]
    }


def test_existing_keys_keep_their_order() -> None:
    target = {"a": 1, "b": {"x": 1}, "c": 3}
    deep_merge(target, {"d": 4, "b": {"y": 2}, "a": 5})
    assert list(target) == ["a", "b", "c", "d"]
    assert target == {"a": 5, "b": {"x": 1, "y": 2}, "c": 3, "d": 4}


# -- objects_at ----------------------------------------------------------------------------

DATA: dict[str, Any] = {
    "me": {"id": "u1", "reviews": [{"id": "r1", "product": {"upc": "p1"}}, {"id": "r2"}]},
    "topProducts": [
        {"upc": "p1", "reviews": [{"id": "r1"}, {"id": "r3"}]},
        None,
        {"upc": "p2", "reviews": []},
        {"upc": "p3", "reviews": None},
    ],
    "grid": [[{"x": 1}], [], [{"x": 2}, None, {"x": 3}]],
    "scalar": 5,
}


def test_objects_at_root() -> None:
    assert objects_at(DATA, ()) == [DATA]


def test_objects_at_an_object() -> None:
    (me,) = objects_at(DATA, ("me",))
    assert me is DATA["me"]


def test_objects_at_walks_through_lists_and_skips_nulls() -> None:
    products = objects_at(DATA, ("topProducts",))
    assert [p["upc"] for p in products] == ["p1", "p2", "p3"]
    assert all(
        a is b for a, b in zip(products, [DATA["topProducts"][i] for i in (0, 2, 3)], strict=True)
    )
    reviews = objects_at(DATA, ("topProducts", "reviews"))
    assert [r["id"] for r in reviews] == ["r1", "r3"]


def test_objects_at_nested_lists() -> None:
    assert [g["x"] for g in objects_at(DATA, ("grid",))] == [1, 2, 3]


def test_objects_at_missing_null_or_scalar_is_empty() -> None:
    assert list(objects_at(DATA, ("nothing",))) == []
    assert list(objects_at(DATA, ("scalar",))) == []
    assert list(objects_at(DATA, ("me", "reviews", "product", "missing"))) == []
    assert [p["upc"] for p in objects_at(DATA, ("me", "reviews", "product"))] == ["p1"]


def test_objects_with_paths_gives_concrete_paths() -> None:
    found = list(objects_with_paths(DATA, ("topProducts", "reviews")))
    assert [path for _, path in found] == [
        ("topProducts", 0, "reviews", 0),
        ("topProducts", 0, "reviews", 1),
    ]
    assert found[1][0] is DATA["topProducts"][0]["reviews"][1]
    grid = list(objects_with_paths(DATA, ("grid",)))
    assert [path for _, path in grid] == [("grid", 0, 0), ("grid", 2, 0), ("grid", 2, 2)]


def test_objects_with_paths_agrees_with_objects_at() -> None:
    for path in [("me",), ("topProducts",), ("topProducts", "reviews"), ("grid",), ("x",)]:
        with_paths = [obj for obj, _ in objects_with_paths(DATA, path)]
        plain = list(objects_at(DATA, path))
        assert len(with_paths) == len(plain)
        assert all(a is b for a, b in zip(with_paths, plain, strict=True))
