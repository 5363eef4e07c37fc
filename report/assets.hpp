// The assets that `sesim report` inlines into its pages, compiled into the binary by
// report/embed.cpp (see report/CMakeLists.txt): "report.css", "report.js", "vega.min.js",
// "vega-lite.min.js", "vega-embed.min.js" and their licences "vega.LICENSE",
// "vega-lite.LICENSE", "vega-embed.LICENSE", and "VERSIONS" (package, version, SHA-256).
#pragma once
#include <string_view>

namespace sesim {

// The bytes of asset `name`; std::logic_error for a name not embedded (a build error).
std::string_view report_asset(std::string_view name);

}  // namespace sesim
