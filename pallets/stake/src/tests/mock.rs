//! The shared economic test runtime, with this pallet's tight bounds: three nominators per
//! hotkey, three hotkeys per coldkey.

use crate as pallet_stake;

myelin_test_runtime::economic_runtime!(payout: Emission);

pub use crate::config_preludes::{
	TEST_MIN_STAKE as MIN_STAKE, TEST_TAKE_INCREASE_DELAY as TAKE_INCREASE_DELAY,
};

/// Coldkeys 1..=9 hold 1,000 units each.
pub const OWNER: AccountId = 1;
pub const NOMINATOR: AccountId = 2;
pub const OTHER: AccountId = 3;
/// Hotkey 100 (owned by OWNER) is registered on subnet 1 at UID 0.
pub const HOTKEY: AccountId = 100;
pub const FUNDS: Balance = 1_000 * UNIT;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut ext = test_ext((1..=9).map(|who| (who, FUNDS)).collect(), vec![(OWNER, HOTKEY, 10)]);
	MaxNominators::set(3);
	MaxStakedHotkeys::set(3);
	ext.execute_with(|| {
		pallet_subnets::Hyperparams::<Test>::mutate(1, |params| {
			if let Some(params) = params {
				params.max_allowed_validators = 2;
			}
		});
	});
	ext
}

/// Registers `hotkey` for `coldkey` on subnet 1.
pub fn register_hotkey(coldkey: AccountId, hotkey: AccountId) {
	frame_support::assert_ok!(Subnets::burned_register(
		RuntimeOrigin::signed(coldkey),
		1,
		hotkey,
		u128::MAX
	));
}

pub fn last_event() -> crate::Event<Test> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Stake(e) = r.event { Some(e) } else { None })
		.next_back()
		.expect("an event")
}

pub fn held(who: AccountId) -> Balance {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&crate::HoldReason::Staked.into(), &who)
}
