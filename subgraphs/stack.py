"""Every subgraph of the group in one process: what `brand-matrix dev` serves.

`dev_stack(data_dir, brands)` builds the central subgraphs (member, loyalty, order) and one
catalogue and one content partition per brand, each on its own SQLite file under `data_dir`
(one database per deployment, as in production), all on one in-process event bus and one key
ring. `await stack.prepare()` migrates every database and loads the demo data once;
`await stack.start()` / `stop()` run the apps' lifespans (outbox relays, event consumers).

The gateway side (`gateway/dev.py`) reaches this module only through its import path, given
in configuration, so `gateway` never imports `subgraphs`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from subgraphs.common.auth import KeyRing
from subgraphs.common.brand_ids import check_brand
from subgraphs.common.bus import EventBus, InProcessBus

CENTRAL = ("member", "loyalty", "order")
PARTITIONED = ("catalogue", "content")
DEMO_BRANDS = ("lumen", "vitalis", "cubby", "purely", "aurora")
SEED_MARKER = "seeded"


@dataclass
class Deployment:
    """One subgraph deployment: a central subgraph, or one brand's partition."""

    subgraph: str
    brand: str | None
    database_url: str
    app: Any
    migrate: Callable[[str], None]
    sdl: str

    @property
    def label(self) -> str:
        return self.subgraph if self.brand is None else f"{self.subgraph}@{self.brand}"


