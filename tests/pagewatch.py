"""A browser tab that reaches only 127.0.0.1 and records what went wrong, for the browser tests."""

from __future__ import annotations

from urllib.parse import urlsplit


class OfflinePage:
    """A new context and page in ``browser``; every request that leaves 127.0.0.1 is blocked.

    Attributes filled while the page is used (each a list of one-line descriptions):
    ``foreign`` the blocked requests to other hosts, ``failed`` the requests that failed,
    ``errors`` console errors and uncaught page errors.
    """

    def __init__(self, browser, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.foreign: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def _route(self, route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _console(self, msg) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")

    def close(self) -> None:
        self.context.close()
