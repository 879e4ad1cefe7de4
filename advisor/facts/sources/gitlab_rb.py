"""Settings of the Linux package - the sanitized ``etc/gitlab/gitlab.rb``.

The file is Ruby, but only its literal assignments are read; nothing is evaluated.
Both ``key['x'] = value`` (with nested ``['a']['b']``) and method-call lines
(``external_url '...'``, ``roles [...]``, ``git_data_dirs({...})``) are understood,
with strings, numbers, symbols, ``true/false/nil``, arrays (also ``%w[]`` and
``[...] * N``) and hashes in both ``'k' => v`` and ``k: v`` syntax, across lines.
A statement that is not a literal (``ENV['X']``, a method call) is skipped, with
its line.

Sample input::

    external_url 'https://gitlab.example.com'
    puma['worker_processes'] = 4  # was 8
    sidekiq['queue_groups'] = ['*'] * 2
    gitaly['configuration'] = {
      pack_objects_cache: { enabled: true },
      concurrency: [
        { rpc: "/gitaly.SSHService/SSHUploadPackWithSidechannel", max_per_repo: 20 },
      ],
    }
    gitlab_rails['db_load_balancing'] = { 'hosts' => ['10.0.0.21', '10.0.0.22'] }
    gitlab_rails['db_password'] = ENV['DB_PASSWORD']

Examples:
    >>> rb = parse(SAMPLE)
    >>> rb.get("puma.worker_processes")
    (4, 2)
    >>> rb.get("sidekiq.queue_groups")
    (['*', '*'], 3)
    >>> rb.get("gitaly.configuration.pack_objects_cache.enabled")
    (True, 4)
    >>> rb.get("gitlab_rails.db_load_balancing.hosts")
    (['10.0.0.21', '10.0.0.22'], 10)
    >>> rb.skipped
    [(11, "'ENV' is not a literal value")]
"""

from __future__ import annotations

import logging
import re
from typing import Any, NamedTuple

from pydantic import BaseModel, Field

from advisor.facts.errors import ParseError

log = logging.getLogger(__name__)

SAMPLE = """\
external_url 'https://gitlab.example.com'
puma['worker_processes'] = 4  # was 8
sidekiq['queue_groups'] = ['*'] * 2
gitaly['configuration'] = {
  pack_objects_cache: { enabled: true },
  concurrency: [
    { rpc: "/gitaly.SmartHTTPService/PostUploadPackWithSidechannel", max_per_repo: 20 },
  ],
}
gitlab_rails['db_load_balancing'] = { 'hosts' => ['10.0.0.21', '10.0.0.22'] }
gitlab_rails['db_password'] = ENV['DB_PASSWORD']
"""

# Token patterns, tried in order at each position.
TOKENS = re.compile(
    r"(?P<space>[ \t\r]+|\\\n)"  # blanks, and a backslash line continuation
    r"|(?P<comment>\#[^\n]*)"  # puma['x'] = 1  # a comment
    r"|(?P<nl>\n|;)"  # statement end
    r"|(?P<words>%[wi][\[(]([^\])]*)[\])])"  # %w[a b c]
    r"|(?P<str>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"  # 'x' or "x"
    r"|(?P<num>-?\d[\d_]*(?:\.\d+)?)"  # 20, 1_000, 0.5
    r"|(?P<label>[A-Za-z_]\w*[?!]?:(?!:))"  # enabled: true
    r"|(?P<sym>:[A-Za-z_]\w*[?!]?)"  # :enabled
    r"|(?P<ident>[A-Za-z_]\w*[?!]?)"  # puma, true, ENV
    r"|(?P<op>=>|::|<<|==|[\[\]{}(),=*:.+])"  # punctuation
    r"|(?P<other>\S)"  # anything else makes its statement unreadable
)


#: Method-call lines read as settings (`external_url 'https://...'`); others are skipped.
CALLS = frozenset(
    {"external_url", "registry_external_url", "pages_external_url", "roles"}
    | {"git_data_dirs", "mattermost_external_url", "gitlab_kas_external_url"}
)


class Token(NamedTuple):
    """One lexical token and the line it starts on."""

    kind: str
    text: str
    line: int


class Setting(BaseModel):
    """One assigned value and the line of its statement."""

    value: Any
    line: int


class GitlabRb(BaseModel):
    """Settings by dotted key (`puma.worker_processes`) and statements skipped."""

    settings: dict[str, Setting] = Field(default_factory=dict)
    skipped: list[tuple[int, str]] = Field(default_factory=list)

    def get(self, path: str) -> tuple[Any, int] | None:
        """Returns `(value, line)` for a dotted key, looking inside assigned hashes."""
        parts = path.split(".")
        for cut in range(len(parts), 0, -1):
            setting = self.settings.get(".".join(parts[:cut]))
            if setting is None:
                continue
            value = setting.value
            for part in parts[cut:]:
                if not isinstance(value, dict) or part not in value:
                    break
                value = value[part]
            else:
                return value, setting.line
        return None


