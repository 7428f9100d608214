"""The limits an operation must stay within, checked once per prepared operation.

`Limits.check` runs when an operation is prepared (parsed, validated, planned), i.e. once per
cached (document, operation name); the cache-hit path pays nothing, except for an operation
whose cost depends on its variables (a slicing argument given by a variable), which is
re-estimated against the budget per request. The token limit is applied by the parser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode

from gateway.errors import graphql_error
from gateway.limits.cost import CostDirectives, CostError, CostEstimator, too_expensive
from gateway.limits.counts import count
from gateway.limits.depth import operation_depth

MAX_DEPTH = "MAX_DEPTH_EXCEEDED"
MAX_ALIASES = "MAX_ALIASES_EXCEEDED"
MAX_ROOT_FIELDS = "MAX_ROOT_FIELDS_EXCEEDED"
MAX_TOKENS = "MAX_TOKENS_EXCEEDED"
MAX_DIRECTIVES = "MAX_DIRECTIVES_EXCEEDED"
INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"


DEFAULT_MAX_COST = 50_000  # why this number: gateway/limits/settings.py


@dataclass(frozen=True, slots=True)
class Limits:
    """0 turns a limit off. Defaults: see LimitsSettings (gateway/limits/settings.py)."""

    max_depth: int = 15
    max_aliases: int = 30
    max_root_fields: int = 20
    max_tokens: int = 15_000
    max_directives: int = 50
    max_cost: int = DEFAULT_MAX_COST
    default_list_size: int = 10
    introspection: bool = True

    @property
    def parser_max_tokens(self) -> int | None:
        return self.max_tokens or None

    def check(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        schema: GraphQLSchema,
        costs: CostDirectives | None,
    ) -> CostCheck | None:
        """Raises LimitExceeded with every limit the operation breaks; returns the per-request
        cost check when the estimate depends on variables, else None."""
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        errors: list[dict[str, Any]] = []
        counts = count(operation, fragments)
        if not self.introspection and counts.introspection:
            errors.append(
                graphql_error(
                    "Introspection is disabled on this gateway (__schema and __type).",
                    code=INTROSPECTION_DISABLED,
                )
            )
        if self.max_depth:
            try:
                depth = operation_depth(operation.selection_set, fragments)
            except RecursionError:
                depth = self.max_depth + 1
            self._over(errors, "depth", depth, self.max_depth, MAX_DEPTH)
        self._over(errors, "aliases", counts.aliases, self.max_aliases, MAX_ALIASES)
        self._over(errors, "root fields", counts.root_fields, self.max_root_fields, MAX_ROOT_FIELDS)
        self._over(errors, "directives", counts.directives, self.max_directives, MAX_DIRECTIVES)
        cost_check = None
        if self.max_cost and not errors:
            estimator = CostEstimator(
                schema, costs or CostDirectives(), operation, fragments, self.default_list_size
            )
            cost_check = CostCheck(estimator, self.max_cost)
            try:
                problem = cost_check.problem(None)
            except RecursionError:
                problem = too_expensive(self.max_cost + 1, self.max_cost)
            if estimator.uses_variables:  # judged per request, with the variables' values
                problem = None
            else:
                cost_check = None
            if problem is not None:
                errors.append(problem)
        if errors:
            raise LimitExceeded(errors)
        return cost_check

    @staticmethod
    def _over(errors: list[dict[str, Any]], what: str, found: int, limit: int, code: str) -> None:
        if limit and found > limit:
            errors.append(
                graphql_error(
                    f"The operation has {found} {what}, more than the maximum of {limit}.",
                    code=code,
                    extensions={"found": found, "max": limit},
                )
            )


class LimitExceeded(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors


@dataclass(slots=True)
class CostCheck:
    """The cost budget of an operation whose estimate depends on its variables."""

    estimator: CostEstimator
    budget: int

    def problem(self, variables: Mapping[str, Any] | None) -> dict[str, Any] | None:
        try:
            estimate = self.estimator.estimate(variables)
        except CostError as error:
            return error.error
        return too_expensive(estimate, self.budget) if estimate > self.budget else None


def tokens_exceeded(message: str) -> bool:
    """Whether a syntax error is graphql-core's `max_tokens` refusal."""
    return "tokens. Parsing aborted" in message
