"""Per-request DataLoaders: one SELECT per table per batch, whatever the number of members."""

from __future__ import annotations

from subgraphs.common.loaders import ModelListLoader, ModelLoader

from .models import Account, LedgerEntry


class EntriesByMember(ModelListLoader[str, LedgerEntry]):
    model = LedgerEntry
    column = "member_id"
    order_by = "id"


class AccountByMember(ModelLoader[str, Account]):
    model = Account
    column = "member_id"


LOADERS = {"entries": EntriesByMember, "account": AccountByMember}
