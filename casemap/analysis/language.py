"""The language lens: phrasings that hide the perpetrator or blame the survivor (domain.md §3).

Rules are data, in ``language_rules.json`` beside this module. Each rule names the discursive
operation it performs (Coates & Wade, as in domain.md §3: CV concealing violence, OR obscuring
perpetrator responsibility, CR concealing victim resistance, BV blaming or pathologising the
victim), the rows of domain.md §3 it covers, a message, a suggested rewording and regular
expressions. Patterns are written with named word lists (``@harm``, ``@child`` ...) declared in
the same file, so one rule catches inflections and word-order variants rather than fixed strings.
Guards (``unless`` / ``only_if``) look at the sentence around a match, or at the text of its
clause before or after it, to keep ordinary uses of the same words quiet ("exposed to mould",
"she was hit by a car"); a list of alternatives is tried longest first, and ``@name`` ends at
the first character that cannot be part of a name (write ``@gap2(?:safe)``, not ``@gap2safe``).

Text between double quotes is someone's exact words (domain.md §1.7) and is never flagged;
neither is a record's ``quote`` field. Items of the survivor's plan are read as tasks set for
her, so "Obtain a protection order" is caught without a subject. In a case, the names of its own
people are read as their roles ("Daniel lost his temper" as "he lost his temper"), and findings
keep the worker's words and offsets.

``python -m casemap.analysis.language --eval tests/data/language_sentences.tsv`` prints recall
and false-alarm rate over a labelled set.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import functools
import itertools
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from ..model import Case

RULES_FILE = Path(__file__).with_name("language_rules.json")
OPERATIONS = {
    "CV": "concealing violence",
    "OR": "obscuring perpetrator responsibility",
    "CR": "concealing victim resistance",
    "BV": "blaming or pathologising the victim",
}

Where = Literal["sentence", "before", "after"]
# Lower-case literals one of which a whole rule needs (None: always run it), and for each of its
# patterns the sets of literals it needs one of each of (None: always run it).
_Prefilter = tuple[frozenset[str] | None, tuple[tuple[frozenset[str], ...] | None, ...]]


class LazyPattern:
    """A regular expression compiled the first time it is used.

    Most patterns never run on a given text (their literals are absent, see the prefilter), and
    compiling all of them cost more than anything else on import; a notebook or a worker process
    now pays for a pattern only when a text could match it. Reads like a ``re.Pattern``.
    """

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = re.IGNORECASE) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled().search(text)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (LazyPattern, re.Pattern)):
            return (self.pattern, self.flags) == (other.pattern, other.flags)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"


AnyPattern = re.Pattern[str] | LazyPattern


@dataclass(frozen=True)
class Guard:
    """A condition on the context of a match: ``pattern`` searched in ``where``."""

    where: Where
    pattern: AnyPattern

    def holds(self, sentence: str, before: str, after: str) -> bool:
        text = {"sentence": sentence, "before": before, "after": after}[self.where]
        return self.pattern.search(text) is not None


@dataclass(frozen=True)
class LanguageRule:
    """One phrasing to avoid, with what it does and what to write instead."""

    id: str
    operation: str
    rows: tuple[int, ...]
    title: str
    message: str
    suggestion: str
    patterns: tuple[AnyPattern, ...]
    unless: tuple[Guard, ...] = ()
    only_if: tuple[Guard, ...] = ()
    # The patterns as written (with @word lists) and their word lists, when read from a rules
    # file: the prefilter reads them with each list reduced to the literals it needs, which is
    # much cheaper than reading the fully expanded patterns (see _WordLists).
    sources: tuple[str, ...] = dataclasses.field(default=(), compare=False, repr=False)
    word_lists: _WordLists | None = dataclasses.field(default=None, compare=False, repr=False)

    @functools.cached_property
    def prefilter(self) -> _Prefilter:
        """The literals the rule and each pattern need (see _prefilter); derived on first use."""
        if self.word_lists is not None and len(self.sources) == len(self.patterns):
            return _prefilter_of(
                [self.word_lists.reduced(p) for p in self.sources],
                [p.flags for p in self.patterns],
            )
        return _prefilter(self.patterns)


@dataclass(frozen=True)
class LanguageFinding:
    """A phrasing found in a text: where it is, which rule and a better wording."""

    start: int
    end: int
    text: str
    rule: str
    operation: str
    message: str
    suggestion: str


@dataclass(frozen=True)
class CaseLanguageFinding:
    """A finding in one free-text field of one record of a case."""

    record: str
    field: str
    finding: LanguageFinding

    def as_dict(self) -> dict[str, Any]:
        return {"record": self.record, "field": self.field, **finding_dict(self.finding)}


# -- loading the rules -------------------------------------------------------------------------

_WORD_REF = re.compile(r"@([a-z][a-z0-9_]*)")


def _expand(pattern: str, vocab: dict[str, str], seen: tuple[str, ...] = ()) -> str:
    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in vocab:
            raise ValueError(f"language rules: unknown word list @{name} in {pattern!r}")
        if name in seen:
            raise ValueError(f"language rules: word list @{name} refers to itself")
        return "(?:" + _expand(vocab[name], vocab, (*seen, name)) + ")"

    return _WORD_REF.sub(one, pattern)


def _compile(pattern: str, vocab: dict[str, str], now: bool) -> AnyPattern:
    source = _expand(pattern, vocab)
    if not now:
        return LazyPattern(source)
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error as e:
        raise ValueError(f"language rules: bad pattern {pattern!r}: {e}") from None


def _vocab(raw: dict[str, str | list[str]]) -> dict[str, str]:
    # A list is a set of alternatives, tried longest first so that "children" is not cut to
    # "child"; a string is a regular expression used as it is.
    return {
        k: "|".join(sorted(v, key=len, reverse=True)) if isinstance(v, list) else v
        for k, v in raw.items()
    }


def _guards(items: Iterable[dict[str, str]], vocab: dict[str, str], now: bool) -> tuple[Guard, ...]:
    out = []
    for g in items:
        where = g.get("in", "sentence")
        if where not in ("sentence", "before", "after"):
            raise ValueError(f"language rules: guard 'in' must be sentence, before or after: {g}")
        out.append(Guard(where, _compile(g["pattern"], vocab, now)))  # type: ignore[arg-type]
    return tuple(out)


def load_rules(path: Path | str = RULES_FILE, *, lazy: bool = False) -> tuple[LanguageRule, ...]:
    """Read and compile the rules file; a bad pattern or word list raises ValueError.

    ``lazy=True`` leaves each pattern to be compiled the first time it runs (see LazyPattern): an
    unknown word list still raises here, a bad regular expression only when it is first used.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    vocab = _vocab(data.get("vocab", {}))
    word_lists = _WordLists(vocab)
    rules = []
    for r in data["rules"]:
        if r["operation"] not in OPERATIONS:
            raise ValueError(f"language rules: {r['id']}: unknown operation {r['operation']}")
        rules.append(
            LanguageRule(
                id=r["id"],
                operation=r["operation"],
                rows=tuple(r.get("rows", ())),
                title=r["title"],
                message=r["message"],
                suggestion=r["suggestion"],
                patterns=tuple(_compile(p, vocab, not lazy) for p in r["patterns"]),
                unless=_guards(r.get("unless", ()), vocab, not lazy),
                only_if=_guards(r.get("only_if", ()), vocab, not lazy),
                sources=tuple(r["patterns"]),
                word_lists=word_lists,
            )
        )
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise ValueError("language rules: duplicate rule ids")
    return tuple(rules)


