"""Planner: operations over small hand-written supergraphs -> query plans."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import FieldNode, InlineFragmentNode, OperationDefinitionNode, SelectionSetNode, parse

from gateway.planning.operation import find_operation, normalize
from gateway.planning.plan import (
    FetchNode,
    FlattenNode,
    ParallelNode,
    QueryPlan,
    SequenceNode,
    iter_fetches,
)
from gateway.planning.planner import Planner
from gateway.supergraph import load_supergraph
from tests.gateway.sdl import supergraph

BENCH = Path(__file__).resolve().parents[3] / "bench" / "data"

TYPES = """
type Query
  @join__type(graph: ACCOUNTS)
  @join__type(graph: PRODUCTS)
  @join__type(graph: INVENTORY)
  @join__type(graph: REVIEWS) {
  me: User @join__field(graph: ACCOUNTS)
  users: [User] @join__field(graph: ACCOUNTS)
  topProducts(first: Int = 5): [Product] @join__field(graph: PRODUCTS)
  latestReviews: [Review] @join__field(graph: REVIEWS)
  media: [Media] @join__field(graph: PRODUCTS)
  search: [SearchResult] @join__field(graph: PRODUCTS)
}

type Mutation @join__type(graph: ACCOUNTS) @join__type(graph: REVIEWS) {
  login(name: String!): User @join__field(graph: ACCOUNTS)
  addReview(body: String!): Review @join__field(graph: REVIEWS)
  logout: Boolean @join__field(graph: ACCOUNTS)
}

type User
  @join__type(graph: ACCOUNTS, key: "id")
  @join__type(graph: ACCOUNTS, key: "email")
  @join__type(graph: REVIEWS, key: "email") {
  id: ID! @join__field(graph: ACCOUNTS)
  email: String!
  name: String @join__field(graph: ACCOUNTS)
  username: String @join__field(graph: ACCOUNTS) @join__field(graph: REVIEWS, external: true)
  reviews: [Review] @join__field(graph: REVIEWS)
}

type Product
  @join__type(graph: PRODUCTS, key: "upc")
  @join__type(graph: INVENTORY, key: "upc")
  @join__type(graph: REVIEWS, key: "upc") {
  upc: String!
  name: String @join__field(graph: PRODUCTS) @join__field(graph: REVIEWS)
  price: Int @join__field(graph: PRODUCTS)
  weight: Int @join__field(graph: INVENTORY, external: true) @join__field(graph: PRODUCTS)
  inStock: Boolean @join__field(graph: INVENTORY)
  shippingEstimate: Int @join__field(graph: INVENTORY, requires: "weight")
  reviews: [Review] @join__field(graph: REVIEWS)
}

type Review @join__type(graph: REVIEWS, key: "id") {
  id: ID!
  body: String
  author: User @join__field(graph: REVIEWS, provides: "username")
  product: Product
}

interface Media @join__type(graph: PRODUCTS) {
  id: ID!
  title: String
}

type Book implements Media
  @join__type(graph: PRODUCTS, key: "id")
  @join__type(graph: INVENTORY, key: "id")
  @join__implements(graph: PRODUCTS, interface: "Media") {
  id: ID!
  title: String @join__field(graph: PRODUCTS)
  copies: Int @join__field(graph: INVENTORY)
}

type Movie implements Media
  @join__type(graph: PRODUCTS, key: "id")
  @join__implements(graph: PRODUCTS, interface: "Media") {
  id: ID!
  title: String
}

union SearchResult
  @join__type(graph: PRODUCTS)
  @join__unionMember(graph: PRODUCTS, member: "Book")
  @join__unionMember(graph: PRODUCTS, member: "Movie")
  = Book | Movie
