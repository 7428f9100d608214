"""load_supergraph: Apollo-format supergraph SDL -> the typed model the planner works on."""

from __future__ import annotations

import pytest

from gateway.errors import SupergraphError
from gateway.supergraph import Supergraph, load_supergraph
from tests.gateway.sdl import graph_url, supergraph

GRAPHS = ["accounts", "products", "inventory", "reviews"]

TYPES = """
type Query
  @join__type(graph: ACCOUNTS)
  @join__type(graph: PRODUCTS)
  @join__type(graph: INVENTORY)
  @join__type(graph: REVIEWS) {
  me: User @join__field(graph: ACCOUNTS)
  topProducts: [Product] @join__field(graph: PRODUCTS)
  media: [Media] @join__field(graph: PRODUCTS)
  search: [SearchResult] @join__field(graph: PRODUCTS)
  stock: [Stock] @join__field(graph: INVENTORY)
}

type User
  @join__type(graph: ACCOUNTS, key: "id")
  @join__type(graph: ACCOUNTS, key: "email")
  @join__type(graph: REVIEWS, key: "id", resolvable: false) {
  id: ID!
  email: String! @join__field(graph: ACCOUNTS)
  name: String @join__field(graph: ACCOUNTS) @join__field(graph: REVIEWS, external: true)
}

type Product
  @join__type(graph: PRODUCTS, key: "upc sku")
  @join__type(graph: INVENTORY, key: "upc sku")
  @join__type(graph: REVIEWS, key: "upc sku") {
  upc: String!
  sku: String!
  name: String @join__field(graph: PRODUCTS)
  weight: Int @join__field(graph: INVENTORY, external: true) @join__field(graph: PRODUCTS)
  shippingEstimate: Int @join__field(graph: INVENTORY, requires: "weight")
  price: Int
    @join__field(graph: INVENTORY, override: "products")
    @join__field(graph: PRODUCTS, usedOverridden: true)
  reviews: [Review] @join__field(graph: REVIEWS)
}

type Stock @join__type(graph: INVENTORY, key: "product { upc sku } warehouse") {
  product: Product!
  warehouse: String!
  quantity: Int
}

type Review @join__type(graph: REVIEWS, key: "id") {
  id: ID!
  body: String
  author: User @join__field(graph: REVIEWS, provides: "name")
}

interface Media
  @join__type(graph: PRODUCTS, key: "id")
  @join__type(graph: REVIEWS, key: "id", isInterfaceObject: true) {
  id: ID!
  title: String @join__field(graph: PRODUCTS)
  rating: Int @join__field(graph: REVIEWS)
}

type Book implements Media
  @join__type(graph: PRODUCTS, key: "id")
  @join__implements(graph: PRODUCTS, interface: "Media") {
  id: ID!
  title: String @join__field(graph: PRODUCTS)
  isbn: String @join__field(graph: PRODUCTS)
  rating: Int @join__field
}

type Movie implements Media
  @join__type(graph: PRODUCTS, key: "id")
  @join__implements(graph: PRODUCTS, interface: "Media") {
  id: ID!
  title: String @join__field(graph: PRODUCTS)
  rating: Int @join__field
}

union SearchResult
  @join__type(graph: PRODUCTS)
  @join__unionMember(graph: PRODUCTS, member: "Book")
  @join__unionMember(graph: PRODUCTS, member: "Movie")
  = Book | Movie
"""


@pytest.fixture(scope="module")
def model() -> Supergraph:
    return load_supergraph(supergraph(GRAPHS, TYPES))


def key_sources(model: Supergraph, type_name: str, graph: str, **kwargs: bool) -> list[str]:
    return [k.fields.source for k in model.types[type_name].keys_in(graph, **kwargs)]


def field_names(field_set: object, type_name: str) -> list[str]:
    return [f.name for f in field_set.fields_for(type_name)]  # type: ignore[attr-defined]


# -- graphs and roots ----------------------------------------------------------------------


def test_graphs_by_name_with_enum_value_and_url(model: Supergraph) -> None:
    assert list(model.graphs) == GRAPHS
    products = model.graphs["products"]
    assert products.name == "products"
    assert products.enum_value == "PRODUCTS"
    assert products.url == graph_url("products")


