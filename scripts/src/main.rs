//! `vvv`: the deployer's command-line tool.
//!
//! ```text
//! cargo run -p vvv-scripts -- build [CRATE ...]           build, optimize, size-check -> artifacts/
//! cargo run -p vvv-scripts -- deploy --rpc-url URL --config deploy/X.toml [--private-key K | --keystore F]
//! cargo run -p vvv-scripts -- demo [--rpc-url URL] [--plot DIR]
//! cargo run -p vvv-scripts -- gas [--rpc-url URL]
//! cargo run -p vvv-scripts -- bench [--check | --record] [--ratios FILE] [--calls N] [--rpc-url URL]
//! cargo run -p vvv-scripts -- bench --throughput [--txs N]
//! cargo run -p vvv-scripts -- abi [--check]
//! cargo run -p vvv-scripts -- airdrop-tree CSV -o OUT
//! ```

mod abi;
mod bench;
mod bindings;
mod build;
mod config;
mod demo;
mod deploy;
mod devnet;
mod merkle;
mod plot;
mod rpc;

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

const USAGE: &str = "usage: vvv <command> [options]

commands:
  build [CRATE ...]
      compile the contracts to Wasm, optimize them, write artifacts/<name>.wasm (optimized Wasm)
      and artifacts/<name>.code (deployable code: Stylus prefix + brotli), print the size table
      and fail if a contract is over the 24 KiB limit
  deploy --rpc-url URL --config FILE [--private-key HEX | --keystore FILE] [--manifest FILE]
      deploy, wire and fund the whole suite from a config (deploy/*.toml) through the
      StylusDeployer; resumable: progress is in deployments/<chain-id>.json (or --manifest).
      The key: --private-key, --keystore FILE (a file holding the hex key), or env VVV_PRIVATE_KEY
  demo [--rpc-url URL] [--plot DIR]
      the economy on a devnet: starts `vvv-devnet` as a child process unless --rpc-url is given,
      deploys with deploy/devnet.toml, plays claims, stakes, 30 days of emissions, DIEM, credit
      staking, unstaking, buy-and-burn and the airdrop sweep; checks INV-1/2/5/6 on chain
  gas [--rpc-url URL]
      the demo, printing only the gas table of every user action
  bench [--check | --record] [--ratios FILE] [--calls N] [--rpc-url URL]
      gas of transfer (fresh and existing recipient), approve, transferFrom and permit on the
      VVV token (Stylus, uncached then cached through ArbWasmCache) and on OpenZeppelin's
      Solidity ERC20 + ERC20Permit (bench/, compiled by the pinned solc), on one devnet (started
      unless --rpc-url), with the ratios Stylus/Solidity; median of --calls N (default 3).
      --record writes the ratios to bench/ratios.toml (or --ratios FILE); --check (CI, 2 calls
      by default) fails if a ratio is above the recorded one plus its tolerance
  bench --throughput [--txs N]
      signed ERC-20 transfers per second through eth_sendRawTransaction, one client then 4
      concurrent ones (N in all, default 2000), against anvil (bench/, pinned; Solidity
      reference) and the release devnet (the same Solidity token, and VVV on Stylus), in one run
  abi [--check]
      write each contract's JSON ABI and Solidity interface to abi/ (--check: fail if stale)
  airdrop-tree CSV -o OUT
      Merkle root and proofs (OpenZeppelin StandardMerkleTree format) from `account,amount` rows";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => run_build(&args[1..]),
        Some("deploy") => run_deploy(&args[1..]),
        Some("demo") => run_demo(&args[1..], false),
        Some("gas") => run_demo(&args[1..], true),
        Some("bench") => run_bench(&args[1..]),
        Some("abi") => Flags::parse(&args[1..], &["--check"], &[])
            .and_then(|f| abi::run(&workspace_root(), f.has("--check"))),
        Some("airdrop-tree") => run_airdrop_tree(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `--flag` and `--option VALUE` arguments plus positionals.
struct Flags {
    flags: Vec<String>,
    options: Vec<(String, String)>,
    positional: Vec<String>,
}

impl Flags {
    fn parse(args: &[String], flags: &[&str], options: &[&str]) -> Result<Self, String> {
        let mut out = Flags {
            flags: Vec::new(),
            options: Vec::new(),
            positional: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if flags.contains(&a.as_str()) {
                out.flags.push(a.clone());
            } else if let Some((k, v)) = a.split_once('=').filter(|(k, _)| options.contains(k)) {
                out.options.push((k.to_string(), v.to_string()));
            } else if options.contains(&a.as_str()) {
                let v = it.next().ok_or_else(|| format!("{a} needs a value"))?;
                out.options.push((a.clone(), v.clone()));
            } else if a.starts_with('-') {
                return Err(format!("unknown option {a}\n\n{USAGE}"));
            } else {
                out.positional.push(a.clone());
            }
        }
        Ok(out)
    }

    fn has(&self, f: &str) -> bool {
        self.flags.iter().any(|x| x == f)
    }

    fn get(&self, o: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(k, _)| k == o)
            .map(|(_, v)| v.as_str())
    }
}

fn run_build(crates: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let artifacts = build::build(&root, crates)?;
    print!("{}", build::size_table(&artifacts));
    let over = build::over_limit(&artifacts);
    if over.is_empty() {
        println!(
            "all {} contracts within the Stylus limits; artifacts in {}",
            artifacts.len(),
            root.join("artifacts").display()
        );
        Ok(())
    } else {
        Err(format!("over the limit:\n  {}", over.join("\n  ")))
    }
}

/// The deployer's key: `--private-key`, `--keystore FILE` or `VVV_PRIVATE_KEY`. Errors never
/// contain the key.
fn load_key(f: &Flags) -> Result<rpc::Key, String> {
    if let Some(k) = f.get("--private-key") {
        return rpc::Key::from_hex(k).map_err(|e| format!("--private-key: {e}"));
    }
    if let Some(path) = f.get("--keystore") {
        let text = std::fs::read_to_string(path).map_err(|e| format!("--keystore {path}: {e}"))?;
        return rpc::Key::from_hex(text.trim()).map_err(|e| format!("--keystore {path}: {e}"));
    }
    if let Ok(k) = std::env::var("VVV_PRIVATE_KEY") {
        return rpc::Key::from_hex(&k).map_err(|e| format!("VVV_PRIVATE_KEY: {e}"));
    }
    Err("no deployer key: give --private-key HEX, --keystore FILE or set VVV_PRIVATE_KEY".into())
}

fn run_deploy(args: &[String]) -> Result<(), String> {
    let f = Flags::parse(
        args,
        &[],
        &[
            "--rpc-url",
            "--private-key",
            "--keystore",
            "--config",
            "--manifest",
        ],
    )?;
    let url = f
        .get("--rpc-url")
        .ok_or("deploy: --rpc-url URL is required")?;
    let config = f
        .get("--config")
        .ok_or("deploy: --config FILE is required")?;
    let key = load_key(&f)?;
    // The config is validated before anything touches the network.
    let cfg = config::Config::load(Path::new(config), key.address)?;
    let root = workspace_root();
    let manifest = f
        .get("--manifest")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("deployments").join(format!("{}.json", cfg.chain_id)));
    let rpc = rpc::Rpc::new(url);
    let opts = deploy::Options {
        root,
        manifest,
        quiet: false,
    };
    deploy::deploy(&rpc, key, &cfg, &opts).map(|_| ())
}

fn run_demo(args: &[String], gas_only: bool) -> Result<(), String> {
    let f = Flags::parse(args, &[], &["--rpc-url", "--plot"])?;
    demo::run(&demo::DemoOptions {
        root: workspace_root(),
        rpc_url: f.get("--rpc-url").map(str::to_string),
        plot: f.get("--plot").map(PathBuf::from),
        gas_only,
    })
}

fn run_bench(args: &[String]) -> Result<(), String> {
    let f = Flags::parse(
        args,
        &["--check", "--record", "--throughput"],
        &["--rpc-url", "--ratios", "--calls", "--txs"],
    )?;
    let root = workspace_root();
    let number = |o: &str, default: usize| -> Result<usize, String> {
        match f.get(o) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("bench: {o} {v:?} is not a positive integer")),
        }
    };
    if f.has("--throughput") {
        if f.has("--check") || f.has("--record") || f.get("--rpc-url").is_some() {
            return Err("bench --throughput starts its own nodes; it takes only --txs N".into());
        }
        return bench::run_throughput(&root, number("--txs", 2000)?);
    }
    let ratios = f
        .get("--ratios")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(bench::RATIOS_FILE));
    let mode = match (f.has("--check"), f.has("--record")) {
        (true, true) => return Err("bench: --check and --record exclude each other".into()),
        (true, false) => bench::Mode::Check(ratios),
        (false, true) => bench::Mode::Record(ratios),
        (false, false) => bench::Mode::Print,
    };
    let calls = number("--calls", if f.has("--check") { 2 } else { 3 })?;
    bench::run_gas(&bench::GasOptions {
        root,
        rpc_url: f.get("--rpc-url").map(str::to_string),
        calls,
        mode,
    })
}

fn run_airdrop_tree(args: &[String]) -> Result<(), String> {
    let f = Flags::parse(args, &[], &["-o", "--out"])?;
    let [csv] = f.positional.as_slice() else {
        return Err("usage: vvv airdrop-tree CSV -o OUT".into());
    };
    let out = f
        .get("-o")
        .or(f.get("--out"))
        .ok_or("airdrop-tree: -o OUT is required")?;
    merkle::run(Path::new(csv), Path::new(out))
}

/// The workspace root: this crate lives in `<root>/scripts`.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
