//! The JSON of Myelin's embeddings API that miners, gateways and the `myelin` CLI share: vectors
//! in either OpenAI encoding, and receipts (fields for display, SCALE for checking).

use base64::Engine as _;
use codec::{Decode, Encode};
use myelin_primitives::receipt::SignedReceipt;
use serde_json::{json, Value};

/// How the caller wants the vectors.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum EncodingFormat {
	/// JSON numbers.
	Float,
	/// Base64 of the little-endian `f32` values.
	Base64,
}

/// One vector as the caller asked for it.
pub fn encode_vector(vector: &[f32], format: EncodingFormat) -> Value {
	match format {
		EncodingFormat::Float => json!(vector),
		EncodingFormat::Base64 => {
			let bytes: Vec<u8> = vector.iter().flat_map(|x| x.to_le_bytes()).collect();
			Value::String(base64::engine::general_purpose::STANDARD.encode(bytes))
		}
	}
}

/// The vectors of a response body's `data`, decoded from either format, in index order.
pub fn decode_vectors(body: &Value) -> Option<Vec<Vec<f32>>> {
	let data = body.get("data")?.as_array()?;
	let mut vectors: Vec<(u64, Vec<f32>)> = Vec::with_capacity(data.len());
	for item in data {
		let index = item.get("index")?.as_u64()?;
		let vector = match item.get("embedding")? {
			Value::Array(values) => {
				values.iter().map(|v| v.as_f64().map(|x| x as f32)).collect::<Option<Vec<f32>>>()?
			}
			Value::String(encoded) => {
				let bytes = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
				if bytes.len() % 4 != 0 {
					return None;
				}
				bytes
					.chunks_exact(4)
					.map(|c| Some(f32::from_le_bytes(c.try_into().ok()?)))
					.collect::<Option<Vec<f32>>>()?
			}
			_ => return None,
		};
		vectors.push((index, vector));
	}
	vectors.sort_by_key(|(index, _)| *index);
	let in_order = vectors.iter().enumerate().all(|(i, (index, _))| *index == i as u64);
	in_order.then(|| vectors.into_iter().map(|(_, v)| v).collect())
}

/// A receipt as JSON: its fields (hex, the miner as an SS58 address) and its SCALE encoding.
pub fn receipt_json(signed: &SignedReceipt) -> Value {
	let r = &signed.receipt;
	json!({
		"model": hex::encode(r.model),
		"input_hash": format!("{:?}", r.input_hash),
		"output_hash": format!("{:?}", r.output_hash),
		"miner": r.miner.to_string(),
		"netuid": r.netuid,
		"block": r.block,
		"request_id": hex::encode(r.request_id),
		"signature": hex::encode(signed.signature),
		"scale": format!("0x{}", hex::encode(signed.encode())),
	})
}

/// The receipt of a response body (from its SCALE field, which the other fields only display).
pub fn receipt_of(body: &Value) -> Option<SignedReceipt> {
	let scale = body.get("receipt")?.get("scale")?.as_str()?;
	let bytes = hex::decode(scale.strip_prefix("0x").unwrap_or(scale)).ok()?;
	SignedReceipt::decode(&mut bytes.as_slice()).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;

	#[test]
	fn vectors_round_trip_through_both_encodings_exactly() {
		let vectors = vec![vec![0.1f32, -0.25, 1.0 / 3.0], vec![f32::MIN_POSITIVE, -0.0, 0.5]];
		for format in [EncodingFormat::Float, EncodingFormat::Base64] {
			let data: Vec<Value> = vectors
				.iter()
				.enumerate()
				.rev()
				.map(|(i, v)| json!({ "index": i, "embedding": encode_vector(v, format) }))
				.collect();
			let decoded = decode_vectors(&json!({ "data": data })).unwrap();
			assert_eq!(decoded, vectors, "{format:?}");
		}
		// A gap in the indices is not a valid answer.
		let gap = json!({ "data": [{ "index": 1, "embedding": [1.0] }] });
		assert_eq!(decode_vectors(&gap), None);
	}
}
