"""Matching keys for many names at once, memoised word by word.

A million records hold hundreds of thousands of distinct names but far fewer distinct words, so
each word is normalised, split and keyed once and a name's keys are put together from its words'
pieces. What depends on the whole name stays whole: whether the text is Latin (only then is it
case-folded), placeholders and initials-only names, compounds joined across words, the سید
prefix kept on a one-word name, doubled letters collapsing across words. The result equals
``split_name``, ``name_key`` and ``skeleton_key`` of the whole text (tests/normalise/test_name_memo.py).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from shomar.normalise.names import (
    HONORIFICS,
    INITIAL_SEPARATORS,
    LATIN_INITIALS,
    PLACEHOLDERS,
    SEPARATORS,
    collapse_doubles,
    initial_letter,
    is_initial,
    may_join_next,
    may_join_previous,
    merge_compounds,
    token_key,
    token_skeleton,
    without_apostrophes,
)
from shomar.normalise.persian import is_persian, normalise, word_forms


class NameKeys(NamedTuple):
    """What ``split_name``, ``name_key`` and ``skeleton_key`` say of one text."""

    tokens: tuple[str, ...]
    honorifics: tuple[str, ...]
    is_placeholder: bool
    key: str
    skeleton: str


class _Token(NamedTuple):
    """One token's skeleton, doubled letters collapsed, as the only token of a name and beside
    others (a joined-on سید drops only then)."""

    skeleton_alone: str
    skeleton_among: str
    may_join: bool


class _Word(NamedTuple):
    """One word of a normalised text: its tokens apart from honorifics, the honorifics, and, if the
    word is initials only, their letters ("" for a word of dots alone)."""

    text: str
    tokens: tuple[str, ...]
    honorifics: tuple[str, ...]
    initials: str | None
    has_parts: bool


class _Piece(NamedTuple):
    """One whitespace-separated piece of a raw text as a word of a Persian-script text and of a
    Latin one (None where it normalises to nothing)."""

    has_persian: bool
    in_persian: _Word | None
    in_latin: _Word | None


class PlainToken(NamedTuple):
    """The one token of a plain word (see ``NameMemo.plain_tokens``): its key, its part of a
    name's skeleton alone and among others, and its own skeleton as a text."""

    text: str
    key: str
    skeleton_alone: str
    skeleton_among: str
    skeleton: str
    is_persian: bool
    may_join_previous: bool
    may_join_next: bool


# A name of plain words cannot be a placeholder unless all of its words are placeholder words.
_PLACEHOLDER_WORDS = {w for p in PLACEHOLDERS for w in p.split()}


