//! `vvv deploy` as a deployer runs it: a separate `vvv` process against a separate devnet
//! process, over JSON-RPC only.

mod common;

use std::{path::Path, process::Stdio};

use common::*;
use serde_json::{json, Value};

fn manifest(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

fn deploy_cmd(url: &str, manifest: &Path) -> std::process::Command {
    let mut c = vvv();
    c.args([
        "deploy",
        "--rpc-url",
        url,
        "--config",
        "deploy/devnet.toml",
        "--manifest",
    ])
    .arg(manifest)
    .env("VVV_PRIVATE_KEY", DEV_KEY);
    c
}

/// `ContractDeployed` logs of the StylusDeployer: one per contract ever deployed on this chain.
fn deployments(devnet: &Devnet) -> Vec<String> {
    let topic = format!(
        "0x{}",
        alloy_primitives::hex::encode(alloy_primitives::keccak256("ContractDeployed(address)"))
    );
    let logs = devnet.rpc(
        "eth_getLogs",
        json!([{"address": "0xcEcba2F1DC234f70Dd89F2041029807F8D03A990", "topics": [topic], "fromBlock": "0x0", "toBlock": "latest"}]),
    );
    logs.as_array()
        .unwrap()
        .iter()
        .map(|l| format!("0x{}", &l["data"].as_str().unwrap()[26..]))
        .collect()
}

fn nonce(devnet: &Devnet) -> u64 {
    let v = devnet.rpc(
        "eth_getTransactionCount",
        json!(["0x3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E", "latest"]),
    );
    u64::from_str_radix(v.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

#[test]
fn deploy_killed_midway_resumes_to_a_complete_verified_suite_without_redeploying() {
    let devnet = Devnet::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("412346.json");

    // 1. Start a deployment and kill it (SIGKILL) once three steps are recorded.
    let mut child = deploy_cmd(&devnet.url, &path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut exited = false;
    let reached = wait_for(
        || {
            // A deployment that stops on its own (a missing tool, a refused step) fails the
            // test at once, with its error, instead of after the timeout.
            exited = child.try_wait().is_ok_and(|s| s.is_some());
            exited
                || manifest(&path)
                    .is_some_and(|m| m["steps"].as_array().map_or(0, |s| s.len()) >= 3)
        },
        300,
    );
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    assert!(
        reached && !exited,
        "the deployment did not record 3 steps (exited: {exited}):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = manifest(&path).unwrap();
    let recorded = m["steps"].as_array().unwrap().len();
    assert!(!m["complete"].as_bool().unwrap());
    assert!(recorded < 20, "killed before the end");
    let before = deployments(&devnet);
    assert!(
        before.len() >= 3 && before.len() < 8,
        "killed midway: {} contracts on chain",
        before.len()
    );

    // 2. Rerun: completes, verifies, deploys each contract exactly once.
    let out = deploy_cmd(&devnet.url, &path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "rerun failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("resuming"), "{stdout}");
    assert!(stdout.contains("checks passed"), "{stdout}");
    let m = manifest(&path).unwrap();
    assert!(m["complete"].as_bool().unwrap());
    let contracts = m["contracts"].as_object().unwrap();
    assert_eq!(contracts.len(), 8);
    let all = deployments(&devnet);
    assert_eq!(
        all.len(),
        8,
        "each of the 8 contracts deployed once: {all:?}"
    );
    for (name, c) in contracts {
        let a = c["address"].as_str().unwrap().to_lowercase();
        assert_eq!(
            all.iter().filter(|x| x.to_lowercase() == a).count(),
            1,
            "{name} deployed once"
        );
    }
    for b in &before {
        assert!(all.contains(b), "contracts from the killed run are kept");
    }

    // 3. A third run sends nothing.
    let n = nonce(&devnet);
    let out = deploy_cmd(&devnet.url, &path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("already complete, nothing sent"),
        "{stdout}"
    );
    assert_eq!(nonce(&devnet), n, "the third run sent a transaction");
    assert_eq!(deployments(&devnet).len(), 8);
}

#[test]
fn a_manifest_that_disagrees_with_the_chain_is_an_error_not_a_redeploy() {
    let devnet = Devnet::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("412346.json");
    let out = deploy_cmd(&devnet.url, &path).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The manifest says the vault lives elsewhere: refused, naming the contract.
    let mut m = manifest(&path).unwrap();
    m["contracts"]["staking-vault"]["address"] =
        json!("0x00000000000000000000000000000000000000aa");
    std::fs::write(&path, m.to_string()).unwrap();
    let n = nonce(&devnet);
    let out = deploy_cmd(&devnet.url, &path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr
            .to_lowercase()
            .contains("staking-vault at 0x00000000000000000000000000000000000000aa has no code"),
        "{stderr}"
    );

    // A wrong code hash.
    let mut m = manifest(&path).unwrap();
    m["contracts"]["staking-vault"]["address"] = m["contracts"]["vvv-token"]["address"].clone();
    std::fs::write(&path, m.to_string()).unwrap();
    let out = deploy_cmd(&devnet.url, &path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("staking-vault at") && stderr.contains("has code hash"),
        "{stderr}"
    );
    assert_eq!(nonce(&devnet), n, "nothing was sent");
}

#[test]
fn wrong_chain_and_bad_config_are_refused_before_any_transaction() {
    let devnet = Devnet::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("deploy/devnet-airdrop.csv"),
        dir.path().join("devnet-airdrop.csv"),
    )
    .unwrap();
    let text = std::fs::read_to_string(root().join("deploy/devnet.toml")).unwrap();
    let n = nonce(&devnet);

    let wrong_chain = dir.path().join("wrong-chain.toml");
    std::fs::write(
        &wrong_chain,
        text.replace("chain_id = 412346", "chain_id = 421614"),
    )
    .unwrap();
    let out = vvv()
        .args(["deploy", "--rpc-url", &devnet.url, "--config"])
        .arg(&wrong_chain)
        .arg("--manifest")
        .arg(dir.path().join("m.json"))
        .env("VVV_PRIVATE_KEY", DEV_KEY)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("chain.chain_id: the config is for chain 421614"),
        "{stderr}"
    );

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        text.replace("team_vvv = 10000000", "team_vvv = 9000000"),
    )
    .unwrap();
    let out = vvv()
        .args(["deploy", "--rpc-url", &devnet.url, "--config"])
        .arg(&bad)
        .env("VVV_PRIVATE_KEY", DEV_KEY)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("genesis: the allocation sums to 99000000 VVV"),
        "{stderr}"
    );
    // The key is never printed.
    assert!(!stderr.contains(&DEV_KEY[2..]));
    assert_eq!(nonce(&devnet), n);
}