# -- checking a text ---------------------------------------------------------------------------

# A sentence ends at . ! ? or a line break, but not at the dot of Mr. Ms. Mrs. Dr. St. or an
# initial ("J. Smith"), which case notes use all the time. A clause also ends at a semicolon:
# "before" and "after" guards look within the clause, "sentence" guards at the whole sentence.
_SENTENCE_END = (
    r"(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDr)(?<!\bSt)(?<!\bNo)(?<!\b[A-Z])[.!?]+(?=[\s\"'”’)]|$)"
    r"|\n"
)
_SENTENCE = re.compile(_SENTENCE_END)
_CLAUSE = re.compile(_SENTENCE_END + r"|;")
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")


def _span_in(ends: list[int], start: int, end: int, length: int) -> tuple[int, int]:
    i = bisect.bisect_right(ends, start)
    j = bisect.bisect_left(ends, end)
    return (ends[i - 1] if i else 0), (ends[j] if j < len(ends) else length)


class _Text:
    """A text with its sentences, clauses and quoted spans, computed once and only if needed."""

    def __init__(self, text: str):
        self.text = text
        self._sentences: list[int] | None = None
        self._clauses: list[int] | None = None
        self._quotes: list[tuple[int, int]] | None = None

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        if self._sentences is None:
            self._sentences = [m.end() for m in _SENTENCE.finditer(self.text)]
        return _span_in(self._sentences, start, end, len(self.text))

    def clause(self, start: int, end: int) -> tuple[int, int]:
        if self._clauses is None:
            self._clauses = [m.end() for m in _CLAUSE.finditer(self.text)]
        return _span_in(self._clauses, start, end, len(self.text))

    def quoted(self, start: int, end: int) -> bool:
        if self._quotes is None:
            self._quotes = [m.span() for m in _QUOTED.finditer(self.text)]
        return any(qs <= start and end <= qe for qs, qe in self._quotes)


