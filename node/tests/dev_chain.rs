//! End-to-end tests of a single `--dev` node: real Aura block production and GRANDPA finality,
//! the JSON-RPC surface wallets rely on, a signed transfer, malformed input, and local sealing.

// Test code: panicking on a broken fixture is the point.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use codec::Encode;
use common::{
	best_number, finalized_number, free_balance, genesis_hash, next_nonce, submit_and_watch, Node,
};
use jsonrpsee::{core::client::ClientT, rpc_params};
use myelin_runtime::{AccountId, RuntimeCall, MYL};
use sp_core::{sr25519, Pair};

#[derive(serde::Deserialize)]
struct RpcMethods {
	methods: Vec<String>,
}

#[tokio::test(flavor = "multi_thread")]
async fn dev_chain_produces_and_finalizes_blocks_and_serves_standard_rpc() {
	let dir = tempfile::tempdir().unwrap();
	let mut node = Node::start(dir.path(), &["--dev"]);
	let client = node.client().await;

	node.wait_until("block 2 to be finalized", Duration::from_secs(90), || async {
		finalized_number(&client).await >= 2
	})
	.await;
	assert!(best_number(&client).await >= 2);

	let methods: RpcMethods = client.request("rpc_methods", rpc_params![]).await.unwrap();
	for required in [
		"system_accountNextIndex",
		"payment_queryInfo",
		"author_submitAndWatchExtrinsic",
		"state_call",
		"rpc_methods",
		"chain_getFinalizedHead",
	] {
		assert!(methods.methods.iter().any(|m| m == required), "rpc_methods lacks {required}");
	}

	let properties: serde_json::Value =
		client.request("system_properties", rpc_params![]).await.unwrap();
	assert_eq!(properties["tokenSymbol"], "MYL");
	assert_eq!(properties["tokenDecimals"], 9);
	assert_eq!(properties["ss58Format"], 42);

	// Prometheus serves metrics on its own port.
	let metrics = reqwest_free_get(node.prometheus_port, "/metrics").await;
	assert!(
		metrics.contains("substrate_block_height"),
		"metrics: {}",
		&metrics[..200.min(metrics.len())]
	);
}

/// Minimal HTTP GET over a raw socket (keeps the test free of an HTTP client dependency).
async fn reqwest_free_get(port: u16, path: &str) -> String {
	use tokio::io::{AsyncReadExt, AsyncWriteExt};
	let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
	let request = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
	stream.write_all(request.as_bytes()).await.unwrap();
	let mut response = String::new();
	stream.read_to_string(&mut response).await.unwrap();
	response
}

#[tokio::test(flavor = "multi_thread")]
async fn signed_transfer_is_included_finalized_and_moves_funds() {
	let dir = tempfile::tempdir().unwrap();
	let mut node = Node::start(dir.path(), &["--dev"]);
	let client = node.client().await;

	let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
	let alice_id: AccountId = alice.public().into();
	let (fresh, _) = sr25519::Pair::generate();
	let fresh_id: AccountId = fresh.public().into();

	let nonce = next_nonce(&client, &alice_id).await;
	let alice_before = free_balance(&client, &alice_id).await;
	let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: fresh_id.clone().into(),
		value: 5 * MYL,
	});
	let xt = myelin_runtime::signing::sign(call, &alice, nonce, genesis_hash(&client).await);
	let xt_hex = format!("0x{}", hex::encode(xt.encode()));

	// The fee estimate wallets show before signing.
	let info: serde_json::Value =
		client.request("payment_queryInfo", rpc_params![xt_hex]).await.unwrap();
	let estimated_fee: u128 = info["partialFee"].as_str().unwrap().parse().unwrap();
	assert!(estimated_fee > 0);

	let outcome = submit_and_watch(&client, &xt, Duration::from_secs(120)).await;
	assert!(outcome.in_block, "transaction was included in a block");
	assert!(outcome.finalized, "transaction was finalized; log:\n{}", node.log());

	assert_eq!(free_balance(&client, &fresh_id).await, 5 * MYL);
	let alice_after = free_balance(&client, &alice_id).await;
	let paid = alice_before - alice_after - 5 * MYL;
	assert!(paid > 0, "Alice paid a fee");
	assert_eq!(paid, estimated_fee, "the fee charged is the fee payment_queryInfo predicted");
	assert_eq!(next_nonce(&client, &alice_id).await, nonce + 1);
	let _ = node.is_running();
}

