"""Does a problem's ``type`` resolve? One assertion for every door that answers problems."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin

import httpx


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def anchors(page: str) -> set[str]:
    """Every ``id`` of an HTML page (what a URI fragment can land on)."""
    parser = _Ids()
    parser.feed(page)
    return parser.ids


def assert_type_resolves(base_url: str, problem_type: str) -> None:
    """GET ``problem_type`` (resolved against ``base_url``, as a client resolves a
    relative ``type``): 200 HTML holding an element whose ``id`` is the fragment."""
    url, fragment = urldefrag(urljoin(base_url + "/", problem_type))
    response = httpx.get(url, timeout=30)
    assert response.status_code == 200, (url, response.status_code, response.text[:200])
    assert response.headers["content-type"].startswith("text/html"), response.headers
    assert fragment, f"{problem_type} has no fragment"
    assert fragment in anchors(response.text), f"{url} has no element with id {fragment!r}"
