"""Subgraph sets for the differential tests, written for them (small brand-shop schemas).

VALID: sets both composers must compose to the same supergraph (up to ordering and
formatting), beyond the conformance suites' and the benchmark's subgraphs.
INVALID: sets both composers must reject, with the same set of error codes.
"""

from __future__ import annotations

FED2 = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.{minor}", '
    "import: [{names}])\n"
)


def fed2(sdl: str, *names: str, minor: int = 3) -> str:
    imports = ", ".join(f'"@{n}"' for n in names)
    return FED2.format(minor=minor, names=imports) + sdl


# --------------------------------------------------------------------------------- valid sets

VALID: dict[str, dict[str, str]] = {
    "shareable-output-field-interface-and-implementation": {
        "catalog": fed2(
            """
            interface Goods { sku: ID! }
            type Tea implements Goods @shareable { sku: ID! leaf: String }
            type Shelf @key(fields: "id") { id: ID! featured: Goods @shareable }
            type Query { shelf(id: ID!): Shelf }
            """,
            "key",
            "shareable",
        ),
        "promo": fed2(
            """
            interface Goods { sku: ID! }
            type Tea implements Goods @shareable { sku: ID! leaf: String }
            type Shelf @key(fields: "id") { id: ID! featured: Tea @shareable }
            """,
            "key",
            "shareable",
        ),
    },
    "shareable-nullability-differs": {
        "a": fed2(
            """
            type Brand @key(fields: "code") { code: ID! name: String! @shareable }
            type Query { brands: [Brand!]! }
            """,
            "key",
            "shareable",
        ),
        "b": fed2(
            """
            type Brand @key(fields: "code") { code: ID! name: String @shareable slogan: String }
            """,
            "key",
            "shareable",
        ),
    },
    "enum-output-union-input-intersection": {
        "orders": fed2(
            """
            enum Channel { WECHAT APP STORE }
            enum Sort { NEWEST OLDEST PRICE }
            type Order @key(fields: "id") { id: ID! channel: Channel! }
            type Query { orders(sort: Sort): [Order!]! }
            """,
            "key",
        ),
        "returns": fed2(
            """
            enum Channel { WECHAT KIOSK }
            enum Sort { NEWEST OLDEST }
            type Order @key(fields: "id") {
              id: ID!
              returned(sort: Sort): Boolean
              channel2: Channel
            }
            """,
            "key",
        ),
    },
    "input-intersection-and-argument-merging": {
        "catalog": fed2(
            """
            input Filter { brand: String minPrice: Int onlyNew: Boolean }
            type Product @key(fields: "sku") @shareable { sku: ID! }
            type Query {
              search(filter: Filter, first: Int = 10, tag: String): [Product!]! @shareable
            }
            """,
            "key",
            "shareable",
        ),
        "search": fed2(
            """
            input Filter { brand: String minPrice: Int }
            type Product @key(fields: "sku") @shareable { sku: ID! }
            type Query { search(filter: Filter, first: Int = 10): [Product!] @shareable }
            """,
            "key",
            "shareable",
        ),
    },
    "renamed-and-prefixed-federation-directives": {
        "members": """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
                                import: [{name: "@key", as: "@id"}, "@shareable"])
            type Member @id(fields: "id") { id: ID! level: Int @shareable }
            type Query { member(id: ID!): Member }
        """,
        "points": """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", as: "fed")
            type Member @fed__key(fields: "id") {
              id: ID!
              level: Int @fed__external
              points: Int @fed__requires(fields: "level")
            }
        """,
    },
    "inaccessible-and-tags": {
        "accounts": fed2(
            """
            type Account @key(fields: "id") {
              id: ID!
              email: String @inaccessible
              tier: Tier @tag(name: "internal")
            }
            enum Tier { GOLD SILVER STAFF @inaccessible }
            type Query { account(id: ID!, debug: Boolean @inaccessible): Account }
            """,
            "key",
            "inaccessible",
            "tag",
        ),
        "wallet": fed2(
            """
            type Account @key(fields: "id") { id: ID! balance: Int @tag(name: "money") }
            type Secret @inaccessible @key(fields: "id") { id: ID! }
            """,
            "key",
            "inaccessible",
            "tag",
        ),
    },
    "interface-object-and-entity-interface": {
        "catalog": fed2(
            """
            interface Media @key(fields: "id") { id: ID! title: String! }
            type Book implements Media @key(fields: "id") { id: ID! title: String! pages: Int }
            type Film implements Media @key(fields: "id") { id: ID! title: String! minutes: Int }
            type Query { media: [Media!]! }
            """,
            "key",
        ),
        "ratings": fed2(
            """
            type Media @key(fields: "id") @interfaceObject { id: ID! stars: Float }
            type Query { topRated: [Media!]! }
            """,
            "key",
            "interfaceObject",
        ),
    },
    "override-used-and-dropped-and-labelled": {
        "legacy": fed2(
            """
            type Invoice @key(fields: "id") @key(fields: "number") {
              id: ID!
              number: String!
              total: Int
              currency: String
              vat: Int
            }
            type Query { invoice(id: ID!): Invoice }
            """,
            "key",
        ),
        "billing": fed2(
            """
            type Invoice @key(fields: "id") {
              id: ID!
              number: String! @override(from: "legacy")
              total: Int @override(from: "legacy")
              vat: Int @override(from: "legacy", label: "percent(25)")
            }
            """,
            "key",
            "override",
            minor=7,
        ),
    },
    "override-from-missing-subgraph-is-a-hint": {
        "a": fed2(
            """
            type Voucher @key(fields: "code") { code: ID! value: Int @override(from: "gone") }
            type Query { voucher(code: ID!): Voucher }
            """,
            "key",
            "override",
        ),
    },
    "requires-provides-keys-nested": {
        "catalog": fed2(
            """
            type Dimensions @shareable { width: Int height: Int }
            type Product @key(fields: "sku brand { code }") @key(fields: "id") {
              id: ID!
              sku: String!
              brand: Brand!
              size: Dimensions
              seller: Seller @provides(fields: "name")
            }
            type Brand @shareable { code: ID! }
            type Seller @key(fields: "id") { id: ID! name: String @external }
            type Query { products: [Product!]! }
            """,
            "key",
            "shareable",
            "provides",
            "external",
        ),
        "shipping": fed2(
            """
            type Dimensions @shareable { width: Int height: Int }
            type Product @key(fields: "id") {
              id: ID!
              size: Dimensions @external
              fee: Int @requires(fields: "size { width height }")
            }
            """,
            "key",
            "shareable",
            "requires",
            "external",
        ),
        "sellers": fed2(
            """
            type Seller @key(fields: "id") { id: ID! name: String @shareable rating: Int }
            """,
            "key",
            "shareable",
        ),
    },
    "unions-split-across-subgraphs": {
        "a": fed2(
            """
            type Post @key(fields: "id") { id: ID! }
            type Clip @key(fields: "id") { id: ID! }
            union Item = Post | Clip
            type Query { feed: [Item!]! }
            """,
            "key",
        ),
        "b": fed2(
            """
            type Post @key(fields: "id") { id: ID! title: String }
            type Poll @key(fields: "id") { id: ID! }
            union Item = Post | Poll
            type Query { trending: [Item!]! }
            """,
            "key",
        ),
    },
    "fed1-value-types-and-extends": {
        "stores": """
            type Store @key(fields: "id") { id: ID! city: String geo: Geo }
            type Geo { lat: Float lng: Float }
            type Query { stores: [Store] }
        """,
        "staff": """
            extend type Store @key(fields: "id") {
              id: ID! @external
              city: String @external
              manager: String @requires(fields: "city")
            }
            type Geo { lat: Float lng: Float }
            extend type Query { staffCount: Int }
        """,
        "stock": """
            type Store @key(fields: "id") @extends { id: ID! @external openUntil: String }
        """,
    },
    "descriptions-deprecations-custom-scalars": {
        "a": fed2(
            '''
            "A point in time"
            scalar DateTime
            """
            A campaign run by one brand.
            """
            type Campaign @key(fields: "id") {
              id: ID!
              "When it starts"
              startsAt: DateTime
              slogan: String @deprecated(reason: "use tagline")
              tagline: String
            }
            type Query { campaigns(brand: String = "all"): [Campaign!]! }
            ''',
            "key",
        ),
        "b": fed2(
            """
            scalar DateTime
            type Campaign @key(fields: "id") { id: ID! endsAt: DateTime }
            """,
            "key",
        ),
    },
    "mutations-and-renamed-roots": {
        "cart": fed2(
            """
            schema { query: RootQuery mutation: RootMutation }
            type RootQuery { cart: [String!]! }
            type RootMutation { addToCart(sku: ID!): Int }
            """,
            "key",
        ),
        "pay": fed2(
            """
            type Query { paymentMethods: [String!]! }
            type Mutation { pay(amount: Int!): Boolean }
            """,
            "key",
        ),
    },
    "unresolvable-keys-and-entity-stubs": {
        "posts": fed2(
            """
            type Author @key(fields: "id", resolvable: false) { id: ID! }
            type Post { id: ID! author: Author }
            type Query { posts: [Post!]! }
            """,
            "key",
        ),
        "people": fed2(
            """
            type Author @key(fields: "id") { id: ID! name: String }
            """,
            "key",
        ),
    },
}