def _passes(rule: LanguageRule, doc: _Text, start: int, end: int) -> bool:
    if not rule.unless and not rule.only_if:
        return True
    s, e = doc.sentence(start, end)
    cs, ce = doc.clause(start, end)
    sentence, before, after = doc.text[s:e], doc.text[cs:start], doc.text[end:ce]
    if any(g.holds(sentence, before, after) for g in rule.unless):
        return False
    return all(g.holds(sentence, before, after) for g in rule.only_if)


# -- a prefilter, for speed --------------------------------------------------------------------
#
# Scanning every text with every pattern is what costs time. Most patterns cannot match unless
# the text contains one of a few literal strings ("expos", "witness", "domestic" ...), so each
# pattern's required literals are read off its parsed form (once, the first time the rule is
# used), and a pattern runs only on lower-cased texts that contain one of them. It never changes
# a result: a pattern whose requirement cannot be worked out (or is a string shorter than 3
# characters) always runs.
#
# The literals of all the rules are looked for in one pass (_Scanner): a regular expression
# shaped like a trie, tried at every position of the text, names the longest literal starting
# there, and every literal that is a prefix of it starts there too. That one pass replaced one
# search per rule and per pattern, which the profile showed was most of the time of lint_case.

_MIN_LITERAL = 3


def _needs(items: Any) -> list[frozenset[str]]:
    """Sets of lower-case strings, every match of the parsed items holding one string of each.

    The most selective set comes first (longest shortest string, then fewest strings).
    """
    from re import _constants as c  # type: ignore[attr-defined]

    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av).lower())
            continue
        flush()
        if op is c.SUBPATTERN:
            candidates += _needs(av[-1])
        elif op is c.BRANCH:
            parts = [_needs(b) for b in av[1]]
            if all(parts):
                candidates.append(frozenset().union(*(p[0] for p in parts)))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, _, item = av
            if low >= 1:
                candidates += _needs(item)
    flush()
    usable = [s for s in candidates if min(map(len, s)) >= _MIN_LITERAL]
    return sorted(usable, key=lambda s: (min(map(len, s)), -len(s)), reverse=True)


def _required_of(pattern: AnyPattern) -> tuple[frozenset[str], ...] | None:
    """Every set of literals the pattern needs one of (None: cannot tell, always run it)."""
    return _required_of_source(pattern.pattern, pattern.flags)


def _required_of_source(source: str, flags: int) -> tuple[frozenset[str], ...] | None:
    from re import _parser as parser  # type: ignore[attr-defined]

    try:
        return tuple(_needs(parser.parse(source, flags))) or None
    except Exception:  # noqa: BLE001 - a pattern we cannot analyse simply always runs
        return None


class _WordLists:
    """The word lists of a rules file, each reduced to what the prefilter needs of it.

    Reading the literals a pattern needs from its fully expanded form parsed the same large
    word lists (@child, @she ...) again in every pattern, and was most of what the first check
    in a fresh process cost. A list is read once instead and stands in every pattern as the
    alternation of the literals it needs (one of which is in every match of the list, so what
    is derived from the stand-in is needed by the real pattern too), or as an optional group
    when it needs none.
    """

    def __init__(self, vocab: dict[str, str]) -> None:
        self.vocab = vocab
        self._reduced: dict[str, str] = {}

    def stand_in(self, name: str) -> str:
        found = self._reduced.get(name)
        if found is None:
            needs = _required_of_source(self.reduced(self.vocab[name]), re.IGNORECASE)
            found = "(?:" + "|".join(map(re.escape, sorted(needs[0]))) + ")" if needs else "(?:x?)"
            self._reduced[name] = found
        return found

    def reduced(self, pattern: str) -> str:
        return _WORD_REF.sub(lambda m: self.stand_in(m.group(1)), pattern)


