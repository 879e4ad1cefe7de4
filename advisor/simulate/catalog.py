"""Names the simulated instance uses: endpoints, gRPC methods, workers, projects, users.

Costs are medians for a healthy, correctly sized node, chosen so that simulated P90s
fall in the healthy bands of reference-data.md section 4.4 (simple API reads 30-100 ms,
list APIs 150-700 ms, web pages 200-300 ms, heavy pages 1.5-4.5 s).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One Rails endpoint: a controller action (web) or a Grape route (api)."""

    kind: str
    method: str
    name: str
    path: str
    weight: float
    cpu_ms: float
    db_count: int
    redis_calls: int
    gitaly: tuple[str, ...] = ()
    urgency: str = "default"
    category: str = "projects"
    status: int = 200
    size: int = 4000
    writes: int = 0
    enqueues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GrpcMethod:
    """One Gitaly RPC with its median CPU and storage cost per call."""

    service: str
    name: str
    cpu_ms: float
    io_ops: float
    streaming: bool = False
    spawns_git: bool = True
    ref_heavy: bool = False
    operation: str = "accessor"


@dataclass(frozen=True, slots=True)
class Worker:
    """One Sidekiq worker class with its urgency and median cost."""

    name: str
    queue: str
    weight: float
    cpu_ms: float
    db_count: int
    urgency: str = "low"
    category: str = "continuous_integration"
    gitaly: tuple[str, ...] = ()
    extra_ms: float = 250.0


WEB = (
    Endpoint("web", "GET", "ProjectsController#show", "/{p}", 14, 140, 45, 60,
             ("FindDefaultBranchName", "FindCommit", "GetTreeEntries", "HasLocalBranches",
              "FindCommit", "CommitLanguages")),
    Endpoint("web", "GET", "Projects::MergeRequestsController#show",
             "/{p}/-/merge_requests/{n}", 10, 420, 110, 90,
             ("FindCommit", "FindCommit", "ListCommitsByOid", "FindCommit", "RefExists",
              "FindCommit", "GetBlobs"), urgency="low", category="code_review_workflow"),
    Endpoint("web", "GET", "Projects::MergeRequestsController#index",
             "/{p}/-/merge_requests", 8, 150, 40, 40, urgency="low",
             category="code_review_workflow"),
    Endpoint("web", "GET", "Projects::IssuesController#index", "/{p}/-/issues", 8, 130,
             38, 35, category="team_planning"),
    Endpoint("web", "GET", "Projects::IssuesController#show", "/{p}/-/issues/{n}", 8,
             120, 42, 40, category="team_planning"),
    Endpoint("web", "GET", "Projects::PipelinesController#index", "/{p}/-/pipelines", 7,
             110, 35, 30, ("FindCommit",), category="continuous_integration"),
    Endpoint("web", "GET", "Projects::BlobController#show", "/{p}/-/blob/main/{f}", 7,
             120, 25, 30, ("FindCommit", "TreeEntry", "GetBlob", "ListLastCommitsForTree"),
             category="source_code_management"),
    Endpoint("web", "GET", "Projects::TreeController#show", "/{p}/-/tree/main", 6, 110,
             25, 30, ("FindCommit", "GetTreeEntries", "ListLastCommitsForTree"),
             category="source_code_management"),
    Endpoint("web", "GET", "Projects::BranchesController#index", "/{p}/-/branches", 3,
             90, 20, 20, ("FindLocalBranches", "FindDefaultBranchName", "ListRefs"),
             category="source_code_management"),
    Endpoint("web", "GET", "Projects::CommitController#show", "/{p}/-/commit/{sha}", 3,
             700, 40, 30, ("FindCommit", "CommitDiff", "CommitStats",
                           "ListTagNamesContainingCommit", "ListBranchNamesContainingCommit"),
             urgency="low", category="source_code_management"),
    Endpoint("web", "GET", "Projects::BlameController#show", "/{p}/-/blame/main/{f}", 1,
             1500, 30, 20, ("FindCommit", "RawBlame"), urgency="low",
             category="source_code_management"),
    Endpoint("web", "GET", "DashboardController#merge_requests", "/dashboard/merge_requests",
             5, 120, 30, 30, category="code_review_workflow"),
    Endpoint("web", "GET", "RootController#index", "/", 6, 90, 30, 45,
             category="groups_and_projects"),
    Endpoint("web", "POST", "Projects::NotesController#create", "/{p}/notes", 3, 160, 60,
             30, urgency="low", category="team_planning", status=200, writes=8,
             enqueues=("NewNoteWorker",)),
    Endpoint("web", "GET", "Repositories::GitHttpController#info_refs",
             "/{p}.git/info/refs", 0, 25, 8, 6, ("InfoRefsUploadPack",),
             urgency="low", category="source_code_management"),
    Endpoint("web", "POST", "Repositories::GitHttpController#git_upload_pack",
             "/{p}.git/git-upload-pack", 0, 20, 8, 6, urgency="low",
             category="source_code_management"),
    Endpoint("web", "GET", "HealthController#readiness", "/-/readiness", 2, 3, 1, 1,
             urgency="default", category="not_owned", size=90),
)  # fmt: skip

