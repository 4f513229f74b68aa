#!/usr/bin/env bash
# The devnet against the official tooling (issue 11), run by .ci/run:
#   cargo stylus (check in every contract crate, deploy with constructor arguments, activate,
#   cache status/bid, trace of a transfer), cast (the callTracer's frames; the struct logger beside
#   anvil's) and viem (devnet/js).
#   Starts its own devnet on a free port.
# Needs: cargo-stylus 0.10.10 and cast on PATH, node/npm, artifacts/ built (`vvv build`), anvil
# from bench/node_modules (`npm ci --prefix bench`).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

port=${VVV_TOOLING_PORT:-18547}
url="http://127.0.0.1:$port"
key=0xb6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659   # nitro-devnode dev key
dev=0x3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E
bob=0x00000000000000000000000000000000000B0b00
log=$(mktemp -d)/devnet.log

# The server binary as the README's test command builds it (for the fault tests), so after CI's
# tests stage nothing is rebuilt: `cargo build -p vvv-devnet` would resolve the dependencies'
# features for that package alone and compile ~100 crates again (5 min of CI).
cargo test -q --locked --manifest-path devnet/Cargo.toml --workspace --no-run
devnet_bin=$(cargo metadata -q --manifest-path devnet/Cargo.toml --format-version 1 --no-deps \
  | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/debug/vvv-devnet
"$devnet_bin" --port "$port" --quiet >"$log" 2>&1 &
devnet_pid=$!
trap 'kill $devnet_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  cast chain-id --rpc-url "$url" >/dev/null 2>&1 && break
  sleep 0.2
done
cast chain-id --rpc-url "$url" >/dev/null

step() { echo "-- $*"; }
addr_of() { sed 's/\x1b\[[0-9;]*m//g' | sed -n 's/.*deployed code at address: \(0x[0-9a-fA-F]\{40\}\).*/\1/p' | tail -1; }

# The official build is cargo stylus's own `cargo build --release`: with the crates'
# .cargo/config.toml and these two variables it is `vvv build`'s (rebuilt std, immediate-abort).
export RUSTC_BOOTSTRAP=1
# The flags are scripts/src/build.rs::CONTRACT_RUSTFLAGS.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Clink-arg=-zstack-size=32768"

step "cargo stylus check in every contract crate"
for dir in contracts/*/; do
  [ -f "$dir/Stylus.toml" ] || continue
  (cd "$dir" && cargo stylus check --endpoint "$url")
done

step "cargo stylus deploy: the token, with constructor arguments (through the StylusDeployer)"
out=$(cd contracts/vvv-token && cargo stylus deploy --endpoint "$url" --private-key "$key" \
  --no-verify --constructor-args "$dev" "[$dev]" "[100000000000000000000000000]" 2>&1) || { echo "$out"; exit 1; }
echo "$out"
token=$(echo "$out" | addr_of)
[ "$(cast call "$token" 'balanceOf(address)(uint256)' "$dev" --rpc-url "$url" | cut -d' ' -f1)" = 100000000000000000000000000 ]
[ "$(cast call "$token" 'totalSupply()(uint256)' --rpc-url "$url" | cut -d' ' -f1)" = 100000000000000000000000000 ]

step "cargo stylus deploy: the vesting contract, with constructor arguments"
out=$(cd contracts/vesting && cargo stylus deploy --endpoint "$url" --private-key "$key" \
  --no-verify --constructor-args "$token" "$bob" 1700000000 31536000 2>&1) || { echo "$out"; exit 1; }
echo "$out"
vesting=$(echo "$out" | addr_of)
[ "$(cast call "$vesting" 'token()(address)' --rpc-url "$url")" = "$(cast to-check-sum-address "$token")" ]
[ "$(cast call "$vesting" 'beneficiary()(address)' --rpc-url "$url")" = "$(cast to-check-sum-address "$bob")" ]
[ "$(cast call "$vesting" 'duration()(uint64)' --rpc-url "$url" | cut -d' ' -f1)" = 31536000 ]

step "cargo stylus activate: a program deployed without activation"
out=$(cargo stylus deploy --wasm-file artifacts/vvv-token.wasm --no-activate --endpoint "$url" \
  --private-key "$key" --no-verify 2>&1) || { echo "$out"; exit 1; }
echo "$out"
plain=$(echo "$out" | addr_of)
cargo stylus activate --address "$plain" --endpoint "$url" --private-key "$key"
[ "$(cast call 0x0000000000000000000000000000000000000071 'programVersion(address)(uint16)' "$plain" --rpc-url "$url")" = 2 ]

step "cargo stylus cache status / bid"
cargo stylus cache status --address "$token" --endpoint "$url"
cargo stylus cache bid "$token" 0 --endpoint "$url" --private-key "$key"
[ "$(cast call 0x0000000000000000000000000000000000000072 'codehashIsCached(bytes32)(bool)' \
  "$(cast keccak "$(cast code "$token" --rpc-url "$url")")" --rpc-url "$url")" = true ]

step "a transfer, read back"
tx=$(cast send "$token" 'transfer(address,uint256)' "$bob" 1234 --private-key "$key" --rpc-url "$url" --json \
  | node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s).transactionHash))')
[ "$(cast call "$token" 'balanceOf(address)(uint256)' "$bob" --rpc-url "$url" | cut -d' ' -f1)" = 1234 ]

step "cargo stylus trace of the transfer: its JavaScript tracer, then --use-native-tracer (stylusTracer)"
# cargo stylus prints the trace it parsed; the check reads it back: the token's hostios in
# order, the calldata read, the Transfer log to bob, ink falling.
check_trace='
const t = JSON.parse(process.env.TRACE);
const names = t.map(r => r.name);
const want = ["user_entrypoint", "read_args", "msg_sender", "storage_load_bytes32",
  "storage_cache_bytes32", "storage_load_bytes32", "storage_cache_bytes32", "emit_log",
  "storage_flush_cache", "write_result", "user_returned"];
let at = 0;
for (const w of want) {
  at = names.indexOf(w, at) + 1;
  if (at === 0) throw new Error(`${w} missing in order from ${names}`);
}
const bob = process.env.BOB.slice(2).toLowerCase();
const args = t.find(r => r.name === "read_args").outs;
if (!args.startsWith("0xa9059cbb") || !args.includes(bob)) throw new Error(`read_args ${args}`);
const log = t.find(r => r.name === "emit_log").args;
if (!log.startsWith("0x00000003ddf252ad") || !log.includes(bob) || !log.endsWith("4d2"))
  throw new Error(`emit_log ${log}`);
for (const r of t.slice(1, -1))
  if (!(r.endInk < r.startInk)) throw new Error(`ink of ${JSON.stringify(r)}`);
console.log(`   ${names.length} hostios: ${names.join(" ")}`);
'
for native in "" --use-native-tracer; do
  trace=$(cargo stylus trace --tx "$tx" --endpoint "$url" $native)
  echo "$trace" | cut -c1-400
  TRACE="$trace" BOB="$bob" node -e "$check_trace"
done

step "cast rpc debug_traceTransaction with the callTracer and withLog: vesting.release() calling the token"
# The vesting schedule (2023-11-14, one year) is over: release() reads its balance from the token
# (a STATICCALL frame) and sends it all to bob (a CALL frame), both inside the release transaction.
cast send "$token" 'transfer(address,uint256)' "$vesting" 5000 --private-key "$key" --rpc-url "$url" >/dev/null
tx=$(cast send "$vesting" 'release()' --private-key "$key" --rpc-url "$url" --json \
  | node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s).transactionHash))')
[ "$(cast call "$token" 'balanceOf(address)(uint256)' "$bob" --rpc-url "$url" | cut -d' ' -f1)" = 6234 ]
frames=$(cast rpc debug_traceTransaction "$tx" '{"tracer":"callTracer","tracerConfig":{"withLog":true}}' --rpc-url "$url")
echo "$frames" | cut -c1-400
FRAMES="$frames" VESTING="$vesting" TOKEN="$token" BOB="$bob" \
  RELEASED=$(cast keccak 'Released(address,uint256,uint256)') node -e '
const t = JSON.parse(process.env.FRAMES);
const same = (a, b) => a.toLowerCase() === b.toLowerCase();
if (t.type !== "CALL" || !same(t.to, process.env.VESTING) || t.error) throw new Error(`top ${JSON.stringify(t)}`);
const [s, c] = t.calls || [];
if (!c || t.calls.length !== 2) throw new Error(`calls ${JSON.stringify(t.calls)}`);
const vesting = process.env.VESTING.slice(2).toLowerCase();
if (s.type !== "STATICCALL" || !same(s.to, process.env.TOKEN) || "value" in s
  || !s.input.startsWith("0x70a08231") || !s.input.endsWith(vesting) || !s.output.endsWith("1388"))
  throw new Error(`balanceOf frame ${JSON.stringify(s)}`);
const bob = process.env.BOB.slice(2).toLowerCase();
if (c.type !== "CALL" || !same(c.from, process.env.VESTING) || !same(c.to, process.env.TOKEN) || c.error
  || !c.input.startsWith("0xa9059cbb") || !c.input.includes(bob) || !c.input.endsWith("1388")
  || !(parseInt(c.gasUsed, 16) > 0 && parseInt(c.gasUsed, 16) < parseInt(c.gas, 16)))
  throw new Error(`inner frame ${JSON.stringify(c)}`);
// withLog: Transfer(vesting, bob, 5000) is in the token frame; Released(bob, …), emitted by the
// vesting contract after its two calls, is in the top frame at position 2
const transfer = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
const [l] = c.logs || [], [r] = t.logs || [];
if (s.logs || c.logs.length !== 1 || !same(l.address, process.env.TOKEN) || l.topics[0] !== transfer
  || !l.topics[2].endsWith(bob) || !l.data.endsWith("1388") || l.position !== "0x0"
  || t.logs.length !== 1 || !same(r.address, process.env.VESTING) || r.topics[0] !== process.env.RELEASED
  || !r.topics[1].endsWith(bob) || r.position !== "0x2")
  throw new Error(`logs ${JSON.stringify([t.logs, s.logs, c.logs])}`);
console.log(`   release() -> ${s.type} token.balanceOf, ${c.type} token.transfer(bob, 5000), gasUsed ${parseInt(c.gasUsed, 16)}`);
'

step "cast rpc debug_traceTransaction with the struct logger and the callTracer: the same EVM code on the devnet and on anvil"
# The struct logger (no tracer) against anvil --steps-tracing as the reference node: the same
# transactions of EVM code (the server test's COUNTER: SLOAD, SSTORE, a CALL to itself, RETURN)
# must log the same opcodes with the same pc, depth, gas, cost, stack (the contract's own address
# aside) and storage. anvil writes storage and returnValue with 0x and an explicit refund 0;
# geth and Nitro do not. A contract that sets then clears a slot checks the refund counter.
# Then a SELFDESTRUCT's callTracer frames, compared whole.
anvil_bin=$(ls bench/node_modules/@foundry-rs/anvil-*/bin/anvil | head -1)
anvil_port=$((port + 1))
"$anvil_bin" --port "$anvil_port" --silent --steps-tracing >"$log.anvil" 2>&1 &
anvil_pid=$!
trap 'kill $devnet_pid $anvil_pid 2>/dev/null || true' EXIT
anvil_url="http://127.0.0.1:$anvil_port"
for _ in $(seq 1 100); do
  cast chain-id --rpc-url "$anvil_url" >/dev/null 2>&1 && break
  sleep 0.2
