//! End-to-end: a new coldkey creates a subnet, registers a hotkey with a price limit and stakes
//! on it, all through signed extrinsics on the real node; storage read over JSON-RPC shows each
//! step.

// Test code: panicking on a broken fixture is the point.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::{
	blake2_128_concat, free_balance, genesis_hash, next_nonce, storage, storage_key,
	submit_and_watch, twox_64_concat, Node,
};
use myelin_runtime::{AccountId, RuntimeCall, MYL};
use sp_core::{sr25519, Pair};

const TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread")]
async fn coldkey_creates_subnet_registers_hotkey_and_stakes() {
	let dir = tempfile::tempdir().unwrap();
	let mut node = Node::start(dir.path(), &["--dev", "--sealing", "instant"]);
	let client = node.client().await;
	let genesis = genesis_hash(&client).await;

	// The dev chain's demo subnet: netuid 1, owned by Alice.
	let demo: Option<pallet_subnets::NetworkInfo<AccountId>> =
		storage(&client, storage_key("Subnets", "Networks", &[twox_64_concat(&1u16)])).await;
	let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
	let alice_id: AccountId = alice.public().into();
	assert_eq!(demo.map(|info| info.owner), Some(alice_id.clone()));

	// A fresh coldkey, funded by Alice.
	let (coldkey, _) = sr25519::Pair::generate();
	let coldkey_id: AccountId = coldkey.public().into();
	let (hotkey, _) = sr25519::Pair::generate();
	let hotkey_id: AccountId = hotkey.public().into();
	let fund = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: coldkey_id.clone().into(),
		value: 5_000 * MYL,
	});
	let nonce = next_nonce(&client, &alice_id).await;
	let xt = myelin_runtime::signing::sign(fund, &alice, nonce, genesis);
	assert!(submit_and_watch(&client, &xt, TIMEOUT).await.finalized);
	assert_eq!(free_balance(&client, &coldkey_id).await, 5_000 * MYL);

	// 1. Register a subnet with the coldkey's own hotkey as its first neuron.
	let call =
		RuntimeCall::Subnets(pallet_subnets::Call::register_network { hotkey: coldkey_id.clone() });
	let xt = myelin_runtime::signing::sign(call, &coldkey, 0, genesis);
	assert!(submit_and_watch(&client, &xt, TIMEOUT).await.finalized);
	let netuid = 2u16;
	let info: pallet_subnets::NetworkInfo<AccountId> =
		storage(&client, storage_key("Subnets", "Networks", &[twox_64_concat(&netuid)]))
			.await
			.expect("the new subnet is stored as netuid 2");
	assert_eq!(info.owner, coldkey_id);
	assert_eq!(info.lock, 1_000 * MYL, "the first registration pays the minimum lock");

	// 2. Register a hotkey, paying at most 1 MYL (the burn starts at 0.1 MYL). The hotkey
	//    first signs its consent to belong to the coldkey.
	let xt = myelin_runtime::signing::sign(
		common::associate(&coldkey_id, &hotkey, genesis),
		&coldkey,
		1,
		genesis,
	);
	assert!(submit_and_watch(&client, &xt, TIMEOUT).await.finalized);
	let call = RuntimeCall::Subnets(pallet_subnets::Call::burned_register {
		netuid,
		hotkey: hotkey_id.clone(),
		max_burn: MYL,
	});
	let xt = myelin_runtime::signing::sign(call, &coldkey, 2, genesis);
	assert!(submit_and_watch(&client, &xt, TIMEOUT).await.finalized);
	let uid: Option<u16> = storage(
		&client,
		storage_key("Subnets", "Uids", &[twox_64_concat(&netuid), blake2_128_concat(&hotkey_id)]),
	)
	.await;
	assert_eq!(uid, Some(1), "the hotkey got UID 1 after the owner's UID 0");
	let n: Option<u16> =
		storage(&client, storage_key("Subnets", "SubnetworkN", &[twox_64_concat(&netuid)])).await;
	assert_eq!(n, Some(2));
	let owner: Option<AccountId> =
		storage(&client, storage_key("Subnets", "Owner", &[blake2_128_concat(&hotkey_id)])).await;
	assert_eq!(owner, Some(coldkey_id.clone()));

	// 3. Stake 100 MYL on the hotkey.
	let call = RuntimeCall::Stake(pallet_stake::Call::add_stake {
		hotkey: hotkey_id.clone(),
		netuid,
		amount: 100 * MYL,
	});
	let xt = myelin_runtime::signing::sign(call, &coldkey, 3, genesis);
	assert!(submit_and_watch(&client, &xt, TIMEOUT).await.finalized);
	// The coldkey's position in the (hotkey, subnet) pool: (shares, principal).
	let position: Option<(u128, u128)> = storage(
		&client,
		storage_key(
			"Stake",
			"Positions",
			&[
				blake2_128_concat(&hotkey_id),
				twox_64_concat(&netuid),
				blake2_128_concat(&coldkey_id),
			],
		),
	)
	.await;
	assert_eq!(position.map(|(_, principal)| principal), Some(100 * MYL));
	// The pool: (value, shares, principal).
	let pool: Option<(u128, u128, u128)> = storage(
		&client,
		storage_key("Stake", "Pools", &[blake2_128_concat(&hotkey_id), twox_64_concat(&netuid)]),
	)
	.await;
	assert_eq!(pool.map(|(value, _, principal)| (value, principal)), Some((100 * MYL, 100 * MYL)));

	// The lock and the stake are held, the burn is gone: free balance shows all three.
	let free = free_balance(&client, &coldkey_id).await;
	assert!(free < 5_000 * MYL - 1_000 * MYL - 100 * MYL - MYL / 10);
	assert!(free > 5_000 * MYL - 1_000 * MYL - 100 * MYL - MYL, "fees are small: {free}");
	assert!(node.is_running());
}
