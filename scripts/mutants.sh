#!/usr/bin/env bash
# Mutation testing (issue 14, item 5): `cargo mutants` on the shared math and on each contract,
# then one line per crate with its score. Not part of CI: every mutant rebuilds its crate and
# reruns its tests, so a contract takes tens of minutes on 2 cores (the vault, ~200 mutants, the
# longest). Scores and survivors are recorded in audits/INTERNAL-REVIEW.md.
#
#   scripts/mutants.sh                      # vvv-common and the eight contracts
#   scripts/mutants.sh vvv-common vesting   # some crates
#   MUTANTS_JOBS=1 scripts/mutants.sh …     # one build at a time (default 2), leaving a core free
#   MUTANTS_ARGS="-e contracts/staking-vault/src/router.rs" scripts/mutants.sh staking-vault
#                                           # more cargo-mutants options (here: a file left out)
#
# Score = (caught + timeouts) / (caught + timeouts + missed): a mutant that makes a test hang is
# detected; "unviable" mutants (that do not compile) are left out. Survivors of a crate are listed
# in target/mutants/<crate>/mutants.out/missed.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

version=27.1.0
tools_root=${VVV_TOOLS_ROOT:-$HOME/.cargo}
export PATH="$tools_root/bin:$PATH"
if ! cargo mutants --version 2>/dev/null | grep -q "$version"; then
  cargo install --locked cargo-mutants --version "$version" --root "$tools_root"
fi

crates=("$@")
if [ ${#crates[@]} -eq 0 ]; then
  crates=(vvv-common burn-treasury vesting vvv-token airdrop diem-token diem-minter
          emission-controller staking-vault)
fi

# Every mutant reruns the crate's property tests: 64 cases each (CI runs 256) keep a contract's
# run within tens of minutes; the fixed tests run in full. Override with PROPTEST_CASES.
export PROPTEST_CASES=${PROPTEST_CASES:-64}

summary=()
for crate in "${crates[@]}"; do
  out=target/mutants/$crate
  mkdir -p "$out"
  start=$(date +%s)
  # Exit status 2 (some mutants missed) and 3 (some timed out) are results, not failures.
  status=0
  cargo mutants --package "$crate" --output "$out" --no-shuffle --timeout-multiplier 3 \
    --jobs "${MUTANTS_JOBS:-2}" --colors never ${MUTANTS_ARGS:-} >"$out/log.txt" 2>&1 || status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 2 ] && [ "$status" -ne 3 ]; then
    tail -n 30 "$out/log.txt"
    echo "cargo mutants failed on $crate (exit $status): see $out/log.txt" >&2
    exit "$status"
  fi
  secs=$(( $(date +%s) - start ))
  outcomes=$out/mutants.out/outcomes.json
  line=$(python3 - "$outcomes" "$crate" "$secs" <<'EOF'
import json, sys
path, crate, secs = sys.argv[1], sys.argv[2], int(sys.argv[3])
o = json.load(open(path))
caught, missed, timeout, unviable = (o.get(k, 0) for k in ("caught", "missed", "timeout", "unviable"))
viable = caught + missed + timeout
score = 100.0 * (caught + timeout) / viable if viable else 100.0
print(f"{crate:<22} {score:6.1f}%  caught {caught:>3}  timeout {timeout:>2}  missed {missed:>3}  unviable {unviable:>3}  ({secs // 60} min)")
EOF
)
  echo "$line"
  summary+=("$line")
done

echo
echo "crate                   score"
printf '%s\n' "${summary[@]}"
