//! `vvv-devnet`: run the local Stylus devnet (JSON-RPC on 127.0.0.1:8547 by default).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use vvv_devnet::{Server, ServerConfig};

const USAGE: &str = "\
vvv-devnet — local Arbitrum Stylus devnet (EVM + Stylus Wasm) with a standard JSON-RPC server

USAGE: vvv-devnet [OPTIONS]

OPTIONS:
  --host <HOST>            address to listen on                      [default: 127.0.0.1]
  -p, --port <PORT>        port (0: any free port)                   [default: 8547]
  --chain-id <ID>          chain id                                  [default: 412346]
  -b, --block-time <SECS>  also mine an empty block every SECS seconds (transactions are
                           always mined at once, one block each)     [default: off]
  -a, --accounts <N>       funded accounts besides the nitro-devnode dev key [default: 10]
  --balance <ETH>          genesis balance of each account, in ether [default: 10000]
  --state <FILE>           keep the chain in FILE: loaded at start, written atomically
                           while it changes and on exit
  --state-interval <MS>    write the state file at most every MS milliseconds (0: after
                           every change, before answering it)        [default: 1000]
  --max-body <BYTES>       largest request body                      [default: 10485760]
  --max-connections <N>    most simultaneous connections             [default: 256]
  --max-batch <N>          most calls in one batch                   [default: 1000]
  --tx-gas-cap <GAS>       largest gas limit of a transaction        [default: 32000000]
  --call-gas-cap <GAS>     gas of eth_call / eth_estimateGas         [default: 50000000]
  --queue-timeout <MS>     how long a nonce-gapped transaction waits for the gap to fill
                           (0: refuse it with `nonce too high`)       [default: 10000]
  --max-trace-records <N>  most records (hostios and frames) a stylusTracer trace may
                           hold; larger traces are refused            [default: 200000]
  -q, --quiet              do not print transactions
  -h, --help               print this help
  -V, --version            print the version
";

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

fn parse_args() -> Result<ServerConfig, String> {
    let mut cfg = ServerConfig {
        log: true,
        ..ServerConfig::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        fn num<T: std::str::FromStr>(s: String, name: &str) -> Result<T, String> {
            s.parse()
                .map_err(|_| format!("invalid value for {name}: {s:?}"))
        }
        match flag.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            "-V" | "--version" => {
                println!("vvv-devnet {}", env!("CARGO_PKG_VERSION"));
                std::process::exit(0);
            }
            "--host" => cfg.host = value("--host")?,
            "-p" | "--port" => cfg.port = num(value("--port")?, "--port")?,
            "--chain-id" => cfg.chain_id = num(value("--chain-id")?, "--chain-id")?,
            "-b" | "--block-time" => {
                let s: f64 = num(value("--block-time")?, "--block-time")?;
                if !(0.0..=86_400.0).contains(&s) {
                    return Err("--block-time must be between 0 and 86400 seconds".into());
                }
                cfg.block_time = (s > 0.0).then(|| Duration::from_secs_f64(s.max(0.05)));
            }
            "-a" | "--accounts" => {
                cfg.accounts = num(value("--accounts")?, "--accounts")?;
                if cfg.accounts > 10_000 {
                    return Err("--accounts: at most 10000".into());
                }
            }
            "--balance" => {
                let eth: u64 = num(value("--balance")?, "--balance")?;
                cfg.balance = alloy_primitives::U256::from(eth)
                    * alloy_primitives::U256::from(10u64).pow(alloy_primitives::U256::from(18));
            }
            "--state" => cfg.state_file = Some(PathBuf::from(value("--state")?)),
            "--state-interval" => {
                cfg.state_interval =
                    Duration::from_millis(num(value("--state-interval")?, "--state-interval")?)
            }
            "--max-body" => cfg.max_body_bytes = num(value("--max-body")?, "--max-body")?,
            "--max-connections" => {
                cfg.max_connections = num(value("--max-connections")?, "--max-connections")?
            }
            "--max-batch" => cfg.max_batch = num(value("--max-batch")?, "--max-batch")?,
            "--tx-gas-cap" => cfg.tx_gas_cap = num(value("--tx-gas-cap")?, "--tx-gas-cap")?,
            "--call-gas-cap" => cfg.call_gas_cap = num(value("--call-gas-cap")?, "--call-gas-cap")?,
            "--queue-timeout" => {
                cfg.queue_timeout =
                    Duration::from_millis(num(value("--queue-timeout")?, "--queue-timeout")?)
            }
            "--max-trace-records" => {
                cfg.trace_limits.max_records =
                    num(value("--max-trace-records")?, "--max-trace-records")?
            }
            "-q" | "--quiet" => cfg.log = false,
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    Ok(cfg)
}

fn main() {
    let cfg = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("vvv-devnet: {e}");
            std::process::exit(2);
        }
    };
    unsafe {
        libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
        libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
    }
    let state_note = cfg.state_file.as_ref().map(|p| (p.clone(), p.exists()));
    let server = match Server::start(cfg.clone()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("vvv-devnet: {e}");
            std::process::exit(1);
        }
    };
    let eth = alloy_primitives::U256::from(10u64).pow(alloy_primitives::U256::from(18));
    println!(
        "vvv-devnet {} — local Arbitrum Stylus devnet (EVM + Stylus Wasm)\n",
        env!("CARGO_PKG_VERSION")
    );
    println!("Available Accounts\n==================");
    for (i, a) in server.accounts().iter().enumerate() {
        let note = if i == 0 {
            "  (nitro-devnode dev key)"
        } else {
            ""
        };
        println!(
            "({i}) {} ({} ETH at genesis){note}",
            a.address,
            cfg.balance / eth
        );
    }
    println!("\nPrivate Keys\n==================");
    for (i, a) in server.accounts().iter().enumerate() {
        println!("({i}) {}", a.private_key);
    }
    println!("\nChain ID\n==================\n{}\n", server.chain_id());
    let (block, ts) =
        server.with_node(|n| (n.chain.block_number(), n.chain.latest_block().timestamp));
    match state_note {
        Some((p, true)) => println!(
            "State: loaded {} (block {block}, timestamp {ts})",
            p.display()
        ),
        Some((p, false)) => println!("State: new chain, saved to {}", p.display()),
        None => println!("State: in memory (use --state FILE to keep it)"),
    }
    match cfg.block_time {
        Some(d) => println!(
            "Mining: each transaction at once, plus an empty block every {:?}",
            d
        ),
        None => println!("Mining: each transaction at once, in its own block"),
    }
    println!("\nListening on {}\n", server.addr());
    while !STOP.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
    }
    println!(
        "\nvvv-devnet: stopping{}",
        if cfg.state_file.is_some() {
            " and saving state"
        } else {
            ""
        }
    );
    server.stop();
}
