"""Simulated traffic: requests, Git sessions and jobs with their realised timings.

Three phases: draw every event with its base cost, charge that cost to each host's
per-minute CPU and IO budget, then realise times from the utilisation (queueing
factors, Puma and Sidekiq FCFS queues, Gitaly concurrency limits).
"""

from __future__ import annotations

import heapq
import logging
import math
import random
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate

from advisor.simulate import catalog
from advisor.simulate.catalog import GRPC, Endpoint, GrpcMethod, Worker
from advisor.simulate.model import (
    arrivals,
    fcfs_waits,
    heavy,
    minute_loads,
    poisson,
    wait_factor,
)
from advisor.simulate.scenarios.base import GitalyLimit, Scenario
from advisor.simulate.topology import Topology

log = logging.getLogger(__name__)

ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRANSFERS = {"PostUploadPackWithSidechannel", "SSHUploadPackWithSidechannel"}
PACK_THREADS = 2.5  # effective parallelism of git pack-objects delta search
GITALY_TIMEOUT_S = 55.0  # Default Gitaly call timeout (reference-data.md 2.3)
RACK_TIMEOUT_S = 60.0
STATEMENT_TIMEOUT_MS = 15000.0
REDIS_TIMEOUT_MS = 1000.0
NET_BYTES_PER_MS = 60_000.0
LOOSE_REF_MS = 0.1  # wall time per loose-ref file access


@dataclass(slots=True)
class GitalyCall:
    """One Gitaly RPC and what it cost."""

    method: GrpcMethod
    project: int
    client: str
    cid: str
    user: str
    start: float = 0.0
    cpu_ms: float = 0.0
    io_ops: float = 0.0
    real_ms: float = 0.0
    time_ms: float = 0.0
    spawn_wait_ms: float = 0.0
    queue_ms: float = 0.0
    code: str = "OK"
    dropped: str = ""
    response_bytes: int = 0
    fs_ms: float = 0.0


@dataclass(slots=True)
class Request:
    """One HTTP request handled by Rails (web or API), with its Workhorse view."""

    endpoint: Endpoint
    arrive: float
    cid: str
    user: str
    project: int
    path: str
    ua: str
    ip: str
    node: int = 0
    calls: list[GitalyCall] = field(default_factory=list)
    transfer: GitalyCall | None = None
    status: int = 200
    db_count: int = 0
    db_s: float = 0.0
    redis_calls: int = 0
    redis_s: float = 0.0
    gitaly_s: float = 0.0
    cpu_s: float = 0.0
    view_s: float = 0.0
    duration_s: float = 0.0
    queue_s: float = 0.0
    exception: tuple[str, str] | None = None
    worker: int = 0
    size: int = 0
    statements: list[SlowStatement] = field(default_factory=list)

    @property
    def end(self) -> float:
        """Seconds from the start when Rails finished the request."""
        return self.arrive + self.queue_s + self.duration_s


@dataclass(slots=True)
class Job:
    """One Sidekiq job from enqueue to completion."""

    worker: Worker
    enqueued: float
    cid: str
    project: int
    caller: str
    jid: str
    node: int = 0
    calls: list[GitalyCall] = field(default_factory=list)
    parent: Request | None = None
    wait_s: float = 0.0
    duration_s: float = 0.0
    cpu_s: float = 0.0
    db_s: float = 0.0
    db_count: int = 0
    redis_s: float = 0.0
    redis_calls: int = 0
    gitaly_s: float = 0.0
    error: tuple[str, str] | None = None
    statements: list[SlowStatement] = field(default_factory=list)

    @property
    def start(self) -> float:
        """Seconds from the start when a thread picked the job up."""
        return self.enqueued + self.wait_s


@dataclass(slots=True)
class ShellSession:
    """One Git-over-SSH command through gitlab-shell."""

    command: str
    arrive: float
    cid: str
    user: str
    project: int
    allowed: Request
    rpc: GitalyCall
    hooks: list[Request] = field(default_factory=list)


