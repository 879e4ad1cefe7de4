"""Render simulated traffic as GitLab log lines, in each log's real format.

Formats follow gitlab-logs.md section 3: Rails and Sidekiq JSON in their own key
order, Go services (Gitaly, Workhorse, gitlab-shell) with sorted keys as logrus
writes them, svlogd prefixes on PostgreSQL, the NGINX combined-like access format.
Every line is stamped when the work finished, and files are sorted by that time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from advisor.simulate import catalog, clock
from advisor.simulate.traffic import GitalyCall, Job, Request, ShellSession

log = logging.getLogger(__name__)

Lines = list[tuple[float, str]]

_compact = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_sorted = json.JSONEncoder(separators=(",", ":"), sort_keys=True).encode

RAILS_DIR = "var/log/gitlab/gitlab-rails"
WORKHORSE_ROUTES = {
    "info_refs": "^/.+\\.git/info/refs\\z",
    "git_upload_pack": "^/.+\\.git/git-upload-pack\\z",
    "/api/:version/jobs/request": "^/api/v4/jobs/request\\z",
}
BACKTRACES = {
    "Rack": ["lib/gitlab/middleware/rack_timeout.rb:27:in `call'"],
    "GRPC": [
        "lib/gitlab/gitaly_client.rb:226:in `execute'",
        "lib/gitlab/gitaly_client/call.rb:18:in `call'",
    ],
    "ActiveRecord": [
        "lib/gitlab/database/load_balancing/connection_proxy.rb:119:in `public_send'",
        "app/models/ci/build.rb:412:in `each'",
    ],
    "Redis": [
        "lib/gitlab/instrumentation/redis_interceptor.rb:13:in `call'",
        "lib/gitlab/redis/wrapper.rb:24:in `with'",
    ],
}


def floor_to(value: float, digits: int) -> float:
    """Rounds down, so rounded parts never add up to more than a rounded-up total."""
    scale = 10**digits
    return math.floor(value * scale) / scale


def ceil_to(value: float, digits: int) -> float:
    """Rounds up; see ``floor_to``."""
    scale = 10**digits
    return math.ceil(value * scale) / scale


def repo_path(project_id: int) -> str:
    """Returns the hashed-storage path GitLab uses for a project id."""
    digest = hashlib.sha256(str(project_id).encode()).hexdigest()
    return f"@hashed/{digest[:2]}/{digest[2:4]}/{digest}.git"


def _user_id(user: str) -> int:
    return 1 if user == "root" else 2 if user == "ci-bot" else int(user[4:]) - 90


def _meta(request: Request) -> dict[str, Any]:
    project = catalog.PROJECTS[request.project][0]
    endpoint = request.endpoint
    caller = (
        endpoint.name
        if endpoint.kind == "web"
        else f"{endpoint.method} {endpoint.name}"
    )
    return {
        "meta.user": request.user,
        "meta.project": project,
        "meta.root_namespace": project.split("/")[0],
        "meta.caller_id": caller,
        "meta.remote_ip": request.ip,
        "meta.feature_category": endpoint.category,
        "meta.client_id": f"user/{_user_id(request.user)}",
    }


def _resources(request: Request | Job, rng: random.Random) -> dict[str, Any]:
    """Returns the gitaly, redis, db, cpu and memory counters of a request or job."""
    out: dict[str, Any] = {}
    if request.calls:
        out["gitaly_calls"] = len(request.calls)
        out["gitaly_duration_s"] = floor_to(request.gitaly_s, 6)
    redis_s = floor_to(request.redis_s, 6)
    read, write = request.redis_calls * 37, request.redis_calls * 190
    out |= {
        "redis_calls": request.redis_calls,
        "redis_duration_s": redis_s,
        "redis_read_bytes": read,
        "redis_write_bytes": write,
        "redis_cache_calls": request.redis_calls,
        "redis_cache_duration_s": redis_s,
        "redis_cache_read_bytes": read,
        "redis_cache_write_bytes": write,
    }
    writes = getattr(getattr(request, "endpoint", None), "writes", 0)
    mem = int(request.cpu_s * 2.4e8 * (0.5 + rng.random())) + 40000
    out |= {
        "db_count": request.db_count,
        "db_write_count": writes,
        "db_cached_count": request.db_count // 6,
        "cpu_s": floor_to(request.cpu_s, 6),
        "mem_objects": mem // 160,
        "mem_bytes": mem,
        "mem_mallocs": mem // 300,
        "mem_total_bytes": mem + mem // 4,
    }
    return out


def rails_line(request: Request, epoch0: float, rng: random.Random) -> str:
    """Returns one production_json (web) or api_json (API) line."""
    endpoint = request.endpoint
    time = clock.iso_ms(epoch0 + request.end)
    db = floor_to(request.db_s, 5)
    parts = db + floor_to(request.redis_s, 6) + floor_to(request.gitaly_s, 6)
    duration = ceil_to(max(request.duration_s, parts + floor_to(request.view_s, 5)), 5)
    params = [{"key": "id", "value": request.path.rsplit("/", 1)[-1]}]
    uid = _user_id(request.user)
    if endpoint.kind == "web":
        controller, action = endpoint.name.split("#")
        head: dict[str, Any] = {
            "method": endpoint.method,
            "path": request.path,
            "format": "*/*" if "GitHttp" in controller else "html",
            "controller": controller,
            "action": action,
            "status": request.status,
            "time": time,
            "params": params,
            "remote_ip": request.ip,
            "user_id": uid,
            "username": request.user,
            "ua": request.ua,
            "correlation_id": request.cid,
        }
        view = floor_to(request.view_s, 5)
    else:
        view = floor_to(duration - db, 5)
        head = {
            "time": time,
            "severity": "INFO",
            "duration_s": duration,
            "db_duration_s": db,
            "view_duration_s": view,
            "status": request.status,
            "method": endpoint.method,
            "path": request.path,
            "params": params,
            "host": "gitlab.example.com",
            "remote_ip": request.ip,
            "ua": request.ua,
            "route": endpoint.name,
            "user_id": uid,
            "username": request.user,
            "queue_duration_s": floor_to(request.queue_s, 6),
            "correlation_id": request.cid,
        }
    head |= _meta(request)
    head |= {
        "request_urgency": endpoint.urgency,
        "target_duration_s": {"high": 0.25, "medium": 0.5, "low": 5}.get(
            endpoint.urgency, 1
        ),
    }
    head |= _resources(request, rng)
    head |= {"pid": 3100 + request.worker, "worker_id": f"puma_{request.worker}"}
    if request.exception:
        head["exception.class"], head["exception.message"] = request.exception
    if endpoint.kind == "web":
        head |= {
            "queue_duration_s": floor_to(request.queue_s, 6),
            "db_duration_s": db,
            "view_duration_s": view,
            "duration_s": duration,
        }
    return _compact(head)


def _grpc_time(call: GitalyCall) -> float:
    return round(max(call.time_ms, call.real_ms + 0.001), 3)


def gitaly_line(call: GitalyCall, epoch0: float) -> str:
    """Returns one Gitaly RPC completion line, keys sorted as logrus writes them."""
    method = call.method
    path, pid = catalog.PROJECTS[call.project][:2]
    kind = "streaming" if method.streaming or "Pack" in method.name else "unary"
    time_ms = _grpc_time(call)
    line: dict[str, Any] = {
        "correlation_id": call.cid,
        "grpc.code": call.code,
        "grpc.meta.auth_version": "v2",
        "grpc.meta.client_name": call.client,
        "grpc.meta.deadline_type": "regular" if kind == "unary" else "none",
        "grpc.meta.method_operation": method.operation,
        "grpc.meta.method_scope": "repository",
        "grpc.meta.method_type": "unary" if kind == "unary" else "bidi_stream",
        "grpc.method": method.name,
        "grpc.request.fullMethod": f"/{method.service}/{method.name}",
        "grpc.request.glProjectPath": path,
        "grpc.request.glRepository": f"project-{pid}",
        "grpc.request.payload_bytes": 180 + len(path),
        "grpc.request.repoPath": repo_path(pid),
        "grpc.request.repoStorage": "default",
        "grpc.response.payload_bytes": call.response_bytes,
        "grpc.service": method.service,
        "grpc.start_time": clock.iso_ms(epoch0 + call.start),
        "grpc.time_ms": time_ms,
        "level": "info" if call.code == "OK" else "warning",
        "msg": f"finished {kind} call with code {call.code}",
        "peer.address": "@",
        "pid": 2210,
        "span.kind": "server",
        "system": "grpc",
        "time": clock.iso_ms(epoch0 + call.start + time_ms / 1000),
    }
    if call.user:
        line["user_id"], line["username"] = f"user-{_user_id(call.user)}", call.user
    if method.spawns_git and call.code == "OK":
        line |= _command_fields(call)
    if call.queue_ms or call.dropped:
        line |= {
            "limit.concurrency_queue_length": 0 if not call.dropped else 6,
            "limit.concurrency_queue_ms": int(call.queue_ms),
            "limit.limiting_key": repo_path(pid),
            "limit.limiting_type": "per-rpc",
        }
        if call.dropped:
            line["limit.concurrency_dropped"] = call.dropped
    return _sorted(line)


def _command_fields(call: GitalyCall) -> dict[str, Any]:
    cpu = int(call.cpu_ms)
    heavy = call.method.name.endswith("Pack") or "UploadPack" in call.method.name
    return {
        "command.count": 2 if heavy else 1,
        "command.cpu_time_ms": cpu,
        "command.user_time_ms": cpu * 4 // 5,
        "command.system_time_ms": cpu - cpu * 4 // 5,
        "command.real_time_ms": int(call.real_ms),
        "command.maxrss": int(18000 + cpu * (180 if heavy else 40)),
        "command.inblock": int(call.io_ops * 8),
        "command.oublock": 8 if heavy else 0,
        "command.minflt": 300 + cpu * 3,
        "command.majflt": int(call.io_ops // 50),
        "command.spawn_token_wait_ms": int(call.spawn_wait_ms),
        "command.spawn_token_fork_ms": 1,
    }


def _workhorse_route(request: Request) -> str:
    name = request.endpoint.name
    for key, route in WORKHORSE_ROUTES.items():
        if name.endswith(key):
            return route
    return "^/api/" if request.endpoint.kind == "api" else ""


def workhorse_timing(request: Request) -> tuple[float, float, int]:
    """Returns (duration_ms, ttfb_ms, written bytes) as Workhorse sees the request."""
    rails_ms = (request.queue_s + request.duration_s) * 1000 + 0.8
    transfer = request.transfer
    if transfer is None:
        return rails_ms, rails_ms, request.size
    if transfer.code != "OK":
        return rails_ms + transfer.time_ms, rails_ms + transfer.time_ms, 0
    ttfb = rails_ms + transfer.time_ms * 0.4
    return rails_ms + transfer.time_ms, ttfb, transfer.response_bytes


def workhorse_status(request: Request) -> int:
    """Returns the status Workhorse answered with; 429 when Gitaly shed the fetch."""
    if request.transfer is not None and request.transfer.code == "ResourceExhausted":
        return 429
    return request.status


def workhorse_line(request: Request, epoch0: float) -> tuple[float, str]:
    """Returns (end epoch, Workhorse access line) for one HTTP request."""
    duration_ms, ttfb_ms, written = workhorse_timing(request)
    end = epoch0 + request.arrive + duration_ms / 1000
    git = request.endpoint.name.startswith("Repositories::")
    line = {
        "content_type": "application/x-git-upload-pack-result"
        if git
        else (
            "application/json"
            if request.endpoint.kind == "api"
            else "text/html; charset=utf-8"
        ),
        "correlation_id": request.cid,
        "duration_ms": int(duration_ms),
        "host": "gitlab.example.com",
        "level": "info",
        "method": request.endpoint.method,
        "msg": "access",
        "proto": "HTTP/1.1",
        "referrer": "",
        "remote_addr": "127.0.0.1:0",
        "remote_ip": request.ip,
        "route": _workhorse_route(request),
        "status": workhorse_status(request),
        "system": "http",
        "time": clock.iso_s(end),
        "ttfb_ms": int(ttfb_ms),
        "uri": request.path,
        "user_agent": request.ua,
        "written_bytes": written,
    }
    return end, _sorted(line)


def nginx_line(request: Request, epoch0: float) -> tuple[float, str]:
    """Returns (end epoch, NGINX access line) in the Linux package's default format."""
    duration_ms, _, written = workhorse_timing(request)
    end = epoch0 + request.arrive + duration_ms / 1000 + 0.0005
    gzip = "-" if request.endpoint.kind == "api" or written < 1000 else "3.42"
    line = (
        f'{request.ip} - - [{clock.nginx(end)}] "{request.endpoint.method} '
        f'{request.path.split("?")[0]} HTTP/1.1" {workhorse_status(request)} {written} '
        f'"" "{request.ua}" {gzip}'
    )
    return end, line