class NameMemo:
    """Keys of the names of one batch; the memo lives as long as the object, so drop it after."""

    def __init__(self) -> None:
        self._pieces: dict[str, _Piece | None] = {}
        self._words: dict[str, _Word] = {}
        self._tokens: dict[str, _Token] = {}
        self._repeated: dict[str, NameKeys] = {}
        self._skeletons: dict[str, str] = {}
        self._plain_persian: dict[str, PlainToken] = {}
        self._plain_latin: dict[str, PlainToken] = {}
        self._seen: set[str] = set()

    def plain_tokens(self, text: str) -> list[PlainToken] | None:
        """The tokens of a text of plain words of one script, one token each, or None.

        A plain word is one that decides nothing about the whole text: it normalises within its
        spaces, to one token that is not an honorific, an initial or a placeholder word, and whose
        key is not empty. A text of such words, none of which may join its neighbour there, is no
        placeholder, has no honorifics and merges nothing: its keys are its tokens' side by side.
        """
        pieces = text.split()
        if not pieces:
            return None
        # A piece is plain in one script at most: the first piece tells which memo to look in.
        plain = self._plain_persian if pieces[0] in self._plain_persian else self._plain_latin
        try:
            tokens = [plain[p] for p in pieces]
        except KeyError:
            pass
        else:
            if any(t.may_join_previous for t in tokens[1:]) or any(t.may_join_next for t in tokens[:-1]):
                return None
            return tokens
        unseen = [p for p in pieces if p not in self._seen]
        if not unseen:
            return None
        for piece in unseen:
            self._classify(piece)
        return self.plain_tokens(text)

    def plain_token(self, piece: str) -> PlainToken | None:
        """The token of one piece of text between whitespace if the piece is a plain word."""
        if piece not in self._seen:
            self._classify(piece)
        found = self._plain_persian.get(piece)
        return found if found is not None else self._plain_latin.get(piece)

    def _classify(self, piece: str) -> None:
        self._seen.add(piece)
        forms = self._piece(piece)
        if forms is None or forms.has_persian != is_persian(piece):  # the raw script is a column
            return
        plain = self._plain_token(piece, forms.in_persian if forms.has_persian else forms.in_latin,
                                  forms.has_persian)
        if plain is not None:
            (self._plain_persian if forms.has_persian else self._plain_latin)[piece] = plain

    def _plain_token(self, piece: str, parsed: _Word | None, has_persian: bool) -> PlainToken | None:
        if not _is_one_token(parsed):
            return None
        assert parsed is not None
        text = parsed.tokens[0]
        key = token_key(text)
        if not key or " " in key:
            return None
        token = self._token(text)
        return PlainToken(text, key, token.skeleton_alone, token.skeleton_among, self.skeleton(text),
                          has_persian, may_join_previous(text), may_join_next(text))

    def keys(self, text: str) -> NameKeys:
        """The keys of one text, put together from its words' memoised pieces."""
        plain = self.plain_tokens(text)
        if plain is None:
            return self.general_keys(text)
        skeleton = (collapse_joined([t.skeleton_among for t in plain]) if len(plain) > 1
                    else plain[0].skeleton_alone)
        return NameKeys(tuple([t.text for t in plain]), (), False, " ".join([t.key for t in plain]), skeleton)

    def skeleton(self, text: str) -> str:
        """``skeleton_key(text)``, remembered by text."""
        found = self._skeletons.get(text)
        if found is None:
            found = self._one_word_skeleton(text)
            if found is None:
                found = self._general_parts(text)[3]
            self._skeletons[text] = found
        return found

    def _one_word_skeleton(self, text: str) -> str | None:
        """The skeleton of a text of one word of one token that is no honorific, initial or
        placeholder word (None for any other text): that token's skeleton alone, as
        ``_general_parts`` finds it when no whole-text rule applies."""
        pieces = text.split()
        if len(pieces) != 1 or pieces[0] != text:
            return None
        forms = self._piece(text)
        if forms is None:
            return None
        parsed = forms.in_persian if forms.has_persian else forms.in_latin
        return self._token(parsed.tokens[0]).skeleton_alone if _is_one_token(parsed) else None  # type: ignore[union-attr]

    def general_keys(self, text: str) -> NameKeys:
        """``keys`` of any text: whole-text rules applied to the words' memoised pieces."""
        tokens, honorifics, is_placeholder, skeleton = self._general_parts(text)
        return NameKeys(tokens, honorifics, is_placeholder, " ".join([token_key(t) for t in tokens]), skeleton)

    def _general_parts(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...], bool, str]:
        """Tokens, honorifics, whether a placeholder, skeleton: all of ``keys`` but the key."""
        words = self._words_of(text)
        norm = " ".join([w.text for w in words])
        initials = None
        if words and words[0].initials is not None and all(w.initials is not None for w in words):
            if any(w.has_parts for w in words):
                initials = "#" + "".join([w.initials for w in words])  # type: ignore[misc]
        if norm in PLACEHOLDERS or LATIN_INITIALS.fullmatch(norm or "x") or initials is not None:
            return (), (), True, initials or ""
        if len(words) == 1:
            kept, honorifics = list(words[0].tokens), words[0].honorifics
        else:
            kept = [t for w in words for t in w.tokens]
            honorifics = tuple(h for w in words for h in w.honorifics)
        pieces = [self._token(t) for t in kept]
        if any(p.may_join for p in pieces):
            kept = merge_compounds(kept)
            pieces = [self._token(t) for t in kept]
        if len(pieces) > 1:
            skeleton = collapse_joined([p.skeleton_among for p in pieces])
        else:
            skeleton = pieces[0].skeleton_alone if pieces else ""
        return tuple(kept), honorifics, not kept, skeleton

    def repeated_keys(self, text: str) -> NameKeys:
        """``keys`` remembered by text: for texts that recur (given names, single tokens)."""
        found = self._repeated.get(text)
        if found is None:
            found = self._repeated[text] = self.keys(text)
        return found

    def _words_of(self, text: str) -> list[_Word]:
        """The words of ``normalise(text)``, from its raw pieces' memoised forms."""
        pieces = []
        for raw in text.split():
            piece = self._piece(raw)
            if piece is None:  # a piece that reaches across a space: the whole text at once
                norm = normalise(text)
                return [self._word(w) for w in norm.split(" ")] if norm else []
            pieces.append(piece)
        if any(p.has_persian for p in pieces):
            return [p.in_persian for p in pieces if p.in_persian is not None]
        return [p.in_latin for p in pieces if p.in_latin is not None]

    def _piece(self, raw: str) -> _Piece | None:
        try:
            return self._pieces[raw]
        except KeyError:
            pass
        forms = word_forms(raw)
        if forms is None:
            found = None
        else:
            in_persian, in_latin, has_persian = forms
            found = _Piece(has_persian, self._word(in_persian) if in_persian else None,
                           self._word(in_latin) if in_latin else None)
        self._pieces[raw] = found
        return found

    def _word(self, word: str) -> _Word:
        try:
            return self._words[word]
        except KeyError:
            parsed = self._words[word] = _parse_word(word)
            return parsed

    def _token(self, token: str) -> _Token:
        try:
            return self._tokens[token]
        except KeyError:
            parts = self._tokens[token] = _Token(
                collapse_doubles(token_skeleton(token, False)), collapse_doubles(token_skeleton(token, True)),
                may_join_previous(token) or may_join_next(token))
            return parts


def _is_one_token(parsed: _Word | None) -> bool:
    """A word that decides nothing about the text it stands in: one token, no honorific, not
    initials, not a word of a placeholder."""
    return not (parsed is None or len(parsed.tokens) != 1 or parsed.honorifics or parsed.initials is not None
                or parsed.text in _PLACEHOLDER_WORDS)


_WORD_MARKS = re.compile(r"[.,\-'’]")


def _parse_word(word: str) -> _Word:
    if _WORD_MARKS.search(word) is None:  # most words: one part, one token
        parts = raw = [word]
    else:
        parts = [p for p in INITIAL_SEPARATORS.split(word) if p]
        raw = [t for t in SEPARATORS.split(without_apostrophes(word)) if t]
    initials = "".join(initial_letter(p) for p in parts) if all(map(is_initial, parts)) else None
    return _Word(word, tuple(t for t in raw if t not in HONORIFICS),
                 tuple(HONORIFICS[t] for t in raw if t in HONORIFICS), initials, bool(parts))


def collapse_joined(skeletons: list[str]) -> str:
    """``collapse_doubles`` of the skeletons joined, each already collapsed within itself: a
    letter doubles across a boundary only as one skeleton's last and the next one's first."""
    out: list[str] = []
    last = ""
    for skeleton in skeletons:
        if skeleton[:1] == last:
            skeleton = skeleton[1:]
        if skeleton:
            out.append(skeleton)
            last = skeleton[-1]
    return "".join(out)
