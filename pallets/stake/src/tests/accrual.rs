//! Rewards accrued by UID: nobody joins, leaves, replaces or dissolves their way into or out of
//! an accrued reward, and the accrued pool is exactly the pool credited epoch by epoch.

use frame_support::{assert_noop, assert_ok};
use myelin_primitives::StakeInfo;
use sp_runtime::Perbill;

use super::mock::*;
use crate::{pallet::UidStakes, Error, Pool, Pools};

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// The stored pool, without what its UID accrued.
fn stored(hotkey: AccountId, netuid: myelin_primitives::NetUid) -> Pool {
	Pools::<Test>::get(hotkey, netuid).unwrap_or_default()
}

#[test]
fn an_epoch_writes_pages_not_pools() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(signed(NOMINATOR), HOTKEY, NETUID, 100 * UNIT));
		let before = stored(HOTKEY, NETUID);
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 100 * UNIT));
		assert_eq!(stored(HOTKEY, NETUID), before, "the pool itself is not written");
		// What everyone reads already counts it.
		assert_eq!(Stake::stake_on(NETUID, &HOTKEY), 200 * UNIT);
		assert_eq!(Stake::stakes(NETUID), vec![200 * UNIT]);
		assert_eq!(Stake::subnet_stake(NETUID), 200 * UNIT);
		assert_close(value(NOMINATOR, HOTKEY, NETUID), 190 * UNIT, 1);
		check_invariants();
	});
}

/// An attacker staking after an epoch paid, and before the pool was touched, buys at the price
/// the reward already raised: it gets none of the reward.
#[test]
fn joining_after_an_epoch_does_not_share_its_reward() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(signed(NOMINATOR), HOTKEY, NETUID, 100 * UNIT));
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 100 * UNIT));
		assert_ok!(Stake::add_stake(signed(OTHER), HOTKEY, NETUID, 100 * UNIT));
		assert_close(value(OTHER, HOTKEY, NETUID), 100 * UNIT, 2);
		assert_close(value(NOMINATOR, HOTKEY, NETUID), 190 * UNIT, 1);
		// Leaving at once gives back what was put in, no more.
		let free = Balances::free_balance(OTHER);
		let worth = value(OTHER, HOTKEY, NETUID);
		assert_ok!(Stake::remove_stake(signed(OTHER), HOTKEY, NETUID, worth));
		assert!(Balances::free_balance(OTHER) <= free + 100 * UNIT);
		check_invariants();
	});
}

/// A staker leaving after an epoch paid, before its pool was touched, takes its share along.
#[test]
fn leaving_after_an_epoch_keeps_its_share() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(signed(NOMINATOR), HOTKEY, NETUID, 100 * UNIT));
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 100 * UNIT));
		let (free, supply_before) = (Balances::free_balance(NOMINATOR), supply());
		let worth = value(NOMINATOR, HOTKEY, NETUID);
		assert_close(worth, 190 * UNIT, 1);
		assert_ok!(Stake::remove_stake(signed(NOMINATOR), HOTKEY, NETUID, worth));
		assert_eq!(Balances::free_balance(NOMINATOR), free + worth);
		assert_eq!(supply(), supply_before, "the reward was owed, and is now minted");
		assert_eq!(
			crate::UidStake::stake(&Stake::uid_stake(NETUID, 0).unwrap()),
			stored(HOTKEY, NETUID).value
		);
		check_invariants();
	});
}

/// Two epochs accrued without a touch leave the pool exactly as two credits would: the
/// owner's first take earns its share of the second reward.
#[test]
fn accrued_epochs_compound_as_credited_one_by_one() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(signed(NOMINATOR), HOTKEY, NETUID, 100 * UNIT));
		let mut expected = stored(HOTKEY, NETUID);
		for reward in [100 * UNIT, 37 * UNIT + 3, 250 * UNIT] {
			assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, reward));
			let take = Perbill::from_percent(10).mul_floor(reward);
			expected.credit(reward - take, take).unwrap();
		}
		assert_eq!(Stake::pool_with_accrued(&HOTKEY, NETUID), Some(expected));
		// The owner acts: its pool is the credited one.
		assert_ok!(Stake::add_stake(signed(OWNER), HOTKEY, NETUID, MIN_STAKE));
		assert_eq!(stored(HOTKEY, NETUID).value, expected.value + MIN_STAKE);
		check_invariants();
	});
}

