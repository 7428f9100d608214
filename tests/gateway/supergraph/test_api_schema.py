"""The API schema: what clients see of a supergraph (no join/link machinery, no @inaccessible)."""

from __future__ import annotations

import pytest
from graphql import (
    DirectiveLocation,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    parse,
    validate,
)

from gateway.supergraph import load_supergraph
from tests.gateway.sdl import INACCESSIBLE_DEFINITION, INACCESSIBLE_LINK, supergraph

TYPES = """
directive @lowercase on FIELD
directive @cached(ttl: Int!, internal: Boolean @inaccessible) on FIELD | FIELD_DEFINITION | OBJECT
directive @audit on FIELD_DEFINITION

type Query @join__type(graph: SHOP) @join__type(graph: ADMIN) {
  products(filter: ProductFilter, includeDrafts: Boolean @inaccessible): [Product]
    @join__field(graph: SHOP)
  node(id: ID!): Node @join__field(graph: SHOP)
  search(text: String!): [SearchResult] @join__field(graph: SHOP)
  auditLog: [AuditEntry] @join__field(graph: ADMIN)
  secretStats: Int @join__field(graph: ADMIN) @inaccessible
  cachedThing: String @join__field(graph: SHOP) @cached(ttl: 5) @audit
}

interface Node @join__type(graph: SHOP) {
  id: ID!
}

interface Internal @join__type(graph: SHOP) @inaccessible {
  costPrice: Int
}

type Product implements Node & Internal
  @join__type(graph: SHOP, key: "id")
  @join__implements(graph: SHOP, interface: "Node")
  @join__implements(graph: SHOP, interface: "Internal") {
  id: ID!
  name: String
  status: Status
  costPrice: Int @inaccessible
  supplier: Supplier
}

type Supplier @join__type(graph: SHOP) @inaccessible {
  name: String
}

type Category implements Node
  @join__type(graph: SHOP)
  @join__implements(graph: SHOP, interface: "Node") {
  id: ID!
  title: String
}

type AuditEntry @join__type(graph: ADMIN) @inaccessible {
  message: String
}

union SearchResult
  @join__type(graph: SHOP)
  @join__unionMember(graph: SHOP, member: "Product")
  @join__unionMember(graph: SHOP, member: "Supplier")
  @join__unionMember(graph: SHOP, member: "Category")
  = Product | Supplier | Category

enum Status @join__type(graph: SHOP) {
  ACTIVE @join__enumValue(graph: SHOP)
  RETIRED @join__enumValue(graph: SHOP)
  DELETED @join__enumValue(graph: SHOP) @inaccessible
}

input ProductFilter @join__type(graph: SHOP) {
  name: String
  status: Status
  supplierCode: String @inaccessible
  hidden: HiddenFilter
}

input HiddenFilter @join__type(graph: SHOP) @inaccessible {
  flag: Boolean
}
"""


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    sdl = supergraph(
        ["shop", "admin"],
        TYPES,
        extra_links=INACCESSIBLE_LINK,
        extra_definitions=INACCESSIBLE_DEFINITION,
    )
    return load_supergraph(sdl).api_schema


def errors(schema: GraphQLSchema, query: str) -> list[str]:
    return [e.message for e in validate(schema, parse(query))]


def test_join_and_link_types_removed(schema: GraphQLSchema) -> None:
    for name in ("join__Graph", "join__FieldSet", "link__Import", "link__Purpose"):
        assert schema.get_type(name) is None, name
    assert not [t for t in schema.type_map if t.startswith(("join__", "link__"))]


def test_join_link_and_inaccessible_directives_removed(schema: GraphQLSchema) -> None:
    names = {d.name for d in schema.directives}
    for name in ("link", "join__type", "join__field", "join__graph", "join__implements"):
        assert name not in names, name
    assert "inaccessible" not in names
    assert {"skip", "include", "deprecated"} <= names


def test_type_system_directive_uses_are_gone(schema: GraphQLSchema) -> None:
    product = schema.get_type("Product")
    assert product is not None and product.ast_node is not None
    assert not product.ast_node.directives
    query = schema.get_type("Query")
    assert isinstance(query, GraphQLObjectType)
    for field in query.fields.values():
        assert field.ast_node is not None
        assert not field.ast_node.directives


def test_executable_custom_directives_kept(schema: GraphQLSchema) -> None:
    lowercase = schema.get_directive("lowercase")
    assert lowercase is not None
    assert list(lowercase.locations) == [DirectiveLocation.FIELD]
    cached = schema.get_directive("cached")
    assert cached is not None
    assert list(cached.locations) == [DirectiveLocation.FIELD]
    assert list(cached.args) == ["ttl"]  # the @inaccessible argument is gone
    assert errors(schema, "{ products { name @lowercase } cachedThing @cached(ttl: 1) }") == []


