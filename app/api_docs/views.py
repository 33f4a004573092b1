"""The document as a page a client developer can read (server-rendered: no script, so the CSP needs nothing)."""
from flask import current_app, render_template

from app.auth.guards import public

from .blueprint import bp
from .document import build_document


@bp.route("/api/docs")
@public
def docs():
    document = build_document(current_app)
    return render_template("api_docs/docs.html", document=document)