# Both once made our planner (and so our satisfiability check) refuse what Apollo composes.
VALID["implementation-reaches-its-interface-object-from-a-subgraph-without-the-interface"] = {
    "a": fed2(
        'interface I @key(fields: "id") { id: ID! } '
        'type T0 implements I @key(fields: "id") { id: ID! } type Query { all: [I] }',
        "key",
    ),
    "b": fed2(
        'type I @key(fields: "id") @interfaceObject { id: ID! stars: Int }',
        "key",
        "interfaceObject",
    ),
    "c": fed2('type T0 @key(fields: "id") { id: ID! name: String } type Query { t0: T0 }', "key"),
}
VALID["requires-in-a-subgraph-whose-only-key-is-not-resolvable"] = {
    "a": fed2(
        'type Query { t: Tin } type Tin @key(fields: "id", resolvable: false) '
        '{ id: ID! w: Int @external r: Int @requires(fields: "w") }',
        "key",
        "external",
        "requires",
    ),
    "c": fed2('type Tin @key(fields: "id") { id: ID! w: Int }', "key"),
}
VALID["federation-1-key-fields-given-as-a-list"] = {
    "a": 'type Query { p: Tin }\ntype Tin @key(fields: ["id"]) { id: ID! w: Int }',
}

VALID.update(
    {
        "defaults-in-only-some-subgraphs-are-dropped": {
            "a": fed2(
                'type Query { price(sku: ID!, currency: String = "EUR"): Int @shareable'
                " quote(f: Filter): Int } input Filter { max: Int = 10 min: Int }",
                "shareable",
            ),
            "b": fed2(
                "type Query { price(sku: ID!, currency: String): Int @shareable"
                " stock(f: Filter): Int } input Filter { max: Int min: Int = 0 }",
                "shareable",
            ),
        },
        "override-of-an-external-copy-and-of-an-interface-field": {
            "a": fed2(
                'type Query { a: Sku } type Sku @key(fields: "code") {'
                ' code: ID! weight: Int @override(from: "b") label: String @override(from: "b") }',
                "key",
                "override",
            ),
            "b": fed2(
                "interface Labelled { label: String } type Sku implements Labelled"
                ' @key(fields: "code") { code: ID! weight: Int @external label: String'
                ' fee: Int @requires(fields: "weight") } type Query { labelled: [Labelled] }',
                "key",
                "external",
                "requires",
                "override",
            ),
        },
        "override-naming-no-subgraph-with-join-fields": {
            "a": fed2(
                'type Query { a: Sku } type Sku @key(fields: "code")'
                ' { code: ID! weight: Int @override(from: "warehouse") }',
                "key",
                "override",
            ),
            "b": fed2('type Sku @key(fields: "code") { code: ID! volume: Int }', "key"),
        },
        "access-control-and-cost-directives": {
            "catalog": fed2(
                """
                type Query {
                  products(first: Int @cost(weight: 2), last: Int): [Product!]! @shareable
                    @listSize(assumedSize: 50, slicingArguments: ["first"],
                              requireOneSlicingArgument: false)
                    @cost(weight: 3) @requiresScopes(scopes: [["catalog:read", "staff"], ["admin"]])
                }
                type Product @key(fields: "id") @cost(weight: 1) {
                  id: ID!
                  cost: Int @shareable @authenticated
                }
                enum Margin @authenticated @cost(weight: 4) { LOW HIGH }
                scalar Sku @policy(policies: [["brand-owner"]])
                input PriceInput { amount: Int @cost(weight: 5) }
                type Mutation { setPrice(price: PriceInput): Int }
                """,
                "key",
                "shareable",
                "authenticated",
                "requiresScopes",
                "policy",
                "cost",
                "listSize",
                minor=9,
            ),
            "pricing": fed2(
                """
                type Query {
                  products(first: Int @cost(weight: 7), last: Int): [Product!]! @shareable
                    @listSize(assumedSize: 20, slicingArguments: ["last"]) @cost(weight: 1)
                    @requiresScopes(scopes: [["pricing"], ["admin"]])
                }
                type Product @key(fields: "id") @cost(weight: 6) {
                  id: ID!
                  cost: Int @shareable
                  margin: Margin
                  sku: Sku
                }
                enum Margin { LOW HIGH }
                scalar Sku @policy(policies: [["finance"], ["auditor"]])
                input PriceInput { amount: Int }
                """,
                "key",
                "shareable",
                "requiresScopes",
                "policy",
                "cost",
                "listSize",
                minor=9,
            ),
        },
        "fed1-external-kept-for-an-interface": {
            "stores": """
                interface Named { name: String }
                type Store implements Named @key(fields: "id") { id: ID! name: String }
                type Query { store: Store named: [Named] }
            """,
            "hours": """
                interface Named { name: String }
                extend type Store implements Named @key(fields: "id") {
                  id: ID! @external
                  name: String @external
                  opensAt: String
                }
            """,
        },
        "deprecated-arguments-and-enum-values": {
            "a": fed2(
                'type Query { a(x: Int @deprecated(reason: "use y"), y: Int): Size }'
                " enum Size { S M L XL @deprecated }"
            ),
        },
    }
)

