#!/usr/bin/env bash
# A scripted first day with studyrnn, as a new learner has it, in a real terminal (tmux).
#
#   scripts/first-day.sh [OUT_DIR]            80x24, the whole day (about 30 answers)
#   SIZE=100x30 SHORT=1 scripts/first-day.sh  a shorter pass at another size
#
# Everything lives in a fresh temporary folder (XDG_DATA_HOME, the SQLite store, the learner's
# own decks): the learner's real data is never touched. The app runs from this checkout
# (python -m studyrnn). Each screen worth a look is written to OUT_DIR as NN-name.txt, as
# `tmux capture-pane -p` gives it, and counts.log records the review header after every answer.
# Waits poll the screen for the text expected next, never a fixed sleep alone: the checker's
# warm worker takes a few seconds to start.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$ROOT/../main/.venv/bin/python}
[ -x "$PY" ] || PY=$(command -v python3)
SIZE=${SIZE:-80x24}
COLS=${SIZE%x*} ROWS=${SIZE#*x}
SHORT=${SHORT:-0}
WORK=$(mktemp -d /tmp/studyrnn-first-day.XXXXXX)
OUT=${1:-$WORK/screens}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
SESSION=first-day-$$
export XDG_DATA_HOME=$WORK/data
export STUDYRNN_DB=sqlite:///$WORK/store.db
export PYTHONPATH=$ROOT
MINE=$WORK/my-decks          # the learner's own decks folder
N=0                          # screens captured
ANSWERS=0                    # answers given

cleanup() { tmux kill-session -t "$SESSION" 2>/dev/null || true; }
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$SESSION"; }
keys() { tmux send-keys -t "$SESSION" "$@"; }
type_text() { tmux send-keys -t "$SESSION" -l "$1"; }
header() { screen | head -1; }

shot() {
    N=$((N + 1))
    screen >"$OUT/$(printf %02d "$N")-$1.txt"
    case $1 in home*) echo "    $1: $(screen | grep -E 'All decks|Fresh deck|Today' | tr -s ' ' | tr '\n' '|')" \
        >>"$OUT/counts.log" ;; esac
    echo "  screen $(printf %02d "$N")-$1"
}

# Wait until the screen shows TEXT (an extended regex); fail with the screen after TIMEOUT s.
wait_for() {
    local text=$1 timeout=${2:-60} waited=0
    until screen | grep -Eq -- "$text"; do
        sleep 0.3
        waited=$((waited + 1))
        if [ $((waited * 3)) -gt $((timeout * 10)) ]; then
            echo "timed out waiting for: $text" >&2
            screen >&2
            exit 1
        fi
    done
}

# Wait until the review header differs from BEFORE (the next card, or the end).
wait_next() {
    local before=$1 waited=0
    while [ "$(header)" = "$before" ] && ! screen | grep -q "Nothing left"; do
        sleep 0.3
        waited=$((waited + 1))
        [ $waited -lt 200 ] || { echo "no next card" >&2; screen >&2; exit 1; }
    done
    sleep 0.3
}

# Press the rating digit and wait for the next card; log the header before and after.
rate() {
    local before
    before=$(header)
    keys "$1"
    ANSWERS=$((ANSWERS + 1))
    wait_next "$before"
    printf '%2d  rated %s  then: %s\n' "$ANSWERS" "$1" "$(header | tr -s ' ')" >>"$OUT/counts.log"
}

kind() { header | grep -Eo '(basic|cloze|bidirectional|choice|predict|write) ·' | cut -d' ' -f1; }

# Answer the card on screen the plain way for its kind, then rate it.
answer() {
    local rating=${1:-3}
    case "$(kind)" in
        choice)
            keys a; sleep 0.3; keys Enter; wait_for 'Enter confirms' ;;
        predict | write)
            keys C-o; wait_for 'Enter confirms|1 Again · 2 Hard' 30 ;;
        *)
            keys Space; wait_for '1 Again · 2 Hard|Enter confirms' ;;
    esac
    rate "$rating"
}

start_app() {
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    (cd "$WORK" && tmux new -d -s "$SESSION" -x "$COLS" -y "$ROWS" \
        "$PY -m studyrnn $*")
}

echo "first day at $SIZE in $WORK; screens in $OUT"
: >"$OUT/counts.log"

# --- first launch: Home on the bundled decks -------------------------------------------------
start_app
wait_for 'All decks' 90
wait_for 'checker: ready' 90
shot home-first-launch

