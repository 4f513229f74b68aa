//! `vvv bench`: the VVV token (Stylus) against the Solidity reference (OpenZeppelin `ERC20` +
//! `ERC20Permit`, `bench/RefToken.sol`, compiled from source by the pinned solc-js at every run),
//! both deployed on the same devnet.
//!
//! * Gas ([`run_gas`]): `transfer` to a fresh and to an existing recipient, `approve`,
//!   `transferFrom` and `permit` on both tokens, `gasUsed` of the mined transactions, the Stylus
//!   program first uncached, then cached through `ArbWasmCache.cacheProgram`; prints the table
//!   and the ratios Stylus/Solidity. `--record` writes the ratios to `bench/ratios.toml`,
//!   `--check` fails if a ratio went above the recorded one (CI).
//! * Throughput ([`run_throughput`]): signed ERC-20 transfers through `eth_sendRawTransaction`,
//!   sequential and from 4 concurrent clients, against anvil (Solidity) and the devnet (Solidity
//!   on the EVM path, VVV on the Stylus path), in one run.
//!
//! Every measured call is made in the same state shape on both tokens (a fresh recipient is a
//! zero balance slot, an existing one non-zero, `approve` and `permit` write a zero allowance
//! slot, `permit` bumps a non-zero nonce, `transferFrom` spends a finite non-zero allowance), so
//! the numbers compare the implementations, not the storage they happen to find.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use alloy_primitives::{keccak256, Address, Bytes, TxKind, B256, U256};
use alloy_sol_types::{SolCall, SolValue};
use serde::{Deserialize, Serialize};

use crate::{
    deploy::{constructor_data, deployment_init_code, IStylusDeployer, STYLUS_DEPLOYER},
    devnet::{Devnet, DEV_KEY},
    rpc::{Key, Receipt, Rpc, Signer},
};

alloy_sol_types::sol! {
    /// The ERC-20 + ERC-2612 surface both tokens implement.
    interface IErc20Permit {
        function transfer(address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
        function balanceOf(address account) external view returns (uint256);
        function nonces(address owner) external view returns (uint256);
        function DOMAIN_SEPARATOR() external view returns (bytes32);
    }
    interface IArbWasmCache {
        function cacheProgram(address addr) external;
        function evictCodehash(bytes32 codehash) external;
        function codehashIsCached(bytes32 codehash) external view returns (bool);
    }
    interface IArbWasmInit {
        function programInitGas(address program) external view returns (uint64 gas, uint64 gasWhenCached);
    }
    interface IArbOwnerPublic {
        function isChainOwner(address addr) external view returns (bool);
    }
}

const ARB_WASM: Address = crate::deploy::ARB_WASM;
const ARB_WASM_CACHE: Address =
    alloy_primitives::address!("0000000000000000000000000000000000000072");
const ARB_OWNER_PUBLIC: Address =
    alloy_primitives::address!("000000000000000000000000000000000000006b");

/// Both tokens' supply, all to the deployer (VVV's constructor requires exactly 100M).
const SUPPLY: u128 = 100_000_000 * 10u128.pow(18);
/// Gas limit of every measured call (above any of them; `gasUsed` is what is compared).
const CALL_GAS: u64 = 500_000;
/// Gas limit of a deployment (the Stylus one includes activation, ~3.5M for VVV).
const DEPLOY_GAS: u64 = 15_000_000;
/// Default file of the recorded ratios, relative to the workspace root.
pub const RATIOS_FILE: &str = "bench/ratios.toml";

/// The measured actions, in table order: (key in `ratios.toml`, label).
const ACTIONS: [(&str, &str); 5] = [
    ("transfer_fresh", "transfer (fresh recipient)"),
    ("transfer_existing", "transfer (existing recipient)"),
    ("approve", "approve"),
    ("transfer_from", "transferFrom"),
    ("permit", "permit"),
];

/// The Solidity reference as compiled by `bench/compile.mjs`.
#[derive(Deserialize)]
struct Compiled {
    compiler: String,
    openzeppelin: String,
    bytecode: Bytes,
}

/// `npm ci` in `bench/` when its pinned packages (solc, OpenZeppelin, anvil) are missing.
fn bench_packages(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("bench");
    if !dir.join("node_modules/solc").is_dir() {
        eprintln!(
            "installing the benchmark's pinned npm packages (npm ci in {})",
            dir.display()
        );
        let status = Command::new("npm")
            .current_dir(&dir)
            .args(["ci", "--silent", "--no-audit", "--no-fund"])
            .status()
            .map_err(|e| {
                format!(
                    "running npm ci in {} (is Node.js installed?): {e}",
                    dir.display()
                )
            })?;
        if !status.success() {
            return Err(format!("npm ci in {} failed ({status})", dir.display()));
        }
    }
    Ok(dir)
}

/// Compiles `bench/RefToken.sol` with the pinned solc-js; returns its creation code.
fn compile_reference(root: &Path) -> Result<Compiled, String> {
    let dir = bench_packages(root)?;
    let out = Command::new("node")
        .current_dir(&dir)
        .arg("compile.mjs")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("running node bench/compile.mjs: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "compiling bench/RefToken.sol failed ({})",
            out.status
        ));
    }
    serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("bench/compile.mjs printed unexpected output: {e}"))
}

