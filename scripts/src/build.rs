//! `vvv build`: compile every contract to Wasm, optimize it, compress it as Stylus deploys it,
//! write the artifacts to `artifacts/` and check each against the 24 KiB limit.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    process::Command,
};

/// Nitro's limit on deployed contract code: 24 KiB, prefix included.
pub const MAX_CODE_SIZE: usize = 24 * 1024;
/// Nitro's limit on the decompressed Wasm: 128 KiB.
pub const MAX_WASM_SIZE: usize = 128 * 1024;
/// Prefix of Stylus contract code: `EFF000` and the dictionary byte (0 = no dictionary).
pub const STYLUS_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];

/// One built contract.
pub struct Artifact {
    /// Crate name, e.g. `staking-vault`.
    pub name: String,
    /// Bytes of the Wasm as rustc wrote it.
    pub raw: usize,
    /// Bytes after `wasm-opt -O4 -Oz --converge` (equal to `raw` when wasm-opt is not installed).
    pub optimized: usize,
    /// Bytes of the deployable code: prefix + brotli-11 of the optimized Wasm.
    pub deployed: usize,
}

/// Finds the contract crates: folders under `contracts/` whose manifest builds a `cdylib`.
pub fn contract_crates(root: &Path) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let dir = root.join("contracts");
    let entries = fs::read_dir(&dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let manifest = entry.path().join("Cargo.toml");
        let Ok(text) = fs::read_to_string(&manifest) else {
            continue;
        };
        if !text.contains("cdylib") {
            continue;
        }
        let name = text
            .lines()
            .find_map(|line| line.trim().strip_prefix("name = \""))
            .and_then(|rest| rest.strip_suffix('"'))
            .ok_or_else(|| format!("{}: no package name", manifest.display()))?;
        names.push(name.to_string());
    }
    names.sort();
    Ok(names)
}

/// Builds, optimizes and compresses `crates` (all contracts when empty) into `root/artifacts`.
pub fn build(root: &Path, crates: &[String]) -> Result<Vec<Artifact>, String> {
    let crates = if crates.is_empty() {
        contract_crates(root)?
    } else {
        crates.to_vec()
    };
    let target_dir = root.join("target").join("contracts");
    compile(root, &target_dir, &crates)?;

    let out_dir = root.join("artifacts");
    fs::create_dir_all(&out_dir).map_err(|e| format!("creating {}: {e}", out_dir.display()))?;
    let wasm_opt = pinned_wasm_opt(root)?;
    let mut artifacts = Vec::new();
    for name in &crates {
        let file = name.replace('-', "_");
        let built = target_dir
            .join("wasm32-unknown-unknown/contract")
            .join(format!("{file}.wasm"));
        let raw = fs::read(&built).map_err(|e| format!("reading {}: {e}", built.display()))?;
        let wasm_path = out_dir.join(format!("{name}.wasm"));
        optimize(&wasm_opt, &built, &wasm_path)?;
        let wasm =
            fs::read(&wasm_path).map_err(|e| format!("reading {}: {e}", wasm_path.display()))?;
        let code = deployable_code(&wasm)?;
        fs::write(out_dir.join(format!("{name}.code")), &code).map_err(|e| format!("{e}"))?;
        artifacts.push(Artifact {
            name: name.clone(),
            raw: raw.len(),
            optimized: wasm.len(),
            deployed: code.len(),
        });
    }
    Ok(artifacts)
}

/// `cargo build` of the contracts for Wasm with the size settings described in
/// `contracts/README.md` ("Code size"): the `contract` profile, a rebuilt `std` and panics that
/// trap without formatting. A separate target folder keeps these flags from invalidating the
/// host build. One cargo invocation per contract: cargo unifies the features of everything one
/// invocation builds, and `openzeppelin-stylus` (a dependency of the two tokens) turns on
/// alloy's `tiny-keccak`, which would replace the host's keccak in every other program too.
fn compile(root: &Path, target_dir: &Path, crates: &[String]) -> Result<(), String> {
    for name in crates {
        compile_one(root, target_dir, name)?;
    }
    Ok(())
}

