//! Block emission: eligibility, the split across subnets, dust, halving.

use super::mock::*;
use crate::{EmissionDust, Event, SplitMode, Subnets as Accounts, TotalEmitted, Unminted};
use frame_support::assert_ok;
use myelin_primitives::NetUid;

/// Makes `netuid` eligible: validators `v` (coldkeys with stakes) weight miner coldkey `m`,
/// then an epoch runs with those weights.
pub fn eligible(netuid: NetUid, validators: &[(AccountId, Balance)], miner: AccountId) {
	for &(k, _) in validators {
		register(netuid, k);
	}
	let miner_uid = register(netuid, miner);
	for &(k, amount) in validators {
		stake(netuid, k, amount);
	}
	run_to_epoch(netuid); // grants permits
	for &(k, _) in validators {
		set_weights(100 + k, netuid, vec![miner_uid], vec![1]);
	}
	run_to_epoch(netuid);
	assert!(Accounts::<Test>::get().contains_key(&netuid));
}

/// The first block of `count` consecutive blocks (after the current one) in which none of
/// `netuids` runs an epoch.
pub fn quiet_blocks(netuids: &[NetUid], count: u64) -> u64 {
	let mut block = System::block_number() + 1;
	while (0..count).any(|d| {
		netuids
			.iter()
			.any(|&n| pallet_yuma::Pallet::<Test>::epoch_due(n, TEMPO, (block + d) as u32))
	}) {
		block += 1;
	}
	block
}

#[test]
fn nothing_is_emitted_before_a_subnet_has_weights() {
	new_test_ext().execute_with(|| {
		register(NETUID, 2);
		stake(NETUID, 2, 100);
		run_to_block(40);
		assert_eq!(TotalEmitted::<Test>::get(), 0);
		assert!(Accounts::<Test>::get().is_empty());
		check_invariants();
	});
}

#[test]
fn an_eligible_subnet_accrues_the_block_emission_every_block() {
	new_test_ext().execute_with(|| {
		eligible(NETUID, &[(2, 300), (3, 100)], 4);
		let start = System::block_number();
		let pending = Accounts::<Test>::get()[&NETUID].pending;
		run_to_block(start + 3);
		assert_eq!(Accounts::<Test>::get()[&NETUID].pending, pending + 3 * UNIT);
		assert_eq!(EmissionDust::<Test>::get(), 0);
		check_invariants();
	});
}

#[test]
fn the_emission_is_split_by_permitted_stake_or_equally() {
	new_test_ext().execute_with(|| {
		eligible(NETUID, &[(2, 300)], 3);
		subnet_with_neurons(2, 0, 0, FUNDS);
		eligible(2, &[(5, 100)], 6);
		// Permitted stake: subnet 1 has the owner's hotkey 101 (no stake) and 102 (300);
		// subnet 2 has 105 (100).
		// Permitted stake at the last epochs: 102's 300 and 105's 100 (plus rewards credited
		// since); the owners' hotkeys hold no stake.
		let accounts = Accounts::<Test>::get();
		assert!(accounts[&NETUID].stake >= 300 * UNIT && accounts[&NETUID].stake < 310 * UNIT);
		assert!(accounts[&2].stake >= 100 * UNIT && accounts[&2].stake < 110 * UNIT);
		// Two blocks clear of either subnet's epoch.
		let block = quiet_blocks(&[NETUID, 2], 2);
		run_to_block(block - 1);
		let accounts = Accounts::<Test>::get();
		let before: Vec<Balance> = [NETUID, 2].iter().map(|n| accounts[n].pending).collect();
		let amount = UNIT + EmissionDust::<Test>::get();
		run_to_block(block);
		let accounts = Accounts::<Test>::get();
		let (s1, s2) = (accounts[&NETUID].stake, accounts[&2].stake);
		assert_eq!(accounts[&NETUID].pending - before[0], amount * s1 / (s1 + s2));
		assert_eq!(accounts[&2].pending - before[1], amount * s2 / (s1 + s2));

		assert_ok!(Emission::set_split_mode(RuntimeOrigin::root(), SplitMode::Equal));
		assert!(events().contains(&Event::SplitModeSet { mode: SplitMode::Equal }));
		run_to_block(block + 1);
		let after = Accounts::<Test>::get();
		assert_eq!(after[&NETUID].pending - accounts[&NETUID].pending, UNIT / 2);
		assert_eq!(after[&2].pending - accounts[&2].pending, UNIT / 2);
		check_invariants();
	});
}

#[test]
fn rounding_dust_is_carried_into_the_next_block() {
	new_test_ext().execute_with(|| {
		eligible(NETUID, &[(2, 300)], 3);
		subnet_with_neurons(2, 0, 0, FUNDS);
		eligible(2, &[(5, 100)], 6);
		subnet_with_neurons(3, 0, 0, FUNDS);
		eligible(3, &[(8, 100)], 9);
		assert_ok!(Emission::set_split_mode(RuntimeOrigin::root(), SplitMode::Equal));
		let pending = || Accounts::<Test>::get().values().map(|a| a.pending).sum::<Balance>();
		let block = quiet_blocks(&[1, 2, 3], 3);
		run_to_block(block - 1);
		let (p0, d0, e0) = (pending(), EmissionDust::<Test>::get(), TotalEmitted::<Test>::get());
		run_to_block(block);
		// 10⁹ does not split in three: the remainder is carried.
		assert_eq!(EmissionDust::<Test>::get(), (UNIT + d0) % 3);
		run_to_block(block + 2);
		let emitted = TotalEmitted::<Test>::get() - e0;
		assert_eq!(emitted, 3 * UNIT);
		assert_eq!(pending() + EmissionDust::<Test>::get(), p0 + d0 + emitted);
		check_invariants();
	});
}

#[test]
fn the_block_emission_halves_with_the_supply() {
	new_test_ext().execute_with(|| {
		let issued = total_issuance() + owed() + Unminted::<Test>::get();
		assert!(issued < CAP / 2);
		assert_eq!(Emission::current_block_emission(), UNIT);
		// Mint up to half the cap: the emission halves.
		let extra = CAP / 2 - issued;
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 99, extra));
		assert_eq!(Emission::current_block_emission(), UNIT / 2);
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 99, extra + CAP / 4));
		assert_eq!(Emission::current_block_emission(), UNIT / 4);
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 99, CAP));
		assert_eq!(Emission::current_block_emission(), 0);
	});
}
