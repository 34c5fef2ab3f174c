//! End-to-end: on the dev chain's demo subnet (netuid 1, tempo 10), the owner's hotkey stakes,
//! earns a validator permit at an epoch, sets weights on a newly registered miner through a
//! signed extrinsic, and after the next epoch the chain's storage shows incentive for that
//! miner and emission flowing. Then the staker's position earns, moves to another subnet and is
//! withdrawn, and the balances read over JSON-RPC add up.

// Test code: panicking on a broken fixture is the point.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::{storage, storage_key, twox_64_concat, Node};
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
		// The miner's UID in the demo subnet's stake pages (page 0): its pool as credited.
		let page: Option<Vec<pallet_stake::UidStake<myelin_runtime::AccountId>>> = storage(
			&client,
			storage_key(
				"Stake",
				"UidStakes",
				&[twox_64_concat(&common::DEMO_NETUID), twox_64_concat(&0u16)],
			),
		)
		.await;
		page.and_then(|page| page.into_iter().nth(usize::from(miner_uid)))
			.is_some_and(|entry| entry.hotkey == miner_id && entry.pool.value > 0)
	})
	.await;
	let emitted: Option<u128> =
		storage(&client, storage_key("Emission", "TotalEmitted", &[])).await;
	assert!(emitted.unwrap_or_default() >= MYL);
	assert!(node.is_running());
}

/// `myelin_stakeInfo` of `who`.
async fn stake_info(
	client: &jsonrpsee::ws_client::WsClient,
	who: &myelin_runtime::AccountId,
) -> serde_json::Value {
	use jsonrpsee::core::client::ClientT;
	client
		.request("myelin_stakeInfo", jsonrpsee::rpc_params![who.to_string()])
		.await
		.expect("myelin_stakeInfo")
}

/// `who`'s staked hold from `myelin_stakeInfo`.
async fn held(client: &jsonrpsee::ws_client::WsClient, who: &myelin_runtime::AccountId) -> u128 {
	let info = stake_info(client, who).await;
	myelin_primitives::units::parse_myl(info["coldkey"]["held"].as_str().expect("a string"))
		.expect("MYL")
}

/// `who`'s position on (`hotkey`, `netuid`) from `myelin_stakeInfo`: (amount, principal).
async fn position(
	client: &jsonrpsee::ws_client::WsClient,
	who: &myelin_runtime::AccountId,
	hotkey: &myelin_runtime::AccountId,
	netuid: u16,
) -> Option<(u128, u128)> {
	let info = stake_info(client, who).await;
	let myl = |v: &serde_json::Value| {
		myelin_primitives::units::parse_myl(v.as_str().expect("a string")).expect("MYL")
	};
	info["coldkey"]["positions"].as_array().unwrap().iter().find_map(|p| {
		(p["hotkey"] == hotkey.to_string() && p["netuid"] == netuid)
			.then(|| (myl(&p["amount"]), myl(&p["principal"])))
	})
}

