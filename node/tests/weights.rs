//! End-to-end: on the dev chain's demo subnet (netuid 1, tempo 10), the owner's hotkey stakes,
//! earns a validator permit at an epoch, sets weights on a newly registered miner through a
//! signed extrinsic, and after the next epoch the chain's storage shows incentive for that
//! miner and emission flowing.

mod common;

use std::time::Duration;

use common::{
	blake2_128_concat, genesis_hash, next_nonce, storage, storage_key, submit_and_watch,
	twox_64_concat, Node,
};
use myelin_runtime::{AccountId, RuntimeCall, MYL};
use sp_core::{sr25519, Pair};

const TIMEOUT: Duration = Duration::from_secs(60);
const NETUID: u16 = 1;

async fn vector<T: codec::Decode + Default + Clone>(
	client: &jsonrpsee::ws_client::WsClient,
	item: &str,
) -> Vec<T> {
	storage::<Vec<T>>(client, storage_key("Weights", item, &[twox_64_concat(&NETUID)]))
		.await
		.unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn weights_set_over_rpc_become_incentive_after_an_epoch() {
	let dir = tempfile::tempdir().unwrap();
	// A block every 300 ms: an epoch of the demo subnet every 3 seconds.
	let mut node = Node::start(dir.path(), &["--dev", "--sealing", "300"]);
	let client = node.client().await;
	let genesis = genesis_hash(&client).await;

	// The validator: Alice's hotkey (//Alice//stash), UID 0 of the demo subnet, with stake.
	let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
	let alice_id: AccountId = alice.public().into();
	let validator = sr25519::Pair::from_string("//Alice//stash", None).unwrap();
	let validator_id: AccountId = validator.public().into();
	let call = RuntimeCall::Stake(pallet_stake::Call::add_stake {
		hotkey: validator_id.clone(),
		amount: 1_000 * MYL,
	});
	let nonce = next_nonce(&client, &alice_id).await;
	let xt = myelin_runtime::signing::sign(call, &alice, nonce, genesis);
	assert!(submit_and_watch(&client, &xt, TIMEOUT).await.finalized);

	// The miner: a fresh hotkey registered by Bob.
	let bob = sr25519::Pair::from_string("//Bob", None).unwrap();
	let bob_id: AccountId = bob.public().into();
	let (miner, _) = sr25519::Pair::generate();
	let miner_id: AccountId = miner.public().into();
	let call = RuntimeCall::Subnets(pallet_subnets::Call::burned_register {
		netuid: NETUID,
		hotkey: miner_id.clone(),
		max_burn: MYL,
	});
	let nonce = next_nonce(&client, &bob_id).await;
	let xt = myelin_runtime::signing::sign(call, &bob, nonce, genesis);
	assert!(submit_and_watch(&client, &xt, TIMEOUT).await.finalized);
	let miner_uid: u16 = storage(
		&client,
		storage_key("Subnets", "Uids", &[twox_64_concat(&NETUID), blake2_128_concat(&miner_id)]),
	)
	.await
	.expect("the miner is registered");

	// An epoch grants the staked hotkey its validator permit.
	node.wait_until("a validator permit for UID 0", TIMEOUT, || async {
		vector::<bool>(&client, "ValidatorPermit").await.first() == Some(&true)
	})
	.await;

	// The validator weights the miner, signing with its hotkey.
	let call = RuntimeCall::Weights(pallet_weights::Call::set_weights {
		netuid: NETUID,
		uids: vec![miner_uid],
		values: vec![u16::MAX],
		version_key: 0,
	});
	let nonce = next_nonce(&client, &validator_id).await;
	let xt = myelin_runtime::signing::sign(call, &validator, nonce, genesis);
	assert!(submit_and_watch(&client, &xt, TIMEOUT).await.finalized);
	let row: Vec<(u16, u16)> = storage(
		&client,
		storage_key("Weights", "Weights", &[twox_64_concat(&NETUID), twox_64_concat(&0u16)]),
	)
	.await
	.unwrap_or_default();
	assert_eq!(row, vec![(miner_uid, u16::MAX)]);

	// After the next epoch the miner has all the incentive, the validator all the dividends.
	node.wait_until("incentive for the weighted miner", TIMEOUT, || async {
		vector::<u16>(&client, "Incentive").await.get(usize::from(miner_uid)) == Some(&u16::MAX)
	})
	.await;
	assert_eq!(vector::<u16>(&client, "Dividends").await.first(), Some(&u16::MAX));

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
