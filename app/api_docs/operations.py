"""Every operation of the JSON API, described once: the OpenAPI document and the docs page are built from this
table, and ``tests/api_docs/test_openapi.py`` fails, naming the line to add here, when a route of the URL map
has none.

Each entry: (method, path in OpenAPI form) -> Operation. ``who`` is the role the route's guard asks for.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Operation:
    summary: str
    who: str  # "public", "any" (logged in), "student", "teacher", "admin"
    body: str | None = None  # "json", "multipart" or None
    success: int = 200
    paginated: bool = False
    tag: str = ""
    produces: str = "application/json"


def _op(summary: str, who: str, tag: str, **kwargs) -> Operation:
    return Operation(summary, who, tag=tag, **kwargs)


A, S, T, AD, P = "any", "student", "teacher", "admin", "public"
OPERATIONS: dict[tuple[str, str], Operation] = {
    # Accounts and tokens
    ("post", "/users/signup"): _op("Create a student account and get a bearer token", P, "accounts", body="json",
                                   success=201),
    ("post", "/token"): _op("Exchange a username or e-mail and password for a bearer token", P, "accounts",
                            body="json"),
    ("get", "/api/me"): _op("Who the token belongs to", A, "accounts"),
    ("post", "/api/me/password"): _op("Change your own password (ends your other sessions)", A, "accounts",
                                      body="json"),
    ("post", "/api/logout"): _op("Revoke the token used for this request", A, "accounts"),
    # Recording and analysis (students)
    ("post", "/api/analyze-chunked"): _op(
        "Upload a recording whole or in parts (upload_id, part, final); the last part queues the analysis", S,
        "practice", body="multipart", success=202),
    ("post", "/api/pronunciation"): _op("Score a reading: audio plus reference_text, topic_id or passage_id", S,
                                        "practice", body="multipart", success=202),
    ("get", "/api/me/sessions"): _op("Your practice sessions, newest first", S, "practice", paginated=True),
    ("post", "/api/me/sessions"): _op("Open a recorder session for a topic or prompt", S, "practice", body="json",
                                      success=201),
    ("get", "/api/me/sessions/{session_id}"): _op("One of your sessions with its report", S, "practice"),
    ("get", "/api/me/sessions/{session_id}/status"): _op("Where the analysis is, with the queue position", S,
                                                         "practice"),
    ("post", "/api/me/sessions/{session_id}/heartbeat"): _op("Keep an open recorder alive", S, "practice"),
    ("post", "/api/me/sessions/{session_id}/abandon"): _op("Leave an open recorder", S, "practice"),
    ("post", "/api/me/sessions/{session_id}/retake"): _op("Throw away the take and start a new one", S, "practice"),
    ("post", "/api/me/sessions/{session_id}/retry"): _op("Analyse a failed session again", S, "practice",
                                                         success=202),
    ("get", "/api/me/topics"): _op("Open topics of your classes and a suggested prompt", S, "practice"),
    # Classes
    ("get", "/api/classes"): _op("Classes you teach, run or are in (join codes only for their adults)", A,
                                 "classes", paginated=True),
    ("post", "/api/classes"): _op("Create a class", T, "classes", body="json", success=201),
    ("post", "/api/classes/join"): _op("Join a class with its join code", S, "classes", body="json", success=201),
    ("patch", "/api/classes/{class_id}/sessions/{session_id}/words/{index}"): _op(
        "Review one word of a reading ({\"error_type\": ...}); the reading's scores are recomputed", T, "classes",
        body="json"),
    ("get", "/api/classes/{class_id}/topics"): _op("The class's topics, newest first", T, "classes",
                                                   paginated=True),
    ("post", "/api/classes/{class_id}/topics"): _op("Set a topic or a passage to read", T, "classes", body="json",
                                                    success=201),
    ("get", "/api/classes/{class_id}/curriculum"): _op("The class's curriculum goal", T, "classes"),
    ("put", "/api/classes/{class_id}/curriculum"): _op("Replace the class's curriculum goal", T, "classes",
                                                       body="json"),
    ("get", "/api/classes/{class_id}/live"): _op("Recordings in progress in the class now", T, "classes"),
    ("get", "/api/classes/{class_id}/roster"): _op("Students with their practice figures", T, "classes",
                                                   paginated=True),
    ("get", "/api/classes/{class_id}/summary"): _op("The class report for a period", T, "classes"),
    ("post", "/api/classes/{class_id}/students"): _op("Add students by name (usernames and first passwords)", T,
                                                      "classes", body="json", success=201),
    ("post", "/api/classes/{class_id}/students/{student_id}/password"): _op(
        "Give a student of the class a new first password", T, "classes"),
    # Batches (teachers)
    ("post", "/api/analyze-batch/start"): _op("Analyse many recordings or a zip of them", T, "batches",
                                              body="multipart", success=202),
    ("get", "/api/analyze-batch/status/{job_id}"): _op("How far a batch is", A, "batches"),
    ("get", "/api/analyze-batch/results/{job_id}"): _op("A batch's results (add ?format=csv for CSV)", A,
                                                        "batches"),
    ("get", "/api/analyze-batch/results/{job_id}.csv"): _op("A batch's results as CSV", A, "batches",
                                                            produces="text/csv"),
    ("post", "/api/analyze-batch/{job_id}/items/{session_id}/confirm"): _op(
        "Confirm a file's proposed student, or attach it to another (student_id): only then does the student see it",
        T, "batches", body="json"),
    ("post", "/api/analyze-batch/{job_id}/confirm"): _op("Confirm every proposed match of a batch", T, "batches"),
    # School (admins)
    ("get", "/api/school"): _op("Your school and its teachers", AD, "school"),
    ("get", "/api/school/audit"): _op("Your school's audit trail, newest first (?action= one kind)", AD, "school",
                                      paginated=True),
    ("get", "/api/school/invites"): _op("Invitations waiting to be accepted", AD, "school", paginated=True),
    ("post", "/api/school/invites"): _op("Invite a teacher or admin by e-mail", AD, "school", body="json",
                                         success=201),
    ("delete", "/api/school/invites/{invite_id}"): _op("Withdraw an invitation", AD, "school"),
    ("post", "/api/school/teachers/{teacher_id}/deactivate"): _op("Deactivate a teacher's account", AD, "school"),
    ("post", "/api/school/teachers/{teacher_id}/reactivate"): _op("Reactivate a teacher's account", AD, "school"),
    ("post", "/api/school/teachers/{teacher_id}/password"): _op("Send a teacher a password link", AD, "school"),
    # This description
    ("get", "/api/openapi.json"): _op("This OpenAPI document", P, "about"),
    ("get", "/api/docs"): _op("This description as a page", P, "about", produces="text/html"),
    ("put", "/api/classes/{class_id}/sessions/{session_id}/override"): _op(
        "Give a session your own score (score 0–100, reason); lists and reports read it first", T, "review",
        body="json"),
    ("delete", "/api/classes/{class_id}/sessions/{session_id}/override"): _op(
        "Go back to the automatic score", T, "review"),
    ("post", "/api/classes/{class_id}/sessions/{session_id}/comments"): _op(
        "Add a comment the student sees", T, "review", body="json", success=201),
    # Children's data: leaving, deletion and export (docs/privacy.md)
    ("post", "/api/classes/{class_id}/leave"): _op("Leave a class: its teacher no longer sees your practice", S,
                                                   "privacy", success=204),
    ("delete", "/api/me/sessions/{session_id}"): _op("Delete one of your recordings and everything made from it", S,
                                                     "privacy", success=204),
    ("get", "/api/me/export"): _op("All your data as a zip: podium.json and your recordings", S, "privacy",
                                   produces="application/zip"),
    ("delete", "/api/classes/{class_id}/sessions/{session_id}"): _op(
        "Delete a recording made for your class, with its report", T, "privacy", success=204),
    ("get", "/api/classes/{class_id}/students/{student_id}/export"): _op(
        "A student of your class's data as a zip", T, "privacy", produces="application/zip"),
    ("get", "/api/school/students/{student_id}/export"): _op("A student of your school's data as a zip", AD,
                                                             "privacy", produces="application/zip"),
    ("delete", "/api/school/students/{student_id}"): _op("Delete a student's account and all their data", AD,
                                                         "privacy", success=204),
}
