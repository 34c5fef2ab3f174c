//! Token-holder governance: referenda on two tracks decided by conviction voting, the scheduler
//! that enacts passed proposals, and preimages that hold the proposals' calls.
//!
//! | track | id | dispatches as | for | decision deposit | periods (production / dev) |
//! |---|---|---|---|---|---|
//! | `root` | 0 | Root | any call, runtime upgrades (`system.set_code`, `authorize_upgrade`), removing sudo | 10,000 MYL | prepare 2 h / 2 blocks, decide 14 d / 20 blocks, confirm 1 d / 3 blocks, enact ≥ 1 d / 1 block |
//! | `subnet-params` | 1 | `Governance::SubnetParams` | hyperparameters, subnet limit, emission split and owner cuts | 100 MYL | prepare 1 h / 2 blocks, decide 3 d / 10 blocks, confirm 3 h / 2 blocks, enact ≥ 1 h / 1 block |
//!
//! The dev timing is chosen by the governance pallet's genesis config (`Timing::Fast` in the
//! development preset). `root` asks for a high support (ayes without conviction over total
//! issuance: from 50% down to 10% over the decision period) and approval (from 100% down to
//! 60%); `subnet-params` from 25% down to 5% support and 100% down to 50% approval.
//!
//! Votes lock tokens with a freeze, and freezes overlap holds, so staked tokens can vote.

use alloc::borrow::Cow;
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration, ConstU32, EitherOf, EqualPrivilegeOnly, Get,
		LinearStoragePrice, OriginTrait, TotalIssuanceOf,
	},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureSigned};
use myelin_primitives::{
	time::{DAYS, HOURS},
	units::{MICRO_MYL, MYL},
};
use pallet_governance::Timing;
use pallet_referenda::{Curve, Track, TrackInfo};
use sp_runtime::{str_array, Perbill};

use super::system::RuntimeBlockWeights;
use crate::{
	AccountId, Balance, Balances, BlockNumber, OriginCaller, Preimage, Referenda, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler, System,
};

/// Who may set subnet hyperparameters and emission policy: Root (a `root` referendum, or sudo
/// on dev chains) or a passed `subnet-params` referendum.
pub type SubnetsGovernance = EitherOf<EnsureRoot<AccountId>, pallet_governance::EnsureSubnetParams>;

impl pallet_governance::Config for Runtime {}

parameter_types! {
	/// Scheduled (enacted) calls may use up to 80% of a block.
	pub MaximumSchedulerWeight: Weight =
		RuntimeBlockWeights::get().max_block.checked_div(5).unwrap_or_default().saturating_mul(4);
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

parameter_types! {
	/// Deposit for noting a preimage: 1 MYL plus 10 µMYL per byte (a 1 MiB runtime: ~11.5 MYL).
	pub const PreimageBaseDeposit: Balance = MYL;
	pub const PreimageByteDeposit: Balance = 10 * MICRO_MYL;
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

/// A period in blocks under the chain's [`Timing`].
fn period(production: BlockNumber, fast: BlockNumber) -> BlockNumber {
	match pallet_governance::Pallet::<Runtime>::timing() {
		Timing::Production => production,
		Timing::Fast => fast,
	}
}

/// How long a vote's lock lasts per conviction step: 7 days (2 blocks on dev chains).
pub struct VoteLockingPeriod;
impl Get<BlockNumber> for VoteLockingPeriod {
	fn get() -> BlockNumber {
		period(7 * DAYS, 2)
	}
}

/// How long a submitted referendum may wait for its decision deposit: 14 days (30 blocks).
pub struct UndecidingTimeout;
impl Get<BlockNumber> for UndecidingTimeout {
	fn get() -> BlockNumber {
		period(14 * DAYS, 30)
	}
}

impl pallet_conviction_voting::Config for Runtime {
	type WeightInfo = pallet_conviction_voting::weights::SubstrateWeight<Runtime>;
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type VoteLockingPeriod = VoteLockingPeriod;
	type MaxVotes = ConstU32<256>;
	type MaxTurnout = TotalIssuanceOf<Balances, AccountId>;
	type Polls = Referenda;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

/// Id of the `root` track.
pub const ROOT_TRACK: u16 = 0;
/// Id of the `subnet-params` track.
pub const SUBNET_PARAMS_TRACK: u16 = 1;

/// Myelin's referendum tracks.
pub struct Tracks;

impl pallet_referenda::TracksInfo<Balance, BlockNumber> for Tracks {
	type Id = u16;
	type RuntimeOrigin = <RuntimeOrigin as OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<u16, Balance, BlockNumber>>> {
		let root = Track {
			id: ROOT_TRACK,
			info: TrackInfo {
				name: str_array("root"),
				max_deciding: 1,
				decision_deposit: 10_000 * MYL,
				prepare_period: period(2 * HOURS, 2),
				decision_period: period(14 * DAYS, 20),
				confirm_period: period(DAYS, 3),
				min_enactment_period: period(DAYS, 1),
				min_approval: Curve::LinearDecreasing {
					length: Perbill::from_percent(100),
					floor: Perbill::from_percent(60),
					ceil: Perbill::from_percent(100),
				},
				min_support: Curve::LinearDecreasing {
					length: Perbill::from_percent(100),
					floor: Perbill::from_percent(10),
					ceil: Perbill::from_percent(50),
				},
			},
		};
		let subnet_params = Track {
			id: SUBNET_PARAMS_TRACK,
			info: TrackInfo {
				name: str_array("subnet-params"),
				max_deciding: 10,
				decision_deposit: 100 * MYL,
				prepare_period: period(HOURS, 2),
				decision_period: period(3 * DAYS, 10),
				confirm_period: period(3 * HOURS, 2),
				min_enactment_period: period(HOURS, 1),
				min_approval: Curve::LinearDecreasing {
					length: Perbill::from_percent(100),
					floor: Perbill::from_percent(50),
					ceil: Perbill::from_percent(100),
				},
				min_support: Curve::LinearDecreasing {
					length: Perbill::from_percent(100),
					floor: Perbill::from_percent(5),
					ceil: Perbill::from_percent(25),
				},
			},
		};
		[Cow::Owned(root), Cow::Owned(subnet_params)].into_iter()
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<u16, ()> {
		match origin {
			OriginCaller::system(frame_system::RawOrigin::Root) => Ok(ROOT_TRACK),
			OriginCaller::Governance(pallet_governance::Origin::SubnetParams) => {
				Ok(SUBNET_PARAMS_TRACK)
			}
			_ => Err(()),
		}
	}
}

impl pallet_referenda::Config for Runtime {
	type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = EnsureSigned<AccountId>;
	type CancelOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	/// Slashed deposits are burned.
	type Slash = ();
	type Votes = Balance;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	/// Deposit for submitting a referendum (returned unless it is killed).
	type SubmissionDeposit = frame_support::traits::ConstU128<{ 10 * MYL }>;
	type MaxQueued = ConstU32<20>;
	type UndecidingTimeout = UndecidingTimeout;
	type AlarmInterval = ConstU32<1>;
	type Tracks = Tracks;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}
