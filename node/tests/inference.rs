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
