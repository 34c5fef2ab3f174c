//! The shared economic test runtime, with Yuma's payouts recorded instead of paid.

use core::cell::RefCell;
use myelin_primitives::{Balance as MyelinBalance, EpochPayout, NetUid, Uid};
use myelin_yuma::EpochOutput;

use crate as pallet_yuma;

myelin_test_runtime::economic_runtime!(payout: RecordingPayout);

pub const TEMPO: u16 = 10;

thread_local! {
	/// Every epoch handed to the payout: (netuid, output, permitted stake).
	pub static PAID: RefCell<Vec<(NetUid, EpochOutput, MyelinBalance)>> = const { RefCell::new(Vec::new()) };
}

/// Records each epoch; each UID's emission is its incentive plus dividends (in u16 units).
pub struct RecordingPayout;
impl EpochPayout<AccountId> for RecordingPayout {
	fn pay_epoch(
		netuid: NetUid,
		hotkeys: &[AccountId],
		output: &EpochOutput,
		permitted_stake: MyelinBalance,
	) -> Vec<u64> {
		PAID.with(|p| p.borrow_mut().push((netuid, output.clone(), permitted_stake)));
		(0..hotkeys.len())
			.map(|uid| u64::from(output.incentive[uid]) + u64::from(output.dividends[uid]))
			.collect()
	}
}

/// Subnet 1 (owner coldkey 1, hotkey 101 at UID 0) exists; coldkeys 1..=20 are funded.
pub const OWNER: AccountId = 1;
pub const NETUID: NetUid = 1;

pub fn new_test_ext() -> sp_io::TestExternalities {
	PAID.with(|p| p.borrow_mut().clear());
	let balances = (1..=20).map(|who| (who, 1_000_000 * UNIT)).collect();
	test_ext(balances, vec![(OWNER, 100 + OWNER, TEMPO)])
}

pub fn events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Yuma(e) = r.event { Some(e) } else { None })
		.collect()
}

pub fn paid() -> Vec<(NetUid, EpochOutput, MyelinBalance)> {
	PAID.with(|p| p.borrow().clone())
}

/// Gives UID `uid` of `netuid` a validator permit, as an epoch would.
pub fn grant_permit(netuid: NetUid, uid: Uid) {
	crate::Metrics::<Test>::mutate(netuid, |metrics| {
		let metric = crate::NeuronMetric { validator_permit: true, ..metrics.get(uid) };
		metrics.set(uid, metric);
	});
}
