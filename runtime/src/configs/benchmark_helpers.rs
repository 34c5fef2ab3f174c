//! Subnets, neurons, stake and emission for the Yuma and emission benchmarks, made
//! through the pallets' own functions. Compiled only with `runtime-benchmarks`.

// Benchmark setup: panicking on a broken fixture is the point.
#![allow(clippy::expect_used)]

use alloc::vec::Vec;
use frame_support::{assert_ok, traits::fungible::Mutate};
use myelin_primitives::{units::MYL, Balance, NetUid, SubnetHyperparams};

use crate::{AccountId, Balances, Runtime, RuntimeOrigin, Stake};

fn funded(name: &'static str, index: u32) -> AccountId {
	let who: AccountId = frame_benchmarking::account(name, index, 0);
	Balances::set_balance(&who, 1_000_000_000 * MYL);
	who
}

pub struct Helper;

impl pallet_yuma::BenchmarkHelper<AccountId> for Helper {
	fn subnet_with_neurons(n: u16, validators: u16) -> (NetUid, Vec<AccountId>) {
		let index = pallet_subnets::Networks::<Runtime>::count();
		let owner = funded("subnet-owner", index);
		let params = SubnetHyperparams {
			max_allowed_uids: n.max(1),
			max_allowed_validators: validators.max(1),
			..SubnetHyperparams::default()
		};
		let (netuid, hotkeys) =
			pallet_subnets::Pallet::<Runtime>::benchmark_subnet(&owner, n.max(1), params)
				.expect("benchmark subnet");
		for (uid, hotkey) in hotkeys.iter().enumerate().take(usize::from(validators)) {
			let amount = (10_000 as Balance).saturating_sub(uid as Balance).saturating_mul(MYL);
			assert_ok!(Stake::add_stake(
				RuntimeOrigin::signed(owner.clone()),
				hotkey.clone(),
				netuid,
				amount
			));
		}
		(netuid, hotkeys)
	}

	fn set_hyperparams(netuid: NetUid, params: SubnetHyperparams) {
		pallet_subnets::Hyperparams::<Runtime>::insert(netuid, params);
	}

	fn fund_epoch(netuid: NetUid) {
		let pending = 1_000 * MYL;
		pallet_emission::Subnets::<Runtime>::mutate(|accounts| {
			let account =
				pallet_emission::SubnetAccount { stake: MYL, pending, stake_at_epoch: MYL };
			let _ = accounts.try_insert(netuid, account);
		});
		pallet_emission::Unminted::<Runtime>::mutate(|u| *u = u.saturating_add(pending));
		pallet_emission::TotalEmitted::<Runtime>::mutate(|t| *t = t.saturating_add(pending));
	}
}

impl pallet_emission::BenchmarkHelper<AccountId> for Helper {
	fn subnet() -> NetUid {
		<Self as pallet_yuma::BenchmarkHelper<AccountId>>::subnet_with_neurons(1, 0).0
	}

	fn set_subnet_stake(netuid: NetUid, amount: Balance) {
		pallet_stake::SubnetStake::<Runtime>::insert(netuid, amount);
	}

	fn hotkey_with_stakers(stakers: u32) -> (NetUid, AccountId) {
		let (netuid, hotkeys) =
			<Self as pallet_yuma::BenchmarkHelper<AccountId>>::subnet_with_neurons(1, 1);
		let hotkey = hotkeys.first().cloned().expect("one neuron");
		for k in 1..stakers {
			let nominator = funded("nominator", k);
			assert_ok!(Stake::add_stake(
				RuntimeOrigin::signed(nominator),
				hotkey.clone(),
				netuid,
				MYL
			));
		}
		(netuid, hotkey)
	}
}

impl pallet_inference::BenchmarkHelper<AccountId> for Helper {
	fn subnet_with_neurons(n: u16) -> (NetUid, AccountId, Vec<AccountId>) {
		let index = pallet_subnets::Networks::<Runtime>::count();
		let owner = funded("inference-owner", index);
		let params =
			SubnetHyperparams { max_allowed_uids: n.max(1), ..SubnetHyperparams::default() };
		let (netuid, hotkeys) =
			pallet_subnets::Pallet::<Runtime>::benchmark_subnet(&owner, n.max(1), params)
				.expect("benchmark subnet");
		(netuid, owner, hotkeys)
	}
}