def test_root_types_and_join_version(model: Supergraph) -> None:
    assert model.query_type == "Query"
    assert model.mutation_type is None
    assert model.subscription_type is None
    assert model.root_type("query") == "Query"
    assert model.join_version == "0.3"


def test_root_types_named_by_the_schema_definition() -> None:
    types = """
type RootQuery @join__type(graph: A) { a: Int }
type RootMutation @join__type(graph: A) { setA(value: Int): Int }
"""
    sdl = supergraph(["a"], types, roots="query: RootQuery\n  mutation: RootMutation")
    model = load_supergraph(sdl)
    assert model.root_type("query") == "RootQuery"
    assert model.root_type("mutation") == "RootMutation"
    assert model.root_type("subscription") is None


def test_join_spec_machinery_is_not_in_the_model(model: Supergraph) -> None:
    assert not [name for name in model.types if name.startswith(("join__", "link__"))]


def test_types_know_which_graphs_define_them(model: Supergraph) -> None:
    assert set(model.types["Product"].graphs) == {"products", "inventory", "reviews"}
    assert set(model.types["Query"].graphs) == set(GRAPHS)
    assert model.types["Review"].graphs == ["reviews"]


# -- keys ----------------------------------------------------------------------------------


def test_several_keys_per_type_in_one_graph(model: Supergraph) -> None:
    assert key_sources(model, "User", "accounts") == ["id", "email"]


def test_unresolvable_key_is_kept_but_marked(model: Supergraph) -> None:
    keys = model.types["User"].keys_in("reviews")
    assert [(k.fields.source, k.resolvable) for k in keys] == [("id", False)]
    assert key_sources(model, "User", "reviews", resolvable_only=True) == []
    assert key_sources(model, "User", "accounts", resolvable_only=True) == ["id", "email"]


def test_composite_key(model: Supergraph) -> None:
    for graph in ("products", "inventory", "reviews"):
        (key,) = model.types["Product"].keys_in(graph)
        assert key.graph == graph
        assert field_names(key.fields, "Product") == ["upc", "sku"]


def test_nested_key(model: Supergraph) -> None:
    (key,) = model.types["Stock"].keys_in("inventory")
    product, warehouse = key.fields.fields_for("Stock")
    assert (product.name, warehouse.name) == ("product", "warehouse")
    assert warehouse.selections is None
    assert product.selections is not None
    assert field_names(product.selections, "Product") == ["upc", "sku"]


def test_type_without_key_has_none(model: Supergraph) -> None:
    assert model.types["Query"].keys == []
    assert model.types["SearchResult"].keys == []


# -- fields --------------------------------------------------------------------------------


def test_field_without_join_field_lives_in_every_graph_of_its_type(model: Supergraph) -> None:
    product = model.types["Product"]
    assert product.fields["upc"].resolvable_in == {"products", "inventory", "reviews"}
    assert model.types["Review"].fields["body"].resolvable_in == {"reviews"}


def test_field_type_is_the_named_type(model: Supergraph) -> None:
    assert model.types["Query"].fields["topProducts"].type_name == "Product"
    assert model.types["Stock"].fields["warehouse"].type_name == "String"


def test_requires_parsed(model: Supergraph) -> None:
    shipping = model.types["Product"].fields["shippingEstimate"]
    assert shipping.resolvable_in == {"inventory"}
    assert set(shipping.requires) == {"inventory"}
    assert field_names(shipping.requires["inventory"], "Product") == ["weight"]


def test_provides_parsed(model: Supergraph) -> None:
    author = model.types["Review"].fields["author"]
    assert set(author.provides) == {"reviews"}
    assert field_names(author.provides["reviews"], "User") == ["name"]
    assert author.requires == {}


def test_external_field_is_not_resolvable_there(model: Supergraph) -> None:
    weight = model.types["Product"].fields["weight"]
    assert weight.external_in == {"inventory"}
    assert weight.resolvable_in == {"products"}
    name = model.types["User"].fields["name"]
    assert name.external_in == {"reviews"}
    assert name.resolvable_in == {"accounts"}


def test_override_moves_the_field_and_used_overridden_is_not_resolvable(
    model: Supergraph,
) -> None:
    price = model.types["Product"].fields["price"]
    assert price.resolvable_in == {"inventory"}
    joins = {j.graph: j for j in price.joins}
    assert joins["inventory"].override == "products"
    assert joins["products"].used_overridden is True
    assert joins["inventory"].used_overridden is False