def _prefilter(patterns: Sequence[AnyPattern]) -> _Prefilter:
    """The literals the whole rule needs (None: always run) and those of each pattern."""
    return _prefilter_of([p.pattern for p in patterns], [p.flags for p in patterns])


def _prefilter_of(sources: Sequence[str], flags: Sequence[int]) -> _Prefilter:
    required = tuple(_required_of_source(s, f) for s, f in zip(sources, flags, strict=True))
    whole = None
    if all(r is not None for r in required):
        whole = frozenset().union(*(r[0] for r in required))  # type: ignore[index]
    return whole, required


def _trie(words: Iterable[str]) -> str:
    """A regular expression matching the longest of ``words`` that starts where it is tried."""
    root: dict[str, dict] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


class _Scanner:
    """Which patterns of a list of rules may match a text, from one pass over the text.

    Pattern number ``k`` (counting through the rules in order) is bit ``k`` of the answer, and
    ``where[k]`` is (rule number, pattern number in the rule). A pattern's first set of literals
    sets its bit; its other sets have bits of their own above those (``also[k]``), all needed.
    """

    def __init__(self, rules: Sequence[LanguageRule]) -> None:
        self.rules = tuple(rules)  # held so that the ids in the cache key stay theirs
        self.where = [(i, j) for i, r in enumerate(self.rules) for j in range(len(r.patterns))]
        self.patterns = (1 << len(self.where)) - 1
        self.also = [0] * len(self.where)
        self.always = 0
        bits: dict[str, int] = {}
        extra = len(self.where)
        for k, (i, j) in enumerate(self.where):
            needed = self.rules[i].prefilter[1][j]
            if needed is None:
                self.always |= 1 << k
                continue
            for n, words in enumerate(needed):
                bit = 1 << k if n == 0 else 1 << extra
                if n:
                    self.also[k] |= bit
                    extra += 1
                for word in words:
                    bits[word] = bits.get(word, 0) | bit
        # A literal found at a position stands for itself and every literal that is its prefix.
        self.bits = {
            w: functools.reduce(int.__or__, (bits.get(w[:n], 0) for n in range(1, len(w) + 1)))
            for w in bits
        }
        self.regex = re.compile(f"(?=({_trie(bits)}))") if bits else None

    def possible(self, low: str) -> int:
        found = self.always
        if self.regex is not None:
            for word in set(self.regex.findall(low)):
                found |= self.bits[word]
        return found


_SCANNERS: dict[tuple[int, ...], _Scanner] = {}


def _scanner(rules: Sequence[LanguageRule]) -> _Scanner:
    if rules is RULES and _RULES_SCANNER:
        return _RULES_SCANNER[0]
    key = tuple(map(id, rules))
    found = _SCANNERS.get(key)
    if found is None:
        if len(_SCANNERS) >= 16:  # rule lists made up on the fly (tests, the survivor plan)
            _SCANNERS.pop(next(iter(_SCANNERS)))
        found = _SCANNERS[key] = _Scanner(rules)
        if rules is RULES:
            _RULES_SCANNER.append(found)
    return found


RULES: tuple[LanguageRule, ...] = load_rules(lazy=True)
_RULES_SCANNER: list[_Scanner] = []  # built on the first text checked with RULES


def _one_per_stretch(
    text: str, rule: LanguageRule, spans: list[tuple[int, int]]
) -> Iterator[LanguageFinding]:
    """One finding per stretch of text: overlapping matches of one rule (two patterns catching
    one phrase) are reported once, by the earliest, longest span."""
    spans.sort(key=lambda se: (se[0], -se[1]))
    last_end = -1
    for start, end in spans:
        if start < last_end:
            continue
        last_end = end
        yield LanguageFinding(
            start=start,
            end=end,
            text=text[start:end],
            rule=rule.id,
            operation=rule.operation,
            message=rule.message,
            suggestion=rule.suggestion,
        )


def check_language(text: str, rules: Sequence[LanguageRule] = RULES) -> list[LanguageFinding]:
    """Phrasings that hide the perpetrator or blame the survivor, with positions and a rewording."""
    if not text or not text.strip():
        return []
    doc = _Text(text)
    scanner = _scanner(rules)
    present = scanner.possible(text.lower())
    possible = present & scanner.patterns
    found: list[LanguageFinding] = []
    current = -1
    spans: list[tuple[int, int]] = []
    # Only the patterns whose literals are in the text, rule by rule in order (lowest bit first).
    while possible:
        bit = possible & -possible
        possible ^= bit
        k = bit.bit_length() - 1
        also = scanner.also[k]
        if present & also != also:
            continue
        i, j = scanner.where[k]
        if i != current:
            if spans:
                found += _one_per_stretch(text, scanner.rules[current], spans)
            current, spans = i, []
        rule = scanner.rules[i]
        for m in rule.patterns[j].finditer(text):
            start, end = m.span()
            if start == end or doc.quoted(start, end):
                continue
            if _passes(rule, doc, start, end):
                spans.append((start, end))
    if spans:
        found += _one_per_stretch(text, scanner.rules[current], spans)
    found.sort(key=lambda f: (f.start, f.end, f.rule))
    return found


