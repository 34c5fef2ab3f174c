//! End-to-end: the node finds the inference models in `--model-dir` (indexed by the sha256 of
//! their weights, as subnets will name them) and keeps producing blocks with Myelin's inference
//! host functions registered in its executor.

mod common;

use std::time::Duration;

use common::Node;

#[tokio::test(flavor = "multi_thread")]
async fn node_indexes_its_model_directory() {
	let dir = tempfile::tempdir().unwrap();
	let models = dir.path().join("models");
	myelin_inference::testing::write_tiny_model(&models.join("tiny")).unwrap();
	let id = myelin_inference::Embedder::load(&models.join("tiny")).unwrap().id();
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

/// `--miner-mode` is a testing aid: a node refuses it on a chain that is not for development.
#[test]
fn miner_modes_are_refused_on_live_chains() {
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

	let port = common::free_port().to_string();
	let output = std::process::Command::new(common::node_bin())
		.args(["--chain", path.to_str().unwrap(), "--tmp", "--miner-mode", "lazy"])
		.args(["--rpc-port", &port, "--port", "0", "--no-prometheus", "--no-telemetry"])
		.output()
		.unwrap();
	assert!(!output.status.success());
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(stderr.contains("--miner-mode is for development and local chains only"), "{stderr}");
}
