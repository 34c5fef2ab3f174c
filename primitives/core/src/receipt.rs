//! Serving receipts: a miner's signed statement of what it answered to an organic request.
//!
//! A miner serving `POST /v1/embeddings` signs, with the hotkey it is registered under, a
//! [`Receipt`] binding
//! - the model, by the sha256 of its weights (the subnet task's identity of the model),
//! - the request's inputs ([`input_hash`]),
//! - its answer, quantized to `i8` the way the chain's challenges are ([`output_hash`]; the float
//!   answer quantizes deterministically, so anyone holding it recomputes the hash),
//! - its hotkey, the subnet, the block it answered at and the request id.
//!
//! Anyone holding the inputs, the answer and the model checks a receipt without trusting the
//! miner or the gateway that relayed it: the signature proves who answered, the hashes prove what,
//! and re-embedding the inputs proves whether the answer is the model's (cosine ≥ the subnet's
//! τ). A miner cannot disown a wrong answer it signed; a gateway cannot alter an answer or blame
//! a miner for an answer it did not give.
//!
//! The signed bytes are [`RECEIPT_CONTEXT`] followed by the receipt's SCALE encoding, so a
//! receipt signature can never be mistaken for a transaction or another Myelin message.

use alloc::{string::String, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{sr25519, H256};
use sp_runtime::traits::{BlakeTwo256, Hash, Verify};

use crate::{AccountId, BlockNumber, NetUid};

/// Prefix of every receipt's signed bytes (domain separation).
pub const RECEIPT_CONTEXT: &[u8] = b"myelin/receipt/v1";

/// The `protocol` of an axon that serves the HTTP embeddings API (`serve_axon`).
pub const AXON_PROTOCOL_HTTP: u8 = 4;

/// What a miner signs for one answered request.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Receipt {
	/// sha256 of the model's `model.safetensors`.
	pub model: [u8; 32],
	/// [`input_hash`] of the request's inputs.
	pub input_hash: H256,
	/// [`output_hash`] of the answer, quantized to `i8`.
	pub output_hash: H256,
	/// The miner's hotkey: the signer.
	pub miner: AccountId,
	/// The subnet the miner answered for.
	pub netuid: NetUid,
	/// The miner's best block when it answered.
	pub block: BlockNumber,
	/// The request's id, chosen by the caller (or the miner when the caller gave none).
	pub request_id: [u8; 16],
}

/// A [`Receipt`] with the miner's sr25519 signature of [`Receipt::signing_payload`].
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct SignedReceipt {
	/// What was answered.
	pub receipt: Receipt,
	/// The miner hotkey's signature.
	pub signature: [u8; 64],
}

/// Why a receipt does not vouch for an answer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReceiptError {
	/// The signature is not the named miner's signature of the receipt.
	BadSignature,
	/// The inputs given are not the ones the receipt names.
	InputMismatch,
	/// The answer given is not the one the receipt names.
	OutputMismatch,
	/// The receipt names another model than expected.
	ModelMismatch,
}

impl Receipt {
	/// The bytes the miner signs: [`RECEIPT_CONTEXT`] ‖ SCALE(receipt).
	pub fn signing_payload(&self) -> Vec<u8> {
		let mut payload = RECEIPT_CONTEXT.to_vec();
		self.encode_to(&mut payload);
		payload
	}
}

impl SignedReceipt {
	/// Whether the signature is the named miner's.
	pub fn signature_valid(&self) -> bool {
		let public = sr25519::Public::from_raw(*self.receipt.miner.as_ref());
		let signature = sr25519::Signature::from_raw(self.signature);
		signature.verify(self.receipt.signing_payload().as_slice(), &public)
	}

	/// Checks that this receipt is the miner's and covers `inputs`, the quantized `outputs` and
	/// `model`. It says nothing about whether the outputs are right: re-embedding does.
	pub fn check(
		&self,
		model: &[u8; 32],
		inputs: &[String],
		quantized_outputs: &[Vec<i8>],
	) -> Result<(), ReceiptError> {
		if !self.signature_valid() {
			return Err(ReceiptError::BadSignature);
		}
		if &self.receipt.model != model {
			return Err(ReceiptError::ModelMismatch);
		}
		if self.receipt.input_hash != input_hash(inputs) {
			return Err(ReceiptError::InputMismatch);
		}
		if self.receipt.output_hash != output_hash(quantized_outputs) {
			return Err(ReceiptError::OutputMismatch);
		}
		Ok(())
	}
}

/// Blocks after a receipt's block whose hash draws whether the answer is audited: the miner
/// signs before that hash exists, so it cannot know which answers will be checked.
pub const AUDIT_DELAY: BlockNumber = 2;

/// Whether the answer with `request_id` is audited, at `rate_ppm`, given the hash of the block
/// [`AUDIT_DELAY`] after its receipt's block: `blake2_256(context ‖ hash ‖ request_id)`, read as
/// a little-endian `u32`, falls below `rate × 2³² / 10⁶`.
pub fn audit_drawn(later_block_hash: &H256, request_id: &[u8; 16], rate_ppm: u32) -> bool {
	let mut seed = b"myelin/audit/v1".to_vec();
	seed.extend_from_slice(later_block_hash.as_bytes());
	seed.extend_from_slice(request_id);
	let digest = <BlakeTwo256 as Hash>::hash(&seed);
	let mut word = [0u8; 4];
	word.copy_from_slice(digest.as_bytes().get(..4).unwrap_or(&[0; 4]));
	let draw = u64::from(u32::from_le_bytes(word));
	// draw / 2³² < rate / 10⁶, in integers (both sides fit in u64).
	draw.saturating_mul(1_000_000) < u64::from(rate_ppm.min(1_000_000)) << 32
}