"""

SDL = supergraph(
    ["accounts", "products", "inventory", "reviews"],
    TYPES,
    roots="query: Query\n  mutation: Mutation",
)


@pytest.fixture(scope="module")
def planner() -> Planner:
    return Planner(load_supergraph(SDL))


def plan_of(planner: Planner, query: str, name: str | None = None) -> QueryPlan:
    document = parse(query)
    definition = find_operation(document, name)
    assert definition is not None
    return planner.plan(normalize(document, definition))


def selected(fetch: FetchNode) -> set[str]:
    """Every field of a fetch's document as a dotted path of response keys.

    Inline fragments add an `on T` segment; the `_entities` fields of entity fetches (however
    aliased) are all reported as `_entities`.
    """
    document = parse(fetch.operation)
    (operation,) = document.definitions
    assert isinstance(operation, OperationDefinitionNode)
    out: set[str] = set()

    def walk(selection_set: SelectionSetNode | None, prefix: str) -> None:
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                key = node.alias.value if node.alias else node.name.value
                if not prefix and node.name.value == "_entities":
                    key = "_entities"
                out.add(prefix + key)
                walk(node.selection_set, prefix + key + ".")
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition.name.value if node.type_condition else "*"
                walk(node.selection_set, f"{prefix}on {condition}.")

    walk(operation.selection_set, "")
    return out


def entity_fields(fetch: FetchNode) -> set[str]:
    """What an entity fetch asks for inside `_entities`."""
    prefix = "_entities."
    return {s[len(prefix) :] for s in selected(fetch) if s.startswith(prefix)}


def fetches(plan: QueryPlan) -> list[FetchNode]:
    return iter_fetches(plan.root)


def steps(plan: QueryPlan) -> list[list[FetchNode]]:
    """The plan's steps in order, each with the fetches it runs (in parallel)."""
    if plan.root is None:
        return []
    if isinstance(plan.root, SequenceNode):
        return [iter_fetches(node) for node in plan.root.nodes]
    return [iter_fetches(plan.root)]


def services(step: list[FetchNode]) -> list[str]:
    return sorted(f.subgraph for f in step)


def by_service(plan: QueryPlan) -> dict[str, list[FetchNode]]:
    out: dict[str, list[FetchNode]] = {}
    for fetch in fetches(plan):
        out.setdefault(fetch.subgraph, []).append(fetch)
    return out


def entity_paths(plan: QueryPlan) -> dict[int, set[str]]:
    """Fetch id -> the display paths (`@` for lists) where its entities are found."""
    out: dict[int, set[str]] = {}

    def walk(node: object) -> None:
        if isinstance(node, FlattenNode):
            out.setdefault(node.node.id, set()).add(node.display_path)
            walk(node.node)
        elif isinstance(node, FetchNode):
            for section in getattr(node, "sections", ()):
                out.setdefault(node.id, set()).add(section.display_path)
        elif isinstance(node, SequenceNode | ParallelNode):
            for child in node.nodes:
                walk(child)

    walk(plan.root)
    return out


def rep_fields(fetch: FetchNode, typename: str) -> set[str]:
    assert fetch.entities is not None
    return {f.name for f in fetch.entities[typename].fields}


# -- root fields ---------------------------------------------------------------------------


def test_single_subgraph_query_is_one_fetch(planner: Planner) -> None:
    plan = plan_of(planner, "{ me { id name } }")
    assert plan.operation_kind == "query"
    assert plan.fetch_count == 1
    assert isinstance(plan.root, FetchNode)
    assert plan.root.subgraph == "accounts"
    assert plan.root.entities is None
    assert {"me", "me.id", "me.name"} <= selected(plan.root)


def test_root_fields_grouped_per_subgraph_and_fetched_in_parallel(planner: Planner) -> None:
    plan = plan_of(
        planner, "{ me { name } topProducts { price } users { id } latestReviews { body } }"
    )
    assert plan.fetch_count == 3
    assert isinstance(plan.root, ParallelNode)
    assert all(isinstance(node, FetchNode) for node in plan.root.nodes)
    grouped = by_service(plan)
    assert sorted(grouped) == ["accounts", "products", "reviews"]
    (accounts,) = grouped["accounts"]
    assert {"me", "me.name", "users", "users.id"} <= selected(accounts)
    assert "topProducts" not in selected(accounts)
    (products,) = grouped["products"]
    assert {"topProducts", "topProducts.price"} <= selected(products)