done
counter=366028576000546001016000556000600060016000600030620186a0f150602a60005260206000f35b60076001556001545000
json_field() { node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }
declare -A node_url=([devnet]="$url" [anvil]="$anvil_url")
# storage keys as 32-byte words (anvil refuses shorter hex)
slot0=0x0000000000000000000000000000000000000000000000000000000000000000 slot1=0x0000000000000000000000000000000000000000000000000000000000000001 slot2=0x0000000000000000000000000000000000000000000000000000000000000002
for name in devnet anvil; do
  u=${node_url[$name]}
  from=$(cast rpc eth_accounts --rpc-url "$u" | json_field 0)
  cast send --unlocked --from "$from" --rpc-url "$u" --json --create "0x6033600c60003960336000f3$counter" \
    | json_field contractAddress >"$log.$name-counter"
  # twice: the second call finds its slots set (other SSTORE costs)
  for n in 1 2; do
    h=$(cast send "$(cat "$log.$name-counter")" --unlocked --from "$from" --rpc-url "$u" --gas-limit 1000000 --json \
      | json_field transactionHash)
    cast rpc debug_traceTransaction "$h" '{}' --rpc-url "$u" >"$log.$name-$n.json"
  done
  # the counter's storage (slot 0 counted to 2, slot 1 = 7) is the same on both nodes
  cast rpc eth_getProof "$(cat "$log.$name-counter")" "[\"$slot0\",\"$slot1\",\"$slot2\"]" latest --rpc-url "$u" >"$log.$name-proof.json"
  # PUSH1 0 SLOAD ISZERO PUSH1 0 SSTORE STOP, called twice: slot 0 set, then cleared (a refund)
  toggle=$(cast send --unlocked --from "$from" --rpc-url "$u" --json \
    --create 0x6008600c60003960086000f36000541560005500 | json_field contractAddress)
  for n in 1 2; do
    h=$(cast send "$toggle" --unlocked --from "$from" --rpc-url "$u" --gas-limit 100000 --json | json_field transactionHash)
    cast rpc debug_traceTransaction "$h" '{}' --rpc-url "$u" >"$log.$name-toggle-$n.json"
  done
  # PUSH20 0xb0b0 SELFDESTRUCT, deployed with 1,000 wei, then called: its callTracer frames
  doomed=$(cast send --unlocked --from "$from" --rpc-url "$u" --json --value 1000 \
    --create 0x6016600c60003960166000f373000000000000000000000000000000000000b0b0ff | json_field contractAddress)
  h=$(cast send "$doomed" --unlocked --from "$from" --rpc-url "$u" --gas-limit 100000 --json | json_field transactionHash)
  cast rpc debug_traceTransaction "$h" '{"tracer":"callTracer"}' --rpc-url "$u" >"$log.$name-selfdestruct.json"
