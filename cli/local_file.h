// Files read on the client's machine (scenario files, learner scripts) and
// sent to the controller by content, since it may run elsewhere.
#pragma once

#include <string>

namespace pedisim::cli {

// Reads the whole file into `content`; on failure returns false and sets
// `error` to "cannot read PATH: reason".
bool ReadLocalFile(const std::string& path, std::string* content, std::string* error);

}  // namespace pedisim::cli