/// The compiler flags of every contract (the contract crates' `.cargo/config.toml` and
/// `devnet/ci/stylus-tooling.sh` repeat them for cargo stylus's own build):
/// - `-Cpanic=immediate-abort`: a panic is a bare trap, no `core::fmt` nor messages (size).
/// - `-Zlocation-detail=none`: no file/line/column of the panic sites left in the data segment
///   (≈ 0.6 KB of registry paths raw, 50–200 B compressed).
/// - `-zstack-size=32768`: a 32 KiB Wasm stack instead of Rust's 1 MiB default, so the program's
///   initial memory is 1 page instead of 17 (Nitro charges pages above the 2 free ones of a
///   transaction, 1,000 gas each, and a call pays its whole initial memory). The deepest stack
///   any call of the e2e suite uses is 11,276 B (`VVV_DEVNET_STACK_PROBE=32768 cargo test
///   --manifest-path devnet/Cargo.toml -p vvv-e2e -- --nocapture`, devnet/README.md); 32 KiB is 2.9× that, the margin for paths and inputs the suite
///   does not reach, and the size the Stylus templates use. An overflow cannot corrupt data: the
///   stack is placed first (below the data), so it traps out of bounds, and the e2e suite fails.
pub const CONTRACT_RUSTFLAGS: &str =
    "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Clink-arg=-zstack-size=32768";

/// `cargo build` of one contract (see [`compile`]).
fn compile_one(root: &Path, target_dir: &Path, name: &str) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTFLAGS", CONTRACT_RUSTFLAGS)
        .env("CARGO_TARGET_DIR", target_dir)
        .args([
            "build",
            "--profile",
            "contract",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .args(["-Zbuild-std=std,panic_abort", "-p", name]);
    let status = command
        .status()
        .map_err(|e| format!("running cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo build of {name} failed ({status})"))
    }
}

/// binaryen's `wasm-opt` at the version pinned in `tools/package.json` (132: 1–3% smaller
/// programs than Debian's binaryen 108), installed with `npm ci` into `tools/node_modules` on
/// first use. Pinned, so every machine writes byte-identical artifacts.
fn pinned_wasm_opt(root: &Path) -> Result<PathBuf, String> {
    let tools = root.join("tools");
    let tool = tools.join("node_modules/.bin/wasm-opt");
    if !tool.is_file() {
        eprintln!(
            "installing the pinned wasm-opt (npm ci in {})",
            tools.display()
        );
        let npm =
            which("npm").ok_or("npm not found: install Node.js (it runs the pinned wasm-opt)")?;
        let status = Command::new(npm)
            .current_dir(&tools)
            .args(["ci", "--silent", "--no-audit", "--no-fund"])
            .status()
            .map_err(|e| format!("running npm ci: {e}"))?;
        if !status.success() || !tool.is_file() {
            return Err(format!("npm ci in {} failed ({status})", tools.display()));
        }
    }
    Ok(tool)
}

