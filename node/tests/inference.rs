//! End-to-end: the node finds the inference models in `--model-dir` (indexed by the sha256 of
//! their weights, as subnets will name them) and keeps producing blocks with Myelin's inference
//! host functions registered in its executor.

// Test code: panicking on a broken fixture is the point.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::Node;

#[tokio::test(flavor = "multi_thread")]
async fn node_indexes_its_model_directory() {
	let dir = tempfile::tempdir().unwrap();
	let models = dir.path().join("models");
	myelin_inference_engine::testing::write_tiny_model(&models.join("tiny")).unwrap();
	let id = myelin_inference_engine::Embedder::load(&models.join("tiny")).unwrap().id();
	let model_dir = models.to_str().unwrap().to_string();
	let mut node = Node::start(
		&dir.path().join("node"),
		&["--dev", "--sealing", "instant", "--model-dir", &model_dir],
	);
	let client = node.client().await;
	node.wait_until("the model index in the log", Duration::from_secs(60), || async {
		node.log().contains(&format!("Inference models in {model_dir}: {}", hex::encode(id)))
	})
	.await;
	let start = common::best_number(&client).await;
	node.wait_until("blocks", Duration::from_secs(30), || async {
		common::best_number(&client).await >= start + 2
	})
	.await;
	assert!(node.is_running());
}

/// `--miner-mode` and `--sealing` are testing aids: a node refuses them on a chain that is not
/// for development.
#[test]
fn miner_modes_and_sealing_are_refused_on_live_chains() {
	let dir = tempfile::tempdir().unwrap();
	let spec = std::process::Command::new(common::node_bin())
		.args(["build-spec", "--chain", "dev"])
		.output()
		.unwrap();
	assert!(spec.status.success());
	let live = String::from_utf8(spec.stdout)
		.unwrap()
		.replace("\"chainType\": \"Development\"", "\"chainType\": \"Live\"");
	assert!(live.contains("\"chainType\": \"Live\""), "the spec names its chain type");
	let path = dir.path().join("live.json");
	std::fs::write(&path, live).unwrap();

	for (flag, value) in [("--miner-mode", "lazy"), ("--sealing", "instant")] {
		let port = common::free_port().to_string();
		let output = std::process::Command::new(common::node_bin())
			.args(["--chain", path.to_str().unwrap(), "--tmp", flag, value])
			.args(["--rpc-port", &port, "--port", "0", "--no-prometheus", "--no-telemetry"])
			.output()
			.unwrap();
		assert!(!output.status.success(), "{flag} accepted on a live chain");
		let stderr = String::from_utf8_lossy(&output.stderr);
		let refusal = format!("{flag} is for development and local chains only");
		assert!(stderr.contains(&refusal), "{stderr}");
	}
}

/// `myelin_inferenceTask` and `myelin_challenge` on a dev node with the tiny model: the task and
/// round as set on chain, a miner's seed and the inputs the node's model expands from it, and
/// errors for unknown subnets, bad addresses and unknown rounds.
#[tokio::test(flavor = "multi_thread")]
async fn inference_rpc_shows_tasks_rounds_and_challenges() {
	use jsonrpsee::{core::client::ClientT, rpc_params};
	use serde_json::Value;
	use sp_core::{crypto::Ss58Codec, Pair};

	let dir = tempfile::tempdir().unwrap();
	let models = dir.path().join("models");
	myelin_inference_engine::testing::write_tiny_model(&models.join("tiny")).unwrap();
	let embedder = myelin_inference_engine::Embedder::load(&models.join("tiny")).unwrap();
	let mut node = Node::start(
		&dir.path().join("node"),
		&["--dev", "--sealing", "instant", "--model-dir", models.to_str().unwrap()],
	);
	let client = node.client().await;
	let call = |method: &'static str, params| {
		let client = &client;
		async move { client.request::<Value, _>(method, params).await }
	};

	let none = call("myelin_inferenceTask", rpc_params![1]).await.unwrap();
	assert_eq!((none["task"].clone(), none["round"].clone()), (Value::Null, Value::Null));

	let alice = sp_core::sr25519::Pair::from_string("//Alice", None).unwrap();
	let spec = myelin_primitives::inference::TaskSpec {
		model: embedder.id(),
		dimensions: 32,
		inputs_per_round: 4,
		interval: 3,
		commit_window: 1,
		reveal_window: 1,
		score_threshold: 900_000,
		speed_weight: 0,
		audit_rate: 0,
	};
	let set = myelin_runtime::RuntimeCall::Inference(pallet_inference::Call::set_task_spec {
		netuid: 1,
		spec,
	});
	let nonce = common::next_nonce(&client, &alice.public().into()).await;
	let xt = myelin_runtime::signing::sign(set, &alice, nonce, common::genesis_hash(&client).await);
	assert!(common::submit_and_watch(&client, &xt, Duration::from_secs(60)).await.finalized);

	node.wait_until("a round", Duration::from_secs(60), || async {
		!call("myelin_inferenceTask", rpc_params![1]).await.unwrap()["round"].is_null()
	})
	.await;
	let task = call("myelin_inferenceTask", rpc_params![1]).await.unwrap();
	assert_eq!(task["task"]["model"], format!("0x{}", hex::encode(embedder.id())));
	assert_eq!(task["task"]["scoreThreshold"], 0.9);
	let index = task["round"]["index"].as_u64().unwrap();
	let start = task["round"]["start"].as_u64().unwrap();
	assert_eq!(task["round"]["revealUntil"].as_u64(), Some(start + 2));

	let miner = sp_keyring::Sr25519Keyring::Bob.to_account_id();
	let challenge =
		call("myelin_challenge", rpc_params![1, miner.to_ss58check(), index]).await.unwrap();
	let round_seed: [u8; 32] =
		hex::decode(task["round"]["seed"].as_str().unwrap().trim_start_matches("0x"))
			.unwrap()
			.try_into()
			.unwrap();
	let seed = pallet_inference::challenge_seed(&round_seed, &miner);
	assert_eq!(challenge["seed"], format!("0x{}", hex::encode(seed)));
	let expected = embedder.challenge_inputs(seed, 4);
	assert_eq!(challenge["inputs"], serde_json::json!(expected), "the node's model expands them");

	let code = |result: Result<Value, jsonrpsee::core::client::Error>| match result {
		Err(jsonrpsee::core::client::Error::Call(err)) => err.code(),
		other => panic!("an error was expected, got {other:?}"),
	};
	assert_eq!(code(call("myelin_inferenceTask", rpc_params![42]).await), 1001);
	assert_eq!(code(call("myelin_challenge", rpc_params![1, "nope", index]).await), 1003);
	let far = index + 1000;
	assert_eq!(
		code(call("myelin_challenge", rpc_params![1, miner.to_ss58check(), far]).await),
		1004
	);
	assert!(node.is_running());
}
