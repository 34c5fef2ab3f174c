//! What the pallet stores besides the shared task and round types: the miners' submissions.

use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{traits::Get, BoundedVec};
use myelin_primitives::BlockNumber;
use scale_info::TypeInfo;

pub use myelin_primitives::inference::{RoundIndex, RoundInfo, TaskSpec, PPM};

/// One output: a quantized embedding.
pub type Output<MaxDimensions> = BoundedVec<i8, MaxDimensions>;

/// A miner's answer to one round.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxInputs, MaxDimensions))]
pub struct Submission<MaxInputs: Get<u32>, MaxDimensions: Get<u32>> {
	/// `blake2_256(SCALE(hotkey, netuid, round, outputs, salt))`.
	pub hash: [u8; 32],
	/// The block that included the commit: how fast the miner answered.
	pub commit_block: BlockNumber,
	/// The revealed outputs, one per challenge input; empty until revealed.
	pub outputs: BoundedVec<Output<MaxDimensions>, MaxInputs>,
	/// Whether the outputs were revealed.
	pub revealed: bool,
}
