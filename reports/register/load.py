"""Read and validate a register YAML file, with line-numbered messages a DPO can act on.

`check_register` returns the Register (when it can be used) and every problem found:
errors (unknown category, unreadable duration, overlapping location patterns, a
retention rule without a clock …) and warnings (a system with no path patterns yet, a
category a system holds that the register does not declare …). `datakort register check`
prints them; `datakort scan` refuses a register with errors and prints the same lines.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import yaml

from detectors.categories import CATEGORIES
from reports.register.model import (CLOCKS, FORMAT, Duration, PathPattern, Register, RegisterError, RetentionRule,
                              System)

ERROR, WARNING = "error", "warning"
TOP_LEVEL_KEYS = ("format", "version", "processing", "controller", "purposes", "data_subjects", "recipients",
                  "categories", "third_countries", "deletion", "security", "systems", "retention")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with (error) or worth checking in (warning) a register, with its line."""

    line: int | None
    message: str
    level: str = ERROR

    def format(self, source: str = "") -> str:
        """`file:line: level: message`, leaving out what is not known."""
        where = ":".join(str(part) for part in (source, self.line) if part)
        return f"{where}: {self.level}: {self.message}" if where else f"{self.level}: {self.message}"


class InvalidRegister(RegisterError):
    """A register with errors; `problems` holds every problem, the message lists the errors."""

    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems, self.source = problems, source
        super().__init__("\n".join(p.format(source) for p in problems if p.level == ERROR))


# --- YAML that remembers line numbers --------------------------------------------------

class _Map(dict):
    """A YAML mapping that remembers the line of each key (and keys written twice)."""
    line: int | None = None
    key_lines: dict = {}
    repeated: list = []  # (key, first line, repeated line)


class _Seq(list):
    """A YAML sequence that remembers the line of each entry."""
    line: int | None = None
    item_lines: list = []