# ------------------------------------------------------------------------------- invalid sets

INVALID: dict[str, dict[str, str]] = {
    "type-kind-mismatch": {
        "a": fed2("type Query { a: Sku } type Sku { code: ID! }"),
        "b": fed2("type Query { b: Sku } interface Sku { code: ID! }"),
    },
    "field-type-mismatch": {
        "a": fed2("type Query { a: Price } type Price @shareable { amount: Int }", "shareable"),
        "b": fed2("type Query { b: Price } type Price @shareable { amount: String }", "shareable"),
    },
    "unshareable-field-in-two-subgraphs": {
        "a": fed2(
            'type Query { a: Brand } type Brand @key(fields: "id") { id: ID! name: String }',
            "key",
        ),
        "b": fed2('type Brand @key(fields: "id") { id: ID! name: String }', "key"),
    },
    "key-on-unknown-field": {
        "a": fed2('type Query { a: Sku } type Sku @key(fields: "upc") { code: ID! }', "key"),
    },
    "unused-external": {
        "a": fed2(
            'type Query { a: Sku } type Sku @key(fields: "code") { code: ID! weight: Int }',
            "key",
        ),
        "b": fed2(
            'type Sku @key(fields: "code") { code: ID! weight: Int @external volume: Int }',
            "key",
            "external",
        ),
    },
    "requires-unknown-field": {
        "a": fed2(
            'type Query { a: Sku } type Sku @key(fields: "code") { code: ID! weight: Int }',
            "key",
        ),
        "b": fed2(
            'type Sku @key(fields: "code") { code: ID! fee: Int @requires(fields: "height") }',
            "key",
            "requires",
        ),
    },
    "provides-unknown-field": {
        "a": fed2(
            'type Query { a: Sku } type Sku @key(fields: "code") { code: ID! weight: Int }',
            "key",
        ),
        "b": fed2(
            'type Query { b: Sku @provides(fields: "height") }'
            ' type Sku @key(fields: "code") { code: ID! weight: Int @external }',
            "key",
            "provides",
            "external",
        ),
    },
    "override-from-self": {
        "a": fed2(
            'type Query { a: Sku } type Sku @key(fields: "code")'
            ' { code: ID! weight: Int @override(from: "a") }',
            "key",
            "override",
        ),
    },
    "input-intersection-empty": {
        "a": fed2("type Query { a(f: Filter): Int } input Filter { brand: String }"),
        "b": fed2("type Query { b(f: Filter): Int } input Filter { city: String }"),
    },
    "enum-used-in-and-out-with-different-values": {
        "a": fed2("type Query { a(c: Color): Color } enum Color { RED GREEN }"),
        "b": fed2("type Query { b: Color } enum Color { RED BLUE }"),
    },
    "interface-object-without-key": {
        "a": fed2(
            'interface Media @key(fields: "id") { id: ID! }'
            ' type Book implements Media @key(fields: "id") { id: ID! } type Query { a: Media }',
            "key",
        ),
        "b": fed2(
            "type Media @interfaceObject { id: ID! stars: Int } type Query { b: Media }",
            "key",
            "interfaceObject",
        ),
    },
    "no-query-root": {
        "a": fed2('type Sku @key(fields: "code") { code: ID! }', "key"),
    },
    "external-on-interface-field": {
        "a": fed2(
            "interface Pet { name: String! } type Dog implements Pet @shareable { name: String! }"
            " type Query { pets: [Pet] }",
            "shareable",
        ),
        "b": fed2(
            "interface Pet { name: String! @external }"
            " type Dog implements Pet @shareable { name: String! } type Query { dogs: [Dog] }",
            "shareable",
            "external",
        ),
    },
    "provided-field-not-shareable": {
        "a": fed2(
            'type Query { a: User } type User @key(fields: "id") { id: ID! name: String }', "key"
        ),
        "b": fed2(
            'type Query { b: User @provides(fields: "name") }'
            ' type User @key(fields: "id") { id: ID! name: String @external }',
            "key",
            "provides",
            "external",
        ),
    },
    "required-argument-missing-in-some-subgraph": {
        "a": fed2("type Query { price(sku: ID!): Int @shareable }", "shareable"),
        "b": fed2("type Query { price: Int @shareable }", "shareable"),
    },
    "argument-type-mismatch": {
        "a": fed2("type Query { price(sku: ID): Int @shareable }", "shareable"),
        "b": fed2("type Query { price(sku: Int): Int @shareable }", "shareable"),
    },
    "type-level-external-covers-every-field-of-the-type": {
        "a": fed2('type Query { p: Tin } type Tin @key(fields: "id") { id: ID! w: Int }', "key"),
        "b": fed2(
            'type Tin @key(fields: "id") { id: ID! tax: Int @requires(fields: "w") }\n'
            "extend type Tin @external { w: Int }",
            "key",
            "external",
            "requires",
        ),
    },
    "field-unreachable-from-the-root": {
        "a": fed2('type Query { a: Sku } type Sku @key(fields: "code") { code: ID! }', "key"),
        "b": fed2("type Sku { code: ID! @shareable hidden: Int }", "shareable"),
    },
    "key-field-with-arguments": {
        "a": fed2(
            'type Query { a: Sku } type Sku @key(fields: "code") { code(upper: Boolean): ID! }',
            "key",
        ),
    },
    "unparsable-sdl": {
        "a": fed2("type Query { a: Int"),
        "b": fed2("type Query { b: Int }"),
    },
    "external-type-mismatch": {
        "a": fed2(
            'type Query { a: Sku } type Sku @key(fields: "code") { code: ID! weight: Int }',
            "key",
        ),
        "b": fed2(
            'type Sku @key(fields: "code") { code: ID! weight: String @external'
            ' fee: Int @requires(fields: "weight") }',
            "key",
            "external",
            "requires",
        ),
    },
    "input-field-default-mismatch": {
        "a": fed2("type Query { a(f: Filter): Int } input Filter { max: Int = 10 }"),
        "b": fed2("type Query { b(f: Filter): Int } input Filter { max: Int = 20 }"),
    },
    "argument-default-mismatch": {
        "a": fed2("type Query { page(size: Int = 10): [Int] @shareable }", "shareable"),
        "b": fed2("type Query { page(size: Int = 20): [Int] @shareable }", "shareable"),
    },
    "unknown-type-and-directive": {
        "a": fed2("type Query { a: Voucher @cached }"),
        "b": fed2("type Query { b: Int }"),
    },
    "implementation-missing-an-interface-field": {
        "a": fed2(
            "interface Priced { price: Int } type Tea implements Priced { name: String }"
            " type Query { a: Priced }"
        ),
        "b": fed2("type Query { b: Int }"),
    },
    "federation-directive-not-imported": {
        "a": fed2('type Query { a: Sku } type Sku @key(fields: "code") { code: ID! }', "key"),
        "b": fed2('type Sku @key(fields: "code") { code: ID! name: String @shareable }', "key"),
    },
}