/// A take increase that applies after an epoch paid does not reach that epoch's reward, even
/// though the pool takes it later.
#[test]
fn an_accrued_reward_keeps_the_take_of_its_epoch() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(signed(NOMINATOR), HOTKEY, NETUID, 100 * UNIT));
		assert_ok!(Stake::increase_take(signed(OWNER), HOTKEY, Perbill::from_percent(18)));
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 100 * UNIT));
		System::set_block_number(u64::from(2 + TAKE_INCREASE_DELAY));
		assert_eq!(Stake::take(&HOTKEY), Perbill::from_percent(18));
		let worth = value(NOMINATOR, HOTKEY, NETUID);
		assert_ok!(Stake::remove_stake(signed(NOMINATOR), HOTKEY, NETUID, worth));
		assert_close(worth, 190 * UNIT, 1);
		// The next reward uses the new take.
		assert_ok!(Stake::add_stake(signed(NOMINATOR), HOTKEY, NETUID, 100 * UNIT));
		let owner_before = value(OWNER, HOTKEY, NETUID);
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 100 * UNIT));
		// The stakers share 82%, by stake: the nominator's 100 and the owner's earlier take.
		let share = 82 * UNIT * 100 * UNIT / (100 * UNIT + owner_before);
		assert_close(value(NOMINATOR, HOTKEY, NETUID), 100 * UNIT + share, 2);
		check_invariants();
	});
}

/// Moving stake settles both pools first: the destination's stakers keep their accrued
/// reward, and the mover takes its own along.
#[test]
fn a_move_settles_both_pools() {
	new_test_ext().execute_with(|| {
		let other_hotkey = 101;
		register_hotkey(OWNER, NETUID, other_hotkey);
		assert_ok!(Stake::add_stake(signed(NOMINATOR), HOTKEY, NETUID, 100 * UNIT));
		assert_ok!(Stake::add_stake(signed(OTHER), other_hotkey, NETUID, 100 * UNIT));
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 100 * UNIT));
		assert_ok!(Stake::credit_stake(NETUID, &other_hotkey, 100 * UNIT));
		let moved = value(NOMINATOR, HOTKEY, NETUID);
		assert_ok!(Stake::move_stake(
			signed(NOMINATOR),
			HOTKEY,
			NETUID,
			other_hotkey,
			NETUID,
			moved
		));
		assert_close(value(NOMINATOR, other_hotkey, NETUID), moved, 2);
		assert_close(value(OTHER, other_hotkey, NETUID), 190 * UNIT, 2);
		assert_eq!(Stake::uid_stake(NETUID, 0).unwrap().accrued, 0);
		assert_eq!(Stake::uid_stake(NETUID, 1).unwrap().accrued, 0);
		check_invariants();
	});
}

/// A UID given to another hotkey leaves what it accrued with the pool that earned it; the new
/// hotkey starts from its own pool.
#[test]
fn a_replaced_uid_pays_its_accrual_to_the_pool_that_earned_it() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(signed(NOMINATOR), HOTKEY, NETUID, 100 * UNIT));
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 100 * UNIT));
		pallet_subnets::Hyperparams::<Test>::mutate(NETUID, |params| {
			let params = params.as_mut().unwrap();
			params.max_allowed_uids = 1;
			params.immunity_period = 0;
		});
		System::set_block_number(5);
		register_hotkey(OTHER, NETUID, 300);
		assert_eq!(pallet_subnets::Uids::<Test>::get(NETUID, 300), Some(0), "HOTKEY was pruned");
		assert_eq!(stored(HOTKEY, NETUID).value, 200 * UNIT, "its pool took the accrual");
		let entry = Stake::uid_stake(NETUID, 0).unwrap();
		assert_eq!((entry.hotkey, entry.accrued, entry.pool), (300, 0, Pool::default()));
		// Its stakers still withdraw everything, reward included.
		let worth = value(NOMINATOR, HOTKEY, NETUID);
		assert_close(worth, 190 * UNIT, 1);
		assert_ok!(Stake::remove_stake(signed(NOMINATOR), HOTKEY, NETUID, worth));
		check_invariants();
	});
}