/// `wasm-opt` with the features Stylus accepts: `-O4` first (its inlining and global passes),
/// then `-Oz` repeated until the module stops shrinking (`--converge`). Measured against a plain
/// `-Oz`: 0–2.4% smaller compressed (the vault −361 B, the DIEM minter −404 B, the airdrop and
/// vesting +10..18 B).
fn optimize(tool: &Path, input: &Path, output: &Path) -> Result<(), String> {
    let status = Command::new(tool)
        .args([
            "-O4",
            "-Oz",
            "--converge",
            "--mvp-features",
            "--enable-bulk-memory",
            "--enable-sign-ext",
            "--enable-mutable-globals",
        ])
        .args(["--strip-debug", "--strip-producers"])
        .arg(input)
        .arg("-o")
        .arg(output)
        .status()
        .map_err(|e| format!("running wasm-opt: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("wasm-opt failed on {} ({status})", input.display()))
    }
}

/// The code a deployment stores: [`STYLUS_PREFIX`] then the Wasm compressed with brotli at
/// quality 11 and a 4 MiB window (22 bits), as `cargo stylus` does.
pub fn deployable_code(wasm: &[u8]) -> Result<Vec<u8>, String> {
    let mut code = STYLUS_PREFIX.to_vec();
    let mut writer = brotli::CompressorWriter::new(&mut code, 4096, 11, 22);
    writer.write_all(wasm).map_err(|e| format!("brotli: {e}"))?;
    drop(writer);
    Ok(code)
}

/// The size table, one line a contract, largest deployed size first (the contracts nearest the
/// limit lead), with the share of the 24 KiB limit used.
pub fn size_table(artifacts: &[Artifact]) -> String {
    let mut table = format!(
        "{:<22} {:>10} {:>10} {:>10} {:>8}\n",
        "contract", "raw", "wasm-opt", "deployed", "of 24KiB"
    );
    let mut rows: Vec<&Artifact> = artifacts.iter().collect();
    rows.sort_by(|a, b| {
        b.deployed
            .cmp(&a.deployed)
            .then_with(|| a.name.cmp(&b.name))
    });
    for a in rows {
        table.push_str(&format!(
            "{:<22} {:>10} {:>10} {:>10} {:>7.1}%\n",
            a.name,
            a.raw,
            a.optimized,
            a.deployed,
            a.deployed as f64 * 100.0 / MAX_CODE_SIZE as f64
        ));
    }
    table
}

/// Names of the contracts over a Stylus limit, with the reason.
pub fn over_limit(artifacts: &[Artifact]) -> Vec<String> {
    let mut over = Vec::new();
    for a in artifacts {
        if a.deployed > MAX_CODE_SIZE {
            over.push(format!(
                "{}: {} bytes deployed > {MAX_CODE_SIZE}",
                a.name, a.deployed
            ));
        }
        if a.optimized > MAX_WASM_SIZE {
            over.push(format!(
                "{}: {} bytes of Wasm > {MAX_WASM_SIZE}",
                a.name, a.optimized
            ));
        }
    }
    over
}

fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployable_code_is_prefixed_brotli_that_round_trips() {
        let wasm: Vec<u8> = (0..5000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let code = deployable_code(&wasm).expect("compresses");
        assert_eq!(code[..4], STYLUS_PREFIX);
        let mut decompressed = Vec::new();
        brotli::BrotliDecompress(&mut &code[4..], &mut decompressed).expect("decompresses");
        assert_eq!(decompressed, wasm);
    }

    #[test]
    fn size_table_lists_the_largest_first() {
        let row = |name: &str, deployed| Artifact {
            name: name.into(),
            raw: deployed * 4,
            optimized: deployed * 3,
            deployed,
        };
        let table = size_table(&[row("a", 10_000), row("b", 21_000), row("c", 15_000)]);
        let order: Vec<&str> = table
            .lines()
            .skip(1)
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert_eq!(order, ["b", "c", "a"]);
    }

    #[test]
    fn over_limit_names_each_breach() {
        let fits = Artifact {
            name: "a".into(),
            raw: 1,
            optimized: 1,
            deployed: MAX_CODE_SIZE,
        };
        let too_big = Artifact {
            name: "b".into(),
            raw: 1,
            optimized: MAX_WASM_SIZE + 1,
            deployed: MAX_CODE_SIZE + 1,
        };
        let over = over_limit(&[fits, too_big]);
        assert_eq!(over.len(), 2);
        assert!(over.iter().all(|line| line.starts_with("b:")));
    }

    #[test]
    fn finds_the_contract_crates_of_this_workspace() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("workspace root");
        let crates = contract_crates(root).expect("reads contracts/");
        assert!(crates.contains(&"vvv-token".to_string()));
        assert!(
            !crates.contains(&"vvv-common".to_string()),
            "a library is not a program"
        );
    }
}
