//! # Inference pallet
//!
//! Myelin's AI subnets: the chain challenges miners to run a subnet's model, miners answer with
//! commit-reveal, and validators score the answers into weights. Inference itself happens in the
//! nodes' off-chain workers, never in block execution.
//!
//! ## Task and rounds
//! A subnet's owner (or governance) sets its [`TaskSpec`] with [`Pallet::set_task_spec`]: the
//! model (sha256 of its weights), the inputs per round K, the output width, the challenge
//! interval, the commit and reveal windows, the score threshold τ and the speed weight.
//!
//! Every `interval` blocks (staggered by netuid: subnet `s` starts a round when
//! `(block + s) % interval == 0`), [`Hooks::on_initialize`] starts a round with the seed
//! `blake2_256(parent_hash ‖ netuid ‖ round)`. Each miner's challenge seed is
//! `blake2_256(round seed ‖ hotkey)` ([`challenge_seed`]), so no two miners answer the same
//! inputs and copying an answer fails. The K inputs are expanded from that seed by the node's
//! inference host functions, so the runtime only handles seeds.
//!
//! ## Commit and reveal
//! Within the commit window (`start ..start + commit_window`) a registered hotkey commits
//! `blake2_256(SCALE(hotkey, netuid, round, outputs, salt))` ([`outputs_hash`]) with
//! [`Pallet::commit_outputs`]; the commit's block is its speed. In the reveal window that follows
//! it reveals the K outputs and the salt with [`Pallet::reveal_outputs`], which checks the
//! window, the registration, the sizes and the hash. After the reveal window, validators score.
//!
//! Rounds older than `RoundsKept` are pruned, at most `MaxPrunedPerBlock` submissions per block,
//! so storage stays bounded by subnets × kept rounds × registered hotkeys.
//!
//! ## Off-chain workers
//! [`offchain`] holds the miner and validator workers. A node acts for the hotkeys in its
//! keystore: miner hotkeys (key type [`crypto::MINER_KEY_TYPE`]) compute, commit and reveal;
//! validator hotkeys ([`crypto::VALIDATOR_KEY_TYPE`]) with a validator permit recompute the
//! references, score quality (mean cosine ≥ τ) × speed, keep an exponential moving average per
//! miner in off-chain storage and set weights (with commit-reveal when the subnet uses it).

#![warn(missing_docs)]
#![cfg_attr(not(test), warn(unused_crate_dependencies))]
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod crypto;
mod impls;
pub mod migrations;
pub mod offchain;
mod rounds;
#[cfg(test)]
mod tests;
mod traits;
mod types;
pub mod weights;

pub use rounds::{challenge_seed, outputs_hash};
pub use traits::WeightCalls;
pub use types::{Output, RoundIndex, RoundInfo, Submission, TaskSpec, PPM};
pub use weights::WeightInfo;

use myelin_primitives::{NetUid, SubnetInfo, ValidatorStatus};

/// Sets up what the benchmarks need from other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Creates a subnet with `n` registered hotkeys; returns its netuid, owner and hotkeys.
	fn subnet_with_neurons(n: u16) -> (NetUid, AccountId, alloc::vec::Vec<AccountId>);
}

/// A submission as stored by a runtime with this pallet's bounds.
pub type SubmissionOf<T> = Submission<<T as Config>::MaxInputs, <T as Config>::MaxDimensions>;