def test_fetch_documents_are_valid_graphql_with_named_operations(planner: Planner) -> None:
    plan = plan_of(planner, "query Front { me { name reviews { body } } }", "Front")
    assert plan.fetch_count == 2
    for fetch in fetches(plan):
        (operation,) = parse(fetch.operation).definitions
        assert isinstance(operation, OperationDefinitionNode)
        assert operation.name is not None and operation.name.value.startswith("Front")


def test_mutation_root_fields_run_in_order(planner: Planner) -> None:
    plan = plan_of(
        planner,
        'mutation { login(name: "ann") { id } addReview(body: "ok") { id } logout }',
    )
    assert plan.operation_kind == "mutation"
    assert isinstance(plan.root, SequenceNode)
    order = steps(plan)
    assert [services(step) for step in order] == [["accounts"], ["reviews"], ["accounts"]]
    first, second, third = (step[0] for step in order)
    assert [f.operation_kind for f in (first, second, third)] == ["mutation"] * 3
    assert "login" in selected(first) and "logout" not in selected(first)
    assert "addReview" in selected(second)
    assert "logout" in selected(third) and "login" not in selected(third)


def test_consecutive_mutation_fields_of_one_subgraph_share_a_fetch(planner: Planner) -> None:
    plan = plan_of(
        planner, 'mutation { login(name: "a") { id } logout addReview(body: "x") { id } }'
    )
    order = steps(plan)
    assert [services(step) for step in order] == [["accounts"], ["reviews"]]
    assert {"login", "logout"} <= selected(order[0][0])


def test_mutation_result_entity_fetch_comes_after_the_mutation(planner: Planner) -> None:
    plan = plan_of(planner, 'mutation { addReview(body: "x") { author { name } } }')
    (mutation,), (entity,) = steps(plan)
    assert mutation.subgraph == "reviews" and mutation.operation_kind == "mutation"
    assert entity.subgraph == "accounts" and entity.operation_kind == "query"
    assert entity_paths(plan)[entity.id] == {"addReview.author"}


# -- entity jumps --------------------------------------------------------------------------


def test_entity_jump_uses_the_key_the_current_subgraph_can_provide(planner: Planner) -> None:
    # reviews only knows users by email; accounts has keys id and email.
    plan = plan_of(planner, "{ latestReviews { body author { name } } }")
    (root,), (entity,) = steps(plan)
    assert root.subgraph == "reviews"
    assert "latestReviews.author.email" in selected(root)
    assert "latestReviews.author.id" not in selected(root)
    assert entity.subgraph == "accounts"
    assert entity_paths(plan)[entity.id] == {"latestReviews.@.author"}
    assert rep_fields(entity, "User") == {"email"}
    assert entity_fields(entity) == {"on User.name"}
    assert entity.depends_on == (root.id,)


def test_entity_jump_from_accounts_to_reviews(planner: Planner) -> None:
    plan = plan_of(planner, "{ me { name reviews { body } } }")
    (root,), (entity,) = steps(plan)
    assert {"me.name", "me.email", "me.__typename"} <= selected(root)
    assert entity.subgraph == "reviews"
    assert entity_paths(plan)[entity.id] == {"me"}
    assert rep_fields(entity, "User") == {"email"}
    assert {"on User.reviews", "on User.reviews.body"} <= entity_fields(entity)


def test_requires_fields_fetched_first_and_sent_in_the_representation(
    planner: Planner,
) -> None:
    plan = plan_of(planner, "{ topProducts { name shippingEstimate } }")
    (root,), (entity,) = steps(plan)
    assert root.subgraph == "products"
    assert {"topProducts.upc", "topProducts.weight", "topProducts.name"} <= selected(root)
    assert entity.subgraph == "inventory"
    assert entity_paths(plan)[entity.id] == {"topProducts.@"}
    assert rep_fields(entity, "Product") == {"upc", "weight"}
    assert entity_fields(entity) == {"on Product.shippingEstimate"}


