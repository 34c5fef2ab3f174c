//! The OpenAI embeddings API as Myelin serves it: request parsing, response bodies and error
//! bodies, shared by the miner's API and the gateway.
//!
//! Requests follow `POST /v1/embeddings` of the OpenAI API: `model`, `input` (a string or a list
//! of strings), optional `encoding_format` (`float` or `base64`: little-endian `f32`), `user`
//! and `dimensions` (accepted only at the model's own width). Token-array inputs are refused:
//! Myelin's models tokenize themselves. Responses carry `object: "list"`, `data`, `model`,
//! `usage`, and Myelin's `receipt` (see [`myelin_primitives::receipt`]), which OpenAI clients
//! ignore.

pub use myelin_inference_engine::api::{
	decode_vectors, encode_vector, receipt_json, receipt_of, EncodingFormat,
};
use myelin_primitives::receipt::SignedReceipt;
use serde_json::{json, Value};

/// Most inputs one request may carry (OpenAI allows 2048; 256 keeps one request within a
/// miner's timeout on a CPU).
pub const MAX_INPUTS: usize = 256;
/// Longest single input, in bytes. The models read at most 128 tokens; longer inputs are
/// truncated by the tokenizer, this only bounds the work of tokenizing.
pub const MAX_INPUT_BYTES: usize = 32 * 1024;
/// Largest request body, in bytes.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// A parsed `POST /v1/embeddings` body.
#[derive(Clone, PartialEq, Debug)]
pub struct EmbeddingsRequest {
	/// The model as the caller named it.
	pub model: String,
	/// The inputs, in order (a single string is a list of one).
	pub input: Vec<String>,
	/// How to encode the vectors.
	pub encoding_format: EncodingFormat,
	/// The width asked for, if any.
	pub dimensions: Option<u64>,
}

/// An API error: HTTP status and the OpenAI error body.
#[derive(Clone, PartialEq, Debug)]
pub struct ApiError {
	/// HTTP status.
	pub status: u16,
	/// `error.message`.
	pub message: String,
	/// `error.type`.
	pub kind: &'static str,
	/// `error.param`.
	pub param: Option<&'static str>,
	/// `error.code`.
	pub code: Option<&'static str>,
}

impl ApiError {
	/// 400: the request is malformed.
	pub fn invalid(message: impl Into<String>, param: Option<&'static str>) -> ApiError {
		ApiError {
			status: 400,
			message: message.into(),
			kind: "invalid_request_error",
			param,
			code: None,
		}
	}

	/// 404: no subnet serves the model.
	pub fn model_not_found(model: &str) -> ApiError {
		ApiError {
			status: 404,
			message: format!("The model `{model}` does not exist or no subnet serves it."),
			kind: "invalid_request_error",
			param: Some("model"),
			code: Some("model_not_found"),
		}
	}

	/// 404: no such endpoint.
	pub fn not_found(path: &str) -> ApiError {
		ApiError {
			status: 404,
			message: format!("Unknown request URL: {path}."),
			kind: "invalid_request_error",
			param: None,
			code: Some("unknown_url"),
		}
	}

	/// 429: the caller exceeded its rate.
	pub fn rate_limited(per_second: u32) -> ApiError {
		ApiError {
			status: 429,
			message: format!(
				"Rate limit reached: this gateway allows {per_second} requests per second per \
				 client. Retry after 1 second."
			),
			kind: "requests",
			param: None,
			code: Some("rate_limit_exceeded"),
		}
	}

	/// 503: nothing could answer now.
	pub fn unavailable(message: impl Into<String>) -> ApiError {
		ApiError {
			status: 503,
			message: message.into(),
			kind: "server_error",
			param: None,
			code: Some("service_unavailable"),
		}
	}

	/// 500: the node failed.
	pub fn internal(message: impl Into<String>) -> ApiError {
		ApiError {
			status: 500,
			message: message.into(),
			kind: "server_error",
			param: None,
			code: None,
		}
	}

	/// The OpenAI error body.
	pub fn body(&self) -> Value {
		json!({ "error": {
			"message": self.message,
			"type": self.kind,
			"param": self.param,
			"code": self.code,
		}})
	}
}

