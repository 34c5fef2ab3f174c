//! Hyperparameters: owner vs governance, bounds, consistency, the owner's rate limit.

use frame_support::{assert_noop, assert_ok};

use super::mock::*;
use crate::{Burn, Error, Event, Hyperparameter, Hyperparams};

#[test]
fn owner_sets_an_owner_settable_parameter() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		let param = Hyperparameter::ImmunityPeriod(77);
		assert_ok!(Subnets::set_hyperparameter(
			RuntimeOrigin::signed(ALICE),
			netuid,
			param.clone()
		));
		assert_eq!(Hyperparams::<Test>::get(netuid).unwrap().immunity_period, 77);
		assert_eq!(last_event(), Event::HyperparameterSet { netuid, param });
	});
}

#[test]
fn every_variant_applies_to_its_own_field() {
	let base = myelin_primitives::SubnetHyperparams::default();
	let cases = [
		Hyperparameter::Tempo(7),
		Hyperparameter::Kappa(7),
		Hyperparameter::MaxAllowedUids(7),
		Hyperparameter::MaxAllowedValidators(7),
		Hyperparameter::ImmunityPeriod(7),
		Hyperparameter::MinAllowedWeights(7),
		Hyperparameter::MaxWeightsLimit(7),
		Hyperparameter::WeightsSetRateLimit(7),
		Hyperparameter::WeightsVersionKey(7),
		Hyperparameter::ActivityCutoff(7),
		Hyperparameter::BondsMovingAverage(7),
		Hyperparameter::CommitRevealEnabled(true),
		Hyperparameter::RevealPeriod(7),
		Hyperparameter::MinBurn(7),
		Hyperparameter::MaxBurn(7),
		Hyperparameter::BurnHalfLife(7),
		Hyperparameter::BurnIncreaseMult(7),
		Hyperparameter::ServingRateLimit(7),
	];
	let mut kinds = std::collections::BTreeSet::new();
	for param in cases {
		let changed = param.apply(base.clone());
		assert_ne!(changed, base, "{param:?} changes something");
		assert!(kinds.insert(param.kind()), "{param:?} has its own kind");
	}
}

#[test]
fn governance_only_parameters_are_refused_to_the_owner() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		for param in
			[Hyperparameter::Tempo(5), Hyperparameter::Kappa(5), Hyperparameter::MaxAllowedUids(8)]
		{
			assert_noop!(
				Subnets::set_hyperparameter(RuntimeOrigin::signed(ALICE), netuid, param.clone()),
				Error::<Test>::NotOwnerSettable
			);
			assert_ok!(Subnets::set_hyperparameter(RuntimeOrigin::root(), netuid, param));
		}
		let params = Hyperparams::<Test>::get(netuid).unwrap();
		assert_eq!((params.tempo, params.kappa, params.max_allowed_uids), (5, 5, 8));
	});
}

#[test]
fn others_cannot_set_parameters() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		assert_noop!(
			Subnets::set_hyperparameter(
				RuntimeOrigin::signed(BOB),
				netuid,
				Hyperparameter::ImmunityPeriod(1)
			),
			Error::<Test>::NotSubnetOwner
		);
		assert_noop!(
			Subnets::set_hyperparameter(
				RuntimeOrigin::root(),
				9,
				Hyperparameter::ImmunityPeriod(1)
			),
			Error::<Test>::SubnetNotFound
		);
	});
}

#[test]
fn out_of_bounds_and_inconsistent_values_are_rejected() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		assert_noop!(
			Subnets::set_hyperparameter(RuntimeOrigin::root(), netuid, Hyperparameter::Tempo(0)),
			Error::<Test>::HyperparameterOutOfBounds
		);
		assert_noop!(
			Subnets::set_hyperparameter(
				RuntimeOrigin::root(),
				netuid,
				Hyperparameter::MaxAllowedUids(4097)
			),
			Error::<Test>::HyperparameterOutOfBounds
		);
		assert_noop!(
			Subnets::set_hyperparameter(
				RuntimeOrigin::signed(ALICE),
				netuid,
				Hyperparameter::MinBurn(200 * UNIT)
			),
			Error::<Test>::HyperparametersInconsistent
		);
		assert_noop!(
			Subnets::set_hyperparameter(
				RuntimeOrigin::signed(ALICE),
				netuid,
				Hyperparameter::MaxAllowedValidators(5)
			),
			Error::<Test>::HyperparametersInconsistent
		);
	});
}

#[test]
fn max_allowed_uids_cannot_drop_below_the_neuron_count() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		consent(BOB, 21);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, 21, u128::MAX));
		assert_ok!(Subnets::set_hyperparameter(
			RuntimeOrigin::root(),
			netuid,
			Hyperparameter::MaxAllowedValidators(1)
		));
		assert_noop!(
			Subnets::set_hyperparameter(
				RuntimeOrigin::root(),
				netuid,
				Hyperparameter::MaxAllowedUids(1)
			),
			Error::<Test>::HyperparametersInconsistent
		);
		assert_ok!(Subnets::set_hyperparameter(
			RuntimeOrigin::root(),
			netuid,
			Hyperparameter::MaxAllowedUids(2)
		));
	});
}

#[test]
fn the_owner_is_rate_limited_per_parameter_but_governance_is_not() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		assert_ok!(Subnets::set_hyperparameter(
			RuntimeOrigin::signed(ALICE),
			netuid,
			Hyperparameter::ImmunityPeriod(5)
		));
		assert_noop!(
			Subnets::set_hyperparameter(
				RuntimeOrigin::signed(ALICE),
				netuid,
				Hyperparameter::ImmunityPeriod(6)
			),
			Error::<Test>::HyperparameterRateLimitExceeded
		);
		// Another parameter has its own limit.
		assert_ok!(Subnets::set_hyperparameter(
			RuntimeOrigin::signed(ALICE),
			netuid,
			Hyperparameter::ServingRateLimit(3)
		));
		// Governance is not limited.
		assert_ok!(Subnets::set_hyperparameter(
			RuntimeOrigin::root(),
			netuid,
			Hyperparameter::ImmunityPeriod(6)
		));
		run_to_block(1 + PARAM_RATE_LIMIT as u64);
		assert_ok!(Subnets::set_hyperparameter(
			RuntimeOrigin::signed(ALICE),
			netuid,
			Hyperparameter::ImmunityPeriod(7)
		));
	});
}

#[test]
fn a_new_burn_range_clamps_the_current_price() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		assert_eq!(Burn::<Test>::get(netuid), UNIT);
		assert_ok!(Subnets::set_hyperparameter(
			RuntimeOrigin::signed(ALICE),
			netuid,
			Hyperparameter::MinBurn(3 * UNIT)
		));
		assert_eq!(Burn::<Test>::get(netuid), 3 * UNIT);
	});
}