class _LineLoader(yaml.SafeLoader):
    """yaml's safe loader, building _Map/_Seq with the line numbers from the node marks."""


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    result = _Map(loader.construct_mapping(node, deep=True))
    result.line = node.start_mark.line + 1
    result.key_lines, result.repeated = {}, []
    for key_node, _ in node.value:
        key, line = loader.construct_object(key_node, deep=True), key_node.start_mark.line + 1
        if key in result.key_lines:
            result.repeated.append((key, result.key_lines[key], line))
        result.key_lines[key] = line
    return result


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(loader.construct_sequence(node, deep=True))
    result.line = node.start_mark.line + 1
    result.item_lines = [n.start_mark.line + 1 for n in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


def _line(container, key=None) -> int | None:
    """The line of `container[key]` (or of the container) when the YAML loader recorded it."""
    if isinstance(container, _Map) and key is not None:
        return container.key_lines.get(key, container.line)
    if isinstance(container, _Seq) and isinstance(key, int) and key < len(container.item_lines):
        return container.item_lines[key]
    return getattr(container, "line", None)


def _did_you_mean(value: object, known) -> str:
    close = difflib.get_close_matches(str(value), list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- validation ------------------------------------------------------------------------

class _Checker:
    """Walks the parsed YAML once, collecting problems and building the model."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(line, message, ERROR))

    def warn(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(line, message, WARNING))

    def list_of(self, parent, key, what: str) -> list:
        value = parent.get(key) if isinstance(parent, dict) else None
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(_line(parent, key), f"{what} must be a list, like [a, b]")
            return []
        return value

    def categories(self, parent, key, what: str) -> list[str]:
        values = self.list_of(parent, key, what)
        good = []
        for n, v in enumerate(values):
            if v in CATEGORIES:
                good.append(v)
            else:
                self.error(_line(values, n), f"{what}: unknown data category {v!r}{_did_you_mean(v, CATEGORIES)}; "
                                             f"known: {', '.join(CATEGORIES)}")
        return good

    def patterns(self, parent, key, what: str) -> list[PathPattern]:
        values = self.list_of(parent, key, what)
        good = []
        for n, v in enumerate(values):
            if isinstance(v, str) and v.strip("/ "):
                good.append(PathPattern(v))
            else:
                self.error(_line(values, n), f"{what}: {v!r} is not a path pattern; write e.g. \"Kunder/**\"")
        return good

    def repeated_keys(self, node) -> None:
        """YAML keeps only the last of a key written twice; say so instead of silently dropping one."""
        if isinstance(node, _Map):
            for key, first, again in node.repeated:
                self.error(again, f"{key!r} is written twice in the same place (also on line {first}); "
                                  "only one counts: merge them")
        for child in node.values() if isinstance(node, dict) else node if isinstance(node, list) else ():
            self.repeated_keys(child)

    def check(self, data) -> Register | None:
        self.repeated_keys(data)
        if not isinstance(data, dict):
            self.error(_line(data), "the register must be a YAML mapping of fields (see docs/register.md)")
            return None
        if data.get("format") != FORMAT:
            self.error(_line(data, "format"), f"unknown register format {data.get('format')!r}; "
                                              f"the first line should be `format: {FORMAT}`")
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                self.warn(_line(data, key), f"unknown field {key!r} is ignored{_did_you_mean(key, TOP_LEVEL_KEYS)}")
        declared = self.declared(data)
        systems = self.systems(data, declared)
        rules = self.retention(data, {s.id: s for s in systems})
        if any(p.level == ERROR for p in self.problems):
            return None
        controller = data.get("controller") or {}
        return Register(controller=str(controller.get("name", "")) if isinstance(controller, dict) else str(controller),
                        version=str(data.get("version", "")), declared=declared, systems=systems, retention=rules,
                        purposes=self.list_of(data, "purposes", "purposes"),
                        data_subjects=self.list_of(data, "data_subjects", "data_subjects"))

    def declared(self, data) -> dict[str, bool]:
        categories = data.get("categories") or {}
        if not isinstance(categories, dict):
            self.error(_line(data, "categories"), "categories must be a mapping like `contact: {declared: true}`")
            return {}
        declared = {}
        for cat, spec in categories.items():
            line = _line(categories, cat)
            if cat not in CATEGORIES:
                self.error(line, f"categories: unknown data category {cat!r}{_did_you_mean(cat, CATEGORIES)}; "
                                 f"known: {', '.join(CATEGORIES)}")
                continue
            if spec is not None and not isinstance(spec, dict):
                self.error(line, f"categories: {cat} must be a mapping like `{cat}: {{declared: true}}`")
                continue
            value = (spec or {}).get("declared", False)
            if not isinstance(value, bool):
                self.error(_line(spec, "declared"), f"categories: {cat}: declared must be true or false, not {value!r}")
            declared[cat] = value is True
        return declared

    def systems(self, data, declared: dict[str, bool]) -> list[System]:
        entries = self.list_of(data, "systems", "systems")
        systems: list[System] = []
        lines: dict[str, int | None] = {}
        for n, s in enumerate(entries):
            line = _line(entries, n)
            if not isinstance(s, dict):
                self.error(line, f"systems: entry {n + 1} must be a mapping with at least an id")
                continue
            sid = s.get("id")
            if not sid:
                self.error(line, f"systems: entry {n + 1} has no id")
                continue
            sid = str(sid)
            if sid in lines:
                self.error(line, f"systems: the id {sid!r} is used twice (also on line {lines[sid]})")
                continue
            lines[sid] = line
            what = f"system {sid}"
            scannable = s.get("scannable", True)
            if not isinstance(scannable, bool):
                self.error(_line(s, "scannable"), f"{what}: scannable must be true or false, not {scannable!r}")
            system = System(id=sid, name=str(s.get("name", sid)), paths=self.patterns(s, "paths", f"{what}: paths"),
                            holds=self.categories(s, "holds", f"{what}: holds"),
                            does_not_hold=self.categories(s, "does_not_hold", f"{what}: does_not_hold"),
                            scannable=scannable is not False, note=str(s.get("note", "")))
            for cat in sorted(set(system.holds) & set(system.does_not_hold)):
                self.error(_line(s, "does_not_hold"), f"{what}: {cat} is listed both in holds and in does_not_hold")
            for cat in system.holds:
                if not declared.get(cat, False):
                    self.warn(_line(s, "holds"), f"{what} holds {cat}, but categories does not declare {cat} "
                                                 "(found data will be reported as undeclared)")
            if system.scannable and not system.paths:
                self.warn(line, f"{what} ({system.name}) has no path patterns yet: add `paths:` with the folders "
                                "that belong to it, or `scannable: false` if the scanner cannot reach it")
            systems.append(system)
        self.overlaps(systems, entries)
        return systems

    def overlaps(self, systems: list[System], entries) -> None:
        """Patterns of two systems that cover the same paths with equal specificity are ambiguous."""
        lines = {str(e.get("id")): _line(e, "paths") for e in entries if isinstance(e, dict)}
        for i, a in enumerate(systems):
            for b in systems[i + 1:]:
                for pa in a.paths:
                    for pb in b.paths:
                        if pa.specificity == pb.specificity and (pa.matches(pb.example()) or pb.matches(pa.example())):
                            self.error(lines.get(b.id), f"overlapping location patterns: {pb.text!r} (system {b.id}) "
                                       f"and {pa.text!r} (system {a.id}, line {lines.get(a.id)}) cover the same "
                                       "files and neither is more specific; make one pattern longer, "
                                       "e.g. 'Kunder/Arkiv/**' inside 'Kunder/**'")

    def retention(self, data, systems: dict[str, System]) -> list[RetentionRule]:
        entries = self.list_of(data, "retention", "retention")
        rules: list[RetentionRule] = []
        for n, r in enumerate(entries):
            line = _line(entries, n)
            if not isinstance(r, dict):
                self.error(line, f"retention: entry {n + 1} must be a mapping with id, keep, clock and applies_to")
                continue
            rid = str(r.get("id") or f"rule {n + 1}")
            what = f"retention {rid}"
            clock = r.get("clock")
            clocks = "; ".join(f"{k}: {v}" for k, v in CLOCKS.items())
            if clock is None:
                self.error(line, f"{what} has no clock: add `clock:` naming the date the count starts from; "
                                 f"the clock must be one of {clocks}")
            elif clock not in CLOCKS:
                self.error(_line(r, "clock"), f"{what}: clock must be one of {', '.join(CLOCKS)}, "
                                              f"not {clock!r}{_did_you_mean(clock, CLOCKS)}")
            keep = None
            if r.get("keep") is None:
                self.error(line, f"{what} has no `keep:` (how long, e.g. `keep: 5 years`)")
            else:
                try:
                    keep = Duration.parse(r["keep"])
                except RegisterError as exc:
                    self.error(_line(r, "keep"), f"{what}: {exc}")
            scope = r.get("applies_to") or {}
            if not isinstance(scope, dict):
                self.error(_line(r, "applies_to"), f"{what}: applies_to must be a mapping with paths and/or systems")
                scope = {}
            ids = self.list_of(scope, "systems", f"{what}: applies_to.systems")
            for k, sid in enumerate(ids):
                if sid not in systems:
                    self.error(_line(ids, k), f"{what}: unknown system {sid!r}{_did_you_mean(sid, systems)}; "
                                              f"the systems are {', '.join(systems)}")
            paths = self.patterns(scope, "paths", f"{what}: applies_to.paths")
            folders = self.patterns(r, "folders", f"{what}: folders")
            if not ids and not paths:
                self.warn(line, f"{what} applies to nothing yet: add `applies_to:` with `paths:` or `systems:`")
            if clock == "folder" and ids and not paths and not folders and \
                    not any(systems[s].paths for s in ids if s in systems):
                self.warn(_line(r, "clock"), f"{what}: the folder clock counts per folder, but its systems have no "
                                             "path patterns yet, so it applies to nothing; add `paths:` to the "
                                             "systems or `folders:` (e.g. \"Kunder/Tidligere/*\") to the rule")
            if keep is not None and clock in CLOCKS:
                rules.append(RetentionRule(id=rid, keep=keep, clock=clock, systems=[str(s) for s in ids], paths=paths,
                                           rule=str(r.get("rule", "")), folders=folders))
        return rules


def check_register(data, source: str = "") -> tuple[Register | None, list[Problem]]:
    """Validate parsed register YAML: the Register (None when there are errors) and every problem."""
    checker = _Checker()
    register = checker.check(data)
    if register is not None:
        register.source = source
    return register, sorted(checker.problems, key=lambda p: p.line or 0)


def read_register(path: str | Path) -> tuple[Register | None, list[Problem]]:
    """Read and validate a register file; unreadable files and broken YAML are problems too."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return None, [Problem(None, f"cannot read the register {path}: {exc.strerror or exc}")]
    except UnicodeDecodeError:
        return None, [Problem(None, f"{path} is not UTF-8 text; save it as UTF-8")]
    return read_register_text(text, str(path))


def read_register_text(text: str, source: str = "") -> tuple[Register | None, list[Problem]]:
    """Validate a register given as its YAML text (as `read_register` does a file)."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(mark.line + 1 if mark else None, f"not valid YAML: {problem}")]
    return check_register(data, source)


def parse_register(data, source: str = "") -> Register:
    """Build a Register from parsed YAML; raises InvalidRegister listing every error."""
    register, problems = check_register(data, source)
    if register is None:
        raise InvalidRegister(problems, source)
    return register


def load_register(path: str | Path) -> Register:
    """Read a register YAML file; raises InvalidRegister (a RegisterError) listing every error."""
    register, problems = read_register(path)
    if register is None:
        raise InvalidRegister(problems, str(path))
    return register


def parse_register_text(text: str, source: str = "") -> Register:
    """A register from its YAML text (the copy stored with a scan); InvalidRegister on errors."""
    register, problems = read_register_text(text, source)
    if register is None:
        raise InvalidRegister(problems, source)
    return register
