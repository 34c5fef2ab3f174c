//! Validator permits through StakeInfo: top-k by hotkey stake on the real subnets pallet.

use frame_support::assert_ok;
use myelin_primitives::StakeInfo;

use super::mock::*;

#[test]
fn permits_follow_stake_with_stable_ties() {
	new_test_ext().execute_with(|| {
		// UIDs: 0 = HOTKEY (genesis), 1 = 201, 2 = 202, 3 = 203; max_allowed_validators = 2.
		for hotkey in [201, 202, 203] {
			register_hotkey(OTHER, hotkey);
		}
		assert_eq!(Stake::validator_permits(1), vec![false; 4], "no stake, no permit");

		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), 202, 5 * UNIT));
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), 203, 5 * UNIT));
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(OWNER), HOTKEY, 2 * UNIT));
		assert_eq!(Stake::validator_permits(1), vec![false, false, true, true]);

		// More stake on 201 pushes out the higher-UID of the tied pair.
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(OTHER), 201, 7 * UNIT));
		assert_eq!(Stake::validator_permits(1), vec![false, true, true, false]);
		assert!(Stake::validator_permits(9).is_empty(), "unknown subnet");
	});
}
