//! The 4-authority `local` chain on loopback: the nodes finalize together, finality continues
//! with one of four stopped (3 of 4 equal votes is above the 2/3 threshold), and the stopped
//! node catches up after it restarts.

// Test code: panicking on a broken fixture is the point.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::{try_heights, Node};
use jsonrpsee::{core::client::ClientT, rpc_params, ws_client::WsClient};

async fn finalized(client: &WsClient) -> u32 {
	try_heights(client).await.map(|(_, finalized)| finalized).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn four_authorities_finalize_tolerate_one_down_and_catch_up() {
	let dir = tempfile::tempdir().unwrap();
	let start = |name: &str, bootnode: Option<&str>| {
		// A fixed node key per validator: authorities need one, and it keeps peer ids stable.
		let node_key = match name {
			"alice" => "0000000000000000000000000000000000000000000000000000000000000001",
			"bob" => "0000000000000000000000000000000000000000000000000000000000000002",
			"charlie" => "0000000000000000000000000000000000000000000000000000000000000003",
			_ => "0000000000000000000000000000000000000000000000000000000000000004",
		};
		let mut args: Vec<String> =
			["--chain", "local", "--node-key", node_key].into_iter().map(String::from).collect();
		args.push(format!("--{name}"));
		if let Some(bootnode) = bootnode {
			args.extend(["--bootnodes".to_string(), bootnode.to_string()]);
		}
		Node::start(&dir.path().join(name), &args)
	};

	let mut alice = start("alice", None);
	let alice_rpc = alice.client().await;
	let peer_id: String =
		alice_rpc.request("system_localPeerId", rpc_params![]).await.expect("peer id");
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{peer_id}", alice.p2p_port);
	let mut bob = start("bob", Some(&bootnode));
	let mut charlie = start("charlie", Some(&bootnode));
	let mut dave = start("dave", Some(&bootnode));
	let bob_rpc = bob.client().await;
	let charlie_rpc = charlie.client().await;
	let dave_rpc = dave.client().await;

	// All four finalize together.
	alice
		.wait_until("all four nodes to finalize block 3", Duration::from_secs(180), || async {
			finalized(&alice_rpc).await >= 3
				&& finalized(&bob_rpc).await >= 3
				&& finalized(&charlie_rpc).await >= 3
				&& finalized(&dave_rpc).await >= 3
		})
		.await;
	let peers: serde_json::Value = alice_rpc.request("system_health", rpc_params![]).await.unwrap();
	assert_eq!(peers["peers"], 3, "alice sees bob, charlie and dave");

	// Charlie goes down: the other three hold 3 of 4 equal votes, enough for GRANDPA.
	charlie.kill();
	drop(charlie_rpc);
	let finalized_at_stop = finalized(&alice_rpc).await;
	alice
		.wait_until("finality to advance with 3 of 4 online", Duration::from_secs(180), || async {
			finalized(&alice_rpc).await >= finalized_at_stop + 3
		})
		.await;

	// Charlie returns on its old database and catches up with the others.
	charlie.restart();
	let charlie_rpc = charlie.client().await;
	let target = finalized(&alice_rpc).await;
	charlie
		.wait_until("charlie to catch up with finality", Duration::from_secs(180), || async {
			finalized(&charlie_rpc).await >= target
		})
		.await;
	assert!(bob.is_running() && alice.is_running() && dave.is_running());
}