/// Sends and requires success, naming the step and decoding a revert.
fn send_ok(
    s: &mut Signer,
    what: &str,
    to: TxKind,
    value: U256,
    data: &[u8],
    gas: u64,
) -> Result<Receipt, String> {
    let r = s
        .send_kind(to, value, data, gas)
        .map_err(|e| format!("{what}: {e}"))?;
    if !r.status {
        let reason = match to {
            TxKind::Call(addr) => s
                .rpc
                .call_raw(Some(s.address()), addr, data)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_else(|| "no reason".into()),
            TxKind::Create => "creation reverted".into(),
        };
        return Err(format!(
            "{what}: transaction {} reverted ({reason})",
            r.tx_hash
        ));
    }
    Ok(r)
}

fn call(s: &mut Signer, what: &str, to: Address, data: &[u8]) -> Result<u64, String> {
    send_ok(s, what, TxKind::Call(to), U256::ZERO, data, CALL_GAS).map(|r| r.gas_used)
}

/// Deploys the Solidity reference (a plain EVM contract creation).
fn deploy_solidity(s: &mut Signer, compiled: &Compiled) -> Result<Address, String> {
    let mut code = compiled.bytecode.to_vec();
    code.extend(U256::from(SUPPLY).abi_encode());
    let r = send_ok(
        s,
        "deploy RefToken",
        TxKind::Create,
        U256::ZERO,
        &code,
        DEPLOY_GAS,
    )?;
    r.contract_address
        .ok_or_else(|| format!("deploy RefToken: no contractAddress in {}", r.tx_hash))
}

/// Deploys `artifacts/vvv-token.code` through the StylusDeployer (create + activate +
/// constructor in one transaction, as `vvv deploy` does), the whole supply to the deployer.
fn deploy_stylus(s: &mut Signer, root: &Path, salt_label: &str) -> Result<Address, String> {
    let code = crate::deploy::artifact(root, "vvv-token")?;
    let me = s.address();
    let init_data = constructor_data(&(me, vec![me], vec![U256::from(SUPPLY)]).abi_encode_params());
    let bytecode = deployment_init_code(&code);
    let salt = keccak256(format!("vvv bench {salt_label} {}", s.nonce()));
    let data = IStylusDeployer::deployCall {
        bytecode: bytecode.into(),
        initData: init_data.into(),
        initValue: U256::ZERO,
        salt,
    }
    .abi_encode();
    // Activation's data fee; the StylusDeployer refunds what it does not use.
    let value = U256::from(10u128.pow(17));
    let r = send_ok(
        s,
        "deploy vvv-token",
        TxKind::Call(STYLUS_DEPLOYER),
        value,
        &data,
        DEPLOY_GAS,
    )?;
    let log = r
        .logs
        .iter()
        .find(|l| {
            l.address == STYLUS_DEPLOYER
                && l.topics.first()
                    == Some(&<IStylusDeployer::ContractDeployed as alloy_sol_types::SolEvent>::SIGNATURE_HASH)
        })
        .ok_or_else(|| format!("deploy vvv-token: no ContractDeployed log in {}", r.tx_hash))?;
    Address::abi_decode(&log.data, true)
        .map_err(|e| format!("deploy vvv-token: ContractDeployed: {e}"))
}

/// A test account funded with ETH by the owner (a plain transfer: works on any node).
fn funded(s: &mut Signer, label: &str, wei: U256) -> Result<Key, String> {
    let k = Key::from_label(label);
    send_ok(
        s,
        &format!("fund {label}"),
        TxKind::Call(k.address),
        wei,
        &[],
        21_000,
    )?;
    Ok(k)
}

/// The EIP-712 digest of an EIP-2612 permit.
fn permit_digest(
    domain: B256,
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    let typehash = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)",
    );
    let st = keccak256((typehash, owner, spender, value, nonce, deadline).abi_encode());
    let mut pre = vec![0x19, 0x01];
    pre.extend_from_slice(domain.as_slice());
    pre.extend_from_slice(st.as_slice());
    keccak256(pre)
}

/// The accounts of the gas benchmark on one chain.
struct Actors<'a> {
    owner: Signer<'a>,
    /// Spends the owner's allowance (`transferFrom`) and relays permits.
    spender: Signer<'a>,
    existing: Address,
}