done
for n in 1 2 toggle-1 toggle-2; do
  DEVNET="$log.devnet-$n.json" ANVIL="$log.anvil-$n.json" \
    DEVNET_AT=$(cat "$log.devnet-counter") ANVIL_AT=$(cat "$log.anvil-counter") node -e '
const fs = require("fs");
const strip = h => h.replace(/^0x/, "");
const norm = (t, at) => ({
  failed: t.failed, gas: t.gas, returnValue: strip(t.returnValue),
  structLogs: t.structLogs.map(l => ({
    pc: l.pc, op: l.op, gas: l.gas, gasCost: l.gasCost, depth: l.depth, error: l.error, refund: l.refund || 0,
    stack: (l.stack || []).map(v => v === at.toLowerCase() ? "<counter>" : v),
    storage: l.storage && Object.fromEntries(Object.entries(l.storage).map(([k, v]) => [strip(k), strip(v)])),
  })),
});
const d = norm(JSON.parse(fs.readFileSync(process.env.DEVNET)), process.env.DEVNET_AT);
const a = norm(JSON.parse(fs.readFileSync(process.env.ANVIL)), process.env.ANVIL_AT);
if (a.structLogs.length < 6) throw new Error(`anvil logged ${a.structLogs.length} opcodes`);
const n = Math.max(d.structLogs.length, a.structLogs.length);
for (let i = 0; i < n; i++) {
  const [x, y] = [JSON.stringify(d.structLogs[i]), JSON.stringify(a.structLogs[i])];
  if (x !== y) throw new Error(`opcode ${i}: devnet ${x}\n          anvil ${y}`);
}
for (const f of ["failed", "gas", "returnValue"])
  if (d[f] !== a[f]) throw new Error(`${f}: devnet ${d[f]}, anvil ${a[f]}`);