# -- checking a case ---------------------------------------------------------------------------

_RECORD_FIELDS = (
    "description",
    "source_detail",
    "perpetrator_link",
    "action",
    "purpose",
    "success_indicator",
)


@functools.cache
def _record_fields(model: type) -> tuple[str, ...]:
    # Asking a pydantic model for a field it does not have goes through its slow __getattr__,
    # which was half the time of walking a case's fields; each record type is asked only once.
    return tuple(f for f in _RECORD_FIELDS if f in model.model_fields)


def _text_fields(case: Case) -> Iterator[tuple[str, str, str, str]]:
    """(section, record id, field, text) for every worker-written free-text field."""
    if case.title:
        yield "case", case.case_id, "title", case.title
    for p in case.people:
        for field in ("relationship", "notes"):
            value = getattr(p, field)
            if value:
                yield "people", p.id, field, value
    for section, r in case.records():
        for field in _record_fields(type(r)):
            value = getattr(r, field)
            if value:
                yield section, r.id, field, value
    if case.worker_safety.visit_plan:
        yield "worker_safety", "worker_safety", "visit_plan", case.worker_safety.visit_plan
    for c in case.consultations:
        for i, q in enumerate(c.questions):
            if q:
                yield "consultations", c.id, f"questions[{i}]", q
        if c.notes:
            yield "consultations", c.id, "notes", c.notes
        for i, rec in enumerate(c.recommendations):
            if rec:
                yield "consultations", c.id, f"recommendations[{i}]", rec
    for rv in case.reviews:
        for criterion, rating in rv.ratings.items():
            if rating.note:
                yield "reviews", rv.id, f"ratings.{criterion}.note", rating.note
        if rv.reflections:
            yield "reviews", rv.id, "reflections", rv.reflections


def iter_text_fields(case: Case) -> Iterator[tuple[str, str, str]]:
    """Every worker-written free-text field of a case as (record id, field, text).

    ``quote`` is left out on purpose: it holds someone's exact words, which are evidence and
    must stay as they were said (domain.md §1.7). Names, labels and ids are not prose.
    """
    for _, record, field, text in _text_fields(case):
        yield record, field, text


# Items of her plan are often written without a subject ("Obtain a protection order"); read
# them as tasks set for her so that the survivor-task rule sees who is asked to do the work.
_SURVIVOR_PLAN_SUBJECT = "She must "
_SURVIVOR_PLAN_RULES = frozenset({"survivor-task"})


def _survivor_plan_findings(
    text: str, rules: Sequence[LanguageRule], already: list[LanguageFinding]
) -> list[LanguageFinding]:
    chosen = [r for r in rules if r.id in _SURVIVOR_PLAN_RULES]
    if not chosen:
        return []
    shift = len(_SURVIVOR_PLAN_SUBJECT)
    seen = {(f.rule, f.start) for f in already}
    out = []
    for f in check_language(_SURVIVOR_PLAN_SUBJECT + text, chosen):
        start, end = max(0, f.start - shift), f.end - shift
        if end <= 0 or any(rule == f.rule and abs(s - start) < 3 for rule, s in seen):
            continue
        out.append(replace(f, start=start, end=end, text=text[start:end]))
    return out


# -- the case's own people ---------------------------------------------------------------------
#
# Case notes name people ("Daniel lost his temper", "Ms Okafor failed to protect"); the rules
# speak of roles ("he", "the father", "she"). Before a field of a case is checked, every mention
# of one of its people is replaced by the words of their role, and each finding is mapped back
# to the original text, so its span and text are the worker's own words. The words stand for the
# role, not a gender: the rules read "he" as the person using violence and "she" as the parent
# he targets, whoever they are in a given family. Other adults (a grandmother, a worker) keep
# their names: their role says nothing about who is using violence.

