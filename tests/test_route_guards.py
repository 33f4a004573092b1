"""Every endpoint declares who may call it, and the declarations hold."""
import pytest
from werkzeug.routing import IntegerConverter

from .conftest import bearer_for, login_as
from .factories import make_admin, make_student, make_teacher

# The only endpoints anyone may call without logging in.
PUBLIC_ENDPOINTS = {
    "static", "auth.index", "auth.login", "auth.signup", "auth.api_signup", "auth.api_token", "health.check",
    "health.ready", "health.metrics",
    "auth.set_password", "auth.forgot_password", "school.accept_invite", "api_docs.openapi", "api_docs.docs",
}
ROLES = ["student", "teacher", "admin"]


def test_every_endpoint_is_guarded_or_listed_public(app):
    unguarded, public = [], set()
    for endpoint, view in app.view_functions.items():
        role = getattr(view, "required_role", None)
        if endpoint == "static":
            public.add(endpoint)
        elif role is None:
            unguarded.append(endpoint)
        elif role == "public":
            public.add(endpoint)
    assert unguarded == [], f"endpoints without a guard: {unguarded}"
    assert public == PUBLIC_ENDPOINTS


def _concrete_urls(app, role_wanted):
    """Every (method, url) of the endpoints guarded for *role_wanted*, with made-up ids."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if getattr(app.view_functions[rule.endpoint], "required_role", None) != role_wanted:
            continue
        args = {name: 1 if isinstance(rule._converters[name], IntegerConverter) else "abc"
                for name in rule.arguments}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, adapter.build(rule.endpoint, args, method=method)


@pytest.mark.parametrize("role", ["teacher", "student", "admin", "any"])
def test_anonymous_requests_are_refused(app, client, role):
    urls = list(_concrete_urls(app, role))
    assert urls, f"no {role} endpoints found"
    for method, url in urls:
        # A bogus bearer token skips the CSRF step, so the guard itself must answer.
        response = client.open(url, method=method, headers={"Authorization": "Bearer not-a-token"})
        assert response.status_code == 401, (method, url, response.status_code)
        if method == "GET":
            page = client.get(url)
            assert page.status_code in (401, 302), (url, page.status_code)


@pytest.mark.parametrize("caller, guarded", [(c, g) for c in ROLES for g in ROLES if c != g])
def test_wrong_role_gets_403_on_every_endpoint(app, client, caller, guarded):
    with app.app_context():
        user = {"student": make_student, "teacher": make_teacher, "admin": make_admin}[caller]()
    headers = bearer_for(app, user)  # bearer: no CSRF step in front of the guard
    urls = list(_concrete_urls(app, guarded))
    assert urls
    for method, url in urls:
        response = client.open(url, method=method, headers=headers)
        assert response.status_code == 403, (method, url, response.status_code)


def test_wrong_role_in_browser_gets_403_page(app, client):
    with app.app_context():
        student = make_student()
    login_as(client, student)
    response = client.get("/teacher/")
    assert response.status_code == 403 and b"have access" in response.data
