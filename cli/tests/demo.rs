//! The headline demo as a test: `scripts/demo.sh --tiny` starts a validator node and three
//! miner nodes (honest, noisy, lazy) on the dev chain's demo subnet with the tiny model, and
//! succeeds only once the metagraph shows incentive honest > noisy > lazy = 0 and the honest
//! miner holds stake from its emission. The script checks the metagraph itself; this test runs
//! it with the binaries of this build and reports its output when it fails.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

#[path = "../../node/tests/common/mod.rs"]
mod common;

use std::{path::Path, process::Command};

#[test]
fn inference_demo_ranks_honest_over_noisy_over_lazy() {
	let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
	let dir = tempfile::tempdir().unwrap();
	let output = Command::new("bash")
		.arg(root.join("scripts/demo.sh"))
		.arg("--tiny")
		.env("MYELIN_DEMO_BUILD", "0")
		.env("MYELIN_NODE", common::node_bin())
		.env("MYELIN_CLI", env!("CARGO_BIN_EXE_myelin"))
		.env("MYELIN_DEMO_DIR", dir.path())
		.env("MYELIN_DEMO_TIMEOUT", "900")
		.output()
		.expect("bash runs");
	let stdout = String::from_utf8_lossy(&output.stdout);
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(output.status.success(), "the demo failed:\n{stdout}\n{stderr}");
	let verdict = stdout.lines().rev().find(|l| l.contains("incentive honest")).unwrap_or_default();
	assert!(stdout.contains("demo: success"), "{stdout}");
	// `myelin inference challenge` listed the honest miner's four inputs of the current round.
	let listed =
		stdout.lines().filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()));
	assert_eq!(listed.count(), 4, "{stdout}");
	println!("{verdict}");
}
