//! `vvv airdrop-tree` against OpenZeppelin's JS `StandardMerkleTree` (`scripts/js`, npm
//! `@openzeppelin/merkle-tree`): same root, same proofs, same dump. Skips only when `node` is
//! not installed, unless `VVV_REQUIRE_NODE` is set (CI sets it: then it fails instead).

mod common;

use std::process::Command;

use common::*;
use serde_json::Value;

fn node_ready() -> bool {
    if Command::new("node").arg("--version").output().is_err() {
        assert!(
            std::env::var("VVV_REQUIRE_NODE").is_err(),
            "VVV_REQUIRE_NODE is set but node is not installed"
        );
        return false;
    }
    let js = root().join("scripts/js");
    if !js.join("node_modules/@openzeppelin/merkle-tree").exists() {
        let ok = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--silent"])
            .current_dir(&js)
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "npm ci in scripts/js failed (node is installed, so this test must run)"
        );
    }
    true
}

fn js_tree(csv: &std::path::Path, row: usize) -> Value {
    let out = Command::new("node")
        .arg(root().join("scripts/js/root.js"))
        .arg(csv)
        .arg(row.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn rust_tree(csv: &std::path::Path, dir: &std::path::Path) -> Value {
    let out_path = dir.join("tree.json");
    let out = vvv()
        .arg("airdrop-tree")
        .arg(csv)
        .arg("-o")
        .arg(&out_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(out_path).unwrap()).unwrap()
}

#[test]
fn airdrop_tree_matches_openzeppelin_js() {
    if !node_ready() {
        eprintln!("skipped: node is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The demo's 200 rows, and small trees of every shape (1..=7 leaves).
    let demo_csv = root().join("deploy/devnet-airdrop.csv");
    let mut cases = vec![(demo_csv.clone(), 200usize)];
    let demo_rows: Vec<String> = std::fs::read_to_string(&demo_csv)
        .unwrap()
        .lines()
        .skip(1)
        .map(String::from)
        .collect();
    for n in 1..=7 {
        let p = dir.path().join(format!("small{n}.csv"));
        std::fs::write(
            &p,
            format!("account,amount\n{}\n", demo_rows[..n].join("\n")),
        )
        .unwrap();
        cases.push((p, n));
    }
    for (csv, n) in cases {
        let ours = rust_tree(&csv, dir.path());
        for row in [0, n / 2, n - 1] {
            let js = js_tree(&csv, row);
            assert_eq!(ours["root"], js["root"], "{}: root", csv.display());
            let account = ours["values"][row]["value"][1].as_str().unwrap();
            assert_eq!(
                ours["claims"][account]["proof"],
                js["proof"],
                "{}: proof of row {row}",
                csv.display()
            );
        }
        let js = js_tree(&csv, 0);
        assert_eq!(
            ours["tree"],
            js["dump"]["tree"],
            "{}: tree layout",
            csv.display()
        );
        assert_eq!(ours["format"], js["dump"]["format"]);
        assert_eq!(ours["leafEncoding"], js["dump"]["leafEncoding"]);
        for (a, b) in ours["values"]
            .as_array()
            .unwrap()
            .iter()
            .zip(js["dump"]["values"].as_array().unwrap())
        {
            assert_eq!(a["treeIndex"], b["treeIndex"]);
            assert_eq!(a["value"][0], b["value"][0]);
            assert_eq!(a["value"][2], b["value"][2]);
        }
    }
}