# --- chapter 13, in file order ---------------------------------------------------------------
keys Down Down Down Down Enter
wait_for 'basic · new' 30
shot basic-front
keys Space
wait_for '1 Again · 2 Hard'
shot basic-back
rate 3                                   # 1 Good: a learning step, lrn goes up by one
answer 4                                 # 2 basic
answer 4                                 # 3 bidirectional
wait_for 'cloze · new'
shot cloze-front
keys Space
wait_for '1 Again · 2 Hard'
shot cloze-back
rate 4                                   # 4
answer 4                                 # 5 basic
# 6: bury it, undo the burial, then undo the answer before it.
shot before-bury
keys b
sleep 0.5
wait_for 'Buried'
shot buried
keys u
sleep 0.5
shot undo-bury
keys u
sleep 0.5
shot undo-answer
ANSWERS=$((ANSWERS - 1))
echo "    undo of that answer, then: $(header | tr -s ' ')" >>"$OUT/counts.log"
answer 4                                 # 5 again
answer 3                                 # 6
if [ "$SHORT" = 1 ]; then
    answer 4                             # 7
    wait_for 'predict · new'
    type_text 'True'
    keys Enter
    wait_for 'Verdict' 90
    shot predict-verdict
    rate 3
    keys Escape
    wait_for "Today: $ANSWERS reviews"     # Home has counted again: one review per answer
    shot home-after
    echo "$ANSWERS answers; screens in $OUT"
    exit 0
fi
answer 4                                 # 7
# 8: a predict card; the checker's warm worker answers.
wait_for 'predict · new'
type_text 'True'
keys Enter
wait_for 'Verdict' 90
shot predict-verdict
rate 3
for _ in 1 2 3 4 5; do answer 4; done    # 9-13
# 14: multiple choice, one right answer; pick a wrong one.
wait_for 'choice · new'
keys c
sleep 0.5
shot choice-picked
keys Enter
wait_for 'Enter confirms'
shot choice-reveal
rate 1
# 15: several right answers.
wait_for 'choice · new'
keys c d Enter
wait_for 'Enter confirms'
shot choice-multi-reveal
rate 3
# 16: a parametric predict card: a typo first, then the fixed answer.
wait_for 'predict · new'
batch=$(screen | grep -Eo 'batch = [0-9]+' | head -1 | grep -Eo '[0-9]+')
steps=$(screen | grep -Eo 'steps = [0-9]+' | head -1 | grep -Eo '[0-9]+')
type_text "($batch, $steps, 1"
keys Enter
wait_for 'Not read' 60
shot predict-typo
keys End
type_text ')'
keys Enter
wait_for 'Verdict' 60
shot predict-fixed
rate 3
answer 4                                 # 17
# 18: a write card: run the starter as it is, then show the solution.
wait_for 'write · new'
shot write-front
keys C-r
wait_for 'Verdict' 60
sleep 0.5
shot write-starter-verdict
keys C-o
wait_for 'Enter confirms|1 Again · 2 Hard'
shot write-solution
rate 1
# The rest of the 20 new cards, then the learning cards that come back (learn ahead).
ahead=0
until screen | grep -q 'Nothing left'; do
    if [ "$(kind)" = "" ]; then
        sleep 1
        continue
    fi
    if [ $ahead = 0 ] && header | grep -q ' 0 new'; then
        shot learn-ahead
        ahead=1
    fi
    answer 4
done
shot end-new-limit
keys Escape
wait_for "Today: $ANSWERS reviews"
shot home-after-limit
keys q
sleep 1

# --- a fresh deck of the learner's own ------------------------------------------------------
(cd "$WORK" && "$PY" -m studyrnn new "$MINE/fresh-deck.md") >"$OUT/studyrnn-new.txt" 2>&1
echo "  studyrnn new: $(cat "$OUT/studyrnn-new.txt")"
# --decks replaces the bundled decks, so both folders are named (README: "found in this order").
start_app --decks "$ROOT/decks" --decks "$MINE"
wait_for 'Fresh deck' 90
wait_for 'checker: ready' 90
shot home-fresh-deck
keys Down Down Down Down Down
sleep 0.5
keys Enter
wait_for 'Nothing left' 30
shot fresh-deck-limit
keys m
wait_for 'Extra new cards today' 10
shot study-more
keys Enter                               # the default: 10 extra new cards
wait_for '(basic|cloze|bidirectional|choice|predict|write) · new' 30
sleep 0.5
shot fresh-first-card
while [ "$ANSWERS" -lt 30 ] && ! screen | grep -q 'Nothing left'; do
    answer 4
done
shot fresh-after
keys Escape
wait_for "Today: $ANSWERS reviews"
shot home-end-of-day
keys q
echo "$ANSWERS answers; screens in $OUT"
