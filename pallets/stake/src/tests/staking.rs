//! add_stake / remove_stake: holds, delegation, totals, minimums and bounds.

use frame_support::{assert_noop, assert_ok};

use super::mock::*;
use crate::{
	Error, Event, NominatorCount, Stake as Positions, StakedHotkeys, TotalColdkeyStake,
	TotalHotkeyStake,
};
use frame_support::traits::fungible::Inspect;

#[test]
fn staking_holds_tokens_without_moving_them() {
	new_test_ext().execute_with(|| {
		let free = Balances::free_balance(NOMINATOR);
		let issuance = Balances::total_issuance();
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, 30 * UNIT));

		assert_eq!(Balances::free_balance(NOMINATOR), free - 30 * UNIT);
		assert_eq!(held(NOMINATOR), 30 * UNIT);
		assert_eq!(Balances::total_balance(&NOMINATOR), FUNDS, "tokens stay in the account");
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(Positions::<Test>::get(HOTKEY, NOMINATOR), 30 * UNIT);
		assert_eq!(TotalHotkeyStake::<Test>::get(HOTKEY), 30 * UNIT);
		assert_eq!(TotalColdkeyStake::<Test>::get(NOMINATOR), 30 * UNIT);
		assert_eq!(StakedHotkeys::<Test>::get(NOMINATOR).into_inner(), vec![HOTKEY]);
		assert_eq!(NominatorCount::<Test>::get(HOTKEY), 1);
		assert_eq!(
			last_event(),
			Event::StakeAdded {
				coldkey: NOMINATOR,
				hotkey: HOTKEY,
				amount: 30 * UNIT,
				stake: 30 * UNIT
			}
		);
		check_invariants();
	});
}

#[test]
fn several_coldkeys_delegate_and_totals_stay_consistent() {
	new_test_ext().execute_with(|| {
		register_hotkey(OTHER, 300);
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(OWNER), HOTKEY, 10 * UNIT));
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, 20 * UNIT));
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), 300, 5 * UNIT));
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, UNIT));
		assert_eq!(TotalHotkeyStake::<Test>::get(HOTKEY), 31 * UNIT);
		assert_eq!(TotalColdkeyStake::<Test>::get(NOMINATOR), 26 * UNIT);
		assert_eq!(NominatorCount::<Test>::get(HOTKEY), 1, "the owner is not a nominator");
		check_invariants();
	});
}

#[test]
fn unstaking_releases_the_hold_and_cleans_up() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, 30 * UNIT));
		assert_ok!(Stake::remove_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, 10 * UNIT));
		assert_eq!(Positions::<Test>::get(HOTKEY, NOMINATOR), 20 * UNIT);
		assert_eq!(held(NOMINATOR), 20 * UNIT);
		assert_ok!(Stake::remove_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, 20 * UNIT));
		assert_eq!(held(NOMINATOR), 0);
		assert_eq!(Balances::free_balance(NOMINATOR), FUNDS);
		assert!(!Positions::<Test>::contains_key(HOTKEY, NOMINATOR));
		assert!(!TotalHotkeyStake::<Test>::contains_key(HOTKEY));
		assert!(!TotalColdkeyStake::<Test>::contains_key(NOMINATOR));
		assert!(StakedHotkeys::<Test>::get(NOMINATOR).is_empty());
		assert_eq!(NominatorCount::<Test>::get(HOTKEY), 0);
		assert_eq!(
			last_event(),
			Event::StakeRemoved { coldkey: NOMINATOR, hotkey: HOTKEY, amount: 20 * UNIT, stake: 0 }
		);
		check_invariants();
	});
}

#[test]
fn stake_needs_a_registered_hotkey() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), 555, 10 * UNIT),
			Error::<Test>::HotkeyNotRegistered
		);
	});
}

#[test]
fn stake_must_reach_the_minimum() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, MIN_STAKE - 1),
			Error::<Test>::AmountBelowMinimum
		);
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, 3 * MIN_STAKE));
		assert_noop!(
			Stake::remove_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, 2 * MIN_STAKE + 1),
			Error::<Test>::RemainingStakeBelowMinimum
		);
	});
}

#[test]
fn cannot_stake_more_than_the_free_balance() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, FUNDS + 1),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn cannot_unstake_more_than_staked() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, 5 * UNIT));
		assert_noop!(
			Stake::remove_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, 5 * UNIT + 1),
			Error::<Test>::NotEnoughStake
		);
		assert_noop!(
			Stake::remove_stake(RuntimeOrigin::signed(OTHER), HOTKEY, 1),
			Error::<Test>::NotEnoughStake
		);
	});
}

#[test]
fn nominators_per_hotkey_are_bounded_but_the_owner_always_fits() {
	new_test_ext().execute_with(|| {
		for coldkey in [2, 3, 4] {
			assert_ok!(Stake::add_stake(RuntimeOrigin::signed(coldkey), HOTKEY, UNIT));
		}
		assert_noop!(
			Stake::add_stake(RuntimeOrigin::signed(5), HOTKEY, UNIT),
			Error::<Test>::TooManyNominators
		);
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(OWNER), HOTKEY, UNIT));
		// A nominator leaving frees a slot.
		assert_ok!(Stake::remove_stake(RuntimeOrigin::signed(2), HOTKEY, UNIT));
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(5), HOTKEY, UNIT));
		check_invariants();
	});
}

#[test]
fn hotkeys_per_coldkey_are_bounded() {
	new_test_ext().execute_with(|| {
		for hotkey in [201, 202, 203] {
			register_hotkey(OTHER, hotkey);
			assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), hotkey, UNIT));
		}
		assert_noop!(
			Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, UNIT),
			Error::<Test>::TooManyStakedHotkeys
		);
	});
}