# The word a mention becomes depends on its place in the sentence: before a verb it is the
# subject ("Daniel hit her" -> "he hit her"), after a verb or preposition the object ("let Daniel
# back" -> "let him back"), "Daniel's" the possessive; elsewhere the role noun ("father").
Form = Literal["subject", "object", "possessive", "noun"]
_ROLE_WORDS: dict[str, dict[str, str]] = {
    "perpetrator": {"subject": "he", "object": "him", "possessive": "his", "noun": "father"},
    "survivor": {"subject": "she", "object": "her", "possessive": "her", "noun": "mother"},
    "child": {
        "subject": "the child",
        "object": "the child",
        "possessive": "the child's",
        "noun": "the child",
    },
}
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+"
_POSSESSIVE = r"(?P<pos>['’]s\b|(?<=s)['’](?!\w))?"
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*)$")
# What comes next says "subject": an auxiliary, a modal, an adverb or a verb in the past or the
# third person; what comes before says "object": a word that is not a conjunction or a verb of
# saying (those start a new clause, whose first name is its subject).
_VERB_NEXT = re.compile(
    r"\s+(?:is|was|were|are|has|had|have|will|would|can|could|should|must|may|might|shall|did|"
    r"does|do|isn't|wasn't|hasn't|hadn't|won't|wouldn't|can't|couldn't|didn't|doesn't|"
    r"\w+ly|only|also|then|still|never|always|often|again|just|even|later|now|soon|once|"
    r"hit|kept|knew|told|said|made|went|left|took|gave|got|came|ran|threw|struck|beat|broke|"
    r"held|felt|thought|brought|sent|let|put|set|shut|cut|lost|found|saw|heard|spoke|stood|sat|"
    r"fled|drove|caught|bit|fought|bought|sold|paid|meant|slept|woke|wrote|grabbed|"
    r"\w+(?:ed|es)|\w+[^s'’\W]s)\b",
    re.IGNORECASE,
)
_CLAUSE_OPENER = re.compile(
    r"(?:^|[.!?:;,(\-–—]|\b(?:and|but|or|nor|that|because|when|whenever|while|whilst|if|as|after|"
    r"before|until|till|since|so|although|though|once|unless|where|why|how|what|who|whether|"
    r"said|says|say|told|tells|reports?|reported|claims?|claimed|believes?|believed|thinks?|"
    r"thought|knew|knows|know|shows?|showed|shown|states?|stated|feels?|felt|admits?|admitted|"
    r"explained|explains?|alleges?|alleged|disclosed|discloses?|denies|denied|agrees?|agreed|"
    r"accepts?|accepted|insists?|insisted|confirmed|confirms?|worried|fears?|feared|"
    r"demonstrate|demonstrates|show|prove|proves|proved|"
    r"did|does|do|is|was|has|had|can|could|would|should|will|"
    r"didn't|doesn't|don't|isn't|wasn't|hasn't|hadn't|can't|couldn't|wouldn't|won't))\s*$",
    re.IGNORECASE,
)


# "made Daniel do it", "let Sarah see": the name after a causative verb is its object.
_CAUSATIVE_BEFORE = re.compile(
    r"\b(?:make|makes|made|making|let|lets|letting|help|helps|helped|watch|watched|see|saw|hear|"
    r"heard)\s+$",
    re.IGNORECASE,
)
# "for Sarah to keep", "Daniel and Sarah argued": a role noun reads right in either place.
_TO_NEXT = re.compile(r"\s+to\b", re.IGNORECASE)
_COUPLE_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms)\.?\s+(?:and|&)\s+$")
_AND = re.compile(r"\s*(?:,|,?\s+and|\s+&|\s+or)\s+", re.IGNORECASE)


def _form(text: str, start: int, end: int, possessive: bool, paired: bool) -> Form:
    before = text[max(0, start - 40) : start]
    if possessive:
        return "possessive"
    if _CAUSATIVE_BEFORE.search(before):
        return "object"
    if paired or _TO_NEXT.match(text, end):
        return "noun"
    if _VERB_NEXT.match(text, end):
        return "subject"
    if _CLAUSE_OPENER.search(before):
        return "noun"
    return "object"


@dataclass(frozen=True)
class _Mention:
    role: str
    name: str  # a name as written in the case ("Daniel Hale", "Hale")
    titled: bool = False  # only with a title before it ("Mr Hale")