/// One token's prepared state: `existing` holds tokens, `spender` has a finite allowance, the
/// owner's permit nonce is non-zero.
fn prepare(a: &mut Actors, token: Address, tag: &str) -> Result<(), String> {
    let amount = U256::from(10u128.pow(18));
    call(
        &mut a.owner,
        &format!("{tag}: fund the existing recipient"),
        token,
        &IErc20Permit::transferCall {
            to: a.existing,
            value: amount,
        }
        .abi_encode(),
    )?;
    call(
        &mut a.owner,
        &format!("{tag}: allowance for transferFrom"),
        token,
        &IErc20Permit::approveCall {
            spender: a.spender.address(),
            value: amount * U256::from(1_000_000u64),
        }
        .abi_encode(),
    )?;
    // A first permit so that the measured ones bump a non-zero nonce.
    permit(a, token, Address::with_last_byte(0x77), tag).map(|_| ())
}

/// The owner signs a permit for `to`; the spender account submits it (a relayer).
fn permit(a: &mut Actors, token: Address, to: Address, tag: &str) -> Result<u64, String> {
    let owner = a.owner.address();
    let rpc = a.owner.rpc;
    let domain = rpc.view(token, IErc20Permit::DOMAIN_SEPARATORCall {})?._0;
    let nonce = rpc.view(token, IErc20Permit::noncesCall { owner })?._0;
    let value = U256::from(10u128.pow(18));
    let deadline = U256::from(u64::MAX);
    let (v, r, s) = a
        .owner
        .key
        .sign_digest(permit_digest(domain, owner, to, value, nonce, deadline));
    let data = IErc20Permit::permitCall {
        owner,
        spender: to,
        value,
        deadline,
        v,
        r,
        s,
    }
    .abi_encode();
    call(&mut a.spender, &format!("{tag}: permit"), token, &data)
}

/// Gas of each action (in [`ACTIONS`] order), `n` calls each; returns the median of each.
/// `tag` names the run in errors and keeps its fresh addresses apart from another run's.
fn measure(a: &mut Actors, token: Address, n: usize, tag: &str) -> Result<[u64; 5], String> {
    let amount = U256::from(1000u64);
    let mut gas: [Vec<u64>; 5] = Default::default();
    for i in 0..n {
        let fresh =
            |what: &str| Address::from_word(keccak256(format!("vvv bench {tag} {what} {i}")));
        let owner = a.owner.address();
        gas[0].push(call(
            &mut a.owner,
            &format!("{tag}: transfer to a fresh recipient"),
            token,
            &IErc20Permit::transferCall {
                to: fresh("recipient"),
                value: amount,
            }
            .abi_encode(),
        )?);
        gas[1].push(call(
            &mut a.owner,
            &format!("{tag}: transfer to an existing recipient"),
            token,
            &IErc20Permit::transferCall {
                to: a.existing,
                value: amount,
            }
            .abi_encode(),
        )?);
        gas[2].push(call(
            &mut a.owner,
            &format!("{tag}: approve"),
            token,
            &IErc20Permit::approveCall {
                spender: fresh("spender"),
                value: amount,
            }
            .abi_encode(),
        )?);
        gas[3].push(call(
            &mut a.spender,
            &format!("{tag}: transferFrom"),
            token,
            &IErc20Permit::transferFromCall {
                from: owner,
                to: a.existing,
                value: amount,
            }
            .abi_encode(),
        )?);
        gas[4].push(permit(a, token, fresh("permit spender"), tag)?);
    }
    Ok(gas.map(|mut g| {
        g.sort_unstable();
        g[g.len() / 2]
    }))
}

/// One row of the gas table.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    pub solidity: u64,
    pub uncached: u64,
    pub cached: u64,
}

impl Row {
    fn ratio_uncached(&self) -> f64 {
        self.uncached as f64 / self.solidity as f64
    }
    fn ratio_cached(&self) -> f64 {
        self.cached as f64 / self.solidity as f64
    }
}

/// The recorded ratios (`bench/ratios.toml`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RatiosFile {
    /// Relative slack a measured ratio may exceed the recorded one by (0.01 = 1%).
    tolerance: f64,
    /// Per action: the recorded ratios and, for reference, the gas they came from.
    action: BTreeMap<String, Recorded>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Recorded {
    uncached: f64,
    cached: f64,
    solidity_gas: u64,
    stylus_uncached_gas: u64,
    stylus_cached_gas: u64,
}

/// What `vvv bench` does with the measured ratios.
pub enum Mode {
    Print,
    Record(PathBuf),
    Check(PathBuf),
}

pub struct GasOptions {
    pub root: PathBuf,
    pub rpc_url: Option<String>,
    /// Calls per action and token (the median is reported).
    pub calls: usize,
    pub mode: Mode,
}

