//! Pins the SCALE layout of everything Myelin's pallets store, per pallet storage version.
//!
//! Each pallet's storage items are rendered from the runtime's metadata (V15, what clients
//! decode with): item name, whether it is optional, hashers, key and value types down to
//! primitives. `storage_layouts.txt` holds one line per pallet and storage version. Changing a
//! stored type (a field added, removed, renamed, reordered or retyped; a hasher or key changed)
//! changes the line, and this test fails until the pallet's `STORAGE_VERSION` is bumped (with a
//! migration, once the chain is live) and the new line is added.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use codec::{Decode, Encode};
use frame_metadata::{
	v15::{StorageEntryModifier, StorageEntryType},
	RuntimeMetadata, RuntimeMetadataPrefixed,
};
use frame_support::traits::{GetStorageVersion, PalletInfoAccess, StorageVersion};
use myelin_runtime::Runtime;
use myelin_test_runtime::layout::render;

/// `(pallet name, in-code storage version)` of every Myelin pallet.
fn myelin_pallets() -> Vec<(&'static str, u16)> {
	fn of<P>() -> (&'static str, u16)
	where
		P: GetStorageVersion<InCodeStorageVersion = StorageVersion> + PalletInfoAccess,
	{
		// `StorageVersion` encodes as its `u16`.
		let version = u16::decode(&mut &P::in_code_storage_version().encode()[..]).unwrap();
		(P::name(), version)
	}
	vec![
		of::<pallet_subnets::Pallet<Runtime>>(),
		of::<pallet_stake::Pallet<Runtime>>(),
		of::<pallet_yuma::Pallet<Runtime>>(),
		of::<pallet_emission::Pallet<Runtime>>(),
		of::<pallet_inference::Pallet<Runtime>>(),
		of::<pallet_governance::Pallet<Runtime>>(),
	]
}

#[test]
fn storage_layouts_are_pinned_per_storage_version() {
	let opaque = Runtime::metadata_at_version(15).expect("metadata V15");
	let RuntimeMetadataPrefixed(_, RuntimeMetadata::V15(metadata)) =
		RuntimeMetadataPrefixed::decode(&mut &opaque[..]).expect("metadata decodes")
	else {
		panic!("not V15 metadata");
	};
	let pinned = include_str!("storage_layouts.txt");
	// One line per pallet and version: a second line for a version already pinned would let a
	// layout change pass without a bump.
	let mut prefixes: Vec<&str> = pinned
		.lines()
		.filter(|l| !l.starts_with('#'))
		.filter_map(|l| l.split(':').next())
		.collect();
	let count = prefixes.len();
	prefixes.sort_unstable();
	prefixes.dedup();
	assert_eq!(prefixes.len(), count, "a pallet version is pinned twice in storage_layouts.txt");
	let mut missing = Vec::new();
	for (name, version) in myelin_pallets() {
		let pallet = metadata.pallets.iter().find(|p| p.name == name).expect("pallet in metadata");
		let items = pallet.storage.as_ref().map(|s| s.entries.as_slice()).unwrap_or_default();
		let rendered: Vec<String> = items
			.iter()
			.map(|item| {
				let optional = matches!(item.modifier, StorageEntryModifier::Optional);
				let ty = match &item.ty {
					StorageEntryType::Plain(ty) => render(&metadata.types, ty.id),
					StorageEntryType::Map { hashers, key, value } => format!(
						"{hashers:?}({})->{}",
						render(&metadata.types, key.id),
						render(&metadata.types, value.id)
					),
				};
				format!("{}{}={ty}", item.name, if optional { "?" } else { "" })
			})
			.collect();
		let line = format!("{name} v{version}: {}", rendered.join(" | "));
		if !pinned.lines().any(|pinned_line| pinned_line == line) {
			missing.push(line);
		}
	}
	assert!(
		missing.is_empty(),
		"a stored layout changed without a storage version bump; bump the pallet's \
		 STORAGE_VERSION (with a migration on a live chain) and add the new line(s) to \
		 runtime/tests/storage_layouts.txt:\n{}",
		missing.join("\n")
	);
}
