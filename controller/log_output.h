#pragma once

#include <string>

namespace pedisim {

// Sets the default logger on stderr: in colour on a terminal; under systemd
// (stderr is the journal stream named by $JOURNAL_STREAM) each line starts
// with its sd-daemon priority ("<3>" error ... "<7>" debug) so journald
// records real levels; anywhere else (a file, a pipe) timestamped lines with
// the level in brackets and no colour codes.
void SetUpLogOutput(const std::string& level);

}  // namespace pedisim