API = (
    Endpoint("api", "POST", "/api/:version/jobs/request", "/api/v4/jobs/request", 30, 12,
             8, 6, urgency="low", category="continuous_integration", status=204, size=0),
    Endpoint("api", "PUT", "/api/:version/jobs/:id", "/api/v4/jobs/{n}", 8, 30, 14, 8,
             urgency="low", category="continuous_integration", writes=4,
             enqueues=("BuildFinishedWorker", "PipelineProcessWorker")),
    Endpoint("api", "PATCH", "/api/:version/jobs/:id/trace", "/api/v4/jobs/{n}/trace",
             14, 10, 6, 8, urgency="low", category="continuous_integration", status=202,
             size=0, writes=1),
    Endpoint("api", "POST", "/api/:version/jobs/:id/artifacts",
             "/api/v4/jobs/{n}/artifacts", 2, 40, 18, 6, urgency="low",
             category="build_artifacts", status=201, writes=3),
    Endpoint("api", "GET", "/api/:version/projects/:id", "/api/v4/projects/{pid}", 6, 30,
             18, 12, ("FindDefaultBranchName",), category="groups_and_projects"),
    Endpoint("api", "GET", "/api/:version/projects", "/api/v4/projects", 3, 140, 55, 30,
             urgency="low", category="groups_and_projects", size=40000),
    Endpoint("api", "GET", "/api/:version/projects/:id/merge_requests",
             "/api/v4/projects/{pid}/merge_requests", 4, 90, 35, 20,
             urgency="low", category="code_review_workflow", size=20000),
    Endpoint("api", "GET", "/api/:version/projects/:id/issues",
             "/api/v4/projects/{pid}/issues", 3, 70, 30, 18, category="team_planning",
             size=18000),
    Endpoint("api", "GET", "/api/:version/projects/:id/pipelines",
             "/api/v4/projects/{pid}/pipelines", 4, 35, 12, 8,
             category="continuous_integration"),
    Endpoint("api", "GET", "/api/:version/projects/:id/repository/commits",
             "/api/v4/projects/{pid}/repository/commits", 2, 20, 8, 6,
             ("FindCommits",), category="source_code_management"),
    Endpoint("api", "GET", "/api/:version/projects/:id/repository/tree",
             "/api/v4/projects/{pid}/repository/tree", 2, 15, 6, 6, ("GetTreeEntries",),
             category="source_code_management"),
    Endpoint("api", "GET", "/api/:version/projects/:id/repository/files/:file_path/raw",
             "/api/v4/projects/{pid}/repository/files/{f}/raw", 2, 15, 6, 6,
             ("TreeEntry",), category="source_code_management"),
    Endpoint("api", "GET", "/api/:version/projects/:id/repository/branches",
             "/api/v4/projects/{pid}/repository/branches", 2, 30, 8, 6,
             ("FindAllBranches", "FindDefaultBranchName"),
             category="source_code_management"),
    Endpoint("api", "GET", "/api/:version/user", "/api/v4/user", 5, 8, 4, 4,
             category="user_profile", size=900),
    Endpoint("api", "GET", "/api/:version/groups", "/api/v4/groups", 2, 40, 20, 10,
             category="groups_and_projects", size=9000),
    Endpoint("api", "POST", "/api/:version/internal/allowed",
             "/api/v4/internal/allowed", 0, 25, 14, 10, ("HasLocalBranches",),
             urgency="high", category="source_code_management", size=600),
    Endpoint("api", "POST", "/api/:version/internal/pre_receive",
             "/api/v4/internal/pre_receive", 0, 8, 4, 4, urgency="high",
             category="source_code_management", size=40),
    Endpoint("api", "POST", "/api/:version/internal/post_receive",
             "/api/v4/internal/post_receive", 0, 30, 12, 12, urgency="high",
             category="source_code_management", size=300, enqueues=("PostReceive",)),
)  # fmt: skip

