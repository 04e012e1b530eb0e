"""The grader also works where an event loop is already running (Jupyter, Playwright)."""

from __future__ import annotations

import asyncio

from coursenn.instructor import grade


def test_run_without_a_running_loop():
    assert grade._run(lambda: asyncio.sleep(0, result=41)) == 41


def test_run_inside_a_running_loop_uses_a_worker_thread():
    async def outer():
        return grade._run(lambda: asyncio.sleep(0, result=42))

    assert asyncio.run(outer()) == 42
