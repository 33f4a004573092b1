"""Every stylesheet, script and icon a page links to is served, so a browser logs no 404 for it."""
from __future__ import annotations

import re

from .conftest import login_as
from .factories import make_teacher

ASSET_LINK = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def test_every_asset_the_login_page_links_is_served(client):
    html = client.get("/login").get_data(as_text=True)
    assets = ASSET_LINK.findall(html)
    assert any("favicon" in path for path in assets), "the page names no icon, so browsers ask for /favicon.ico"
    for path in assets:
        response = client.get(path)
        response.close()  # static files are streamed; close them so no file handle outlives the test
        assert response.status_code == 200, path


def test_every_asset_a_signed_in_page_links_is_served(app_ctx, client):
    teacher = make_teacher()
    login_as(client, teacher)
    html = client.get("/teacher/classes").get_data(as_text=True)
    for path in ASSET_LINK.findall(html):
        response = client.get(path)
        response.close()  # static files are streamed; close them so no file handle outlives the test
        assert response.status_code == 200, path
