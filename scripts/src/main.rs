//! `vvv`: the deployer's command-line tool.
//!
//! ```text
//! cargo run -p vvv-scripts -- build [CRATE ...]   build, optimize, size-check -> artifacts/
//! ```

mod build;

use std::{path::PathBuf, process::ExitCode};

const USAGE: &str = "usage: vvv build [CRATE ...]

commands:
  build   compile the contracts to Wasm, optimize them, write artifacts/<name>.wasm (optimized
          Wasm) and artifacts/<name>.code (deployable code: Stylus prefix + brotli), print the
          size table and fail if a contract is over the 24 KiB limit";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => run_build(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
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

/// The workspace root: this crate lives in `<root>/scripts`.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