def sidekiq_lines(job: Job, epoch0: float, rng: random.Random) -> Lines:
    """Returns the start and done (or fail) lines of one job."""
    worker = job.worker
    start = epoch0 + job.start
    end = start + job.duration_s
    project = catalog.PROJECTS[job.project][0]
    head: dict[str, Any] = {
        "severity": "INFO",
        "time": clock.iso_ms(start),
        "class": worker.name,
        "args": [str(rng.randint(1, 90000))],
        "retry": 3,
        "queue": worker.queue,
        "version": 0,
    }
    if ":" in worker.queue:
        head["queue_namespace"] = worker.queue.split(":")[0]
    head |= {
        "jid": job.jid,
        "created_at": clock.iso_ms(epoch0 + job.enqueued),
        "meta.project": project,
        "meta.root_namespace": project.split("/")[0],
    }
    if job.caller:
        head["meta.caller_id"] = job.caller
    head |= {
        "meta.feature_category": worker.category,
        "correlation_id": job.cid,
        "enqueued_at": clock.iso_ms(epoch0 + job.enqueued),
        "job_size_bytes": 12,
        "pid": 4100 + job.node,
        "worker_id": "sidekiq_0",
    }
    wait = floor_to(job.wait_s, 6)
    first = head | {
        "message": f"{worker.name} JID-{job.jid}: start",
        "job_status": "start",
        "scheduling_latency_s": wait,
    }
    status = "fail" if job.error else "done"
    duration = ceil_to(job.duration_s, 6)
    last = head | {
        "severity": "WARN" if job.error else "INFO",
        "time": clock.iso_ms(end),
        "message": f"{worker.name} JID-{job.jid}: {status}: {duration} sec",
        "job_status": status,
        "scheduling_latency_s": wait,
    }
    last |= _resources(job, rng)
    last |= {
        "duration_s": duration,
        "completed_at": clock.iso_ms(end),
        "db_duration_s": floor_to(job.db_s, 6),
        "urgency": worker.urgency,
        "target_duration_s": 10 if worker.urgency == "high" else 300,
    }
    if job.error:
        last["error_class"], last["error_message"] = job.error
    return [(start, _compact(first)), (end, _compact(last))]


