//! The web explorer (`--explorer ADDR:PORT`): a page, its script and its style sheet, compiled
//! into the node binary and served over HTTP/1.1. Nothing is fetched from anywhere else: the
//! page reads the chain through this node's public JSON-RPC over WebSocket (the `myelin_*` views,
//! `chain_*` and their subscriptions), so it works offline, and the server holds no state.
//!
//! `/config.json` tells the page the node's RPC port; the page connects to it on the host it
//! was loaded from, and to nothing else.

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::Full;
use hyper::{body::Incoming, header, Method, Request, Response, StatusCode};

use crate::serving::http::{self, HttpResponse};

/// The explorer's files: path, content type, content.
const ASSETS: [(&str, &str, &str); 3] = [
	("/", "text/html; charset=utf-8", include_str!("../explorer/index.html")),
	("/app.js", "text/javascript; charset=utf-8", include_str!("../explorer/app.js")),
	("/style.css", "text/css; charset=utf-8", include_str!("../explorer/style.css")),
];

/// What the page may load: only this server's files and WebSocket connections (to the node's
/// RPC, on whatever host the operator serves it from).
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; connect-src 'self' ws: wss:; \
	img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'none'; \
	frame-ancestors 'none'";

/// Serves the explorer on `addr` for a node whose RPC listens on `rpc_port`. Binds now, so a
/// taken port fails the node's start; returns the task that serves, and the bound address.
pub fn start(
	addr: SocketAddr,
	rpc_port: u16,
) -> std::io::Result<(impl std::future::Future<Output = ()>, SocketAddr)> {
	let listener = http::bind(addr)?;
	let bound = listener.local_addr().unwrap_or(addr);
	let config = serde_json::json!({ "rpcPort": rpc_port }).to_string();
	let task = http::serve(listener, move |request, _peer| {
		let response = respond(&request, &config);
		async move { response }
	});
	Ok((task, bound))
}

/// The response to `request`: an asset, the page's config, or 404/405.
fn respond(request: &Request<Incoming>, config: &str) -> HttpResponse {
	if request.method() != Method::GET && request.method() != Method::HEAD {
		return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
	}
	let path = request.uri().path();
	let (content_type, body) = if path == "/config.json" {
		("application/json", config.to_string())
	} else {
		// The page routes by fragment (`/#/subnet/1`), so `/index.html` is the page too.
		let path = if path == "/index.html" { "/" } else { path };
		match ASSETS.iter().find(|(asset, ..)| *asset == path) {
			Some((_, content_type, body)) => (*content_type, (*body).to_string()),
			None => return plain(StatusCode::NOT_FOUND, "not found"),
		}
	};
	// (For HEAD, hyper sends the headers, Content-Length included, and drops the body.)
	let mut response = Response::new(Full::new(Bytes::from(body)));
	let headers = response.headers_mut();
	headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static(content_type));
	headers.insert(
		header::CONTENT_SECURITY_POLICY,
		header::HeaderValue::from_static(CONTENT_SECURITY_POLICY),
	);
	headers.insert(header::X_CONTENT_TYPE_OPTIONS, header::HeaderValue::from_static("nosniff"));
	headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-cache"));
	response
}

fn plain(status: StatusCode, text: &'static str) -> HttpResponse {
	let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
	*response.status_mut() = status;
	response
		.headers_mut()
		.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("text/plain"));
	response
}
