//! credit_stake: minted rewards split into the owner's take and stakers' pro-rata shares.

use frame_support::{assert_noop, assert_ok};
use myelin_primitives::StakeInfo;

use super::mock::*;
use crate::{Error, Event, TotalHotkeyStake};

#[test]
fn take_to_owner_rest_pro_rata_to_stakers() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(OWNER), HOTKEY, 10 * UNIT));
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, 30 * UNIT));
		let issuance = Balances::total_issuance();

		assert_eq!(Stake::credit_stake(&HOTKEY, 100 * UNIT), Ok(100 * UNIT));

		// Take 10% = 10; 90 split 1:3 → owner 22.5, nominator 67.5.
		assert_eq!(Stake::stake(&NOMINATOR, &HOTKEY), 30 * UNIT + 67_500_000_000);
		assert_eq!(Stake::stake(&OWNER, &HOTKEY), 10 * UNIT + 10 * UNIT + 22_500_000_000);
		assert_eq!(TotalHotkeyStake::<Test>::get(HOTKEY), 140 * UNIT);
		assert_eq!(
			Balances::total_issuance(),
			issuance + 100 * UNIT,
			"exactly the amount is minted"
		);
		assert_eq!(held(NOMINATOR), 30 * UNIT + 67_500_000_000);
		assert_eq!(
			last_event(),
			Event::StakeCredited {
				hotkey: HOTKEY,
				amount: 100 * UNIT,
				owner_share: 32_500_000_000
			}
		);
		check_invariants();
	});
}

#[test]
fn rounding_dust_goes_to_the_owner_and_nothing_is_lost() {
	new_test_ext().execute_with(|| {
		for coldkey in [2, 3, 4] {
			assert_ok!(Stake::add_stake(RuntimeOrigin::signed(coldkey), HOTKEY, UNIT));
		}
		let before = TotalHotkeyStake::<Test>::get(HOTKEY);
		let issuance = Balances::total_issuance();
		assert_ok!(Stake::credit_stake(&HOTKEY, 7));
		assert_eq!(TotalHotkeyStake::<Test>::get(HOTKEY), before + 7);
		assert_eq!(Balances::total_issuance(), issuance + 7);
		// 10% of 7 floors to 0; 7 split three ways floors to 2 each; the owner gets the dust 1.
		assert_eq!(Stake::stake(&OWNER, &HOTKEY), 1);
		check_invariants();
	});
}

#[test]
fn a_hotkey_without_stakers_credits_everything_to_its_owner() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::credit_stake(&HOTKEY, 5 * UNIT));
		assert_eq!(Stake::stake(&OWNER, &HOTKEY), 5 * UNIT);
		assert_eq!(held(OWNER), 5 * UNIT);
		check_invariants();
	});
}

#[test]
fn crediting_an_unknown_hotkey_or_nothing_fails() {
	new_test_ext().execute_with(|| {
		assert_noop!(Stake::credit_stake(&555, UNIT), Error::<Test>::HotkeyNotRegistered);
		assert_noop!(Stake::credit_stake(&HOTKEY, 0), Error::<Test>::AmountBelowMinimum);
	});
}

#[test]
fn positions_count_the_owner_and_each_nominator() {
	new_test_ext().execute_with(|| {
		assert_eq!(Stake::positions(&HOTKEY), 1);
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, 10 * UNIT));
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(OTHER), HOTKEY, 10 * UNIT));
		assert_eq!(Stake::positions(&HOTKEY), 3);
		// The owner's own stake is its position, not a nominator's.
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(OWNER), HOTKEY, 10 * UNIT));
		assert_eq!(Stake::positions(&HOTKEY), 3);
		assert_ok!(Stake::remove_stake(RuntimeOrigin::signed(OTHER), HOTKEY, 10 * UNIT));
		assert_eq!(Stake::positions(&HOTKEY), 2);
	});
}