/// Stake on a dissolved subnet stays until the subnet is cleared; by then every pool took its
/// accrual, and its stakers withdraw all of it.
#[test]
fn a_dissolved_subnet_pays_its_accruals_before_stake_can_leave() {
	new_test_ext().execute_with(|| {
		let netuid = new_subnet(OTHER, 300);
		assert_ok!(Stake::add_stake(signed(NOMINATOR), 300, netuid, 100 * UNIT));
		assert_ok!(Stake::credit_stake(netuid, &300, 100 * UNIT));
		assert_ok!(Subnets::dissolve_network(signed(OTHER), netuid));
		assert_noop!(
			Stake::remove_stake(signed(NOMINATOR), 300, netuid, 10 * UNIT),
			Error::<Test>::SubnetClearing
		);
		assert_noop!(
			Stake::move_stake(signed(NOMINATOR), 300, netuid, HOTKEY, NETUID, 10 * UNIT),
			Error::<Test>::SubnetClearing
		);
		assert_noop!(
			Stake::transfer_stake(signed(NOMINATOR), OTHER, 300, netuid, 10 * UNIT),
			Error::<Test>::SubnetClearing
		);
		check_invariants();
		let start = System::block_number();
		run_to_block(start + 20);
		assert!(!<Subnets as myelin_primitives::SubnetInfo<_>>::is_clearing(netuid));
		assert_eq!(UidStakes::<Test>::iter_prefix(netuid).count(), 0);
		assert_eq!(stored(300, netuid).value, 200 * UNIT);
		let worth = value(NOMINATOR, 300, netuid);
		assert_close(worth, 190 * UNIT, 1);
		assert_ok!(Stake::remove_stake(signed(NOMINATOR), 300, netuid, worth));
		check_invariants();
	});
}

/// A hotkey without stakers that earned on a subnet since dissolved: until the clearing, the
/// views still find its accrued pool, though neither its UID nor a stored pool points there.
#[test]
fn views_show_an_accrual_only_pool_of_a_dissolved_subnet() {
	new_test_ext().execute_with(|| {
		let netuid = new_subnet(OTHER, 300);
		assert_ok!(Stake::credit_stake(netuid, &300, 100 * UNIT));
		assert_ok!(Subnets::dissolve_network(signed(OTHER), netuid));
		assert!(Pools::<Test>::get(300, netuid).is_none(), "only the page holds it");
		assert_eq!(Stake::hotkey_stake(&300), vec![(netuid, 100 * UNIT)]);
		let owned: Vec<_> = Stake::positions_of(&OTHER)
			.into_iter()
			.filter(|position| position.netuid == netuid)
			.map(|position| (position.hotkey, position.value))
			.collect();
		assert_eq!(owned, vec![(300, 100 * UNIT)]);
		let stakers: Vec<_> =
			Stake::stakers(&300).into_iter().map(|p| (p.coldkey, p.netuid, p.value)).collect();
		assert_eq!(stakers, vec![(OTHER, netuid, 100 * UNIT)]);
		// Cleared, the pool is stored and the views read it from there.
		run_to_block(System::block_number() + 20);
		assert_eq!(stored(300, netuid).value, 100 * UNIT);
		assert_eq!(Stake::hotkey_stake(&300), vec![(netuid, 100 * UNIT)]);
		check_invariants();
	});
}

/// A runtime upgrade changing the default take applies from the next credit to every hotkey
/// without a take of its own, as `take` reports it: the pages keep no copy of the default.
#[test]
fn a_new_default_take_applies_to_the_next_credit() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(signed(NOMINATOR), HOTKEY, NETUID, 100 * UNIT));
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 100 * UNIT));
		// 10% of the reward went to the owner.
		assert_close(value(NOMINATOR, HOTKEY, NETUID), 190 * UNIT, 1);
		crate::config_preludes::DefaultTestTake::set(&Perbill::zero());
		assert_eq!(Stake::take(&HOTKEY), Perbill::zero());
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 100 * UNIT));
		// No take this time: the nominator's 95% of the pool gets 95% of the reward.
		assert_close(value(NOMINATOR, HOTKEY, NETUID), 285 * UNIT, 1);
		check_invariants();
	});
}

