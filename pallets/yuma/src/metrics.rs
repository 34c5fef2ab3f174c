//! The per-UID metrics of a subnet: one type that owns every vector indexed by UID.
//!
//! [`NeuronMetrics`] holds, per subnet, the block of each UID's last weight update (an input of
//! the next epoch) and everything the last epoch produced for each UID. It is stored once per
//! subnet ([`crate::Metrics`]): the epoch writes it in one storage write and `set_weights` reads
//! and writes one item, where eight parallel items cost eight writes per epoch.
//!
//! The fields are declared once, in the [`neuron_metrics!`] invocation below; resetting a UID,
//! padding to the subnet's size, reading one UID's row and the length checks of `try_state` are
//! generated from that list. Adding a metric is one line there (the epoch then has to fill it,
//! and `tests/neuron_change.rs` names it in its fully-populated row).

use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::BoundedVec;
use myelin_primitives::{BlockNumber, Uid};
use scale_info::TypeInfo;

use crate::MaxUids;

/// Declares [`NeuronMetrics`] (a vector per field, indexed by UID) and [`NeuronMetric`] (one
/// UID's values), with the operations every field shares.
macro_rules! neuron_metrics {
	($( $(#[$doc:meta])* $field:ident: $ty:ty, )*) => {
		/// Per-UID metrics of one subnet, each a vector indexed by UID (`u16` proportions:
		/// `u16::MAX` = 1). Vectors cover the UIDs that existed when they were last written;
		/// a UID beyond a vector reads as the default.
		#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
		pub struct NeuronMetrics {
			$( $(#[$doc])* pub $field: BoundedVec<$ty, MaxUids>, )*
		}

		/// One UID's metrics: a row of [`NeuronMetrics`].
		#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
		pub struct NeuronMetric {
			$( $(#[$doc])* pub $field: $ty, )*
		}

		impl NeuronMetrics {
			/// The names of the metrics, in declaration order.
			pub const NAMES: &'static [&'static str] = &[$( stringify!($field), )*];

			/// `uid`'s metrics (defaults where a vector does not reach it).
			pub fn get(&self, uid: Uid) -> NeuronMetric {
				let at = usize::from(uid);
				NeuronMetric { $( $field: self.$field.get(at).cloned().unwrap_or_default(), )* }
			}

			/// Resets every metric of `uid` to its default: the UID changed hands.
			pub fn reset(&mut self, uid: Uid) {
				let at = usize::from(uid);
				$( if let Some(slot) = self.$field.get_mut(at) { *slot = Default::default(); } )*
			}

			/// Makes every vector exactly `n` long: pads with defaults or truncates. `n` is
			/// capped at [`MaxUids`].
			pub fn resize(&mut self, n: u16) {
				$( resize_bounded(&mut self.$field, n); )*
			}

			/// Sets `uid`'s row to `metric`, first padding every vector to cover `uid`.
			pub fn set(&mut self, uid: Uid, metric: NeuronMetric) {
				let covered = self.len().max(uid.saturating_add(1));
				self.resize(covered);
				let at = usize::from(uid);
				$( if let Some(slot) = self.$field.get_mut(at) { *slot = metric.$field; } )*
			}

			/// The length of the longest vector: how many UIDs the metrics cover.
			pub fn len(&self) -> u16 {
				let lengths = [$( self.$field.len(), )*];
				let longest = lengths.into_iter().max().unwrap_or_default();
				u16::try_from(longest).unwrap_or(u16::MAX)
			}

			/// Whether no vector holds anything.
			pub fn is_empty(&self) -> bool {
				self.len() == 0
			}

			/// Whether every vector has the same length.
			pub fn is_rectangular(&self) -> bool {
				let lengths = [$( self.$field.len(), )*];
				lengths.windows(2).all(|pair| matches!(pair, [a, b] if a == b))
			}
		}
	};
}

/// Pads `vector` with defaults or truncates it to `n` (at most [`MaxUids`]).
fn resize_bounded<V: Default + Clone>(vector: &mut BoundedVec<V, MaxUids>, n: u16) {
	let bound = usize::from(myelin_primitives::MAX_UIDS_HARD_CAP);
	let mut values = core::mem::take(vector).into_inner();
	values.resize(usize::from(n).min(bound), V::default());
	*vector = BoundedVec::truncate_from(values);
}

neuron_metrics! {
	/// Block of the UID's last weight update (0: never): the epoch's activity input and the
	/// weights rate limit.
	last_update: BlockNumber,
	/// Incentive in the last epoch: the miners' share.
	incentive: u16,
	/// Dividends in the last epoch: the validators' share.
	dividends: u16,
	/// Stake-weighted consensus weight in the last epoch.
	consensus: u16,
	/// Validator trust in the last epoch: how much of its weight survived clipping.
	validator_trust: u16,
	/// Whether the UID updated its weights within `activity_cutoff` at the last epoch.
	active: bool,
	/// Validator permit granted at the last epoch (top `max_allowed_validators` by stake).
	validator_permit: bool,
	/// Emission received at the last epoch, in token units: the pruning score.
	emission: u64,
}
