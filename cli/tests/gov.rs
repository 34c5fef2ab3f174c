//! End-to-end governance with `myelin gov` on a dev node (fast track timing):
//!
//! 1. a `subnet-params` referendum raises the demo subnet's tempo: proposed, voted by four
//!    token holders, shown with its tally, enacted; the votes' locks are then released;
//! 2. a `root` referendum upgrades the runtime to a rebuilt one with the next `spec_version`
//!    (`scripts/test.sh` builds it with the runtime's `upgrade-fixture` feature):
//!    `state_getRuntimeVersion` reports it, blocks keep coming, and the CLI keeps transacting.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

#[path = "../../node/tests/common/mod.rs"]
mod common;

mod support;

use std::{
	path::PathBuf,
	time::{Duration, Instant},
};

use common::Node;
use jsonrpsee::{core::client::ClientT, rpc_params};
use serde_json::Value;
use support::Cli;

/// The rebuilt runtime `scripts/test.sh` keeps beside the build (`<target>/upgrade-fixture/`).
fn upgrade_fixture() -> PathBuf {
	let exe = std::env::current_exe().unwrap();
	let target = exe.parent().and_then(|deps| deps.parent()).and_then(|p| p.parent()).unwrap();
	let path = target.join("upgrade-fixture/myelin_runtime.wasm");
	assert!(
		path.exists(),
		"{} is missing: scripts/test.sh builds it (cargo build -p myelin-runtime --features \
		 upgrade-fixture, then copy debug/wbuild/myelin-runtime/myelin_runtime.wasm)",
		path.display()
	);
	path
}

const VOTERS: [&str; 4] = ["//Alice", "//Bob", "//Charlie", "//Dave"];

fn vote_all(cli: &Cli, index: u64) {
	let index = index.to_string();
	for voter in VOTERS {
		let voted = cli.json(&[
			"gov",
			"vote",
			"--wallet",
			voter,
			"--index",
			&index,
			"--aye",
			"--amount",
			"90000",
			"--conviction",
			"1",
		]);
		assert_eq!(voted["status"], "finalized");
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn referenda_change_a_hyperparameter_and_upgrade_the_runtime() {
	let fixture = upgrade_fixture();
	let dir = tempfile::tempdir().unwrap();
	let mut node = Node::start(&dir.path().join("node"), &["--dev", "--sealing", "300"]);
	let client = node.client().await;
	let cli = Cli { url: node.ws_url(), wallets: dir.path().join("wallets") };

	// 1. subnet-params: tempo 10 → 20 on the demo subnet.
	let before = cli.json(&["subnet", "hyperparams", "--netuid", "1"]);
	assert_eq!(before["tempo"], 10);
	// Without the decision deposit it cannot start deciding, so its tally can be checked.
	let proposed = cli.json(&[
		"gov",
		"propose",
		"--wallet",
		"//Ferdie",
		"--track",
		"subnet-params",
		"--no-decision-deposit",
		"set-hyperparam",
		"--netuid",
		"1",
		"--param",
		"tempo",
		"--value",
		"20",
	]);
	let index = proposed["index"].as_u64().unwrap();
	let index_text = index.to_string();
	vote_all(&cli, index);
	let shown = cli.json(&["gov", "show", "--index", &index_text]);
	assert_eq!(shown["status"], "ongoing");
	assert_eq!(shown["track"], "subnet-params");
	assert_eq!(shown["phase"], "awaiting decision deposit");
	assert_eq!(shown["ayes"], "360000.000000000");
	assert_eq!(shown["nays"], "0.000000000");
	assert_eq!(shown["approval"], 1.0);
	assert!(shown["supportShare"].as_f64().unwrap() > 0.25, "{shown}");
	cli.json(&["gov", "deposit", "--wallet", "//Ferdie", "--index", &index_text]);
	cli.until(
		"the tempo referendum's enactment",
		&["subnet", "hyperparams", "--netuid", "1"],
		|p| p["tempo"] == 20,
	);
	let list = cli.json(&["gov", "list"]);
	assert_eq!(list["referenda"][0]["status"], "approved");
	// Alice's vote lock (1x conviction: one 2-block lock period) is released by `unlock` once
	// it expires.
	let deadline = Instant::now() + Duration::from_secs(60);
	loop {
		let unlocked = cli.json(&["gov", "unlock", "--wallet", "//Alice"]);
		if unlocked["frozen"] == "0.000000000" {
			break;
		}
		assert!(Instant::now() < deadline, "the vote lock never expired: {unlocked}");
	}
	cli.run(&["gov", "show", "--index", "99"]).fails_with("referendum 99 does not exist");
	cli.run(&[
		"gov",
		"vote",
		"--wallet",
		"//Bob",
		"--index",
		"0",
		"--aye",
		"--amount",
		"1",
		"--conviction",
		"9",
	])
	.fails_with("conviction is 0..=6");

	// 2. root: upgrade the runtime to the next spec_version.
	let version: Value = client.request("state_getRuntimeVersion", rpc_params![]).await.unwrap();
	assert_eq!(version["specVersion"], 103);
	let proposed = cli.json(&[
		"gov",
		"propose",
		"--wallet",
		"//Ferdie",
		"--track",
		"root",
		"set-code",
		"--wasm",
		fixture.to_str().unwrap(),
	]);
	let index = proposed["index"].as_u64().unwrap();
	assert_eq!(proposed["track"], "root");
	vote_all(&cli, index);
	node.wait_until("the upgraded runtime", Duration::from_secs(90), || async {
		let version: Value =
			client.request("state_getRuntimeVersion", rpc_params![]).await.unwrap_or_default();
		version["specVersion"] == 104
	})
	.await;
	let upgraded_at = common::best_number(&client).await;
	node.wait_until("blocks after the upgrade", Duration::from_secs(30), || async {
		common::best_number(&client).await >= upgraded_at + 3
	})
	.await;
	// The new runtime takes transactions signed for its version.
	let sent =
		cli.json(&["wallet", "transfer", "--wallet", "//Bob", "--to", "//Eve", "--amount", "1"]);
	assert_eq!(sent["status"], "finalized");
	let list = cli.json(&["gov", "list"]);
	assert_eq!(list["referenda"][0]["status"], "approved");
	assert!(node.is_running());
}
