//! # Governance pallet
//!
//! What Myelin adds to FRAME's referenda, conviction voting, scheduler and preimage pallets:
//!
//! - **The `SubnetParams` origin.** A referendum on the `subnet-params` track dispatches its call
//!   with this origin. The Myelin pallets accept it (through [`EnsureSubnetParams`]) for their
//!   governance setters: subnet hyperparameters, the subnet limit, the emission split and owner
//!   cuts. It can do nothing else: runtime upgrades and other privileged calls need Root, which
//!   only the `root` track (or, on dev chains, sudo) dispatches with.
//! - **Track timing.** Referendum periods are long on a real chain (days) and must be seconds on
//!   a dev chain, without a separate runtime build. [`Timing`] is chosen in the genesis config
//!   (`Production` by default, `Fast` in the development preset); the runtime's track table
//!   reads it through [`Pallet::timing`].
//!
//! The pallet has no calls: origins are created by the referenda pallet, and the timing is fixed
//! at genesis (a runtime upgrade can migrate it).

#![warn(missing_docs)]
#![cfg_attr(not(test), warn(unused_crate_dependencies))]
#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet::*;

/// How long referendum periods are.
#[derive(
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Timing {
	/// Real-world periods (hours to weeks).
	#[default]
	Production,
	/// Periods of a few blocks, for dev chains and tests.
	Fast,
}

// The FRAME macros expand to code that trips the deny-lints; this module holds declarations only.
#[allow(
	clippy::expect_used,
	clippy::unwrap_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
#[frame_support::pallet]
pub mod pallet {
	use super::Timing;
	use frame_support::pallet_prelude::*;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration: nothing beyond `frame_system`.
	#[pallet::config]
	pub trait Config: frame_system::Config {}

	/// The origins referenda dispatch with besides Root.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// A passed referendum of the `subnet-params` track: may set subnet hyperparameters and
		/// emission policy, nothing else.
		SubnetParams,
	}

	/// The timing of the referendum tracks (set at genesis).
	#[pallet::storage]
	pub type TrackTiming<T: Config> = StorageValue<_, Timing, ValueQuery>;

	/// Genesis: which timing the tracks use.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Track timing.
		pub timing: Timing,
		/// Binds the configuration type.
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			TrackTiming::<T>::put(self.timing);
		}
	}

	impl<T: Config> Pallet<T> {
		/// The timing of the referendum tracks. Outside any state (native metadata, which
		/// lists the tracks as a constant), the production timing.
		pub fn timing() -> Timing {
			if externalities_present() {
				TrackTiming::<T>::get()
			} else {
				Timing::Production
			}
		}
	}

	fn externalities_present() -> bool {
		#[cfg(feature = "std")]
		{
			sp_externalities::with_externalities(|_| ()).is_some()
		}
		#[cfg(not(feature = "std"))]
		{
			true
		}
	}
}

/// Ensures a call comes from a passed `subnet-params` referendum.
pub struct EnsureSubnetParams;

impl<O> frame_support::traits::EnsureOrigin<O> for EnsureSubnetParams
where
	O: Into<Result<Origin, O>> + From<Origin>,
{
	type Success = ();

	fn try_origin(o: O) -> Result<(), O> {
		o.into().map(|Origin::SubnetParams| ())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		Ok(O::from(Origin::SubnetParams))
	}
}

#[cfg(test)]
mod tests;
