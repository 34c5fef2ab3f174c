//! The registration burn: per-block decay, bump after registration, clamping, the max_burn guard.

use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::FixedU128;

use super::mock::*;
use crate::{pricing, Burn, Error};

#[test]
fn decay_factor_halves_over_one_half_life() {
	for half_life in [1u32, 2, 7, 10, 360, 7200] {
		let factor = pricing::decay_factor(half_life, half_life);
		let error = factor.into_inner().abs_diff(FixedU128::from_rational(1, 2).into_inner());
		assert!(error < 1_000_000, "h={half_life}: {factor:?}"); // 1e-12 relative
		let two = pricing::decay_factor(2 * half_life, half_life);
		let error = two.into_inner().abs_diff(FixedU128::from_rational(1, 4).into_inner());
		assert!(error < 1_000_000, "h={half_life}: {two:?}");
	}
	// One block of decay compounds to the half-life.
	let per_block = pricing::decay_factor(1, 360);
	let mut value = FixedU128::from_u32(1);
	for _ in 0..360 {
		value = value * per_block;
	}
	let error = value.into_inner().abs_diff(FixedU128::from_rational(1, 2).into_inner());
	assert!(error < 1_000_000_000, "{value:?}"); // 1e-9
											  // Zero half-life: no decay; huge elapsed: zero without panicking.
	assert_eq!(pricing::decay_factor(5, 0), FixedU128::from_u32(1));
	assert_eq!(pricing::decay_factor(u32::MAX, 1), FixedU128::from_u32(0));
}

#[test]
fn decay_is_monotone_and_bounded() {
	let mut previous = FixedU128::from_u32(2);
	for blocks in 0..1000 {
		let factor = pricing::decay_factor(blocks, 37);
		assert!(factor <= FixedU128::from_u32(1));
		assert!(factor < previous || blocks == 0);
		previous = factor;
	}
}

#[test]
fn burn_rises_after_registration_and_decays_every_block() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		assert_eq!(Burn::<Test>::get(netuid), UNIT);
		consent(BOB, 21);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, 21, UNIT));
		// ×200% after the registration.
		assert_eq!(Burn::<Test>::get(netuid), 2 * UNIT);
		consent(BOB, 22);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, 22, 2 * UNIT));
		assert_eq!(Burn::<Test>::get(netuid), 4 * UNIT);
		// Half-life is 10 blocks in the mock.
		run_to_block(11);
		let burn = Burn::<Test>::get(netuid);
		// Per-block rounding down loses at most a unit per block.
		assert!(burn.abs_diff(2 * UNIT) <= 10, "{burn}");
		// Never below min_burn.
		run_to_block(500);
		assert_eq!(Burn::<Test>::get(netuid), UNIT);
	});
}

#[test]
fn burn_is_clamped_to_max_burn() {
	assert_eq!(pricing::bumped_burn(80, 200, 1, 100), 100);
	assert_eq!(pricing::bumped_burn(10, 150, 1, 100), 15);
	assert_eq!(pricing::decayed_burn(1000, 0, 10, 1, 100), 100);
	assert_eq!(pricing::bumped_burn(u128::MAX, 1000, 1, u128::MAX), u128::MAX);
}

#[test]
fn registration_burns_exactly_the_price() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		let issuance = Balances::total_issuance();
		let before = Balances::free_balance(BOB);
		consent(BOB, 21);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, 21, UNIT));
		assert_eq!(Balances::free_balance(BOB), before - UNIT);
		assert_eq!(Balances::total_issuance(), issuance - UNIT);
	});
}

#[test]
fn max_burn_guard_rejects_a_higher_price_and_changes_nothing() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		consent(BOB, 21);
		assert_noop!(
			Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, 21, UNIT - 1),
			Error::<Test>::BurnAboveMax
		);
	});
}

#[test]
fn registration_without_funds_for_the_burn_fails() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		consent(POOR, 91);
		assert_noop!(
			Subnets::burned_register(RuntimeOrigin::signed(POOR), netuid, 91, u128::MAX),
			Error::<Test>::InsufficientBalance
		);
	});
}
