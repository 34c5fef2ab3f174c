//! Delegate take: decrease any time, increase bounded and rate limited, owner only.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::Perbill;

use super::mock::*;
use crate::{Error, Event};

#[test]
fn default_take_applies_until_set() {
	new_test_ext().execute_with(|| {
		assert_eq!(Stake::take(&HOTKEY), Perbill::from_percent(10));
	});
}

#[test]
fn owner_decreases_take_any_time() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::decrease_take(
			RuntimeOrigin::signed(OWNER),
			HOTKEY,
			Perbill::from_percent(5)
		));
		assert_ok!(Stake::decrease_take(
			RuntimeOrigin::signed(OWNER),
			HOTKEY,
			Perbill::from_percent(4)
		));
		assert_eq!(Stake::take(&HOTKEY), Perbill::from_percent(4));
		assert_eq!(
			last_event(),
			Event::TakeDecreased { hotkey: HOTKEY, take: Perbill::from_percent(4) }
		);
		assert_noop!(
			Stake::decrease_take(RuntimeOrigin::signed(OWNER), HOTKEY, Perbill::from_percent(4)),
			Error::<Test>::TakeNotLower
		);
	});
}

#[test]
fn increase_is_bounded_by_max_take() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Stake::increase_take(RuntimeOrigin::signed(OWNER), HOTKEY, Perbill::from_percent(19)),
			Error::<Test>::TakeTooHigh
		);
		assert_noop!(
			Stake::increase_take(RuntimeOrigin::signed(OWNER), HOTKEY, Perbill::from_percent(10)),
			Error::<Test>::TakeNotHigher
		);
		assert_ok!(Stake::increase_take(
			RuntimeOrigin::signed(OWNER),
			HOTKEY,
			Perbill::from_percent(18)
		));
		assert_eq!(
			last_event(),
			Event::TakeIncreased { hotkey: HOTKEY, take: Perbill::from_percent(18) }
		);
	});
}

#[test]
fn increases_are_rate_limited() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::increase_take(
			RuntimeOrigin::signed(OWNER),
			HOTKEY,
			Perbill::from_percent(12)
		));
		assert_noop!(
			Stake::increase_take(RuntimeOrigin::signed(OWNER), HOTKEY, Perbill::from_percent(14)),
			Error::<Test>::TakeRateLimitExceeded
		);
		// Decreasing is still allowed.
		assert_ok!(Stake::decrease_take(
			RuntimeOrigin::signed(OWNER),
			HOTKEY,
			Perbill::from_percent(11)
		));
		System::set_block_number(1 + TAKE_RATE_LIMIT as u64);
		assert_ok!(Stake::increase_take(
			RuntimeOrigin::signed(OWNER),
			HOTKEY,
			Perbill::from_percent(14)
		));
	});
}

#[test]
fn only_the_owner_changes_take() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Stake::decrease_take(
				RuntimeOrigin::signed(NOMINATOR),
				HOTKEY,
				Perbill::from_percent(1)
			),
			Error::<Test>::NotHotkeyOwner
		);
		assert_noop!(
			Stake::increase_take(
				RuntimeOrigin::signed(NOMINATOR),
				HOTKEY,
				Perbill::from_percent(12)
			),
			Error::<Test>::NotHotkeyOwner
		);
		assert_noop!(
			Stake::decrease_take(RuntimeOrigin::signed(OWNER), 555, Perbill::from_percent(1)),
			Error::<Test>::HotkeyNotRegistered
		);
	});
}
