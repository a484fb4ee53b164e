#pragma once
// The server's request handler: the router's routes first; then 405 (with Allow) for a
// known path asked with another method, 404 in the documented error shape under /api,
// and the web client's files for everything else.
#include "http/message.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

namespace cc::http {

// Both must outlive the handler.
Handler dispatcher(const Router& router, const StaticFiles& files);

}  // namespace cc::http