def test_type_system_only_custom_directive_removed(schema: GraphQLSchema) -> None:
    assert schema.get_directive("audit") is None


def test_inaccessible_types_removed(schema: GraphQLSchema) -> None:
    for name in ("Supplier", "AuditEntry", "Internal", "HiddenFilter"):
        assert schema.get_type(name) is None, name


def test_inaccessible_fields_removed(schema: GraphQLSchema) -> None:
    query = schema.get_type("Query")
    product = schema.get_type("Product")
    assert isinstance(query, GraphQLObjectType) and isinstance(product, GraphQLObjectType)
    assert "secretStats" not in query.fields
    assert "costPrice" not in product.fields
    assert {"id", "name", "status"} <= set(product.fields)


def test_fields_of_removed_types_removed(schema: GraphQLSchema) -> None:
    query = schema.get_type("Query")
    product = schema.get_type("Product")
    assert isinstance(query, GraphQLObjectType) and isinstance(product, GraphQLObjectType)
    assert "auditLog" not in query.fields
    assert "supplier" not in product.fields


def test_inaccessible_arguments_removed(schema: GraphQLSchema) -> None:
    query = schema.get_type("Query")
    assert isinstance(query, GraphQLObjectType)
    assert list(query.fields["products"].args) == ["filter"]
    assert errors(schema, "{ products(includeDrafts: true) { id } }")


def test_inaccessible_enum_values_removed(schema: GraphQLSchema) -> None:
    status = schema.get_type("Status")
    assert isinstance(status, GraphQLEnumType)
    assert list(status.values) == ["ACTIVE", "RETIRED"]


def test_inaccessible_input_fields_removed(schema: GraphQLSchema) -> None:
    product_filter = schema.get_type("ProductFilter")
    assert isinstance(product_filter, GraphQLInputObjectType)
    assert list(product_filter.fields) == ["name", "status"]


def test_interfaces_naming_removed_types_dropped(schema: GraphQLSchema) -> None:
    product = schema.get_type("Product")
    assert isinstance(product, GraphQLObjectType)
    assert [i.name for i in product.interfaces] == ["Node"]
    node = schema.get_type("Node")
    assert node is not None
    assert sorted(t.name for t in schema.get_possible_types(node)) == ["Category", "Product"]


def test_union_members_naming_removed_types_dropped(schema: GraphQLSchema) -> None:
    search = schema.get_type("SearchResult")
    assert isinstance(search, GraphQLUnionType)
    assert [t.name for t in search.types] == ["Product", "Category"]


def test_api_schema_is_valid_and_queries_validate(schema: GraphQLSchema) -> None:
    from graphql import validate_schema

    assert validate_schema(schema) == []
    query = """
    query($f: ProductFilter) {
      products(filter: $f) { id name status }
      node(id: "1") { id ... on Category { title } }
      search(text: "x") { ... on Product { name } }
    }
    """
    assert errors(schema, query) == []


def test_hidden_elements_fail_validation(schema: GraphQLSchema) -> None:
    assert errors(schema, "{ secretStats }")
    assert errors(schema, "{ products { costPrice } }")
    assert errors(schema, '{ search(text: "x") { ... on Supplier { name } } }')
    assert errors(schema, '{ products(filter: {supplierCode: "x"}) { id } }')


def test_inaccessible_renamed_by_import() -> None:
    link = (
        '@link(url: "https://specs.apollo.dev/inaccessible/v0.2", '
        'import: [{name: "@inaccessible", as: "@private"}], for: SECURITY)'
    )
    types = """
directive @private on FIELD_DEFINITION | OBJECT
type Query @join__type(graph: A) {
  shown: Int
  hidden: Int @private
}
"""
    schema = load_supergraph(supergraph(["a"], types, extra_links=link)).api_schema
    query = schema.get_type("Query")
    assert isinstance(query, GraphQLObjectType)
    assert list(query.fields) == ["shown"]
    assert schema.get_directive("private") is None


def test_deprecation_and_specified_by_kept() -> None:
    types = """
scalar Url @join__type(graph: A) @specifiedBy(url: "https://url.spec.whatwg.org/")
type Query @join__type(graph: A) {
  home: Url
  old: String @deprecated(reason: "use new") @join__field(graph: A)
  new: String @join__field(graph: A)
}
"""
    schema = load_supergraph(supergraph(["a"], types)).api_schema
    query = schema.get_type("Query")
    assert isinstance(query, GraphQLObjectType)
    assert query.fields["old"].deprecation_reason == "use new"
    assert query.fields["new"].deprecation_reason is None
    url = schema.get_type("Url")
    assert getattr(url, "specified_by_url", None) == "https://url.spec.whatwg.org/"