// The FRAME macros expand to code that trips the runtime deny-lints; the pallet module holds
// only declarations and thin call wrappers, and the logic lives in sibling modules where the
// lints apply.
#[allow(
	clippy::expect_used,
	clippy::unwrap_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::pallet_prelude::*;
	use frame_system::{
		offchain::{AppCrypto, CreateSignedTransaction},
		pallet_prelude::*,
	};
	use sp_core::H256;

	/// 2: `MinerTestModes` added (absent reads as false: miners honest). No migration: a chain
	/// that allowed test modes sets it at genesis.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Default configurations of this pallet.
	pub mod config_preludes {
		use super::*;
		use frame_support::derive_impl;
		use frame_support::traits::ConstU32;

		/// The configuration test runtimes start from: small bounds, no rate limits, nothing
		/// that depends on other pallets (those items have no default).
		pub struct TestDefaultConfig;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			type GovernanceOrigin = frame_system::EnsureRoot<Self::AccountId>;
			type MaxInputs = ConstU32<16>;
			type MaxDimensions = ConstU32<1024>;
			type RoundsKept = ConstU32<3>;
			type MaxPrunedPerBlock = ConstU32<5>;
			type MaxPendingPrunes = ConstU32<4>;
			type MinersScoredPerRun = ConstU32<2>;
			type WeightInfo = ();
		}
	}

	#[pallet::config(with_default)]
	pub trait Config:
		CreateSignedTransaction<<Self as frame_system::Config>::RuntimeCall>
		+ frame_system::Config<RuntimeEvent: From<Event<Self>>, RuntimeCall: From<Call<Self>>>
	{
		/// Subnets, their owners and neurons.
		#[pallet::no_default]
		type Subnets: SubnetInfo<Self::AccountId>;

		/// May set or remove any subnet's task, besides its owner (Root in the runtime: an
		/// override replaces the work of every miner on the subnet).
		#[pallet::no_default_bounds]
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Validator permits and last weight updates, for the validator off-chain worker.
		#[pallet::no_default]
		type ValidatorStatus: ValidatorStatus;

		/// The weight calls the validator off-chain worker submits.
		#[pallet::no_default]
		type WeightCalls: WeightCalls<Self::AccountId, <Self as frame_system::Config>::RuntimeCall>;

		/// Miner hotkeys in the node's keystore.
		#[pallet::no_default]
		type MinerKey: AppCrypto<Self::Public, Self::Signature>;

		/// Validator hotkeys in the node's keystore.
		#[pallet::no_default]
		type ValidatorKey: AppCrypto<Self::Public, Self::Signature>;

		/// Most challenge inputs per round (bound of `inputs_per_round`).
		#[pallet::constant]
		type MaxInputs: Get<u32>;

		/// Widest output (bound of `dimensions`).
		#[pallet::constant]
		type MaxDimensions: Get<u32>;

		/// Rounds of each subnet kept on chain (the current one included) for validators to
		/// score; older ones are pruned. At least 2.
		#[pallet::constant]
		type RoundsKept: Get<u32>;

		/// Most submissions pruned in one block; the rest wait for the next blocks.
		#[pallet::constant]
		type MaxPrunedPerBlock: Get<u32>;

		/// Most rounds waiting to be pruned (bound of the prune queue).
		#[pallet::constant]
		type MaxPendingPrunes: Get<u32>;

		/// Miners whose answers a validator's off-chain worker scores in one run (each takes
		/// `inputs_per_round` embeddings): bounds a run's time and memory; a larger round is
		/// finished by the next runs. At least 1.
		#[pallet::constant]
		type MinersScoredPerRun: Get<u32>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;

		/// Sets up subnets for the benchmarks.
		#[pallet::no_default]
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Each subnet's task; subnets without one run no rounds.
	#[pallet::storage]
	pub type TaskSpecs<T: Config> = StorageMap<_, Twox64Concat, NetUid, TaskSpec, OptionQuery>;

	/// Each subnet's current round.
	#[pallet::storage]
	pub type CurrentRound<T: Config> = StorageMap<_, Twox64Concat, NetUid, RoundInfo, OptionQuery>;

	/// The rounds kept for scoring (the current one and up to `RoundsKept - 1` before it).
	#[pallet::storage]
	pub type Rounds<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Twox64Concat, RoundIndex, RoundInfo, OptionQuery>;

	/// Miners' commits and reveals, by round and hotkey.
	#[pallet::storage]
	pub type Submissions<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		(NetUid, RoundIndex),
		Blake2_128Concat,
		T::AccountId,
		SubmissionOf<T>,
		OptionQuery,
	>;

	/// Rounds dropped from [`Rounds`] whose submissions are still being removed, oldest first.
	#[pallet::storage]
	pub type PruneQueue<T: Config> =
		StorageValue<_, BoundedVec<(NetUid, RoundIndex), T::MaxPendingPrunes>, ValueQuery>;

	/// Whether this chain is a test network whose miners may misbehave on purpose
	/// ([`offchain::modes`]): set at genesis only, false unless the chain's genesis says so. On
	/// any other chain the off-chain workers ignore a stored miner mode and answer honestly.
	#[pallet::storage]
	pub type MinerTestModes<T: Config> = StorageValue<_, bool, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Allows the miner test modes (`--miner-mode`) on this chain: development and local
		/// test networks only.
		pub miner_test_modes: bool,
		/// Binds the configuration type.
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			MinerTestModes::<T>::put(self.miner_test_modes);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A subnet's task was set; rounds use it from the next round on.
		TaskSpecSet {
			/// The subnet.
			netuid: NetUid,
			/// Its task now.
			spec: TaskSpec,
		},
		/// A subnet's task was removed; it runs no more rounds.
		TaskSpecRemoved {
			/// The subnet.
			netuid: NetUid,
		},
		/// A challenge round started.
		RoundStarted {
			/// The subnet.
			netuid: NetUid,
			/// The round's index.
			round: RoundIndex,
			/// The round seed every miner's challenge derives from.
			seed: [u8; 32],
		},
		/// A miner committed to its outputs for a round.
		OutputsCommitted {
			/// The subnet.
			netuid: NetUid,
			/// The round.
			round: RoundIndex,
			/// The miner's hotkey.
			hotkey: T::AccountId,
			/// The commit hash.
			hash: H256,
		},
		/// A miner revealed its outputs for a round.
		OutputsRevealed {
			/// The subnet.
			netuid: NetUid,
			/// The round.
			round: RoundIndex,
			/// The miner's hotkey.
			hotkey: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No subnet with this id.
		SubnetNotFound,
		/// Only the subnet's owner (or governance) may change its task.
		NotSubnetOwner,
		/// The task spec is out of bounds (see [`TaskSpec::is_valid`]).
		InvalidTaskSpec,
		/// The subnet has no task.
		NoTaskSpec,
		/// The hotkey is not registered on this subnet.
		HotkeyNotRegistered,
		/// Commits go to the subnet's current round only.
		NotCurrentRound,
		/// The round's commit window is over.
		CommitWindowClosed,
		/// The hotkey already committed in this round.
		AlreadyCommitted,
		/// The round is unknown or already pruned.
		UnknownRound,
		/// The round's reveal window has not begun.
		RevealTooEarly,
		/// The round's reveal window is over.
		RevealWindowClosed,
		/// The hotkey did not commit in this round.
		NoCommit,
		/// The hotkey already revealed in this round.
		AlreadyRevealed,
		/// The number of outputs is not the task's `inputs_per_round`.
		WrongOutputCount,
		/// An output's width is not the task's `dimensions`.
		WrongOutputWidth,
		/// The outputs and salt do not hash to the commit.
		HashMismatch,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Starts the rounds due in this block and prunes old ones.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::start_due_rounds().saturating_add(Self::prune_old_rounds())
		}

		/// Runs the miner and validator workers for this node's hotkeys.
		fn offchain_worker(_n: BlockNumberFor<T>) {
			offchain::run::<T>();
		}

		fn integrity_test() {
			assert!(T::RoundsKept::get() >= 2, "validators need the round before the current one");
			assert!(T::MaxPrunedPerBlock::get() >= 1, "pruning must make progress");
			assert!(T::MinersScoredPerRun::get() >= 1, "scoring must make progress");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets `netuid`'s task. Signed by the subnet's owner, or by governance.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_task_spec())]
		pub fn set_task_spec(
			origin: OriginFor<T>,
			netuid: NetUid,
			spec: TaskSpec,
		) -> DispatchResult {
			Self::ensure_owner_or_governance(origin, netuid)?;
			Self::do_set_task_spec(netuid, spec)
		}

		/// Removes `netuid`'s task: no more rounds start; kept rounds are pruned as usual.
		/// Signed by the subnet's owner, or by governance.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_task_spec())]
		pub fn remove_task_spec(origin: OriginFor<T>, netuid: NetUid) -> DispatchResult {
			Self::ensure_owner_or_governance(origin, netuid)?;
			Self::do_remove_task_spec(netuid)
		}

		/// Commits the signing hotkey to its outputs for `netuid`'s current round:
		/// `hash = blake2_256(SCALE(hotkey, netuid, round, outputs, salt))`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::commit_outputs())]
		pub fn commit_outputs(
			origin: OriginFor<T>,
			netuid: NetUid,
			round: RoundIndex,
			hash: H256,
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			Self::do_commit_outputs(hotkey, netuid, round, hash)
		}

		/// Reveals the outputs committed for `round` with their salt.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::reveal_outputs(rounds::output_elements(outputs)))]
		pub fn reveal_outputs(
			origin: OriginFor<T>,
			netuid: NetUid,
			round: RoundIndex,
			outputs: Vec<Vec<i8>>,
			salt: [u8; 32],
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			Self::do_reveal_outputs(hotkey, netuid, round, outputs, salt)
		}
	}
}