/// Caches (or evicts) the program at `program` through `ArbWasmCache`, as a chain owner.
fn set_cached(s: &mut Signer, program: Address, cached: bool) -> Result<(), String> {
    let rpc = s.rpc;
    let owner = rpc
        .view(
            ARB_OWNER_PUBLIC,
            IArbOwnerPublic::isChainOwnerCall { addr: s.address() },
        )?
        ._0;
    if !owner {
        return Err(format!(
            "caching through ArbWasmCache needs a chain owner key; {} is not one on {}",
            s.address(),
            rpc.url()
        ));
    }
    let codehash = keccak256(rpc.code(program)?);
    let is = rpc
        .view(
            ARB_WASM_CACHE,
            IArbWasmCache::codehashIsCachedCall { codehash },
        )?
        ._0;
    if is == cached {
        return Ok(());
    }
    let data = if cached {
        IArbWasmCache::cacheProgramCall { addr: program }.abi_encode()
    } else {
        IArbWasmCache::evictCodehashCall { codehash }.abi_encode()
    };
    call(s, "ArbWasmCache", ARB_WASM_CACHE, &data)?;
    let now = rpc
        .view(
            ARB_WASM_CACHE,
            IArbWasmCache::codehashIsCachedCall { codehash },
        )?
        ._0;
    if now != cached {
        return Err(format!(
            "ArbWasmCache: codehashIsCached({codehash}) is {now} after the call"
        ));
    }
    Ok(())
}

/// `vvv bench` (gas): measures, prints, and records or checks the ratios.
pub fn run_gas(o: &GasOptions) -> Result<(), String> {
    // A missing or bad ratios file fails before anything is measured.
    let recorded = match &o.mode {
        Mode::Check(path) => Some(load_ratios(path)?),
        _ => None,
    };
    let compiled = compile_reference(&o.root)?;
    let _devnet;
    let url = match &o.rpc_url {
        Some(u) => u.clone(),
        None => {
            let d = Devnet::start(&o.root, &[])?;
            let u = d.url.clone();
            _devnet = d;
            u
        }
    };
    let rows = measure_all(&o.root, &url, &compiled, o.calls)?;
    print_table(&compiled, &rows, o.calls);
    match (&o.mode, recorded) {
        (Mode::Record(path), _) => record(path, &rows),
        (Mode::Check(path), Some(file)) => check(path, &file, &rows),
        _ => Ok(()),
    }
}

fn measure_all(
    root: &Path,
    url: &str,
    compiled: &Compiled,
    calls: usize,
) -> Result<Vec<Row>, String> {
    let rpc = Rpc::new(url);
    let chain_id = rpc.chain_id()?;
    let mut owner = Signer::new(&rpc, Key::from_hex(DEV_KEY)?, chain_id)?;
    let spender = funded(&mut owner, "vvv bench spender", U256::from(10u128.pow(18)))?;
    let existing = Key::from_label("vvv bench existing recipient").address;
    let spender = Signer::new(&rpc, spender, chain_id)?;
    let mut a = Actors {
        owner,
        spender,
        existing,
    };

    let sol = deploy_solidity(&mut a.owner, compiled)?;
    let vvv = deploy_stylus(&mut a.owner, root, "gas")?;
    // A program cached by an earlier run on this node (same code hash) would make the
    // "uncached" column cached: evict it first.
    set_cached(&mut a.owner, vvv, false)?;
    prepare(&mut a, sol, "Solidity")?;
    prepare(&mut a, vvv, "Stylus")?;
    let sol_gas = measure(&mut a, sol, calls, "Solidity")?;
    let uncached = measure(&mut a, vvv, calls, "Stylus uncached")?;
    set_cached(&mut a.owner, vvv, true)?;
    let cached = measure(&mut a, vvv, calls, "Stylus cached")?;

    // The devnet must charge Nitro's cached price: a cached call saves exactly the init gas
    // `ArbWasm.programInitGas` reports (gas − gasWhenCached), nothing more or less.
    let init = rpc.view(ARB_WASM, IArbWasmInit::programInitGasCall { program: vvv })?;
    let saving = init.gas - init.gasWhenCached;
    for (i, (_, label)) in ACTIONS.iter().enumerate() {
        if uncached[i].checked_sub(cached[i]) != Some(saving) {
            return Err(format!(
                "{label}: uncached {} − cached {} gas ≠ the init saving {saving} \
                 (ArbWasm.programInitGas: {} uncached, {} cached): the node does not price cached \
                 programs as Nitro does",
                uncached[i], cached[i], init.gas, init.gasWhenCached
            ));
        }
    }
    set_cached(&mut a.owner, vvv, false)?;
    Ok((0..ACTIONS.len())
        .map(|i| Row {
            solidity: sol_gas[i],
            uncached: uncached[i],
            cached: cached[i],
        })
        .collect())
}