def shell_lines(session: ShellSession, epoch0: float) -> Lines:
    """Returns the gitlab-shell lines of one SSH session (gitlab-sshd flavour)."""
    allowed = session.allowed
    t_auth = epoch0 + allowed.end
    path, pid = catalog.PROJECTS[session.project][:2]
    rpc = session.rpc
    end = epoch0 + rpc.start + _grpc_time(rpc) / 1000
    uid = f"user-{_user_id(session.user)}"
    lines = [
        {
            "correlation_id": session.cid,
            "duration_ms": round(allowed.duration_s * 1000, 3),
            "level": "info",
            "method": "POST",
            "msg": "Finished HTTP request",
            "status": allowed.status,
            "time": clock.iso_s(t_auth),
            "url": "http://unix/api/v4/internal/allowed",
        },
        {
            "command": session.command,
            "correlation_id": session.cid,
            "git_protocol": "version=2",
            "gl_project_path": path,
            "gl_repository": f"project-{pid}",
            "level": "info",
            "msg": "executing git command",
            "time": clock.iso_s(t_auth),
            "user_id": uid,
            "username": session.user,
        },
        {
            "correlation_id": session.cid,
            "duration_s": round(end - epoch0 - session.arrive, 6),
            "level": "info",
            "meta": {"project": path, "root_namespace": path.split("/")[0]},
            "msg": "access: finish",
            "remote_addr": f"{allowed.ip}:{40000 + pid}",
            "time": clock.iso_s(end),
            "written_bytes": rpc.response_bytes,
        },
    ]
    times = (t_auth, t_auth + 0.001, end)
    return [(t, _sorted(line)) for t, line in zip(times, lines, strict=True)]