/// Parses and bounds a `POST /v1/embeddings` body.
pub fn parse_request(body: &[u8]) -> Result<EmbeddingsRequest, ApiError> {
	let value: Value = serde_json::from_slice(body)
		.map_err(|e| ApiError::invalid(format!("The body is not valid JSON: {e}"), None))?;
	let object = value
		.as_object()
		.ok_or_else(|| ApiError::invalid("The body must be a JSON object.", None))?;
	let model = object
		.get("model")
		.and_then(Value::as_str)
		.filter(|m| !m.is_empty())
		.ok_or_else(|| ApiError::invalid("`model` is required (a string).", Some("model")))?
		.to_string();
	let input = match object.get("input") {
		Some(Value::String(text)) => vec![text.clone()],
		Some(Value::Array(items)) if !items.is_empty() => items
			.iter()
			.map(|item| item.as_str().map(str::to_string))
			.collect::<Option<Vec<String>>>()
			.ok_or_else(|| {
				ApiError::invalid(
					"`input` must be a string or a list of strings (token arrays are not \
					 supported).",
					Some("input"),
				)
			})?,
		Some(Value::Array(_)) => {
			return Err(ApiError::invalid("`input` must not be empty.", Some("input")))
		}
		_ => {
			return Err(ApiError::invalid(
				"`input` is required: a string or a list of strings.",
				Some("input"),
			))
		}
	};
	if input.len() > MAX_INPUTS {
		return Err(ApiError::invalid(
			format!("`input` has {} items; at most {MAX_INPUTS} are allowed.", input.len()),
			Some("input"),
		));
	}
	if input.iter().any(|text| text.is_empty()) {
		return Err(ApiError::invalid("`input` must not contain empty strings.", Some("input")));
	}
	if input.iter().any(|text| text.len() > MAX_INPUT_BYTES) {
		return Err(ApiError::invalid(
			format!("An input is longer than {MAX_INPUT_BYTES} bytes."),
			Some("input"),
		));
	}
	let encoding_format = match object.get("encoding_format") {
		None | Some(Value::Null) => EncodingFormat::Float,
		Some(Value::String(f)) if f == "float" => EncodingFormat::Float,
		Some(Value::String(f)) if f == "base64" => EncodingFormat::Base64,
		_ => {
			return Err(ApiError::invalid(
				"`encoding_format` must be `float` or `base64`.",
				Some("encoding_format"),
			))
		}
	};
	let dimensions = match object.get("dimensions") {
		None | Some(Value::Null) => None,
		Some(d) => Some(d.as_u64().ok_or_else(|| {
			ApiError::invalid("`dimensions` must be a positive integer.", Some("dimensions"))
		})?),
	};
	Ok(EmbeddingsRequest { model, input, encoding_format, dimensions })
}

/// Checks `dimensions` against the model's width (Myelin's models do not shorten vectors).
pub fn check_dimensions(request: &EmbeddingsRequest, width: usize) -> Result<(), ApiError> {
	match request.dimensions {
		Some(d) if u64::try_from(width).ok() != Some(d) => Err(ApiError::invalid(
			format!("This model's vectors have {width} dimensions; `dimensions` must be {width}."),
			Some("dimensions"),
		)),
		_ => Ok(()),
	}
}

/// The response body: OpenAI's fields plus the receipt.
pub fn response_body(
	model: &str,
	vectors: &[Vec<f32>],
	format: EncodingFormat,
	prompt_tokens: u64,
	receipt: &SignedReceipt,
) -> Value {
	let data: Vec<Value> = vectors
		.iter()
		.enumerate()
		.map(|(index, vector)| {
			json!({ "object": "embedding", "index": index, "embedding": encode_vector(vector, format) })
		})
		.collect();
	json!({
		"object": "list",
		"data": data,
		"model": model,
		"usage": { "prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens },
		"receipt": receipt_json(receipt),
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn inputs_parse_as_a_string_or_a_list() {
		let one = parse_request(br#"{"model":"m","input":"hello"}"#).unwrap();
		assert_eq!(one.input, vec!["hello".to_string()]);
		assert_eq!(one.encoding_format, EncodingFormat::Float);
		let many = parse_request(br#"{"model":"m","input":["a","b"],"encoding_format":"base64"}"#)
			.unwrap();
		assert_eq!(many.input, vec!["a".to_string(), "b".to_string()]);
		assert_eq!(many.encoding_format, EncodingFormat::Base64);
	}

	#[test]
	fn bad_requests_get_openai_errors_naming_the_parameter() {
		let cases: [(&[u8], Option<&str>); 9] = [
			(b"not json", None),
			(b"[]", None),
			(br#"{"input":"a"}"#, Some("model")),
			(br#"{"model":"m"}"#, Some("input")),
			(br#"{"model":"m","input":[]}"#, Some("input")),
			(br#"{"model":"m","input":[[1,2,3]]}"#, Some("input")),
			(br#"{"model":"m","input":[""]}"#, Some("input")),
			(br#"{"model":"m","input":"a","encoding_format":"int8"}"#, Some("encoding_format")),
			(br#"{"model":"m","input":"a","dimensions":-3}"#, Some("dimensions")),
		];
		for (body, param) in cases {
			let error = parse_request(body).unwrap_err();
			assert_eq!(error.status, 400, "{}", String::from_utf8_lossy(body));
			assert_eq!(error.param, param, "{}", String::from_utf8_lossy(body));
			assert_eq!(error.body()["error"]["type"], "invalid_request_error");
		}
		let too_many = json!({ "model": "m", "input": vec!["a"; MAX_INPUTS + 1] });
		assert_eq!(
			parse_request(too_many.to_string().as_bytes()).unwrap_err().param,
			Some("input")
		);
		let too_long = json!({ "model": "m", "input": "x".repeat(MAX_INPUT_BYTES + 1) });
		assert!(parse_request(too_long.to_string().as_bytes()).is_err());
	}

	#[test]
	fn dimensions_must_be_the_models_width() {
		let request = parse_request(br#"{"model":"m","input":"a","dimensions":384}"#).unwrap();
		assert!(check_dimensions(&request, 384).is_ok());
		assert_eq!(check_dimensions(&request, 32).unwrap_err().param, Some("dimensions"));
	}
}
