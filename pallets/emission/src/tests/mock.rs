//! The shared economic test runtime, Yuma paying through this pallet.

use myelin_primitives::NetUid;

use crate as pallet_emission;

myelin_test_runtime::economic_runtime!(payout: Emission);

pub const TEMPO: u16 = 10;
/// The test cap (2,000,000 units), small enough that tests cross halvings.
pub use crate::config_preludes::TEST_SUPPLY_CAP as CAP;
/// Funds of each of the 20 genesis coldkeys.
pub const FUNDS: Balance = 10_000 * UNIT;

/// Subnet 1: owner coldkey 1 with hotkey 101 at UID 0. Coldkeys 1..=20 hold `FUNDS`.
pub const OWNER: AccountId = 1;
pub const NETUID: NetUid = 1;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let ext = test_ext((1..=20).map(|who| (who, FUNDS)).collect(), vec![(OWNER, 101, TEMPO)]);
	MaxEpochs::set(4);
	MaxSubnets::set(4);
	ext
}

pub fn set_weights(hotkey: AccountId, netuid: NetUid, uids: Vec<u16>, values: Vec<u16>) {
	frame_support::assert_ok!(Yuma::set_weights(
		RuntimeOrigin::signed(hotkey),
		netuid,
		uids,
		values,
		0
	));
}

pub fn events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Emission(e) = r.event { Some(e) } else { None })
		.collect()
}

pub fn total_issuance() -> Balance {
	<Balances as frame_support::traits::fungible::Inspect<AccountId>>::total_issuance()
}

/// Rewards the stake pools owe (credited, not minted).
pub fn owed() -> Balance {
	<Stake as myelin_primitives::StakeInfo<AccountId, Balance>>::owed()
}

/// Stake behind `hotkey` on `netuid`.
pub fn stake_on(netuid: NetUid, hotkey: AccountId) -> Balance {
	<Stake as myelin_primitives::StakeInfo<AccountId, Balance>>::stake_on(netuid, &hotkey)
}

pub fn free(who: AccountId) -> Balance {
	<Balances as frame_support::traits::fungible::Inspect<AccountId>>::balance(&who)
}

/// Tokens burned by registrations so far (from the subnets pallet's events).
pub fn burned() -> Balance {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Subnets(pallet_subnets::Event::NeuronRegistered { burned, .. }) => {
				Some(burned)
			}
			_ => None,
		})
		.sum()
}
