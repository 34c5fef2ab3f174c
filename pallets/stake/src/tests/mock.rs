//! The shared economic test runtime with one subnet, and helpers to read positions.

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
/// The subnet of genesis.
pub const NETUID: myelin_primitives::NetUid = 1;
pub const FUNDS: Balance = 1_000 * UNIT;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut ext = test_ext((1..=9).map(|who| (who, FUNDS)).collect(), vec![(OWNER, HOTKEY, 10)]);
	ext.execute_with(|| {
		pallet_subnets::Hyperparams::<Test>::mutate(1, |params| {
			if let Some(params) = params {
				params.max_allowed_validators = 2;
			}
		});
	});
	ext
}

/// Registers `hotkey` for `coldkey` on `netuid`.
pub fn register_hotkey(coldkey: AccountId, netuid: myelin_primitives::NetUid, hotkey: AccountId) {
	consent(coldkey, hotkey);
	frame_support::assert_ok!(Subnets::burned_register(
		RuntimeOrigin::signed(coldkey),
		netuid,
		hotkey,
		u128::MAX
	));
}

/// A second subnet, owned by OTHER with hotkey 300, on which HOTKEY is registered too.
pub fn second_subnet() -> myelin_primitives::NetUid {
	let netuid = new_subnet(OTHER, 300);
	register_hotkey(OWNER, netuid, HOTKEY);
	netuid
}

/// What `coldkey`'s position on (`hotkey`, `netuid`) is worth.
pub fn value(coldkey: AccountId, hotkey: AccountId, netuid: myelin_primitives::NetUid) -> Balance {
	Stake::position_view(&coldkey, hotkey, netuid).map(|p| p.value).unwrap_or_default()
}

/// `coldkey`'s principal on (`hotkey`, `netuid`).
pub fn principal(
	coldkey: AccountId,
	hotkey: AccountId,
	netuid: myelin_primitives::NetUid,
) -> Balance {
	Stake::position_view(&coldkey, hotkey, netuid).map(|p| p.principal).unwrap_or_default()
}

/// Total issuance plus what the pools owe: the supply that stake flows must conserve.
pub fn supply() -> Balance {
	Balances::total_issuance() + crate::TotalOwed::<Test>::get()
}

/// `a` and `b` differ by at most `planck` (share rounding).
#[track_caller]
pub fn assert_close(a: Balance, b: Balance, planck: Balance) {
	assert!(a.abs_diff(b) <= planck, "{a} and {b} differ by more than {planck}");
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
