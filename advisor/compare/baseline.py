"""Baselines: built-in YAML packs and recorded environments, validated on load.

Four types share one loader: ``targets`` (GitLab's documented objectives),
``published`` (published GitLab Performance Tool results), ``architectures``
(reference architecture sizes) and ``recorded`` (statistics of an environment written
by ``advisor baseline create``). Built-in baselines live in ``baselines/``; recorded
ones in the user data folder (``ADVISOR_DATA_DIR`` overrides it).
"""

from __future__ import annotations

import difflib
import json
import logging
import os
import re
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from advisor.compare.components import Metric
from advisor.errors import InputError, UsageError
from advisor.resources import pack_dir

log = logging.getLogger(__name__)

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
SUFFIXES = (".yaml", ".yml", ".json")
KIND_NAMES = Literal["production", "api", "gitaly", "sidekiq", "shell", "postgres"]
Percentile = Literal["p50", "p90", "p95", "p99"]


class BaselineError(InputError):
    """A baseline is unknown, unreadable or does not match its schema."""

    title = "baseline error"


class Strict(BaseModel):
    """A model that rejects unknown fields, so typos are reported, not ignored."""

    model_config = ConfigDict(extra="forbid")


class Provenance(Strict):
    """Where a baseline's numbers come from."""

    sources: list[str] = Field(min_length=1)
    """URLs or documents the numbers were taken from."""
    date: date
    """When the numbers were published or recorded."""
    gitlab_version: str
    environment: str
    """What was measured: an environment, a test run, or 'documented objectives'."""
    notes: str = ""


class SketchData(Strict):
    """A stored ``advisor.stats.sketch.Sketch``: dense counts from bucket ``start``."""

    accuracy: float = Field(gt=0, lt=1)
    zeros: int = Field(ge=0)
    start: int
    counts: list[int]


class KeyRecord(Strict):
    """The recorded statistics of one key and metric."""

    kind: KIND_NAMES
    key: str
    metric: Metric = "duration"
    count: int = Field(ge=1)
    failed: int = Field(default=0, ge=0)
    """Events that failed (the kind's failure rule, as in ``advisor stats``)."""
    rps: float | None = None
    mean_ms: float = Field(ge=0)
    p50_ms: float = Field(ge=0)
    p95_ms: float = Field(ge=0)
    p99_ms: float = Field(ge=0)
    sketch: SketchData


class RecordedBaseline(Strict):
    """Statistics of one environment, recorded from its logs."""

    type: Literal["recorded"]
    name: str
    description: str = ""
    provenance: Provenance
    span_s: float | None = None
    keys: list[KeyRecord]


class Urgency(Strict):
    """Rails request targets per urgency, in ms."""

    high: float = Field(gt=0)
    medium: float = Field(gt=0)
    default: float = Field(gt=0)
    low: float = Field(gt=0)


class EndpointClass(Strict):
    """Keys matching a glob get an urgency (first match wins)."""

    match: str
    urgency: Literal["high", "medium", "default", "low"]


class SidekiqTarget(Strict):
    """Queue (scheduling) and execution targets of one Sidekiq urgency, in ms."""

    queue_ms: float | None = Field(default=None, gt=0)
    execution_ms: float = Field(gt=0)


class SidekiqUrgency(Strict):
    """Sidekiq targets per worker urgency."""

    high: SidekiqTarget
    low: SidekiqTarget
    throttled: SidekiqTarget


class WorkerClass(Strict):
    """Workers matching a glob get an urgency (first match wins; default low)."""

    match: str
    urgency: Literal["high", "low", "throttled"]


class GitalyTimeouts(Strict):
    """Gitaly call timeouts (Admin > Settings > Preferences), in ms."""

    default: float = Field(gt=0)
    medium: float = Field(gt=0)
    fast: float = Field(gt=0)


class GitalyClass(Strict):
    """RPCs matching a glob get a timeout class (first match wins)."""

    match: str
    timeout: Literal["default", "medium", "fast"]


