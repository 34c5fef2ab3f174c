//! Persistence: a node on a `--base-path` killed with SIGKILL restarts from its RocksDB database
//! where it stopped; the finalized block never goes backwards.

// Test code: panicking on a broken fixture is the point.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::{best_number, finalized_number, Node};

#[tokio::test(flavor = "multi_thread")]
async fn chain_survives_kill_9_and_continues_from_the_database() {
	let dir = tempfile::tempdir().unwrap();
	let mut node = Node::start(dir.path(), &["--dev"]);

	let client = node.client().await;
	node.wait_until("block 2 to be finalized", Duration::from_secs(90), || async {
		finalized_number(&client).await >= 2
	})
	.await;
	let best_before = best_number(&client).await;
	let finalized_before = finalized_number(&client).await;
	drop(client);

	node.kill();
	// RocksDB's marker files: the chain lives in RocksDB under the base path.
	let db = dir.path().join("chains/myelin_dev/db/full");
	assert!(db.join("CURRENT").exists() && db.join("IDENTITY").exists(), "no RocksDB at {db:?}");
	node.restart();

	let client = node.client().await;
	// Right after the restart the database already holds everything it had.
	assert!(best_number(&client).await >= best_before.saturating_sub(1));
	assert!(finalized_number(&client).await >= finalized_before, "finality never goes back");

	node.wait_until("new blocks on top of the old chain", Duration::from_secs(60), || async {
		best_number(&client).await > best_before
	})
	.await;
	node.wait_until("finality to advance after restart", Duration::from_secs(60), || async {
		finalized_number(&client).await > finalized_before
	})
	.await;
}