def test_requires_from_a_third_subgraph_makes_a_sequence(planner: Planner) -> None:
    plan = plan_of(planner, "{ latestReviews { product { shippingEstimate } } }")
    assert plan.fetch_count == 3
    order = steps(plan)
    assert [services(step) for step in order] == [["reviews"], ["products"], ["inventory"]]
    (products,), (inventory,) = order[1], order[2]
    assert "on Product.weight" in entity_fields(products)
    assert rep_fields(inventory, "Product") == {"upc", "weight"}
    assert products.id in inventory.depends_on


def test_provides_avoids_a_jump(planner: Planner) -> None:
    provided = plan_of(planner, "{ latestReviews { author { username } } }")
    assert provided.fetch_count == 1
    assert isinstance(provided.root, FetchNode)
    assert "latestReviews.author.username" in selected(provided.root)
    not_provided = plan_of(planner, "{ latestReviews { author { name } } }")
    assert not_provided.fetch_count == 2


def test_shareable_field_taken_from_the_subgraph_in_use(planner: Planner) -> None:
    from_reviews = plan_of(planner, "{ latestReviews { product { name } } }")
    assert from_reviews.fetch_count == 1
    assert isinstance(from_reviews.root, FetchNode)
    assert from_reviews.root.subgraph == "reviews"
    from_products = plan_of(planner, "{ topProducts { name } }")
    assert from_products.fetch_count == 1
    assert isinstance(from_products.root, FetchNode)
    assert from_products.root.subgraph == "products"


def test_shareable_field_not_refetched_when_a_jump_is_needed(planner: Planner) -> None:
    plan = plan_of(planner, "{ latestReviews { product { name price } } }")
    (products,) = by_service(plan)["products"]
    (reviews,) = by_service(plan)["reviews"]
    assert entity_fields(products) == {"on Product.price"}
    assert "latestReviews.product.name" in selected(reviews)


def test_fields_of_one_subgraph_at_one_path_share_a_fetch(planner: Planner) -> None:
    plan = plan_of(planner, "{ topProducts { inStock shippingEstimate name } }")
    (inventory,) = by_service(plan)["inventory"]
    assert entity_fields(inventory) == {"on Product.inStock", "on Product.shippingEstimate"}
    assert plan.fetch_count == 2


# -- abstract types ------------------------------------------------------------------------


def test_interface_selection_exploded_per_runtime_type(planner: Planner) -> None:
    plan = plan_of(planner, "{ media { id title } }")
    assert isinstance(plan.root, FetchNode)
    paths = selected(plan.root)
    assert "media.__typename" in paths
    assert {"media.on Book.title", "media.on Movie.title"} <= paths
    assert {"media.on Book.id", "media.on Movie.id"} <= paths


def test_union_member_jump_only_for_the_type_that_needs_it(planner: Planner) -> None:
    plan = plan_of(planner, "{ search { ... on Book { title copies } ... on Movie { title } } }")
    (root,), (entity,) = steps(plan)
    assert {"search.__typename", "search.on Book.id", "search.on Movie.title"} <= selected(root)
    assert entity.subgraph == "inventory"
    assert entity.entities is not None
    assert set(entity.entities) == {"Book"}
    assert entity_fields(entity) == {"on Book.copies"}
    assert entity_paths(plan)[entity.id] == {"search.@"}


# -- variables -----------------------------------------------------------------------------