#[tokio::test(flavor = "multi_thread")]
async fn stake_earns_moves_to_another_subnet_and_unstakes() {
	use common::{free_balance, genesis_hash, next_nonce, submit_and_watch, DEMO_NETUID};
	use myelin_runtime::{AccountId, RuntimeCall, UncheckedExtrinsic};
	use sp_core::{sr25519, Pair};

	let dir = tempfile::tempdir().unwrap();
	let mut node = Node::start(dir.path(), &["--dev", "--sealing", "300"]);
	let client = node.client().await;
	let genesis = genesis_hash(&client).await;
	// //Alice//stash validates the demo subnet with Alice's 1,000 MYL.
	common::weighted_subnet(&node, &client).await;
	let stash_id: AccountId =
		sr25519::Pair::from_string("//Alice//stash", None).unwrap().public().into();
	// Dave, a fresh coldkey owning no earning subnet: his balance moves only by his own calls.
	let (dave, _) = sr25519::Pair::generate();
	let dave_id: AccountId = dave.public().into();
	let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
	let alice_id: AccountId = alice.public().into();
	let fund = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: dave_id.clone().into(),
		value: 3_000 * MYL,
	});
	let nonce = next_nonce(&client, &alice_id).await;
	let xt = myelin_runtime::signing::sign(fund, &alice, nonce, genesis);
	assert!(submit_and_watch(&client, &xt, TIMEOUT).await.finalized);
	let sign = |call: RuntimeCall, nonce| -> UncheckedExtrinsic {
		myelin_runtime::signing::sign(call, &dave, nonce, genesis)
	};
	let submit = |call: RuntimeCall| {
		let client = &client;
		let dave_id = &dave_id;
		let sign = &sign;
		async move {
			let nonce = next_nonce(client, dave_id).await;
			assert!(submit_and_watch(client, &sign(call, nonce), TIMEOUT).await.finalized);
		}
	};

	// 1. Dave stakes 1,000 MYL on the validator; the position earns at the next epochs while
	//    its principal stays held.
	submit(RuntimeCall::Stake(pallet_stake::Call::add_stake {
		hotkey: stash_id.clone(),
		netuid: DEMO_NETUID,
		amount: 1_000 * MYL,
	}))
	.await;
	node.wait_until("Dave's stake earning dividends", TIMEOUT, || async {
		position(&client, &dave_id, &stash_id, DEMO_NETUID)
			.await
			.is_some_and(|(amount, _)| amount > 1_000 * MYL + MYL / 2)
	})
	.await;
	let (earned, principal) = position(&client, &dave_id, &stash_id, DEMO_NETUID).await.unwrap();
	assert_eq!(principal, 1_000 * MYL);
	assert_eq!(held(&client, &dave_id).await, 1_000 * MYL);

	// 2. Dave opens a second subnet with his own hotkey at UID 0 and moves 500 MYL of stake
	//    there in one call: principal first, nothing released, nothing minted.
	let (hotkey, _) = sr25519::Pair::generate();
	let hotkey_id: AccountId = hotkey.public().into();
	submit(common::associate(&dave_id, &hotkey, genesis)).await;
	submit(RuntimeCall::Subnets(pallet_subnets::Call::register_network {
		hotkey: hotkey_id.clone(),
	}))
	.await;
	let netuid = 2u16;
	let free_before = free_balance(&client, &dave_id).await;
	submit(RuntimeCall::Stake(pallet_stake::Call::move_stake {
		hotkey: stash_id.clone(),
		netuid: DEMO_NETUID,
		to_hotkey: hotkey_id.clone(),
		to_netuid: netuid,
		amount: 500 * MYL,
	}))
	.await;
	assert_eq!(position(&client, &dave_id, &hotkey_id, netuid).await, Some((500 * MYL, 500 * MYL)));
	let (left, left_principal) = position(&client, &dave_id, &stash_id, DEMO_NETUID).await.unwrap();
	assert!(left >= earned - 500 * MYL, "the rest stays on the demo subnet and keeps earning");
	assert_eq!(left_principal, 500 * MYL);
	assert_eq!(held(&client, &dave_id).await, 1_000 * MYL);
	let fee = free_before - free_balance(&client, &dave_id).await;
	assert!(fee < MYL / 10, "the move cost only its fee: {fee}");

	// 3. Unstake the moved position entirely: 500 MYL back, less the fee.
	let free_before = free_balance(&client, &dave_id).await;
	submit(RuntimeCall::Stake(pallet_stake::Call::remove_stake {
		hotkey: hotkey_id.clone(),
		netuid,
		amount: 500 * MYL,
	}))
	.await;
	assert_eq!(position(&client, &dave_id, &hotkey_id, netuid).await, None);
	let gained = free_balance(&client, &dave_id).await - free_before;
	assert!(gained < 500 * MYL && gained > 500 * MYL - MYL / 10, "500 MYL less a fee: {gained}");

	// 4. Withdraw more than the demo position's principal: the principal comes back first and
	//    the rewards beyond it are minted.
	let (worth, principal) = position(&client, &dave_id, &stash_id, DEMO_NETUID).await.unwrap();
	let amount = principal + (worth - principal) / 2;
	let free_before = free_balance(&client, &dave_id).await;
	submit(RuntimeCall::Stake(pallet_stake::Call::remove_stake {
		hotkey: stash_id.clone(),
		netuid: DEMO_NETUID,
		amount,
	}))
	.await;
	let gained = free_balance(&client, &dave_id).await - free_before;
	assert!(gained < amount && gained > amount - MYL / 10, "{amount} less a fee: {gained}");
	let (_, principal_left) = position(&client, &dave_id, &stash_id, DEMO_NETUID).await.unwrap();
	assert_eq!(principal_left, 0, "the whole principal came back first");
	assert_eq!(held(&client, &dave_id).await, 0);
	assert!(node.is_running());
}
