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
			Event::TakeIncreaseAnnounced {
				hotkey: HOTKEY,
				take: Perbill::from_percent(18),
				effective_at: 1 + TAKE_INCREASE_DELAY,
			}
		);
	});
}

/// Runs `f` at `block`.
fn at<R>(block: u32, f: impl FnOnce() -> R) -> R {
	System::set_block_number(u64::from(block));
	f()
}

#[test]
fn the_first_increase_waits_for_its_delay() {
	new_test_ext().execute_with(|| {
		// The default take (10%) was never set: raising it is an increase like any other.
		assert_ok!(Stake::increase_take(
			RuntimeOrigin::signed(OWNER),
			HOTKEY,
			Perbill::from_percent(15)
		));
		let effective_at = 1 + TAKE_INCREASE_DELAY;
		assert_eq!(Stake::take(&HOTKEY), Perbill::from_percent(10));
		assert_eq!(Stake::pending_take(&HOTKEY), Some((Perbill::from_percent(15), effective_at)));
		at(effective_at - 1, || assert_eq!(Stake::take(&HOTKEY), Perbill::from_percent(10)));
		at(effective_at, || {
			assert_eq!(Stake::take(&HOTKEY), Perbill::from_percent(15));
			assert_eq!(Stake::pending_take(&HOTKEY), None);
		});
	});
}

#[test]
fn a_decrease_then_an_increase_is_never_immediate() {
	new_test_ext().execute_with(|| {
		// Block 1: down to 5%, at once. Block 2: back up to 18%, which waits the full delay.
		assert_ok!(Stake::decrease_take(
			RuntimeOrigin::signed(OWNER),
			HOTKEY,
			Perbill::from_percent(5)
		));
		assert_eq!(Stake::take(&HOTKEY), Perbill::from_percent(5));
		at(2, || {
			assert_ok!(Stake::increase_take(
				RuntimeOrigin::signed(OWNER),
				HOTKEY,
				Perbill::from_percent(18)
			));
			assert_eq!(Stake::take(&HOTKEY), Perbill::from_percent(5));
		});
		at(1 + TAKE_INCREASE_DELAY, || {
			assert_eq!(Stake::take(&HOTKEY), Perbill::from_percent(5), "one block short")
		});
		at(2 + TAKE_INCREASE_DELAY, || assert_eq!(Stake::take(&HOTKEY), Perbill::from_percent(18)));
	});
}

#[test]
fn a_decrease_cancels_an_announced_increase() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::increase_take(
			RuntimeOrigin::signed(OWNER),
			HOTKEY,
			Perbill::from_percent(18)
		));
		assert_ok!(Stake::decrease_take(
			RuntimeOrigin::signed(OWNER),
			HOTKEY,
			Perbill::from_percent(8)
		));
		assert_eq!(Stake::pending_take(&HOTKEY), None);
		at(1 + 10 * TAKE_INCREASE_DELAY, || {
			assert_eq!(Stake::take(&HOTKEY), Perbill::from_percent(8))
		});
	});
}

#[test]
fn a_new_announcement_restarts_the_delay_and_must_exceed_the_take_in_force() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::increase_take(
			RuntimeOrigin::signed(OWNER),
			HOTKEY,
			Perbill::from_percent(12)
		));
		// Re-announcing later restarts the clock: no way to pre-arm an increase.
		at(5, || {
			assert_ok!(Stake::increase_take(
				RuntimeOrigin::signed(OWNER),
				HOTKEY,
				Perbill::from_percent(14)
			));
		});
		at(1 + TAKE_INCREASE_DELAY, || assert_eq!(Stake::take(&HOTKEY), Perbill::from_percent(10)));
		at(5 + TAKE_INCREASE_DELAY, || {
			assert_eq!(Stake::take(&HOTKEY), Perbill::from_percent(14));
			// 14% is in force now: announcing 14% again is no increase.
			assert_noop!(
				Stake::increase_take(
					RuntimeOrigin::signed(OWNER),
					HOTKEY,
					Perbill::from_percent(14)
				),
				Error::<Test>::TakeNotHigher
			);
		});
	});
}

#[test]
fn rewards_use_the_take_in_force() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 100 * UNIT));
		assert_ok!(Stake::increase_take(
			RuntimeOrigin::signed(OWNER),
			HOTKEY,
			Perbill::from_percent(18)
		));
		// Before the increase applies, the nominator (all the stake) keeps 90%.
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 100 * UNIT));
		assert_close(value(NOMINATOR, HOTKEY, NETUID), 190 * UNIT, 1);
		at(1 + TAKE_INCREASE_DELAY, || {
			assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 100 * UNIT));
		});
		// 190/200 of the 82% the stakers share after an 18% take.
		assert_close(value(NOMINATOR, HOTKEY, NETUID), 190 * UNIT + 779 * UNIT / 10, 2);
		check_invariants();
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