def _mentions(case: Case) -> list[_Mention]:
    """The ways the case's people may be named in its text, each with the role it stands for.

    A full name, an alias and a title with the surname ("Mr Hale") name one person. A given name
    names a person only if no one else in the case has it; a surname alone only if no one else
    has it; a title with a surname only if no other adult has that surname (a child sharing it
    does not make "Mr Hale" ambiguous). Ambiguous forms are left as written.
    """
    people = [p for p in case.people if p.role in _ROLE_WORDS]
    named = [(p, p.name.split()) for p in case.people if p.name.strip()]

    def count(position: int, word: str, adults_only: bool = False) -> int:
        return sum(
            1
            for p, words in named
            if len(words) > max(position, 0)
            and words[position] == word
            and not (adults_only and p.role == "child")
        )

    out: list[_Mention] = []
    for p in people:
        out += [_Mention(p.role, n.strip()) for n in (p.name, *p.aliases) if n.strip()]
        words = p.name.split()
        if len(words) >= 2:
            given, surname = words[0], words[-1]
            if count(0, given) == 1:
                out.append(_Mention(p.role, given))
            if count(-1, surname, adults_only=True) == 1 and p.role != "child":
                out.append(_Mention(p.role, surname, titled=True))
            if count(-1, surname) == 1:
                out.append(_Mention(p.role, surname))
    return out


def _name_pattern(names: Iterable[str]) -> str:
    # Longest first, so that "Daniel Hale" wins over "Daniel"; any spacing between its words.
    ordered = sorted(set(names), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, n.split())) for n in ordered)


def _key(name: str) -> str:
    return " ".join(name.split())