def hook_lines(session: ShellSession, epoch0: float) -> Lines:
    """Returns Gitaly's "Finished HTTP request" lines for a push's Rails hooks."""
    out = []
    for hook in session.hooks:
        end = epoch0 + hook.end
        line = {
            "content_length_bytes": hook.size,
            "correlation_id": session.cid,
            "duration_ms": int(hook.duration_s * 1000),
            "level": "info",
            "method": "POST",
            "msg": "Finished HTTP request",
            "status": hook.status,
            "time": clock.iso_ms(end),
            "url": f"http://unix/api/v4/internal/{hook.endpoint.name.rsplit('/')[-1]}",
        }
        out.append((end, _sorted(line)))
    return out


def exception_line(
    owner: Request | Job, error: tuple[str, str], epoch0: float
) -> tuple[float, str]:
    """Returns one exceptions_json line for a failed request or job."""
    end = epoch0 + (
        owner.end if isinstance(owner, Request) else owner.start + owner.duration_s
    )
    family = error[0].split("::")[0]
    line = {
        "severity": "ERROR",
        "time": clock.iso_ms(end),
        "correlation_id": owner.cid,
        "exception.class": error[0],
        "exception.message": error[1],
        "exception.backtrace": BACKTRACES.get(
            family, ["app/workers/concerns/application_worker.rb:1"]
        ),
    }
    return end, _compact(line)


def postgres_line(end: float, duration_ms: float, statement: str, pid: int) -> str:
    """Returns one slow-statement line behind the svlogd prefix."""
    return (
        f"{clock.svlogd(end)} {clock.postgres(end)} [{pid}] LOG:  duration: "
        f"{duration_ms:.3f} ms  execute <unnamed>: {statement}"
    )


def write_lines(
    path: Path,
    lines: Iterable[tuple[float, str]],
    rng: random.Random,
    noise: tuple[str, ...] = (),
) -> None:
    """Writes lines sorted by time, the first cut short as gitlabsos tails leave it.

    ``noise`` lines (non-JSON output of child processes) go in at random places.
    """
    ordered = [text for _, text in sorted(lines, key=lambda item: item[0])]
    for text in noise:
        ordered.insert(rng.randrange(1, max(2, len(ordered))), text)
    if ordered:
        first = ordered[0]
        ordered[0] = first[rng.randrange(1, max(2, len(first) - 1)) :]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(ordered))
        if ordered:
            handle.write("\n")
