"""Code cards (predict and write): their role fences, attributes, parameters and fronts.

A note with at least one role fence (```` ```python ROLE ````) is a code card. Its fences
decide the kind: ``expect`` makes a predict card, ``solution`` + ``check`` a write card.
Everything the checker needs goes into ``CodeSpec``; the parser itself runs nothing: the
expressions are only compiled (to report a syntax error at its line) and the parameters are
drawn once by the safe evaluator (to report a bad one before review).
"""

from __future__ import annotations

import ast
import functools

from studyrnn.decks import params
from studyrnn.decks.blocks import FenceBlock
from studyrnn.decks.fences import parse_info
from studyrnn.decks.model import Card, CardKind, CodeSpec, Fence, Role
from studyrnn.decks.note import CardBase, NoteReader, join, shown, why_index


class CodeNoteReader(NoteReader):
    """A note with role fences."""

    def code_cards(
        self, role_fences: list[FenceBlock], body_start: int, base: CardBase
    ) -> list[Card]:
        fences: dict[Role, Fence] = {}
        wrongs: list[Fence] = []
        alsos: list[Fence] = []
        attrs: dict[str, tuple[str, int]] = {}
        for block in role_fences:
            info = parse_info(block.info)
            for code, message in info.errors:
                self.error(block.line + 1, code, message)
            if info.role is None:
                continue
            code = block.code.rstrip("\n")
            fence = Fence(info.role, code, block.line + 1, tuple(info.attrs), info.label)
            for key, value in info.attrs:
                if key in attrs and attrs[key][0] != value:
                    self.error(
                        block.line + 1,
                        "bad-attribute",
                        f"`{key}={value}` contradicts `{key}={attrs[key][0]}` on line "
                        f"{attrs[key][1]} (attributes apply to the whole card; give one "
                        "value)",
                    )
                attrs.setdefault(key, (value, block.line + 1))
            if "{{=" in code:
                offset = code[: code.find("{{=")].count("\n")
                self.error(
                    block.line + 2 + offset,
                    "placeholder-in-code",
                    f"`{{{{=...}}}}` inside a ```python {info.role.value} fence (runnable "
                    "code uses the parameters as plain variables: write `layers`, not "
                    "`{{=layers}}`)",
                )
            if not code.strip() and info.role is not Role.STARTER:
                self.error(
                    block.line + 1,
                    "empty-fence",
                    f"empty ```python {info.role.value} fence (write its code, or remove it)",
                )
            if info.role is Role.WRONG:
                wrongs.append(fence)
            elif info.role is Role.ALSO:
                alsos.append(fence)
            elif info.role in fences:
                self.error(
                    block.line + 1,
                    "duplicate-fence",
                    f"a second ```python {info.role.value} fence (the first is on line "
                    f"{fences[info.role].line}; a card has one of each, except `wrong`)",
                )
            else:
                fences[info.role] = fence
        kind = self._code_kind(fences, wrongs, alsos)
        if kind is CardKind.PREDICT:
            # a write card's wrong fences are code (a mistaken answer), not expressions
            for f in [fences[Role.EXPECT], *wrongs]:
                self._check_expression(f)

        defined: list[str] | None = None
        if Role.PARAMS in fences:
            defined = self._check_params(fences[Role.PARAMS])
        skip = [(b.line, b.end) for b in role_fences]
        body = self.body_lines(body_start, skip)
        self.check_placeholders(self.note.heading, body, defined)
        if kind is None or self.failed:
            return []

        prose = "\n".join(t for _, t in body)
        why_at = why_index(body, self.note.fences)
        question = "\n".join(t for _, t in body[:why_at]) if why_at is not None else prose
        explanation = "\n".join(t for _, t in body[why_at:]) if why_at is not None else ""
        shown_code = []
        if defined:
            shown_code.append("\n".join(f"{name} = {{{{={name}!r}}}}" for name in defined))
        if Role.SETUP in fences and fences[Role.SETUP].code.strip():
            shown_code.append(fences[Role.SETUP].code)
        code_block = f"```python\n{chr(10).join(shown_code)}\n```" if shown_code else ""
        front = join(self.note.heading, question.strip(), code_block)
        if kind is CardKind.PREDICT:
            back = explanation.strip()
        else:
            back = join(f"```python\n{fences[Role.SOLUTION].code}\n```", explanation.strip())

        spec = CodeSpec(
            setup=fences.get(Role.SETUP),
            expect=fences.get(Role.EXPECT),
            wrongs=tuple(wrongs),
            solution=fences.get(Role.SOLUTION),
            check=fences.get(Role.CHECK),
            starter=fences.get(Role.STARTER),
            params=fences.get(Role.PARAMS),
            timeout=_float(attrs, "timeout"),
            device=attrs.get("device", ("cpu", 0))[0],
            rtol=_float(attrs, "rtol"),
            atol=_float(attrs, "atol"),
            alsos=tuple(alsos),
        )
        names = params.placeholders(join(self.note.heading, prose)) if "{{=" in front else ()
        return [
            base.card(
                key=base.note_key,
                kind=kind,
                front=shown(front),
                back=shown(back),
                code=spec,
                placeholders=names,
            )
        ]

    def _code_kind(
        self, fences: dict[Role, Fence], wrongs: list[Fence], alsos: list[Fence]
    ) -> CardKind | None:
        has = set(fences)
        if Role.EXPECT in has:
            for also in alsos:
                self.error(
                    also.line,
                    "mixed-kinds",
                    "a predict card (it has an expect fence) cannot have a ```python also "
                    "fence (another correct answer belongs to write cards)",
                )
            for role in (Role.SOLUTION, Role.CHECK, Role.STARTER):
                if role in has:
                    self.error(
                        fences[role].line,
                        "mixed-kinds",
                        f"a predict card (it has an expect fence) cannot have a "
                        f"```python {role.value} fence (those belong to write cards)",
                    )
            return CardKind.PREDICT
        if Role.SOLUTION in has or Role.CHECK in has:
            if Role.CHECK not in has:
                self.error(
                    self.hline,
                    "missing-fence",
                    "code-write card has a solution but no "
                    "check fence (add a ```python check``` fence)",
                )
            if Role.SOLUTION not in has:
                self.error(
                    self.hline,
                    "missing-fence",
                    "code-write card has a check but no "
                    "solution fence (add a ```python solution``` fence)",
                )
            return CardKind.WRITE
        if fences or wrongs or alsos:
            named = {r.value for r in has} | ({"wrong"} if wrongs else set())
            present = ", ".join(sorted(named | ({"also"} if alsos else set())))
            self.error(
                self.hline,
                "missing-fence",
                f"code card has {present} but no expect fence (add a ```python expect``` "
                "fence for a predict card, or solution and check fences for a write card)",
            )
        return None

    def _check_expression(self, fence: Fence) -> None:
        """An expect or wrong fence holds exactly one Python expression."""
        found = _expression_error(fence.code)
        if found is not None:
            offset, reason = found
            self.error(
                fence.line + 1 + offset,
                "bad-expression",
                f"```python {fence.role.value} must hold one Python expression: {reason} "
                "(e.g. `h_n.shape`; put statements in a setup fence)",
            )

    def _check_params(self, fence: Fence) -> list[str]:
        found, problems = params.parse(fence.code)
        for problem in problems:
            self.error(fence.line + problem.line, problem.code, problem.message)
        if not problems:
            # one trial draw catches what only evaluating shows, e.g. `randint(5, 2)`
            try:
                params.draw_parsed(found, 0)
            except params.ParamError as exc:
                self.error(fence.line + exc.line, "bad-param", exc.message)
        return [p.name for p in found]


@functools.lru_cache(maxsize=4096)
def _expression_error(code: str) -> tuple[int, str] | None:
    """``(line offset in the fence, reason)`` when ``code`` is not one expression.

    Remembered, because decks repeat the same expressions (``h_n.shape``) many times.
    """
    stripped = code.strip()
    if not stripped:
        return None
    try:
        compile(stripped, "<expect>", "eval", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        offset = (exc.lineno or 1) - 1 + _leading_blank_lines(code)
        return offset, exc.msg
    except (ValueError, MemoryError, RecursionError) as exc:
        return 0, f"it cannot be read ({exc})"
    return None


def _leading_blank_lines(code: str) -> int:
    count = 0
    for line in code.split("\n"):
        if line.strip():
            break
        count += 1
    return count


def _float(attrs: dict[str, tuple[str, int]], key: str) -> float | None:
    return float(attrs[key][0]) if key in attrs else None
