//! Governance calls: origins and errors.

use super::mock::*;
use crate::{Error, OwnerCut, Split, SplitMode};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{DispatchError, Perbill};

#[test]
fn only_governance_sets_the_split_mode() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Emission::set_split_mode(RuntimeOrigin::signed(OWNER), SplitMode::Equal),
			DispatchError::BadOrigin
		);
		assert_ok!(Emission::set_split_mode(RuntimeOrigin::root(), SplitMode::Equal));
		assert_eq!(Split::<Test>::get(), SplitMode::Equal);
	});
}

#[test]
fn owner_cuts_need_governance_and_an_existing_subnet() {
	new_test_ext().execute_with(|| {
		let cut = Perbill::from_percent(5);
		assert_noop!(
			Emission::set_owner_cut(RuntimeOrigin::signed(OWNER), NETUID, cut),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Emission::set_owner_cut(RuntimeOrigin::root(), 3, cut),
			Error::<Test>::SubnetNotFound
		);
		assert_ok!(Emission::set_owner_cut(RuntimeOrigin::root(), NETUID, cut));
		assert_eq!(OwnerCut::<Test>::get(NETUID), Some(cut));
		// Dissolving the subnet forgets it.
		assert_ok!(Subnets::dissolve_network(RuntimeOrigin::signed(OWNER), NETUID));
		assert_eq!(OwnerCut::<Test>::get(NETUID), None);
	});
}
