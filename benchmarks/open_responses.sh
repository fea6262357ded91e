#!/usr/bin/env bash
# Run the Open Responses compliance CLI (openresponses/openresponses bin/compliance-test.ts)
# against the embedded emulator and print pass/fail counts. See docs/open-responses.md.
#
#   benchmarks/open_responses.sh                # pinned commit, model gpt-4o, results in $WORK
#   OPENRESPONSES_COMMIT=<sha> benchmarks/open_responses.sh
#   OPENRESPONSES_SRC=/path/to/checkout benchmarks/open_responses.sh   # use an existing checkout
#
# Needs: git, npm (bun is installed from the npm registry into $WORK/bun if absent), network
# for the clone and `bun install`. The emulator itself listens on loopback only.
set -euo pipefail

HERE="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-$HERE/.venv/bin/python}"
WORK="${WORK:-/tmp/openresponses-bench}"
REPO_URL="${OPENRESPONSES_URL:-https://github.com/openresponses/openresponses.git}"
# The commit whose bin/compliance-test.ts this script was written against.
COMMIT="${OPENRESPONSES_COMMIT:-18e565604fdf7a08ad3a06bbc30d1ddaee999ea4}"
MODEL="${MODEL:-gpt-4o}"
KEY="${EMULATOR_API_KEY:-open-responses-bench-key}"
# WebSocket and compaction tests are outside this emulator's HTTP surface for now.
SKIP_PATTERN="${SKIP_PATTERN:-websocket|compact}"
mkdir -p "$WORK"

# 1. bun, from npm unless one is on PATH
if command -v bun >/dev/null 2>&1; then
  BUN="$(command -v bun)"
else
  npm install --silent --prefix "$WORK/bun" bun >/dev/null
  BUN="$WORK/bun/node_modules/.bin/bun"
fi
echo "bun $("$BUN" --version)"

# 2. the CLI at the pinned commit
SRC="${OPENRESPONSES_SRC:-$WORK/openresponses}"
if [ -z "${OPENRESPONSES_SRC:-}" ]; then
  if [ ! -d "$SRC/.git" ]; then
    git clone --quiet "$REPO_URL" "$SRC"
  fi
  git -C "$SRC" fetch --quiet origin "$COMMIT" 2>/dev/null || true
  git -C "$SRC" checkout --quiet --detach "$COMMIT"
fi
(cd "$SRC" && "$BUN" install --frozen-lockfile >/dev/null 2>&1 || "$BUN" install >/dev/null)

# 3. the emulator, on free loopback ports
READY="$WORK/emulator-ready.json"
rm -f "$READY"
EMULATOR_API_KEY="$KEY" "$PYTHON" -m emulator --port 0 --ready-file "$READY" >"$WORK/emulator.log" 2>&1 &
EMU_PID=$!
trap 'kill "$EMU_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$READY" ] && break; sleep 0.1; done
[ -s "$READY" ] || { echo "emulator did not start; see $WORK/emulator.log" >&2; exit 1; }
BASE="$("$PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1]))["resources"]; print(next(iter(r.values()))["url"])' "$READY")/openai/v1"
echo "emulator at $BASE"

# 4. the compliance run (JSON), then counts
RESULTS="$WORK/results.json"
(cd "$SRC" && "$BUN" run bin/compliance-test.ts --base-url "$BASE" --api-key "$KEY" --model "$MODEL" --json) >"$RESULTS" || true
"$PYTHON" - "$RESULTS" "$SKIP_PATTERN" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
try:
    results = json.loads(text[text.index("{"):])["results"]
except (ValueError, KeyError) as exc:
    sys.exit(f"the CLI printed no JSON results ({exc}); output:\n{text[:2000]}")
skip = re.compile(sys.argv[2], re.I)
counted = [r for r in results if not skip.search(r["id"])]
by = {s: [r for r in counted if r["status"] == s] for s in ("passed", "failed", "skipped")}
print(f"Open Responses compliance: {len(by['passed'])} passed, {len(by['failed'])} failed, "
      f"{len(by['skipped'])} skipped, {len(results) - len(counted)} left out ({sys.argv[2]})")
for r in by["failed"]:
    print(f"  FAIL {r['id']}: " + "; ".join(r.get("errors") or [])[:300])
sys.exit(1 if by["failed"] else 0)
PY
