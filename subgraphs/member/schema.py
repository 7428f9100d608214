"""The member Strawberry federation schema (central: one deployment for every brand).

`Member @key(fields: "id")` is owned here: UnionID, display name, brand accounts, shared
addresses and payment methods (`Address` / `PaymentMethod @key(fields: "id")`; a payment
token is never shown, only a masked tail), cross-brand consent and purchase engagement. Every
field but `id` is readable by the member themself, a group operator, or a service token with
scope `member:read`. An erased member resolves with its personal fields null or empty.

Sessions: `signIn` (through a brand app), `refreshSession` (rotating refresh tokens),
`signOut`. The member's own changes take no member id: they act on the token's member.
Erasure: `eraseMe` (the member) and `eraseMember` (operators); `erasureRequest` (operators).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from subgraphs.common import access, auth
from subgraphs.common.context import SubgraphContext

from . import erasure, service, sessions
from .errors import unauthenticated
from .identity import Credentials
from .models import Address as AddressRow
from .models import ConsentRecord
from .models import Member as MemberRow
from .models import PaymentMethod as PaymentMethodRow
from .settings import MemberSettings

READ_SCOPE = "member:read"
# Who the gateway lets ask a member's personal fields: as `can_read` (which still decides
# whose). `displayName` stays open there: signIn answers it to the caller who just signed in.
READERS = [["member"], ["operator"], [READ_SCOPE]]
PERSONAL = {"authenticated": True, "requires_scopes": READERS}


class MemberContext(SubgraphContext):
    """The request context (`create_app` sets the settings and the key ring)."""

    member_settings: MemberSettings = MemberSettings()

    @property
    def ring(self) -> auth.KeyRing:
        if self.key_ring is None:
            type(self).key_ring = auth.KeyRing.from_env()
        return self.key_ring  # type: ignore[return-value]


Info = strawberry.Info[MemberContext, None]


def can_read(info: Info, member_id: str) -> None:
    """The member themself, an operator, or a service allowed to read members."""
    claims = info.context.claims
    if claims is not None and claims.kind == "operator":
        return
    auth.require_self(claims, member_id, allow_service=READ_SCOPE)


def _member_id(info: Info) -> str:
    return auth.require_member(info.context.claims).subject


@strawberry.type(description="The member in one brand app (the app's OpenID).")
class BrandAccount:
    brand: str
    open_id: str
    first_seen_at: datetime
    last_seen_at: datetime


@strawberry.federation.type(keys=["id"], description="A shared delivery address.")
class Address:
    id: strawberry.ID
    recipient: str
    phone: str
    region: str
    city: str
    line1: str
    postal_code: str
    is_default: bool
    member_id: strawberry.Private[str]

    @classmethod
    def of(cls, row: AddressRow) -> Address:
        return cls(
            id=strawberry.ID(row.id),
            recipient=row.recipient,
            phone=row.phone,
            region=row.region,
            city=row.city,
            line1=row.line1,
            postal_code=row.postal_code,
            is_default=row.is_default,
            member_id=row.member_id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, **kwargs) -> Address | None:
        row = await info.context.loader("address").load(str(kwargs.get("id", "")))
        if row is None:
            return None
        can_read(info, row.member_id)
        return cls.of(row)


@strawberry.federation.type(
    keys=["id"], description="A saved payment method: the provider's token stays here."
)
class PaymentMethod:
    id: strawberry.ID
    provider: str
    label: str
    masked_token: str = strawberry.field(description="The token's last characters only.")
    created_at: datetime
    member_id: strawberry.Private[str]

    @classmethod
    def of(cls, row: PaymentMethodRow) -> PaymentMethod:
        return cls(
            id=strawberry.ID(row.id),
            provider=row.provider,
            label=row.label,
            masked_token=service.masked_token(row.token),
            created_at=service.as_utc(row.created_at),
            member_id=row.member_id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, **kwargs) -> PaymentMethod | None:
        row = await info.context.loader("payment_method").load(str(kwargs.get("id", "")))
        if row is None:
            return None
        can_read(info, row.member_id)
        return cls.of(row)


@strawberry.type(description="Consent to use the member's data across brands (latest record).")
class CrossBrandConsent:
    granted: bool
    version: str | None = None
    channel: str | None = None
    changed_at: datetime | None = None

    @classmethod
    def of(cls, row: ConsentRecord | None) -> CrossBrandConsent:
        if row is None:
            return cls(granted=False)
        return cls(
            granted=row.granted,
            version=row.version,
            channel=row.channel,
            changed_at=service.as_utc(row.created_at),
        )


@strawberry.type(description="What the member did across the group.")
class Engagement:
    first_seen_at: datetime
    orders_count: int
    last_order_at: datetime | None
    brands_used: list[str] = strawberry.federation.field(
        description="Brands whose app the member signed in to.",
        directives=[access.assumed(10)],
    )
    brands_purchased: list[str] = strawberry.federation.field(directives=[access.assumed(10)])
    categories_purchased: list[str] = strawberry.federation.field(directives=[access.assumed(20)])


@strawberry.federation.type(keys=["id"], description="One person across every brand.")
class Member:
    id: strawberry.ID
    row: strawberry.Private[MemberRow]
    trusted: strawberry.Private[bool] = False  # issued to this caller by signIn/refresh

    @classmethod
    def of(cls, row: MemberRow, *, trusted: bool = False) -> Member:
        return cls(id=strawberry.ID(row.id), row=row, trusted=trusted)

    @classmethod
    async def resolve_reference(cls, info: Info, **kwargs) -> Member | None:
        member_id = str(kwargs.get("id", ""))
        row = await info.context.loader("member").load(member_id) if member_id else None
        return None if row is None else cls.of(row)

    def _check(self, info: Info) -> bool:
        """Guard the field; True when the member still has personal data."""
        if not self.trusted:
            can_read(info, self.row.id)
        return self.row.erased_at is None

    @strawberry.federation.field(description="WeChat UnionID (null once erased).", **PERSONAL)
    def union_id(self, info: Info) -> str | None:
        return self.row.union_id if self._check(info) else None

    @strawberry.field
    def display_name(self, info: Info) -> str | None:
        return self.row.display_name if self._check(info) else None

    @strawberry.federation.field(
        description="When the member's data was erased (null: not erased).", **PERSONAL
    )
    def erased_at(self, info: Info) -> datetime | None:
        self._check(info)
        return None if self.row.erased_at is None else service.as_utc(self.row.erased_at)

    @strawberry.federation.field(
        description="The brand apps the member signed in to, first one first.",
        directives=[access.assumed(10)],
        **PERSONAL,
    )
    async def brand_accounts(self, info: Info) -> list[BrandAccount]:
        self._check(info)
        rows = await info.context.loader("accounts").load(self.row.id)
        return [
            BrandAccount(
                brand=r.brand,
                open_id=r.open_id,
                first_seen_at=service.as_utc(r.first_seen_at),
                last_seen_at=service.as_utc(r.last_seen_at),
            )
            for r in rows
        ]

    @strawberry.federation.field(directives=[access.assumed(service.MAX_ADDRESSES)], **PERSONAL)
    async def addresses(self, info: Info) -> list[Address]:
        self._check(info)
        return [Address.of(r) for r in await info.context.loader("addresses").load(self.row.id)]

    @strawberry.federation.field(
        directives=[access.assumed(service.MAX_PAYMENT_METHODS)], **PERSONAL
    )
    async def payment_methods(self, info: Info) -> list[PaymentMethod]:
        self._check(info)
        rows = await info.context.loader("payment_methods").load(self.row.id)
        return [PaymentMethod.of(r) for r in rows]

    @strawberry.federation.field(**PERSONAL)
    async def cross_brand_consent(self, info: Info) -> CrossBrandConsent:
        self._check(info)
        return CrossBrandConsent.of(await info.context.loader("consent").load(self.row.id))

    @strawberry.federation.field(**PERSONAL)
    async def engagement(self, info: Info) -> Engagement:
        self._check(info)
        row = await info.context.loader("engagement").load(self.row.id)
        accounts = await info.context.loader("accounts").load(self.row.id)
        return Engagement(
            first_seen_at=service.as_utc(self.row.created_at),
            orders_count=0 if row is None else row.orders_count,
            last_order_at=None
            if row is None or row.last_order_at is None
            else service.as_utc(row.last_order_at),
            brands_used=list(dict.fromkeys(a.brand for a in accounts)),
            brands_purchased=[] if row is None else list(row.brands_purchased),
            categories_purchased=[] if row is None else list(row.categories_purchased),
        )


@strawberry.type(description="A signed-in session: send accessToken as a Bearer token.")
class AuthSession:
    access_token: str
    refresh_token: str = strawberry.field(
        description="Exchange it (once) with refreshSession; keep it secret."
    )
    expires_in: int = strawberry.field(description="Seconds the access token is valid.")
    member: Member
    new_member: bool = strawberry.field(description="True when this sign-in created the member.")

    @classmethod
    def of(cls, issued: sessions.IssuedSession) -> AuthSession:
        return cls(
            access_token=issued.access_token,
            refresh_token=issued.refresh_token,
            expires_in=issued.expires_in,
            member=Member.of(issued.member, trusted=True),
            new_member=issued.new_member,
        )


@strawberry.enum
class ErasureStatus(Enum):
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"


@strawberry.type(description="A subgraph that must erase the member's data, and when it did.")
class ErasureParticipant:
    participant: str
    completed_at: datetime | None


@strawberry.type(description="The erasure of one member across every subgraph.")
class ErasureRequest:
    id: strawberry.ID
    member_id: strawberry.ID
    status: ErasureStatus
    requested_at: datetime
    completed_at: datetime | None
    attempts: int = strawberry.field(description="Times member.erased was announced.")
    participants: list[ErasureParticipant] = strawberry.federation.field(
        directives=[access.assumed(10)]  # one per subgraph kind
    )

    @classmethod
    def of(cls, status: erasure.ErasureStatus) -> ErasureRequest:
        request = status.request
        done = request.completed_at
        return cls(
            id=strawberry.ID(request.id),
            member_id=strawberry.ID(request.member_id),
            status=ErasureStatus.COMPLETED if status.complete else ErasureStatus.PENDING,
            requested_at=service.as_utc(request.requested_at),
            completed_at=None if done is None else service.as_utc(done),
            attempts=request.attempts,
            participants=[
                ErasureParticipant(
                    participant=p.participant,
                    completed_at=None if p.completed_at is None else service.as_utc(p.completed_at),
                )
                for p in status.participants
            ],
        )


@strawberry.input(
    description="Credentials from a brand app; each identity provider reads "
    "its own (development: openId and unionId; WeChat: code)."
)
class SignInInput:
    open_id: str | None = None
    union_id: str | None = None
    code: str | None = None
    display_name: str | None = None


@strawberry.input(description="An address to create (no id) or update (its id).")
class AddressInput:
    id: strawberry.ID | None = None
    recipient: str
    phone: str
    region: str
    city: str
    line1: str
    postal_code: str = ""
    is_default: bool = False


@strawberry.input(description="A payment provider's token for this member.")
class PaymentMethodInput:
    provider: str
    token: str
    label: str


@strawberry.type
class Query:
    @strawberry.federation.field(
        description="The signed-in member.", authenticated=True, requires_scopes=access.MEMBER
    )
    async def me(self, info: Info) -> Member | None:
        member_id = _member_id(info)
        row = await info.context.loader("member").load(member_id)
        if row is None:
            raise unauthenticated("the signed-in member does not exist; sign in again")
        if row.erased_at is not None:
            raise unauthenticated("this member was erased; sign in again to start afresh")
        return Member.of(row)

    @strawberry.federation.field(
        description="An erasure request and its participants (operators).",
        authenticated=True,
        requires_scopes=access.OPERATOR,
        tags=[access.OPERATOR_TAG],
    )
    async def erasure_request(self, info: Info, id: strawberry.ID) -> ErasureRequest | None:
        auth.require_operator(info.context.claims)
        async with info.context.db() as session:
            status = await erasure.erasure_status(session, str(id))
        return None if status is None else ErasureRequest.of(status)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Sign in through a brand app: creates the member on first sign-in, links "
        "a new brand app to the same member (same UnionID)."
    )
    async def sign_in(self, info: Info, brand: str, credentials: SignInInput) -> AuthSession:
        creds = Credentials(
            open_id=credentials.open_id,
            union_id=credentials.union_id,
            code=credentials.code,
            display_name=credentials.display_name,
        )
        async with info.context.db() as session:
            issued = await sessions.sign_in(
                session, info.context.ring, info.context.member_settings, brand, creds
            )
        return AuthSession.of(issued)

    @strawberry.mutation(description="A new session for a refresh token (which is then spent).")
    async def refresh_session(self, info: Info, refresh_token: str) -> AuthSession:
        async with info.context.db() as session:
            issued = await sessions.refresh(
                session, info.context.ring, info.context.member_settings, refresh_token
            )
        return AuthSession.of(issued)

    @strawberry.mutation(description="End the session of a refresh token.")
    async def sign_out(self, info: Info, refresh_token: str) -> bool:
        async with info.context.db() as session:
            return await sessions.sign_out(session, refresh_token)

    @strawberry.federation.mutation(
        description="Create (no id) or update one of the member's addresses.",
        authenticated=True,
        requires_scopes=access.MEMBER,
    )
    async def save_address(self, info: Info, input: AddressInput) -> Address:
        member_id = _member_id(info)
        data = service.AddressInput(
            id=None if input.id is None else str(input.id),
            recipient=input.recipient,
            phone=input.phone,
            region=input.region,
            city=input.city,
            line1=input.line1,
            postal_code=input.postal_code,
            is_default=input.is_default,
        )
        async with info.context.db() as session:
            row = await service.save_address(session, member_id, data)
        return Address.of(row)

    @strawberry.federation.mutation(authenticated=True, requires_scopes=access.MEMBER)
    async def remove_address(self, info: Info, id: strawberry.ID) -> bool:
        member_id = _member_id(info)
        async with info.context.db() as session:
            await service.remove_address(session, member_id, str(id))
        return True

    @strawberry.federation.mutation(
        description="Save a payment provider's token (shown masked).",
        authenticated=True,
        requires_scopes=access.MEMBER,
    )
    async def save_payment_method(self, info: Info, input: PaymentMethodInput) -> PaymentMethod:
        member_id = _member_id(info)
        data = service.PaymentMethodInput(input.provider, input.token, input.label)
        async with info.context.db() as session:
            row = await service.save_payment_method(session, member_id, data)
        return PaymentMethod.of(row)

    @strawberry.federation.mutation(authenticated=True, requires_scopes=access.MEMBER)
    async def remove_payment_method(self, info: Info, id: strawberry.ID) -> bool:
        member_id = _member_id(info)
        async with info.context.db() as session:
            await service.remove_payment_method(session, member_id, str(id))
        return True

    @strawberry.federation.mutation(
        description="Grant or withdraw (granted: false) consent to cross-brand use.",
        authenticated=True,
        requires_scopes=access.MEMBER,
    )
    async def set_cross_brand_consent(
        self, info: Info, granted: bool, version: str, channel: str
    ) -> CrossBrandConsent:
        member_id = _member_id(info)
        async with info.context.db() as session:
            row = await service.set_consent(session, member_id, granted, version, channel)
        return CrossBrandConsent.of(row)

    @strawberry.federation.mutation(
        description="Erase the signed-in member's personal data everywhere.",
        authenticated=True,
        requires_scopes=access.MEMBER,
    )
    async def erase_me(self, info: Info) -> ErasureRequest:
        member_id = _member_id(info)
        async with info.context.db() as session:
            status = await erasure.erase_member(session, member_id, info.context.member_settings)
        return ErasureRequest.of(status)

    @strawberry.federation.mutation(
        description="Erase a member's personal data everywhere (operators).",
        authenticated=True,
        requires_scopes=access.OPERATOR,
        tags=[access.OPERATOR_TAG],
    )
    async def erase_member(self, info: Info, member_id: strawberry.ID) -> ErasureRequest:
        auth.require_operator(info.context.claims)
        async with info.context.db() as session:
            status = await erasure.erase_member(
                session, str(member_id), info.context.member_settings
            )
        return ErasureRequest.of(status)


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    types=[Member, Address, PaymentMethod],
    federation_version="2.9",
)


def sdl() -> str:
    """The subgraph's SDL as checked in at `schema/member.graphql`."""
    return schema.as_str().rstrip("\n") + "\n"