class _People:
    """Replaces the case's people by the words of their role, remembering where each one was."""

    def __init__(self, mentions: Sequence[_Mention]) -> None:
        self.roles = {_key(m.name): m.role for m in mentions if not m.titled}
        self.titled = {_key(m.name): m.role for m in mentions if m.titled}
        alternatives = []
        if self.titled:
            alternatives.append(f"{_TITLE}(?P<titled>{_name_pattern(self.titled)})")
        if self.roles:
            alternatives.append(f"(?:{_TITLE})?(?P<name>{_name_pattern(self.roles)})")
        self.regex = (
            re.compile(rf"(?<![\w'’-])(?:{'|'.join(alternatives)}){_POSSESSIVE}(?![\w-])")
            if alternatives
            else None
        )

    def substitute(self, text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
        """The text with role words for names, and (new start, new end, start, end) of each."""
        if self.regex is None:
            return text, []
        matches = list(self.regex.finditer(text))
        if not matches:
            return text, []
        pieces: list[str] = []
        spans: list[tuple[int, int, int, int]] = []
        last = shift = 0
        paired = {
            k
            for i, (a, b) in enumerate(itertools.pairwise(matches))
            if _AND.fullmatch(text, a.end(), b.start())
            for k in (i, i + 1)
        }
        for i, m in enumerate(matches):
            start, end = m.span()
            if _COUPLE_TITLE.search(text, max(0, start - 12), start):
                continue  # "Mr. and Ms Okafor" names the couple; the rules read it as it is
            titled = m.group("titled") if self.titled else None
            role = self.titled[_key(titled)] if titled else self.roles[_key(m.group("name"))]
            word = _ROLE_WORDS[role][_form(text, start, end, bool(m.group("pos")), i in paired)]
            if _SENTENCE_START.search(text, max(0, start - 8), start):
                word = word[0].upper() + word[1:]
            pieces += [text[last:start], word]
            new_start = start + shift
            spans.append((new_start, new_start + len(word), start, end))
            shift += len(word) - (end - start)
            last = end
        pieces.append(text[last:])
        return "".join(pieces), spans


def _map_back(
    finding: LanguageFinding, text: str, spans: Sequence[tuple[int, int, int, int]]
) -> LanguageFinding:
    """The finding with its span in the original text: a cut inside a role word takes the name."""

    def position(p: int, is_end: bool) -> int:
        i = bisect.bisect_right([s[0] for s in spans], p - 1 if is_end else p) - 1
        if i < 0:
            return p
        new_start, new_end, start, end = spans[i]
        if p < new_end or (is_end and p == new_end):
            return end if is_end else start
        return p - new_end + end

    start, end = position(finding.start, False), position(finding.end, True)
    return replace(finding, start=start, end=end, text=text[start:end])


def lint_case(case: Case, rules: Sequence[LanguageRule] = RULES) -> list[CaseLanguageFinding]:
    """Language findings in every worker-written free-text field of a case, in case order.

    The case's own people are read as their roles ("Daniel lost his temper" as "he lost his
    temper"), so that naming someone does not hide a phrasing from the rules.
    """
    people = _People(_mentions(case))
    out = []
    for section, record, field, original in _text_fields(case):
        text, spans = people.substitute(original)
        found = check_language(text, rules)
        if section == "plans.survivor":
            found = sorted(
                found + _survivor_plan_findings(text, rules, found),
                key=lambda f: (f.start, f.end, f.rule),
            )
        if spans:
            found = [_map_back(f, original, spans) for f in found]
        out += [CaseLanguageFinding(record, field, f) for f in found]
    return out


def lint_lines(
    text: str, rules: Sequence[LanguageRule] = RULES
) -> list[tuple[int, LanguageFinding]]:
    """Findings in a plain text read line by line, as (1-based line number, finding)."""
    return [
        (n, f)
        for n, line in enumerate(text.splitlines(), start=1)
        for f in check_language(line, rules)
    ]


def finding_dict(finding: LanguageFinding) -> dict[str, Any]:
    """The JSON form of a finding (start, end, text, rule, operation, message, suggestion)."""
    return {
        "start": finding.start,
        "end": finding.end,
        "text": finding.text,
        "rule": finding.rule,
        "operation": finding.operation,
        "message": finding.message,
        "suggestion": finding.suggestion,
    }


_WORD = re.compile(r"[\w'’-]+")


def word_count(case: Case) -> int:
    """Words in the fields :func:`lint_case` reads (for findings per 1,000 words)."""
    return sum(len(_WORD.findall(text)) for _, _, _, text in _text_fields(case))


# -- measuring against a labelled set ----------------------------------------------------------


@dataclass(frozen=True)
class Example:
    label: str  # "flag" or "ok"
    sentence: str
    why: str
    set: str


def read_examples(path: Path | str) -> list[Example]:
    """A tab-separated file with a header: label, sentence, why and optionally set."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    out = []
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        row = dict(zip(header, line.split("\t"), strict=False))
        if row.get("label") not in ("flag", "ok"):
            raise ValueError(f"{path}:{n}: label must be 'flag' or 'ok'")
        out.append(
            Example(row["label"], row["sentence"], row.get("why", ""), row.get("set", "all"))
        )
    return out


@dataclass(frozen=True)
class Score:
    true_flags: int
    missed: int
    false_alarms: int
    true_ok: int

    @property
    def recall(self) -> float:
        n = self.true_flags + self.missed
        return self.true_flags / n if n else 1.0

    @property
    def false_alarm_rate(self) -> float:
        n = self.false_alarms + self.true_ok
        return self.false_alarms / n if n else 0.0


def score(examples: Iterable[Example], rules: Sequence[LanguageRule] = RULES) -> Score:
    """Recall (flag sentences with a finding) and false alarms (ok sentences with one)."""
    tf = mi = fa = to = 0
    for ex in examples:
        hit = bool(check_language(ex.sentence, rules))
        if ex.label == "flag":
            tf, mi = tf + hit, mi + (not hit)
        else:
            fa, to = fa + hit, to + (not hit)
    return Score(tf, mi, fa, to)


def _report(path: str, verbose: bool) -> int:
    examples = read_examples(path)
    sets = list(dict.fromkeys(e.set for e in examples))  # in file order
    print(f"{'set':<10}{'flag':>6}{'ok':>6}{'recall':>9}{'false alarms':>15}")
    for name in [*sets, "all"]:
        chosen = [e for e in examples if name in ("all", e.set)]
        s = score(chosen)
        print(
            f"{name:<10}{s.true_flags + s.missed:>6}{s.false_alarms + s.true_ok:>6}"
            f"{s.recall:>9.1%}{s.false_alarms:>7} ({s.false_alarm_rate:.1%})"
        )
    if verbose:
        for e in examples:
            found = check_language(e.sentence)
            if e.label == "flag" and not found:
                print(f"MISSED [{e.set}] {e.sentence}")
            elif e.label == "ok" and found:
                rules = ", ".join(f"{f.rule} '{f.text}'" for f in found)
                print(f"FALSE ALARM [{e.set}] {e.sentence}  <- {rules}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casemap.analysis.language")
    parser.add_argument(
        "--eval",
        metavar="TSV",
        required=True,
        help="labelled sentences: label, sentence, why[, set]",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every missed sentence and every false alarm",
    )
    args = parser.parse_args(argv)
    return _report(args.eval, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
