"""gunicorn settings: a few sync workers with threads suit a 2-core school server."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
timeout = 60
# Uploads stream through nginx; keep-alive stays short behind a proxy.
keepalive = 5
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Podium does not use gunicornc, and its default socket ($HOME/.gunicorn/gunicorn.ctl) is shared by
# every gunicorn of the same user: make run beside the tests' own gunicorn would fight over it.
control_socket_disable = True


# Prometheus multiprocess mode (app/health/metrics.py): the web processes share request figures
# through files in PROMETHEUS_MULTIPROC_DIR; it starts empty, and a dead process's live figures go.
def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
