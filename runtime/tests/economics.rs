//! The economic scenario on the real (native) runtime, block by block through `Executive`: one
//! subnet, three validators with different stakes and five miners; the validators weight the
//! miners unequally for several tempos. Incentive must follow the stake-weighted consensus,
//! dividends the validators' stake and bonds, emission must land in the right accounts, and
//! issuance must follow the emission schedule exactly.

// Test code: panicking on a broken fixture is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::arithmetic_side_effects)]

mod common;

use frame_support::{assert_ok, traits::fungible::Inspect};
use myelin_primitives::{StakeInfo, SubnetInfo};
use myelin_runtime::{
	AccountId, Balance, Balances, Emission, Runtime, RuntimeCall, RuntimeOrigin, Stake, Subnets,
	System, Yuma, MYL,
};
use sp_keyring::Sr25519Keyring;

const NETUID: u16 = 1;

fn hotkey(k: u8) -> AccountId {
	common::hotkey(k)
}

fn total_stake(hotkey: &AccountId) -> Balance {
	<Stake as StakeInfo<AccountId, Balance>>::stake_on(NETUID, hotkey)
}

#[test]
fn yuma_and_emission_on_the_runtime() {
	common::new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let validators: Vec<(AccountId, AccountId, Balance)> =
			[(Sr25519Keyring::Bob, 30), (Sr25519Keyring::Charlie, 20), (Sr25519Keyring::Dave, 10)]
				.into_iter()
				.enumerate()
				.map(|(i, (key, stake))| {
					(key.to_account_id(), hotkey(10 + i as u8), stake * 100 * MYL)
				})
				.collect();
		let miner_owner = Sr25519Keyring::Ferdie.to_account_id();
		let miners: Vec<AccountId> = (1..=5).map(|k| hotkey(100 + k)).collect();

		// Block 1: validators and miners register, validators stake.
		let mut calls = Vec::new();
		for (i, (coldkey, hot, stake)) in validators.iter().enumerate() {
			calls.push(common::associate(coldkey, 10 + i as u8));
			calls.push((
				coldkey.clone(),
				RuntimeCall::Subnets(pallet_subnets::Call::burned_register {
					netuid: NETUID,
					hotkey: hot.clone(),
					max_burn: Balance::MAX,
				}),
			));
			calls.push((
				coldkey.clone(),
				RuntimeCall::Stake(pallet_stake::Call::add_stake {
					hotkey: hot.clone(),
					netuid: NETUID,
					amount: *stake,
				}),
			));
		}
		for (k, miner) in (1..=5).zip(&miners) {
			calls.push(common::associate(&miner_owner, 100 + k));
			calls.push((
				miner_owner.clone(),
				RuntimeCall::Subnets(pallet_subnets::Call::burned_register {
					netuid: NETUID,
					hotkey: miner.clone(),
					max_burn: Balance::MAX,
				}),
			));
		}
		let mut block = 1;
		common::run_block(block, calls);
		let uid = |h: &AccountId| Subnets::uid_of_hotkey(NETUID, h).unwrap();
		let miner_uids: Vec<u16> = miners.iter().map(uid).collect();
		let validator_uids: Vec<u16> = validators.iter().map(|(_, h, _)| uid(h)).collect();
		assert_eq!(validator_uids, vec![1, 2, 3]);
		assert_eq!(miner_uids, vec![4, 5, 6, 7, 8]);

		// The first epoch (block 9 for subnet 1 at tempo 10) grants permits by stake.
		common::run_to(&mut block, 9);
		let permits = pallet_yuma::Metrics::<Runtime>::get(NETUID).validator_permit;
		assert_eq!(permits[1..4], [true, true, true]);
		assert!(!permits[4..].contains(&true));
		assert_eq!(pallet_emission::TotalEmitted::<Runtime>::get(), 0, "no weights yet");

		// Block 10: the two larger validators agree (M1 > M2 > M3 > M4); the smallest one
		// dissents, putting most of its weight on M5.
		let [m1, m2, m3, m4, m5] = miner_uids[..] else { unreachable!() };
		let vectors: [(Vec<u16>, Vec<u16>); 3] = [
			(vec![m1, m2, m3, m4], vec![40, 30, 20, 10]),
			(vec![m1, m2, m3, m4], vec![45, 30, 15, 10]),
			(vec![m1, m5], vec![10, 90]),
		];
		let calls = validators
			.iter()
			.zip(vectors)
			.map(|((_, hot, _), (uids, values))| {
				let call =
					pallet_yuma::Call::set_weights { netuid: NETUID, uids, values, version_key: 0 };
				(hot.clone(), RuntimeCall::Yuma(call))
			})
			.collect();
		block += 1;
		common::run_block(block, calls);

		// Block 19: the first epoch with weights makes the subnet eligible; from block 20 on, it
		// accrues 1 MYL per block.
		common::run_to(&mut block, 19);
		assert!(pallet_emission::Subnets::<Runtime>::get().contains_key(&NETUID));
		let issuance_start = Balances::total_issuance();
		let owed_start = pallet_stake::TotalOwed::<Runtime>::get();
		let owner_start = Balances::balance(&alice);
		let miner_start: Vec<Balance> = miners.iter().map(total_stake).collect();
		let validator_start: Vec<Balance> =
			validators.iter().map(|(_, h, _)| total_stake(h)).collect();

		// Five more tempos.
		common::run_to(&mut block, 69);

		// Incentive follows the stake-weighted consensus; the dissenter alone (1/6 of the
		// stake) cannot carry M5.
		let incentive = pallet_yuma::Metrics::<Runtime>::get(NETUID).incentive;
		let consensus = pallet_yuma::Metrics::<Runtime>::get(NETUID).consensus;
		let of =
			|v: &[u16], uids: &[u16]| uids.iter().map(|&u| v[usize::from(u)]).collect::<Vec<_>>();
		let (inc, cons) = (of(&incentive, &miner_uids), of(&consensus, &miner_uids));
		assert!(inc[0] > inc[1] && inc[1] > inc[2] && inc[2] > inc[3], "incentive {inc:?}");
		assert_eq!(inc[4], 0);
		assert!(cons[0] > cons[1] && cons[1] > cons[2] && cons[2] > cons[3] && cons[4] == 0);
		// Dividends follow stake among the agreeing validators; the dissenter's bonds are on
		// M1 only (its M5 weight was clipped away).
		let dividends =
			of(&pallet_yuma::Metrics::<Runtime>::get(NETUID).dividends, &validator_uids);
		assert!(dividends[0] > dividends[1] && dividends[1] > dividends[2], "{dividends:?}");
		let dissenter_bonds = pallet_yuma::Bonds::<Runtime>::get(NETUID, validator_uids[2]);
		assert!(dissenter_bonds.iter().all(|&(j, _)| j == m1), "{dissenter_bonds:?}");
		let trust =
			of(&pallet_yuma::Metrics::<Runtime>::get(NETUID).validator_trust, &validator_uids);
		assert!(trust[2] < trust[0] / 2, "the dissenter's trust is low: {trust:?}");

		// Epochs credit in their own block; check where the emission went.
		common::run_to(&mut block, 70);
		let owed = pallet_stake::TotalOwed::<Runtime>::get() - owed_start;
		let emitted = pallet_emission::TotalEmitted::<Runtime>::get();
		let unminted = pallet_emission::Unminted::<Runtime>::get();
		// Eligible since block 19: blocks 19..=70 each emitted exactly 1 MYL (no halving yet).
		assert_eq!(Emission::current_block_emission(), MYL);
		assert_eq!(emitted, 52 * MYL);
		// Nothing burned in this window (no registrations, fees not charged by direct dispatch):
		// issuance grew by the owner's cut, the pools owe the rest that was delivered.
		assert_eq!(Balances::total_issuance() - issuance_start + owed, emitted - unminted);

		let gains = |now: Vec<Balance>, start: &[Balance]| -> Vec<Balance> {
			now.iter().zip(start).map(|(a, b)| a - b).collect()
		};
		let miner_gain = gains(miners.iter().map(total_stake).collect(), &miner_start);
		let validator_gain =
			gains(validators.iter().map(|(_, h, _)| total_stake(h)).collect(), &validator_start);
		let owner_gain = Balances::balance(&alice) - owner_start;
		assert!(miner_gain[0] > miner_gain[1] && miner_gain[1] > miner_gain[2]);
		assert!(miner_gain[2] > miner_gain[3] && miner_gain[4] == 0, "{miner_gain:?}");
		assert!(validator_gain[0] > validator_gain[1] && validator_gain[1] > validator_gain[2]);
		let paid: Balance = miner_gain.iter().chain(&validator_gain).sum::<Balance>() + owner_gain;
		// Each pool's value grows by exactly what it was credited.
		assert_eq!(paid, emitted - unminted, "every delivered token is accounted for");
		assert_eq!(
			Balances::balance(&alice) - owner_start,
			Balances::total_issuance() - issuance_start
		);
		// The owner's cut is 18% of each paid epoch; miners and validators share the rest.
		let neurons: Balance = miner_gain.iter().chain(&validator_gain).sum();
		let expected_cut = neurons * 18 / 82;
		assert!(owner_gain.abs_diff(expected_cut) <= 5 * 9, "{owner_gain} vs {expected_cut}");
		let (to_miners, to_validators) =
			(miner_gain.iter().sum::<Balance>(), validator_gain.iter().sum::<Balance>());
		// Each half rounds each of its shares down: at most one unit per neuron per epoch.
		assert!(to_miners.abs_diff(to_validators) <= 5 * 9, "{miner_gain:?} {validator_gain:?}");

		let accounts: Balance = frame_system::Account::<Runtime>::iter_values()
			.map(|info| info.data.free + info.data.reserved)
			.sum();
		assert_eq!(accounts, Balances::total_issuance(), "issuance is Σ free + held");
		pallet_subnets::Pallet::<Runtime>::do_try_state().unwrap();
		pallet_stake::Pallet::<Runtime>::do_try_state().unwrap();
		pallet_yuma::Pallet::<Runtime>::do_try_state().unwrap();
		pallet_emission::Pallet::<Runtime>::do_try_state().unwrap();
		assert_eq!(pallet_yuma::LastEpoch::<Runtime>::get(NETUID), Some(69));

		// The schedule halves once the supply (minted or owed) reaches half the cap.
		let supply = Balances::total_issuance() + pallet_emission::Unminted::<Runtime>::get();
		let to_half = myelin_primitives::units::SUPPLY_CAP / 2 - supply;
		let whale = Sr25519Keyring::Eve.to_account_id();
		let whale_balance = Balances::balance(&whale);
		assert_ok!(Balances::force_set_balance(
			RuntimeOrigin::root(),
			whale.into(),
			whale_balance + to_half
		));
		assert_eq!(Emission::current_block_emission(), MYL / 2);
		let before = pallet_emission::TotalEmitted::<Runtime>::get();
		common::run_to(&mut block, 71);
		assert_eq!(pallet_emission::TotalEmitted::<Runtime>::get() - before, MYL / 2);
		assert_eq!(System::block_number(), 71);
		assert!(Yuma::epoch_due(NETUID, 10, 79));
	});
}
