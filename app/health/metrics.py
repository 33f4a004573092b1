"""Prometheus figures for /metrics.

How each figure stays true with several gunicorn processes and workers on other hosts:

* request latency (``podium_http_request_duration_seconds``) is measured in the web process that
  answered. Under gunicorn, set PROMETHEUS_MULTIPROC_DIR (deploy/podium-web.service does) and
  every process writes its figures to files there, summed at scrape time (prometheus_client's
  multiprocess mode; gunicorn.conf.py drops a dead process's live figures). Each web host is
  scraped on its own; Prometheus adds the hosts up.
* queue depth, analyses by outcome and analysis seconds are read from the database at scrape
  time. The session rows are the record of every analysis, whichever worker on whichever host
  ran it, so any web host gives the same, whole answer and no worker needs to be scraped.
"""
from __future__ import annotations

from datetime import timedelta
from time import perf_counter
from typing import Iterator, Mapping

from flask import Flask, g, request
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select

from app.extensions import db
from app.models import ACTIVE_ANALYSIS_STATUSES, PracticeSession, SessionStatus, utcnow

REQUEST_SECONDS = Histogram(
    "podium_http_request_duration_seconds", "Time to answer a request, by route (endpoint) and status",
    ["method", "endpoint", "status"], registry=None,
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
OUTCOMES = (SessionStatus.DONE.value, SessionStatus.FAILED.value)
QUANTILES = (0.5, 0.9, 0.99, 1.0)


def init_metrics(app: Flask) -> None:
    @app.before_request
    def _start_clock():
        g.request_started = perf_counter()

    @app.after_request
    def _observe(response):
        started = g.pop("request_started", None)
        if started is not None:
            REQUEST_SECONDS.labels(request.method, request.endpoint or "unmatched",
                                   str(response.status_code)).observe(perf_counter() - started)
        return response


class DatabaseFigures:
    """Analysis figures read from the session rows when Prometheus scrapes."""

    def __init__(self, config: Mapping) -> None:
        self.window = timedelta(seconds=config["METRICS_WINDOW_SECONDS"])

    def collect(self) -> Iterator[Metric]:
        queue = GaugeMetricFamily("podium_analysis_queue", "Sessions waiting for or in analysis, by status",
                                  labels=["status"])
        counts = dict(db.session.execute(
            select(PracticeSession.status, func.count()).where(PracticeSession.status.in_(ACTIVE_ANALYSIS_STATUSES))
            .group_by(PracticeSession.status)).all())
        for status in ACTIVE_ANALYSIS_STATUSES:
            queue.add_metric([status], counts.get(status, 0))
        yield queue

        outcomes = CounterMetricFamily("podium_analyses", "Analysed sessions kept, by outcome", labels=["outcome"])
        finished = dict(db.session.execute(
            select(PracticeSession.status, func.count())
            .where(PracticeSession.status.in_(OUTCOMES), PracticeSession.submitted_at.is_not(None))
            .group_by(PracticeSession.status)).all())
        for outcome in OUTCOMES:
            outcomes.add_metric([outcome], finished.get(outcome, 0))
        yield outcomes

        since = utcnow() - self.window
        rows = db.session.execute(
            select(PracticeSession.submitted_at, PracticeSession.finished_at)
            .where(PracticeSession.status.in_(OUTCOMES), PracticeSession.finished_at >= since,
                   PracticeSession.submitted_at.is_not(None))).all()
        waits = sorted(max(0.0, (done - submitted).total_seconds()) for submitted, done in rows)
        seconds = GaugeMetricFamily(
            "podium_analysis_seconds",
            f"Seconds from submission to report of the sessions finished in the last "
            f"{int(self.window.total_seconds())} s (queue wait included), by quantile", labels=["quantile"])
        for q in QUANTILES:
            seconds.add_metric([f"{q:g}"], waits[min(len(waits) - 1, int(q * len(waits)))] if waits else 0.0)
        yield seconds
        yield GaugeMetricFamily("podium_analyses_in_window", "Sessions finished in that window", value=len(waits))


def exposition(config: Mapping) -> bytes:
    """Every figure, in Prometheus' text format."""
    registry = CollectorRegistry()
    if config["PROMETHEUS_MULTIPROC_DIR"]:
        MultiProcessCollector(registry, path=config["PROMETHEUS_MULTIPROC_DIR"])
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(DatabaseFigures(config))
    return generate_latest(registry)