@dataclass(slots=True)
class SlowStatement:
    """One statement that ran past log_min_duration_statement (1 s)."""

    end: float
    duration_ms: float
    statement: str
    pid: int


@dataclass(slots=True)
class Traffic:
    """Everything one simulation produced, plus the per-host utilisation behind it."""

    scenario: Scenario
    topology: Topology
    start_s: float
    minutes: int
    loads: list[float]
    requests: list[Request]
    sessions: list[ShellSession]
    jobs: list[Job]
    statements: list[SlowStatement]
    cpu_util: list[list[float]]
    io_util: list[list[float]]
    io_op_ms: list[list[float]]


def ulid(ms: int, rng: random.Random) -> str:
    """Returns a ULID-shaped correlation id: 48-bit time, 80 random bits."""
    value = (ms << 80) | rng.getrandbits(80)
    chars = [ULID_ALPHABET[(value >> shift) & 31] for shift in range(125, -1, -5)]
    return "".join(chars)


class Simulation:
    """Draws, charges and realises the traffic of one scenario."""

    def __init__(
        self,
        scenario: Scenario,
        topology: Topology,
        start_s: float,
        hours: float,
        rate: float,
        seed: int,
    ) -> None:
        self.sc = scenario
        self.topo = topology
        self.start_s = start_s
        self.rate = rate
        self.rng = random.Random(seed)
        self.minutes = max(1, round(hours * 60))
        self.loads = minute_loads(start_s, self.minutes, self.rng)
        hosts = range(len(topology.hosts))
        self.cpu = [[0.0] * self.minutes for _ in hosts]
        self.io = [[0.0] * self.minutes for _ in hosts]
        self.requests: list[Request] = []
        self.sessions: list[ShellSession] = []
        self.jobs: list[Job] = []
        self.statements: list[SlowStatement] = []
        self._project_cum = list(accumulate(share for _, _, share in catalog.PROJECTS))
        self._web_cum = list(accumulate(e.weight for e in catalog.WEB))
        self._api_cum = list(accumulate(e.weight for e in catalog.API))
        self._job_cum = list(accumulate(w.weight for w in catalog.WORKERS))

    # -- drawing ---------------------------------------------------------------

    def run(self) -> Traffic:
        """Runs all phases and returns the traffic."""
        self._draw_rails("web", self.rate / 10, catalog.WEB, self._web_cum)
        self._draw_rails("api", self.rate, catalog.API, self._api_cum)
        self._draw_git()
        self._draw_storm()
        self._draw_background_jobs()
        util, io_util, op_ms = self._factors()
        self._realise_requests(util, op_ms)
        self._puma_queue()
        self._realise_sessions(util, op_ms)
        self._gitaly_limit()
        self._realise_jobs(util, op_ms)
        self.requests.sort(key=lambda r: r.arrive)
        return Traffic(
            self.sc,
            self.topo,
            self.start_s,
            self.minutes,
            self.loads,
            self.requests,
            self.sessions,
            self.jobs,
            self.statements,
            util,
            io_util,
            op_ms,
        )

    def _pick(self, cum: list[float]) -> int:
        return bisect(cum, self.rng.random() * cum[-1])

    def _project(self) -> int:
        return min(self._pick(self._project_cum), len(catalog.PROJECTS) - 1)

    def _user(self, kind: str) -> tuple[str, str, str]:
        """Returns (username, user agent, remote ip) for a caller of this kind."""
        rng = self.rng
        if kind == "runner":
            return "ci-bot", catalog.RUNNER_UA, f"10.0.8.{rng.randint(10, 40)}"
        index = rng.randrange(len(catalog.USERS) - 3)
        user = catalog.USERS[index]
        ip = f"198.51.100.{index + 10}" if index % 3 else f"203.0.113.{index + 10}"
        if kind == "web":
            return user, catalog.BROWSER_UA[index % 3], ip
        if kind == "git":
            return user, catalog.GIT_UA, ip
        return user, catalog.SCRIPT_UA[index % 3], ip

    def _cid(self, t: float) -> str:
        return ulid(int((self.start_s + t) * 1000), self.rng)

    def _request(
        self,
        endpoint: Endpoint,
        t: float,
        project: int | None = None,
        cid: str | None = None,
        caller: str | None = None,
    ) -> Request:
        """Draws one Rails request with its base costs and charges them."""
        rng = self.rng
        project = self._project() if project is None else project
        path_name, pid, _ = catalog.PROJECTS[project]
        kind = caller or ("runner" if "/jobs" in endpoint.path else endpoint.kind)
        user, ua, ip = self._user(kind)
        path = endpoint.path.format(
            p=path_name,
            pid=pid,
            n=rng.randint(1, 4000),
            f=rng.choice(catalog.FILES).replace(
                "/", "%2F" if endpoint.kind == "api" else "/"
            ),
            sha=f"{rng.getrandbits(160):040x}",
        )
        request = Request(endpoint, t, cid or self._cid(t), user, project, path, ua, ip)
        request.node = self.topo.rails_node(len(self.requests))
        request.calls = [
            self._call(GRPC[name], project, "gitlab-web", request.cid, user)
            for name in endpoint.gitaly
        ]
        request.db_count = max(1, round(endpoint.db_count * heavy(rng, 1.0, 0.3, 0)))
        request.redis_calls = max(
            1, round(endpoint.redis_calls * heavy(rng, 1, 0.3, 0))
        )
        request.cpu_s = endpoint.cpu_ms * heavy(rng, 1.0, 0.5, 0.01) / 1000
        self._charge_rails(request)
        self.requests.append(request)
        return request

    def _call(
        self, method: GrpcMethod, project: int, client: str, cid: str, user: str
    ) -> GitalyCall:
        """Draws one Gitaly call's CPU and IO demand."""
        call = GitalyCall(method, project, client, cid, user)
        call.cpu_ms = method.cpu_ms * heavy(self.rng, 1.0, 0.6, 0.01)
        call.io_ops = method.io_ops * heavy(self.rng, 1.0, 0.5, 0.01)
        name = catalog.PROJECTS[project][0]
        if method.ref_heavy and name == self.sc.unhoused_project:
            # Loose refs: thousands of small file opens, mostly served from the page
            # cache, so they cost wall time without loading the block device.
            call.fs_ms = call.io_ops * self.sc.unhoused_ref_factor * LOOSE_REF_MS
            call.cpu_ms *= 1 + self.sc.unhoused_ref_factor / 400
        if method.name in TRANSFERS and name == "acme/monorepo":
            call.cpu_ms *= 8
            call.io_ops *= 8
        return call

    def _charge_rails(self, request: Request) -> None:
        minute = min(int(request.arrive // 60), self.minutes - 1)
        self.cpu[self.topo.host_of("rails", request.node)][minute] += request.cpu_s
        db_cpu = request.db_count * self.sc.db_query_ms * self.sc.db_cpu_share / 1000
        self.cpu[self.topo.host_of("postgresql")][minute] += db_cpu
        for call in request.calls:
            self._charge_call(call, request.arrive)

    def _charge_call(self, call: GitalyCall, t: float) -> None:
        """Charges a call's CPU and IO, spread over the minutes its base run spans."""
        host = self.topo.host_of("gitaly")
        threads = PACK_THREADS if call.method.name in TRANSFERS else 1.0
        length = call.cpu_ms / threads / 1000
        minute = min(int(t // 60), self.minutes - 1)
        last = min(int((t + length) // 60), self.minutes - 1)
        share = 1.0 / (last - minute + 1)
        for index in range(minute, last + 1):
            self.cpu[host][index] += call.cpu_ms / 1000 * share
            self.io[host][index] += call.io_ops * share

    def _draw_rails(
        self, kind: str, rate: float, endpoints: tuple[Endpoint, ...], cum: list[float]
    ) -> None:
        for t in arrivals(self.rng, self.loads, rate):
            endpoint = endpoints[min(self._pick(cum), len(endpoints) - 1)]
            request = self._request(
                endpoint, t, caller=None if kind == "api" else "web"
            )
            for name in endpoint.enqueues:
                self._job(catalog.WORKERS_BY_NAME[name], request)

    def _draw_git(self) -> None:
        """Draws Git pulls (60 % HTTP, 40 % SSH) at rate/10 and SSH pushes at rate/50."""
        for t in arrivals(self.rng, self.loads, self.rate / 10):
            if self.rng.random() < 0.6:
                self._http_fetch(t, self._project())
            else:
                self._ssh_session("git-upload-pack", t, self._project())
        for t in arrivals(self.rng, self.loads, self.rate / 50):
            self._ssh_session("git-receive-pack", t, self._project())

    def _http_fetch(self, t: float, project: int, cpu_ms: float | None = None) -> None:
        """Draws info/refs then git-upload-pack, each its own request and id."""
        web = {e.name: e for e in catalog.WEB}
        self._request(
            web["Repositories::GitHttpController#info_refs"], t, project, caller="git"
        )
        post = self._request(
            web["Repositories::GitHttpController#git_upload_pack"],
            t + 0.05,
            project,
            caller="git",
        )
        method = GRPC["PostUploadPackWithSidechannel"]
        post.transfer = self._call(
            method, project, "gitlab-workhorse", post.cid, post.user
        )
        if cpu_ms is not None:
            post.transfer.cpu_ms = cpu_ms * heavy(self.rng, 1.0, 0.3, 0)
            post.transfer.io_ops *= cpu_ms / method.cpu_ms / 20
        self._charge_call(post.transfer, t)

    def _ssh_session(self, command: str, t: float, project: int) -> None:
        api = {e.name: e for e in catalog.API}
        cid = self._cid(t)
        allowed = self._request(
            api["/api/:version/internal/allowed"], t, project, cid, "git"
        )
        name = (
            "SSHReceivePack"
            if command == "git-receive-pack"
            else ("SSHUploadPackWithSidechannel")
        )
        rpc = self._call(GRPC[name], project, "gitlab-shell", cid, allowed.user)
        self._charge_call(rpc, t)
        session = ShellSession(command, t, cid, allowed.user, project, allowed, rpc)
        if command == "git-receive-pack":
            for route in ("pre_receive", "post_receive"):
                hook = self._request(
                    api[f"/api/:version/internal/{route}"], t + 0.3, project, cid, "git"
                )
                session.hooks.append(hook)
            self._push_jobs(session.hooks[-1])
        self.sessions.append(session)

    def _push_jobs(self, post_receive: Request) -> None:
        by_name = catalog.WORKERS_BY_NAME
        post = self._job(by_name["PostReceive"], post_receive)
        for name in (
            "ProcessCommitWorker",
            "MergeRequests::RefreshWorker",
            "CreatePipelineWorker",
        ):
            self._job(by_name[name], post_receive, after=post)

    def _draw_storm(self) -> None:
        storm = self.sc.clone_storm
        if storm is None:
            return
        project = next(
            i for i, p in enumerate(catalog.PROJECTS) if p[0] == storm.project
        )
        for t in arrivals(self.rng, self.loads, storm.pipelines_per_hour / 3600):
            for _ in range(storm.jobs_per_pipeline):
                start = t + self.rng.uniform(0, storm.spread_s)
                if start < self.minutes * 60:
                    self._http_fetch(start, project, storm.cpu_ms)

    # -- jobs --------------------------------------------------------------------

    def _job(
        self,
        worker: Worker,
        parent: Request | None,
        after: Job | None = None,
        t: float | None = None,
    ) -> Job:
        """Draws one Sidekiq job, enqueued by a request, another job or the scheduler."""
        rng = self.rng
        if parent is not None:
            cid, project = parent.cid, parent.project
            caller = (
                parent.endpoint.name
                if parent.endpoint.kind == "web"
                else (f"{parent.endpoint.method} {parent.endpoint.name}")
            )
            t = parent.arrive + 0.1
        else:
            cid, project, caller = f"{rng.getrandbits(128):032x}", self._project(), ""
            t = t or 0.0
        if after is not None:
            caller = after.worker.name
        job = Job(worker, t, cid, project, caller, f"{rng.getrandbits(96):024x}")
        job.node = self.topo.sidekiq_node(len(self.jobs))
        job.calls = [
            self._call(GRPC[n], project, "gitlab-sidekiq", cid, "")
            for n in worker.gitaly
        ]
        job.parent = parent
        job.db_count = max(1, round(worker.db_count * heavy(rng, 1.0, 0.4, 0)))
        job.redis_calls = max(2, round(job.db_count / 3))
        job.cpu_s = worker.cpu_ms * heavy(rng, 1.0, 0.6, 0.01) / 1000
        minute = min(int(t // 60), self.minutes - 1)
        self.cpu[self.topo.host_of("sidekiq", job.node)][minute] += job.cpu_s
        db_cpu = job.db_count * self.sc.db_query_ms * self.sc.db_cpu_share / 1000
        self.cpu[self.topo.host_of("postgresql")][minute] += db_cpu
        for call in job.calls:
            self._charge_call(call, t)
        self.jobs.append(job)
        return job

    def _draw_background_jobs(self) -> None:
        """Draws CI and housekeeping jobs (0.1 per API RPS) and per-minute cron jobs."""
        rate = self.rate * 0.1 * self.sc.job_factor
        for t in arrivals(self.rng, self.loads, rate):
            worker = catalog.WORKERS[
                min(self._pick(self._job_cum), len(catalog.WORKERS) - 1)
            ]
            self._job(worker, None, t=t)
        cron = [w for w in catalog.WORKERS if w.queue.startswith("cronjob:")]
        for minute in range(self.minutes):
            for worker in cron:
                self._job(worker, None, t=60.0 * minute + 0.02)

    # -- realising -----------------------------------------------------------------

    def _factors(
        self,
    ) -> tuple[list[list[float]], list[list[float]], list[list[float]]]:
        """Returns per host and minute: CPU utilisation, IO utilisation, IO op ms."""
        storage = self.sc.storage
        util, io_util, op_ms = [], [], []
        for index, host in enumerate(self.topo.hosts):
            base = self.sc.background_cpu * host.cpus * 60
            util.append([(c + base) / (60 * host.cpus) for c in self.cpu[index]])
            io_util.append([ops / (60 * storage.iops) for ops in self.io[index]])
            op_ms.append(
                [
                    storage.op_ms * wait_factor(u, storage.queue_depth)
                    for u in io_util[-1]
                ]
            )
        return util, io_util, op_ms

    def _cpu_factor(self, util: list[list[float]], host: int, t: float) -> float:
        minute = min(int(t // 60), self.minutes - 1)
        return wait_factor(util[host][minute], self.topo.hosts[host].cpus)

    def _realise_call(
        self, call: GitalyCall, util: list[list[float]], op_ms: list[list[float]]
    ) -> None:
        host = self.topo.host_of("gitaly")
        minute = min(int(call.start // 60), self.minutes - 1)
        cpu_f = wait_factor(util[host][minute], self.topo.hosts[host].cpus)
        threads = PACK_THREADS if call.method.name in TRANSFERS else 1.0
        io_ms = call.io_ops * op_ms[host][minute]
        call.spawn_wait_ms = heavy(self.rng, 0.02, 0.5, 0) * cpu_f**3
        call.real_ms = call.cpu_ms / threads * cpu_f + io_ms + call.spawn_wait_ms
        call.real_ms += call.fs_ms
        if call.method.name in TRANSFERS or call.method.name == "SSHReceivePack":
            call.response_bytes = int(call.cpu_ms * heavy(self.rng, 40_000, 0.5, 0))
            call.real_ms += call.response_bytes / NET_BYTES_PER_MS
        else:
            call.response_bytes = int(heavy(self.rng, 600, 1.0, 0.01))
        call.time_ms = call.real_ms + heavy(self.rng, 0.15, 0.5, 0)
        limit = GITALY_TIMEOUT_S * 1000
        if call.time_ms > limit and call.method.name not in TRANSFERS:
            call.time_ms, call.real_ms, call.code = (
                limit,
                limit - 0.5,
                "DeadlineExceeded",
            )

    def _redis(self, calls: int, t: float) -> tuple[float, bool]:
        """Returns (seconds spent in Redis, whether a call timed out).

        The sum of ``calls`` lognormal call times is drawn as one lognormal whose spread
        shrinks with the count; rare slow calls (0.5 %) come from a Pareto tail.
        """
        per_call = self.sc.redis_call_ms
        every = self.sc.redis_spike_every_min
        if every and (t % (every * 60)) < 20:
            per_call = self.sc.redis_spike_ms
        spread = 0.7 / math.sqrt(calls)
        total_ms = calls * per_call * 1.28 * heavy(self.rng, 1.0, spread, 0)
        timed_out = False
        for _ in range(poisson(self.rng, calls * 0.005)):
            ms = per_call * 4 * self.rng.paretovariate(1.6)
            if ms > REDIS_TIMEOUT_MS:
                ms, timed_out = REDIS_TIMEOUT_MS, True
            total_ms += ms
        return total_ms / 1000, timed_out

    def _database(
        self, count: int, t: float, owner: list[SlowStatement]
    ) -> tuple[float, bool]:
        """Returns (seconds in PostgreSQL, whether a statement timed out)."""
        util = self._db_util[min(int(t // 60), self.minutes - 1)]
        per_query = self.sc.db_query_ms * wait_factor(util, self._db_cpus)
        seconds = count * per_query * heavy(self.rng, 1.0, 0.35, 0.002) / 1000
        timed_out = False
        for _ in range(poisson(self.rng, count * self.sc.slow_query_share)):
            ms = 1000 * self.rng.paretovariate(2.2) * self.rng.uniform(1.0, 1.1)
            if ms > STATEMENT_TIMEOUT_MS:
                ms, timed_out = STATEMENT_TIMEOUT_MS, True
            seconds += ms / 1000
            statement = self.rng.choice(catalog.SLOW_STATEMENTS)
            pid = 40000 + self.rng.randrange(300)
            slow = SlowStatement(t + seconds, ms, statement, pid)
            self.statements.append(slow)
            owner.append(slow)
        return seconds, timed_out

    def _realise_requests(
        self, util: list[list[float]], op_ms: list[list[float]]
    ) -> None:
        pg = self.topo.host_of("postgresql")
        self._db_util = util[pg]
        self._db_cpus = self.topo.hosts[pg].cpus
        for request in self.requests:
            self._realise_request(request, util, op_ms)

    def _realise_request(
        self, req: Request, util: list[list[float]], op_ms: list[list[float]]
    ) -> None:
        rng, sc = self.rng, self.sc
        host = self.topo.host_of("rails", req.node)
        wall_cpu = req.cpu_s * self._cpu_factor(util, host, req.arrive)
        req.db_s, db_timeout = self._database(req.db_count, req.arrive, req.statements)
        req.redis_s, redis_timeout = self._redis(req.redis_calls, req.arrive)
        offset = req.arrive + wall_cpu * 0.3
        for call in req.calls:
            call.start = offset
            self._realise_call(call, util, op_ms)
            offset += call.time_ms / 1000
        req.gitaly_s = sum(call.time_ms for call in req.calls) / 1000
        other = heavy(rng, 0.002, 0.5, 0) + wall_cpu * 0.3
        if sc.stall_ms:
            load = self.loads[min(int(req.arrive // 60), self.minutes - 1)]
            other += heavy(rng, sc.stall_ms * load, 0.8) / 1000
        if sc.internal_api_ms and "/internal/" in req.endpoint.name:
            other += heavy(rng, sc.internal_api_ms, 0.5, 0.02) / 1000
        req.view_s = wall_cpu * 0.7
        req.duration_s = req.db_s + req.redis_s + req.gitaly_s + req.view_s + other
        self._status(req, db_timeout, redis_timeout)
        if req.transfer is not None:
            req.transfer.start = req.arrive + req.duration_s
            self._realise_call(req.transfer, util, op_ms)

    def _status(self, req: Request, db_timeout: bool, redis_timeout: bool) -> None:
        rng = self.rng
        req.status = req.endpoint.status
        req.size = int(req.endpoint.size * heavy(rng, 1.0, 0.4, 0))
        failed = next((c for c in req.calls if c.code != "OK"), None)
        if req.duration_s > RACK_TIMEOUT_S:
            req.duration_s = RACK_TIMEOUT_S + rng.uniform(0.0, 0.2)
            req.exception = (
                "Rack::Timeout::RequestTimeoutException",
                "Request ran for longer than 60000ms",
            )
        elif failed is not None:
            req.exception = (
                f"GRPC::{failed.code}",
                "4:Deadline Exceeded. debug_error_string:{grpc_status:4}",
            )
        elif db_timeout:
            req.exception = (
                "ActiveRecord::QueryCanceled",
                "PG::QueryCanceled: ERROR:  canceling statement due to "
                "statement timeout",
            )
        elif redis_timeout:
            req.exception = ("Redis::TimeoutError", "Connection timed out")
        elif req.endpoint.method == "GET" and rng.random() < 0.012:
            req.status, req.size = 404, 1300
        elif req.endpoint.kind == "api" and rng.random() < 0.004:
            req.status, req.size = 401, 30
        if req.exception is not None:
            req.status, req.size = 500, 1500

    def _puma_queue(self) -> None:
        """Runs each Rails node's FCFS queue of workers x threads slots."""
        slots = self.sc.puma_workers * self.sc.puma_threads
        for node in range(self.topo.rails_nodes):
            mine = sorted(
                (r for r in self.requests if r.node == node), key=lambda r: r.arrive
            )
            waits = fcfs_waits(
                (r.arrive for r in mine), (r.duration_s for r in mine), slots
            )
            for request, wait in zip(mine, waits, strict=True):
                request.queue_s = wait + heavy(self.rng, 0.002, 0.6, 0)
                request.worker = self.rng.randrange(self.sc.puma_workers)
                shift = request.queue_s
                for call in request.calls:
                    call.start += shift
                if request.transfer is not None:
                    request.transfer.start += shift
                for statement in request.statements:
                    statement.end += shift

    def _realise_sessions(
        self, util: list[list[float]], op_ms: list[list[float]]
    ) -> None:
        """Starts each SSH session's Git RPC once its /internal/allowed check is done."""
        for session in self.sessions:
            session.rpc.start = session.allowed.arrive + session.allowed.duration_s
            self._realise_call(session.rpc, util, op_ms)

    def _gitaly_limit(self) -> None:
        """Applies the per-repo upload-pack limit: queue, then drop by size or time."""
        limit = self.sc.gitaly_limit
        if limit is None:
            return
        transfers = [r.transfer for r in self.requests if r.transfer is not None]
        transfers += [s.rpc for s in self.sessions if s.rpc.method.name in TRANSFERS]
        transfers.sort(key=lambda c: c.start)
        for project in {c.project for c in transfers}:
            self._limit_repo([c for c in transfers if c.project == project], limit)

    def _limit_repo(self, calls: list[GitalyCall], limit: GitalyLimit) -> None:
        free_at = [0.0] * limit.max_per_repo
        waiting: list[float] = []
        for call in calls:
            waiting = [s for s in waiting if s > call.start]
            wait = max(0.0, free_at[0] - call.start)
            if len(waiting) >= limit.max_queue_size or wait > limit.max_queue_wait_s:
                dropped = (
                    "max_size" if len(waiting) >= limit.max_queue_size else "max_time"
                )
                queue_ms = (
                    0.0 if dropped == "max_size" else limit.max_queue_wait_s * 1000
                )
                call.code, call.dropped, call.queue_ms = (
                    "ResourceExhausted",
                    dropped,
                    queue_ms,
                )
                call.time_ms = queue_ms + heavy(self.rng, 0.3, 0.4, 0)
                call.cpu_ms = call.real_ms = 0.0
                call.response_bytes = 0
                continue
            heapq.heapreplace(free_at, call.start + wait + call.time_ms / 1000)
            if wait > 0:
                waiting.append(call.start + wait)
            call.queue_ms = wait * 1000
            call.time_ms += call.queue_ms

    def _realise_jobs(self, util: list[list[float]], op_ms: list[list[float]]) -> None:
        for job in self.jobs:
            if job.parent is not None:
                job.enqueued = job.parent.end + self.rng.uniform(0.001, 0.02)
        for job in self.jobs:
            if job.caller in catalog.WORKERS_BY_NAME and job.parent is not None:
                job.enqueued += 0.5  # enqueued by PostReceive once it ran
        self.jobs.sort(key=lambda j: j.enqueued)
        for job in self.jobs:
            self._realise_job(job, util, op_ms)
        slots = self.sc.sidekiq_processes * self.sc.sidekiq_concurrency
        for node in range(self.topo.sidekiq_nodes):
            mine = [j for j in self.jobs if j.node == node]
            waits = fcfs_waits(
                (j.enqueued for j in mine), (j.duration_s for j in mine), slots
            )
            for job, wait in zip(mine, waits, strict=True):
                job.wait_s = wait + heavy(self.rng, 0.006, 0.6, 0)
                for call in job.calls:
                    call.start += job.wait_s
                for statement in job.statements:
                    statement.end += job.wait_s

    def _realise_job(
        self, job: Job, util: list[list[float]], op_ms: list[list[float]]
    ) -> None:
        rng, sc = self.rng, self.sc
        host = self.topo.host_of("sidekiq", job.node)
        wall_cpu = job.cpu_s * self._cpu_factor(util, host, job.enqueued)
        job.db_s, db_timeout = self._database(
            job.db_count, job.enqueued, job.statements
        )
        job.redis_s, redis_timeout = self._redis(job.redis_calls, job.enqueued)
        offset = job.enqueued + wall_cpu * 0.2
        for call in job.calls:
            call.start = offset
            self._realise_call(call, util, op_ms)
            offset += call.time_ms / 1000
        job.gitaly_s = sum(call.time_ms for call in job.calls) / 1000
        other = heavy(rng, job.worker.extra_ms, 0.7, 0.01) / 1000
        if sc.stall_ms:
            other += heavy(rng, sc.stall_ms * 2, 0.8) / 1000
        job.duration_s = wall_cpu + job.db_s + job.redis_s + job.gitaly_s + other
        if db_timeout:
            job.error = (
                "ActiveRecord::QueryCanceled",
                "PG::QueryCanceled: ERROR:  canceling statement due to "
                "statement timeout",
            )
        elif redis_timeout:
            job.error = ("Redis::TimeoutError", "Connection timed out")
