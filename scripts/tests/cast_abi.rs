//! A dapp's view: Foundry's `cast` reads the deployed suite using only `abi/*.json` (for the
//! signatures) and the deployment manifest (for the addresses).

mod common;

use std::process::Command;

use common::*;
use serde_json::Value;

/// `name(inputs)(outputs)` of function `name` in `abi/<contract>.json`.
fn signature(contract: &str, name: &str) -> String {
    let text = std::fs::read_to_string(root().join(format!("abi/{contract}.json"))).unwrap();
    let abi: Value = serde_json::from_str(&text).unwrap();
    let f = abi
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "function" && e["name"] == name)
        .unwrap_or_else(|| panic!("abi/{contract}.json has no function {name}"));
    let types = |k: &str| {
        f[k].as_array()
            .unwrap()
            .iter()
            .map(|p| p["type"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    format!("{name}({})({})", types("inputs"), types("outputs"))
}

fn cast() -> Option<String> {
    let bin = std::env::var("CAST").unwrap_or_else(|_| "cast".into());
    match Command::new(&bin).arg("--version").output() {
        Ok(o) if o.status.success() => Some(bin),
        _ => {
            assert!(
                std::env::var("VVV_REQUIRE_CAST").is_err(),
                "VVV_REQUIRE_CAST is set but `cast` is not on PATH"
            );
            None
        }
    }
}

#[test]
fn cast_reads_total_supply_and_wiring_through_the_json_abis_and_the_manifest() {
    let Some(cast) = cast() else {
        eprintln!("skipped: Foundry's cast is not installed (npm install -g @foundry-rs/cast)");
        return;
    };
    let devnet = Devnet::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("412346.json");
    let out = vvv()
        .args([
            "deploy",
            "--rpc-url",
            &devnet.url,
            "--config",
            "deploy/devnet.toml",
            "--manifest",
        ])
        .arg(&path)
        .env("VVV_PRIVATE_KEY", DEV_KEY)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let addr = |c: &str| m["contracts"][c]["address"].as_str().unwrap().to_string();
    let call = |contract: &str, function: &str| -> String {
        let sig = signature(contract, function);
        let o = Command::new(&cast)
            .args(["call", "--rpc-url", &devnet.url, &addr(contract), &sig])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "cast call {sig}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        // cast prints e.g. `100000000000000000000000000 [1e26]`.
        String::from_utf8_lossy(&o.stdout)
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_lowercase()
    };
    assert_eq!(
        call("vvv-token", "totalSupply"),
        "100000000000000000000000000"
    );
    assert_eq!(
        call("vvv-token", "minter"),
        addr("emission-controller").to_lowercase()
    );
    assert_eq!(
        call("diem-token", "minter"),
        addr("diem-minter").to_lowercase()
    );
    assert_eq!(
        call("staking-vault", "rewardsDistributor"),
        addr("emission-controller").to_lowercase()
    );
    assert_eq!(
        call("staking-vault", "locker"),
        addr("diem-minter").to_lowercase()
    );
    assert_eq!(
        call("staking-vault", "vvv"),
        addr("vvv-token").to_lowercase()
    );
    assert_eq!(
        call("emission-controller", "vault"),
        addr("staking-vault").to_lowercase()
    );
    assert_eq!(
        call("diem-minter", "diem"),
        addr("diem-token").to_lowercase()
    );
    assert_eq!(
        call("airdrop", "treasury"),
        addr("burn-treasury").to_lowercase()
    );
    assert_eq!(call("vesting", "token"), addr("vvv-token").to_lowercase());
}