def test_bare_join_field_means_no_subgraph_resolves_it(model: Supergraph) -> None:
    assert model.types["Book"].fields["rating"].resolvable_in == frozenset()


# -- abstract types ------------------------------------------------------------------------


def test_interface_object(model: Supergraph) -> None:
    media = model.types["Media"]
    assert media.kind == "interface"
    assert media.is_abstract
    assert media.interface_object_in == {"reviews"}
    assert key_sources(model, "Media", "reviews") == ["id"]
    assert media.fields["rating"].resolvable_in == {"reviews"}
    assert model.types["Book"].interface_object_in == set()


def test_join_implements(model: Supergraph) -> None:
    book = model.types["Book"]
    assert book.interfaces == ["Media"]
    assert book.implements_in == {"products": {"Media"}}
    assert sorted(model.possible_types["Media"]) == ["Book", "Movie"]


def test_union_members(model: Supergraph) -> None:
    search = model.types["SearchResult"]
    assert search.kind == "union"
    assert search.members == ["Book", "Movie"]
    assert search.members_in == {"products": {"Book", "Movie"}}
    assert sorted(model.possible_types["SearchResult"]) == ["Book", "Movie"]


def test_object_types_are_not_abstract(model: Supergraph) -> None:
    assert not model.types["Product"].is_abstract
    assert model.types["Product"].kind == "object"


# -- join spec versions and renames --------------------------------------------------------

SMALL = """
type Query @join__type(graph: A) @join__type(graph: B) {
  products: [Product] @join__field(graph: A)
}

type Product @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") {
  id: ID!
  name: String @join__field(graph: A)
  price: Int @join__field(graph: B, override: "a", overrideLabel: "percent(50)")
    @join__field(graph: A, overrideLabel: "percent(50)")
}
"""


@pytest.mark.parametrize("version", ["0.3", "0.4", "0.5"])
def test_join_versions(version: str) -> None:
    types = SMALL
    if version == "0.3":  # overrideLabel arrived with join v0.4
        types = types.replace(', overrideLabel: "percent(50)"', "")
    model = load_supergraph(supergraph(["a", "b"], types, version=version))
    assert model.join_version == version
    assert list(model.graphs) == ["a", "b"]
    assert key_sources(model, "Product", "a") == ["id"]
    assert key_sources(model, "Product", "b") == ["id"]
    assert model.types["Product"].fields["name"].resolvable_in == {"a"}
    assert "b" in model.types["Product"].fields["price"].resolvable_in
    assert model.api_schema.get_type("Product") is not None
    assert not [t for t in model.api_schema.type_map if t.startswith(("join__", "link__"))]


def test_join_v04_override_label() -> None:
    model = load_supergraph(supergraph(["a", "b"], SMALL, version="0.4"))
    joins = {j.graph: j for j in model.types["Product"].fields["price"].joins}
    assert joins["b"].override == "a"
    assert joins["b"].override_label == "percent(50)"


def test_join_spec_renamed_with_link_as() -> None:
    sdl = supergraph(["a", "b"], SMALL.replace(', overrideLabel: "percent(50)"', ""))
    sdl = sdl.replace("join__", "fed__").replace(
        'join/v0.3", for: EXECUTION', 'join/v0.3", as: "fed", for: EXECUTION'
    )
    assert "@join__" not in sdl
    model = load_supergraph(sdl)
    assert list(model.graphs) == ["a", "b"]
    assert model.graphs["b"].url == graph_url("b")
    assert key_sources(model, "Product", "b") == ["id"]
    assert model.types["Product"].fields["name"].resolvable_in == {"a"}
    assert "fed__Graph" not in model.types
    assert model.api_schema.get_type("fed__Graph") is None
    assert model.api_schema.get_directive("fed__type") is None
    assert model.api_schema.get_type("Product") is not None


# -- bad inputs ----------------------------------------------------------------------------

_GOOD = supergraph(["a"], "type Query @join__type(graph: A) {\n  hello: String\n}\n")


def _bad(old: str, new: str) -> str:
    assert old in _GOOD, old
    return _GOOD.replace(old, new)


