//! move_stake and transfer_stake: one step, nothing released or minted, owed rewards move
//! along, and nobody moves stake that is not theirs.

use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};

use super::mock::*;
use crate::{Error, Event, TotalOwed};
use myelin_primitives::StakeInfo;

#[test]
fn moving_to_another_subnet_keeps_the_hold_and_the_owed_rewards() {
	new_test_ext().execute_with(|| {
		let other = second_subnet();
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 40 * UNIT));
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 10 * UNIT));
		let worth = value(NOMINATOR, HOTKEY, NETUID);
		let (issuance, owed) = (Balances::total_issuance(), TotalOwed::<Test>::get());

		assert_ok!(Stake::move_stake(
			RuntimeOrigin::signed(NOMINATOR),
			HOTKEY,
			NETUID,
			HOTKEY,
			other,
			worth
		));
		assert_eq!(value(NOMINATOR, HOTKEY, NETUID), 0);
		assert_eq!(value(NOMINATOR, HOTKEY, other), worth);
		assert_eq!(principal(NOMINATOR, HOTKEY, other), 40 * UNIT);
		assert_eq!(held(NOMINATOR), 40 * UNIT, "nothing released");
		assert_eq!(Balances::total_issuance(), issuance, "nothing minted");
		assert_eq!(TotalOwed::<Test>::get(), owed, "owed rewards moved along");
		assert_eq!(Stake::stake_on(other, &HOTKEY), worth);
		assert_eq!(
			last_event(),
			Event::StakeMoved {
				coldkey: NOMINATOR,
				from: (HOTKEY, NETUID),
				to: (HOTKEY, other),
				amount: worth
			}
		);
		check_invariants();
	});
}

#[test]
fn moving_to_another_hotkey_on_the_same_subnet() {
	new_test_ext().execute_with(|| {
		register_hotkey(OTHER, NETUID, 300);
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 40 * UNIT));
		assert_ok!(Stake::move_stake(
			RuntimeOrigin::signed(NOMINATOR),
			HOTKEY,
			NETUID,
			300,
			NETUID,
			15 * UNIT
		));
		assert_eq!(value(NOMINATOR, HOTKEY, NETUID), 25 * UNIT);
		assert_eq!(value(NOMINATOR, 300, NETUID), 15 * UNIT);
		assert_eq!(held(NOMINATOR), 40 * UNIT);
		check_invariants();
	});
}

#[test]
fn move_errors_change_nothing() {
	new_test_ext().execute_with(|| {
		let other = second_subnet();
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 10 * UNIT));
		let signed = RuntimeOrigin::signed;
		assert_noop!(
			Stake::move_stake(signed(NOMINATOR), HOTKEY, NETUID, HOTKEY, NETUID, 5 * UNIT),
			Error::<Test>::SamePool
		);
		assert_noop!(
			Stake::move_stake(signed(NOMINATOR), HOTKEY, NETUID, HOTKEY, other, MIN_STAKE - 1),
			Error::<Test>::AmountBelowMinimum
		);
		assert_noop!(
			Stake::move_stake(signed(NOMINATOR), HOTKEY, NETUID, 555, other, 5 * UNIT),
			Error::<Test>::HotkeyNotRegistered
		);
		assert_noop!(
			Stake::move_stake(signed(NOMINATOR), HOTKEY, NETUID, 300, NETUID, 5 * UNIT),
			Error::<Test>::HotkeyNotOnSubnet
		);
		assert_noop!(
			Stake::move_stake(signed(NOMINATOR), HOTKEY, NETUID, HOTKEY, other, 11 * UNIT),
			Error::<Test>::NotEnoughStake
		);
		assert_noop!(
			Stake::move_stake(signed(NOMINATOR), HOTKEY, NETUID, HOTKEY, other, 10 * UNIT - 1),
			Error::<Test>::RemainingStakeBelowMinimum
		);
		// Someone else's stake cannot be moved: the signer has no position.
		assert_noop!(
			Stake::move_stake(signed(OTHER), HOTKEY, NETUID, HOTKEY, other, 5 * UNIT),
			Error::<Test>::NotEnoughStake
		);
	});
}

#[test]
fn transferring_moves_the_hold_to_the_receiver() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 40 * UNIT));
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 10 * UNIT));
		let worth = value(NOMINATOR, HOTKEY, NETUID);
		let supply_before = supply();

		assert_ok!(Stake::transfer_stake(
			RuntimeOrigin::signed(NOMINATOR),
			OTHER,
			HOTKEY,
			NETUID,
			worth
		));
		assert_eq!(value(NOMINATOR, HOTKEY, NETUID), 0);
		assert_eq!(held(NOMINATOR), 0);
		assert_eq!(Balances::total_balance(&NOMINATOR), FUNDS - 40 * UNIT);
		assert_eq!(held(OTHER), 40 * UNIT);
		assert_close(value(OTHER, HOTKEY, NETUID), worth, 1);
		assert_eq!(supply(), supply_before);
		assert_eq!(
			last_event(),
			Event::StakeTransferred {
				from: NOMINATOR,
				to: OTHER,
				hotkey: HOTKEY,
				netuid: NETUID,
				amount: worth
			}
		);
		// The giver cannot give it twice.
		assert_noop!(
			Stake::transfer_stake(RuntimeOrigin::signed(NOMINATOR), OTHER, HOTKEY, NETUID, worth),
			Error::<Test>::NotEnoughStake
		);
		check_invariants();
	});
}

#[test]
fn transfer_errors_change_nothing() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 10 * UNIT));
		let signed = RuntimeOrigin::signed;
		assert_noop!(
			Stake::transfer_stake(signed(NOMINATOR), NOMINATOR, HOTKEY, NETUID, 5 * UNIT),
			Error::<Test>::SameColdkey
		);
		assert_noop!(
			Stake::transfer_stake(signed(NOMINATOR), OTHER, HOTKEY, NETUID, MIN_STAKE - 1),
			Error::<Test>::AmountBelowMinimum
		);
		assert_noop!(
			Stake::transfer_stake(signed(OTHER), NOMINATOR, HOTKEY, NETUID, 5 * UNIT),
			Error::<Test>::NotEnoughStake
		);
		assert_noop!(
			Stake::transfer_stake(signed(NOMINATOR), OTHER, HOTKEY, NETUID, 10 * UNIT - 1),
			Error::<Test>::RemainingStakeBelowMinimum
		);
	});
}
