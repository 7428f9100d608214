"""Who is signing in: an `IdentityProvider` turns a brand app's credentials into an `Identity`
(UnionID, the brand app's OpenID, a display name).

`DevIdentityProvider` (the default, for `brand-matrix dev`, tests and demos) believes the
`openId` and `unionId` it is given, after checking their shape. It must never run where real
members sign in: anyone could claim anyone's UnionID.

A real WeChat provider plugs in through `MemberSettings(identity_provider=...)`:

    class WeChatIdentityProvider:
        def __init__(self, apps: Mapping[str, tuple[str, str]], http) -> None:
            self.apps = apps  # brand -> (mini-program appid, app secret), from a secret store
            self.http = http  # an aiohttp.ClientSession

        async def identify(self, brand: str, credentials: Credentials) -> Identity:
            appid, secret = self.apps[brand]
            # The mini-program calls wx.login() and sends us the short-lived `code`;
            # code2session exchanges it (once) for the member's openid and, when the app is
            # bound to the group's WeChat Open Platform account, the unionid.
            async with self.http.get(
                "https://api.weixin.qq.com/sns/jscode2session",
                params={"appid": appid, "secret": secret, "js_code": credentials.code,
                        "grant_type": "authorization_code"},
            ) as response:
                body = await response.json(content_type=None)
            if body.get("errcode") or not body.get("unionid"):
                raise InvalidCredentials("WeChat refused the login code")
            return Identity(union_id=body["unionid"], open_id=body["openid"],
                            display_name=credentials.display_name)

The `session_key` code2session also returns stays with the provider (it decrypts the phone
number and user-info payloads); nothing else in the subgraph needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from .errors import UNAUTHENTICATED, MemberError

WECHAT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # openid/unionid: 28-29 such characters
NAME_MAX = 64


class InvalidCredentials(MemberError):
    def __init__(self, message: str) -> None:
        super().__init__(message, UNAUTHENTICATED)


@dataclass(frozen=True)
class Credentials:
    """What a brand app sends to sign in (each provider reads the fields it needs)."""

    open_id: str | None = None
    union_id: str | None = None
    code: str | None = None  # WeChat wx.login() code
    display_name: str | None = None


@dataclass(frozen=True)
class Identity:
    union_id: str
    open_id: str
    display_name: str | None = None


class IdentityProvider(Protocol):
    async def identify(self, brand: str, credentials: Credentials) -> Identity:
        """The identity behind `credentials` in `brand`'s app; `InvalidCredentials` when they
        are missing, malformed or refused."""
        ...


def check_wechat_id(value: str | None, what: str) -> str:
    value = (value or "").strip()
    if not WECHAT_ID.match(value):
        raise InvalidCredentials(
            f"invalid credentials: {what} must be 1 to 64 letters, digits, '_' or '-'"
        )
    return value


def check_display_name(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    if not value:
        return None
    if len(value) > NAME_MAX or not value.isprintable():
        raise MemberError(f"displayName must be at most {NAME_MAX} printable characters")
    return value


class DevIdentityProvider:
    """Accepts `openId` and `unionId` as given (shape checked). Development only."""

    async def identify(self, brand: str, credentials: Credentials) -> Identity:
        return Identity(
            union_id=check_wechat_id(credentials.union_id, "unionId"),
            open_id=check_wechat_id(credentials.open_id, "openId"),
            display_name=check_display_name(credentials.display_name),
        )
