"""The render-time typography pass: a language's rule table (source/typography.py) applied to a
text on its way to HTML. It works on text, never on markup, and is idempotent (a text typeset
twice is the text typeset once), so that a filter's output may pass through it again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..source.typography import TypographyRules

WJ = "\u2060"  # a word joiner: no line break on either side
NBSP = "\u00a0"
LETTER = r"[^\W\d_]"
REFERENCE_DOT = re.compile(r"(?<=[A-Z])\.(?=\d)")
# a short name with a slash ("OSR/CTHB", "и/или", "6/17"), not a path or an address: one token
SHORT_SLASH = re.compile(r"(?<![\w/.:])(\w{1,8})/(?=\w{1,8}(?![\w/.]))")


SHORT_PHRASE = 10  # characters: a display heading's phrase shorter than this is a stub alone on a line
# and its last line: "OF CHILDREN" (11) alone under an A5 title (book designer, round 11)
LAST_PHRASE = 12
PHRASE = 40  # characters: the longest phrase a display heading keeps on one line (an A5 title's line holds 44)
NAMED = "\ue000"  # a space inside one of the table's heading_phrases while the heading is cut into phrases


def _phrase(text: str, longest: int) -> list[str]:
    """A phrase cut into pieces that each keep their words together (no-break spaces), halved while
    too long; a phrase of two chunks too long for the line stays one piece with its space (the line
    breaks there only where it must)."""
    plain = text.replace(NAMED, " ")
    spaces = [index for index, char in enumerate(plain) if char == " "]
    if len(plain) <= longest:
        return [plain.replace(" ", NBSP)]
    if len(spaces) <= 1:
        return [plain]
    # the last space at or before the middle: a noun phrase ends on its noun (adjectives before it,
    # in English as in Russian), so the longer half is the one that keeps the noun with its nearest
    # word («С ДРУГИМИ ФОРМАМИ» / «СЕКСУАЛЬНОЙ ЭКСПЛУАТАЦИИ ДЕТЕЙ»)
    cut = max((index for index in spaces if index <= len(plain) / 2), default=spaces[0])
    return [*_phrase(plain[:cut], longest), *_phrase(plain[cut + 1 :], longest)]


def _connector(phrase: str, rules: TypographyRules) -> str:
    """The words opening a phrase that never end a heading's line, when they are a connector of
    their own («В ТОМ ЧИСЛЕ»; not "OF THE", nor «А ТАКЖЕ С»: the words that end no line at all,
    «С», «В», stay with what follows)."""
    words = re.split(f"[ {NBSP}]", phrase.replace(NAMED, " "))
    heading = {word.casefold() for word in rules.heading_no_break_after}
    anywhere = {word.casefold() for word in rules.no_break_after}
    count = 0
    while count < len(words) - 1 and words[count].casefold() in heading | anywhere:
        count += 1
    while count and words[count - 1].casefold() in anywhere:
        count -= 1
    connector = NBSP.join(words[:count])
    return connector if count > 1 and len(connector) >= SHORT_PHRASE else ""


def _joined(phrases: list[str], longest: int) -> list[str]:
    """Phrases with no stub: a short one goes with the next («ПО БОРЬБЕ» / «С ТОРГОВЛЕЙ
    ЛЮДЬМИ»), a short last one with the one before («…И БОРЬБЕ» / «С НЕЙ»), where they fit."""
    joined: list[str] = []
    for phrase in phrases:
        if joined and len(joined[-1]) < SHORT_PHRASE and len(joined[-1]) + 1 + len(phrase) <= longest:
            joined[-1] = f"{joined[-1]} {phrase}"
        else:
            joined.append(phrase)
    if len(joined) > 1 and len(joined[-1]) < LAST_PHRASE and len(joined[-2]) + 1 + len(joined[-1]) <= longest:
        joined[-2:] = [f"{joined[-2]} {joined[-1]}"]
    return joined


def _words(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Typesetter:
    """Applies one language's rules; a language without a table gets none."""

    rules: TypographyRules

    @cached_property
    def _after(self) -> re.Pattern | None:
        words = self.rules.no_break_after
        # a word alone (after a space, a parenthesis or the start), then an ordinary space
        return re.compile(rf"(?<![\w.])({_words(words)}) (?=\S)", re.IGNORECASE) if words else None

    @cached_property
    def _heading(self) -> re.Pattern | None:
        words = self.rules.heading_no_break_after
        return re.compile(rf"(?<![\w.])({_words(words)}) (?=\S)", re.IGNORECASE) if words else None

    def heading(self, text: str) -> str:
        """A display heading's words that never end its lines joined to the word after them."""
        if self._heading is None:
            return text
        return self._heading.sub(r"\1" + NBSP, self._heading.sub(r"\1" + NBSP, text))  # "OF THE …": overlaps

    @cached_property
    def _openers(self) -> frozenset[str]:
        # the words that never end a heading's line: a phrase by sense begins at each of them
        return frozenset(word.casefold() for word in (*self.rules.no_break_after, *self.rules.heading_no_break_after))

    @cached_property
    def _named(self) -> re.Pattern | None:
        names = self.rules.heading_phrases
        # (matched after the rules joined some of its words: «ПО\u00a0БЕЗОПАСНОСТИ»)
        spaced = _words(names).replace("\\ ", "[ \u00a0]")
        return re.compile(rf"(?<!\w)(?:{spaced})(?!\w)", re.IGNORECASE) if names else None

    def phrases(self, text: str, longest: int = PHRASE) -> str:
        """A display heading that breaks only by sense: after a comma or before a word that never
        ends its lines ("… COMBAT / CHILD TRAFFICKING" parted a noun phrase: book designer, round
        10, S4), or around a name of the table's heading_phrases; each phrase of at most `longest`
        characters (what a line of the heading's measure holds) kept on one line."""
        return " ".join(" ".join(pieces) for pieces in self.phrase_pieces(text, longest))

    def phrase_pieces(self, text: str, longest: int = PHRASE) -> list[list[str]]:
        """The heading's phrases, each as the pieces a line may break between. A phrase too long
        that opens with a connector of its own («В ТОМ ЧИСЛЕ НЕСОПРОВОЖДАЕМЫМИ НЕСОВЕРШЕННОЛЕТНИМИ,»)
        is the connector and the rest: halving it parted the adjective from its noun, and a line
        filled greedily ended on the connector (confirmation round 12, SF-1); the layout sets such
        a phrase as one box (html.heading_by_sense), whole where it fits and else broken after
        its connector, by the widths the page measures."""
        text = self.heading(self(text))
        if self._named is not None:
            text = self._named.sub(lambda m: m.group(0).replace(" ", NAMED), text)
        tokens = text.split(" ")
        phrases: list[list[str]] = []
        for index, token in enumerate(tokens):
            first = token.split(NBSP)[0].lstrip('(«"“').casefold()
            before = tokens[index - 1] if index else ""
            if not index or before[-1:] in ",;:" or first in self._openers or NAMED in token + before:
                phrases.append([])
            phrases[-1].append(token)
        result: list[list[str]] = []
        for phrase in _joined([" ".join(words) for words in phrases], longest):
            connector = _connector(phrase, self.rules) if len(phrase) > longest else ""
            if connector:
                rest = phrase[len(connector) + 1 :]  # (its words and separators, as long as written)
                result.append([connector, *_phrase(rest, longest)])
            else:
                result.extend([piece] for piece in _phrase(phrase, longest))
        return result

    @cached_property
    def _before(self) -> re.Pattern | None:
        words = self.rules.no_break_before
        # a narrow no-break space too (Babel's «2018\u202fг.»): one kind of space throughout the text
        return re.compile(rf"(?<=\S)[ \u202f]({_words(words)})(?![\w])") if words else None

    @cached_property
    def _together(self) -> re.Pattern | None:
        phrases = self.rules.keep_together
        return re.compile(rf"(?<!\w)(?:{_words(phrases)})(?!\w)", re.IGNORECASE) if phrases else None

    def __call__(self, text: str) -> str:
        if not text or (" " not in text and '"' not in text):
            return text  # an id, an address (an href, a stylesheet's): nothing for a rule to do
        if self._together is not None:  # a phrase breaks neither at its spaces nor after a slash
            text = self._together.sub(lambda m: m.group(0).replace(" ", NBSP).replace("/", "/\u2060"), text)
        rules = self.rules
        # a paragraph reference ("IV.1(A)6", "A.3") reads as one token: a word joiner after its dot
        # keeps a line from breaking there, in every language and every measure
        text = REFERENCE_DOT.sub(".\u2060", text)
        text = SHORT_SLASH.sub("\\1/\u2060", text)
        if rules.quotes:
            text = self._quotes(text)
        if rules.space_before:
            marks = "".join(re.escape(mark) for mark in rules.space_before)
            text = re.sub(rf"(?<=\w) ?([{marks}])(?=\s|$)", NBSP + r"\1", text)
        if rules.space_inside_quotes and rules.quotes:
            opening, closing = re.escape(rules.quotes[0]), re.escape(rules.quotes[1])
            text = re.sub(rf"({opening}) ?(?=\S)", r"\1" + NBSP, text)
            text = re.sub(rf"(?<=\S) ?({closing})", NBSP + r"\1", text)
        if rules.dash:
            # a hyphen or a dash between spaces, not between two numbers (a range stays as it is)
            # (a no-break space after it stays: a legend's «БОС\u00a0—\u00a0боснийский» is one unit; a
            # word joiner holds it, since a line may break between a dash and a no-break space (UAX #14
            # LB12a): "ITA –" / "Italian", book designer round 10)
            text = re.sub(
                r"(?<!\d)[ \u00a0][-\u2013\u2014]([ \u00a0])(?!\d)",
                lambda m: f"{NBSP}{rules.dash}{WJ + NBSP if m.group(1) == NBSP else ' '}",
                text,
            )
        if rules.initials:
            text = re.sub(rf"(?<![\w.])({LETTER}\.) (?={LETTER})", r"\1" + NBSP, text)
        if self._after is not None:
            text = self._after.sub(r"\1" + NBSP, text)
            text = self._after.sub(r"\1" + NBSP, text)  # "и в …": overlapping matches
        if self._before is not None:
            text = self._before.sub(NBSP + r"\1", text)
        if rules.short_parenthesis:
            limit = rules.short_parenthesis
            text = re.sub(rf"\(([^()]{{1,{limit - 2}}})\)", lambda m: "(" + m.group(1).replace(" ", NBSP) + ")", text)
        return text

    def _quotes(self, text: str) -> str:
        quotes = self.rules.quotes
        outer = quotes[:2]
        inner = quotes[2:4] if len(quotes) == 4 else outer
        result, depth = [], 0
        for index, char in enumerate(text):
            if char != '"':
                result.append(char)
                continue
            before = text[index - 1] if index else " "
            opening = before.isspace() or before in "([{«„“/-\u2014\u2013" or index == 0
            if opening:
                result.append(outer[0] if depth == 0 else inner[0])
                depth += 1
            else:
                depth = max(depth - 1, 0)
                result.append(outer[1] if depth == 0 else inner[1])
        return "".join(result)

    def last_word(self, text: str, join: bool = True, chunks: bool = False) -> tuple[str, str, str]:
        """A paragraph typeset and split before its last word: (head, space, last word); a short
        last word (the table's last_word) comes with the word before it, joined by a no-break space
        (`join`; justified text does without: a chunk of words that cannot break sets the line
        before it loose). `chunks`: a ragged line that ends in a leader (a contents entry) takes
        the word before whatever the rules already joined («и органами ОБСЕ», «и борьбе с ней»):
        no line above it is set loose."""
        head, space, last = self(text).rpartition(" ")
        # (a last word alone: one the rules already joined to the words before it is a phrase, and
        # taking a word more made «несовершеннолетними, и борьбе с ней» too long to follow its line)
        if join and space and chunks and len(last) <= self.rules.last_word and NBSP not in last:
            head, space, before = head.rpartition(" ")
            return head, space, f"{before}{NBSP}{last}"
        if join and space and len(last) <= self.rules.last_word and NBSP not in last:
            # the word before goes into the last word's unhyphenated span too: WeasyPrint takes
            # the hyphenation of a run of words joined by no-break spaces from its first word
            start, space_before, before = head.rpartition(" ")
            # never three words or more: a rule's pair already at the end («и технологий;»), or
            # before it («и финансируемых программ.»), would take a chunk so long that the line
            # above it stops half full (Russian editor, round 9, finding 4); a word of normal
            # length may end a paragraph alone
            if NBSP not in before:
                head, space, last = start, space_before, f"{before}{NBSP}{last}"
        return head, space, last
