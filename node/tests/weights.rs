//! End-to-end: on the dev chain's demo subnet (netuid 1, tempo 10), the owner's hotkey stakes,
//! earns a validator permit at an epoch, sets weights on a newly registered miner through a
//! signed extrinsic, and after the next epoch the chain's storage shows incentive for that
//! miner and emission flowing.

// Test code: panicking on a broken fixture is the point.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::{blake2_128_concat, storage, storage_key, Node};
use myelin_runtime::MYL;

const TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread")]
async fn weights_set_over_rpc_become_incentive_after_an_epoch() {
	let dir = tempfile::tempdir().unwrap();
	// A block every 300 ms: an epoch of the demo subnet every 3 seconds.
	let mut node = Node::start(dir.path(), &["--dev", "--sealing", "300"]);
	let client = node.client().await;

	let common::WeightedSubnet { miner_id, miner_uid } =
		common::weighted_subnet(&node, &client).await;

	// After the next epoch the miner has all the incentive, the validator all the dividends.
	node.wait_until("incentive for the weighted miner", TIMEOUT, || async {
		common::metrics(&client).await.incentive.get(usize::from(miner_uid)) == Some(&u16::MAX)
	})
	.await;
	assert_eq!(common::metrics(&client).await.dividends.first(), Some(&u16::MAX));

	// The subnet is now eligible: emission accrues, and the next epoch pays the miner's hotkey
	// as stake.
	node.wait_until("the miner's first payout", TIMEOUT, || async {
		let stake: Option<u128> = storage(
			&client,
			storage_key("Stake", "TotalHotkeyStake", &[blake2_128_concat(&miner_id)]),
		)
		.await;
		stake.unwrap_or_default() > 0
	})
	.await;
	let emitted: Option<u128> =
		storage(&client, storage_key("Emission", "TotalEmitted", &[])).await;
	assert!(emitted.unwrap_or_default() >= MYL);
	assert!(node.is_running());
}