fn print_table(c: &Compiled, rows: &[Row], calls: usize) {
    println!(
        "Gas (receipts' gasUsed; median of {calls} call(s) each): VVV Stylus (artifacts/vvv-token.code) \
         vs OpenZeppelin {} ERC20 + ERC20Permit ({}, optimizer 200 runs, cancun)",
        c.openzeppelin, c.compiler
    );
    println!(
        "{:<30} {:>9} {:>16} {:>14} {:>16} {:>14}",
        "action", "Solidity", "Stylus uncached", "Stylus cached", "uncached/Sol", "cached/Sol"
    );
    for ((_, label), r) in ACTIONS.iter().zip(rows) {
        println!(
            "{:<30} {:>9} {:>16} {:>14} {:>16.3} {:>14.3}",
            label,
            r.solidity,
            r.uncached,
            r.cached,
            r.ratio_uncached(),
            r.ratio_cached()
        );
    }
}

/// Rounds a ratio up to 4 decimals (what the file records).
fn round_up(x: f64) -> f64 {
    (x * 10_000.0).ceil() / 10_000.0
}

fn ratios_file(rows: &[Row]) -> RatiosFile {
    RatiosFile {
        tolerance: 0.01,
        action: ACTIONS
            .iter()
            .zip(rows)
            .map(|((key, _), r)| {
                (
                    key.to_string(),
                    Recorded {
                        uncached: round_up(r.ratio_uncached()),
                        cached: round_up(r.ratio_cached()),
                        solidity_gas: r.solidity,
                        stylus_uncached_gas: r.uncached,
                        stylus_cached_gas: r.cached,
                    },
                )
            })
            .collect(),
    }
}

fn record(path: &Path, rows: &[Row]) -> Result<(), String> {
    let body =
        toml::to_string(&ratios_file(rows)).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = format!(
        "# Gas ratios Stylus/Solidity recorded by `vvv bench --record` (VVV token vs OpenZeppelin's\n\
         # ERC20 + ERC20Permit, see bench/README.md). `vvv bench --check` (CI) fails when a measured\n\
         # ratio exceeds the recorded one by more than `tolerance` (relative). The *_gas fields are\n\
         # the measurements the ratios came from, for reference. Re-record after a change that\n\
         # lowers the gas: `cargo run -p vvv-scripts -- bench --record`.\n\n{body}"
    );
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!("recorded the ratios in {}", path.display());
    Ok(())
}