class TargetsBaseline(Strict):
    """GitLab's documented targets: thresholds, not distributions."""

    type: Literal["targets"]
    name: str
    description: str = ""
    provenance: Provenance
    percentile: Percentile = "p95"
    request_urgency: Urgency
    endpoints: list[EndpointClass] = []
    sidekiq_urgency: SidekiqUrgency
    workers: list[WorkerClass] = []
    gitaly_timeouts: GitalyTimeouts
    gitaly_default: Literal["default", "medium", "fast"] = "medium"
    gitaly_methods: list[GitalyClass] = []

    def target(self, kind: str, key: str, metric: str) -> tuple[float, str] | None:
        """The target in ms for a key's metric and what it is, or None if none."""
        if kind in ("production", "api") and metric == "duration":
            urgency = _first(self.endpoints, key, "default")
            value = getattr(self.request_urgency, urgency)
            return value, f"request urgency {urgency}"
        if kind == "sidekiq" and metric in ("duration", "queue"):
            urgency = _first(self.workers, key, "low")
            target = getattr(self.sidekiq_urgency, urgency)
            value = target.execution_ms if metric == "duration" else target.queue_ms
            what = "execution" if metric == "duration" else "queue"
            return (value, f"sidekiq {urgency} {what}") if value else None
        if kind == "gitaly" and metric == "duration":
            timeout = _first(self.gitaly_methods, key, self.gitaly_default)
            return getattr(self.gitaly_timeouts, timeout), f"gitaly {timeout} timeout"
        return None


def _first(classes: list[Any], key: str, default: str) -> str:
    for entry in classes:
        if fnmatchcase(key, entry.match):
            value = getattr(entry, "urgency", None) or entry.timeout
            return str(value)
    return default


class PublishedTest(Strict):
    """One published GPT test result mapped to the log key it exercises."""

    test: str
    kind: KIND_NAMES
    key: str
    rps: float | None = None
    ttfb_avg_ms: float | None = None
    ttfb_p90_ms: float = Field(gt=0)
    threshold_ms: float | None = None


class PublishedBaseline(Strict):
    """Published GitLab Performance Tool results for a reference architecture."""

    type: Literal["published"]
    name: str
    description: str = ""
    provenance: Provenance
    percentile: Percentile = "p90"
    score_pct: float | None = None
    tests: list[PublishedTest]

    def lookup(self, kind: str, key: str) -> PublishedTest | None:
        """The test mapped to a key, if any."""
        for test in self.tests:
            if test.kind == kind and test.key == key:
                return test
        return None


class RoleSize(Strict):
    """Nodes of one role and the size of each."""

    nodes: int = Field(ge=1)
    vcpu: float = Field(gt=0)
    ram_gb: float = Field(gt=0)


class Rps(Strict):
    """Peak request-rate targets of one size."""

    total: float
    api: float
    web: float
    git_pull: float
    git_push: float


class Architecture(Strict):
    """One reference architecture size."""

    name: str
    users: int
    load_category: str
    rps: Rps
    roles: dict[str, RoleSize]


class ArchitecturesBaseline(Strict):
    """Reference architecture sizes and their RPS targets."""

    type: Literal["architectures"]
    name: str
    description: str = ""
    provenance: Provenance
    sizes: list[Architecture]


Baseline = Annotated[
    RecordedBaseline | TargetsBaseline | PublishedBaseline | ArchitecturesBaseline,
    Field(discriminator="type"),
]
ADAPTER: TypeAdapter[Baseline] = TypeAdapter(Baseline)


def data_dir() -> Path:
    """The folder holding recorded baselines (``ADVISOR_DATA_DIR`` overrides)."""
    override = os.environ.get("ADVISOR_DATA_DIR")
    if override:
        return Path(override).expanduser() / "baselines"
    from platformdirs import user_data_dir

    return Path(user_data_dir("gitlab-perf-advisor")) / "baselines"


def _files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {
        path.stem: path
        for path in sorted(folder.iterdir())
        if path.suffix in SUFFIXES and path.is_file()
    }


def builtin() -> dict[str, Path]:
    """Built-in baseline names and files."""
    return _files(pack_dir("baselines"))


def recorded() -> dict[str, Path]:
    """Recorded (user) baseline names and files."""
    return _files(data_dir())


def available() -> list[str]:
    """Names of every baseline: built-in first, then recorded ones."""
    return list(builtin()) + [name for name in recorded() if name not in builtin()]