/// A credit that would overflow its pool fails alone and changes nothing; the epoch's other
/// credits land.
#[test]
fn a_failing_credit_changes_nothing_and_spares_the_others() {
	new_test_ext().execute_with(|| {
		let other_hotkey = 101;
		register_hotkey(OWNER, NETUID, other_hotkey);
		assert_ok!(Stake::add_stake(signed(NOMINATOR), HOTKEY, NETUID, 100 * UNIT));
		let (owed, page) = (Stake::owed(), UidStakes::<Test>::get(NETUID, 0));
		let results = Stake::credit_stakes(NETUID, &[(0, u128::MAX), (1, 5 * UNIT), (9, UNIT)]);
		assert!(results[0].is_err());
		assert!(results[1].is_ok());
		assert_eq!(results[2], Err(Error::<Test>::HotkeyNotOnSubnet.into()));
		assert_eq!(Stake::owed(), owed + 5 * UNIT);
		assert_eq!(Stake::uid_stake(NETUID, 0), page.first().cloned());
		assert_eq!(Stake::stake_on(NETUID, &other_hotkey), 5 * UNIT);
		check_invariants();
	});
}

/// The take calls keep every UID of the hotkey, on every subnet, in step.
#[test]
fn take_changes_reach_every_subnet_of_the_hotkey() {
	new_test_ext().execute_with(|| {
		let other = second_subnet();
		assert_ok!(Stake::decrease_take(signed(OWNER), HOTKEY, Perbill::from_percent(5)));
		assert_ok!(Stake::increase_take(signed(OWNER), HOTKEY, Perbill::from_percent(7)));
		let uid = pallet_subnets::Uids::<Test>::get(other, HOTKEY).unwrap();
		for (netuid, uid) in [(NETUID, 0), (other, uid)] {
			let entry = Stake::uid_stake(netuid, uid).unwrap();
			assert_eq!(entry.take, Some(Perbill::from_percent(5)));
			assert_eq!(entry.take_increase.map(|(take, _)| take), Some(Perbill::from_percent(7)));
		}
		check_invariants();
	});
}

/// The v1 → v2 migration records every neuron, with its pool and take, once.
#[test]
fn the_migration_records_every_neuron() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_test_ext().execute_with(|| {
		let other = second_subnet();
		assert_ok!(Stake::add_stake(signed(NOMINATOR), HOTKEY, other, 100 * UNIT));
		assert_ok!(Stake::decrease_take(signed(OWNER), HOTKEY, Perbill::from_percent(3)));
		let pages: Vec<_> = UidStakes::<Test>::iter().collect();
		let _ = UidStakes::<Test>::clear(u32::MAX, None);
		StorageVersion::new(1).put::<Stake>();

		crate::migrations::MigrateV1ToV2::<Test>::on_runtime_upgrade();

		assert_eq!(Stake::on_chain_storage_version(), 2);
		let mut after: Vec<_> = UidStakes::<Test>::iter().collect();
		let mut before = pages;
		after.sort_by_key(|(n, p, _)| (*n, *p));
		before.sort_by_key(|(n, p, _)| (*n, *p));
		assert_eq!(after, before);
		check_invariants();
	});
}

/// Clearing a dissolved subnet within a small budget collects part of a page, keeps the rest
/// for the next call, and counts a key per pool written and per page removed.
#[test]
fn clearing_collects_within_its_budget() {
	new_test_ext().execute_with(|| {
		let netuid = new_subnet(OTHER, 300);
		for hotkey in [301, 302] {
			register_hotkey(OTHER, netuid, hotkey);
		}
		for hotkey in [300, 301, 302] {
			assert_ok!(Stake::credit_stake(netuid, &hotkey, 10 * UNIT));
		}
		assert_ok!(Subnets::dissolve_network(signed(OTHER), netuid));
		let first = Stake::clear_uid_stakes(netuid, 2);
		assert_eq!((first.removed, first.done), (2, false));
		assert_eq!(stored(301, netuid).value, 10 * UNIT);
		assert_eq!(stored(302, netuid), Pool::default(), "not yet");
		check_invariants();
		let second = Stake::clear_uid_stakes(netuid, 10);
		assert_eq!((second.removed, second.done), (2, true));
		assert_eq!(stored(302, netuid).value, 10 * UNIT);
		assert_eq!(UidStakes::<Test>::iter_prefix(netuid).count(), 0);
		let third = Stake::clear_uid_stakes(netuid, 10);
		assert_eq!((third.removed, third.done), (0, true));
	});
}
