//! Smoke test driven by Foundry's `cast` (npm `@foundry-rs/cast`): the devnet must work with it
//! unchanged. Skips with a message when `cast` is not installed (set `CAST=/path/to/cast` to
//! pick one that is not on PATH).

mod common;

use alloy::primitives::{Address, B256};
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn find_cast() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = match std::env::var_os("CAST") {
        Some(p) => vec![PathBuf::from(p)],
        None => std::env::var_os("PATH")
            .map(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join("cast"))
                    .collect()
            })
            .unwrap_or_default(),
    };
    candidates.into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .output()
            .is_ok_and(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .to_lowercase()
                    .contains("cast")
            })
    })
}

struct Cast {
    bin: PathBuf,
    home: PathBuf,
    url: String,
}

impl Cast {
    /// Runs `cast args… --rpc-url URL` (bounded to 60 s); returns stdout + stderr. (The npm
    /// wrapper does not pass the exit code through, so results are checked on the output.)
    fn run(&self, args: &[&str]) -> String {
        let mut cmd = Command::new(&self.bin);
        cmd.args(args)
            .env("HOME", &self.home)
            .env("NO_COLOR", "1")
            .env("ETH_RPC_URL", &self.url)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("cast runs");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match child.try_wait().unwrap() {
                Some(_) => break,
                None if Instant::now() > deadline => {
                    let _ = child.kill();
                    panic!("cast {args:?} did not finish in 60 s");
                }
                None => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        let out = child.wait_with_output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let shown: String = text.trim_end().chars().take(600).collect();
        println!(
            "$ cast {}\n{shown}",
            args.iter()
                .map(|a| if a.len() > 80 { "<hex>" } else { a })
                .collect::<Vec<_>>()
                .join(" ")
        );
        text
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        serde_json::from_str(out.trim())
            .unwrap_or_else(|e| panic!("cast {args:?}: not JSON ({e}): {out}"))
    }
}

/// Foundry's local signature cache (`~/.foundry/cache/signatures`), which `cast` reads to name
/// custom errors offline: the same file `forge selectors cache` writes.
fn write_signature_cache(home: &Path) {
    let dir = home.join(".foundry/cache");
    std::fs::create_dir_all(&dir).unwrap();
    let cache = serde_json::json!({
        "functions": {"0xa9059cbb": "transfer(address,uint256)", "0x70a08231": "balanceOf(address)"},
        "errors": {"0xe450d38c": "ERC20InsufficientBalance(address,uint256,uint256)"},
        "events": {"0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef": "Transfer(address,address,uint256)"},
    });
    std::fs::write(
        dir.join("signatures"),
        serde_json::to_vec_pretty(&cache).unwrap(),
    )
    .unwrap();
}

#[test]
fn cast_smoke() {
    // CI sets VVV_REQUIRE_CAST so that a missing `cast` fails instead of skipping.
    let required = std::env::var_os("VVV_REQUIRE_CAST").is_some();
    let Some(bin) = find_cast() else {
        assert!(
            !required,
            "VVV_REQUIRE_CAST is set but `cast` is not installed"
        );
        eprintln!("SKIP cast_smoke: Foundry's `cast` is not installed (npm install -g @foundry-rs/cast, or set CAST=/path/to/cast)");
        return;
    };
    let Some(code) = token_code() else {
        assert!(
            !required,
            "VVV_REQUIRE_CAST is set but the VVV token could not be built"
        );
        return;
    };
    let server = start();
    let home = std::env::temp_dir().join(format!("vvv-devnet-cast-home-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    write_signature_cache(&home);
    let cast = Cast {
        bin,
        home: home.clone(),
        url: server.url(),
    };
    let dev = server.accounts()[0].clone();
    let alice = server.accounts()[1].clone();
    let dev_key = format!("{}", dev.private_key);
    let alice_key = format!("{}", alice.private_key);
    let (dev_addr, alice_addr) = (dev.address.to_string(), alice.address.to_string());

    assert!(cast.run(&["--version"]).contains("cast"));
    assert_eq!(cast.run(&["chain-id"]).trim(), "412346");
    assert_eq!(cast.run(&["block-number"]).trim(), "0");
    assert_eq!(
        cast.run(&["balance", &dev_addr]).trim(),
        "10000000000000000000000"
    );
    assert_eq!(cast.run(&["gas-price"]).trim(), "100000000");

    // plain value transfer signed by the devnet (eth_sendTransaction, --unlocked)
    let r = cast.json(&[
        "send",
        "--unlocked",
        "--from",
        &alice_addr,
        "0x00000000000000000000000000000000000000b0",
        "--value",
        "1gwei",
        "--json",
    ]);
    assert_eq!(r["status"], "0x1", "{r}");
    assert_eq!(
        cast.run(&["balance", "0x00000000000000000000000000000000000000b0"])
            .trim(),
        "1000000000"
    );

    // deploy the Stylus ERC-20 the way cargo stylus does (StylusDeployer: deploy + activate + constructor)
    let init = format!("{}", init_code(&code));
    let ctor = format!("{}", ctor_data(dev.address));
    let r = cast.json(&[
        "send",
        "--private-key",
        &dev_key,
        &STYLUS_DEPLOYER.to_string(),
        "deploy(bytes,bytes,uint256,bytes32)",
        &init,
        &ctor,
        "0",
        &B256::ZERO.to_string(),
        "--value",
        "1ether",
        "--json",
    ]);
    assert_eq!(r["status"], "0x1", "deploy: {r}");
    let token: Address = r["logs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| {
            l["address"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case(&STYLUS_DEPLOYER.to_string())
        })
        .map(|l| l["data"].as_str().unwrap()[26..].parse().unwrap())
        .expect("ContractDeployed log");
    let token_s = token.to_string();
    assert!(
        cast.run(&["code", &token_s]).trim().starts_with("0xeff000"),
        "Stylus code deployed"
    );
    assert!(cast
        .run(&["call", &token_s, "balanceOf(address)(uint256)", &dev_addr])
        .trim()
        .starts_with("100000000000000000000000000"));

    // transfer, receipt, logs
    let r = cast.json(&[
        "send",
        "--private-key",
        &dev_key,
        &token_s,
        "transfer(address,uint256)",
        &alice_addr,
        "1000",
        "--json",
    ]);
    assert_eq!(r["status"], "0x1", "transfer: {r}");
    let tx = r["transactionHash"].as_str().unwrap().to_string();
    let rec = cast.json(&["receipt", &tx, "--json"]);
    assert_eq!(rec["status"], "0x1");
    assert_eq!(rec["logs"].as_array().unwrap().len(), 1);
    let status = cast.run(&["receipt", &tx, "status"]);
    assert!(
        matches!(status.trim(), "true" | "1" | "1 (success)"),
        "{status}"
    );
    let t = cast.json(&["tx", &tx, "--json"]);
    assert!(t["from"].as_str().unwrap().eq_ignore_ascii_case(&dev_addr));
    assert_eq!(
        cast.run(&["call", &token_s, "balanceOf(address)(uint256)", &alice_addr])
            .trim(),
        "1000"
    );
    let logs = cast.json(&[
        "logs",
        "--address",
        &token_s,
        "Transfer(address indexed,address indexed,uint256)",
        "--from-block",
        "0",
        "--json",
    ]);
    let logs = logs.as_array().unwrap();
    assert_eq!(logs.len(), 2, "mint and transfer: {logs:?}");
    assert_eq!(logs[1]["transactionHash"], tx.as_str());
    let to_alice = cast.json(&[
        "logs",
        "--address",
        &token_s,
        "Transfer(address indexed,address indexed,uint256)",
        "--from-block",
        "0",
        "--json",
        "--",
        "",
        &alice_addr,
    ]);
    assert_eq!(to_alice.as_array().unwrap().len(), 1, "{to_alice}");
    assert_eq!(cast.run(&["block-number"]).trim(), "3");
    let block = cast.json(&["block", "latest", "--json"]);
    assert_eq!(block["number"], "0x3");
    assert_eq!(cast.run(&["nonce", &dev_addr]).trim(), "2");

    // the custom error, decoded by cast: `cast send` (its gas estimate reverts with the error)…
    let out = cast.run(&[
        "send",
        "--private-key",
        &alice_key,
        &token_s,
        "transfer(address,uint256)",
        &dev_addr,
        "5000",
    ]);
    assert!(out.contains("execution reverted"), "{out}");
    assert!(
        out.contains(&format!(
            "ERC20InsufficientBalance({alice_addr}, 1000, 5000)"
        )),
        "cast send did not decode the custom error: {out}"
    );
    // …and `cast call`, whose revert data `cast decode-error` names
    let out = cast.run(&[
        "call",
        "--from",
        &alice_addr,
        &token_s,
        "transfer(address,uint256)",
        &dev_addr,
        "5000",
    ]);
    assert!(out.contains("execution reverted"), "{out}");
    let data = out
        .split("data: \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("revert data in cast's error")
        .to_string();
    assert!(data.starts_with("0xe450d38c"));
    let decoded = cast.run(&["decode-error", &data]);
    assert!(
        decoded.contains("ERC20InsufficientBalance(address,uint256,uint256)"),
        "{decoded}"
    );
    assert!(
        decoded.contains(&alice_addr) && decoded.contains("1000") && decoded.contains("5000"),
        "{decoded}"
    );
    let decoded = cast.run(&[
        "decode-error",
        "--sig",
        "ERC20InsufficientBalance(address,uint256,uint256)",
        &data,
    ]);
    assert!(decoded.contains("5000"), "{decoded}");
    // nothing was mined by the failed attempts
    assert_eq!(cast.run(&["block-number"]).trim(), "3");

    server.stop();
    let _ = std::fs::remove_dir_all(&home);
}