def parse(text: str, file: str = "etc/gitlab/gitlab.rb") -> GitlabRb:
    """Reads every statement; raises ParseError only if none could be read."""
    reader = _Reader(tokenize(text))
    result = GitlabRb()
    while not reader.done():
        line = reader.peek().line
        try:
            statement = reader.statement()
        except ParseError as error:
            result.skipped.append((line, str(error)))
            reader.skip_statement()
            continue
        if statement:
            key, value = statement
            result.settings[key] = Setting(value=value, line=line)
    if result.skipped and not result.settings:
        raise ParseError(f"no readable statement; line {result.skipped[0][0]}: ...")
    return result


def tokenize(text: str) -> list[Token]:
    """Splits the text into tokens, dropping blanks and comments."""
    tokens: list[Token] = []
    line, position = 1, 0
    while position < len(text):
        match = TOKENS.match(text, position)
        if match is None:
            raise ParseError(f"line {line}: unexpected {text[position]!r}")
        kind = match.lastgroup or ""
        if kind not in ("space", "comment"):
            tokens.append(Token(kind, match.group(kind), line))
        line += match.group(0).count("\n")
        position = match.end()
    return tokens


class _Reader:
    """A recursive-descent reader over the tokens of a gitlab.rb."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0

    def done(self) -> bool:
        self._skip_newlines()
        return self.index >= len(self.tokens)

    def peek(self) -> Token:
        if self.index >= len(self.tokens):
            last = self.tokens[-1].line if self.tokens else 1
            return Token("end", "", last)
        return self.tokens[self.index]

    def take(self, text: str | None = None) -> Token:
        token = self.peek()
        if text is not None and token.text != text:
            raise ParseError(f"expected {text!r}, found {token.text or 'the end'!r}")
        self.index += 1
        return token

    def statement(self) -> tuple[str, Any] | None:
        """Reads `name[...] = value` or `name value`; returns the dotted key, value."""
        head = self.take()
        if head.kind != "ident":
            raise ParseError(f"{head.text!r} does not start a setting")
        keys = [head.text]
        while self.peek().text == "[":
            self.take("[")
            keys.append(self._key(self.take()))
            self.take("]")
        following = self.peek()
        if following.text == "=":
            self.take("=")
            self._skip_newlines()
            value = self.value()
        elif len(keys) == 1 and head.text in CALLS:
            value = self._call_argument()
        else:
            raise ParseError(
                f"{following.text or 'the end'!r} after {'.'.join(keys)!r}"
            )
        self._end_statement()
        return ".".join(keys), value

    def value(self) -> Any:
        """Reads one literal, with an optional `* N` repeat after an array."""
        token = self.take()
        value = self._literal(token)
        if isinstance(value, list) and self.peek().text == "*":
            self.take("*")
            count = self.take()
            if count.kind != "num":
                raise ParseError(f"array repeat by {count.text!r}")
            value = value * int(count.text)
        return value

    def skip_statement(self) -> None:
        """Skips to the next statement end outside brackets."""
        depth = 0
        while self.index < len(self.tokens):
            token = self.take()
            depth += token.text in "[{(" and token.kind == "op"
            depth -= token.text in "]})" and token.kind == "op"
            if token.kind == "nl" and depth <= 0:
                return

    def _literal(self, token: Token) -> Any:
        if token.kind == "str":
            return _unquote(token.text)
        if token.kind == "num":
            number = token.text.replace("_", "")
            return float(number) if "." in number else int(number)
        if token.kind == "sym":
            return token.text[1:]
        if token.kind == "words":
            return token.text[3:-1].split()
        if token.kind == "ident" and token.text in ("true", "false", "nil"):
            return {"true": True, "false": False, "nil": None}[token.text]
        if token.text == "[":
            return self._array()
        if token.text == "{":
            return self._hash()
        raise ParseError(f"{token.text or 'the end'!r} is not a literal value")

    def _array(self) -> list[Any]:
        items: list[Any] = []
        while True:
            self._skip_newlines()
            if self.peek().text == "]":
                self.take()
                return items
            items.append(self.value())
            self._skip_newlines()
            if self.peek().text != "]":
                self.take(",")

    def _hash(self) -> dict[str, Any]:
        entries: dict[str, Any] = {}
        while True:
            self._skip_newlines()
            token = self.take()
            if token.text == "}":
                return entries
            if token.kind == "label":
                key = token.text[:-1]
            else:
                key = self._key(token)
                self.take(":" if self.peek().text == ":" else "=>")
            self._skip_newlines()
            entries[key] = self.value()
            self._skip_newlines()
            if self.peek().text != "}":
                self.take(",")

    def _call_argument(self) -> Any:
        if self.peek().text != "(":
            return self.value()
        self.take("(")
        self._skip_newlines()
        value = self.value()
        self._skip_newlines()
        self.take(")")
        return value

    def _key(self, token: Token) -> str:
        if token.kind == "str":
            return _unquote(token.text)
        if token.kind == "sym":
            return token.text[1:]
        raise ParseError(f"{token.text!r} is not a string or symbol key")

    def _end_statement(self) -> None:
        token = self.peek()
        if token.kind not in ("nl", "end"):
            raise ParseError(f"unexpected {token.text!r} after the value")

    def _skip_newlines(self) -> None:
        while self.index < len(self.tokens) and self.tokens[self.index].kind == "nl":
            self.index += 1


def _unquote(text: str) -> str:
    """Strips the quotes and the simple backslash escapes of a Ruby string."""
    return re.sub(r"\\(.)", r"\1", text[1:-1])