fn load_ratios(path: &Path) -> Result<RatiosFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: {e} (write it with `vvv bench --record`)",
            path.display()
        )
    })?;
    parse_ratios(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse_ratios(text: &str) -> Result<RatiosFile, String> {
    let file: RatiosFile = toml::from_str(text).map_err(|e| e.to_string())?;
    if !(0.0..1.0).contains(&file.tolerance) {
        return Err(format!("tolerance {} is not in [0, 1)", file.tolerance));
    }
    for (key, _) in ACTIONS {
        if !file.action.contains_key(key) {
            return Err(format!(
                "no [action.{key}] (re-record with `vvv bench --record`)"
            ));
        }
    }
    Ok(file)
}

fn check(path: &Path, file: &RatiosFile, rows: &[Row]) -> Result<(), String> {
    let mut over = Vec::new();
    for ((key, label), r) in ACTIONS.iter().zip(rows) {
        let rec = &file.action[*key];
        for (what, got, limit) in [
            ("uncached", r.ratio_uncached(), rec.uncached),
            ("cached", r.ratio_cached(), rec.cached),
        ] {
            if got > limit * (1.0 + file.tolerance) {
                over.push(format!(
                    "{label} ({what}): Stylus/Solidity {got:.4} > recorded {limit:.4} (+{:.1}%)",
                    file.tolerance * 100.0
                ));
            }
        }
    }
    if over.is_empty() {
        println!(
            "every ratio is within {} (tolerance {:.1}%)",
            path.display(),
            file.tolerance * 100.0
        );
        Ok(())
    } else {
        Err(format!("gas regression:\n  {}", over.join("\n  ")))
    }
}

/// anvil (the binary of npm `@foundry-rs/anvil`'s platform package, pinned in
/// `bench/package.json`) on a free local port; stopped when dropped.
struct Anvil {
    child: Child,
    url: String,
}

impl Anvil {
    fn start(root: &Path) -> Result<Self, String> {
        let dir = bench_packages(root)?;
        let platform = match (std::env::consts::OS, std::env::consts::ARCH) {
            ("linux", "x86_64") => "linux-amd64",
            ("linux", "aarch64") => "linux-arm64",
            ("macos", "x86_64") => "darwin-amd64",
            ("macos", "aarch64") => "darwin-arm64",
            (os, arch) => return Err(format!("anvil: no npm package for {os}/{arch}")),
        };
        let bin = dir.join(format!(
            "node_modules/@foundry-rs/anvil-{platform}/bin/anvil"
        ));
        if !bin.is_file() {
            return Err(format!(
                "{} missing: run `npm ci --prefix bench`",
                bin.display()
            ));
        }
        // A port the OS just handed out (released again for anvil to bind).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("finding a free port: {e}"))?
            .port();
        let child = Command::new(&bin)
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--silent",
                "--order",
                "fifo",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("starting {}: {e}", bin.display()))?;
        let mut a = Anvil {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let rpc = Rpc::new(&a.url);
        let deadline = Instant::now() + Duration::from_secs(30);
        while rpc.chain_id().is_err() {
            if let Ok(Some(status)) = a.child.try_wait() {
                return Err(format!("anvil exited at start: {status}"));
            }
            if Instant::now() > deadline {
                return Err(format!("anvil did not answer on {} within 30 s", a.url));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(a)
    }
}

impl Anvil {
    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Concurrent clients of the throughput benchmark's second phase.
const CLIENTS: usize = 4;
/// Gas limit of a throughput transfer (a fresh-recipient transfer is < 90k on both paths).
const TRANSFER_GAS: u64 = 150_000;

/// Accounts that send the transfers: funded with ETH and tokens by the owner.
fn throughput_clients(owner: &mut Signer, token: Address) -> Result<Vec<Key>, String> {
    let mut keys = Vec::new();
    for c in 0..CLIENTS {
        let k = funded(
            owner,
            &format!("vvv bench client {c}"),
            U256::from(10u128.pow(19)),
        )?;
        call(
            owner,
            &format!("tokens for client {c}"),
            token,
            &IErc20Permit::transferCall {
                to: k.address,
                value: U256::from(10u128.pow(24)),
            }
            .abi_encode(),
        )?;
        keys.push(k);
    }
    Ok(keys)
}

/// The nonce after `who`'s last mined transaction (`latest`, not counting pending ones).
fn mined_nonce(rpc: &Rpc, who: Address) -> Result<u64, String> {
    let v = rpc.request(
        "eth_getTransactionCount",
        serde_json::json!([who, "latest"]),
    )?;
    v.as_str()
        .and_then(|s| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok())
        .ok_or_else(|| format!("eth_getTransactionCount: unexpected {v}"))
}

/// Polls for the receipt of `hash` (the signed `raw`, of `sender`'s nonce `nonce`): at once,
/// then every millisecond (anvil mines in the background, our devnet before
/// `eth_sendRawTransaction` returns). anvil 1.7.1's automine can leave a ready transaction
/// pending or lose it (cf. foundry-rs/foundry#10122): every 100 ms without the receipt, while
/// the sender's nonce is still `nonce`, `raw` is sent again (its "already known" ignored) and an
/// `evm_mine` mines what is pending (the time counts; the nudges are reported).
fn mined(
    rpc: &Rpc,
    raw: &[u8],
    hash: B256,
    sender: Address,
    nonce: u64,
) -> Result<(Receipt, u32), String> {
    let start = Instant::now();
    let deadline = start + Duration::from_secs(60);
    let mut nudges = 0u32;
    loop {
        if let Some(r) = rpc.receipt(hash)? {
            return Ok((r, nudges));
        }
        if start.elapsed() > Duration::from_millis(100 * (1 + nudges as u64)) {
            if mined_nonce(rpc, sender)? == nonce {
                let _ = rpc.send_raw(raw);
            }
            rpc.request("evm_mine", serde_json::json!([]))?;
            nudges += 1;
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{hash} not mined after 60 s (the sender's next nonce on the node is {})",
                mined_nonce(rpc, sender)?
            ));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Sends `per_client` pre-signed transfers of 1 unit from each key (each key its own thread and
/// HTTP connection, all released at once), each client waiting for a transfer's receipt before
/// it sends the next, as a wallet does. (Sending them back to back without waiting lets
/// anvil's pool grow to hundreds of pending transactions, which it then mines at a few per
/// second: a pathology of anvil, not a rate.) Checks every transfer happened (receipt status,
/// token balances).
fn throughput_phase(
    url: &str,
    pid: u32,
    token: Address,
    keys: &[&Key],
    per_client: usize,
    tag: &str,
) -> Result<Phase, String> {
    let rpc = Rpc::new(url);
    let chain_id = rpc.chain_id()?;
    // Twice the current base fee, as wallets do (anvil's falls while blocks are near empty).
    let max_fee = rpc.gas_price()? * U256::from(2u8);
    let mut batches = Vec::new();
    let mut before = Vec::new();
    for (c, k) in keys.iter().enumerate() {
        let nonce = rpc.nonce(k.address)?;
        before.push(
            rpc.view(token, IErc20Permit::balanceOfCall { account: k.address })?
                ._0,
        );
        let txs: Vec<Vec<u8>> = (0..per_client)
            .map(|i| {
                let to = Address::from_word(keccak256(format!("vvv bench {tag} {c} {i}")));
                let data = IErc20Permit::transferCall {
                    to,
                    value: U256::from(1u8),
                }
                .abi_encode();
                k.sign_1559(
                    chain_id,
                    nonce + i as u64,
                    max_fee,
                    TRANSFER_GAS,
                    token,
                    U256::ZERO,
                    &data,
                )
            })
            .collect();
        batches.push((nonce, txs));
    }
    let barrier = std::sync::Barrier::new(keys.len() + 1);
    let cpu_before = cpu_time(pid);
    let (elapsed, results) = std::thread::scope(|scope| {
        let handles: Vec<_> = batches
            .iter()
            .zip(keys)
            .map(|((nonce0, txs), k)| {
                let barrier = &barrier;
                let sender = k.address;
                let nonce0 = *nonce0;
                scope.spawn(move || -> Result<u32, String> {
                    let rpc = Rpc::new(url);
                    barrier.wait();
                    let mut nudges = 0;
                    for (i, raw) in txs.iter().enumerate() {
                        let hash = rpc.send_raw(raw)?;
                        let (r, n) = mined(&rpc, raw, hash, sender, nonce0 + i as u64)?;
                        if !r.status {
                            return Err(format!("transfer {hash} reverted"));
                        }
                        nudges += n;
                    }
                    Ok(nudges)
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        let results: Vec<_> = handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("client thread panicked".into()))
            })
            .collect();
        (start.elapsed(), results)
    });
    let cpu = cpu_before
        .zip(cpu_time(pid))
        .map(|(a, b)| b.saturating_sub(a));
    let mut nudges = 0;
    for (c, (r, k)) in results.into_iter().zip(keys).enumerate() {
        nudges += r.map_err(|e| format!("{tag}, client {c}: {e}"))?;
        let after = rpc
            .view(token, IErc20Permit::balanceOfCall { account: k.address })?
            ._0;
        if before[c] - after != U256::from(per_client) {
            return Err(format!(
                "{tag}, client {c}: balance fell by {}, expected {per_client}",
                before[c] - after
            ));
        }
    }
    let n = (per_client * keys.len()) as f64;
    Ok(Phase {
        rate: n / elapsed.as_secs_f64(),
        nudges,
        cpu_us: cpu.map(|c| c.as_secs_f64() * 1e6 / n),
    })
}

/// One phase of the throughput benchmark.
struct Phase {
    /// Transactions per second.
    rate: f64,
    nudges: u32,
    /// The node's CPU time (user + system, all its threads) per transaction, in µs.
    cpu_us: Option<f64>,
}

/// CPU time (user + system) the process `pid` has used, from `/proc/<pid>/stat` (Linux; `None`
/// elsewhere). Less sensitive to other load on the machine than the rates: it says what one
/// transaction costs the node.
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux architecture Rust targets here.
    Some(Duration::from_millis(ticks * 10))
}

/// One token on one node: transactions per second from 1 client and from [`CLIENTS`], and the
/// `evm_mine` nudges both phases needed.
struct Rates {
    seq: Phase,
    conc: Phase,
}

/// The [`Rates`] of one token on one node.
fn throughput_target(
    url: &str,
    pid: u32,
    owner: &mut Signer,
    token: Address,
    txs: usize,
    tag: &str,
) -> Result<Rates, String> {
    let keys = throughput_clients(owner, token)?;
    eprintln!("  {tag}: {txs} transfers from 1 client...");
    let seq = throughput_phase(url, pid, token, &[&keys[0]], txs, &format!("{tag} seq"))?;
    eprintln!("  {tag}: {txs} transfers from {CLIENTS} clients...");
    let all: Vec<&Key> = keys.iter().collect();
    let conc = throughput_phase(url, pid, token, &all, txs / CLIENTS, &format!("{tag} conc"))?;
    Ok(Rates { seq, conc })
}

/// `vvv bench --throughput`: anvil vs the devnet, in one run.
pub fn run_throughput(root: &Path, txs: usize) -> Result<(), String> {
    if txs < CLIENTS {
        return Err(format!(
            "bench --throughput: --txs must be at least {CLIENTS}"
        ));
    }
    let compiled = compile_reference(root)?;
    let devnet = Devnet::start(root, &[])?;
    let anvil = Anvil::start(root)?;
    let dev_key = Key::from_hex(DEV_KEY)?;

    eprintln!("anvil on {}, devnet on {}", anvil.url, devnet.url);
    let arpc = Rpc::new(&anvil.url);
    // anvil funds its own accounts; give the dev key ETH there too.
    arpc.set_balance(dev_key.address, U256::from(10u128.pow(22)))?;
    let mut aowner = Signer::new(&arpc, Key::from_hex(DEV_KEY)?, arpc.chain_id()?)?;
    let anvil_sol = deploy_solidity(&mut aowner, &compiled)?;
    let anvil_rates = throughput_target(
        &anvil.url,
        anvil.pid(),
        &mut aowner,
        anvil_sol,
        txs,
        "anvil",
    )?;

    let drpc = Rpc::new(&devnet.url);
    let mut downer = Signer::new(&drpc, dev_key, drpc.chain_id()?)?;
    let dev_sol = deploy_solidity(&mut downer, &compiled)?;
    let dev_sol_rates = throughput_target(
        &devnet.url,
        devnet.pid(),
        &mut downer,
        dev_sol,
        txs,
        "devnet EVM",
    )?;
    let vvv = deploy_stylus(&mut downer, root, "throughput")?;
    let vvv_rates = throughput_target(
        &devnet.url,
        devnet.pid(),
        &mut downer,
        vvv,
        txs,
        "devnet Stylus",
    )?;

    println!(
        "Throughput: {txs} signed ERC-20 transfers (eth_sendRawTransaction, each client awaiting each receipt), \
         1 client then {CLIENTS} concurrent clients; anvil (npm @foundry-rs/anvil, bench/package.json) \
         vs vvv-devnet (release); {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "{:<31} {:>10} {:>10} {:>9} {:>9} {:>11} {:>11}",
        "node, token",
        "1 client",
        format!("{CLIENTS} clients"),
        "/anvil",
        format!("/anvil"),
        "CPU µs/tx",
        format!("CPU µs/tx")
    );
    println!(
        "{:<31} {:>10} {:>10} {:>9} {:>9} {:>11} {:>11}",
        "",
        "tx/s",
        "tx/s",
        "(1)",
        format!("({CLIENTS})"),
        "(1)",
        format!("({CLIENTS})")
    );
    let us = |p: &Phase| p.cpu_us.map_or("-".to_string(), |c| format!("{c:.0}"));
    for (name, r) in [
        ("anvil, Solidity ERC-20 (EVM)", &anvil_rates),
        ("devnet, Solidity ERC-20 (EVM)", &dev_sol_rates),
        ("devnet, VVV (Stylus)", &vvv_rates),
    ] {
        let nudges = r.seq.nudges + r.conc.nudges;
        println!(
            "{name:<31} {:>10.0} {:>10.0} {:>9.2} {:>9.2} {:>11} {:>11}{}",
            r.seq.rate,
            r.conc.rate,
            r.seq.rate / anvil_rates.seq.rate,
            r.conc.rate / anvil_rates.conc.rate,
            us(&r.seq),
            us(&r.conc),
            if nudges > 0 {
                format!("  ({nudges} evm_mine nudges for stranded transactions)")
            } else {
                String::new()
            }
        );
    }
    println!(
        "CPU µs/tx: the node process's CPU time (all threads) per transfer; the client runs on the \
         same machine"
    );
    println!("goals: devnet EVM ≥ 1.00 × anvil, devnet Stylus ≥ 0.80 × anvil");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(k: u64) -> Vec<Row> {
        (0..ACTIONS.len() as u64)
            .map(|i| Row {
                solidity: 40_000 + i,
                uncached: 70_000 + k,
                cached: 55_000 + k,
            })
            .collect()
    }

    #[test]
    fn recorded_ratios_pass_and_a_regression_above_the_tolerance_fails() {
        let text = toml::to_string(&ratios_file(&rows(0))).unwrap();
        let file = parse_ratios(&text).unwrap();
        let path = Path::new("ratios.toml");
        check(path, &file, &rows(0)).unwrap();
        // within 1%: 500 gas on ~70k
        check(path, &file, &rows(500)).unwrap();
        let err = check(path, &file, &rows(1000)).unwrap_err();
        assert!(err.contains("gas regression"), "{err}");
        assert!(
            err.contains("transfer (fresh recipient) (uncached)"),
            "{err}"
        );
        // lower gas always passes
        check(
            path,
            &file,
            &rows(0)
                .iter()
                .map(|r| Row {
                    cached: 1,
                    uncached: 1,
                    ..*r
                })
                .collect::<Vec<_>>(),
        )
        .unwrap();
    }

    #[test]
    fn a_ratios_file_missing_an_action_or_with_a_bad_tolerance_is_refused() {
        let mut file = ratios_file(&rows(0));
        file.action.remove("permit");
        let err = parse_ratios(&toml::to_string(&file).unwrap()).unwrap_err();
        assert!(err.contains("[action.permit]"), "{err}");
        let mut file = ratios_file(&rows(0));
        file.tolerance = 2.0;
        let err = parse_ratios(&toml::to_string(&file).unwrap()).unwrap_err();
        assert!(err.contains("tolerance"), "{err}");
        assert!(parse_ratios("tolerance = 0.01\nbogus = 1\n").is_err());
    }

    #[test]
    fn a_permit_signature_recovers_to_the_owner() {
        // The signature recovers to the owner, as a token's permit checks.
        let key = Key::from_label("permit test");
        let domain = keccak256("domain");
        let spender = Address::with_last_byte(7);
        let digest = permit_digest(
            domain,
            key.address,
            spender,
            U256::from(5u8),
            U256::from(1u8),
            U256::MAX,
        );
        let (v, r, s) = key.sign_digest(digest);
        let sig = alloy_primitives::PrimitiveSignature::from_scalars_and_parity(r, s, v == 28);
        assert_eq!(
            sig.recover_address_from_prehash(&digest).unwrap(),
            key.address
        );
    }
}