const refund = Math.max(...d.structLogs.map(l => l.refund));
if (process.env.DEVNET.endsWith("toggle-2.json") && refund !== 4800)
  throw new Error(`clearing a slot refunds 4800 (EIP-3529), the log shows up to ${refund}`);
console.log(`   ${n} opcodes identical (pc, op, gas, gasCost, depth, stack, storage, refund); gas used ${d.gas}, refund up to ${refund}`);
'
done
# eth_getProof: the storage trie of the same slots must hash and prove alike on both nodes (the
# account proofs differ: the two states hold different accounts).
DEVNET="$log.devnet-proof.json" ANVIL="$log.anvil-proof.json" node -e '
const fs = require("fs");
const view = p => ({ storageHash: p.storageHash, codeHash: p.codeHash, nonce: BigInt(p.nonce).toString(),
  storageProof: p.storageProof.map(s => ({ key: BigInt(s.key).toString(), value: BigInt(s.value).toString(), proof: s.proof })) });
const [d, a] = [process.env.DEVNET, process.env.ANVIL].map(f => view(JSON.parse(fs.readFileSync(f))));
const values = d.storageProof.map(s => s.value).join(",");
if (JSON.stringify(d) !== JSON.stringify(a) || values !== "2,7,0")
  throw new Error(`eth_getProof: devnet ${JSON.stringify(d)}\n             anvil ${JSON.stringify(a)}`);