/// blake2-256 of the SCALE encoding of the inputs (a list of UTF-8 strings, in request order; a
/// single string input counts as a list of one).
pub fn input_hash(inputs: &[String]) -> H256 {
	<BlakeTwo256 as Hash>::hash(&inputs.encode())
}

/// blake2-256 of the SCALE encoding of the `i8`-quantized outputs, in input order.
pub fn output_hash(quantized_outputs: &[Vec<i8>]) -> H256 {
	<BlakeTwo256 as Hash>::hash(&quantized_outputs.encode())
}

#[cfg(all(test, feature = "std"))]
mod tests {
	use super::*;
	use alloc::{string::ToString, vec};
	use sp_core::Pair;

	fn signed(pair: &sr25519::Pair, inputs: &[String], outputs: &[Vec<i8>]) -> SignedReceipt {
		let receipt = Receipt {
			model: [7; 32],
			input_hash: input_hash(inputs),
			output_hash: output_hash(outputs),
			miner: pair.public().into(),
			netuid: 1,
			block: 42,
			request_id: [9; 16],
		};
		let signature = pair.sign(&receipt.signing_payload()).0;
		SignedReceipt { receipt, signature }
	}

	fn fixture() -> (sr25519::Pair, Vec<String>, Vec<Vec<i8>>) {
		let pair = sr25519::Pair::from_seed(&[1; 32]);
		(pair, vec!["a cat".to_string(), "a dog".to_string()], vec![vec![1, -2, 3], vec![4, 5, -6]])
	}

	#[test]
	fn a_genuine_receipt_checks() {
		let (pair, inputs, outputs) = fixture();
		assert_eq!(signed(&pair, &inputs, &outputs).check(&[7; 32], &inputs, &outputs), Ok(()));
	}

	#[test]
	fn tampered_outputs_inputs_models_and_signers_are_rejected() {
		let (pair, inputs, outputs) = fixture();
		let receipt = signed(&pair, &inputs, &outputs);
		let mut tampered = outputs.clone();
		tampered[1][2] = -5;
		assert_eq!(receipt.check(&[7; 32], &inputs, &tampered), Err(ReceiptError::OutputMismatch));
		let reordered: Vec<String> = inputs.iter().rev().cloned().collect();
		assert_eq!(receipt.check(&[7; 32], &reordered, &outputs), Err(ReceiptError::InputMismatch));
		assert_eq!(receipt.check(&[8; 32], &inputs, &outputs), Err(ReceiptError::ModelMismatch));

		// The receipt re-pointed at another model, or at another miner, no longer verifies.
		let mut swapped = receipt.clone();
		swapped.receipt.model = [8; 32];
		assert_eq!(swapped.check(&[8; 32], &inputs, &outputs), Err(ReceiptError::BadSignature));
		let other = sr25519::Pair::from_seed(&[2; 32]);
		let mut forged = receipt.clone();
		forged.receipt.miner = other.public().into();
		assert!(!forged.signature_valid());
		// Signed by someone else under the miner's name.
		let mut impostor = signed(&other, &inputs, &outputs);
		impostor.receipt.miner = pair.public().into();
		assert_eq!(impostor.check(&[7; 32], &inputs, &outputs), Err(ReceiptError::BadSignature));
	}

	#[test]
	fn the_signature_covers_the_context_prefix() {
		let (pair, inputs, outputs) = fixture();
		let receipt = signed(&pair, &inputs, &outputs);
		// A signature of the bare encoding (as another protocol might sign) is not a receipt.
		let bare = pair.sign(&receipt.receipt.encode()).0;
		let relabelled = SignedReceipt { receipt: receipt.receipt.clone(), signature: bare };
		assert!(!relabelled.signature_valid());
		assert!(receipt.receipt.signing_payload().starts_with(RECEIPT_CONTEXT));
	}

	#[test]
	fn audit_draws_follow_the_rate_at_its_edges_and_between() {
		let hash = H256::repeat_byte(3);
		let ids: Vec<[u8; 16]> = (0u32..10_000)
			.map(|i| {
				let mut id = [0u8; 16];
				id[..4].copy_from_slice(&i.to_le_bytes());
				id
			})
			.collect();
		let drawn = |rate| ids.iter().filter(|id| audit_drawn(&hash, id, rate)).count();
		assert_eq!(drawn(0), 0);
		assert_eq!(drawn(1_000_000), 10_000);
		assert_eq!(drawn(u32::MAX), 10_000, "rates above 1 count as 1");
		// 10% of 10,000 within four standard deviations (σ = 30).
		let tenth = drawn(100_000);
		assert!((880..=1_120).contains(&tenth), "{tenth}");
		// Another block hash draws other answers.
		let other = H256::repeat_byte(4);
		let differ = ids
			.iter()
			.filter(|id| audit_drawn(&hash, id, 500_000) != audit_drawn(&other, id, 500_000))
			.count();
		assert!(differ > 4_000, "{differ}");
	}

	#[test]
	fn hashes_separate_inputs_and_list_boundaries() {
		// ["ab"] and ["a", "b"] hash apart: SCALE prefixes each string with its length.
		assert_ne!(input_hash(&["ab".to_string()]), input_hash(&["a".into(), "b".into()]));
		assert_ne!(output_hash(&[vec![1, 2]]), output_hash(&[vec![1], vec![2]]));
		assert_eq!(input_hash(&[]), <BlakeTwo256 as Hash>::hash(&[0]));
	}
}