BAD_INPUTS = {
    "empty string": ("", "does not parse"),
    "only whitespace": ("  \n ", "does not parse"),
    "plain schema without link": ("type Query { hello: String }", "join spec"),
    "join v9.9": (_bad("join/v0.3", "join/v9.9"), "v9.9"),
    "sdl that does not parse": (_GOOD[:-20], "does not parse"),
    "operation instead of schema": ("{ hello }", "join spec"),
    "empty join__Graph": (
        _bad(
            'enum join__Graph {\n  A @join__graph(name: "a", url: "http://a.example:4001/graphql")\n}',
            "enum join__Graph",
        ),
        "subgraph",
    ),
    "join__Graph without join__graph": (
        _bad('A @join__graph(name: "a", url: "http://a.example:4001/graphql")', "A"),
        "subgraph",
    ),
    "join__type naming an unknown graph": (
        _bad("@join__type(graph: A)", "@join__type(graph: A) @join__type(graph: NOPE)"),
        "NOPE",
    ),
    "join__field naming an unknown graph": (
        _bad("hello: String", "hello: String @join__field(graph: NOPE)"),
        "NOPE",
    ),
    "key that does not parse": (
        _bad("@join__type(graph: A)", '@join__type(graph: A, key: "id {")'),
        "id {",
    ),
    "field of an undefined type": (_bad("hello: String", "hello: Missing"), "Missing"),
    "no query type": (_bad("type Query", "type Other"), "query"),
    # Required arguments of the spec's directives left out:
    "join__type without graph": (_bad("@join__type(graph: A)", '@join__type(key: "id")'), "graph"),
    "join__graph without name": (
        _bad('@join__graph(name: "a", url:', "@join__graph(url:"),
        "name",
    ),
    "link without arguments": (
        _bad('@link(url: "https://specs.apollo.dev/link/v1.0")', "@link"),
        "",
    ),
}


@pytest.mark.parametrize("sdl, message", BAD_INPUTS.values(), ids=list(BAD_INPUTS))
def test_bad_supergraph_raises_supergraph_error(sdl: str, message: str) -> None:
    with pytest.raises(SupergraphError) as raised:
        load_supergraph(sdl)
    text = str(raised.value)
    assert text.strip(), "the error must say what is wrong"
    assert message.lower() in text.lower()
    assert "Traceback" not in text


def test_good_base_of_bad_inputs_loads() -> None:
    model = load_supergraph(_GOOD)
    assert list(model.graphs) == ["a"]
    assert model.types["Query"].fields["hello"].resolvable_in == {"a"}


# -- Federation 1 (join v0.1) ----------------------------------------------------------------

JOIN_V01 = """
schema
  @core(feature: "https://specs.apollo.dev/core/v0.1")
  @core(feature: "https://specs.apollo.dev/join/v0.1") {
  query: Query
}

directive @core(feature: String!) repeatable on SCHEMA
directive @join__owner(graph: join__Graph!) on OBJECT | INTERFACE
directive @join__type(graph: join__Graph!, key: join__FieldSet) repeatable on OBJECT | INTERFACE
directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet) \
on FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE

scalar join__FieldSet

enum join__Graph {
  ACCOUNTS @join__graph(name: "accounts", url: "http://accounts:4001/graphql")
  REVIEWS @join__graph(name: "reviews", url: "http://reviews:4002/graphql")
}

type Query {
  me: User @join__field(graph: ACCOUNTS)
}

type User
  @join__owner(graph: ACCOUNTS)
  @join__type(graph: ACCOUNTS, key: "id")
  @join__type(graph: REVIEWS, key: "id") {
  id: ID!
  name: String @join__field(graph: ACCOUNTS)
  reviewCount: Int @join__field(graph: REVIEWS)
}
"""


def test_join_v01_with_core() -> None:
    model = load_supergraph(JOIN_V01)
    assert model.join_version == "0.1"
    assert list(model.graphs) == ["accounts", "reviews"]
    assert set(model.types["User"].graphs) == {"accounts", "reviews"}
    assert key_sources(model, "User", "reviews") == ["id"]
    assert model.types["User"].fields["reviewCount"].resolvable_in == {"reviews"}
    assert model.types["Query"].fields["me"].resolvable_in == {"accounts"}
