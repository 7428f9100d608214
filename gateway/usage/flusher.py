"""Moves the in-memory counts to the sink in the background: every `interval` seconds and
once more on shutdown. A sink that fails costs one warning per outage, never a request:
its counts are kept and sent again with the next flush."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from gateway.usage.recorder import DayCounts, UsageRecorder, today
from gateway.usage.sinks import Sink, merge, one_line

log = logging.getLogger("gateway.usage")


class UsageFlusher:
    def __init__(self, recorder: UsageRecorder, sink: Sink | None, interval: float = 10.0):
        self.recorder = recorder
        self.sink = sink
        self.interval = interval
        self._unsent: DayCounts = {}
        self._failing = False
        self._task: asyncio.Task[None] | None = None
        if sink is not None:
            recorder.keep_for_sink()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush()
        if self.sink is not None:
            await asyncio.to_thread(self.sink.close)

    async def flush(self) -> bool:
        """Fold the counts; send them (and any unsent) to the sink. False: the sink failed."""
        if self.sink is None:
            self.recorder.fold()
            return True
        merge(self._unsent, self.recorder.drain())
        if not self._unsent:
            return True
        batch, self._unsent = self._unsent, {}
        try:
            await asyncio.to_thread(self.sink.write, batch)
        except Exception as error:  # any sink failure: keep counting, retry next time
            self._keep(batch)
            if not self._failing:
                self._failing = True
                log.warning("field usage sink failed, counts kept for the next flush: %s",
                            one_line(error))  # fmt: skip
            return False
        if self._failing:
            self._failing = False
            log.info("field usage sink recovered")
        return True

    def _keep(self, batch: DayCounts) -> None:
        # Older than the retention, a count would expire in the sink anyway: bound the memory.
        oldest = today() - timedelta(days=self.recorder.retention_days)
        merge(self._unsent, {k: n for k, n in batch.items() if k[0] >= oldest})

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.flush()
