//! Setting and removing a subnet's task.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

use super::mock::*;
use crate::{Error, Event, TaskSpecs};

#[test]
fn owner_and_governance_set_the_task() {
	new_test_ext().execute_with(|| {
		assert_ok!(Inference::set_task_spec(RuntimeOrigin::signed(OWNER), NETUID, spec()));
		assert_eq!(TaskSpecs::<Test>::get(NETUID), Some(spec()));
		System::assert_last_event(Event::TaskSpecSet { netuid: NETUID, spec: spec() }.into());

		let slower = crate::TaskSpec { interval: 12, ..spec() };
		assert_ok!(Inference::set_task_spec(RuntimeOrigin::root(), NETUID, slower));
		assert_eq!(TaskSpecs::<Test>::get(NETUID), Some(slower));
	});
}

#[test]
fn others_cannot_set_the_task() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Inference::set_task_spec(RuntimeOrigin::signed(1), NETUID, spec()),
			Error::<Test>::NotSubnetOwner
		);
		assert_noop!(
			Inference::set_task_spec(RuntimeOrigin::none(), NETUID, spec()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Inference::remove_task_spec(RuntimeOrigin::signed(1), NETUID),
			Error::<Test>::NotSubnetOwner
		);
	});
}

#[test]
fn unknown_subnet_is_rejected() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Inference::set_task_spec(RuntimeOrigin::signed(OWNER), 9, spec()),
			Error::<Test>::SubnetNotFound
		);
		assert_noop!(
			Inference::remove_task_spec(RuntimeOrigin::root(), 9),
			Error::<Test>::SubnetNotFound
		);
	});
}

#[test]
fn invalid_specs_are_rejected() {
	let base = spec();
	let invalid = [
		crate::TaskSpec { inputs_per_round: 0, ..base },
		crate::TaskSpec { inputs_per_round: 17, ..base },
		crate::TaskSpec { dimensions: 0, ..base },
		crate::TaskSpec { dimensions: 1025, ..base },
		crate::TaskSpec { commit_window: 0, ..base },
		crate::TaskSpec { reveal_window: 0, ..base },
		crate::TaskSpec { commit_window: 4, reveal_window: 3, ..base },
		crate::TaskSpec { commit_window: u32::MAX, ..base },
		crate::TaskSpec { interval: 0, ..base },
		crate::TaskSpec { score_threshold: 1_000_001, ..base },
		crate::TaskSpec { speed_weight: 1_000_001, ..base },
		crate::TaskSpec { audit_rate: 1_000_001, ..base },
	];
	new_test_ext().execute_with(|| {
		for bad in invalid {
			assert_noop!(
				Inference::set_task_spec(RuntimeOrigin::signed(OWNER), NETUID, bad),
				Error::<Test>::InvalidTaskSpec
			);
		}
		// The edges are valid: windows filling the interval, threshold, weight and audit rate of exactly 1.
		let edge = crate::TaskSpec {
			commit_window: 4,
			reveal_window: 2,
			score_threshold: 1_000_000,
			speed_weight: 1_000_000,
			audit_rate: 1_000_000,
			inputs_per_round: 16,
			dimensions: 1024,
			..base
		};
		assert_ok!(Inference::set_task_spec(RuntimeOrigin::signed(OWNER), NETUID, edge));
	});
}

#[test]
fn removing_the_task_stops_rounds() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Inference::remove_task_spec(RuntimeOrigin::signed(OWNER), NETUID),
			Error::<Test>::NoTaskSpec
		);
		assert_ok!(Inference::set_task_spec(RuntimeOrigin::signed(OWNER), NETUID, spec()));
		run_to(5);
		assert_eq!(round().index, 1);
		assert_ok!(Inference::remove_task_spec(RuntimeOrigin::signed(OWNER), NETUID));
		System::assert_last_event(Event::TaskSpecRemoved { netuid: NETUID }.into());
		run_to(20);
		assert_eq!(round().index, 1, "no round starts without a task");
	});
}
