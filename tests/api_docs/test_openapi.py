"""The OpenAPI document describes every API route of the URL map and is valid OpenAPI 3.1; the page shows it."""
from __future__ import annotations

from openapi_spec_validator import validate

from app.api_docs.document import url_map_operations
from app.api_docs.operations import OPERATIONS


def test_every_api_route_is_described(app):
    missing = sorted(set(url_map_operations(app)) - set(OPERATIONS))
    assert not missing, "describe these routes in app/api_docs/operations.py OPERATIONS: " + "; ".join(
        f'("{method}", "{path}"): _op("what it does", who, "tag", ...)' for method, path in missing)
    gone = sorted(set(OPERATIONS) - set(url_map_operations(app)))
    assert not gone, f"app/api_docs/operations.py describes routes the URL map no longer has: {gone}"


def test_the_document_is_valid_openapi_3_1_and_lists_the_upload_route(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.is_json
    document = response.json
    validate(document)
    assert document["openapi"].startswith("3.1")
    upload = document["paths"]["/api/analyze-chunked"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"] and upload["security"] == [{"bearer": []}]
    assert document["paths"]["/api/me/sessions/{session_id}"]["get"]["parameters"][0]["schema"]["type"] == "integer"


def test_the_docs_page_lists_every_route_under_the_csp(client):
    response = client.get("/api/docs")
    assert response.status_code == 200 and "script-src" in response.headers["Content-Security-Policy"]
    page = response.get_data(as_text=True)
    assert all(f"{method.upper()} {path}" in page for method, path in OPERATIONS)
    assert "<script>" not in page
