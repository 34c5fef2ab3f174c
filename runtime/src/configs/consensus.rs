//! Block production and finality: timestamp, Aura, GRANDPA.

use frame_support::traits::{ConstBool, ConstU32, ConstU64};
use myelin_primitives::time::SLOT_DURATION;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;

use crate::{Aura, Runtime, RuntimeEvent};

/// Most block authors, for Aura and GRANDPA alike (both hold the same authority set).
pub type MaxAuthorities = ConstU32<32>;

/// Aura: round-robin block authoring, one slot per block.
impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = MaxAuthorities;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

/// GRANDPA: finality gadget. Equivocation reporting needs sessions and offences, which a small
/// fixed-authority chain does not run; reports are therefore not accepted.
impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

/// Timestamp: set by the block author's inherent; Aura derives the slot from it.
impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}