def find(name: str) -> Path:
    """The file of a baseline name (or a path to a baseline file)."""
    files = {**recorded(), **builtin()}
    if name in files:
        return files[name]
    path = Path(name).expanduser()
    if path.suffix in SUFFIXES and path.is_file():
        return path
    close = difflib.get_close_matches(name, list(files), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise BaselineError(
        f"unknown baseline {name!r}.{hint}",
        fix=f"Available: {', '.join(available()) or 'none'}; "
        "record one with 'advisor baseline create PATH... --name NAME'.",
    )


def load_baseline(name: str) -> Baseline:
    """Loads and validates a baseline by name (or path)."""
    path = find(name)
    return read(path)


def read(path: Path) -> Baseline:
    """Reads and validates one baseline file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(
            f"cannot read baseline file {str(path)!r}: {error}.",
            fix="Check the file's permissions and encoding (UTF-8).",
        ) from None
    data = _parse(path, text)
    try:
        return ADAPTER.validate_python(data)
    except ValidationError as error:
        raise BaselineError(_explain(path, data, error), fix=_fix(path)) from None


def _parse(path: Path, text: str) -> Any:
    import yaml

    try:
        if path.suffix == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        where = " ".join(str(error).split())[:200]
        raise BaselineError(
            f"baseline file {str(path)!r} is not valid {path.suffix[1:].upper()}: "
            f"{where}.",
            fix=_fix(path),
        ) from None


def _fix(path: Path) -> str:
    if path.parent == data_dir():
        return f"Record it again with 'advisor baseline create' or delete {path}."
    return "Correct the file; docs/scoring.md describes the baseline format."


def _explain(path: Path, data: Any, error: ValidationError) -> str:
    """One sentence per problem (at most three): key path, bad value, what is allowed."""
    parts = []
    for item in error.errors(include_url=False)[:3]:
        loc = ".".join(str(p) for p in item["loc"])
        bad = item.get("input")
        text = f"at {loc or '(top)'}: {item['msg']}"
        if item["type"] not in ("missing",) and not isinstance(bad, dict | list):
            text += f" (got {bad!r})"
        text += _allowed(item, data)
        parts.append(text)
    more = len(error.errors()) - len(parts)
    tail = f"; and {more} more" if more > 0 else ""
    return f"baseline file {str(path)!r} is invalid: {'; '.join(parts)}{tail}."


def _allowed(item: Any, data: Any) -> str:
    """Allowed values and a 'did you mean' for bad literals and unknown fields."""
    kind = item["type"]
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", item["ctx"]["expected"])
        close = difflib.get_close_matches(str(item.get("input")), expected, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"; allowed: {', '.join(expected)}{hint}"
    if kind == "union_tag_invalid":
        return "; allowed types: recorded, targets, published, architectures"
    if kind == "extra_forbidden":
        field = str(item["loc"][-1])
        known = _known_fields(item["loc"][:-1], data)
        close = difflib.get_close_matches(field, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"; allowed: {', '.join(known)}{hint}" if known else hint
    return ""


def _known_fields(loc: tuple[Any, ...], data: Any) -> list[str]:
    """Field names allowed at a location, by walking the models along ``loc``."""
    kind = data.get("type") if isinstance(data, dict) else None
    models = {
        "recorded": RecordedBaseline,
        "targets": TargetsBaseline,
        "published": PublishedBaseline,
        "architectures": ArchitecturesBaseline,
    }
    model: Any = models.get(str(kind))
    for part in loc[1:] if loc and loc[0] == kind else loc:
        if model is None or isinstance(part, int):
            continue
        field = model.model_fields.get(str(part)) if _is_model(model) else None
        model = _inner_model(field.annotation) if field else None
    return list(model.model_fields) if _is_model(model) else []


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _inner_model(annotation: Any) -> Any:
    if _is_model(annotation):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def check_name(name: str) -> str:
    """Validates a name for a recorded baseline."""
    if not NAME.match(name):
        raise UsageError(
            f"--name {name!r} is not a usable baseline name.",
            fix="Use letters, digits, '.', '_' or '-', starting with a letter or digit "
            "(at most 64).",
        )
    if name in builtin():
        raise UsageError(
            f"--name {name!r} is a built-in baseline.",
            fix="Choose another name.",
        )
    return name


def save(baseline: RecordedBaseline, replace: bool = False) -> Path:
    """Writes a recorded baseline into the data folder; returns its path.

    An existing recording of the same name is kept unless ``replace`` is set.
    """
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{check_name(baseline.name)}.json"
    if path.exists() and not replace:
        raise BaselineError(
            f"a baseline named {baseline.name!r} is recorded already ({path}).",
            fix="Choose another --name, or pass --force to replace it.",
        )
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(baseline.model_dump_json(exclude_none=False), encoding="utf-8")
    tmp.replace(path)
    log.info("saved baseline %s to %s", baseline.name, path)
    return path


def summary(name: str, baseline: Baseline) -> str:
    """One line describing a baseline."""
    origin = "recorded" if baseline.type == "recorded" else "built-in"
    if isinstance(baseline, RecordedBaseline):
        detail = f"{len(baseline.keys)} keys"
    elif isinstance(baseline, PublishedBaseline):
        detail = f"{len(baseline.tests)} GPT tests, {baseline.percentile}"
    elif isinstance(baseline, ArchitecturesBaseline):
        detail = f"{len(baseline.sizes)} sizes"
    else:
        detail = f"thresholds on {baseline.percentile}"
    when = baseline.provenance.date.isoformat()
    kind = baseline.type if baseline.type == origin else f"{baseline.type}, {origin}"
    return f"{name}  [{kind}] {detail}; {when}; {baseline.description}"