@dataclass
class DevStack:
    data_dir: Path
    brands: list[str]
    bus: EventBus
    key_ring: KeyRing
    demo_members: int = 1000
    deployments: list[Deployment] = field(default_factory=list)
    _lifespans: contextlib.AsyncExitStack | None = None

    # -- what the gateway needs -----------------------------------------------------------

    @property
    def central_apps(self) -> dict[str, Any]:
        return {d.subgraph: d.app for d in self.deployments if d.brand is None}

    @property
    def partition_apps(self) -> dict[str, dict[str, Any]]:
        """subgraph -> brand -> app, brands in configuration order."""
        found: dict[str, dict[str, Any]] = {}
        for d in self.deployments:
            if d.brand is not None:
                found.setdefault(d.subgraph, {})[d.brand] = d.app
        return found

    def sdls(self) -> dict[str, str]:
        """subgraph -> SDL (every partition of a subgraph serves the same one)."""
        return {d.subgraph: d.sdl for d in self.deployments}

    # -- lifecycle ------------------------------------------------------------------------

    async def prepare(self, *, seed: bool = True) -> bool:
        """Migrate every database; load the demo data unless it is there. True when seeded now."""
        for deployment in self.deployments:
            await asyncio.to_thread(deployment.migrate, deployment.database_url)
        if seed:
            await _seed_extras(self.deployments)
        marker = self.data_dir / SEED_MARKER
        if not seed or marker.exists():
            return False
        from subgraphs.demo.load import load_demo

        await load_demo(self, members=self.demo_members)
        marker.write_text("demo data loaded\n")
        return True

    async def start(self) -> None:
        stack = contextlib.AsyncExitStack()
        for deployment in self.deployments:
            app = deployment.app
            await stack.enter_async_context(app.router.lifespan_context(app))
        self._lifespans = stack

    async def settle(self, rounds: int = 3) -> None:
        """Deliver every event recorded so far: each outbox published, every consumer done;
        `rounds` times over, for the events consumers record in turn (erasure needs three:
        member.erased -> participants -> erasure.completed). Tests and seeding use it."""
        for _ in range(rounds):
            for deployment in self.deployments:
                await deployment.app.state.events.relay.publish_pending()
            await self.bus.drain()

    async def stop(self) -> None:
        stack, self._lifespans = self._lifespans, None
        if stack is not None:
            await stack.aclose()
        for deployment in self.deployments:
            database = getattr(deployment.app.state, "database", None)
            if database is not None:
                await database.dispose()

    async def add_brand(self, brand: str) -> dict[str, Any]:
        """Serve a new brand while running: its catalogue and content partitions are created,
        migrated, loaded with demo data, started, and announced (its SKUs reach the order
        subgraph's replica through the bus); member accepts sign-ins through it. Returns
        {subgraph: ASGI app} for the gateway's partitioned transports."""
        check_brand(brand)
        if brand in self.brands:
            raise ValueError(f"brand {brand!r} is already served")
        added = [self._partition(name, brand) for name in self.partitioned]
        for deployment in added:
            await asyncio.to_thread(deployment.migrate, deployment.database_url)
        from subgraphs.demo.load import load_brand

        await load_brand(brand, {d.subgraph: d.app.state.database for d in added})
        await _seed_extras(added)
        if self._lifespans is not None:
            for deployment in added:
                app = deployment.app
                await self._lifespans.enter_async_context(app.router.lifespan_context(app))
        self.brands.append(brand)
        self.deployments.extend(added)
        self._update_member_brands()
        return {d.subgraph: d.app for d in added}

    def _update_member_brands(self) -> None:
        from subgraphs.member.app import MemberSettings, use_settings

        member = next(d for d in self.deployments if d.subgraph == "member")
        settings: MemberSettings = member.app.state.settings
        use_settings(member.app, replace(settings, brands=tuple(self.brands)))

    def _partition(self, subgraph: str, brand: str) -> Deployment:
        url = sqlite_url(self.data_dir / f"{subgraph}-{brand}.db")
        module, sdl = _modules(subgraph)
        app = module.create_app(brand, url, bus=self.bus, key_ring=self.key_ring)
        return Deployment(subgraph, brand, url, app, module.migrate, sdl())

    def _extra_central(self, subgraph: str) -> Deployment:
        url = sqlite_url(self.data_dir / f"{subgraph}.db")
        module, sdl = _modules(subgraph)
        app = module.create_app(url, bus=self.bus, key_ring=self.key_ring)
        return Deployment(subgraph, None, url, app, module.migrate, sdl())

    @property
    def partitioned(self) -> tuple[str, ...]:
        """The brand-owned subgraphs: catalogue, content and any new brand-owned one."""
        return (*PARTITIONED, *(n for n in extra_subgraphs() if brand_owned(n)))


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def dev_stack(
    data_dir: str | Path,
    brands: Sequence[str] = DEMO_BRANDS,
    *,
    bus: EventBus | None = None,
    key_ring: KeyRing | None = None,
    demo_members: int = 1000,
) -> DevStack:
    """All subgraphs on SQLite files under `data_dir` (created if missing)."""
    for brand in brands:
        check_brand(brand)
    directory = Path(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    stack = DevStack(
        data_dir=directory,
        brands=list(brands),
        bus=bus if bus is not None else InProcessBus(),
        key_ring=key_ring or KeyRing.from_env(),
        demo_members=demo_members,
    )
    stack.deployments.extend(_central(stack))
    stack.deployments.extend(
        stack._extra_central(name) for name in extra_subgraphs() if not brand_owned(name)
    )
    for brand in brands:
        stack.deployments.extend(stack._partition(name, brand) for name in stack.partitioned)
    return stack


async def _seed_extras(deployments: Sequence[Deployment]) -> None:
    """New subgraphs (not in the demo generator) load their own idempotent demo rows."""
    import importlib

    for deployment in deployments:
        if deployment.subgraph in CENTRAL + PARTITIONED:
            continue
        seed = importlib.import_module(f"subgraphs.{deployment.subgraph}.seed")
        async with deployment.app.state.database.session() as session:
            await seed.seed_demo(session, deployment.brand)


def _modules(subgraph: str) -> tuple[Any, Callable[[], str]]:
    """The subgraph's app module and its `sdl` function, by name."""
    import importlib

    app = importlib.import_module(f"subgraphs.{subgraph}.app")
    return app, importlib.import_module(f"subgraphs.{subgraph}.schema").sdl


def _central(stack: DevStack) -> list[Deployment]:
    from subgraphs.loyalty import app as loyalty
    from subgraphs.loyalty.schema import sdl as loyalty_sdl
    from subgraphs.member import app as member
    from subgraphs.member.schema import sdl as member_sdl
    from subgraphs.order import app as order
    from subgraphs.order.schema import sdl as order_sdl

    def url(name: str) -> str:
        return sqlite_url(stack.data_dir / f"{name}.db")

    common = {"bus": stack.bus, "key_ring": stack.key_ring}
    member_settings = member.MemberSettings(brands=tuple(stack.brands))
    apps = {
        "member": (member, member_sdl, {"settings": member_settings}),
        "loyalty": (loyalty, loyalty_sdl, {}),
        "order": (order, order_sdl, {}),
    }
    return [
        Deployment(
            name,
            None,
            url(name),
            module.create_app(url(name), **common, **extra),
            module.migrate,
            sdl(),
        )
        for name, (module, sdl, extra) in apps.items()
    ]


# --- one deployment per process: `brand-matrix subgraph serve` (docker-compose, production) ---

BRANDS_ENV = "BRAND_MATRIX_BRANDS"  # member: the group's brand apps, e.g. "lumen,vitalis"
SUBGRAPHS_DIR = Path(__file__).resolve().parent
NOT_SUBGRAPHS = frozenset({"common", "demo"})


def deployment_app(
    name: str, brand: str | None = None, database_url: str | None = None
) -> tuple[Any, Callable[[], None]]:
    """One deployment of subgraph `name` (one brand's partition when brand-owned) as
    (ASGI app, migrate): `migrate()` upgrades its database. Everything else comes from the
    environment, as in production: `DATABASE_URL` (unless `database_url`),
    `BRAND_MATRIX_BUS_URL` (NATS JetStream; unset: in-process), `BRAND_MATRIX_JWT_SECRET` or
    `BRAND_MATRIX_JWT_KEYS`, and for member `BRAND_MATRIX_BRANDS`. ValueError (one line) for
    an unknown subgraph or a brand that does not fit it."""
    import importlib

    from subgraphs.common.database import database_url as configured_url

    if name not in subgraph_names():
        known = ", ".join(subgraph_names())
        raise ValueError(f"unknown subgraph {name!r} (known: {known})")
    module = importlib.import_module(f"subgraphs.{name}.app")
    url = database_url or configured_url()
    if brand_owned(name):
        if brand is None:
            raise ValueError(f"subgraph {name!r} is deployed per brand: give --brand")
        app = module.create_app(check_brand(brand), url)
    elif brand is not None:
        raise ValueError(f"subgraph {name!r} is central: it takes no brand")
    elif name == "member":
        app = module.create_app(url, settings=module.MemberSettings(brands=_env_brands()))
    else:
        app = module.create_app(url)
    return app, lambda: module.migrate(url)


def extra_subgraphs() -> list[str]:
    """Subgraphs beyond the group's five (new ones join `brand-matrix dev` by being there)."""
    return [n for n in subgraph_names() if n not in CENTRAL + PARTITIONED]


def subgraph_names() -> list[str]:
    """The subgraphs of this repository: the five of the group, then any other package under
    subgraphs/ with an app.py (e.g. made by `brand-matrix new-subgraph`), by name."""
    found = sorted(
        p.parent.name
        for p in SUBGRAPHS_DIR.glob("*/app.py")
        if p.parent.name not in NOT_SUBGRAPHS and p.parent.name.isidentifier()
    )
    return [*CENTRAL, *PARTITIONED, *(n for n in found if n not in CENTRAL + PARTITIONED)]


def brand_owned(name: str) -> bool:
    """Deployed once per brand: catalogue, content, and new subgraphs that say so
    (`BRAND_OWNED = True` in their app.py)."""
    if name in PARTITIONED or name in CENTRAL:
        return name in PARTITIONED
    import importlib

    return bool(getattr(importlib.import_module(f"subgraphs.{name}.app"), "BRAND_OWNED", False))


def _env_brands() -> tuple[str, ...]:
    import os

    return tuple(b.strip() for b in os.environ.get(BRANDS_ENV, "").split(",") if b.strip())
