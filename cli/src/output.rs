//! Printing: pretty JSON, tables, and the small formatting helpers the tables use.

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde_json::Value;

/// Prints `value` as pretty JSON on stdout.
pub fn json(value: &Value) {
	println!("{}", serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()));
}

/// A table with `headers`.
pub fn table(headers: &[&str]) -> Table {
	let mut table = Table::new();
	table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
	table.set_header(headers.iter().copied());
	table
}

/// A JSON scalar as table text (strings unquoted, null as `-`).
pub fn cell(value: &Value) -> String {
	match value {
		Value::Null => "-".into(),
		Value::String(text) => text.clone(),
		Value::Number(number) => match number.as_f64() {
			Some(f) if number.is_f64() => format!("{f:.4}"),
			_ => number.to_string(),
		},
		other => other.to_string(),
	}
}

/// An SS58 address shortened for tables: `5Grw…utQY`.
pub fn short(value: &Value) -> String {
	let text = cell(value);
	let chars: Vec<char> = text.chars().collect();
	if chars.len() <= 12 {
		return text;
	}
	let head: String = chars.iter().take(4).collect();
	let tail: String = chars.iter().skip(chars.len().saturating_sub(4)).collect();
	format!("{head}…{tail}")
}

/// A decimal MYL string trimmed of trailing zeros, with the unit: `1.5 MYL`.
pub fn myl(value: &Value) -> String {
	let text = cell(value);
	let trimmed = if text.contains('.') {
		text.trim_end_matches('0').trim_end_matches('.').to_string()
	} else {
		text
	};
	format!("{trimmed} MYL")
}