GRPC = {
    method.name: method
    for method in (
        GrpcMethod("gitaly.RefService", "FindDefaultBranchName", 1.5, 2, ref_heavy=True),
        GrpcMethod("gitaly.RefService", "FindLocalBranches", 6, 8, True, ref_heavy=True),
        GrpcMethod("gitaly.RefService", "FindAllBranches", 6, 8, True, ref_heavy=True),
        GrpcMethod("gitaly.RefService", "RefExists", 1.5, 2, ref_heavy=True),
        GrpcMethod("gitaly.RefService", "ListRefs", 5, 8, True, ref_heavy=True),
        GrpcMethod("gitaly.RefService", "ListTagNamesContainingCommit", 12, 10, True,
                   ref_heavy=True),
        GrpcMethod("gitaly.RefService", "ListBranchNamesContainingCommit", 10, 10, True,
                   ref_heavy=True),
        GrpcMethod("gitaly.RepositoryService", "HasLocalBranches", 1, 2, ref_heavy=True),
        GrpcMethod("gitaly.RepositoryService", "RepositoryExists", 0.1, 1, False, False),
        GrpcMethod("gitaly.CommitService", "FindCommit", 1.5, 3),
        GrpcMethod("gitaly.CommitService", "FindCommits", 8, 12, True),
        GrpcMethod("gitaly.CommitService", "ListCommitsByOid", 3, 6, True),
        GrpcMethod("gitaly.CommitService", "ListCommits", 6, 8, True),
        GrpcMethod("gitaly.CommitService", "TreeEntry", 2, 4, True),
        GrpcMethod("gitaly.CommitService", "GetTreeEntries", 3, 6, True),
        GrpcMethod("gitaly.CommitService", "ListLastCommitsForTree", 25, 30, True),
        GrpcMethod("gitaly.CommitService", "CommitStats", 15, 12),
        GrpcMethod("gitaly.CommitService", "CommitLanguages", 8, 10),
        GrpcMethod("gitaly.CommitService", "RawBlame", 400, 120, True),
        GrpcMethod("gitaly.BlobService", "GetBlob", 1.5, 3, True),
        GrpcMethod("gitaly.BlobService", "GetBlobs", 3, 6, True),
        GrpcMethod("gitaly.DiffService", "CommitDiff", 30, 25, True),
        GrpcMethod("gitaly.SmartHTTPService", "InfoRefsUploadPack", 3, 4, True),
        GrpcMethod("gitaly.SmartHTTPService", "PostUploadPackWithSidechannel", 60, 40),
        GrpcMethod("gitaly.SSHService", "SSHUploadPackWithSidechannel", 60, 40, True),
        GrpcMethod("gitaly.SSHService", "SSHReceivePack", 120, 80, True,
                   operation="mutator"),
        GrpcMethod("gitaly.HookService", "PackObjectsHookWithSidechannel", 50, 30),
        GrpcMethod("gitaly.RepositoryService", "OptimizeRepository", 800, 600,
                   operation="maintenance"),
    )
}  # fmt: skip

WORKERS = (
    Worker("PipelineProcessWorker", "pipeline_processing:pipeline_process", 10, 60, 40,
           urgency="high"),
    Worker("BuildFinishedWorker", "pipeline_processing:build_finished", 8, 50, 30,
           urgency="high"),
    Worker("BuildQueueWorker", "pipeline_processing:build_queue", 6, 25, 15),
    Worker("ExpireJobCacheWorker", "pipeline_cache:expire_job_cache", 8, 10, 6,
           urgency="high"),
    Worker("ExpirePipelineCacheWorker", "pipeline_cache:expire_pipeline_cache", 6, 15, 8,
           urgency="high"),
    Worker("ArchiveTraceWorker", "pipeline_background:archive_trace", 5, 40, 12),
    Worker("BuildHooksWorker", "pipeline_hooks:build_hooks", 6, 12, 6),
    Worker("PipelineHooksWorker", "pipeline_hooks:pipeline_hooks", 3, 15, 8),
    Worker("Ci::BuildPrepareWorker", "pipeline_processing:ci_build_prepare", 3, 20, 10),
    Worker("PostReceive", "post_receive", 0, 120, 60, "low", "source_code_management",
           ("FindCommit", "ListCommits", "FindDefaultBranchName"), 400),
    Worker("ProcessCommitWorker", "process_commit", 0, 40, 20, "low",
           "source_code_management", ("FindCommit",)),
    Worker("MergeRequests::RefreshWorker", "merge_requests_refresh", 0, 300, 150, "low",
           "code_review_workflow", ("ListCommitsByOid", "FindCommit", "RefExists"), 600),
    Worker("CreatePipelineWorker", "pipeline_creation:create_pipeline", 0, 250, 120,
           "high", gitaly=("TreeEntry", "FindCommit", "ListCommitsByOid"), extra_ms=500),
    Worker("NewNoteWorker", "new_note", 0, 60, 30, "low", "team_planning"),
    Worker("ActionMailer::MailDeliveryJob", "mailers", 2, 60, 6, "low", "team_planning",
           extra_ms=600),
    Worker("ProjectCacheWorker", "project_cache", 2, 30, 10, "low",
           "source_code_management", ("CommitLanguages",)),
    Worker("AuthorizedProjectsWorker", "authorized_projects", 1, 90, 60, "high",
           "permissions"),
    Worker("Namespaces::ScheduleAggregationWorker",
           "cronjob:namespaces_schedule_aggregation", 1, 15, 8, "low",
           "consumables_cost_management"),
    Worker("UserStatusCleanup::BatchWorker", "cronjob:user_status_cleanup_batch", 2, 8,
           3, "low", "users"),
    Worker("ScheduleMergeRequestCleanupRefsWorker",
           "cronjob:schedule_merge_request_cleanup_refs", 2, 10, 4, "low",
           "code_review_workflow"),
    Worker("Projects::GitGarbageCollectWorker", "git_garbage_collect", 0, 100, 20, "low",
           "source_code_management", ("OptimizeRepository",)),
)  # fmt: skip

