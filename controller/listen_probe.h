#pragma once

#include <string>

namespace pedisim {

// Whether `host`:`port` (TCP) can be listened on now, without address or
// port reuse: a port another process (another controller) listens on is
// refused with `why` saying so. Port 0 (any free port) always can. Run
// before the data folder is touched, so that a controller that cannot serve
// changes nothing; the listeners themselves are then bound without reuse
// too, so a port taken meanwhile still fails.
bool CanListen(const std::string& host, int port, std::string* why);

}  // namespace pedisim