#[tokio::test(flavor = "multi_thread")]
async fn garbage_extrinsic_gets_a_clear_error_and_node_keeps_serving() {
	let dir = tempfile::tempdir().unwrap();
	let mut node = Node::start(dir.path(), &["--dev", "--sealing", "instant"]);
	let client = node.client().await;

	let result: Result<String, _> =
		client.request("author_submitExtrinsic", rpc_params!["0xdeadbeef00"]).await;
	let err = result.expect_err("garbage must be rejected");
	let text = err.to_string();
	assert!(
		text.contains("decode") || text.contains("Invalid") || text.contains("invalid"),
		"the error says what is wrong: {text}"
	);

	let result: Result<String, _> =
		client.request("author_submitExtrinsic", rpc_params!["not even hex"]).await;
	assert!(result.is_err());

	// Still serving and still producing blocks.
	let before = best_number(&client).await;
	node.wait_until("another block after the garbage", Duration::from_secs(30), || async {
		best_number(&client).await > before
	})
	.await;
	assert!(node.is_running());
}

#[tokio::test(flavor = "multi_thread")]
async fn sealing_mode_produces_a_final_block_at_least_every_second() {
	let dir = tempfile::tempdir().unwrap();
	let mut node = Node::start(dir.path(), &["--dev", "--sealing", "instant"]);
	let client = node.client().await;

	// Let the node settle, then measure over a window.
	node.wait_until("block 1", Duration::from_secs(30), || async {
		best_number(&client).await >= 1
	})
	.await;
	let start = best_number(&client).await;
	tokio::time::sleep(Duration::from_secs(5)).await;
	let end = best_number(&client).await;
	// One block per second at the least; the bound leaves room for a loaded test machine.
	assert!(end >= start + 3, "expected ≥ 3 blocks in 5 s, got {} ({start}→{end})", end - start);
	assert_eq!(finalized_number(&client).await, end, "sealed blocks are final at once");
}

/// `--sealing follow`: a second node imports the blocks of a sealing node over the network and
/// sees the same chain (what multi-node tests on a sealed chain rely on).
#[tokio::test(flavor = "multi_thread")]
async fn a_following_node_imports_the_sealing_nodes_blocks() {
	let dir = tempfile::tempdir().unwrap();
	let key = "0000000000000000000000000000000000000000000000000000000000000001";
	let mut sealer =
		Node::start(&dir.path().join("sealer"), &["--dev", "--sealing", "300", "--node-key", key]);
	let sealer_rpc = sealer.client().await;
	let peer: String = sealer_rpc.request("system_localPeerId", rpc_params![]).await.unwrap();
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{peer}", sealer.p2p_port);
	let mut follower = Node::start(
		&dir.path().join("follower"),
		&["--chain", "dev", "--sealing", "follow", "--bootnodes", &bootnode],
	);
	let follower_rpc = follower.client().await;
	follower
		.wait_until("the follower to import 5 blocks", Duration::from_secs(60), || async {
			best_number(&follower_rpc).await >= 5
		})
		.await;
	// The same block 5 on both.
	let sealed: sp_core::H256 =
		sealer_rpc.request("chain_getBlockHash", rpc_params![5]).await.unwrap();
	let followed: sp_core::H256 =
		follower_rpc.request("chain_getBlockHash", rpc_params![5]).await.unwrap();
	assert_eq!(sealed, followed);
	assert!(sealer.is_running() && follower.is_running());
}