const nodes = d.storageProof.reduce((n, s) => n + s.proof.length, 0);
console.log(`   eth_getProof identical: storageHash ${d.storageHash}, slots ${values}, ${nodes} proof nodes`);
'
DEVNET="$log.devnet-selfdestruct.json" ANVIL="$log.anvil-selfdestruct.json" node -e '
const fs = require("fs");
// everything but the sender and the contract (their addresses differ between the nodes)
const frame = f => ({ type: f.type, gas: f.gas, gasUsed: f.gasUsed, input: f.input, value: f.value,
  output: f.output, error: f.error, calls: (f.calls || []).map(c => ({ ...frame(c), to: c.to.toLowerCase() })) });
const [d, a] = [process.env.DEVNET, process.env.ANVIL].map(f => frame(JSON.parse(fs.readFileSync(f))));
if (JSON.stringify(d) !== JSON.stringify(a) || d.calls.length !== 1 || d.calls[0].type !== "SELFDESTRUCT")
  throw new Error(`callTracer: devnet ${JSON.stringify(d)}\n           anvil ${JSON.stringify(a)}`);
console.log(`   SELFDESTRUCT frame identical: ${JSON.stringify(d.calls[0])}`);
'

step "cast block --full: Nitro's block shape (ArbOS's startBlock at index 0, l1BlockNumber, real roots)"
cast block latest --full --json --rpc-url "$url" | node -e '
let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
  const b = JSON.parse(s), t = b.transactions[0];
  if (t.type !== "0x6a" || t.from.toLowerCase() !== "0x00000000000000000000000000000000000a4b05" || t.input.slice(0, 10) !== "0x6bf6a42d")
    throw new Error(`index 0 is not ArbOS startBlock: ${JSON.stringify(t)}`);
  if (b.l1BlockNumber === undefined || BigInt("0x" + b.mixHash.slice(18, 34)) !== BigInt(b.l1BlockNumber))
    throw new Error(`mixHash ${b.mixHash} does not carry l1BlockNumber ${b.l1BlockNumber}`);
  console.log(`   block ${BigInt(b.number)}: ${b.transactions.length} transactions, startBlock ${t.hash} first; l1BlockNumber ${BigInt(b.l1BlockNumber)}; stateRoot ${b.stateRoot}`);
});'

step "viem (devnet/js): deploy through the StylusDeployer, parallel sends, filters, WebSocket, errors"
(cd devnet/js && { [ -d node_modules ] || npm ci --no-audit --no-fund --silent; } && VVV_DEVNET_URL="$url" npm test --silent)

echo "stylus tooling: all steps passed"