WORKERS_BY_NAME = {worker.name: worker for worker in WORKERS}

#: (path, project id, share of traffic). ``acme/monorepo`` is the large repository the
#: clone scenarios fetch; ``imports/legacy-app`` the one whose refs housekeeping misses.
PROJECTS = (
    ("acme/widgets", 12, 0.22),
    ("acme/monorepo", 77, 0.14),
    ("acme/docs", 31, 0.08),
    ("platform/api-gateway", 45, 0.10),
    ("platform/infra", 52, 0.07),
    ("mobile/ios-app", 63, 0.07),
    ("mobile/android-app", 64, 0.07),
    ("data/pipelines", 88, 0.06),
    ("imports/legacy-app", 101, 0.08),
    ("jdoe/dotfiles", 140, 0.03),
    ("tools/ci-templates", 9, 0.08),
)

USERS = tuple(f"user{n}" for n in range(101, 161)) + ("ci-bot", "deploy-bot", "root")

FILES = ("README.md", "app/models/user.rb", "src/main.go", "lib/client.py",
         "package.json", "docs/index.md", "Makefile", "config/settings.yml")  # fmt: skip

BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
)
RUNNER_UA = "gitlab-runner 16.11.0 (16-11-stable; go1.21.9; linux/amd64)"
SCRIPT_UA = ("python-requests/2.31.0", "curl/8.5.0", "Go-http-client/1.1")
GIT_UA = "git/2.44.0"

#: Statements that show up in the slow-query log; CI tables dominate (slowdown 6).
SLOW_STATEMENTS = (
    'SELECT "ci_builds".* FROM "ci_builds" WHERE "ci_builds"."type" = $1 AND '
    '"ci_builds"."commit_id" = $2 AND "ci_builds"."status" IN ($3, $4) ORDER BY '
    '"ci_builds"."id" ASC',
    'SELECT "ci_job_artifacts".* FROM "ci_job_artifacts" WHERE '
    '"ci_job_artifacts"."job_id" = $1 AND "ci_job_artifacts"."file_type" = $2 LIMIT $3',
    'SELECT "ci_pipelines".* FROM "ci_pipelines" WHERE "ci_pipelines"."project_id" = '
    '$1 AND "ci_pipelines"."ref" = $2 ORDER BY "ci_pipelines"."id" DESC LIMIT $3',
    'SELECT COUNT(*) FROM "merge_requests" WHERE "merge_requests"."target_project_id" '
    '= $1 AND "merge_requests"."state_id" = $2',
    'SELECT "ci_build_trace_chunks".* FROM "ci_build_trace_chunks" WHERE '
    '"ci_build_trace_chunks"."build_id" = $1 ORDER BY "ci_build_trace_chunks"."chunk_index"',
    'UPDATE "ci_builds" SET "status" = $1, "finished_at" = $2, "updated_at" = $3 WHERE '
    '"ci_builds"."id" = $4',
    'SELECT "notes".* FROM "notes" WHERE "notes"."noteable_type" = $1 AND '
    '"notes"."noteable_id" = $2 ORDER BY "notes"."id" ASC',
    'SELECT "events".* FROM "events" WHERE "events"."project_id" = $1 ORDER BY '
    '"events"."id" DESC LIMIT $2',
)