def test_fetch_declares_only_the_variables_it_uses(planner: Planner) -> None:
    query = """
    query($n: Int, $show: Boolean!, $unused: String) {
      topProducts(first: $n) { name }
      me { name @include(if: $show) }
    }
    """
    grouped = by_service(plan_of(planner, query))
    (products,) = grouped["products"]
    (accounts,) = grouped["accounts"]
    assert products.variable_names == ("n",)
    assert accounts.variable_names == ("show",)
    assert "$n: Int" in products.operation and "$unused" not in products.operation
    assert "$show: Boolean!" in accounts.operation


def test_entity_fetch_declares_representations(planner: Planner) -> None:
    plan = plan_of(planner, "{ topProducts { inStock } }")
    (_, entity) = fetches(plan)
    assert "[_Any!]!" in entity.operation
    assert "_entities" in selected(entity)


# -- printing ------------------------------------------------------------------------------


def test_plan_printing(planner: Planner) -> None:
    plan = plan_of(planner, "{ topProducts { shippingEstimate reviews { body } } me { name } }")
    printed = str(plan)
    assert printed.startswith("QueryPlan {")
    for text in (
        "Sequence {",
        "Parallel {",
        'Fetch(service: "products"',
        'Fetch(service: "accounts"',
        'Flatten(path: "topProducts.@")',
        'Fetch(service: "inventory"',
        'Fetch(service: "reviews"',
    ):
        assert text in printed, text
    for fetch in fetches(plan):
        assert fetch.operation in printed


def test_flatten_path_marks_lists_with_at(planner: Planner) -> None:
    plan = plan_of(
        planner, "{ latestReviews { author { name } } me { reviews { product { inStock } } } }"
    )
    paths = set().union(*entity_paths(plan).values())
    assert {"latestReviews.@.author", "me", "me.reviews.@.product"} <= paths
    printed = str(plan)
    assert 'Flatten(path: "latestReviews.@.author")' in printed
    assert 'Flatten(path: "me.reviews.@.product")' in printed


def test_empty_plan_prints() -> None:
    assert str(QueryPlan("query", None, 0)) == "QueryPlan {}"


def test_typename_only_query_needs_no_fetch(planner: Planner) -> None:
    plan = plan_of(planner, "{ __typename }")
    assert plan.fetch_count == 0
    assert fetches(plan) == []


# -- the benchmark -------------------------------------------------------------------------


def bench_plan(**options: bool) -> QueryPlan:
    bench_planner = Planner(load_supergraph((BENCH / "supergraph.graphql").read_text()), **options)
    return plan_of(bench_planner, (BENCH / "query.graphql").read_text(), "TestQuery")


def work(plan: QueryPlan) -> set[tuple[str, str, frozenset[str]]]:
    """(subgraph, entity path or "" for root fetches, what is asked there) for each fetch part."""
    paths = entity_paths(plan)
    out: set[tuple[str, str, frozenset[str]]] = set()
    for fetch in fetches(plan):
        if fetch.entities is None:
            out.add((fetch.subgraph, "", frozenset(selected(fetch))))
            continue
        for path in paths[fetch.id]:
            out.add((fetch.subgraph, path, frozenset(entity_fields(fetch))))
    return out


def test_benchmark_query_fetch_count() -> None:
    # 13 fetches; batching sends the independent entity fetches of a step to one subgraph as
    # one request, which makes 7 requests.
    assert bench_plan(batch=False).fetch_count == 13
    assert len(fetches(bench_plan(batch=False))) == 13


def test_benchmark_query_batched_plan_does_the_same_work_in_fewer_requests() -> None:
    batched, unbatched = bench_plan(), bench_plan(batch=False)
    assert batched.fetch_count == len(fetches(batched)) == 7
    places = {(s, p) for s, p, _ in work(batched)}
    assert places == {(s, p) for s, p, _ in work(unbatched)}
    assert len(places) == 13


def test_cold_planning_is_deterministic() -> None:
    first, second = bench_plan(), bench_plan()
    assert str(first) == str(second)
    assert [f.operation for f in fetches(first)] == [f.operation for f in fetches(second)]
    assert str(bench_plan(batch=False)) == str(bench_plan(batch=False))
