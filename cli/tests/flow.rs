//! End-to-end: the `myelin` binary against a real dev node, through the daily flow of a new
//! participant: create a wallet, get funds from //Alice, create a subnet, register a hotkey,
//! stake, set weights, and after an epoch see the expected UIDs and incentive in
//! `subnet show --json`. Each failure path (wrong password, insufficient balance, price above
//! max, rate limited, unknown subnet) exits non-zero with a one-line reason.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

#[path = "../../node/tests/common/mod.rs"]
mod common;

mod support;

use std::{os::unix::fs::PermissionsExt, path::Path};

use common::Node;
use support::Cli;

fn mode(path: &Path) -> u32 {
	std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test(flavor = "multi_thread")]
async fn wallet_to_incentive_through_the_cli() {
	let dir = tempfile::tempdir().unwrap();
	// A block every 300 ms: the demo subnet (tempo 10) runs an epoch every 3 seconds.
	let mut node = Node::start(&dir.path().join("node"), &["--dev", "--sealing", "300"]);
	node.client().await;
	let cli = Cli { url: node.ws_url(), wallets: dir.path().join("wallets") };

	// Wallet: an encrypted coldkey and a plain hotkey, private files, mnemonics printed once.
	let created = cli.json(&["wallet", "create", "--wallet", "carol"]);
	let coldkey = created["coldkey"].as_str().unwrap().to_string();
	assert_eq!(created["coldkeyMnemonic"].as_str().unwrap().split(' ').count(), 12);
	let wallet_dir = cli.wallets.join("carol");
	assert_eq!(mode(&wallet_dir.join("coldkey")), 0o600);
	assert_eq!(mode(&wallet_dir), 0o700);
	assert_eq!(mode(&wallet_dir.join("hotkeys/default")), 0o600);
	let coldkey_file = std::fs::read_to_string(wallet_dir.join("coldkey")).unwrap();
	assert!(!coldkey_file.contains(created["coldkeyMnemonic"].as_str().unwrap()));
	let miner = cli.json(&["wallet", "new-hotkey", "--wallet", "carol", "--hotkey", "miner"]);
	let miner_address = miner["address"].as_str().unwrap().to_string();
	let listed = cli.json(&["wallet", "list"]);
	assert_eq!(listed["wallets"][0]["coldkey"], coldkey.as_str());
	assert_eq!(listed["wallets"][0]["hotkeys"].as_array().unwrap().len(), 2);

	// Read-only commands need no password; signing with a wrong one fails cleanly.
	let balance = cli.run_with(&["--json", "wallet", "balance", "--wallet", "carol"], None).json();
	assert_eq!(balance["free"], "0.000000000");
	let human = cli.run_with(&["wallet", "list"], None);
	assert!(human.code == 0 && human.stdout.contains(&coldkey), "{}", human.stderr);
	cli.run_with(&["wallet", "sign", "--wallet", "carol", "--message", "hi"], Some("wrong"))
		.fails_with("wrong password");
	cli.run_with(&["wallet", "sign", "--wallet", "carol", "--message", "hi"], None)
		.fails_with("MYELIN_PASSWORD");

	// The mnemonic restores the same coldkey into another wallet.
	let mnemonic = created["coldkeyMnemonic"].as_str().unwrap();
	let restored = cli.json(&["wallet", "regen", "--wallet", "carol-copy", "--mnemonic", mnemonic]);
	assert_eq!(restored["address"], coldkey.as_str());

	// Funds from //Alice; more than the balance fails with a reason.
	let sent = cli
		.json(&["wallet", "transfer", "--wallet", "//Alice", "--to", &coldkey, "--amount", "5000"]);
	assert_eq!(sent["status"], "finalized");
	let balance = cli.json(&["wallet", "balance", "--wallet", "carol"]);
	assert_eq!(balance["free"], "5000.000000000");
	cli.run(&["wallet", "transfer", "--wallet", "carol", "--to", "//Bob", "--amount", "9000"])
		.fails_with("insufficient balance");

	// A subnet of her own (netuid 2, the demo subnet is 1), with her hotkey as first neuron.
	let subnet = cli.json(&["subnet", "create", "--wallet", "carol"]);
	assert_eq!(subnet["netuid"], 2);
	let list = cli.json(&["subnet", "list"]);
	assert_eq!(list["subnets"][1]["owner"], coldkey.as_str());

	// On the demo subnet: her hotkey validates, her miner hotkey mines.
	cli.run(&[
		"subnet",
		"register",
		"--wallet",
		"carol",
		"--hotkey",
		"miner",
		"--netuid",
		"1",
		"--max-burn",
		"0.00001",
	])
	.fails_with("price above max (Subnets::BurnAboveMax)");
	let validator =
		cli.json(&["subnet", "register", "--wallet", "carol", "--netuid", "1", "--max-burn", "1"]);
	let validator_uid = validator["uid"].as_u64().unwrap() as usize;
	let mined = cli
		.json(&["subnet", "register", "--wallet", "carol", "--hotkey", "miner", "--netuid", "1"]);
	let miner_uid = mined["uid"].as_u64().unwrap();
	assert_eq!(miner_uid as usize, validator_uid + 1);
	let staked =
		cli.json(&["stake", "add", "--wallet", "carol", "--netuid", "1", "--amount", "2000"]);
	assert_eq!(staked["amount"], "2000.000000000");
	let stake = cli.json(&["stake", "list", "--wallet", "carol"]);
	assert_eq!(stake["coldkey"]["total"], "2000.000000000");
	assert_eq!(stake["coldkey"]["positions"][0]["netuid"], 1);
	cli.run(&["stake", "add", "--wallet", "carol", "--netuid", "1", "--amount", "100000"])
		.fails_with("insufficient balance (Stake::InsufficientBalance)");

	// An epoch grants her hotkey a validator permit; she weights her miner.
	let metagraph = ["subnet", "show", "--netuid", "1"];
	cli.until("a validator permit", &metagraph, |g| g["validatorPermit"][validator_uid] == true);
	let uid_text = miner_uid.to_string();
	// Hotkeys sign their own transactions, so they need MYL for fees.
	let weights_args = [
		"weights",
		"set",
		"--wallet",
		"carol",
		"--netuid",
		"1",
		"--uids",
		&uid_text,
		"--weights",
		"1",
	];
	cli.run(&weights_args).fails_with("insufficient balance to pay the transaction fee");
	let hotkey = created["hotkeyAddress"].as_str().unwrap();
	cli.json(&["wallet", "transfer", "--wallet", "carol", "--to", hotkey, "--amount", "10"]);
	let mut json_args = vec!["--json"];
	json_args.extend_from_slice(&weights_args);
	let set = cli.run(&json_args).json();
	assert_eq!(set["status"], "finalized");
	cli.run(&weights_args).fails_with("rate limited (Yuma::SettingWeightsTooFast)");

	// After the next epoch the metagraph shows her UIDs and the miner's incentive.
	let graph = cli.until("incentive for the miner", &metagraph, |g| {
		g["incentive"][miner_uid as usize].as_f64().unwrap_or_default() > 0.0
	});
	assert_eq!(graph["hotkeys"][miner_uid as usize], miner_address.as_str());
	assert_eq!(graph["coldkeys"][validator_uid], coldkey.as_str());
	assert_eq!(graph["n"], miner_uid + 1);
	let human = cli.run(&["subnet", "show", "--netuid", "1"]);
	assert_eq!(human.code, 0);
	assert!(human.stdout.contains("incentive") && human.stdout.contains("subnet 1"));

	// Stake moves back, the take changes, and the miner advertises its endpoint.
	let removed =
		cli.json(&["stake", "remove", "--wallet", "carol", "--netuid", "1", "--amount", "500"]);
	assert_eq!(removed["amount"], "500.000000000");
	let given = cli.json(&[
		"stake", "transfer", "--wallet", "carol", "--netuid", "1", "--to", "//Bob", "--amount",
		"100",
	]);
	assert_eq!(given["amount"], "100.000000000");
	let stake = cli.json(&["stake", "list", "--wallet", "carol"]);
	let myl =
		|v: &serde_json::Value| myelin_primitives::units::parse_myl(v.as_str().unwrap()).unwrap();
	assert!(myl(&stake["coldkey"]["total"]) >= 1_400 * myelin_runtime::MYL);
	assert_eq!(myl(&stake["coldkey"]["held"]), 1_400 * myelin_runtime::MYL, "principal first");
	let bob = cli.json(&["stake", "list", "--wallet", "//Bob"]);
	// What 100 MYL of Carol's shares are worth in Bob's hands, less at most the two planck
	// share rounding may cost.
	let received = myl(&bob["coldkey"]["positions"][0]["amount"]);
	assert!(received <= 100 * myelin_runtime::MYL && received + 2 >= 100 * myelin_runtime::MYL);
	cli.json(&["stake", "set-take", "--wallet", "carol", "--take", "0.1"]);
	let info = cli.json(&["stake", "list", "--address", hotkey]);
	assert!((info["hotkey"]["take"].as_f64().unwrap() - 0.1).abs() < 1e-9);
	cli.run(&["stake", "set-take", "--wallet", "carol", "--take", "0.5"]).fails_with("TakeTooHigh");
	cli.json(&["wallet", "transfer", "--wallet", "carol", "--to", &miner_address, "--amount", "1"]);
	cli.json(&[
		"subnet", "serve", "--wallet", "carol", "--hotkey", "miner", "--netuid", "1", "--ip",
		"10.0.0.7", "--port", "8091",
	]);
	let graph = cli.json(&["subnet", "show", "--netuid", "1"]);
	assert_eq!(graph["axons"][miner_uid as usize]["ip"], "10.0.0.7");
	assert_eq!(graph["axons"][miner_uid as usize]["port"], 8091);

	// Commit-reveal, once the owner (//Alice) turns it on and lifts the rate limit.
	for (param, value) in [("weights-set-rate-limit", "0"), ("commit-reveal-enabled", "true")] {
		cli.json(&[
			"subnet",
			"set-hyperparam",
			"--wallet",
			"//Alice",
			"--netuid",
			"1",
			"--param",
			param,
			"--value",
			value,
		]);
	}
	cli.run(&[
		"subnet",
		"set-hyperparam",
		"--wallet",
		"carol",
		"--netuid",
		"1",
		"--param",
		"immunity-period",
		"--value",
		"5",
	])
	.fails_with("NotSubnetOwner");
	let committed = cli.json(&[
		"weights",
		"commit",
		"--wallet",
		"carol",
		"--netuid",
		"1",
		"--uids",
		&uid_text,
		"--weights",
		"1",
	]);
	let saved = std::path::PathBuf::from(committed["saved"].as_str().unwrap());
	assert_eq!(mode(&saved), 0o600);
	// The commit belongs to the epoch it landed in; `reveal` waits for the next one.
	let epoch = committed["epoch"].as_u64().expect("the commit's epoch");
	let kept: serde_json::Value =
		serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
	assert_eq!(kept["epoch"].as_u64(), Some(epoch));
	cli.json(&["weights", "reveal", "--wallet", "carol", "--netuid", "1"]);
	assert!(!saved.exists(), "a revealed commit is forgotten");
	cli.run(&["weights", "reveal", "--wallet", "carol", "--netuid", "1"])
		.fails_with("no pending commit");

	// Signatures round-trip; unknown subnets are errors.
	let signed = cli.json(&["wallet", "sign", "--wallet", "carol", "--message", "myelin"]);
	let signature = signed["signature"].as_str().unwrap();
	let ok = cli.json(&[
		"wallet",
		"verify",
		"--address",
		&coldkey,
		"--message",
		"myelin",
		"--signature",
		signature,
	]);
	assert_eq!(ok["valid"], true);
	cli.run(&[
		"wallet",
		"verify",
		"--address",
		&coldkey,
		"--message",
		"other",
		"--signature",
		signature,
	])
	.fails_with("does not match");
	cli.run(&["subnet", "show", "--netuid", "42"]).fails_with("subnet 42 does not exist");
	cli.run(&["--url", "ws://127.0.0.1:1", "subnet", "list"]).fails_with("cannot connect");
	assert!(node.is_running());
}
