"""The project analyzer: the library entry point of ``trackplan lint``'s code checks.

One :class:`ProjectAnalyzer` is built per run (per worker process) for a project root;
:meth:`ProjectAnalyzer.analyze_file` then analyses one file at a time and never raises:
a file that cannot be read or parsed becomes one TP901 finding.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from trackplan.linter.analysis.calls import CallFact, Outline, find_calls
from trackplan.linter.analysis.checks import CallChecker, Finding
from trackplan.linter.analysis.forwarding import ProjectFacts, iter_python_files, scan_project
from trackplan.linter.analysis.guards import libcst_refusal
from trackplan.linter.analysis.inference import InferredWrapper, WrapperInference
from trackplan.linter.analysis.model import AnalysisSettings, FileAnalysis, TrackingCall
from trackplan.linter.analysis.positions import ast_positions
from trackplan.linter.analysis.pruning import Prepared, prunable, prune
from trackplan.linter.analysis.resolver import ProjectIndex, Resolver
from trackplan.linter.analysis.sdk_table import CallRow, builtin_rows, call_names, wrapper_rows
from trackplan.linter.analysis.triggers import trigger_tokens
from trackplan.linter.analysis.versions import (
    PosthogVersion,
    declared_posthog_version,
    detect_posthog_version,
)
from trackplan.linter.limits import SOURCE_READ_MAX_BYTES
from trackplan.registry.diagnostics import Diagnostic
from trackplan.registry.fileio import InputFileError, read_bytes_capped
from trackplan.registry.plan import Plan
from trackplan.registry.rules import diagnostic

__all__ = ["ProjectAnalyzer", "wrapper_rows"]


class ProjectAnalyzer:
    """Analyses the Python files of one project against the SDK table and a plan.

    Raises :class:`SignatureError` (a ``ValueError``) when a declared wrapper's
    signature is not a parameter list.
    """

    def __init__(
        self, root: Path, settings: AnalysisSettings | None = None, plan: Plan | None = None
    ) -> None:
        self.root = Path(root)
        self.settings = settings if settings is not None else AnalysisSettings()
        self.plan = plan
        roots = [self.root / r for r in self.settings.source_roots]
        self.index = ProjectIndex(self.root, roots or None)
        self.version: PosthogVersion = detect_posthog_version(
            self.root, self.settings.posthog_version
        )
        if self.version.source in ("installed", "latest"):
            # a monorepo declares it next to its package (packages/sdk/pyproject.toml)
            for base in self.index.search_roots:
                declared = declared_posthog_version(base) if base != self.index.root else None
                if declared is not None:
                    self.version = declared
                    break
        self.table: dict[str, CallRow] = builtin_rows(self.version.major)
        self.table.update(wrapper_rows(dict(self.settings.wrappers)))
        base_names = call_names(self.table)
        facts = self.settings.facts
        if facts is None and self.settings.infer_wrappers:
            facts = scan_project(self.root, self.settings.wrappers, base_names)
        self.facts = facts if facts is not None else ProjectFacts()
        self.index.client_attrs = self.facts.client_attr_classes()
        self.index.param_types = self.facts.param_types()
        self.inference = WrapperInference(
            self.index, self.table, base_names, self.facts.wrapper_names, self.facts.subclasses
        )
        #: The last names of the table's targets and of the candidate wrappers: a call
        #: can only match one of these.
        self.call_names = base_names | self.facts.wrapper_names

    def trigger_tokens(self) -> tuple[bytes, ...]:
        """Bytes one of which every file holding a tracking call contains."""
        return tuple(sorted({*trigger_tokens(self.settings.wrappers), *self.facts.tokens()}))

    def inferred_wrappers(self, files: Iterable[Path] | None = None) -> list[InferredWrapper]:
        """Every candidate the whole-project pass named that is a wrapper, examined now
        (``trackplan lint --show-wrappers``, ``init``), sorted by qualified name; among
        ``files`` (default: every Python file under the root). Functions nested in
        other functions are left out (only their enclosing function calls them)."""
        found: dict[str, InferredWrapper] = {}
        defs = tuple(f"def {name}(".encode() for name in self.facts.wrapper_names)
        for path in iter_python_files(self.root) if files is None else files:
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if not any(d in data for d in defs):
                continue
            name, _ = self.index.module_name(path)
            module = self.index.load_full(name, self.call_names)
            if module is None:
                continue
            for qual, scope in sorted(module.defs.items()):
                if scope.parent is not module.scope:
                    continue  # a function nested in another is only called from there
                if self.inference.is_candidate(qual):
                    wrapper = self.inference.wrapper(qual)
                    if wrapper is not None:
                        found[qual] = wrapper
        return [found[q] for q in sorted(found)]

    def analyze_file(self, path: Path, prepared: Prepared | None = None) -> FileAnalysis:
        """Findings, tracking calls and cache dependencies of one file; never raises.

        ``prepared`` is the file's :func:`~trackplan.linter.analysis.pruning.prepare`
        result for this analyzer's :attr:`call_names`, when the caller has it already
        (the file is then not read again).
        """
        try:
            return self._analyze(Path(path), prepared)
        except RecursionError:
            return _unparseable(path, "the file is nested too deeply to analyse")
        except MemoryError:
            return _unparseable(path, "the file is too large to analyse (out of memory)")
        except Exception as exc:  # a bug must not crash a whole lint run
            return _unparseable(path, f"analysis failed ({type(exc).__name__}: {exc})")

    def _analyze(self, path: Path, prepared: Prepared | None) -> FileAnalysis:
        outline: Outline | None = None
        cpython_error: SyntaxError | None = None
        cpython_tree: ast.Module | None = None
        if prepared is not None and prepared.names != self.call_names:
            prepared = None  # pruned for another table: start from the file
        if prepared is not None:
            source = prepared.source
            try:
                cpython_tree = prepared.tree or ast.parse(source)  # the pruned source
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                prepared = None
            else:
                candidates = prepared.candidate_lines
                outline = Outline(cpython_tree, _call_lines(cpython_tree), candidates)
        if prepared is None:
            try:
                source = read_bytes_capped(path, SOURCE_READ_MAX_BYTES)
            except InputFileError as exc:
                return _unparseable(path, f"cannot read the file: {exc.reason}")
            if b"\x00" in source:
                return _unparseable(path, "the file contains NUL bytes")
            fatal, cpython_error, cpython_tree = _check_with_cpython(source)
            if fatal is not None:
                return _unparseable(path, fatal)
            if cpython_tree is not None and prunable(source):
                # libcst sees only what can matter, every position unchanged
                pruned = prune(source, cpython_tree, self.call_names)
                source, cpython_tree = pruned.source, pruned.tree
                candidates = tuple(pruned.candidate_lines)
                outline = Outline(cpython_tree, _call_lines(cpython_tree), candidates)
        refusal = libcst_refusal(source, cpython_tree)
        if refusal is not None:
            if cpython_error is not None and cpython_error.lineno:
                return _unparseable(
                    path,
                    f"cannot parse the file: {cpython_error.msg}",
                    cpython_error.lineno,
                    cpython_error.offset or 1,
                )
            return _unparseable(path, f"the file is too complex to parse: {refusal}")
        try:
            tree = cst.parse_module(source)
        except UnicodeDecodeError as exc:
            return _unparseable(path, f"the file is not valid UTF-8 ({exc.reason})")
        except cst.ParserSyntaxError as exc:
            if cpython_error is not None and cpython_error.lineno:
                return _unparseable(
                    path,
                    f"cannot parse the file: {cpython_error.msg}",
                    cpython_error.lineno,
                    cpython_error.offset or 1,
                )
            message = re.sub(r"^(parser error: )?error at \d+:\d+: ", "", exc.message.strip())
            return _unparseable(
                path,
                f"cannot parse the file: {message or 'syntax error'}",
                exc.raw_line,
                exc.raw_column + 1,
            )
        except RecursionError:
            return _unparseable(path, "the file is nested too deeply to parse")
        name, is_package = self.index.module_name(path)
        previous = self.index.modules.get(name)
        module = self.index.register(name, path, tree, is_package)
        try:
            resolver = Resolver(self.index)
            facts, total_calls = find_calls(module, resolver, self.table, outline, self.inference)
            result = FileAnalysis()
            if facts:
                ranges = _Ranges(source, tree, cpython_tree, total_calls, facts)
                self._report(path, facts, resolver, ranges, result)
            used = resolver.used - {path, path.resolve()}
        finally:
            if previous is None:
                del self.index.modules[name]  # keep memory flat: only dependencies stay cached
            else:
                self.index.modules[name] = previous
        if self.version.path is not None:
            used.add(self.version.path)
        result.dependencies = tuple(sorted(used))
        return result

    def _report(
        self,
        path: Path,
        facts: list[CallFact],
        resolver: Resolver,
        positions: _Ranges,
        result: FileAnalysis,
    ) -> None:
        checker = CallChecker(self.plan, self.version, resolver)
        shown = str(path)
        for fact in facts:
            checked = checker.check(fact)
            where = positions[fact.node]
            if fact.row.record:
                events: list[str | None] = [*checked.events] if checked.events else [None]
                for event in events:
                    result.calls.append(
                        TrackingCall(
                            shown,
                            where.start.line,
                            where.start.column + 1,
                            where.end.line,
                            where.end.column + 1,
                            fact.row.kind,
                            fact.row.target,
                            event,
                            checked.properties,
                            checked.distinct_id,
                        )
                    )
            for finding in checked.findings:
                result.diagnostics.append(_diagnostic(shown, finding, positions[finding.node]))


class _Ranges:
    """Node ranges: from CPython's tree when it pairs up, else libcst's PositionProvider."""

    def __init__(
        self,
        source: bytes,
        tree: cst.Module,
        cpython_tree: ast.Module | None,
        total_calls: int,
        facts: list[CallFact],
    ) -> None:
        self.tree = tree
        self.fast: Mapping[cst.CSTNode, CodeRange] | None = None
        if cpython_tree is not None:
            try:
                text: str | None = source.decode(tree.encoding)
            except (LookupError, UnicodeDecodeError):
                text = None
            if text is not None and not text.startswith("\ufeff"):
                wanted = [(fact.index, fact.node) for fact in facts]
                self.fast = ast_positions(text, cpython_tree, total_calls, wanted)
        self.slow: Mapping[cst.CSTNode, CodeRange] | None = None

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        if self.fast is not None and node in self.fast:
            return self.fast[node]
        if self.slow is None:
            wrapper = MetadataWrapper(self.tree, unsafe_skip_copy=True)
            self.slow = wrapper.resolve(PositionProvider)
        return self.slow[node]


def _diagnostic(path: str, finding: Finding, where: CodeRange) -> Diagnostic:
    found = diagnostic(
        finding.code,
        finding.message,
        path=path,
        line=where.start.line,
        column=where.start.column + 1,
        end_line=where.end.line,
        end_column=where.end.column + 1,
        event=finding.event,
    )
    return found if finding.severity is None else found.with_severity(finding.severity)


def _check_with_cpython(
    source: bytes,
) -> tuple[str | None, SyntaxError | None, ast.Module | None]:
    """(why libcst must not see this file, CPython's syntax error, CPython's tree).

    libcst's native parser crashes the whole process (a segmentation fault, not an
    exception) on very deep nesting or very long operator chains. CPython's own parser
    refuses those cleanly and costs a fraction of a libcst parse, so it goes first. Its
    other syntax errors are only kept for their better position: libcst decides, since
    it also reads syntax newer than the running Python.
    """
    try:
        return None, None, ast.parse(source)
    except (RecursionError, MemoryError):
        return "the file is nested too deeply to parse", None, None
    except SyntaxError as exc:
        if "too many nested" in str(exc.msg):
            return f"cannot parse the file: {exc.msg}", None, None
        return None, exc, None
    except ValueError:
        return None, None, None


def _call_lines(tree: ast.Module) -> list[int]:
    return sorted(node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call))


def _unparseable(path: Path, message: str, line: int = 1, column: int = 1) -> FileAnalysis:
    return FileAnalysis(
        diagnostics=[diagnostic("TP901", message, path=str(path), line=line, column=column)]
    )
