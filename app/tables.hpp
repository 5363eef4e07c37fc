// Text renderings of the parameter and output tables: `sesim params`, `sesim outputs`, and the
// generated docs/parameters.md and docs/outputs.md (a test keeps those files current).
#pragma once
#include <string>

namespace sesim {

std::string params_text();      // aligned plain text for the terminal
std::string params_markdown();  // docs/parameters.md
std::string outputs_text();
std::string outputs_markdown();  // docs/outputs.md

}  // namespace sesim
